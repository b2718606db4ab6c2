"""What this session works with: the bundled data, or the uploads and saved dataset that replaced parts of it.

Uploaded data lives in `st.session_state` only: another visitor never sees it, and it goes when the session ends.
Every key this package keeps in the session state is named here, once.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from sse_dash import catalogue_translations, config, datasets, engine, i18n, uploads

BUNDLED = "bundled"  # the catalogue key of the bundled catalogue
DATABASE_TTL = 3600  # seconds the results of the deployment's usage table are reused: its new rows show within this
KINDS = ("usage", "figures", "catalogue")  # the kinds of data an upload or a saved dataset can replace

# --- the session state's keys ----------------------------------------------------------------------------------
ACTIVE = {kind: f"active_{kind}" for kind in KINDS}  # the data in use: a datasets.Dataset (usage) or ActiveData
DEMO_WITH_CATALOGUE = "_demo_with_catalogue"  # the bundled usage read against an uploaded catalogue
SAVED_DATASET = "_saved_dataset"  # the saved dataset a link opened: id, kind, file name, digest, dates
SAVED_DATASET_FAILED = "_saved_dataset_failed"  # the id a link gave that could not be opened, and why
JUST_SAVED = "_just_saved"  # the link and delete token of the dataset just saved (shown once)
APP_SEEN = "_app_seen"  # app.py ran in this session: the navigation is in place
LANGUAGE = "lang"  # the language selector's value: a code of i18n.LANGUAGES
LANGUAGE_WRITTEN = "_lang_written"  # the `lang` of the link last read or written (a new one in the URL wins)
LINK_WRITTEN = "_link_written"  # {(page, key): the codes a linked widget last left in the URL}
READ_IN_ORDER = "_read_in_order"  # ranges of the link that were given last value first
UPLOAD_READ = "_upload_read"  # the file being uploaded, read (step 1)
UPLOAD_CHECK = "_upload_check"  # the file being uploaded, checked with a mapping (steps 3-4)
UPLOAD_DIGEST = "_upload_digest"  # the fingerprint of the file being uploaded
UPLOAD_DETECTED = "_upload_detected"  # what the first reading of that file found (sheets, encoding)


@dataclass(frozen=True)
class ActiveData:
    """A published-figures table or a catalogue that replaces the bundled one in this session.

    Usage data is a `datasets.Dataset`, which carries its report and origin too; both have `frame`, `label` and a
    `key` that changes whenever the data does (part of every cache key).
    """

    frame: pd.DataFrame
    label: str
    key: str


def secret(name: str) -> str | None:
    """A Streamlit secret, or None (no secrets file is the normal case)."""
    try:
        value = st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no secrets file, or one that cannot be read
        return None
    return str(value) if value else None


def settings() -> config.Settings:
    """The dashboard's settings: the environment, else Streamlit's secrets."""
    return config.settings(secret=secret)


@st.cache_resource(show_spinner=False)
def bundle() -> datasets.Bundle:
    """The bundled data, validated once per server process and shared read-only by every session."""
    return datasets.load_bundle()


def active(kind: str) -> ActiveData | datasets.Dataset | None:
    """The upload or saved dataset that replaces the bundled data of `kind` in this session, if any."""
    return st.session_state.get(ACTIVE[kind])


def catalogue() -> pd.DataFrame:
    """The instrument catalogue of this session: the bundled one unless an upload extended or replaced it."""
    replaced = active("catalogue")
    return replaced.frame if replaced else bundle().catalogue


def catalogue_shown() -> pd.DataFrame:
    """This session's catalogue as people read it: each instrument's name, description and typical terms in the
    active language where a translation of its text exists (column `translated`), its own text otherwise.

    For display only: uploads, links and caches work with `catalogue()`, whose text and codes never change. The
    bundled catalogue's is computed once per language, not on every rerun.
    """
    if active("catalogue") is None:
        return _bundled_catalogue_shown(i18n.language())
    return catalogue_translations.in_language(catalogue(), i18n.language(), bundle().translations, bundle().catalogue)


@st.cache_data(max_entries=8, show_spinner=False)
def _bundled_catalogue_shown(language: str) -> pd.DataFrame:
    shipped = bundle()
    return catalogue_translations.in_language(shipped.catalogue, language, shipped.translations, shipped.catalogue)


def catalogue_key() -> str:
    """A short key that changes whenever this session's catalogue changes (part of every cache key)."""
    replaced = active("catalogue")
    return replaced.key if replaced else BUNDLED


def figures() -> pd.DataFrame:
    """The published figures of this session: the bundled ones unless a figures file was uploaded."""
    replaced = active("figures")
    return replaced.frame if replaced else bundle().figures


def active_usage() -> datasets.Dataset:
    """The usage dataset this session works with: an upload, else the deployment's usage table (read in place),
    else the bundled synthetic demo."""
    uploaded = active("usage")
    if uploaded is not None:
        changed = uploaded.key.partition(uploads.CATALOGUE_MARK)[2] != catalogue_key()  # the catalogue changed since
        if changed and uploaded.frame is not None:  # a file the engine checked keeps the catalogue it was checked with
            uploaded = uploads.read_against(uploaded, catalogue(), catalogue_key())
            st.session_state[ACTIVE["usage"]] = uploaded
        return uploaded
    table = database_usage()
    if table is not None:
        return table
    demo = bundle().usage
    if catalogue_key() == BUNDLED:
        return demo
    cached = st.session_state.get(DEMO_WITH_CATALOGUE)
    if cached is None or cached.key.partition(uploads.CATALOGUE_MARK)[2] != catalogue_key():
        cached = uploads.read_against(demo, catalogue(), catalogue_key(), origin="session")
        st.session_state[DEMO_WITH_CATALOGUE] = cached
    return cached


def database_usage() -> datasets.Dataset | None:
    """The usage table the deployment points at (SSE_DASH_USAGE_URL and SSE_DASH_USAGE_TABLE, or their secrets), if
    any: nothing is read here. Its key changes every `DATABASE_TTL` seconds (the table's rows may change, and the
    key is what results are cached by) and ends with this session's catalogue's (the catalogue gives its families)."""
    chosen = settings()
    if not (chosen.usage_url and chosen.usage_table):
        return None
    source = engine.UsageSource(chosen.usage_url, chosen.usage_table, chosen.usage_mapping)
    digest = hashlib.sha256(repr(source).encode()).hexdigest()[:16]  # the URL's password stays out of the key
    period = int(time.time() // DATABASE_TTL)
    key = f"database:{digest}:{period}{uploads.CATALOGUE_MARK}{catalogue_key()}"
    return datasets.database_usage(source, chosen.usage_table, engine.engine_name(chosen.usage_url), key)


def is_bundled(dataset: datasets.Dataset) -> bool:
    """True for data every visitor has (the bundled files, the deployment's usage table) read against the bundled
    catalogue: only their derived tables may use global caches."""
    return dataset.origin in ("bundled", "database") and catalogue_key() == BUNDLED


def activate(kind: str, value: ActiveData | datasets.Dataset) -> None:
    """Make an uploaded dataset (usage), figures table or catalogue active for this session."""
    st.session_state[ACTIVE[kind]] = value
    st.session_state.pop(DEMO_WITH_CATALOGUE, None)


def uploads_active() -> list[str]:
    """Which kinds of data this session has replaced with uploads."""
    return [kind for kind in KINDS if active(kind) is not None]


def saved_dataset() -> dict | None:
    """What this session knows of the saved dataset a link opened (id, kind, file name, dates), if any."""
    return st.session_state.get(SAVED_DATASET)


def shared_id() -> str | None:
    """The id of the saved dataset this session shows, if any."""
    saved = saved_dataset()
    return saved["id"] if saved else None


def back_to_bundled() -> None:
    """Forget every upload and saved dataset of this session and use the bundled data again."""
    for kind in KINDS:
        st.session_state.pop(ACTIVE[kind], None)
    for key in (DEMO_WITH_CATALOGUE, SAVED_DATASET):
        st.session_state.pop(key, None)
