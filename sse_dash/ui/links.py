"""Links: what a link asks for (read into the widgets, with a note on what cannot be used) and the share control.

The parameters themselves, their defaults and how they are read and written are `sse_dash.state`, the URL's public
interface; this module is its Streamlit side.

Widgets show words and links keep codes. Streamlit's `bind="query-params"` writes a widget's *label* to the URL
when the widget has a `format_func` (`?mix_by=Life+stage`) and ignores a code there; so choice widgets are drawn
through `linked`, which reads the link's codes into the session state before the widget and writes the chosen
codes back after it (a value equal to the widget's default is left out of the URL, as `bind` does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from sse_dash import i18n, state
from sse_dash.i18n import _
from sse_dash.text import md
from sse_dash.ui.runtime import report_unread_links
from sse_dash.ui.session import LINK_WRITTEN, READ_IN_ORDER, active_usage, shared_id

PAGE_PATHS = {
    "overview": "",
    "finder": "finder",
    "instruments": "instruments",
    "figures": "figures",
    "country": "country",
    "usage": "usage",
    "upload": "upload",
    "about": "about",
}


def raw_query() -> dict[str, list[str]]:
    """The query parameters of the URL as they arrived (repeatable keys as lists)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def note_unread_link() -> None:
    """A note on the page when the link was too long for Streamlit to read any of it."""
    limits = report_unread_links()
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
        st.session_state[READ_IN_ORDER] = reversed_ranges
        st.rerun()  # the widgets take their value from the link only on their first run: let them see it in order
    reversed_ranges = reversed_ranges or st.session_state.pop(READ_IN_ORDER, [])
    if reversed_ranges:
        st.info(
            _("This link gives a range last value first; it is read in order: {ranges}.").format(
                ranges="; ".join(md(str(r)) for r in reversed_ranges)
            ),
            icon=":material/swap_horiz:",
        )
    dropped = state.clean(raw_query(), page, options)[1]
    if dropped:
        st.info(
            _(
                "Some settings in this link could not be used and were left out: {settings}. The rest of the view is as shared."
            ).format(settings="; ".join(md(d) for d in dropped[:8]) + ("…" if len(dropped) > 8 else "")),
            icon=":material/link_off:",
        )


def _link_value(key: str, options: Sequence[Any], default: Any, multi: bool) -> Any:
    """The value the URL gives a widget (codes among `options`), or its default."""
    given = [v for v in st.query_params.get_all(key) if v != ""]
    allowed = {str(o): o for o in options}
    if multi:
        chosen = [allowed[v] for v in dict.fromkeys(given) if v in allowed]
        return chosen if given else list(default)
    return allowed[given[-1]] if given and given[-1] in allowed else default


def _still_valid(held: Any, options: Sequence[Any], default: Any, multi: bool) -> Any:
    """What a widget keeps when its options changed under it: the chosen values still offered, else its default.

    The link is not read again here: it holds what this page wrote for the old options (`series=World` after
    the indicator changed), and reading it would leave the widget empty.
    """
    kept = [v for v in held if v in options] if multi and isinstance(held, list | tuple) else []
    return kept or (list(default) if multi else default)


def _valid(value: Any, options: Sequence[Any], multi: bool) -> bool:
    if multi:
        return isinstance(value, list | tuple) and all(v in options for v in value)
    return value in options


def linked(
    widget: Callable[..., Any],
    label: str,
    options: Sequence[Any],
    *,
    key: str,
    page: str,
    format_func: Callable[[Any], str],
    default: Any = None,
    multi: bool = False,
    **kwargs: Any,
) -> Any:
    """A choice widget (`st.selectbox`, `st.multiselect`, `st.segmented_control`, `st.pills`, on any container)
    that shows words (`format_func`) while its query parameter `key` holds codes.

    The link is read when it changed since this page last wrote it (a new link, a page switch) or when the widget
    has no value yet. When the value held is no longer among `options` (another widget changed them, or it is
    another page's widget of the same key), the widget keeps the chosen values still offered, else its default.
    """
    options = list(options)
    if default is None:
        default = [] if multi else (state.default(page, key) if state.default(page, key) in options else options[0])
    written = st.session_state.setdefault(LINK_WRITTEN, {})
    in_url = tuple(st.query_params.get_all(key))
    held = st.session_state.get(key)
    if written.get((page, key)) != in_url or key not in st.session_state:
        st.session_state[key] = _link_value(key, options, default, multi)
    elif not _valid(held, options, multi):  # another widget changed the options: the link is this page's own
        st.session_state[key] = _still_valid(held, options, default, multi)
    value = widget(label, options, key=key, format_func=i18n.bound(format_func), **kwargs)
    codes = tuple(str(v) for v in (value or [])) if multi else (() if value in (None, "") else (str(value),))
    is_default = (list(value or []) if multi else value) == (list(default) if multi else default)
    if codes != tuple(st.query_params.get_all(key)):
        if is_default and key in st.query_params:
            del st.query_params[key]
        elif not is_default:
            st.query_params[key] = list(codes)
    written[(page, key)] = tuple(st.query_params.get_all(key))
    return value


def linked_tabs(codes: Sequence[str], labels: Mapping[str, str], *, key: str, page: str) -> tuple[str, list[Any]]:
    """Tabs that show words (`labels`, translated) while the query parameter `key` holds the open tab's code.

    Returns the open tab's code and the tab containers; only the open one runs (`on_change="rerun"`). The widget's
    own key holds a label, which changes with the language, so the code is kept under `key` and the label is set
    from it before the tabs are drawn.
    """
    codes = list(codes)
    default = state.default(page, key) if state.default(page, key) in codes else codes[0]
    written = st.session_state.setdefault(LINK_WRITTEN, {})
    in_url = tuple(st.query_params.get_all(key))
    shown = [_(labels[c]) for c in codes]
    tab_key = f"{key}__tab"
    if written.get((page, key)) != in_url or st.session_state.get(key) not in codes:
        st.session_state[key] = _link_value(key, codes, default, multi=False)  # a new link or a page switch
    elif st.session_state.get(tab_key) in shown:
        st.session_state[key] = codes[shown.index(st.session_state[tab_key])]  # a click on a tab
    st.session_state[tab_key] = shown[codes.index(st.session_state[key])]  # also after a change of language
    tabs = st.tabs(shown, key=tab_key, on_change="rerun")
    code = st.session_state[key]
    if code == default:
        if key in st.query_params:
            del st.query_params[key]
    elif tuple(st.query_params.get_all(key)) != (code,):
        st.query_params[key] = code
    written[(page, key)] = tuple(st.query_params.get_all(key))
    return code, list(tabs)


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
    extra = {"lang": i18n.language(), **({"dataset": shared_id()} if shared_id() else {})}
    query = state.share_query(page, values, extra)
    link = link_to(PAGE_PATHS[page], query)
    described = state.describe(page, values, names)
    with st.popover(_("Share this view"), icon=":material/share:"):
        st.markdown(
            _(
                "This link opens the dashboard with exactly these settings (every value written out, "
                "`v=1` marks the link version):"
            )
        )
        st.code(link, language=None, wrap_lines=True)
        st.caption(md(described))
        if active_usage().origin == "upload" and not shared_id():
            st.warning(
                _(
                    "This view shows your unsaved upload: the link opens it on the bundled data. Save the upload "
                    "on the Upload page to share it."
                ),
                icon=":material/lock:",
            )
        st.markdown(_("**Cite this view**"))
        st.code(
            _("SSE Finance Dashboard. {view} {link} (accessed {date}).").format(
                view=described, link=link, date=dt.date.today().isoformat()
            ),
            language=None,
            wrap_lines=True,
        )
    return link


def link_to(path: str, query: str) -> str:
    """The full link to a page of this app with a query (a relative one when the app's address is unknown)."""
    return state.share_url(base_url(), path, query, PAGE_PATHS.values()) if base_url() else f"/{path}?{query}"
