"""No interface text escapes translation (#14): every page is run with a pseudo-catalogue that marks each message
⟦like this⟧; any other text of two or more Latin words on the page must be data (a name, a source, a note), which
may stay in its own language. The .po files' completeness is `test_i18n`'s job; this finds strings never wrapped."""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
import pseudo
import pytest
from apptest_helpers import PAGE_FILES, ROOT, run_page

from sse_dash import schema
from sse_dash.i18n import translate

PRODUCT = ("SSE Finance Dashboard",)
WORDS = re.compile(r"[A-Za-z]{2,}[\s,;:/()']+[A-Za-z]{2,}")


@cache
def data_texts() -> tuple[str, ...]:
    """Every text cell of the bundled data files and the header synonyms of every field (what files hold), longest
    first: data, not interface."""
    found: set[str] = set(PRODUCT)
    found.update(", ".join(f.synonyms) for fields in schema.FIELDS.values() for f in fields if f.synonyms)
    for path in (ROOT / "data").glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in frame.columns:
            for value in frame[column].unique():
                found.update(
                    part.strip() for part in [value, *re.split(r"(?<=[.;])\s+", value)] if len(part.strip()) > 3
                )
    return tuple(sorted(found, key=len, reverse=True))


def leftovers(text: str) -> str:
    """What of `text` is neither a marked message, nor data, nor a link."""
    left = pseudo.unmarked(text)
    left = re.sub(r"`[^`]*`", " ", left)  # code spans: column names, codes, parameters
    left = re.sub(r"\\(.)", r"\1", left).replace("&#58;", ":").replace("\u2060", "")  # text written with md()
    left = re.sub(r"<style>.*?</style>", " ", left, flags=re.S)  # the right-to-left style sheet
    left = re.sub(r":material/[a-z_]+:|:[a-z]+-badge\[", " ", left)  # Streamlit's icon and badge directives
    if WORDS.search(left):
        for data in data_texts():
            if data in left:
                left = left.replace(data, " ")
    left = re.sub(r"\]\([^)\s]*\)", " ", left)  # the address of a Markdown link
    left = re.sub(r"\S*(\?v=1|://)\S*", " ", left)  # links and addresses
    return left


@pytest.fixture
def pseudo_catalogue(monkeypatch):
    real = translate.translations
    monkeypatch.setattr(translate, "translations", lambda code: pseudo.Pseudo() if code != "en" else real(code))


# Pages beyond their first screen: a comparison and a detail, every usage view, a finder profile, a series.
STATES = [(page, {}) for page in PAGE_FILES] + [
    ("pages/instruments.py", {"compare": ["member_shares", "sacco_cu_loan"], "instrument": "member_shares"}),
    *[("pages/usage.py", {"view": view, "scale": "percent"}) for view in ("Organisations", "Trend", "Heatmap", "Map")],
    ("pages/usage.py", {"view": "Amounts", "money": "KES"}),
    ("pages/finder.py", {"country": "KEN", "amount": "5000", "currency": "KES", "stage": "start_up"}),
    ("pages/figures.py", {"indicator": "credit_union_members", "mode": "relative"}),
    ("pages/country.py", {"country": "KEN", "peers": ["USA", "ITA"]}),
]


@pytest.mark.parametrize(("page", "query"), STATES)
def test_every_text_of_a_page_is_a_message_or_data(page, query, pseudo_catalogue):
    at = run_page(page, {**query, "lang": "fa"})
    assert not at.exception, [e.value for e in at.exception]
    shown = pseudo.shown_texts(at)
    assert any(pseudo.OPEN in s for s in shown)  # the pseudo-catalogue is in use
    untranslated = sorted({s for s in shown if WORDS.search(leftovers(s))})
    assert not untranslated, f"{len(untranslated)} texts not through gettext: {untranslated[:12]}"
