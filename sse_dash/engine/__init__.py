"""The query engine: usage views as Ibis expressions run by DuckDB in-process, PostgreSQL or Spark.

`connection` is the only module with engine-specific code; `queries` holds one function per usage view (an Ibis
table in, the same small pandas table as `transform`'s out); `parquet` writes usage records to disk once.
"""

from sse_dash.engine import queries
from sse_dash.engine.connection import EngineUnavailable, connect, engine_name, scheme, unreachable, usage_table
from sse_dash.engine.parquet import PARQUET_VERSION, cached_parquet, to_parquet
from sse_dash.engine.source import Backends, UsageSource, usage_records

__all__ = [
    "PARQUET_VERSION",
    "Backends",
    "EngineUnavailable",
    "UsageSource",
    "cached_parquet",
    "connect",
    "engine_name",
    "queries",
    "scheme",
    "to_parquet",
    "unreachable",
    "usage_records",
    "usage_table",
]
