"""The overview in a real browser against a real server."""

import pytest
from browser_harness import ROOT, assert_no_exception, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_overview_renders_without_exception(app_url, page):
    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_text("Instruments in the catalogue")).to_be_visible()
    expect(page.get_by_text("SYNTHETIC demo data").first).to_be_visible()
    assert_no_exception(page)
    page.screenshot(path=str(ROOT / "test-artifacts" / "overview.png"), full_page=True)
