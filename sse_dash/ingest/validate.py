"""Checks on the cleaned rows: the pandera schema, references to sources, repeated keys and rows, blank rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from sse_dash.i18n import _, ngettext, number
from sse_dash.ingest.addresses import comparable, is_home_page
from sse_dash.ingest.coerce import (
    gregorian_year_in_text,
    is_number_column,
    split_multi,
    stored_year,
    unknown_code_problem,
)
from sse_dash.ingest.listing import CellProblems, cell_problems
from sse_dash.ingest.problems import (
    Problem,
    ProblemCode,
    cell_text,
    field_word,
    quoted,
    records_frame,
)
from sse_dash.schema import EARLIEST_YEAR, FIELDS, Field, latest_year, pandera_schema

MAX_LISTED = 8
# Columns that together identify one value; a second row with the same key would be drawn on top of the first.
UNIQUE_TOGETHER = {"figures": ("indicator", "geography", "breakdown", "year")}
# Columns that almost identify a row; rows equal on these are the only candidates for exact duplicates.
DUPLICATE_HINTS = {"usage": ("org_id", "year", "instrument_id", "amount")}
# The problem code of a cell that failed a check of the schema (a year out of range is told by its value).
_CHECK_CODES = {
    "below_minimum": ProblemCode.NEGATIVE_VALUE,
    "above_maximum": ProblemCode.ABOVE_MAXIMUM,
    "field_uniqueness": ProblemCode.DUPLICATE_ID,
    "not_nullable": ProblemCode.MISSING_VALUE,
    "unknown_instrument": ProblemCode.UNKNOWN_INSTRUMENT,
    "not_in_vocabulary": ProblemCode.NOT_IN_VOCABULARY,
}
_OTHER_CHECK = ProblemCode.INVALID_VALUE


def _check_problem(check: str, f: Field, value: str) -> Problem:
    """The problem of a cell that failed one of the schema's checks."""
    params: dict[str, Any] = {"quoted": quoted(value), "name": f.name, "check": check}
    code = _CHECK_CODES.get(check, _OTHER_CHECK)
    if check == "year_out_of_range":
        year = _year_written(value)
        future = year is not None and year > latest_year()
        code = ProblemCode.FUTURE_YEAR if future else ProblemCode.YEAR_OUT_OF_RANGE
        params |= {"latest": latest_year(), "earliest": EARLIEST_YEAR}
    elif check in ("unknown_instrument", "not_in_vocabulary"):
        return unknown_code_problem(ProblemCode(check), f, value)
    elif code is ProblemCode.NEGATIVE_VALUE:
        params["minimum"] = f.minimum
    elif code is ProblemCode.ABOVE_MAXIMUM:
        params["maximum"] = f.maximum
    elif code is ProblemCode.MISSING_VALUE:
        params["fill_hint"] = f.fill_hint()
    return Problem.of(code, params, field=f.name, value=value)


def _year_written(value: str) -> int | None:
    """The year of a cell out of range: a whole number with its sign and all its digits ('3000', '-2030'), else the
    year its text holds, as the ingest stores it (Solar Hijri years converted)."""
    text = str(value).strip()
    if re.fullmatch(r"[-+]?\d+", text, flags=re.ASCII):
        return stored_year(int(text))
    return gregorian_year_in_text(value)


def validate_frame(
    frame: pd.DataFrame,
    kind: str,
    labels: Mapping[str, str],
    text_of: Callable[[str], pd.Series],
    instrument_ids: tuple[str, ...] | None,
) -> list[Problem | CellProblems]:
    """Problems pandera finds in a cleaned frame (lazy: all at once): one `CellProblems` per column, check and
    code (kept compact until listed), a `Problem` for a check of a whole column."""
    try:
        pandera_schema(kind, instrument_ids).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    fields = {f.name: f for f in FIELDS[kind]}
    found: list[Problem | CellProblems] = []
    for (column, check), group in cases.groupby(["column", "check"], sort=False, dropna=False):
        f = fields.get(column)
        whole = group["index"].isna().to_numpy() if f is not None else np.ones(len(group), dtype=bool)
        found += [Problem.of(ProblemCode.SCHEMA, {"column": column, "check": check}) for _ in range(int(whole.sum()))]
        if whole.all():
            continue
        rows = group["index"][~whole].astype("int64").to_numpy()
        found += _check_problems(str(check), f, rows, text_of(f.name), labels[f.name])
    return found


def _check_problems(check: str, f: Field, rows: np.ndarray, text: pd.Series, column: str) -> list[CellProblems]:
    """The cells of `rows` that failed one of the schema's checks, one `CellProblems` per code (a year out of
    range is in the future or too early: told once per distinct year)."""
    bad = text.index.isin(rows)

    def problem_of(value: str) -> Problem:
        return _check_problem(check, f, value)

    if check != "year_out_of_range":
        return [cell_problems(text, bad, column, f.name, problem_of, code=_CHECK_CODES.get(check, _OTHER_CHECK))]
    values = text[bad].map(cell_text)
    is_future = {v: problem_of(v).code is ProblemCode.FUTURE_YEAR for v in values.unique()}
    future = np.zeros(len(text), dtype=bool)
    future[np.flatnonzero(bad)[values.map(is_future).to_numpy(dtype=bool)]] = True
    return [
        cell_problems(text, future, column, f.name, problem_of, code=ProblemCode.FUTURE_YEAR),
        cell_problems(text, bad & ~future, column, f.name, problem_of, code=ProblemCode.YEAR_OUT_OF_RANGE),
    ]


def reference_problems(
    frame: pd.DataFrame, kind: str, labels: Mapping[str, str], source_ids: frozenset[str] | None
) -> list[CellProblems]:
    """A problem for every cell that names a source `source_ids` does not hold."""
    if source_ids is None or kind not in ("figures", "instruments"):
        return []
    name = "source_id" if kind == "figures" else "source_ids"
    cells = frame[name].dropna().astype(str)
    unknown = cells[cells.map(lambda v: any(part not in source_ids for part in split_multi(v)))]

    def problem_of(value: str) -> Problem:
        return Problem.of(ProblemCode.UNKNOWN_SOURCE, {"quoted": quoted(value)})

    everywhere = np.ones(len(unknown), dtype=bool)
    return [cell_problems(unknown, everywhere, labels[name], name, problem_of, code=ProblemCode.UNKNOWN_SOURCE)]


def address_problems(frame: pd.DataFrame, kind: str, labels: Mapping[str, str]) -> list[CellProblems | pd.DataFrame]:
    """A problem for every source whose address is only a home page, and for every address listed a second time."""
    if kind != "sources" or "url" not in frame:
        return []
    urls = frame["url"].dropna().astype(str)
    home = urls.map(is_home_page).to_numpy(dtype=bool)

    def home_page(value: str) -> Problem:
        return Problem.of(ProblemCode.INVALID_VALUE, {"quoted": quoted(value)}, template="invalid_value.home_page")

    found: list[CellProblems | pd.DataFrame] = [
        cell_problems(urls, home, labels["url"], "url", home_page, code=ProblemCode.INVALID_VALUE)
    ]
    keys = urls.map(comparable)
    first_row = {key: row for row, key in zip(keys.index[::-1], keys.to_numpy()[::-1], strict=True)}
    repeated = keys.duplicated(keep="first")
    problems = [
        Problem.of(
            ProblemCode.DUPLICATE_KEY,
            {"quoted": quoted(urls[row]), "first_row": first_row[key]},
            template="duplicate_key.url",
            row=int(row),
            column=labels["url"],
            field="url",
            value=urls[row],
        )
        for row, key in keys[repeated].items()
    ]
    if problems:
        found.append(records_frame(problems))
    return found


def duplicate_key_problems(frame: pd.DataFrame, kind: str) -> list[pd.DataFrame]:
    """A problem for every row that repeats the key of an earlier row (`UNIQUE_TOGETHER`)."""
    key = list(UNIQUE_TOGETHER.get(kind, ()))
    if not key:
        return []
    keys = frame[key].astype("string").fillna("")
    repeated = keys.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return []
    first_row = {tuple(k): row for row, k in zip(keys.index[::-1], keys.to_numpy()[::-1], strict=True)}
    problems = []
    for row, values in zip(keys.index[repeated], keys.to_numpy()[repeated], strict=True):
        described = ", ".join(f"{field_word(name)}: {value or '—'}" for name, value in zip(key, values, strict=True))
        problems.append(
            Problem.of(
                ProblemCode.DUPLICATE_KEY,
                {"described": described, "first_row": first_row[tuple(values)]},
                row=int(row),
                column=key[0],
                field=key[0],
                value=str(values[0]),
            )
        )
    return [records_frame(problems)]


def blank_rows(cells: pd.DataFrame) -> np.ndarray:
    """Rows where every cell is missing or blank (checked on the first column, then on the few candidates)."""
    if cells.empty:
        return np.zeros(0, dtype=bool)

    def blank(column: pd.Series) -> np.ndarray:
        if is_number_column(column):
            return column.isna().to_numpy()
        return (column.isna() | column.astype("str").str.strip().eq("")).to_numpy(dtype=bool)

    candidates = blank(cells[cells.columns[0]]).copy()  # a blank row starts with a blank cell (a space too)
    if candidates.any():
        subset = cells[candidates]
        candidates[candidates] = np.all([blank(subset[c]) for c in subset.columns], axis=0)
    return candidates


def listed(rows: list[int] | np.ndarray) -> str:
    """Row numbers as a short list: the first few, then how many more."""
    shown = ", ".join(str(int(r)) for r in list(rows)[:MAX_LISTED])
    if len(rows) <= MAX_LISTED:
        return shown
    return _("{rows} and {count} more").format(rows=shown, count=number(len(rows) - MAX_LISTED))


def _row_keys(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit number per row that equal rows share (different rows rarely do: candidates are re-checked)."""
    keys = np.zeros(len(frame), dtype=np.uint64)
    for name in frame.columns:
        values = frame[name]
        if isinstance(values.dtype, pd.CategoricalDtype):
            part = values.cat.codes.to_numpy().astype(np.int64).astype(np.uint64)
        elif is_number_column(values):
            part = values.astype("float64").fillna(-1.5e308).to_numpy().view(np.uint64)
        else:
            part = pd.factorize(values)[0].astype(np.int64).astype(np.uint64)
        keys = keys * np.uint64(1_000_003) ^ part
    return keys


def duplicate_warning(frame: pd.DataFrame, kind: str) -> str | None:
    """The warning that some rows repeat an earlier row exactly, or None."""
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
    return ngettext(
        "{count} row repeats an earlier row exactly (row {rows}). It is kept; remove it if it was entered twice.",
        "{count} rows repeat an earlier row exactly (rows {rows}). They are kept; remove them if they were entered "
        "twice.",
        count,
    ).format(count=number(count), rows=listed(rows))


def finalise_dtypes(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Required whole-number and true/false columns without a missing value as plain int64 and bool."""
    for f in FIELDS[kind]:
        if f.required and f.dtype in ("year", "int") and not frame[f.name].isna().any():
            frame[f.name] = frame[f.name].astype("int64")
        if f.required and f.dtype == "bool" and not frame[f.name].isna().any():
            frame[f.name] = frame[f.name].astype(bool)
    return frame
