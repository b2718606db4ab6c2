"""Engine URLs, the usage table on a backend, and usage records written once to Parquet."""

from __future__ import annotations

import socket
import sys

import ibis
import pandas as pd
import pytest

from sse_dash import paths
from sse_dash.engine import (
    EngineUnavailable,
    cached_parquet,
    connect,
    engine_name,
    queries,
    scheme,
    to_parquet,
    unreachable,
    usage_table,
)
from sse_dash.engine.connection import CONNECT_TIMEOUT


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        (None, "duckdb"),
        ("duckdb://", "duckdb"),
        ("duckdb:///var/usage.duckdb", "duckdb"),
        ("postgres://user:secret@db:5432/sse", "postgres"),
        ("postgresql+psycopg://user:secret@db:5432/sse", "postgres"),
        ("sc://spark:15002", "sc"),
    ],
)
def test_scheme_names_the_engine(url, engine):
    assert scheme(url) == engine


@pytest.mark.parametrize("url", ["mysql://db/sse", "usage.parquet", "sqlite:///x.db"])
def test_an_unknown_engine_is_refused_with_the_ones_we_know(url):
    with pytest.raises(ValueError, match="duckdb://, postgres:// or sc://"):
        scheme(url)


def test_duckdb_in_process_by_default():
    assert connect(None).name == "duckdb"
    assert connect("duckdb://").list_tables() == []


def test_a_duckdb_file_keeps_its_tables(tmp_path):
    path = tmp_path / "usage.duckdb"
    connect(f"duckdb://{path}").create_table("registry_usage", pd.DataFrame({"org_id": ["A", "B"]}))
    assert usage_table(connect(f"duckdb://{path}"), "registry_usage").count().execute() == 2


def test_postgres_urls_reach_ibis_in_its_spelling(monkeypatch):
    seen = []
    monkeypatch.setattr(ibis, "connect", lambda url, **options: seen.append((url, options)))
    connect("postgresql+psycopg://user:secret@db:5432/sse")
    connect("postgres://user:secret@db:5432/sse?connect_timeout=3")  # a URL's own timeout is kept
    assert seen == [
        ("postgres://user:secret@db:5432/sse", {"connect_timeout": CONNECT_TIMEOUT}),
        ("postgres://user:secret@db:5432/sse?connect_timeout=3", {}),
    ]


def test_a_database_that_refuses_connections_is_unreachable_and_a_wrong_query_is_not(tmp_path):
    port = socket.socket()
    port.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    try:
        with pytest.raises(Exception) as refused:
            connect(f"postgres://user:secret@127.0.0.1:{port.getsockname()[1]}/sse")
    finally:
        port.close()
    assert unreachable(refused.value)
    try:
        raise RuntimeError("the view failed") from refused.value
    except RuntimeError as wrapped:
        assert unreachable(wrapped)  # found through the chain
    with pytest.raises(Exception) as missing:
        usage_table(connect(), "no_such_table").count().execute()
    assert not unreachable(missing.value)
    assert [engine_name(url) for url in (None, "postgresql+psycopg://u:p@h/d", "sc://h:15002")] == [
        "DuckDB",
        "PostgreSQL",
        "Spark",
    ]


def test_spark_connect_without_pyspark_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if PySpark were not installed
    with pytest.raises(EngineUnavailable, match=r"pip install 'pyspark\[connect\]'"):
        connect("sc://spark:15002")


def test_the_bundled_csv_goes_through_ingest_to_parquet_once(tmp_path, catalogue_of_the_bundle):
    path = cached_parquet(paths.DEMO_USAGE_CSV, tmp_path, catalogue_of_the_bundle)
    written = path.stat().st_mtime_ns
    assert cached_parquet(paths.DEMO_USAGE_CSV, tmp_path, catalogue_of_the_bundle) == path
    assert path.stat().st_mtime_ns == written
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no partial file left beside it
    table = usage_table(connect(), path)
    assert queries.counts(table) == (30_000, 3_749)
    assert {"family", "origin"} <= set(table.columns)


def test_an_empty_frame_keeps_text_columns(tmp_path):
    frame = pd.DataFrame(
        {"currency": pd.Series([], dtype="str").astype("category"), "amount": pd.Series([], dtype=float)}
    )
    table = usage_table(connect(), to_parquet(frame, tmp_path / "empty.parquet"))
    assert table.schema()["currency"].is_string()
    assert table.filter(table["currency"] == "EUR").count().execute() == 0


@pytest.fixture(scope="module")
def catalogue_of_the_bundle() -> pd.DataFrame:
    from sse_dash.datasets import load_catalogue

    return load_catalogue()


def test_a_file_is_made_a_table_once_per_connection_and_again_when_it_changes(tmp_path):
    path = tmp_path / "usage.parquet"
    pd.DataFrame({"org_id": ["a", "b"], "amount": [1.0, 2.0]}).to_parquet(path)
    backend, other = connect(None), connect(None)
    first = usage_table(backend, path)
    assert usage_table(backend, path) is first  # asked again: the same table, no new view
    # two in-memory connections are equal to Ibis; each still gets a table that runs on itself
    assert backend == other and first._find_backend() is backend
    assert usage_table(other, path)._find_backend() is other
    pd.DataFrame({"org_id": ["a", "b", "c"], "amount": [1.0, 2.0, 3.0], "year": [2020, 2021, 2022]}).to_parquet(path)
    changed = usage_table(backend, path)
    assert changed is not first and "year" in changed.columns and changed.count().execute() == 3
    (tmp_path / "gone.parquet").unlink(missing_ok=True)
    with pytest.raises(Exception, match="gone.parquet"):  # a missing file is the engine's error, as before
        usage_table(backend, tmp_path / "gone.parquet")
