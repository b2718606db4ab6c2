"""View state <-> query parameters: the public, versioned URL interface of every page.

Each page declares its parameters (`PAGE_PARAMS`). `clean` turns a raw query string into valid values plus the
values it had to drop (shown to the user as a note, never an error). `share_query` writes every value, defaults
included, with `v=1`, so a shared link keeps its meaning when defaults change. `describe` says a view in words.
Old links keep working through `migrate`. The parameters are documented in the README.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from sse_dash.i18n import _, number

VERSION = 1
ALL = "*"  # in a link: "no restriction" for a multi-valued filter
# Streamlit reads no parameter at all of a query string above its size limits (1,000 parameters, 512Ki characters)
# and only logs it; the app then hands the page this one parameter instead, holding the size: "parameters:characters".
UNREAD_LINK = "unread_link"
GLOBAL_KEYS = frozenset({"v", "lang", "dataset", "embed", "embed_options", UNREAD_LINK})
# Renamed parameters of earlier link versions: {old name: new name}. Empty while only v=1 exists.
RENAMED: dict[str, str] = {}


@dataclass(frozen=True)
class Param:
    """One query parameter: its key (also the widget key), how it is read, and its default."""

    key: str
    label: str
    kind: str = "multi"  # multi (repeatable, '*' = all) | one (single choice) | range (two integers)
    # | int (a whole number within the bounds given as options) | number (a number >= 0, or nothing)
    default: Any = ()


PAGE_PARAMS: dict[str, tuple[Param, ...]] = {
    "usage": (
        Param("country", "countries"),
        Param("years", "years", "range", None),
        Param("sse_type", "SSE types"),
        Param("sector", "sectors"),
        Param("family", "instrument families"),
        Param("instrument", "instruments"),
        Param("measure", "measure", "one", "amount"),
        Param("money", "currency basis", "one", "usd"),
        Param("scale", "scale", "one", "absolute"),
        Param("mix_by", "mix by", "one", "sse_type"),
        Param("view", "view", "one", "Mix"),
    ),
    "instruments": (
        Param("origin", "origins"),
        Param("family", "families"),
        Param("type", "instrument types"),
        Param("stage", "life stages"),
        Param("sse_type", "SSE types"),
        Param("collateral", "collateral"),
        Param("control", "control impact"),
        Param("compare", "instruments compared"),
        Param("instrument", "instrument shown in detail", "one", ""),
    ),
    "finder": (
        Param("sse_type", "SSE type", "one", "cooperative"),
        Param("stage", "life stage", "one", "growth"),
        Param("collateral", "collateral available", "one", "nothing"),
        Param("control", "control the organisation accepts to share", "one", "keep_full"),
        Param("patience", "how long the money must stay", "one", "any"),
        Param("membership", "willing to become a member of a provider", "one", "yes"),
        Param("country", "country", "one", ""),
        Param("amount", "amount needed", "number", None),
        Param("currency", "currency of the amount", "one", ""),
        Param("w_afford", "weight of affordability", "int", 2),
        Param("w_patience", "weight of patience", "int", 2),
        Param("w_collateral", "weight of collateral-lightness", "int", 2),
        Param("w_control", "weight of control preservation", "int", 2),
        Param("w_access", "weight of accessibility", "int", 2),
    ),
    "figures": (
        Param("group", "instrument the indicators are grouped under", "one", ""),
        Param("indicator", "indicator", "one", "credit_union_members"),
        Param("series", "series"),
        Param("mode", "mode", "one", "level"),
    ),
    "country": (
        Param("country", "country", "one", "IRN"),
        Param("peers", "peer countries compared"),
    ),
}


def default(page: str, key: str) -> Any:
    """The default of one parameter of a page (what its widget shows when the link does not say)."""
    return next(param.default for param in PAGE_PARAMS[page] if param.key == key)


@dataclass(frozen=True)
class Dropped:
    """A value from a link that could not be used, and why."""

    key: str
    value: str
    reason: str  # in the language of the run that read the link

    def __str__(self) -> str:
        return f"{self.key}={self.value} ({self.reason})"


@dataclass(frozen=True)
class Reversed:
    """A range from a link given last value first, and the range it is read as."""

    key: str
    given: str
    value: tuple[int, int]

    def __str__(self) -> str:
        return _("{setting} (read as {first}–{last})").format(
            setting=f"{self.key}={self.given}", first=self.value[0], last=self.value[1]
        )


def migrate(raw: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Raw query parameters of any link version, rewritten to the current names."""
    current: dict[str, list[str]] = {}
    for key, values in raw.items():
        current.setdefault(RENAMED.get(key, key), []).extend(str(v) for v in values)
    return current


def _clean_range(values: list[str], bounds: Sequence[int]) -> tuple[tuple[int, int] | None, str]:
    try:
        numbers = sorted(int(float(v)) for v in values)
    except (TypeError, ValueError, OverflowError):
        return None, _("not a year")
    if len(numbers) != 2:
        return None, _("give a first and a last year")
    if not bounds:
        return None, _("no years in this data")
    low, high = min(bounds), max(bounds)
    if numbers[1] < low or numbers[0] > high:
        return None, _("outside {first}–{last}").format(first=low, last=high)
    return (max(numbers[0], low), min(numbers[1], high)), ""


def _clean_number(given: list[str], kind: str, bounds: Sequence[Any]) -> tuple[float | int | None, str]:
    if not given:
        return None, ""
    try:
        number = float(given[-1])
    except (TypeError, ValueError, OverflowError):
        return None, _("not a number")
    if number != number or number in (float("inf"), float("-inf")) or number < 0:
        return None, _("not a number of zero or more")
    if kind == "int":
        low, high = (min(bounds), max(bounds)) if bounds else (0, 5)
        if not number.is_integer() or not low <= number <= high:
            return None, _("not a whole number from {low} to {high}").format(low=low, high=high)
        return int(number), ""
    return number, ""


def clean(
    raw: Mapping[str, Sequence[str]], page: str, options: Mapping[str, Sequence[Any]]
) -> tuple[dict[str, Any], list[Dropped]]:
    """Valid values for every parameter of `page` (defaults where the link has none) and what was dropped.

    `options[key]` lists the valid values of each parameter (for a range: the values it may span).
    """
    raw = migrate(raw)
    values: dict[str, Any] = {}
    dropped: list[Dropped] = []
    known = {p.key for p in PAGE_PARAMS[page]} | GLOBAL_KEYS
    for key in raw:
        if key not in known:
            dropped.extend(Dropped(key, v, _("not a setting of this page")) for v in raw[key][:1])
    version = raw.get("v", [str(VERSION)])[-1]
    if version != str(VERSION):
        dropped.append(
            Dropped("v", version, _("this dashboard writes version {version} links").format(version=VERSION))
        )
    for param in PAGE_PARAMS[page]:
        given = [v for v in raw.get(param.key, []) if v != ""]
        allowed = [str(o) for o in options.get(param.key, [])]
        if param.kind == "range":
            value, reason = _clean_range(given, [int(o) for o in options.get(param.key, [])]) if given else (None, "")
            if reason:
                dropped.append(Dropped(param.key, "&".join(given), reason))
            values[param.key] = value
        elif param.kind in ("int", "number"):
            value, reason = _clean_number(given, param.kind, options.get(param.key, []))
            if reason:
                dropped.append(Dropped(param.key, given[-1], reason))
            values[param.key] = param.default if value is None else value
        elif param.kind == "one":
            if given and given[-1] in allowed:
                values[param.key] = given[-1]
            else:
                if given:
                    dropped.append(Dropped(param.key, given[-1], _("not one of the choices")))
                values[param.key] = param.default
        else:
            good = [v for v in dict.fromkeys(given) if v in allowed]
            dropped.extend(Dropped(param.key, v, _("not in this data")) for v in given if v != ALL and v not in allowed)
            values[param.key] = tuple(good)
    return values, dropped


def reversed_ranges(
    raw: Mapping[str, Sequence[str]], page: str, options: Mapping[str, Sequence[Any]]
) -> list[Reversed]:
    """The ranges of a link that give their last value first (`clean` reads them in order)."""
    raw = migrate(raw)
    values, _ = clean(raw, page, options)
    found = []
    for param in PAGE_PARAMS[page]:
        given = [v for v in raw.get(param.key, []) if v != ""]
        if param.kind != "range" or values[param.key] is None:
            continue
        first, last = (float(v) for v in given)
        if first > last:
            found.append(Reversed(param.key, "&".join(given), values[param.key]))
    return found


def unread_link_query(query_string: str) -> str:
    """What the page gets instead of a query string Streamlit will not read: its size, as one parameter."""
    return urlencode({UNREAD_LINK: f"{query_string.count('&') + 1}:{len(query_string)}"})


def unread_link_note(value: str, max_parameters: int, max_characters: int) -> str | None:
    """The note about a link Streamlit did not read, from the `UNREAD_LINK` value (None if it is not one)."""
    size = re.fullmatch(r"([0-9]{1,12}):([0-9]{1,12})", value)
    if size is None:
        return None
    parameters, characters = size.groups()
    return _(
        "This link is too long to read ({parameters} parameters, {characters} characters; the dashboard reads links "
        "of up to {max_parameters} parameters and {max_characters} characters), so none of its settings were used: "
        "the page shows its defaults. Shorten the link, or choose the settings again and use Share this view."
    ).format(
        parameters=number(int(parameters)),
        characters=number(int(characters)),
        max_parameters=number(max_parameters),
        max_characters=number(max_characters),
    )


def _number_text(value: float | int) -> str:
    """A number as a link writes it: every digit kept (1000001, not 1e+06), no '.0' on whole numbers; a whole
    float from 1e16 on as Python writes it ('1e+16', not seventeen digits)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def share_query(page: str, values: Mapping[str, Any], extra: Mapping[str, str] | None = None) -> str:
    """The query string of a share link: every parameter of `page` (defaults included) and `v`."""
    pairs: list[tuple[str, str]] = [("v", str(VERSION))]
    for key, value in (extra or {}).items():
        pairs.append((key, value))
    for param in PAGE_PARAMS[page]:
        value = values.get(param.key, param.default)
        if param.kind == "multi":
            chosen = list(value or ())
            pairs += [(param.key, str(v)) for v in chosen] or [(param.key, ALL)]
        elif param.kind == "range":
            if value is not None:
                pairs += [(param.key, str(int(value[0]))), (param.key, str(int(value[1])))]
        elif param.kind in ("int", "number"):
            if value is not None:
                pairs.append((param.key, _number_text(value)))
        elif value not in (None, ""):
            pairs.append((param.key, str(value)))
    return urlencode(pairs, safe="*")


def share_url(base_url: str, path: str, query: str, page_paths: Sequence[str] = ()) -> str:
    """A full link to page `path` ('' for the overview) from the URL the browser shows now.

    The current page's own path (the last segment of `base_url` when it is one of `page_paths` or `path`) is
    replaced, so links work from any page and under any base path the app is served at.
    """
    address = urlsplit(base_url)
    segments = [s for s in address.path.split("/") if s]
    if segments and segments[-1] in {*page_paths, path}:
        segments.pop()
    root = f"{address.scheme}://{address.netloc}" + "".join(f"/{s}" for s in segments)
    return f"{root}/{path}?{query}" if path else f"{root}/?{query}"


def _words(values: Sequence[str], names: Mapping[str, str] | None, everything: str) -> str:
    """Values in words ('Kenya, Italy and France'), or `everything` when none is chosen."""
    if not values:
        return everything
    named = [_(str((names or {}).get(v, v))) for v in values]
    if len(named) == 1:
        return named[0]
    return _("{items} and {last}").format(items=", ".join(named[:-1]), last=named[-1])


def _word(value: Any, names: Mapping[str, str] | None) -> str:
    """One choice in words: its name when given, else its code with spaces ('start_up' -> 'start up')."""
    return _(str((names or {}).get(value, str(value).replace("_", " "))))


def _in_sentence(name: str) -> str:
    """A name inside a sentence: 'Life stage' -> 'life stage', but a first word with another capital stays as it
    is ('SSE type', 'McKinsey')."""
    return name[:1].lower() + name[1:] if name.partition(" ")[0][1:].islower() else name


def describe(page: str, values: Mapping[str, Any], names: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """A view in words, in the language of this run, for captions and citations (`names`: the words of codes)."""
    names = names or {}
    if page == "usage":
        years = values.get("years")
        measure = (
            _("amounts in {currency}").format(currency=str(values.get("money", "usd")).upper())
            if values.get("measure") == "amount"
            else _("numbers of records")
            if values.get("measure") == "uses"
            else str(values.get("measure"))
        )
        families = values.get("family")
        return _(
            "Usage by {sse_types} in {countries}, {period}; sectors: {sectors}; instruments: {instruments}{families}. "
            "View: {view}, {measure}, {scale}{grouping}."
        ).format(
            sse_types=_words(values.get("sse_type", ()), names.get("sse_type"), _("all SSE types")),
            countries=_words(values.get("country", ()), names.get("country"), _("all countries")),
            period=f"{years[0]}–{years[1]}" if years else _("all years"),
            sectors=_words(values.get("sector", ()), names.get("sector"), _("all")),
            instruments=_words(values.get("instrument", ()), names.get("instrument"), _("all")),
            families=_(" in {families}").format(families=_words(families, names.get("family"), "")) if families else "",
            view=_word(values.get("view"), names.get("view")),
            measure=measure,
            scale=_word(values.get("scale"), names.get("scale")),
            grouping=_(", by {grouping}").format(
                grouping=_in_sentence(_word(values.get("mix_by"), names.get("mix_by")))
            )
            if values.get("view") == "Mix"
            else "",
        )
    if page == "instruments":
        compared = values.get("compare", ())
        detail = values.get("instrument")
        instruments = names.get("instrument", {})
        if compared and detail:
            text = _("Instrument catalogue, comparing {compared}, details of {instrument}.")
        elif compared:
            text = _("Instrument catalogue, comparing {compared}.")
        elif detail:
            text = _("Instrument catalogue, details of {instrument}.")
        else:
            text = _("Instrument catalogue.")
        return text.format(compared=_words(compared, instruments, ""), instrument=_(instruments.get(detail, detail)))
    if page == "finder":
        amount = values.get("amount")
        country = values.get("country")
        return _(
            "Financing finder for a {sse_type} at the {stage} stage{money}; collateral: {collateral}; "
            "control: {control}; patience: {patience}{country}."
        ).format(
            sse_type=_in_sentence(_word(values.get("sse_type"), names.get("sse_type"))),
            stage=_in_sentence(_word(values.get("stage"), names.get("stage"))),
            money=_(", needing {amount} {currency}")
            .format(amount=number(amount), currency=values.get("currency") or "")
            .rstrip()
            if amount
            else "",
            collateral=_word(values.get("collateral"), names.get("collateral")),
            control=_word(values.get("control"), names.get("control")),
            patience=_word(values.get("patience"), names.get("patience")),
            country=_("; in {country}").format(country=_word(country, names.get("country"))) if country else "",
        )
    if page == "figures":
        indicator = values.get("indicator")
        mode = _("relative to the first year") if values.get("mode") == "relative" else _("as published")
        return _("Published figures: {indicator}, {series}, {mode}.").format(
            indicator=_(names.get("indicator", {}).get(indicator, indicator)),
            series=_words(values.get("series", ()), names.get("series"), _("all geographies")),
            mode=mode,
        )
    if page == "country":
        countries = names.get("country", {})
        country = _(countries.get(values.get("country"), values.get("country")))
        peers = values.get("peers", ())
        if peers:
            return _("Country profile of {country}, compared with {peers}.").format(
                country=country, peers=_words(peers, countries, "")
            )
        return _("Country profile of {country}.").format(country=country)
    return page
