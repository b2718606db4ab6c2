"""Hostile cell contents for the hardening tests: script tags, event handlers, javascript: links, long strings.

Every payload sets `window.__xss` or opens a dialog if it ever runs; the browser tests check that neither happens
and that the text is shown as text.
"""

from __future__ import annotations

import pandas as pd

from sse_dash import datasets

SCRIPT = "<script>window.__xss='script'</script>"
IMG = "<img src=x onerror=\"window.__xss='img';alert(1)\">"
SVG = "<svg onload=\"window.__xss='svg'\"></svg>"
JS_LINK = "[click me](javascript:window.__xss='link')"
HTML_LINK = "<a href=\"javascript:window.__xss='a'\">go</a>"
MARKDOWN = "**bold** _it_ `code` # heading $x^2$ :material/home: <b>b</b>"
LONG = "long-" + "x" * 3_000
PAYLOADS = [SCRIPT, IMG, SVG, JS_LINK, HTML_LINK, MARKDOWN, LONG]
FILE_NAME = "<img src=x onerror=\"window.__xss='name'\">.csv"
INSTRUMENT_ID = "xss_instrument"
INSTRUMENT_NAME = f"{SCRIPT} {IMG} Evil loan"
INDICATOR = "xss_indicator"


def catalogue_csv() -> bytes:
    """A catalogue of one instrument whose texts are hostile (attributes copied from a real bundled row)."""
    row = datasets.template_frame("instruments").head(1).copy()
    row["instrument_id"] = INSTRUMENT_ID
    row["name"] = INSTRUMENT_NAME
    row["name_local"] = SVG
    row["description"] = f"{JS_LINK} {HTML_LINK} {MARKDOWN} {LONG}"
    row["typical_terms"] = IMG
    row["cost_note"] = SCRIPT
    return row.to_csv(index=False).encode()


def usage_csv() -> bytes:
    """Usage rows whose free texts are hostile, one row with a hostile country (a problem that quotes it), and a
    hostile extra column."""
    rows = []
    for i, text in enumerate(PAYLOADS):
        rows.append(
            {
                "org_id": f"ORG-{i}-{text[:40]}",
                "country": "KEN",
                "year": 2020 + i % 4,
                "sse_type": "cooperative",
                "instrument_id": INSTRUMENT_ID if i % 2 else "sacco_cu_loan",
                "amount": 1000 + i,
                "currency": "KES",
                "sector": text[:200],
                "region": text[:200],
                "notes": text,
                SVG: IMG,
            }
        )
    rows.append({**rows[0], "country": SCRIPT})
    return pd.DataFrame(rows).to_csv(index=False).encode()


def figures_csv() -> bytes:
    """Published figures whose names, geographies, notes and sources are hostile."""
    return (
        pd.DataFrame(
            {
                "indicator": INDICATOR,
                "indicator_name": f"{SCRIPT} indicator",
                "geography": [IMG, IMG, HTML_LINK],
                "geo_level": "country",
                "year": [2019, 2020, 2020],
                "value": [1.0, 2.0, 3.0],
                "unit": SVG,
                "source_id": "xss_source",
                "note": f"{JS_LINK} {MARKDOWN}",
            }
        )
        .to_csv(index=False)
        .encode()
    )
