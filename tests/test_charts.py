"""Chart builders return complete figures: units on axes, family colours, gaps, offline map."""

import pandas as pd
import plotly.graph_objects as go
import pytest

from sse_dash import charts, datasets, scoring, transform, views


@pytest.fixture(scope="module")
def bundle():
    return datasets.load_bundle()


@pytest.fixture(scope="module")
def rows(bundle):
    return transform.filter_usage(bundle.usage.frame, transform.UsageFilter(countries=("KEN", "ITA")))


def test_family_colours_are_distinct_and_cover_every_family():
    assert len(set(charts.FAMILY_COLOURS.values())) == len(charts.FAMILY_COLOURS)
    assert set(charts.FAMILY_COLOURS) == set(charts.FAMILIES)


@pytest.mark.parametrize("view", views.VIEWS)
@pytest.mark.parametrize("scale", views.SCALES)
def test_every_usage_view_builds_a_titled_figure_with_units(bundle, rows, view, scale):
    result = views.usage_view(rows, bundle.catalogue, view, views.ViewSettings(scale=scale), "test source")
    figure = result.figure
    assert isinstance(figure, go.Figure) and figure.data
    assert figure.layout.title.text
    titles = " ".join(
        filter(
            None,
            [
                figure.layout.xaxis.title.text,
                figure.layout.yaxis.title.text,
                *(getattr(trace, "colorbar", None) and trace.colorbar.title.text or "" for trace in figure.data),
            ],
        )
    )
    if view != "Map":
        assert ("%" in titles) if scale == "percent" else any(u in titles for u in ("USD", "count", "Records"))
    assert any("Source: test source" in a.text for a in figure.layout.annotations)
    assert not result.table.empty


def test_families_have_the_same_colour_in_every_view(bundle, rows):
    mix = views.usage_view(rows, bundle.catalogue, "Mix", views.ViewSettings()).figure
    trend = views.usage_view(rows, bundle.catalogue, "Trend", views.ViewSettings()).figure
    colours_mix = {trace.name: trace.marker.color for trace in mix.data}
    colours_trend = {trace.name: trace.line.color for trace in trend.data}
    assert colours_mix == colours_trend


def test_map_uses_iso3_locations(bundle, rows):
    figure = views.usage_view(rows, bundle.catalogue, "Map", views.ViewSettings()).figure
    assert figure.data[0].locationmode == "ISO-3"
    assert set(figure.data[0].locations) == {"KEN", "ITA"}


def test_currency_basis_note_when_rows_are_left_out(bundle, rows):
    result = views.usage_view(rows, bundle.catalogue, "Mix", views.ViewSettings(money="KES"))
    assert any("never added together" in note for note in result.notes)
    assert result.figure.layout.yaxis.title.text == "Amount (KES)"


def test_figure_series_chart_keeps_gaps(bundle):
    series = transform.figure_series(bundle.figures, "credit_union_members", ("World",))
    figure = charts.figure_series_chart(series, "Credit union members", "persons", False)
    trace = figure.data[0]
    assert trace.connectgaps is False
    assert any(y != y for y in trace.y)  # NaN: a gap, not an interpolated value
    assert figure.layout.yaxis.title.text == "persons"


def test_relative_chart_says_so_on_the_axis(bundle):
    series = transform.figure_series(bundle.figures, "credit_union_members", ("World",), relative=True)
    figure = charts.figure_series_chart(series, "Credit union members", "persons", True)
    assert "first year" in figure.layout.yaxis.title.text


def test_typology_has_every_instrument_as_a_leaf(bundle):
    figure = charts.typology_chart(bundle.catalogue)
    assert set(bundle.catalogue["instrument_id"]) <= set(figure.data[0].ids)


def test_radar_is_labelled_as_judgment(bundle):
    scores = scoring.scores(bundle.catalogue.head(3))
    figure = charts.comparison_radar(scores, scoring.CRITERION_LABELS)
    assert "judgment" in figure.layout.title.text and len(figure.data) == 3


def test_empty_figure_says_why():
    figure = charts.empty_figure("Nothing here")
    assert figure.layout.annotations[0].text == "Nothing here"


def test_percent_mix_stacks_to_100_in_every_group_even_when_a_family_is_missing(bundle):
    rows = transform.filter_usage(
        bundle.usage.frame, transform.UsageFilter(countries=("KEN", "ITA"), sse_types=("cooperative",))
    )
    figure = views.usage_view(
        rows, bundle.catalogue, "Mix", views.ViewSettings(scale="percent", mix_by="country")
    ).figure
    stacked = pd.DataFrame({trace.name: list(trace.y) for trace in figure.data})
    assert not stacked.isna().any().any()
    assert stacked.sum(axis=1).round(6).eq(100).all()


def one_country(value: float) -> pd.DataFrame:
    return pd.DataFrame({"country": ["SEN"], "value": [value], "share": [100.0], "organisations": [4]})


@pytest.mark.parametrize("value", [365_663_348.0, 91_415_837.0, 3.0])
def test_a_map_of_equal_values_has_a_colour_bar_from_zero_to_the_value(value):
    """One value (or all equal) gives Plotly no range: it would invent one of ±1e-7 ("91.4158366M … 91.4158374M")."""
    shapes = charts.world_map_chart(one_country(value), False, "Amount (USD)").data[0]
    assert (shapes.zmin, shapes.zmax) == (0, value)
    shares = charts.world_map_chart(one_country(value), True, "Amount (USD)").data[0]
    assert (shares.zmin, shares.zmax) == (0, 100)


def test_a_map_of_zeros_still_has_a_colour_bar_with_a_range():
    shapes = charts.world_map_chart(one_country(0.0), False, "Amount (USD)").data[0]
    assert shapes.zmin == 0 and shapes.zmax > 0


def test_a_map_or_heatmap_of_different_values_keeps_plotlys_own_range(bundle, rows):
    for view in ("Map", "Heatmap"):
        trace = views.usage_view(rows, bundle.catalogue, view, views.ViewSettings()).figure.data[0]
        assert trace.zmin is None and trace.zmax is None, view


def test_a_heatmap_of_one_cell_has_a_colour_bar_from_zero_to_the_value():
    table = pd.DataFrame(
        {
            "instrument_id": ["microcredit"],
            "family": ["EXT_FINCOOP"],
            "country": ["SEN"],
            "value": [5.0],
            "share": [100.0],
        }
    )
    heat = charts.heatmap_chart(table, {}, False, "Amount (USD)").data[0]
    assert (heat.zmin, heat.zmax) == (0, 5.0)


def test_a_trend_of_one_year_shows_markers_not_an_invisible_line():
    table = pd.DataFrame({"year": [2021], "family": ["EXT_FINCOOP"], "value": [5.0], "share": [100.0]})
    (area,) = charts.trend_chart(table, False, "Amount (USD)").data
    assert "markers" in area.mode


def test_a_published_series_of_one_value_has_whole_years_and_an_axis_from_zero():
    series = pd.DataFrame(
        {"series": ["Senegal"], "year": [2020], "value": [91_415_837.0], "plotted": [91_415_837.0], "qualifier": [None]}
    )
    figure = charts.figure_series_chart(series, "Loans to co-operatives", "XOF", False)
    assert figure.layout.xaxis.dtick == 1 and figure.layout.yaxis.rangemode == "tozero"


def test_a_long_published_series_keeps_plotlys_own_axes(bundle):
    series = transform.figure_series(bundle.figures, "credit_union_members", ("World",))
    figure = charts.figure_series_chart(series, "Credit union members", "persons", False)
    assert figure.layout.xaxis.dtick is None and figure.layout.yaxis.rangemode is None


def test_a_figure_for_a_right_to_left_language_has_its_y_axis_and_legend_on_the_other_side():
    figure = go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout={"title": {"text": "t"}})
    mirrored = charts.right_to_left(figure)
    assert mirrored.layout.yaxis.side == "right" and mirrored.layout.title.xanchor == "right"
    assert figure.layout.yaxis.side is None  # the figure given is left as it was
