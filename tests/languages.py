"""Run code in one of the interface's languages, in a context of its own (as a script run is): the caller's own
language is left as it was."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from sse_dash import i18n


def in_language(code: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)` run with `code` as the language."""

    def run() -> Any:
        i18n.use_language(code)
        return function(*args, **kwargs)

    return contextvars.copy_context().run(run)
