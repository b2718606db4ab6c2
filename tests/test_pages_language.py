"""The language of the interface (AppTest, #14): a selector on every page, `lang` read from links and written by
share links, Persian right to left."""

from urllib.parse import parse_qs, urlsplit

import pytest
from apptest_helpers import PAGE_FILES, run_page


def share_query(at) -> dict[str, list[str]]:
    link = next(c.value for c in at.code if "v=1" in c.value and not c.value.startswith("SSE"))
    return parse_qs(urlsplit(link).query)


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_has_the_language_selector(page):
    at = run_page(page)
    assert not at.exception
    selector = at.selectbox(key="lang")
    assert selector.value == "en" and selector.options == ["English", "Français", "Español", "فارسی"]


def test_a_link_with_lang_opens_in_that_language_and_shares_it():
    at = run_page("pages/usage.py", {"lang": "fr", "country": ["KEN"]})
    assert not at.exception
    assert at.selectbox(key="lang").value == "fr" and at.selectbox(key="lang").label == "Langue"
    query = share_query(at)
    assert query["lang"] == ["fr"] and query["country"] == ["KEN"]


def test_lang_is_not_reported_as_a_setting_the_page_cannot_use():
    at = run_page("pages/usage.py", {"lang": "es"})
    assert not any("could not be used" in i.value for i in at.info)


def test_choosing_a_language_keeps_it_for_the_next_page():
    at = run_page("pages/usage.py")
    at.selectbox(key="lang").set_value("fa").run()
    assert at.selectbox(key="lang").label == "زبان"
    assert at.query_params["lang"] in ("fa", ["fa"])
    at.switch_page("pages/finder.py").run()
    assert not at.exception and at.selectbox(key="lang").value == "fa"


def test_persian_is_laid_out_right_to_left():
    at = run_page("pages/overview.py", {"lang": "fa"})
    assert any("direction: rtl" in str(h.proto) for h in at.get("html"))
