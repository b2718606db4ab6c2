"""Pure filters and aggregates over validated frames: the numbers behind every chart.

Inputs are never mutated. Grouping columns are categoricals, so every aggregate is computed on codes and
`observed=True`; tables stay small whatever the number of usage rows. Money is never added across currencies:
`money_basis` picks either the publisher's US-dollar column or the rows of one currency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sse_dash.codes import country_name
from sse_dash.schema import FAMILIES, FAMILY_LABELS, LIFE_STAGE_LABELS, SSE_TYPE_LABELS

USD = "usd"
UNITS = {"uses": "records", "orgs": "organisations"}


# --- usage: enrich and filter -------------------------------------------------------------------------------


def with_catalogue_columns(usage: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Usage rows with the instrument's `family` and `origin` added (categoricals, mapped once per category)."""
    lookup = catalogue.set_index("instrument_id")
    out = usage.copy(deep=False)
    ids = usage["instrument_id"].astype("category")
    for column in ("family", "origin"):
        values = ids.cat.categories.map(lambda i, c=column: lookup[c].get(i) if i in lookup.index else None)
        categories = list(FAMILIES) if column == "family" else ["internal", "external"]
        mapped = pd.Categorical(values, categories=categories)
        out[column] = pd.Categorical.from_codes(
            np.where(ids.cat.codes.to_numpy() >= 0, mapped.codes[ids.cat.codes.to_numpy()], -1), categories=categories
        )
    return out


@dataclass(frozen=True)
class UsageFilter:
    """What the usage explorer is restricted to; an empty tuple means no restriction."""

    countries: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    sse_types: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()


_FILTER_COLUMNS = {
    "countries": "country",
    "sse_types": "sse_type",
    "sectors": "sector",
    "families": "family",
    "instruments": "instrument_id",
}


def filter_usage(usage: pd.DataFrame, chosen: UsageFilter) -> pd.DataFrame:
    """The usage rows that match every restriction of `chosen`."""
    mask = np.ones(len(usage), dtype=bool)
    for attribute, column in _FILTER_COLUMNS.items():
        values = getattr(chosen, attribute)
        if values and column in usage:
            mask &= usage[column].isin(values).to_numpy()
    if chosen.years is not None:
        years = usage["year"].to_numpy()
        mask &= (years >= chosen.years[0]) & (years <= chosen.years[1])
    return usage[mask] if not mask.all() else usage


# --- money: one currency at a time --------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyBasis:
    """Which amounts are added up: a column and the currency it is in, with the rows it leaves out."""

    column: str
    currency: str
    label: str
    rows_left_out: int = 0


def money_options(usage: pd.DataFrame) -> list[str]:
    """'usd' when US-dollar amounts exist, then each currency present, most used first."""
    options = [USD] if "amount_usd" in usage and usage["amount_usd"].notna().any() else []
    counts = usage["currency"].value_counts(sort=True)
    return options + [str(code) for code, count in counts.items() if count > 0]


def money_basis(usage: pd.DataFrame, money: str) -> tuple[pd.DataFrame, MoneyBasis]:
    """The rows whose amounts can be added in `money` ('usd' or a currency code), and how they are labelled."""
    if money == USD:
        has_usd = usage["amount_usd"].notna().to_numpy()
        basis = MoneyBasis(
            "amount_usd", "USD", "USD (amount_usd, converted by the data publisher)", int((~has_usd).sum())
        )
        return (usage if has_usd.all() else usage[has_usd]), basis
    in_currency = (usage["currency"] == money).to_numpy()
    basis = MoneyBasis("amount", money, f"{money} (only rows recorded in {money})", int((~in_currency).sum()))
    return usage[in_currency], basis


def value_label(measure: str, basis: MoneyBasis | None) -> str:
    """Axis title of a measure: 'Amount (USD)', 'Records' or 'Organisations'."""
    if measure == "amount" and basis is not None:
        return f"Amount ({basis.currency})"
    return UNITS.get(measure, measure).capitalize()


# --- aggregates ---------------------------------------------------------------------------------------------


def totals(frame: pd.DataFrame, keys: list[str], value: str | None) -> pd.DataFrame:
    """Sum of `value` (or number of rows when None) for each combination of `keys` present in the data."""
    grouped = frame.groupby(keys, observed=True, sort=True)
    result = grouped.size() if value is None else grouped[value].sum()
    return result.rename("value").reset_index()


def with_shares(table: pd.DataFrame, within: list[str] | None = None) -> pd.DataFrame:
    """`table` plus `share`: each value as a percent of its group's total (of the whole table when None)."""
    out = table.copy()
    total = out.groupby(within, observed=True)["value"].transform("sum") if within else out["value"].sum()
    out["share"] = np.where(total > 0, out["value"] / total * 100, np.nan)
    return out


def _aggregate_value(measure: str, basis: MoneyBasis | None) -> str | None:
    return basis.column if measure == "amount" and basis is not None else None


def financing_mix(frame: pd.DataFrame, by: str, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """Value by `by` (sse_type, country or life_stage) and instrument family, with shares within each group."""
    table = totals(frame.dropna(subset=[by]), [by, "family"], _aggregate_value(measure, basis))
    return with_shares(table, [by])


def organisations_using(frame: pd.DataFrame) -> pd.DataFrame:
    """For each instrument: organisations that used it at least once, and their share of all organisations."""
    organisations = frame["org_id"].nunique()
    table = (
        frame.groupby(["instrument_id", "family"], observed=True)["org_id"]
        .nunique()
        .rename("value")
        .reset_index()
        .sort_values("value", ascending=False, kind="stable")
    )
    table["share"] = table["value"] / organisations * 100 if organisations else np.nan
    return table.reset_index(drop=True)


def trend(frame: pd.DataFrame, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """Value by year and family, with each family's share of the year."""
    return with_shares(totals(frame, ["year", "family"], _aggregate_value(measure, basis)), ["year"])


def instrument_by_country(frame: pd.DataFrame, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """Value by instrument and country, with each instrument's share of the country's total."""
    table = totals(frame, ["instrument_id", "family", "country"], _aggregate_value(measure, basis))
    return with_shares(table, ["country"])


def by_country(frame: pd.DataFrame, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """Value and organisations by country, with each country's share of the total."""
    table = with_shares(totals(frame, ["country"], _aggregate_value(measure, basis)))
    organisations = frame.groupby("country", observed=True)["org_id"].nunique()
    table["organisations"] = table["country"].map(organisations).astype("int64")
    return table


def amount_histogram(frame: pd.DataFrame, basis: MoneyBasis) -> pd.DataFrame:
    """Records by amount band (powers of ten in `basis.currency`), with each band's share of all records."""
    amounts = frame[basis.column].to_numpy(dtype=float)
    amounts = amounts[np.isfinite(amounts)]
    if amounts.size == 0:
        return pd.DataFrame(columns=["band", "lower", "upper", "value", "share"])
    exponents = np.floor(np.log10(np.maximum(amounts, 1))).astype(int)
    low, high = int(exponents.min()), int(exponents.max())
    counts = np.bincount(exponents - low, minlength=high - low + 1)
    lowers = [0 if e == 0 else 10**e for e in range(low, high + 1)]
    uppers = [10 ** (e + 1) for e in range(low, high + 1)]
    table = pd.DataFrame(
        {
            "band": [f"{_short(lo)}–{_short(up)}" for lo, up in zip(lowers, uppers, strict=True)],
            "lower": lowers,
            "upper": uppers,
            "value": counts,
        }
    )
    return with_shares(table)


def _short(number: float) -> str:
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if number >= size:
            return f"{number / size:g}{suffix}"
    return f"{number:g}"


# --- labels -------------------------------------------------------------------------------------------------


def labelled(table: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """`table` with readable names next to codes (country, instrument, family, SSE type, life stage)."""
    out = table.copy()
    names = dict(zip(catalogue["instrument_id"], catalogue["name"], strict=True))
    columns = {
        "country": ("country_name", country_name),
        "instrument_id": ("instrument", lambda code: names.get(code, code)),
        "family": ("family_label", lambda code: FAMILY_LABELS.get(code, code)),
        "sse_type": ("sse_type_label", lambda code: SSE_TYPE_LABELS.get(code, code)),
        "life_stage": ("life_stage_label", lambda code: LIFE_STAGE_LABELS.get(code, code)),
    }
    for column, (label, name) in columns.items():
        if column in out:
            codes = out[column].astype(str)
            out.insert(out.columns.get_loc(column) + 1, label, codes.map({c: name(c) for c in codes.unique()}))
    return out


# --- catalogue ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueFilter:
    """Restrictions on the instrument catalogue; an empty tuple means no restriction."""

    origins: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    instrument_types: tuple[str, ...] = ()
    life_stages: tuple[str, ...] = ()
    sse_types: tuple[str, ...] = ()
    collaterals: tuple[str, ...] = ()
    control_impacts: tuple[str, ...] = ()


def has_any(multi: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    """For `|`-separated cells: True where the cell lists at least one of `wanted`."""
    return multi.astype(str).str.split("|").map(lambda parts: bool(set(parts) & set(wanted)))


def filter_catalogue(catalogue: pd.DataFrame, chosen: CatalogueFilter) -> pd.DataFrame:
    """Instruments matching every restriction (multi-valued attributes match when any value is wanted)."""
    mask = pd.Series(True, index=catalogue.index)
    single = {
        "origins": "origin",
        "families": "family",
        "instrument_types": "instrument_type",
        "collaterals": "collateral",
        "control_impacts": "control_impact",
    }
    for attribute, column in single.items():
        wanted = getattr(chosen, attribute)
        if wanted:
            mask &= catalogue[column].isin(wanted)
    for attribute, column in (("life_stages", "life_stages"), ("sse_types", "sse_types")):
        wanted = getattr(chosen, attribute)
        if wanted:
            mask &= has_any(catalogue[column], wanted)
    return catalogue[mask]


# --- published figures --------------------------------------------------------------------------------------


def indicator_table(figures: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: name, unit, instrument and family, ordered by family then instrument then name."""
    first = (
        figures.sort_values("year")
        .groupby("indicator", observed=True)
        .agg(
            indicator_name=("indicator_name", "first"),
            unit=("unit", "first"),
            instrument_id=("instrument_id", "first"),
            rows=("value", "size"),
            first_year=("year", "min"),
            last_year=("year", "max"),
        )
        .reset_index()
    )
    lookup = catalogue.set_index("instrument_id")
    first["instrument_id"] = first["instrument_id"].astype("object")
    first["instrument"] = first["instrument_id"].map(lookup["name"]).fillna("Not tied to one instrument")
    first["family"] = first["instrument_id"].map(lookup["family"]).astype("object")
    first["indicator_name"] = first["indicator_name"].fillna(first["indicator"])
    order = {family: i for i, family in enumerate(FAMILIES)}
    first["_order"] = first["family"].map(order).fillna(len(order))
    return first.sort_values(["_order", "instrument", "indicator_name"]).drop(columns="_order").reset_index(drop=True)


def series_key(figures: pd.DataFrame) -> pd.Series:
    """Name of each row's series: the geography, plus the breakdown when there is one."""
    breakdown = figures["breakdown"].fillna("") if "breakdown" in figures else ""
    return figures["geography"].astype(str) + np.where(breakdown != "", " · " + breakdown, "")


def figure_series(
    figures: pd.DataFrame, indicator: str, series: tuple[str, ...] = (), relative: bool = False
) -> pd.DataFrame:
    """Rows of one indicator (optionally some series only), one row per series and year, gaps as NaN.

    Every series gets every year between the indicator's first and last year so that a line breaks where a
    value is missing instead of being drawn through it. With `relative`, values are indexed to the series'
    first available year (= 100).
    """
    rows = figures[figures["indicator"] == indicator].copy()
    rows["series"] = series_key(rows)
    if series:
        rows = rows[rows["series"].isin(series)]
    if rows.empty:
        return rows.assign(plotted=pd.Series(dtype=float))
    years = range(int(rows["year"].min()), int(rows["year"].max()) + 1)
    grid = pd.MultiIndex.from_product([sorted(rows["series"].unique()), years], names=["series", "year"])
    full = rows.set_index(["series", "year"]).reindex(grid).reset_index()
    full["plotted"] = full["value"]
    if relative:
        first = full.dropna(subset=["value"]).groupby("series")["value"].first()
        full["plotted"] = full["value"] / full["series"].map(first) * 100
    return full


def default_series(figures: pd.DataFrame, indicator: str) -> list[str]:
    """The series shown before anyone chooses: 'World' when the indicator has it, else every series."""
    rows = figures[figures["indicator"] == indicator]
    keys = sorted(series_key(rows).unique())
    return ["World"] if "World" in keys else keys


def _sentences(note: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9(])", note) if part.strip()]


def series_notes(figures: pd.DataFrame, indicator: str, series: tuple[str, ...]) -> tuple[list[str], pd.DataFrame]:
    """Notes of the rows shown: sentences every row shares (said once), then what is specific to each row."""
    rows = figures[figures["indicator"] == indicator]
    rows = rows[series_key(rows).isin(series)] if series else rows
    rows = rows.assign(series=series_key(rows)).sort_values(["series", "year"])
    split = [_sentences(n) if isinstance(n, str) else [] for n in rows["note"]]
    common = [s for s in (split[0] if split else []) if len(split) > 1 and all(s in other for other in split)]
    specific = [" ".join(s for s in sentences if s not in common) for sentences in split]
    table = pd.DataFrame({"series": rows["series"].to_numpy(), "year": rows["year"].to_numpy(), "note": specific})
    return common, table[table["note"] != ""].reset_index(drop=True)


def series_sources(
    figures: pd.DataFrame, sources: pd.DataFrame, indicator: str, series: tuple[str, ...]
) -> pd.DataFrame:
    """The sources of the rows shown."""
    rows = figures[figures["indicator"] == indicator]
    rows = rows[series_key(rows).isin(series)] if series else rows
    return sources[sources["source_id"].isin(rows["source_id"])]


def unlisted_sources(
    figures: pd.DataFrame, sources: pd.DataFrame, indicator: str, series: tuple[str, ...]
) -> list[str]:
    """Source ids of the rows shown that sources.csv does not list (an uploaded file's own sources)."""
    rows = figures[figures["indicator"] == indicator]
    rows = rows[series_key(rows).isin(series)] if series else rows
    known = set(sources["source_id"])
    return [s for s in dict.fromkeys(rows["source_id"].dropna().astype(str)) if s not in known]
