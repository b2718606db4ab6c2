"""How big an uploaded file may be: size, rows, columns, cell length and the memory its check needs.

The upload page reads its limits from the environment (`Limits.from_env`); the command line and the bundled data
use none. Every limit is checked as early as it can be: size, columns, rows and memory before the file is parsed
whole (a file that would not fit in memory is refused, not tried), cell length while the cells are read.

Environment (all optional):
- SSE_DASH_MAX_UPLOAD_MB: file size (200)
- SSE_DASH_MAX_ROWS: data rows (2,000,000)
- SSE_DASH_MAX_COLUMNS: columns (500)
- SSE_DASH_MAX_CELL_CHARS: characters in one cell (10,000)
- SSE_DASH_MAX_IMPORT_MB: memory one check may use (default: 60% of the memory free for the app when the file
  arrives, read from the container's cgroup limit or the system)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_UPLOAD_MB = 200
DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_MAX_COLUMNS = 500
DEFAULT_MAX_CELL_CHARS = 10_000
FREE_SHARE = 0.6  # of the memory free when a file arrives, what one check may take
# Memory a check needs per byte of file: a CSV's cells, codes and checks take about 7 times the file (measured
# with the benchmark: 104 MB of CSV, 720 MB during the import); a workbook is compressed XML, read cell by cell.
CSV_MEMORY_FACTOR = 8
XLSX_MEMORY_FACTOR = 60
MB = 1 << 20
# How often the server releases the memory of sessions that ended (see `sse_dash.ui.release_ended_sessions`).
SESSION_SWEEP_SECONDS = 15


def _positive_int(name: str, default: int | None) -> int | None:
    try:
        value = int(float(os.environ.get(name, "")))
    except ValueError:
        return default
    return value if value > 0 else default


def available_mb() -> float | None:
    """Memory the app may still use, in MB: the cgroup's limit minus its use (containers), else MemAvailable."""
    cgroup = Path("/sys/fs/cgroup")
    limit, used = cgroup / "memory.max", cgroup / "memory.current"
    try:
        if limit.exists() and used.exists() and limit.read_text().strip() != "max":
            return (int(limit.read_text()) - int(used.read_text())) / MB
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def max_upload_mb() -> int:
    """The upload size cap in MB: $SSE_DASH_MAX_UPLOAD_MB, 200 by default."""
    return _positive_int("SSE_DASH_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) or DEFAULT_MAX_UPLOAD_MB


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one file; None means no bound."""

    max_bytes: int | None = None
    max_rows: int | None = None
    max_columns: int | None = None
    max_cell_chars: int | None = None
    max_memory_mb: float | None = None

    @classmethod
    def from_env(cls, free_mb: float | None = None) -> Limits:
        """The upload page's limits: the environment's, else the defaults (memory: a share of what is free now).

        `free_mb`: the memory free for the app, in MB (read with `available_mb` when None)."""
        memory = _positive_int("SSE_DASH_MAX_IMPORT_MB", None)
        if memory is None:
            free = available_mb() if free_mb is None else free_mb
            memory = free * FREE_SHARE if free is not None else None
        return cls(
            max_bytes=max_upload_mb() * MB,
            max_rows=_positive_int("SSE_DASH_MAX_ROWS", DEFAULT_MAX_ROWS),
            max_columns=_positive_int("SSE_DASH_MAX_COLUMNS", DEFAULT_MAX_COLUMNS),
            max_cell_chars=_positive_int("SSE_DASH_MAX_CELL_CHARS", DEFAULT_MAX_CELL_CHARS),
            max_memory_mb=memory,
        )

    def needed_mb(self, size: int, xlsx: bool) -> float:
        """Memory (MB) a check of a file of `size` bytes is expected to need."""
        return size * (XLSX_MEMORY_FACTOR if xlsx else CSV_MEMORY_FACTOR) / MB

    def file_problem(self, size: int, xlsx: bool) -> tuple[str, str] | None:
        """Why a file of `size` bytes is refused before it is read: (problem code, message then what to do)."""
        if self.max_bytes is not None and size > self.max_bytes:
            return "file_too_large", (
                f"The file is {size / MB:,.1f} MB; the limit is {self.max_bytes / MB:,.0f} MB.\x1fSplit it into "
                "smaller files (for example one per year or per country) and upload them one at a time."
            )
        needed = self.needed_mb(size, xlsx)
        if self.max_memory_mb is not None and needed > self.max_memory_mb:
            return "not_enough_memory", (
                f"Checking this file would need about {needed:,.0f} MB of memory, more than the "
                f"{self.max_memory_mb:,.0f} MB this server can give it right now.\x1fSplit it into smaller files"
                + (" or save it as CSV (it needs far less memory than Excel)" if xlsx else "")
                + ", or try again later."
            )
        return None

    def shape_problem(self, rows: int, columns: int, rows_are_lines: bool = False) -> tuple[str, str] | None:
        """Why a table of this shape is refused: (problem code, message then what to do), or None."""
        if self.max_columns is not None and columns > self.max_columns:
            return "too_many_columns", (
                f"The table has {columns:,} columns; the limit is {self.max_columns:,}.\x1fKeep the columns the "
                "dashboard uses (see the template) and the ones you need, and upload that."
            )
        if self.max_rows is not None and rows > self.max_rows:
            what = f"about {rows:,} rows" if rows_are_lines else f"{rows:,} rows"
            return "too_many_rows", (
                f"The file has {what}; the limit is {self.max_rows:,} rows.\x1fSplit it into smaller files (for "
                "example one per year) and upload them one at a time."
            )
        return None
