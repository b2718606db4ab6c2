"""The upload flow's logic, without Streamlit: mapping choices, turning a validated file into an active dataset.

The page (`pages/upload.py`) draws widgets; everything that decides something lives here so it can be tested.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from sse_dash.datasets import Dataset
from sse_dash.i18n import N_, _, ngettext, number
from sse_dash.ingest import (
    ColumnMatch,
    IngestReport,
    IngestResult,
    Problem,
    ProblemCode,
    ReadResult,
    problem_frame,
    skipped_rows,
)
from sse_dash.schema import FIELDS, Field
from sse_dash.transform import with_catalogue_columns

if TYPE_CHECKING:
    from sse_dash.engine import UsageSource

UPLOAD_KINDS = ("usage", "figures", "instruments")
# The two choices of the mapping that are not columns (translated where shown: `choice_text`).
NOT_IN_FILE = N_("— not in the file —")
CONSTANT = N_("— one value for every row —")
# Encodings a user can pick when the detected one reads accented letters wrongly.
ENCODINGS = ("utf-8", "cp1252", "latin-1", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "mac_roman", "utf-16")
CATALOGUE_MARK = "|catalogue="  # a usage dataset's key ends with the key of the catalogue it was read against
# The headers of the problem tables, in words (translated where shown).
SUMMARY_HEADERS = {"problem": N_("Problem"), "code": N_("Code"), "problems": N_("Problems"), "rows": N_("Rows")}
PROBLEM_HEADERS = {
    "row": N_("Spreadsheet row"),
    "column": N_("Column"),
    "value": N_("Value"),
    "message": N_("What is wrong"),
    "suggestion": N_("What to do"),
    "code": N_("Code"),
}


def file_hash(data: bytes) -> str:
    """A short fingerprint of a file's bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def table_key(digest: str, sheet: str | None, encoding: str | None) -> str:
    """A key for one reading of one file (another sheet or encoding is another table)."""
    return "-".join([digest, file_hash(f"{sheet}|{encoding}".encode())[:6]]) if sheet or encoding else digest


def data_rows(read: ReadResult) -> int:
    """The data rows of a file under its header, without empty rows: what the check counts as 'rows read'."""
    return int(len(read.table.cells) - skipped_rows(read)[0].sum())


def field_choices(headers: list[str]) -> list[str]:
    """What a field can be mapped to: nothing, one value for every row, or one of the file's columns."""
    return [NOT_IN_FILE, CONSTANT, *(h for h in headers if h.strip())]


def initial_choice(f: Field, match: ColumnMatch, headers: list[str]) -> str:
    """The choice the page starts with: the column the automatic matching found, else 'not in the file'."""
    return headers[match.positions[f.name]] if f.name in match.positions else NOT_IN_FILE


def choice_text(choice: str) -> str:
    """A mapping choice as the page shows it: a column's name as written, the two other choices translated."""
    return _(choice) if choice in (NOT_IN_FILE, CONSTANT) else choice


def mapping_from_choices(
    choices: Mapping[str, str], constants: Mapping[str, str]
) -> tuple[dict[str, str | None], dict[str, str]]:
    """The `mapping` and `constants` arguments of `ingest_table` from the page's choices.

    A value typed for every row is used whatever the field's column box says: typing it is what the user meant.
    """
    mapping: dict[str, str | None] = {}
    values: dict[str, str] = {}
    for name, choice in choices.items():
        typed = str(constants.get(name) or "").strip()
        if choice == CONSTANT or typed:
            values[name] = typed
            mapping[name] = None
        elif choice == NOT_IN_FILE:
            mapping[name] = None
        else:
            mapping[name] = choice
    return mapping, values


def fields_of(kind: str) -> tuple[Field, ...]:
    """The fields of a kind, required ones first."""
    return tuple(sorted(FIELDS[kind], key=lambda f: not f.required))


def problem_counts(report: IngestReport) -> pd.DataFrame:
    """Number of problems and rows affected, by kind of problem (`problem` in words), largest first; every problem
    is counted, listed or not."""
    grouped = report.code_counts()
    if grouped.empty:
        return pd.DataFrame(columns=list(SUMMARY_HEADERS))
    grouped.insert(0, "problem", grouped["code"].map(lambda code: ProblemCode(code).label))
    return grouped


def problem_summary(report: IngestReport) -> pd.DataFrame:
    """`problem_counts` as the page shows it: headers in words, in the active language."""
    return problem_counts(report).rename(columns={key: _(word) for key, word in SUMMARY_HEADERS.items()})


def problems_for_download(report: IngestReport) -> pd.DataFrame:
    """The problem table as users see and download it: spreadsheet row, column, value, what is wrong, what to do
    and the code, headed in words; an empty cell is empty (never 'None')."""
    table = report.problems[list(PROBLEM_HEADERS)].astype("object")
    table["row"] = report.problems["row"].map(lambda row: "" if pd.isna(row) else str(int(row)))
    table = table.where(table.notna(), "")
    return table.rename(columns={key: _(word) for key, word in PROBLEM_HEADERS.items()})


def cut_notes(report: IngestReport) -> list[str]:
    """For each kind of problem listed only in part (more than `listed_per_kind`), how many are shown of how many."""
    return [
        _("Showing the first {n} of {total} problems of this kind ({problem}); download the full list.").format(
            problem=ProblemCode(kind.code).label, n=number(kind.listed), total=number(kind.problems)
        )
        for kind in report.cut_kinds().itertuples()
    ]


def every_problem_table(report: IngestReport) -> pd.DataFrame:
    """Every problem, listed or not, as the full list downloads it: spreadsheet row, column, the problem in words
    and its code, headed in words (a few bytes a problem: rows as integers, the rest categorical)."""
    every = report.all_problems()
    codes = every["code"].astype("category")
    table = pd.DataFrame(
        {
            "row": every["row"],
            "column": every["column"].astype("category"),
            "problem": codes.map({code: ProblemCode(code).label for code in codes.cat.categories}),
            "code": codes,
        }
    )
    headers = {**PROBLEM_HEADERS, **SUMMARY_HEADERS}
    return table.rename(columns={key: _(headers[key]) for key in table.columns})


def checked_no_row(report: IngestReport) -> bool:
    """True when a problem with the file or its columns stopped the check before any row was checked."""
    every = report.all_problems()
    return report.valid_rows == 0 and not every.empty and every["row"].isna().all()


def left_out_summary(report: IngestReport) -> str:
    """How many rows are left out and why, in one sentence."""
    if report.rows == 0 or checked_no_row(report):
        return _("No row could be checked yet: fix the problems with the file or its columns first.")
    if report.rows_left_out == 0:
        return ngettext("The {count} row is valid.", "All {count} rows are valid.", report.rows).format(
            count=number(report.rows)
        )
    reasons = ", ".join(
        ngettext("{problem} ({count} row)", "{problem} ({count} rows)", row.rows).format(
            problem=row.problem, count=number(row.rows)
        )
        for row in problem_counts(report).head(3).itertuples()
    )
    return ngettext(
        "{left_out} of {rows} row has at least one problem and would be left out ({reasons}); "
        "{valid} rows would be used.",
        "{left_out} of {rows} rows have at least one problem and would be left out ({reasons}); "
        "{valid} rows would be used.",
        report.rows,
    ).format(
        left_out=number(report.rows_left_out),
        rows=number(report.rows),
        reasons=reasons,
        valid=number(report.valid_rows),
    )


def read_against(dataset: Dataset, catalogue: pd.DataFrame, catalogue_key: str, **changes: object) -> Dataset:
    """A usage dataset with the instrument family columns of `catalogue`, its key ending with the catalogue's."""
    base = dataset.key.partition(CATALOGUE_MARK)[0]
    return dataclasses.replace(
        dataset,
        frame=with_catalogue_columns(dataset.frame, catalogue),
        key=f"{base}{CATALOGUE_MARK}{catalogue_key}",
        **changes,
    )


def usage_dataset(
    result: IngestResult, file_name: str, digest: str, catalogue: pd.DataFrame, catalogue_key: str
) -> Dataset:
    """An uploaded usage file as the session's active usage dataset."""
    uploaded = Dataset(
        "usage",
        result.frame,
        result.report,
        _("Uploaded file"),
        origin="upload",
        key=f"upload:{digest}",
        file_name=file_name,
    )
    return read_against(uploaded, catalogue, catalogue_key)


def engine_dataset(
    result: IngestResult, source: UsageSource, file_name: str, digest: str, catalogue_key: str
) -> Dataset:
    """A large uploaded usage file checked by the engine: its valid rows stay in the session's Parquet file
    (`source`), read in place like a database table; there is no frame to hold in memory."""
    return Dataset(
        "usage",
        None,
        result.report,
        _("Uploaded file"),
        origin="upload",
        key=f"upload:{digest}:engine{CATALOGUE_MARK}{catalogue_key}",
        file_name=file_name,
        source=source,
    )


def merged_catalogue(bundled: pd.DataFrame, uploaded: pd.DataFrame, mode: str) -> pd.DataFrame:
    """The instrument list after an uploaded catalogue: 'replace' uses it alone, 'extend' adds it to the bundled
    one (an uploaded row replaces the bundled row with the same id)."""
    if mode == "replace":
        return uploaded.reset_index(drop=True)
    kept = bundled[~bundled["instrument_id"].isin(set(uploaded["instrument_id"]))]
    merged = pd.concat([kept, uploaded], ignore_index=True)
    for column in merged.columns:
        if isinstance(bundled[column].dtype, pd.CategoricalDtype) if column in bundled else False:
            merged[column] = merged[column].astype("category")
    return merged


MAX_ROW_LINES = 5


def problem_lines(problems: list[Problem | pd.DataFrame]) -> list[str]:
    """Problems found while reading the file as sentences (what is wrong, what to do): every file-level problem,
    the first few row problems (rows the parser could not split, cells too long) and how many more there are;
    the report in step 4 lists every row."""
    frame = problem_frame(problems)
    lines = [f"{p.message} {p.suggestion}".strip() for p in frame[frame["row"].isna()].itertuples()]
    rows = frame[frame["row"].notna()]
    lines += [
        _("Row {row}: {message} {suggestion}")
        .format(row=int(p.row), message=p.message, suggestion=p.suggestion)
        .strip()
        for p in rows.head(MAX_ROW_LINES).itertuples()
    ]
    more = len(rows) - MAX_ROW_LINES
    if more > 0:
        lines.append(
            ngettext(
                "… and {count} more row problem, listed in the report below.",
                "… and {count} more row problems, all listed in the report below.",
                more,
            ).format(count=number(more))
        )
    return lines
