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


def figures_summary(figures: pd.DataFrame) -> dict[str, int]:
    """Rows, indicators, sources and years of the published figures."""
    return {
        "rows": len(figures),
        "indicators": figures["indicator"].nunique(),
        "sources": figures["source_id"].nunique(),
        "first_year": int(figures["year"].min()),
        "last_year": int(figures["year"].max()),
    }


def usage_coverage(usage: pd.DataFrame) -> dict[str, object]:
    """Rows, organisations, countries, years and currencies of a usage frame."""
    if usage.empty:
        return {
            "rows": 0,
            "organisations": 0,
            "countries": 0,
            "first_year": None,
            "last_year": None,
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


# --- headline series for the overview ----------------------------------------------------------------------

# (indicator, geography): the published series the overview shows as cards.
HEADLINES = (
    ("credit_union_members", "World"),
    ("credit_union_assets", "World"),
    ("ftq_net_assets", "Quebec"),
    ("solidarity_savings_outstanding", "France"),
    ("crowdfunding_collected", "France"),
    ("wcm_top300_turnover", "World"),
)


def format_value(value: float, unit: str) -> str:
    """A published value with its unit, readable: 411008249 persons -> '411.0 million persons'."""
    if unit in ("persons", "institutions", "organisations", "firms", "groups", "members", "count", "projects"):
        return f"{short_number(value)} {unit}" if abs(value) >= 1e6 else f"{value:,.0f} {unit}"
    return f"{value:,.4g}{unit}" if unit == "%" else f"{value:,.4g} {unit}"


def short_number(value: float) -> str:
    """411008249 -> '411.0 million'; 3.7 -> '3.7'."""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value / size:,.1f} {word}"
    return f"{value:,.4g}"


def source_line(source: pd.Series) -> str:
    """'Publisher, title (year)' for one row of sources.csv."""
    year = "" if pd.isna(source.get("year")) else f" ({int(source['year'])})"
    return f"{source['publisher']}, {source['title']}{year}"


def headline(figures: pd.DataFrame, sources: pd.DataFrame, indicator: str, geography: str) -> dict | None:
    """The latest value of one published series with its history, notes and sources, or None if absent."""
    rows = figures[(figures["indicator"] == indicator) & (figures["geography"] == geography)]
    if "breakdown" in rows:
        rows = rows[rows["breakdown"].isna()]
    rows = rows.sort_values("year")
    if rows.empty:
        return None
    last, first = rows.iloc[-1], rows.iloc[0]
    used = sources[sources["source_id"].isin(rows["source_id"])]
    return {
        "indicator": indicator,
        "label": f"{last['indicator_name']} ({geography})",
        "name": str(last["indicator_name"]),
        "geography": geography,
        "value": format_value(float(last["value"]), str(last["unit"])),
        "short_value": ("more than " if last.get("qualifier") == "more_than" else "")
        + short_number(float(last["value"])),
        "unit_words": f"Unit: {last['unit']}"
        + (" · the source says 'more than'" if last.get("qualifier") == "more_than" else ""),
        "year": int(last["year"]),
        "qualifier": last.get("qualifier"),
        "history": rows["value"].astype(float).tolist(),
        "years": rows["year"].astype(int).tolist(),
        "since": f"{int(first['year'])}: {format_value(float(first['value']), str(first['unit']))}",
        "notes": [n for n in dict.fromkeys(rows["note"].dropna()) if n],
        "sources": [{"text": source_line(s), "url": s["url"]} for _, s in used.iterrows()],
    }


GROUP_DESCRIPTIONS = {
    "Internal": "Members' shares, fees and loans; income from sales; retained reserves.",
    "External": "Financial cooperatives, community savings schemes, social and ethical banks.",
    "New forms": "Labour solidarity funds, social finance intermediaries, quasi-equity.",
    "Public & philanthropic": "Grants, subsidies, guarantees and soft loans.",
    "Market innovations": "Community shares, crowdfunding, impact investing, outcome contracts, "
    "complementary currencies.",
}


def family_groups(catalogue: pd.DataFrame) -> list[dict]:
    """The five groups of sources (ILO internal / external / new forms, plus two), with counts and examples."""
    from sse_dash.schema import FAMILY_GROUPS

    groups = []
    for group, description in GROUP_DESCRIPTIONS.items():
        families = [f for f, g in FAMILY_GROUPS.items() if g == group]
        members = catalogue[catalogue["family"].isin(families)]
        groups.append(
            {
                "group": group,
                "description": description,
                "families": families,
                "count": len(members),
                "examples": members["name"].head(3).tolist(),
            }
        )
    return groups


def headline_table(figures: pd.DataFrame, series: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """Every published value behind the headline cards."""
    keys = pd.MultiIndex.from_tuples(series)
    rows = figures[pd.MultiIndex.from_arrays([figures["indicator"], figures["geography"]]).isin(keys)]
    if "breakdown" in rows:
        rows = rows[rows["breakdown"].isna()]
    columns = ["indicator", "indicator_name", "geography", "year", "value", "qualifier", "unit", "source_id", "note"]
    return rows.sort_values(["indicator", "year"])[columns].reset_index(drop=True)
