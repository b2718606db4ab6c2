"""Column schemas and vocabularies for every CSV kind: the single source of truth.

Each kind (usage, figures, instruments, sources) is a tuple of `Field`s. The ingest path maps headers with
`Field.synonyms`, coerces by `Field.dtype`, checks `Field.vocabulary`, and validates the cleaned frame with the
pandera schema built here by `pandera_schema(kind)`. The data dictionary in `data/README.md` and on the About page
is generated from the same fields (`dictionary_markdown`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from sse_dash.header_synonyms import translated_synonyms
from sse_dash.i18n import N_, _

# --- vocabularies -------------------------------------------------------------------------------------------

SSE_TYPES = ("cooperative", "mutual", "association", "social_enterprise", "foundation", "informal_group")
SSE_TYPE_LABELS = {
    "cooperative": N_("Cooperative"),
    "mutual": N_("Mutual"),
    "association": N_("Association"),
    "social_enterprise": N_("Social enterprise"),
    "foundation": N_("Foundation"),
    "informal_group": N_("Informal group"),
}
ORIGINS = ("internal", "external")
# Families follow the ILO news item's three groups plus two from the ILO "Financing the SSE" page, and a
# conventional baseline for comparison (reference section 2.1).
FAMILIES = (
    "INT_MEMBER",
    "INT_EARNED",
    "EXT_FINCOOP",
    "EXT_COMMUNITY",
    "EXT_ETHICAL",
    "NEW_FORMS",
    "PUBLIC_PHIL",
    "MARKET_INNOV",
    "BASELINE",
)
FAMILY_LABELS = {
    "INT_MEMBER": N_("Internal: members' and people's own funds"),
    "INT_EARNED": N_("Internal: earned income and retained surplus"),
    "EXT_FINCOOP": N_("External: financial cooperatives"),
    "EXT_COMMUNITY": N_("External: community-based savings schemes"),
    "EXT_ETHICAL": N_("External: social and ethical banking, microfinance"),
    "NEW_FORMS": N_("New forms: solidarity funds, intermediaries, quasi-equity"),
    "PUBLIC_PHIL": N_("Public and philanthropic support"),
    "MARKET_INNOV": N_("Market-based innovations"),
    "BASELINE": N_("Conventional comparators (baseline)"),
}
# Short names for legends and axis labels.
FAMILY_SHORT = {
    "INT_MEMBER": N_("Members' own funds"),
    "INT_EARNED": N_("Earned income & surplus"),
    "EXT_FINCOOP": N_("Financial cooperatives"),
    "EXT_COMMUNITY": N_("Community savings"),
    "EXT_ETHICAL": N_("Ethical banks & microfinance"),
    "NEW_FORMS": N_("New forms"),
    "PUBLIC_PHIL": N_("Public & philanthropic"),
    "MARKET_INNOV": N_("Market innovations"),
    "BASELINE": N_("Conventional (baseline)"),
}
# The three groups of sources in the ILO news item, plus the two extensions, for the overview.
FAMILY_GROUPS = {
    "INT_MEMBER": N_("Internal"),
    "INT_EARNED": N_("Internal"),
    "EXT_FINCOOP": N_("External"),
    "EXT_COMMUNITY": N_("External"),
    "EXT_ETHICAL": N_("External"),
    "NEW_FORMS": N_("New forms"),
    "PUBLIC_PHIL": N_("Public & philanthropic"),
    "MARKET_INNOV": N_("Market innovations"),
    "BASELINE": N_("Baseline"),
}
INSTRUMENT_TYPES = (
    "equity",
    "quasi_equity",
    "debt",
    "grant",
    "guarantee",
    "earned_income",
    "in_kind_or_currency",
    "savings_product",
)
PROVIDER_TYPES = (
    "members",
    "organisation",
    "customers",
    "public_body",
    "sacco_credit_union",
    "cooperative_bank",
    "ethical_bank",
    "mfi",
    "savings_group",
    "social_finance_intermediary",
    "labour_fund",
    "movement_fund",
    "private_investors",
    "foundation_donor",
    "guarantee_body",
    "impact_investor",
    "crowd",
    "mutual_credit_network",
    "commercial_bank",
    "venture_capital",
)
COST_LEVELS = {
    0: N_("none / zero interest"),
    1: N_("below market"),
    2: N_("near market"),
    3: N_("market"),
    4: N_("high"),
}
MATURITY_CLASSES = ("short", "medium", "long", "permanent", "non_repayable")
MATURITY_LABELS = {
    "short": N_("short (< 1 year)"),
    "medium": N_("medium (1–5 years)"),
    "long": N_("long (5–15 years)"),
    "permanent": N_("permanent"),
    "non_repayable": N_("never repaid"),
}
COLLATERALS = ("none", "social", "savings_pledge", "subordinated", "standard")
COLLATERAL_LABELS = {
    "none": N_("none"),
    "social": N_("social (peer / group)"),
    "savings_pledge": N_("member savings pledge"),
    "subordinated": N_("subordinated / junior"),
    "standard": N_("standard (mortgage, personal guarantee)"),
}
CONTROL_IMPACTS = (
    "none",
    "membership_rights",
    "information_rights",
    "minority_capped",
    "covenants",
    "proportional_dilution",
)
CONTROL_IMPACT_LABELS = {
    "none": N_("none"),
    "membership_rights": N_("membership rights (one member, one vote)"),
    "information_rights": N_("information / consultative rights"),
    "minority_capped": N_("minority seat or capped votes"),
    "covenants": N_("covenants / lender control"),
    "proportional_dilution": N_("proportional voting (dilution)"),
}
LIFE_STAGES = ("pre_start", "start_up", "growth", "consolidation", "transfer", "crisis")
LIFE_STAGE_LABELS = {
    "pre_start": N_("Pre-start / informal"),
    "start_up": N_("Start-up"),
    "growth": N_("Growth / expansion"),
    "consolidation": N_("Consolidation / maturity"),
    "transfer": N_("Restructuring / transfer"),
    "crisis": N_("Crisis"),
}
EVIDENCE = ("fact", "judgment")
GEO_LEVELS = ("world", "region", "country", "subnational")
QUALIFIERS = ("more_than", "approx")
SOURCE_KINDS = ("primary", "secondary")
KINDS = ("usage", "figures", "instruments", "sources")
# Words for the sectors of the demo data (sector is free text: other values are shown as written).
SECTOR_LABELS = {
    "agriculture": N_("Agriculture"),
    "culture": N_("Culture"),
    "education": N_("Education"),
    "energy": N_("Energy"),
    "environment": N_("Environment"),
    "finance": N_("Finance"),
    "health_social": N_("Health and social care"),
    "housing": N_("Housing"),
    "manufacturing": N_("Manufacturing"),
    "retail": N_("Retail"),
    "services": N_("Services"),
}
KIND_LABELS = {
    "usage": N_("usage records"),
    "figures": N_("published figures"),
    "instruments": N_("an instrument catalogue"),
}
EARLIEST_YEAR = 1900
MULTI_SEPARATOR = "|"


def latest_year() -> int:
    """The last year a record may refer to: the current calendar year."""
    return dt.date.today().year


# --- fields -------------------------------------------------------------------------------------------------


# Each field in words, as the upload page and problem messages name it (the code stays in links and files).
FIELD_LABELS = {
    "org_id": N_("Organisation id"),
    "country": N_("Country"),
    "year": N_("Year"),
    "sse_type": N_("SSE type"),
    "instrument_id": N_("Instrument id"),
    "amount": N_("Amount"),
    "currency": N_("Currency"),
    "sector": N_("Sector"),
    "life_stage": N_("Life stage"),
    "region": N_("Region"),
    "amount_usd": N_("Amount in US dollars"),
    "notes": N_("Notes"),
    "figure_ref": N_("Figure reference"),
    "indicator": N_("Indicator"),
    "indicator_name": N_("Indicator name"),
    "geography": N_("Geography"),
    "breakdown": N_("Breakdown"),
    "geo_level": N_("Geographic level"),
    "ref_date": N_("Reference date"),
    "value": N_("Value"),
    "qualifier": N_("Qualifier"),
    "unit": N_("Unit"),
    "source_id": N_("Source id"),
    "note": N_("Note"),
    "name": N_("Name"),
    "name_local": N_("Name in the local language"),
    "origin": N_("Origin"),
    "family": N_("Family"),
    "instrument_type": N_("Instrument type"),
    "provider_type": N_("Provider type"),
    "description": N_("Description"),
    "cost_level": N_("Cost level"),
    "cost_note": N_("Cost note"),
    "maturity_class": N_("Maturity"),
    "maturity_note": N_("Maturity note"),
    "collateral": N_("Collateral"),
    "control_impact": N_("Effect on control"),
    "requires_membership": N_("Requires membership"),
    "repayable": N_("Repayable"),
    "life_stages": N_("Life stages"),
    "sse_types": N_("SSE types"),
    "countries": N_("Countries"),
    "ticket_min": N_("Smallest ticket"),
    "ticket_max": N_("Largest ticket"),
    "ticket_currency": N_("Ticket currency"),
    "typical_terms": N_("Typical terms"),
    "cost_level_evidence": N_("Evidence for the cost level"),
    "maturity_class_evidence": N_("Evidence for the maturity"),
    "collateral_evidence": N_("Evidence for the collateral"),
    "control_impact_evidence": N_("Evidence for the effect on control"),
    "life_stages_evidence": N_("Evidence for the life stages"),
    "sse_types_evidence": N_("Evidence for the SSE types"),
    "source_ids": N_("Source ids"),
    "title": N_("Title"),
    "publisher": N_("Publisher"),
    "url": N_("Web address"),
    "primary_source": N_("Primary source"),
    "kind": N_("Kind of source"),
}


@dataclass(frozen=True)
class Field:
    """One column of one CSV kind.

    dtype is one of: text, id, int, number, code (one value of `vocabulary`), multi (`|`-separated values of
    `vocabulary`), bool, country (ISO alpha-3), countries (`|`-separated alpha-3), currency (ISO 4217),
    instrument (an id of the active catalogue), year.
    """

    name: str
    dtype: str
    required: bool
    description: str
    unit: str = ""
    vocabulary: tuple[str, ...] | None = None
    synonyms: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False
    example: str = ""

    @property
    def label(self) -> str:
        """The field's name in words, in English ('org_id' -> 'Organisation id'); translate it with `_()` where shown."""
        return FIELD_LABELS.get(self.name, self.name)

    def fill_hint(self) -> str:
        """What to write in an empty cell of this field, in a few words."""
        if self.vocabulary:
            return _("one of {choices}").format(choices=", ".join(self.vocabulary))
        return _("for example {example}").format(example=self.example) if self.example else _(self.description)


def _evidence(attribute: str) -> Field:
    return Field(
        f"{attribute}_evidence",
        "code",
        True,
        f"Whether `{attribute}` is a sourced fact or an editorial judgment.",
        vocabulary=EVIDENCE,
    )


USAGE_FIELDS = (
    Field(
        "org_id",
        "text",
        True,
        N_(
            "Identifier of the organisation, as the data publisher assigns it. Several rows per organisation are normal."
        ),
        synonyms=(
            "organisation_id",
            "organization_id",
            "org",
            "organisation",
            "organization",
            "org_code",
            "entity_id",
            "entity",
            "member_id",
            "coop_id",
            "identifiant",
            "identificador",
            "id",
            # "N° organisation", "No. organisation", "Numéro d'organisation", "Org. No", "Organisation number"
            "n_organisation",
            "no_organisation",
            "nr_organisation",
            "numero_organisation",
            "numero_d_organisation",
            "org_no",
            "organisation_no",
            "organisation_number",
            "organization_number",
        ),
        example="COOP-0042",
    ),
    Field(
        "country",
        "country",
        True,
        N_(
            "Country of the organisation. ISO 3166 alpha-3 or alpha-2 codes in any case, English names and the "
            "UN/ILOSTAT/World Bank spellings are accepted; stored as alpha-3."
        ),
        synonyms=(
            "country_code",
            "iso3",
            "iso_3",
            "iso_code",
            "country_iso",
            "country_name",
            "nation",
            "pays",
            "pais",
            "paese",
            "land",
            "ref_area",
        ),
        example="KEN",
    ),
    Field(
        "year",
        "year",
        True,
        f"Year the financing was used (e.g. the financial year). From {EARLIEST_YEAR} to the current year.",
        synonyms=(
            "yr",
            "fiscal_year",
            "financial_year",
            "reference_year",
            "ref_year",
            "time_period",
            "period",
            "annee",
            "exercice",
            "ejercicio",
            "esercizio",
            "anno",
            "ano",
            "jahr",
        ),
        example="2021",
    ),
    Field(
        "sse_type",
        "code",
        True,
        N_(
            "Kind of SSE organisation. Everyday spellings such as 'Co-operative', 'coop' or 'Social Enterprise' are "
            "accepted and stored in canonical form."
        ),
        vocabulary=SSE_TYPES,
        synonyms=(
            "type",
            "org_type",
            "organisation_type",
            "organization_type",
            "legal_form",
            "sse_category",
            "entity_type",
            "forme_juridique",
            "statut_juridique",
            "legal_status",
            "sse_family",
            "category",
        ),
    ),
    Field(
        "instrument_id",
        "instrument",
        True,
        N_(
            "The financing instrument used: an `instrument_id` of the active catalogue (instrument names are accepted "
            "too)."
        ),
        synonyms=(
            "instrument",
            "instrument_code",
            "financing_instrument",
            "finance_instrument",
            "source_of_finance",
            "financing_source",
            "funding_source",
            "instrument_name",
        ),
        example="sacco_cu_loan",
    ),
    Field(
        "amount",
        "number",
        True,
        N_(
            "Amount of financing received or used through the instrument in the year, in `currency`. Non-negative. "
            "Decimal commas and thousands separators are understood."
        ),
        unit=N_("currency units (see `currency`)"),
        minimum=0,
        synonyms=(
            "value",
            "amount_local",
            "amount_lcu",
            "amount_lc",
            "montant",
            "importe",
            "importo",
            "monto",
            "betrag",
            "sum",
            "total",
        ),
        example="1250.50",
    ),
    Field(
        "currency",
        "currency",
        True,
        N_("ISO 4217 code of `amount` (e.g. EUR, KES, USD). Symbols such as € or £ are accepted."),
        synonyms=("currency_code", "ccy", "cur", "curr", "devise", "moneda", "valuta", "wahrung"),
        example="EUR",
    ),
    Field(
        "sector",
        "text",
        False,
        N_("Sector of activity, free text (e.g. agriculture, housing, finance)."),
        synonyms=(
            "activity",
            "industry",
            "branch",
            "economic_sector",
            "nace",
            "secteur",
            "sector_of_activity",
            "secteur_d_activite",
            "sector_de_actividad",
        ),
    ),
    Field(
        "life_stage",
        "code",
        False,
        N_("Life stage of the organisation in that year."),
        vocabulary=LIFE_STAGES,
        synonyms=("stage", "lifecycle_stage", "life_cycle_stage", "development_stage"),
    ),
    Field(
        "region",
        "text",
        False,
        N_("Sub-national region, free text (e.g. Quebec, Emilia-Romagna)."),
        synonyms=("province", "state", "subnational_region", "department", "county"),
    ),
    Field(
        "amount_usd",
        "number",
        False,
        N_(
            "The same amount converted to US dollars by the data publisher; when present, amounts in different "
            "currencies can be compared through it."
        ),
        unit="USD",
        minimum=0,
        synonyms=("usd", "amount_in_usd", "value_usd", "usd_amount", "amount_us", "amount_usd_equivalent"),
    ),
    Field(
        "notes",
        "text",
        False,
        N_("Free-text remarks."),
        synonyms=("note", "comment", "comments", "remarks", "remark", "observations"),
    ),
)

FIGURE_FIELDS = (
    Field(
        "figure_ref",
        "text",
        False,
        N_("Item id in the research note the figure comes from (e.g. W12)."),
        synonyms=("ref", "reference"),
    ),
    Field(
        "indicator",
        "id",
        True,
        N_("Stable snake_case id of a comparable series; one unit per indicator."),
        synonyms=("indicator_id", "series", "series_id", "variable", "measure"),
    ),
    Field(
        "indicator_name",
        "text",
        False,
        N_("Human label of the indicator, without the unit."),
        synonyms=("indicator_label", "label", "series_name", "name"),
    ),
    Field(
        "geography",
        "text",
        True,
        N_("Where the figure applies: World, a region, a country or a sub-national unit."),
        synonyms=("geo", "area", "country", "region", "location", "ref_area"),
    ),
    Field(
        "breakdown",
        "text",
        False,
        N_("Part of the geography the value refers to (a sector, an enterprise); empty for the whole of it."),
        synonyms=("subgroup", "disaggregation", "sector", "dimension"),
    ),
    Field(
        "geo_level",
        "code",
        True,
        N_("Level of `geography`."),
        vocabulary=GEO_LEVELS,
        synonyms=("level", "geo_type", "geography_level"),
    ),
    Field(
        "year",
        "year",
        True,
        N_("Reference year the value refers to (the end year for a period; see `note`)."),
        synonyms=("yr", "time_period", "period", "reference_year", "date"),
    ),
    Field(
        "ref_date",
        "text",
        False,
        N_("Exact reference date when the source gives one (ISO 8601)."),
        synonyms=("reference_date", "as_of"),
    ),
    Field(
        "value",
        "number",
        True,
        N_("The published value, in `unit`."),
        unit=N_("see `unit`"),
        synonyms=("obs_value", "amount", "number", "figure"),
    ),
    Field(
        "qualifier",
        "code",
        False,
        N_("`more_than` when the source says 'more than', `approx` when approximate."),
        vocabulary=QUALIFIERS,
        synonyms=("flag", "value_qualifier", "obs_status"),
    ),
    Field(
        "unit",
        "text",
        True,
        N_("Unit of `value`, e.g. persons, USD trillion, % of adults (15+)."),
        synonyms=("units", "unit_of_measure", "unit_measure"),
    ),
    Field(
        "instrument_id",
        "instrument",
        False,
        N_("Catalogue instrument the figure documents; empty if none."),
        synonyms=("instrument",),
    ),
    Field(
        "source_id",
        "id",
        True,
        N_("Id of the row in `sources.csv` where the figure was read."),
        synonyms=("source", "source_ref"),
    ),
    Field("note", "text", False, N_("Comparability warnings and caveats."), synonyms=("notes", "comment", "remarks")),
)

_EVIDENCE_ATTRIBUTES = ("cost_level", "maturity_class", "collateral", "control_impact", "life_stages", "sse_types")

INSTRUMENT_FIELDS = (
    Field(
        "instrument_id",
        "id",
        True,
        N_("Stable snake_case id of the instrument."),
        unique=True,
        synonyms=("id", "instrument"),
    ),
    Field("name", "text", True, N_("English name."), synonyms=("instrument_name", "label")),
    Field("name_local", "text", False, N_("Name in the language of the country where it originates.")),
    Field(
        "origin",
        "code",
        True,
        N_("Internal (the organisation's own people and activity) or external."),
        vocabulary=ORIGINS,
    ),
    Field(
        "family",
        "code",
        True,
        N_("Family of sources (ILO grouping, extended)."),
        vocabulary=FAMILIES,
        synonyms=("instrument_family", "group"),
    ),
    Field(
        "instrument_type",
        "code",
        True,
        N_("Financial nature (primary type)."),
        vocabulary=INSTRUMENT_TYPES,
        synonyms=("type",),
    ),
    Field(
        "provider_type", "code", True, N_("Who provides the money."), vocabulary=PROVIDER_TYPES, synonyms=("provider",)
    ),
    Field("description", "text", True, N_("What the instrument is and why it matters for SSE units.")),
    Field(
        "cost_level",
        "int",
        True,
        N_("Ordinal cost to the SSE unit: 0 none, 1 below market, 2 near market, 3 market, 4 high."),
        unit=N_("ordinal 0-4"),
        minimum=0,
        maximum=4,
        synonyms=("cost",),
    ),
    Field("cost_note", "text", False, N_("Sourced cost facts, or the reasoning behind the judgment.")),
    Field(
        "maturity_class",
        "code",
        True,
        N_("How long the money stays: short (<1 yr), medium (1-5 yrs), long (5-15 yrs), permanent, or non-repayable."),
        vocabulary=MATURITY_CLASSES,
        synonyms=("maturity",),
    ),
    Field("maturity_note", "text", False, N_("Sourced maturity terms.")),
    Field("collateral", "code", True, N_("Collateral usually required."), vocabulary=COLLATERALS),
    Field(
        "control_impact",
        "code",
        True,
        N_("What the provider gets in governance or control."),
        vocabulary=CONTROL_IMPACTS,
        synonyms=("control",),
    ),
    Field("requires_membership", "bool", True, N_("Whether the organisation must be a member of the provider.")),
    Field("repayable", "bool", True, N_("Whether the money must be paid back.")),
    Field(
        "life_stages", "multi", True, N_("Life stages the instrument serves, `|`-separated."), vocabulary=LIFE_STAGES
    ),
    Field("sse_types", "multi", True, N_("SSE types that use it, `|`-separated."), vocabulary=SSE_TYPES),
    Field(
        "countries",
        "countries",
        False,
        N_("Where the instrument as described exists, `|`-separated alpha-3 codes; empty when generic."),
    ),
    Field("ticket_min", "number", False, N_("Smallest typical amount, in `ticket_currency`."), minimum=0),
    Field("ticket_max", "number", False, N_("Largest typical amount, in `ticket_currency`."), minimum=0),
    Field("ticket_currency", "currency", False, N_("ISO 4217 currency of the ticket sizes.")),
    Field("typical_terms", "text", False, N_("Sourced typical terms in words.")),
    *(_evidence(attribute) for attribute in _EVIDENCE_ATTRIBUTES),
    Field(
        "source_ids",
        "text",
        True,
        N_("Ids of rows in `sources.csv` backing the facts, `|`-separated."),
        synonyms=("sources", "source_id"),
    ),
)

SOURCE_FIELDS = (
    Field(
        "source_id",
        "id",
        True,
        N_("Stable snake_case id cited by figures and instruments."),
        unique=True,
        synonyms=("id",),
    ),
    Field("title", "text", True, N_("Title of the page or document that was read.")),
    Field("publisher", "text", True, N_("Organisation or site that published it.")),
    Field("year", "int", False, N_("Publication year."), minimum=EARLIEST_YEAR),
    Field("url", "text", True, N_("Full address where it was read."), synonyms=("link", "address")),
    Field("primary_source", "text", False, N_("The primary report a secondary page quotes.")),
    Field("kind", "code", True, N_("primary or secondary."), vocabulary=SOURCE_KINDS),
    Field("note", "text", False, N_("Caveats about the source."), synonyms=("notes",)),
)


def _plain_word(word: str) -> str:
    """A synonym without case, accents or punctuation, to leave out a translation an English synonym already is."""
    decomposed = unicodedata.normalize("NFKD", word)
    return re.sub(r"[\W_]+", "_", "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()).strip("_")


def _with_translated_synonyms(kind: str, fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """The fields with their French, Spanish and Persian header synonyms (`header_synonyms`) after the English.

    A translation spelt like the field's name or one of its synonyms ('région', 'pays') is not repeated.
    """
    with_translations = []
    for f in fields:
        known = {_plain_word(word) for word in (f.name, *f.synonyms)}
        added = {}
        for word in translated_synonyms(kind, f.name):
            if _plain_word(word) not in known:
                added.setdefault(_plain_word(word), word)
        with_translations.append(dataclasses.replace(f, synonyms=f.synonyms + tuple(added.values())))
    return tuple(with_translations)


USAGE_FIELDS = _with_translated_synonyms("usage", USAGE_FIELDS)
FIGURE_FIELDS = _with_translated_synonyms("figures", FIGURE_FIELDS)
INSTRUMENT_FIELDS = _with_translated_synonyms("instruments", INSTRUMENT_FIELDS)
SOURCE_FIELDS = _with_translated_synonyms("sources", SOURCE_FIELDS)
FIELDS: dict[str, tuple[Field, ...]] = {
    "usage": USAGE_FIELDS,
    "figures": FIGURE_FIELDS,
    "instruments": INSTRUMENT_FIELDS,
    "sources": SOURCE_FIELDS,
}
EVIDENCE_ATTRIBUTES = _EVIDENCE_ATTRIBUTES


def field_names(kind: str) -> list[str]:
    """Canonical column names of a kind, in documented order."""
    return [field.name for field in FIELDS[kind]]


def required_names(kind: str) -> list[str]:
    """Names of the required columns of a kind."""
    return [field.name for field in FIELDS[kind] if field.required]


def field(kind: str, name: str) -> Field:
    """The Field called `name` in `kind`."""
    return next(f for f in FIELDS[kind] if f.name == name)


# --- pandera ------------------------------------------------------------------------------------------------

_PANDERA_DTYPES = {
    "int": None,  # int64, or Int64 when a cell is missing: the checks decide, not the storage type
    "year": None,
    "number": "Float64",
    "bool": "boolean",
}


def _member_check(allowed: tuple[str, ...], error: str) -> pa.Check:
    """Values must be among `allowed`; for a categorical column it is enough to check its categories."""
    allowed_set = set(allowed)

    def check(series):
        if isinstance(series.dtype, pd.CategoricalDtype) and set(series.cat.categories) <= allowed_set:
            return True
        return series.isna() | series.isin(allowed)

    return pa.Check(check, error=error)


def _checks(f: Field, instrument_ids: tuple[str, ...] | None, check=pa.Check, member=_member_check) -> list:
    """The checks of a field's values, as pandera `check`s (its pandas or its Ibis backend's), `member` for a list
    of allowed values."""
    checks = []
    if f.minimum is not None:
        checks.append(check.ge(f.minimum, error="below_minimum"))
    if f.maximum is not None:
        checks.append(check.le(f.maximum, error="above_maximum"))
    if f.dtype == "year":
        checks.append(check.in_range(EARLIEST_YEAR, latest_year(), error="year_out_of_range"))
    if f.dtype == "code" and f.vocabulary:
        checks.append(member(f.vocabulary, "not_in_vocabulary"))
    if f.dtype == "instrument" and instrument_ids is not None:
        checks.append(member(instrument_ids, "unknown_instrument"))
    return checks


def pandera_schema(kind: str, instrument_ids: tuple[str, ...] | None = None) -> pa.DataFrameSchema:
    """The pandera schema a cleaned frame of `kind` must satisfy (validated lazily)."""
    columns = {
        f.name: pa.Column(
            _PANDERA_DTYPES.get(f.dtype),
            checks=_checks(f, instrument_ids),
            nullable=not f.required,
            required=f.required,
            unique=f.unique,
        )
        for f in FIELDS[kind]
    }
    return pa.DataFrameSchema(columns, strict=False, coerce=False, name=kind)


def ibis_schema(kind: str, instrument_ids: tuple[str, ...] | None = None):
    """The same rules as `pandera_schema` for an Ibis table (pandera's Ibis backend: the checks run in the engine).

    Used to confirm that a table passes (the engine import's written rows, a clean source table): pandera collects
    every failure case of a failing table into pandas (1.2 GB for 2,000,000 bad cells of a 10,000,000-row table),
    so the problem reports count failures with grouped queries instead (`engine.check`, `engine.importer`).
    """
    import pandera.ibis as pi  # the Ibis backend: imported when used

    columns = {
        f.name: pi.Column(
            None,
            checks=_checks(
                f, instrument_ids, pi.Check, lambda allowed, error: pi.Check.isin(list(allowed), error=error)
            ),
            nullable=not f.required,
            required=f.required,
            unique=f.unique,
        )
        for f in FIELDS[kind]
    }
    return pi.DataFrameSchema(columns, strict=False, name=kind)


# --- documentation ------------------------------------------------------------------------------------------

_TYPE_WORDS = {
    "text": N_("text"),
    "id": N_("text (id)"),
    "int": N_("integer"),
    "number": N_("number"),
    "code": N_("code"),
    "multi": N_("codes, `|`-separated"),
    "bool": N_("true / false"),
    "country": N_("country (ISO alpha-3)"),
    "countries": N_("countries (alpha-3, `|`-separated)"),
    "currency": N_("ISO 4217 code"),
    "instrument": N_("instrument id"),
    "year": N_("integer year"),
}


def allowed_values(f: Field) -> str:
    """The allowed values of a field, in words, for documentation."""
    if f.vocabulary:
        return ", ".join(f"`{v}`" for v in f.vocabulary)
    if f.dtype == "year":
        return f"{EARLIEST_YEAR} to the current year"
    if f.minimum is not None and f.maximum is not None:
        return f"{f.minimum:g} to {f.maximum:g}"
    if f.minimum is not None:
        return f"≥ {f.minimum:g}"
    if f.dtype == "instrument":
        return "ids of the active catalogue"
    return ""


def dictionary_rows(kind: str) -> list[dict[str, str]]:
    """One documentation row per column of `kind`: name, type, required, allowed values, unit, synonyms."""
    return [
        {
            "column": f.name,
            "type": _TYPE_WORDS[f.dtype],
            "required": "required" if f.required else "optional",
            "allowed values": allowed_values(f),
            "unit": f.unit,
            "description": f.description,
            "also accepted as": ", ".join(f.synonyms),
        }
        for f in FIELDS[kind]
    ]


def dictionary_markdown(kind: str) -> str:
    """The data dictionary of `kind` as a Markdown table."""
    rows = dictionary_rows(kind)
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [f"`{row['column']}`", *(row[h].replace("|", "\\|") for h in header[1:])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
