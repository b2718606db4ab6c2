"""What the ingest path tells about a file (`IngestReport`) and what it gives back (`IngestResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sse_dash import sniff
from sse_dash.ingest.listing import EVERY_COLUMNS, MAX_LISTED_PER_KIND
from sse_dash.ingest.problems import PROBLEM_COLUMNS


@dataclass
class IngestReport:
    """What happened to a file: what was detected, how columns were mapped, every problem and warning.

    `problems` lists problems in full (row, column, value, message, suggestion): every one, or the first
    `listed_per_kind` of each code when a file has more; `every_problem` holds the row, column and code of every
    problem (None when `problems` lists them all), which every count is made from.
    """

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
    listed_per_kind: int = MAX_LISTED_PER_KIND
    every_problem: pd.DataFrame | None = None

    def all_problems(self) -> pd.DataFrame:
        """The row, column and code of every problem, listed or not."""
        return self.problems[EVERY_COLUMNS] if self.every_problem is None else self.every_problem

    @property
    def valid(self) -> bool:
        """True when the file has no problems at all."""
        return self.problems.empty and self.all_problems().empty

    @property
    def problem_count(self) -> int:
        """How many problems the file has, listed or not."""
        return len(self.all_problems())

    @property
    def rows_with_problems(self) -> int:
        """Data rows that have at least one problem."""
        return int(self.all_problems()["row"].dropna().nunique())

    @property
    def rows_left_out(self) -> int:
        """Data rows that have at least one problem."""
        return self.rows - self.valid_rows

    def counts_by_code(self) -> pd.Series:
        """Number of problems by problem code, largest first (every problem, listed or not)."""
        counts = self.all_problems()["code"].astype("str").value_counts()
        counts.index.name = "code"
        return counts

    def code_counts(self) -> pd.DataFrame:
        """Problems and rows affected by code (`code`, `problems`, `rows`), largest first; every problem counted."""
        every = self.all_problems()
        if every.empty:
            return pd.DataFrame(columns=["code", "problems", "rows"])
        every = every.assign(code=every["code"].astype("str"))
        grouped = every.groupby("code").agg(problems=("code", "size"), rows=("row", "nunique"))
        return grouped.sort_values("problems", ascending=False).reset_index()

    def cut_kinds(self) -> pd.DataFrame:
        """The codes with more problems than are listed: `code`, `listed` and `problems` (the total)."""
        counts = self.code_counts()
        listed = self.problems["code"].astype("str").value_counts()
        counts["listed"] = counts["code"].map(listed).fillna(0).astype(int)
        return counts.loc[counts["problems"] > counts["listed"], ["code", "listed", "problems"]].reset_index(drop=True)

    def delimiter_name(self) -> str:
        """The delimiter in words ('semicolon'), or an empty string."""
        return sniff.DELIMITER_NAMES.get(self.delimiter or "", self.delimiter or "")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: valid, kind, rows, encoding, delimiter, warnings, problems (at most `listed_per_kind`
        of each code), `problem_counts` (every problem, by code) and `listed_per_kind`."""
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
            "problem_counts": {str(code): int(count) for code, count in self.counts_by_code().items()},
            "listed_per_kind": self.listed_per_kind,
        }


@dataclass
class IngestResult:
    """The clean rows (only rows without problems), the columns kept aside, and the report.

    `extras` holds the file's columns that no field uses and, when the ingest changed what was written, the
    original: `year_solar_hijri`, the Solar Hijri year of each row whose year was converted (empty for the others).
    """

    frame: pd.DataFrame
    extras: pd.DataFrame
    report: IngestReport
