"""Where the usage queries run: each dataset's records as Parquet on disk (or the deployment's table in its own
database), read in place by the engine.

The bundled data is written once per server (named by what it is made from, so a restart reuses the file) and
shared by every session; an upload's or a saved dataset's file is private to its session, in a folder that goes
when the session does. No session keeps a second copy of the rows for the engine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
import weakref
from pathlib import Path

import pandas as pd
import streamlit as st

from sse_dash import config, datasets, engine
from sse_dash.ui.session import is_bundled

SESSION_FILES = "_engine_files"  # this session's folder of Parquet files (removed when the session ends)
STALE_SECONDS = 2 * 24 * 3600  # a session folder untouched this long belongs to a server that was killed


@st.cache_resource(show_spinner=False)
def backends() -> engine.Backends:
    """The engine connections of this server process, lent to one script thread at a time."""
    return engine.Backends()


class SessionFiles:
    """A folder of one session's Parquet files; removed when the session's state is gone (or the server exits)."""

    def __init__(self, root: Path) -> None:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        _remove_stale(root)
        self.folder = Path(tempfile.mkdtemp(prefix="session-", dir=root))
        self._removal = weakref.finalize(self, shutil.rmtree, self.folder, True)

    def parquet(self, dataset: datasets.Dataset) -> Path:
        """The dataset's records as a Parquet file of this session, written the first time (one file at a time)."""
        path = self.folder / f"dataset-{_digest(dataset.key)}.parquet"
        if not path.exists():
            for old in self.folder.glob("dataset-*"):  # the dataset this one replaced, and its rollups
                old.unlink(missing_ok=True)
            engine.to_parquet(dataset.frame, path)
        return path

    def write(self, name: str, data: bytes) -> Path:
        """`data` (a Parquet file) as this session's file `name`.parquet, written whole or not at all, once."""
        path = self.folder / f"{name}.parquet"
        if not path.exists():
            partial = path.with_name(f".{path.name}.partial")
            partial.write_bytes(data)
            partial.replace(path)
        return path

    def write_frame(self, name: str, frame: pd.DataFrame) -> Path:
        """Usage records as this session's Parquet file `name`.parquet (`engine.to_parquet`, without rollups: the file
        is to be stored, and whoever opens it writes its own), written again each time."""
        return engine.to_parquet(frame, self.folder / f"{name}.parquet", with_rollups=False)


def _remove_stale(root: Path) -> None:
    for folder in root.glob("session-*"):
        try:
            if time.time() - folder.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def session_root() -> Path:
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"sse-dash-sessions-{uid}"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:20]


@st.cache_resource(show_spinner=False)
def _bundled_parquet(key: str, _dataset: datasets.Dataset) -> str:
    """The bundled records' file under the data directory, named by their content (servers share it)."""
    content = pd.util.hash_pandas_object(_dataset.frame, index=False).to_numpy().tobytes()
    name = hashlib.sha256(content + engine.PARQUET_VERSION.encode()).hexdigest()[:20]
    path = config.settings().data_dir / "parquet" / f"bundled-{name}.parquet"
    return str(path if path.exists() else engine.to_parquet(_dataset.frame, path))


def usage_source(dataset: datasets.Dataset) -> engine.UsageSource:
    """Where the engine reads `dataset`'s records: the deployment's table in place, the shared file of the bundled
    data, or this session's own file."""
    if dataset.source is not None:
        return dataset.source
    if is_bundled(dataset):
        return engine.UsageSource(None, _bundled_parquet(dataset.key, dataset))
    return engine.UsageSource(None, str(session_files().parquet(dataset)))


def session_files() -> SessionFiles:
    """This session's private folder (made on first use)."""
    files = st.session_state.get(SESSION_FILES)
    if files is None:
        files = st.session_state[SESSION_FILES] = SessionFiles(session_root())
    return files
