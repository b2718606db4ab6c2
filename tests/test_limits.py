"""Limits on uploads: size, rows, columns, cell length and memory, each with a clear message (#8)."""

import io
from pathlib import Path

import openpyxl
import pytest
from apptest_helpers import run_page, texts

from sse_dash import ingest, limits
from sse_dash.ingest.read import _line_count
from sse_dash.limits import Limits

HEADER = "org_id,country,year,sse_type,instrument_id,amount,currency"


def usage_csv(rows: int, note: str = "") -> bytes:
    lines = [HEADER + (",notes" if note else "")]
    lines += [
        f"ORG-{i},KEN,2021,cooperative,sacco_cu_loan,{i + 1},KES" + (f",{note}" if note else "") for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if the file is parsed: these files must be refused before that."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr("sse_dash.ingest.read._fast_parse", refuse)
    monkeypatch.setattr("sse_dash.ingest.read._python_parse", refuse)


def refused(found: ingest.ReadResult) -> tuple[str, str]:
    assert found.table is None and found.problems_are_fatal
    problem = found.problems[0]
    return problem.code, problem.text()


def test_a_file_over_the_size_limit_is_refused_unread(no_parsing):
    code, message = refused(ingest.read_table(usage_csv(50), limits=Limits(max_bytes=1000)))
    assert code == "file_too_large" and "the limit is 0 MB" in message and "Split it" in message


def test_a_file_that_would_not_fit_in_memory_is_refused_before_it_is_parsed(no_parsing):
    data = usage_csv(2_000)
    code, message = refused(ingest.read_table(data, limits=Limits(max_memory_mb=0.05)))
    assert code == "not_enough_memory"
    assert "would need about" in message and "0 MB this server can give it" in message and "Split it" in message


def test_too_many_rows_are_refused_before_the_file_is_parsed(no_parsing):
    code, message = refused(ingest.read_table(usage_csv(60), limits=Limits(max_rows=50)))
    assert code == "too_many_rows" and "about 60 rows" in message and "the limit is 50 rows" in message


@pytest.mark.parametrize("line_end", [b"\r", b"\r\n", b"\n"])
def test_rows_are_counted_whatever_ends_the_lines(no_parsing, line_end):
    data = usage_csv(60).replace(b"\n", line_end)
    code, message = refused(ingest.read_table(data, limits=Limits(max_rows=50)))
    assert code == "too_many_rows" and "about 60 rows" in message


@pytest.mark.parametrize("line_end", [b"\r", b"\r\n"])
def test_rows_are_counted_in_a_file_read_from_disk_whatever_ends_the_lines(tmp_path, line_end, monkeypatch):
    monkeypatch.setattr("sse_dash.ingest.read._LINE_BLOCK", 7)  # CRLF split across two blocks counts once
    path = tmp_path / "usage.csv"
    path.write_bytes(usage_csv(60).replace(b"\n", line_end))
    assert _line_count(None, str(path)) == 61
    code, _ = refused(ingest.read_table(None, path=str(path), limits=Limits(max_rows=50)))
    assert code == "too_many_rows"


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (b"", 1),
        (b"a", 1),
        (b"a\n", 1),
        (b"a\nb", 2),
        (b"a\nb\n", 2),
        (b"a\r\nb\r\nc", 3),
        (b"a\r\nb\r\n", 2),
        (b"a\rb\rc\r", 3),
        (b"a\n\nb", 3),
    ],
)
def test_lines_are_counted_alike_from_bytes_and_from_a_file_with_or_without_a_last_line_break(tmp_path, data, lines):
    path = tmp_path / "lines.csv"
    path.write_bytes(data)
    assert _line_count(data, None) == lines
    assert _line_count(None, str(path)) == lines


def test_too_many_columns_are_refused(no_parsing):
    code, message = refused(ingest.read_table(usage_csv(5), limits=Limits(max_columns=6)))
    assert code == "too_many_columns" and "7 columns; the limit is 6" in message


def test_a_file_within_every_limit_reads_as_usual():
    read = ingest.read_table(
        usage_csv(50), limits=Limits(max_bytes=10_000, max_rows=50, max_columns=7, max_memory_mb=10, max_cell_chars=20)
    )
    assert not read.problems_are_fatal and len(read.table.cells) == 50 and not read.problems


def test_workbooks_are_counted_as_they_are_read():
    book = openpyxl.Workbook()
    for i in range(30):
        book.active.append([f"ORG-{i}", "KEN", 2021, "cooperative", "sacco_cu_loan", 1, "KES"])
    buffer = io.BytesIO()
    book.save(buffer)
    code, message = refused(ingest.read_table(buffer.getvalue(), limits=Limits(max_rows=10)))
    assert code == "too_many_rows" and "more than 10 rows; the limit is 10" in message
    assert not ingest.read_table(buffer.getvalue(), limits=Limits(max_rows=30)).problems_are_fatal


def test_a_cell_over_the_length_limit_leaves_its_row_out_with_a_reason(catalogue):
    data = usage_csv(3).replace(b"ORG-1,", b"ORG-1" + b"x" * 500 + b",")
    read = ingest.read_table(data, limits=Limits(max_cell_chars=100))
    result = ingest.ingest_table(read, kind="usage", catalogue=catalogue)
    problems = result.report.problems
    long = problems[problems["code"] == "cell_too_long"]
    assert list(long["row"]) == [3] and list(long["column"]) == ["org_id"]
    assert long["message"].iloc[0] == "This cell has 505 characters; the limit is 100."
    assert long["suggestion"].iloc[0].startswith("Shorten it")
    assert len(long["value"].iloc[0]) == 61  # the first 60 characters and an ellipsis
    assert list(result.frame["org_id"]) == ["ORG-0", "ORG-2"]


def test_every_text_column_is_held_to_the_cell_limit_and_a_cell_at_the_limit_is_kept(catalogue):
    # The limit is 13 characters: the header 'instrument_id' and row 3's org_id have exactly 13, row 5's note, in
    # the last column, has 14. The amounts before it are typed as numbers by the parser.
    data = (
        f"{HEADER},notes\n"
        "ORG-0,KEN,2021,coop,sacco_cu_loan,1,KES,ab\n"
        "ORG-1xxxxxxxx,KEN,2021,coop,sacco_cu_loan,2,KES,ab\n"
        "ORG-2,KEN,2021,coop,sacco_cu_loan,3,KES,ab\n"
        "ORG-3,KEN,2021,coop,sacco_cu_loan,4,KES,abcdefghijklmn\n"
    ).encode()
    read = ingest.read_table(data, limits=Limits(max_cell_chars=13))
    result = ingest.ingest_table(read, kind="usage", catalogue=catalogue)
    long = result.report.problems[result.report.problems["code"] == "cell_too_long"]
    assert list(zip(long["row"], long["column"], strict=True)) == [(5, "notes")]
    assert list(result.frame["org_id"]) == ["ORG-0", "ORG-1xxxxxxxx", "ORG-2"]


def test_numbers_the_parser_typed_are_not_held_to_the_cell_limit(catalogue):
    # The limit guards memory against long texts. A number's text is at most 24 characters, so the columns the
    # parser typed as numbers are not measured; only a limit this low (a test's) could tell.
    data = f"{HEADER},notes\nORG-0,KEN,2021,coop,sacco_cu_loan,12345678901234.5,KES,abcdefghijklmn\n".encode()
    read = ingest.read_table(data, limits=Limits(max_cell_chars=13))
    problems = ingest.ingest_table(read, kind="usage", catalogue=catalogue).report.problems
    assert list(problems.loc[problems["code"] == "cell_too_long", "column"]) == ["notes"]


def test_preview_cuts_long_cells_but_the_data_keeps_them():
    data = usage_csv(2, note="n" * 1_000)
    read = ingest.read_table(data)
    assert read.preview()["notes"].str.len().max() == ingest.PREVIEW_CHARS + 1
    assert read.table.text(7).str.len().max() == 1_000


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SSE_DASH_MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("SSE_DASH_MAX_ROWS", "1000")
    monkeypatch.setenv("SSE_DASH_MAX_COLUMNS", "abc")  # not a number: the default
    monkeypatch.setenv("SSE_DASH_MAX_CELL_CHARS", "-3")  # not positive: the default
    monkeypatch.setenv("SSE_DASH_MAX_IMPORT_MB", "300")
    monkeypatch.setenv("SSE_DASH_MAX_XLSX_EXPANDED_MB", "64")
    found = Limits.from_env()
    assert found == Limits(
        5 * limits.MB, 1000, limits.DEFAULT_MAX_COLUMNS, limits.DEFAULT_MAX_CELL_CHARS, 300, 64, separate_process=True
    )


def test_the_memory_budget_defaults_to_a_share_of_what_is_free(monkeypatch):
    monkeypatch.delenv("SSE_DASH_MAX_IMPORT_MB", raising=False)
    assert Limits.from_env(free_mb=1000).max_memory_mb == 600  # 60 % of one reading
    monkeypatch.setenv("SSE_DASH_MAX_IMPORT_MB", "300")
    assert Limits.from_env(free_mb=1000).max_memory_mb == 300  # the setting wins


def test_free_memory_is_read_from_the_machine(monkeypatch):
    monkeypatch.delenv("SSE_DASH_MAX_IMPORT_MB", raising=False)
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total = int(next(ln for ln in meminfo if ln.startswith("MemTotal:")).split()[1]) / 1024
    free = limits.available_mb()
    assert free is not None and 0 < free <= total  # Linux: cgroup or /proc/meminfo
    assert 0 < Limits.from_env().max_memory_mb <= total * limits.FREE_SHARE


def test_the_upload_page_says_why_a_file_is_refused(monkeypatch):
    monkeypatch.setenv("SSE_DASH_MAX_ROWS", "3")
    at = run_page("pages/upload.py")
    at.file_uploader[0].upload("big.csv", usage_csv(10), "text/csv").run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "The file has about 10 rows; the limit is 3 rows." in errors
    assert "Split it into smaller files" in errors
    assert "2. What we found" not in texts(at)


def wide_csv(columns: int) -> bytes:
    header = HEADER + "," + ",".join(f"an_extra_column_named_{i:06d}" for i in range(columns - 7))  # 600 KB
    row = "ORG-1,KEN,2021,cooperative,sacco_cu_loan,1,KES" + "," * (columns - 7)
    return f"{header}\n{row}\n".encode()


def test_the_column_count_does_not_depend_on_what_was_read_before():
    wide = wide_csv(20_000)
    first = refused(ingest.read_table(wide, limits=Limits(max_columns=500)))
    # A file with one enormous cell, read in between, used to raise the csv module's field limit for the process.
    ingest.read_table(usage_csv(2, note="n" * 300_000).replace(b",", b";"), limits=Limits(max_cell_chars=100))
    assert refused(ingest.read_table(wide, limits=Limits(max_columns=500))) == first
    assert first[0] == "too_many_columns" and "20,000 columns" in first[1]
    assert len(ingest.read_table(wide).table.headers) == 20_000


def test_one_enormous_line_is_reported_not_echoed_as_a_column_name():
    data = b"x" * (3 << 20)
    for bounds in (Limits(), Limits(max_cell_chars=10_000)):
        read = ingest.read_table(data, limits=bounds)
        assert read.table is None and read.problems[0].code == "header_too_long"
        assert len(read.problems[0].text()) < 400 and read.report.columns == []


def test_a_column_name_over_the_cell_limit_refuses_the_file():
    data = usage_csv(2).replace(b"amount", b"a" * 5_000)
    read = ingest.read_table(data, limits=Limits(max_cell_chars=1_000))
    problem = read.problems[0]
    assert read.table is None and problem.code == "header_too_long"
    assert problem.column == "column F" and len(problem.value) == 61
    assert "5,000 characters; the limit for a cell is 1,000" in problem.text()
    assert not ingest.read_table(data, limits=Limits(max_cell_chars=5_000)).problems_are_fatal


def test_a_column_name_over_the_cell_limit_is_named_by_the_row_the_header_is_on():
    long = "a" * 50
    bounds = Limits(max_cell_chars=20)
    for data, row in [
        (f"org_id,{long},year\nA,KEN,2020\n", 1),
        (f"Sales register\norg_id,{long},year\nA,KEN,2020\n", 2),  # below a title
        (f"Sales register\n\norg_id,{long},year\nA,KEN,2020\nB,KEN,2021,x,y\n", 3),  # and the forgiving parse
    ]:
        problems = ingest.read_table(data.encode(), limits=bounds).problems
        assert [(p.code, p.row, p.column) for p in problems if p.code == "header_too_long"] == [
            ("header_too_long", row, "column B")
        ], data
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for record in (["Sales register"], [], ["org_id", long, "year"], ["A", "KEN", 2020]):
        sheet.append(record)
    saved = io.BytesIO()
    workbook.save(saved)
    problems = ingest.read_table(saved.getvalue(), filename="register.xlsx", limits=bounds).problems
    assert [(p.code, p.row) for p in problems] == [("header_too_long", 3)]


def test_a_value_for_every_row_is_held_to_the_cell_limit(catalogue):
    read = ingest.read_table(usage_csv(3), limits=Limits(max_cell_chars=10_000))
    result = ingest.ingest_table(read, kind="usage", catalogue=catalogue, constants={"notes": "n" * 3_000_000})
    problem = result.report.problems.iloc[0]
    assert result.frame.empty and problem["code"] == "value_too_long" and problem["field"] == "notes"
    assert (
        problem["message"]
        == "The value given for every row of 'Notes' has 3,000,000 characters; the limit for a cell is 10,000."
    )
    assert problem["column"] == "Notes (one value for every row)" and problem["value"] == "n" * 60 + "…"
    ok = ingest.ingest_table(read, kind="usage", catalogue=catalogue, constants={"notes": "n" * 10_000})
    assert ok.report.valid_rows == 3


def test_reading_says_its_steps_and_a_workbook_s_memory_is_counted_while_it_is_read_not_guessed_from_its_size():
    from sse_dash import sniff

    steps = []
    read = ingest.read_table(b"org_id,country\nA,KEN\n", progress=lambda share, label: steps.append((share, label)))
    assert steps == [(0.05, "Checking the file"), (0.1, "Reading the table")] and read.table is not None
    assert read.report.columns == ["org_id", "country"]
    workbook = openpyxl.Workbook()
    for record in (["org_id", "country"], ["A", "KEN"]):
        workbook.active.append(record)
    saved = io.BytesIO()
    workbook.save(saved)
    small = Limits(max_memory_mb=0.01)  # less than 12 kB of CSV would need, more than two cells of a workbook
    assert ingest.read_table(saved.getvalue(), filename="a.xlsx", limits=small).problems == []
    csv = b"org_id,country\n" + b"A,KEN\n" * 2_000
    assert [p.code for p in ingest.read_table(csv, limits=small).problems] == ["not_enough_memory"]
    # A file blank in its first megabyte is not an empty file: what follows is read.
    late = b"\n" * (sniff.SAMPLE_BYTES + 10) + b"org_id,country\nA,KEN\n"
    assert "empty_file" not in [p.code for p in ingest.read_table(late).problems]
    assert [p.code for p in ingest.read_table(b"\n" * 100).problems] == ["empty_file"]
