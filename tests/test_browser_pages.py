"""Every page in a real browser: opened by its path, charts drawn, nothing fetched from outside, share links."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_harness import ROOT, assert_no_exception, settle, wait_for_app
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGES = [
    ("", "SSE Finance Dashboard", 1),
    ("instruments", "Instruments", 0),
    ("figures", "Published figures", 1),
    ("usage", "Usage explorer", 1),
    ("finder", "Financing finder", 1),
    ("upload", "Upload your data", 0),
    ("about", "About this dashboard", 0),
]


def outside_requests(context, base: str) -> list[str]:
    """Block and record every request that would leave the app's own server."""
    seen: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(base) or url.startswith("data:") or url.startswith("blob:"):
            request_route.continue_()
        else:
            seen.append(url)
            request_route.abort()

    context.route("**/*", route)
    return seen


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


def plot_data(page) -> list:
    """The y (or z) values of every trace of every Plotly chart on the page, as drawn."""
    return page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(
        el => el.data.map(t => JSON.stringify(t.y ?? t.z ?? t.x ?? t.r ?? t.ids)))""")


@pytest.mark.parametrize(("path", "title", "charts"), PAGES)
def test_each_page_opens_by_its_path_and_draws_its_charts_offline(app_url, browser, path, title, charts):
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    blocked = outside_requests(context, app_url)
    page = context.new_page()
    open_page(page, f"{app_url}/{path}")
    expect(page.get_by_role("heading", name=title).first).to_be_visible()
    if charts:
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
        assert page.locator(".js-plotly-plot").count() >= charts
    assert_no_exception(page)
    page.screenshot(path=str(ROOT / "test-artifacts" / f"page-{path or 'overview'}.png"))
    assert blocked == [], blocked
    context.close()


def test_world_map_draws_country_shapes_from_the_app_itself(app_url, browser):
    context = browser.new_context()
    blocked = outside_requests(context, app_url)
    page = context.new_page()
    open_page(page, f"{app_url}/usage?view=Map")
    expect(page.locator("path.choroplethlocation").first).to_be_attached(timeout=20_000)
    assert page.locator("path.choroplethlocation").count() == 18  # the demo's countries
    assert (
        page.locator(".geo .countries path, .geo path.countries").count()
        + page.locator(".geo .coastlines path").count()
        > 0
    )
    assert blocked == []
    context.close()


def test_changing_a_control_updates_the_url(app_url, page):
    open_page(page, f"{app_url}/usage")
    percent = page.locator('[data-testid="stButtonGroup"]').get_by_text("Percent of total", exact=True)
    expect(percent).to_be_visible(timeout=20_000)
    percent.click()
    settle(page)
    expect(page).to_have_url(re.compile(r"scale=percent"))


def test_a_shared_link_shows_a_colleague_the_same_filters_and_numbers(app_url, browser):
    first = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = first.new_page()
    open_page(page, f"{app_url}/usage?country=KEN&country=ITA&mix_by=country&scale=percent&sse_type=cooperative")
    page.get_by_role("button", name="Share this view").click()
    link = page.locator('[data-testid="stCode"] code').first.inner_text().strip()
    query = parse_qs(urlsplit(link).query)
    assert query["v"] == ["1"] and query["country"] == ["KEN", "ITA"] and query["instrument"] == ["*"]
    assert link.startswith(app_url)
    counts = page.get_by_text(re.compile(r"records of .* organisations match")).inner_text()
    numbers = plot_data(page)
    first.close()

    colleague = browser.new_context(viewport={"width": 1400, "height": 1200})
    other = colleague.new_page()
    open_page(other, link)
    expect(other.get_by_text(counts)).to_be_visible()
    chips = other.locator('[data-testid="stSidebar"] [data-tag]')
    expect(chips.first).to_be_visible(timeout=20_000)
    assert {"Kenya", "Italy", "Cooperative"} <= {chip.get_attribute("aria-label") for chip in chips.all()}  # words
    expect(other.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
    assert plot_data(other) == numbers
    colleague.close()


def test_clicking_an_instrument_in_the_typology_opens_its_details(app_url, page):
    open_page(page, app_url)
    leaf = page.locator(".js-plotly-plot g.slice").filter(has_text="Crowdfunding").first
    leaf.click()
    settle(page)
    expect(page).to_have_url(re.compile(r"/instruments\?.*instrument=crowdfunding"))
    expect(page.get_by_role("heading", name="Crowdfunding").first).to_be_visible()


def test_a_finder_link_shows_a_colleague_the_same_ranking(app_url, browser):
    link = (
        f"{app_url}/finder?v=1&sse_type=cooperative&stage=start_up&collateral=nothing&control=keep_full"
        "&patience=any&membership=yes&country=FRA&w_afford=3&w_patience=2&w_collateral=4&w_control=4&w_access=2"
    )
    first = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = first.new_page()
    open_page(page, link)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
    ranking = plot_data(page)
    page.get_by_role("button", name="Share this view").click()
    shared = page.locator('[data-testid="stCode"] code').first.inner_text().strip()
    assert parse_qs(urlsplit(shared).query)["country"] == ["FRA"]
    first.close()
    second = browser.new_context(viewport={"width": 1400, "height": 1200})
    other = second.new_page()
    open_page(other, shared)
    expect(other.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
    assert plot_data(other) == ranking
    expect(other.get_by_role("link", name=re.compile(r"^1\. "))).to_be_visible()
    second.close()


def test_data_behind_a_chart_opens_on_demand_with_the_table_and_its_download(app_url, page):
    open_page(page, f"{app_url}/usage?country=KEN")
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0  # not drawn until asked for
    page.get_by_text("Data behind this chart").first.click()
    settle(page)
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible(timeout=20_000)
    settle(page)
    for attempt in range(2):  # a click that lands while a rerun redraws the button is lost: click once more
        try:
            with page.expect_download(timeout=30_000) as download:
                page.get_by_role("button", name="Download CSV").first.click()
            break
        except PlaywrightTimeout:
            if attempt:
                raise
            settle(page)
    with open(download.value.path(), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert lines[0].startswith("sse_type,") and "family" in lines[0] and len(lines) > 2
    assert_no_exception(page)
