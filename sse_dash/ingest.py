"""The one ingest path for every file, bundled or uploaded.

bytes -> file checks -> encoding -> delimiter -> parse (all cells as text) -> header mapping -> decimal mark ->
type coercion and code resolution -> pandera validation (lazy) -> a clean frame (categoricals) plus a report.

Rows are numbered as a spreadsheet shows them: the header is row 1, and a quoted cell spanning several lines is
still one row. Nothing here raises on bad input: every problem becomes a row of `IngestReport.problems`.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import difflib
import functools
import io
import os
import re
import tempfile
import threading
import weakref
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from sse_dash import codes, sniff, xlsx
from sse_dash.limits import Limits
from sse_dash.schema import (
    EARLIEST_YEAR,
    FIELDS,
    KINDS,
    LIFE_STAGES,
    MULTI_SEPARATOR,
    SSE_TYPES,
    Field,
    latest_year,
    pandera_schema,
    required_names,
)

PROBLEM_COLUMNS = ["row", "column", "field", "value", "code", "message", "suggestion"]
# Messages are written "what is wrong<SEPARATOR>what to do"; _problem_frame splits them into two columns.
SEPARATOR = "\x1f"
MAX_LISTED = 8
PREVIEW_CHARS = 200  # longer cells are cut in the preview (only there)
_MISSING_NUMBER_TOKENS = ("na", "n/a", "nan", "null", "none", "-", "--", "..", "…", "#n/a", "#na")
_YEAR_IN_TEXT = r"(?<!\d)(1[89]\d\d|20\d\d|21\d\d)(?!\d)"
NUMERIC_TYPES = ("number", "int", "year")
_LARGEST_INT = 2**53  # beyond this a float no longer holds every whole number
_NUMBER_NOISE = r"[\s\u00a0\u202f'’€$£]"
_TRUE = {"true", "t", "yes", "y", "1", "oui", "si", "sí", "ja", "vrai", "x"}
_FALSE = {"false", "f", "no", "n", "0", "non", "nein", "faux", ""}


# --- results ------------------------------------------------------------------------------------------------


@dataclass
class IngestReport:
    """What happened to a file: what was detected, how columns were mapped, every problem and warning."""

    kind: str | None = None
    filename: str | None = None
    source_format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    rows: int = 0
    valid_rows: int = 0
    columns: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))

    @property
    def valid(self) -> bool:
        """True when the file has no problems at all."""
        return self.problems.empty

    @property
    def rows_left_out(self) -> int:
        """Data rows that have at least one problem."""
        return self.rows - self.valid_rows

    def problem_counts(self) -> pd.Series:
        """Number of problems by problem code, largest first."""
        return self.problems["code"].value_counts()

    def delimiter_name(self) -> str:
        """The delimiter in words ('semicolon'), or an empty string."""
        return sniff.DELIMITER_NAMES.get(self.delimiter or "", self.delimiter or "")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: valid, kind, rows, encoding, delimiter, warnings, problems."""
        problems = [
            {
                "row": None if pd.isna(p.row) else int(p.row),
                "column": None if pd.isna(p.column) else str(p.column),
                "value": None if pd.isna(p.value) else str(p.value),
                "message": f"{p.message} {p.suggestion}".strip(),
                "suggestion": str(p.suggestion),
                "code": str(p.code),
                "field": None if pd.isna(p.field) else str(p.field),
            }
            for p in self.problems.itertuples(index=False)
        ]
        return {
            "valid": self.valid,
            "kind": self.kind,
            "rows": self.rows,
            "valid_rows": self.valid_rows,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "decimal": self.decimal,
            "source_format": self.source_format,
            "mapping": self.mapping,
            "extra_columns": self.extra_columns,
            "warnings": list(self.warnings),
            "problems": problems,
        }


@dataclass
class IngestResult:
    """The clean rows (only rows without problems), the columns kept aside, and the report."""

    frame: pd.DataFrame
    extras: pd.DataFrame
    report: IngestReport


# --- reading the table --------------------------------------------------------------------------------------


@dataclass
class RawTable:
    """The cells of a table. Columns are positions 0..n-1; the index is the spreadsheet row number.

    A fast read lets the parser type numeric-looking columns as numbers and leaves blank cells as missing; `text`
    gives any column back exactly as written (re-reading it when the parser typed it), which is what text fields,
    code fields and problem messages need. `sample` holds the first rows as text for previews.
    """

    headers: list[str]
    cells: pd.DataFrame
    reread: Callable[[list[int]], pd.DataFrame] | None = None
    sample: list[list[str]] = field(default_factory=list)
    _text: dict[int, pd.Series] = field(default_factory=dict, repr=False)

    def is_text(self, position: int) -> bool:
        """True when the column holds exactly the text written (not numbers, not a mix the parser made)."""
        return pd.api.types.is_string_dtype(self.cells[position].dtype) and self.cells[position].dtype != object

    def text(self, position: int) -> pd.Series:
        """The column as written in the file; blank cells may be missing values."""
        if self.is_text(position):
            return self.cells[position]
        if position not in self._text:
            column = None
            if self.reread is not None:
                with contextlib.suppress(ValueError, pd.errors.ParserError, UnicodeDecodeError, OverflowError):
                    column = self.reread([position])[position]
            if column is None or len(column) != len(self.cells):
                column = self.cells[position].map(cell_text).astype("str")
            column.index = self.cells.index
            self._text[position] = column
        return self._text[position]


def column_letter(position: int) -> str:
    """Spreadsheet letter of a 0-based column position: 0 -> A, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _frame_from_records(records: list[list[str]], width: int, first_row: int) -> pd.DataFrame:
    padded = [row + [""] * (width - len(row)) for row in records]
    frame = (
        pd.DataFrame(padded, columns=range(width), dtype="str")
        if padded
        else pd.DataFrame({i: pd.Series([], dtype="str") for i in range(width)})
    )
    frame.index = pd.RangeIndex(first_row, first_row + len(frame))
    return frame


def _python_parse(
    text: str, delimiter: str, first_row: int = 2
) -> tuple[list[str], pd.DataFrame, list[tuple[int, int]]]:
    """Slow, forgiving parse: returns the header, the cells, and (row, width) of rows with too many cells."""
    reader = csv.reader(io.StringIO(text.replace("\x00", ""), newline=""), delimiter=delimiter)
    header = next(reader, [])
    width = len(header)
    records, too_wide = [], []
    for row_number, record in enumerate(reader, start=first_row):
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            too_wide.append((row_number, len(record)))
            records.append([""] * width)
        else:
            records.append(record[:width])
    return header, _frame_from_records(records, width, first_row), too_wide


def _fast_parse(
    source: str | bytes,
    header: list[str],
    delimiter: str,
    skip_lines: int,
    first_row: int,
    encoding: str,
    decimal: str,
    thousands: str | None,
) -> tuple[pd.DataFrame, Callable]:
    """Parse with pandas' C engine, letting it type numeric columns (the fast path for large files).

    Blank cells become missing values, and only blank cells: "NA" stays text (it is Namibia's code).
    Returns the cells and a function that re-reads chosen columns as text.
    """
    options = {
        "sep": delimiter,
        "header": None,
        "skiprows": skip_lines,
        "names": list(range(len(header))),
        "skip_blank_lines": False,
        "engine": "c",
        "encoding": encoding,
    }

    def opened():
        return source if isinstance(source, str) else io.BytesIO(source)

    frame = pd.read_csv(
        opened(), keep_default_na=False, na_values=[""], decimal=decimal, thousands=thousands, **options
    )
    frame.index = pd.RangeIndex(first_row, first_row + len(frame))

    def reread(positions: list[int]) -> pd.DataFrame:
        text = pd.read_csv(opened(), usecols=positions, dtype="str", keep_default_na=False, na_filter=False, **options)
        text.index = pd.RangeIndex(first_row, first_row + len(text))
        return text

    return frame, reread


def header_position(records: list[list[str]]) -> int:
    """Which of the first records is the header: 0, unless row 1 is a title (fewer than two cells filled).

    Exports often start with a title line and a blank line; the header is then the first row that fills most
    columns.
    """
    filled = [sum(1 for cell in record if str(cell).strip()) for record in records[:12]]
    if not filled or filled[0] >= 2 or max(filled) < 2:
        return 0
    return next((i for i, count in enumerate(filled) if count >= max(2, int(0.6 * max(filled)))), 0)


def _leading_lines(text: str, delimiter: str, records: int) -> tuple[list[list[str]], list[int]]:
    """The first records of a text and, for each, how many physical lines have been read after it."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found, lines = [], []
    try:
        for record in reader:
            found.append(record)
            lines.append(reader.line_num)
            if len(found) >= records:
                break
    except csv.Error:
        pass
    return found, lines


def _title_note(skipped: int) -> str:
    rows = "Row 1" if skipped == 1 else f"Rows 1–{skipped}"
    verb = "was" if skipped == 1 else "were"
    return f"{rows} looked like a title and {verb} skipped; the header is row {skipped + 1}."


NO_LIMITS = Limits()


_LINE_BLOCK = 1 << 22


def _line_count(data: bytes | None, path: str | None) -> int:
    """Lines in the file (at least its rows: a quoted cell may hold line breaks), without parsing it.

    A line ends with LF, CRLF or a bare CR (old Mac files; pandas' parser takes all three).
    """
    if data is not None:
        return _line_breaks(data) + (0 if data.endswith((b"\n", b"\r")) else 1)
    lines, last = 0, b""
    with open(path, "rb") as handle:
        while block := handle.read(_LINE_BLOCK):
            lines += _line_breaks(block) - (last.endswith(b"\r") and block.startswith(b"\n"))
            last = block
    return lines + (0 if last.endswith((b"\n", b"\r")) else 1)


def _line_breaks(data: bytes | str) -> int:
    lf, cr = ("\n", "\r") if isinstance(data, str) else (b"\n", b"\r")
    return data.count(lf) + data.count(cr) - data.count(cr + lf)


def _long_cells(table: RawTable, limit: int) -> list[pd.DataFrame]:
    """A problem for every cell longer than `limit` characters: its row is left out, nothing is cut."""
    found = []
    for position in table.cells.columns:
        column = table.cells[position]
        if not (pd.api.types.is_string_dtype(column.dtype) or column.dtype == object):
            continue
        lengths = column.astype("str").str.len().fillna(0).to_numpy()
        rows = column.index[lengths > limit]
        if not len(rows):
            continue
        label = (
            table.headers[position] if position < len(table.headers) else ""
        ) or f"column {column_letter(position)}"
        texts = column.loc[rows].astype("str")
        found.append(
            pd.DataFrame(
                {
                    "row": rows.to_numpy(),
                    "column": label,
                    "field": None,
                    "value": texts.str.slice(0, 60).to_numpy() + "…",
                    "code": "cell_too_long",
                    "message": [
                        f"This cell has {n:,} characters; the limit is {limit:,}.\x1fShorten it: long texts belong "
                        "in a document the data can point to."
                        for n in lengths[lengths > limit]
                    ],
                    "suggestion": "",
                },
                columns=PROBLEM_COLUMNS,
            )
        )
    return found


def read_csv_table(
    data: bytes | None,
    report: IngestReport,
    encoding: str | None = None,
    path: str | None = None,
    limits: Limits | None = None,
) -> tuple[RawTable | None, list[dict]]:
    """Parse CSV bytes (or the file at `path`) into a RawTable, recording encoding, delimiter and number format.

    Only a sample is decoded to detect the format; a UTF-8 file is then parsed straight from its bytes or path.
    Anything the fast parser cannot take (another encoding, rows with too many cells) goes through the
    forgiving path, which decodes the whole text first.
    """
    if data is None:
        with open(path, "rb") as handle:
            head = handle.read(sniff.SAMPLE_BYTES)
    else:
        head = data[: sniff.SAMPLE_BYTES]
    sample = sniff.decode_sample(head, encoding)
    if not sniff.looks_like_text(sample.text):
        return None, [
            _file_problem(
                "binary_file",
                "This looks like a binary file, not text.\x1fSave or export the table as CSV (UTF-8) and upload that.",
            )
        ]
    delimiter = sniff.detect_delimiter(sample.text)
    report.delimiter = delimiter
    leading, lines = _leading_lines(sample.text, delimiter, 12)
    skipped = header_position(leading)
    size = len(data) if data is not None else Path(path).stat().st_size
    if len(head) < size and lines and _line_breaks(sample.text) < lines[min(skipped, len(lines) - 1)]:
        return None, [_header_too_long_problem()]  # the header goes on past the sample: no table's header does
    if skipped:
        report.warnings.append(_title_note(skipped))
    sample_text = sample.text.split("\n", lines[skipped - 1])[-1] if skipped else sample.text
    rows = _sample_records(sample_text, delimiter)
    header = rows[0] if rows else []
    limits = limits or NO_LIMITS
    about_rows = _line_count(data, path) - skipped - 1 if limits.max_rows is not None else 0  # a pass over the file
    shape = limits.shape_problem(about_rows, len(header), True)
    if shape:  # refused before the whole file is parsed
        return None, [_file_problem(*shape)]
    report.decimal, thousands = sniff.number_format([cell for row in rows[1:] for cell in row], delimiter)
    first_row = skipped + 2
    utf8 = sample.encoding in ("utf-8", "utf-8-sig")
    if header and "\x00" not in sample.text:
        spooled = None
        try:
            source: str | bytes = (path if data is None else data) if utf8 else _utf8_bytes(data, path, sample)
            spooled = _spool(source) if isinstance(source, bytes) else None
            cells, reread = _fast_parse(
                spooled or source,
                header,
                delimiter,
                (lines[skipped] if len(lines) > skipped else 1),
                first_row,
                "utf-8",
                report.decimal,
                thousands,
            )
            report.encoding = sample.encoding
            table = RawTable(header, cells, reread, rows[1:9])
            if spooled:  # the temporary file goes when the table does (text columns are re-read from it)
                weakref.finalize(table, _unlink, spooled)
            return table, []
        except (ValueError, pd.errors.ParserError, csv.Error, UnicodeDecodeError, OverflowError, MemoryError):
            if spooled:
                _unlink(spooled)
    decoded = sniff.decode(data if data is not None else Path(path).read_bytes(), encoding)
    report.encoding = decoded.encoding
    text = decoded.text.split("\n", lines[skipped - 1])[-1] if skipped else decoded.text
    header, cells, too_wide = _python_parse(text, delimiter, first_row)
    problems = [
        _problem(
            row,
            None,
            None,
            None,
            "too_many_cells",
            f"Row {row} has {width} cells but the header has {len(header)}.\x1fA "
            f"{sniff.DELIMITER_NAMES.get(delimiter, delimiter)} inside a value probably "
            "split it: put that value in double quotes, or remove the extra cells.",
        )
        for row, width in too_wide
    ]
    return RawTable(header, cells, None, rows[1:9]), problems


SPOOL_BYTES = 4 << 20  # from this size, bytes are parsed from a temporary file
_SPOOL_NAME = re.compile(r"upload-(\d+)-[\w-]+\.csv")


def spool_dir() -> Path:
    """The private folder (mode 0700, one per user) where large uploads are parsed from: see `_spool`."""
    folder = Path(tempfile.gettempdir()) / f"sse-dash-spool-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def clean_spool() -> int:
    """Remove the spooled uploads of server processes that have ended (a hard kill leaves them); returns how many.

    Each file carries the id of the process that wrote it; the files of processes still running are left alone.
    """
    removed = 0
    for path in spool_dir().glob("upload-*.csv"):
        found = _SPOOL_NAME.fullmatch(path.name)
        if found and not _process_alive(int(found.group(1))):
            _unlink(str(path))
            removed += 1
    return removed


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, but another user's
        return True
    return True


def _spool(data: bytes) -> str | None:
    """Large bytes written to a private temporary file, or None (small data, or no disk space).

    pandas' C parser reads a file more than twice as fast as the same bytes in memory (an upload arrives as bytes).
    The file goes when the table that reads from it goes; `clean_spool` removes those a killed server left.
    """
    if len(data) < SPOOL_BYTES:
        return None
    try:
        with tempfile.NamedTemporaryFile(
            prefix=f"upload-{os.getpid()}-", suffix=".csv", dir=spool_dir(), delete=False
        ) as handle:
            name = handle.name
            handle.write(data)
    except OSError:
        with contextlib.suppress(NameError, OSError):
            os.unlink(name)
        return None
    return name


def _unlink(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def _utf8_bytes(data: bytes | None, path: str | None, sample: sniff.Decoded) -> bytes:
    """The whole file re-encoded as UTF-8 (for files in another encoding)."""
    raw = data if data is not None else Path(path).read_bytes()
    return sniff.decode(raw, sample.encoding).text.encode("utf-8")


def _header_too_long_problem() -> dict:
    return _file_problem(
        "header_too_long",
        f"The first lines of the file are longer than {sniff.SAMPLE_BYTES // (1 << 20)} MB without a line break, so "
        "they cannot be a table's header.\x1fCheck that the file is a table with its column names in one of the "
        "first rows, one row per line, and export it again as CSV.",
    )


def _header_problems(headers: list[str], limit: int | None) -> list[dict]:
    """A problem for every column name longer than the cell limit: the file is refused (names are not cut)."""
    if limit is None:
        return []
    return [
        _problem(
            1,
            f"column {column_letter(position)}",
            None,
            header[:60] + "…",
            "header_too_long",
            f"The name of column {column_letter(position)} has {len(header):,} characters; the limit for a cell is "
            f"{limit:,}.\x1fGive the column a short name (the template shows the names the dashboard knows).",
        )
        for position, header in enumerate(headers)
        if len(header) > limit
    ]


def _sample_records(text: str, delimiter: str, records: int = 200) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found: list[list[str]] = []
    try:
        for record in reader:
            found.append(record)
            if len(found) >= records:
                break
    except csv.Error:
        pass
    return found


def read_excel_table(
    data: bytes, report: IngestReport, sheet: str | None, limits: Limits | None = None, progress: Progress | None = None
) -> tuple[RawTable | None, list[dict]]:
    """Read one sheet of an .xlsx workbook (the first unless `sheet` names another) as a RawTable.

    The sheet is streamed within the limits (see `sse_dash.xlsx`): in a child process when the limits ask for it.
    The table's index keeps each row's number in the sheet, so blank rows cost nothing and messages name the
    row a spreadsheet shows.
    """
    limits = limits or NO_LIMITS
    report.source_format = "xlsx"
    report.encoding = "xlsx"
    step = (lambda fraction: progress(0.1 + 0.6 * fraction, "Reading the workbook")) if progress else None
    read = xlsx.read_apart if limits.separate_process else xlsx.read_sheet
    found = read(data, sheet, limits.xlsx_bounds(), step)
    if found.problem:
        return None, [_file_problem(*found.problem)]
    report.sheets, report.sheet, name = found.sheets, found.name, found.name
    rows, numbers = found.rows, found.row_numbers
    if not rows:
        return None, [
            _file_problem(
                "empty_file", f"The sheet '{name}' is empty.\x1fChoose another sheet, or put the table in this one."
            )
        ]
    skipped = header_position(rows)
    if skipped or numbers[0] != 1:
        report.warnings.append(_title_note(numbers[skipped] - 1))
    header = [cell.strip() for cell in rows[skipped]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    body = [row[:width] + [""] * (width - len(row)) for row in rows[skipped + 1 :]]
    frame = _frame_from_records(body, width, 2)
    frame.index = pd.Index(numbers[skipped + 1 :], dtype="int64")
    report.decimal = "."
    return RawTable(header, frame, None, body[:8]), []


# --- problems -----------------------------------------------------------------------------------------------


def _problem(row: int | None, column: str | None, fld: str | None, value: str | None, code: str, message: str) -> dict:
    return {
        "row": row,
        "column": column,
        "field": fld,
        "value": value,
        "code": code,
        "message": message,
        "suggestion": "",
    }


def _file_problem(code: str, message: str) -> dict:
    return _problem(None, None, None, None, code, message)


def problem_frame(rows: list[dict] | list[pd.DataFrame]) -> pd.DataFrame:
    frames = [r if isinstance(r, pd.DataFrame) else pd.DataFrame([r], columns=PROBLEM_COLUMNS) for r in rows]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=PROBLEM_COLUMNS).astype({"row": "Int64"})
    combined = pd.concat(frames, ignore_index=True)
    parts = combined["message"].astype(str).str.split(SEPARATOR, n=1, expand=True)
    combined["message"] = parts[0].str.strip()
    combined["suggestion"] = (parts[1] if 1 in parts else pd.Series("", index=combined.index)).fillna("").str.strip()
    combined = combined[PROBLEM_COLUMNS]
    combined["row"] = combined["row"].astype("Int64")
    return combined.sort_values(["row", "column"], na_position="first", kind="stable").reset_index(drop=True)


def _cell_problems(
    raw: pd.Series, bad: np.ndarray, column: str, fld: str, code: str, message: Callable[[str], str]
) -> pd.DataFrame:
    """Problem rows for the cells of `raw` flagged in `bad`, with one message per distinct value."""
    if not bad.any():
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    values = raw[bad].map(cell_text).astype("object")
    texts = {value: message(value) for value in values.unique()}
    return pd.DataFrame(
        {
            "row": values.index.to_numpy(),
            "column": column,
            "field": fld,
            "value": values.to_numpy(dtype=object),
            "code": code,
            "message": values.map(texts).to_numpy(dtype=object),
        }
    )


def cell_text(value: Any) -> str:
    """A cell as text: '' for a missing cell, numbers without a trailing '.0'."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def _quoted(value: str, limit: int = 60) -> str:
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(value))
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"


# --- header mapping -----------------------------------------------------------------------------------------


def normalise_header(header: str) -> str:
    """Header in snake case without accents: ' Montant (EUR) ' -> 'montant_eur'."""
    return codes.normalise_key(header.replace("\ufeff", "")).replace(" ", "_")


def _header_keys(header: str) -> list[str]:
    key = normalise_header(header)
    without_brackets = normalise_header(re.sub(r"[(\[].*?[)\]]", " ", header))
    return [key] if without_brackets in ("", key) else [key, without_brackets]


@dataclass
class ColumnMatch:
    """Which header position feeds which canonical field, and what is left over."""

    positions: dict[str, int]
    extras: list[int]
    problems: list[dict]
    warnings: list[str]

    def required_share(self, kind: str) -> float:
        """Fraction of the kind's required fields that found a column."""
        required = required_names(kind)
        return sum(name in self.positions for name in required) / len(required)


def _header_label(headers: list[str], position: int) -> str:
    name = headers[position].strip() or "(no name)"
    return f"'{name}' (column {column_letter(position)})"


def match_columns(
    headers: list[str],
    kind: str,
    overrides: Mapping[str, str | None] | None = None,
    constants: Mapping[str, str] | None = None,
) -> ColumnMatch:
    """Map headers to the fields of `kind`: explicit overrides, then exact names, then documented synonyms."""
    overrides, constants = dict(overrides or {}), dict(constants or {})
    fields = FIELDS[kind]
    keys = [_header_keys(h) for h in headers]
    positions: dict[str, int] = {}
    problems: list[dict] = []
    warnings: list[str] = []
    used: set[int] = set()
    for name, header in overrides.items():
        if header is None or name in constants:
            continue
        matches = [i for i, h in enumerate(headers) if h == header]
        if matches:
            positions[name] = matches[0]
            used.add(matches[0])
    for tier in ("name", "synonym"):
        for f in fields:
            if f.name in positions or f.name in constants or f.name in overrides:
                continue
            wanted = [f.name] if tier == "name" else list(f.synonyms)
            for wanted_key in wanted:
                hits = [i for i, k in enumerate(keys) if wanted_key in k and i not in used]
                if not hits:
                    continue
                if len(hits) > 1:
                    labels = " and ".join(_header_label(headers, i) for i in hits)
                    problems.append(
                        _file_problem(
                            "duplicate_column",
                            f"Columns {labels} could both be '{f.name}'.\x1fRename or delete one of them so the file has "
                            f"a single '{f.name}' column.",
                        )
                    )
                positions[f.name] = hits[0]
                used.update(hits)
                break
    extras = [i for i in range(len(headers)) if i not in used]
    for i in extras:
        duplicates = [j for j in extras if j != i and keys[j][0] == keys[i][0]]
        if duplicates and i < min(duplicates):
            warnings.append(
                f"Columns {_header_label(headers, i)} and "
                f"{', '.join(_header_label(headers, j) for j in duplicates)} have the same name; "
                "both are kept aside."
            )
    return ColumnMatch(positions, extras, problems, warnings)


def _missing_column_problems(
    headers: list[str], kind: str, match: ColumnMatch, constants: Mapping[str, str]
) -> list[dict]:
    problems = []
    leftover = {normalise_header(headers[i]): headers[i] for i in match.extras if headers[i].strip()}
    for f in FIELDS[kind]:
        if not f.required or f.name in match.positions or f.name in constants:
            continue
        close = difflib.get_close_matches(f.name, leftover.keys(), n=1, cutoff=0.6)
        hint = f" Did you mean the column '{leftover[close[0]]}'? Rename it to '{f.name}'." if close else ""
        problems.append(
            _problem(
                None,
                f.name,
                f.name,
                None,
                "missing_column",
                f"Required column '{f.name}' is missing.\x1f{hint.strip()} Add a column named '{f.name}' "
                f"({f.fill_hint()}), or map one of your columns to it.",
            )
        )
    return problems


def detect_kind(headers: list[str]) -> tuple[str | None, float]:
    """The kind whose required columns the headers cover best, with the share covered."""
    shares = {kind: match_columns(headers, kind).required_share(kind) for kind in KINDS}
    kind = max(shares, key=lambda k: (shares[k], -KINDS.index(k)))
    return (kind, shares[kind]) if shares[kind] >= 0.5 else (None, shares[kind])


# --- coercion -----------------------------------------------------------------------------------------------


@dataclass
class Coerced:
    """One cleaned column and the problems found in it."""

    values: pd.Series
    problems: list[pd.DataFrame]
    notes: list[str] = field(default_factory=list)


def _is_number_column(raw: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype)


# Factorised columns of the ingest running in this thread (sessions ingest in their own threads).
_MEMO = threading.local()


@dataclass
class _Distinct:
    """A column's distinct cells (each once) and, per row, the position of its cell among them (-1: missing)."""

    positions: np.ndarray
    index: pd.Index
    _texts: list[str] | None = None

    @property
    def texts(self) -> list[str]:
        """The distinct cells as Python strings (made on first use: large columns rarely need them)."""
        if self._texts is None:
            self._texts = [u if isinstance(u, str) else cell_text(u) for u in self.index.tolist()]
        return self._texts


def _distinct_of(raw: pd.Series) -> _Distinct:
    """Memoised per column during one ingest: a field's checks look at the same column several times.

    Work on distinct values instead of rows keeps a million-row column as cheap as its few hundred values.
    """
    memo = getattr(_MEMO, "columns", None)
    if memo is None:
        return _factorize(raw)
    kept = memo.get(id(raw))
    if kept is None or kept[0] is not raw:
        kept = (raw, _factorize(raw))
        memo[id(raw)] = kept
    return kept[1]


def _distinct(raw: pd.Series) -> tuple[np.ndarray, list[str]]:
    found = _distinct_of(raw)
    return found.positions, found.texts


def _factorize_in_parallel(columns: list[pd.Series]) -> None:
    """Factorise several large text columns at once on two threads (pandas releases the GIL while hashing)."""
    memo = getattr(_MEMO, "columns", None)
    todo = [c for c in columns if memo is not None and id(c) not in memo and len(c) > 50_000]
    if len(todo) < 2:
        return
    with ThreadPoolExecutor(max_workers=2) as pool:
        for column, found in zip(todo, pool.map(_factorize, todo), strict=True):
            memo[id(column)] = (column, found)


def _factorize(raw: pd.Series) -> _Distinct:
    positions, uniques = pd.factorize(raw, use_na_sentinel=True)
    return _Distinct(positions, uniques)


def _per_row(positions: np.ndarray, per_distinct: list[bool], missing: bool) -> np.ndarray:
    if not missing and not any(per_distinct):  # the usual case: nothing flagged, no row to look up
        return np.zeros(len(positions), dtype=bool)
    return np.array([*per_distinct, missing], dtype=bool)[positions]


def _missing_mask(raw: pd.Series, numeric: bool) -> np.ndarray:
    if _is_number_column(raw):
        return raw.isna().to_numpy()
    found = _distinct_of(raw)
    positions = found.positions
    stripped = pd.Series(found.texts, dtype="str").str.strip()
    blank = stripped.eq("") | (stripped.str.lower().isin(_MISSING_NUMBER_TOKENS) if numeric else False)
    return _per_row(positions, blank.tolist(), True)


def parse_numbers(raw: pd.Series, decimal: str) -> pd.Series:
    """Numbers from text with the given decimal mark; spaces, apostrophes and currency signs are ignored."""
    cleaned = raw.str.replace(_NUMBER_NOISE, "", regex=True)
    if decimal == ",":
        cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        cleaned = cleaned.str.replace(",", "", regex=False)
    return pd.to_numeric(cleaned, errors="coerce").astype("float64")


def _coerce_number(raw: pd.Series, f: Field, column: str, decimal: str) -> Coerced:
    if _is_number_column(raw):  # the parser already read every cell of this column as a number
        numbers = raw.astype("float64")
        numbers[np.isinf(numbers.to_numpy())] = np.nan
        return Coerced(numbers, [])
    numbers = parse_numbers(raw, decimal)
    numbers[np.isinf(numbers.to_numpy())] = np.nan
    missing = _missing_mask(raw, numeric=True)
    numbers[missing] = np.nan
    bad = numbers.isna().to_numpy() & ~missing
    mark = "decimal comma" if decimal == "," else "decimal point"
    return Coerced(
        numbers,
        [
            _cell_problems(
                raw,
                bad,
                column,
                f.name,
                "invalid_number",
                lambda v: (
                    f"{_quoted(v)} is not a number.\x1fWrite a plain number such as 1250.50 (this file uses a {mark})."
                ),
            )
        ],
    )


def _coerce_int(raw: pd.Series, f: Field, column: str, decimal: str) -> Coerced:
    coerced = _coerce_number(raw, f, column, decimal)
    numbers = coerced.values
    fractional = (numbers.notna() & ((numbers % 1 != 0) | (numbers.abs() > _LARGEST_INT))).to_numpy()
    numbers = numbers.where(~fractional)
    coerced.problems.append(
        _cell_problems(
            raw, fractional, column, f.name, "not_whole_number", lambda v: f"{_quoted(v)} must be a whole number."
        )
    )
    return Coerced(numbers.round().astype("Int64"), coerced.problems)


def _not_a_year(numbers: pd.Series) -> np.ndarray:
    """Numbers that cannot be a year: fractions and integers too large to store."""
    return (numbers.notna() & ((numbers % 1 != 0) | (numbers.abs() > _LARGEST_INT))).to_numpy()


def _year_problems(raw: pd.Series, bad: np.ndarray, column: str, f: Field) -> pd.DataFrame:
    return _cell_problems(
        raw,
        bad,
        column,
        f.name,
        "invalid_year",
        lambda v: f"{_quoted(v)} is not a year.\x1fWrite a four-digit year such as 2021.",
    )


def _coerce_year(raw: pd.Series, f: Field, column: str, decimal: str) -> Coerced:
    if pd.api.types.is_integer_dtype(raw.dtype):  # whole numbers, no blank cell: nothing to check here
        return Coerced(raw, [])
    if _is_number_column(raw):
        numbers = raw.astype("float64")
        bad = _not_a_year(numbers)
        return Coerced(numbers.where(~bad).round().astype("Int64"), [_year_problems(raw, bad, column, f)])
    stripped = raw.str.strip()
    numbers = pd.to_numeric(stripped, errors="coerce")
    missing = _missing_mask(raw, numeric=True)
    from_text = numbers.isna().to_numpy() & ~missing
    notes = []
    if from_text.any():
        extracted = pd.to_numeric(stripped[from_text].str.extract(_YEAR_IN_TEXT, expand=False), errors="coerce")
        numbers.loc[extracted.index] = extracted
        taken = int(extracted.notna().sum())
        if taken:
            notes.append(
                f"{taken} value(s) in '{column}' were dates or labels; the year was taken from them "
                f"(e.g. {_quoted(stripped[from_text][extracted.notna()].iloc[0])})."
            )
    numbers[missing] = np.nan
    bad = (numbers.isna().to_numpy() & ~missing) | _not_a_year(numbers)
    numbers = numbers.where(~bad)
    return Coerced(numbers.round().astype("Int64"), [_year_problems(raw, bad, column, f)], notes)


def _categorical(
    raw: pd.Series,
    resolve: Callable[[str], codes.Resolution],
    categories: list[str] | None,
) -> tuple[pd.Series, np.ndarray, dict[str, str]]:
    """Resolve each distinct value once; returns categorical codes, the mask of unresolved cells, hints."""
    positions, uniques = _distinct(raw)
    stripped = [u.strip() for u in uniques]
    resolutions = [codes.Resolution(None) if u == "" else resolve(u) for u in stripped]
    resolved = [r.code for r in resolutions]
    if categories is None:
        categories = sorted({c for c in resolved if c is not None})
    index_of = {c: i for i, c in enumerate(categories)}
    lookup = np.array([index_of.get(c, -1) if c is not None else -1 for c in resolved] + [-1], dtype=np.int32)
    values = pd.Series(
        pd.Categorical.from_codes(lookup[positions], categories=categories, validate=False), index=raw.index
    )
    unresolved = _per_row(
        positions, [u != "" and r.code is None for u, r in zip(stripped, resolutions, strict=True)], False
    )
    hints = {u: r.hint for u, r in zip(stripped, resolutions, strict=True) if u != "" and r.code is None}
    return values, unresolved, hints


def _resolver_for(f: Field, catalogue: pd.DataFrame | None) -> codes.Resolver | None:
    if f.dtype == "country":
        return codes.country_resolver()
    if f.dtype == "currency":
        return codes.currency_resolver()
    if f.dtype == "instrument":
        return codes.instrument_resolver(catalogue) if catalogue is not None else None
    if f.vocabulary == SSE_TYPES:
        return codes.sse_type_resolver()
    if f.vocabulary == LIFE_STAGES:
        return codes.life_stage_resolver()
    return codes.vocabulary_resolver(f.name, f.vocabulary or ())


_CODE_ADVICE = {
    "country": "Use an ISO 3166 code such as KEN or ITA, or an English country name.",
    "currency": "Use an ISO 4217 code such as EUR, USD or KES.",
    "instrument": "Use an instrument_id of the catalogue (see the Instruments page or `python -m sse_dash template "
    "instruments`).",
}


def _code_message(f: Field, hint: str, value: str) -> str:
    what = {"country": "country", "currency": "currency", "instrument": "instrument"}.get(f.dtype, f.label)
    advice = _CODE_ADVICE.get(f.dtype) or f"Use one of: {', '.join(f.vocabulary or ())}."
    return f"{_quoted(value)} is not a known {what}.\x1f{hint + ' ' if hint else ''}{advice}".strip()


def _coerce_code(raw: pd.Series, f: Field, column: str, catalogue: pd.DataFrame | None) -> Coerced:
    resolver = _resolver_for(f, catalogue)
    if resolver is None:  # no catalogue to check instrument ids against: keep them as written
        return Coerced(_text_categorical(raw), [])
    fixed = list(f.vocabulary) if f.vocabulary else None
    values, unresolved, hints = _categorical(raw, resolver.resolve, fixed)
    code = {"country": "unknown_country", "currency": "unknown_currency", "instrument": "unknown_instrument"}.get(
        f.dtype, "not_in_vocabulary"
    )
    return Coerced(
        values,
        [
            _cell_problems(
                raw, unresolved, column, f.name, code, lambda v: _code_message(f, hints.get(v.strip(), ""), v.strip())
            )
        ],
    )


def _split_multi(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[|;,]", value) if part.strip()]


def _coerce_multi(raw: pd.Series, f: Field, column: str) -> Coerced:
    resolver = codes.country_resolver() if f.dtype == "countries" else _resolver_for(f, None)
    order = {code: i for i, code in enumerate(f.vocabulary or ())}
    joined: dict[str, str | None] = {}
    messages: dict[str, str] = {}
    raw = raw.fillna("")
    for value in raw.str.strip().unique():
        parts = [(part, resolver.resolve(part)) for part in _split_multi(value)]
        unknown = [(part, r.hint) for part, r in parts if r.code is None]
        if unknown:
            part, hint = unknown[0]
            messages[value] = _code_message(f, hint, part)
            joined[value] = None
        else:
            found = sorted({r.code for _, r in parts}, key=lambda c: (order.get(c, 99), c))
            joined[value] = MULTI_SEPARATOR.join(found) or None
    stripped = raw.str.strip()
    bad = stripped.isin(list(messages)).to_numpy()
    code = "unknown_country" if f.dtype == "countries" else "not_in_vocabulary"
    values = stripped.map(joined).astype("category")
    return Coerced(values, [_cell_problems(stripped, bad, column, f.name, code, lambda v: messages[v])])


def _coerce_bool(raw: pd.Series, f: Field, column: str) -> Coerced:
    raw = raw.fillna("")
    lowered = raw.str.strip().str.lower()
    values = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    values[lowered.isin(_TRUE)] = True
    values[lowered.isin(_FALSE - {""})] = False
    bad = (~lowered.isin(_TRUE | _FALSE)).to_numpy()
    return Coerced(
        values,
        [
            _cell_problems(
                raw,
                bad,
                column,
                f.name,
                "invalid_boolean",
                lambda v: f"{_quoted(v)} is not true or false.\x1fWrite true or false.",
            )
        ],
    )


def _text_categorical(raw: pd.Series) -> pd.Series:
    """A text column as a categorical of its stripped values (blank cells missing), built from distinct values."""
    found = _distinct_of(raw)
    positions, distinct = found.positions, found.index
    if (
        pd.api.types.is_string_dtype(distinct.dtype)
        and distinct.dtype != object
        and not ((distinct.str.strip() != distinct) | (distinct == "")).any()
    ):  # the usual case: nothing to tidy, the distinct values are the categories
        return pd.Series(pd.Categorical.from_codes(positions, categories=distinct, validate=False), index=raw.index)
    stripped = [u.strip() for u in found.texts]
    categories = sorted({u for u in stripped if u})
    index_of = {c: i for i, c in enumerate(categories)}
    lookup = np.array([index_of.get(u, -1) for u in stripped] + [-1], dtype=np.int32)
    return pd.Series(
        pd.Categorical.from_codes(lookup[positions], categories=categories, validate=False), index=raw.index
    )


def _coerce_text(raw: pd.Series, f: Field, kind: str) -> Coerced:
    if kind == "usage" and f.name != "notes":
        return Coerced(_text_categorical(raw), [])
    if raw.isna().all():
        return Coerced(raw.astype("str"), [])
    stripped = raw.str.strip().replace("", pd.NA)
    if f.dtype == "id":
        return Coerced(stripped.astype("str"), [])
    return Coerced(stripped, [])


def coerce_field(
    raw: pd.Series, f: Field, column: str, kind: str, decimal: str, catalogue: pd.DataFrame | None
) -> Coerced:
    """Clean one column according to its field type; problems name the row, column and value."""
    if f.dtype == "number":
        coerced = _coerce_number(raw, f, column, decimal)
    elif f.dtype == "int":
        coerced = _coerce_int(raw, f, column, decimal)
    elif f.dtype == "year":
        coerced = _coerce_year(raw, f, column, decimal)
    elif f.dtype in ("code", "country", "currency", "instrument"):
        coerced = _coerce_code(raw, f, column, catalogue)
    elif f.dtype in ("multi", "countries"):
        coerced = _coerce_multi(raw, f, column)
    elif f.dtype == "bool":
        coerced = _coerce_bool(raw, f, column)
    else:
        coerced = _coerce_text(raw, f, kind)
    if f.required:
        values = coerced.values
        if isinstance(values.dtype, pd.CategoricalDtype) and f.dtype not in ("multi", "countries"):
            # An empty cell has no code. So has a value that could not be resolved, but that cell already has its
            # own problem, listed first: the repeated 'missing' problem is dropped with the others (_drop_repeated).
            missing = values.cat.codes.to_numpy() == -1
        else:
            missing = _missing_mask(raw, numeric=f.dtype in ("number", "int", "year"))
        coerced.problems.append(
            _cell_problems(
                raw,
                missing,
                column,
                f.name,
                "missing_value",
                lambda v: f"'{f.name}' is empty in this row.\x1fFill it in ({f.fill_hint()}).",
            )
        )
    return coerced


# --- validation ---------------------------------------------------------------------------------------------


def _check_message(check: str, f: Field, value: Any) -> tuple[str, str]:
    if check == "year_out_of_range":
        year = pd.to_numeric(pd.Series([value]).astype(str).str.extract(_YEAR_IN_TEXT, expand=False), errors="coerce")
        if year.notna().all() and float(year.iloc[0]) > latest_year():
            return "future_year", (
                f"{_quoted(value)} is in the future.\x1fUse the year the figures refer to (at most {latest_year()})."
            )
        return "year_out_of_range", f"{_quoted(value)} is before {EARLIEST_YEAR}.\x1fCheck the year."
    if check == "below_minimum":
        return "negative_value", (
            f"{_quoted(value)} is negative.\x1f'{f.name}' must be {f.minimum:g} or more: enter the amount "
            "without a minus sign, or leave repayments out."
        )
    if check == "above_maximum":
        return (
            "above_maximum",
            f"{_quoted(value)} is above the maximum {f.maximum:g} for '{f.name}'.\x1fCheck the value.",
        )
    if check == "field_uniqueness":
        return (
            "duplicate_id",
            f"{_quoted(value)} appears more than once in '{f.name}'.\x1fEach id must be unique: rename one.",
        )
    if check == "not_nullable":
        return "missing_value", f"'{f.name}' is empty in this row.\x1fFill it in ({f.fill_hint()})."
    if check == "unknown_instrument":
        return "unknown_instrument", _code_message(f, "", str(value))
    if check == "not_in_vocabulary":
        return "not_in_vocabulary", _code_message(f, "", str(value))
    return "invalid_value", f"{_quoted(value)} failed the check '{check}' for '{f.name}'.\x1fCheck the value."


def validate_frame(
    frame: pd.DataFrame,
    kind: str,
    labels: Mapping[str, str],
    text_of: Callable[[str], pd.Series],
    instrument_ids: tuple[str, ...] | None,
) -> pd.DataFrame:
    """Problems pandera finds in a cleaned frame (lazy: all at once), as problem rows."""
    try:
        pandera_schema(kind, instrument_ids).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    fields = {f.name: f for f in FIELDS[kind]}
    rows = []
    for case in cases.itertuples(index=False):
        f = fields.get(case.column)
        if f is None or pd.isna(case.index):
            rows.append(
                _file_problem("schema", f"The {case.column} column failed the check {case.check}.\x1fCheck the column.")
            )
            continue
        row = int(case.index)
        value = cell_text(text_of(f.name).get(row, case.failure_case))
        code, message = _check_message(str(case.check), f, value)
        rows.append(_problem(row, labels[f.name], f.name, value, code, message))
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS)


def _drop_repeated(problems: pd.DataFrame) -> pd.DataFrame:
    """Keep the first problem per (row, field): a cell that could not be parsed is not also 'missing'."""
    cell_level = problems["row"].notna()
    first = ~problems[cell_level].duplicated(["row", "field"], keep="first")
    return (
        pd.concat([problems[~cell_level], problems[cell_level][first]])
        .sort_values(["row", "column"], na_position="first", kind="stable")
        .reset_index(drop=True)
    )


def _reference_problems(
    frame: pd.DataFrame, kind: str, labels: Mapping[str, str], source_ids: frozenset[str] | None
) -> list[pd.DataFrame]:
    if source_ids is None or kind not in ("figures", "instruments"):
        return []
    name = "source_id" if kind == "figures" else "source_ids"
    cells = frame[name].dropna().astype(str)
    unknown = cells[cells.map(lambda v: any(part not in source_ids for part in _split_multi(v)))]
    return [
        _cell_problems(
            unknown,
            np.ones(len(unknown), dtype=bool),
            labels[name],
            name,
            "unknown_source",
            lambda v: (
                f"{_quoted(v)} names a source that is not in sources.csv.\x1fAdd the source "
                "there first, or correct the id."
            ),
        )
    ]


# Columns that together identify one value; a second row with the same key would be drawn on top of the first.
UNIQUE_TOGETHER = {"figures": ("indicator", "geography", "breakdown", "year")}


def _duplicate_key_problems(frame: pd.DataFrame, kind: str) -> list[pd.DataFrame]:
    key = list(UNIQUE_TOGETHER.get(kind, ()))
    if not key:
        return []
    keys = frame[key].astype("string").fillna("")
    repeated = keys.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return []
    first_row = {tuple(k): row for row, k in zip(keys.index[::-1], keys.to_numpy()[::-1], strict=True)}
    rows = []
    for row, values in zip(keys.index[repeated], keys.to_numpy()[repeated], strict=True):
        described = ", ".join(f"{name} {value or '(empty)'}" for name, value in zip(key, values, strict=True))
        rows.append(
            _problem(
                int(row),
                key[0],
                key[0],
                str(values[0]),
                "duplicate_key",
                f"This row repeats {described}, already given in row {first_row[tuple(values)]}.\x1f"
                "Give each value its own breakdown, or remove one of the rows.",
            )
        )
    return [pd.DataFrame(rows, columns=PROBLEM_COLUMNS)]


# --- the path -----------------------------------------------------------------------------------------------


def _blank_rows(cells: pd.DataFrame) -> np.ndarray:
    """Rows where every cell is missing or blank (checked on the first column, then on the few candidates)."""
    if cells.empty:
        return np.zeros(0, dtype=bool)

    def blank(column: pd.Series) -> np.ndarray:
        if _is_number_column(column):
            return column.isna().to_numpy()
        return (column.isna() | column.astype("str").str.strip().eq("")).to_numpy(dtype=bool)

    first = cells[cells.columns[0]]
    candidates = np.array(first.isna() | first.eq(""), dtype=bool)  # a blank row starts with a blank cell
    if candidates.any():
        subset = cells[candidates]
        candidates[candidates] = np.all([blank(subset[c]) for c in subset.columns], axis=0)
    return candidates


def _listed(rows: list[int] | np.ndarray) -> str:
    shown = ", ".join(str(int(r)) for r in list(rows)[:MAX_LISTED])
    return shown + (f" and {len(rows) - MAX_LISTED} more" if len(rows) > MAX_LISTED else "")


def _row_keys(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit number per row that equal rows share (different rows rarely do: candidates are re-checked)."""
    keys = np.zeros(len(frame), dtype=np.uint64)
    for name in frame.columns:
        values = frame[name]
        if isinstance(values.dtype, pd.CategoricalDtype):
            part = values.cat.codes.to_numpy().astype(np.int64).astype(np.uint64)
        elif _is_number_column(values):
            part = values.astype("float64").fillna(-1.5e308).to_numpy().view(np.uint64)
        else:
            part = pd.factorize(values)[0].astype(np.int64).astype(np.uint64)
        keys = keys * np.uint64(1_000_003) ^ part
    return keys


# Columns that almost identify a row; rows equal on these are the only candidates for exact duplicates.
DUPLICATE_HINTS = {"usage": ("org_id", "year", "instrument_id", "amount")}


def _duplicate_warning(frame: pd.DataFrame, kind: str) -> str | None:
    if frame.empty:
        return None
    hint = [c for c in DUPLICATE_HINTS.get(kind, ()) if c in frame]
    keys = _row_keys(frame[hint] if hint else frame)
    ordered = np.sort(keys)
    if not (ordered[1:] == ordered[:-1]).any():  # the usual case, decided by one sort
        return None
    candidates = pd.Series(keys).duplicated(keep=False).to_numpy()
    if not candidates.any():
        return None
    repeated = frame[candidates].astype("object").duplicated(keep="first")
    count = int(repeated.sum())
    if not count:
        return None
    rows = repeated.index[repeated.to_numpy()].tolist()
    return (
        f"{count} row(s) repeat an earlier row exactly (rows {_listed(rows)}). They are kept; remove them if "
        "they were entered twice."
    )


def _finalise_dtypes(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    for f in FIELDS[kind]:
        if f.required and f.dtype in ("year", "int") and not frame[f.name].isna().any():
            frame[f.name] = frame[f.name].astype("int64")
        if f.required and f.dtype == "bool" and not frame[f.name].isna().any():
            frame[f.name] = frame[f.name].astype(bool)
    return frame


Progress = Callable[[float, str], None]


def _silent(_fraction: float, _label: str) -> None:
    return None


@dataclass
class ReadTable:
    """Step one of the path: the file read as a table of text cells, or the file-level problems."""

    table: RawTable | None
    report: IngestReport
    problems: list[dict]
    limits: Limits = NO_LIMITS  # what the file was read under; values typed for every row are held to them too

    @property
    def ok(self) -> bool:
        """True when there is a table with a header to map."""
        return self.table is not None and not self.problems_are_fatal

    @property
    def problems_are_fatal(self) -> bool:
        return self.table is None or not any(h.strip() for h in self.table.headers)

    def preview(self, rows: int = 8) -> pd.DataFrame:
        """The first data rows under their headers, as text (for the upload page)."""
        if self.table is None:
            return pd.DataFrame()
        labels = [h.strip() or f"column {column_letter(i)}" for i, h in enumerate(self.table.headers)]
        width = len(labels)
        shown = [(record + [""] * width)[:width] for record in self.table.sample[:rows]]
        numbers = list(self.table.cells.index[: len(shown)])
        first = int(numbers[-1]) + 1 if numbers else 2
        numbers += range(first, first + len(shown) - len(numbers))  # the sample may hold a row the parse dropped
        shown = [[cell if len(cell) <= PREVIEW_CHARS else cell[:PREVIEW_CHARS] + "…" for cell in row] for row in shown]
        frame = pd.DataFrame(shown, columns=labels, index=numbers, dtype="str")
        return frame.rename_axis("row")


def read_table(
    data: bytes | None = None,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    progress: Progress = _silent,
    path: str | None = None,
    limits: Limits | None = None,
) -> ReadTable:
    """Check, decode and parse bytes (CSV, TSV or .xlsx) into text cells; detect encoding and delimiter.

    `encoding` forces an encoding instead of detecting it (a user's correction). `limits` bounds the file's size,
    rows, columns, cell length and the memory its check needs (the upload page passes them; None: no bounds).
    """
    limits = limits or NO_LIMITS
    report = IngestReport(filename=filename)
    progress(0.05, "Checking the file")
    if data is None:
        with open(path, "rb") as handle:
            head = handle.read(1 << 16)
    else:
        head = data[: 1 << 16]
    xlsx = sniff.is_xlsx(head)
    if xlsx and data is None:
        data = Path(path).read_bytes()
    size = len(data) if data is not None else Path(path).stat().st_size
    problem = sniff.file_problem(head, total=size)
    if problem:
        code = "unreadable_file" if "empty" not in problem else "empty_file"
        return ReadTable(None, report, [_file_problem(code, problem.replace(". ", "." + SEPARATOR, 1))])
    too_big = limits.file_problem(size, xlsx)
    if too_big:  # refused before anything is parsed
        return ReadTable(None, report, [_file_problem(*too_big)])
    progress(0.1, "Reading the table")
    if xlsx:
        table, problems = read_excel_table(data, report, sheet, limits, progress)
    else:
        table, problems = read_csv_table(data, report, encoding, path, limits)
    long_names = _header_problems(table.headers, limits.max_cell_chars) if table is not None else []
    if long_names:
        return ReadTable(None, report, problems + long_names)
    if table is not None and limits.max_cell_chars is not None:
        problems += _long_cells(table, limits.max_cell_chars)
    if table is not None:
        table.headers = [h.strip() for h in table.headers]
        report.columns = list(table.headers)
        if not any(table.headers):
            problems.append(_file_problem("no_header", "The first row is empty.\x1fPut the column names in row 1."))
    return ReadTable(table, report, problems, limits)


def ingest_table(
    read: ReadTable,
    *,
    kind: str | None = None,
    catalogue: pd.DataFrame | None = None,
    source_ids: frozenset[str] | None = None,
    mapping: Mapping[str, str | None] | None = None,
    constants: Mapping[str, str] | None = None,
    progress: Progress = _silent,
) -> IngestResult:
    """Steps two to five: map columns, coerce and resolve every cell, validate, keep the valid rows.

    `read` is left untouched, so the upload page can try another mapping without reading the file again.
    """
    report = dataclasses.replace(read.report, kind=kind, warnings=list(read.report.warnings))
    constants = {k: str(v) for k, v in (constants or {}).items() if v is not None and str(v).strip()}
    report.constants = dict(constants)
    problems = list(read.problems)

    def failed(more: list[dict]) -> IngestResult:
        report.problems = problem_frame(problems + more)
        return IngestResult(pd.DataFrame(), pd.DataFrame(), report)

    if kind is not None and kind not in KINDS:
        return failed([_file_problem("unknown_kind", f"Unknown kind '{kind}'.\x1fUse one of: {', '.join(KINDS)}.")])
    if read.problems_are_fatal:
        return failed([])
    too_long = _long_constants(constants, read.limits.max_cell_chars)
    if too_long:
        return failed(too_long)
    headers = read.table.headers
    if report.kind is None:
        report.kind, _ = detect_kind(headers)
        if report.kind is None:
            expected = "; ".join(f"{k}: {', '.join(required_names(k))}" for k in KINDS)
            shown = ", ".join(h for h in headers[:12] if h)
            return failed(
                [
                    _file_problem(
                        "unknown_kind",
                        f"Could not tell which kind of file this is from its header ({shown}). The required columns are: "
                        f"{expected}.\x1fRename the columns, or choose the kind yourself.",
                    )
                ]
            )
    kind = report.kind
    progress(0.25, "Matching the columns")
    match = match_columns(headers, kind, mapping, constants)
    report.mapping = {name: headers[i] for name, i in match.positions.items()}
    report.extra_columns = [headers[i] or f"column {column_letter(i)}" for i in match.extras]
    report.warnings += match.warnings
    if report.extra_columns:
        more = " …" if len(report.extra_columns) > MAX_LISTED else ""
        report.warnings.append(
            f"Column(s) not used by the dashboard were kept aside: "
            f"{', '.join(report.extra_columns[:MAX_LISTED])}{more}."
        )
    missing = _missing_column_problems(headers, kind, match, constants)
    if missing or match.problems:
        return failed(match.problems + missing)

    cells = read.table.cells
    blank = _blank_rows(cells)
    if blank.any():
        report.warnings.append(f"{int(blank.sum())} empty row(s) were skipped (rows {_listed(cells.index[blank])}).")
        cells = cells[~blank]
    report.rows = len(cells)
    if cells.empty:
        return failed(
            [
                _file_problem(
                    "no_rows", "The file has a header but no data rows.\x1fAdd at least one row under the header."
                )
            ]
        )
    _MEMO.columns = {}
    try:
        return _check_rows(
            read, report, kind, match, cells, blank, headers, constants, catalogue, source_ids, problems, progress
        )
    finally:
        _MEMO.columns = None


def _long_constants(constants: Mapping[str, str], limit: int | None) -> list[dict]:
    """A problem for every value typed for every row that is longer than a cell may be."""
    return [
        _problem(
            None,
            f"{name} (one value for every row)",
            name,
            value[:60] + "…",
            "value_too_long",
            f"The value given for every row of '{name}' has {len(value):,} characters; the limit for a cell is "
            f"{limit:,}.\x1fShorten it: long texts belong in a document the data can point to.",
        )
        for name, value in constants.items()
        if limit is not None and len(value) > limit
    ]


def _absent(f: Field, kind: str, index: pd.Index) -> pd.Series:
    """The values of an optional field a file does not have: all missing, in the type the field would have."""
    if f.dtype in NUMERIC_TYPES:
        return pd.Series(np.nan, index=index, dtype="float64" if f.dtype == "number" else "Int64")
    if f.dtype == "bool":
        return pd.Series(pd.NA, index=index, dtype="boolean")
    if f.dtype in ("code", "country", "currency", "instrument", "multi", "countries") or (
        kind == "usage" and f.name != "notes"
    ):
        return pd.Series(
            pd.Categorical.from_codes(np.full(len(index), -1), categories=list(f.vocabulary or [])), index=index
        )
    return pd.Series(np.nan, index=index, dtype="str")


def _check_rows(
    read, report, kind, match, cells, blank, headers, constants, catalogue, source_ids, problems, progress
) -> IngestResult:
    """Coerce, resolve and validate every cell; keep the valid rows (the second half of `ingest_table`)."""
    report.decimal = report.decimal or "."
    table = read.table

    def column(position: int, as_text: bool) -> pd.Series:
        values = table.text(position) if as_text else table.cells[position]
        return values[~blank] if blank.any() else values

    labels: dict[str, str] = {}
    raw: dict[str, pd.Series] = {}
    cleaned: dict[str, pd.Series] = {}

    @functools.cache
    def text_of(name: str) -> pd.Series:
        """A field's cells exactly as written (for problem messages; built once per field)."""
        if name in match.positions:
            return column(match.positions[name], True)
        return raw[name]

    found: list[pd.DataFrame | dict] = list(problems)
    fields = FIELDS[kind]
    for f in fields:
        if f.name in constants:
            labels[f.name] = f"{f.name} (constant)"
            raw[f.name] = pd.Series(str(constants[f.name]), index=cells.index, dtype="str")
        elif f.name in match.positions:
            labels[f.name] = headers[match.positions[f.name]] or f"column {column_letter(match.positions[f.name])}"
            position = match.positions[f.name]
            typed = f.dtype in NUMERIC_TYPES and _is_number_column(table.cells[position])
            raw[f.name] = column(position, not typed)
        else:
            labels[f.name] = f.name
            raw[f.name] = pd.Series("", index=cells.index, dtype="str")
    _factorize_in_parallel([raw[f.name] for f in fields if not _is_number_column(raw[f.name])])
    for number, f in enumerate(fields):
        progress(0.3 + 0.5 * number / len(fields), f"Checking '{f.name}'")
        if f.name not in match.positions and f.name not in constants:  # an optional field the file does not have
            cleaned[f.name] = _absent(f, kind, cells.index)
            continue
        coerced = coerce_field(raw[f.name], f, labels[f.name], kind, report.decimal, catalogue)
        cleaned[f.name] = coerced.values
        found += coerced.problems
        report.warnings += coerced.notes
    frame = pd.DataFrame(cleaned, index=cells.index)
    frame.index.name = "row"
    progress(0.85, "Validating")
    instrument_ids = tuple(catalogue["instrument_id"]) if catalogue is not None else None
    with ThreadPoolExecutor(max_workers=1) as pool:  # the duplicate search runs beside pandera
        duplicates = pool.submit(_duplicate_warning, frame, kind)
        found.append(validate_frame(frame, kind, labels, text_of, instrument_ids))
        found += _reference_problems(frame, kind, labels, source_ids)
        found += _duplicate_key_problems(frame, kind)
        report.problems = _drop_repeated(problem_frame(found))
        duplicate = duplicates.result()
    bad_rows = report.problems["row"].dropna().unique()
    keep = ~frame.index.isin(bad_rows)
    if duplicate and not keep.all():  # rare: look again among the rows kept, where no unreadable cell looks alike
        duplicate = _duplicate_warning(frame[keep], kind)
    if duplicate:
        report.warnings.append(duplicate)
    progress(0.95, "Keeping the valid rows")
    clean = _finalise_dtypes(frame if keep.all() else frame[keep].copy(), kind)
    report.valid_rows = len(clean)
    extras = pd.DataFrame(
        {name: column(i, True)[keep] for name, i in zip(report.extra_columns, match.extras, strict=True)},
        index=clean.index,
    )
    progress(1.0, "Done")
    return IngestResult(clean, extras, report)


def ingest(
    data: bytes,
    *,
    kind: str | None = None,
    filename: str | None = None,
    catalogue: pd.DataFrame | None = None,
    source_ids: frozenset[str] | None = None,
    mapping: Mapping[str, str | None] | None = None,
    constants: Mapping[str, str] | None = None,
    sheet: str | None = None,
    progress: Progress = _silent,
) -> IngestResult:
    """Read any bytes as a table of `kind` (detected when None) and return the valid rows and a full report.

    `catalogue` is the active instrument catalogue that usage and figures rows are checked against;
    `source_ids` the known source ids for figures and instruments; `mapping` overrides the automatic column
    mapping ({field: header}); `constants` fills a field with one value for every row ({field: value}).
    """
    read = read_table(data, filename=filename, sheet=sheet, progress=progress)
    return ingest_table(
        read,
        kind=kind,
        catalogue=catalogue,
        source_ids=source_ids,
        mapping=mapping,
        constants=constants,
        progress=progress,
    )


def ingest_path(path: str, **options: Any) -> IngestResult:
    """Ingest a file from disk (the bundled data uses this); a UTF-8 CSV is parsed straight from the file."""
    progress = options.pop("progress", _silent)
    read = read_table(
        None,
        filename=str(path),
        sheet=options.pop("sheet", None),
        encoding=options.pop("encoding", None),
        progress=progress,
        path=str(path),
    )
    return ingest_table(read, progress=progress, **options)
