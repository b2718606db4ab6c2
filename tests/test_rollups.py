"""Rollups answer every usage question as the records do: `engine.rollups` against `engine.queries` on the same
file, for the demo data, the edges and small random frames (written with no minimum size)."""

from __future__ import annotations

import itertools
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from test_engine_parity import (
    CATALOGUE,
    COUNTRIES,
    DEMO_FILTERS,
    DEMO_SETTINGS,
    FILTERS,
    RANDOM,
    SETTINGS,
    assert_same,
    edge_rows,
    usage_frames,
)

from sse_dash import datasets, transform, views
from sse_dash.engine import Backends, UsageSource, connect, queries, rollups, to_parquet, usage_table
from sse_dash.transform import UsageFilter

NAMED = CATALOGUE.assign(name=CATALOGUE["instrument_id"])  # the parity tests' catalogue, with names for the charts


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Writes a frame as Parquet with its rollups (whatever its size) and returns the records and the rollups."""
    folder = tmp_path_factory.mktemp("rollups")
    backend = connect(None)
    numbers = itertools.count()

    def write(frame: pd.DataFrame):
        path = to_parquet(frame, folder / f"usage-{next(numbers)}.parquet")
        assert rollups.write(path, min_rows=0) is not None
        records = usage_table(backend, path)
        return records, rollups.rolled(backend, records, path)

    yield write
    backend.disconnect()


def same_answers(records, rolled, chosen: UsageFilter, view_settings: views.ViewSettings, catalogue) -> None:
    """Every view, the counts, the options, the coverage and a country's usage: the same from both."""
    raw, rolled_rows = queries.filter_usage(records, chosen), rollups.filter_usage(rolled, chosen)
    for view in views.VIEWS:
        by_records = views.usage_view(raw, catalogue, view, view_settings, ops=queries)
        by_rollups = views.usage_view(rolled_rows, catalogue, view, view_settings, ops=rollups)
        assert_same(by_rollups.table, by_records.table)
        assert (by_rollups.notes, by_rollups.unit, by_rollups.money) == (
            by_records.notes,
            by_records.unit,
            by_records.money,
        )
    assert rollups.counts(rolled_rows) == queries.counts(raw)


def same_summaries(records, rolled, codes, catalogue) -> None:
    assert rollups.usage_options(rolled, catalogue) == queries.usage_options(records, catalogue)
    assert rollups.usage_coverage(rolled) == queries.usage_coverage(records)
    for code in codes:
        by_rollups, by_records = rollups.country_usage(rolled, code), queries.country_usage(records, code)
        assert by_rollups.records == by_records.records
        assert by_rollups.organisations == by_records.organisations
        assert (by_rollups.first_year, by_rollups.last_year) == (by_records.first_year, by_records.last_year)
        pd.testing.assert_frame_equal(by_rollups.totals, by_records.totals, check_exact=False, rtol=1e-9)


@pytest.fixture(scope="module")
def demo(written):
    bundle = datasets.load_bundle()
    records, rolled = written(bundle.usage.frame)
    return records, rolled, bundle.catalogue


def test_the_demo_data_counts_organisations_in_its_rollups(demo):
    _, rolled, _ = demo
    first_year = int(datasets.load_bundle().usage.frame["year"].min())
    assert rolled.facts.first_year == first_year and rolled.uses is not None and rolled.orgs is not None
    assert rolled.facts.records == len(datasets.load_bundle().usage.frame)


@pytest.mark.parametrize("chosen", DEMO_FILTERS)
def test_every_answer_on_the_demo_data_is_the_records_answer(demo, chosen):
    records, rolled, catalogue = demo
    for view_settings in DEMO_SETTINGS:
        same_answers(records, rolled, chosen, view_settings, catalogue)


def test_summaries_of_the_demo_data(demo):
    records, rolled, catalogue = demo
    same_summaries(records, rolled, ("KEN", "ITA", "IRN"), catalogue)


@pytest.mark.parametrize("money", ["usd", "KES", "XOF", "EUR", "JPY"])
@pytest.mark.parametrize("measure", views.MEASURES)
def test_every_answer_at_the_edges(written, measure, money):
    records, rolled = written(edge_rows())
    for chosen in (UsageFilter(), UsageFilter(years=(2021, 2021)), UsageFilter(countries=("ITA",))):
        same_answers(records, rolled, chosen, views.ViewSettings(measure, money), NAMED)
    same_summaries(records, rolled, ("KEN", "ITA"), CATALOGUE)


def test_organisations_in_two_places_are_counted_once(written):
    """Organisation A is in Kenya and in Italy: counting rows of `orgs` would count it twice."""
    frame = edge_rows()
    frame["org_id"] = pd.Categorical(["A", "A", "A", "A", "B", "B"])
    records, rolled = written(frame)
    assert rolled.facts.first_year is None and rolled.uses is None
    assert rollups.counts(rolled) == queries.counts(records) == (6, 2)
    same_answers(records, rolled, UsageFilter(), views.ViewSettings("uses", "usd"), NAMED)


def test_years_beyond_the_bits_of_one_integer_leave_organisations_to_the_records(written):
    frame = edge_rows()
    frame["year"] = np.array([1900, 2021, 2020, 2021, 2021, 2020], dtype="int64")
    records, rolled = written(frame)
    assert rolled.facts.first_year is None and rolled.uses is None
    same_answers(records, rolled, UsageFilter(years=(1900, 2020)), views.ViewSettings("amount", "usd"), NAMED)
    same_summaries(records, rolled, ("KEN",), CATALOGUE)


def test_a_year_filter_outside_the_data_finds_nothing(demo):
    records, rolled, catalogue = demo
    for years in [(1990, 1999), (2100, 2110), (1990, 2100)]:
        chosen = UsageFilter(years=years)
        assert rollups.counts(rollups.filter_usage(rolled, chosen)) == queries.counts(
            queries.filter_usage(records, chosen)
        )


def test_rollups_of_another_file_or_version_are_not_used(tmp_path):
    frame = edge_rows()
    path = to_parquet(frame, tmp_path / "usage.parquet")
    assert rollups.write(path, min_rows=0) is not None
    assert rollups.facts(path) is not None
    to_parquet(frame.head(3), path)  # the file is written again: its old rollups are gone with it
    assert rollups.facts(path) is None
    assert not any(p.exists() for p in rollups.paths(path).values())


def test_small_files_get_no_rollups(tmp_path):
    path = to_parquet(edge_rows(), tmp_path / "usage.parquet")
    assert rollups.write(path) is None  # below MIN_ROWS
    assert rollups.facts(path) is None
    assert not any(p.exists() for p in rollups.paths(path).values())


@RANDOM
@given(frame=usage_frames(), chosen=FILTERS, view_settings=SETTINGS)
def test_every_answer_on_a_random_frame(written, frame, chosen, view_settings):
    records, rolled = written(frame)
    same_answers(records, rolled, chosen, view_settings, NAMED)
    same_summaries(records, rolled, COUNTRIES[:2], CATALOGUE)


@pytest.fixture(scope="module")
def threshold_file(tmp_path_factory):
    """`MIN_ROWS` generated records (SYNTHETIC) as `to_parquet` writes them, with the frame they were written from."""
    from sse_dash import demo

    generated = demo.generate_usage(rollups.MIN_ROWS).astype({"amount": "float64"})
    frame = transform.with_catalogue_columns(generated, datasets.load_catalogue())
    return to_parquet(frame, tmp_path_factory.mktemp("threshold") / "usage.parquet"), frame


def test_a_file_at_the_threshold_gets_rollups_that_hold_every_record(threshold_file):
    """`to_parquet` writes rollups from `MIN_ROWS` records on: fewer rows than records, each record in them once."""
    path, frame = threshold_file
    found = rollups.facts(path)
    assert found is not None and found.records == rollups.MIN_ROWS
    backend = connect(None)
    tables = {kind: backend.read_parquet(rollups.paths(path)[kind]) for kind in rollups.KINDS}
    sizes = {kind: int(table.count().execute()) for kind, table in tables.items()}
    added = {
        kind: int(tables[kind][column].sum().execute())
        for kind, column in [("totals", "records"), ("uses", "organisations"), ("orgs", "organisations")]
    }
    backend.disconnect()
    assert added == {
        "totals": rollups.MIN_ROWS,
        "uses": len(frame[["org_id", "instrument_id"]].drop_duplicates()),
        "orgs": frame["org_id"].nunique(),
    }
    assert sizes["totals"] < rollups.MIN_ROWS and sizes["uses"] < added["uses"] and sizes["orgs"] < added["orgs"]


def test_the_pages_read_the_rollups_when_a_file_has_them(threshold_file, tmp_path):
    """`Backends.usage` lends the rollups and their module when the file has them, else the records and `queries`;
    a file written again reads its records until its new rollups are there (written later, in a thread)."""
    path, frame = threshold_file
    catalogue = datasets.load_catalogue()
    pool = Backends()
    with pool.usage(UsageSource(None, str(path)), catalogue) as (rows, ops):
        assert ops is rollups and isinstance(rows, rollups.Rolled)
        assert ops.counts(rows) == (len(frame), frame["org_id"].nunique())
    copy = tmp_path / "copy.parquet"
    shutil.copy(path, copy)  # a file without rollups (yet)
    with pool.usage(UsageSource(None, str(copy)), catalogue) as (rows, ops):
        assert ops is queries and ops.counts(rows) == (len(frame), frame["org_id"].nunique())
    rollups.write_later(copy).join()
    with pool.usage(UsageSource(None, str(copy)), catalogue) as (rows, ops):
        assert ops is rollups and ops.counts(rows) == (len(frame), frame["org_id"].nunique())
    pool.close()


def test_rollups_written_later_for_a_file_that_is_gone_are_logged_not_raised(tmp_path, caplog):
    path = to_parquet(edge_rows(), tmp_path / "usage.parquet")
    path.unlink()  # its session ended before the thread ran
    with caplog.at_level("WARNING", logger="sse_dash"):
        rollups.write_later(path).join()
    assert "were not written" in caplog.text
    assert rollups.facts(path) is None
