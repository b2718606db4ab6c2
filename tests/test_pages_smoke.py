"""Every page runs without an exception on the bundled data (AppTest, no browser)."""

import pytest
from apptest_helpers import PAGE_FILES, run_page, texts


@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_runs_without_exception(page):
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]


def test_every_page_file_is_in_the_navigation():
    app = (run_page.__globals__["ROOT"] / "app.py").read_text()
    for page in PAGE_FILES:
        assert f'"{page}"' in app, page


def test_overview_shows_what_is_loaded_and_that_usage_is_synthetic():
    at = run_page("pages/overview.py")
    labels = {m.label: m.value for m in at.metric}
    assert labels["Instruments in the catalogue"] == "32"
    assert int(labels["Usage records"].replace(",", "")) == 30_000
    assert "SYNTHETIC" in texts(at)
