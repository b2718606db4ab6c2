"""Charts on a 390-px phone, in a real browser (#14): the plot keeps the width, legends and labels take their own
room."""

import pytest
from browser_harness import assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def first_chart(page):
    """The page's first Plotly chart, once drawn."""
    chart = page.locator(".js-plotly-plot").first
    chart.locator(".nsewdrag").first.wait_for(state="attached", timeout=60_000)
    chart.scroll_into_view_if_needed()
    return chart


def plot_area(page) -> dict:
    """The bounding box of the first chart's plot area (Plotly's drag layer over the axes' domain)."""
    drag = first_chart(page).locator(".nsewdrag").first
    return drag.bounding_box()


def test_the_mix_bars_keep_most_of_a_phones_width(app_url, browser):
    """A legend in a column beside the plot left the Mix bars about 70 px of a 390-px screen."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/usage?view=Mix&mix_by=sse_type")
        wait_for_app(page)
        box = plot_area(page)
        assert box["width"] > 250, box
        assert box["height"] > 150, box
        assert_no_exception(page)
    finally:
        context.close()


def test_the_finder_chart_legend_sits_between_title_and_bars(app_url, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/finder")
        wait_for_app(page)
        chart = first_chart(page)
        title = chart.locator(".gtitle").first.bounding_box()
        legend = chart.locator(".legend").first.bounding_box()
        plot = chart.locator(".nsewdrag").first.bounding_box()
        assert title["y"] + title["height"] <= legend["y"] + 1, (title, legend)  # the legend covers no title
        assert legend["y"] + legend["height"] <= plot["y"] + 1, (legend, plot)
        assert plot["width"] > 150, plot
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_title_of_several_lines_is_drawn_whole_inside_its_chart(app_url, page, lang):
    """With Plotly's title `automargin`, the first line of a title of two lines was drawn above the figure."""
    page.goto(f"{app_url}/finder?lang={lang}")
    wait_for_app(page)
    chart = first_chart(page)
    title = chart.locator(".gtitle").first
    assert title.locator("tspan.line").count() >= 2 or "<br>" in (title.get_attribute("data-unformatted") or "")
    box, figure = title.bounding_box(), chart.locator(".main-svg").first.bounding_box()
    assert box["y"] >= figure["y"] - 6, (box, figure)  # a line is 22 px: the old first line was wholly above
    assert box["y"] + box["height"] <= figure["y"] + figure["height"], (box, figure)
    assert_no_exception(page)


@pytest.mark.parametrize("lang", ["fr", "fa"])
def test_every_choice_above_the_usage_charts_is_on_a_phones_screen(app_url, browser, lang):
    """The French "Composition par" choices ran past the right edge of a 390-px screen (scrolled out of sight)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/usage?lang={lang}")
        wait_for_app(page)
        choices = page.locator('[data-testid="stButtonGroup"] button')
        choices.nth(6).wait_for(timeout=60_000)
        assert choices.count() >= 7  # measure (2), scale (2), mix by (3)
        for i in range(choices.count()):
            choice = choices.nth(i)  # not scrolled into view: that would scroll a row of choices sideways too
            box = choice.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, (choice.inner_text(), box)
        assert_no_exception(page)
    finally:
        context.close()
