"""The usage explorer's views as pure functions: filtered rows in, (table, figure, notes) out.

The page, the tests and the benchmark all call `usage_view`, so what is measured is what users get.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from sse_dash import charts, transform
from sse_dash.i18n import N_, _, number

Rows = pd.DataFrame | Any  # usage rows: a pandas frame, or an Ibis table for `engine.queries`

VIEWS = ("Mix", "Organisations", "Trend", "Heatmap", "Map", "Amounts")
VIEW_LABELS = {
    "Mix": N_("Mix"),
    "Organisations": N_("Organisations"),
    "Trend": N_("Trend"),
    "Heatmap": N_("Heatmap"),
    "Map": N_("Map"),
    "Amounts": N_("Amounts"),
}
VIEW_HELP = {
    "Mix": N_("Financing mix: how the total splits across instrument families, by SSE type, country or life stage."),
    "Organisations": N_("Share of organisations that used each instrument at least once in the selection."),
    "Trend": N_("How the total and its split across families change over the years."),
    "Heatmap": N_("Instrument × country: where each instrument weighs most."),
    "Map": N_("The total by country on a world map."),
    "Amounts": N_("How large single records are: records per amount band."),
}
MEASURES = ("amount", "uses")
SCALES = ("absolute", "percent")
MIX_BY = ("sse_type", "country", "life_stage")
# What the choices say on screen (links keep the codes).
MEASURE_LABELS = {"amount": N_("Amount"), "uses": N_("Number of uses")}
SCALE_LABELS = {"absolute": N_("Absolute"), "percent": N_("Percent of total")}
MIX_BY_LABELS = {"sse_type": N_("SSE type"), "country": N_("Country"), "life_stage": N_("Life stage")}


def money_label(money: str) -> str:
    """A currency basis in words: 'usd' adds every row converted to US dollars; a currency code keeps only the rows
    recorded in that currency."""
    if money == transform.USD:
        return _("All rows, in US dollars (converted by the publisher)")
    return _("Only rows recorded in {currency}").format(currency=money)


@dataclass(frozen=True)
class ViewSettings:
    """How a view is measured and drawn; hashable so it can key a cache."""

    measure: str = "amount"
    money: str = transform.USD
    scale: str = "absolute"
    mix_by: str = "sse_type"


@dataclass
class ViewResult:
    """What a view shows: the exact table behind the chart, the chart, and notes for the reader."""

    table: pd.DataFrame
    figure: go.Figure
    notes: list[str] = field(default_factory=list)
    unit: str = ""  # what the values of the table measure, e.g. 'Amount (USD)'
    money: str = ""  # the currency basis its amounts are in ('' when it counts records or organisations)


def _basis(
    frame: Rows, settings: ViewSettings, always: bool, ops: ModuleType
) -> tuple[Rows, transform.MoneyBasis | None, list[str]]:
    if settings.measure != "amount" and not always:
        return frame, None, []
    rows, basis = ops.money_basis(frame, settings.money)
    notes = []
    if basis.rows_left_out:
        note = (
            _(
                "{left_out} of {records} records have no amount in US dollars and are not added here: amounts in "
                "different currencies are never added together."
            )
            if settings.money == transform.USD
            else _(
                "{left_out} of {records} records are in other currencies than {currency} and are not added here: "
                "amounts in different currencies are never added together."
            )
        )
        notes.append(
            note.format(
                left_out=number(basis.rows_left_out),
                records=number(basis.rows_left_out + basis.rows_kept),
                currency=basis.currency,
            )
        )
    return rows, basis, notes


def usage_view(
    frame: Rows,
    catalogue: pd.DataFrame,
    view: str,
    settings: ViewSettings,
    source: str = "",
    ops: ModuleType = transform,
) -> ViewResult:
    """Table, figure and notes of one usage view for already-filtered rows.

    `ops` computes the aggregates: `transform` for a pandas frame, `engine.queries` for an Ibis table (the same
    functions as queries an engine runs). Either way only the small aggregated table comes back.
    """
    percent = settings.scale == "percent"
    names = dict(zip(catalogue["instrument_id"], catalogue["name"], strict=True))
    if view == "Organisations":
        table = ops.organisations_using(frame)
        return ViewResult(
            transform.labelled(table, catalogue),
            charts.organisations_using_chart(table, names, percent, source),
            unit=transform.value_label("orgs", None),
        )
    rows, basis, notes = _basis(frame, settings, view == "Amounts", ops)
    if not (basis.rows_kept if basis is not None else ops.has_rows(rows)):
        return ViewResult(pd.DataFrame(), charts.empty_figure(_("No records in this currency")), notes)
    title = transform.value_label(settings.measure, basis)
    if view == "Mix":
        table = ops.financing_mix(rows, settings.mix_by, settings.measure, basis)
        figure = charts.financing_mix_chart(table, settings.mix_by, percent, title, source)
    elif view == "Trend":
        table = ops.trend(rows, settings.measure, basis)
        figure = charts.trend_chart(table, percent, title, source)
    elif view == "Heatmap":
        table = ops.instrument_by_country(rows, settings.measure, basis)
        figure = charts.heatmap_chart(table, names, percent, title, source)
    elif view == "Map":
        table = ops.by_country(rows, settings.measure, basis)
        figure = charts.world_map_chart(table, percent, title, source)
    elif view == "Amounts":
        table = ops.amount_histogram(rows, basis)
        figure = charts.amount_histogram_chart(table, percent, basis.currency, source)
    else:
        raise ValueError(f"unknown view {view!r}")
    unit = _("Records, by amount band in {currency}").format(currency=basis.currency) if view == "Amounts" else title
    return ViewResult(transform.labelled(table, catalogue), figure, notes, unit, settings.money if basis else "")


def table_context(result: ViewResult, source: str, synthetic: bool) -> dict[str, str]:
    """What a downloaded 'data behind' table needs to keep its meaning: unit, currency basis, source, synthetic."""
    context = {
        "unit": result.unit,
        "currency_basis": money_label(result.money) if result.money else "",
        "source": source,
    }
    if synthetic:
        context["synthetic"] = _("yes: invented to demonstrate the dashboard, not statistics")
    return context


def usage_options(frame: pd.DataFrame, catalogue: pd.DataFrame) -> dict[str, list]:
    """Every valid value of every usage-page parameter, in the order the widgets show them."""
    from sse_dash.codes import country_name
    from sse_dash.schema import FAMILIES, SSE_TYPES

    present = {
        column: transform.present_values(frame[column]) for column in ("country", "sse_type", "family", "instrument_id")
    }
    years = frame["year"]
    found = {
        "country": sorted(present["country"], key=country_name),
        "years": [int(years.min()), int(years.max())] if len(frame) else [0, 0],
        "sse_type": [s for s in SSE_TYPES if s in present["sse_type"]],
        "sector": sorted(transform.present_values(frame["sector"])) if "sector" in frame else [],
        "family": [f for f in FAMILIES if f in present["family"]],
        "instrument": [i for i in catalogue["instrument_id"] if i in present["instrument_id"]],
        "money": transform.money_options(frame),
    }
    return with_setting_options(found)


OPTION_ORDER = ("country", "years", "sse_type", "sector", "family", "instrument", "measure", "money", "scale")


def with_setting_options(data_options: dict[str, list]) -> dict[str, list]:
    """The options found in the data (here or by `engine.queries.usage_options`) with those of the settings, in the
    order of the page's parameters."""
    every = data_options | {
        "measure": list(MEASURES),
        "scale": list(SCALES),
        "mix_by": list(MIX_BY),
        "view": list(VIEWS),
    }
    return {key: every[key] for key in (*OPTION_ORDER, "mix_by", "view")}
