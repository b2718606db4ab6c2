"""Arbitrary links (#8): any query string gives valid values and a note, never an exception, and changes nothing
outside the visitor's own session."""

import hashlib
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import pytest
from apptest_helpers import ROOT, run_page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sse_dash import datasets, state, store, ui

PAGES = {
    "usage": "pages/usage.py",
    "instruments": "pages/instruments.py",
    "finder": "pages/finder.py",
    "figures": "pages/figures.py",
}
OPTIONS = {
    "usage": {
        "country": ["KEN", "ITA"],
        "years": [2015, 2024],
        "sse_type": ["cooperative"],
        "sector": ["agriculture", "=1+1"],
        "family": ["INT_MEMBER"],
        "instrument": ["sacco_cu_loan"],
        "measure": ["amount", "uses"],
        "money": ["usd", "KES"],
        "scale": ["absolute", "percent"],
        "mix_by": ["sse_type", "country", "life_stage"],
        "view": ["Mix", "Trend"],
    },
    "finder": {"sse_type": ["cooperative", "association"], "w_afford": [0, 5], "country": ["", "KEN"]},
}

text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["*", "", "0", "-1", "1e309", "nan", "inf", "2020", "9" * 40, "KEN", "usd", "%00", "<b>x</b>"]),
)
known_keys = sorted({p.key for params in state.PAGE_PARAMS.values() for p in params} | state.GLOBAL_KEYS)
raw_query = st.dictionaries(
    st.one_of(st.sampled_from(known_keys), st.text(min_size=1, max_size=12)),
    st.lists(text, min_size=1, max_size=4),
    max_size=8,
)


def page_options(page: str) -> dict:
    """Options as a page gives them: its defaults are always among the choices."""
    options = {key: list(values) for key, values in OPTIONS.get(page, {}).items()}
    for param in state.PAGE_PARAMS[page]:
        if param.kind == "one" and param.default not in options.setdefault(param.key, []):
            options[param.key].append(param.default)
        if param.kind == "int":
            options.setdefault(param.key, [0, 5])
    return options


def valid(param: state.Param, value, options: dict) -> bool:
    allowed = [str(o) for o in options.get(param.key, [])]
    if param.kind == "multi":
        return isinstance(value, tuple) and all(v in allowed for v in value)
    if param.kind == "one":
        return value == param.default or value in allowed
    if param.kind == "range":
        bounds = [int(o) for o in options.get(param.key, [0])]
        return value is None or (min(bounds) <= value[0] <= value[1] <= max(bounds))
    return value == param.default or (isinstance(value, int | float) and value >= 0)


@pytest.mark.parametrize("page", sorted(state.PAGE_PARAMS))
@given(raw=raw_query)
@settings(max_examples=200, deadline=None)
def test_any_query_gives_valid_values_and_names_what_it_dropped(page, raw):
    options = page_options(page)
    values, dropped = state.clean(raw, page, options)
    for param in state.PAGE_PARAMS[page]:
        assert valid(param, values[param.key], options), (param.key, values[param.key])
    for item in dropped:
        assert item.reason and str(item)
    again, dropped_again = state.clean(parse_qs(state.share_query(page, values)), page, options)
    assert again == values and dropped_again == []  # a share link of the cleaned view reads back exactly


def fingerprint() -> str:
    """Everything outside a session a page could change: the bundled files, the shared bundle, saved datasets."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "data").glob("*.csv")):
        digest.update(path.read_bytes())
    bundle = ui.bundle()
    for frame in (bundle.sources, bundle.catalogue, bundle.figures, bundle.usage.frame):
        digest.update(pd.util.hash_pandas_object(frame.astype("str"), index=True).to_numpy().tobytes())
    digest.update(str(store.DatasetStore().used_bytes()).encode())
    return digest.hexdigest()


@pytest.mark.parametrize("page", sorted(PAGES))
@given(raw=raw_query)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_link_opens_the_page_without_an_error_and_changes_nothing_outside_the_session(page, raw):
    before = fingerprint()
    at = run_page(PAGES[page], {k: v for k, v in raw.items() if k not in ("dataset",)})
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert fingerprint() == before
    assert Path(datasets.paths.DEMO_USAGE_CSV).exists()


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_widget_opens_at_the_default_its_link_parameter_documents(page):
    """A link that leaves a value out means the documented default: the page's widget must start there.
    (The finder's weights, kind 'int', start from the weights the profile suggests, as the README says.)"""
    at = run_page(PAGES[page])
    checked = 0
    for param in state.PAGE_PARAMS[page]:
        if param.kind == "one" and param.key in at.session_state:
            assert at.session_state[param.key] == param.default, (page, param.key)
            checked += 1
    assert checked, f"no single-value parameter of {page} was found among its widgets"
