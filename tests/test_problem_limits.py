"""The problem report counts every problem but lists at most the first N of each kind; the rest is downloadable."""

import io
import json

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import run_page, texts

from sse_dash import uploads
from sse_dash.cli import main, summary_lines
from sse_dash.export import to_csv_bytes
from sse_dash.ingest import Problem, ingest, listing

HEADER = "org_id,country,year,sse_type,instrument_id,amount,currency"


def usage_file(rows: int, bad_amount, bad_country=lambda i: False) -> bytes:
    """`rows` usage rows; the amount of row i (0-based) is distinct words ('about i') where `bad_amount(i)`, the
    country 'Atlantis' where `bad_country(i)`."""
    lines = [HEADER]
    for i in range(rows):
        amount = f"about {i}" if bad_amount(i) else str(1000 + i)
        country = "Atlantis" if bad_country(i) else "KEN"
        lines.append(f"C-{i},{country},2021,cooperative,sacco_cu_loan,{amount},KES")
    return "\n".join(lines).encode()


def spreadsheet_rows(rows: int, flagged) -> list[int]:
    """The spreadsheet rows (the header is row 1) of the generated rows flagged."""
    return [i + 2 for i in range(rows) if flagged(i)]


def every_third(i: int) -> bool:
    return i % 3 == 0


def country_bad(i: int) -> bool:
    return i % 7 == 1


def test_more_problems_of_a_kind_than_listed_lists_the_first_n_and_counts_every_one():
    rows, limit = 90, 10
    report = ingest(usage_file(rows, every_third, country_bad), filename="big.csv", listed_per_kind=limit).report
    amounts, countries = spreadsheet_rows(rows, every_third), spreadsheet_rows(rows, country_bad)
    bad = set(amounts) | set(countries)
    listed = report.problems
    assert listed.loc[listed["code"] == "invalid_number", "row"].tolist() == amounts[:limit]
    assert listed.loc[listed["code"] == "unknown_country", "row"].tolist() == countries[:limit]
    assert report.counts_by_code().to_dict() == {"invalid_number": len(amounts), "unknown_country": len(countries)}
    assert report.problem_count == len(amounts) + len(countries) > len(listed) == 2 * limit
    assert (report.rows, report.valid_rows, report.rows_left_out) == (rows, rows - len(bad), len(bad))
    assert report.rows_with_problems == len(bad)
    assert report.to_dict()["problem_counts"] == {"invalid_number": len(amounts), "unknown_country": len(countries)}
    assert report.to_dict()["listed_per_kind"] == limit and len(report.to_dict()["problems"]) == 2 * limit
    summary = uploads.problem_counts(report).set_index("code")
    assert summary.loc["invalid_number", ["problems", "rows"]].tolist() == [len(amounts), len(amounts)]
    assert f"{len(bad)} of {rows} rows have at least one problem" in uploads.left_out_summary(report)
    assert f"{rows - len(bad)} rows would be used" in uploads.left_out_summary(report)


def test_the_full_list_downloads_every_problem_with_its_row_column_and_kind():
    rows, limit = 90, 4
    report = ingest(usage_file(rows, every_third, country_bad), filename="big.csv", listed_per_kind=limit).report
    full = pd.read_csv(io.BytesIO(to_csv_bytes(uploads.every_problem_table(report))))
    assert list(full.columns) == ["Spreadsheet row", "Column", "Problem", "Code"]
    amounts = full[full["Code"] == "invalid_number"]
    assert amounts["Spreadsheet row"].tolist() == spreadsheet_rows(rows, every_third)
    assert set(amounts["Column"]) == {"amount"} and set(amounts["Problem"]) == {"not a number"}
    countries = full[full["Code"] == "unknown_country"]["Spreadsheet row"].tolist()
    assert countries == spreadsheet_rows(rows, country_bad)
    assert full["Spreadsheet row"].is_monotonic_increasing
    notes = uploads.cut_notes(report)
    assert f"Showing the first {limit} of {len(amounts)} problems of this kind (not a number)" in " ".join(notes)


def test_a_country_that_could_not_be_read_is_not_also_missing_beyond_the_listed_ones():
    # An unknown country has no code, which the 'required' check would also call missing: the first problem of the
    # cell wins, for the rows listed and for the rows only counted.
    rows, limit = 40, 3
    report = ingest(usage_file(rows, lambda i: False, lambda i: i % 2 == 0), listed_per_kind=limit).report
    assert report.counts_by_code().to_dict() == {"unknown_country": rows // 2}
    assert report.valid_rows == rows // 2


def test_only_the_problems_listed_are_written_out():
    # 3,000 distinct bad amounts, 5 listed: the messages of the others are never rendered.
    rendered = []
    original = Problem.of.__func__

    def counting(cls, code, *args, **kwargs):
        rendered.append(code)
        return original(cls, code, *args, **kwargs)

    rows = 3_000
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Problem, "of", classmethod(counting))
        report = ingest(usage_file(rows, lambda i: True), filename="all-bad.csv", listed_per_kind=5).report
    assert report.counts_by_code().to_dict() == {"invalid_number": rows}
    assert len(report.problems) == 5
    assert rendered.count("invalid_number") == 5


@pytest.mark.parametrize("name", ["usage_broken.csv", "usage_european.csv", "missing_column.csv", "usage_ok.csv"])
def test_a_file_with_few_problems_lists_every_one(data_file, name):
    report = ingest(data_file(name), filename=name).report
    everything = ingest(data_file(name), filename=name, listed_per_kind=10**9).report
    pd.testing.assert_frame_equal(report.problems, everything.problems)
    assert report.problem_count == len(report.problems)
    assert uploads.cut_notes(report) == []
    listed = report.problems[["row", "column", "code"]].astype({"row": "Int64", "column": "str", "code": "str"})
    every = report.all_problems().astype({"row": "Int64", "column": "str", "code": "str"})
    pd.testing.assert_frame_equal(listed, every)


def test_validate_json_counts_every_problem_and_says_how_many_are_listed(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(listing, "MAX_LISTED_PER_KIND", 6)
    path = tmp_path / "big.csv"
    path.write_bytes(usage_file(50, every_third))
    main(["validate", str(path), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["problem_counts"] == {"invalid_number": 17} and report["listed_per_kind"] == 6
    assert [p["row"] for p in report["problems"]] == spreadsheet_rows(50, every_third)[:6]
    assert report["valid_rows"] == 50 - 17


def test_validate_says_how_many_more_and_where_to_see_them():
    report = ingest(usage_file(300, lambda i: True), filename="all-bad.csv", listed_per_kind=120).report
    lines = summary_lines(report)
    assert "Valid: no. 300 problem(s) in 300 row(s); 0 of 300 rows are valid." in lines
    assert lines[-1] == "  … and 200 more (use --json to see the first 120 of each kind)."


def test_the_upload_page_says_how_many_are_shown_and_offers_the_full_list(monkeypatch):
    monkeypatch.setattr(listing, "MAX_LISTED_PER_KIND", 5)
    at = run_page("pages/upload.py")
    at.file_uploader[0].upload("big.csv", usage_file(30, every_third), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Problems"] == "10"
    assert "Showing the first 5 of 10 problems of this kind (not a number); download the full list." in texts(at)
    assert len(at.dataframe[-1].value) == 5
    labels = [b.label for b in at.get("download_button")]
    assert "Download the problems (CSV)" in labels and "Download the full list of problems (CSV)" in labels
    assert "20 rows would be used" in texts(at)


def test_problem_rows_are_kept_ascending_in_the_smallest_whole_number_type_that_holds_them():
    from sse_dash.ingest.listing import compact_rows

    largest = 2**31 - 1  # the last row an int32 holds
    for rows, kept, dtype in [
        ([2, 5, 9], [2, 5, 9], np.int32),
        ([5, 3], [3, 5], np.int32),
        ([4, 9, 7], [4, 7, 9], np.int32),  # out of order after the first row
        ([largest], [largest], np.int32),
        ([3, largest + 1], [3, largest + 1], np.int64),
        ([], [], np.int64),
    ]:
        found = compact_rows(np.array(rows, dtype=np.int64))
        assert found.tolist() == kept and found.dtype == dtype, rows
