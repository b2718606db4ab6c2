"""Links in a real browser (#11): a link too long for Streamlit to read says so on the page; years given last first
are read in order."""

import re

import pytest
from browser_harness import assert_no_exception, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_link_with_more_than_1000_parameters_says_it_was_not_read(app_url, page):
    page.goto(app_url)  # the server has run the app once, as after its health check
    wait_for_app(page)
    query = "&".join(["country=KEN"] * 1000 + ["scale=percent"])
    page.goto(f"{app_url}/usage?{query}")
    wait_for_app(page)
    note = page.get_by_text(re.compile("This link is too long to read"))
    expect(note).to_be_visible(timeout=20_000)
    assert "1,001 parameters" in note.inner_text()
    expect(page.get_by_text(re.compile(r"30,000 records of .* organisations match the filters"))).to_be_visible()
    assert_no_exception(page)


def test_years_given_last_first_are_read_in_order_on_the_slider_and_in_the_address(app_url, page):
    page.goto(f"{app_url}/usage?years=2021&years=2019")
    wait_for_app(page)
    expect(page.get_by_text("years=2021&2019 (read as 2019–2021)", exact=False)).to_be_visible()
    slider = page.locator('[data-testid="stSlider"]')
    expect(slider.locator('[data-testid="stSliderThumbValue"]')).to_have_text(["2019", "2021"], timeout=30_000)
    expect(page).to_have_url(re.compile(r"years=2019&years=2021$"), timeout=30_000)
    assert_no_exception(page)
