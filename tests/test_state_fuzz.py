"""Arbitrary links (#8): any query string gives valid values and a note, never an exception, and changes nothing
outside the visitor's own session."""

import hashlib
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import pytest
from apptest_helpers import ROOT, run_page
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from link_examples import page_options

from sse_dash import datasets, state, store, ui

PAGES = {
    "usage": "pages/usage.py",
    "instruments": "pages/instruments.py",
    "finder": "pages/finder.py",
    "figures": "pages/figures.py",
    "country": "pages/country.py",
}
junk = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["*", "", "0", "-1", "1e309", "nan", "inf", "2020", "9" * 40, "KEN", "usd", "%00", "<b>x</b>"]),
)


def drawn_value(param: state.Param, real: list) -> st.SearchStrategy[list[str]]:
    """Raw values of one parameter: mostly the page's real options, sometimes junk."""
    if param.kind == "range":
        low, high = int(min(real)), int(max(real))
        year = st.integers(low - 3, high + 3).map(str)
        return st.one_of(st.lists(year, min_size=2, max_size=2), st.lists(st.one_of(year, junk), max_size=3))
    if param.kind in ("int", "number"):
        low, high = (int(min(real)), int(max(real))) if real else (0, 10**6)
        number = st.one_of(st.integers(low - 2, high + 2).map(str), st.floats(low - 1, high + 1).map(str))
        return st.lists(st.one_of(number, number, junk), min_size=1, max_size=2)
    choice = st.sampled_from([str(o) for o in real]) if real else junk
    if param.kind == "multi":
        return st.lists(st.one_of(choice, choice, choice, st.just(state.ALL), junk), min_size=1, max_size=4)
    return st.lists(st.one_of(choice, choice, choice, junk), min_size=1, max_size=2)


@st.composite
def raw_query(draw, page: str) -> dict[str, list[str]]:
    """A query string for `page`: some of its parameters (drawn from its real options) and some junk keys."""
    options = page_options(page)
    raw = {}
    for param in state.PAGE_PARAMS[page]:
        if draw(st.integers(0, 2)):  # two in three parameters are in the link
            raw[param.key] = draw(drawn_value(param, list(options.get(param.key, []))))
    raw.update(
        draw(
            st.dictionaries(
                st.one_of(st.sampled_from(sorted(state.GLOBAL_KEYS)), st.text(min_size=1, max_size=12)),
                st.lists(junk, min_size=1, max_size=2),
                max_size=2,
            )
        )
    )
    return raw


def valid(param: state.Param, value, options: dict) -> bool:
    allowed = [str(o) for o in options.get(param.key, [])]
    if param.kind == "multi":
        return isinstance(value, tuple) and all(v in allowed for v in value)
    if param.kind == "one":
        return value == param.default or value in allowed
    if param.kind == "range":
        bounds = [int(o) for o in options.get(param.key, [0])]
        return value is None or (min(bounds) <= value[0] <= value[1] <= max(bounds))
    if param.kind == "int":
        return value == param.default or (isinstance(value, int) and 0 <= value <= 5)
    return value is None or (isinstance(value, float) and 0 <= value < float("inf"))


def kept(param: state.Param, given: list[str], options: dict):
    """The value a link's valid entry must give, or None when the entry is not valid (written from the README)."""
    allowed = [str(o) for o in options.get(param.key, [])]
    given = [g for g in given if g != ""]
    if not given:
        return None
    if param.kind == "one":
        return given[-1] if given[-1] in allowed else None
    if param.kind == "int":
        # isdecimal, not isdigit: '¹' is a digit that int() does not read (the link drops it as not a number)
        return int(given[-1]) if given[-1].isdecimal() and 0 <= int(given[-1]) <= 5 else None
    if param.kind == "multi" and all(g in allowed for g in given):
        return tuple(dict.fromkeys(given))
    return None


@pytest.mark.parametrize("page", sorted(state.PAGE_PARAMS))
@given(data=st.data())
@settings(max_examples=200, deadline=None)
def test_any_query_gives_valid_values_and_names_what_it_dropped(page, data):
    raw = data.draw(raw_query(page))
    options = page_options(page)
    values, dropped = state.clean(raw, page, options)
    for param in state.PAGE_PARAMS[page]:
        assert valid(param, values[param.key], options), (param.key, values[param.key])
        expected = kept(param, raw.get(param.key, []), options)
        if expected is not None:  # a valid value in the link is used as it is
            assert values[param.key] == expected, (param.key, raw[param.key])
    for item in dropped:
        assert item.reason and str(item)
    again, dropped_again = state.clean(parse_qs(state.share_query(page, values)), page, options)
    assert again == values and dropped_again == []  # a share link of the cleaned view reads back exactly


@pytest.mark.parametrize("page", sorted(state.PAGE_PARAMS))
def test_the_fuzzed_links_reach_a_value_other_than_the_default_for_every_parameter(page):
    options = page_options(page)
    for param in state.PAGE_PARAMS[page]:
        find(
            raw_query(page),
            lambda raw, p=param: state.clean(raw, page, options)[0][p.key] not in (p.default, None),
            settings=settings(max_examples=2000, database=None),
        )


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
@given(data=st.data())
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_link_opens_the_page_without_an_error_and_changes_nothing_outside_the_session(page, data):
    raw = data.draw(raw_query(page))
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
