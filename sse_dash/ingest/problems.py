"""Problems as values: every code the dashboard reports (`ProblemCode`), the `Problem` record, its English text.

A problem's message and suggestion are rendered in one place (`render`) from a template and the problem's
parameters, so that the next step can translate the templates. Nothing decides anything by reading a message.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

PROBLEM_COLUMNS = ["row", "column", "field", "value", "code", "message", "suggestion"]


class ProblemCode(StrEnum):
    """Every problem the dashboard can report; `label` names it in a few words."""

    # the file
    EMPTY_FILE = "empty_file"
    UNREADABLE_FILE = "unreadable_file"
    BINARY_FILE = "binary_file"
    UNREADABLE_EXCEL = "unreadable_excel"
    FILE_TOO_LARGE = "file_too_large"
    WORKBOOK_TOO_LARGE = "workbook_too_large"
    NOT_ENOUGH_MEMORY = "not_enough_memory"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_MANY_COLUMNS = "too_many_columns"
    HEADER_TOO_LONG = "header_too_long"
    NO_HEADER = "no_header"
    NO_ROWS = "no_rows"
    TOO_MANY_CELLS = "too_many_cells"
    CELL_TOO_LONG = "cell_too_long"
    # the columns
    UNKNOWN_KIND = "unknown_kind"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    VALUE_TOO_LONG = "value_too_long"
    # the cells
    MISSING_VALUE = "missing_value"
    INVALID_NUMBER = "invalid_number"
    NOT_WHOLE_NUMBER = "not_whole_number"
    INVALID_YEAR = "invalid_year"
    FUTURE_YEAR = "future_year"
    YEAR_OUT_OF_RANGE = "year_out_of_range"
    NEGATIVE_VALUE = "negative_value"
    ABOVE_MAXIMUM = "above_maximum"
    UNKNOWN_COUNTRY = "unknown_country"
    UNKNOWN_CURRENCY = "unknown_currency"
    UNKNOWN_INSTRUMENT = "unknown_instrument"
    NOT_IN_VOCABULARY = "not_in_vocabulary"
    INVALID_BOOLEAN = "invalid_boolean"
    INVALID_VALUE = "invalid_value"
    SCHEMA = "schema"
    # the rows together
    DUPLICATE_ID = "duplicate_id"
    DUPLICATE_KEY = "duplicate_key"
    UNKNOWN_SOURCE = "unknown_source"

    @property
    def label(self) -> str:
        """The problem in a few words ('not a number'), as the upload page counts them."""
        return LABELS[self]


LABELS: Mapping[ProblemCode, str] = {
    ProblemCode.EMPTY_FILE: "empty file",
    ProblemCode.UNREADABLE_FILE: "not a table file",
    ProblemCode.BINARY_FILE: "not a text file",
    ProblemCode.UNREADABLE_EXCEL: "unreadable Excel file",
    ProblemCode.FILE_TOO_LARGE: "file too large",
    ProblemCode.WORKBOOK_TOO_LARGE: "workbook too large",
    ProblemCode.NOT_ENOUGH_MEMORY: "file too large for the memory",
    ProblemCode.TOO_MANY_ROWS: "too many rows",
    ProblemCode.TOO_MANY_COLUMNS: "too many columns",
    ProblemCode.HEADER_TOO_LONG: "header too long",
    ProblemCode.NO_HEADER: "no header",
    ProblemCode.NO_ROWS: "no data rows",
    ProblemCode.TOO_MANY_CELLS: "too many cells",
    ProblemCode.CELL_TOO_LONG: "cell too long",
    ProblemCode.UNKNOWN_KIND: "unknown kind of file",
    ProblemCode.MISSING_COLUMN: "missing column",
    ProblemCode.DUPLICATE_COLUMN: "column given twice",
    ProblemCode.VALUE_TOO_LONG: "value too long",
    ProblemCode.MISSING_VALUE: "empty required cell",
    ProblemCode.INVALID_NUMBER: "not a number",
    ProblemCode.NOT_WHOLE_NUMBER: "not a whole number",
    ProblemCode.INVALID_YEAR: "not a year",
    ProblemCode.FUTURE_YEAR: "year in the future",
    ProblemCode.YEAR_OUT_OF_RANGE: "year too early",
    ProblemCode.NEGATIVE_VALUE: "negative amount",
    ProblemCode.ABOVE_MAXIMUM: "value above the maximum",
    ProblemCode.UNKNOWN_COUNTRY: "unknown country",
    ProblemCode.UNKNOWN_CURRENCY: "unknown currency",
    ProblemCode.UNKNOWN_INSTRUMENT: "unknown instrument",
    ProblemCode.NOT_IN_VOCABULARY: "value not in the list",
    ProblemCode.INVALID_BOOLEAN: "not true/false",
    ProblemCode.INVALID_VALUE: "invalid value",
    ProblemCode.SCHEMA: "column failed a check",
    ProblemCode.DUPLICATE_ID: "id used twice",
    ProblemCode.DUPLICATE_KEY: "value given twice",
    ProblemCode.UNKNOWN_SOURCE: "unknown source",
}

_SHORTEN = "Shorten it: long texts belong in a document the data can point to."
_AS_CSV = "Save or export the table as CSV (UTF-8) and upload that."
_ADD_COLUMN = "Add a column named '{name}' ({fill_hint}), or map one of your columns to it."
_COUNTRY_ADVICE = "Use an ISO 3166 code such as KEN or ITA, or an English country name."
_CURRENCY_ADVICE = "Use an ISO 4217 code such as EUR, USD or KES."
_INSTRUMENT_ADVICE = (
    "Use an instrument_id of the catalogue (see the Instruments page or `python -m sse_dash template instruments`)."
)
_VOCABULARY_ADVICE = "Use one of: {choices}."

# (message, suggestion) per template, with named parameters. A template is named after its code; a code said in
# several ways has one template per way ("code.way"). `quoted` is the cell's value as `quoted` shows it.
TEMPLATES: Mapping[str, tuple[str, str]] = {
    "empty_file": ("The file is empty.", "Export the table again, with a header row and at least one data row."),
    "empty_file.sheet": ("The sheet '{sheet}' is empty.", "Choose another sheet, or put the table in this one."),
    "unreadable_file": ("This is {what}, not a CSV file.", _AS_CSV),
    "unreadable_file.zip": ("This is a ZIP archive, not a CSV file.", "Unzip it and upload the CSV inside."),
    "unreadable_file.binary": ("This looks like a binary file, not text.", _AS_CSV),
    "binary_file": ("This looks like a binary file, not text.", _AS_CSV),
    "file_too_large": (
        "The file is {size_mb:,.1f} MB; the limit is {limit_mb:,.0f} MB.",
        "Split it into smaller files (for example one per year or per country) and upload them one at a time.",
    ),
    "not_enough_memory": (
        "Checking this file would need about {needed_mb:,.0f} MB of memory, more than the {limit_mb:,.0f} MB this "
        "server can give it right now.",
        "Split it into smaller files, or try again later.",
    ),
    "too_many_rows": (
        "The file has {rows:,} rows; the limit is {limit:,} rows.",
        "Split it into smaller files (for example one per year) and upload them one at a time.",
    ),
    "too_many_rows.about": (
        "The file has about {rows:,} rows; the limit is {limit:,} rows.",
        "Split it into smaller files (for example one per year) and upload them one at a time.",
    ),
    "too_many_columns": (
        "The table has {columns:,} columns; the limit is {limit:,}.",
        "Keep the columns the dashboard uses (see the template) and the ones you need, and upload that.",
    ),
    "header_too_long": (
        "The name of column {letter} has {chars:,} characters; the limit for a cell is {limit:,}.",
        "Give the column a short name (the template shows the names the dashboard knows).",
    ),
    "header_too_long.first_lines": (
        "The first lines of the file are longer than {sample_mb} MB without a line break, so they cannot be a "
        "table's header.",
        "Check that the file is a table with its column names in one of the first rows, one row per line, and export "
        "it again as CSV.",
    ),
    "no_header": ("The first row is empty.", "Put the column names in row 1."),
    "no_rows": ("The file has a header but no data rows.", "Add at least one row under the header."),
    "too_many_cells": (
        "Row {row} has {width} cells but the header has {header_width}.",
        "A {delimiter} inside a value probably split it: put that value in double quotes, or remove the extra cells.",
    ),
    "cell_too_long": ("This cell has {chars:,} characters; the limit is {limit:,}.", _SHORTEN),
    "unknown_kind": ("Unknown kind '{kind}'.", "Use one of: {kinds}."),
    "unknown_kind.header": (
        "Could not tell which kind of file this is from its header ({headers}). The required columns are: {expected}.",
        "Rename the columns, or choose the kind yourself.",
    ),
    "missing_column": ("Required column '{name}' is missing.", _ADD_COLUMN),
    "missing_column.close": (
        "Required column '{name}' is missing.",
        "Did you mean the column '{close}'? Rename it to '{name}'. " + _ADD_COLUMN,
    ),
    "duplicate_column": (
        "Columns {columns} could both be '{name}'.",
        "Rename or delete one of them so the file has a single '{name}' column.",
    ),
    "value_too_long": (
        "The value given for every row of '{name}' has {chars:,} characters; the limit for a cell is {limit:,}.",
        _SHORTEN,
    ),
    "missing_value": ("'{name}' is empty in this row.", "Fill it in ({fill_hint})."),
    "invalid_number.point": (
        "{quoted} is not a number.",
        "Write a plain number such as 1250.50 (this file uses a decimal point).",
    ),
    "invalid_number.comma": (
        "{quoted} is not a number.",
        "Write a plain number such as 1250.50 (this file uses a decimal comma).",
    ),
    "not_whole_number": ("{quoted} must be a whole number.", ""),
    "invalid_year": ("{quoted} is not a year.", "Write a four-digit year such as 2021."),
    "future_year": ("{quoted} is in the future.", "Use the year the figures refer to (at most {latest})."),
    "year_out_of_range": ("{quoted} is before {earliest}.", "Check the year."),
    "negative_value": (
        "{quoted} is negative.",
        "'{name}' must be {minimum:g} or more: enter the amount without a minus sign, or leave repayments out.",
    ),
    "above_maximum": ("{quoted} is above the maximum {maximum:g} for '{name}'.", "Check the value."),
    "unknown_country": ("{quoted} is not a known country.", _COUNTRY_ADVICE),
    "unknown_country.hint": ("{quoted} is not a known country.", "{hint} " + _COUNTRY_ADVICE),
    "unknown_currency": ("{quoted} is not a known currency.", _CURRENCY_ADVICE),
    "unknown_currency.hint": ("{quoted} is not a known currency.", "{hint} " + _CURRENCY_ADVICE),
    "unknown_instrument": ("{quoted} is not a known instrument.", _INSTRUMENT_ADVICE),
    "unknown_instrument.hint": ("{quoted} is not a known instrument.", "{hint} " + _INSTRUMENT_ADVICE),
    "not_in_vocabulary": ("{quoted} is not a known {label}.", _VOCABULARY_ADVICE),
    "not_in_vocabulary.hint": ("{quoted} is not a known {label}.", "{hint} " + _VOCABULARY_ADVICE),
    "invalid_boolean": ("{quoted} is not true or false.", "Write true or false."),
    "invalid_value": ("{quoted} failed the check '{check}' for '{name}'.", "Check the value."),
    "schema": ("The {column} column failed the check {check}.", "Check the column."),
    "duplicate_id": ("{quoted} appears more than once in '{name}'.", "Each id must be unique: rename one."),
    "duplicate_key": (
        "This row repeats {described}, already given in row {first_row}.",
        "Give each value its own breakdown, or remove one of the rows.",
    ),
    "unknown_source": (
        "{quoted} names a source that is not in sources.csv.",
        "Add the source there first, or correct the id.",
    ),
    # The workbook reader runs apart, without this module: its problems arrive as text.
    "as_read": ("{message}", "{suggestion}"),
}


def render(template: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The English (message, suggestion) of a template with its parameters."""
    message, suggestion = TEMPLATES[template]
    return message.format_map(params), suggestion.format_map(params)


@dataclasses.dataclass(frozen=True)
class Problem:
    """One problem: its code, what is wrong and what to do, and the cell (row, column, field, value) it concerns.

    Make one with `Problem.of`, which renders the message and suggestion from the template and `params`.
    """

    code: ProblemCode
    message: str
    suggestion: str = ""
    row: int | None = None
    column: str | None = None
    field: str | None = None
    value: str | None = None
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict, hash=False, compare=False)
    template: str = ""

    @classmethod
    def of(
        cls,
        code: ProblemCode,
        params: Mapping[str, Any] | None = None,
        *,
        template: str | None = None,
        row: int | None = None,
        column: str | None = None,
        field: str | None = None,
        value: str | None = None,
    ) -> Problem:
        """A problem whose message and suggestion are rendered from `template` (the code's own by default)."""
        params = MappingProxyType(dict(params or {}))
        template = template or code.value
        message, suggestion = render(template, params)
        return cls(code, message, suggestion, row, column, field, value, params, template)

    @classmethod
    def as_read(cls, code: str, message: str, suggestion: str) -> Problem:
        """A problem told as text by the workbook reader (which runs apart and cannot import this module)."""
        return cls.of(ProblemCode(code), {"message": message, "suggestion": suggestion}, template="as_read")

    def text(self) -> str:
        """What is wrong and what to do, in one line."""
        return f"{self.message} {self.suggestion}".strip()

    def record(self) -> tuple:
        """The problem as a row of the problem frame (columns `PROBLEM_COLUMNS`)."""
        return (self.row, self.column, self.field, self.value, self.code.value, self.message, self.suggestion)


def records_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Problem records as a frame with the columns `PROBLEM_COLUMNS`."""
    return pd.DataFrame([p.record() for p in problems], columns=PROBLEM_COLUMNS)


def problem_frame(problems: Iterable[Problem | pd.DataFrame]) -> pd.DataFrame:
    """Problems (records, or frames of many cell problems) as one frame sorted by row then column."""
    frames: list[pd.DataFrame] = []
    records: list[Problem] = []
    for item in problems:  # runs of records become one frame each, in the order given
        if isinstance(item, pd.DataFrame):
            if records:
                frames.append(records_frame(records))
                records = []
            if not item.empty:
                frames.append(item)
        else:
            records.append(item)
    if records:
        frames.append(records_frame(records))
    if not frames:
        return pd.DataFrame(columns=PROBLEM_COLUMNS).astype({"row": "Int64"})
    combined = pd.concat(frames, ignore_index=True)[PROBLEM_COLUMNS]
    combined["message"] = combined["message"].astype("str")
    combined["suggestion"] = combined["suggestion"].fillna("").astype("str")
    combined["row"] = combined["row"].astype("Int64")
    return combined.sort_values(["row", "column"], na_position="first", kind="stable").reset_index(drop=True)


def cell_text(value: Any) -> str:
    """A cell as text: '' for a missing cell, numbers without a trailing '.0'."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def quoted(value: str, limit: int = 60) -> str:
    """A cell's value as messages quote it: control characters as spaces, cut after `limit` characters."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(value))
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"


def cell_problems(
    raw: pd.Series, bad: np.ndarray, column: str, field: str, problem_of: Callable[[str], Problem]
) -> pd.DataFrame:
    """A problem for each cell of `raw` flagged in `bad`; `problem_of` makes one per distinct value."""
    if not bad.any():
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    values = raw[bad].map(cell_text).astype("object")
    found = {value: problem_of(value) for value in values.unique()}
    return pd.DataFrame(
        {
            "row": values.index.to_numpy(),
            "column": column,
            "field": field,
            "value": values.to_numpy(dtype=object),
            "code": values.map({v: p.code.value for v, p in found.items()}).to_numpy(dtype=object),
            "message": values.map({v: p.message for v, p in found.items()}).to_numpy(dtype=object),
            "suggestion": values.map({v: p.suggestion for v, p in found.items()}).to_numpy(dtype=object),
        },
        columns=PROBLEM_COLUMNS,
    )
