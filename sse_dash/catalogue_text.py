"""The instrument catalogue as people read it: attribute words, judgment marks, comparison matrix, details."""

from __future__ import annotations

import pandas as pd

from sse_dash.codes import country_name
from sse_dash.schema import (
    COLLATERAL_LABELS,
    CONTROL_IMPACT_LABELS,
    COST_LEVELS,
    EVIDENCE_ATTRIBUTES,
    FAMILY_SHORT,
    LIFE_STAGE_LABELS,
    MATURITY_LABELS,
    MULTI_SEPARATOR,
    SSE_TYPE_LABELS,
)
from sse_dash.text import md, md_link

JUDGMENT_MARK = " †"
JUDGMENT_LEGEND = "† editorial judgment (not a sourced fact); see About › What is fact and what is judgment."
ATTRIBUTE_TITLES = {
    "cost_level": "Cost",
    "maturity_class": "Maturity",
    "collateral": "Collateral",
    "control_impact": "Control impact",
    "life_stages": "Life stages",
    "sse_types": "SSE types",
}


def attribute_words(row: pd.Series, attribute: str) -> str:
    """One attribute of one instrument in words, without the judgment mark."""
    value = row[attribute]
    if attribute == "cost_level":
        return f"{int(value)} · {COST_LEVELS[int(value)]}"
    if attribute == "maturity_class":
        return MATURITY_LABELS.get(str(value), str(value))
    if attribute == "collateral":
        return COLLATERAL_LABELS.get(str(value), str(value))
    if attribute == "control_impact":
        return CONTROL_IMPACT_LABELS.get(str(value), str(value))
    labels = LIFE_STAGE_LABELS if attribute == "life_stages" else SSE_TYPE_LABELS
    return ", ".join(labels.get(v, v) for v in str(value).split(MULTI_SEPARATOR))


def is_judgment(row: pd.Series, attribute: str) -> bool:
    """True when the attribute value is an editorial judgment."""
    return str(row[f"{attribute}_evidence"]) == "judgment"


def marked(row: pd.Series, attribute: str) -> str:
    """An attribute in words, with † when it is a judgment."""
    return attribute_words(row, attribute) + (JUDGMENT_MARK if is_judgment(row, attribute) else "")


def table(catalogue: pd.DataFrame) -> pd.DataFrame:
    """The catalogue as a readable table: one row per instrument, judgments marked with †."""
    rows = []
    for _, row in catalogue.iterrows():
        rows.append(
            {
                "instrument": row["name"],
                "id": row["instrument_id"],
                "origin": row["origin"],
                "family": FAMILY_SHORT.get(str(row["family"]), row["family"]),
                "type": str(row["instrument_type"]).replace("_", " "),
                **{ATTRIBUTE_TITLES[a]: marked(row, a) for a in EVIDENCE_ATTRIBUTES},
                "where": countries_words(row),
            }
        )
    return pd.DataFrame(rows)


def countries_words(row: pd.Series) -> str:
    """Where an instrument exists, in words ('generic' when not tied to countries)."""
    codes = row.get("countries")
    if not isinstance(codes, str) or not codes:
        return "generic"
    return ", ".join(country_name(code) for code in codes.split(MULTI_SEPARATOR))


def comparison(catalogue: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Attribute matrix: one row per attribute, one column per instrument; judgments say so."""
    chosen = catalogue.set_index("instrument_id").loc[ids].reset_index()
    matrix: dict[str, list[str]] = {
        "attribute": [
            "Family",
            "Type",
            "Provider",
            *ATTRIBUTE_TITLES.values(),
            "Membership needed",
            "Repayable",
            "Where",
        ]
    }
    for _, row in chosen.iterrows():
        matrix[row["name"]] = [
            FAMILY_SHORT.get(str(row["family"]), row["family"]),
            str(row["instrument_type"]).replace("_", " "),
            str(row["provider_type"]).replace("_", " "),
            *(
                attribute_words(row, a) + (" (judgment)" if is_judgment(row, a) else " (sourced)")
                for a in EVIDENCE_ATTRIBUTES
            ),
            "yes" if row["requires_membership"] else "no",
            "yes" if row["repayable"] else "no",
            countries_words(row),
        ]
    return pd.DataFrame(matrix)


def sources_of(row: pd.Series, sources: pd.DataFrame) -> pd.DataFrame:
    """The sources cited by one instrument, in the order given."""
    ids = [i for i in str(row["source_ids"]).split(MULTI_SEPARATOR) if i]
    found = sources.set_index("source_id").reindex(ids).dropna(subset=["url"]).reset_index()
    return found[["source_id", "title", "publisher", "year", "url", "kind"]]


def source_markdown(source: pd.Series) -> str:
    """A source as one Markdown line: linked title, publisher, year, primary or secondary (all text escaped)."""
    year = "" if pd.isna(source["year"]) else f", {int(source['year'])}"
    return f"{md_link(source['title'], source['url'])}, {md(source['publisher'])}{year} ({md(source['kind'])})"


def evidence_counts(catalogue: pd.DataFrame) -> pd.DataFrame:
    """How many instruments have each attribute as a sourced fact or as a judgment."""
    rows = []
    for attribute in EVIDENCE_ATTRIBUTES:
        counts = catalogue[f"{attribute}_evidence"].astype(str).value_counts()
        rows.append(
            {
                "attribute": ATTRIBUTE_TITLES[attribute],
                "sourced facts": int(counts.get("fact", 0)),
                "editorial judgments": int(counts.get("judgment", 0)),
            }
        )
    return pd.DataFrame(rows)
