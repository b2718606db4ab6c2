"""Showing data as text: nothing a data file contains is ever interpreted as Markdown, HTML or a link."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from sse_dash.i18n import _, bound

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=^&])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# Streamlit rewrites a few sequences in Markdown text ("->" to an arrow, "--" to a dash, ":streamlit:" to its
# logo) after escapes are resolved: an invisible word joiner inside them keeps them as written.
_TYPOGRAPHY = re.compile(r"(?:^|(?<=\s))(<->|->|<-|--|>=|<=|~=)(?=\s|$)|:(?=streamlit:)")
WORD_JOINER = "\u2060"


def _joined(match: re.Match) -> str:
    token = match.group(0)
    return token[0] + WORD_JOINER + token[1:]


def md(value: object) -> str:
    """`value` escaped for Streamlit Markdown: every special character is shown as itself."""
    text = _TYPOGRAPHY.sub(_joined, _CONTROL.sub(" ", "" if value is None else str(value)))
    # A colon is written as an entity: Streamlit turns ":material/...:" and ":emoji:" into icons before Markdown
    # sees the backslash escapes.
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace(":", "&#58;").replace("\n", " ")


def plot_text(value: object) -> str:
    """`value` escaped for Plotly labels, which understand a few HTML tags."""
    return html.escape(_CONTROL.sub(" ", "" if value is None else str(value)), quote=False)


def safe_url(value: object) -> str | None:
    """The URL when it is a plain http(s) address, else None (never a javascript: or data: link)."""
    text = str(value or "").strip()
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc and not re.search(r"[\s<>\"'`]", text):
        return text
    return None


def md_link(title: object, url: object) -> str:
    """A Markdown link when the URL is safe, else the title and the address as plain text."""
    address = safe_url(url)
    if address is None:
        return md(title) + (f" ({md(url)})" if url else "")
    return f"[{md(title)}]({address.replace(')', '%29').replace('(', '%28')})"


def in_words(code: object) -> str:
    """A code written as words, for a code that has no name: 'start_up' -> 'Start up'."""
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def words(names: Mapping[str, str] | Callable[[str], str] | None = None, blank: str = "") -> Callable[[object], str]:
    """A widget's `format_func`: the name of a code (from `names`, a mapping or a function), `blank` for '', in
    the language of the run that made it (`i18n.bound`)."""

    def name(code: object) -> str:
        if code in ("", None):
            return _(blank)
        if callable(names):
            return str(names(str(code)))
        return _(str((names or {}).get(str(code)) or in_words(code)))

    return bound(name)
