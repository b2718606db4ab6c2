"""What an ingest report says of a file: problems by kind, the kinds listed only in part, the delimiter in words."""

import pandas as pd
import pytest

from sse_dash.ingest import IngestReport, ingest

HEADER = "org_id,country,year,sse_type,instrument_id,amount,currency"


def usage(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


# Rows 2–7 as a spreadsheet numbers them: three bad amounts (rows 2, 4, 5), a bad country in rows 4 and 6, row 7 clean.
FILE = usage(
    "A,KEN,2021,cooperative,sacco_cu_loan,about one,KES",
    "B,KEN,2021,cooperative,sacco_cu_loan,100,KES",
    "C,Atlantis,2021,cooperative,sacco_cu_loan,some,KES",
    "D,KEN,2021,cooperative,sacco_cu_loan,a lot,KES",
    "E,Atlantis,2021,cooperative,sacco_cu_loan,200,KES",
    "F,KEN,2021,cooperative,sacco_cu_loan,300,KES",
)


@pytest.mark.parametrize("listed", [1, 2, 100])
def test_problems_and_rows_are_counted_by_kind_however_many_are_listed(listed):
    report = ingest(FILE, filename="usage.csv", listed_per_kind=listed).report
    counts = report.code_counts()
    assert list(counts.columns) == ["code", "problems", "rows"]
    assert counts.to_dict("records") == [
        {"code": "invalid_number", "problems": 3, "rows": 3},
        {"code": "unknown_country", "problems": 2, "rows": 2},
    ]
    assert (report.rows, report.valid_rows, report.rows_with_problems) == (6, 2, 4)


def test_a_row_with_two_problems_of_one_kind_counts_once_among_the_rows():
    data = (
        f"{HEADER},amount_usd\n"
        "A,KEN,2021,cooperative,sacco_cu_loan,about one,KES,about two\n"
        "B,KEN,2021,cooperative,sacco_cu_loan,some,KES,10\n"
        "C,KEN,2021,cooperative,sacco_cu_loan,1,KES,11\n"
        "D,KEN,2021,cooperative,sacco_cu_loan,1,KES,12\n"
    ).encode()
    report = ingest(data, filename="u.csv").report
    assert report.code_counts().to_dict("records") == [{"code": "invalid_number", "problems": 3, "rows": 2}]


def test_a_file_without_problems_has_an_empty_count_table_with_its_columns():
    report = ingest(usage("A,KEN,2021,cooperative,sacco_cu_loan,1,KES"), filename="u.csv").report
    assert report.valid
    counts = report.code_counts()
    assert counts.empty and list(counts.columns) == ["code", "problems", "rows"]
    assert report.cut_kinds().empty


def test_the_kinds_listed_only_in_part_say_how_many_are_listed_of_how_many():
    report = ingest(FILE, filename="usage.csv", listed_per_kind=2).report
    assert report.cut_kinds().to_dict("records") == [{"code": "invalid_number", "listed": 2, "problems": 3}]
    one = ingest(FILE, filename="usage.csv", listed_per_kind=1).report
    assert one.cut_kinds().to_dict("records") == [
        {"code": "invalid_number", "listed": 1, "problems": 3},
        {"code": "unknown_country", "listed": 1, "problems": 2},
    ]
    assert list(one.cut_kinds().index) == [0, 1]
    assert ingest(FILE, filename="usage.csv", listed_per_kind=3).report.cut_kinds().empty
    none = ingest(FILE, filename="usage.csv", listed_per_kind=0).report  # counted, none listed
    assert none.problems.empty and none.cut_kinds().to_dict("records") == [
        {"code": "invalid_number", "listed": 0, "problems": 3},
        {"code": "unknown_country", "listed": 0, "problems": 2},
    ]
    assert none.cut_kinds()["listed"].dtype == "int64"


@pytest.mark.parametrize(
    ("delimiter", "words"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe"), ("#", "#"), (None, "")]
)
def test_the_delimiter_is_named_in_words(delimiter, words):
    assert IngestReport(delimiter=delimiter).delimiter_name() == words


def test_the_report_as_json_names_each_problem_by_row_column_and_value():
    data = usage("A,KEN,2021,cooperative,sacco_cu_loan,about one,KES", "B,KEN,2021,cooperative,sacco_cu_loan,5,KES")
    report = ingest(data.replace(b",", b";"), filename="usage.csv", listed_per_kind=7).report
    summary = report.to_dict()
    assert {k: summary[k] for k in ("valid", "kind", "rows", "valid_rows", "delimiter", "source_format")} == {
        "valid": False,
        "kind": "usage",
        "rows": 2,
        "valid_rows": 1,
        "delimiter": ";",
        "source_format": "csv",
    }
    assert summary["encoding"] == report.encoding and summary["decimal"] == report.decimal
    assert summary["mapping"]["amount"] == "amount" and summary["extra_columns"] == []
    assert summary["problem_counts"] == {"invalid_number": 1} and summary["listed_per_kind"] == 7
    [problem] = summary["problems"]
    listed = report.problems.iloc[0]
    assert problem == {
        "row": 2,
        "column": "amount",
        "value": "about one",
        "message": f"{listed['message']} {listed['suggestion']}",
        "suggestion": listed["suggestion"],
        "code": "invalid_number",
        "field": "amount",
    }
    assert type(problem["row"]) is int and listed["message"] and listed["suggestion"]


def test_a_problem_of_the_whole_file_has_no_row_column_value_or_field_in_json():
    summary = ingest(b"", filename="u.csv").report.to_dict()
    assert summary["problems"], summary
    for problem in summary["problems"]:
        assert (problem["row"], problem["column"], problem["value"]) == (None, None, None)
        assert problem["message"] == problem["message"].strip() and problem["code"]
    assert sum(summary["problem_counts"].values()) == len(summary["problems"])
    assert summary["warnings"] == [] or all(isinstance(w, str) for w in summary["warnings"])


def test_problems_of_every_row_are_counted_though_few_are_listed():
    report = ingest(FILE, filename="usage.csv", listed_per_kind=1).report
    assert len(report.problems) == 2 and report.problem_count == 5
    assert list(report.counts_by_code().items()) == [("invalid_number", 3), ("unknown_country", 2)]
    every = report.all_problems()
    assert sorted(every["row"].astype(int)) == [2, 4, 4, 5, 6]
    assert isinstance(every, pd.DataFrame)
