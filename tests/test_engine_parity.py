"""The engine's views answer exactly as `transform`'s: on the demo data and on small random frames.

Every test takes `engine`, a function that puts a usage frame on a backend and returns its Ibis table: DuckDB
reading a Parquet file in place, PostgreSQL (CI's database: the frame loaded as a table) and Spark in local mode
(one session for the whole run, reading the same Parquet). Under CI=true a missing PostgreSQL or PySpark fails.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import engines
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ibis.expr.types import Table

from sse_dash import country, datasets, summary, transform, views
from sse_dash.engine import connect, queries, to_parquet, usage_table
from sse_dash.schema import FAMILIES, LIFE_STAGES, SSE_TYPES
from sse_dash.transform import UsageFilter

BACKENDS = [
    pytest.param("duckdb", id="duckdb"),
    pytest.param("postgres", id="postgres"),
    pytest.param("spark", id="spark", marks=pytest.mark.spark),
]
OPEN_KEYS = ("country", "instrument_id")  # categoricals of the values present: compared as text


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request, tmp_path_factory) -> Iterator[Callable[[pd.DataFrame], Table]]:
    """Every backend in turn."""
    yield from loader(request.param, tmp_path_factory)


@pytest.fixture(scope="module", params=BACKENDS[:2])
def fast_engine(request, tmp_path_factory) -> Iterator[Callable[[pd.DataFrame], Table]]:
    """DuckDB and PostgreSQL, for the tests that draw many examples."""
    yield from loader(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def spark_engine(tmp_path_factory) -> Iterator[Callable[[pd.DataFrame], Table]]:
    yield from loader("spark", tmp_path_factory)


def loader(name: str, tmp_path_factory) -> Iterator[Callable[[pd.DataFrame], Table]]:
    """Puts a usage frame on the backend and returns its table; tables made on PostgreSQL are dropped after."""
    folder = tmp_path_factory.mktemp(name)
    numbers = itertools.count()

    def parquet(frame: pd.DataFrame) -> Path:
        return to_parquet(frame, folder / f"usage-{next(numbers)}.parquet")

    if name == "duckdb":
        backend = connect(None)
        yield lambda frame: usage_table(backend, parquet(frame))
    elif name == "spark":
        backend = engines.spark()
        yield lambda frame: usage_table(backend, parquet(frame))
    else:
        backend, made = engines.postgres(), []

        def loaded(frame: pd.DataFrame) -> Table:
            made.append(f"parity_{secrets.token_hex(4)}_{next(numbers)}")
            return backend.create_table(made[-1], pq.read_table(parquet(frame)))

        yield loaded
        for name in made:
            backend.drop_table(name, force=True)
        backend.disconnect()


@pytest.fixture(scope="module")
def bundle() -> datasets.Bundle:
    return datasets.load_bundle()


def assert_same(engine_table: pd.DataFrame, pandas_table: pd.DataFrame) -> None:
    """Same columns, rows in the same order, same values and dtypes; open-vocabulary keys compared as text."""

    def comparable(table: pd.DataFrame) -> pd.DataFrame:
        out = table.reset_index(drop=True)
        for key in OPEN_KEYS:
            if key in out:
                out[key] = out[key].astype(str)
        return out

    pd.testing.assert_frame_equal(comparable(engine_table), comparable(pandas_table), check_exact=False, rtol=1e-9)


def both(table: Table, frame: pd.DataFrame, chosen: UsageFilter, view: str, view_settings: views.ViewSettings):
    """One view of the filtered data by the engine and by pandas, as `views.usage_view` computes it."""
    rows, records = queries.filter_usage(table, chosen), transform.filter_usage(frame, chosen)
    if view == "Organisations":
        return queries.organisations_using(rows), transform.organisations_using(records)
    engine_rows, engine_basis = queries.money_basis(rows, view_settings.money)
    pandas_rows, pandas_basis = transform.money_basis(records, view_settings.money)
    assert engine_basis == pandas_basis
    measure = view_settings.measure
    if view == "Mix":
        return (
            queries.financing_mix(engine_rows, view_settings.mix_by, measure, engine_basis),
            transform.financing_mix(pandas_rows, view_settings.mix_by, measure, pandas_basis),
        )
    if view == "Amounts":
        return queries.amount_histogram(engine_rows, engine_basis), transform.amount_histogram(
            pandas_rows, pandas_basis
        )
    engine_view, pandas_view = {
        "Trend": (queries.trend, transform.trend),
        "Heatmap": (queries.instrument_by_country, transform.instrument_by_country),
        "Map": (queries.by_country, transform.by_country),
    }[view]
    return engine_view(engine_rows, measure, engine_basis), pandas_view(pandas_rows, measure, pandas_basis)


# --- the demo data ----------------------------------------------------------------------------------------------

DEMO_FILTERS = [
    UsageFilter(),
    UsageFilter(countries=("KEN",)),
    UsageFilter(years=(2018, 2020), sse_types=("cooperative", "mutual")),
    UsageFilter(countries=("FRA", "ITA", "ESP"), families=("INT_MEMBER", "EXT_FINCOOP"), sectors=("agriculture",)),
    UsageFilter(instruments=("microcredit", "public_grant"), years=(2024, 2024)),
    UsageFilter(countries=("KEN",), sse_types=("foundation",), years=(2015, 2015)),  # nothing left
]
DEMO_SETTINGS = [
    views.ViewSettings(measure, money, mix_by=mix_by)
    for measure, money, mix_by in [
        ("amount", "usd", "sse_type"),
        ("amount", "EUR", "country"),
        ("amount", "KES", "life_stage"),
        ("uses", "usd", "country"),
        ("uses", "CVE", "sse_type"),
        ("amount", "JPY", "sse_type"),  # a currency absent from the data
    ]
]


@pytest.fixture(scope="module")
def demo(engine, bundle) -> tuple[Table, pd.DataFrame]:
    return engine(bundle.usage.frame), bundle.usage.frame


@pytest.mark.parametrize("view", views.VIEWS)
@pytest.mark.parametrize("chosen", DEMO_FILTERS, ids=range(len(DEMO_FILTERS)))
def test_every_view_of_the_demo_data_is_the_pandas_table(demo, view, chosen):
    table, frame = demo
    for view_settings in DEMO_SETTINGS:
        engine_table, pandas_table = both(table, frame, chosen, view, view_settings)
        assert_same(engine_table, pandas_table)


@pytest.mark.parametrize("chosen", DEMO_FILTERS, ids=range(len(DEMO_FILTERS)))
def test_filtered_counts_of_the_demo_data(demo, chosen):
    table, frame = demo
    records = transform.filter_usage(frame, chosen)
    assert queries.counts(queries.filter_usage(table, chosen)) == (len(records), transform.distinct(records["org_id"]))


def test_options_of_the_demo_data(demo, bundle):
    table, frame = demo
    options = queries.usage_options(table, bundle.catalogue)
    expected = views.usage_options(frame, bundle.catalogue)
    assert options == {key: expected[key] for key in options}
    assert set(expected) - set(options) == {"measure", "scale", "mix_by", "view"}  # what does not depend on data


def test_keys_keep_the_vocabulary_dtype_of_ingest(demo):
    table, frame = demo
    rows, basis = queries.money_basis(table, "usd")
    mix = queries.financing_mix(rows, "life_stage", "amount", basis)
    assert mix["life_stage"].dtype == frame["life_stage"].dtype
    assert mix["family"].dtype == frame["family"].dtype
    assert queries.trend(rows, "uses", basis)["year"].dtype == np.int64


CATALOGUE = pd.DataFrame(
    {
        "instrument_id": ["member_shares", "sacco_cu_loan", "public_grant", "microcredit", "earned_income"],
        "family": ["INT_MEMBER", "EXT_FINCOOP", "PUBLIC_PHIL", "EXT_FINCOOP", "INT_EARNED"],
        "origin": ["internal", "external", "external", "external", "internal"],
    }
)
# --- the edges, written out ------------------------------------------------------------------------------------


def edge_rows() -> pd.DataFrame:
    """Six rows with every edge at once: a currency whose amounts are all missing, an amount without its US-dollar
    value, an instrument outside the catalogue (no family), amounts on powers of ten and below one."""
    rows = pd.DataFrame(
        {
            "org_id": ["A", "A", "B", "C", "C", "D"],
            "country": ["KEN", "KEN", "ITA", "ITA", "KEN", "ITA"],
            "year": [2020, 2021, 2020, 2021, 2021, 2020],
            "sse_type": pd.Categorical(["cooperative", "cooperative", "mutual", "mutual", "cooperative", "mutual"]),
            "instrument_id": [
                "member_shares",
                "sacco_cu_loan",
                "public_grant",
                "mystery",
                "microcredit",
                "public_grant",
            ],
            "amount": [1000.0, 0.5, np.nan, 10.0, 999.999, np.nan],
            "currency": ["KES", "KES", "XOF", "EUR", "KES", "XOF"],
            "sector": ["agriculture"] * 6,
            "life_stage": pd.Categorical(["growth"] * 6, categories=LIFE_STAGES),
            "amount_usd": [7.7, np.nan, 3.0, 10.8, 1.0, 0.0],
        }
    )
    rows["sse_type"] = rows["sse_type"].cat.set_categories(SSE_TYPES)
    for name in ("org_id", "country", "instrument_id", "currency", "sector"):
        rows[name] = rows[name].astype("str").astype("category")  # text, as ingest types it
    return transform.with_catalogue_columns(rows, CATALOGUE)


@pytest.mark.parametrize("money", ["usd", "KES", "XOF", "EUR", "JPY"])
@pytest.mark.parametrize("measure", views.MEASURES)
@pytest.mark.parametrize("rows", [edge_rows, lambda: edge_rows().head(0)], ids=["edges", "no rows"])
def test_every_view_at_the_edges_is_the_pandas_table(engine, rows, measure, money):
    frame = rows()
    table = engine(frame)
    for view, mix_by in [(view, "sse_type") for view in views.VIEWS] + [("Mix", "country")]:
        view_settings = views.ViewSettings(measure, money, mix_by=mix_by)
        engine_table, pandas_table = both(table, frame, UsageFilter(), view, view_settings)
        assert_same(engine_table, pandas_table)


def test_a_currency_whose_amounts_are_all_missing_adds_up_to_zero(engine):
    rows, basis = queries.money_basis(engine(edge_rows()), "XOF")
    assert basis.rows_left_out == 4
    assert queries.by_country(rows, "amount", basis)["value"].tolist() == [0.0]


# --- small random frames ----------------------------------------------------------------------------------------

COUNTRIES = ("KEN", "ITA", "FRA", "BRA")
CURRENCIES = ("EUR", "KES", "USD")
AMOUNTS = st.one_of(
    st.sampled_from([0.0, 0.5, 1.0, 9.99, 10.0, 999.999, 1000.0, 1e6, 123456.7, np.nan]),
    st.floats(min_value=0, max_value=1e10, allow_nan=False),
)


@st.composite
def usage_frames(draw) -> pd.DataFrame:
    """A few usage rows typed as ingest types them: several currencies, missing amounts, sometimes one country."""
    size = draw(st.integers(min_value=0, max_value=25))
    countries = COUNTRIES[:1] if draw(st.booleans()) else COUNTRIES

    def column(values):
        return draw(st.lists(st.sampled_from(values), min_size=size, max_size=size))

    rows = pd.DataFrame(
        {
            "org_id": column(["A", "B", "C", "D", "E"]),
            "country": column(countries),
            "year": pd.array(column([2018, 2019, 2020, 2021]), dtype="int64"),
            "sse_type": pd.Categorical(column(SSE_TYPES[:3]), categories=SSE_TYPES),
            "instrument_id": column(list(CATALOGUE["instrument_id"])),
            "amount": pd.array(draw(st.lists(AMOUNTS, min_size=size, max_size=size)), dtype="float64"),
            "currency": column(CURRENCIES),
            "sector": column(["agriculture", "retail", "culture"]),
            "life_stage": pd.Categorical(column(LIFE_STAGES[:3]), categories=LIFE_STAGES),
            "amount_usd": pd.array(draw(st.lists(AMOUNTS, min_size=size, max_size=size)), dtype="float64"),
        }
    )
    for name in ("org_id", "country", "instrument_id", "currency", "sector"):
        rows[name] = rows[name].astype("str").astype("category")  # text, as ingest types it
    return transform.with_catalogue_columns(rows, CATALOGUE)


def subsets(values) -> st.SearchStrategy[tuple]:
    return st.lists(st.sampled_from(values), unique=True, max_size=2).map(tuple)


FILTERS = st.builds(
    UsageFilter,
    countries=subsets([*COUNTRIES, "ESP"]),  # ESP is never in the data: a filter can leave nothing
    years=st.none() | st.tuples(st.sampled_from([2018, 2019]), st.sampled_from([2019, 2021])),
    sse_types=subsets(SSE_TYPES[:4]),
    families=subsets(list(FAMILIES)),
)
SETTINGS = st.builds(
    views.ViewSettings,
    measure=st.sampled_from(views.MEASURES),
    money=st.sampled_from(["usd", *CURRENCIES, "XOF"]),
    mix_by=st.sampled_from(views.MIX_BY),
)
RANDOM = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RANDOM_ON_SPARK = settings(RANDOM, max_examples=8)  # a Spark query costs about 50 times a DuckDB one


def every_view_holds(engine, frame: pd.DataFrame, chosen: UsageFilter, view_settings: views.ViewSettings) -> None:
    table = engine(frame)
    for view in views.VIEWS:
        engine_table, pandas_table = both(table, frame, chosen, view, view_settings)
        assert_same(engine_table, pandas_table)


def counts_and_options_hold(engine, frame: pd.DataFrame, chosen: UsageFilter) -> None:
    table = engine(frame)
    records = transform.filter_usage(frame, chosen)
    assert queries.counts(queries.filter_usage(table, chosen)) == (len(records), transform.distinct(records["org_id"]))
    options = queries.usage_options(table, CATALOGUE)
    expected = views.usage_options(frame, CATALOGUE)
    assert options == {key: expected[key] for key in options}


@RANDOM
@given(frame=usage_frames(), chosen=FILTERS, view_settings=SETTINGS)
def test_every_view_of_a_random_frame_is_the_pandas_table(fast_engine, frame, chosen, view_settings):
    every_view_holds(fast_engine, frame, chosen, view_settings)


@RANDOM
@given(frame=usage_frames(), chosen=FILTERS)
def test_counts_and_options_of_a_random_frame(fast_engine, frame, chosen):
    counts_and_options_hold(fast_engine, frame, chosen)


@pytest.mark.spark
@RANDOM_ON_SPARK
@given(frame=usage_frames(), chosen=FILTERS, view_settings=SETTINGS)
def test_every_view_of_a_random_frame_on_spark(spark_engine, frame, chosen, view_settings):
    every_view_holds(spark_engine, frame, chosen, view_settings)


@pytest.mark.spark
@RANDOM_ON_SPARK
@given(frame=usage_frames(), chosen=FILTERS)
def test_counts_and_options_of_a_random_frame_on_spark(spark_engine, frame, chosen):
    counts_and_options_hold(spark_engine, frame, chosen)


# --- what the page shows ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("view", views.VIEWS)
def test_a_page_view_through_the_engine_is_the_pandas_view(demo, bundle, view):
    """`views.usage_view` with the engine's queries: the same table behind the chart, notes, unit and basis."""
    table, frame = demo
    chosen = UsageFilter(countries=("KEN", "ITA"))
    for view_settings in DEMO_SETTINGS:
        by_engine = views.usage_view(
            queries.filter_usage(table, chosen), bundle.catalogue, view, view_settings, ops=queries
        )
        by_pandas = views.usage_view(transform.filter_usage(frame, chosen), bundle.catalogue, view, view_settings)
        assert_same(by_engine.table, by_pandas.table)
        assert (by_engine.notes, by_engine.unit, by_engine.money) == (by_pandas.notes, by_pandas.unit, by_pandas.money)
        assert len(by_engine.figure.data) == len(by_pandas.figure.data)


# --- what other pages aggregate: the overview's coverage, a country's usage -------------------------------------


def coverage_and_country_hold(table: Table, frame: pd.DataFrame, codes: tuple[str, ...]) -> None:
    assert queries.usage_coverage(table) == summary.usage_coverage(frame)
    for code in codes:
        by_engine, by_pandas = queries.country_usage(table, code), country.usage_summary(frame, code)
        assert (by_engine.records, by_engine.organisations, by_engine.first_year, by_engine.last_year) == (
            by_pandas.records,
            by_pandas.organisations,
            by_pandas.first_year,
            by_pandas.last_year,
        )
        pd.testing.assert_frame_equal(by_engine.totals, by_pandas.totals, check_exact=False, rtol=1e-9)


def test_coverage_and_country_usage_of_the_demo_data(demo):
    table, frame = demo
    coverage_and_country_hold(table, frame, ("KEN", "ITA", "IRN"))  # Iran: no records


def test_coverage_and_country_usage_at_the_edges(engine):
    frame = edge_rows()
    coverage_and_country_hold(engine(frame), frame, ("KEN", "ITA"))  # ITA: XOF amounts all missing
    coverage_and_country_hold(engine(frame.head(0)), frame.head(0), ("KEN",))


@RANDOM
@given(frame=usage_frames())
def test_coverage_and_country_usage_of_a_random_frame(fast_engine, frame):
    coverage_and_country_hold(fast_engine(frame), frame, COUNTRIES[:2])
