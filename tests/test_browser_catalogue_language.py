"""The catalogue in Persian and French in a real browser (#14): translated names in the table, the typology and the
details, marked as translations; Persian laid out right to left; no exception."""

import re

import pandas as pd
import pytest
from browser_harness import ROOT, assert_no_exception, wait_for_app
from playwright.sync_api import expect

from sse_dash import catalogue_text, i18n

pytestmark = pytest.mark.browser

TRANSLATIONS = pd.read_csv(ROOT / "data" / "instrument_translations.csv", dtype=str, keep_default_na=False)


def translated(instrument: str, lang: str) -> str:
    return TRANSLATIONS.set_index(["instrument_id", "lang"]).loc[(instrument, lang), "name"]


def test_instrument_details_in_persian_right_to_left(app_url, page):
    page.goto(f"{app_url}/instruments?lang=fa&instrument=member_shares")
    wait_for_app(page)
    heading = page.get_by_role("heading", name=re.compile(re.escape(translated("member_shares", "fa"))))
    expect(heading.first).to_be_visible(timeout=20_000)
    i18n.use_language("fa")
    try:
        mark = i18n._(catalogue_text.TRANSLATION_NOTICE)  # as the .po catalogue has it, when it does
    finally:
        i18n.use_language("en")
    expect(page.get_by_text(mark).first).to_be_visible()
    direction = page.locator('[data-testid="stMainBlockContainer"]').evaluate("el => getComputedStyle(el).direction")
    assert direction == "rtl"
    assert_no_exception(page)
    page.screenshot(path=str(ROOT / "test-artifacts" / "instruments-fa.png"), full_page=True)


def test_typology_leaf_in_french_opens_the_instrument(app_url, page):
    page.goto(f"{app_url}/?lang=fr")
    wait_for_app(page)
    leaf = page.locator(".js-plotly-plot g.slice").filter(has_text=translated("crowdfunding", "fr")).first
    expect(leaf).to_be_visible(timeout=20_000)
    leaf.click()
    expect(page).to_have_url(re.compile(r"/instruments\?.*instrument=crowdfunding"), timeout=20_000)
    expect(page.get_by_role("heading", name=translated("crowdfunding", "fr")).first).to_be_visible(timeout=20_000)
    assert_no_exception(page)
