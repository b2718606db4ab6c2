"""Where the usage data is queried: the only module with engine-specific code.

`connect` turns an engine URL into an Ibis backend (DuckDB in-process by default, a DuckDB file, PostgreSQL, or a
Spark cluster through Spark Connect); `usage_table` is the usage records on that backend. Everything else in
`sse_dash.engine` works on Ibis expressions and runs unchanged on any of them.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import ibis
from ibis.backends import BaseBackend
from ibis.expr.types import Table

DUCKDB = "duckdb://"
SCHEMES = ("duckdb", "postgres", "postgresql", "sc")
CONNECT_TIMEOUT = 10  # seconds to wait for a PostgreSQL server to accept a connection


class EngineUnavailable(RuntimeError):
    """The engine a URL names needs a package that is not installed."""


# Errors that say the engine could not be reached (not that a query was wrong): (top-level module, class name), so
# that no driver is imported to recognise its own errors. psycopg's OperationalError is a refused or lost
# connection; DuckDB's IOException a database file it cannot open (missing, or locked by another process); Spark
# Connect's gRPC error a cluster that does not answer.
UNREACHABLE = {
    ("psycopg", "OperationalError"),
    ("psycopg", "InterfaceError"),  # a connection that is already closed
    ("_duckdb", "IOException"),
    ("duckdb", "IOException"),
    ("pyspark", "SparkConnectGrpcException"),
    ("grpc", "RpcError"),
}


def unreachable(error: BaseException) -> bool:
    """True when `error`, or an error it was raised from, says the engine could not be reached right now."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (ConnectionError, TimeoutError)):
            return True
        if any((kind.__module__.split(".")[0], kind.__name__) in UNREACHABLE for kind in type(current).__mro__):
            return True
        current = current.__cause__ or current.__context__
    return False


def engine_name(url: str | None) -> str:
    """The engine a URL names, as people call it: 'DuckDB', 'PostgreSQL' or 'Spark' (never the URL: it may hold a
    password)."""
    return {"duckdb": "DuckDB", "postgres": "PostgreSQL", "sc": "Spark"}[scheme(url)]


def scheme(url: str | None) -> str:
    """The engine a URL names: 'duckdb' (also for None), 'postgres' or 'sc'; a driver suffix is ignored."""
    if not url:
        return "duckdb"
    name = url.split("://", 1)[0].split("+", 1)[0].lower() if "://" in url else ""
    if name not in SCHEMES:
        raise ValueError(f"unknown engine URL {url.split('://', 1)[0]!r}: use duckdb://, postgres:// or sc://")
    return "postgres" if name == "postgresql" else name


def connect(url: str | None = None) -> BaseBackend:
    """An Ibis backend for `url`: 'duckdb://' or None (in-process), 'duckdb:///path.duckdb', 'postgres://…', 'sc://…'."""
    engine = scheme(url)
    if engine == "duckdb":
        path = (url or DUCKDB)[len(DUCKDB) :]
        return ibis.duckdb.connect(path or ":memory:")
    if engine == "postgres":
        # SQLAlchemy spells it postgresql+psycopg:// (as the saved-dataset store does); Ibis wants postgres://.
        # A server that does not answer is given up after CONNECT_TIMEOUT seconds (a URL may set its own), so a
        # page says the database is away instead of waiting for the system's TCP timeout.
        address = "postgres://" + url.split("://", 1)[1]
        return ibis.connect(address, **({} if "connect_timeout=" in address else {"connect_timeout": CONNECT_TIMEOUT}))
    return _spark_connect(url)


def _spark_connect(url: str) -> BaseBackend:
    try:
        from pyspark.sql import SparkSession

        backend = ibis.pyspark
    except ImportError as error:
        raise EngineUnavailable(
            f"{url} is a Spark Connect URL, and PySpark is not installed: pip install 'pyspark[connect]'"
        ) from error
    return backend.connect(SparkSession.builder.remote(url).getOrCreate())


def spark_local(cores: int = 1) -> BaseBackend:
    """An Ibis backend on Spark in local mode, in this process (tests, and trying Spark without a cluster).

    The session is Spark's one per process: a second call returns a backend on the same session.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise EngineUnavailable("Spark in local mode needs PySpark: pip install pyspark") from error
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("sse-dash")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(max(cores, 1)))
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    return ibis.pyspark.connect(session)


def usage_table(backend: BaseBackend, source: str | Path) -> Table:
    """The usage records on `backend`: a Parquet file read in place (a Path or '….parquet'), else a table by name.

    A file's table is made once per connection and file version (its path, size and time): every query of a page
    asks for it, and making it (a view, then its schema read back) took about 7 ms each time.
    """
    if isinstance(source, Path) or str(source).endswith(".parquet"):
        path = str(source)
        try:
            found = os.stat(path)
            version = (path, found.st_size, found.st_mtime_ns)
        except OSError:
            version = None  # let the engine say that the file is missing
        made = _file_tables(backend)
        if version is not None and version in made:
            return made[version]
        name = "usage_" + hashlib.sha256(path.encode()).hexdigest()[:12]  # the same view for the same file
        table = backend.read_parquet(path, table_name=name)
        if version is not None:
            if len(made) >= _MOST_FILES:
                made.clear()
            made[version] = table
        return table
    return backend.table(str(source))


_MOST_FILES = 64  # tables kept per connection (a session's uploads, rollups and saved datasets)


def _file_tables(backend: BaseBackend) -> dict[tuple, Table]:
    """The file tables made on this very connection. Kept on the object itself: Ibis compares backends by what they
    connect to, so two in-memory DuckDB connections are equal, and a table made on one must not run on the other."""
    made = getattr(backend, "_sse_dash_file_tables", None)
    if made is None:
        made = {}
        backend._sse_dash_file_tables = made
    return made
