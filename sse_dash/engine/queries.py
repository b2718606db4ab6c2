"""The usage views as queries: an Ibis table in, the same small pandas table as `transform`'s out.

Each view is one query (filter, group, count or sum) run by the engine the table lives on; only the aggregate
crosses into pandas, where `transform`'s own pure code finishes it (shares, amount bands, ranking), so both paths
mean the same. `tests/test_engine_parity.py` holds every view to `transform` on the demo data and on random frames.

Keys come back typed as ingest types them: closed vocabularies (SSE type, life stage, family) as categoricals in
the schema's order, other codes (country, instrument) as categoricals of the values present, sorted; rows are in
the order of their keys, as `transform.totals` gives them. Money follows `transform.money_basis`: the publisher's
US-dollar column or the rows of one currency, never amounts added across currencies.
"""

from __future__ import annotations

from dataclasses import replace

import ibis
import numpy as np
import pandas as pd
from ibis.expr.types import Table

from sse_dash import country, summary, transform
from sse_dash.codes import country_name
from sse_dash.schema import FAMILIES, LIFE_STAGES, SSE_TYPES
from sse_dash.transform import USD, MoneyBasis, UsageFilter

VOCABULARIES = {"family": list(FAMILIES), "sse_type": list(SSE_TYPES), "life_stage": list(LIFE_STAGES)}


# --- filter and money: expressions ----------------------------------------------------------------------------


def filter_usage(table: Table, chosen: UsageFilter) -> Table:
    """The usage rows that match every restriction of `chosen` (an expression: nothing runs yet)."""
    for attribute, column in transform.FILTER_COLUMNS.items():
        values = getattr(chosen, attribute)
        if values and column in table.columns:
            table = table.filter(table[column].isin(list(values)))
    if chosen.years is not None:
        table = table.filter(table["year"].between(*chosen.years))
    return table


def money_basis(table: Table, money: str) -> tuple[Table, MoneyBasis]:
    """The rows whose amounts can be added in `money` ('usd' or a currency code), and which amounts those are.

    Counting the rows left out is one small query; the rows themselves stay an expression.
    """
    if money == USD:
        kept, basis = table["amount_usd"].notnull(), MoneyBasis("amount_usd", "USD")  # converted by the publisher
    else:
        kept, basis = table["currency"] == money, MoneyBasis("amount", money)  # only the rows in that currency
    counted = table.aggregate(records=table.count(), kept=table.count(where=kept)).execute()
    records, rows_kept = whole(counted["records"].iloc[0]), whole(counted["kept"].iloc[0])
    return table.filter(kept), replace(basis, rows_left_out=records - rows_kept, rows_kept=rows_kept)


# --- aggregates: one query each, a small frame out ------------------------------------------------------------


def totals(table: Table, keys: list[str], value: str | None) -> pd.DataFrame:
    """Sum of `value` (or number of rows when None) for each combination of `keys` present, as `transform.totals`."""
    rows = complete(table, keys)
    measured = rows.count() if value is None else summed(rows, value)
    return keyed(rows.group_by(keys).aggregate(value=measured).execute(), keys)


def distinct_counts(table: Table, keys: list[str], counted: str) -> pd.DataFrame:
    """Number of distinct `counted` values for each combination of `keys` present, as `transform.distinct_counts`."""
    rows = complete(table, keys)
    return keyed(rows.group_by(keys).aggregate(value=rows[counted].nunique()).execute(), keys)


def financing_mix(table: Table, by: str, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """Value by `by` (sse_type, country or life_stage) and instrument family, with shares within each group."""
    totalled = totals(table, [by, "family"], transform.aggregated_column(measure, basis))
    return transform.with_shares(totalled, [by])


def organisations_using(table: Table) -> pd.DataFrame:
    """For each instrument: organisations that used it at least once, and their share of all organisations."""
    keys = ["instrument_id", "family"]
    rows = complete(table, [*keys, "org_id"])
    # Distinct (instrument, organisation) pairs, then counted: two hash aggregates, where PostgreSQL sorts for a
    # COUNT(DISTINCT) per group (11 s at 2,000,000 rows, against about 2 s).
    pairs = rows.select(*keys, "org_id").distinct()
    used = pairs.group_by(keys).aggregate(value=pairs.count())
    everyone = table.aggregate(organisations=table["org_id"].nunique())  # in the same query, not a second one
    result = used.cross_join(everyone).execute()
    organisations = int(result["organisations"].iloc[0]) if len(result) else 0
    return transform.ranked_by_organisations(keyed(result.drop(columns="organisations"), keys), organisations)


def trend(table: Table, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """Value by year and family, with each family's share of the year."""
    totalled = totals(table, ["year", "family"], transform.aggregated_column(measure, basis))
    return transform.with_shares(totalled, ["year"])


def instrument_by_country(table: Table, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """Value by instrument and country, with each instrument's share of the country's total."""
    keys = ["instrument_id", "family", "country"]
    return transform.with_shares(totals(table, keys, transform.aggregated_column(measure, basis)), ["country"])


def by_country(table: Table, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """Value and organisations by country, with each country's share of the total."""
    rows = complete(table, ["country"])
    value = transform.aggregated_column(measure, basis)
    measured = rows.count() if value is None else summed(rows, value)
    grouped = rows.group_by("country").aggregate(value=measured, organisations=rows["org_id"].nunique())
    result = keyed(grouped.execute(), ["country"])
    shown = transform.with_shares(result[["country", "value"]])
    shown["organisations"] = result["organisations"].astype("int64")
    return shown


def amount_histogram(table: Table, basis: MoneyBasis) -> pd.DataFrame:
    """Records by amount band (powers of ten in `basis.currency`), with each band's share of all records."""
    amount = table[basis.column]
    finite = table.filter(amount.notnull(), ~amount.isnan(), ~amount.isinf())
    band = exponent(ibis.greatest(finite[basis.column], 1))
    return histogram_of(finite.group_by(exponent=band).aggregate(value=finite.count()).execute())


def histogram_of(result: pd.DataFrame) -> pd.DataFrame:
    """The amount bands of an engine's records counted by `exponent` (`value`), with the empty bands between."""
    if result.empty:
        return pd.DataFrame(columns=transform.BAND_COLUMNS)
    exponents = result["exponent"].to_numpy(dtype=np.int64)
    low = int(exponents.min())
    counts = np.zeros(int(exponents.max()) - low + 1, dtype=np.int64)
    counts[exponents - low] = result["value"].to_numpy(dtype=np.int64)
    return transform.amount_bands(low, counts)


EXACT_POWERS = 22  # 10.0**k is an exact double up to k = 22


def exponent(amount: ibis.Value) -> ibis.Value:
    """floor(log10(amount)) for amount ≥ 1, exact at powers of ten on every engine.

    Spark computes log10 as ln(x) / ln(10) (1000 would give 2.9999999999999996 and fall a band too low) and its
    powers are not exact either; the amount is compared with exact powers of ten written as numbers instead, by
    halving the range (five comparisons a row, not twenty-two). Beyond 10**22 (no currency's amounts) the logarithm
    decides.
    """
    beyond = amount.log10().floor().cast("int64")
    return ibis.ifelse(amount >= 10.0 ** (EXACT_POWERS + 1), beyond, _between(amount, 0, EXACT_POWERS))


def _between(amount: ibis.Value, low: int, high: int) -> ibis.Value:
    """The exponent of an amount known to lie in [10**low, 10**(high + 1)): a binary search over exact powers."""
    if low == high:
        return ibis.literal(low, "int64")
    middle = (low + high + 1) // 2
    return ibis.ifelse(amount >= 10.0**middle, _between(amount, middle, high), _between(amount, low, middle - 1))


# --- counts and options ---------------------------------------------------------------------------------------


def counts(table: Table) -> tuple[int, int]:
    """Records and distinct organisations of `table` (e.g. what a filter leaves)."""
    result = table.aggregate(records=table.count(), organisations=table["org_id"].nunique()).execute()
    return int(result["records"].iloc[0]), int(result["organisations"].iloc[0])


def has_rows(table: Table) -> bool:
    """True when there is at least one row (one small query that stops at the first)."""
    return len(table.limit(1).execute()) > 0


def money_options(table: Table) -> list[str]:
    """'usd' when US-dollar amounts exist, then each currency present, most used first (ties in code order)."""
    has_usd = "amount_usd" in table.columns and int(table["amount_usd"].count().execute()) > 0
    rows = table.filter(table["currency"].notnull())
    used = rows.group_by("currency").aggregate(records=rows.count()).execute()
    used = used.sort_values(["records", "currency"], ascending=[False, True], kind="stable")
    return ([USD] if has_usd else []) + [str(code) for code in used["currency"]]


def usage_options(table: Table, catalogue: pd.DataFrame) -> dict[str, list]:
    """The data's part of `views.usage_options`: every value present, in the order the widgets show them.

    Measures, scales, mix groupings and views do not depend on the data; `views` adds them.
    """
    columns = [c for c in ("country", "sse_type", "sector", "family", "instrument_id") if c in table.columns]
    found = table.aggregate(
        records=table.count(), first_year=table["year"].min(), last_year=table["year"].max()
    ).execute()
    present = {column: present_values(table, column) for column in columns}
    records = int(found["records"].iloc[0])
    return {
        "country": sorted(present["country"], key=country_name),
        "years": [int(found["first_year"].iloc[0]), int(found["last_year"].iloc[0])] if records else [0, 0],
        "sse_type": [s for s in SSE_TYPES if s in present["sse_type"]],
        "sector": sorted(present["sector"]) if "sector" in present else [],
        "family": [f for f in FAMILIES if f in present["family"]],
        "instrument": [i for i in catalogue["instrument_id"] if i in present["instrument_id"]],
        "money": money_options(table),
    }


# --- what other pages aggregate: the overview's coverage, a country's usage ------------------------------------


def usage_coverage(table: Table) -> dict[str, object]:
    """Rows, organisations, countries, years and currencies of `table`, as `summary.usage_coverage` (one query)."""
    found = table.aggregate(
        rows=table.count(),
        organisations=table["org_id"].nunique(),
        first_year=table["year"].min(),
        last_year=table["year"].max(),
        country=table["country"].collect(distinct=True),
        currency=table["currency"].collect(distinct=True),
    ).execute()
    rows = whole(found["rows"].iloc[0])
    if not rows:
        return summary.usage_coverage(pd.DataFrame())
    countries = sorted({str(c) for c in _listed(found["country"].iloc[0]) if not pd.isna(c)})
    return {
        "rows": rows,
        "organisations": whole(found["organisations"].iloc[0]),
        "countries": len(countries),
        "country_codes": countries,
        "first_year": int(found["first_year"].iloc[0]),
        "last_year": int(found["last_year"].iloc[0]),
        "currencies": sorted({str(c) for c in _listed(found["currency"].iloc[0]) if not pd.isna(c)}),
    }


def money_totals(table: Table) -> pd.DataFrame:
    """The rows' total on each currency basis, with the number of amounts each adds up, as `country.money_totals`."""
    options = money_options(table)
    found: dict[str, tuple[int, float]] = {}
    if USD in options:
        usd = table.aggregate(records=table["amount_usd"].count(), total=summed(table, "amount_usd")).execute()
        found[USD] = (whole(usd["records"].iloc[0]), float(usd["total"].iloc[0]))
    rows = table.filter(table["currency"].notnull())
    by_currency = rows.group_by("currency").aggregate(records=rows["amount"].count(), total=summed(rows, "amount"))
    for record in by_currency.execute().itertuples(index=False):
        found[str(record.currency)] = (whole(record.records), float(record.total))
    return money_table(options, found)


def money_table(options: list[str], found: dict[str, tuple[int, float]]) -> pd.DataFrame:
    """`country.money_totals`' table: for each money option, the amounts it adds up and their total."""
    return pd.DataFrame(
        [
            {"basis": money, "currency": "USD" if money == USD else money, "records": records, "total": total}
            for money in options
            for records, total in [found[money]]
        ],
        columns=country.MONEY_COLUMNS,
    )


def country_usage(table: Table, code: str) -> country.UsageSummary:
    """What the usage records say about one country (alpha-3), as `country.usage_summary`."""
    rows = filter_usage(table, UsageFilter(countries=(code,)))
    found = rows.aggregate(
        records=rows.count(),
        organisations=rows["org_id"].nunique(),
        first_year=rows["year"].min(),
        last_year=rows["year"].max(),
    ).execute()
    records = whole(found["records"].iloc[0])
    if not records:
        return country.UsageSummary(0, 0, None, None, pd.DataFrame(columns=country.MONEY_COLUMNS))
    first, last = int(found["first_year"].iloc[0]), int(found["last_year"].iloc[0])
    return country.UsageSummary(records, whole(found["organisations"].iloc[0]), first, last, money_totals(rows))


# --- helpers --------------------------------------------------------------------------------------------------


def complete(table: Table, keys: list[str]) -> Table:
    """Rows with every key present: a row with a missing key is in no group, as in `transform.totals`."""
    return table.filter(*(table[key].notnull() for key in keys)) if keys else table


def summed(rows: Table, column: str) -> ibis.Value:
    """The sum of a column where missing amounts add nothing (a group of missing amounts sums to 0, not NULL)."""
    return ibis.coalesce(rows[column].sum(), 0.0)


def whole(count: object) -> int:
    """A count an engine returned: Spark gives no value (NULL) for a filtered count over no rows."""
    return 0 if pd.isna(count) else int(count)


def present_values(table: Table, column: str) -> set[str]:
    """The values of a column, as text (one DISTINCT query: a hash aggregate on every engine, where collecting them
    into an array in one query took PostgreSQL 11 s at 2,000,000 rows)."""
    values = table.select(column).distinct().execute()[column]
    return {str(value) for value in values if not pd.isna(value)}


def _listed(collected: object) -> list:
    """The values an engine collected into an array (None when there were no rows)."""
    return [] if collected is None else list(collected)


def keyed(result: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """An engine's grouped result with its keys typed as `transform` types them and its rows in their order."""
    out = result.copy()
    for key in keys:
        out[key] = _typed(out[key], key)
    return out.sort_values(keys, kind="stable").reset_index(drop=True) if keys else out


def _typed(values: pd.Series, key: str) -> pd.Series | pd.Categorical:
    if key == "year":
        return values.astype("int64")
    categories = VOCABULARIES.get(key) or sorted({str(v) for v in values.dropna()})
    return pd.Categorical(values.astype("object"), categories=categories)
