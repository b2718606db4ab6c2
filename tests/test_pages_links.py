"""Links Streamlit cannot read whole (AppTest): more than 1,000 parameters are ignored, and the page says so."""

import pytest
from apptest_helpers import PAGE_FILES, plain, run_page

# Streamlit reads no parameter of a query string with more than this many (runtime/state/query_params.py).
MAX_PARAMETERS = 1000


def too_long(count: int) -> dict[str, list[str]]:
    return {"country": ["KEN"] * (count - 1), "scale": ["percent"]}


@pytest.mark.parametrize("page", PAGE_FILES)
def test_a_link_with_more_than_1000_parameters_is_ignored_with_a_note_on_every_page(page):
    at = run_page(page, too_long(MAX_PARAMETERS + 1))
    at.run()  # a server that has run the app once (its health check does) reports from the first view on
    assert not at.exception
    note = plain(" ".join(w.value for w in at.warning))
    assert "1,001 parameters" in note and "none of its settings" in note


def test_a_link_of_1000_parameters_is_read():
    at = run_page("pages/usage.py", too_long(MAX_PARAMETERS))
    at.run()
    assert not at.exception
    assert "none of its settings" not in plain(" ".join(w.value for w in at.warning))
    assert at.session_state["scale"] == "percent"
