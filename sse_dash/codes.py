"""Resolve what people type (country names, currency symbols, 'Co-operative') to canonical codes.

Alias tables are data, in `sse_dash/aliases/*.csv`; ISO 3166 and ISO 4217 come from pycountry, including
pycountry's French, Spanish, Portuguese, German and Italian country names. Every resolver works on unique values,
so resolving a million-row column costs as much as its distinct values.
"""

from __future__ import annotations

import csv
import difflib
import gettext
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pandas as pd
import pycountry

from sse_dash.paths import ALIASES_DIR
from sse_dash.schema import LIFE_STAGES, SSE_TYPES

_NON_ALNUM = re.compile(r"[^0-9a-z€£$¥₹₩₱]+")
TRANSLATED_LANGUAGES = ("fr", "es", "pt", "de", "it")


def normalise_key(value: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a label: 'Côte d'Ivoire' -> 'cote d ivoire'."""
    decomposed = unicodedata.normalize("NFKD", str(value))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().replace("&", " and ")
    return _NON_ALNUM.sub(" ", plain).strip()


@dataclass(frozen=True)
class Resolution:
    """Outcome of resolving one distinct value: a code, or None with a hint for the user."""

    code: str | None
    hint: str = ""


@dataclass(frozen=True)
class Resolver:
    """Maps normalised labels to canonical codes and suggests close matches for the rest."""

    what: str
    lookup: dict[str, str]
    display: dict[str, str]
    hints: dict[str, str]

    def resolve(self, value: str) -> Resolution:
        """The code for `value`, or None with a did-you-mean or a specific hint."""
        key = normalise_key(value)
        if key in self.lookup:
            return Resolution(self.lookup[key])
        if key in self.hints:
            return Resolution(None, self.hints[key])
        return Resolution(None, self.suggestion(key))

    def suggestion(self, key: str) -> str:
        """'Did you mean …?' for the closest known label, or an empty string."""
        if not key:
            return ""
        close = difflib.get_close_matches(key, self.lookup.keys(), n=1, cutoff=0.8)
        if not close:
            return ""
        code = self.lookup[close[0]]
        return f"Did you mean {self.display.get(code, code)}?"


def _resolver(
    what: str, pairs: Iterable[tuple[str, str]], display: dict[str, str], hints: dict[str, str] | None = None
) -> Resolver:
    lookup: dict[str, str] = {}
    for label, code in pairs:
        key = normalise_key(label)
        if key:
            lookup.setdefault(key, code)
    return Resolver(what, lookup, display, hints or {})


def _alias_rows(name: str) -> list[dict[str, str]]:
    with open(ALIASES_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def country_name(code: str) -> str:
    """English short name of an alpha-3 code (Kosovo's XKX included)."""
    if code == "XKX":
        return "Kosovo"
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def _translated_country_names() -> Iterable[tuple[str, str]]:
    for language in TRANSLATED_LANGUAGES:
        try:
            translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            continue
        for country in pycountry.countries:
            yield translation.gettext(country.name), country.alpha_3


@cache
def country_resolver() -> Resolver:
    """Resolver from ISO codes, English, UN/ILOSTAT/World Bank and translated names to alpha-3."""
    pairs: list[tuple[str, str]] = []
    hints: dict[str, str] = {}
    for row in _alias_rows("countries.csv"):
        if row["kind"] == "subnational":
            code = row["alpha_3"]
            hints[normalise_key(row["alias"])] = (
                f"{row['alias']} is {row['note']}: put {code} ({country_name(code)}) in country "
                f"and {row['alias']} in region."
            )
        else:
            pairs.append((row["alias"], row["alpha_3"]))
    for country in pycountry.countries:
        code = country.alpha_3
        pairs += [(code, code), (country.alpha_2, code), (country.name, code)]
        for attribute in ("official_name", "common_name"):
            if hasattr(country, attribute):
                pairs.append((getattr(country, attribute), code))
    pairs += list(_translated_country_names())
    display = {code: f"{code} ({country_name(code)})" for _, code in pairs}
    return _resolver("country", pairs, display, hints)


@cache
def known_countries() -> frozenset[str]:
    """Every alpha-3 code the country resolver can produce."""
    return frozenset(country_resolver().lookup.values())


@cache
def known_currencies() -> tuple[str, ...]:
    """Every ISO 4217 currency code, sorted."""
    return tuple(sorted(currency.alpha_3 for currency in pycountry.currencies))


@cache
def currency_resolver() -> Resolver:
    """Resolver from ISO 4217 codes, names and common symbols to codes."""
    pairs = [(row["alias"], row["code"]) for row in _alias_rows("currencies.csv")]
    for currency in pycountry.currencies:
        pairs += [(currency.alpha_3, currency.alpha_3), (currency.name, currency.alpha_3)]
    display = {code: code for _, code in pairs}
    return _resolver("currency", pairs, display)


@cache
def sse_type_resolver() -> Resolver:
    """Resolver from everyday spellings ('Co-operative', 'coop', 'NGO') to the SSE type vocabulary."""
    pairs = [(row["alias"], row["sse_type"]) for row in _alias_rows("sse_types.csv")]
    pairs += [(code, code) for code in SSE_TYPES]
    return _resolver("SSE type", pairs, {code: f"'{code}'" for code in SSE_TYPES})


@cache
def life_stage_resolver() -> Resolver:
    """Resolver from everyday spellings ('start-up', 'expansion') to the life-stage vocabulary."""
    pairs = [(row["alias"], row["life_stage"]) for row in _alias_rows("life_stages.csv")]
    pairs += [(code, code) for code in LIFE_STAGES]
    return _resolver("life stage", pairs, {code: f"'{code}'" for code in LIFE_STAGES})


def vocabulary_resolver(what: str, vocabulary: Iterable[str]) -> Resolver:
    """Resolver for a closed vocabulary, accepting case, space and hyphen variants of each code."""
    codes = list(vocabulary)
    return _resolver(what, [(code, code) for code in codes], {code: f"'{code}'" for code in codes})


def _name_variants(label: str) -> list[str]:
    """A name, the name without its bracketed part, and each side of a ' / ' ("SACCO / credit union loan")."""
    plain = re.sub(r"\s*\([^)]*\)", "", label).strip()
    variants = [label, plain]
    if " / " in plain:
        variants += [part for part in plain.split(" / ") if len(part) > 3]
    return variants


_INSTRUMENT_RESOLVERS: dict[int, tuple[pd.DataFrame, Resolver]] = {}


def instrument_resolver(catalogue: pd.DataFrame) -> Resolver:
    """Resolver from instrument ids, English names and local names of a catalogue to ids (kept per catalogue)."""
    kept = _INSTRUMENT_RESOLVERS.get(id(catalogue))
    if kept is not None and kept[0] is catalogue:
        return kept[1]
    resolver = _instrument_resolver(catalogue)
    if len(_INSTRUMENT_RESOLVERS) > 16:
        _INSTRUMENT_RESOLVERS.clear()
    _INSTRUMENT_RESOLVERS[id(catalogue)] = (catalogue, resolver)
    return resolver


def _instrument_resolver(catalogue: pd.DataFrame) -> Resolver:
    pairs: list[tuple[str, str]] = []
    for row in catalogue.itertuples(index=False):
        pairs.append((row.instrument_id, row.instrument_id))
        for label in (getattr(row, "name", None), getattr(row, "name_local", None)):
            if isinstance(label, str) and label:
                pairs += [(variant, row.instrument_id) for variant in _name_variants(label)]
    display = {row.instrument_id: f"'{row.instrument_id}'" for row in catalogue.itertuples(index=False)}
    return _resolver("instrument", pairs, display)
