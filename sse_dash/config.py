"""Every setting of the dashboard, read in one place: the `SSE_DASH_*` environment variables and Streamlit secrets.

No other module of the package reads the environment: each asks `settings()` for one frozen `Settings`, read
afresh on every call (cheap, and a test that changes the environment sees the change). A number that is not a
number, or not positive, means the default. Streamlit's secrets are read by `sse_dash.ui` (the only Streamlit
part), which hands in a `secret` lookup; it is asked only for what the environment does not set.

Environment (all optional):
- SSE_DASH_DATABASE_URL: the database of saved datasets, e.g. postgresql+psycopg://user:password@host:5432/sse_dash
  (else the `database_url` secret, else sqlite:///<SSE_DASH_DATA_DIR>/sse_dash.sqlite)
- SSE_DASH_DATA_DIR: where the default SQLite file lives (./var)
- SSE_DASH_DATASET_TTL_DAYS: how long a saved dataset lives, in days (180)
- SSE_DASH_STORE_MAX_MB: total size of the stored datasets (1024)
- SSE_DASH_MAX_UPLOAD_MB: upload file size (200)
- SSE_DASH_MAX_ROWS: data rows of an upload (2,000,000)
- SSE_DASH_MAX_COLUMNS: columns of an upload (500)
- SSE_DASH_MAX_CELL_CHARS: characters in one cell (10,000)
- SSE_DASH_MAX_IMPORT_MB: memory one upload's check may use (default: a share of what is free, see `limits`)
- SSE_DASH_MAX_XLSX_EXPANDED_MB: what a workbook's XML may expand to (512)
- SSE_DASH_ENGINE_IMPORT_MB: a usage CSV larger than this is checked by the query engine (`engine.importer`),
  within bounded memory, instead of being read whole (50)
- SSE_DASH_USAGE_URL: an existing usage table's engine (postgres://user:password@host:5432/db,
  duckdb:///path/file.duckdb, sc://host:15002), else the `usage_url` secret (#15: `check-source` reads it)
- SSE_DASH_USAGE_TABLE: that table's name (else the `usage_table` secret)
- SSE_DASH_USAGE_MAPPING: its columns with other names, `field=column,field=column` (else the `usage_mapping` secret)

The development tools outside the package (`tools/`) read their own variables (SSE_DASH_CHROMIUM,
SSE_DASH_LOADTEST_ROWS); see docs/architecture.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sse_dash import paths

DEFAULT_DATA_DIR = paths.ROOT_DIR / "var"
DEFAULT_TTL_DAYS = 180
DEFAULT_STORE_MAX_MB = 1024
DEFAULT_MAX_UPLOAD_MB = 200
DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_MAX_COLUMNS = 500
DEFAULT_MAX_CELL_CHARS = 10_000
# A workbook's sheet of 1,048,576 rows (Excel's most) and ten columns is about 450 MB of XML.
DEFAULT_MAX_XLSX_EXPANDED_MB = 512
DEFAULT_ENGINE_IMPORT_MB = 50


@dataclass(frozen=True)
class Settings:
    """The dashboard's settings; None means "not set" where the reader has a fallback of its own."""

    database_url: str | None = None
    data_dir: Path = DEFAULT_DATA_DIR
    dataset_ttl_days: float = DEFAULT_TTL_DAYS
    store_max_mb: float = DEFAULT_STORE_MAX_MB
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB
    max_rows: int = DEFAULT_MAX_ROWS
    max_columns: int = DEFAULT_MAX_COLUMNS
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS
    max_import_mb: int | None = None
    max_xlsx_expanded_mb: int = DEFAULT_MAX_XLSX_EXPANDED_MB
    engine_import_mb: float = DEFAULT_ENGINE_IMPORT_MB
    usage_url: str | None = None
    usage_table: str | None = None
    usage_mapping: tuple[tuple[str, str], ...] = ()

    @property
    def store_url(self) -> str:
        """The database of saved datasets: the configured URL, else a SQLite file under the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'sse_dash.sqlite'}"


def positive_number(text: str | None, default, whole: bool = False):
    """`text` read as a number greater than zero (cut to a whole number when `whole`), else `default`."""
    try:
        value = float(text or "")
        if whole:
            value = int(value)
    except (ValueError, OverflowError):
        return default
    return value if value > 0 else default


def mapping(text: str | None) -> tuple[tuple[str, str], ...]:
    """`field=column,field=column` as (field, column) pairs; a pair without '=' or with an empty side is ignored."""
    pairs = []
    for item in (text or "").split(","):
        name, equals, column = item.partition("=")
        if equals and name.strip() and column.strip():
            pairs.append((name.strip(), column.strip()))
    return tuple(pairs)


def settings(secret: Callable[[str], str | None] | None = None) -> Settings:
    """The settings as the environment gives them now; `secret(name)` is asked for the database URL it lacks."""
    env = os.environ
    database_url = env.get("SSE_DASH_DATABASE_URL", "").strip()
    if not database_url and secret is not None:
        database_url = (secret("database_url") or "").strip()

    def setting(name: str) -> str:
        value = env.get(f"SSE_DASH_{name.upper()}", "").strip()
        return value or ((secret(name) or "").strip() if secret is not None else "")

    return Settings(
        engine_import_mb=positive_number(env.get("SSE_DASH_ENGINE_IMPORT_MB"), DEFAULT_ENGINE_IMPORT_MB),
        usage_url=setting("usage_url") or None,
        usage_table=setting("usage_table") or None,
        usage_mapping=mapping(setting("usage_mapping")),
        database_url=database_url or None,
        data_dir=Path(env.get("SSE_DASH_DATA_DIR") or DEFAULT_DATA_DIR),
        dataset_ttl_days=positive_number(env.get("SSE_DASH_DATASET_TTL_DAYS"), DEFAULT_TTL_DAYS),
        store_max_mb=positive_number(env.get("SSE_DASH_STORE_MAX_MB"), DEFAULT_STORE_MAX_MB),
        max_upload_mb=positive_number(env.get("SSE_DASH_MAX_UPLOAD_MB"), DEFAULT_MAX_UPLOAD_MB, whole=True),
        max_rows=positive_number(env.get("SSE_DASH_MAX_ROWS"), DEFAULT_MAX_ROWS, whole=True),
        max_columns=positive_number(env.get("SSE_DASH_MAX_COLUMNS"), DEFAULT_MAX_COLUMNS, whole=True),
        max_cell_chars=positive_number(env.get("SSE_DASH_MAX_CELL_CHARS"), DEFAULT_MAX_CELL_CHARS, whole=True),
        max_import_mb=positive_number(env.get("SSE_DASH_MAX_IMPORT_MB"), None, whole=True),
        max_xlsx_expanded_mb=positive_number(
            env.get("SSE_DASH_MAX_XLSX_EXPANDED_MB"), DEFAULT_MAX_XLSX_EXPANDED_MB, whole=True
        ),
    )
