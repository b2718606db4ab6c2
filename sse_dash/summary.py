"""Small summaries of the loaded data for the overview and the sidebar, in the active language.

Published figures' names, units, notes and sources are data and stay in their original language.
"""

from __future__ import annotations

import math

import pandas as pd

from sse_dash import i18n
from sse_dash.codes import country_name
from sse_dash.i18n import N_, _
from sse_dash.schema import EVIDENCE_ATTRIBUTES, FAMILY_GROUPS


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
        return _("No usage records are loaded.")
    codes = coverage["country_codes"]
    values = {
        "records": i18n.number(coverage["rows"]),
        "organisations": i18n.number(coverage["organisations"]),
        "first": coverage["first_year"],
        "last": coverage["last_year"],
        "countries": ("، " if i18n.is_rtl() else ", ").join(
            i18n.territory_name(code, country_name(code)) for code in codes[:6]
        ),
        "currencies": i18n.number(len(coverage["currencies"])),
    }
    if coverage["countries"] > 6:
        return _(
            "{records} records of {organisations} organisations, {first}–{last}, in {countries} and {more} more; "
            "{currencies} currencies."
        ).format(more=i18n.number(coverage["countries"] - 6), **values)
    return _(
        "{records} records of {organisations} organisations, {first}–{last}, in {countries}; {currencies} currencies."
    ).format(**values)


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


COUNT_UNITS = ("persons", "institutions", "organisations", "firms", "groups", "members", "count", "projects")


def _decimals(value: float, digits: int = 4) -> int:
    """How many decimals show `value` with at most `digits` significant digits, without trailing zeros."""
    if value == 0 or not math.isfinite(value):
        return 0
    most = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return next(d for d in range(most + 1) if round(value, d) == round(value, most))


def significant(value: float, digits: int = 4) -> str:
    """A number with at most `digits` significant digits, in the active language: 3.7, 1,020, 2.36."""
    return i18n.number(value, _decimals(value, digits))


def format_value(value: float, unit: str) -> str:
    """A published value with its unit, readable: 411008249 persons -> '411.0 million persons'.

    The unit is the figure's own (data, in English)."""
    if unit in COUNT_UNITS:
        shown = short_number(value) if abs(value) >= 1e6 else i18n.number(value)
        return _("{value} {unit}").format(value=shown, unit=unit)
    if unit == "%":
        return i18n.percent(value / 100, _decimals(value))
    return _("{value} {unit}").format(value=significant(value), unit=unit)


def short_number(value: float) -> str:
    """411008249 -> '411.0 million'; 3.7 -> '3.7' (in the active language)."""
    if abs(value) >= 1e9:
        return _("{number} billion").format(number=i18n.number(value / 1e9, 1))
    if abs(value) >= 1e6:
        return _("{number} million").format(number=i18n.number(value / 1e6, 1))
    return significant(value)


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
    more_than = last.get("qualifier") == "more_than"
    return {
        "indicator": indicator,
        "label": f"{last['indicator_name']} ({geography})",
        "name": str(last["indicator_name"]),
        "geography": geography,
        "value": format_value(float(last["value"]), str(last["unit"])),
        "short_value": _("more than {value}").format(value=short_number(float(last["value"])))
        if more_than
        else short_number(float(last["value"])),
        "unit_words": (_("Unit: {unit} · the source says 'more than'") if more_than else _("Unit: {unit}")).format(
            unit=last["unit"]
        ),
        "year": int(last["year"]),
        "qualifier": last.get("qualifier"),
        "history": rows["value"].astype(float).tolist(),
        "years": rows["year"].astype(int).tolist(),
        "since": _("{year}: {value}").format(
            year=int(first["year"]), value=format_value(float(first["value"]), str(first["unit"]))
        ),
        "notes": [n for n in dict.fromkeys(rows["note"].dropna()) if n],
        "sources": [{"text": source_line(s), "url": s["url"]} for _row, s in used.iterrows()],
    }


# The overview's five groups of sources: the ILO news item's internal / external / new forms, plus the ILO page's
# public and philanthropic support and market-based innovations. Keys are `schema.FAMILY_GROUPS`' values: a family
# belongs to the group its FAMILY_GROUPS entry names (crowdfunding's family MARKET_INNOV is "Market innovations").
GROUP_LABELS = {
    "Internal": N_("Internal"),
    "External": N_("External"),
    "New forms": N_("New forms"),
    "Public & philanthropic": N_("Public & philanthropic"),
    "Market innovations": N_("Market innovations"),
}
GROUP_DESCRIPTIONS = {
    "Internal": N_("Members' shares, fees and loans; income from sales; retained reserves."),
    "External": N_("Financial cooperatives, community savings schemes, social and ethical banks."),
    "New forms": N_("Labour solidarity funds, social finance intermediaries, quasi-equity."),
    "Public & philanthropic": N_("Grants, subsidies, guarantees and soft loans."),
    "Market innovations": N_(
        "Community shares, crowdfunding, impact investing, outcome contracts, complementary currencies."
    ),
}


def family_groups(catalogue: pd.DataFrame) -> list[dict]:
    """The five groups of sources (ILO internal / external / new forms, plus two), with counts and examples;
    `name` and `description` in the active language, `group` the key."""
    groups = []
    for group, description in GROUP_DESCRIPTIONS.items():
        families = [f for f, g in FAMILY_GROUPS.items() if g == group]
        members = catalogue[catalogue["family"].isin(families)]
        groups.append(
            {
                "group": group,
                "name": _(GROUP_LABELS[group]),
                "description": _(description),
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
