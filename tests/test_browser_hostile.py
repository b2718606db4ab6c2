"""Hostile uploads in a real browser: scripts, event handlers, javascript: links and long strings stay inert text on
every page that shows user text (#8)."""

import re
from urllib.parse import urlencode

import hostile
import pytest
from browser_harness import ROOT, assert_no_exception, settle, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = [
    "Overview",
    "Instruments",
    "Published figures",
    "Usage explorer",
    "Financing finder",
    "Upload your data",
    "About",
]
USAGE_TABS = ["Mix", "Organisations", "Trend", "Heatmap", "Map", "Amounts"]
# Anything a payload could have made: its flag, its elements, its handlers, its links.
TRACES = """() => ({
    flag: window.__xss ?? null,
    images: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.scripts].filter(s => s.textContent.includes('__xss')).length,
    svg: [...document.querySelectorAll('svg[onload]')].length,
    links: [...document.querySelectorAll('a[href]')]
        .filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
    handlers: [...document.querySelectorAll('*')].filter(
        e => [...e.attributes].some(a => a.name.startsWith('on') && a.value.includes('__xss'))).length,
})"""
CLEAN = {"flag": None, "images": 0, "scripts": 0, "svg": 0, "links": 0, "handlers": 0}


def upload(page, name: str, data: bytes) -> None:
    """Upload bytes under `name` on the upload page and make the valid rows active for this session."""
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    expect(page.get_by_role("heading", name="5. Use it")).to_be_visible(timeout=30_000)
    settle(page)
    active = page.get_by_text(re.compile("are active on every page"))
    for _ in range(3):  # a click that lands while a rerun redraws the button is lost: click again (it is idempotent)
        page.get_by_role("button", name=re.compile(r"^(Use all|Continue with)")).click()
        settle(page)
        try:
            expect(active).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            continue
    expect(active).to_be_visible(timeout=10_000)


def go_to(page, title: str) -> None:
    """Switch page inside the app (a reload would start a new session without the uploads)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    settle(page)


def assert_inert(page, where: str, dialogs: list[str]) -> None:
    assert page.evaluate(TRACES) == CLEAN, where
    assert dialogs == [], (where, dialogs)
    assert_no_exception(page)


def test_hostile_uploads_are_shown_as_text_on_every_page(app_url, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{app_url}/upload")
    wait_for_app(page)

    upload(page, "catalogue.csv", hostile.catalogue_csv())
    assert_inert(page, "upload: catalogue", dialogs)
    upload(page, "figures.csv", hostile.figures_csv())
    assert_inert(page, "upload: figures", dialogs)
    upload(page, hostile.FILE_NAME, hostile.usage_csv())
    body = page.inner_text("body")
    shown_name = hostile.FILE_NAME.replace('"', "%22")  # how Chromium sends a double quote in a file name
    assert shown_name in body  # the file name, shown as text
    assert hostile.SVG in body  # the hostile extra column, listed as text
    page.screenshot(path=str(ROOT / "test-artifacts" / "hostile-upload.png"), full_page=True)
    assert_inert(page, "upload: usage", dialogs)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the problems (CSV)").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        report = handle.read()
    assert "<script>" in report and not re.search(r"^[=+\-@]", report, re.MULTILINE)

    for title in PAGES:
        go_to(page, title)
        assert_inert(page, title, dialogs)
    go_to(page, "Usage explorer")
    expect(page.locator('[data-testid="stSidebar"]').get_by_text(shown_name).first).to_be_visible()
    for tab in USAGE_TABS:
        page.get_by_role("tab", name=tab, exact=True).click()
        settle(page)
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
        assert_inert(page, f"usage: {tab}", dialogs)
    page.get_by_role("tab", name="Organisations", exact=True).click()
    settle(page)
    labels = page.locator(".js-plotly-plot").first.inner_text()
    assert "<script>" in labels and "Evil loan" in labels  # the instrument's name drawn as text in the chart

    go_to(page, "Instruments")
    box = page.get_by_role("combobox", name="Instrument", exact=True)
    box.click()
    box.fill("Evil loan")  # the box shows and finds names, drawn as text
    page.get_by_role("option", name=hostile.INSTRUMENT_NAME, exact=True).click()
    settle(page)
    body = page.inner_text("body")
    print(body[body.find("Instrument details") :][:1500])
    assert hostile.SCRIPT in body
    page.screenshot(path=str(ROOT / "test-artifacts" / "hostile-instrument.png"), full_page=True)
    assert_inert(page, "instrument details", dialogs)

    go_to(page, "Published figures")
    assert "<script>window.__xss='script'</script> indicator" in page.inner_text("body")
    assert_inert(page, "figures", dialogs)
    context.close()


@pytest.mark.parametrize("path", ["", "instruments", "figures", "usage", "finder", "upload", "about"])
def test_hostile_links_are_shown_as_text(app_url, page, path):
    """A link's unknown or invalid values are named in a note: as text, whatever they contain."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    query = urlencode(
        [("colour", hostile.IMG), ("country", hostile.JS_LINK), ("indicator", hostile.SCRIPT), ("view", hostile.SVG)]
    )
    page.goto(f"{app_url}/{path}?{query}")
    wait_for_app(page)
    assert_inert(page, f"link to /{path}", dialogs)
    if path not in ("", "upload", "about"):  # pages without settings of their own say nothing
        note = page.get_by_text("Some settings in this link could not be used").first
        expect(note).to_be_visible()
        assert hostile.IMG in note.inner_text().replace("\u2060", "")
