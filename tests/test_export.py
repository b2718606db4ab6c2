"""Every downloaded CSV: plain numbers, and no cell a spreadsheet would run as a formula."""

import csv
import io
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sse_dash import datasets
from sse_dash.export import neutralised, to_csv_bytes, with_context

HOSTILE = [
    '=HYPERLINK("http://example.invalid","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C notepad'!'A1'",
]


def cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


# The oracle is written here, not imported: OWASP's list of characters that start a spreadsheet formula, and what a
# plain number looks like (a sign, digits, one decimal point, an exponent).
OWASP_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def risky(cell: str) -> bool:
    return cell[:1] in OWASP_FORMULA_STARTS and not NUMBER.fullmatch(cell)


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_cells_get_a_leading_apostrophe_in_text_and_categorical_columns(value):
    frame = pd.DataFrame({"note": [value, "fine"], "name": pd.Categorical([value, "ok"])})
    rows = cells(to_csv_bytes(frame))
    value = value.replace("\r", "\n")
    assert rows[1] == ["'" + value, "'" + value]
    assert rows[2] == ["fine", "ok"]


def test_numbers_stay_numbers():
    frame = pd.DataFrame(
        {
            "amount": [-12.5, 3.0, 1e14],
            "count": pd.array([-1, 2, None], dtype="Int64"),
            "as_text": ["-12.5", "+3", "1e5"],
            "flag": [True, False, True],
        }
    )
    rows = cells(to_csv_bytes(frame))
    assert rows[1] == ["-12.5", "-1", "-12.5", "true"]
    assert rows[2] == ["3", "2", "+3", "false"]
    assert rows[3] == ["100000000000000", "", "1e5", "true"]


def test_column_names_are_neutralised_too():
    rows = cells(to_csv_bytes(pd.DataFrame({"=1+1": ["x"], "amount": [1.0]})))
    assert rows[0] == ["'=1+1", "amount"]


def test_categories_that_would_collide_fall_back_to_plain_text():
    frame = pd.DataFrame({"c": pd.Categorical(["=a", "'=a", "=a"])})
    assert [r[0] for r in cells(to_csv_bytes(frame))[1:]] == ["'=a", "'=a", "'=a"]


# Text cells that often start like a formula or a number, so that every character of the oracle is drawn.
cell_text = st.builds(
    str.__add__,
    st.sampled_from([*OWASP_FORMULA_STARTS, "", "'", "a", "1", "-1", "+.5", "1e5"]),
    st.text(alphabet=st.sampled_from("=+-@\t\r\n'0123456789.eE aZ("), max_size=12) | st.text(max_size=20),
)


@given(st.lists(cell_text, min_size=1, max_size=20), st.lists(st.floats(-1e15, 1e15), min_size=1))
@settings(max_examples=200, deadline=None)
def test_no_downloaded_text_cell_starts_a_formula_and_nothing_else_changes(texts, numbers):
    frame = pd.DataFrame({"text": texts})
    frame["number"] = (numbers * len(texts))[: len(texts)]
    rows = cells(to_csv_bytes(frame))
    for original, (text, number) in zip(texts, rows[1:], strict=True):
        assert not risky(text)
        assert "\r" not in text
        unix = original.replace("\r\n", "\n").replace("\r", "\n")
        assert text == ("'" + unix if risky(original) else unix)
        assert not number.startswith("'")
    assert np.allclose(pd.read_csv(io.BytesIO(to_csv_bytes(frame)))["number"], frame["number"], equal_nan=True)


@pytest.mark.parametrize("kind", ["usage", "figures", "instruments", "sources"])
def test_templates_carry_no_formula_cells(kind):
    for row in cells(to_csv_bytes(datasets.template_frame(kind))):
        assert not any(risky(cell) for cell in row), row


def test_neutralised_is_idempotent_on_safe_text():
    for value in ("plain", "'=already", "-5", "+3.2e4", ""):
        assert neutralised(value) == value


def test_windows_line_ends_inside_a_cell_become_one_line_feed():
    rows = cells(to_csv_bytes(pd.DataFrame({"note": ["a\r\nb", "c\rd", "=e\r\nf"]})))
    assert [r[0] for r in rows[1:]] == ["a\nb", "c\nd", "'=e\nf"]


def test_mixed_cells_keep_their_numbers_and_their_row_order():
    frame = pd.DataFrame({"mixed": ["=x", 5, None], "category": pd.Categorical([1, "=a", 1])}, index=[10, 20, 30])
    frame[7] = ["a", "b", "c"]  # a column name that is not text
    rows = cells(to_csv_bytes(frame))
    assert rows == [["mixed", "category", "7"], ["'=x", "1", "a"], ["5", "'=a", "b"], ["", "1", "c"]]


def test_the_index_is_written_only_when_asked_and_large_numbers_use_a_small_e():
    frame = pd.DataFrame({"amount": [1e20, 2.5]}, index=pd.Index(["r1", "r2"], name="id"))
    assert cells(to_csv_bytes(frame)) == [["amount"], ["1e+20"], ["2.5"]]
    assert cells(to_csv_bytes(frame, index=True)) == [["id", "amount"], ["r1", "1e+20"], ["r2", "2.5"]]


def test_context_columns_are_added_once_per_row_unless_empty_or_already_there():
    frame = pd.DataFrame({"value": [1, 2], "source": ["a", "b"]})
    out = with_context(frame, {"source": "other", "unit": "persons", "note": ""})
    assert out.to_dict("list") == {"value": [1, 2], "source": ["a", "b"], "unit": ["persons", "persons"]}
    assert with_context(frame, {"note": ""}).to_dict("list") == frame.to_dict("list")
    assert list(frame.columns) == ["value", "source"]  # the frame given is left as it is
