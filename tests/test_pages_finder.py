"""Financing finder page (AppTest): defaults, the profile and weights from a link, the link out."""

from urllib.parse import parse_qs, urlsplit

from apptest_helpers import ROOT, data_behind, plain, run_page, texts
from streamlit.testing.v1 import AppTest

from sse_dash import datasets
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
