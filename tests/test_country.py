"""Country profiles (#16): which figures, instruments and usage records belong to a country, how current each series
is, and the comparison with peers; on tiny tables written here."""

from urllib.parse import parse_qs

import pandas as pd
import pytest
from languages import in_language

from sse_dash import country, transform
from sse_dash.i18n import LANGUAGES


def figures(*rows: tuple) -> pd.DataFrame:
    """A published-figures table: (indicator, geography, geo_level, year, value, source_id[, breakdown, qualifier])."""
    columns = ["indicator", "geography", "geo_level", "year", "value", "source_id", "breakdown", "qualifier"]
    frame = pd.DataFrame([row + (None,) * (len(columns) - len(row)) for row in rows], columns=columns)
    return frame.assign(indicator_name=frame["indicator"].str.replace("_", " "), unit="persons")


SOURCES = pd.DataFrame(
    {
        "source_id": ["old", "new"],
        "title": ["Report 2019", "Report 2024"],
        "publisher": ["Federation", "Ministry"],
        "year": pd.array([2019, None], dtype="Int64"),
        "url": ["https://example.org/2019", "https://example.org/2024"],
    }
)


@pytest.mark.parametrize(
    ("geography", "level", "expected"),
    [
        ("Kenya", "country", "KEN"),
        ("Iran", "country", "IRN"),
        ("Iran (Islamic Republic of)", "country", "IRN"),
        ("Quebec", "subnational", "CAN"),  # from the alias table of regions
        ("Sardinia", "subnational", "ITA"),
        ("Southern Italy and islands", "subnational", "ITA"),  # a country named inside it
        ("Northern Ireland", "subnational", "GBR"),  # the alias table first: not Ireland
        ("Sub-Saharan Africa", "region", None),
        ("World", "world", None),
        ("Atlantis", "subnational", None),
    ],
)
def test_a_geography_belongs_to_its_country_and_regions_to_none(geography, level, expected):
    assert country.geography_country(geography, level) == expected


def test_a_countrys_figures_include_its_subnational_units_and_not_its_region():
    table = figures(
        ("members", "Canada", "country", 2020, 1.0, "old"),
        ("members", "Quebec", "subnational", 2020, 2.0, "old"),
        ("members", "North America", "region", 2020, 3.0, "old"),
        ("members", "Kenya", "country", 2020, 4.0, "old"),
    )
    assert country.country_figures(table, "CAN")["value"].tolist() == [1.0, 2.0]
    assert country.countries_with_figures(table) == ["CAN", "KEN"]


def test_latest_points_give_each_series_its_latest_year_value_and_edition():
    table = figures(
        ("members", "Kenya", "country", 2014, 10.0, "old"),
        ("members", "Kenya", "country", 2023, 30.0, "new"),
        ("members", "Kenya", "country", 2019, 20.0, "old"),
        ("members", "World", "world", 2019, 99.0, "old"),
        ("jobs", "Kenya", "country", 2020, 5.0, "unlisted"),
    )
    latest = transform.latest_points(table, SOURCES).set_index(["indicator", "series"])
    kenya = latest.loc[("members", "Kenya")]
    assert (kenya["latest_year"], kenya["value"], kenya["first_year"], kenya["years"]) == (2023, 30.0, 2014, 3)
    assert (kenya["title"], kenya["publisher"]) == ("Report 2024", "Ministry")
    assert latest.loc[("members", "World"), "title"] == "Report 2019"
    assert pd.isna(latest.loc[("jobs", "Kenya"), "title"])  # a source the sources table does not list
    only = transform.latest_points(table, SOURCES, "members", ("World",))
    assert only["series"].tolist() == ["World"]


def test_latest_points_of_one_indicator_in_name_order_with_their_qualifier():
    table = figures(
        ("members", "Kenya", "country", 2019, 20.0, "old", None, "more_than"),
        ("members", "Kenya", "country", 2014, 10.0, "old"),
        ("jobs", "Kenya", "country", 2020, 5.0, "old"),
    )
    table["indicator"] = pd.Categorical(table["indicator"], categories=["members", "jobs"])  # not in name order
    table["qualifier"] = table["qualifier"].astype("category")
    every = transform.latest_points(table, SOURCES)
    assert list(every.columns) == transform.LATEST_COLUMNS and list(every.index) == [0, 1]
    assert every["indicator"].tolist() == ["jobs", "members"]  # by name, whatever order the categories give
    assert every["qualifier"].dtype == object and every["qualifier"].fillna("").tolist() == ["", "more_than"]
    members = transform.latest_points(table, SOURCES, "members")
    assert members["indicator"].tolist() == ["members"] and members["value"].tolist() == [20.0]
    plain = transform.latest_points(table.drop(columns="qualifier"), SOURCES)  # a table without qualifiers
    assert plain["qualifier"].isna().all() and plain["value"].tolist() == [5.0, 20.0]
    empty = transform.latest_points(table, SOURCES, "unknown")
    assert empty.empty and list(empty.columns) == transform.LATEST_COLUMNS


def test_of_two_points_for_a_series_latest_year_the_later_listed_wins():
    # Enough rows that a sort which is not stable would not keep the file's order among equal years (numpy's
    # quicksort, here, puts row 63 of these 500 last among the latest year).
    years = [2010 + (i * 7) % 13 for i in range(500)]
    table = figures(*[("members", "Kenya", "country", year, float(i), "old") for i, year in enumerate(years)])
    (latest,) = transform.latest_points(table, SOURCES).itertuples()
    last = max(i for i, year in enumerate(years) if year == max(years))
    assert (latest.latest_year, latest.value, latest.years) == (max(years), float(last), 13)


def test_a_breakdown_is_its_own_series():
    table = figures(
        ("loans", "France", "country", 2020, 1.0, "old", "Bank A"),
        ("loans", "France", "country", 2022, 2.0, "new", "Bank B"),
    )
    latest = transform.latest_points(table, SOURCES)
    assert latest["series"].tolist() == ["France · Bank A", "France · Bank B"]
    assert latest["latest_year"].tolist() == [2020, 2022]


def test_how_current_says_each_series_latest_year_and_edition():
    table = figures(("members", "Kenya", "country", 2019, 1.0, "old"), ("members", "World", "world", 2023, 2.0, "new"))
    lines = country.currency_lines(transform.latest_points(table, SOURCES), str.upper)
    assert lines == [
        "KENYA: latest year 2019, from Report 2019 (Federation, 2019)",
        "WORLD: latest year 2023, from Report 2024 (Ministry)",  # the edition's year is not known
    ]


def test_published_figures_of_a_country_link_each_series_to_the_figures_page():
    table = figures(
        ("members", "Italy", "country", 2022, 1.0, "new"),
        ("members", "Sardinia", "subnational", 2021, 2.0, "old"),
        ("members", "France", "country", 2022, 3.0, "new"),
    )
    published = country.published_figures(table, SOURCES, "ITA")
    assert published["series"].tolist() == ["Italy", "Sardinia"]
    shown = country.published_shown(published)
    assert [parse_qs(q) for q in shown["series_query"]] == [
        {"indicator": ["members"], "series": ["Italy"]},
        {"indicator": ["members"], "series": ["Sardinia"]},
    ]
    assert shown["title"].tolist() == ["Report 2024", "Report 2019"]


def test_instruments_documented_in_a_country_are_those_whose_countries_name_it():
    catalogue = pd.DataFrame({"instrument_id": ["a", "b", "c"], "countries": pd.Categorical(["ESP|ITA", None, "FRA"])})
    assert country.documented_instruments(catalogue, "ITA")["instrument_id"].tolist() == ["a"]
    assert country.documented_instruments(catalogue, "IRN").empty


USAGE = pd.DataFrame(
    {
        "org_id": ["o1", "o1", "o2", "o3"],
        "country": pd.Categorical(["KEN", "KEN", "KEN", "ITA"]),
        "year": [2019, 2021, 2020, 2020],
        "amount": [100.0, 200.0, 50.0, 7.0],
        "currency": pd.Categorical(["KES", "KES", "USD", "EUR"]),
        "amount_usd": [1.0, None, 50.0, 8.0],
    }
)


def test_usage_of_a_country_is_counted_and_added_per_currency_basis_never_across_currencies():
    used = country.usage_summary(USAGE, "KEN")
    assert (used.records, used.organisations, used.first_year, used.last_year) == (3, 2, 2019, 2021)
    totals = used.totals.set_index("basis")
    assert totals.loc["usd", ["records", "total"]].tolist() == [2, 51.0]  # the row without dollars is left out
    assert totals.loc["KES", ["records", "total"]].tolist() == [2, 300.0]
    assert totals.loc["USD", ["records", "total"]].tolist() == [1, 50.0]
    assert "EUR" not in totals.index
    assert country.usage_summary(USAGE, "IRN").records == 0


def test_holdings_say_when_a_country_has_nothing():
    table = figures(("members", "Kenya", "country", 2020, 1.0, "old"))
    catalogue = pd.DataFrame({"instrument_id": ["a"], "countries": ["ITA"]})

    def held(code: str) -> country.Holdings:
        return country.holdings(table, catalogue, code, country.usage_summary(USAGE, code).records)

    assert held("IRN").empty
    kenya = held("KEN")
    assert (kenya.figures, kenya.indicators, kenya.instruments, kenya.records) == (1, 1, 0, 3)
    assert not held("ITA").empty


COMPARED = figures(
    ("members", "Kenya", "country", 2014, 1.0, "old"),
    ("members", "Kenya", "country", 2016, 2.0, "old"),
    ("members", "Italy", "country", 2022, 3.0, "new", None, "more_than"),
    ("members", "Sardinia", "subnational", 2022, 4.0, "new"),
    ("jobs", "Kenya", "country", 2020, 5.0, "old"),
    ("jobs", "Italy", "country", 2020, 6.0, "old", "Sector A"),  # a breakdown: not the whole country
    ("loans", "Italy", "country", 2020, 7.0, "old"),
)


def test_peers_are_compared_on_the_indicators_both_have_for_the_whole_country():
    table = country.peer_comparison(COMPARED, "KEN", ("ITA",))
    assert table["indicator"].tolist() == ["members"]
    row = table.iloc[0]
    assert (row["KEN_year"], row["KEN_value"], row["ITA_year"], row["ITA_value"]) == (2016, 2.0, 2022, 3.0)
    shown = country.comparison_shown(table, ("KEN", "ITA"))
    assert shown.loc[0, "ITA"] == "more than 3 persons (2022)"
    assert parse_qs(shown.loc[0, "series_query"]) == {"indicator": ["members"], "series": ["Kenya", "Italy"]}


def test_a_peer_without_the_indicator_has_an_empty_cell_and_no_series():
    table = country.peer_comparison(COMPARED, "KEN", ("ITA", "IND", "KEN"))  # the country itself is no peer
    assert table["indicator"].tolist() == ["members"] and "IND_year" in table and "KEN_year" in table
    shown = country.comparison_shown(table, ("KEN", "ITA", "IND"))
    assert shown.loc[0, "IND"] == ""
    assert parse_qs(shown.loc[0, "series_query"])["series"] == ["Kenya", "Italy"]


def test_no_shared_indicator_or_no_peer_gives_an_empty_comparison():
    assert country.peer_comparison(COMPARED, "KEN", ("IND",)).empty
    assert country.peer_comparison(COMPARED, "KEN", ()).empty


@pytest.mark.parametrize(
    ("qualifier", "expected"), [(None, "1,200 persons"), ("more_than", "more than 1,200 persons"), ("approx", "about")]
)
def test_a_value_says_its_qualifier(qualifier, expected):
    assert country.value_words(1200, "persons", qualifier).startswith(expected)


def test_series_countries_are_those_of_the_series_shown():
    table = figures(
        ("members", "World", "world", 2020, 1.0, "old"),
        ("members", "Quebec", "subnational", 2020, 2.0, "old"),
        ("members", "Canada", "country", 2020, 2.0, "old"),
        ("members", "Kenya", "country", 2020, 2.0, "old"),
    )
    assert country.series_countries(table, "members", ("World", "Quebec", "Canada", "Kenya")) == ["CAN", "KEN"]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_profiles_tables_are_written_in_every_language(language):
    def tables() -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
        published = country.published_figures(COMPARED, SOURCES, "ITA")
        compared = country.comparison_shown(country.peer_comparison(COMPARED, "KEN", ("ITA",)), ("KEN", "ITA"))
        return country.published_shown(published), compared, country.currency_lines(published, str)

    published, compared, lines = in_language(language, tables)
    assert len(published) == 4 and published["latest"].str.len().gt(0).all()
    assert compared.loc[0, "ITA"] and compared.loc[0, "KEN"]
    assert len(lines) == 4
