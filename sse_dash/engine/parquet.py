"""Usage records on disk: a validated frame (or the bundled CSV, through ingest) written once as Parquet.

The engine then reads the file in place; no process keeps the rows in memory. Where the file goes is the caller's
choice (a cache directory): this module keeps no state.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sse_dash.datasets import demo_usage
from sse_dash.engine import rollups

PARQUET_VERSION = "2"  # bump when what is written changes, so cached files are written again
# Rows per row group: an engine scans row groups in parallel (pyarrow's default, a million, leaves one core idle).
ROW_GROUP_ROWS = 100_000


def to_parquet(
    frame_or_csv: pd.DataFrame | Path, path: Path, catalogue: pd.DataFrame | None = None, with_rollups: bool = True
) -> Path:
    """Write usage records to `path` as Parquet and return it; a CSV is read through ingest as the bundled data is.

    The file appears whole or not at all (written beside it, then renamed), so readers never see half of it; its
    rollups (`rollups.write`: only for large files, and unless `with_rollups` is False) follow it, and old ones go
    first.
    """
    frame = frame_or_csv if isinstance(frame_or_csv, pd.DataFrame) else _validated(Path(frame_or_csv), catalogue)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False) as tmp:
        partial = Path(tmp.name)
    try:
        pq.write_table(_arrow(frame), partial, row_group_size=ROW_GROUP_ROWS)
        rollups.remove(path)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    if with_rollups and len(frame) >= rollups.MIN_ROWS:  # a smaller file gets none: no need to read it again
        rollups.write(path)
    return path


def cached_parquet(csv: Path, cache_dir: Path, catalogue: pd.DataFrame) -> Path:
    """The Parquet copy of a usage CSV in `cache_dir`, written on first use (named by what it is made from)."""
    made_from = csv.read_bytes() + pd.util.hash_pandas_object(catalogue, index=False).to_numpy().tobytes()
    digest = hashlib.sha256(made_from + PARQUET_VERSION.encode()).hexdigest()[:16]
    path = cache_dir / f"{csv.stem}-{digest}.parquet"
    return path if path.exists() else to_parquet(csv, path, catalogue)


def _validated(csv: Path, catalogue: pd.DataFrame | None) -> pd.DataFrame:
    """The records of a usage CSV through the one ingest path, with the catalogue's family and origin."""
    if catalogue is None:
        raise ValueError("a usage CSV needs the instrument catalogue to be read")
    return demo_usage(catalogue, csv).frame


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """`frame` as an Arrow table, a column without a single value (no rows, no categories) written as text.

    Arrow would type such a column as null, and an engine would then read it as numbers: a filter on an empty
    upload's `currency` would fail.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    untyped = [field.name for field in table.schema if _is_null(field.type)]
    if not untyped:
        return table
    return pa.Table.from_pandas(
        frame.assign(**{c: frame[c].astype(object).astype("str") for c in untyped}), preserve_index=False
    )


def _is_null(kind: pa.DataType) -> bool:
    return pa.types.is_null(kind) or (pa.types.is_dictionary(kind) and pa.types.is_null(kind.value_type))
