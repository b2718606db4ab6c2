"""Data shown as text in a real browser: whatever a cell holds, Markdown and Plotly show exactly that (#4, #8)."""

import json

import hostile
import pytest
from browser_harness import ROOT, streamlit_server, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CASES = [
    *hostile.PAYLOADS,
    "### not a heading",
    "a 'quoted' word, it's",
    ":material/home: :smile: :streamlit: :red[red] :blue-background[x]",
    "$x^2$ ~~struck~~ **b** _i_ `c` a\\b \\*",
    '[a](javascript:x) <a href="javascript:x">go</a> http://example.com www.example.com',
    "1. item",
    "- item",
    "> quote",
    "| a | b |",
    "&amp; &lt; &#58;",
    "a -> b <- c <-> d -- e >= f <= g ~= h x-->y",
    "time 10:30, a:b, x_y_z, café «»",
]


def test_markdown_and_chart_labels_show_every_cell_exactly_as_written(browser, tmp_path):
    cases_file = tmp_path / "cases.json"
    cases_file.write_text(json.dumps(CASES), encoding="utf-8")
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    with streamlit_server({"CASES_FILE": str(cases_file)}, app="tests/apps/markdown_cases.py") as url:
        page = browser.new_page()
        page.goto(url)
        wait_for_app(page)
        for number, case in enumerate(CASES):
            shown = page.locator(f".st-key-case{number}").inner_text().replace("\u2060", "")
            assert shown == case, (case, shown)
            caption = page.locator(f".st-key-caption{number}").inner_text().replace("\u2060", "")
            assert caption == f"Source: {case}", (case, caption)
        expect(page.locator(".js-plotly-plot .xtick text")).to_have_count(len(CASES))  # Plotly draws after React
        labels = page.evaluate(
            "() => [...document.querySelectorAll('.js-plotly-plot .xtick text')].map(t => t.textContent)"
        )
        assert labels == [case[:60] for case in CASES]
        assert page.evaluate("() => window.__xss ?? null") is None
        page.close()
