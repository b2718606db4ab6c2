"""Saved datasets for share links: a SQLAlchemy store (SQLite by default, PostgreSQL when deployed).

A saved dataset is the cleaned frame as Parquet bytes plus its metadata (kind, original file name, rows, created,
expires, column mapping). Its id is random and unguessable (128 bits); the uploader gets a separate delete token,
of which only a hash is stored. Datasets expire after a configurable period; a cap on stored bytes refuses new saves
when full. An expired or deleted dataset keeps a small tombstone so that its link can say what happened to it.

Configuration (`sse_dash.config`): SSE_DASH_DATABASE_URL (or the `database_url` secret; default a SQLite file under
SSE_DASH_DATA_DIR), SSE_DASH_DATASET_TTL_DAYS (180) and SSE_DASH_STORE_MAX_MB (1024).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import secrets
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from sse_dash import config

DEFAULT_TTL_DAYS = config.DEFAULT_TTL_DAYS
DEFAULT_MAX_MB = config.DEFAULT_STORE_MAX_MB
ENGINE_FILE = "engine-parquet"  # meta['format'] of records saved as the engine's file of a large upload
ID_BYTES = 16  # 128 bits of randomness in every id and token
METADATA = sa.MetaData()
DATASETS = sa.Table(
    "sse_dash_datasets",
    METADATA,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("delete_token_hash", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("file_name", sa.String(500), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("meta", sa.Text, nullable=False),  # JSON: column mapping, constants, warnings, label
    sa.Column("data", sa.LargeBinary, nullable=True),  # Parquet; NULL once deleted or expired
    sa.Column("catalogue", sa.LargeBinary, nullable=True),  # Parquet of the catalogue the data was read against
)
# Bytes held by datasets that can still be opened (deleted and expired ones keep their row, not their data).
# What a deleted or expired dataset keeps: its id, kind, row count, size, dates and the hash of its delete token
# (so that its link can say what happened, and when). Its data, the catalogue it came with, its file name and its
# metadata (column names, values typed for every row, warnings) are removed with it.
FORGOTTEN = {"data": None, "catalogue": None, "file_name": "", "meta": "{}"}
USED_BYTES = sa.select(sa.func.coalesce(sa.func.sum(DATASETS.c.size_bytes), 0)).where(DATASETS.c.data.is_not(None))


class DeleteOutcome(StrEnum):
    """What came of a request to delete a shared dataset."""

    DELETED = "deleted"
    INCOMPLETE = "incomplete"  # the link (or id) or the token was not given
    WRONG_TOKEN = "wrong_token"
    GONE = "gone"  # unknown, or deleted already
    UNAVAILABLE = "unavailable"  # the database is not reachable


class StoreError(Exception):
    """Base class of everything the store tells the user about."""


class StoreUnavailable(StoreError):
    """The database cannot be reached right now."""


class StoreFull(StoreError):
    """Saving would exceed the configured cap on stored bytes."""


class WrongToken(StoreError):
    """The delete token does not belong to this dataset."""


class DatasetGone(StoreError):
    """No dataset can be opened under this id: `reason` is unknown, expired or deleted."""

    def __init__(self, reason: str, when: dt.datetime | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.when = when


@dataclass(frozen=True)
class Saved:
    """What the uploader gets back: the id for the link and the delete token (shown once)."""

    id: str
    delete_token: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class Stored:
    """A dataset read back from the store."""

    id: str
    kind: str
    file_name: str
    rows: int
    created_at: dt.datetime
    expires_at: dt.datetime
    meta: dict[str, Any]
    frame: pd.DataFrame | None  # None for records saved as the engine's file (`data`): they are not read into pandas
    catalogue: pd.DataFrame | None
    data: bytes = b""  # the records as stored: a Parquet file

    @property
    def is_engine_file(self) -> bool:
        """The records are the engine's Parquet file of a large upload, to be read in place (`frame` is None)."""
        return self.meta.get("format") == ENGINE_FILE


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def to_parquet(frame: pd.DataFrame) -> bytes:
    """A frame as Parquet bytes (categoricals, nullable integers and the row index kept)."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, engine="pyarrow", index=True, compression="zstd")
    return buffer.getvalue()


def from_parquet(data: bytes) -> pd.DataFrame:
    """The frame stored by `to_parquet`."""
    return pd.read_parquet(io.BytesIO(data), engine="pyarrow")


def default_url() -> str:
    """The database URL from the environment, else a SQLite file under the data directory."""
    return config.settings().store_url


def ttl_days() -> float:
    """How many days a saved dataset lives ($SSE_DASH_DATASET_TTL_DAYS, default 180)."""
    return config.settings().dataset_ttl_days


def max_bytes() -> int:
    """The cap on stored bytes ($SSE_DASH_STORE_MAX_MB, default 1024 MB)."""
    return int(config.settings().store_max_mb * 1024 * 1024)


class DatasetStore:
    """Save, open, delete and expire shared datasets in one SQL database."""

    def __init__(self, url: str | None = None, *, ttl: dt.timedelta | None = None, cap_bytes: int | None = None):
        self.url = url or default_url()
        self.ttl = ttl or dt.timedelta(days=ttl_days())
        self.cap_bytes = cap_bytes if cap_bytes is not None else max_bytes()
        self._engine: sa.Engine | None = None
        self._ready = False
        self._lock = threading.Lock()

    # --- plumbing --------------------------------------------------------------------------------------

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return sa.make_url(self.url).get_backend_name()

    def _connect(self) -> sa.Engine:
        with self._lock:
            if self._engine is None:
                options: dict[str, Any] = {"pool_pre_ping": True, "future": True}
                if self.dialect == "sqlite":
                    database = sa.make_url(self.url).database
                    if database and database != ":memory:":
                        Path(database).parent.mkdir(parents=True, exist_ok=True)
                    options["connect_args"] = {"timeout": 30, "check_same_thread": False}
                else:
                    options["connect_args"] = {"connect_timeout": 5}
                self._engine = sa.create_engine(self.url, **options)
            if not self._ready:
                try:
                    METADATA.create_all(self._engine, checkfirst=True)  # schema created on first use
                except SQLAlchemyError:  # another server created it at the same moment: it exists now
                    METADATA.create_all(self._engine, checkfirst=True)
                self._ready = True
            return self._engine

    def _begin(self):
        """A transaction that holds the store's write lock (saves never race past the size cap)."""
        engine = self._connect()
        connection = engine.connect()
        if self.dialect == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.begin()
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(7340021)"))
        return connection

    def _run(self, work):
        try:
            return work()
        except StoreError:
            raise
        except (SQLAlchemyError, OSError) as error:
            self._ready = False
            raise StoreUnavailable(str(error).splitlines()[0][:200]) from error

    def available(self) -> bool:
        """True when the database answers right now (a quick `SELECT 1`); never raises."""

        def work() -> None:
            with self._connect().connect() as connection:
                connection.execute(sa.text("SELECT 1"))

        try:
            self._run(work)
        except StoreUnavailable:
            return False
        return True

    def close(self) -> None:
        """Release the connections."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            self._ready = False

    # --- operations ------------------------------------------------------------------------------------

    def used_bytes(self) -> int:
        """Bytes held by datasets that can still be opened."""

        def work() -> int:
            with self._connect().connect() as connection:
                return int(connection.execute(USED_BYTES).scalar_one())

        return self._run(work)

    def save(
        self,
        kind: str,
        frame: pd.DataFrame | None,
        file_name: str,
        meta: dict[str, Any] | None = None,
        catalogue: pd.DataFrame | None = None,
        now: dt.datetime | None = None,
        engine_file: Path | None = None,
        rows: int | None = None,
    ) -> Saved:
        """Store a cleaned frame, or the engine's Parquet file of a large upload (`engine_file`, its `rows`: stored as
        it is and opened in place, never read into pandas); returns the id for the link and the delete token."""
        now = now or _now()
        if engine_file is not None:
            data, meta = engine_file.read_bytes(), {**(meta or {}), "format": ENGINE_FILE}
        else:
            data, rows = to_parquet(frame), len(frame)
        catalogue_data = to_parquet(catalogue) if catalogue is not None else None
        meta_text = json.dumps(meta or {}, ensure_ascii=False, default=str)
        file_name = file_name[:500]
        # Everything the record holds counts toward the cap, its metadata too (a mapping, values typed for every row).
        size = len(data) + len(catalogue_data or b"") + len(meta_text.encode()) + len(file_name.encode())
        token = secrets.token_urlsafe(ID_BYTES)
        record = {
            "delete_token_hash": _token_hash(token),
            "kind": kind,
            "file_name": file_name,
            "rows": rows,
            "size_bytes": size,
            "created_at": now,
            "expires_at": now + self.ttl,
            "deleted_at": None,
            "meta": meta_text,
            "data": data,
            "catalogue": catalogue_data,
        }

        def work() -> Saved:
            connection = self._begin()
            try:
                self._expire(connection, now)
                used = connection.execute(USED_BYTES).scalar_one()
                if int(used) + size > self.cap_bytes:
                    raise StoreFull(
                        f"{int(used) / 1e6:,.1f} of {self.cap_bytes / 1e6:,.1f} MB are used; this "
                        f"dataset needs {size / 1e6:,.1f} MB"
                    )
                dataset_id = secrets.token_urlsafe(ID_BYTES)  # 128 random bits: a clash is practically impossible
                connection.execute(DATASETS.insert().values(id=dataset_id, **record))
                connection.commit()
            finally:
                connection.close()
            return Saved(dataset_id, token, record["expires_at"])

        return self._run(work)

    def _expire(self, connection, now: dt.datetime) -> int:
        """Drop the data of datasets past their expiry date, and what described it (their tombstones stay)."""
        result = connection.execute(
            DATASETS.update().where(DATASETS.c.expires_at <= now, DATASETS.c.data.is_not(None)).values(**FORGOTTEN)
        )
        return result.rowcount or 0

    def purge_expired(self, now: dt.datetime | None = None) -> int:
        """Release the space of expired datasets; returns how many were released."""

        def work() -> int:
            connection = self._begin()
            try:
                count = self._expire(connection, now or _now())
                connection.commit()
            finally:
                connection.close()
            return count

        return self._run(work)

    def load(self, dataset_id: str, now: dt.datetime | None = None) -> Stored:
        """The dataset saved under `dataset_id`; raises DatasetGone (unknown, expired, deleted)."""
        now = now or _now()
        if not dataset_id or len(dataset_id) > 64:
            raise DatasetGone("unknown")

        def work() -> Stored:
            with self._connect().connect() as connection:
                row = connection.execute(sa.select(DATASETS).where(DATASETS.c.id == dataset_id)).mappings().first()
            if row is None:
                raise DatasetGone("unknown")
            if row["deleted_at"] is not None:
                raise DatasetGone("deleted", _aware(row["deleted_at"]))
            if _aware(row["expires_at"]) <= now or row["data"] is None:
                raise DatasetGone("expired", _aware(row["expires_at"]))
            catalogue = from_parquet(row["catalogue"]) if row["catalogue"] is not None else None
            meta, data = json.loads(row["meta"]), bytes(row["data"])
            return Stored(
                row["id"],
                row["kind"],
                row["file_name"],
                row["rows"],
                _aware(row["created_at"]),
                _aware(row["expires_at"]),
                meta,
                None if meta.get("format") == ENGINE_FILE else from_parquet(data),
                catalogue,
                data,
            )

        return self._run(work)

    def delete(self, dataset_id: str, token: str, now: dt.datetime | None = None) -> None:
        """Delete a dataset with its delete token; its link then says it was deleted."""

        def work() -> None:
            connection = self._begin()
            try:
                row = connection.execute(
                    sa.select(DATASETS.c.delete_token_hash, DATASETS.c.deleted_at).where(DATASETS.c.id == dataset_id)
                ).first()
                if row is None:
                    raise DatasetGone("unknown")
                if row.deleted_at is not None:
                    raise DatasetGone("deleted", _aware(row.deleted_at))
                if not hmac.compare_digest(row.delete_token_hash, _token_hash(token.strip())):
                    raise WrongToken("this delete token does not belong to this dataset")
                connection.execute(
                    DATASETS.update().where(DATASETS.c.id == dataset_id).values(deleted_at=now or _now(), **FORGOTTEN)
                )
                connection.commit()
            finally:
                connection.close()

        self._run(work)
