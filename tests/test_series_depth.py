"""The bundled figures draw real lines: enough deep series, and never two points for one series and year (#16)."""

import pandas as pd
import pytest

from sse_dash import datasets, transform

# Issue #16, section 4: at least 15 indicators have a series of five or more years.
DEEP_INDICATORS = 15
DEEP_YEARS = 5


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return datasets.load_bundle().figures


def drawn_points(figures: pd.DataFrame) -> pd.Series:
    """Points the figures page draws, per indicator and series (the same grid the chart uses)."""
    counts = {}
    for indicator, names in transform.series_by_indicator(figures).items():
        for name in names:
            grid = transform.figure_series(figures, indicator, (name,))
            counts[(indicator, name)] = int(grid["value"].notna().sum())
    return pd.Series(counts)


def test_at_least_15_indicators_draw_a_line_of_five_years_or_more(figures):
    points = drawn_points(figures)
    deep = sorted({indicator for (indicator, _), n in points.items() if n >= DEEP_YEARS})
    assert len(deep) >= DEEP_INDICATORS, deep


def test_no_series_has_two_points_for_one_year(figures):
    keyed = figures.assign(series=transform.series_key(figures))
    repeated = keyed[keyed.duplicated(["indicator", "series", "year"], keep=False)]
    assert repeated.empty, repeated[["indicator", "series", "year", "value", "source_id"]].to_string()


def test_a_repeated_year_would_be_caught(figures):
    """The check above fails on a copy with one point doubled, so it can fail at all."""
    doubled = pd.concat([figures, figures.iloc[[0]]], ignore_index=True)
    keyed = doubled.assign(series=transform.series_key(doubled))
    assert keyed.duplicated(["indicator", "series", "year"]).any()


def test_every_deep_series_keeps_one_unit_and_cites_sources_that_exist(figures):
    sources = set(datasets.load_bundle().sources["source_id"])
    keyed = figures.assign(series=transform.series_key(figures))
    by_series = keyed.groupby(["indicator", "series"])
    deep = by_series["year"].nunique()
    for indicator, series in deep[deep >= DEEP_YEARS].index:
        rows = keyed[(keyed["indicator"] == indicator) & (keyed["series"] == series)]
        assert rows["unit"].nunique() == 1, (indicator, series)
        assert set(rows["source_id"]) <= sources, (indicator, series)
