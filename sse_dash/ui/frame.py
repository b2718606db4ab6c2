"""What every page has around it: the check that app.py's navigation is in place, and the shared sidebar."""

from __future__ import annotations

import threading

import streamlit as st

from sse_dash import datasets, i18n, schema
from sse_dash.demo import SYNTHETIC_NOTICE
from sse_dash.i18n import _
from sse_dash.text import md
from sse_dash.ui.caching import AWAY, usage_rows
from sse_dash.ui.language import language_selector, start_language
from sse_dash.ui.links import note_unread_link
from sse_dash.ui.runtime import start_sweeper, use_navigation_mode
from sse_dash.ui.saved import open_shared_dataset
from sse_dash.ui.session import (
    APP_SEEN,
    active,
    active_usage,
    back_to_bundled,
    database_usage,
    saved_dataset,
    uploads_active,
)

APP_TITLE = "SSE Finance Dashboard"

# Whether app.py ran in this script run (thread-local: every session runs its scripts in its own thread).
_RUN = threading.local()


def mark_app_run() -> None:
    """Called by app.py at the start of every run: the page knows the navigation and sidebar are in place."""
    _RUN.app = True
    st.session_state[APP_SEEN] = True
    start_language()
    start_sweeper()


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
    if not st.session_state.get(APP_SEEN):
        st.session_state[APP_SEEN] = True
        use_navigation_mode()
        st.rerun()
    start_language()
    note_unread_link()
    open_shared_dataset()
    sidebar_active_data()


def sidebar_active_data() -> None:
    """Sidebar box: which data is active (file name, rows, kind), with one click back to the bundled data."""
    language_selector()
    dataset = active_usage()
    with st.sidebar.container(border=True):
        st.caption(_("Active data"))
        if dataset.origin == "database":
            database_table(dataset)
        else:  # a file: bundled, uploaded or shared (a large one is read in place: its rows counted by the engine)
            rows = dataset.rows if dataset.frame is not None else (usage_rows(dataset) or 0)
            st.markdown(f"**{md(dataset.shown_label())}**", help=_(SYNTHETIC_NOTICE) if dataset.synthetic else None)
            st.caption(
                i18n.ngettext("{file} · {count} row · {kind}", "{file} · {count} rows · {kind}", rows).format(
                    file=md(dataset.file_name),
                    count=i18n.number(rows),
                    kind=_(schema.KIND_LABELS.get(dataset.kind, dataset.kind)),
                )
            )
        if dataset.synthetic:
            st.badge(_("SYNTHETIC"), icon=":material/science:", color="orange")
        for kind in ("catalogue", "figures"):
            replaced = active(kind)
            if replaced:
                text = (
                    _("Catalogue: {label} · {count} rows")
                    if kind == "catalogue"
                    else _("Published figures: {label} · {count} rows")
                )
                st.caption(text.format(label=md(replaced.label), count=i18n.number(len(replaced.frame))))
        saved = saved_dataset()
        if saved:
            st.caption(
                _("Shared dataset (read-only) · saved {saved} · expires {expires}").format(
                    saved=i18n.date(saved["created_at"]), expires=i18n.date(saved["expires_at"])
                )
            )
        if uploads_active():
            st.button(
                _("Switch back to the database table and the bundled data")
                if database_usage() is not None
                else _("Switch back to the bundled data"),
                icon=":material/restart_alt:",
                on_click=back_to_bundled,
                key="back-to-bundled",
                width="stretch",
            )


def database_table(dataset: datasets.Dataset) -> None:
    """The deployment's usage table in the sidebar box: its name and rows (counted by its engine), or that its
    database cannot be reached right now."""
    rows = usage_rows(dataset)
    if rows is None:
        st.markdown(f"**{md(dataset.shown_label())}**")
        st.caption(f":material/cloud_off: {_(AWAY)}")
        return
    shown = i18n.ngettext(
        "Database table: {table} · {count} row", "Database table: {table} · {count} rows", rows
    ).format(table=md(dataset.label), count=i18n.number(rows))
    st.markdown(f"**{shown}**")
    st.caption(_("Read in place by {engine}: only totals leave the database.").format(engine=dataset.file_name))
