"""Usage explorer: who uses which instruments, where, when and how much."""

import streamlit as st

from sse_dash import codes, i18n, schema, state, transform, ui, views
from sse_dash.i18n import _
from sse_dash.text import md, words

ui.require_app()

usage = ui.active_usage()
catalogue = ui.catalogue_shown()
options = ui.usage_options(usage)
instrument_names = dict(zip(catalogue["instrument_id"], catalogue["name"], strict=True))
country_names = {code: i18n.territory_name(code, codes.country_name(code)) for code in options["country"]}

st.title(_("Usage explorer"))
ui.synthetic_badge(usage)
st.caption(
    _("Records of financing used by SSE organisations: {label} ({file}), {count} records.").format(
        label=md(usage.shown_label()),
        file=md(usage.file_name),
        count=i18n.number(ui.filtered_counts(usage, transform.UsageFilter())[0]),
    )
)
ui.read_link("usage", options)

st.sidebar.header(_("Filters"))
by_name = sorted(options["country"], key=country_names.__getitem__)  # in the order of the reader's language
countries = ui.multi_filter(_("Country"), "country", by_name, country_names, page="usage")
for code in countries[:3]:  # a link to the profile of each country chosen (the first three)
    st.sidebar.page_link(
        "pages/country.py",
        label=_("Country profile: {country}").format(country=md(country_names[code])),
        icon=":material/flag:",
        query_params={"country": code},
    )
years = ui.year_filter(*options["years"])
sse_types = ui.multi_filter(_("SSE type"), "sse_type", options["sse_type"], schema.SSE_TYPE_LABELS, page="usage")
sectors = ui.multi_filter(_("Sector"), "sector", options["sector"], schema.SECTOR_LABELS, page="usage")
families = ui.multi_filter(_("Instrument family"), "family", options["family"], schema.FAMILY_LABELS, page="usage")
instruments = ui.multi_filter(
    _("Instrument"),
    "instrument",
    options["instrument"],
    instrument_names,
    help=_("Instruments of the catalogue (see the Instruments page)."),
    page="usage",
)
chosen = transform.UsageFilter(
    tuple(countries), tuple(years), tuple(sse_types), tuple(sectors), tuple(families), tuple(instruments)
)

with st.container(horizontal=True, vertical_alignment="bottom"):
    measure = ui.linked(
        st.segmented_control,
        _("Measure"),
        views.MEASURES,
        key="measure",
        page="usage",
        format_func=words(views.MEASURE_LABELS),
        required=True,
        wrap=True,  # on a phone the choices go onto another row, not out of sight
        help=_("Amount: money received through the instrument; number of uses: number of records."),
    )
    money = ui.linked(
        st.selectbox,
        _("Currency basis"),
        options["money"],
        key="money",
        page="usage",
        format_func=views.money_label,
        help=_(
            "In US dollars: every row, converted to dollars by the publisher (the amount_usd column). "
            "A currency: only the rows recorded in it. Amounts in different currencies are never added together."
        ),
        disabled=measure != "amount",
        width=300,
    )
    scale = ui.linked(
        st.segmented_control,
        _("Scale"),
        views.SCALES,
        key="scale",
        page="usage",
        format_func=words(views.SCALE_LABELS),
        required=True,
        wrap=True,  # on a phone the choices go onto another row, not out of sight
    )
    mix_by = ui.linked(
        st.segmented_control,
        _("Mix by"),
        views.MIX_BY,
        key="mix_by",
        page="usage",
        format_func=words(views.MIX_BY_LABELS),
        required=True,
        wrap=True,  # on a phone the choices go onto another row, not out of sight
        help=_("Grouping of the Mix view."),
    )

records, organisations = ui.filtered_counts(usage, chosen)
if not records:
    ui.empty_state(
        _("No usage records match these filters."),
        _(
            "Remove a country, SSE type or instrument, or widen the years. The sidebar shows what is "
            "selected; an empty box means all."
        ),
    )
else:
    st.caption(
        _("{records} records of {organisations} organisations match the filters.").format(
            records=i18n.number(records), organisations=i18n.number(organisations)
        )
    )
    settings = views.ViewSettings(
        measure or state.default("usage", "measure"),
        money or state.default("usage", "money"),
        scale or state.default("usage", "scale"),
        mix_by or state.default("usage", "mix_by"),
    )
    source = (
        _("{label} ({file}), invented to demonstrate the dashboard, not statistics")
        if usage.synthetic
        else "{label} ({file})"
    ).format(label=usage.shown_label(), file=usage.file_name)
    view, tabs = ui.linked_tabs(views.VIEWS, views.VIEW_LABELS, key="view", page="usage")
    with tabs[views.VIEWS.index(view)]:
        st.caption(_(views.VIEW_HELP[view]))
        with ui.friendly_errors(_("drawing the {view} view").format(view=_(views.VIEW_LABELS[view]))):
            result = ui.usage_view(usage, chosen, view, settings, source)
        for note in result.notes:
            st.caption(note)
        if result.table.empty:
            ui.empty_state(_("Nothing to draw for this view."), _("Choose another currency basis or measure."))
        else:
            context = views.table_context(result, source, usage.synthetic)
            picked = ui.chart(
                result.figure,
                result.table,
                f"usage-{view.lower()}",
                source,
                view,
                context=context,
                selectable=view == "Map",
            )
            if view == "Map":
                st.caption(
                    _(
                        "To open country profiles from the map, choose the box or lasso tool at the top right of the "
                        "map and draw around the countries."
                    )
                )
            for code in picked[:3]:  # the countries clicked on the map: their profiles
                st.page_link(
                    "pages/country.py",
                    label=_("Country profile: {country}").format(
                        country=md(i18n.territory_name(code, codes.country_name(code)))
                    ),
                    icon=":material/flag:",
                    query_params={"country": code},
                )

names = {
    "country": country_names,
    "instrument": instrument_names,
    "sse_type": schema.SSE_TYPE_LABELS,
    "family": schema.FAMILY_LABELS,
    "sector": schema.SECTOR_LABELS,
    "view": views.VIEW_LABELS,
    "scale": views.SCALE_LABELS,
    "mix_by": views.MIX_BY_LABELS,
}
ui.share_control("usage", ui.current_values("usage"), names)
