"""Charts follow the language (AppTest, #14): a usage view cached in one language is not shown in another."""

import json

from apptest_helpers import run_page


def figure_layout(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]


def test_a_usage_chart_drawn_in_english_is_drawn_again_in_french_and_persian():
    at = run_page("pages/usage.py", {"view": "Mix"})
    assert figure_layout(at)["separators"] == ".,"
    at.selectbox(key="lang").set_value("fr").run()
    assert figure_layout(at)["separators"] == ",\u202f"  # not the English figure from the cache
    at.selectbox(key="lang").set_value("fa").run()
    layout = figure_layout(at)
    assert layout["title"]["xanchor"] == "right" and layout["yaxis"]["side"] == "right"
