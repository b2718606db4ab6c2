"""Text fields of usage records, one column at a time (`coerce_field`): kept as categories, empty cells of a
required one named as missing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sse_dash.ingest import coerce_field
from sse_dash.schema import FIELDS


def field(kind, name):
    """The schema's field `name` of the files of `kind`."""
    return next(f for f in FIELDS[kind] if f.name == name)


ORG_ID = field("usage", "org_id")


def test_a_usage_text_column_is_kept_as_categories_of_its_trimmed_values():
    raw = pd.Series([" coop-1", "coop-2 ", "coop-1"], index=[2, 3, 4], dtype="object")
    coerced = coerce_field(raw, ORG_ID, "Column A", "usage", ".", None)
    assert isinstance(coerced.values.dtype, pd.CategoricalDtype)  # millions of rows, a few thousand names
    assert coerced.values.tolist() == ["coop-1", "coop-2", "coop-1"]


def test_an_empty_cell_of_a_required_usage_text_column_is_a_missing_value_in_its_row():
    raw = pd.Series(["coop-1", "", "  ", "coop-2"], index=[2, 3, 4, 5], dtype="object")
    coerced = coerce_field(raw, ORG_ID, "Column A", "usage", ".", None)
    found = pd.concat([listed.frame(listed.rows) for listed in coerced.problems], ignore_index=True)
    assert list(zip(found["row"].astype(int), found["code"].astype(str), found["column"], strict=True)) == [
        (3, "missing_value", "Column A"),
        (4, "missing_value", "Column A"),
    ]


@pytest.mark.parametrize(
    "cells",
    [
        ["b", "a", "b"],
        [" b", "a ", "b"],
        ["", "a", "a"],
        ["a", None, "c"],
        ["  ", "x", " x "],
        [" b", "a "],
        ["", ""],
    ],
)
@pytest.mark.parametrize("dtype", ["str", "object"])
def test_a_text_column_becomes_a_categorical_of_its_stripped_values_with_blank_cells_missing(cells, dtype):
    from sse_dash.ingest.coerce import DistinctCache, text_categorical

    raw = pd.Series(cells, index=range(2, 2 + len(cells)), dtype=dtype)
    result = text_categorical(raw, DistinctCache())
    expected = [None if c is None or not c.strip() else c.strip() for c in cells]
    assert [None if pd.isna(v) else v for v in result] == expected
    assert list(result.index) == list(raw.index)
    assert sorted(result.cat.categories) == sorted({v for v in expected if v is not None})


def test_an_unknown_code_is_said_with_the_choices_or_the_hint_and_keeps_its_row_column_and_field():
    from sse_dash.ingest.coerce import unknown_code_problem
    from sse_dash.ingest.problems import ProblemCode
    from sse_dash.schema import FIELDS

    sse_type = next(f for f in FIELDS["usage"] if f.name == "sse_type")
    country = next(f for f in FIELDS["usage"] if f.name == "country")
    listed = unknown_code_problem(ProblemCode.NOT_IN_VOCABULARY, sse_type, "coopp", row=5, column="Type")
    assert listed.record() == (
        5,
        "Type",
        "sse_type",
        "coopp",
        "not_in_vocabulary",
        "'coopp' is not a known value of 'SSE type'.",
        "Use one of: cooperative, mutual, association, social_enterprise, foundation, informal_group.",
    )
    hinted = unknown_code_problem(ProblemCode.UNKNOWN_COUNTRY, country, "Keniya", "Did you mean 'Kenya'?")
    assert hinted.record() == (
        None,
        None,
        "country",
        "Keniya",
        "unknown_country",
        "'Keniya' is not a known country.",
        "Did you mean 'Kenya'? Use an ISO 3166 code such as KEN or ITA, or a country name.",
    )
    plain = unknown_code_problem(ProblemCode.UNKNOWN_COUNTRY, country, "Atlantis")
    assert plain.suggestion == "Use an ISO 3166 code such as KEN or ITA, or a country name."


def test_eastern_digits_are_written_as_western_ones_and_missing_cells_stay_missing():
    from sse_dash.ingest.coerce import western_digits

    raw = pd.Series(["۱۲٬۳۴۵٫۵", None, "7", "٣"], index=[2, 3, 4, 5], dtype="str")
    result = western_digits(raw, ",")
    assert [None if pd.isna(v) else v for v in result] == ["12345,5", None, "7", "3"]
    assert list(result.index) == [2, 3, 4, 5]


def test_records_become_text_cells_padded_to_the_width_and_numbered_from_the_first_row():
    from sse_dash.ingest.table import frame_from_records

    frame = frame_from_records([["1", "0042", "x"], ["5"]], 3, 4)
    assert frame.values.tolist() == [["1", "0042", "x"], ["5", "", ""]]
    assert list(frame.columns) == [0, 1, 2] and list(frame.index) == [4, 5]
    assert all(pd.api.types.is_string_dtype(t) and not pd.api.types.is_object_dtype(t) for t in frame.dtypes)
    empty = frame_from_records([], 2, 2)
    assert empty.empty and list(empty.columns) == [0, 1] and len(empty.index) == 0
    assert all(pd.api.types.is_string_dtype(t) and not pd.api.types.is_object_dtype(t) for t in empty.dtypes)


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("usage", "SYNTHETIC_demo_usage.csv"),
        ("figures", "figures.csv"),
        ("instruments", "instruments.csv"),
        ("sources", "sources.csv"),
    ],
)
def test_an_optional_field_the_file_lacks_has_the_type_it_has_when_the_file_leaves_it_blank(kind, path):
    from pathlib import Path

    from sse_dash import datasets
    from sse_dash.ingest import ingest
    from sse_dash.schema import FIELDS

    bundled = pd.read_csv(Path(__file__).parent.parent / "data" / path, dtype=str, keep_default_na=False).head(3)
    required = [f.name for f in FIELDS[kind] if f.required]
    optional = [f.name for f in FIELDS[kind] if not f.required]
    options = {"kind": kind, "catalogue": datasets.load_catalogue()}
    lacking = ingest(bundled[required].to_csv(index=False).encode(), **options)
    blank = ingest(bundled[required].assign(**dict.fromkeys(optional, "")).to_csv(index=False).encode(), **options)
    assert lacking.report.valid and blank.report.valid, lacking.report.problems.to_dict("records")
    assert set(blank.report.mapping) >= set(optional)  # every blank column was matched to its field
    for name in optional:
        assert lacking.frame[name].isna().all(), name
        assert lacking.frame[name].dtype == blank.frame[name].dtype, name
        if isinstance(blank.frame[name].dtype, pd.CategoricalDtype):
            assert list(lacking.frame[name].cat.categories) == list(blank.frame[name].cat.categories), name


@pytest.mark.parametrize("kind", ["usage", "figures", "instruments", "sources"])
def test_every_field_lacking_from_a_file_would_be_typed_as_its_blank_cells(kind):
    """Whatever its type, a field the file lacks is what the same field's blank cells coerce to.

    Today every true/false, list and country field is required, so only a unit test reaches their branch; a
    field made optional later must not change type between a file that lacks it and one that leaves it blank.
    """
    import dataclasses

    from sse_dash import datasets
    from sse_dash.ingest.coerce import coerce_field
    from sse_dash.ingest.pipeline import _absent
    from sse_dash.schema import FIELDS

    index = pd.RangeIndex(4, 7, name="row")
    for f in FIELDS[kind]:
        optional = dataclasses.replace(f, required=False)
        lacking = _absent(optional, kind, index)
        blank = coerce_field(
            pd.Series("", index=index, dtype="str"), optional, f.name, kind, ".", datasets.load_catalogue()
        )
        assert all(len(p.rows) == 0 for p in blank.problems), f.name  # blank cells are not problems here
        assert list(lacking.index) == [4, 5, 6] and lacking.isna().all(), f.name
        if f.dtype in ("multi", "countries"):  # lists: categories are the combinations seen, so none when blank
            assert isinstance(lacking.dtype, pd.CategoricalDtype), f.name
            assert isinstance(blank.values.dtype, pd.CategoricalDtype), f.name
            continue
        assert lacking.dtype == blank.values.dtype, (f.name, f.dtype, lacking.dtype, blank.values.dtype)
        if isinstance(lacking.dtype, pd.CategoricalDtype):
            assert list(lacking.cat.categories) == list(blank.values.cat.categories), f.name


def test_text_cells_are_stripped_with_blank_ones_missing_and_ids_are_text_whatever_the_column_held():
    note = field("figures", "note")
    indicator = field("figures", "indicator")
    index = pd.RangeIndex(2, 5)
    cells = pd.Series(["  Census 2021 ", "", "   "], index=index, dtype="str")
    for f in (note, indicator):
        coerced = coerce_field(cells, f, "Column H", "figures", ".", None)
        assert coerced.values.iloc[0] == "Census 2021" and coerced.values.iloc[1:].isna().all(), f.name
        assert coerced.notes == [], f.name
        # blank cells are missing: a problem only where the field is required
        assert [(p.code, list(p.rows)) for p in coerced.problems] == ([] if f is note else [("missing_value", [3, 4])])
    # Cells handed over as Python objects (not the reader's text): an id still comes out as text.
    ids = coerce_field(pd.Series([" coop_share ", "", 7], dtype="object"), indicator, "Column B", "figures", ".", None)
    assert pd.api.types.is_string_dtype(ids.values.dtype) and not pd.api.types.is_object_dtype(ids.values.dtype)
    assert ids.values.iloc[0] == "coop_share" and pd.isna(ids.values.iloc[1])
    # A column with nothing in it at all (no text to strip) stays empty, as text.
    for f in (note, indicator):
        empty = coerce_field(pd.Series([None, np.nan], index=[2, 3]), f, "Column H", "figures", ".", None)
        assert empty.values.isna().all() and list(empty.values.index) == [2, 3], f.name
        assert empty.problems == [] if f is note else [p.code for p in empty.problems] == ["missing_value"]
        assert pd.api.types.is_string_dtype(empty.values.dtype), f.name
        assert not pd.api.types.is_object_dtype(empty.values.dtype), f.name


def test_a_typed_column_is_given_back_as_written_from_a_reread_or_else_from_its_values():
    from sse_dash.ingest.table import CellTable

    def table(reread=None):
        rows = [2, 3, 4]
        cells = pd.DataFrame({0: pd.Series([1.5, np.nan, 2.0], index=rows), 1: pd.Series(["a", "", "b"], index=rows)})
        return CellTable(["amount", "name"], cells, reread)

    text = table()
    assert text.is_text(1) and text.text(1).tolist() == ["a", "", "b"]  # a column of text is already as written
    fallback = table().text(0)  # no way to read it again: the typed values written back as text
    assert fallback.tolist() == ["1.5", "", "2"] and list(fallback.index) == [2, 3, 4]
    assert pd.api.types.is_string_dtype(fallback.dtype) and not pd.api.types.is_object_dtype(fallback.dtype)

    asked = []

    def as_written(positions):
        asked.append(positions)
        return pd.DataFrame({p: ["1,50", "", "2,00"] for p in positions}, dtype="str")

    reread = table(as_written)
    assert reread.text(0).tolist() == ["1,50", "", "2,00"] and list(reread.text(0).index) == [2, 3, 4]
    assert asked == [[0]]  # read again once, for that column alone
    for error in (ValueError, pd.errors.ParserError, UnicodeDecodeError, OverflowError):

        def failing(positions, error=error):
            if error is UnicodeDecodeError:
                raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
            raise error("the file changed")

        assert table(failing).text(0).tolist() == ["1.5", "", "2"], error
    short = table(lambda positions: pd.DataFrame({0: ["1,50"]}, dtype="str"))  # a reread that lost rows
    assert short.text(0).tolist() == ["1.5", "", "2"]
    empty = CellTable(["amount"], pd.DataFrame({0: pd.Series([], dtype="float64")}))
    assert empty.text(0).tolist() == [] and pd.api.types.is_string_dtype(empty.text(0).dtype)


def test_words_for_nothing_are_missing_numbers_but_text_as_written_in_a_required_text_field():
    unit = field("figures", "unit")
    value = field("figures", "value")
    assert unit.required and value.required
    cells = pd.Series(["n/a", "-", " "], index=[2, 3, 4], dtype="str")
    text = coerce_field(cells, unit, "Column F", "figures", ".", None)
    assert text.values.tolist()[:2] == ["n/a", "-"]
    assert [(p.code, list(p.rows)) for p in text.problems] == [("missing_value", [4])]  # only the blank cell
    numbers = coerce_field(cells, value, "Column E", "figures", ".", None)
    assert numbers.values.isna().all()
    assert [(p.code, list(p.rows)) for p in numbers.problems if len(p.rows)] == [("missing_value", [2, 3, 4])]


@pytest.mark.parametrize(
    ("records", "header"),
    [
        ([["Title"], ["org_id", "country"]], 1),  # a title, then a header of two names
        ([["org_id", "country"], ["A", "KEN", "x", "y", "z"]], 0),  # two names are a header, however wide below
        ([["Title"], [""], ["Exported", "2024"], ["a", "b", "c", "d", "e"]], 3),  # the first row filling 60 %
        ([["Title"], ["a", "b", "c", "", ""], ["v", "w", "x", "y", "z"]], 1),  # 3 of 5 is 60 %
        ([["Title"], ["note"]], 0),  # nothing fills two cells: no header to find
        ([], 0),
        ([["Title"]] * 12 + [["org_id", "country"]], 0),  # only the first twelve rows are looked at
        ([["Title"]] * 11 + [["org_id", "country"]], 11),
    ],
)
def test_the_header_is_the_first_row_filling_most_columns_below_a_title(records, header):
    from sse_dash.ingest.table import header_position

    assert header_position(records) == header


def test_the_fast_parse_makes_only_blank_cells_missing_and_rereads_columns_as_written():
    from sse_dash.ingest.read import _fast_parse

    data = b"country,amount,note\nNA,1,null\n,2,N/A\nNAN,,-\n"
    frame, reread = _fast_parse(data, ["country", "amount", "note"], ",", 1, 2, "utf-8", ".", None)
    assert list(frame.index) == [2, 3, 4]
    assert [None if pd.isna(v) else v for v in frame[0]] == ["NA", None, "NAN"]  # NA is Namibia's code
    assert [None if pd.isna(v) else v for v in frame[1]] == [1.0, 2.0, None]
    assert frame[2].tolist() == ["null", "N/A", "-"]
    text = reread([1])
    assert text[1].tolist() == ["1", "2", ""] and list(text.index) == [2, 3, 4]


def test_small_helpers_name_columns_fields_and_headers_as_the_report_does():
    from sse_dash.ingest.coerce import DistinctCache, distinct_of, is_number_column
    from sse_dash.ingest.mapping import normalise_header
    from sse_dash.ingest.problems import field_word
    from sse_dash.ingest.table import column_name

    assert column_name(["org_id", ""], 0) == "org_id"
    assert column_name(["org_id", ""], 1) == "column B"  # no name: its letter
    assert column_name(["org_id", ""], 2) == "column C"  # past the header (a row with too many cells)
    assert column_name(["org_id", ""], 3) == "column D"
    assert field_word("org_id") == "Organisation id" and field_word("Colour") == "Colour"  # unknown: as given
    assert normalise_header("\ufeff Montant (EUR) ") == "montant_eur"  # a byte order mark is not part of a name
    assert [is_number_column(pd.Series(v)) for v in ([1, 2], [1.5], [True, False], ["1"])] == [
        True,
        True,
        False,  # true/false cells are not numbers
        False,
    ]
    # The cache answers for the very column it was given, never for another that got the same id.
    cache = DistinctCache()
    first = pd.Series(["a", "b", "a"])
    assert cache.of(first).texts == ["a", "b"] and cache.of(first) is cache.of(first)
    other = pd.Series(["x", "y", "z"])
    cache._found[id(other)] = (first, distinct_of(first))  # a stale entry, as left by a column gone since
    assert cache.of(other).texts == ["x", "y", "z"]


def test_the_first_records_are_read_as_written_with_the_lines_each_ends_on():
    from sse_dash.ingest.table import leading_records

    text = 'Title\r\n\r\nname,note\r\n"Coop\r\nA",2\r\n3,4\r\n'
    assert leading_records(text, ",", 2) == ([["Title"], []], [1, 2])  # as many records as asked, no more
    assert leading_records(text, ",", 12) == (
        [["Title"], [], ["name", "note"], ["Coop\r\nA", "2"], ["3", "4"]],  # a quoted line break kept as written
        [1, 2, 3, 5, 6],
    )
    assert leading_records("Title\ra,b\r1,2\r", ",", 12) == ([["Title"], ["a", "b"], ["1", "2"]], [1, 2, 3])


def test_two_long_columns_are_factorised_ahead_together_and_give_what_one_at_a_time_gives():
    from sse_dash.ingest.coerce import DistinctCache, distinct_of

    long_a = pd.Series(["x", "y", None] * 16_667, dtype="str")  # 50,001 rows
    long_b = pd.Series([f"v{i % 7}" for i in range(50_001)], dtype="str")
    limit = pd.Series(["z"] * 50_000, dtype="str")  # not longer than 50,000: left for later
    short = pd.Series(["a", "b"], dtype="str")
    cache = DistinctCache()
    cache.factorize_in_parallel([long_a, short, limit, long_b])
    ahead = {id(c) for c in (long_a, long_b, limit, short) if id(c) in cache._found}
    assert ahead == {id(long_a), id(long_b)}
    assert all(cache._found[id(c)][0] is c for c in (long_a, long_b))  # each kept with its own column
    for column in (long_a, long_b):
        found, alone = cache.of(column), distinct_of(column)
        assert found.texts == alone.texts and (found.positions == alone.positions).all()
    lone = DistinctCache()
    lone.factorize_in_parallel([long_a, short])  # one long column: nothing to do two at a time
    assert lone._found == {}
