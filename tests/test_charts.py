"""Chart builders return complete figures: units on axes, family colours, gaps, offline map."""

import pandas as pd
import plotly.graph_objects as go
import pytest

from sse_dash import charts, datasets, finder, scoring, transform, views


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
    assert "Source: test source" in figure.layout.title.subtitle.text
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
    assert figure.layout.xaxis.tickvals == (2020,) and figure.layout.yaxis.rangemode == "tozero"


@pytest.mark.parametrize("years", [[2019], [2018, 2019], list(range(2010, 2021)), list(range(1990, 2024))])
def test_year_axes_tick_whole_years_only_once_each(years):
    """Plotly's own ticks fall between years on a short span and print '2019 2019 2020' with a 'd' format."""
    table = pd.DataFrame({"year": years, "family": "EXT_FINCOOP", "value": 5.0, "share": 100.0})
    series = pd.DataFrame({"series": "World", "year": years, "value": 5.0, "plotted": 5.0, "qualifier": None})
    for figure in (
        charts.trend_chart(table, False, "Amount (USD)"),
        charts.figure_series_chart(series, "t", "u", False),
    ):
        axis = figure.layout.xaxis
        assert axis.tickmode == "array" and len(set(axis.ticktext)) == len(axis.ticktext) >= 1
        assert all(float(t).is_integer() and years[0] <= t <= years[-1] for t in axis.tickvals)
        assert len(axis.tickvals) <= 12


def test_a_long_published_series_keeps_its_axis_from_the_data(bundle):
    series = transform.figure_series(bundle.figures, "credit_union_members", ("World",))
    figure = charts.figure_series_chart(series, "Credit union members", "persons", False)
    assert figure.layout.yaxis.rangemode is None


def test_a_figure_for_a_right_to_left_language_has_its_y_axis_and_legend_on_the_other_side():
    figure = go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout={"title": {"text": "t"}})
    mirrored = charts.right_to_left(figure)
    assert mirrored.layout.yaxis.side == "right" and mirrored.layout.title.xanchor == "right"
    assert figure.layout.yaxis.side is None  # the figure given is left as it was


# --- layout from a 390-px phone to a 1,600-px screen (#14) ------------------------------------------------------


@pytest.fixture
def in_language():
    """Draw in a language for one test, English again afterwards."""
    from sse_dash import i18n

    yield i18n.use_language
    i18n.use_language("en")


def title_block(figure: go.Figure) -> float:
    """Pixels the title and the source under it take at the top of the figure (at least)."""
    lines = figure.layout.title.text.count("<br>") + 1
    source = figure.layout.title.subtitle.text
    return 14 + 22 * lines + ((source.count("<br>") + 1) * 15 if source else 0)


def figures_with_legends(bundle, rows):
    settings = views.ViewSettings()
    yield views.usage_view(rows, bundle.catalogue, "Mix", settings, "a source").figure
    yield views.usage_view(rows, bundle.catalogue, "Trend", settings, "a source").figure
    profile = finder.Profile()
    ranking = finder.rank(bundle.catalogue, profile, finder.suggested_weights(profile))
    yield charts.finder_chart(ranking.ranked, finder.CRITERION_LABELS)
    yield charts.comparison_radar(scoring.scores(bundle.catalogue.head(3)), scoring.CRITERION_LABELS)
    series = transform.figure_series(bundle.figures, "credit_union_members", ("Kenya", "World"))
    yield charts.figure_series_chart(series, "Credit union members", "persons", False, "a source")


def test_legends_are_rows_under_the_title_not_a_column_beside_the_plot(bundle, rows):
    """A column legend left a 390-px phone ~70 px of Mix bars; a legend anchored at the plot's top grew over the
    title."""
    for figure in figures_with_legends(bundle, rows):
        legend = figure.layout.legend
        assert figure.layout.showlegend and legend.orientation == "h", figure.layout.title.text
        assert legend.yref == "container" and legend.yanchor == "top"
        assert (1 - legend.y) * figure.layout.height >= title_block(figure), figure.layout.title.text
        assert figure.layout.margin.t < 20  # the plot starts under the legend's reserved height, not at a guess


def test_titles_and_axes_make_room_for_themselves(bundle, rows):
    for view in views.VIEWS:
        figure = views.usage_view(rows, bundle.catalogue, view, views.ViewSettings(), "a source").figure
        title = figure.layout.title
        assert title.yref == "container" and not title.automargin, view  # see test_browser_charts
        assert all(len(line) <= charts.TITLE_CHARS for line in title.text.split("<br>")), view
        if view != "Map":
            assert figure.layout.xaxis.automargin and figure.layout.yaxis.automargin, view


def test_the_source_is_under_the_title_never_over_the_axis_labels(bundle, rows):
    figure = views.usage_view(rows, bundle.catalogue, "Heatmap", views.ViewSettings(), "a source").figure
    assert "a source" in figure.layout.title.subtitle.text
    assert not [a for a in figure.layout.annotations if "a source" in (a.text or "")]


def test_heatmap_colours_spread_skewed_amounts_and_say_the_scale_is_logarithmic(bundle, rows):
    """On a linear scale three quarters of the cells sat in the lowest twentieth of the colours (the same navy)."""
    heat = views.usage_view(rows, bundle.catalogue, "Heatmap", views.ViewSettings(), "").figure.data[0]
    z = pd.Series([v for row in heat.z for v in row], dtype=float).dropna()
    position = (z - z.min()) / (z.max() - z.min())  # where each cell falls on the colour scale
    assert 0.25 < position.median() < 0.75
    assert "log scale" in heat.colorbar.title.text
    assert list(heat.customdata[0]) != list(heat.z[0])  # hover shows the amounts themselves


def test_map_and_heatmap_both_show_more_as_darker(bundle, rows):
    heat = views.usage_view(rows, bundle.catalogue, "Heatmap", views.ViewSettings(), "").figure.data[0]
    shapes = views.usage_view(rows, bundle.catalogue, "Map", views.ViewSettings(), "").figure.data[0]
    for trace in (heat, shapes):
        scale = trace.colorscale
        lightest_first = trace.reversescale
        assert scale[0][1] == charts.go.Heatmap(colorscale=charts.SEQUENTIAL).colorscale[0][1]  # Cividis: navy first
        assert lightest_first, type(trace).__name__  # reversed: the high end is the navy


def test_colour_bars_lie_under_the_plot_with_their_title_above(bundle, rows):
    """A colour bar beside the plot took a third of a phone's width and its title was clipped at the edge."""
    for view in ("Heatmap", "Map"):
        bar = views.usage_view(rows, bundle.catalogue, view, views.ViewSettings(), "").figure.data[0].colorbar
        assert bar.orientation == "h" and bar.title.side == "top", view


@pytest.mark.parametrize("value", [91_415_837.0, 3.0])
def test_a_single_value_has_a_single_colour_bar_tick(value):
    bar = charts.world_map_chart(one_country(value), False, "Amount (USD)").data[0].colorbar
    assert bar.tickvals == (value,) and len(bar.ticktext) == 1 and "…" not in bar.ticktext[0]


def test_rows_of_long_labels_get_the_height_they_need(bundle, rows):
    figure = views.usage_view(rows, bundle.catalogue, "Organisations", views.ViewSettings(), "").figure
    labels = figure.data[0].y
    assert all(len(part) <= charts.LABEL_CHARS for label in labels for part in label.split("<br>"))
    most_lines = max(label.count("<br>") + 1 for label in labels)
    assert figure.layout.height >= len(labels) * most_lines * 14


def test_the_radar_keeps_most_of_a_phones_width():
    """The criteria's names, drawn outside the radar on one line, left it ~100 px on a phone."""
    table = pd.DataFrame({"name": ["A", "B"], **{c: [3, 4] for c in scoring.CRITERION_LABELS}})
    figure = charts.comparison_radar(table, scoring.CRITERION_LABELS)
    domain = figure.layout.polar.domain.x
    assert domain[1] - domain[0] >= 0.6
    assert all(len(part) <= 14 for theta in figure.data[0].theta for part in theta.split("<br>"))


# --- the active language ------------------------------------------------------------------------------------


def test_numbers_on_axes_and_in_hover_use_the_languages_separators(bundle, rows, in_language):
    in_language("fr")
    figure = views.usage_view(rows, bundle.catalogue, "Mix", views.ViewSettings(), "").figure
    assert figure.layout.separators == ",\u202f"
    in_language("en")
    assert views.usage_view(rows, bundle.catalogue, "Mix", views.ViewSettings(), "").figure.layout.separators == ".,"


def test_persian_charts_read_from_the_right_with_persian_names(bundle, rows, in_language):
    in_language("fa")
    figure = views.usage_view(rows, bundle.catalogue, "Mix", views.ViewSettings(mix_by="country"), "منبع").figure
    assert figure.layout.title.xanchor == "right" and figure.layout.legend.xanchor == "right"
    assert figure.layout.yaxis.side == "right"
    assert "\u2067کنیا\u2069" in figure.data[0].x  # Kenya in Persian, isolated right to left
    assert figure.layout.title.subtitle.text.startswith(charts.RLI)
