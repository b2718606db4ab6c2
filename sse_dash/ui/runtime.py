"""Workarounds that use Streamlit's private APIs, in one file: if Streamlit changes, this is what to check.

Each workaround degrades to Streamlit's own behaviour when the private API it uses is gone, and logs a warning once:
- the session sweeper releases the memory of ended sessions on time (`release_ended_sessions`);
- a link too long for Streamlit to read reaches the page as one parameter saying so (`report_unread_links`);
- a first visit to a sub-page switches Streamlit to the `st.navigation` mode (`use_navigation_mode`).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import threading

import streamlit as st

from sse_dash import ingest, state
from sse_dash.limits import SESSION_SWEEP_SECONDS

LOG = logging.getLogger("sse_dash")


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
def start_sweeper() -> threading.Thread:
    """The one sweeper thread of this server process; first, the spooled uploads a killed server left behind go."""
    with contextlib.suppress(OSError):
        ingest.clean_spool()
    thread = threading.Thread(target=_sweep_forever, name="sse-dash-session-sweeper", daemon=True)
    thread.start()
    return thread


def use_navigation_mode() -> None:
    """Make Streamlit run pages through `st.navigation` (app.py) instead of its legacy `pages/` mode."""
    with contextlib.suppress(ImportError, AttributeError):  # internal API; without it the page still works
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False


@st.cache_resource(show_spinner=False)
def report_unread_links() -> tuple[int, int] | None:
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
