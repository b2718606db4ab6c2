"""The report's problems: every one counted, at most `MAX_LISTED_PER_KIND` of each kind listed in full.

A problem found in many cells of one column is kept compact (`CellProblems`: its code, the rows, the column) until
the report is made: only the problems listed get their value, message and suggestion, so a file with millions of
bad cells costs a few bytes per bad cell, not a rendered sentence. `report_problems` keeps the first problem of
each cell (a cell that could not be read is not also 'missing'), lists the first `MAX_LISTED_PER_KIND` problems of
each code by spreadsheet row, and gives the row, column and code of every problem (`every`) for the counts and for
the full download.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from sse_dash.ingest.problems import PROBLEM_COLUMNS, Problem, ProblemCode, cell_text, records_frame, sorted_problems

# The report lists at most this many problems of each kind (each code), the first by spreadsheet row, each with its
# row, column, value and suggestion; every problem is still counted, and the row, column and code of every one can
# be downloaded. A file with fewer problems of a kind lists them all, as before.
MAX_LISTED_PER_KIND = 1000
EVERY_COLUMNS = ["row", "column", "code"]  # what `every` holds of each problem
_INT32_ROWS = 2**31 - 1


def compact_rows(rows: np.ndarray) -> np.ndarray:
    """Row numbers as int32 when they fit (they do below two billion rows), ascending."""
    rows = np.asarray(rows)
    rows = rows.astype(np.int32) if len(rows) and rows.max() <= _INT32_ROWS else rows.astype(np.int64)
    return rows if len(rows) < 2 or (rows[1:] >= rows[:-1]).all() else np.sort(rows, kind="stable")


@dataclasses.dataclass(frozen=True, eq=False)
class CellProblems:
    """One kind of problem in many cells of one column, kept compact until it is listed.

    `rows` are the cells' spreadsheet rows (ascending, each once); `cells` the column as written, looked up only for
    the rows listed; `problem_of` says the problem of one value (called once per distinct value listed).
    """

    code: ProblemCode
    rows: np.ndarray
    column: str
    field: str
    cells: pd.Series
    problem_of: Callable[[str], Problem]

    def frame(self, rows: np.ndarray) -> pd.DataFrame:
        """The problems of `rows` (some of `self.rows`) as records with the columns `PROBLEM_COLUMNS`."""
        values = self.cells.loc[rows].map(cell_text).astype("object")
        found = {value: self.problem_of(value) for value in values.unique()}
        return pd.DataFrame(
            {
                "row": np.asarray(rows, dtype=np.int64),
                "column": self.column,
                "field": self.field,
                "value": values.to_numpy(dtype=object),
                "code": values.map({v: p.code.value for v, p in found.items()}).to_numpy(dtype=object),
                "message": values.map({v: p.message for v, p in found.items()}).to_numpy(dtype=object),
                "suggestion": values.map({v: p.suggestion for v, p in found.items()}).to_numpy(dtype=object),
            },
            columns=PROBLEM_COLUMNS,
        )


def cell_problems(
    raw: pd.Series,
    bad: np.ndarray,
    column: str,
    field: str,
    problem_of: Callable[[str], Problem],
    *,
    code: ProblemCode,
) -> CellProblems:
    """The problem `code` in each cell of `raw` flagged in `bad`; `problem_of` says it for one value."""
    return CellProblems(code, compact_rows(raw.index.to_numpy()[bad]), column, field, raw, problem_of)


Found = Problem | pd.DataFrame | CellProblems


@dataclasses.dataclass
class _Unit:
    """Problems of one column (or of no column) from one item, in the order found; `kept` after `_first_per_cell`."""

    column: str | None
    cells: CellProblems | None = None
    records: pd.DataFrame | None = None
    kept: np.ndarray | None = None

    def rows(self) -> np.ndarray:
        """Spreadsheet rows, -1 for a problem of the file or of a column."""
        if self.cells is not None:
            return self.cells.rows
        return self.records["row"].astype("Int64").fillna(-1).to_numpy(dtype=np.int64)


def _units(found: Iterable[Found]) -> list[_Unit]:
    """The problems as units of one column each, in the order found (runs of records become one frame)."""
    units: list[_Unit] = []
    records: list[Problem] = []

    def add_frame(frame: pd.DataFrame) -> None:
        for column, part in frame.groupby("column", dropna=False, sort=False):
            units.append(_Unit(None if pd.isna(column) else str(column), records=part))

    for item in found:
        if not isinstance(item, Problem) and records:
            add_frame(records_frame(records))
            records = []
        if isinstance(item, CellProblems):
            if len(item.rows):
                units.append(_Unit(item.column, cells=item))
        elif isinstance(item, pd.DataFrame):
            if not item.empty:
                add_frame(item[PROBLEM_COLUMNS].reset_index(drop=True))
        else:
            records.append(item)
    if records:
        add_frame(records_frame(records))
    return units


def _first_per_cell(units: list[_Unit], dedupe: bool) -> None:
    """Mark in each unit the problems kept: the first per (row, field), in the order of the listed report (by row,
    then column, then as found), so that a cell that could not be read is not also said to be missing."""
    if not dedupe:
        for unit in units:
            unit.kept = np.ones(len(unit.rows()), dtype=bool)
        return
    size = 1 + max((int(unit.rows().max(initial=-1)) for unit in units), default=-1)
    taken: dict[str | None, np.ndarray] = {}

    def claim(field: str | None, rows: np.ndarray) -> np.ndarray:
        mask = taken.setdefault(field, np.zeros(size, dtype=bool))
        fresh = ~mask[rows]
        mask[rows[fresh]] = True
        return fresh

    for unit in sorted(units, key=lambda u: (u.column is not None, u.column or "")):  # stable: as found
        rows = unit.rows()
        if unit.cells is not None:
            unit.kept = claim(unit.cells.field, rows)
            continue
        kept = np.ones(len(rows), dtype=bool)
        cell = rows >= 0
        fields = unit.records["field"].astype("object").where(unit.records["field"].notna(), None).to_numpy()
        first = ~pd.DataFrame({"row": rows, "field": fields}).duplicated(keep="first").to_numpy()
        kept[cell] = first[cell]
        for field in dict.fromkeys(fields[cell]):
            at = np.flatnonzero(cell & kept & (fields == field) if field is not None else cell & kept & pd.isna(fields))
            kept[at] = claim(field, rows[at])
        unit.kept = kept


def _every(units: list[_Unit]) -> pd.DataFrame:
    """The row, column and code of every problem kept, compact (int32 rows, categorical column and code), sorted
    by row then column (a problem of the file or of a column first)."""
    columns = sorted({u.column for u in units if u.column is not None})
    column_index = {c: i for i, c in enumerate(columns)}
    code_names = sorted(
        {u.cells.code.value for u in units if u.cells is not None}
        | {str(c) for u in units if u.records is not None for c in u.records["code"]}
    )
    code_index = {c: i for i, c in enumerate(code_names)}
    rows, column_codes, codes = [], [], []
    for unit in units:
        kept_rows = unit.rows()[unit.kept]
        rows.append(kept_rows.astype(np.int64, copy=False))
        column_codes.append(np.full(len(kept_rows), column_index.get(unit.column, -1), dtype=np.int32))
        if unit.cells is not None:
            codes.append(np.full(len(kept_rows), code_index[unit.cells.code.value], dtype=np.int16))
        else:
            codes.append(unit.records["code"].astype(str).map(code_index).to_numpy(dtype=np.int16)[unit.kept])
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    column = np.concatenate(column_codes) if rows else np.zeros(0, dtype=np.int32)
    code = np.concatenate(codes) if rows else np.zeros(0, dtype=np.int16)
    order = np.lexsort((column, row))  # stable: problems of one cell stay in the order found
    row, column, code = row[order], column[order], code[order]
    small = row.astype(np.int32) if len(row) and row.max() <= _INT32_ROWS else row
    return pd.DataFrame(
        {
            "row": pd.arrays.IntegerArray(np.where(row < 0, 0, small), row < 0),
            "column": pd.Categorical.from_codes(column, categories=columns, validate=False),
            "code": pd.Categorical.from_codes(code, categories=code_names, validate=False),
        },
        columns=EVERY_COLUMNS,
    )


def _listed(units: list[_Unit], limit: int) -> pd.DataFrame:
    """The first `limit` problems of each code, in full, sorted by row then column as the report lists them."""
    frames = []
    for unit in units:  # in the order found, so that the stable sort keeps it within a cell
        if unit.cells is not None:
            frames.append(unit.cells.frame(unit.cells.rows[unit.kept][:limit]))
        else:
            frames.append(unit.records[unit.kept])
    combined = sorted_problems(frames)
    first = combined.groupby("code", sort=False).cumcount().to_numpy() < limit
    return combined[first].reset_index(drop=True)


def report_problems(
    found: Iterable[Found], limit: int | None = None, dedupe: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The problems as the report lists them (at most `limit` of each code, `MAX_LISTED_PER_KIND` when None) and
    the row, column and code of every one (`every`). With `dedupe`, only the first problem of a cell is kept."""
    limit = MAX_LISTED_PER_KIND if limit is None else limit
    units = _units(found)
    _first_per_cell(units, dedupe)
    return _listed(units, limit), _every(units)
