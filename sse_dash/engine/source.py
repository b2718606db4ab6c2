"""Where a usage dataset's rows are queried, and the backends that query them, shared safely between threads.

A `UsageSource` is small and hashable (it keys the page caches): an engine URL, a Parquet file or a table name, and
the names of the table's columns where they differ from the schema's. `Backends` keeps a few connections per engine
URL and lends each to one thread at a time: a DuckDB or psycopg connection must not run two queries at once, and
Streamlit runs every session's script in a thread of its own.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import ibis
import pandas as pd
from ibis.backends import BaseBackend
from ibis.expr.types import Table

from sse_dash.engine import queries, rollups
from sse_dash.engine.connection import connect, usage_table
from sse_dash.engine.rollups import Rolled

CATALOGUE_COLUMNS = ("family", "origin")  # what ingest adds to every usage row from the catalogue


@dataclass(frozen=True)
class UsageSource:
    """The usage records of a dataset, where an engine reads them in place.

    `url`: an engine URL (None: DuckDB in this process); `location`: a Parquet file or a table on that engine;
    `mapping`: (schema field, column of the table) pairs for a table whose columns have other names.
    """

    url: str | None
    location: str
    mapping: tuple[tuple[str, str], ...] = ()

    @property
    def is_file(self) -> bool:
        return self.location.endswith(".parquet")

    @property
    def is_local_file(self) -> bool:
        """A Parquet file this process reads with its own DuckDB (where this package writes rollups)."""
        return self.is_file and self.url is None


class Backends:
    """Up to `size` connections per engine URL, each lent to one thread at a time.

    A connection that fails while lent is dropped, not returned: the next query opens a new one, so a database that
    was briefly away is used again without a restart.
    """

    def __init__(self, size: int = 4, opener: Callable[[str | None], BaseBackend] = connect) -> None:
        self._size, self._opener = size, opener
        self._idle: dict[str | None, queue.LifoQueue] = {}
        self._opened: dict[str | None, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def backend(self, url: str | None) -> Iterator[BaseBackend]:
        """A connection to `url` for this thread alone, for the duration of the `with` block."""
        connection = self._borrow(url)
        try:
            yield connection
        except BaseException:
            self._forget(url, connection)
            raise
        self._idle[url].put(connection)

    @contextmanager
    def usage(self, source: UsageSource, catalogue: pd.DataFrame) -> Iterator[tuple[Table | Rolled, ModuleType]]:
        """The usage records of `source` to query, and the module that queries them: a file's rollups and
        `rollups` when it has them (a large file), else the records and `queries`. Both answer alike."""
        with self.backend(source.url) as connection:
            records = usage_records(connection, source, catalogue)
            found = rollups.rolled(connection, records, Path(source.location)) if source.is_local_file else None
            yield (records, queries) if found is None else (found, rollups)

    @contextmanager
    def table(self, source: UsageSource, catalogue: pd.DataFrame) -> Iterator[Table]:
        """The usage records of `source` as an Ibis table on a connection lent to this thread."""
        with self.backend(source.url) as connection:
            yield usage_records(connection, source, catalogue)

    def close(self) -> None:
        """Close the idle connections (those lent out close when they come back to a closed pool: never)."""
        with self._lock:
            idle, self._idle, self._opened = self._idle, {}, {}
        for connections in idle.values():
            while not connections.empty():
                _disconnect(connections.get_nowait())

    def _borrow(self, url: str | None) -> BaseBackend:
        with self._lock:
            idle = self._idle.setdefault(url, queue.LifoQueue())
            opened = self._opened.get(url, 0)
            if idle.empty() and opened < self._size:
                self._opened[url] = opened + 1
                create = True
            else:
                create = False
        if not create:
            return idle.get()  # waits for a connection another thread is using
        try:
            return self._opener(url)
        except BaseException:
            with self._lock:
                self._opened[url] -= 1
            raise

    def _forget(self, url: str | None, connection: BaseBackend) -> None:
        with self._lock:
            self._opened[url] = max(self._opened.get(url, 1) - 1, 0)
        _disconnect(connection)


def _disconnect(connection: BaseBackend) -> None:
    with contextlib.suppress(Exception):  # a connection that is already gone is closed enough
        connection.disconnect()


def usage_records(connection: BaseBackend, source: UsageSource, catalogue: pd.DataFrame) -> Table:
    """The records of `source` on `connection`, with the schema's column names and the catalogue's family and origin.

    A Parquet file written by `to_parquet` has them already; a database table gets them by a join with the
    catalogue, as ingest adds them to an uploaded file.
    """
    table = usage_table(connection, Path(source.location) if source.is_file else source.location)
    renamed = {field: column for field, column in source.mapping if column in table.columns and field != column}
    if renamed:
        table = table.rename(renamed)
    missing = [column for column in CATALOGUE_COLUMNS if column not in table.columns]
    if not missing:
        return table
    known = ibis.memtable(catalogue[["instrument_id", *missing]].astype(str))
    joined = table.left_join(known, table["instrument_id"].cast("string") == known["instrument_id"])
    return joined.drop("instrument_id_right") if "instrument_id_right" in joined.columns else joined
