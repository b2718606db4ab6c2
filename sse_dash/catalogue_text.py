"""The instrument catalogue as people read it: attribute words, judgment marks, comparison matrix, details.

Everything here is text for people, in the active language: labels are marked with `N_` and translated with `_`
when a table or line is built (never at import). Instrument names and descriptions are data: pass the catalogue
as shown (`catalogue_translations.in_language`, `ui.catalogue_shown()`) to have them in the reader's language.
"""

from __future__ import annotations

import pandas as pd

from sse_dash import i18n
from sse_dash.codes import country_name
from sse_dash.i18n import N_, _
from sse_dash.schema import (
    COLLATERAL_LABELS,
    CONTROL_IMPACT_LABELS,
    COST_LEVELS,
    EVIDENCE_ATTRIBUTES,
    FAMILY_LABELS,
    FAMILY_SHORT,
    LIFE_STAGE_LABELS,
    MATURITY_LABELS,
    MULTI_SEPARATOR,
    SSE_TYPE_LABELS,
)
from sse_dash.text import in_words, md, md_link

JUDGMENT_MARK = " †"
JUDGMENT_LEGEND = N_("† editorial judgment (not a sourced fact); see About › What is fact and what is judgment.")
TRANSLATION_NOTICE = N_("Translated from the English catalogue text")
ATTRIBUTE_TITLES = {
    "cost_level": N_("Cost"),
    "maturity_class": N_("Maturity"),
    "collateral": N_("Collateral"),
    "control_impact": N_("Control impact"),
    "life_stages": N_("Life stages"),
    "sse_types": N_("SSE types"),
}
ORIGIN_LABELS = {"internal": N_("internal"), "external": N_("external")}
INSTRUMENT_TYPE_LABELS = {
    "equity": N_("equity"),
    "quasi_equity": N_("quasi-equity"),
    "debt": N_("debt"),
    "grant": N_("grant"),
    "guarantee": N_("guarantee"),
    "earned_income": N_("earned income"),
    "in_kind_or_currency": N_("in kind or complementary currency"),
    "savings_product": N_("savings product"),
}
PROVIDER_TYPE_LABELS = {
    "members": N_("members"),
    "organisation": N_("the organisation itself"),
    "customers": N_("customers"),
    "public_body": N_("a public body"),
    "sacco_credit_union": N_("a SACCO or credit union"),
    "cooperative_bank": N_("a cooperative bank"),
    "ethical_bank": N_("an ethical bank"),
    "mfi": N_("a microfinance institution"),
    "savings_group": N_("a savings group"),
    "social_finance_intermediary": N_("a social finance intermediary"),
    "labour_fund": N_("a labour-sponsored fund"),
    "movement_fund": N_("a cooperative movement fund"),
    "private_investors": N_("private investors"),
    "foundation_donor": N_("foundations and donors"),
    "guarantee_body": N_("a guarantee body"),
    "impact_investor": N_("impact investors"),
    "crowd": N_("the crowd (many individuals)"),
    "mutual_credit_network": N_("a mutual-credit network"),
    "commercial_bank": N_("a commercial bank"),
    "venture_capital": N_("venture capital"),
}
SOURCE_KIND_LABELS = {"primary": N_("primary source"), "secondary": N_("secondary source")}


def label(labels: dict, code: object) -> str:
    """A code's label in the active language (the code in words when it has none)."""
    found = labels.get(code) if isinstance(code, str | int) else None
    return _(found) if found else in_words(code)


def listed(items) -> str:
    """Items as a comma-separated list, with the comma of the active language (Persian: '،')."""
    return ("، " if i18n.is_rtl() else ", ").join(items)


def attribute_title(attribute: str) -> str:
    """The title of a rating attribute in the active language: 'cost_level' -> 'Cost'."""
    return _(ATTRIBUTE_TITLES[attribute])


def family_short(family: object) -> str:
    """A family's short name in the active language."""
    return label(FAMILY_SHORT, str(family))


def attribute_words(row: pd.Series, attribute: str) -> str:
    """One attribute of one instrument in words, without the judgment mark."""
    value = row[attribute]
    if attribute == "cost_level":
        return f"{i18n.number(int(value))} · {label(COST_LEVELS, int(value))}"
    if attribute == "maturity_class":
        return label(MATURITY_LABELS, str(value))
    if attribute == "collateral":
        return label(COLLATERAL_LABELS, str(value))
    if attribute == "control_impact":
        return label(CONTROL_IMPACT_LABELS, str(value))
    labels = LIFE_STAGE_LABELS if attribute == "life_stages" else SSE_TYPE_LABELS
    return listed(label(labels, v) for v in str(value).split(MULTI_SEPARATOR))


def is_judgment(row: pd.Series, attribute: str) -> bool:
    """True when the attribute value is an editorial judgment."""
    return str(row[f"{attribute}_evidence"]) == "judgment"


def marked(row: pd.Series, attribute: str) -> str:
    """An attribute in words, with † when it is a judgment."""
    return attribute_words(row, attribute) + (JUDGMENT_MARK if is_judgment(row, attribute) else "")


def table(catalogue: pd.DataFrame) -> pd.DataFrame:
    """The catalogue as a readable table: one row per instrument, judgments marked with †, headers and words in
    the active language (the `id` column keeps the codes)."""
    rows = []
    for _row, row in catalogue.iterrows():
        rows.append(
            {
                _("instrument"): row["name"],
                "id": row["instrument_id"],
                _("origin"): label(ORIGIN_LABELS, row["origin"]),
                _("family"): family_short(row["family"]),
                _("type"): label(INSTRUMENT_TYPE_LABELS, row["instrument_type"]),
                **{attribute_title(a): marked(row, a) for a in EVIDENCE_ATTRIBUTES},
                _("where"): countries_words(row),
            }
        )
    return pd.DataFrame(rows)


def countries_words(row: pd.Series) -> str:
    """Where an instrument exists, in words ('generic' when not tied to countries)."""
    codes = row.get("countries")
    if not isinstance(codes, str) or not codes:
        return _("generic")
    return listed(i18n.territory_name(code, country_name(code)) for code in codes.split(MULTI_SEPARATOR))


def _evidence_words(row: pd.Series, attribute: str) -> str:
    words = attribute_words(row, attribute)
    if is_judgment(row, attribute):
        return _("{value} (judgment)").format(value=words)
    return _("{value} (sourced)").format(value=words)


def comparison(catalogue: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Attribute matrix: one row per attribute, one column per instrument; judgments say so."""
    chosen = catalogue.set_index("instrument_id").loc[ids].reset_index()
    matrix: dict[str, list[str]] = {
        _("attribute"): [
            _("Family"),
            _("Type"),
            _("Provider"),
            *(attribute_title(a) for a in EVIDENCE_ATTRIBUTES),
            _("Membership needed"),
            _("Repayable"),
            _("Where"),
        ]
    }
    for _row, row in chosen.iterrows():
        matrix[row["name"]] = [
            family_short(row["family"]),
            label(INSTRUMENT_TYPE_LABELS, row["instrument_type"]),
            label(PROVIDER_TYPE_LABELS, row["provider_type"]),
            *(_evidence_words(row, a) for a in EVIDENCE_ATTRIBUTES),
            _("yes") if row["requires_membership"] else _("no"),
            _("yes") if row["repayable"] else _("no"),
            countries_words(row),
        ]
    return pd.DataFrame(matrix)


def detail_line(row: pd.Series) -> str:
    """One instrument's family, type, provider and countries in one line (plain text, to escape when shown)."""
    return _("{family} · {type} · provided by {provider} · {where}").format(
        family=label(FAMILY_LABELS, str(row["family"])),
        type=label(INSTRUMENT_TYPE_LABELS, row["instrument_type"]),
        provider=label(PROVIDER_TYPE_LABELS, row["provider_type"]),
        where=countries_words(row),
    )


def sources_of(row: pd.Series, sources: pd.DataFrame) -> pd.DataFrame:
    """The sources cited by one instrument, in the order given."""
    ids = [i for i in str(row["source_ids"]).split(MULTI_SEPARATOR) if i]
    found = sources.set_index("source_id").reindex(ids).dropna(subset=["url"]).reset_index()
    return found[["source_id", "title", "publisher", "year", "url", "kind"]]


def source_markdown(source: pd.Series) -> str:
    """A source as one Markdown line: linked title, publisher, year, primary or secondary (all text escaped).

    Titles and publishers are data and stay in their original language."""
    year = "" if pd.isna(source["year"]) else f", {int(source['year'])}"
    kind = md(label(SOURCE_KIND_LABELS, source["kind"]))
    return f"{md_link(source['title'], source['url'])}, {md(source['publisher'])}{year} ({kind})"


def evidence_counts(catalogue: pd.DataFrame) -> pd.DataFrame:
    """How many instruments have each attribute as a sourced fact or as a judgment."""
    rows = []
    for attribute in EVIDENCE_ATTRIBUTES:
        counts = catalogue[f"{attribute}_evidence"].astype(str).value_counts()
        rows.append(
            {
                _("attribute"): attribute_title(attribute),
                _("sourced facts"): int(counts.get("fact", 0)),
                _("editorial judgments"): int(counts.get("judgment", 0)),
            }
        )
    return pd.DataFrame(rows)


def typology_table(catalogue: pd.DataFrame) -> pd.DataFrame:
    """The data behind the typology chart: each instrument's id, name, origin, family and type, in words."""
    return pd.DataFrame(
        {
            "id": catalogue["instrument_id"].to_numpy(),
            _("instrument"): catalogue["name"].to_numpy(),
            _("origin"): [label(ORIGIN_LABELS, v) for v in catalogue["origin"]],
            _("family"): [label(FAMILY_LABELS, str(v)) for v in catalogue["family"]],
            _("type"): [label(INSTRUMENT_TYPE_LABELS, v) for v in catalogue["instrument_type"]],
        }
    )
