"""Years, one column at a time (`coerce_field` on the usage year): whole numbers as they are, numbers with a
fraction, years in text, dates and labels, Persian digits, and cells that say nothing. Expected values are read off
the cells by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from sse_dash.ingest import coerce_field
from sse_dash.schema import FIELDS

YEAR = next(f for f in FIELDS["usage"] if f.name == "year")


def years(cells, dtype="object"):
    """The year column coerced: the result, its values (None for missing), and its problems as (row, code, value)
    with what each says."""
    raw = pd.Series(cells, index=range(2, 2 + len(cells)), dtype=dtype)
    coerced = coerce_field(raw, YEAR, "Column C", "usage", ".", None)
    values = [None if pd.isna(v) else int(v) for v in coerced.values]
    frames = [listed.frame(listed.rows) for listed in coerced.problems]
    found = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["row", "code", "value"])
    assert set(found.get("column", [])) <= {"Column C"}
    problems = sorted(zip(found["row"].astype(int), found["code"].astype(str), found["value"], strict=True))
    return coerced, raw, values, problems


def test_a_column_of_whole_numbers_is_kept_as_it_is_without_a_copy():
    coerced, raw, values, problems = years([2019, 2020, 2021], dtype="int64")
    assert coerced.values is raw and values == [2019, 2020, 2021]
    assert problems == [] and coerced.notes == []


def test_numbers_with_a_fraction_are_problems_named_by_row_and_column_and_the_rest_are_whole_years():
    coerced, _, values, problems = years([2019.0, 2020.5, None, 2021.0], dtype="float64")
    assert str(coerced.values.dtype) == "Int64"
    assert values == [2019, None, None, 2021]
    # the fraction is a wrong year; the empty cell of a required column is a missing value
    assert [(row, code) for row, code, _ in problems] == [(3, "invalid_year"), (4, "missing_value")]


def test_plain_years_in_text_take_no_note_and_words_for_nothing_are_missing_not_wrong():
    coerced, _, values, problems = years(["2019", " 2020 ", "n/a", "-", "2021"])
    assert values == [2019, 2020, None, None, 2021] and str(coerced.values.dtype) == "Int64"
    assert coerced.notes == []  # numbers written as text are years, not dates or labels
    assert [(row, code) for row, code, _ in problems] == [(4, "missing_value"), (5, "missing_value")]


def test_a_persian_year_with_a_fraction_is_not_read_as_a_longer_whole_year():
    # '۱۳۹۹٫۵' is 1399.5 (the Arabic decimal separator): not a whole year, whatever its digits would make without it
    _, _, values, problems = years(["۱۴۰۰", "۱۳۹۹٫۵"])
    assert values == [2021, None]  # 1400 Solar Hijri begins in 2021
    assert [(row, code) for row, code, _ in problems] == [(3, "invalid_year")]


def test_years_taken_from_dates_and_labels_are_said_with_their_count_column_and_an_example():
    coerced, _, values, problems = years(["31/12/2019", "FY 2020", "2021", "sometime"])
    assert values == [2019, 2020, 2021, None]
    assert [(row, code, value) for row, code, value in problems] == [(5, "invalid_year", "sometime")]
    assert coerced.notes == [
        "2 values in 'Column C' were dates or labels; the year was taken from them (e.g. '31/12/2019')."
    ]


def test_one_year_taken_from_a_date_is_said_in_the_singular():
    coerced, _, values, _ = years(["2018", "2019-06-30"])
    assert values == [2018, 2019]
    assert coerced.notes == ["1 value in 'Column C' was a date or a label; the year was taken from it ('2019-06-30')."]


def test_solar_hijri_years_taken_from_dates_are_said_in_both_notes_and_kept_as_written():
    from sse_dash.ingest.coerce import solar_hijri_notes

    coerced, _, values, problems = years(["1399", "1400/12/29"])
    assert values == [2020, 2021] and problems == []
    assert coerced.notes == [
        "1 value in 'Column C' was a date or a label; the year was taken from it ('1400/12/29').",
        *solar_hijri_notes(2, 2, "Column C", 1399),
    ]
    assert coerced.original.tolist() == [1399, 1400] and str(coerced.values.dtype) == "Int64"


def test_the_solar_hijri_note_says_how_each_year_was_read_word_for_word():
    from sse_dash.ingest.coerce import solar_hijri_notes

    converted = (
        "{n} of 5 years in 'سال' are from 1300 to 1499 and were read as Solar Hijri years: each is stored as the "
        "Gregorian year in which it begins (year + 621: 1399 -> 2020); the Solar Hijri year is kept in the column "
        "year_solar_hijri of the cleaned file."
    )
    assert solar_hijri_notes(5, 5, "سال", 1399) == [converted.format(n=5)]
    assert solar_hijri_notes(4, 5, "سال", 1399) == [
        converted.format(n=4),
        "'سال' mixes calendars: 1 year was not Solar Hijri and was kept as a Gregorian year. "
        "Check that each row's year is in the calendar you meant.",
    ]
    assert solar_hijri_notes(3, 5, "سال", 1399)[1] == (
        "'سال' mixes calendars: 2 years were not Solar Hijri and were kept as Gregorian years. "
        "Check that each row's year is in the calendar you meant."
    )
    assert "(year + 621: 1300 -> 1921)" in solar_hijri_notes(1, 1, "Year", 1300)[0]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("1399", 2020),
        ("۱۳۹۹", 2020),
        ("۱۳۹۹٫۰", 2020),  # Persian digits with the Arabic decimal mark
        ("1300", 1921),  # the first year read as Solar Hijri
        ("1499", 2120),  # the last
        ("1899", 1899),
        ("2020", 2020),
        ("FY 2019/20", 2019),
        ("12345", None),
        ("no year", None),
    ],
)
def test_the_year_a_cell_holds_is_read_as_the_ingest_stores_it(text, year):
    from sse_dash.ingest.coerce import gregorian_year_in_text

    assert gregorian_year_in_text(text) == year


def test_an_unreadable_year_is_named_in_its_problem_with_its_field():
    raw = pd.Series(["2020", "next year"], index=[2, 3], dtype="str")
    coerced = coerce_field(raw, YEAR, "Année", "usage", ".", None)
    frames = [listed.frame(listed.rows) for listed in coerced.problems]
    frame = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    assert frame[["row", "column", "field", "value", "code"]].values.tolist() == [
        [3, "Année", "year", "next year", "invalid_year"]
    ]
    assert "'next year'" in frame["message"].iloc[0]
