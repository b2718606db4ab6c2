"""Rollups: a large usage file's records counted once, beside its Parquet file, so a view reads thousands of rows
instead of millions.

At 10,000,000 records a view that scans them all takes 0.3 to 1.7 s on two cores. The views only ever ask for
counts and sums grouped by a few columns, after a filter on a few others, so three smaller tables answer exactly
the same questions:

- `totals`: for each combination of the filter columns (country, SSE type, sector, family, instrument, year), life
  stage, currency and amount band (in the currency, and in US dollars): the records, how many have an amount and a
  US-dollar amount, and their sums (a tenth of the records at 10,000,000 generated rows);
- `uses`: organisations counted by instrument, the organisation's country, SSE type and sector, and the years it
  used the instrument, written as the bits of one integer (bit k: year `first_year + k`);
- `orgs`: organisations counted by country, SSE type, sector and the years they appear, the same way.

A year filter keeps a row of `uses` or `orgs` when its bits meet the years chosen, so organisations are counted
exactly. `uses` and `orgs` are written only when each organisation has one country, SSE type and sector (else one
organisation could be counted twice). What they cannot answer (no `uses`; organisations across a choice of
instruments; organisations among the records a money basis leaves out) is asked of the records themselves
(`Rolled.records`), as `queries` asks it. Every function here returns what its `queries` namesake returns on the
same records: `tests/test_rollups.py` holds them to it.

Rollups are written for files of `MIN_ROWS` records or more (below that a scan is already fast), for the Parquet
files this package writes; a deployment's database table is queried as it is.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import ibis
import pandas as pd
from ibis.backends import BaseBackend
from ibis.expr.types import Table

from sse_dash import country, summary, transform
from sse_dash.codes import country_name
from sse_dash.engine import queries
from sse_dash.engine.connection import usage_table
from sse_dash.schema import FAMILIES, SSE_TYPES
from sse_dash.transform import USD, MoneyBasis, UsageFilter

LOG = logging.getLogger("sse_dash")
MIN_ROWS = 250_000  # below this, a view scans the records in well under 150 ms: no rollups are written
ROLLUP_VERSION = 1  # bump when what is written changes
MEMORY_LIMIT = "512MB"  # DuckDB's working memory while writing; beyond it, it spills to a folder beside the file
YEAR_BITS = 62  # years of one dataset that fit in the bits of a signed 64-bit integer (beyond: no `uses`/`orgs`)
ATTRIBUTES = ["country", "sse_type", "sector"]  # what describes an organisation in `uses` and `orgs`
FILTERED = [*transform.FILTER_COLUMNS.values(), "year"]
TOTAL_KEYS = [*FILTERED, "life_stage", "currency"]
NEEDED = [*TOTAL_KEYS, "org_id", "amount", "amount_usd"]
KINDS = ("uses", "orgs", "totals")  # written in this order; the facts file last


@dataclass(frozen=True)
class Facts:
    """What is known of a file's rollups: written with them, read to decide which questions they can answer."""

    version: int
    made_from: str  # the Parquet file's size and modification time: rollups of another file are not used
    records: int
    first_year: int | None  # bit 0 of the years in `uses` and `orgs` (None: they were not written)


def paths(parquet: Path) -> dict[str, Path]:
    """Where the rollups of `parquet` are (and their facts): beside it, named after it."""
    stem = parquet.name.removesuffix(".parquet")
    found = {kind: parquet.with_name(f"{stem}.{kind}.parquet") for kind in KINDS}
    found["facts"] = parquet.with_name(f"{stem}.rollups.json")
    return found


def _made_from(parquet: Path) -> str:
    status = parquet.stat()
    return f"{status.st_size}:{status.st_mtime_ns}"


def facts(parquet: Path) -> Facts | None:
    """The facts of the rollups of `parquet`, or None when it has none that are whole and its own."""
    try:
        found = Facts(**json.loads(paths(parquet)["facts"].read_text()))
    except (OSError, ValueError, TypeError):
        return None
    if found.version != ROLLUP_VERSION or found.made_from != _made_from(parquet):
        return None
    return found


def remove(parquet: Path) -> None:
    """Remove the rollups of `parquet` (facts first: a reader never sees facts without their tables)."""
    found = paths(parquet)
    found["facts"].unlink(missing_ok=True)
    for kind in KINDS:
        found[kind].unlink(missing_ok=True)


# --- writing --------------------------------------------------------------------------------------------------


def write(parquet: Path, connection: BaseBackend | None = None, min_rows: int = MIN_ROWS) -> Facts | None:
    """Write the rollups of the usage file `parquet` (or remove old ones when it is too small): None when none."""
    remove(parquet)
    spill = Path(tempfile.mkdtemp(prefix=".rollups-", dir=parquet.parent))
    backend = connection or ibis.duckdb.connect(memory_limit=MEMORY_LIMIT, temp_directory=str(spill))
    try:
        table = backend.read_parquet(parquet)
        if not set(NEEDED) <= set(table.columns):
            return None
        found = table.aggregate(
            records=table.count(),
            first=table["year"].min(),
            last=table["year"].max(),
            no_year=table["year"].isnull().sum(),
        ).execute()
        records = int(found["records"].iloc[0])
        if records < min_rows:
            return None
        first, last = found["first"].iloc[0], found["last"].iloc[0]
        bits = records and not found["no_year"].iloc[0] and int(last) - int(first) < YEAR_BITS
        written = paths(parquet)
        by_organisation = bits and _write_organisations(backend, table, int(first), written)
        _write(backend, _totals(table), written["totals"])
        result = Facts(ROLLUP_VERSION, _made_from(parquet), records, int(first) if by_organisation else None)
        partial = written["facts"].with_name(f".{written['facts'].name}.partial")
        partial.write_text(json.dumps(asdict(result)))
        partial.replace(written["facts"])
        return result
    except BaseException:
        remove(parquet)
        raise
    finally:
        if connection is None:
            backend.disconnect()
        shutil.rmtree(spill, ignore_errors=True)


def write_later(parquet: Path) -> threading.Thread:
    """Write the rollups of `parquet` in a thread of their own and return it: until they are written, the views
    read the records (slower, the same numbers). A failure is logged; the views go on reading the records."""

    def run() -> None:
        try:
            write(parquet)
        except Exception:  # the file went with its session, the disk is full …: the records still answer
            LOG.warning("the rollups of %s were not written", parquet.name, exc_info=True)

    thread = threading.Thread(target=run, name=f"rollups-{parquet.name}", daemon=True)
    thread.start()
    return thread


def _totals(table: Table) -> Table:
    return table.group_by(
        [*TOTAL_KEYS, _band(table["amount"]).name("amount_band"), _band(table["amount_usd"]).name("usd_band")]
    ).aggregate(
        records=table.count(),
        amount_n=table["amount"].count(),
        amount_sum=queries.summed(table, "amount"),
        usd_n=table["amount_usd"].count(),
        usd_sum=queries.summed(table, "amount_usd"),
    )


def _band(amount: ibis.Value) -> ibis.Value:
    """The amount band of `queries.amount_histogram` (None for a missing or non-finite amount)."""
    amount = amount.cast("float64")
    finite = amount.notnull() & ~amount.isnan() & ~amount.isinf()
    return ibis.ifelse(finite, queries.exponent(ibis.greatest(amount, 1)), ibis.null("int64"))


def _write_organisations(backend: BaseBackend, table: Table, first: int, written: dict[str, Path]) -> bool:
    """Write `uses` and `orgs` when each organisation has one country, SSE type and sector (else: False).

    Each organisation's years (and, for `uses`, each organisation and instrument's) as bits, then counted by what a
    filter can ask of them: the organisation's place, the instrument and the years.
    """
    bit = ibis.literal(1, "int64") << (table["year"] - first).cast("int64")
    per_org = backend.create_table(
        f"rollup_orgs_{os.getpid()}_{id(table)}",
        table.group_by(["org_id", *ATTRIBUTES]).aggregate(years=bit.bit_or()),
        temp=True,
    )
    try:
        places = per_org.aggregate(rows=per_org.count(), organisations=per_org["org_id"].nunique()).execute()
        if int(places["rows"].iloc[0]) != int(places["organisations"].iloc[0]):
            return False  # an organisation in two places would be counted twice
        _write(
            backend, per_org.group_by([*ATTRIBUTES, "years"]).aggregate(organisations=per_org.count()), written["orgs"]
        )
    finally:
        backend.drop_table(per_org.get_name(), force=True)
    per_use = table.group_by(["org_id", "instrument_id", "family", *ATTRIBUTES]).aggregate(years=bit.bit_or())
    uses = per_use.group_by(["instrument_id", "family", *ATTRIBUTES, "years"]).aggregate(organisations=per_use.count())
    _write(backend, uses, written["uses"])
    return True


def _write(backend: BaseBackend, expression: Table, path: Path) -> None:
    partial = path.with_name(f".{path.name}.partial")
    backend.to_parquet(expression, partial)
    os.replace(partial, path)


# --- reading: the same questions as `queries`, on the rollups -------------------------------------------------


@dataclass(frozen=True)
class Rolled:
    """A usage file's rollups (and records, for what they cannot answer), filtered or not, with a money basis or not."""

    records: Table
    totals: Table
    uses: Table | None
    orgs: Table | None
    facts: Facts
    chosen: UsageFilter = UsageFilter()
    money: str | None = None  # the basis `money_basis` chose: 'usd', a currency, or None

    @property
    def by_instrument(self) -> bool:
        """Whether the filter restricts instruments (then organisations are counted in `uses`, not `orgs`)."""
        return bool(self.chosen.families or self.chosen.instruments)


def rolled(connection: BaseBackend, records: Table, parquet: Path) -> Rolled | None:
    """The rollups of `parquet` on `connection` (`records`: the file's records there), or None when it has none."""
    found = facts(parquet)
    if found is None:
        return None
    written = paths(parquet)
    kinds = KINDS if found.first_year is not None else ("totals",)
    read = {kind: usage_table(connection, written[kind]) for kind in kinds}
    return Rolled(records, read["totals"], read.get("uses"), read.get("orgs"), found)


def filter_usage(rows: Rolled, chosen: UsageFilter) -> Rolled:
    """`rows` restricted as `queries.filter_usage` restricts the records (the year filter of `uses` and `orgs` is
    applied where they are read, on their bits)."""
    return replace(
        rows,
        records=queries.filter_usage(rows.records, chosen),
        totals=queries.filter_usage(rows.totals, chosen),
        uses=_attributes_only(rows.uses, chosen),
        orgs=_attributes_only(rows.orgs, replace(chosen, families=(), instruments=())),
        chosen=chosen,
    )


def _attributes_only(table: Table | None, chosen: UsageFilter) -> Table | None:
    """`table` restricted on the columns it has; its years are read by `_in_years`, which needs the facts."""
    return None if table is None else queries.filter_usage(table, replace(chosen, years=None))


def _in_years(table: Table, rows: Rolled) -> Table:
    """The rows of `uses` or `orgs` with a use in the years chosen."""
    if rows.chosen.years is None:
        return table
    low, high = rows.chosen.years
    first = rows.facts.first_year
    low, high = max(low - first, 0), min(high - first, YEAR_BITS)
    if low > high:
        return table.filter(ibis.literal(False))
    wanted = ((1 << (high + 1)) - 1) ^ ((1 << low) - 1)
    return table.filter((table["years"] & ibis.literal(wanted, "int64")) != 0)


def money_basis(rows: Rolled, money: str) -> tuple[Rolled, MoneyBasis]:
    """As `queries.money_basis`: the rows whose amounts can be added in `money`, and how many are left out."""
    totals = rows.totals
    if money == USD:
        kept, basis, kept_totals = totals["usd_n"].sum(), MoneyBasis("amount_usd", "USD"), totals
    else:
        in_currency = totals["currency"] == money
        kept, basis = totals["records"].sum(where=in_currency), MoneyBasis("amount", money)
        kept_totals = totals.filter(in_currency)
    counted = totals.aggregate(records=totals["records"].sum(), kept=kept).execute()
    records, rows_kept = queries.whole(counted["records"].iloc[0]), queries.whole(counted["kept"].iloc[0])
    chosen = replace(rows, totals=kept_totals, money=money)
    return chosen, replace(basis, rows_left_out=records - rows_kept, rows_kept=rows_kept)


def has_rows(rows: Rolled) -> bool:
    return queries.has_rows(rows.totals)


def _measured(rows: Rolled, value: str | None) -> tuple[Table, str]:
    """The totals to add up for `value` (None: records) under the rows' money basis, and the column that adds it."""
    totals = rows.totals
    if rows.money == USD:
        totals = totals.filter(totals["usd_n"] > 0)  # the records with a US-dollar amount: groups of none vanish
        return totals, "usd_n" if value is None else "usd_sum"
    if value is None:
        return totals, "records"
    return totals, "amount_sum" if value == "amount" else "usd_sum"


def totals(rows: Rolled, keys: list[str], value: str | None) -> pd.DataFrame:
    """As `queries.totals`."""
    table, column = _measured(rows, value)
    complete = queries.complete(table, keys)
    summed = complete.group_by(keys).aggregate(value=_added(complete, column))
    return queries.keyed(summed.execute(), keys)


COUNTED = ("records", "amount_n", "usd_n", "organisations")  # counts: they add up as integers


def _added(table: Table, column: str) -> ibis.Value:
    """The sum of a column of `totals`: a count stays an integer, as the records' count is."""
    if column in COUNTED:
        return ibis.coalesce(table[column].sum(), 0).cast("int64")
    return queries.summed(table, column)


def financing_mix(rows: Rolled, by: str, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    return transform.with_shares(totals(rows, [by, "family"], transform.aggregated_column(measure, basis)), [by])


def trend(rows: Rolled, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    return transform.with_shares(
        totals(rows, ["year", "family"], transform.aggregated_column(measure, basis)), ["year"]
    )


def instrument_by_country(rows: Rolled, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    keys = ["instrument_id", "family", "country"]
    return transform.with_shares(totals(rows, keys, transform.aggregated_column(measure, basis)), ["country"])


def amount_histogram(rows: Rolled, basis: MoneyBasis) -> pd.DataFrame:
    """As `queries.amount_histogram`: records by amount band (each total row has one band, or none)."""
    band = "usd_band" if basis.column == "amount_usd" else "amount_band"
    table = rows.totals.filter(rows.totals[band].notnull())
    result = table.group_by(exponent=table[band]).aggregate(value=table["records"].sum()).execute()
    return queries.histogram_of(result)


def _organisations(rows: Rolled, keys: list[str]) -> Table | None:
    """Organisations counted in the rows, by `keys` (instrument and family, country, or nothing): an expression with
    `keys` and `organisations`, or None when only the records can tell (no `uses`, or organisations across a choice
    of instruments, where one organisation may use several)."""
    if rows.uses is None or rows.orgs is None or (rows.by_instrument and "instrument_id" not in keys):
        return None
    table = rows.uses if "instrument_id" in keys else rows.orgs
    table = queries.complete(_in_years(table, rows), keys)
    counted = _added(table, "organisations")
    return table.group_by(keys).aggregate(organisations=counted) if keys else table.aggregate(organisations=counted)


def _everyone(rows: Rolled) -> int:
    """Distinct organisations in the rows."""
    counted = _organisations(rows, [])
    if counted is None:
        return queries.counts(rows.records)[1]
    return queries.whole(counted.execute()["organisations"].iloc[0])


def organisations_using(rows: Rolled) -> pd.DataFrame:
    """As `queries.organisations_using`."""
    used = _organisations(rows, ["instrument_id", "family"])
    if used is None:
        return queries.organisations_using(rows.records)
    table = queries.keyed(used.rename(value="organisations").execute(), ["instrument_id", "family"])
    return transform.ranked_by_organisations(table, _everyone(rows))


def by_country(rows: Rolled, measure: str, basis: MoneyBasis | None) -> pd.DataFrame:
    """As `queries.by_country`; organisations among the records a money basis keeps are counted on the records."""
    counted = _organisations(rows, ["country"])
    if counted is None or (basis is not None and basis.rows_left_out):
        kept = rows.records if basis is None else queries.money_basis(rows.records, rows.money)[0]
        return queries.by_country(kept, measure, basis)
    shown = transform.with_shares(totals(rows, ["country"], transform.aggregated_column(measure, basis)))
    found = counted.execute()
    organisations = dict(zip(found["country"].astype(str), found["organisations"], strict=True))
    shown["organisations"] = pd.array([organisations.get(str(c), 0) for c in shown["country"]], dtype="int64")
    return shown


def counts(rows: Rolled) -> tuple[int, int]:
    """As `queries.counts`: records and distinct organisations."""
    return queries.whole(rows.totals["records"].sum().execute()), _everyone(rows)


def money_options(rows: Rolled) -> list[str]:
    """As `queries.money_options`."""
    totals = rows.totals
    has_usd = queries.whole(totals["usd_n"].sum().execute()) > 0
    present = totals.filter(totals["currency"].notnull())
    used = present.group_by("currency").aggregate(records=present["records"].sum()).execute()
    used = used.sort_values(["records", "currency"], ascending=[False, True], kind="stable")
    return ([USD] if has_usd else []) + [str(code) for code in used["currency"]]


def usage_options(rows: Rolled, catalogue: pd.DataFrame) -> dict[str, list]:
    """As `queries.usage_options`, from `totals`."""
    totals = rows.totals
    found = totals.aggregate(
        records=totals["records"].sum(), first_year=totals["year"].min(), last_year=totals["year"].max()
    ).execute()
    present = {
        column: queries.present_values(totals, column)
        for column in ("country", "sse_type", "sector", "family", "instrument_id")
    }
    records = queries.whole(found["records"].iloc[0])
    return {
        "country": sorted(present["country"], key=country_name),
        "years": [int(found["first_year"].iloc[0]), int(found["last_year"].iloc[0])] if records else [0, 0],
        "sse_type": [s for s in SSE_TYPES if s in present["sse_type"]],
        "sector": sorted(present["sector"]),
        "family": [f for f in FAMILIES if f in present["family"]],
        "instrument": [i for i in catalogue["instrument_id"] if i in present["instrument_id"]],
        "money": money_options(rows),
    }


def usage_coverage(rows: Rolled) -> dict[str, object]:
    """As `queries.usage_coverage`."""
    totals = rows.totals
    found = totals.aggregate(
        rows=totals["records"].sum(), first_year=totals["year"].min(), last_year=totals["year"].max()
    ).execute()
    records = queries.whole(found["rows"].iloc[0])
    if not records:
        return summary.usage_coverage(pd.DataFrame())
    countries = sorted(queries.present_values(totals, "country"))
    return {
        "rows": records,
        "organisations": counts(rows)[1],
        "countries": len(countries),
        "country_codes": countries,
        "first_year": int(found["first_year"].iloc[0]),
        "last_year": int(found["last_year"].iloc[0]),
        "currencies": sorted(queries.present_values(totals, "currency")),
    }


def money_totals(rows: Rolled) -> pd.DataFrame:
    """As `queries.money_totals`."""
    totals = rows.totals
    options = money_options(rows)
    found: dict[str, tuple[int, float]] = {}
    if USD in options:
        usd = totals.aggregate(records=totals["usd_n"].sum(), total=queries.summed(totals, "usd_sum")).execute()
        found[USD] = (queries.whole(usd["records"].iloc[0]), float(usd["total"].iloc[0]))
    present = totals.filter(totals["currency"].notnull())
    by_currency = present.group_by("currency").aggregate(
        records=present["amount_n"].sum(), total=queries.summed(present, "amount_sum")
    )
    for record in by_currency.execute().itertuples(index=False):
        found[str(record.currency)] = (queries.whole(record.records), float(record.total))
    return queries.money_table(options, found)


def country_usage(rows: Rolled, code: str) -> country.UsageSummary:
    """As `queries.country_usage`."""
    here = filter_usage(rows, UsageFilter(countries=(code,)))
    records, organisations = counts(here)
    if not records:
        return country.UsageSummary(0, 0, None, None, pd.DataFrame(columns=country.MONEY_COLUMNS))
    years = here.totals.aggregate(first=here.totals["year"].min(), last=here.totals["year"].max()).execute()
    first, last = int(years["first"].iloc[0]), int(years["last"].iloc[0])
    return country.UsageSummary(records, organisations, first, last, money_totals(here))
