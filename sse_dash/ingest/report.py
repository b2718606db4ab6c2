"""What the ingest path tells about a file (`IngestReport`) and what it gives back (`IngestResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sse_dash import sniff
from sse_dash.ingest.problems import PROBLEM_COLUMNS


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

    def counts_by_code(self) -> pd.Series:
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
    """The clean rows (only rows without problems), the columns kept aside, and the report.

    `extras` holds the file's columns that no field uses and, when the ingest changed what was written, the
    original: `year_solar_hijri`, the Solar Hijri year of each row whose year was converted (empty for the others).
    """

    frame: pd.DataFrame
    extras: pd.DataFrame
    report: IngestReport
