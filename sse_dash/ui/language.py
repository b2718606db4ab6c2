"""The language of each script run: from the link's `lang`, else the session's choice, else the browser's; the
language selector in the sidebar; right-to-left layout for Persian.

`start_language` runs first in every script run (app.py's `mark_app_run`, or `require_app` when a page runs alone)
and sets `sse_dash.i18n`'s language for everything drawn after it.
"""

from __future__ import annotations

import streamlit as st

from sse_dash import i18n
from sse_dash.i18n import _
from sse_dash.ui.session import LANGUAGE, LANGUAGE_WRITTEN

# Right to left on every page: text, tables, the sidebar's content, chart text (Plotly figures are mirrored by
# `ui.chart`). The page's frame stays as it is, so the sidebar opens and closes on a phone as it does in English.
RTL_CSS = """<style>
[data-testid="stMainBlockContainer"], [data-testid="stSidebarUserContent"], [data-testid="stSidebarNav"],
[data-testid="stMarkdownContainer"], [data-testid="stWidgetLabel"], [data-testid="stCaptionContainer"],
[data-testid="stAlert"], [data-testid="stExpander"], [data-testid="stTable"], [data-testid="stTabs"],
[data-testid="stDataFrame"] { direction: rtl; text-align: right; }
code, pre, [data-testid="stCode"] { direction: ltr; text-align: left; }
</style>"""


def browser_locale() -> str | None:
    """The browser's preferred language ('fr-FR'), or None outside a browser session."""
    try:
        return st.context.locale
    except Exception:  # noqa: BLE001 - no request context outside a browser session
        return None


def start_language() -> str:
    """Set this run's language (the link's `lang` when it changed, else the session's, else the browser's)."""
    asked = st.query_params.get("lang")
    if asked in i18n.LANGUAGES and asked != st.session_state.get(LANGUAGE_WRITTEN):
        st.session_state[LANGUAGE] = asked
        st.session_state[LANGUAGE_WRITTEN] = asked
    held = st.session_state.get(LANGUAGE)
    code = i18n.use_language(held if held in i18n.LANGUAGES else i18n.best_language(None, browser_locale()))
    st.session_state[LANGUAGE] = code
    if i18n.is_rtl(code):
        st.html(RTL_CSS)
    return code


def _chosen() -> None:
    code = st.session_state.get(LANGUAGE, i18n.DEFAULT)
    st.query_params["lang"] = code  # a link copied from the address bar keeps the language
    st.session_state[LANGUAGE_WRITTEN] = code


def language_selector() -> None:
    """The sidebar's language selector, each language in its own name."""
    st.sidebar.selectbox(
        _("Language"),
        list(i18n.LANGUAGES),
        key=LANGUAGE,
        format_func=lambda code: i18n.LANGUAGES[code].name,
        on_change=_chosen,
    )
