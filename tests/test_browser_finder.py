"""The financing finder on a phone (real browser): the profile is reachable without opening the sidebar."""

import re

import pytest
from browser_harness import assert_no_exception, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_finder_profile_is_reachable_on_a_390_px_phone(app_url, browser):
    """Issue #14: on a phone the sidebar is folded away; the profile was only there."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{app_url}/finder")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Financing finder")).to_be_visible()
    sidebar = page.locator('[data-testid="stSidebar"]').bounding_box()
    assert sidebar is None or sidebar["x"] + sidebar["width"] <= 1  # folded away at this width
    stage = page.get_by_role("combobox", name="Life stage")
    stage.scroll_into_view_if_needed()
    box = stage.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    stage.click()
    page.get_by_role("option", name="Start-up").click()
    expect(page).to_have_url(re.compile(r"stage=start_up"))
    assert_no_exception(page)
    context.close()
