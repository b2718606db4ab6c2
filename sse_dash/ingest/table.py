"""A table's cells as read (`CellTable`) and the small helpers for its rows: letters, records, the header row."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from sse_dash.i18n import _
from sse_dash.ingest.problems import cell_text


@dataclass
class CellTable:
    """The cells of a table. Columns are positions 0..n-1; the index is the spreadsheet row number.

    A fast read lets the parser type numeric-looking columns as numbers and leaves blank cells as missing; `text`
    gives any column back exactly as written (re-reading it when the parser typed it), which is what text fields,
    code fields and problem messages need. `sample` holds the first rows as text for previews.
    """

    headers: list[str]
    cells: pd.DataFrame
    reread: Callable[[list[int]], pd.DataFrame] | None = None
    sample: list[list[str]] = field(default_factory=list)
    header_row: int = 1  # the spreadsheet row of the header (below a title, 2 or more)
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


def column_name(headers: list[str], position: int) -> str:
    """A column's header, or 'column C' when it has none."""
    return (headers[position] if position < len(headers) else "") or unnamed_column(position)


def unnamed_column(position: int) -> str:
    """A column without a name, by its letter: 'column C' (in the active language)."""
    return _("column {letter}").format(letter=column_letter(position))


def frame_from_records(records: list[list[str]], width: int, first_row: int) -> pd.DataFrame:
    """Records as a frame of text cells `width` wide, indexed by row number from `first_row`."""
    padded = [row + [""] * (width - len(row)) for row in records]
    frame = (
        pd.DataFrame(padded, columns=range(width), dtype="str")
        if padded
        else pd.DataFrame({i: pd.Series([], dtype="str") for i in range(width)})
    )
    frame.index = pd.RangeIndex(first_row, first_row + len(frame))
    return frame


def leading_records(text: str, delimiter: str, records: int) -> tuple[list[list[str]], list[int]]:
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


def header_position(records: list[list[str]]) -> int:
    """Which of the first records is the header: 0, unless row 1 is a title (fewer than two cells filled).

    Exports often start with a title line and a blank line; the header is then the first row that fills most
    columns.
    """
    filled = [sum(1 for cell in record if str(cell).strip()) for record in records[:12]]
    if not filled or filled[0] >= 2 or max(filled) < 2:
        return 0
    return next((i for i, count in enumerate(filled) if count >= max(2, int(0.6 * max(filled)))), 0)


def title_note(skipped: int) -> str:
    """The warning that the first `skipped` rows were a title."""
    if skipped == 1:
        return _("Row 1 looked like a title and was skipped; the header is row 2.")
    return _("Rows 1–{last} looked like a title and were skipped; the header is row {header}.").format(
        last=skipped, header=skipped + 1
    )
