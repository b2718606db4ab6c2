"""The only module of the package that imports Streamlit: cached loaders, the sidebar, shared widgets.

Pages call these helpers so that every page shows data the same way: the synthetic badge, the source caption under
each chart, the data behind each chart one click away, and a friendly error instead of a traceback.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import logging
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sse_dash import datasets, ingest, state, store, uploads, views
from sse_dash import transform as t
from sse_dash.demo import SYNTHETIC_NOTICE
from sse_dash.export import to_csv_bytes
from sse_dash.limits import SESSION_SWEEP_SECONDS, Limits
from sse_dash.text import md

LOG = logging.getLogger("sse_dash")
APP_TITLE = "SSE Finance Dashboard"
# The world map's outlines are served by the app itself (static/topojson), never fetched from a CDN.
PLOTLY_CONFIG = {
    "topojsonURL": "app/static/topojson/",
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
PAGE_PATHS = {
    "overview": "",
    "finder": "finder",
    "instruments": "instruments",
    "figures": "figures",
    "usage": "usage",
    "upload": "upload",
    "about": "about",
}


# Whether app.py ran in this script run (thread-local: every session runs its scripts in its own thread).
_RUN = threading.local()


def mark_app_run() -> None:
    """Called by app.py at the start of every run: the page knows the navigation and sidebar are in place."""
    _RUN.app = True
    st.session_state["_app_seen"] = True
    _sweeper()


# --- releasing the memory of ended sessions --------------------------------------------------------------------
# Streamlit keeps a disconnected session for `server.disconnectedSessionTTL` seconds so that a browser can come
# back to it. Once that time has passed it forgets the session only when another session connects or disconnects,
# and even then without shutting it down: the session's uploaded file stays in the upload manager and its state
# (our parsed uploads) in memory. A small thread releases them on time.


def release_ended_sessions() -> int:
    """Shut down the sessions whose reconnection time has passed; returns how many were released.

    Uses Streamlit's session manager, which is not a public API: if it changes, nothing is released early (Streamlit
    still drops the sessions eventually) and a warning is logged once.
    """
    from streamlit import runtime

    if not runtime.exists():
        return 0
    try:
        manager = runtime.get_instance()._session_mgr
        with manager._storage_lock:
            expired = manager._session_storage._cache.expire()
    except AttributeError:
        if not getattr(release_ended_sessions, "warned", False):
            LOG.warning("cannot release ended sessions early: Streamlit's session manager has changed")
            release_ended_sessions.warned = True
        return 0
    for _key, info in expired:
        with contextlib.suppress(Exception):
            info.session.shutdown()
    return len(expired)


def _sweep_forever() -> None:
    while True:
        threading.Event().wait(SESSION_SWEEP_SECONDS)
        try:
            released = release_ended_sessions()
        except Exception:  # the sweeper must never die
            LOG.exception("releasing ended sessions")
            continue
        if released:
            gc.collect()
            _return_free_memory()
            LOG.info("released %d ended session(s)", released)


def _return_free_memory() -> None:
    """Hand freed heap pages back to the system (glibc keeps them otherwise); a no-op elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@st.cache_resource(show_spinner=False)
def _sweeper() -> threading.Thread:
    """The one sweeper thread of this server process; first, the spooled uploads a killed server left behind go."""
    with contextlib.suppress(OSError):
        ingest.clean_spool()
    thread = threading.Thread(target=_sweep_forever, name="sse-dash-session-sweeper", daemon=True)
    thread.start()
    return thread


def require_app() -> None:
    """Make sure a page has the app's navigation and sidebar around it.

    Streamlit runs a script through its legacy `pages/` mode while the process has not seen `st.navigation` yet:
    the first visitor of a fresh server landing on a sub-page (a shared /usage link) would get the page without
    app.py's page config, navigation and sidebar. For a session's first run, switching Streamlit to the
    `st.navigation` mode and rerunning fixes that (nothing is lost: nothing was clicked yet). Later runs that still
    come without app.py (AppTest runs every page that way) draw the shared sidebar here instead, so that widget
    clicks are not lost to a rerun.
    """
    if getattr(_RUN, "app", False):
        _RUN.app = False
        return
    if not st.session_state.get("_app_seen"):
        st.session_state["_app_seen"] = True
        with contextlib.suppress(ImportError, AttributeError):  # internal API; without it the page still works
            from streamlit.runtime.pages_manager import PagesManager

            PagesManager.uses_pages_directory = False
        st.rerun()
    note_unread_link()
    open_shared_dataset()
    sidebar_active_data()


@st.cache_resource(show_spinner="Loading the bundled data…")
def bundle() -> datasets.Bundle:
    """The bundled data, validated once per server process and shared read-only by every session."""
    return datasets.load_bundle()


# --- what this session works with ---------------------------------------------------------------------------
# Uploaded data lives in st.session_state only: another visitor never sees it, and it goes when the session ends.

BUNDLED = "bundled"


def catalogue() -> pd.DataFrame:
    """The instrument catalogue of this session: the bundled one unless an upload extended or replaced it."""
    active = st.session_state.get("active_catalogue")
    return active["frame"] if active else bundle().instruments


def catalogue_key() -> str:
    """A short key that changes whenever this session's catalogue changes (part of every cache key)."""
    active = st.session_state.get("active_catalogue")
    return active["key"] if active else BUNDLED


def figures() -> pd.DataFrame:
    """The published figures of this session: the bundled ones unless a figures file was uploaded."""
    active = st.session_state.get("active_figures")
    return active["frame"] if active else bundle().figures


def active_usage() -> datasets.Dataset:
    """The usage dataset this session works with (the bundled synthetic demo unless an upload replaced it)."""
    uploaded = st.session_state.get("active_usage")
    if uploaded is not None:
        if uploaded.key.partition(uploads.CATALOGUE_MARK)[2] != catalogue_key():  # the catalogue changed since
            uploaded = uploads.read_against(uploaded, catalogue(), catalogue_key())
            st.session_state["active_usage"] = uploaded
        return uploaded
    demo = bundle().usage
    if catalogue_key() == BUNDLED:
        return demo
    cached = st.session_state.get("_demo_with_catalogue")
    if cached is None or cached.key.partition(uploads.CATALOGUE_MARK)[2] != catalogue_key():
        cached = uploads.read_against(demo, catalogue(), catalogue_key(), origin="session")
        st.session_state["_demo_with_catalogue"] = cached
    return cached


def activate(kind: str, value: Any) -> None:
    """Make an uploaded dataset (usage), figures table or catalogue active for this session."""
    st.session_state[f"active_{kind}"] = value
    st.session_state.pop("_demo_with_catalogue", None)


def uploads_active() -> list[str]:
    """Which kinds of data this session has replaced with uploads."""
    return [kind for kind in ("usage", "figures", "catalogue") if st.session_state.get(f"active_{kind}") is not None]


def back_to_bundled() -> None:
    """Forget every upload and shared dataset of this session and use the bundled data again."""
    for kind in ("usage", "figures", "catalogue"):
        st.session_state.pop(f"active_{kind}", None)
    for key in ("_demo_with_catalogue", "_shared"):
        st.session_state.pop(key, None)


# --- the upload flow (state kept in this session only) -------------------------------------------------------


class _ProgressBar:
    """A progress bar that appears only while long work runs."""

    def __init__(self) -> None:
        self.slot = st.empty()

    def __call__(self, fraction: float, label: str) -> None:
        self.slot.progress(min(max(fraction, 0.0), 1.0), text=label)

    def done(self) -> None:
        self.slot.empty()


def forget_upload() -> None:
    """Drop the file being checked (not the data already in use)."""
    for key in ("_upload_read", "_upload_check", "_upload_digest", "_upload_detected"):
        st.session_state.pop(key, None)


def upload_digest(file_id: str, data: bytes) -> str:
    """The fingerprint of the uploaded file, computed once per upload (hashing 100 MB takes a tenth of a second)."""
    kept = st.session_state.get("_upload_digest")
    if kept is None or kept[0] != file_id:
        kept = (file_id, uploads.file_hash(data))
        st.session_state["_upload_digest"] = kept
    return kept[1]


def read_upload(
    data: bytes, name: str, digest: str, sheet: str | None, encoding: str | None = None
) -> ingest.ReadTable:
    """Step 1 of an upload, read once per file, sheet and encoding and kept in this session."""
    key = (digest, sheet, encoding)
    kept = st.session_state.get("_upload_read")
    if kept is None or kept["key"] != key:
        bar = _ProgressBar()
        with friendly_errors("reading the file"):
            read = ingest.read_table(
                data, filename=name, sheet=sheet, encoding=encoding, progress=bar, limits=Limits.from_env()
            )
        bar.done()
        kept = {"key": key, "read": read}
        st.session_state["_upload_read"] = kept
        st.session_state.pop("_upload_check", None)
        if sheet is None and encoding is None:
            st.session_state["_upload_detected"] = (digest, read.report)
    return kept["read"]


def upload_detected(data: bytes, name: str, digest: str) -> ingest.IngestReport:
    """What the first reading of a file found (its sheets, its encoding), kept while the file stays the same, so
    that choosing another sheet or encoding does not read the file twice on every rerun."""
    kept = st.session_state.get("_upload_detected")
    if kept is None or kept[0] != digest:
        return read_upload(data, name, digest, None).report
    return kept[1]


def check_upload(
    read: ingest.ReadTable, digest: str, kind: str, mapping: Mapping[str, str | None], values: Mapping[str, str]
) -> ingest.IngestResult:
    """Steps 3-4 of an upload: the file checked with this mapping (recomputed only when something changed)."""
    key = (
        digest,
        read.report.sheet,
        kind,
        tuple(sorted(mapping.items(), key=str)),
        tuple(sorted(values.items())),
        catalogue_key(),
    )
    kept = st.session_state.get("_upload_check")
    if kept is None or kept["key"] != key:
        bar = _ProgressBar()
        with friendly_errors("checking the file"):
            result = ingest.ingest_table(
                read,
                kind=kind,
                catalogue=catalogue() if kind != "instruments" else None,
                mapping=mapping,
                constants=values,
                progress=bar,
            )
        bar.done()
        kept = {"key": key, "result": result}
        st.session_state["_upload_check"] = kept
    return kept["result"]


def use_upload(result: ingest.IngestResult, name: str, digest: str, kind: str, mode: str = "extend") -> None:
    """Step 5: make the valid rows of a checked upload active on every page of this session."""
    if kind == "usage":
        activate("usage", uploads.usage_dataset(result, name, digest, catalogue(), catalogue_key()))
    elif kind == "figures":
        activate(
            "figures",
            {"frame": result.frame, "label": f"Uploaded: {name}", "key": f"upload:{digest}", "digest": digest},
        )
    else:
        merged = uploads.merged_catalogue(bundle().instruments, result.frame, mode)
        activate(
            "catalogue",
            {
                "frame": merged,
                "label": f"Uploaded ({mode}): {name}",
                "key": f"upload:{digest}:{mode}",
                "digest": digest,
            },
        )


def upload_is_active(digest: str, kind: str) -> bool:
    """True when the upload with this fingerprint is the session's active data of its kind."""
    shared = st.session_state.get("_shared")
    if shared and shared.get("digest") == digest and shared["kind"] == kind:
        return True
    slot = {"usage": "active_usage", "figures": "active_figures", "instruments": "active_catalogue"}[kind]
    active = st.session_state.get(slot)
    if active is None:
        return False
    key = active.key if isinstance(active, datasets.Dataset) else active["key"]
    return key.startswith(f"upload:{digest}")


def synthetic_badge(dataset: datasets.Dataset) -> None:
    """A visible 'SYNTHETIC demo data' badge when the dataset is synthetic."""
    if dataset.synthetic:
        st.badge("SYNTHETIC demo data", icon=":material/science:", color="orange", help=SYNTHETIC_NOTICE)


def sidebar_active_data() -> None:
    """Sidebar box: which data is active (file name, rows, kind), with one click back to the bundled data."""
    dataset = active_usage()
    with st.sidebar.container(border=True):
        st.caption("Active data")
        st.markdown(f"**{md(dataset.label)}**", help=SYNTHETIC_NOTICE if dataset.synthetic else None)
        st.caption(f"{md(dataset.file_name)} · {dataset.rows:,} rows · {dataset.kind}")
        if dataset.synthetic:
            st.badge("SYNTHETIC", icon=":material/science:", color="orange")
        for kind in ("catalogue", "figures"):
            active = st.session_state.get(f"active_{kind}")
            if active:
                st.caption(f"{kind.capitalize()}: {md(active['label'])} · {len(active['frame']):,} rows")
        shared = st.session_state.get("_shared")
        if shared:
            st.caption(
                f"Shared dataset (read-only) · saved {shared['created_at']:%d %b %Y} · expires "
                f"{shared['expires_at']:%d %b %Y}"
            )
        if uploads_active():
            st.button(
                "Switch back to the bundled data",
                icon=":material/restart_alt:",
                on_click=back_to_bundled,
                key="back-to-bundled",
                width="stretch",
            )


def source_caption(text: str) -> None:
    """The source line under a chart."""
    st.caption(f"Source: {md(text)}")


def data_behind(frame: pd.DataFrame, name: str, key: str) -> None:
    """An expander with the exact table behind a chart and a CSV download of it.

    Its content is drawn only once it is opened: the table widget's code is the largest part of a page, and
    leaving it out until asked for lets the first chart appear sooner.
    """
    behind = st.expander("Data behind this chart", icon=":material/table:", key=f"behind-{key}", on_change="rerun")
    if not behind.open:
        return
    with behind:
        st.dataframe(frame, hide_index=True)
        st.download_button(
            "Download CSV",
            to_csv_bytes(frame),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"download-{key}",
            icon=":material/download:",
            on_click="ignore",
        )


@st.cache_data(show_spinner=False)
def _template_csv(kind: str) -> bytes:
    """An example file of `kind` (from the bundled data, so the same for everyone)."""
    return to_csv_bytes(datasets.template_frame(kind, bundle()))


def template_buttons(kinds: Sequence[str], label: str, key: str) -> None:
    """A row of download buttons, one example file per kind (`label` may use {kind})."""
    with st.container(horizontal=True):
        for kind in kinds:
            st.download_button(
                label.format(kind=kind),
                _template_csv(kind),
                f"template-{kind}.csv",
                "text/csv",
                on_click="ignore",
                icon=":material/download:",
                key=f"{key}-template-{kind}",
            )


@contextlib.contextmanager
def friendly_errors(what: str) -> Iterator[None]:
    """Show a plain message instead of a traceback if anything inside fails; log the details for maintainers."""
    try:
        yield
    except datasets.BundledDataError as error:
        LOG.exception("bundled data failed validation")
        st.error(
            f"The bundled data could not be loaded ({error}). This is a bug in the dashboard; please report it.",
            icon=":material/error:",
        )
        st.stop()
    except Exception:  # the one place where anything is caught, so a user never sees a traceback
        LOG.exception("unexpected error while %s", what)
        st.error(
            f"Something went wrong while {what}. The error has been logged. Try again, or change the "
            "filters; if it keeps happening, please report it.",
            icon=":material/error:",
        )
        st.stop()


# --- links and shareable state ------------------------------------------------------------------------------


def raw_query() -> dict[str, list[str]]:
    """The query parameters of the URL as they arrived (repeatable keys as lists)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


@st.cache_resource(show_spinner=False)
def _report_unread_links() -> tuple[int, int] | None:
    """Make Streamlit tell the page about a link it does not read; returns its limits (parameters, characters).

    Streamlit reads no parameter at all of a query string above its limits (1,000 parameters or 512Ki characters)
    and only logs a warning. Its check, `sanitize_query_string`, is wrapped here (once per server process) so that
    such a query string reaches the page as the one parameter `state.UNREAD_LINK`, holding its size. This is not
    a public API: if Streamlit changes, links are still ignored as before and a warning is logged once.
    """
    try:
        from streamlit.runtime import app_session
        from streamlit.runtime.state import query_params

        check = query_params.sanitize_query_string
        check = getattr(check, "wrapped", check)  # cleared caches run this again: wrap Streamlit's check only once
        limits = query_params.CLIENT_STATE_QUERY_STRING_MAX_FIELDS, query_params.CLIENT_STATE_QUERY_STRING_MAX_LENGTH
        if getattr(app_session.sanitize_query_string, "wrapped", app_session.sanitize_query_string) is not check:
            raise AttributeError("app_session no longer uses query_params.sanitize_query_string")
    except (ImportError, AttributeError):
        LOG.warning("cannot report links Streamlit ignores for their size: Streamlit's query parameters changed")
        return None

    def sanitize(query_string: str) -> str:
        kept = check(query_string)
        return state.unread_link_query(query_string) if query_string and not kept else kept

    sanitize.wrapped = check  # type: ignore[attr-defined]
    query_params.sanitize_query_string = sanitize
    app_session.sanitize_query_string = sanitize
    return limits


def note_unread_link() -> None:
    """A note on the page when the link was too long for Streamlit to read any of it."""
    limits = _report_unread_links()
    note = state.unread_link_note(st.query_params.get(state.UNREAD_LINK, ""), *limits) if limits else None
    if note:
        st.warning(note, icon=":material/link_off:")


def _put_in_order(ranges: Sequence[state.Reversed]) -> bool:
    """Write ranges in order into the URL, unless a widget owns them already (it then has its own value)."""
    try:
        for found in ranges:
            st.query_params[found.key] = [str(v) for v in found.value]
    except st.errors.StreamlitAPIException:
        return False
    return True


def read_link(page: str, options: Mapping[str, Sequence[Any]]) -> None:
    """Name in a note what the URL holds for `page` that cannot be used (the widgets read the rest); never an error."""
    reversed_ranges = state.reversed_ranges(raw_query(), page, options)
    if reversed_ranges and _put_in_order(reversed_ranges):
        st.session_state["_read_in_order"] = reversed_ranges
        st.rerun()  # the widgets take their value from the link only on their first run: let them see it in order
    reversed_ranges = reversed_ranges or st.session_state.pop("_read_in_order", [])
    if reversed_ranges:
        st.info(
            "This link gives a range last value first; it is read in order: "
            + "; ".join(md(str(r)) for r in reversed_ranges)
            + ".",
            icon=":material/swap_horiz:",
        )
    _, dropped = state.clean(raw_query(), page, options)
    if dropped:
        st.info(
            "Some settings in this link could not be used and were left out: "
            + "; ".join(md(d) for d in dropped[:8])
            + ("…" if len(dropped) > 8 else "")
            + ". The rest of the view is as shared.",
            icon=":material/link_off:",
        )


def multi_filter(
    label: str, key: str, options: Sequence[str], names: Mapping[str, str] | None = None, help: str | None = None
) -> list[str]:
    """A sidebar multiselect bound to the query parameter `key` (empty = no restriction)."""
    chosen = st.sidebar.multiselect(label, list(options), key=key, bind="query-params", placeholder="All", help=help)
    if names and chosen:
        st.sidebar.caption(", ".join(md(names.get(code, code)) for code in chosen))
    return chosen


def year_filter(first: int, last: int) -> tuple[int, int]:
    """The sidebar's year range, bound to the query parameter `years`, first year first.

    Data with a single year gets a line of text: a slider needs two different ends.
    """
    if first == last:
        st.sidebar.caption(f"Years: {first} (the only year in this data)")
        return first, last
    low, high = st.sidebar.slider("Years", first, last, (first, last), key="years", bind="query-params")
    return min(low, high), max(low, high)


def current_values(page: str) -> dict[str, Any]:
    """The page's parameters as the widgets hold them now (after this run's widgets were drawn)."""
    values: dict[str, Any] = {}
    for param in state.PAGE_PARAMS[page]:
        value = st.session_state.get(param.key, param.default)
        if param.kind == "range" and value is not None:
            value = (int(min(value)), int(max(value)))  # a link may give the last year first
        values[param.key] = value
    return values


def base_url() -> str:
    """The URL of the current page as the browser sees it (empty when there is no browser, e.g. in tests)."""
    try:
        return st.context.url or ""
    except Exception:  # noqa: BLE001 - no request context outside a browser session
        return ""


def share_control(page: str, values: Mapping[str, Any], names: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """A 'Share this view' popover with a link that writes every value and a citation. Returns the link."""
    extra = {"dataset": shared_id()} if shared_id() else {}
    query = state.share_query(page, values, extra)
    link = _link(PAGE_PATHS[page], query)
    described = state.describe(page, values, names)
    with st.popover("Share this view", icon=":material/share:"):
        st.markdown(
            "This link opens the dashboard with exactly these settings (every value written out, "
            "`v=1` marks the link version):"
        )
        st.code(link, language=None, wrap_lines=True)
        st.caption(md(described))
        if active_usage().origin == "upload" and not shared_id():
            st.warning(
                "This view shows your unsaved upload: the link opens it on the bundled data. Save the upload "
                "on the Upload page to share it.",
                icon=":material/lock:",
            )
        st.markdown("**Cite this view**")
        st.code(
            f"SSE Finance Dashboard. {described} {link} (accessed {dt.date.today().isoformat()}).",
            language=None,
            wrap_lines=True,
        )
    return link


# --- charts -------------------------------------------------------------------------------------------------


def chart(figure: go.Figure, table: pd.DataFrame, name: str, source: str, key: str, alt: str = "") -> None:
    """A Plotly chart, its source underneath, and the data behind it one click away."""
    st.plotly_chart(figure, config=PLOTLY_CONFIG, key=f"chart-{key}", alt=alt or figure.layout.title.text)
    source_caption(source)
    data_behind(table, name, key)


def empty_state(message: str, hint: str) -> None:
    """What to show when the filters leave nothing."""
    st.info(f"**{message}** {hint}", icon=":material/filter_alt_off:")


def _shared(dataset: datasets.Dataset) -> bool:
    """True for data every visitor has (the bundled files); only their derived tables may use global caches."""
    return dataset.origin == "bundled" and catalogue_key() == BUNDLED


def _view(
    dataset_key: str,
    chosen: t.UsageFilter,
    view: str,
    settings: views.ViewSettings,
    source: str,
    _usage: pd.DataFrame,
    _catalogue: pd.DataFrame,
) -> views.ViewResult:
    return views.usage_view(t.filter_usage(_usage, chosen), _catalogue, view, settings, source)


def _counts(dataset_key: str, chosen: t.UsageFilter, _usage: pd.DataFrame) -> tuple[int, int]:
    rows = t.filter_usage(_usage, chosen)
    return len(rows), t.distinct(rows["org_id"])


def _options(dataset_key: str, _usage: pd.DataFrame, _catalogue: pd.DataFrame) -> dict[str, list]:
    return views.usage_options(_usage, _catalogue)


# The same functions cached twice: globally for the bundled data, per session (freed when it ends) for uploads.
_CACHED = {
    True: {
        "view": st.cache_data(_view, max_entries=256, show_spinner=False),
        "counts": st.cache_data(_counts, max_entries=64, show_spinner=False),
        "options": st.cache_data(_options, max_entries=8, show_spinner=False),
    },
    False: {
        "view": st.cache_data(_view, max_entries=64, show_spinner=False, scope="session"),
        "counts": st.cache_data(_counts, max_entries=32, show_spinner=False, scope="session"),
        "options": st.cache_data(_options, max_entries=4, show_spinner=False, scope="session"),
    },
}


def usage_view(
    dataset: datasets.Dataset, chosen: t.UsageFilter, view: str, settings: views.ViewSettings, source: str
) -> views.ViewResult:
    """A usage view, cached on small keys: the dataset's key, the filter and the settings."""
    cached = _CACHED[_shared(dataset)]["view"]
    return cached(dataset.key, chosen, view, settings, source, dataset.frame, catalogue())


def filtered_counts(dataset: datasets.Dataset, chosen: t.UsageFilter) -> tuple[int, int]:
    """Records and organisations left by a filter."""
    return _CACHED[_shared(dataset)]["counts"](dataset.key, chosen, dataset.frame)


def usage_options(dataset: datasets.Dataset) -> dict[str, list]:
    """Valid values of the usage page's parameters for a dataset (computed once per dataset)."""
    return _CACHED[_shared(dataset)]["options"](dataset.key, dataset.frame, catalogue())


# --- saved datasets and share links over them ----------------------------------------------------------------


def _secret(name: str) -> str | None:
    try:
        value = st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        return None
    return str(value) if value else None


@st.cache_resource(show_spinner=False)
def dataset_store() -> store.DatasetStore:
    """The store of saved datasets: $SSE_DASH_DATABASE_URL, else the `database_url` secret, else SQLite."""
    return store.DatasetStore(os.environ.get("SSE_DASH_DATABASE_URL") or _secret("database_url") or None)


@st.cache_data(ttl=10, show_spinner=False)
def store_available() -> bool:
    """Whether saved datasets can be saved and opened right now (asked at most every 10 seconds)."""
    answer = dataset_store().available()
    if not answer:
        LOG.warning("the dataset store is not reachable")
    return answer


UNAVAILABLE = (
    "Saving and opening shared datasets is unavailable right now: the database is not reachable. Everything else "
    "works, and your upload stays usable in this tab; try again in a minute."
)


def shared_id() -> str | None:
    """The id of the saved dataset this session shows, if any."""
    shared = st.session_state.get("_shared")
    return shared["id"] if shared else None


def _activate_stored(stored: store.Stored) -> None:
    back_to_bundled()
    if stored.kind == "usage":
        if stored.catalogue is not None:
            activate(
                "catalogue",
                {"frame": stored.catalogue, "label": "Shared with the dataset", "key": f"saved:{stored.id}"},
            )
        report = ingest.IngestReport(kind="usage", filename=stored.file_name, rows=stored.rows, valid_rows=stored.rows)
        activate(
            "usage",
            uploads.read_against(
                datasets.Dataset(
                    "usage",
                    stored.frame,
                    report,
                    "Shared dataset",
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
            "figures", {"frame": stored.frame, "label": f"Shared: {stored.file_name}", "key": f"saved:{stored.id}"}
        )
    else:
        merged = uploads.merged_catalogue(bundle().instruments, stored.frame, stored.meta.get("mode", "extend"))
        activate("catalogue", {"frame": merged, "label": f"Shared: {stored.file_name}", "key": f"saved:{stored.id}"})
    st.session_state["_shared"] = {
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
    if st.session_state.get("_shared_failed", {}).get("id") == wanted:
        st.warning(st.session_state["_shared_failed"]["message"], icon=":material/link_off:")
        return
    try:
        with st.spinner("Opening the shared dataset…"):
            stored = dataset_store().load(wanted)
    except store.DatasetGone as gone:
        back_to_bundled()
        message = f"{store.gone_message(gone)} The bundled data is shown instead."
        st.session_state["_shared_failed"] = {"id": wanted, "message": message}
        st.warning(message, icon=":material/link_off:")
        return
    except store.StoreUnavailable:
        LOG.exception("opening shared dataset %s", wanted)
        store_available.clear()
        st.warning(
            "Shared datasets cannot be opened right now (the database is not reachable). The bundled data is "
            "shown; reload the page in a moment to try again.",
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


def _link(path: str, query: str) -> str:
    """The full link to a page of this app with a query (a relative one when the app's address is unknown)."""
    return state.share_url(base_url(), path, query, PAGE_PATHS.values()) if base_url() else f"/{path}?{query}"


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
    try:
        saved = dataset_store().save(kind, result.frame, name, meta, catalogue=with_catalogue)
        _activate_stored(dataset_store().load(saved.id))
    except store.StoreFull as full:
        st.error(
            f"The dashboard's storage for shared datasets is full ({full}). Saving is not possible right now; "
            "your upload still works in this tab.",
            icon=":material/storage:",
        )
        return
    except store.StoreUnavailable:
        LOG.exception("saving a dataset")
        store_available.clear()
        st.error(
            "Saving is unavailable right now (the database is not reachable). Your upload still works in this "
            "tab; try saving again in a moment.",
            icon=":material/cloud_off:",
        )
        return
    link = _link(PAGE_PATHS[kind], urlencode({"v": state.VERSION, "dataset": saved.id}))  # kinds are page names
    st.session_state["_just_saved"] = {
        "id": saved.id,
        "token": saved.delete_token,
        "link": link,
        "expires_at": saved.expires_at,
        "kind": kind,
    }


def show_saved_link(kind: str) -> None:
    """The link and the delete token of the dataset just saved (the token is shown this once)."""
    saved = st.session_state.get("_just_saved")
    if not saved or saved["kind"] != kind:
        return
    st.success(
        f"Saved until {saved['expires_at']:%d %B %Y}. Anyone with this link sees the same data:", icon=":material/link:"
    )
    st.code(saved["link"], language=None, wrap_lines=True)
    st.markdown(
        "**Delete token** — keep it somewhere safe: it is shown only now, and it is the only way to delete "
        "the dataset before it expires."
    )
    st.code(saved["token"], language=None)
    st.caption("The Share this view button on every page now adds this dataset to its links.")


def delete_shared(link_or_id: str, token: str) -> tuple[store.DeleteOutcome, str]:
    """Delete a saved dataset from a link (or id) and its token; returns the outcome and what to tell the user."""
    text = link_or_id.strip()
    dataset_id = parse_qs(urlsplit(text).query).get("dataset", [text])[0] if "dataset=" in text else text
    if not dataset_id or not token.strip():
        return store.DeleteOutcome.INCOMPLETE, "Give both the link (or id) and the delete token."
    try:
        delete_saved(dataset_id, token)
    except store.WrongToken:
        return (
            store.DeleteOutcome.WRONG_TOKEN,
            "This delete token does not belong to that dataset. Check that you pasted the right one.",
        )
    except store.DatasetGone as gone:
        return store.DeleteOutcome.GONE, store.gone_message(gone)
    except store.StoreUnavailable:
        return (
            store.DeleteOutcome.UNAVAILABLE,
            "Deleting is unavailable right now (the database is not reachable). Try again in a moment.",
        )
    st.session_state.pop("_just_saved", None)
    return store.DeleteOutcome.DELETED, "Deleted. Its link now says that the dataset was deleted."
