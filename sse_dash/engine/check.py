"""`check-source`: a usage table checked where it lives, by aggregate queries, without pulling its rows.

The same rules as the ingest of a file (required columns and values, vocabularies, countries and currencies that
exist, instruments of the catalogue, years in range, amounts not negative, exact duplicates), each answered by one
grouped query: how many rows break it and which values, the most frequent first. The report has the shape of
`validate --json` (`valid`, `kind`, `rows`, `warnings`, `problems`); a table has no spreadsheet rows, so a problem
names the column, the value and how many rows carry it instead. Every count is kept; at most `MAX_LISTED` values
are listed per rule and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import pandas as pd
from ibis.expr.types import Table

from sse_dash import codes
from sse_dash.schema import EARLIEST_YEAR, FIELDS, latest_year

MAX_LISTED = 20  # values listed per rule and column; the counts cover them all


@dataclass
class SourceReport:
    """What `check_source` found: the table's size and every problem, counted."""

    source: str
    rows: int = 0
    problems: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def record(self) -> dict:
        """The report as `validate --json` prints one, with the counts a table needs."""
        return {
            "valid": self.valid,
            "kind": "usage",
            "source": self.source,
            "rows": self.rows,
            "warnings": self.warnings,
            "listed_per_rule": MAX_LISTED,
            "problems": self.problems,
        }


def check_source(table: Table, catalogue: pd.DataFrame, source: str = "") -> SourceReport:
    """Check a usage table in place (an Ibis table with the schema's column names: see `source.usage_records`)."""
    report = SourceReport(source, rows=_count(table))
    fields = {f.name: f for f in FIELDS["usage"]}
    for name, spec in fields.items():
        if name not in table.columns:
            if spec.required:
                report.problems.append(
                    _problem(
                        "missing_column",
                        name,
                        None,
                        report.rows,
                        f"The table has no column for '{name}'.",
                        "Map one of its columns to it (SSE_DASH_USAGE_MAPPING or --map FIELD=COLUMN).",
                    )
                )
            continue
        column = table[name]
        if spec.required:
            missing = _count(table.filter(column.isnull()))
            if missing:
                report.problems.append(
                    _problem(
                        "missing_value",
                        name,
                        None,
                        missing,
                        f"{missing:,} rows have no {name}.",
                        "Fill the value or leave those rows out.",
                    )
                )
        allowed = _allowed(name, spec, catalogue)
        if allowed is not None:
            report.problems += _outside(table, name, allowed)
    report.problems += _out_of_range(table)
    duplicates = report.rows - _count(table.distinct()) if report.rows else 0
    if duplicates:
        report.warnings.append(f"{duplicates:,} rows repeat another row exactly (kept, as in a file: several loans).")
    return report


def _allowed(name: str, spec, catalogue: pd.DataFrame) -> list[str] | None:
    if spec.vocabulary:
        return list(spec.vocabulary)
    if spec.dtype == "country":
        return sorted(codes.known_countries())
    if spec.dtype == "currency":
        return list(codes.known_currencies())
    if spec.dtype == "instrument":
        return [str(i) for i in catalogue["instrument_id"]]
    return None


def _outside(table: Table, name: str, allowed: list[str]) -> list[dict]:
    """One problem per value of `name` outside `allowed`, most frequent first (at most MAX_LISTED listed)."""
    column = table[name].cast("string")
    rows = table.filter(column.notnull(), ~column.isin(allowed))
    found = rows.group_by(value=column).aggregate(rows=rows.count()).order_by([ibis.desc("rows"), "value"])
    listed = found.limit(MAX_LISTED).execute()
    problems = [
        _problem(
            "not_in_vocabulary",
            name,
            str(r.value),
            int(r.rows),
            f"'{r.value}' is not a known {name}.",
            _what_to_do(name),
        )
        for r in listed.itertuples()
    ]
    if len(listed) == MAX_LISTED:
        total = found.aggregate(values=found.count(), rows=found["rows"].sum()).execute()
        others, other_rows = int(total["values"].iloc[0]) - MAX_LISTED, int(total["rows"].iloc[0])
        other_rows -= int(listed["rows"].sum())
        if others:
            problems.append(
                _problem(
                    "not_in_vocabulary",
                    name,
                    None,
                    other_rows,
                    f"{others:,} more unknown values of {name} in {other_rows:,} rows (not listed).",
                    _what_to_do(name),
                )
            )
    return problems


def _what_to_do(name: str) -> str:
    return {
        "country": "Use ISO 3166 alpha-3 codes (KEN, ITA).",
        "currency": "Use ISO 4217 codes (EUR, KES).",
        "instrument_id": "Use an instrument_id of the catalogue (python -m sse_dash template instruments).",
    }.get(name, "Use one of the values the data dictionary lists (python -m sse_dash dictionary usage).")


def _out_of_range(table: Table) -> list[dict]:
    problems = []
    if "year" in table.columns:
        year = table["year"]
        outside = table.filter(year.notnull(), (year < EARLIEST_YEAR) | (year > latest_year()))
        found = outside.aggregate(rows=outside.count(), low=year.min(), high=year.max()).execute()
        rows = int(found["rows"].iloc[0] or 0)
        if rows:
            problems.append(
                _problem(
                    "year_out_of_range",
                    "year",
                    f"{found['low'].iloc[0]}–{found['high'].iloc[0]}",
                    rows,
                    f"{rows:,} rows have a year before {EARLIEST_YEAR} or after {latest_year()}.",
                    "Give the year the financing was used (Solar Hijri years: add 621).",
                )
            )
    for name in ("amount", "amount_usd"):
        if name in table.columns:
            negative = _count(table.filter(table[name] < 0))
            if negative:
                problems.append(
                    _problem(
                        "negative_value",
                        name,
                        None,
                        negative,
                        f"{negative:,} rows have a negative {name}.",
                        "Record repayments as their own instrument, not as negative amounts.",
                    )
                )
    return problems


def _problem(code: str, column: str, value: str | None, rows: int, message: str, suggestion: str) -> dict:
    return {
        "row": None,
        "column": column,
        "value": value,
        "rows": rows,
        "code": code,
        "message": message,
        "suggestion": suggestion,
    }


def _count(table: Table) -> int:
    counted = table.count().execute()
    return 0 if pd.isna(counted) else int(counted)
