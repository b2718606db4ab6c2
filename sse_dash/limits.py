"""How big an uploaded file may be: size, rows, columns, cell length and the memory its check needs.

The upload page reads its limits from the settings (`Limits.from_env`, the SSE_DASH_MAX_* variables listed in
`sse_dash.config`); the command line and the bundled data use none. Every limit is checked as early as it can be:
size, columns, rows and memory before the file is parsed whole (a file that would not fit in memory is refused, not
tried), cell length while the cells are read.

A workbook's own size claims are never trusted: its rows, columns, cells and expanded bytes are counted as it is
streamed (`sse_dash.xlsx`), in a child process of its own for uploads (`separate_process`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sse_dash import config, xlsx
from sse_dash.ingest.problems import Problem, ProblemCode

DEFAULT_MAX_UPLOAD_MB = config.DEFAULT_MAX_UPLOAD_MB
DEFAULT_MAX_ROWS = config.DEFAULT_MAX_ROWS
DEFAULT_MAX_COLUMNS = config.DEFAULT_MAX_COLUMNS
DEFAULT_MAX_CELL_CHARS = config.DEFAULT_MAX_CELL_CHARS
DEFAULT_MAX_XLSX_EXPANDED_MB = config.DEFAULT_MAX_XLSX_EXPANDED_MB
FREE_SHARE = 0.6  # of the memory free when a file arrives, what one check may take
# Memory a check needs per byte of file: a CSV's cells, codes and checks take about 7 times the file (measured
# with the benchmark: 104 MB of CSV, 720 MB during the import). A workbook is compressed XML, so its size says
# little: its cells are counted as they are read, and may take half the budget (the check needs the other half).
CSV_MEMORY_FACTOR = 8
XLSX_CELLS_SHARE = 0.5
MB = 1 << 20
# How often the server releases the memory of sessions that ended (see `sse_dash.ui.runtime`).
SESSION_SWEEP_SECONDS = 15


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
    return config.settings().max_upload_mb


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one file; None means no bound."""

    max_bytes: int | None = None
    max_rows: int | None = None
    max_columns: int | None = None
    max_cell_chars: int | None = None
    max_memory_mb: float | None = None
    max_xlsx_expanded_mb: float | None = None
    separate_process: bool = False  # read workbooks in a child process (uploads: the server stays free)

    @classmethod
    def from_env(cls, free_mb: float | None = None) -> Limits:
        """The upload page's limits: the settings' (`sse_dash.config`), else the defaults (memory: a share of what
        is free now; `free_mb`, the memory free for the app in MB, is read with `available_mb` when None)."""
        settings = config.settings()
        memory = settings.max_import_mb
        if memory is None:
            free = available_mb() if free_mb is None else free_mb
            memory = free * FREE_SHARE if free is not None else None
        return cls(
            max_bytes=settings.max_upload_mb * MB,
            max_rows=settings.max_rows,
            max_columns=settings.max_columns,
            max_cell_chars=settings.max_cell_chars,
            max_memory_mb=memory,
            max_xlsx_expanded_mb=settings.max_xlsx_expanded_mb,
            separate_process=True,
        )

    def needed_mb(self, size: int) -> float:
        """Memory (MB) a check of a CSV file of `size` bytes is expected to need."""
        return size * CSV_MEMORY_FACTOR / MB

    def xlsx_bounds(self) -> xlsx.Bounds:
        """Where reading a workbook stops: these limits, counted while its XML streams."""
        return xlsx.Bounds(
            max_rows=self.max_rows,
            max_columns=self.max_columns,
            max_memory_bytes=None if self.max_memory_mb is None else int(self.max_memory_mb * XLSX_CELLS_SHARE * MB),
            max_expanded_bytes=None if self.max_xlsx_expanded_mb is None else int(self.max_xlsx_expanded_mb * MB),
        )

    def file_problem(self, size: int, xlsx: bool) -> Problem | None:
        """Why a file of `size` bytes is refused before it is read, or None.

        A workbook's memory is counted while it is read instead (its compressed size says too little)."""
        if self.max_bytes is not None and size > self.max_bytes:
            return Problem.of(ProblemCode.FILE_TOO_LARGE, {"size_mb": size / MB, "limit_mb": self.max_bytes / MB})
        needed = self.needed_mb(size)
        if not xlsx and self.max_memory_mb is not None and needed > self.max_memory_mb:
            return Problem.of(ProblemCode.NOT_ENOUGH_MEMORY, {"needed_mb": needed, "limit_mb": self.max_memory_mb})
        return None

    def shape_problem(self, rows: int, columns: int, rows_are_lines: bool = False) -> Problem | None:
        """Why a table of this shape is refused, or None (`rows_are_lines`: rows were counted as lines)."""
        if self.max_columns is not None and columns > self.max_columns:
            return Problem.of(ProblemCode.TOO_MANY_COLUMNS, {"columns": columns, "limit": self.max_columns})
        if self.max_rows is not None and rows > self.max_rows:
            template = "too_many_rows.about" if rows_are_lines else None
            return Problem.of(ProblemCode.TOO_MANY_ROWS, {"rows": rows, "limit": self.max_rows}, template=template)
        return None


NO_LIMITS = Limits()  # the command line and the bundled data
