"""Regenerate `sse_dash/aliases/cldr_names.csv`: country and currency names in English, French, Spanish and Persian.

The names are CLDR's (the Unicode Common Locale Data Repository), read through Babel; the table is committed so
that the dashboard needs no Babel at run time. Run from a checkout with Babel installed:

    pip install babel==2.18.0 && python -m tools.cldr_names

Only codes the resolvers know are written: countries with an ISO 3166 alpha-2 code in pycountry (stored as
alpha-3; Kosovo's XK as XKX), and the ISO 4217 currencies of pycountry. A name that CLDR gives to two codes of one
kind in one language is left out, since it could not say which was meant.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

import pycountry

from sse_dash.codes import normalise_key
from sse_dash.paths import ALIASES_DIR

LANGUAGES = ("en", "fr", "es", "fa")
OUT = ALIASES_DIR / "cldr_names.csv"
COLUMNS = ["kind", "language", "name", "code"]


def _alpha_3(alpha_2: str) -> str | None:
    if alpha_2 == "XK":
        return "XKX"
    country = pycountry.countries.get(alpha_2=alpha_2) if len(alpha_2) == 2 and alpha_2.isalpha() else None
    return country.alpha_3 if country else None


def cldr_rows() -> list[dict[str, str]]:
    """One row per (kind, language, name): CLDR's country and currency names for `LANGUAGES`."""
    from babel import Locale  # only this generator needs Babel

    currencies = {currency.alpha_3 for currency in pycountry.currencies}
    rows: list[dict[str, str]] = []
    for language in LANGUAGES:
        locale = Locale.parse(language)
        named = [("country", name, _alpha_3(code)) for code, name in locale.territories.items()]
        named += [("currency", name, code if code in currencies else None) for code, name in locale.currencies.items()]
        codes_of: dict[tuple[str, str], set[str]] = defaultdict(set)
        for kind, name, code in named:
            if code:
                codes_of[kind, normalise_key(name)].add(code)
        rows += [
            {"kind": kind, "language": language, "name": name, "code": code}
            for kind, name, code in named
            if code and len(codes_of[kind, normalise_key(name)]) == 1
        ]
    return sorted(rows, key=lambda row: (row["kind"], row["language"], row["code"], row["name"]))


def write(path: Path = OUT) -> int:
    """Write the table; returns the number of rows."""
    rows = cldr_rows()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    count = write()
    print(f"Wrote {count:,} CLDR names to {OUT}.", file=sys.stderr)
