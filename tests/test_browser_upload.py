"""Uploads in a real browser: a messy export imported with one mapping change, and visitors kept apart."""

import re

import pytest
from browser_harness import ROOT, assert_no_exception, settle, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MESSY = ROOT / "tests" / "data" / "register_export_fr.csv"


def choose(page, label: str, option: str) -> None:
    """Pick an option in the Streamlit selectbox with this label."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)  # typing filters the list; the option then shows up to be clicked
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)


def records_caption(page) -> str:
    caption = page.get_by_text(re.compile(r"records of .* organisations match the filters"))
    expect(caption).to_be_visible(timeout=20_000)
    return caption.inner_text()


def plot_data(page) -> str:
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
    return page.evaluate(
        "() => JSON.stringify([...document.querySelectorAll('.js-plotly-plot')].map("
        "el => el.data.map(t => [t.name, t.x, t.y])))"
    )


def upload_messy_file(page, app_url: str) -> None:
    page.goto(f"{app_url}/upload")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(MESSY))
    expect(page.get_by_role("heading", name="5. Use it")).to_be_visible(timeout=30_000)
    settle(page)


def test_a_messy_export_with_one_mapping_change_reaches_the_usage_charts(app_url, page):
    page.goto(f"{app_url}/usage")
    wait_for_app(page)
    bundled_counts, bundled_plot = records_caption(page), plot_data(page)

    upload_messy_file(page, app_url)
    expect(page.get_by_text("semicolon", exact=True)).to_be_visible()
    expect(page.get_by_text("No row could be checked yet").first).to_be_visible()
    choose(page, "SSE type (required)", "Cat. adh.")
    page.get_by_role("button", name="Check the file with these matches").click()
    settle(page)
    expect(page.get_by_text(re.compile(r"4 of 10 rows have at least one problem"))).to_be_visible(timeout=20_000)
    problems = page.locator('[data-testid="stDataFrame"]').last
    expect(problems).to_be_visible()
    page.screenshot(path=str(ROOT / "test-artifacts" / "upload-report.png"), full_page=True)
    page.get_by_role("button", name=re.compile(r"Continue with the 6 valid rows \(4 left out\)")).click()
    settle(page)
    expect(page.get_by_text(re.compile("are active on every page"))).to_be_visible(timeout=20_000)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Uploaded file")).to_be_visible()
    assert_no_exception(page)

    page.get_by_role("link", name="Open the usage explorer").click()
    wait_for_app(page)
    counts = records_caption(page)
    assert counts.startswith("6 records of 6 organisations") and counts != bundled_counts
    assert plot_data(page) != bundled_plot
    expect(page.get_by_text("SYNTHETIC demo data")).to_have_count(0)
    page.screenshot(path=str(ROOT / "test-artifacts" / "usage-after-upload.png"))


def test_one_visitors_upload_is_invisible_to_another(app_url, browser):
    first = browser.new_context(viewport={"width": 1400, "height": 1100})
    second = browser.new_context(viewport={"width": 1400, "height": 1100})
    uploader, other = first.new_page(), second.new_page()
    upload_messy_file(uploader, app_url)
    choose(uploader, "SSE type (required)", "Cat. adh.")
    uploader.get_by_role("button", name="Check the file with these matches").click()
    settle(uploader)
    uploader.get_by_role("button", name=re.compile(r"Continue with the 6 valid rows")).click()
    settle(uploader)
    expect(uploader.get_by_text(re.compile("are active on every page"))).to_be_visible(timeout=20_000)

    other.goto(f"{app_url}/usage")
    wait_for_app(other)
    assert records_caption(other).startswith("30,000 records")
    expect(other.locator('[data-testid="stSidebar"]').get_by_text("SYNTHETIC demo data")).to_be_visible()
    expect(other.get_by_text("registre")).to_have_count(0)
    other.goto(f"{app_url}/upload")
    wait_for_app(other)
    expect(other.get_by_text("Choose a file to start.")).to_be_visible(timeout=20_000)

    uploader.locator('[data-testid="stSidebarNav"]').get_by_text("Usage explorer").click()  # same session
    settle(uploader)
    assert records_caption(uploader).startswith("6 records")
    first.close()
    second.close()


def test_two_visitors_at_once_never_see_each_others_selections_or_errors(app_url, browser):
    first = browser.new_context(viewport={"width": 1400, "height": 1100})
    second = browser.new_context(viewport={"width": 1400, "height": 1100})
    one, two = first.new_page(), second.new_page()
    for page in (one, two):
        page.goto(f"{app_url}/usage")
    for page in (one, two):
        wait_for_app(page)
    bundled = records_caption(two)

    # The first visitor narrows the view and switches to percent; the second one's view stays as it was.
    one.locator('[data-testid="stButtonGroup"]').get_by_text("Percent of total", exact=True).click()
    settle(one)
    box = one.get_by_role("combobox", name="Country")
    box.click()
    box.fill("Kenya")  # the filter shows and finds names; the address keeps the code
    one.get_by_role("option", name="Kenya", exact=True).click()
    one.keyboard.press("Escape")
    settle(one)
    expect(one).to_have_url(re.compile(r"country=KEN"))
    assert records_caption(one) != bundled
    two.get_by_role("tab", name="Trend", exact=True).click()  # the second visitor interacts meanwhile
    settle(two)
    assert records_caption(two) == bundled
    assert "country=" not in two.url and "scale=percent" not in two.url

    # The first visitor's bad file gets an error; the second visitor's upload page knows nothing of it.
    one.locator('[data-testid="stSidebarNav"]').get_by_text("Upload your data", exact=True).click()
    settle(one)
    one.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": "picture.csv", "mimeType": "text/csv", "buffer": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20}
    )
    expect(one.get_by_text(re.compile("PNG image")).first).to_be_visible(timeout=20_000)
    two.locator('[data-testid="stSidebarNav"]').get_by_text("Upload your data", exact=True).click()
    settle(two)
    expect(two.get_by_text("Choose a file to start.")).to_be_visible(timeout=20_000)
    assert two.locator('[data-testid="stAlertContentError"]').count() == 0
    expect(two.get_by_text(re.compile("PNG image"))).to_have_count(0)
    assert_no_exception(one, expected_errors=("PNG image",))
    assert_no_exception(two)
    first.close()
    second.close()
