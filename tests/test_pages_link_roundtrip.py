"""Every page reads every parameter of a link and writes it back into its share link (AppTest)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from apptest_helpers import run_page
from link_examples import NON_DEFAULT

PAGES = {
    "usage": "pages/usage.py",
    "instruments": "pages/instruments.py",
    "finder": "pages/finder.py",
    "figures": "pages/figures.py",
    "country": "pages/country.py",
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_link_with_every_parameter_changed_comes_back_whole_in_the_share_link(page):
    asked = {**NON_DEFAULT[page], "lang": ["fr"]}  # the language is a parameter of every link, in every language
    at = run_page(PAGES[page], asked)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.info or "could not be used" not in " ".join(i.value for i in at.info)
    link = next(c.value for c in at.code if "v=1" in c.value and not c.value.startswith("SSE"))
    query = parse_qs(urlsplit(link).query)
    assert query.pop("v") == ["1"]
    assert query == asked
