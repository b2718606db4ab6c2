"""Shared fixtures: tiny catalogues and paths to the small messy files in tests/data/."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest

TEST_DATA = Path(__file__).parent / "data"
# Saved datasets of the tests go to a throwaway SQLite file, never to the developer's ./var.
os.environ.setdefault("SSE_DASH_DATA_DIR", tempfile.mkdtemp(prefix="sse-dash-tests-"))


@pytest.fixture
def catalogue() -> pd.DataFrame:
    """A few catalogue rows: enough to resolve instrument ids and names in usage files."""
    return pd.DataFrame(
        {
            "instrument_id": [
                "member_shares",
                "sacco_cu_loan",
                "public_grant",
                "community_shares",
                "microcredit",
                "public_soft_loan",
                "savings_group",
                "earned_income",
            ],
            "name": [
                "Member share capital",
                "SACCO / credit union member loan",
                "Public grants",
                "Community shares",
                "Microcredit",
                "Public soft loans",
                "Community savings scheme",
                "Income from sales",
            ],
            "name_local": [None, None, None, None, None, None, "tontine", None],
        }
    )


@pytest.fixture
def data_file():
    """Bytes of a file in tests/data/."""
    return lambda name: (TEST_DATA / name).read_bytes()


# --- browser tests: one server and one browser per session ----------------------------------------------------


@pytest.fixture(scope="session")
def app_url():
    """Base URL of a real `streamlit run app.py` server on the bundled data."""
    from browser_harness import ROOT, streamlit_server

    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Chromium driven by Playwright."""
    from browser_harness import launch_browser
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch_browser(playwright)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no storage) and page, sized like a laptop screen."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    yield tab
    context.close()
