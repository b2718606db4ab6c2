"""Small summaries of the loaded data for the overview and the sidebar."""

from __future__ import annotations

import pandas as pd

from sse_dash.codes import country_name
from sse_dash.schema import EVIDENCE_ATTRIBUTES


def catalogue_summary(catalogue: pd.DataFrame) -> dict[str, int]:
    """Counts of instruments by origin and of attribute values marked as judgments."""
    evidence = catalogue[[f"{a}_evidence" for a in EVIDENCE_ATTRIBUTES]]
    return {
        "instruments": len(catalogue),
        "internal": int((catalogue["origin"] == "internal").sum()),
        "external": int((catalogue["origin"] == "external").sum()),
        "judgments": int((evidence == "judgment").to_numpy().sum()),
        "facts": int((evidence == "fact").to_numpy().sum()),
    }


def figures_summary(figures: pd.DataFrame, sources: pd.DataFrame) -> dict[str, int]:
    """Rows, indicators, geographies and sources of the published figures."""
    return {
        "rows": len(figures),
        "indicators": figures["indicator"].nunique(),
        "geographies": figures["geography"].nunique(),
        "sources": figures["source_id"].nunique(),
        "first_year": int(figures["year"].min()),
        "last_year": int(figures["year"].max()),
        "all_sources": len(sources),
    }


def usage_coverage(usage: pd.DataFrame) -> dict[str, object]:
    """Rows, organisations, countries, years, SSE types and currencies of a usage frame."""
    if usage.empty:
        return {
            "rows": 0,
            "organisations": 0,
            "countries": 0,
            "first_year": None,
            "last_year": None,
            "sse_types": 0,
            "currencies": [],
            "country_codes": [],
        }
    countries = sorted(usage["country"].dropna().unique().astype(str))
    return {
        "rows": len(usage),
        "organisations": int(usage["org_id"].nunique()),
        "countries": len(countries),
        "country_codes": countries,
        "first_year": int(usage["year"].min()),
        "last_year": int(usage["year"].max()),
        "sse_types": int(usage["sse_type"].nunique()),
        "currencies": sorted(usage["currency"].dropna().unique().astype(str)),
    }


def describe_coverage(coverage: dict[str, object]) -> str:
    """Coverage of a usage frame in one sentence."""
    if not coverage["rows"]:
        return "No usage records are loaded."
    names = ", ".join(country_name(code) for code in coverage["country_codes"][:6])
    more = f" and {coverage['countries'] - 6} more" if coverage["countries"] > 6 else ""
    return (
        f"{coverage['rows']:,} records of {coverage['organisations']:,} organisations, "
        f"{coverage['first_year']}–{coverage['last_year']}, in {names}{more}; "
        f"{len(coverage['currencies'])} currencies."
    )
