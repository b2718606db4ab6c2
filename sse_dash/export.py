"""Frames to CSV bytes for downloads and `--out`: UTF-8, canonical names, plain numbers, no live formulas.

Every CSV the project writes for a person goes through `to_csv_bytes`, so one place decides how cells look.

Spreadsheet formula injection: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return can be
run as a formula when the CSV is opened in a spreadsheet (`=HYPERLINK(...)`, `=cmd|...`). Such cells get a leading
apostrophe, the usual neutralisation (OWASP): the spreadsheet shows the text as text. Numbers stay numbers: numeric
columns are never touched, and a text cell that is a plain number ("-12.5") is left as it is. Column names are
treated like cells. A carriage return inside a text cell becomes a line feed (see `neutralised`).
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralised(text: str) -> str:
    """`text` with a leading apostrophe when a spreadsheet could read it as a formula.

    Carriage returns inside the text become line feeds: the CSV ends lines with line feeds and quotes cells that
    contain one, while a bare carriage return would end the row in a spreadsheet.
    """
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        text = "'" + text
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _neutral_texts(column: pd.Series) -> pd.Series:
    """A text column with every risky cell neutralised (categoricals: their categories, not every row)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories
        if pd.api.types.is_string_dtype(categories.dtype) or categories.dtype == object:
            renamed = [neutralised(c) if isinstance(c, str) else c for c in categories]
            if renamed == list(categories):
                return column
            if len(set(renamed)) == len(renamed):
                return pd.Series(pd.Categorical.from_codes(column.cat.codes, renamed), index=column.index)
        else:
            return column
    values = column.astype("object")
    if not any(isinstance(v, str) and (v.startswith(FORMULA_STARTS) or "\r" in v) for v in values):
        return column
    return values.map(lambda v: neutralised(v) if isinstance(v, str) else v, na_action="ignore")


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_bool_dtype(column):
            out[name] = column.map({True: "true", False: "false"}).astype("object")
        elif not pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_datetime64_any_dtype(column):
            out[name] = _neutral_texts(column)
    out.columns = [neutralised(c) if isinstance(c, str) else c for c in out.columns]
    return out


def with_context(frame: pd.DataFrame, context: dict[str, str]) -> pd.DataFrame:
    """`frame` with a column per non-empty `context` item (unit, currency basis, source...) repeated on every row, so
    a downloaded table keeps its meaning wherever it goes; a name already used by the frame is left as it is."""
    extra = {name: value for name, value in context.items() if value and name not in frame.columns}
    return frame.assign(**extra) if extra else frame


def to_csv_bytes(frame: pd.DataFrame, index: bool = False) -> bytes:
    """UTF-8 CSV with plain numbers (no thousands separators, no scientific notation below 1e15) and no cell a
    spreadsheet would run as a formula."""
    return _plain(frame).to_csv(index=index, float_format="%.15g", lineterminator="\n").encode("utf-8")
