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
from sse_dash.i18n import N_, _, territory_name
from sse_dash.schema import FAMILIES, FAMILY_LABELS, LIFE_STAGE_LABELS, MULTI_SEPARATOR, SSE_TYPE_LABELS

USD = "usd"
UNITS = {"uses": N_("Records"), "orgs": N_("Organisations")}


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


FILTER_COLUMNS = {
    "countries": "country",
    "sse_types": "sse_type",
    "sectors": "sector",
    "families": "family",
    "instruments": "instrument_id",
}


def is_in(column: pd.Series, values: tuple[str, ...]) -> np.ndarray:
    """Where `column` holds one of `values`; on a categorical, one lookup per row in a table of its categories."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column.isin(values).to_numpy()
    wanted = np.zeros(len(column.cat.categories) + 1, dtype=bool)  # the last slot answers code -1 (missing)
    positions = column.cat.categories.get_indexer(list(values))
    wanted[positions[positions >= 0]] = True
    return wanted[column.cat.codes.to_numpy()]


def filter_usage(usage: pd.DataFrame, chosen: UsageFilter) -> pd.DataFrame:
    """The usage rows that match every restriction of `chosen`."""
    mask = np.ones(len(usage), dtype=bool)
    for attribute, column in FILTER_COLUMNS.items():
        values = getattr(chosen, attribute)
        if values and column in usage:
            mask &= is_in(usage[column], values)
    if chosen.years is not None:
        years = usage["year"].to_numpy()
        mask &= (years >= chosen.years[0]) & (years <= chosen.years[1])
    return usage[mask] if not mask.all() else usage


# --- money: one currency at a time --------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyBasis:
    """Which amounts are added up: a column and the currency it is in, with the rows it leaves out and keeps."""

    column: str
    currency: str
    rows_left_out: int = 0
    rows_kept: int = 0


def has_rows(usage: pd.DataFrame) -> bool:
    """True when there is at least one row (`engine.queries.has_rows` asks the engine the same)."""
    return not usage.empty


def money_options(usage: pd.DataFrame) -> list[str]:
    """'usd' when US-dollar amounts exist, then each currency present, most used first."""
    options = [USD] if "amount_usd" in usage and usage["amount_usd"].notna().any() else []
    counts = usage["currency"].value_counts(sort=True)
    return options + [str(code) for code, count in counts.items() if count > 0]


def money_basis(usage: pd.DataFrame, money: str) -> tuple[pd.DataFrame, MoneyBasis]:
    """The rows whose amounts can be added in `money` ('usd' or a currency code), and which amounts those are."""
    if money == USD:
        has_usd = usage["amount_usd"].notna().to_numpy()
        kept = int(has_usd.sum())
        basis = MoneyBasis("amount_usd", "USD", len(usage) - kept, kept)  # converted by the data publisher
        return (usage if kept == len(usage) else usage[has_usd]), basis
    in_currency = (usage["currency"] == money).to_numpy()
    kept = int(in_currency.sum())
    basis = MoneyBasis("amount", money, len(usage) - kept, kept)  # only the rows recorded in that currency
    return usage[in_currency], basis


def value_label(measure: str, basis: MoneyBasis | None) -> str:
    """Axis title of a measure: 'Amount (USD)', 'Records' or 'Organisations'."""
    if measure == "amount" and basis is not None:
        return _("Amount ({currency})").format(currency=basis.currency)
    return _(UNITS[measure]) if measure in UNITS else measure.capitalize()


# --- aggregates ---------------------------------------------------------------------------------------------


MAX_CELLS = 1 << 24  # largest key space counted with arrays; beyond it, pandas groups by hashing


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1: missing) and the values they stand for, in sorted (or category) order."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), column.cat.categories
    if pd.api.types.is_integer_dtype(column.dtype) and isinstance(column.dtype, np.dtype) and len(column):
        numbers = column.to_numpy()
        low, high = int(numbers.min()), int(numbers.max())
        if high - low < MAX_CELLS:  # small whole numbers such as years: the offset is the code
            return numbers - low, pd.Index(np.arange(low, high + 1, dtype=numbers.dtype))
    codes, uniques = pd.factorize(column, sort=True)
    return codes, pd.Index(uniques)


def _decoded(column: pd.Series, codes: np.ndarray, values: pd.Index) -> pd.Series | pd.Categorical:
    """The values of `codes` with `column`'s dtype (categoricals keep their categories)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(codes, dtype=column.dtype)
    return values.take(codes)


@dataclass(frozen=True)
class _Cells:
    """Each row's combination of keys as one integer (-1 when a key is missing), and how to decode it."""

    flat: np.ndarray
    shape: tuple[int, ...]
    values: list[pd.Index]
    complete: bool  # no row has a missing key

    def table(self, frame: pd.DataFrame, keys: list[str], used: np.ndarray) -> dict[str, object]:
        positions = np.unravel_index(used, self.shape)
        return {key: _decoded(frame[key], p, v) for key, p, v in zip(keys, positions, self.values, strict=True)}


def _cells(frame: pd.DataFrame, keys: list[str]) -> _Cells | None:
    """The key combination of every row, or None when the key space is too large to count with arrays."""
    codes, values = zip(*(_codes(frame[key]) for key in keys), strict=True)
    shape = tuple(max(len(v), 1) for v in values)
    if np.prod(shape, dtype=float) > MAX_CELLS:
        return None
    flat = np.zeros(len(frame), dtype=np.int64)
    missing = None
    for code, width in zip(codes, shape, strict=True):
        flat *= width
        flat += code
        if len(code) and code.min() < 0:
            missing = (code < 0) if missing is None else (missing | (code < 0))
    if missing is not None:
        flat[missing] = -1
    return _Cells(flat, shape, list(values), missing is None)


def totals(frame: pd.DataFrame, keys: list[str], value: str | None) -> pd.DataFrame:
    """Sum of `value` (or number of rows when None) for each combination of `keys` present in the data.

    Rows with a missing key are left out and missing values add nothing, as in a pandas group-by. The
    combinations are counted with `np.bincount` over integer codes, sorted like the categories (years
    ascending); only very large key spaces fall back to hashing.
    """
    cells = _cells(frame, keys)
    if cells is None:
        grouped = frame.groupby(keys, observed=True, sort=True)
        result = grouped.size() if value is None else grouped[value].sum()
        return result.rename("value").reset_index()
    size = int(np.prod(cells.shape))
    present = None if cells.complete else cells.flat >= 0
    flat = cells.flat if present is None else cells.flat[present]
    counts = np.bincount(flat, minlength=size)
    used = np.flatnonzero(counts)
    if value is None:
        result = counts[used]
    else:
        amounts = frame[value].to_numpy(dtype=float)
        amounts = amounts if present is None else amounts[present]
        if np.isnan(amounts).any():
            amounts = np.where(np.isnan(amounts), 0.0, amounts)
        result = np.bincount(flat, weights=amounts, minlength=size)[used].astype(float)
    return pd.DataFrame({**cells.table(frame, keys, used), "value": result})


MAX_SEEN = 1 << 25  # largest (combination × item) table of flags; beyond it, pairs are de-duplicated by hashing


def present_values(column: pd.Series) -> set[str]:
    """The distinct non-missing values of a column as text (read off the codes for categoricals)."""
    codes, values = _codes(column)
    if not len(codes):
        return set()
    used = np.bincount(codes[codes >= 0] if codes.min() < 0 else codes, minlength=len(values)) > 0
    return {str(value) for value in values[used[: len(values)]]}


def distinct(column: pd.Series) -> int:
    """Number of distinct non-missing values of a column (counted on codes for categoricals)."""
    codes, values = _codes(column)
    codes = codes[codes >= 0] if len(codes) and codes.min() < 0 else codes
    return int(np.count_nonzero(np.bincount(codes, minlength=len(values)))) if len(codes) else 0


def distinct_counts(frame: pd.DataFrame, keys: list[str], counted: str) -> pd.DataFrame:
    """Number of distinct `counted` values (e.g. organisations) for each combination of `keys` present.

    Each (combination, item) pair is flagged in a table of booleans, one row per combination present, so the
    count is a sum per row; only when that table would be very large are pairs de-duplicated by hashing.
    """
    cells = _cells(frame, keys)
    if cells is None:
        result = frame.groupby(keys, observed=True, sort=True)[counted].nunique()
        return result.rename("value").reset_index()
    items, _ = _codes(frame[counted])
    flat = cells.flat if cells.complete else cells.flat[cells.flat >= 0]
    used = np.flatnonzero(np.bincount(flat, minlength=int(np.prod(cells.shape))))  # combinations present
    if not cells.complete or (len(items) and items.min() < 0):
        present = (cells.flat >= 0) & (items >= 0)
        flat, items = cells.flat[present], items[present]
    width = int(items.max()) + 1 if len(items) else 1
    if len(used) * width <= MAX_SEEN:
        dense = np.zeros(int(np.prod(cells.shape)), dtype=np.int64)
        dense[used] = np.arange(len(used))
        seen = np.zeros((len(used), width), dtype=bool)
        seen[dense[flat], items] = True
        counts = seen.sum(axis=1)
    else:
        pairs = pd.unique(flat * width + items)
        counts = np.bincount(pairs // width, minlength=int(np.prod(cells.shape)))[used]
    return pd.DataFrame({**cells.table(frame, keys, used), "value": counts})


def with_shares(table: pd.DataFrame, within: list[str] | None = None) -> pd.DataFrame:
    """`table` plus `share`: each value as a percent of its group's total (of the whole table when None)."""
    out = table.copy()
    total = out.groupby(within, observed=True)["value"].transform("sum") if within else out["value"].sum()
    out["share"] = np.where(total > 0, out["value"] / total * 100, np.nan)
    return out


def aggregated_column(measure: str, basis: MoneyBasis | None) -> str | None:
    """The column a measure adds up (None: rows are counted)."""
    return basis.column if measure == "amount" and basis is not None else None


def financing_mix(frame: pd.DataFrame, by: str, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """Value by `by` (sse_type, country or life_stage) and instrument family, with shares within each group."""
    table = totals(frame, [by, "family"], aggregated_column(measure, basis))
    return with_shares(table, [by])


def organisations_using(frame: pd.DataFrame) -> pd.DataFrame:
    """For each instrument: organisations that used it at least once, and their share of all organisations."""
    return ranked_by_organisations(
        distinct_counts(frame, ["instrument_id", "family"], "org_id"), distinct(frame["org_id"])
    )


def ranked_by_organisations(table: pd.DataFrame, organisations: int) -> pd.DataFrame:
    """Organisations per instrument with their share of all `organisations`, most used first."""
    table = table.copy()
    table["share"] = table["value"] / organisations * 100 if organisations else np.nan
    return table.sort_values(["value", "instrument_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def trend(frame: pd.DataFrame, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """Value by year and family, with each family's share of the year."""
    return with_shares(totals(frame, ["year", "family"], aggregated_column(measure, basis)), ["year"])


def instrument_by_country(frame: pd.DataFrame, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """Value by instrument and country, with each instrument's share of the country's total."""
    table = totals(frame, ["instrument_id", "family", "country"], aggregated_column(measure, basis))
    return with_shares(table, ["country"])


def by_country(frame: pd.DataFrame, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """Value and organisations by country, with each country's share of the total."""
    table = with_shares(totals(frame, ["country"], aggregated_column(measure, basis)))
    organisations = distinct_counts(frame, ["country"], "org_id").set_index("country")["value"]
    table["organisations"] = table["country"].map(organisations).astype("int64")
    return table


BAND_COLUMNS = ["band", "lower", "upper", "value", "share"]


def amount_histogram(frame: pd.DataFrame, basis: MoneyBasis) -> pd.DataFrame:
    """Records by amount band (powers of ten in `basis.currency`), with each band's share of all records."""
    amounts = frame[basis.column].to_numpy(dtype=float)
    amounts = amounts[np.isfinite(amounts)]
    if amounts.size == 0:
        return pd.DataFrame(columns=BAND_COLUMNS)
    exponents = np.floor(np.log10(np.maximum(amounts, 1))).astype(int)
    low = int(exponents.min())
    return amount_bands(low, np.bincount(exponents - low))


def amount_bands(low: int, counts: np.ndarray) -> pd.DataFrame:
    """Records per amount band, `counts[i]` being those in [10**(low + i), 10**(low + i + 1)), with shares."""
    high = low + len(counts) - 1
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
        "country": ("country_name", lambda code: territory_name(code, country_name(code))),
        "instrument_id": ("instrument", lambda code: names.get(code, code)),
        "family": ("family_label", lambda code: _(FAMILY_LABELS[code]) if code in FAMILY_LABELS else code),
        "sse_type": ("sse_type_label", lambda code: _(SSE_TYPE_LABELS[code]) if code in SSE_TYPE_LABELS else code),
        "life_stage": (
            "life_stage_label",
            lambda code: _(LIFE_STAGE_LABELS[code]) if code in LIFE_STAGE_LABELS else code,
        ),
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
    return multi.astype(str).str.split(MULTI_SEPARATOR).map(lambda parts: bool(set(parts) & set(wanted)))


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


def series_by_indicator(figures: pd.DataFrame) -> dict[str, list[str]]:
    """The names of every indicator's series, sorted (one pass over the table)."""
    grouped = series_key(figures).groupby(figures["indicator"].astype(str), sort=False)
    return {indicator: sorted(set(names)) for indicator, names in grouped}


def _shown(figures: pd.DataFrame, indicator: str, series: tuple[str, ...] = ()) -> pd.DataFrame:
    """The rows of one indicator with their series name, only the chosen series when some are chosen."""
    rows = figures[figures["indicator"] == indicator].assign(series=series_key)
    return rows[rows["series"].isin(series)] if series else rows


def figure_series(
    figures: pd.DataFrame, indicator: str, series: tuple[str, ...] = (), relative: bool = False
) -> pd.DataFrame:
    """Rows of one indicator (optionally some series only), one row per series and year, gaps as NaN.

    Every series gets every year between the indicator's first and last year so that a line breaks where a
    value is missing instead of being drawn through it. With `relative`, values are indexed to the series'
    first available year (= 100).
    """
    rows = _shown(figures, indicator, series)
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
    rows = _shown(figures, indicator, series).sort_values(["series", "year"])
    split = [_sentences(n) if isinstance(n, str) else [] for n in rows["note"]]
    common = [s for s in (split[0] if split else []) if len(split) > 1 and all(s in other for other in split)]
    specific = [" ".join(s for s in sentences if s not in common) for sentences in split]
    table = pd.DataFrame({"series": rows["series"].to_numpy(), "year": rows["year"].to_numpy(), "note": specific})
    return common, table[table["note"] != ""].reset_index(drop=True)


def series_sources(
    figures: pd.DataFrame, sources: pd.DataFrame, indicator: str, series: tuple[str, ...]
) -> pd.DataFrame:
    """The sources of the rows shown."""
    rows = _shown(figures, indicator, series)
    return sources[sources["source_id"].isin(rows["source_id"])]


def unlisted_sources(
    figures: pd.DataFrame, sources: pd.DataFrame, indicator: str, series: tuple[str, ...]
) -> list[str]:
    """Source ids of the rows shown that sources.csv does not list (an uploaded file's own sources)."""
    rows = _shown(figures, indicator, series)
    known = set(sources["source_id"])
    return [s for s in dict.fromkeys(rows["source_id"].dropna().astype(str)) if s not in known]


LATEST_COLUMNS = [
    "indicator",
    "series",
    "first_year",
    "latest_year",
    "years",
    "value",
    "qualifier",
    "unit",
    "source_id",
    "title",
    "publisher",
    "source_year",
    "url",
]


def latest_points(
    figures: pd.DataFrame, sources: pd.DataFrame, indicator: str | None = None, series: tuple[str, ...] = ()
) -> pd.DataFrame:
    """How current each series is: one row per indicator and series with its latest year and value, and the
    edition it comes from (the source of that latest point: title, publisher, year, address), with its first year
    and how many years it has. Only `indicator`'s series (and only `series` when given) when an indicator is named.

    When two rows share a series' latest year (two editions giving the same year), the later listed wins; a source
    the sources table does not list keeps its id and has no title.
    """
    rows = figures if indicator is None else figures[figures["indicator"] == indicator]
    rows = rows.assign(series=series_key(rows), indicator=rows["indicator"].astype(str))
    if series:
        rows = rows[rows["series"].isin(series)]
    if rows.empty:
        return pd.DataFrame(columns=LATEST_COLUMNS)
    grouped = rows.groupby(["indicator", "series"], sort=True)
    spans = grouped["year"].agg(first_year="min", years="nunique")
    latest = rows.sort_values("year", kind="stable").groupby(["indicator", "series"], sort=True).tail(1)
    latest = latest.set_index(["indicator", "series"]).join(spans).reset_index()
    known = sources[["source_id", "title", "publisher", "year", "url"]].rename(columns={"year": "source_year"})
    table = latest.rename(columns={"year": "latest_year"}).merge(known, on="source_id", how="left")
    table["qualifier"] = table["qualifier"].astype("object") if "qualifier" in table else None
    return table[LATEST_COLUMNS].sort_values(["indicator", "series"]).reset_index(drop=True)
