"""Saved datasets: save an upload for a share link, open the one a link names (read-only), delete one with its token.

The store itself (`sse_dash.store`) knows nothing of Streamlit; this module keeps one store per server process,
puts an opened dataset in the session (`session.SAVED_DATASET`) and turns the store's errors into messages.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import streamlit as st

from sse_dash import datasets, engine, i18n, ingest, state, store, uploads
from sse_dash.engine import rollups
from sse_dash.i18n import N_, _
from sse_dash.ui.engine import session_files
from sse_dash.ui.links import PAGE_PATHS, link_to
from sse_dash.ui.session import (
    BUNDLED,
    JUST_SAVED,
    SAVED_DATASET,
    SAVED_DATASET_FAILED,
    ActiveData,
    activate,
    back_to_bundled,
    bundle,
    catalogue,
    catalogue_key,
    settings,
    shared_id,
)
from sse_dash.ui.upload import checked_parquet

LOG = logging.getLogger("sse_dash")


@st.cache_resource(show_spinner=False)
def dataset_store() -> store.DatasetStore:
    """The store of saved datasets: $SSE_DASH_DATABASE_URL, else the `database_url` secret, else SQLite."""
    return store.DatasetStore(settings().store_url)


@st.cache_data(ttl=10, show_spinner=False)
def store_available() -> bool:
    """Whether saved datasets can be saved and opened right now (asked at most every 10 seconds)."""
    answer = dataset_store().available()
    if not answer:
        LOG.warning("the dataset store is not reachable")
    return answer


UNAVAILABLE = N_(
    "Saving and opening shared datasets is unavailable right now: the database is not reachable. Everything else "
    "works, and your upload stays usable in this tab; try again in a minute."
)  # translated where shown


def gone_message(gone: store.DatasetGone) -> str:
    """Why the dataset of a link cannot be opened, and what to do about it, in the active language."""
    when = i18n.date(gone.when, "long") if gone.when else None
    if gone.reason == "unknown":
        return _("This link points to a shared dataset that does not exist. Check that the whole link was copied.")
    if gone.reason == "expired" and when:
        return _(
            "The shared dataset of this link expired on {date}. Ask the person who shared it to save it again."
        ).format(date=when)
    if gone.reason == "expired":
        return _("The shared dataset of this link expired. Ask the person who shared it to save it again.")
    if gone.reason == "deleted" and when:
        return _("The shared dataset of this link was deleted by the person who shared it on {date}.").format(date=when)
    if gone.reason == "deleted":
        return _("The shared dataset of this link was deleted by the person who shared it.")
    return _("This shared dataset cannot be opened.")


def _activate_stored(stored: store.Stored) -> None:
    back_to_bundled()
    if stored.kind == "usage":
        if stored.catalogue is not None:
            activate("catalogue", ActiveData(stored.catalogue, _("Shared with the dataset"), f"saved:{stored.id}"))
        report = ingest.IngestReport(kind="usage", filename=stored.file_name, rows=stored.rows, valid_rows=stored.rows)
        if stored.is_engine_file:  # a large upload's file: to this session's disk, read in place like the upload was
            path = session_files().write(f"saved-{stored.id}", stored.data)
            rollups.write_later(path)
            key = f"saved:{stored.id}:engine{uploads.CATALOGUE_MARK}{catalogue_key()}"
            source = engine.UsageSource(None, str(path))
            activate(
                "usage",
                datasets.Dataset(
                    "usage",
                    None,
                    report,
                    _("Shared dataset"),
                    origin="saved",
                    key=key,
                    file_name=stored.file_name,
                    source=source,
                ),
            )
        else:
            activate(
                "usage",
                uploads.read_against(
                    datasets.Dataset(
                        "usage",
                        stored.frame,
                        report,
                        _("Shared dataset"),
                        origin="saved",
                        key=f"saved:{stored.id}",
                        file_name=stored.file_name,
                    ),
                    catalogue(),
                    catalogue_key(),
                ),
            )
    elif stored.kind == "figures":
        activate(
            "figures",
            ActiveData(stored.frame, _("Shared: {file}").format(file=stored.file_name), f"saved:{stored.id}"),
        )
    else:
        merged = uploads.merged_catalogue(bundle().catalogue, stored.frame, stored.meta.get("mode", "extend"))
        activate(
            "catalogue", ActiveData(merged, _("Shared: {file}").format(file=stored.file_name), f"saved:{stored.id}")
        )
    st.session_state[SAVED_DATASET] = {
        "digest": stored.meta.get("digest"),
        "id": stored.id,
        "kind": stored.kind,
        "file_name": stored.file_name,
        "created_at": stored.created_at,
        "expires_at": stored.expires_at,
    }


def open_shared_dataset() -> None:
    """Open the saved dataset a link names (`dataset=<id>`) for this session, read-only.

    An unknown, expired or deleted id gets a clear message and the bundled data; a database that cannot be reached
    gets a message too, and the next interaction tries again.
    """
    wanted = st.query_params.get("dataset")
    if not wanted or wanted == shared_id():
        return
    if st.session_state.get(SAVED_DATASET_FAILED, {}).get("id") == wanted:
        st.warning(st.session_state[SAVED_DATASET_FAILED]["message"], icon=":material/link_off:")
        return
    try:
        with st.spinner(_("Opening the shared dataset…")):
            stored = dataset_store().load(wanted)
    except store.DatasetGone as gone:
        back_to_bundled()
        message = _("{why} The bundled data is shown instead.").format(why=gone_message(gone))
        st.session_state[SAVED_DATASET_FAILED] = {"id": wanted, "message": message}
        st.warning(message, icon=":material/link_off:")
        return
    except store.StoreUnavailable:
        LOG.exception("opening shared dataset %s", wanted)
        store_available.clear()
        st.warning(
            _(
                "Shared datasets cannot be opened right now (the database is not reachable). The bundled data is "
                "shown; reload the page in a moment to try again."
            ),
            icon=":material/cloud_off:",
        )
        return
    if not store_available():  # the database answered, so stop saying it is away (for every session)
        store_available.clear()
    _activate_stored(stored)


def delete_saved(dataset_id: str, token: str) -> None:
    """Delete a saved dataset with its token (raises store errors for the page to explain)."""
    dataset_store().delete(dataset_id, token)
    if shared_id() == dataset_id:
        back_to_bundled()


def save_upload(
    result: ingest.IngestResult,
    name: str,
    digest: str,
    kind: str,
    mapping: Mapping[str, Any],
    constants: Mapping[str, str],
    mode: str,
) -> None:
    """The 'Save and get a share link' button: save (the session then shows the saved dataset, as a colleague
    will see it), remember what to show once, or explain why not."""
    meta = {
        "mapping": dict(mapping),
        "constants": dict(constants),
        "mode": mode,
        "digest": digest,
        "warnings": result.report.warnings[:20],
        "rows_left_out": result.report.rows_left_out,
    }
    with_catalogue = catalogue() if kind == "usage" and catalogue_key() != BUNDLED else None
    engine_file = checked_parquet(result) if kind == "usage" else None  # a large upload: its file, as it is
    written = kind == "usage" and engine_file is None  # any other usage upload: its rows as the engine's file too
    if written:
        engine_file = session_files().write_frame(f"save-{digest}", result.frame)
    try:
        saved = dataset_store().save(
            kind,
            None if engine_file else result.frame,
            name,
            meta,
            catalogue=with_catalogue,
            engine_file=engine_file,
            rows=result.report.valid_rows,
        )
        _activate_stored(dataset_store().load(saved.id))
    except store.StoreFull as full:
        st.error(
            _(
                "The dashboard's storage for shared datasets is full ({why}). Saving is not possible right now; "
                "your upload still works in this tab."
            ).format(why=full),
            icon=":material/storage:",
        )
        return
    except store.StoreUnavailable:
        LOG.exception("saving a dataset")
        store_available.clear()
        st.error(
            _(
                "Saving is unavailable right now (the database is not reachable). Your upload still works in this "
                "tab; try saving again in a moment."
            ),
            icon=":material/cloud_off:",
        )
        return
    finally:
        if written:  # the copy made for saving; the session reads the saved one from now on
            engine_file.unlink(missing_ok=True)
    link = link_to(PAGE_PATHS[kind], urlencode({"v": state.VERSION, "dataset": saved.id}))  # kinds are page names
    st.session_state[JUST_SAVED] = {
        "id": saved.id,
        "token": saved.delete_token,
        "link": link,
        "expires_at": saved.expires_at,
        "kind": kind,
    }


def show_saved_link(kind: str) -> None:
    """The link and the delete token of the dataset just saved (the token is shown this once)."""
    saved = st.session_state.get(JUST_SAVED)
    if not saved or saved["kind"] != kind:
        return
    st.success(
        _("Saved until {date}. Anyone with this link sees the same data:").format(
            date=i18n.date(saved["expires_at"], "long")
        ),
        icon=":material/link:",
    )
    st.code(saved["link"], language=None, wrap_lines=True)
    st.markdown(
        _(
            "**Delete token** — keep it somewhere safe: it is shown only now, and it is the only way to delete "
            "the dataset before it expires."
        )
    )
    st.code(saved["token"], language=None)
    st.caption(_("The Share this view button on every page now adds this dataset to its links."))


def delete_shared(link_or_id: str, token: str) -> tuple[store.DeleteOutcome, str]:
    """Delete a saved dataset from a link (or id) and its token; returns the outcome and what to tell the user."""
    text = link_or_id.strip()
    dataset_id = parse_qs(urlsplit(text).query).get("dataset", [text])[0] if "dataset=" in text else text
    if not dataset_id or not token.strip():
        return store.DeleteOutcome.INCOMPLETE, _("Give both the link (or id) and the delete token.")
    try:
        delete_saved(dataset_id, token)
    except store.WrongToken:
        return (
            store.DeleteOutcome.WRONG_TOKEN,
            _("This delete token does not belong to that dataset. Check that you pasted the right one."),
        )
    except store.DatasetGone as gone:
        return store.DeleteOutcome.GONE, gone_message(gone)
    except store.StoreUnavailable:
        return (
            store.DeleteOutcome.UNAVAILABLE,
            _("Deleting is unavailable right now (the database is not reachable). Try again in a moment."),
        )
    st.session_state.pop(JUST_SAVED, None)
    return store.DeleteOutcome.DELETED, _("Deleted. Its link now says that the dataset was deleted.")
