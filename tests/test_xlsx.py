"""Workbooks are read by counting, never by believing: hostile workbooks are refused or read for what they hold,
within the limits, and uploads are read in a child process with its own memory limit (#11)."""

import io
import zipfile

import openpyxl
import pytest
import workbooks

from sse_dash import ingest, xlsx
from sse_dash.ingest.problems import Problem
from sse_dash.limits import Limits

UPLOAD = Limits(max_rows=2_000_000, max_columns=500, max_memory_mb=400, max_xlsx_expanded_mb=512)


def test_a_declared_dimension_costs_nothing():
    data = workbooks.wide_dimension()
    assert len(data) < 8_000
    sheet = xlsx.read_sheet(data, bounds=UPLOAD.xlsx_bounds())
    assert sheet.problem is None and sheet.row_numbers == [1, 100_001]
    assert len(sheet.rows[0]) == 500 and sheet.rows[1] == [""] * 499 + ["x"]


def test_a_row_numbered_in_the_millions_is_one_row_that_keeps_its_number(catalogue):
    read = ingest.read_table(workbooks.far_row(), limits=UPLOAD)
    assert not read.problems_are_fatal and list(read.table.cells.index) == [3_000_000]
    result = ingest.ingest_table(read, kind="usage", catalogue=catalogue)
    assert result.report.rows == 1 and list(result.frame["org_id"]) == ["ORG-3000000"]


def test_a_dimension_that_says_fewer_rows_hides_none(catalogue):
    result = ingest.ingest(workbooks.short_dimension(1_000), kind="usage", catalogue=catalogue)
    assert result.report.rows == 1_000 and result.report.valid_rows == 1_000
    assert result.frame.index[-1] == 1_001  # the last row of the sheet


def test_rows_are_counted_as_they_stream_past():
    data = workbooks.usage_workbook(30, dimension="A1:G2")
    read = ingest.read_table(data, limits=Limits(max_rows=29))
    assert read.table is None and read.problems[0].code == "too_many_rows"
    assert not ingest.read_table(data, limits=Limits(max_rows=30)).problems_are_fatal


def test_a_cell_far_to_the_right_is_refused_as_too_many_columns():
    data = workbooks.workbook(
        workbooks.sheet([workbooks.row_xml(1, ["a", "b"]), '<row r="2"><c r="XFD2"><v>1</v></c></row>'])
    )
    read = ingest.read_table(data, limits=Limits(max_columns=500))
    assert read.problems[0].code == "too_many_columns" and "at least 16,384 columns" in read.problems[0].text()


def test_xml_that_expands_past_the_limit_is_refused_while_it_streams():
    data = workbooks.expanding(24)
    assert len(data) < 200_000  # a thousandfold
    read = ingest.read_table(data, limits=Limits(max_xlsx_expanded_mb=8))
    problem = read.problems[0]
    assert read.table is None and problem.code == "workbook_too_large"
    assert "more than 8 MB" in problem.text() and "as CSV" in problem.text()


def test_what_the_cells_take_is_counted_against_the_memory_budget():
    data = workbooks.usage_workbook(5_000)
    read = ingest.read_table(data, limits=Limits(max_memory_mb=1))  # half of it for the cells: 512 KB
    assert read.table is None and read.problems[0].code == "not_enough_memory"
    assert not ingest.read_table(data, limits=Limits(max_memory_mb=100)).problems_are_fatal


def test_the_reader_gives_what_a_spreadsheet_shows():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["text", "whole", "decimal", "date", "moment", "flag", "formula", "escaped"])
    sheet.append(["Coopérative", 2019.0, 1234.5, "=DATE(2020,3,1)", None, True, "=1+1", "a<b & c"])
    sheet["D2"].value = __import__("datetime").date(2020, 3, 1)
    sheet["E2"].value = __import__("datetime").datetime(2021, 1, 2, 13, 5)
    buffer = io.BytesIO()
    book.save(buffer)
    found = xlsx.read_sheet(buffer.getvalue())
    assert found.rows[1] == [
        "Coopérative",
        "2019",
        "1234.5",
        "2020-03-01",
        "2021-01-02T13:05:00",
        "true",
        "",
        "a<b & c",
    ]


def test_damaged_and_declaring_workbooks_are_refused_with_a_reason():
    broken = workbooks.usage_workbook(3)[:-200]
    assert ingest.read_table(broken).problems[0].code == "unreadable_excel"
    with_doctype = workbooks.workbook(['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>'])
    problem = ingest.read_table(with_doctype).problems[0]
    assert problem.code == "unreadable_excel" and "document type" in problem.text()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("xl/other.xml", "<x/>")
    assert ingest.read_table(buffer.getvalue()).problems[0].code == "unreadable_excel"


def test_the_child_process_reads_the_same_and_keeps_to_its_own_memory_limit():
    data = workbooks.usage_workbook(200)
    apart = xlsx.read_apart(data, None, UPLOAD.xlsx_bounds())
    assert apart == xlsx.read_sheet(data, None, UPLOAD.xlsx_bounds())
    seen: list[float] = []
    xlsx.read_apart(workbooks.usage_workbook(20_000), None, UPLOAD.xlsx_bounds(), seen.append)
    assert seen and all(0 <= a <= b < 1 for a, b in zip(seen, seen[1:], strict=False))


def test_a_child_out_of_memory_is_a_clear_problem_not_an_exception(monkeypatch):
    # No budget of our own: the child's address space (64 MB) is what stops it.
    monkeypatch.setattr(xlsx, "_child_memory_bytes", lambda _size, _bounds: 64 << 20)
    found = xlsx.read_apart(workbooks.usage_workbook(200_000), None, xlsx.Bounds())
    assert found.problem is not None and found.problem[0] == "not_enough_memory" and not found.rows


def test_a_child_out_of_time_is_stopped(monkeypatch):
    monkeypatch.setattr(xlsx, "WORKER_SECONDS", 0.3)
    found = xlsx.read_apart(workbooks.usage_workbook(100_000), None, xlsx.Bounds())
    assert found.problem is not None and found.problem[0] == "not_enough_memory"
    assert "memory or time" in Problem.as_read(*found.problem).message


@pytest.mark.parametrize("limits", [Limits(separate_process=True), Limits()])
def test_uploads_read_workbooks_apart_and_the_command_line_in_process(limits, catalogue):
    result = ingest.ingest_table(ingest.read_table(workbooks.usage_workbook(5), limits=limits), catalogue=catalogue)
    assert result.report.kind == "usage" and result.report.valid_rows == 5


# Written from the survivors of the mutation check (docs/mutation.md, "ingest").


def test_an_empty_sheet_is_named_in_its_problem():
    (problem,) = ingest.read_table(workbooks.workbook(workbooks.sheet([]))).problems
    assert problem.code == "empty_file" and "'Data'" in problem.message  # the sheet's name in workbooks.WORKBOOK
    assert "Choose another sheet" in problem.suggestion


def test_reading_a_workbook_reports_its_progress_between_a_tenth_and_seven_tenths():
    seen: list[tuple[float, str]] = []
    read = ingest.read_table(
        workbooks.usage_workbook(50), progress=lambda fraction, label: seen.append((fraction, label))
    )
    assert read.problems == [] and read.report.source_format == read.report.encoding == "xlsx"
    steps = [fraction for fraction, label in seen if label == "Reading the workbook"]
    assert steps and all(0.1 <= a <= b <= 0.7 for a, b in zip(steps, steps[1:] + [0.7], strict=True))


def test_a_workbook_read_without_a_progress_callback():
    report = ingest.IngestReport()
    table, problems = ingest.read_excel_table(workbooks.usage_workbook(3), report, None)
    assert problems == [] and list(table.cells.index) == [2, 3, 4]
    assert (report.source_format, report.encoding, report.sheet) == ("xlsx", "xlsx", "Data")


def test_the_limits_decide_whether_a_workbook_is_read_in_a_child_process(monkeypatch):
    monkeypatch.setattr(xlsx, "WORKER_SECONDS", 0.0)  # a child is stopped at once: only a child can fail so
    data = workbooks.usage_workbook(5)
    apart = ingest.read_table(data, limits=Limits(separate_process=True))
    assert apart.table is None and [p.code for p in apart.problems] == ["not_enough_memory"]
    here = ingest.read_table(data, limits=Limits())
    assert here.problems == [] and len(here.table.cells) == 5


@pytest.mark.parametrize(
    ("rows", "warnings"),
    [
        ([(1, workbooks.USAGE_HEADER)], []),
        (
            [(1, ["Usage of 2021"]), (2, workbooks.USAGE_HEADER)],
            ["Row 1 looked like a title and was skipped; the header is row 2."],
        ),
        ([(3, workbooks.USAGE_HEADER)], ["Rows 1–2 looked like a title and were skipped; the header is row 3."]),
    ],
)
def test_rows_above_the_header_are_said_to_be_a_title(rows, warnings):
    header_row = rows[-1][0]
    cells = [workbooks.row_xml(number, values) for number, values in rows]
    data = workbooks.workbook(workbooks.sheet([*cells, workbooks.row_xml(header_row + 1, workbooks.usage_row(1))]))
    read = ingest.read_table(data)
    assert read.report.warnings == warnings and read.table.headers == workbooks.USAGE_HEADER
    assert list(read.table.cells.index) == [header_row + 1]


def test_a_short_row_is_filled_with_empty_cells_in_the_table_and_the_preview():
    rows = [workbooks.row_xml(1, workbooks.USAGE_HEADER), workbooks.row_xml(2, ["ORG-2", "KEN", 2021])]
    read = ingest.read_table(workbooks.workbook(workbooks.sheet(rows)))
    assert read.report.decimal == "."
    assert read.table.cells.loc[2].tolist() == ["ORG-2", "KEN", "2021", "", "", "", ""]
    assert read.preview().loc[2].tolist() == ["ORG-2", "KEN", "2021", "", "", "", ""]
    many = [workbooks.row_xml(1, workbooks.USAGE_HEADER)]
    many += [workbooks.row_xml(r, [f"ORG-{r}", "KEN", 2021]) for r in range(2, 14)]
    shown = ingest.read_table(workbooks.workbook(workbooks.sheet(many))).preview(rows=20)
    assert list(shown.index) == list(range(2, 10))  # the eight rows read for the preview, however many are asked


def test_a_sheet_of_headers_alone_has_no_rows_and_still_numbers_them():
    read = ingest.read_table(workbooks.workbook(workbooks.sheet([workbooks.row_xml(1, workbooks.USAGE_HEADER)])))
    assert read.problems == [] and read.table.cells.empty and read.table.cells.index.dtype == "int64"
