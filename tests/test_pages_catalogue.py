"""Overview, Instruments, Published figures and About pages (AppTest)."""

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from apptest_helpers import ROOT, data_behind, plain, run_page, texts

CATALOGUE = pd.read_csv(ROOT / "data" / "instruments.csv")
FIGURES = pd.read_csv(ROOT / "data" / "figures.csv")


def share_query(at) -> dict:
    link = next(c.value for c in at.code if "v=1" in c.value and not c.value.startswith("SSE"))
    return parse_qs(urlsplit(link).query)


def catalogue_rows(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "instrument" in d.value.columns and "Cost" in d.value.columns)


# --- overview -----------------------------------------------------------------------------------------------


def test_overview_has_groups_typology_headline_series_and_coverage():
    at = run_page("pages/overview.py")
    assert not at.exception
    body = texts(at)
    for group in ("Internal", "External", "New forms", "Public & philanthropic", "Market innovations"):
        assert f"**{group}**" in body
    assert len(at.get("plotly_chart")) == 1
    members = FIGURES[(FIGURES["indicator"] == "credit_union_members") & (FIGURES["geography"] == "World")]
    headline = next(m for m in at.metric if m.label.startswith(f"World, {members['year'].max()}"))
    assert headline.value == f"{members.sort_values('year')['value'].iloc[-1] / 1e6:,.1f} million"
    assert "Source:" in body


# --- instruments --------------------------------------------------------------------------------------------


def test_instruments_defaults_list_the_whole_catalogue():
    at = run_page("pages/instruments.py")
    assert not at.exception
    assert len(catalogue_rows(at)) == len(CATALOGUE)
    assert "Choose two to five instruments" in texts(at)


@pytest.mark.parametrize(
    ("query", "column", "test"),
    [
        ({"origin": "internal"}, "origin", lambda v: v == "internal"),
        ({"family": "NEW_FORMS"}, "family", lambda v: v == "NEW_FORMS"),
        ({"type": "quasi_equity"}, "instrument_type", lambda v: v == "quasi_equity"),
        ({"stage": "transfer"}, "life_stages", lambda v: "transfer" in v.split("|")),
        ({"sse_type": "informal_group"}, "sse_types", lambda v: "informal_group" in v.split("|")),
        ({"collateral": "none"}, "collateral", lambda v: v == "none"),
        ({"control": "covenants"}, "control_impact", lambda v: v == "covenants"),
    ],
)
def test_each_catalogue_filter(query, column, test):
    at = run_page("pages/instruments.py", query)
    assert not at.exception
    expected = CATALOGUE[CATALOGUE[column].map(test)]["instrument_id"].tolist()
    assert 0 < len(expected) < len(CATALOGUE)
    assert catalogue_rows(at)["id"].tolist() == expected


def test_internal_instruments_compared_on_cost_maturity_collateral_and_control():
    ids = ["member_shares", "membership_fees", "retained_surplus"]
    at = run_page("pages/instruments.py", {"origin": "internal", "compare": ids})
    matrix = next(d.value for d in at.dataframe if "attribute" in d.value.columns)
    assert list(matrix["attribute"])[:9] == [
        "Family",
        "Type",
        "Provider",
        "Cost",
        "Maturity",
        "Collateral",
        "Control impact",
        "Life stages",
        "SSE types",
    ]
    assert len(matrix.columns) == 1 + len(ids)
    assert len(at.get("plotly_chart")) == 1  # the radar
    assert share_query(at)["compare"] == ids


def test_detail_view_marks_judgments_and_lists_sources():
    at = run_page("pages/instruments.py", {"instrument": "labour_fund"})
    body = texts(at)
    assert "Labour" in body and "**Sources**" in body and "](http" in body
    assert "editorial judgment]" in body and "sourced fact]" in body  # st.badge renders as a Markdown badge
    assert share_query(at)["instrument"] == ["labour_fund"]


def test_instruments_link_with_an_unknown_id_keeps_the_rest():
    at = run_page("pages/instruments.py", {"compare": ["member_shares", "nonsense", "sacco_cu_loan"]})
    assert "compare=nonsense" in plain(" ".join(i.value for i in at.info))
    assert share_query(at)["compare"] == ["member_shares", "sacco_cu_loan"]


# --- published figures --------------------------------------------------------------------------------------


def test_figures_default_to_credit_union_members_with_sources_and_notes():
    at = run_page("pages/figures.py")
    assert not at.exception
    assert [s.value for s in at.subheader][0] == "Credit union members"
    body = texts(at)
    assert "**Notes**" in body and "**Sources**" in body
    notes = " ".join(frame.value.to_string() for frame in at.dataframe)
    assert "countries" in body + notes  # WOCCU's coverage caveat, common to every point or in the table of notes
    assert share_query(at)["indicator"] == ["credit_union_members"]


def test_figures_indicator_series_and_mode_from_the_link():
    at = run_page("pages/figures.py", {"indicator": "ftq_net_assets", "mode": "relative"})
    assert [plain(s.value) for s in at.subheader][0] == "Fonds de solidarité FTQ: net assets"
    table = data_behind(at, "figures")
    assert table["index"].iloc[0] == pytest.approx(100)
    query = share_query(at)
    assert query["mode"] == ["relative"] and query["series"] == ["Quebec"]


def test_figures_group_narrows_the_indicators():
    at = run_page("pages/figures.py", {"group": "labour_fund"})
    options = at.selectbox(key="indicator").options  # shown by name, found by name
    assert "Fonds de solidarité FTQ: net assets" in options
    assert all("FTQ" in o or "labour-fund" in o for o in options)


def test_figures_empty_state_when_no_geography_is_selected():
    at = run_page("pages/figures.py")
    at.multiselect(key="series").set_value([]).run()
    assert "No geography is selected" in texts(at)


# --- about --------------------------------------------------------------------------------------------------


def test_about_has_sources_methodology_dictionary_templates_citation_and_licence():
    at = run_page("pages/about.py")
    assert not at.exception
    headers = [h.value for h in at.header]
    for section in (
        "Methodology",
        "What is fact and what is judgment",
        "Sources",
        "Data dictionary",
        "Templates",
        "How to cite a view",
        "Licence",
    ):
        assert section in headers
    sources = next(d.value for d in at.dataframe if "url" in d.value.columns)
    assert len(sources) == len(pd.read_csv(ROOT / "data" / "sources.csv"))
    assert {b.label for b in at.get("download_button")} >= {
        "usage.csv",
        "figures.csv",
        "instruments.csv",
        "sources.csv",
    }
