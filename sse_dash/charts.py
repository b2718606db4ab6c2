"""Pure chart builders: tidy frames in, a fully built `plotly.graph_objects.Figure` out.

Builders never call Streamlit and never read globals but the language of the run (`sse_dash.i18n`, a ContextVar):
every title, axis, legend, colour bar, hover text and note is written in it, and a right-to-left language gets its
titles, legends and y axes from the right. The shared look lives in `styled`: one colour-blind-safe palette (Paul
Tol's 'muted' scheme) with a fixed colour per instrument family on every page, readable number formats, titles and
axis labels that carry units, and the source under the title so an exported PNG keeps it.

Charts read from a 390-px phone to a 1,600-px screen: titles and long category labels are broken into lines
(Plotly never wraps text), legends are rows above the plot that push it down instead of squeezing it, axes make
room for their labels (`automargin`) and colour bars carry their title along the bar.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel import numbers as babel_numbers

from sse_dash import i18n
from sse_dash.codes import country_name
from sse_dash.i18n import N_, _
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
# Perceptually uniform and colour-blind safe; reversed on every map and heatmap so that more is darker.
SEQUENTIAL = "Cividis"
MORE_IS_DARKER = {"colorscale": SEQUENTIAL, "reversescale": True}
LOG_SPREAD = 50  # values whose largest is this many times the smallest are coloured on a logarithmic scale
FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"
GROUP_LABELS = {"sse_type": SSE_TYPE_LABELS, "life_stage": LIFE_STAGE_LABELS}
GROUP_TITLES = {"sse_type": N_("SSE type"), "country": N_("Country"), "life_stage": N_("Life stage")}
MIX_TITLES = {
    "sse_type": N_("Financing mix by SSE type"),
    "country": N_("Financing mix by country"),
    "life_stage": N_("Financing mix by life stage"),
}

# Plotly never wraps text: lines are broken at these widths (characters) so that a 390-px phone shows them whole.
TITLE_CHARS = 40
NOTE_CHARS = 60
LABEL_CHARS = 22
TITLE_LINE, NOTE_LINE = 22, 15  # pixels per line of the title and of the source under it
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
RLI, PDI = "\u2067", "\u2069"


def family_colour(family: str) -> str:
    """The colour of an instrument family, the same on every page."""
    return FAMILY_COLOURS.get(str(family), "#777777")


def shown(text: str, width: int | None = None) -> str:
    """Text for a chart in the active language's direction, broken into lines of at most `width` characters.

    Lines are broken at spaces (`<br>`), never inside a word. In a right-to-left language each line that holds
    Persian or Arabic script is isolated right to left, so that a unit in brackets or a number stays where a
    reader of that script expects it (SVG text is laid out left to right).
    """
    if not text:
        return text
    lines = str(text).split("<br>")
    if width:
        lines = [part for line in lines for part in (textwrap.wrap(line, width, break_on_hyphens=False) or [""])]
    if i18n.is_rtl():
        lines = [f"{RLI}{line}{PDI}" if _ARABIC_SCRIPT.search(line) else line for line in lines]
    return "<br>".join(lines)


def _line_count(text: str) -> int:
    return text.count("<br>") + 1 if text else 0


def separators() -> str:
    """Plotly's decimal and thousands separators in the active language ('.,' in English, ', ' in French)."""
    locale = i18n.locale()
    decimal = babel_numbers.get_decimal_symbol(locale, numbering_system="latn")
    group = babel_numbers.get_group_symbol(locale, numbering_system="latn")
    return decimal + group


def compact(value: float) -> str:
    """A number in a few characters in the active language, for colour-bar ticks: 2M, 2 M, 2 میلیون."""
    return babel_numbers.format_compact_decimal(value, locale=i18n.locale(), numbering_system="latn")


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


def _has_legend(traces: list) -> bool:
    named = [t for t in traces if getattr(t, "name", None) and getattr(t, "showlegend", None) is not False]
    return len(named) > 1


def styled(
    traces: Iterable[Any],
    title: str,
    x_title: str = "",
    y_title: str = "",
    source: str = "",
    height: int = 460,
    legend_title: str = "",
    **layout: Any,
) -> go.Figure:
    """A figure of `traces` in the shared look: title and source at the top, legend as rows under them, axis
    titles with units.

    The title block has a known height, so the legend is placed right under it (in pixels of the figure) and
    Plotly reserves the legend's height above the plot: on a phone the legend grows by rows and pushes the plot
    down instead of squeezing it or covering the title. Further `layout` settings are merged in. The layout is
    built as one dict and handed to the constructor: Plotly validates it once, which is several times faster than
    a chain of `update_layout` calls.
    """
    traces = list(traces)
    rtl = i18n.is_rtl()
    side = {"x": 1, "xanchor": "right"} if rtl else {"x": 0, "xanchor": "left"}
    heading = shown(title, TITLE_CHARS)
    note = shown(_("Source: {source}").format(source=plot_text(source)), NOTE_CHARS) if source else ""
    top = 14 + TITLE_LINE * _line_count(heading) + (NOTE_LINE * _line_count(note) + 4 if note else 0) + 10
    legend = _has_legend(traces)
    base: dict[str, Any] = {
        "title": {
            "text": heading,
            "xref": "container",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 14, "l": 12, "r": 12, "b": 10},
            # Not `automargin`: with it, Plotly pushes the first line of a title of several lines out of the figure.
            # The room above the plot is reserved by the margin (no legend) or by the legend placed under the title.
            "automargin": False,
            "font": {"size": 17},
            "subtitle": {"text": note, "font": {"size": 11, "color": "#666"}},
            **side,
        },
        "font": {"family": FONT, "size": 13, "color": "#262730"},
        "height": height,
        "margin": {"l": 12, "r": 12, "t": 6 if legend else top, "b": 12, "autoexpand": True},
        "showlegend": legend,
        "legend": {
            "orientation": "h",
            "xref": "container",
            "yref": "container",
            "y": 1 - top / height,
            "yanchor": "top",
            "title": {"text": shown(legend_title), "side": "top right" if rtl else "top left"},
            **({"x": 0.99, "xanchor": "right"} if rtl else {"x": 0.01, "xanchor": "left"}),
        },
        "hoverlabel": {"font": {"family": FONT}},
        "separators": separators(),
        "xaxis": {
            "automargin": True,
            "title": {"text": shown(x_title), "standoff": 10},
            # Labels turned when they crowd lean over the y axis, not past the plot's far edge (room lost on a phone).
            "autotickangles": [0, 30, 60, 90] if rtl else [0, -30, -60, -90],
        },
        "yaxis": {"automargin": True, "title": {"text": shown(y_title), "standoff": 10}},
        "annotations": [],
    }
    if rtl:
        base["yaxis"]["side"] = "right"
    return go.Figure(data=traces, layout=_merged(base, layout))


def empty_figure(message: str) -> go.Figure:
    """A blank figure that says why nothing is drawn (`message` is translated here: pass it marked with `N_`)."""
    note = {
        "text": shown(_(message), TITLE_CHARS),
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "font": {"size": 15, "color": "#666"},
    }
    return styled([], "", height=300, annotations=[note], xaxis={"visible": False}, yaxis={"visible": False})


_AMOUNT_TITLE = re.compile(r"^Amount \((?P<currency>[^)]+)\)$")


def measure_title(title: str) -> str:
    """A measure's axis title ('Amount (USD)', 'Records', 'Organisations', from `transform.value_label`) in the
    active language."""
    found = _AMOUNT_TITLE.match(title)
    if found:
        return _("Amount ({currency})").format(currency=found["currency"])
    return {"Records": _("Records"), "Organisations": _("Organisations")}.get(title, title)


def share_title(title: str) -> str:
    """Axis title of a share of a measure: 'Amount (USD)' -> 'Share of the amount in USD (%)'."""
    found = _AMOUNT_TITLE.match(title)
    if found:
        return _("Share of the amount in {currency} (%)").format(currency=found["currency"])
    shares = {"Records": _("Share of records (%)"), "Organisations": _("Share of organisations (%)")}
    return shares.get(title, _("Share of the total (%)"))


def _group_label(by: str, code: str) -> str:
    if by == "country":
        return shown(plot_text(i18n.territory_name(code, country_name(code))), LABEL_CHARS)
    return shown(plot_text(_(GROUP_LABELS.get(by, {}).get(code, code))), LABEL_CHARS)


def _category(name: str) -> str:
    """A long category label (an instrument's name) broken into short lines, so a phone keeps room for the bars."""
    return shown(plot_text(name), LABEL_CHARS)


def _row_height(labels: list[str]) -> int:
    """Pixels per row of a chart whose rows are labelled with `labels`: room for the longest label's lines."""
    return 15 * max((_line_count(label) for label in labels), default=1) + 10


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


def _finite(values: Any) -> np.ndarray:
    finite = np.asarray(values, dtype=float).ravel()
    return finite[np.isfinite(finite)]


def _colour_range(values: Any) -> dict[str, float]:
    """The colour scale's ends when every value is the same: zero to the value.

    Plotly would stretch a range of ±1e-7 around the value and label the colour bar '91.4158366M … 91.4158374M'.
    Different values keep Plotly's own range (an empty dict).
    """
    finite = _finite(values)
    if finite.size == 0 or finite.min() != finite.max():
        return {}
    value = float(finite[0])
    return {"zmin": min(0.0, value), "zmax": max(0.0, value) or 1.0}


def _colour_bar(title: str, values: Any, percent: bool) -> dict[str, Any]:
    """A colour bar lying under the plot, its title above it: it takes no width from a phone's plot and its title
    is never clipped at the figure's edge. A single value gets a single tick at that value, not a range."""
    bar: dict[str, Any] = {
        "orientation": "h",
        "x": 0.5,
        "xanchor": "center",
        "y": 0,
        "yanchor": "top",
        "ypad": 12,
        "len": 1,
        "thickness": 12,
        "title": {"text": shown(title), "side": "top"},
    }
    finite = _finite(values)
    if finite.size and finite.min() == finite.max():
        value = float(finite[0])
        bar |= {"tickvals": [value], "ticktext": [f"{value:.1f}%" if percent else compact(value)]}
    return bar


def _log_colours(values: np.ndarray) -> tuple[np.ndarray, dict[str, Any]] | None:
    """Colours on a logarithmic scale when positive values spread over orders of magnitude, else None.

    On a linear scale a few large cells take the whole range and every other cell gets the same colour. Returns
    the values to colour by (log10, zero and less left blank) and the colour bar's ticks at powers of ten.
    """
    finite = _finite(values)
    positive = finite[finite > 0]
    if positive.size < 2 or positive.max() < LOG_SPREAD * positive.min():
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(np.asarray(values, dtype=float) > 0, np.log10(np.asarray(values, dtype=float)), np.nan)
    low, high = math.floor(math.log10(positive.min())), math.ceil(math.log10(positive.max()))
    powers = list(range(low, high + 1))
    return logs, {"tickvals": powers, "ticktext": [compact(10.0**p) for p in powers]}


def _amount_format(percent: bool) -> str:
    return "%{y:.1f}%" if percent else "%{y:,.0f}"


def _year_ticks(years: Iterable[Any]) -> dict[str, Any]:
    """Ticks on whole years only: Plotly would put ticks between years and print '2019 2019 2020'."""
    present = sorted({int(y) for y in years if pd.notna(y)})
    if not present:
        return {"tickformat": "d"}
    span = present[-1] - present[0]
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if span / s <= 12)
    ticks = list(range(present[0] - present[0] % step, present[-1] + 1, step))
    ticks = [t for t in ticks if t >= present[0]] or present[:1]
    return {"tickmode": "array", "tickvals": ticks, "ticktext": [str(t) for t in ticks]}


# --- usage --------------------------------------------------------------------------------------------------


def financing_mix_chart(mix: pd.DataFrame, by: str, percent: bool, value_title: str, source: str = "") -> go.Figure:
    """Stacked bars: value (or share) of each instrument family within each group."""
    groups = list(dict.fromkeys(mix[by].astype(str)))
    labels = [_group_label(by, g) for g in groups]
    bars = [
        go.Bar(
            x=labels,
            y=y,
            name=shown(_(FAMILY_SHORT[family])),
            marker_color=family_colour(family),
            hovertemplate=f"%{{x}}<br>{shown(_(FAMILY_LABELS[family]))}<br>{_amount_format(percent)}<extra></extra>",
        )
        for family, y in _family_series(mix, by, groups, percent)
    ]
    return styled(
        bars,
        _(MIX_TITLES.get(by, by)),
        _(GROUP_TITLES.get(by, by)),
        share_title(value_title) if percent else measure_title(value_title),
        source,
        height=560,
        legend_title=_("Instrument family"),
        barmode="stack",
    )


def organisations_using_chart(table: pd.DataFrame, names: dict[str, str], percent: bool, source: str = "") -> go.Figure:
    """Horizontal bars: organisations (or their share) that used each instrument at least once."""
    ordered = table.sort_values("value", kind="stable")
    y_labels = [_category(names.get(str(i), str(i))) for i in ordered["instrument_id"]]
    x = ordered["share" if percent else "value"]
    hover = _("{count} organisations ({share})").format(count="%{customdata[0]:,}", share="%{customdata[1]:.1f}%")
    bar = go.Bar(
        x=x,
        y=y_labels,
        orientation="h",
        marker_color=[family_colour(f) for f in ordered["family"]],
        customdata=np.stack([ordered["value"], ordered["share"]], axis=-1),
        hovertemplate=f"%{{y}}<br>{shown(hover)}<extra></extra>",
    )
    x_title = _("Share of organisations (%)") if percent else _("Organisations (count)")
    return styled(
        [bar],
        _("Organisations using each instrument"),
        x_title,
        "",
        source,
        height=max(380, _row_height(y_labels) * len(ordered) + 160),
    )


def trend_chart(table: pd.DataFrame, percent: bool, value_title: str, source: str = "") -> go.Figure:
    """Stacked areas over the years, one per family (values or shares of each year)."""
    years = sorted(table["year"].unique())
    areas = [
        go.Scatter(
            x=years,
            y=y,
            name=shown(_(FAMILY_SHORT[family])),
            mode="lines" if len(years) > 1 else "lines+markers",  # a single year has no line to draw
            stackgroup="one",
            line={"width": 0.5, "color": family_colour(family)},
            hovertemplate=f"%{{x}}<br>{shown(_(FAMILY_LABELS[family]))}<br>{_amount_format(percent)}<extra></extra>",
        )
        for family, y in _family_series(table, "year", years, percent)
    ]
    return styled(
        areas,
        _("Trend over the years"),
        _("Year"),
        share_title(value_title) if percent else measure_title(value_title),
        source,
        height=520,
        legend_title=_("Instrument family"),
        xaxis=_year_ticks(years),
    )


def heatmap_chart(
    table: pd.DataFrame, names: dict[str, str], percent: bool, value_title: str, source: str = ""
) -> go.Figure:
    """Instrument × country heatmap of values (or each instrument's share of the country's total), more is darker.

    Values that spread over orders of magnitude are coloured on a logarithmic scale (the colour bar says so).
    """
    column = "share" if percent else "value"
    matrix = table.pivot_table(index="instrument_id", columns="country", values=column, observed=True, aggfunc="sum")
    order = (
        table.drop_duplicates("instrument_id")
        .assign(rank=lambda t: t["family"].map({f: i for i, f in enumerate(FAMILIES)}))
        .sort_values(["rank", "instrument_id"])["instrument_id"]
    )
    matrix = matrix.reindex([i for i in order if i in matrix.index])
    values = matrix.to_numpy(dtype=float)
    bar_title = _("% of the country's total") if percent else measure_title(value_title)
    logarithmic = _log_colours(values)
    if logarithmic is None:
        z, colour_bar, colour_range = values, _colour_bar(bar_title, values, percent), _colour_range(values)
    else:
        z, ticks = logarithmic
        titled = _("{measure} (log scale)").format(measure=bar_title)
        z, colour_bar, colour_range = z, _colour_bar(titled, values, percent) | ticks, {}
    rows = [_category(names.get(str(i), str(i))) for i in matrix.index]
    heat = go.Heatmap(
        z=z,
        customdata=values,
        x=[_category(i18n.territory_name(str(c), country_name(str(c)))) for c in matrix.columns],
        y=rows,
        **MORE_IS_DARKER,
        hoverongaps=False,
        xgap=1,
        ygap=1,
        colorbar=colour_bar,
        **colour_range,
        hovertemplate="%{y}<br>%{x}<br>"
        + ("%{customdata:.1f}%" if percent else "%{customdata:,.0f}")
        + "<extra></extra>",
    )
    title = _("Instrument × country (share of each country's total)") if percent else _("Instrument × country")
    return styled(
        [heat],
        title,
        "",
        "",
        source,
        height=max(480, _row_height(rows) * len(matrix) + 320),
        xaxis={"side": "top", "tickfont": {"size": 11}},  # the colour bar lies under the plot
        yaxis={"autorange": "reversed", "tickfont": {"size": 11}},
        plot_bgcolor="#ffffff",
    )


def world_map_chart(table: pd.DataFrame, percent: bool, value_title: str, source: str = "") -> go.Figure:
    """Choropleth by country (ISO alpha-3), more is darker. The outlines come from the app's own static files (no
    CDN)."""
    column = "share" if percent else "value"
    bar_title = _("% of the total") if percent else measure_title(value_title)
    hover = _("Organisations: {count}").format(count="%{customdata[0]:,}")
    shapes = go.Choropleth(
        locations=table["country"].astype(str),
        z=table[column],
        locationmode="ISO-3",
        text=[shown(plot_text(i18n.territory_name(str(c), country_name(str(c))))) for c in table["country"]],
        customdata=table[["organisations"]].to_numpy(),
        **MORE_IS_DARKER,
        marker_line_color="#ffffff",
        marker_line_width=0.5,
        colorbar=_colour_bar(bar_title, table[column], percent),
        **_colour_range(table[column]),
        hovertemplate="%{text}<br>" + ("%{z:.1f}%" if percent else "%{z:,.0f}") + f"<br>{shown(hover)}<extra></extra>",
    )
    return styled(
        [shapes],
        _("By country (share of the total)") if percent else _("By country"),
        source=source,
        height=500,
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
    hover = _("{count} records ({share})").format(count="%{customdata[0]:,}", share="%{customdata[1]:.1f}%")
    bar = go.Bar(
        x=table["band"],
        y=table["share" if percent else "value"],
        marker_color=SERIES_COLOURS[0],
        customdata=np.stack([table["value"], table["share"]], axis=-1),
        hovertemplate="%{x} " + currency + f"<br>{shown(hover)}<extra></extra>",
    )
    y_title = _("Share of records (%)") if percent else _("Records (count)")
    return styled(
        [bar],
        _("Distribution of amounts per record"),
        _("Amount per record ({currency}, bands of ×10)").format(currency=currency),
        y_title,
        source,
    )


# --- catalogue ----------------------------------------------------------------------------------------------


def _family_name(family: str) -> str:
    """A family's name without its 'Internal:' or 'External:' group ('Internal: earned income' -> 'Earned income')."""
    label = _(FAMILY_LABELS[family])
    name = label.split(":", 1)[-1].strip() if ":" in label else label
    return name[:1].upper() + name[1:]


def typology_chart(catalogue: pd.DataFrame) -> go.Figure:
    """Icicle origin → family → instrument (left to right), coloured by family; leaves' ids are instrument ids."""
    ids, labels, parents, colours, hover = [], [], [], [], []
    # One explicit root: with several top-level nodes Plotly adds a blank root column of its own.
    ids.append("all")
    labels.append(shown(_("Financing sources")))
    parents.append("")
    colours.append("#f7f7f7")
    hover.append("")
    origins = {"internal": _("Internal sources"), "external": _("External sources")}
    for origin in ("internal", "external"):
        ids.append(origin)
        labels.append(shown(origins[origin]))
        parents.append("all")
        colours.append("#eeeeee")
        hover.append("")
    for family in FAMILIES:
        members = catalogue[catalogue["family"] == family]
        if members.empty:
            continue
        origin = str(members["origin"].iloc[0])
        group = _(FAMILY_GROUPS[family])
        ids.append(family)
        labels.append(shown(_family_name(family)))
        parents.append(origin)
        colours.append(family_colour(family))
        hover.append(shown(group))
        for instrument_id, name in zip(members["instrument_id"].tolist(), members["name"].tolist(), strict=True):
            ids.append(instrument_id)
            labels.append(shown(plot_text(name)))
            parents.append(family)
            colours.append(family_colour(family))
            hover.append(shown(_("{group} · click to open").format(group=group)))
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
    return styled([icicle], _("Typology of financing sources"), height=820)


def comparison_radar(scores: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Radar of the 1-5 judgment scores of a few instruments.

    The criteria's names are broken into short lines so that on a phone they leave the radar most of the width.
    """
    criteria = list(labels)
    theta = [
        shown("<br>".join(textwrap.wrap(_(labels[c]), 14, break_long_words=False))) for c in criteria
    ]  # 'Collateral-<br>lightness'
    traces = []
    for i, row in enumerate(scores.itertuples(index=False)):
        values = [getattr(row, c) for c in criteria]
        hover = _("{criterion}: {score} of 5").format(criterion="%{theta}", score="%{r}")
        traces.append(
            go.Scatterpolar(
                r=values + values[:1],
                theta=theta + theta[:1],
                name=shown(plot_text(row.name)),
                fill="toself",
                opacity=0.55,
                line={"color": SERIES_COLOURS[i % len(SERIES_COLOURS)]},
                hovertemplate=shown(hover) + "<extra>" + shown(plot_text(row.name)) + "</extra>",
            )
        )
    return styled(
        traces,
        _("Scores from 1 (least favourable) to 5 (most) — editorial judgments"),
        source=_("derived from catalogue attributes; see About › Methodology"),
        height=560,
        polar={
            "radialaxis": {"range": [0, 5], "dtick": 1, "title": {"text": ""}},
            "angularaxis": {"tickfont": {"size": 11}, "rotation": 90},
            "domain": {"x": [0.2, 0.8], "y": [0.08, 0.92]},  # the criteria's names are drawn outside the domain
        },
        margin={"b": 30},
    )


# --- published figures --------------------------------------------------------------------------------------


def figure_series_chart(series: pd.DataFrame, title: str, unit: str, relative: bool, source: str = "") -> go.Figure:
    """Lines and markers by series; missing years stay gaps (never interpolated). `title`, `unit` and the series'
    names are shown as given (data); the rest is in the active language."""
    lines = []
    qualifiers = {"more_than": " " + _("(more than)"), "approx": " " + _("(approximate)")}
    for i, (name, rows) in enumerate(series.groupby("series", sort=True)):
        qualifier = rows["qualifier"].astype("object").fillna("").astype(str) if "qualifier" in rows else ""
        symbols = np.where(
            qualifier == "more_than", "triangle-up", np.where(qualifier == "approx", "diamond", "circle")
        )
        words = [qualifiers.get(q, "") for q in (qualifier if "qualifier" in rows else [""] * len(rows))]
        index = "<br>" + _("index {value}").format(value="%{y:.0f}") if relative else ""
        lines.append(
            go.Scatter(
                x=rows["year"],
                y=rows["plotted"],
                name=shown(plot_text(name)),
                mode="lines+markers",
                connectgaps=False,
                marker={"size": 9, "symbol": symbols, "color": SERIES_COLOURS[i % len(SERIES_COLOURS)]},
                line={"color": SERIES_COLOURS[i % len(SERIES_COLOURS)]},
                customdata=np.array(list(zip(rows["value"].astype(float), words, strict=True)), dtype=object),
                hovertemplate="%{x}: %{customdata[0]:,.4~g}"
                + f" {plot_text(unit)}"
                + "%{customdata[1]}"
                + index
                + f"<extra>{shown(plot_text(name))}</extra>",
            )
        )
    y_title = _("Index, first year with data = 100") if relative else plot_text(unit)
    flat = bool(_colour_range(series["plotted"]))  # one value: else the axis reads '91.415836M … 91.415838M'
    return styled(
        lines,
        plot_text(title),
        _("Year"),
        y_title,
        source,
        height=480,
        xaxis=_year_ticks(series["year"]),
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
    shown_rows = ranked.head(top).iloc[::-1]
    names = [_category(f"{int(r)}. {n}") for r, n in zip(shown_rows["rank"], shown_rows["name"], strict=True)]
    bars = []
    for criterion, colour in CRITERION_COLOURS.items():
        hover = _("{criterion}: {score}/5, adds {points}").format(
            criterion=_(labels[criterion]), score="%{customdata}", points="%{x:.2f}"
        )
        bars.append(
            go.Bar(
                x=shown_rows[f"weighted_{criterion}"],
                y=names,
                orientation="h",
                name=shown(_(labels[criterion])),
                marker_color=colour,
                customdata=shown_rows[criterion],
                hovertemplate=f"%{{y}}<br>{shown(hover)}<extra></extra>",
            )
        )
    return styled(
        bars,
        _("How the score of each instrument is made up (editorial judgments)"),
        _("Weighted score (1 = least favourable, 5 = most)"),
        "",
        _("scores derived from the catalogue's attributes; see About › Financing finder"),
        height=max(420, _row_height(names) * len(shown_rows) + 260),
        barmode="stack",
        xaxis={"range": [0, 5], "dtick": 1},
    )


def right_to_left(figure: go.Figure) -> go.Figure:
    """A copy of `figure` laid out for a right-to-left language: y axes on the right, title and legend from the
    right. `styled` already lays out figures so in a right-to-left language; this also mirrors other figures."""
    mirrored = go.Figure(figure)
    mirrored.update_yaxes(side="right")
    mirrored.update_layout(title_x=1, title_xanchor="right", legend_x=0.99, legend_xanchor="right")
    return mirrored
