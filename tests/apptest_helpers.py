"""Helpers for AppTest page tests: run the real app.py with a page selected and optional query params."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from sse_dash.i18n import LANGUAGES, translations

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = ROOT / "tests" / "data"
PAGE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def run_page(page: str, query: dict[str, str | list[str]] | None = None, timeout: float = 120) -> AppTest:
    """Run app.py, switch to `page` (a path like 'pages/usage.py') with the given query params."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page)
        at.run()
    return at


def texts(at: AppTest) -> str:
    """All markdown, captions, info and warning texts of a run, joined: what a reader would see."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def data_behind(at: AppTest, key: str):
    """Open the 'Data behind this chart' expander of chart `key` (its content is drawn only when open) and
    return the table in it."""
    at.session_state[f"behind-{key}"] = True
    at.run()
    labels = {translations(code).gettext("Data behind this chart") for code in LANGUAGES}  # in any language
    return next(e for e in at.expander if e.label in labels and e.dataframe).dataframe[0].value


def plain(markdown: str) -> str:
    """Text written with `sse_dash.text.md`, as a reader sees it (escapes resolved)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("&#58;", ":").replace("\u2060", "")
