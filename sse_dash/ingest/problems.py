"""Problems as values: every code the dashboard reports (`ProblemCode`), the `Problem` record, its text.

A problem's message and suggestion are rendered in one place (`render`) from a template and the problem's
parameters, in the language of the current run (`sse_dash.i18n`: English outside a Streamlit run, so the command
line stays English), numbers included (`{rows:,}` is written `i18n.number(rows)`). The workbook reader, which
runs apart and cannot import this module, names its templates too. Nothing decides anything by reading a message.
"""

from __future__ import annotations

import dataclasses
import numbers
import re
import string
from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import pandas as pd
from babel.numbers import get_group_symbol

from sse_dash import i18n
from sse_dash.i18n import N_, _
from sse_dash.schema import FIELD_LABELS

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
        """The problem in a few words ('not a number') in the active language, as the upload page counts them."""
        return _(LABELS[self])


LABELS: Mapping[ProblemCode, str] = {
    ProblemCode.EMPTY_FILE: N_("empty file"),
    ProblemCode.UNREADABLE_FILE: N_("not a table file"),
    ProblemCode.BINARY_FILE: N_("not a text file"),
    ProblemCode.UNREADABLE_EXCEL: N_("unreadable Excel file"),
    ProblemCode.FILE_TOO_LARGE: N_("file too large"),
    ProblemCode.WORKBOOK_TOO_LARGE: N_("workbook too large"),
    ProblemCode.NOT_ENOUGH_MEMORY: N_("file too large for the memory"),
    ProblemCode.TOO_MANY_ROWS: N_("too many rows"),
    ProblemCode.TOO_MANY_COLUMNS: N_("too many columns"),
    ProblemCode.HEADER_TOO_LONG: N_("header too long"),
    ProblemCode.NO_HEADER: N_("no header"),
    ProblemCode.NO_ROWS: N_("no data rows"),
    ProblemCode.TOO_MANY_CELLS: N_("too many cells"),
    ProblemCode.CELL_TOO_LONG: N_("cell too long"),
    ProblemCode.UNKNOWN_KIND: N_("unknown kind of file"),
    ProblemCode.MISSING_COLUMN: N_("missing column"),
    ProblemCode.DUPLICATE_COLUMN: N_("column given twice"),
    ProblemCode.VALUE_TOO_LONG: N_("value too long"),
    ProblemCode.MISSING_VALUE: N_("empty required cell"),
    ProblemCode.INVALID_NUMBER: N_("not a number"),
    ProblemCode.NOT_WHOLE_NUMBER: N_("not a whole number"),
    ProblemCode.INVALID_YEAR: N_("not a year"),
    ProblemCode.FUTURE_YEAR: N_("year in the future"),
    ProblemCode.YEAR_OUT_OF_RANGE: N_("year too early"),
    ProblemCode.NEGATIVE_VALUE: N_("negative amount"),
    ProblemCode.ABOVE_MAXIMUM: N_("value above the maximum"),
    ProblemCode.UNKNOWN_COUNTRY: N_("unknown country"),
    ProblemCode.UNKNOWN_CURRENCY: N_("unknown currency"),
    ProblemCode.UNKNOWN_INSTRUMENT: N_("unknown instrument"),
    ProblemCode.NOT_IN_VOCABULARY: N_("value not in the list"),
    ProblemCode.INVALID_BOOLEAN: N_("not true/false"),
    ProblemCode.INVALID_VALUE: N_("invalid value"),
    ProblemCode.SCHEMA: N_("column failed a check"),
    ProblemCode.DUPLICATE_ID: N_("id used twice"),
    ProblemCode.DUPLICATE_KEY: N_("value given twice"),
    ProblemCode.UNKNOWN_SOURCE: N_("unknown source"),
}

# (message, suggestion) per template, with named parameters, in English; each is translated when it is rendered
# (`render`). A template is named after its code; a code said in several ways has one template per way
# ("code.way"). `quoted` is the cell's value as `quoted` shows it; `field` is the field `name` in words, added by
# `render`. Each text is whole (no pieces glued together), so that a translator sees a whole sentence. Numbers are
# written in the active language whatever their format (`{rows:,}`, `{size_mb:,.1f}`, `{minimum:g}`).
RESAVE = N_("Open it in a spreadsheet program and save it again as .xlsx or CSV.")  # a damaged workbook
TEMPLATES: Mapping[str, tuple[str, str]] = {
    "empty_file": (
        N_("The file is empty."),
        N_("Export the table again, with a header row and at least one data row."),
    ),
    "empty_file.sheet": (
        N_("The sheet '{sheet}' is empty."),
        N_("Choose another sheet, or put the table in this one."),
    ),
    "unreadable_file": (
        N_("This is {what}, not a CSV file."),
        N_("Save or export the table as CSV (UTF-8) and upload that."),
    ),
    "unreadable_excel.part_too_large": (
        N_("This Excel file could not be read: its part {part} is larger than it can be."),
        RESAVE,
    ),
    "unreadable_excel.doctype": (
        N_("This Excel file could not be read: it declares a document type, which workbooks never do."),
        RESAVE,
    ),
    "unreadable_excel.no_workbook": (N_("This Excel file could not be read: it has no workbook part."), RESAVE),
    "unreadable_excel.element_too_large": (
        N_("This Excel file could not be read: one <{tag}> element is larger than {limit_mb} MB."),
        RESAVE,
    ),
    "unreadable_excel.no_sheet": (N_("This Excel file could not be read: it lists no sheet."), RESAVE),
    "unreadable_excel.sheet_missing": (
        N_("This Excel file could not be read: the sheet '{sheet}' is missing from it."),
        RESAVE,
    ),
    "unreadable_excel.error": (N_("This Excel file could not be read: {error}."), RESAVE),
    "unreadable_excel.reader_stopped": (N_("This Excel file could not be read: its reader stopped."), RESAVE),
    "workbook_too_large": (
        N_("The workbook's data expands to more than {limit_mb:,.0f} MB, the limit for one workbook."),
        N_("Save the sheet you need as CSV (it is read far faster), or split the workbook into smaller ones."),
    ),
    "unreadable_file.zip": (N_("This is a ZIP archive, not a CSV file."), N_("Unzip it and upload the CSV inside.")),
    "unreadable_file.binary": (
        N_("This looks like a binary file, not text."),
        N_("Save or export the table as CSV (UTF-8) and upload that."),
    ),
    "binary_file": (
        N_("This looks like a binary file, not text."),
        N_("Save or export the table as CSV (UTF-8) and upload that."),
    ),
    "file_too_large": (
        N_("The file is {size_mb:,.1f} MB; the limit is {limit_mb:,.0f} MB."),
        N_("Split it into smaller files (for example one per year or per country) and upload them one at a time."),
    ),
    "not_enough_memory": (
        N_(
            "Checking this file would need about {needed_mb:,.0f} MB of memory, more than the {limit_mb:,.0f} MB "
            "this server can give it right now."
        ),
        N_("Split it into smaller files, or try again later."),
    ),
    "not_enough_memory.workbook": (
        N_("Reading this workbook would need more than the {limit_mb:,.0f} MB this server can give it right now."),
        N_(
            "Save the sheet you need as CSV (it needs far less memory), split it into smaller files, or try again "
            "later."
        ),
    ),
    "not_enough_memory.workbook_stopped": (
        N_("Reading this workbook needed more memory or time than this server can give it."),
        N_("Save the sheet you need as CSV (it needs far less memory), or split it into smaller files."),
    ),
    "too_many_rows": (
        N_("The file has {rows:,} rows; the limit is {limit:,} rows."),
        N_("Split it into smaller files (for example one per year) and upload them one at a time."),
    ),
    "too_many_rows.about": (
        N_("The file has about {rows:,} rows; the limit is {limit:,} rows."),
        N_("Split it into smaller files (for example one per year) and upload them one at a time."),
    ),
    "too_many_rows.sheet": (
        N_("The sheet has more than {limit:,} rows; the limit is {limit:,} rows."),
        N_("Split it into smaller files (for example one per year) and upload them one at a time."),
    ),
    "too_many_columns": (
        N_("The table has {columns:,} columns; the limit is {limit:,}."),
        N_("Keep the columns the dashboard uses (see the template) and the ones you need, and upload that."),
    ),
    "too_many_columns.sheet": (
        N_("The sheet has at least {columns:,} columns; the limit is {limit:,}."),
        N_("Keep the columns the dashboard uses (see the template) and the ones you need, and upload that."),
    ),
    "header_too_long": (
        N_("The name of column {letter} has {chars:,} characters; the limit for a cell is {limit:,}."),
        N_("Give the column a short name (the template shows the names the dashboard knows)."),
    ),
    "header_too_long.first_lines": (
        N_(
            "The first lines of the file are longer than {sample_mb} MB without a line break, so they cannot be a "
            "table's header."
        ),
        N_(
            "Check that the file is a table with its column names in one of the first rows, one row per line, and "
            "export it again as CSV."
        ),
    ),
    "no_header": (N_("The first row is empty."), N_("Put the column names in row 1.")),
    "no_rows": (N_("The file has a header but no data rows."), N_("Add at least one row under the header.")),
    "too_many_cells": (
        N_("Row {row} has {width} cells but the header has {header_width}."),
        N_(
            "A {delimiter} inside a value probably split it: put that value in double quotes, or remove the extra "
            "cells."
        ),
    ),
    "too_many_cells.more": (  # the engine import reads twice the header's cells, no more
        N_("Row {row} has {width} cells or more but the header has {header_width}."),
        N_(
            "A {delimiter} inside a value probably split it: put that value in double quotes, or remove the extra "
            "cells."
        ),
    ),
    "cell_too_long": (
        N_("This cell has {chars:,} characters; the limit is {limit:,}."),
        N_("Shorten it: long texts belong in a document the data can point to."),
    ),
    "unknown_kind": (N_("Unknown kind '{kind}'."), N_("Use one of: {kinds}.")),
    "unknown_kind.header": (
        N_(
            "Could not tell which kind of file this is from its header ({headers}). The required columns are: "
            "{expected}."
        ),
        N_("Rename the columns, or choose the kind yourself."),
    ),
    "missing_column": (
        N_("The required field '{field}' has no column (its column is named '{name}')."),
        N_("Add a column named '{name}' ({fill_hint}), or match one of your columns to it."),
    ),
    "missing_column.close": (
        N_("The required field '{field}' has no column (its column is named '{name}')."),
        N_(
            "Did you mean the column '{close}'? Rename it to '{name}', or match it to '{field}'. Otherwise add a "
            "column named '{name}' ({fill_hint})."
        ),
    ),
    "duplicate_column": (
        N_("Several columns could be '{field}': {columns}."),
        N_("Rename or delete all but one of them so the file has a single '{name}' column."),
    ),
    "value_too_long": (
        N_("The value given for every row of '{field}' has {chars:,} characters; the limit for a cell is {limit:,}."),
        N_("Shorten it: long texts belong in a document the data can point to."),
    ),
    "missing_value": (N_("'{field}' is empty in this row."), N_("Fill it in ({fill_hint}).")),
    "invalid_number.point": (
        N_("{quoted} is not a number."),
        N_("Write a plain number such as 1250.50 (this file uses a decimal point)."),
    ),
    "invalid_number.comma": (
        N_("{quoted} is not a number."),
        N_("Write a plain number such as 1250,50 (this file uses a decimal comma)."),
    ),
    "not_whole_number": (N_("{quoted} must be a whole number."), ""),
    "invalid_year": (N_("{quoted} is not a year."), N_("Write a four-digit year such as 2021.")),
    "future_year": (N_("{quoted} is in the future."), N_("Use the year the figures refer to (at most {latest}).")),
    "year_out_of_range": (N_("{quoted} is before {earliest}."), N_("Check the year.")),
    "negative_value": (
        N_("{quoted} is negative."),
        N_("'{field}' must be {minimum:g} or more: enter the amount without a minus sign, or leave repayments out."),
    ),
    "above_maximum": (N_("{quoted} is above the maximum {maximum:g} for '{field}'."), N_("Check the value.")),
    "unknown_country": (
        N_("{quoted} is not a known country."),
        N_("Use an ISO 3166 code such as KEN or ITA, or a country name."),
    ),
    "unknown_country.hint": (
        N_("{quoted} is not a known country."),
        N_("{hint} Use an ISO 3166 code such as KEN or ITA, or a country name."),
    ),
    "unknown_currency": (
        N_("{quoted} is not a known currency."),
        N_("Use an ISO 4217 code such as EUR, USD or KES."),
    ),
    "unknown_currency.hint": (
        N_("{quoted} is not a known currency."),
        N_("{hint} Use an ISO 4217 code such as EUR, USD or KES."),
    ),
    "unknown_instrument": (
        N_("{quoted} is not a known instrument."),
        N_(
            "Use an instrument id of the catalogue (see the Instruments page or "
            "`python -m sse_dash template instruments`)."
        ),
    ),
    "unknown_instrument.hint": (
        N_("{quoted} is not a known instrument."),
        N_(
            "{hint} Use an instrument id of the catalogue (see the Instruments page or "
            "`python -m sse_dash template instruments`)."
        ),
    ),
    "not_in_vocabulary": (N_("{quoted} is not a known value of '{field}'."), N_("Use one of: {choices}.")),
    "not_in_vocabulary.hint": (
        N_("{quoted} is not a known value of '{field}'."),
        N_("{hint} Use one of: {choices}."),
    ),
    "invalid_boolean": (N_("{quoted} is not true or false."), N_("Write true or false.")),
    "invalid_value": (N_("{quoted} failed the check '{check}' for '{field}'."), N_("Check the value.")),
    "schema": (N_("The {column} column failed the check {check}."), N_("Check the column.")),
    "duplicate_id": (
        N_("{quoted} appears more than once in '{field}'."),
        N_("Each id must be unique: rename one."),
    ),
    "duplicate_key": (
        N_("This row repeats {described}, already given in row {first_row}."),
        N_("Give each value its own breakdown, or remove one of the rows."),
    ),
    "unknown_source": (
        N_("{quoted} names a source that is not in sources.csv."),
        N_("Add the source there first, or correct the id."),
    ),
    "invalid_value.home_page": (N_("{quoted} is only a site's home page."), N_("Give the page's full address.")),
    "duplicate_key.url": (N_("{quoted} is also the address of row {first_row}."), N_("List each source once.")),
}


def field_word(name: str) -> str:
    """A field named in words in the active language ('org_id' -> 'Organisation id'); unknown names as given."""
    return _(FIELD_LABELS[name]) if name in FIELD_LABELS else name


_NUMBER_FORMAT = re.compile(r"(?P<grouped>,?)(?:\.(?P<decimals>\d+)f)?|g")


def _decimals(value: numbers.Real) -> int:
    """The decimals a number needs when its format does not say (at most 6, as `{:g}` writes them)."""
    if isinstance(value, numbers.Integral) or float(value).is_integer():
        return 0
    return len(f"{float(value):.6f}".rstrip("0").split(".")[1])


class _Formatter(string.Formatter):
    """`str.format` with numbers written in the active language: `{rows:,}` as `i18n.number(rows)` (1,234 ·
    1 234 · ۱٬۲۳۴), `{size_mb:,.1f}` with one decimal, and `{minimum:g}` or a bare `{row}` (a whole number) without
    grouping, so that years stay 2021. In English this writes what `str.format` writes."""

    def format_field(self, value: Any, format_spec: str) -> str:
        found = _NUMBER_FORMAT.fullmatch(format_spec)
        plain_float = not format_spec and not isinstance(value, numbers.Integral)
        if not isinstance(value, numbers.Real) or isinstance(value, bool) or found is None or plain_float:
            return super().format_field(value, format_spec)
        decimals = int(found["decimals"]) if found["decimals"] else _decimals(value)
        shown = i18n.number(value, decimals)
        if not found["grouped"]:
            shown = shown.replace(get_group_symbol(i18n.locale(), numbering_system="default"), "")
        return shown


_FORMATTER = _Formatter()


def render(template: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The (message, suggestion) of a template with its parameters, in the active language (English outside a
    Streamlit run), numbers included; a `name` parameter (a field's code) is also given as `field`, the field in
    words."""
    message, suggestion = TEMPLATES[template]
    if "name" in params:
        params = {"field": field_word(str(params["name"])), **params}
    return _FORMATTER.vformat(_(message), (), params), _FORMATTER.vformat(_(suggestion), (), params)


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
    def as_read(cls, code: str, template: str, params: Mapping[str, Any]) -> Problem:
        """A problem the workbook reader found, as it tells it: code, template and parameters (it runs apart and
        cannot import this module, so it writes no message)."""
        return cls.of(ProblemCode(code), params, template=template)

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
    return sorted_problems(frames)


def sorted_problems(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames of problems as one, typed as the report shows them and sorted by row then column (stably)."""
    frames = [f for f in frames if not f.empty]
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
