"""Financing finder page (AppTest): defaults, the profile and weights from a link, the link out."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from apptest_helpers import ROOT, data_behind, plain, run_page, texts
from streamlit.testing.v1 import AppTest

from sse_dash import datasets, i18n
from sse_dash.ui import session

PAGE = "pages/finder.py"


def share_query(at) -> dict:
    link = next(c.value for c in at.code if "v=1" in c.value and not c.value.startswith("SSE"))
    return parse_qs(urlsplit(link).query)


def ranked_names(at) -> list[str]:
    return list(data_behind(at, "finder")["name"])


def test_defaults_rank_with_a_judgment_warning_a_blend_and_the_rest_explained():
    at = run_page(PAGE)
    assert not at.exception
    headers = [s.value for s in at.subheader]
    assert headers[0].startswith("What fits:") and "A blend to discuss" in headers
    assert any(h.startswith("Does not fit") for h in headers)
    assert "editorial judgment" in " ".join(i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 1
    excluded = next(d.value for d in at.dataframe if "reasons" in d.value.columns)
    assert excluded["reasons"].str.len().gt(5).all()


def test_the_profile_and_weights_come_from_the_link_and_go_back_into_it():
    query = {
        "sse_type": "association",
        "stage": "start_up",
        "membership": "no",
        "country": "FRA",
        "amount": "50000",
        "currency": "EUR",
        "w_afford": "5",
        "w_access": "0",
    }
    at = run_page(PAGE, query)
    assert not at.exception
    assert at.slider(key="w_afford").value == 5 and at.slider(key="w_access").value == 0
    out = share_query(at)
    for key, value in query.items():
        assert out[key] == [value], key
    assert out["v"] == ["1"] and out["collateral"] == ["nothing"]
    assert "needs member status" in texts(at) or any(
        "needs member status" in r for d in at.dataframe if "reasons" in d.value.columns for r in d.value["reasons"]
    )


def test_a_shared_finder_link_reproduces_the_ranking():
    first = run_page(
        PAGE,
        {
            "sse_type": "cooperative",
            "stage": "transfer",
            "collateral": "savings",
            "control": "minority",
            "w_patience": "5",
        },
    )
    again = run_page(PAGE, share_query(first))
    assert ranked_names(again) == ranked_names(first)


def test_changing_a_weight_reorders_the_ranking():
    at = run_page(PAGE, {"collateral": "assets", "control": "any"})
    before = ranked_names(at)
    at.slider(key="w_control").set_value(0).run()
    at.slider(key="w_afford").set_value(5).run()
    assert ranked_names(at) != before


def test_suggested_weights_are_a_click_away():
    at = run_page(PAGE, {"w_afford": "0", "w_patience": "0"})
    next(b for b in at.button if b.label == "Use the suggested weights").click().run()
    assert at.slider(key="w_afford").value > 0


def test_nothing_fits_gives_a_helpful_empty_state():
    """Earned income fits every profile of the bundled catalogue; without it, a foundation in crisis that needs
    permanent money and will not become a member fits nothing (every other instrument is repaid or needs membership)."""
    catalogue = datasets.load_catalogue()
    without = catalogue[catalogue["instrument_id"] != "earned_income"].reset_index(drop=True)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[session.ACTIVE["catalogue"]] = session.ActiveData(
        without, "without earned income", "test-no-earned"
    )
    for key, value in {
        "sse_type": "foundation",
        "stage": "crisis",
        "patience": "permanent",
        "membership": "no",
    }.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    body = texts(at)
    assert "No instrument fits every answer" in body
    assert not any(h.value.startswith("What fits") for h in at.subheader) and not at.get("plotly_chart")
    assert f"Does not fit ({len(without)})" in [h.value for h in at.subheader]


def test_bad_values_in_a_finder_link_are_dropped_with_a_note():
    at = run_page(PAGE, {"w_afford": "9", "sse_type": "bank", "amount": "-5"})
    assert not at.exception
    note = plain(" ".join(i.value for i in at.info))
    assert "w_afford=9" in note and "sse_type=bank" in note and "amount=-5" in note


def card_links(at) -> list[str]:
    """The labels of the ranking's cards ('3\\. Member share capital'), not the blend's links."""
    return [link.proto.label for link in at.get("page_link") if re.match(r"^[0-9۰-۹]+\\\. ", link.proto.label)]


def test_the_count_of_what_fits_is_the_count_of_cards():
    """Issue #14: 'What fits: 12' showed 10 cards. Every instrument that fits has its card (the first ten at once,
    the others in an expander under them)."""
    at = run_page(PAGE, {"collateral": "assets", "control": "any"})
    heading = next(s.value for s in at.subheader if s.value.startswith("What fits:"))
    count = int(re.match(r"What fits: (\d+) of", heading).group(1))
    assert count > 10  # the case the defect was about
    assert len(card_links(at)) == count
    assert [int(label.split("\\")[0]) for label in card_links(at)] == list(range(1, count + 1))
    assert f"The other {count - 10} instruments that fit" in [e.label for e in at.expander]


def test_the_sliders_follow_the_profile_until_the_user_moves_them():
    """Issue #14: changing the life stage changed the suggested weights but not the sliders until a button was
    pressed. A slider the user has not moved now follows the suggestion; a moved one stays where it was put."""
    at = run_page(PAGE)
    assert at.slider(key="w_afford").value == 2
    at.selectbox(key="stage").set_value("start_up").run()
    assert at.slider(key="w_afford").value == 3  # start-up: affordability weighs more
    assert share_query(at)["w_afford"] == ["3"]  # and the link says what is seen
    at.slider(key="w_control").set_value(0).run()
    at.selectbox(key="control").set_value("any").run()
    at.selectbox(key="collateral").set_value("assets").run()
    assert at.slider(key="w_control").value == 0  # moved by the user: kept
    assert at.slider(key="w_collateral").value == 1  # not moved: follows (assets to offer: lightness weighs less)
    at.selectbox(key="stage").set_value("growth").run()
    assert at.slider(key="w_afford").value == 2


def test_weights_from_a_link_stay_as_given_when_the_profile_changes():
    at = run_page(PAGE, {"stage": "start_up", "w_afford": "5", "w_patience": "2"})
    assert at.slider(key="w_afford").value == 5 and at.slider(key="w_patience").value == 2
    at.selectbox(key="patience").set_value("long").run()
    assert at.slider(key="w_afford").value == 5  # not the suggestion: kept as the link gave it
    assert at.slider(key="w_patience").value == 4  # the link gave the suggestion: it follows


def test_the_profile_is_asked_on_the_page_where_a_phone_shows_it():
    """Issue #14: on a 390-px phone the sidebar is folded away behind an icon; the profile was only there."""
    at = run_page(PAGE)
    profile_keys = {"sse_type", "stage", "collateral", "control", "patience", "country", "currency"}
    in_main = {w.key for w in at.main.selectbox} | {w.key for w in at.main.button_group}
    assert profile_keys | {"membership"} <= in_main
    assert not profile_keys & {w.key for w in at.sidebar.selectbox}
    assert "amount" in {w.key for w in at.main.number_input}


def test_a_kenyan_profile_is_told_where_a_ticket_size_comes_from():
    """Issue #14: a Kenyan profile was shown 'typical ticket CAD 5,000–200,000' as if it applied in Kenya."""
    at = run_page(PAGE, {"country": "KEN", "collateral": "assets", "control": "any"})
    captions = plain(" ".join(c.value for c in at.caption))
    assert "typical ticket of an example from Canada: CAD 5,000–200,000" in captions
    assert "typical ticket CAD" not in captions


def test_membership_of_the_provider_is_not_asked_of_the_organisations_own_members():
    """Issue #14: 'Needs membership of the provider' was shown for membership fees and member shares."""
    at = run_page(PAGE, {"membership": "no", "collateral": "assets", "control": "any"})
    names = [plain(label) for label in card_links(at)]
    assert any(name.endswith("Member share capital") for name in names)
    assert any(name.endswith("Membership fees / dues") for name in names)
    assert "membership of the provider" not in plain(texts(at)).lower()
    excluded = next(d.value for d in at.dataframe if "reasons" in d.value.columns)
    assert "SACCO / credit union member loan" in set(excluded["name"])  # joining a provider is still needed there


def test_the_blend_names_the_groups_of_the_overview():
    at = run_page(PAGE, {"collateral": "assets", "control": "any"})
    groups = [m.value for m in at.markdown if m.value.startswith("**")]
    for group in ("Internal", "External", "New forms", "Public & philanthropic", "Market innovations"):
        assert any(group in plain(g) for g in groups), groups


@pytest.mark.parametrize(("lang", "kenya"), [("fr", "Kenya"), ("es", "Kenia"), ("fa", "کنیا")])
def test_the_finder_runs_in_each_language_with_country_names_in_it(lang, kenya):
    """AppTest formats a widget's value in the test's thread (to find it among the options the script drew): that
    thread speaks the page's language too."""
    try:
        i18n.use_language(lang)
        at = run_page(PAGE, {"lang": lang, "country": "KEN", "amount": "50000", "currency": "KES"})
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error
        country = at.selectbox(key="country")
        assert country.value == "KEN" and kenya in country.options
        assert len(card_links(at)) == len(data_behind(at, "finder"))
        assert not at.exception, [e.value for e in at.exception]
    finally:
        i18n.use_language("en")
    assert share_query(at)["lang"] == [lang] and share_query(at)["country"] == ["KEN"]
