"""A small catalogue of one language in place of the project's, for tests of text rendered in that language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from languages import in_language

from sse_dash.i18n import translate


def use_catalogue(tmp_path: Path, monkeypatch, code: str, po_text: str) -> Callable[..., Any]:
    """Put `po_text` as the catalogue of `code` (the real ones are set aside by `monkeypatch`) and return a function
    that runs `function(*args, **kwargs)` in that language, in a context of its own (as a script run is)."""
    po = tmp_path / code / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(po_text, encoding="utf-8")
    monkeypatch.setattr(translate, "LOCALES_DIR", tmp_path)
    translate.translations.cache_clear()

    def run(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return in_language(code, function, *args, **kwargs)

    return run
