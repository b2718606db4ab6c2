"""Property-based tests: no input may make the ingest path raise, the report always adds up, and the rows kept are
valid rows of the file."""

import csv
import functools
import io
import string

import pandas as pd
import pytest
from fuzzing import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sse_dash import codes, datasets, schema
from sse_dash.ingest import IngestResult, Problem, ingest, ingest_table, read_table
from sse_dash.limits import Limits

HEADER = ["org_id", "country", "year", "sse_type", "instrument_id", "amount", "currency", "notes"]
CATALOGUE = pd.DataFrame({"instrument_id": ["sacco_cu_loan", "public_grant"], "name": ["SACCO loan", "Grant"]})
FUZZ = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])

cell = st.one_of(
    st.text(alphabet=string.printable + "éü€ ;,|\t\"'\n", max_size=12),
    st.sampled_from(
        [
            "KEN",
            "Kenya",
            "2021",
            "-5",
            "1.234,5",
            "coop",
            "sacco_cu_loan",
            "EUR",
            "",
            "NA",
            '"',
            "9" * 40,
            "2019-05-31",
            "1e309",
            "nan",
            "inf",
        ]
    ),
)


# Valid cells of each usage column (several spellings the resolvers know), so most generated rows are kept.
VALID_CELLS = {
    "country": st.sampled_from(["KEN", "Kenya", "ITA", "Italia", "fr", "Sénégal"]),
    "year": st.integers(schema.EARLIEST_YEAR, schema.latest_year()).map(str),
    "sse_type": st.sampled_from([*schema.SSE_TYPES, "coop", "Association"]),
    "instrument_id": st.sampled_from(["sacco_cu_loan", "public_grant", "Grant"]),
    "amount": st.one_of(st.integers(0, 10**9).map(str), st.decimals(0, 10**6, places=2).map(str)),
    "currency": st.sampled_from(["KES", "EUR", "usd"]),
    "notes": st.text(alphabet=string.ascii_letters + " ", max_size=10),
}

# Cells that are almost valid in their column: a negative amount, a year just out of range, an unknown code.
NEAR_MISS = {
    "org_id": ["", " "],
    "country": ["Atlantis", "XK", "Kenia"],
    "year": [str(schema.EARLIEST_YEAR - 1), str(schema.latest_year() + 1), "20.5"],
    "sse_type": ["bank", ""],
    "instrument_id": ["loan", "sacco"],
    "amount": ["-5", "-0.01", "1,2,3"],
    "currency": ["XYZ", "dollars"],
    "notes": ["=1+1"],
}


@st.composite
def mostly_valid_rows(draw) -> tuple[list[list[str]], list[bool]]:
    """Usage rows (unique org ids) of which about one in five has one cell replaced by junk; and which ones."""
    rows, corrupted = [], []
    for number in range(draw(st.integers(1, 12))):
        row = [f"ORG-{number}"] + [draw(VALID_CELLS[name]) for name in HEADER[1:]]
        broken = draw(st.integers(0, 4)) == 0
        if broken:
            column = draw(st.integers(0, len(HEADER) - 1))
            near = draw(st.booleans())  # half near misses, half arbitrary junk
            row[column] = draw(st.sampled_from(NEAR_MISS[HEADER[column]]) if near else cell)
        rows.append(row)
        corrupted.append(broken)
    return rows, corrupted


def csv_bytes(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")  # quotes cells with either
    writer.writerows([HEADER, *rows])
    return buffer.getvalue().encode(encoding, errors="replace")


def check_kept_rows(result: IngestResult, rows: list[list[str]], corrupted: list[bool]) -> None:
    """The kept rows pass the usage schema and are in range, and kept + left out = the rows written."""
    frame, report = result.frame, result.report
    schema.pandera_schema("usage", tuple(CATALOGUE["instrument_id"])).validate(frame, lazy=True)
    assert (frame["amount"] >= 0).all()
    assert frame["year"].between(schema.EARLIEST_YEAR, schema.latest_year()).all()
    assert set(frame["country"].astype(str)) <= codes.known_countries()
    left_out = report.problems["row"].dropna().nunique()
    assert len(frame) + left_out == report.rows == len(rows)
    kept = set(frame["org_id"].astype(str))
    for row, broken in zip(rows, corrupted, strict=True):
        if not broken:  # an untouched row is kept, with the amount written
            assert row[0] in kept, (row, report.problems.to_dict("records"))
            if report.decimal in (None, "."):
                amount = frame.loc[frame["org_id"].astype(str) == row[0], "amount"].iloc[0]
                assert amount == pytest.approx(float(row[5]))


def check_consistent(result: IngestResult) -> None:
    report = result.report
    assert isinstance(result.frame, pd.DataFrame)
    assert report.valid_rows == len(result.frame)
    assert 0 <= report.valid_rows <= report.rows
    assert set(report.problems.columns) >= {"row", "column", "value", "message", "code"}
    assert report.problems["message"].map(lambda m: isinstance(m, str) and len(m) > 10).all()
    rows = report.problems["row"].dropna()
    if len(rows):
        assert rows.min() >= 2
    if report.valid:
        assert report.valid_rows == report.rows
    report.to_dict()


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data):
    check_consistent(ingest(data, catalogue=CATALOGUE))


@FUZZ
@given(
    st.lists(st.lists(cell, min_size=0, max_size=10), min_size=0, max_size=8),
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    st.sampled_from([None, "usage", "figures", "instruments", "sources"]),
)
def test_mangled_csvs_never_raise(rows, delimiter, encoding, kind):
    header = delimiter.join(HEADER)
    body = "\n".join(delimiter.join(row) for row in rows)
    data = f"{header}\n{body}\n".encode(encoding, errors="replace")
    check_consistent(ingest(data, kind=kind, catalogue=CATALOGUE))


@FUZZ
@given(st.lists(st.text(max_size=15), min_size=1, max_size=10), st.lists(cell, max_size=10))
def test_arbitrary_headers_never_raise(header, row):
    data = (",".join(header) + "\n" + ",".join(row) + "\n").encode("utf-8", errors="replace")
    check_consistent(ingest(data, catalogue=CATALOGUE))


@functools.cache
def bundled_catalogue() -> pd.DataFrame:
    return datasets.load_catalogue()


@FUZZ
@given(st.lists(st.lists(cell, min_size=0, max_size=10), min_size=0, max_size=8), st.sampled_from([None, "usage"]))
def test_ingest_changes_nothing_it_is_given(rows, kind):
    catalogue = bundled_catalogue()
    before = catalogue.copy(deep=True)
    data = (",".join(HEADER) + "\n" + "\n".join(",".join(row) for row in rows) + "\n").encode()
    check_consistent(ingest(data, kind=kind, catalogue=catalogue))
    pd.testing.assert_frame_equal(catalogue, before)


@FUZZ
@given(
    st.lists(st.lists(cell, min_size=0, max_size=10), min_size=0, max_size=8),
    st.builds(
        Limits,
        max_bytes=st.one_of(st.none(), st.integers(1, 5_000)),
        max_rows=st.one_of(st.none(), st.integers(1, 10)),
        max_columns=st.one_of(st.none(), st.integers(1, 10)),
        max_cell_chars=st.one_of(st.none(), st.integers(1, 20)),
        max_memory_mb=st.one_of(st.none(), st.floats(0.0001, 1)),
    ),
)
def test_any_limits_give_a_readable_outcome(rows, limits):
    data = (",".join(HEADER) + "\n" + "\n".join(",".join(row) for row in rows) + "\n").encode()
    read = read_table(data, filename="fuzz.csv", limits=limits)
    if read.table is None:
        assert read.problems and all(p.message for p in read.problems if isinstance(p, Problem))
        return
    check_consistent(ingest_table(read, kind="usage", catalogue=CATALOGUE))


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mostly_valid_rows(), st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_mostly_valid_files_keep_their_valid_rows_and_the_report_adds_up(written, delimiter, encoding):
    rows, corrupted = written
    result = ingest(csv_bytes(rows, delimiter, encoding), kind="usage", catalogue=CATALOGUE)
    check_consistent(result)
    check_kept_rows(result, rows, corrupted)
