"""The real engines the engine tests run on: CI's PostgreSQL and Spark in local mode (one session per run).

Under CI=true a missing database or PySpark is a failure, elsewhere a skip that says what to install.
"""

from __future__ import annotations

import functools
import os

import pytest
from ibis.backends import BaseBackend

from sse_dash.engine import EngineUnavailable, connect
from sse_dash.engine.connection import spark_local

POSTGRES_URL = os.environ.get("SSE_DASH_TEST_DATABASE_URL", "")


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def postgres() -> BaseBackend:
    """A new connection to the test database (the URL .ci/run sets), through the engine's own `connect`."""
    if not POSTGRES_URL:
        unavailable("SSE_DASH_TEST_DATABASE_URL is not set: .ci/run starts PostgreSQL and sets it")
    return connect(POSTGRES_URL)


@functools.cache
def _spark() -> BaseBackend:
    return spark_local(cores=1)


def spark() -> BaseBackend:
    """The backend on this run's one local Spark session (started on first use: about ten seconds)."""
    try:
        return _spark()
    except EngineUnavailable as error:
        unavailable(f"{error} (requirements-dev.txt pins it; Java 17: apt-get install openjdk-17-jre-headless)")
