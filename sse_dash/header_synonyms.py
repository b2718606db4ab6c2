"""Header synonyms in French, Spanish and Persian for every field of every kind (English ones are in `schema`).

Written as people write column names; the header matcher compares them after `normalise_header`, so accents,
case, spaces, underscores, Arabic or Persian letter forms and a zero-width non-joiner do not matter ('année' is
'annee', 'نوع‌تعاونی' is 'نوع تعاونی'). `schema` adds them to each `Field.synonyms`, after the English ones.
"""

from __future__ import annotations

# The things an evidence column says is sourced or judged, for the `*_evidence` fields of the catalogue.
_EVIDENCE_OF = {
    "cost_level": ("niveau de coût", "nivel de costo", "سطح هزینه"),
    "maturity_class": ("échéance", "plazo", "سررسید"),
    "collateral": ("garantie", "garantía", "وثیقه"),
    "control_impact": ("effet sur le contrôle", "efecto en el control", "اثر بر کنترل"),
    "life_stages": ("étapes de vie", "etapas de vida", "مراحل عمر"),
    "sse_types": ("types d'ESS", "tipos de ESS", "انواع تشکل"),
}

# {kind: {field: (French, Spanish, Persian)}}, each a tuple of synonyms.
TRANSLATED: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = {
    "usage": {
        "org_id": (
            ("identifiant", "id organisation", "code organisation"),
            ("identificador", "id organización", "código organización", "número de organización"),
            ("شناسه", "شناسه سازمان", "کد سازمان", "شناسه ملی", "کد تعاونی"),
        ),
        "country": (("pays", "code pays"), ("país", "código país", "código de país"), ("کشور", "نام کشور", "کد کشور")),
        "year": (
            ("année", "exercice", "année de référence"),
            ("año", "ejercicio", "año de referencia"),
            ("سال", "سال مالی", "سال گزارش"),
        ),
        "sse_type": (
            ("type d'organisation", "forme juridique", "statut", "statut juridique", "catégorie"),
            ("tipo", "tipo de organización", "tipo de entidad", "forma jurídica", "estatuto jurídico"),
            ("نوع", "نوع تعاونی", "نوع سازمان", "نوع تشکل", "شکل حقوقی"),
        ),
        "instrument_id": (
            ("instrument financier", "source de financement", "type de financement"),
            ("instrumento", "instrumento financiero", "fuente de financiamiento", "fuente de financiación"),
            ("ابزار مالی", "ابزار تأمین مالی", "منبع تأمین مالی", "نوع تسهیلات"),
        ),
        "amount": (
            ("montant", "valeur", "somme"),
            ("importe", "monto", "valor", "cantidad"),
            ("مبلغ", "ارزش", "مبلغ تسهیلات", "مبلغ تأمین مالی"),
        ),
        "currency": (("devise", "monnaie"), ("moneda", "divisa"), ("ارز", "واحد پول", "نوع ارز")),
        "sector": (
            ("secteur", "secteur d'activité", "branche"),
            ("sector", "sector de actividad", "rama de actividad", "actividad"),
            ("بخش", "بخش اقتصادی", "زمینه فعالیت", "حوزه فعالیت", "رشته فعالیت"),
        ),
        "life_stage": (
            ("stade", "étape", "stade de développement", "cycle de vie"),
            ("etapa", "etapa de desarrollo", "ciclo de vida"),
            ("مرحله", "مرحله رشد", "مرحله توسعه", "چرخه عمر"),
        ),
        "region": (
            ("région", "province", "département"),
            ("región", "provincia", "departamento", "comunidad autónoma"),
            ("استان", "منطقه", "شهرستان"),
        ),
        "amount_usd": (
            ("montant en dollars", "montant USD"),
            ("monto en dólares", "importe en dólares", "monto USD"),
            ("مبلغ دلاری", "مبلغ به دلار", "معادل دلاری"),
        ),
        "notes": (
            ("remarques", "commentaire", "commentaires"),
            ("notas", "observaciones", "comentarios"),
            ("توضیحات", "یادداشت", "ملاحظات"),
        ),
    },
    "figures": {
        "figure_ref": (("référence",), ("referencia",), ("ارجاع",)),
        "indicator": (("indicateur", "code indicateur"), ("indicador", "código indicador"), ("شاخص", "کد شاخص")),
        "indicator_name": (
            ("nom de l'indicateur", "libellé"),
            ("nombre del indicador", "etiqueta"),
            ("نام شاخص", "عنوان شاخص"),
        ),
        "geography": (
            ("zone géographique", "zone", "territoire", "pays"),
            ("ámbito geográfico", "zona", "territorio", "país"),
            ("محدوده جغرافیایی", "منطقه", "کشور"),
        ),
        "breakdown": (("ventilation", "sous-groupe"), ("desglose", "subgrupo"), ("تفکیک", "زیرگروه")),
        "geo_level": (("niveau géographique", "niveau"), ("nivel geográfico", "nivel"), ("سطح جغرافیایی", "سطح")),
        "year": (("année", "période"), ("año", "período"), ("سال", "دوره")),
        "ref_date": (("date de référence",), ("fecha de referencia",), ("تاریخ مرجع",)),
        "value": (("valeur", "chiffre"), ("valor", "cifra"), ("مقدار", "رقم")),
        "qualifier": (
            ("qualificatif", "statut de l'observation"),
            ("calificador", "estado de la observación"),
            ("وضعیت مشاهده",),
        ),
        "unit": (("unité", "unité de mesure"), ("unidad", "unidad de medida"), ("واحد", "واحد اندازه‌گیری")),
        "instrument_id": (("instrument financier",), ("instrumento",), ("ابزار مالی",)),
        "source_id": (("référence de la source",), ("fuente", "id fuente"), ("منبع", "شناسه منبع", "کد منبع")),
        "note": (("remarque", "remarques"), ("nota", "observaciones"), ("توضیحات", "یادداشت")),
    },
    "instruments": {
        "instrument_id": (("identifiant",), ("instrumento", "identificador"), ("شناسه", "شناسه ابزار")),
        "name": (("nom",), ("nombre",), ("نام", "عنوان")),
        "name_local": (("nom local",), ("nombre local",), ("نام محلی",)),
        "origin": (("origine",), ("origen",), ("منشأ", "خاستگاه")),
        "family": (("famille",), ("familia",), ("خانواده", "گروه")),
        "instrument_type": (("type d'instrument",), ("tipo de instrumento", "tipo"), ("نوع ابزار", "نوع")),
        "provider_type": (
            ("type de fournisseur", "bailleur"),
            ("tipo de proveedor", "proveedor"),
            ("نوع تأمین‌کننده", "تأمین‌کننده"),
        ),
        "description": (("description",), ("descripción",), ("شرح", "توضیح")),
        "cost_level": (("niveau de coût", "coût"), ("nivel de costo", "costo", "coste"), ("سطح هزینه", "هزینه")),
        "cost_note": (("note sur le coût",), ("nota sobre el costo",), ("توضیح هزینه",)),
        "maturity_class": (("échéance", "durée"), ("plazo", "vencimiento"), ("سررسید", "مدت")),
        "maturity_note": (("note sur l'échéance",), ("nota sobre el plazo",), ("توضیح سررسید",)),
        "collateral": (("garantie", "sûreté"), ("garantía", "colateral"), ("وثیقه", "تضمین")),
        "control_impact": (("effet sur le contrôle",), ("efecto en el control",), ("اثر بر کنترل",)),
        "requires_membership": (("adhésion requise",), ("requiere membresía",), ("نیاز به عضویت",)),
        "repayable": (("remboursable",), ("reembolsable",), ("قابل بازپرداخت",)),
        "life_stages": (("étapes de vie", "stades"), ("etapas de vida", "etapas"), ("مراحل عمر", "مراحل")),
        "sse_types": (("types d'ESS", "types d'organisation"), ("tipos de ESS",), ("انواع تشکل", "انواع سازمان")),
        "countries": (("pays",), ("países",), ("کشورها", "کشور")),
        "ticket_min": (("montant minimum",), ("monto mínimo",), ("حداقل مبلغ",)),
        "ticket_max": (("montant maximum",), ("monto máximo",), ("حداکثر مبلغ",)),
        "ticket_currency": (("devise",), ("moneda",), ("ارز",)),
        "typical_terms": (("conditions habituelles",), ("condiciones habituales",), ("شرایط معمول",)),
        **{
            f"{attribute}_evidence": ((f"preuve {fr}",), (f"evidencia {es}",), (f"مستند {fa}",))
            for attribute, (fr, es, fa) in _EVIDENCE_OF.items()
        },
        "source_ids": (("sources",), ("fuentes",), ("منابع",)),
    },
    "sources": {
        "source_id": (("identifiant de la source", "identifiant"), ("id de la fuente",), ("شناسه منبع", "شناسه")),
        "title": (("titre",), ("título",), ("عنوان",)),
        "publisher": (("éditeur",), ("editor", "editorial"), ("ناشر",)),
        "year": (("année",), ("año",), ("سال", "سال انتشار")),
        "url": (("lien", "adresse"), ("enlace", "dirección"), ("پیوند", "نشانی")),
        "primary_source": (("source primaire",), ("fuente primaria",), ("منبع اصلی",)),
        "kind": (("nature",), ("tipo",), ("نوع",)),
        "note": (("remarque",), ("nota",), ("یادداشت", "توضیحات")),
    },
}


def translated_synonyms(kind: str, name: str) -> tuple[str, ...]:
    """The French, Spanish and Persian synonyms of one field, in that order."""
    return tuple(word for language in TRANSLATED[kind].get(name, ((), (), ())) for word in language)
