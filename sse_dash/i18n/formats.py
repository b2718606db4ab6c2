"""Numbers, percentages, dates, territory and currency names in the active language, from Babel's CLDR data."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pycountry
from babel import Locale, numbers
from babel.dates import format_date

from sse_dash.i18n.translate import language

# Babel's locale for each interface language (Persian as written in Iran).
BABEL_LOCALES = {"en": "en", "fr": "fr", "es": "es", "fa": "fa_IR"}
# Persian is written with Persian digits (CLDR's "arabext" numbering system, which Babel formats with Latin digits).
_DIGITS = {"fa": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")}


def _digits(text: str) -> str:
    return text.translate(_DIGITS[language()]) if language() in _DIGITS else text


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(code, "en"))


def locale() -> Locale:
    """Babel's locale of the language of this run."""
    return _locale(language())


def number(value: float | int, decimals: int = 0) -> str:
    """A number with the grouping and digits of the active language: 1,234 · 1 234 · ۱٬۲۳۴."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _digits(numbers.format_decimal(value, format=pattern, locale=locale(), numbering_system="default"))


def percent(fraction: float, decimals: int = 0) -> str:
    """A fraction (0.25) as a percentage in the active language: 25% · 25 % · ۲۵٪."""
    shown = numbers.format_percent(fraction, locale=locale(), numbering_system="default")
    if decimals:
        pattern = "#,##0." + "0" * decimals + "%"
        shown = numbers.format_percent(fraction, format=pattern, locale=locale(), numbering_system="default")
    return _digits(shown)


def date(value: dt.date, format: str = "medium") -> str:
    """A date in the active language ('1 Dec 2026', '1 déc. 2026')."""
    return _digits(format_date(value, format=format, locale=locale()))


@cache
def _alpha2(alpha3: str) -> str | None:
    found = pycountry.countries.get(alpha_3=alpha3.upper())
    return found.alpha_2 if found else None


def territory_name(alpha3: str, fallback: str | None = None) -> str:
    """A country's name in the active language from its ISO 3166 alpha-3 code (`fallback` or the code if unknown)."""
    alpha2 = _alpha2(alpha3) if alpha3 else None
    name = locale().territories.get(alpha2) if alpha2 else None
    return name or fallback or alpha3


def currency_name(code: str) -> str:
    """A currency's name in the active language from its ISO 4217 code (the code if unknown)."""
    return locale().currencies.get(code.upper(), code) if code else code
