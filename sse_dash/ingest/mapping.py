"""Which column feeds which field: header matching (names, then synonyms) and the kind a header suggests."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from sse_dash import codes
from sse_dash.ingest.problems import Problem, ProblemCode
from sse_dash.ingest.table import column_letter
from sse_dash.schema import FIELDS, KINDS, required_names


def normalise_header(header: str) -> str:
    """Header in snake case without accents: ' Montant (EUR) ' -> 'montant_eur'."""
    return codes.normalise_key(header.replace("\ufeff", "")).replace(" ", "_")


def _header_keys(header: str) -> list[str]:
    key = normalise_header(header)
    without_brackets = normalise_header(re.sub(r"[(\[].*?[)\]]", " ", header))
    return [key] if without_brackets in ("", key) else [key, without_brackets]


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
    name = headers[position].strip() or "(no name)"
    return f"'{name}' (column {column_letter(position)})"


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
                    labels = " and ".join(_header_label(headers, i) for i in hits)
                    problems.append(Problem.of(ProblemCode.DUPLICATE_COLUMN, {"columns": labels, "name": f.name}))
                positions[f.name] = hits[0]
                used.update(hits)
                break
    extras = [i for i in range(len(headers)) if i not in used]
    for i in extras:
        duplicates = [j for j in extras if j != i and keys[j][0] == keys[i][0]]
        if duplicates and i < min(duplicates):
            warnings.append(
                f"Columns {_header_label(headers, i)} and "
                f"{', '.join(_header_label(headers, j) for j in duplicates)} have the same name; "
                "both are kept aside."
            )
    return ColumnMatch(positions, extras, problems, warnings)


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
