"""Words in widgets, codes in links, in a real browser (#14): typing a country's name finds it; the address keeps
its code."""

import re

import pytest
from browser_harness import assert_no_exception, settle, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_typing_kenya_in_the_country_filter_finds_it_and_the_address_says_ken(app_url, page):
    page.goto(f"{app_url}/usage?mix_by=sse_type")
    wait_for_app(page)
    country = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    expect(country).to_contain_text("Country", timeout=20_000)
    country.locator("input").fill("Kenya")
    option = page.get_by_role("option", name="Kenya", exact=True)
    expect(option).to_be_visible()
    option.click()
    settle(page)
    expect(page).to_have_url(re.compile(r"country=KEN"))
    expect(country).to_contain_text("Kenya")
    assert_no_exception(page)


def test_a_link_with_codes_shows_names(app_url, page):
    page.goto(f"{app_url}/usage?country=KEN&mix_by=life_stage")
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.locator('[data-testid="stMultiSelect"]').first).to_contain_text("Kenya", timeout=20_000)
    expect(page.get_by_text("Life stage", exact=True).first).to_be_visible()
    expect(page).to_have_url(re.compile(r"country=KEN&mix_by=life_stage$"))
    assert_no_exception(page)
