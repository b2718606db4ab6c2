"""The upload flow: read, check and use a file, each step kept in this session and redone only when it changes.

The decisions (mapping choices, turning a checked file into active data) live in `sse_dash.uploads`; this module
keeps their results in the session state so that a rerun does not read or check the file again.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import streamlit as st

from sse_dash import config, engine, i18n, ingest, uploads
from sse_dash.engine import rollups
from sse_dash.engine.importer import head_of, import_usage_csv
from sse_dash.i18n import _
from sse_dash.limits import Limits
from sse_dash.ui.engine import session_files
from sse_dash.ui.session import (
    UPLOAD_CHECK,
    UPLOAD_DETECTED,
    UPLOAD_DIGEST,
    UPLOAD_READ,
    ActiveData,
    activate,
    active,
    bundle,
    catalogue,
    catalogue_key,
    saved_dataset,
)
from sse_dash.ui.widgets import ProgressBar, friendly_errors


def forget_upload() -> None:
    """Drop the file being checked (not the data already in use)."""
    for key in (UPLOAD_READ, UPLOAD_CHECK, UPLOAD_DIGEST, UPLOAD_DETECTED):
        st.session_state.pop(key, None)


def upload_digest(file_id: str, data: bytes) -> str:
    """The fingerprint of the uploaded file, computed once per upload (hashing 100 MB takes a tenth of a second)."""
    kept = st.session_state.get(UPLOAD_DIGEST)
    if kept is None or kept[0] != file_id:
        kept = (file_id, uploads.file_hash(data))
        st.session_state[UPLOAD_DIGEST] = kept
    return kept[1]


def is_large(data: bytes) -> bool:
    """True for a text file above SSE_DASH_ENGINE_IMPORT_MB: the query engine checks it (`engine.importer`)."""
    return not data.startswith(b"PK") and len(data) > config.settings().engine_import_mb * 1e6


def read_upload(
    data: bytes, name: str, digest: str, sheet: str | None, encoding: str | None = None
) -> ingest.ReadResult:
    """Step 1 of an upload, read once per file, sheet and encoding and kept in this session.

    A large text file is read from its first megabyte only (the preview and the columns); its rows are checked by
    the engine in step 4, so no row limit applies to it.
    """
    key = (digest, sheet, encoding, i18n.language())  # its problems and notes are in the language of the reading
    kept = st.session_state.get(UPLOAD_READ)
    if kept is None or kept["key"] != key:
        bar = ProgressBar()
        with friendly_errors(_("reading the file")):
            if is_large(data):
                read = ingest.read_table(head_of(data), filename=name, encoding=encoding, progress=bar)
                read.report.warnings.insert(
                    0,
                    _(
                        "This file is large ({size} MB): the preview and the columns come from its first megabyte. "
                        "Every row is checked by the query engine, on disk, when the file is checked below."
                    ).format(size=i18n.number(round(len(data) / 1e6))),
                )
            else:
                read = ingest.read_table(
                    data, filename=name, sheet=sheet, encoding=encoding, progress=bar, limits=Limits.from_env()
                )
        bar.done()
        kept = {"key": key, "read": read}
        st.session_state[UPLOAD_READ] = kept
        st.session_state.pop(UPLOAD_CHECK, None)
        if sheet is None and encoding is None:
            st.session_state[UPLOAD_DETECTED] = (digest, read.report)
    return kept["read"]


def upload_detected(data: bytes, name: str, digest: str) -> ingest.IngestReport:
    """What the first reading of a file found (its sheets, its encoding), kept while the file stays the same, so
    that choosing another sheet or encoding does not read the file twice on every rerun."""
    kept = st.session_state.get(UPLOAD_DETECTED)
    if kept is None or kept[0] != digest:
        return read_upload(data, name, digest, None).report
    return kept[1]


def check_upload(
    read: ingest.ReadResult,
    digest: str,
    kind: str,
    mapping: Mapping[str, str | None],
    values: Mapping[str, str],
    data: bytes | None = None,
) -> ingest.IngestResult:
    """Steps 3-4 of an upload: the file checked with this mapping (recomputed only when something changed)."""
    key = (
        digest,
        read.report.sheet,
        kind,
        tuple(sorted(mapping.items(), key=str)),
        tuple(sorted(values.items())),
        catalogue_key(),
        i18n.language(),  # the report's messages are in the language of the check
    )
    kept = st.session_state.get(UPLOAD_CHECK)
    if kept is None or kept["key"] != key:
        bar = ProgressBar()
        parquet = None
        with friendly_errors(_("checking the file")):
            if data is not None and kind == "usage" and is_large(data):
                result, parquet = _engine_check(data, read, digest, key, mapping, values, bar)
            else:
                result = ingest.ingest_table(
                    read,
                    kind=kind,
                    catalogue=catalogue() if kind != "instruments" else None,
                    mapping=mapping,
                    constants=values,
                    progress=bar,
                )
        bar.done()
        kept = {"key": key, "result": result, "parquet": parquet}
        st.session_state[UPLOAD_CHECK] = kept
    return kept["result"]


DISK_FACTOR = 3  # the engine import needs about this many times the file's size on disk (text cells, the result)


def _engine_check(data: bytes, read: ingest.ReadResult, digest: str, key: tuple, mapping, values, bar):
    """A large usage file checked by the engine in this session's folder: (result without a frame, its Parquet)."""
    folder = session_files().folder
    free = shutil.disk_usage(folder).free
    if free < DISK_FACTOR * len(data):
        st.error(
            _(
                "This file needs about {needed} MB of free disk space to be checked, and the server has {free} MB. "
                "Split the file, or ask the administrator for more disk space."
            ).format(needed=i18n.number(round(DISK_FACTOR * len(data) / 1e6)), free=i18n.number(round(free / 1e6))),
            icon=":material/hard_drive:",
        )
        st.stop()
    source = folder / f"upload-{digest}.csv"
    if not source.exists():
        source.write_bytes(data)
    parquet = folder / f"upload-{hashlib.sha256(repr(key).encode()).hexdigest()[:20]}.parquet"
    imported = import_usage_csv(
        source,
        parquet,
        catalogue(),
        mapping=dict(mapping),
        constants=dict(values),
        encoding=read.report.encoding,
        progress=bar,
    )
    if imported.parquet is not None:
        rollups.write_later(imported.parquet)  # the charts read the records until the rollups are there
    report = imported.report
    report.warnings = [w for w in read.report.warnings if w not in report.warnings] + report.warnings  # the size note
    return ingest.IngestResult(pd.DataFrame(), pd.DataFrame(), report), imported.parquet


def use_upload(result: ingest.IngestResult, name: str, digest: str, kind: str, mode: str = "extend") -> None:
    """Step 5: make the valid rows of a checked upload active on every page of this session."""
    checked = st.session_state.get(UPLOAD_CHECK) or {}
    if kind == "usage" and checked.get("result") is result and checked.get("parquet") is not None:
        source = engine.UsageSource(None, str(checked["parquet"]))
        activate("usage", uploads.engine_dataset(result, source, name, digest, catalogue_key()))
    elif kind == "usage":
        activate("usage", uploads.usage_dataset(result, name, digest, catalogue(), catalogue_key()))
    elif kind == "figures":
        activate("figures", ActiveData(result.frame, _("Uploaded: {file}").format(file=name), f"upload:{digest}"))
    else:
        merged = uploads.merged_catalogue(bundle().catalogue, result.frame, mode)
        label = (_("Uploaded (replaces the catalogue): {file}") if mode == "replace" else _("Uploaded: {file}")).format(
            file=name
        )
        activate("catalogue", ActiveData(merged, label, f"upload:{digest}:{mode}"))


def checked_parquet(result: ingest.IngestResult) -> Path | None:
    """The engine's file of the valid rows of `result` when the engine checked it (a large file), else None."""
    checked = st.session_state.get(UPLOAD_CHECK) or {}
    found = checked.get("parquet") if checked.get("result") is result else None
    return Path(found) if found is not None else None


def upload_is_active(digest: str, kind: str) -> bool:
    """True when the upload with this fingerprint is the session's active data of its kind."""
    saved = saved_dataset()
    if saved and saved.get("digest") == digest and saved["kind"] == kind:
        return True
    replaced = active("catalogue" if kind == "instruments" else kind)
    return replaced is not None and replaced.key.startswith(f"upload:{digest}")
