"""Usage explorer: who uses which instruments, where, when and how much."""

import streamlit as st

from sse_dash import codes, schema, state, transform, ui, views
from sse_dash.text import md, words

ui.require_app()

usage = ui.active_usage()
catalogue = ui.catalogue()
options = ui.usage_options(usage)
instrument_names = dict(zip(catalogue["instrument_id"], catalogue["name"], strict=True))
country_names = {code: codes.country_name(code) for code in options["country"]}

st.title("Usage explorer")
ui.synthetic_badge(usage)
st.caption(
    f"Records of financing used by SSE organisations: {md(usage.label)} ({md(usage.file_name)}), "
    f"{usage.rows:,} records."
)
ui.read_link("usage", options)

st.sidebar.header("Filters")
countries = ui.multi_filter("Country", "country", options["country"], country_names, page="usage")
years = ui.year_filter(*options["years"])
sse_types = ui.multi_filter("SSE type", "sse_type", options["sse_type"], schema.SSE_TYPE_LABELS, page="usage")
sectors = ui.multi_filter("Sector", "sector", options["sector"], page="usage")
families = ui.multi_filter("Instrument family", "family", options["family"], schema.FAMILY_LABELS, page="usage")
instruments = ui.multi_filter(
    "Instrument",
    "instrument",
    options["instrument"],
    instrument_names,
    help="Instruments of the catalogue (see the Instruments page).",
    page="usage",
)
chosen = transform.UsageFilter(
    tuple(countries), tuple(years), tuple(sse_types), tuple(sectors), tuple(families), tuple(instruments)
)

with st.container(horizontal=True, vertical_alignment="bottom"):
    measure = ui.linked(
        st.segmented_control,
        "Measure",
        views.MEASURES,
        key="measure",
        page="usage",
        format_func=words(views.MEASURE_LABELS),
        required=True,
        help="Amount: money received through the instrument; number of uses: number of records.",
    )
    money = ui.linked(
        st.selectbox,
        "Currency basis",
        options["money"],
        key="money",
        page="usage",
        format_func=views.money_label,
        help="In US dollars: every row, converted to dollars by the publisher (the amount_usd column). "
        "A currency: only the rows recorded in it. Amounts in different currencies are never added together.",
        disabled=measure != "amount",
        width=300,
    )
    scale = ui.linked(
        st.segmented_control,
        "Scale",
        views.SCALES,
        key="scale",
        page="usage",
        format_func=words(views.SCALE_LABELS),
        required=True,
    )
    mix_by = ui.linked(
        st.segmented_control,
        "Mix by",
        views.MIX_BY,
        key="mix_by",
        page="usage",
        format_func=words(views.MIX_BY_LABELS),
        required=True,
        help="Grouping of the Mix view.",
    )

records, organisations = ui.filtered_counts(usage, chosen)
if not records:
    ui.empty_state(
        "No usage records match these filters.",
        "Remove a country, SSE type or instrument, or widen the years. The sidebar shows what is "
        "selected; an empty box means all.",
    )
else:
    st.caption(f"{records:,} records of {organisations:,} organisations match the filters.")
    settings = views.ViewSettings(
        measure or state.default("usage", "measure"),
        money or state.default("usage", "money"),
        scale or state.default("usage", "scale"),
        mix_by or state.default("usage", "mix_by"),
    )
    source = f"{usage.label} ({usage.file_name})" + (
        ", invented to demonstrate the dashboard, not statistics" if usage.synthetic else ""
    )
    for view, tab in zip(views.VIEWS, st.tabs(views.VIEWS, key="view", bind="query-params"), strict=True):
        if not tab.open:
            continue
        with tab:
            st.caption(views.VIEW_HELP[view])
            with ui.friendly_errors(f"drawing the {view} view"):
                result = ui.usage_view(usage, chosen, view, settings, source)
            for note in result.notes:
                st.caption(note)
            if result.table.empty:
                ui.empty_state("Nothing to draw for this view.", "Choose another currency basis or measure.")
            else:
                ui.chart(result.figure, result.table, f"usage-{view.lower()}", source, view)

names = {
    "country": country_names,
    "instrument": instrument_names,
    "sse_type": schema.SSE_TYPE_LABELS,
    "family": schema.FAMILY_LABELS,
}
ui.share_control("usage", ui.current_values("usage"), names)
