"""Pure chart builders: tidy frames in, a fully built `plotly.graph_objects.Figure` out.

Builders never call Streamlit and never read globals. The shared look lives in `styled`: one colour-blind-safe
palette (Paul Tol's 'muted' scheme) with a fixed colour per instrument family on every page, readable number
formats, titles and axis labels that carry units, and the source stamped at the bottom so an exported PNG keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sse_dash.codes import country_name
from sse_dash.schema import FAMILIES, FAMILY_GROUPS, FAMILY_LABELS, FAMILY_SHORT, LIFE_STAGE_LABELS, SSE_TYPE_LABELS
from sse_dash.text import plot_text

# Paul Tol's muted palette: distinguishable with the common colour-vision deficiencies.
FAMILY_COLOURS = {
    "INT_MEMBER": "#DDCC77",
    "INT_EARNED": "#999933",
    "EXT_FINCOOP": "#332288",
    "EXT_COMMUNITY": "#88CCEE",
    "EXT_ETHICAL": "#44AA99",
    "NEW_FORMS": "#CC6677",
    "PUBLIC_PHIL": "#117733",
    "MARKET_INNOV": "#AA4499",
    "BASELINE": "#BBBBBB",
}
SERIES_COLOURS = [
    "#332288",
    "#CC6677",
    "#117733",
    "#DDCC77",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#BBBBBB",
]
SEQUENTIAL = "Cividis"  # perceptually uniform and colour-blind safe
FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"
GROUP_LABELS = {"sse_type": SSE_TYPE_LABELS, "life_stage": LIFE_STAGE_LABELS}
GROUP_TITLES = {"sse_type": "SSE type", "country": "Country", "life_stage": "Life stage"}


def family_colour(family: str) -> str:
    """The colour of an instrument family, the same on every page."""
    return FAMILY_COLOURS.get(str(family), "#777777")


def _merged(base: dict, extra: dict) -> dict:
    """`base` updated with `extra`, nested dicts merged key by key and lists appended."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merged(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list):
            base[key] = base[key] + value
        else:
            base[key] = value
    return base


def styled(
    traces: Iterable[Any],
    title: str,
    x_title: str = "",
    y_title: str = "",
    source: str = "",
    height: int = 460,
    legend_title: str = "",
    legend: str = "top",
    **layout: Any,
) -> go.Figure:
    """A figure of `traces` in the shared look: title, axis titles with units, legend, source at the bottom.

    `legend` is 'top' (a row above the plot) or 'right' (a column, first entry at the top of a stack). Further
    `layout` settings are merged in. The layout is built as one dict and handed to the constructor: Plotly
    validates it once, which is several times faster than a chain of `update_layout` calls.
    """
    bottom = 70 if source else 40
    base: dict[str, Any] = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        "font": {"family": FONT, "size": 13, "color": "#262730"},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 90, "b": bottom},
        "legend": (
            {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": {"text": legend_title}}
            if legend == "top"
            else {
                "orientation": "v",
                "yanchor": "top",
                "y": 1.0,
                "x": 1.02,
                "traceorder": "reversed",
                "title": {"text": legend_title},
            }
        ),
        "hoverlabel": {"font": {"family": FONT}},
        "separators": ".,",
        "xaxis": {"title": {"text": x_title}} if x_title else {},
        "yaxis": {"title": {"text": y_title}} if y_title else {},
        "annotations": [],
    }
    if source:
        base["annotations"].append(
            {
                "text": f"Source: {plot_text(source)}",
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -bottom + 8,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 11, "color": "#666"},
            }
        )
    return go.Figure(data=list(traces), layout=_merged(base, layout))


def empty_figure(message: str) -> go.Figure:
    """A blank figure that says why nothing is drawn."""
    note = {
        "text": message,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "font": {"size": 15, "color": "#666"},
    }
    return styled([], "", height=300, annotations=[note], xaxis={"visible": False}, yaxis={"visible": False})


def share_title(value_title: str) -> str:
    """Axis title of a share: 'Amount (USD)' -> 'Share of the amount in USD (%)'."""
    what, _, unit = value_title.partition(" (")
    unit = unit.rstrip(")")
    return f"Share of the {what.lower()}{' in ' + unit if unit else ''} (%)"


def _group_label(by: str, code: str) -> str:
    if by == "country":
        return plot_text(country_name(code))
    return plot_text(GROUP_LABELS.get(by, {}).get(code, code))


def _family_series(table: pd.DataFrame, key: str, positions: list, percent: bool):
    """(family, values aligned to `positions`) for each family present, in the fixed family order.

    A family missing at a position is a zero, not a gap: Plotly restarts a stack after a null value.
    """
    column = "share" if percent else "value"
    where = {str(p): i for i, p in enumerate(positions)}
    cells = zip(table["family"].astype(str), table[key].astype(str), table[column], strict=True)
    values: dict[str, np.ndarray] = {}
    for family, position, value in cells:
        if position in where:
            values.setdefault(family, np.zeros(len(positions)))[where[position]] = value
    for family in FAMILIES:
        if family in values:
            yield family, values[family]


def _colour_range(values: Any) -> dict[str, float]:
    """The colour scale's ends when every value is the same: zero to the value.

    Plotly would stretch a range of ±1e-7 around the value and label the colour bar '91.4158366M … 91.4158374M'.
    Different values keep Plotly's own range (an empty dict).
    """
    finite = np.asarray(values, dtype=float).ravel()
    finite = finite[np.isfinite(finite)]
    if finite.size == 0 or finite.min() != finite.max():
        return {}
    value = float(finite[0])
    return {"zmin": min(0.0, value), "zmax": max(0.0, value) or 1.0}


def _amount_format(percent: bool) -> str:
    return "%{y:.1f}%" if percent else "%{y:,.0f}"


# --- usage --------------------------------------------------------------------------------------------------


def financing_mix_chart(mix: pd.DataFrame, by: str, percent: bool, value_title: str, source: str = "") -> go.Figure:
    """Stacked bars: value (or share) of each instrument family within each group."""
    groups = list(dict.fromkeys(mix[by].astype(str)))
    labels = [_group_label(by, g) for g in groups]
    bars = [
        go.Bar(
            x=labels,
            y=y,
            name=FAMILY_SHORT[family],
            marker_color=family_colour(family),
            hovertemplate=f"%{{x}}<br>{FAMILY_LABELS[family]}<br>{_amount_format(percent)}<extra></extra>",
        )
        for family, y in _family_series(mix, by, groups, percent)
    ]
    return styled(
        bars,
        f"Financing mix by {GROUP_TITLES.get(by, by).replace('Country', 'country').replace('Life', 'life')}",
        GROUP_TITLES.get(by, by),
        share_title(value_title) if percent else value_title,
        source,
        height=520,
        legend_title="Instrument family",
        legend="right",
        barmode="stack",
    )


def organisations_using_chart(table: pd.DataFrame, names: dict[str, str], percent: bool, source: str = "") -> go.Figure:
    """Horizontal bars: organisations (or their share) that used each instrument at least once."""
    ordered = table.sort_values("value", kind="stable")
    y_labels = [plot_text(names.get(str(i), str(i))) for i in ordered["instrument_id"]]
    x = ordered["share" if percent else "value"]
    bar = go.Bar(
        x=x,
        y=y_labels,
        orientation="h",
        marker_color=[family_colour(f) for f in ordered["family"]],
        customdata=np.stack([ordered["value"], ordered["share"]], axis=-1),
        hovertemplate="%{y}<br>%{customdata[0]:,} organisations (%{customdata[1]:.1f}%)<extra></extra>",
    )
    x_title = "Share of organisations (%)" if percent else "Organisations (count)"
    return styled(
        [bar], "Organisations using each instrument", x_title, "", source, height=max(360, 26 * len(ordered) + 140)
    )


def trend_chart(table: pd.DataFrame, percent: bool, value_title: str, source: str = "") -> go.Figure:
    """Stacked areas over the years, one per family (values or shares of each year)."""
    years = sorted(table["year"].unique())
    areas = [
        go.Scatter(
            x=years,
            y=y,
            name=FAMILY_SHORT[family],
            mode="lines" if len(years) > 1 else "lines+markers",  # a single year has no line to draw
            stackgroup="one",
            line={"width": 0.5, "color": family_colour(family)},
            hovertemplate=f"%{{x}}<br>{FAMILY_LABELS[family]}<br>{_amount_format(percent)}<extra></extra>",
        )
        for family, y in _family_series(table, "year", years, percent)
    ]
    return styled(
        areas,
        "Trend over the years",
        "Year",
        share_title(value_title) if percent else value_title,
        source,
        height=480,
        legend_title="Instrument family",
        legend="right",
        xaxis={"dtick": 1, "tickformat": "d"},
    )


def heatmap_chart(
    table: pd.DataFrame, names: dict[str, str], percent: bool, value_title: str, source: str = ""
) -> go.Figure:
    """Instrument × country heatmap of values (or each instrument's share of the country's total)."""
    column = "share" if percent else "value"
    matrix = table.pivot_table(index="instrument_id", columns="country", values=column, observed=True, aggfunc="sum")
    order = (
        table.drop_duplicates("instrument_id")
        .assign(rank=lambda t: t["family"].map({f: i for i, f in enumerate(FAMILIES)}))
        .sort_values(["rank", "instrument_id"])["instrument_id"]
    )
    matrix = matrix.reindex([i for i in order if i in matrix.index])
    heat = go.Heatmap(
        z=matrix.to_numpy(dtype=float),
        x=[country_name(str(c)) for c in matrix.columns],
        y=[names.get(str(i), str(i)) for i in matrix.index],
        colorscale=SEQUENTIAL,
        hoverongaps=False,
        colorbar={"title": {"text": "% of country" if percent else value_title}},
        **_colour_range(matrix),
        hovertemplate="%{y}<br>%{x}<br>" + ("%{z:.1f}%" if percent else "%{z:,.0f}") + "<extra></extra>",
    )
    title = "Instrument × country" + (" (share of each country's total)" if percent else "")
    return styled(
        [heat], title, "", "", source, height=max(420, 24 * len(matrix) + 160), yaxis={"autorange": "reversed"}
    )


def world_map_chart(table: pd.DataFrame, percent: bool, value_title: str, source: str = "") -> go.Figure:
    """Choropleth by country (ISO alpha-3). The outlines come from the app's own static files (no CDN)."""
    column = "share" if percent else "value"
    shapes = go.Choropleth(
        locations=table["country"].astype(str),
        z=table[column],
        locationmode="ISO-3",
        text=[plot_text(country_name(str(c))) for c in table["country"]],
        customdata=table[["organisations"]].to_numpy(),
        colorscale=SEQUENTIAL,
        reversescale=True,
        marker_line_color="#ffffff",
        marker_line_width=0.5,
        colorbar={"title": {"text": "% of total" if percent else value_title}},
        **_colour_range(table[column]),
        hovertemplate="%{text}<br>"
        + ("%{z:.1f}%" if percent else "%{z:,.0f}")
        + "<br>%{customdata[0]:,} organisations<extra></extra>",
    )
    return styled(
        [shapes],
        "By country" + (" (share of the total)" if percent else ""),
        source=source,
        height=520,
        geo={
            "projection": {"type": "natural earth"},
            "showframe": False,
            "showcoastlines": True,
            "coastlinecolor": "#999",
            "showcountries": True,
            "countrycolor": "#ddd",
            "showland": True,
            "landcolor": "#f2f2f2",
            "lataxis": {"range": [-58, 85]},
        },
    )


def amount_histogram_chart(table: pd.DataFrame, percent: bool, currency: str, source: str = "") -> go.Figure:
    """Bars: records per amount band (powers of ten)."""
    bar = go.Bar(
        x=table["band"],
        y=table["share" if percent else "value"],
        marker_color=SERIES_COLOURS[0],
        customdata=np.stack([table["value"], table["share"]], axis=-1),
        hovertemplate="%{x} " + currency + "<br>%{customdata[0]:,} records (%{customdata[1]:.1f}%)<extra></extra>",
    )
    y_title = "Share of records (%)" if percent else "Records (count)"
    return styled(
        [bar], "Distribution of amounts per record", f"Amount per record ({currency}, bands of ×10)", y_title, source
    )


# --- catalogue ----------------------------------------------------------------------------------------------


def typology_chart(catalogue: pd.DataFrame) -> go.Figure:
    """Icicle origin → family → instrument (left to right), coloured by family; leaves' ids are instrument ids."""
    ids, labels, parents, colours, hover = [], [], [], [], []
    # One explicit root: with several top-level nodes Plotly adds a blank root column of its own.
    ids.append("all")
    labels.append("Financing sources")
    parents.append("")
    colours.append("#f7f7f7")
    hover.append("")
    for origin in ("internal", "external"):
        ids.append(origin)
        labels.append(origin.capitalize() + " sources")
        parents.append("all")
        colours.append("#eeeeee")
        hover.append("")
    for family in FAMILIES:
        members = catalogue[catalogue["family"] == family]
        if members.empty:
            continue
        origin = str(members["origin"].iloc[0])
        ids.append(family)
        labels.append(FAMILY_LABELS[family].split(": ", 1)[-1].capitalize())
        parents.append(origin)
        colours.append(family_colour(family))
        hover.append(FAMILY_GROUPS[family])
        for instrument_id, name in zip(members["instrument_id"].tolist(), members["name"].tolist(), strict=True):
            ids.append(instrument_id)
            labels.append(plot_text(name))
            parents.append(family)
            colours.append(family_colour(family))
            hover.append(f"{FAMILY_GROUPS[family]} · click to open")
    icicle = go.Icicle(
        ids=ids,
        labels=labels,
        parents=parents,
        marker={"colors": colours},
        customdata=hover,
        hovertemplate="<b>%{label}</b><br>%{customdata}<extra></extra>",
        tiling={"orientation": "h", "pad": 1},
        root_color="#ffffff",
        textfont={"family": FONT, "size": 13},
        branchvalues="remainder",
        pathbar={"visible": False},
        domain={"x": [0, 1], "y": [0, 1]},
        maxdepth=-1,
        sort=False,
    )
    return styled([icicle], "Typology of financing sources", height=820)


def comparison_radar(scores: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Radar of the 1-5 judgment scores of a few instruments."""
    criteria = list(labels)
    traces = []
    for i, row in enumerate(scores.itertuples(index=False)):
        values = [getattr(row, c) for c in criteria]
        traces.append(
            go.Scatterpolar(
                r=values + values[:1],
                theta=[labels[c] for c in criteria] + [labels[criteria[0]]],
                name=plot_text(row.name),
                fill="toself",
                opacity=0.55,
                line={"color": SERIES_COLOURS[i % len(SERIES_COLOURS)]},
                hovertemplate="%{theta}: %{r} of 5<extra>" + plot_text(row.name) + "</extra>",
            )
        )
    return styled(
        traces,
        "Scores from 1 (least favourable) to 5 (most) — editorial judgments",
        source="derived from catalogue attributes; see About › Methodology",
        height=560,
        polar={"radialaxis": {"range": [0, 5], "dtick": 1, "title": {"text": ""}}, "domain": {"y": [0, 0.9]}},
        legend={"orientation": "h", "y": -0.08, "yanchor": "top", "x": 0.5, "xanchor": "center"},
        margin={"b": 110},
    )


# --- published figures --------------------------------------------------------------------------------------


def figure_series_chart(series: pd.DataFrame, title: str, unit: str, relative: bool, source: str = "") -> go.Figure:
    """Lines and markers by series; missing years stay gaps (never interpolated)."""
    lines = []
    for i, (name, rows) in enumerate(series.groupby("series", sort=True)):
        qualifier = rows["qualifier"].astype("object").fillna("").astype(str) if "qualifier" in rows else ""
        symbols = np.where(
            qualifier == "more_than", "triangle-up", np.where(qualifier == "approx", "diamond", "circle")
        )
        words = np.where(qualifier == "more_than", " (more than)", np.where(qualifier == "approx", " (approx.)", ""))
        lines.append(
            go.Scatter(
                x=rows["year"],
                y=rows["plotted"],
                name=plot_text(name),
                mode="lines+markers",
                connectgaps=False,
                marker={"size": 9, "symbol": symbols, "color": SERIES_COLOURS[i % len(SERIES_COLOURS)]},
                line={"color": SERIES_COLOURS[i % len(SERIES_COLOURS)]},
                customdata=np.array(list(zip(rows["value"].astype(float), words, strict=True)), dtype=object),
                hovertemplate="%{x}: %{customdata[0]:,.4~g}"
                + f" {plot_text(unit)}"
                + "%{customdata[1]}"
                + ("<br>index %{y:.0f}" if relative else "")
                + f"<extra>{plot_text(name)}</extra>",
            )
        )
    y_title = "Index, first year with data = 100" if relative else unit
    years = series["year"].dropna()
    few_years = years.empty or years.max() - years.min() <= 10  # else ticks between years read '2020, 2020, 2021'
    flat = bool(_colour_range(series["plotted"]))  # one value: else the axis reads '91.415836M … 91.415838M'
    return styled(
        lines,
        plot_text(title),
        "Year",
        plot_text(y_title),
        source,
        xaxis={"tickformat": "d", **({"dtick": 1} if few_years else {})},
        yaxis={"rangemode": "tozero"} if flat else {},
    )


# --- financing finder ---------------------------------------------------------------------------------------

CRITERION_COLOURS = {
    "affordability": "#332288",
    "patience": "#88CCEE",
    "collateral_lightness": "#117733",
    "control_preservation": "#CC6677",
    "accessibility": "#DDCC77",
}


def finder_chart(ranked: pd.DataFrame, labels: dict[str, str], top: int = 12) -> go.Figure:
    """Horizontal stacked bars: each criterion's weighted share of the score of the best-fitting instruments."""
    shown = ranked.head(top).iloc[::-1]
    names = [f"{int(r)}. {plot_text(n)}" for r, n in zip(shown["rank"], shown["name"], strict=True)]
    bars = [
        go.Bar(
            x=shown[f"weighted_{criterion}"],
            y=names,
            orientation="h",
            name=labels[criterion],
            marker_color=colour,
            customdata=shown[criterion],
            hovertemplate=f"%{{y}}<br>{labels[criterion]}: %{{customdata}}/5, adds %{{x:.2f}}<extra></extra>",
        )
        for criterion, colour in CRITERION_COLOURS.items()
    ]
    return styled(
        bars,
        "How the score of each instrument is made up (editorial judgments)",
        "Weighted score (1 = least favourable, 5 = most)",
        "",
        "scores derived from the catalogue's attributes; see About › Financing finder",
        height=max(380, 34 * len(shown) + 170),
        legend="top",
        barmode="stack",
        xaxis={"range": [0, 5], "dtick": 1},
    )


def right_to_left(figure: go.Figure) -> go.Figure:
    """A copy of `figure` laid out for a right-to-left language: y axes on the right, title and legend from the
    right."""
    mirrored = go.Figure(figure)
    mirrored.update_yaxes(side="right")
    mirrored.update_layout(title_x=1, title_xanchor="right")
    if mirrored.layout.legend.orientation == "h":
        mirrored.update_layout(legend_x=1, legend_xanchor="right")
    else:
        mirrored.update_layout(legend_x=0, legend_xanchor="right")
    return mirrored
