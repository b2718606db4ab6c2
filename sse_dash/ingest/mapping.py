"""Which column feeds which field: header matching (names, then synonyms), whether an optional field's values fit
its column, and the kind a header suggests."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from sse_dash import codes
from sse_dash.i18n import _, ngettext, number
from sse_dash.ingest.coerce import CODE_TYPES, MULTI_TYPES, resolver_for, split_multi
from sse_dash.ingest.problems import Problem, ProblemCode, field_word, quoted
from sse_dash.ingest.table import column_letter
from sse_dash.schema import FIELDS, KINDS, Field, required_names


def normalise_header(header: str) -> str:
    """Header in snake case without accents: ' Montant (EUR) ' -> 'montant_eur'."""
    return codes.normalise_key(header.replace("\ufeff", "")).replace(" ", "_")


def _header_keys(header: str) -> list[str]:
    key = normalise_header(header)
    without_brackets = normalise_header(re.sub(r"[(\[].*?[)\]]", " ", header))
    return [key] if without_brackets in ("", key) else [key, without_brackets]


# An optional field matched by its header keeps the column when at least this share of the distinct values fit.
FIT_SHARE = 0.5


@functools.cache
def _synonym_keys(synonyms: tuple[str, ...]) -> list[str]:
    """Synonyms as header keys ('نوع تعاونی' -> 'نوع_تعاونی'), each once, in order."""
    return list(dict.fromkeys(key for key in map(normalise_header, synonyms) if key))


@dataclass
class ColumnMatch:
    """Which header position feeds which canonical field, and what is left over."""

    positions: dict[str, int]
    extras: list[int]
    problems: list[Problem]
    warnings: list[str]

    def required_share(self, kind: str) -> float:
        """Fraction of the kind's required fields that found a column."""
        required = required_names(kind)
        return sum(name in self.positions for name in required) / len(required)


def _header_label(headers: list[str], position: int) -> str:
    name = headers[position].strip()
    if not name:
        return _("column {letter} (no name)").format(letter=column_letter(position))
    return _("'{name}' (column {letter})").format(name=name, letter=column_letter(position))


def match_columns(
    headers: list[str],
    kind: str,
    overrides: Mapping[str, str | None] | None = None,
    constants: Mapping[str, str] | None = None,
) -> ColumnMatch:
    """Map headers to the fields of `kind`: explicit overrides, then exact names, then documented synonyms."""
    overrides, constants = dict(overrides or {}), dict(constants or {})
    fields = FIELDS[kind]
    keys = [_header_keys(h) for h in headers]
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    warnings: list[str] = []
    used: set[int] = set()
    for name, header in overrides.items():
        if header is None or name in constants:
            continue
        matches = [i for i, h in enumerate(headers) if h == header]
        if matches:
            positions[name] = matches[0]
            used.add(matches[0])
    for tier in ("name", "synonym"):
        for f in fields:
            if f.name in positions or f.name in constants or f.name in overrides:
                continue
            wanted = [f.name] if tier == "name" else _synonym_keys(f.synonyms)
            for wanted_key in wanted:
                hits = [i for i, k in enumerate(keys) if wanted_key in k and i not in used]
                if not hits:
                    continue
                if len(hits) > 1:
                    labels = ", ".join(_header_label(headers, i) for i in hits)
                    problems.append(Problem.of(ProblemCode.DUPLICATE_COLUMN, {"columns": labels, "name": f.name}))
                positions[f.name] = hits[0]
                used.update(hits)
                break
    extras = [i for i in range(len(headers)) if i not in used]
    for i in extras:
        duplicates = [j for j in extras if j != i and keys[j][0] == keys[i][0]]
        if duplicates and i < min(duplicates):
            warnings.append(
                _("These columns have the same name and are all kept aside: {columns}.").format(
                    columns=", ".join(_header_label(headers, j) for j in [i, *duplicates])
                )
            )
    return ColumnMatch(positions, extras, problems, warnings)


def _share_known(values: pd.Series, f: Field, catalogue: pd.DataFrame | None) -> tuple[int, int, str] | None:
    """(known, distinct, an unknown example) over a column's distinct non-blank values; None when nothing to say."""
    resolver = resolver_for(f, catalogue)
    if resolver is None:
        return None
    distinct = {text.strip() for text in values.dropna().unique().tolist() if str(text).strip()}
    parts = {v: split_multi(v) if f.dtype in MULTI_TYPES else [v] for v in sorted(map(str, distinct))}
    known = [v for v, found in parts.items() if all(codes.normalise_key(p) in resolver.lookup for p in found)]
    unknown = [v for v in parts if v not in set(known)]
    return (len(known), len(parts), unknown[0]) if unknown else None


def unfit_optional_fields(
    match: ColumnMatch,
    headers: list[str],
    column: Callable[[int], pd.Series],
    kind: str,
    chosen: Mapping[str, str | None],
    catalogue: pd.DataFrame | None,
) -> ColumnMatch:
    """The match without the optional coded fields whose column's values mostly are not codes of the field.

    A header alone can mislead ('Stage' holding project stages is not `life_stage`): an optional field found by
    its name or a synonym keeps its column only when at least `FIT_SHARE` of the column's distinct non-blank values
    resolve; otherwise the column is kept aside with a note. A column the user chose (`chosen`) is always kept.
    """
    positions, extras, warnings = dict(match.positions), list(match.extras), list(match.warnings)
    for f in FIELDS[kind]:
        if f.required or f.name in chosen or f.name not in positions or f.dtype not in CODE_TYPES + MULTI_TYPES:
            continue
        share = _share_known(column(positions[f.name]), f, catalogue)
        if share is None or share[0] >= FIT_SHARE * share[1]:
            continue
        known, distinct, example = share
        position = positions.pop(f.name)
        extras.append(position)
        warnings.append(
            ngettext(
                "The column {column} was not used as '{field}': {known} of its {distinct} different value is a known "
                "value of '{field}' (not {example}, for one), so it was kept aside. Match it to '{field}' yourself "
                "if it does hold them.",
                "The column {column} was not used as '{field}': {known} of its {distinct} different values are known "
                "values of '{field}' (not {example}, for one), so it was kept aside. Match it to '{field}' yourself "
                "if it does hold them.",
                distinct,
            ).format(
                column=_header_label(headers, position),
                field=field_word(f.name),
                known=number(known),
                distinct=number(distinct),
                example=quoted(example),
            )
        )
    return ColumnMatch(positions, sorted(extras), match.problems, warnings)


def missing_column_problems(
    headers: list[str], kind: str, match: ColumnMatch, constants: Mapping[str, str]
) -> list[Problem]:
    """A problem for every required field that neither a column nor a value for every row gives."""
    problems = []
    leftover = {normalise_header(headers[i]): headers[i] for i in match.extras if headers[i].strip()}
    for f in FIELDS[kind]:
        if not f.required or f.name in match.positions or f.name in constants:
            continue
        close = difflib.get_close_matches(f.name, leftover.keys(), n=1, cutoff=0.6)
        params = {"name": f.name, "fill_hint": f.fill_hint(), "close": leftover[close[0]] if close else ""}
        problems.append(
            Problem.of(
                ProblemCode.MISSING_COLUMN,
                params,
                template="missing_column.close" if close else None,
                column=f.name,
                field=f.name,
            )
        )
    return problems


def detect_kind(headers: list[str]) -> tuple[str | None, float]:
    """The kind whose required columns the headers cover best, with the share covered."""
    shares = {kind: match_columns(headers, kind).required_share(kind) for kind in KINDS}
    kind = max(shares, key=lambda k: (shares[k], -KINDS.index(k)))
    return (kind, shares[kind]) if shares[kind] >= 0.5 else (None, shares[kind])
