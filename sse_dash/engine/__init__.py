"""The query engine: usage views as Ibis expressions run by DuckDB in-process, PostgreSQL or Spark.

`connection` is the only module with engine-specific code; `queries` holds one function per usage view (an Ibis
table in, the same small pandas table as `transform`'s out); `parquet` writes usage records to disk once.
"""

from sse_dash.engine import queries
from sse_dash.engine.connection import EngineUnavailable, connect, scheme, usage_table
from sse_dash.engine.parquet import cached_parquet, to_parquet

__all__ = ["EngineUnavailable", "cached_parquet", "connect", "queries", "scheme", "to_parquet", "usage_table"]
