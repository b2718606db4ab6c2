"""The published figures page (AppTest): switching the indicator or the instrument in the sidebar draws a chart
(#14), and the page's widgets show words while its links keep codes."""

import json

import pytest
from apptest_helpers import run_page, texts

# What a share link writes: every value, the default geography included.
SHARED = {"indicator": "credit_union_members", "series": "World", "mode": "level", "v": "1"}


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("indicator", "credit_union_member_growth_2014_2023", "Africa"),  # regions only, no "World" series
        ("group", "community_shares", "United Kingdom"),  # an instrument: its first indicator has no "World"
    ],
)
@pytest.mark.parametrize("query", [SHARED, {}], ids=["from-a-share-link", "fresh"])
def test_choosing_an_indicator_or_instrument_in_the_sidebar_draws_a_chart(query, key, value, expected):
    at = run_page("pages/figures.py", query)
    at.selectbox(key=key).set_value(value).run()
    assert not at.exception
    geographies = at.multiselect(key="series")
    assert expected in geographies.value and geographies.value == [
        v for v in geographies.value if v in geographies.options
    ]
    assert len(at.get("plotly_chart")) == 1
    assert "No geography is selected" not in texts(at)
    assert "series" not in at.query_params  # the default geographies are left out of the address, as before


def test_geographies_still_offered_stay_chosen_when_the_indicator_changes():
    at = run_page("pages/figures.py", {"indicator": "adults_saving_formal", "series": ["Kenya", "World"]})
    at.selectbox(key="indicator").set_value("credit_union_members").run()  # has Kenya and World too
    assert at.multiselect(key="series").value == ["Kenya", "World"]
    at.selectbox(key="indicator").set_value("credit_union_member_growth_2014_2023").run()
    assert at.multiselect(key="series").value[:2] == ["Africa", "Asia"]


def test_geographies_read_as_names_in_the_active_language_while_the_link_keeps_the_published_names():
    at = run_page("pages/figures.py", {"lang": "fr", "indicator": "adults_saving_formal"})
    geographies = at.multiselect(key="series")
    assert "Afrique subsaharienne" in geographies.options and "Sub-Saharan Africa" not in geographies.options
    geographies.set_value(["Kenya", "Sub-Saharan Africa"]).run()
    assert at.query_params["series"] == ["Kenya", "Sub-Saharan Africa"]
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {trace["name"] for trace in chart["data"]} == {"Kenya", "Afrique subsaharienne"}


def test_persian_names_countries_and_regions_in_persian():
    at = run_page("pages/figures.py", {"lang": "fa", "indicator": "adults_saving_formal"})
    assert {"کنیا", "افریقای جنوب صحرا"} <= set(at.multiselect(key="series").options)
    assert not at.exception
