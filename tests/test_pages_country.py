"""The country profile page (AppTest, #16): a country from the link, its figures, instruments, usage and peers, the
empty state, the links to it from the usage and figures pages, and every language."""

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from apptest_helpers import ROOT, plain, run_page, texts
from link_examples import page_options

from sse_dash import state
from sse_dash.i18n import LANGUAGES

PAGE = "pages/country.py"
FIGURES = pd.read_csv(ROOT / "data" / "figures.csv")
USAGE = pd.read_csv(ROOT / "data" / "SYNTHETIC_demo_usage.csv")
CATALOGUE = pd.read_csv(ROOT / "data" / "instruments.csv")


def share_link(at) -> str:
    return next(c.value for c in at.code if "v=1" in c.value and not c.value.startswith("SSE"))


def page_links(at) -> list:
    return list(at.get("page_link"))


def test_without_a_country_in_the_link_the_profile_is_irans():
    at = run_page(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="country").value == "IRN"
    assert "Iran" in texts(at)


def test_a_link_with_a_country_and_a_peer_round_trips_through_the_share_link():
    at = run_page(PAGE, {"country": "KEN", "peers": "ITA"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="country").value == "KEN" and at.multiselect(key="peers").value == ["ITA"]
    query = parse_qs(urlsplit(share_link(at)).query)
    assert query == {"v": ["1"], "lang": ["en"], "country": ["KEN"], "peers": ["ITA"]}
    values, dropped = state.clean(query, "country", page_options("country"))
    assert dropped == [] and values == {"country": "KEN", "peers": ("ITA",)}
    assert state.share_query("country", values) == "v=1&country=KEN&peers=ITA"


def test_a_country_the_dashboard_knows_nothing_about_gets_the_empty_state_and_the_upload_link():
    # Antarctica: no figure, instrument or usage record names it (checked here on the files themselves).
    assert "Antarctica" not in set(FIGURES["geography"]) and "ATA" not in set(USAGE["country"])
    assert not CATALOGUE["countries"].fillna("").str.contains("ATA").any()
    at = run_page(PAGE, {"country": "ATA"})
    assert not at.exception
    info = plain(" ".join(i.value for i in at.info))
    assert "holds nothing about Antarctica" in info and "upload them" in info
    assert any("upload" in link.proto.page for link in page_links(at))
    assert not at.dataframe  # no empty tables


def kenya_series() -> set[tuple[str, str]]:
    rows = FIGURES[FIGURES["geography"] == "Kenya"]
    return set(zip(rows["indicator_name"], rows["breakdown"].fillna(""), strict=True))


def test_a_countrys_published_figures_are_listed_with_their_latest_year_and_source():
    at = run_page(PAGE, {"country": "KEN"})
    table = at.dataframe[0].value
    assert len(table) == len(kenya_series()) > 0
    rows = FIGURES[FIGURES["geography"] == "Kenya"]
    latest = rows.groupby("indicator_name")["year"].max()
    assert dict(zip(table["indicator_name"], table["latest_year"], strict=True)) == latest.to_dict()
    assert table["url"].str.startswith("http").all() and table["title"].notna().all()
    assert table["series_query"].str.contains("/figures?indicator=", regex=False).all()


def test_a_countrys_usage_records_are_counted_as_in_the_file_and_marked_synthetic():
    at = run_page(PAGE, {"country": "KEN"})
    rows = USAGE[USAGE["country"] == "KEN"]
    caption = next(c.value for c in at.caption if "records of" in c.value)
    expected = "{:,} records of {:,} organisations in Kenya".format(len(rows), rows["org_id"].nunique())
    assert caption.startswith(expected)
    assert "SYNTHETIC demo data]" in texts(at)  # the badge
    assert len(at.get("plotly_chart")) == 1
    totals = next(d.value for d in at.dataframe if "basis" in d.value)
    assert "{:,}".format(round(rows["amount"].sum())) in set(totals["total"])  # the KES total, KES rows only


def test_peers_are_compared_on_the_indicators_both_publish_for_the_whole_country():
    whole = FIGURES[(FIGURES["geo_level"] == "country") & FIGURES["breakdown"].isna()]
    kenya = set(whole.loc[whole["geography"] == "Kenya", "indicator_name"])
    usa = set(whole.loc[whole["geography"] == "United States", "indicator_name"])
    at = run_page(PAGE, {"country": "KEN", "peers": "USA"})
    assert not at.exception
    compared = at.dataframe[-1].value
    assert set(compared["indicator_name"]) == kenya & usa
    assert list(compared.columns[1:3]) == ["KEN", "USA"] and compared["USA"].str.len().gt(0).all()


def test_choosing_another_country_changes_the_profile_and_the_link():
    at = run_page(PAGE, {"country": "KEN"})
    at.selectbox(key="country").set_value("CAN").run()
    assert not at.exception
    assert at.query_params["country"] in ("CAN", ["CAN"])
    assert "series about Canada" in texts(at)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("country", ["KEN", "IRN"])
def test_the_page_runs_in_every_language(language, country):
    at = run_page(PAGE, {"country": country, "peers": ["USA", "ITA"], "lang": language})
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="country").value == country


def test_the_usage_page_links_each_country_chosen_to_its_profile():
    at = run_page("pages/usage.py", {"country": ["KEN", "ITA"]})
    labels = {plain(link.proto.label) for link in page_links(at) if "country" in link.proto.page}
    assert labels == {"Country profile: Kenya", "Country profile: Italy"}


def test_the_figures_page_says_how_current_each_series_is_and_links_the_countries_shown():
    at = run_page("pages/figures.py", {"indicator": "credit_union_members", "series": ["Kenya", "World"]})
    assert not at.exception
    rows = FIGURES[(FIGURES["indicator"] == "credit_union_members") & FIGURES["geography"].isin(["Kenya", "World"])]
    shown = plain(next(m.value for m in at.markdown if "How current" in m.value))
    for geography, year in rows.groupby("geography")["year"].max().items():
        assert f"{geography}: latest year {year}, from " in shown
    labels = [plain(link.proto.label) for link in page_links(at) if "country" in link.proto.page]
    assert labels == ["Country profile: Kenya"]
