"""Property-based tests: no input may make the ingest path raise, and the report always adds up."""

import functools
import string

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sse_dash import datasets
from sse_dash.ingest import IngestResult, Problem, ingest, ingest_table, read_table
from sse_dash.limits import Limits

HEADER = ["org_id", "country", "year", "sse_type", "instrument_id", "amount", "currency", "notes"]
CATALOGUE = pd.DataFrame({"instrument_id": ["sacco_cu_loan", "public_grant"], "name": ["SACCO loan", "Grant"]})
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

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
