"""Per-type conversion of one column: numbers, years, codes, lists of codes, booleans and text, with problems.

Work is done on a column's distinct values instead of its rows (a million-row column costs what its few hundred
values cost); `DistinctCache` keeps each column's distinct values for the whole of one ingest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sse_dash import codes
from sse_dash.i18n import _, ngettext, number
from sse_dash.ingest.listing import CellProblems, cell_problems
from sse_dash.ingest.problems import Problem, ProblemCode, cell_text, quoted
from sse_dash.schema import LIFE_STAGES, MULTI_SEPARATOR, SSE_TYPES, Field

NUMERIC_TYPES = ("number", "int", "year")
CODE_TYPES = ("code", "country", "currency", "instrument")
MULTI_TYPES = ("multi", "countries")
_MISSING_NUMBER_TOKENS = ("na", "n/a", "nan", "null", "none", "-", "--", "..", "…", "#n/a", "#na")
YEAR_IN_TEXT = r"(?<!\d)(1[3489]\d\d|20\d\d|21\d\d)(?!\d)"
# Solar Hijri years (the calendar of Iran and Afghanistan): year N begins at the March equinox of Gregorian N + 621.
SOLAR_HIJRI_YEARS = (1300, 1499)
SOLAR_HIJRI_OFFSET = 621
SOLAR_HIJRI_COLUMN = "year_solar_hijri"
# Persian (U+06F0-06F9) and Arabic-Indic (U+0660-0669) digits, the Arabic decimal separator (U+066B) and thousands
# separator (U+066C); an Arabic comma (U+060C) between groups of three digits is a thousands separator too.
_EASTERN_DIGITS = {**{chr(0x06F0 + d): str(d) for d in range(10)}, **{chr(0x0660 + d): str(d) for d in range(10)}}
_ARABIC_NUMBER_CHARS = r"[\u0660-\u0669\u06f0-\u06f9\u066b\u066c\u060c]"
_ARABIC_COMMA_GROUP = r"(?<=\d)\u060c(?=\d{3}(?!\d))"
_LARGEST_INT = 2**53  # beyond this a float no longer holds every whole number
_NUMBER_NOISE = r"[\s\u00a0\u202f'’€$£]"
_TRUE = {"true", "t", "yes", "y", "1", "oui", "si", "sí", "ja", "vrai", "x"}
_FALSE = {"false", "f", "no", "n", "0", "non", "nein", "faux", ""}
_PARALLEL_ROWS = 50_000  # columns at least this long are factorised two at a time


@dataclass
class Coerced:
    """One cleaned column and the problems found in it."""

    values: pd.Series
    problems: list[CellProblems]
    notes: list[str] = field(default_factory=list)
    original: pd.Series | None = None  # the values as written, where the cleaned ones differ (Solar Hijri years)


@dataclass
class Distinct:
    """A column's distinct cells (each once) and, per row, the position of its cell among them (-1: missing)."""

    positions: np.ndarray
    index: pd.Index
    _texts: list[str] | None = None

    @property
    def texts(self) -> list[str]:
        """The distinct cells as Python strings (made on first use: large columns rarely need them)."""
        if self._texts is None:
            self._texts = [u if isinstance(u, str) else cell_text(u) for u in self.index.tolist()]
        return self._texts


def distinct_of(raw: pd.Series) -> Distinct:
    """A column factorised into its distinct cells."""
    positions, uniques = pd.factorize(raw, use_na_sentinel=True)
    return Distinct(positions, uniques)


class DistinctCache:
    """The distinct cells of every column one ingest looks at, each column factorised once.

    A field's checks look at the same column several times. Columns are kept by identity, with the column itself,
    so an entry never answers for another column that got the same id.
    """

    def __init__(self) -> None:
        self._found: dict[int, tuple[pd.Series, Distinct]] = {}

    def of(self, raw: pd.Series) -> Distinct:
        """The distinct cells of `raw`, factorised on first use."""
        kept = self._found.get(id(raw))
        if kept is None or kept[0] is not raw:
            kept = (raw, distinct_of(raw))
            self._found[id(raw)] = kept
        return kept[1]

    def factorize_in_parallel(self, columns: list[pd.Series]) -> None:
        """Factorise several large columns at once on two threads (pandas releases the GIL while hashing)."""
        todo = [c for c in columns if id(c) not in self._found and len(c) > _PARALLEL_ROWS]
        if len(todo) < 2:
            return
        with ThreadPoolExecutor(max_workers=2) as pool:
            for column, found in zip(todo, pool.map(distinct_of, todo), strict=True):
                self._found[id(column)] = (column, found)


def is_number_column(raw: pd.Series) -> bool:
    """True when the parser already typed the column as numbers."""
    return pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype)


def _per_row(positions: np.ndarray, per_distinct: list[bool], missing: bool) -> np.ndarray:
    if not missing and not any(per_distinct):  # the usual case: nothing flagged, no row to look up
        return np.zeros(len(positions), dtype=bool)
    return np.array([*per_distinct, missing], dtype=bool)[positions]


def _missing_mask(raw: pd.Series, numeric: bool, cache: DistinctCache) -> np.ndarray:
    if is_number_column(raw):
        return raw.isna().to_numpy()
    found = cache.of(raw)
    stripped = pd.Series(found.texts, dtype="str").str.strip()
    blank = stripped.eq("") | (stripped.str.lower().isin(_MISSING_NUMBER_TOKENS) if numeric else False)
    return _per_row(found.positions, blank.tolist(), True)


def western_digits(raw: pd.Series, decimal: str) -> pd.Series:
    """Text with Persian or Arabic digits and separators written as `decimal` expects: '۱۲٬۳۴۵٫۵' -> '12345.5'."""
    has_eastern = raw.str.contains(_ARABIC_NUMBER_CHARS, regex=True, na=False)
    if not has_eastern.any():
        return raw
    table = str.maketrans({**_EASTERN_DIGITS, "\u066b": decimal, "\u066c": ""})
    eastern = raw[has_eastern].str.replace(_ARABIC_COMMA_GROUP, "", regex=True).str.translate(table)
    return raw.where(~has_eastern, eastern)


def parse_numbers(raw: pd.Series, decimal: str) -> pd.Series:
    """Numbers from text with the given decimal mark; spaces, apostrophes and currency signs are ignored.

    Persian and Arabic-Indic digits with the Arabic decimal and thousands separators are read too.
    """
    cleaned = western_digits(raw, decimal).str.replace(_NUMBER_NOISE, "", regex=True)
    if decimal == ",":
        cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        cleaned = cleaned.str.replace(",", "", regex=False)
    return pd.to_numeric(cleaned, errors="coerce").astype("float64")


def _coerce_number(raw: pd.Series, f: Field, column: str, decimal: str, cache: DistinctCache) -> Coerced:
    if is_number_column(raw):  # the parser already read every cell of this column as a number
        numbers = raw.astype("float64")
        numbers[np.isinf(numbers.to_numpy())] = np.nan
        return Coerced(numbers, [])
    numbers = parse_numbers(raw, decimal)
    numbers[np.isinf(numbers.to_numpy())] = np.nan
    missing = _missing_mask(raw, numeric=True, cache=cache)
    numbers[missing] = np.nan
    bad = numbers.isna().to_numpy() & ~missing
    template = "invalid_number.comma" if decimal == "," else "invalid_number.point"

    def problem_of(value: str) -> Problem:
        return Problem.of(ProblemCode.INVALID_NUMBER, {"quoted": quoted(value)}, template=template)

    return Coerced(numbers, [cell_problems(raw, bad, column, f.name, problem_of, code=ProblemCode.INVALID_NUMBER)])


def _not_whole(numbers: pd.Series) -> np.ndarray:
    """Numbers that are not whole, or too large to store as whole numbers."""
    return (numbers.notna() & ((numbers % 1 != 0) | (numbers.abs() > _LARGEST_INT))).to_numpy()


def _coerce_int(raw: pd.Series, f: Field, column: str, decimal: str, cache: DistinctCache) -> Coerced:
    coerced = _coerce_number(raw, f, column, decimal, cache)
    fractional = _not_whole(coerced.values)
    numbers = coerced.values.where(~fractional)

    def problem_of(value: str) -> Problem:
        return Problem.of(ProblemCode.NOT_WHOLE_NUMBER, {"quoted": quoted(value)})

    coerced.problems.append(
        cell_problems(raw, fractional, column, f.name, problem_of, code=ProblemCode.NOT_WHOLE_NUMBER)
    )
    return Coerced(numbers.round().astype("Int64"), coerced.problems)


def _year_problems(raw: pd.Series, bad: np.ndarray, column: str, f: Field) -> CellProblems:
    def problem_of(value: str) -> Problem:
        return Problem.of(ProblemCode.INVALID_YEAR, {"quoted": quoted(value)})

    return cell_problems(raw, bad, column, f.name, problem_of, code=ProblemCode.INVALID_YEAR)


def _coerce_year(raw: pd.Series, f: Field, column: str, cache: DistinctCache) -> Coerced:
    """Years as whole numbers; Solar Hijri years (1300-1499) become the Gregorian year they begin in."""
    return _from_solar_hijri(_read_years(raw, f, column, cache), column)


def _read_years(raw: pd.Series, f: Field, column: str, cache: DistinctCache) -> Coerced:
    if pd.api.types.is_integer_dtype(raw.dtype):  # whole numbers, no blank cell: nothing to check here
        return Coerced(raw, [])
    if is_number_column(raw):
        numbers = raw.astype("float64")
        bad = _not_whole(numbers)
        return Coerced(numbers.where(~bad).round().astype("Int64"), [_year_problems(raw, bad, column, f)])
    stripped = western_digits(raw.str.strip(), ".")
    numbers = pd.to_numeric(stripped, errors="coerce")
    missing = _missing_mask(raw, numeric=True, cache=cache)
    from_text = numbers.isna().to_numpy() & ~missing
    notes = []
    if from_text.any():
        extracted = pd.to_numeric(stripped[from_text].str.extract(YEAR_IN_TEXT, expand=False), errors="coerce")
        numbers.loc[extracted.index] = extracted
        taken = int(extracted.notna().sum())
        if taken:
            notes.append(
                ngettext(
                    "{count} value in '{column}' was a date or a label; the year was taken from it ({example}).",
                    "{count} values in '{column}' were dates or labels; the year was taken from them (e.g. {example}).",
                    taken,
                ).format(
                    count=number(taken), column=column, example=quoted(stripped[from_text][extracted.notna()].iloc[0])
                )
            )
    numbers[missing] = np.nan
    bad = (numbers.isna().to_numpy() & ~missing) | _not_whole(numbers)
    numbers = numbers.where(~bad)
    return Coerced(numbers.round().astype("Int64"), [_year_problems(raw, bad, column, f)], notes)


def _from_solar_hijri(coerced: Coerced, column: str) -> Coerced:
    """Years from 1300 to 1499 read as Solar Hijri: year + 621, the original kept in `Coerced.original`."""
    years = coerced.values
    solar = years.between(*SOLAR_HIJRI_YEARS).fillna(False).to_numpy(dtype=bool)
    if not solar.any():
        return coerced
    count, written = int(solar.sum()), int(years.notna().sum())
    coerced.notes += solar_hijri_notes(count, written, column, int(years[solar].iloc[0]))
    original = years.where(solar).astype("Int64")
    converted = years.astype("Int64").where(~solar, original + SOLAR_HIJRI_OFFSET)
    return Coerced(converted, coerced.problems, coerced.notes, original)


def solar_hijri_notes(count: int, written: int, column: str, example: int) -> list[str]:
    """What the report says when `count` of the `written` years of a column were read as Solar Hijri years."""
    notes = [
        _(
            "{count} of {written} years in '{column}' are from {first} to {last} and were read as Solar Hijri years: "
            "each is stored as the Gregorian year in which it begins (year + {offset}: {example} -> {gregorian}); "
            "the Solar Hijri year is kept in the column {original} of the cleaned file."
        ).format(
            count=number(count),
            written=number(written),
            column=column,
            first=SOLAR_HIJRI_YEARS[0],
            last=SOLAR_HIJRI_YEARS[1],
            offset=SOLAR_HIJRI_OFFSET,
            example=example,
            gregorian=example + SOLAR_HIJRI_OFFSET,
            original=SOLAR_HIJRI_COLUMN,
        )
    ]
    if count < written:
        notes.append(
            ngettext(
                "'{column}' mixes calendars: {count} year was not Solar Hijri and was kept as a Gregorian year. "
                "Check that each row's year is in the calendar you meant.",
                "'{column}' mixes calendars: {count} years were not Solar Hijri and were kept as Gregorian years. "
                "Check that each row's year is in the calendar you meant.",
                written - count,
            ).format(column=column, count=number(written - count))
        )
    return notes


def gregorian_year_in_text(value: str) -> int | None:
    """The year a cell holds, as the ingest stores it (Solar Hijri years converted), or None."""
    text = western_digits(pd.Series([str(value)], dtype="str"), ".")
    year = pd.to_numeric(text.str.extract(YEAR_IN_TEXT, expand=False), errors="coerce").iloc[0]
    if pd.isna(year):
        return None
    return stored_year(int(year))


def stored_year(year: int) -> int:
    """A year as the ingest stores it: Solar Hijri years (1300-1499) as the Gregorian year they begin in."""
    return year + SOLAR_HIJRI_OFFSET if SOLAR_HIJRI_YEARS[0] <= year <= SOLAR_HIJRI_YEARS[1] else year


def _categorical(
    found: Distinct, per_distinct: list[str | None], categories: list[str] | pd.Index, index: pd.Index
) -> pd.Series:
    """A categorical column from a category (or None) per distinct cell; cells of no category are missing."""
    index_of = {c: i for i, c in enumerate(categories)}
    lookup = np.array([index_of.get(c, -1) if c is not None else -1 for c in per_distinct] + [-1], dtype=np.int32)
    return pd.Series(
        pd.Categorical.from_codes(lookup[found.positions], categories=categories, validate=False), index=index
    )


def _resolved_categorical(
    raw: pd.Series,
    resolve: Callable[[str], codes.Resolution],
    categories: list[str] | None,
    cache: DistinctCache,
) -> tuple[pd.Series, np.ndarray, dict[str, str]]:
    """Resolve each distinct value once; returns the categorical column, the mask of unresolved cells, hints."""
    found = cache.of(raw)
    stripped = [u.strip() for u in found.texts]
    resolutions = [codes.Resolution(None) if u == "" else resolve(u) for u in stripped]
    resolved = [r.code for r in resolutions]
    if categories is None:
        categories = sorted({c for c in resolved if c is not None})
    values = _categorical(found, resolved, categories, raw.index)
    unresolved = _per_row(
        found.positions, [u != "" and r.code is None for u, r in zip(stripped, resolutions, strict=True)], False
    )
    hints = {u: r.hint for u, r in zip(stripped, resolutions, strict=True) if u != "" and r.code is None}
    return values, unresolved, hints


def text_categorical(raw: pd.Series, cache: DistinctCache) -> pd.Series:
    """A text column as a categorical of its stripped values (blank cells missing), built from distinct values."""
    found = cache.of(raw)
    distinct = found.index
    if (
        pd.api.types.is_string_dtype(distinct.dtype)
        and distinct.dtype != object
        and not ((distinct.str.strip() != distinct) | (distinct == "")).any()
    ):  # the usual case: nothing to tidy, the distinct values are the categories
        return pd.Series(
            pd.Categorical.from_codes(found.positions, categories=distinct, validate=False), index=raw.index
        )
    stripped = [u.strip() for u in found.texts]
    return _categorical(found, stripped, sorted({u for u in stripped if u}), raw.index)


def resolver_for(f: Field, catalogue: pd.DataFrame | None) -> codes.Resolver | None:
    """The resolver of a coded field (None for instrument ids without a catalogue to check them against)."""
    if f.dtype in ("country", "countries"):
        return codes.country_resolver()
    if f.dtype == "currency":
        return codes.currency_resolver()
    if f.dtype == "instrument":
        return codes.instrument_resolver(catalogue) if catalogue is not None else None
    if f.vocabulary == SSE_TYPES:
        return codes.sse_type_resolver()
    if f.vocabulary == LIFE_STAGES:
        return codes.life_stage_resolver()
    return codes.vocabulary_resolver(f.name, f.vocabulary or ())


_UNKNOWN_CODES = {
    "country": ProblemCode.UNKNOWN_COUNTRY,
    "countries": ProblemCode.UNKNOWN_COUNTRY,
    "currency": ProblemCode.UNKNOWN_CURRENCY,
    "instrument": ProblemCode.UNKNOWN_INSTRUMENT,
}


def unknown_code_problem(
    code: ProblemCode, f: Field, value: str, hint: str = "", row: int | None = None, column: str | None = None
) -> Problem:
    """The problem of a value that is not a known code of `f`, said as the field's type asks."""
    template = _UNKNOWN_CODES.get(f.dtype, ProblemCode.NOT_IN_VOCABULARY).value + (".hint" if hint else "")
    params = {"quoted": quoted(value), "hint": hint, "name": f.name, "choices": ", ".join(f.vocabulary or ())}
    return Problem.of(code, params, template=template, row=row, column=column, field=f.name, value=value)


def _coerce_code(
    raw: pd.Series, f: Field, column: str, catalogue: pd.DataFrame | None, cache: DistinctCache
) -> Coerced:
    resolver = resolver_for(f, catalogue)
    if resolver is None:  # no catalogue to check instrument ids against: keep them as written
        return Coerced(text_categorical(raw, cache), [])
    fixed = list(f.vocabulary) if f.vocabulary else None
    values, unresolved, hints = _resolved_categorical(raw, resolver.resolve, fixed, cache)
    code = _UNKNOWN_CODES.get(f.dtype, ProblemCode.NOT_IN_VOCABULARY)

    def problem_of(value: str) -> Problem:
        return unknown_code_problem(code, f, value.strip(), hints.get(value.strip(), ""))

    return Coerced(values, [cell_problems(raw, unresolved, column, f.name, problem_of, code=code)])


def split_multi(value: str) -> list[str]:
    """The parts of a cell that lists several values."""
    return [part.strip() for part in re.split(r"[|;,]", value) if part.strip()]


def _coerce_multi(raw: pd.Series, f: Field, column: str) -> Coerced:
    resolver = resolver_for(f, None)
    order = {code: i for i, code in enumerate(f.vocabulary or ())}
    code = _UNKNOWN_CODES.get(f.dtype, ProblemCode.NOT_IN_VOCABULARY)
    joined: dict[str, str | None] = {}
    problems: dict[str, Problem] = {}
    raw = raw.fillna("")
    for value in raw.str.strip().unique():
        parts = [(part, resolver.resolve(part)) for part in split_multi(value)]
        unknown = [(part, r.hint) for part, r in parts if r.code is None]
        if unknown:
            part, hint = unknown[0]
            problems[value] = unknown_code_problem(code, f, part, hint)
            joined[value] = None
        else:
            found = sorted({r.code for _, r in parts}, key=lambda c: (order.get(c, 99), c))
            joined[value] = MULTI_SEPARATOR.join(found) or None
    stripped = raw.str.strip()
    bad = stripped.isin(list(problems)).to_numpy()
    values = stripped.map(joined).astype("category")
    return Coerced(values, [cell_problems(stripped, bad, column, f.name, problems.__getitem__, code=code)])


def _coerce_bool(raw: pd.Series, f: Field, column: str) -> Coerced:
    raw = raw.fillna("")
    lowered = raw.str.strip().str.lower()
    values = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    values[lowered.isin(_TRUE)] = True
    values[lowered.isin(_FALSE - {""})] = False
    bad = (~lowered.isin(_TRUE | _FALSE)).to_numpy()

    def problem_of(value: str) -> Problem:
        return Problem.of(ProblemCode.INVALID_BOOLEAN, {"quoted": quoted(value)})

    return Coerced(values, [cell_problems(raw, bad, column, f.name, problem_of, code=ProblemCode.INVALID_BOOLEAN)])


def _coerce_text(raw: pd.Series, f: Field, kind: str, cache: DistinctCache) -> Coerced:
    if kind == "usage" and f.name != "notes":
        return Coerced(text_categorical(raw, cache), [])
    if raw.isna().all():
        return Coerced(raw.astype("str"), [])
    stripped = raw.str.strip().replace("", pd.NA)
    if f.dtype == "id":
        return Coerced(stripped.astype("str"), [])
    return Coerced(stripped, [])


def coerce_field(
    raw: pd.Series,
    f: Field,
    column: str,
    kind: str,
    decimal: str,
    catalogue: pd.DataFrame | None,
    cache: DistinctCache | None = None,
) -> Coerced:
    """Clean one column according to its field type; problems name the row, column and value.

    `cache` holds the columns' distinct values across the fields of one ingest (a fresh one when None).
    """
    cache = cache or DistinctCache()
    if f.dtype == "number":
        coerced = _coerce_number(raw, f, column, decimal, cache)
    elif f.dtype == "int":
        coerced = _coerce_int(raw, f, column, decimal, cache)
    elif f.dtype == "year":
        coerced = _coerce_year(raw, f, column, cache)
    elif f.dtype in CODE_TYPES:
        coerced = _coerce_code(raw, f, column, catalogue, cache)
    elif f.dtype in MULTI_TYPES:
        coerced = _coerce_multi(raw, f, column)
    elif f.dtype == "bool":
        coerced = _coerce_bool(raw, f, column)
    else:
        coerced = _coerce_text(raw, f, kind, cache)
    if f.required:
        values = coerced.values
        if isinstance(values.dtype, pd.CategoricalDtype) and f.dtype not in MULTI_TYPES:
            # An empty cell has no code. So has a value that could not be resolved, but that cell already has its
            # own problem, listed first: the repeated 'missing' problem is dropped with the others (`drop_repeated`).
            missing = values.cat.codes.to_numpy() == -1
        else:
            missing = _missing_mask(raw, numeric=f.dtype in NUMERIC_TYPES, cache=cache)
        problem = Problem.of(ProblemCode.MISSING_VALUE, {"name": f.name, "fill_hint": f.fill_hint()})
        coerced.problems.append(
            cell_problems(raw, missing, column, f.name, lambda _value: problem, code=ProblemCode.MISSING_VALUE)
        )
    return coerced
