"""Pseudo-translation: every message of the interface shown as ⟦message⟧, so text that did not go through gettext
stands out (AppTest runs pages in this process, so the catalogue of a language can be replaced for a test)."""

from __future__ import annotations

import gettext
import json
import re
from collections.abc import Iterator
from typing import Any

from google.protobuf.json_format import MessageToDict

OPEN, CLOSE = "⟦", "⟧"
# Proto fields that hold ids, data or settings, not interface text.
NOT_TEXT = {
    "id",
    "formId",
    "key",
    "spec",
    "config",
    "data",
    "arrowData",
    "styler",
    "icon",
    "url",
    "theme",
    "type",
    "format",
    "value",
    "default",
    "rawValues",
    "setValue",
    "options_json",
    "selectionMode",
    "fragmentId",
    "deltaPath",
    "columns",
    "fileUploaderId",
    "mimeType",
    "disabled",
    "body_html",
}
SPEC_TEXT = ("text", "name", "hovertemplate", "title")


class Pseudo(gettext.NullTranslations):
    """Every message marked: ⟦message⟧ (plural forms too)."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"{OPEN}{singular if n == 1 else plural}{CLOSE}"


def _strings(value: Any, keys: tuple[str, ...] = ()) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in NOT_TEXT:
                yield from _strings(item, (*keys, key))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, keys)
    elif isinstance(value, str):
        yield value


def _spec_strings(spec: dict) -> Iterator[str]:
    """Texts a reader sees in a Plotly figure: titles, annotations, trace names and hover templates."""

    def walk(value: Any, key: str = "") -> Iterator[str]:
        if isinstance(value, dict):
            for k, v in value.items():
                if k != "template":
                    yield from walk(v, k)
        elif isinstance(value, list) and key not in ("x", "y", "z", "locations", "customdata", "r", "theta"):
            for v in value:
                yield from walk(v, key)
        elif isinstance(value, str) and key in SPEC_TEXT:
            yield value

    yield from walk(spec.get("layout", {}))
    for trace in spec.get("data", []):
        yield from walk({k: v for k, v in trace.items() if k in ("name", "hovertemplate", "colorbar")})


def shown_texts(at) -> set[str]:
    """Every text of a run's elements and blocks (labels, help, options, bodies, chart texts)."""

    def nodes(node) -> Iterator[Any]:
        yield node
        for child in getattr(node, "children", {}).values():
            yield from nodes(child)

    found: set[str] = set()
    for node in nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "DESCRIPTOR"):
            continue
        as_dict = MessageToDict(proto)
        found.update(_strings(as_dict))
        spec = as_dict.get("spec")
        if isinstance(spec, str) and spec.startswith("{"):
            found.update(_spec_strings(json.loads(spec)))
    return found


def unmarked(text: str) -> str:
    """What is left of `text` outside every ⟦…⟧ (innermost first)."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(rf"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
    return text
