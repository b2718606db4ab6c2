"""A large usage CSV imported by the engine, in bounded memory, with the same result as the ordinary ingest.

The ordinary ingest (`sse_dash.ingest`) holds the whole file as pandas columns: about 870 MB at 1,000,000 rows.
Here DuckDB first tries the file in one pass, for the common case of an export whose every record is canonical
(below): typed in SQL straight to the Parquet file, kept only if no record was left out. Otherwise it reads the file
into an on-disk table and does the work in two lanes:

- **Rows already in canonical form** (every cell exactly as ingest would store it: a known alpha-3 country, an
  SSE type of the vocabulary, an instrument id of the catalogue, an ISO currency, a year from 1900 to this year, a
  plain non-negative number, text without surrounding spaces) are valid by construction and are typed in SQL.
- **Every other row** goes, a chunk at a time, through the ordinary `ingest_table` with the mapping the file's
  first megabyte gave: names instead of codes, decimal commas, Persian digits, Solar Hijri years, and every problem
  are handled by the same code, with the same messages and the same spreadsheet row numbers.

Valid rows of both lanes are written to one Parquet file in file order, with the catalogue's family and origin;
the engine reads it in place. Problems are counted exactly; at most `listed_per_kind` of each kind are kept with
their row, column, value and suggestion. What is decided for the whole file from its first megabyte (encoding,
delimiter, decimal mark, where the header is, which columns are which) is said in the report, as for a file.
"""

from __future__ import annotations

import codecs
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd

from sse_dash import codes
from sse_dash.engine import rollups
from sse_dash.i18n import _, ngettext, number
from sse_dash.ingest import IngestReport, IngestResult, ReadResult, ingest_table, listing, read_table
from sse_dash.ingest.coerce import SOLAR_HIJRI_YEARS, resolver_for, solar_hijri_notes
from sse_dash.ingest.problems import PROBLEM_COLUMNS
from sse_dash.ingest.read import too_wide_problem
from sse_dash.ingest.table import CellTable
from sse_dash.ingest.validate import DUPLICATE_HINTS, MAX_LISTED
from sse_dash.schema import EARLIEST_YEAR, FIELDS, latest_year

SAMPLE_BYTES = 1 << 20  # what decides the format and the mapping, as the first screen of a file does
CHUNK_ROWS = 100_000  # rows checked by the ordinary ingest at a time (its memory is about 1 KB a row)
MEMORY_LIMIT = "512MB"  # DuckDB's working memory; beyond it, it spills to the work folder on disk
PROGRESS_EVERY = 0.25  # seconds between two looks at how far a long statement is
# A text cell whose first and last characters are letters, digits, punctuation or symbols: str.strip() leaves it as is.
_TIDY_TEXT = r"[\pL\pN\pP\pS](?s:.*[\pL\pN\pP\pS])?"
_UTF8 = ("utf-8", "utf-8-sig", "ascii")


@dataclass
class EngineImport:
    """What the engine import found: the report (exact counts, listed problems) and where the valid rows are."""

    report: IngestReport
    parquet: Path | None
    problem_counts: dict[str, int] = field(default_factory=dict)
    fast_rows: int = 0  # rows typed in SQL (canonical); the rest went through the ordinary ingest


def import_usage_csv(
    path: Path,
    out: Path,
    catalogue: pd.DataFrame,
    *,
    mapping: dict[str, str | None] | None = None,
    constants: dict[str, str] | None = None,
    listed_per_kind: int | None = None,
    chunk_rows: int = CHUNK_ROWS,
    encoding: str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> EngineImport:
    """Import a usage CSV at `path`; the valid rows go to the Parquet file `out` (written whole or not at all)."""
    say = progress or (lambda _fraction, _label: None)
    with open(path, "rb") as handle:
        head = head_of(handle.read(SAMPLE_BYTES))
    sample_read = read_table(head, filename=path.name, encoding=encoding)
    sample = ingest_table(sample_read, kind="usage", catalogue=catalogue, mapping=mapping, constants=constants)
    report = replace(sample.report, warnings=_file_warnings(sample_read, catalogue, sample.report.mapping, constants))
    structural = sample.report.problems[sample.report.problems["row"].isna()] if len(sample.report.problems) else None
    if sample_read.problems_are_fatal or (structural is not None and len(structural)) or not report.mapping:
        return EngineImport(sample.report, None)  # the file cannot be read as usage records: say why, as for a file
    headers = sample_read.table.headers
    first_row = int(sample_read.table.cells.index[0]) if len(sample_read.table.cells) else 2
    positions = {name: headers.index(header) for name, header in report.mapping.items()}
    chosen = {name: headers[i] for name, i in positions.items()}  # the mapping every chunk uses

    decimal = report.decimal or "."
    work = Path(tempfile.mkdtemp(prefix="sse-dash-import-"))
    try:
        source = _utf8_copy(path, report.encoding, work)
        with (
            duckdb.connect() as con
        ):  # in memory, spilling to `work` beyond MEMORY_LIMIT (a file database is 4x slower)
            con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            con.execute("SET temp_directory = ?", [str(work / "spill")])
            con.execute("SET preserve_insertion_order = true")
            con.execute("SET enable_progress_bar = true")  # measured for `query_progress`, never printed
            con.execute("SET enable_progress_bar_print = false")
            say(0.1, _("Reading the file"))
            csv = _CsvSource(source, report.delimiter or ",", len(headers), first_row - 1)
            fast = f"({_canonical_condition(positions, catalogue, decimal, constants)}) AND NOT {csv.wide}"
            _allowed_types(con, positions, catalogue)
            reading = _Progress(say, 0.1, 0.9, _("Reading the file"))
            written = reading.of(con, lambda: _write_canonical(con, catalogue, out, csv, positions, fast, decimal))
            if written is not None:  # every record was canonical: typed straight from the file, in one pass
                report.listed_per_kind = listing.MAX_LISTED_PER_KIND if listed_per_kind is None else listed_per_kind
                report.every_problem = _every([])
                report.rows = report.valid_rows = written
                report.problems = pd.DataFrame(columns=PROBLEM_COLUMNS)
                report.warnings += _duplicate_note(con, out, first_row, in_file_order=True)
                return EngineImport(report, out if written else None, {}, written)
            # The pass stopped at a record that is not canonical (mostly near the start): the two lanes go on from
            # where the progress is, reading the file a quarter of what is left, checking the rows the rest.
            start = reading.at
            middle = start + (0.9 - start) / 4
            _Progress(say, start, middle, _("Reading the file")).of(
                con, lambda: _read_raw(con, csv, fast, work / "raw.parquet")
            )
            columns = [f"c{i}" for i in range(len(headers))]
            total, fast_rows, blank = con.execute(
                "SELECT count(*) FILTER (WHERE NOT blank), count(*) FILTER (WHERE fast), count(*) FILTER (WHERE blank) "
                "FROM raw"
            ).fetchone()
            con.execute(_slow_table())
            listed_per_kind = listing.MAX_LISTED_PER_KIND if listed_per_kind is None else listed_per_kind
            counts: Counter[str] = Counter()
            listed: list[pd.DataFrame] = []
            every: list[pd.DataFrame] = []
            reader = con.cursor()  # its own cursor: the inserts below would end a result read on `con`
            slow = reader.execute(
                f"SELECT rid, cells, {', '.join(columns)} FROM raw WHERE NOT fast AND NOT blank ORDER BY rid"
            )
            done = fast_rows
            while True:
                chunk = slow.fetch_df_chunk(max(1, chunk_rows // 2048))
                if chunk.empty:
                    break
                result = _check_chunk(chunk, csv, first_row, sample_read, catalogue, chosen, constants)
                _keep_problems(result.report, counts, listed, listed_per_kind)
                every.append(result.report.all_problems())
                if len(result.frame):
                    _insert_checked(con, result.frame, result.extras, first_row)
                done += len(chunk)
                say(middle + (0.9 - middle) * done / max(total, 1), _("Checking the rows"))
            valid = fast_rows + _scalar(con, "SELECT count(*) FROM checked")
            canonical = _typed_select(positions, decimal)
            notes = _blank_note(con, blank, first_row) + _solar_notes(con, positions, headers, fast_rows)
            say(0.9, _("Writing the valid rows"))
            _write_parquet(con, catalogue, out, canonical)
            notes += _duplicate_note(con, out, first_row)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    problems = pd.concat(listed, ignore_index=True) if listed else pd.DataFrame(columns=PROBLEM_COLUMNS)
    report.listed_per_kind = listed_per_kind
    report.every_problem = _every(every)
    report.rows, report.valid_rows = int(total), int(valid)
    report.problems = problems.sort_values(["row"], kind="stable").reset_index(drop=True)
    report.warnings += notes
    return EngineImport(report, out if valid else None, dict(counts), int(fast_rows))


# --- reading --------------------------------------------------------------------------------------------------


def head_of(data: bytes) -> bytes:
    """A file's first megabyte, cut after its last whole line: what decides its format and its columns."""
    head = data[:SAMPLE_BYTES]
    if len(data) <= SAMPLE_BYTES:
        return head
    cut = head.rfind(b"\n")
    return head[: cut + 1] if cut > 0 else head


def _file_warnings(sample_read: ReadResult, catalogue, mapping: dict[str, str], constants) -> list[str]:
    """What the sample says of the whole file (its format, its columns), not of its own rows: the warnings of the
    same mapping on the header alone."""
    header_only = replace(sample_read, table=CellTable(sample_read.table.headers, sample_read.table.cells.head(0)))
    chosen = {name: mapping.get(name) for name in mapping}
    return ingest_table(
        header_only, kind="usage", catalogue=catalogue, mapping=chosen, constants=constants
    ).report.warnings


def _utf8_copy(path: Path, encoding: str | None, work: Path) -> Path:
    """The file as UTF-8 (DuckDB reads UTF-8): itself, or a copy decoded in pieces of one megabyte."""
    if (encoding or "utf-8").lower() in _UTF8:
        return path
    copy = work / "utf8.csv"
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    with open(path, "rb") as source, open(copy, "w", encoding="utf-8", newline="") as target:
        while block := source.read(1 << 20):
            target.write(decoder.decode(block))
        target.write(decoder.decode(b"", final=True))
    return copy


@dataclass
class _Progress:
    """A long DuckDB statement run in a thread while this one says how far it is (`query_progress`), from `start`
    to `end` of the whole import. Progress is said from the calling thread, as Streamlit needs."""

    say: Callable[[float, str], None]
    start: float
    end: float
    label: str
    at: float = 0.0

    def of(self, con: duckdb.DuckDBPyConnection, work: Callable[[], object]):
        """`work()`'s result (or its exception), saying the progress of the statement it runs on `con`."""
        self.at = self.start
        outcome: dict[str, object] = {}

        def run() -> None:
            try:
                outcome["value"] = work()
            except BaseException as error:  # noqa: BLE001 - handed to the calling thread, raised there
                outcome["error"] = error

        worker = threading.Thread(target=run, name="sse-dash-import", daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(PROGRESS_EVERY)
                percent = con.query_progress()
                if percent >= 0:  # -1 when no statement runs
                    self.at = max(self.at, self.start + (self.end - self.start) * min(percent, 100) / 100)
                    self.say(self.at, self.label)
        except BaseException:
            con.interrupt()  # the script was stopped (or the user left): stop the statement, then go
            worker.join()
            raise
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")


# Python's whitespace (`str.isspace`), by code point: a cell the ordinary ingest calls filled holds another
# character (`_FILLED`); a cell that starts with another character is filled (a cheap test before the pattern).
_SPACES = (*range(9, 14), *range(28, 33), 133, 160, 5760, *range(8192, 8203), 8232, 8233, 8239, 8287, 12288)
_FILLED = "[^" + "".join(f"\\x{{{code:x}}}" for code in _SPACES) + "]"


def _filled(column: str) -> str:
    """SQL true when the text cell `column` holds more than whitespace (false when it is NULL, an empty cell)."""
    return f"coalesce(regexp_matches({column}, '{_FILLED}'), false)"


@dataclass(frozen=True)
class _CsvSource:
    """How DuckDB reads the file's records: every cell as text (NULL when empty), `width` columns c0..cN, then as
    many again, x0..xN, for the cells of a record that has more than the header (DuckDB drops any beyond)."""

    path: Path
    delimiter: str
    width: int
    skip: int  # lines above the first record

    @property
    def names(self) -> list[str]:
        return [f"c{i}" for i in range(self.width)]

    @property
    def extra(self) -> list[str]:
        return [f"x{i}" for i in range(self.width)]

    @property
    def _no_extra(self) -> str:
        """SQL true for a record without a cell beyond the header (most of them: the test costs next to nothing)."""
        return f"coalesce({', '.join(self.extra)}) IS NULL"

    @property
    def wide(self) -> str:
        """SQL true for a record with a filled cell beyond the header's width: the ordinary ingest leaves it out."""
        return f"(CASE WHEN {self._no_extra} THEN false ELSE {' OR '.join(_filled(x) for x in self.extra)} END)"

    @property
    def blank(self) -> str:
        """SQL true for a record whose cells are all empty or whitespace (the ordinary ingest skips it). Only a
        record whose first cell is empty or starts with whitespace can be: the others are not looked at further."""
        first = self.names[0]
        # One string of those characters, not an IN list: DuckDB turns a long IN list into a join, which loses the
        # file's order.
        spaces = "".join(chr(code) for code in _SPACES)
        maybe = f"{first} IS NULL OR contains('{spaces}', left({first}, 1))"
        filled = " OR ".join(_filled(c) for c in [*self.names, *self.extra])
        return f"(CASE WHEN {maybe} THEN NOT ({filled}) ELSE false END)"

    @property
    def cells(self) -> str:
        """SQL: how many cells a wide record has up to its last filled one (NULL for the others); a record filled
        in its last extra cell may have more, which DuckDB does not read: it is said to have more than that."""
        last = " ".join(
            f"WHEN {_filled(x)} THEN {self.width + i + 1}" for i, x in reversed(list(enumerate(self.extra)))
        )
        return f"(CASE WHEN {self._no_extra} THEN NULL {last} END)"

    def run(self, con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.DuckDBPyConnection:
        """`sql` with `{records}` standing for the file's records (replaced as text: `sql` may hold other braces),
        read in parallel when DuckDB can."""
        for parallel in ("true", "false"):
            records = (
                "read_csv(?, delim = ?, quote = '\"', escape = '\"', header = false, skip = ?, null_padding = true, "
                f"strict_mode = false, auto_detect = false, parallel = {parallel}, columns = ?)"
            )
            try:
                return con.execute(
                    sql.replace("{records}", records),
                    [str(self.path), self.delimiter, self.skip, dict.fromkeys(self.names + self.extra, "VARCHAR")],
                )
            except duckdb.Error as error:
                # DuckDB's parallel reader cannot pad short rows when a quoted cell spans lines: read in one thread
                if parallel == "false" or "parallel" not in str(error):
                    raise
        raise AssertionError("unreachable")


PROBE_ROWS = 10_000  # the first records looked at before the single pass is tried


def _write_canonical(
    con: duckdb.DuckDBPyConnection,
    catalogue: pd.DataFrame,
    out: Path,
    csv: _CsvSource,
    positions: dict[str, int],
    fast: str,
    decimal: str,
) -> int | None:
    """Every record typed in SQL, straight from the file to `out`, in one pass, if every record is canonical: the
    rows written. Otherwise None, and nothing is written.

    The first `PROBE_ROWS` records are looked at first (a file with problems mostly has some there: it then costs
    nothing more). The pass writes the canonical records in file order; the records are then counted, and if any
    was left out (an empty one included) the file written is dropped: a file whose only problems come late pays a
    pass. (Stopping the pass at the first such record with DuckDB's `error()` would lose the file's order: DuckDB
    does not keep the order of a statement that can raise.)
    """
    probe = f"SELECT count(*) FROM (SELECT * FROM {{records}} LIMIT {PROBE_ROWS}) WHERE NOT ({fast})"
    if csv.run(con, probe).fetchone()[0]:
        return None
    typed = f"SELECT {_typed_columns(positions, decimal)} FROM {{records}} WHERE {fast}"
    rows = f"SELECT {_written_columns(catalogue)} FROM ({typed}) AS valid"

    def copy(target: str) -> int:
        written = int(csv.run(con, f"COPY ({rows}) TO '{target}' (FORMAT parquet)").fetchone()[0])
        if csv.run(con, "SELECT count(*) FROM {records}").fetchone()[0] != written:
            raise _NotCanonical
        return written

    try:
        return _written(out, copy)
    except _NotCanonical:
        return None


class _NotCanonical(Exception):
    """A record of the file is not canonical: the single pass does not apply."""


def _written(out: Path, copy: Callable[[str], int]) -> int:
    """`copy` (the path of a file to write, quoted for SQL, in; the rows written out) to a file beside `out` that
    then replaces it, so `out` is whole or absent."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    try:
        written = copy(str(partial).replace("'", "''"))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    rollups.remove(out)  # the rollups of a file written here before are not this file's (`rollups.write` them)
    partial.replace(out)
    return written


def _read_raw(con: duckdb.DuckDBPyConnection, csv: _CsvSource, fast: str, raw: Path) -> None:
    """Every record of the file as text cells c0..cN (NULL for an empty cell) with `fast` (whether the row is in
    canonical form) and `blank` (no cell at all), written once as a Parquet file and seen as the view `raw` with
    `rid`, the record's position.

    One streaming pass over the CSV (in file order, with DuckDB's parallel reader); the later scans read only the
    columns they need from the Parquet file, so memory stays bounded whatever the file's size.
    """
    blank = csv.blank
    csv.run(
        con,
        f"COPY (SELECT {', '.join(csv.names)}, ({fast}) AS fast, {blank} AS blank, {csv.cells} AS cells "
        f"FROM {{records}}) TO '{raw}' (FORMAT parquet)",
    )
    con.execute(
        "CREATE VIEW raw AS SELECT file_row_number AS rid, * EXCLUDE (file_row_number) "
        f"FROM read_parquet('{raw}', file_row_number = true)"
    )


def _blank_note(con: duckdb.DuckDBPyConnection, blank: int, first_row: int) -> list[str]:
    """The ordinary ingest's warning about empty rows, with their spreadsheet row numbers."""
    if not blank:
        return []
    found = con.execute(f"SELECT rid FROM raw WHERE blank ORDER BY rid LIMIT {MAX_LISTED}").fetchall()
    return [
        ngettext(
            "{count} empty row was skipped (row {rows}).", "{count} empty rows were skipped (rows {rows}).", blank
        ).format(count=number(blank), rows=_listed([rid + first_row for (rid,) in found], blank))
    ]


def _listed(first: list[int], count: int) -> str:
    """`validate.listed` of `count` row numbers of which only the first are at hand."""
    rows = ", ".join(str(r) for r in first[:MAX_LISTED])
    return (
        rows
        if count <= MAX_LISTED
        else _("{rows} and {count} more").format(rows=rows, count=number(count - MAX_LISTED))
    )


def _duplicate_note(
    con: duckdb.DuckDBPyConnection, written: Path, first_row: int, in_file_order: bool = False
) -> list[str]:
    """The ordinary ingest's warning about valid rows that repeat an earlier one exactly (with their rows).

    Read from the file of valid rows just written (typed, so the check reads no text): rows equal on the usual
    identifying columns are the only candidates, as in `validate.duplicate_warning`; only the few repeated rows are
    traced back to their rows in the file (`in_file_order`: every record was written, the k-th is the file's k-th).
    """
    fields = ", ".join(f"valid.{f.name}" for f in FIELDS["usage"])
    hints = ", ".join(DUPLICATE_HINTS["usage"])
    # A hash of the usual identifying columns finds the candidates in one pass; only those are compared in full.
    quoted = str(written).replace("'", "''")
    rows = f"read_parquet('{quoted}', file_row_number = true)"
    # Two scans, not one shared result: DuckDB would keep a result read twice (every column of every row) in memory.
    repeated = con.execute(
        f"WITH candidates AS (SELECT hash({hints}) AS key FROM {rows} GROUP BY key HAVING count(*) > 1) "
        "SELECT file_row_number FROM (SELECT valid.file_row_number, "
        f"row_number() OVER (PARTITION BY {fields} ORDER BY valid.file_row_number) AS n "
        f"FROM {rows} AS valid WHERE hash({hints}) IN (SELECT key FROM candidates)) WHERE n > 1 "
        "ORDER BY file_row_number"
    ).fetchall()
    if not repeated:
        return []
    count = len(repeated)
    # The valid rows are written in the file's order: the k-th of them is the k-th row id of both lanes together.
    positions = [position for (position,) in repeated[:MAX_LISTED]]
    found = (
        [(position,) for position in positions]
        if in_file_order
        else con.execute(
            "SELECT rid FROM (SELECT rid, row_number() OVER (ORDER BY rid) - 1 AS position FROM "
            "(SELECT rid FROM raw WHERE fast UNION ALL SELECT rid FROM checked)) WHERE list_contains(?, position) "
            "ORDER BY rid",
            [positions],
        ).fetchall()
    )
    return [
        ngettext(
            "{count} row repeats an earlier row exactly (row {rows}). It is kept; remove it if it was entered twice.",
            "{count} rows repeat an earlier row exactly (rows {rows}). They are kept; remove them if they were "
            "entered twice.",
            count,
        ).format(count=number(count), rows=_listed([rid + first_row for (rid,) in found], count))
    ]


_EASTERN = "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
_WESTERN = "01234567890123456789"


def _solar_notes(
    con: duckdb.DuckDBPyConnection, positions: dict[str, int], headers: list[str], fast_rows: int
) -> list[str]:
    """The ordinary ingest's notes on Solar Hijri years, counted over the whole column: a canonical row's year is a
    Gregorian year (1900 or later), so only the other rows are read, and the canonical ones add to those written."""
    if "year" not in positions:
        return []
    cell = f"translate(trim(c{positions['year']}), '{_EASTERN}', '{_WESTERN}')"
    year = f"CASE WHEN regexp_full_match({cell}, '[0-9]{{1,9}}') THEN CAST({cell} AS BIGINT) END"
    low, high = SOLAR_HIJRI_YEARS
    count, written, example = con.execute(
        f"SELECT count(*) FILTER (WHERE y BETWEEN {low} AND {high}), count(y), "
        f"arg_min(y, rid) FILTER (WHERE y BETWEEN {low} AND {high}) FROM (SELECT rid, {year} AS y FROM raw "
        "WHERE NOT fast AND cells IS NULL)"  # a row with cells beyond the header is read as blank cells
    ).fetchone()
    if not count:
        return []
    return solar_hijri_notes(int(count), int(written) + fast_rows, headers[positions["year"]], int(example))


# --- the canonical lane ---------------------------------------------------------------------------------------


def _quoted(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


def _canonical(f, catalogue: pd.DataFrame) -> list[str] | None:
    """The values of a coded field that ingest stores unchanged (each resolves to itself)."""
    resolver = resolver_for(f, catalogue)
    if f.vocabulary:
        candidates = list(f.vocabulary)
    elif f.dtype == "country":
        candidates = sorted(codes.known_countries())
    elif f.dtype == "currency":
        candidates = list(codes.known_currencies())
    elif f.dtype == "instrument":
        candidates = [str(i) for i in catalogue["instrument_id"]]
    else:
        return None
    if resolver is None:
        return candidates
    return [value for value in candidates if resolver.resolve(value).code == value]


def _allowed_types(con: duckdb.DuckDBPyConnection, positions: dict[str, int], catalogue: pd.DataFrame) -> None:
    """An ENUM type `allowed_<field>` of the canonical values of each coded field in the file.

    A cell is canonical when it casts to that type: a hash lookup, as a join with a table of the values would be,
    but a join does not keep the file's order when DuckDB reads it in parallel (rows of a large file came out of
    order, and with them the spreadsheet rows of its problems), and a literal list is scanned for every row.
    """
    for f in FIELDS["usage"]:
        allowed = _canonical(f, catalogue) if f.name in positions else None
        if allowed:
            con.execute(f"CREATE TYPE allowed_{f.name} AS ENUM ({_quoted(dict.fromkeys(allowed))})")


def _number_pattern(decimal: str) -> str:
    return r"[0-9]+(\.[0-9]+)?" if decimal == "." else r"[0-9]+(,[0-9]+)?"


def _cell_condition(f, column: str, catalogue: pd.DataFrame, decimal: str) -> str:
    """SQL true when the cell is in the form ingest stores (a missing optional cell included)."""
    allowed = _canonical(f, catalogue)
    if allowed is not None:
        test = f"TRY_CAST({column} AS allowed_{f.name}) IS NOT NULL" if allowed else "false"  # see `_allowed_types`
    elif f.dtype == "year":
        test = (
            f"(regexp_full_match({column}, '[0-9]{{4}}') AND "
            f"TRY_CAST({column} AS INTEGER) BETWEEN {EARLIEST_YEAR} AND {latest_year()})"
        )
    elif f.dtype == "number":
        test = f"regexp_full_match({column}, '{_number_pattern(decimal)}')"
    else:  # text
        test = f"regexp_full_match({column}, '{_TIDY_TEXT}')"
    return f"coalesce({test}, false)" if f.required else f"({column} IS NULL OR coalesce({test}, false))"


def _canonical_condition(positions: dict[str, int], catalogue, decimal: str, constants) -> str:
    conditions = [
        _cell_condition(f, f"c{positions[f.name]}", catalogue, decimal) for f in FIELDS["usage"] if f.name in positions
    ]
    if constants:  # a value for every row is checked with the rows that go through ingest
        return "false"
    return " AND ".join(conditions) or "false"


def _typed(f, column: str | None, decimal: str) -> str:
    if column is None:
        return f"CAST(NULL AS {'DOUBLE' if f.dtype == 'number' else 'BIGINT' if f.dtype == 'year' else 'VARCHAR'})"
    if f.dtype == "year":
        return f"CAST({column} AS BIGINT)"
    if f.dtype == "number":
        value = column if decimal == "." else f"replace({column}, ',', '.')"
        return f"CAST({value} AS DOUBLE)"
    return column


SOLAR = "year_solar_hijri"


def _typed_select(positions: dict[str, int], decimal: str) -> str:
    """The canonical rows typed in SQL, with the columns of `checked`."""
    return f"SELECT rid, {_typed_columns(positions, decimal)}, CAST(NULL AS BIGINT) AS {SOLAR} FROM raw WHERE fast"


def _typed_columns(positions: dict[str, int], decimal: str) -> str:
    """Every usage field typed in SQL from its text cell c<N> (NULL when the file has no such column)."""
    return ", ".join(
        f"{_typed(f, ('c' + str(positions[f.name])) if f.name in positions else None, decimal)} AS {f.name}"
        for f in FIELDS["usage"]
    )


def _written_columns(catalogue: pd.DataFrame) -> str:
    """The columns of the file of valid rows, from the typed rows `valid`: the fields, then family and origin."""
    fields = ", ".join(f"valid.{f.name}" for f in FIELDS["usage"])
    return fields + ", " + ", ".join(f"{_lookup(catalogue, column)} AS {column}" for column in ("family", "origin"))


def _slow_table() -> str:
    """The rows the ordinary ingest kept, typed as the canonical ones."""
    kinds = {"year": "BIGINT", "number": "DOUBLE"}
    columns = ", ".join(f"{f.name} {kinds.get(f.dtype, 'VARCHAR')}" for f in FIELDS["usage"])
    return f"CREATE TABLE checked (rid BIGINT, {columns}, {SOLAR} BIGINT)"


# --- the other lane: the ordinary ingest, a chunk at a time ----------------------------------------------------


def _check_chunk(chunk, csv: _CsvSource, first_row, sample_read: ReadResult, catalogue, chosen, constants):
    """Rows that are not canonical, through `ingest_table` with the file's mapping and spreadsheet row numbers; a
    row with a filled cell beyond the header gets the ordinary ingest's problem and blank cells, as it does there."""
    headers = sample_read.table.headers
    cells = chunk.drop(columns=["rid", "cells"])
    cells.columns = range(len(headers))
    cells = cells.astype("str")
    cells.index = pd.Index(chunk["rid"].to_numpy() + first_row, dtype="int64")
    wide = chunk["cells"].notna().to_numpy()  # their cells are never read: `ingest_table` leaves them out
    problems = [
        too_wide_problem(
            int(row),
            int(width),
            len(headers),
            csv.delimiter,
            template="too_many_cells.more" if width >= 2 * len(headers) else None,
        )
        for row, width in zip(cells.index[wide], chunk["cells"].to_numpy()[wide], strict=True)
    ]
    if wide.all():  # nothing to check (`ingest_table` would call the chunk a file without rows)
        report = IngestReport(kind="usage")
        report.problems, report.every_problem = listing.report_problems(problems, dedupe=False)
        return IngestResult(pd.DataFrame(), pd.DataFrame(), report)
    table = CellTable(list(headers), cells)
    read = ReadResult(table, replace(sample_read.report, warnings=[]), problems, sample_read.limits)
    return ingest_table(read, kind="usage", catalogue=catalogue, mapping=chosen, constants=constants)


def _keep_problems(report: IngestReport, counts: Counter, listed: list[pd.DataFrame], limit: int) -> None:
    """Count every problem of a chunk by kind; keep the first `limit` of each kind over the whole file."""
    if report.valid:
        return
    room = {code: limit - min(counts[code], limit) for code in report.counts_by_code().index}
    counts.update(report.counts_by_code().to_dict())
    for code, group in report.problems.groupby(report.problems["code"].astype(str), sort=False):
        if room.get(code, 0) > 0:
            listed.append(group.head(room[code]))


def _every(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    """The row, column and code of every problem of every chunk, in file order (as compact as ingest keeps them)."""
    found = [chunk for chunk in chunks if len(chunk)]
    if not found:
        return pd.DataFrame({"row": pd.Series([], dtype="int64"), "column": [], "code": []})
    joined = pd.concat([c.assign(column=c["column"].astype(str), code=c["code"].astype(str)) for c in found])
    return joined.astype({"column": "category", "code": "category"}).reset_index(drop=True)


def _insert_checked(
    con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, extras: pd.DataFrame | None, first_row: int
) -> None:
    """The valid rows of a chunk, typed by ingest, appended to `checked` with their row ids."""
    out = pd.DataFrame({"rid": frame.index.to_numpy() - first_row}, index=frame.index)
    for f in FIELDS["usage"]:
        column = frame.get(f.name)
        if column is None:
            out[f.name] = None
        elif f.dtype == "year":
            out[f.name] = column.astype("Int64")
        elif f.dtype == "number":
            out[f.name] = column.astype("float64")
        else:
            out[f.name] = column.astype("object").where(column.notna(), None)
    solar = extras.get(SOLAR) if extras is not None else None
    out[SOLAR] = solar.reindex(frame.index).astype("Int64") if solar is not None else None
    con.register("chunk_rows", out)
    con.execute(
        f"INSERT INTO checked SELECT rid, {', '.join(f.name for f in FIELDS['usage'])}, {SOLAR} FROM chunk_rows"
    )
    con.unregister("chunk_rows")


def _write_parquet(con: duckdb.DuckDBPyConnection, catalogue: pd.DataFrame, out: Path, canonical: str) -> None:
    """Every valid row in file order, with the catalogue's family and origin, as Parquet (whole or not at all).

    The canonical rows stream straight from the file's table (in file order); only when the ordinary ingest kept
    rows too are the two sorted back into file order.
    """
    rows = canonical
    if _scalar(con, "SELECT count(*) FROM checked"):
        rows = f"SELECT * FROM ({canonical} UNION ALL SELECT * FROM checked) ORDER BY rid"
    solar = f", valid.{SOLAR}" if _scalar(con, f"SELECT count({SOLAR}) FROM checked") else ""
    rows = f"SELECT {_written_columns(catalogue)}{solar} FROM ({rows}) AS valid"
    _written(out, lambda target: int(con.execute(f"COPY ({rows}) TO '{target}' (FORMAT parquet)").fetchone()[0]))


def _lookup(catalogue: pd.DataFrame, column: str) -> str:
    """The catalogue's `column` for each row's instrument (NULL for an unknown one): a position in the list of ids,
    then the value at that position (a join would not keep the rows' order; a CASE of every id is twice as slow)."""
    ids, values = _quoted(catalogue["instrument_id"]), _quoted(catalogue[column])
    return f"[{values}][list_position([{ids}], valid.instrument_id)]"


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchone()[0])
