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
