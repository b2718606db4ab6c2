"""Country figures for the country profiles: Iran first, each figure with a source a reader can open."""

import re
from urllib.parse import urlparse

import pytest

from sse_dash import datasets
from sse_dash.codes import country_resolver

SOLAR_HIJRI = re.compile(r"Solar Hijri year (\d{4}), counted as (\d{4})")


@pytest.fixture(scope="module")
def bundle():
    return datasets.load_bundle()


def country_figures(bundle, code: str):
    """The bundled country-level figures whose geography resolves to `code`, with their sources' columns."""
    resolver = country_resolver()
    figures = bundle.figures[bundle.figures["geo_level"] == "country"]
    codes = figures["geography"].map(lambda name: resolver.resolve(name).code)
    return figures[codes == code].merge(bundle.sources, on="source_id", suffixes=("", "_source"))


def is_bare_home_page(url: str) -> bool:
    """True for an address with no path beyond '/' (a site's home page, not the page that was read)."""
    parsed = urlparse(url)
    return parsed.path.strip("/") == "" and not parsed.query


@pytest.mark.parametrize(
    ("url", "bare"),
    [
        ("https://seps.gob.ec/", True),
        ("https://purpose-schweiz.org", True),
        ("https://seps.gob.ec/?p=26667", False),
        ("https://www.tehrantimes.com/news/488968/Over-100-000-cooperatives-active-in-country", False),
    ],
)
def test_bare_home_page_is_told_apart(url, bare):
    assert is_bare_home_page(url) is bare


def test_iran_has_at_least_five_figures_each_with_a_page_that_can_be_opened(bundle):
    iran = country_figures(bundle, "IRN")
    assert len(iran) >= 5
    assert iran["url"].notna().all()
    bare = iran.loc[iran["url"].map(is_bare_home_page), "url"]
    assert bare.empty, f"bare home pages cited: {sorted(set(bare))}"


def test_iran_covers_the_indicators_a_ministry_asks_for(bundle):
    indicators = set(country_figures(bundle, "IRN")["indicator"])
    assert {
        "coop_count",
        "coop_employment_in_coops",
        "coop_share_of_economy",
        "coop_share_of_economy_target",
    } <= indicators
    assert indicators & {"coop_loans_paid", "coop_new_registered_capital"}


def test_solar_hijri_years_are_converted_as_ingest_does(bundle):
    """A note that names a Solar Hijri year counts it as SH + 621, and the row's year is that year or names it."""
    notes = bundle.figures.dropna(subset=["note"])
    for row in notes.itertuples():
        for solar, gregorian in SOLAR_HIJRI.findall(row.note):
            assert int(gregorian) == int(solar) + 621, row.note
            assert row.year == int(gregorian), (row.indicator, row.year, row.note)


def test_new_country_sources_say_what_was_checked_and_in_which_language(bundle):
    iran = country_figures(bundle, "IRN").drop_duplicates("source_id")
    assert iran["note_source"].str.match(r"^(Persian|English)\.").all()
    assert iran["note_source"].str.contains("Checked").all()


@pytest.mark.parametrize("code", ["IRN", "KEN", "ITA", "FRA", "IND", "ECU"])
def test_each_profiled_country_has_country_level_figures(bundle, code):
    assert len(country_figures(bundle, code)) >= 3


def test_cooperative_counts_can_be_compared_across_peers(bundle):
    """The country page compares peers on shared indicators: co-operatives and employment in them."""
    for indicator in ("coop_count", "coop_employment_in_coops"):
        figures = bundle.figures
        rows = figures[(figures["indicator"] == indicator) & figures["geo_level"].isin(["country", "subnational"])]
        assert rows["geography"].nunique() >= 4, indicator
