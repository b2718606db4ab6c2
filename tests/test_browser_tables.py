"""Tables in a real browser (#11): no table's own toolbar exports a live formula (=HYPERLINK(...), +1+1, @SUM(1),
-2+3) from uploaded text: the toolbar has no download, or what it downloads is neutralised."""

import csv
import re

import pytest
from browser_harness import ROOT, assert_no_exception, settle, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(1)", "-2+3"]
HEADER = "org_id,country,year,sse_type,instrument_id,amount,currency,sector,region,notes"
# One usable row with formula-like text in every text column, one whose country is a formula (a reported problem).
USAGE = "\n".join(
    [
        HEADER,
        '"+1+1",KEN,2021,cooperative,sacco_cu_loan,10,KES,"@SUM(1)","-2+3","=HYPERLINK(""http://x"",""y"")"',
        '"@SUM(1)","=HYPERLINK(""http://x"",""y"")",2021,cooperative,sacco_cu_loan,10,KES,"+1+1","-2+3","-2+3"',
        "",
    ]
).encode()
# Streamlit's table export saves through the File System Access API when there is one (a native dialog); without
# it, it falls back to an ordinary download, which Playwright can catch.
NO_SAVE_PICKER = "delete window.showSaveFilePicker;"


def tables_exports(page) -> list[str]:
    """The CSV text each table's own toolbar download gives on this page (none for a table without one)."""
    exported = []
    tables = page.locator('[data-testid="stDataFrame"]')
    for index in range(tables.count()):
        table = tables.nth(index)
        table.scroll_into_view_if_needed()
        table.hover()
        toolbar = table.locator("xpath=..").locator('[data-testid="stElementToolbar"]')
        expect(toolbar.get_by_role("button", name="Search")).to_be_visible(timeout=10_000)  # the toolbar is there
        downloads = toolbar.get_by_role("button", name="Download as CSV")
        if downloads.count():
            with page.expect_download() as download:
                downloads.first.click()
            with open(download.value.path(), encoding="utf-8-sig") as handle:
                exported.append(handle.read())
    return exported


def live_formulas(text: str) -> list[str]:
    """Cells of a CSV that a spreadsheet would run as a formula."""
    return [cell for row in csv.reader(text.splitlines()) for cell in row if re.match(r"[=+\-@\t\r]", cell)]


def test_no_table_toolbar_exports_a_live_formula(app_url, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    context.add_init_script(NO_SAVE_PICKER)
    page = context.new_page()
    page.goto(f"{app_url}/upload")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": "formulas.csv", "mimeType": "text/csv", "buffer": USAGE}
    )
    expect(page.get_by_role("heading", name="5. Use it")).to_be_visible(timeout=30_000)
    settle(page)
    assert page.locator('[data-testid="stDataFrame"]').count() >= 2  # the file as read, and its problems
    exported = tables_exports(page)
    page.screenshot(path=str(ROOT / "test-artifacts" / "table-toolbar.png"), full_page=True)
    assert not [formula for text in exported for formula in live_formulas(text)], exported

    page.get_by_role("button", name=re.compile(r"^(Use all|Continue with)")).click()
    settle(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Usage explorer", exact=True).click()
    settle(page)
    page.get_by_text("Data behind this chart").first.click()
    settle(page)
    exported = tables_exports(page)
    assert not [formula for text in exported for formula in live_formulas(text)], exported
    assert_no_exception(page)
    context.close()
