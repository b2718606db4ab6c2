"""The languages of the interface, the language of the current script run, and gettext over our catalogues.

The language lives in a `ContextVar` set by `sse_dash.ui` at the start of every script run (each Streamlit session
runs its scripts in its own thread); code outside a run (tests, the CLI) gets English. Catalogues are the
`.po` files under `sse_dash/locales/<lang>/LC_MESSAGES/`, compiled with Babel into memory at their first use (no
`.mo` file is committed, so a catalogue cannot drift from its `.po`).
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


@dataclass(frozen=True)
class Language:
    """A language of the interface: its code (the `lang` link parameter), its own name, its writing direction."""

    code: str
    name: str  # in the language itself, as the selector shows it
    rtl: bool = False


LANGUAGES = {
    "en": Language("en", "English"),
    "fr": Language("fr", "Français"),
    "es": Language("es", "Español"),
    "fa": Language("fa", "فارسی", rtl=True),
}
DEFAULT = "en"
_ACTIVE: ContextVar[str] = ContextVar("sse_dash_language", default=DEFAULT)


def use_language(code: str) -> str:
    """Make `code` the language of this script run (English when it is not one of `LANGUAGES`); returns it."""
    code = code if code in LANGUAGES else DEFAULT
    _ACTIVE.set(code)
    return code


def language() -> str:
    """The code of the language of this script run."""
    return _ACTIVE.get()


def is_rtl(code: str | None = None) -> bool:
    """Whether a language (the active one by default) is written right to left."""
    return LANGUAGES[code or language()].rtl


def best_language(asked: str | None, browser: str | None = None) -> str:
    """The language a visitor gets: the link's `lang` when valid, else the browser's ('fr-CA' -> 'fr'), else English."""
    for candidate in (asked, browser):
        code = str(candidate or "").replace("_", "-").split("-")[0].strip().lower()
        if code in LANGUAGES:
            return code
    return DEFAULT


def po_path(code: str) -> Path:
    return LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalogue of a language, compiled from its .po file at first use (English: the messages themselves)."""
    path = po_path(code)
    if code == DEFAULT or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, as msgfmt does
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """`message` in the language of this run (itself when it has no translation)."""
    return translations(language()).gettext(message) if message else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the language of this run (format its `{count}` after)."""
    return translations(language()).ngettext(singular, plural, count)


def bound(function: Callable[..., str]) -> Callable[..., str]:
    """`function` fixed to the language of this run: it answers in that language whatever thread calls it later.

    Streamlit (and its AppTest) may call a widget's `format_func` outside the script run that made it, where the
    language is another; a choice widget's words must stay those of the run that drew it.
    """
    code = language()

    def in_language(*args: Any, **kwargs: Any) -> str:
        token = _ACTIVE.set(code)
        try:
            return function(*args, **kwargs)
        finally:
            _ACTIVE.reset(token)

    return in_language


def N_(message: str) -> str:
    """Mark a module-level string for translation without translating it now; `_()` translates it when shown."""
    return message
