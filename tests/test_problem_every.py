"""`every`: the row, column and code of every problem of a report (what the counts and the full download read),
built from problems of many cells, problem records and problems of the whole file."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sse_dash.ingest.listing import cell_problems, report_problems
from sse_dash.ingest.problems import PROBLEM_COLUMNS, Problem, ProblemCode


def bad_cells(rows, column="Année", code=ProblemCode.INVALID_YEAR):
    raw = pd.Series(["-1"] * len(rows), index=rows, dtype="object")
    return cell_problems(
        raw, np.ones(len(rows), dtype=bool), column, "year", lambda v: Problem.of(code, {"quoted": v}), code=code
    )


def missing(row):
    """The year of `row` is empty (a problem record, in the column 'Année')."""
    return Problem.of(
        ProblemCode.MISSING_VALUE, {"name": "year", "fill_hint": ""}, row=row, column="Année", field="year"
    )


def too_many(row, width):
    """`row` has `width` cells under a header of eight (a problem of the row, no column)."""
    params = {"row": row, "width": width, "header_width": 8, "delimiter": "comma"}
    return Problem.of(ProblemCode.TOO_MANY_CELLS, params, row=row)


def test_every_problem_of_cells_records_and_the_file_by_row_then_column():
    found = [
        bad_cells([5, 3]),
        too_many(4, 9),
        Problem.of(
            ProblemCode.MISSING_VALUE, {"name": "country", "fill_hint": ""}, row=3, column="Pays", field="country"
        ),
        Problem.of(ProblemCode.EMPTY_FILE, {"sheet": "x"}),  # of the whole file: no row, no column
    ]
    _, every = report_problems(found)
    assert list(every.columns) == ["row", "column", "code"]
    assert every.astype(object).where(every.notna(), None).values.tolist() == [
        [None, None, "empty_file"],
        [3, "Année", "invalid_year"],
        [3, "Pays", "missing_value"],
        [4, None, "too_many_cells"],
        [5, "Année", "invalid_year"],
    ]
    assert every["column"].isna().tolist() == [True, False, False, True, False]  # no column: missing, not a name
    assert str(every["row"].dtype) == "Int32"  # compact: millions of problems cost a few bytes each


def test_rows_past_two_billion_are_kept_whole():
    _, every = report_problems([bad_cells([3_000_000_000, 7])])
    assert every["row"].tolist() == [7, 3_000_000_000] and str(every["row"].dtype) == "Int64"


def test_the_last_row_number_of_32_bits_still_fits_them():
    _, every = report_problems([bad_cells([2**31 - 1])])
    assert every["row"].tolist() == [2**31 - 1] and str(every["row"].dtype) == "Int32"


def test_no_problem_gives_an_empty_table_of_the_three_columns():
    _, every = report_problems([])
    assert list(every.columns) == ["row", "column", "code"] and len(every) == 0


def test_of_two_problems_of_one_cell_the_first_found_is_kept_whether_a_record_or_many_cells():
    for found, kept in [
        ([missing(3), bad_cells([3, 5])], ["missing_value", "invalid_year"]),
        ([bad_cells([3, 5]), missing(3)], ["invalid_year", "invalid_year"]),
        ([missing(3), bad_cells([3, 5]), missing(5)], ["missing_value", "invalid_year"]),
    ]:
        listed, every = report_problems(found)
        assert every["row"].tolist() == [3, 5] and every["code"].astype(str).tolist() == kept
        assert listed["row"].tolist() == [3, 5] and listed["code"].astype(str).tolist() == kept
        assert list(listed.columns) == PROBLEM_COLUMNS and list(listed.index) == [0, 1]  # the columns of a report
    # Without the check of one problem per cell, every one is kept, in the order found within a cell.
    listed, every = report_problems([missing(3), bad_cells([3])], dedupe=False)
    assert every["code"].astype(str).tolist() == ["missing_value", "invalid_year"]


def test_one_problem_per_cell_and_per_row_is_kept_across_runs_of_records_and_cells():
    found = [
        Problem.of(ProblemCode.EMPTY_FILE, {"sheet": "x"}),  # of the file: no row, no field
        Problem.of(ProblemCode.MISSING_COLUMN, {"name": "year", "fill_hint": ""}, column="Année", field="year"),
        too_many(4, 9),
        missing(3),
        bad_cells([3, 5]),  # row 3 is already missing: only row 5 is kept
        too_many(4, 10),  # row 4 already has a problem of its own
        missing(5),
        too_many(5, 11),
    ]
    listed, every = report_problems(found)
    assert every.astype(object).where(every.notna(), None).values.tolist() == [
        [None, None, "empty_file"],
        [None, "Année", "missing_column"],
        [3, "Année", "missing_value"],
        [4, None, "too_many_cells"],
        [5, None, "too_many_cells"],
        [5, "Année", "invalid_year"],
    ]
    assert listed["message"][3] == "Row 4 has 9 cells but the header has 8."  # the first found of its row


def test_frames_of_problems_become_one_report_table_sorted_by_row_then_column_with_blank_suggestions_empty():
    from sse_dash.ingest.problems import PROBLEM_COLUMNS, sorted_problems

    def frame(rows, column, code, suggestion, index):
        return pd.DataFrame(
            {
                "row": rows,
                "column": column,
                "field": None,
                "value": "x",
                "code": code,
                "message": pd.Series([f"{code} {r}" for r in rows], dtype="object", index=index),
                "suggestion": suggestion,
                "extra": 1,  # not a column of the report
            },
            index=index,
        )

    found = sorted_problems(
        [
            frame([5, 3], "B", "invalid_year", np.nan, [0, 1]),
            frame([], "B", "none", "", []),
            frame([3, None], "A", "missing_value", "Fill it in", [0, 1]),
            frame([3], "A", "cell_too_long", "Shorten it", [7]),
        ]
    )
    assert list(found.columns) == PROBLEM_COLUMNS and list(found.index) == [0, 1, 2, 3, 4]
    assert found[["row", "column", "code"]].astype(object).where(
        found[["row", "column", "code"]].notna(), None
    ).values.tolist() == [
        [None, "A", "missing_value"],
        [3, "A", "missing_value"],
        [3, "A", "cell_too_long"],  # two problems of one cell stay in the order found
        [3, "B", "invalid_year"],
        [5, "B", "invalid_year"],
    ]
    assert found["suggestion"].tolist() == ["Fill it in", "Fill it in", "Shorten it", "", ""]
    assert str(found["row"].dtype) == "Int64"
    for name in ("message", "suggestion"):
        assert pd.api.types.is_string_dtype(found[name].dtype) and not pd.api.types.is_object_dtype(found[name])
    empty = sorted_problems([frame([], "B", "none", "", [])])
    assert list(empty.columns) == PROBLEM_COLUMNS and len(empty) == 0 and str(empty["row"].dtype) == "Int64"
