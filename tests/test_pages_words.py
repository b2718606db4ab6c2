"""Words in widgets, codes in links (#14): choices show names and find them by name; links keep the codes."""

from urllib.parse import parse_qs, urlsplit

import pytest
from apptest_helpers import run_page
from languages import in_language

from sse_dash import i18n, views


def share_query(at) -> dict[str, list[str]]:
    link = next(c.value for c in at.code if "v=1" in c.value and not c.value.startswith("SSE"))
    return parse_qs(urlsplit(link).query)


def test_a_link_with_codes_opens_with_names_shown_and_shares_the_codes():
    at = run_page("pages/usage.py", {"country": ["KEN"], "mix_by": "sse_type"})
    country = at.multiselect(key="country")
    assert country.value == ["KEN"] and "Kenya" in country.options and "KEN" not in country.options
    assert at.button_group(key="mix_by").value == "sse_type"
    assert "SSE type" in at.button_group(key="mix_by").options
    query = share_query(at)
    assert query["country"] == ["KEN"] and query["mix_by"] == ["sse_type"]


def test_a_choice_made_on_screen_writes_codes_to_the_address():
    at = run_page("pages/usage.py")
    at.multiselect(key="country").set_value(["KEN", "ITA"]).run()
    at.button_group(key="mix_by").set_value("life_stage").run()
    assert at.query_params["country"] == ["KEN", "ITA"]
    assert at.query_params["mix_by"] in ("life_stage", ["life_stage"])  # AppTest keeps a single value as a string
    at.button_group(key="mix_by").set_value("sse_type").run()  # back to the default: left out, as before
    assert "mix_by" not in at.query_params


@pytest.mark.parametrize(
    ("page", "query", "key", "shown"),
    [
        ("pages/usage.py", {}, "family", "Internal: members' and people's own funds"),
        ("pages/usage.py", {}, "money", "All rows, in US dollars (converted by the publisher)"),
        ("pages/usage.py", {}, "sector", "Health and social care"),
        ("pages/finder.py", {}, "control", "keep full control"),
        ("pages/finder.py", {"country": "KEN"}, "country", "Kenya"),
        ("pages/instruments.py", {"instrument": "member_shares"}, "instrument", "Member share capital"),
        ("pages/figures.py", {}, "indicator", "Credit union members"),
    ],
)
def test_choices_read_as_words(page, query, key, shown):
    at = run_page(page, query)
    widgets = [w for kind in ("multiselect", "selectbox", "button_group") for w in getattr(at, kind) if w.key == key]
    assert shown in widgets[0].options, widgets[0].options[:10]


def test_a_key_shared_by_two_pages_takes_the_value_its_own_widget_can_hold():
    at = run_page("pages/usage.py", {"country": ["KEN"]})  # a list of countries in the session
    at.switch_page("pages/finder.py").run()  # one country here
    assert not at.exception and at.selectbox(key="country").value == "KEN"


def test_view_tabs_show_the_words_of_the_language_and_the_link_keeps_the_code():
    at = run_page("pages/usage.py", {"lang": "fr", "view": "Heatmap"})
    french = [in_language("fr", i18n._, views.VIEW_LABELS[v]) for v in views.VIEWS]
    assert [tab.label for tab in at.tabs] == french
    assert at.session_state["view"] == "Heatmap" and share_query(at)["view"] == ["Heatmap"]
