"""Every page in each language in a real browser (#14): no exception, no interface text left in English, Persian
laid out right to left and readable at a phone's width; tabs show words while the address keeps the view's code."""

from __future__ import annotations

import re
from functools import cache

import pytest
from babel.messages.pofile import read_po
from browser_harness import assert_no_exception, settle, wait_for_app
from languages import in_language
from playwright.sync_api import expect

from sse_dash import i18n, views
from sse_dash.i18n.translate import po_path
from sse_dash.ui.links import PAGE_PATHS

pytestmark = pytest.mark.browser
LANGUAGES = ["fr", "es", "fa"]
PERSIAN = re.compile(r"[\u0600-\u06FF]")
RIGHT_TO_LEFT = """part => {
    const element = document.querySelector(`[data-testid="${part}"]`);
    return element && getComputedStyle(element).direction === "rtl";
}"""


@cache
def english_left_as_is(code: str) -> frozenset[str]:
    """The interface's English messages (without placeholders) that `code` translates into other words: seeing one
    of them on a page in `code` means a text was not translated."""
    with po_path(code).open("rb") as po:
        catalogue = read_po(po, locale=code)
    return frozenset(
        m.id.strip("*")
        for m in catalogue
        if isinstance(m.id, str) and m.string and m.string != m.id and "{" not in m.id and len(m.id) > 3
    )


# The text a reader sees, without code spans and blocks (column names, codes, links), which stay as written, and
# without icons (a Material icon is drawn from its name, e.g. 'description').
PROSE = """els => els.map(el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('code, pre, [data-testid*="Icon"]').forEach(code => code.remove());
    document.body.appendChild(copy);
    const text = copy.innerText;
    copy.remove();
    return text;
})"""


def shown_lines(page) -> list[str]:
    texts = page.locator('[data-testid="stMain"], [data-testid="stSidebar"]').evaluate_all(PROSE)
    return [line.strip() for text in texts for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("name", sorted(PAGE_PATHS))
def test_each_page_opens_in_each_language_with_nothing_left_in_english(app_url, page, name, code):
    page.goto(f"{app_url}/{PAGE_PATHS[name]}?lang={code}")
    wait_for_app(page)
    assert_no_exception(page)
    title = page.locator("h1").first
    expect(title).to_be_visible(timeout=30_000)
    lines = shown_lines(page)
    english = sorted({line for line in lines if line.strip("*") in english_left_as_is(code)})
    assert not english, f"shown in English on the {code} {name} page: {english[:10]}"
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(
        in_language(code, i18n._, "Language")
    )  # the selector
    if code == "fa":
        main = page.locator('[data-testid="stMainBlockContainer"]').inner_text()
        assert len(PERSIAN.findall(main)) > 20, main[:300]
        for part in ("stMainBlockContainer", "stSidebarUserContent"):  # the style sheet may come a frame later
            page.wait_for_function(RIGHT_TO_LEFT, arg=part, timeout=10_000)


@pytest.mark.parametrize("name", ["overview", "usage", "finder", "figures"])
def test_persian_pages_fit_a_phone_screen(browser, app_url, name):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(f"{app_url}/{PAGE_PATHS[name]}?lang=fa")
        wait_for_app(phone)
        assert_no_exception(phone)
        expect(phone.locator("h1").first).to_be_visible(timeout=30_000)
        expect(phone.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=30_000)
        overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the {name} page is {overflow} px wider than the phone"
        phone.screenshot(path=f"test-artifacts/phone-fa-{name}.png", full_page=True)
    finally:
        context.close()


def test_a_tab_shows_its_french_word_and_the_address_keeps_the_view_code(app_url, page):
    page.goto(f"{app_url}/usage?lang=fr")
    wait_for_app(page)
    trend = in_language("fr", i18n._, views.VIEW_LABELS["Trend"])
    tab = page.get_by_role("tab", name=trend, exact=True)
    expect(tab).to_be_visible(timeout=30_000)
    tab.click()
    settle(page)
    expect(page).to_have_url(re.compile(r"[?&]view=Trend(&|$)"))
    expect(tab).to_have_attribute("aria-selected", "true")
    page.goto(f"{app_url}/usage?lang=es&view=Map")
    wait_for_app(page)
    expect(
        page.get_by_role("tab", name=in_language("es", i18n._, views.VIEW_LABELS["Map"]), exact=True)
    ).to_have_attribute("aria-selected", "true", timeout=30_000)
    assert_no_exception(page)
