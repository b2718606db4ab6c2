"""The only module of the package that imports Streamlit: cached loaders, the sidebar, shared widgets.

Pages call these helpers so that every page shows data the same way: the synthetic badge, the source caption under
each chart, the data behind each chart one click away, and a friendly error instead of a traceback.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sse_dash import datasets, ingest, state, uploads, views
from sse_dash import transform as t
from sse_dash.demo import SYNTHETIC_NOTICE
from sse_dash.export import to_csv_bytes
from sse_dash.text import md

LOG = logging.getLogger("sse_dash")
APP_TITLE = "SSE Finance Dashboard"
# The world map's outlines are served by the app itself (static/topojson), never fetched from a CDN.
PLOTLY_CONFIG = {
    "topojsonURL": "app/static/topojson/",
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
PAGE_PATHS = {"overview": "", "instruments": "instruments", "figures": "figures", "usage": "usage", "about": "about"}


# Whether app.py ran in this script run (thread-local: every session runs its scripts in its own thread).
_RUN = threading.local()


def mark_app_run() -> None:
    """Called by app.py at the start of every run: the page knows the navigation and sidebar are in place."""
    _RUN.app = True
    st.session_state["_app_seen"] = True


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
        base, _, used = uploaded.key.partition(uploads.CATALOGUE_MARK)
        if used != catalogue_key():  # the catalogue changed after this upload: read the families again
            frame = t.with_catalogue_columns(uploaded.frame, catalogue())
            uploaded = dataclasses.replace(
                uploaded, frame=frame, key=f"{base}{uploads.CATALOGUE_MARK}{catalogue_key()}"
            )
            st.session_state["active_usage"] = uploaded
        return uploaded
    demo = bundle().usage
    if catalogue_key() == BUNDLED:
        return demo
    cached = st.session_state.get("_demo_with_catalogue")
    if cached is None or cached.key != f"{demo.key}:{catalogue_key()}":
        frame = t.with_catalogue_columns(demo.frame, catalogue())
        cached = dataclasses.replace(demo, frame=frame, key=f"{demo.key}:{catalogue_key()}", origin="session")
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
    """Forget every upload of this session and use the bundled data again."""
    for kind in ("usage", "figures", "catalogue"):
        st.session_state.pop(f"active_{kind}", None)
    st.session_state.pop("_demo_with_catalogue", None)


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
    for key in ("_upload_read", "_upload_check"):
        st.session_state.pop(key, None)


def read_upload(data: bytes, name: str, sheet: str | None, encoding: str | None = None) -> ingest.ReadTable:
    """Step 1 of an upload, read once per file, sheet and encoding and kept in this session."""
    key = (uploads.file_hash(data), sheet, encoding)
    kept = st.session_state.get("_upload_read")
    if kept is None or kept["key"] != key:
        bar = _ProgressBar()
        with friendly_errors("reading the file"):
            read = ingest.read_table(data, filename=name, sheet=sheet, encoding=encoding, progress=bar)
        bar.done()
        kept = {"key": key, "read": read}
        st.session_state["_upload_read"] = kept
        st.session_state.pop("_upload_check", None)
    return kept["read"]


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
    """An expander with the exact table behind a chart and a CSV download of it."""
    with st.expander("Data behind this chart", icon=":material/table:"):
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


def template_buttons(kinds: Sequence[str], label: str, key: str) -> None:
    """A row of download buttons, one example file per kind (`label` may use {kind})."""
    with st.container(horizontal=True):
        for kind in kinds:
            st.download_button(
                label.format(kind=kind),
                to_csv_bytes(datasets.template_frame(kind, bundle())),
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


def read_link(page: str, options: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    """Valid values from the URL for `page`; what cannot be used is named in a note, never an error."""
    values, dropped = state.clean(raw_query(), page, options)
    if dropped:
        st.info(
            "Some settings in this link could not be used and were left out: "
            + "; ".join(str(d) for d in dropped[:8])
            + ("…" if len(dropped) > 8 else "")
            + ". The rest of the view is as shared.",
            icon=":material/link_off:",
        )
    return values


def multi_filter(
    label: str, key: str, options: Sequence[str], names: Mapping[str, str] | None = None, help: str | None = None
) -> list[str]:
    """A sidebar multiselect bound to the query parameter `key` (empty = no restriction)."""
    chosen = st.sidebar.multiselect(label, list(options), key=key, bind="query-params", placeholder="All", help=help)
    if names and chosen:
        st.sidebar.caption(", ".join(md(names.get(code, code)) for code in chosen))
    return chosen


def current_values(page: str) -> dict[str, Any]:
    """The page's parameters as the widgets hold them now (after this run's widgets were drawn)."""
    values: dict[str, Any] = {}
    for param in state.PAGE_PARAMS[page]:
        value = st.session_state.get(param.key, param.default)
        if param.kind == "range" and value is not None:
            value = (int(value[0]), int(value[1]))
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
    query = state.share_query(page, values)
    link = (
        state.share_url(base_url() or "/", PAGE_PATHS[page], query) if base_url() else (f"/{PAGE_PATHS[page]}?{query}")
    )
    described = state.describe(page, values, names)
    with st.popover("Share this view", icon=":material/share:"):
        st.markdown(
            "This link opens the dashboard with exactly these settings (every value written out, "
            "`v=1` marks the link version):"
        )
        st.code(link, language=None, wrap_lines=True)
        st.caption(described)
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
    return len(rows), int(rows["org_id"].nunique())


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
