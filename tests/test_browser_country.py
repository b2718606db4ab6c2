"""The country profile in a real browser (#16): opened by its link, drawn, and fitting a phone screen."""

import pytest
from browser_harness import ROOT, assert_no_exception, settle, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_profile_of_iran_opens_by_its_link_and_draws(app_url, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/country?country=IRN")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Country profile").first).to_be_visible(timeout=30_000)
        expect(page.get_by_role("combobox", name="Country")).to_have_value("Iran")
        expect(page.locator('[data-testid="stMetric"]')).to_have_count(4)
        assert_no_exception(page)
        page.screenshot(path=str(ROOT / "test-artifacts" / "page-country-IRN.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("query", ["country=IRN", "country=KEN&peers=USA&lang=fa"])
def test_the_profile_fits_a_phone_screen(app_url, browser, query):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(f"{app_url}/country?{query}")
        wait_for_app(phone)
        expect(phone.locator("h1").first).to_be_visible(timeout=30_000)
        expect(phone.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=30_000)
        assert_no_exception(phone)
        overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the country profile ({query}) is {overflow} px wider than the phone"
        name = query.replace("&", "-").replace("=", "-")
        phone.screenshot(path=str(ROOT / "test-artifacts" / f"phone-country-{name}.png"), full_page=True)
    finally:
        context.close()


def test_countries_selected_on_the_usage_map_link_to_their_profiles(app_url, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/usage?view=Map&country=KEN")
        wait_for_app(page)
        shape = page.locator("path.choroplethlocation").first  # Kenya, the only country the filter leaves
        expect(shape).to_be_visible(timeout=30_000)
        links = page.get_by_role("link", name="Country profile: Kenya")
        expect(links).to_have_count(1)  # the sidebar's, for the country filter
        box = shape.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.click(x, y)  # a click on a map selects nothing (Plotly selects on geo maps by box or lasso)
        settle(page)
        page.locator('[data-title="Box Select"]').first.click()
        page.wait_for_timeout(300)
        page.mouse.move(x - 30, y - 30)
        page.mouse.down()
        page.mouse.move(x + 30, y + 30, steps=10)
        page.mouse.up()
        expect(links).to_have_count(2, timeout=30_000)  # and one under the map, for the country selected on it
        links.last.click()
        expect(page.get_by_role("combobox", name="Country")).to_have_value("Kenya", timeout=30_000)
        assert "country=KEN" in page.url
        assert_no_exception(page)
    finally:
        context.close()
