"""Step one of the ingest path: a CSV, TSV or .xlsx file read as text cells within limits (`read_table`).

bytes -> file checks -> encoding -> delimiter -> title rows -> parse (numbers typed by the fast parser, any column
given back as written) -> a `ReadResult` with the file-level problems.
"""

from __future__ import annotations

import csv
import io
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

# Modules, not names: `limits` and `sniff` build their problems with `sse_dash.ingest.problems`.
from sse_dash import limits, sniff, xlsx
from sse_dash.i18n import _, ngettext, number
from sse_dash.ingest.problems import Problem, ProblemCode, records_frame
from sse_dash.ingest.report import IngestReport
from sse_dash.ingest.spool import spooled, unlink
from sse_dash.ingest.table import (
    CellTable,
    column_letter,
    column_name,
    frame_from_records,
    header_position,
    leading_records,
    title_note,
    unnamed_column,
)
from sse_dash.ingest.validate import listed

if TYPE_CHECKING:
    from sse_dash.limits import Limits

PREVIEW_CHARS = 200  # longer cells are cut in the preview (only there)
SAMPLE_RECORDS = 200  # records of the sample the number format is read from
_LINE_BLOCK = 1 << 22

Progress = Callable[[float, str], None]


def silent(_fraction: float, _label: str) -> None:
    """A progress callback that shows nothing."""
    return None


def unbounded() -> Limits:
    """No limits at all (the command line and the bundled data)."""
    return limits.NO_LIMITS


def _python_parse(
    text: str, delimiter: str, first_row: int = 2
) -> tuple[list[str], pd.DataFrame, list[tuple[int, int]]]:
    """Slow, forgiving parse: returns the header, the cells, and (row, width) of rows with a filled cell beyond the
    header (`width`: its cells up to the last filled one; blank cells after it are an export's trailing delimiters)."""
    reader = csv.reader(io.StringIO(text.replace("\x00", ""), newline=""), delimiter=delimiter)
    header = next(reader, [])
    width = len(header)
    records, too_wide = [], []
    for row_number, record in enumerate(reader, start=first_row):
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            too_wide.append((row_number, max(i for i, cell in enumerate(record) if cell.strip()) + 1))
            records.append([""] * width)
        else:
            records.append(record[:width])
    return header, frame_from_records(records, width, first_row), too_wide


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
        "index_col": False,  # never the first column as the index (see `read_csv_table`)
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


def _long_cells(table: CellTable, limit: int) -> list[pd.DataFrame]:
    """A problem for every cell longer than `limit` characters: its row is left out, nothing is cut."""
    found = []
    for position in table.cells.columns:
        column = table.cells[position]
        if not (pd.api.types.is_string_dtype(column.dtype) or column.dtype == object):
            continue
        lengths = column.astype("str").str.len().fillna(0).to_numpy()
        too_long = lengths > limit
        if not too_long.any():
            continue
        texts = column[too_long].astype("str")
        problems = [
            Problem.of(
                ProblemCode.CELL_TOO_LONG,
                {"chars": int(chars), "limit": limit},
                row=row,
                column=column_name(table.headers, position),
                value=text[:60] + "…",
            )
            for row, text, chars in zip(texts.index, texts, lengths[too_long], strict=True)
        ]
        found.append(records_frame(problems))
    return found


def _head(data: bytes | None, path: str | None) -> bytes:
    """The first part of the file that detection looks at (read once)."""
    if data is not None:
        return data[: sniff.SAMPLE_BYTES]
    with open(path, "rb") as handle:
        return handle.read(sniff.SAMPLE_BYTES)


def read_csv_table(
    data: bytes | None,
    report: IngestReport,
    encoding: str | None = None,
    path: str | None = None,
    bounds: Limits | None = None,
    head: bytes | None = None,
) -> tuple[CellTable | None, list[Problem]]:
    """Parse CSV bytes (or the file at `path`) into a CellTable, recording encoding, delimiter and number format.

    Only a sample (`head`, read here when not given) is decoded to detect the format; a UTF-8 file is then parsed
    straight from its bytes or path. Anything the fast parser cannot take (another encoding, rows with too many
    cells) goes through the forgiving path, which decodes the whole text first.
    """
    head = _head(data, path) if head is None else head
    sample = sniff.decode_sample(head, encoding)
    if not sniff.looks_like_text(sample.text):
        return None, [Problem.of(ProblemCode.BINARY_FILE)]
    delimiter = sniff.detect_delimiter(sample.text)
    report.delimiter = delimiter
    leading, lines = leading_records(sample.text, delimiter, 12)
    skipped = header_position(leading)
    size = len(data) if data is not None else Path(path).stat().st_size
    if len(head) < size and lines and _line_breaks(sample.text) < lines[min(skipped, len(lines) - 1)]:
        # the header goes on past the sample: no table's header does
        return None, [
            Problem.of(
                ProblemCode.HEADER_TOO_LONG,
                {"sample_mb": sniff.SAMPLE_BYTES // (1 << 20)},
                template="header_too_long.first_lines",
            )
        ]
    if skipped:
        report.warnings.append(title_note(skipped))
    sample_text = sample.text.split("\n", lines[skipped - 1])[-1] if skipped else sample.text
    rows = leading_records(sample_text, delimiter, SAMPLE_RECORDS)[0]
    header = rows[0] if rows else []
    bounds = bounds or unbounded()
    about_rows = _line_count(data, path) - skipped - 1 if bounds.max_rows is not None else 0  # a pass over the file
    shape = bounds.shape_problem(about_rows, len(header), True)
    if shape:  # refused before the whole file is parsed
        return None, [shape]
    report.decimal, thousands = sniff.number_format([cell for row in rows[1:] for cell in row], delimiter)
    first_row = skipped + 2
    utf8 = sample.encoding in ("utf-8", "utf-8-sig")
    # A first row wider than the header (cells past it, or only a delimiter at its end) would make pandas take the
    # first column as the rows' index and shift every value one column left: the forgiving parse reads such files.
    first_fits = len(rows) < 2 or len(rows[1]) <= len(header)
    if header and first_fits and "\x00" not in sample.text:
        spool = None
        try:
            source: str | bytes = (path if data is None else data) if utf8 else _utf8_bytes(data, path, sample)
            spool = spooled(source) if isinstance(source, bytes) else None
            cells, reread = _fast_parse(
                spool or source,
                header,
                delimiter,
                (lines[skipped] if len(lines) > skipped else 1),
                first_row,
                "utf-8",
                report.decimal,
                thousands,
            )
            report.encoding = sample.encoding
            table = CellTable(header, cells, reread, rows[1:9], skipped + 1)
            if spool:  # the temporary file goes when the table does (text columns are re-read from it)
                weakref.finalize(table, unlink, spool)
            return table, []
        except (ValueError, pd.errors.ParserError, csv.Error, UnicodeDecodeError, OverflowError, MemoryError):
            if spool:
                unlink(spool)
    raw = data if data is not None else Path(path).read_bytes()
    decoded = sniff.decode(raw, encoding)
    # A file whose first megabyte holds UTF-8 text beyond ASCII is UTF-8: a stray byte further on (a row pasted from
    # a file in another encoding) is replaced and said, not a reason to read every row in another encoding.
    stray_bytes = (
        encoding is None
        and sample.encoding == "utf-8"
        and not sample.text.isascii()
        and decoded.encoding not in ("utf-8", "utf-8-sig")
    )
    if stray_bytes:
        decoded = sniff.decode(raw, "utf-8")
    report.encoding = decoded.encoding
    text = decoded.text.split("\n", lines[skipped - 1])[-1] if skipped else decoded.text
    header, cells, too_wide = _python_parse(text, delimiter, first_row)
    if stray_bytes:
        report.warnings.append(_replaced_bytes_note(cells))
    problems = [too_wide_problem(row, width, len(header), delimiter) for row, width in too_wide]
    return CellTable(header, cells, None, rows[1:9], skipped + 1), problems


def too_wide_problem(row: int, width: int, header_width: int, delimiter: str, template: str | None = None) -> Problem:
    """The problem of a row with a filled cell beyond the header (`width`: its cells up to the last filled one);
    the engine import, which reads a bounded number of cells, says 'or more' with `too_many_cells.more`."""
    return Problem.of(
        ProblemCode.TOO_MANY_CELLS,
        {
            "row": row,
            "width": width,
            "header_width": header_width,
            "delimiter": _(sniff.DELIMITER_NAMES[delimiter]),  # one of `sniff.DELIMITERS`, each named
        },
        row=row,
        template=template,
    )


def _replaced_bytes_note(cells: pd.DataFrame) -> str:
    """The warning for bytes that are not UTF-8 in a UTF-8 file, with the spreadsheet rows where they were."""
    marked = cells.apply(lambda column: column.astype("str").str.contains("\ufffd", regex=False)).any(axis=1)
    rows = cells.index[marked.to_numpy()]
    return ngettext(
        "{count} row holds characters that are not UTF-8, as the rest of the file is (row {rows}); they are shown as "
        "\ufffd. Correct them there, or save the file again as UTF-8.",
        "{count} rows hold characters that are not UTF-8, as the rest of the file is (rows {rows}); they are shown as "
        "\ufffd. Correct them there, or save the file again as UTF-8.",
        len(rows),
    ).format(count=number(len(rows)), rows=listed(rows))


def _utf8_bytes(data: bytes | None, path: str | None, sample: sniff.Decoded) -> bytes:
    """The whole file re-encoded as UTF-8 (for files in another encoding)."""
    raw = data if data is not None else Path(path).read_bytes()
    return sniff.decode(raw, sample.encoding).text.encode("utf-8")


def _header_problems(table: CellTable, limit: int | None) -> list[Problem]:
    """A problem for every column name longer than the cell limit: the file is refused (names are not cut)."""
    if limit is None:
        return []
    return [
        Problem.of(
            ProblemCode.HEADER_TOO_LONG,
            {"letter": column_letter(position), "chars": len(header), "limit": limit},
            row=table.header_row,
            column=unnamed_column(position),
            value=header[:60] + "…",
        )
        for position, header in enumerate(table.headers)
        if len(header) > limit
    ]


def read_excel_table(
    data: bytes,
    report: IngestReport,
    sheet: str | None,
    bounds: Limits | None = None,
    progress: Progress | None = None,
) -> tuple[CellTable | None, list[Problem]]:
    """Read one sheet of an .xlsx workbook (the first unless `sheet` names another) as a CellTable.

    The sheet is streamed within the limits (see `sse_dash.xlsx`): in a child process when the limits ask for it.
    The table's index keeps each row's number in the sheet, so blank rows cost nothing and messages name the
    row a spreadsheet shows.
    """
    bounds = bounds or unbounded()
    report.source_format = "xlsx"
    report.encoding = "xlsx"
    step = (lambda fraction: progress(0.1 + 0.6 * fraction, _("Reading the workbook"))) if progress else None
    read = xlsx.read_apart if bounds.separate_process else xlsx.read_sheet
    found = read(data, sheet, bounds.xlsx_bounds(), step)
    if found.problem:
        return None, [Problem.as_read(*found.problem)]
    report.sheets, report.sheet, name = found.sheets, found.name, found.name
    rows, numbers = found.rows, found.row_numbers
    if not rows:
        return None, [Problem.of(ProblemCode.EMPTY_FILE, {"sheet": name}, template="empty_file.sheet")]
    skipped = header_position(rows)
    if skipped or numbers[0] != 1:
        report.warnings.append(title_note(numbers[skipped] - 1))
    header = [cell.strip() for cell in rows[skipped]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    body = [row[:width] + [""] * (width - len(row)) for row in rows[skipped + 1 :]]
    frame = frame_from_records(body, width, 2)
    frame.index = pd.Index(numbers[skipped + 1 :], dtype="int64")
    report.decimal = "."
    return CellTable(header, frame, None, body[:8], numbers[skipped]), []


@dataclass
class ReadResult:
    """Step one of the path: the file read as a table of text cells, or the file-level problems."""

    table: CellTable | None
    report: IngestReport
    problems: list[Problem | pd.DataFrame]
    limits: Limits = field(default_factory=unbounded)  # what the file was read under; constants are held to it too

    @property
    def problems_are_fatal(self) -> bool:
        """True when nothing can be checked: no table, or a header without a single name."""
        return self.table is None or not any(h.strip() for h in self.table.headers)

    def preview(self, rows: int = 8) -> pd.DataFrame:
        """The first data rows under their headers, as text (for the upload page)."""
        if self.table is None:
            return pd.DataFrame()
        labels = [h.strip() or unnamed_column(i) for i, h in enumerate(self.table.headers)]
        width = len(labels)
        shown = [(record + [""] * width)[:width] for record in self.table.sample[:rows]]
        numbers = list(self.table.cells.index[: len(shown)])
        first = int(numbers[-1]) + 1 if numbers else 2
        numbers += range(first, first + len(shown) - len(numbers))  # the sample may hold a row the parse dropped
        shown = [[cell if len(cell) <= PREVIEW_CHARS else f"{cell[:PREVIEW_CHARS]}…" for cell in row] for row in shown]
        frame = pd.DataFrame(shown, columns=labels, index=numbers, dtype="str")
        return frame.rename_axis("row")


def read_table(
    data: bytes | None = None,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    progress: Progress = silent,
    path: str | None = None,
    limits: Limits | None = None,
) -> ReadResult:
    """Check, decode and parse bytes (CSV, TSV or .xlsx) into text cells; detect encoding and delimiter.

    `encoding` forces an encoding instead of detecting it (a user's correction). `limits` bounds the file's size,
    rows, columns, cell length and the memory its check needs (the upload page passes them; None: no bounds).
    """
    bounds = limits or unbounded()
    report = IngestReport(filename=filename)
    progress(0.05, _("Checking the file"))
    head = _head(data, path)
    workbook = sniff.is_xlsx(head)
    if workbook and data is None:
        data = Path(path).read_bytes()
    size = len(data) if data is not None else Path(path).stat().st_size
    problem = sniff.file_problem(head, total=size)
    if problem:
        return ReadResult(None, report, [problem], bounds)
    too_big = bounds.file_problem(size, workbook)
    if too_big:  # refused before anything is parsed
        return ReadResult(None, report, [too_big], bounds)
    progress(0.1, _("Reading the table"))
    if workbook:
        table, problems = read_excel_table(data, report, sheet, bounds, progress)
    else:
        table, problems = read_csv_table(data, report, encoding, path, bounds, head)
    long_names = _header_problems(table, bounds.max_cell_chars) if table is not None else []
    if long_names:
        return ReadResult(None, report, problems + long_names, bounds)
    if table is not None and bounds.max_cell_chars is not None:
        problems += _long_cells(table, bounds.max_cell_chars)
    if table is not None:
        table.headers = [h.strip() for h in table.headers]
        report.columns = list(table.headers)
        if not any(table.headers):
            problems.append(Problem.of(ProblemCode.NO_HEADER))
    return ReadResult(table, report, problems, bounds)
