"""Steps two to five of the ingest path: map the columns, coerce every cell, validate, keep the valid rows.

`ingest` and `ingest_path` run the whole path; `ingest_table` runs these steps on a file already read, so the
upload page can try another mapping without reading the file again.
"""

from __future__ import annotations

import contextvars
import dataclasses
import functools
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sse_dash.i18n import _, ngettext, number
from sse_dash.ingest import listing
from sse_dash.ingest.coerce import (
    NUMERIC_TYPES,
    SOLAR_HIJRI_COLUMN,
    DistinctCache,
    coerce_field,
    is_number_column,
)
from sse_dash.ingest.listing import CellProblems, report_problems
from sse_dash.ingest.mapping import (
    ColumnMatch,
    detect_kind,
    match_columns,
    missing_column_problems,
    unfit_optional_fields,
)
from sse_dash.ingest.problems import Problem, ProblemCode, field_word
from sse_dash.ingest.read import Progress, ReadResult, read_table, silent
from sse_dash.ingest.report import IngestReport, IngestResult
from sse_dash.ingest.table import column_name, unnamed_column
from sse_dash.ingest.validate import (
    MAX_LISTED,
    address_problems,
    blank_rows,
    duplicate_key_problems,
    duplicate_warning,
    finalise_dtypes,
    listed,
    reference_problems,
    validate_frame,
)
from sse_dash.schema import FIELDS, KINDS, Field, required_names


@dataclass
class RowCheck:
    """What checking the rows of one file needs, and the problems found so far."""

    read: ReadResult
    report: IngestReport  # its kind is known
    match: ColumnMatch
    cells: pd.DataFrame  # the rows, blank ones and those with too many cells left out
    left_out: np.ndarray  # which rows of the table were left out
    constants: Mapping[str, str]
    catalogue: pd.DataFrame | None
    source_ids: frozenset[str] | None
    problems: list[Problem | pd.DataFrame]
    progress: Progress
    listed_per_kind: int
    cache: DistinctCache = dataclasses.field(default_factory=DistinctCache)

    def column(self, position: int, as_text: bool) -> pd.Series:
        """The cells of a column of the table, without the rows left out; as written when `as_text`."""
        values = self.read.table.text(position) if as_text else self.read.table.cells[position]
        return values[~self.left_out] if self.left_out.any() else values


def skipped_rows(read: ReadResult) -> tuple[np.ndarray, np.ndarray]:
    """Which rows of the table are empty (skipped, and not counted as read) and which have too many cells (read as
    blank cells beside their problem: counted, left out, neither empty nor checked again)."""
    cells = read.table.cells
    wide = cells.index.isin(
        [p.row for p in read.problems if isinstance(p, Problem) and p.code == ProblemCode.TOO_MANY_CELLS]
    )
    return blank_rows(cells) & ~wide, wide


def ingest_table(
    read: ReadResult,
    *,
    kind: str | None = None,
    catalogue: pd.DataFrame | None = None,
    source_ids: frozenset[str] | None = None,
    mapping: Mapping[str, str | None] | None = None,
    constants: Mapping[str, str] | None = None,
    progress: Progress = silent,
    listed_per_kind: int | None = None,
) -> IngestResult:
    """Steps two to five: map columns, coerce and resolve every cell, validate, keep the valid rows.

    `read` is left untouched, so the upload page can try another mapping without reading the file again. The
    report lists at most `listed_per_kind` problems of each code (`MAX_LISTED_PER_KIND` when None) and counts all.
    """
    listed_per_kind = listing.MAX_LISTED_PER_KIND if listed_per_kind is None else listed_per_kind
    report = dataclasses.replace(
        read.report, kind=kind, warnings=list(read.report.warnings), listed_per_kind=listed_per_kind
    )
    constants = {k: str(v) for k, v in (constants or {}).items() if v is not None and str(v).strip()}
    report.constants = dict(constants)
    problems = list(read.problems)

    def failed(more: list[Problem]) -> IngestResult:
        report.problems, report.every_problem = report_problems(problems + more, listed_per_kind, dedupe=False)
        return IngestResult(pd.DataFrame(), pd.DataFrame(), report)

    if kind is not None and kind not in KINDS:
        return failed([Problem.of(ProblemCode.UNKNOWN_KIND, {"kind": kind, "kinds": ", ".join(KINDS)})])
    if read.problems_are_fatal:
        return failed([])
    cells = read.table.cells
    blank, wide = skipped_rows(read)
    report.rows = int(len(cells) - blank.sum())  # said also when a problem with the columns stops the check
    too_long = _long_constants(constants, read.limits.max_cell_chars)
    if too_long:
        return failed(too_long)
    headers = read.table.headers
    if report.kind is None:
        report.kind = detect_kind(headers)[0]
        if report.kind is None:
            params = {
                "headers": ", ".join(h for h in headers[:12] if h),
                "expected": "; ".join(f"{k}: {', '.join(required_names(k))}" for k in KINDS),
            }
            return failed([Problem.of(ProblemCode.UNKNOWN_KIND, params, template="unknown_kind.header")])
    kind = report.kind
    progress(0.25, _("Matching the columns"))
    match = match_columns(headers, kind, mapping, constants)
    match = unfit_optional_fields(match, headers, read.table.text, kind, mapping or {}, catalogue)
    report.mapping = {name: headers[i] for name, i in match.positions.items()}
    report.extra_columns = [headers[i] or unnamed_column(i) for i in match.extras]
    report.warnings += match.warnings
    if report.extra_columns:
        more = " …" if len(report.extra_columns) > MAX_LISTED else ""
        report.warnings.append(
            ngettext(
                "A column not used by the dashboard was kept aside: {columns}.",
                "Columns not used by the dashboard were kept aside: {columns}.",
                len(report.extra_columns),
            ).format(columns=", ".join(report.extra_columns[:MAX_LISTED]) + more)
        )
    missing = missing_column_problems(headers, kind, match, constants)
    if missing or match.problems:
        return failed(match.problems + missing)

    if blank.any():
        report.warnings.append(
            ngettext(
                "{count} empty row was skipped (row {rows}).",
                "{count} empty rows were skipped (rows {rows}).",
                int(blank.sum()),
            ).format(count=number(int(blank.sum())), rows=listed(cells.index[blank]))
        )
    left_out = blank | wide
    if left_out.any():
        cells = cells[~left_out]
    if cells.empty:
        return failed([Problem.of(ProblemCode.NO_ROWS)])
    check = RowCheck(
        read, report, match, cells, left_out, constants, catalogue, source_ids, problems, progress, listed_per_kind
    )
    return _checked_rows(check)


def _long_constants(constants: Mapping[str, str], limit: int | None) -> list[Problem]:
    """A problem for every value typed for every row that is longer than a cell may be."""
    return [
        Problem.of(
            ProblemCode.VALUE_TOO_LONG,
            {"name": name, "chars": len(value), "limit": limit},
            column=_("{field} (one value for every row)").format(field=field_word(name)),
            field=name,
            value=value[:60] + "…",
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


def _checked_rows(check: RowCheck) -> IngestResult:
    """Coerce, resolve and validate every cell; keep the valid rows (the second half of `ingest_table`)."""
    report, match, cells, constants = check.report, check.match, check.cells, check.constants
    kind, headers, table = report.kind, check.read.table.headers, check.read.table
    report.decimal = report.decimal or "."
    labels: dict[str, str] = {}
    raw: dict[str, pd.Series] = {}
    cleaned: dict[str, pd.Series] = {}
    originals: dict[str, pd.Series] = {}  # values as written where the cleaned ones differ, kept beside the extras

    @functools.cache
    def text_of(name: str) -> pd.Series:
        """A field's cells exactly as written (for problem messages; built once per field)."""
        if name in match.positions:
            return check.column(match.positions[name], True)
        return raw[name]

    found: list[Problem | pd.DataFrame | CellProblems] = list(check.problems)
    fields = FIELDS[kind]
    for f in fields:
        if f.name in constants:
            labels[f.name] = _("{field} (one value for every row)").format(field=field_word(f.name))
            raw[f.name] = pd.Series(str(constants[f.name]), index=cells.index, dtype="str")
        elif f.name in match.positions:
            position = match.positions[f.name]
            labels[f.name] = column_name(headers, position)
            typed = f.dtype in NUMERIC_TYPES and is_number_column(table.cells[position])
            raw[f.name] = check.column(position, not typed)
        else:
            labels[f.name] = f.name
            raw[f.name] = pd.Series("", index=cells.index, dtype="str")
    check.cache.factorize_in_parallel([raw[f.name] for f in fields if not is_number_column(raw[f.name])])
    for step, f in enumerate(fields):
        check.progress(0.3 + 0.5 * step / len(fields), _("Checking '{field}'").format(field=field_word(f.name)))
        if f.name not in match.positions and f.name not in constants:  # an optional field the file does not have
            cleaned[f.name] = _absent(f, kind, cells.index)
            continue
        coerced = coerce_field(raw[f.name], f, labels[f.name], kind, report.decimal, check.catalogue, check.cache)
        cleaned[f.name] = coerced.values
        if coerced.original is not None:
            originals[SOLAR_HIJRI_COLUMN] = coerced.original
        found += coerced.problems
        report.warnings += coerced.notes
    frame = pd.DataFrame(cleaned, index=cells.index)
    frame.index.name = "row"
    check.progress(0.85, _("Validating"))
    instrument_ids = tuple(check.catalogue["instrument_id"]) if check.catalogue is not None else None
    with ThreadPoolExecutor(max_workers=1) as pool:  # the duplicate search runs beside pandera
        # in this run's context, so that the warning is in the user's language
        duplicates = pool.submit(contextvars.copy_context().run, duplicate_warning, frame, kind)
        found += validate_frame(frame, kind, labels, text_of, instrument_ids)
        found += reference_problems(frame, kind, labels, check.source_ids)
        found += duplicate_key_problems(frame, kind)
        found += address_problems(frame, kind, labels)
        report.problems, report.every_problem = report_problems(found, check.listed_per_kind)
        duplicate = duplicates.result()
    bad_rows = report.every_problem["row"].dropna().unique()
    keep = ~frame.index.isin(bad_rows)
    if duplicate and not keep.all():  # rare: look again among the rows kept, where no unreadable cell looks alike
        duplicate = duplicate_warning(frame[keep], kind)
    if duplicate:
        report.warnings.append(duplicate)
    check.progress(0.95, _("Keeping the valid rows"))
    clean = finalise_dtypes(frame if keep.all() else frame[keep].copy(), kind)
    report.valid_rows = len(clean)
    extras = pd.DataFrame(
        {name: check.column(i, True)[keep] for name, i in zip(report.extra_columns, match.extras, strict=True)},
        index=clean.index,
    )
    for name, original in originals.items():
        if name not in extras:
            extras[name] = original[keep]
    check.progress(1.0, _("Done"))
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
    progress: Progress = silent,
    listed_per_kind: int | None = None,
) -> IngestResult:
    """Read any bytes as a table of `kind` (detected when None) and return the valid rows and a full report.

    `catalogue` is the active instrument catalogue that usage and figures rows are checked against;
    `source_ids` the known source ids for figures and instruments; `mapping` overrides the automatic column
    mapping ({field: header}); `constants` fills a field with one value for every row ({field: value}); `listed_per_kind` caps the problems listed
    of each code (counts stay exact).
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
        listed_per_kind=listed_per_kind,
    )


def ingest_path(path: str, **options: Any) -> IngestResult:
    """Ingest a file from disk (the bundled data uses this); a UTF-8 CSV is parsed straight from the file."""
    progress = options.pop("progress", silent)
    read = read_table(
        None,
        filename=str(path),
        sheet=options.pop("sheet", None),
        encoding=options.pop("encoding", None),
        progress=progress,
        path=str(path),
    )
    return ingest_table(read, progress=progress, **options)
