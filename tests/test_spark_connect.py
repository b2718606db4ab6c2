"""Spark Connect (`sc://…`), as a deployment reaches a Spark cluster: a local Spark Connect server, and the
dashboard's own `engine.connect("sc://localhost:15002")` and views against it give DuckDB's numbers.

The server runs in a process of its own (the test run's other Spark session is Spark in local mode, in this
process); the views' tables come back pickled and are compared here.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import engines
import pytest
from test_engine_parity import assert_same

from sse_dash import datasets, views
from sse_dash.engine import connect, queries, to_parquet, usage_table
from sse_dash.paths import ROOT_DIR
from sse_dash.transform import UsageFilter

pytestmark = pytest.mark.spark

CHOSEN = [UsageFilter(), UsageFilter(countries=("KEN", "ITA"), years=(2018, 2022))]
SETTINGS = [views.ViewSettings("amount", "usd", mix_by="country"), views.ViewSettings("uses", "EUR")]

# Run in the server's process: start a local Spark Connect server, then ask it as a deployment would.
CLIENT = """
import pickle, sys
from pyspark.sql import SparkSession
SparkSession.builder.remote("local[1]").getOrCreate()  # a Spark Connect server on localhost:15002
from sse_dash import datasets, views
from sse_dash.engine import connect, queries, usage_table
from test_spark_connect import CHOSEN, SETTINGS, answers
backend = connect("sc://localhost:15002")
with open(sys.argv[2], "wb") as out:
    pickle.dump(answers(usage_table(backend, sys.argv[1]), datasets.load_catalogue()), out)
"""


def answers(table, catalogue) -> dict:
    """Every view at each filter and setting, the counts and the options: what the pages ask."""
    found = {"options": queries.usage_options(table, catalogue)}
    for i, chosen in enumerate(CHOSEN):
        rows = queries.filter_usage(table, chosen)
        found[f"counts {i}"] = queries.counts(rows)
        for j, view_settings in enumerate(SETTINGS):
            for view in views.VIEWS:
                found[f"{view} {i} {j}"] = views.usage_view(rows, catalogue, view, view_settings, ops=queries).table
    return found


def test_a_spark_connect_server_answers_as_duckdb(tmp_path):
    engines.spark()  # PySpark and Java are there (else: a skip, or a failure under CI)
    try:
        import grpc  # noqa: F401 - Spark Connect's client
    except ImportError:
        engines.unavailable("Spark Connect needs pyspark[connect]'s packages (requirements-dev.txt pins them)")
    parquet = to_parquet(datasets.load_bundle().usage.frame, tmp_path / "usage.parquet")
    out = tmp_path / "answers.pickle"
    done = subprocess.run(
        [sys.executable, "-c", CLIENT, str(parquet), str(out)],
        cwd=ROOT_DIR,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT_DIR), str(Path(__file__).parent)])},
        capture_output=True,
        text=True,
        timeout=480,  # within pytest's 600 s for the test (tests/test_meta.py)
    )
    assert done.returncode == 0, done.stderr[-3000:]
    by_connect = pickle.loads(out.read_bytes())
    backend = connect(None)
    by_duckdb = answers(usage_table(backend, parquet), datasets.load_catalogue())
    backend.disconnect()
    assert by_connect.keys() == by_duckdb.keys()
    for key, expected in by_duckdb.items():
        if hasattr(expected, "columns"):
            assert_same(by_connect[key], expected)
        else:
            assert by_connect[key] == expected, key
