"""Country profile: what the dashboard knows about one country (published figures with their sources, instruments
documented there, usage records of the active data) and a comparison with chosen peers."""

import streamlit as st

from sse_dash import catalogue_text, codes, country, i18n, transform, ui, views
from sse_dash.i18n import _, ngettext
from sse_dash.text import md, words

ui.require_app()

figures, catalogue, usage = ui.figures(), ui.catalogue_shown(), ui.active_usage()
names = {code: i18n.territory_name(code, codes.country_name(code)) for code in codes.known_countries()}
everywhere = sorted(names, key=names.__getitem__)  # in the order of the reader's language
with_figures = sorted(country.countries_with_figures(figures), key=names.__getitem__)

st.title(_("Country profile"))
ui.read_link("country", {"country": everywhere, "peers": with_figures})
code = ui.linked(
    st.selectbox,
    _("Country"),
    everywhere,
    key="country",
    page="country",
    format_func=words(names),
    help=_("Type a country's name to search."),
    width=360,
)
name = names[code]
used = ui.country_usage(usage, code)  # None when the deployment's usage database cannot be reached
held = country.holdings(figures, catalogue, code, used.records if used else 0)
with st.container(horizontal=True):
    st.metric(_("Published figures"), i18n.number(held.figures), width="content")
    st.metric(_("Indicators"), i18n.number(held.indicators), width="content")
    st.metric(_("Instruments documented"), i18n.number(held.instruments), width="content")
    if used is not None:
        st.metric(_("Usage records"), i18n.number(held.records), width="content")


def offer_upload(message: str, hint: str) -> None:
    """Say that something is missing for this country, and offer the upload page."""
    ui.empty_state(message, hint)
    st.page_link("pages/upload.py", label=_("Upload your data"), icon=":material/upload_file:")


if held.empty and used is not None:
    offer_upload(
        _("The dashboard holds nothing about {country} yet.").format(country=md(name)),
        _(
            "No published figure, documented instrument or usage record names it. If you have figures (with their "
            "sources) or usage records for {country}, upload them: they are checked, then shown on every page for "
            "your session only. Countries with published figures: {countries}."
        ).format(country=md(name), countries=md(catalogue_text.listed(names[c] for c in with_figures))),
    )
else:
    # --- published figures -------------------------------------------------------------------------------------
    st.subheader(_("Published figures"))
    published = country.published_figures(figures, ui.bundle().sources, code)
    if published.empty:
        offer_upload(
            _("No published figure is about {country} yet.").format(country=md(name)),
            _("Figures you upload with their sources are shown here and on the Published figures page."),
        )
    else:
        st.caption(
            ngettext(
                "{count} series about {country}, each with its latest year and the edition (source) it comes from. "
                "Open a series to see it over time with its notes.",
                "{count} series about {country}, each with its latest year and the edition (source) it comes from. "
                "Open a series to see it over time with its notes.",
                len(published),
            ).format(count=i18n.number(len(published)), country=md(name))
        )
        shown = country.published_shown(published)
        st.dataframe(
            shown.assign(series_query=shown["series_query"].map(lambda query: ui.link_to("figures", query))),
            hide_index=True,
            column_config={
                "indicator_name": st.column_config.TextColumn(_("Indicator"), width="medium"),
                "geography": st.column_config.TextColumn(_("Geography")),
                "latest_year": st.column_config.NumberColumn(_("Latest year"), format="%d"),
                "latest": st.column_config.TextColumn(_("Latest value")),
                "years": st.column_config.NumberColumn(_("Years of data"), format="%d"),
                "title": st.column_config.TextColumn(_("Edition (source)"), width="medium"),
                "publisher": st.column_config.TextColumn(_("Publisher")),
                "source_year": st.column_config.NumberColumn(_("Year published"), format="%d"),
                "url": st.column_config.LinkColumn(_("Source page"), display_text=_("Open the source")),
                "series_query": st.column_config.LinkColumn(_("Series"), display_text=_("Open the series")),
            },
        )

    # --- instruments -------------------------------------------------------------------------------------------
    st.subheader(_("Instruments documented in {country}").format(country=md(name)))
    documented = country.documented_instruments(catalogue, code)
    if documented.empty:
        st.caption(
            _(
                "No instrument of the catalogue is documented as specific to {country}. The catalogue's generic "
                "instruments are found in many countries: see the Instruments page."
            ).format(country=md(name))
        )
        st.page_link("pages/instruments.py", label=_("Open the instruments"), icon=":material/category:")
    for _row, instrument in documented.iterrows():
        st.page_link(
            "pages/instruments.py",
            label=md(instrument["name"]),
            icon=":material/arrow_forward:",
            query_params={"instrument": instrument["instrument_id"]},
        )
        st.caption(md(catalogue_text.detail_line(instrument)))

    # --- usage records -----------------------------------------------------------------------------------------
    st.subheader(_("Usage records"))
    ui.synthetic_badge(usage)
    if used is None:
        ui.say_database_away()
    elif not used.records:
        offer_upload(
            _("The active usage data has no records for {country}.").format(country=md(name)),
            _("It is {label} ({file}). Upload your own records to see them here.").format(
                label=md(usage.shown_label()), file=md(usage.file_name)
            ),
        )
    else:
        st.caption(
            _(
                "{records} records of {organisations} organisations in {country}, {first}–{last}: {label} ({file})."
            ).format(
                records=i18n.number(used.records),
                organisations=i18n.number(used.organisations),
                country=md(name),
                first=used.first_year,
                last=used.last_year,
                label=md(usage.shown_label()),
                file=md(usage.file_name),
            )
        )
        st.dataframe(
            used.totals.assign(
                basis=used.totals["basis"].map(views.money_label),
                total=used.totals["total"].map(i18n.number),
                records=used.totals["records"].map(i18n.number),
            )[["basis", "records", "total", "currency"]],
            hide_index=True,
            column_config={
                "basis": st.column_config.TextColumn(_("Currency basis"), width="large"),
                "records": st.column_config.TextColumn(_("Records")),
                "total": st.column_config.TextColumn(_("Total")),
                "currency": st.column_config.TextColumn(_("Currency")),
            },
        )
        source = (
            _("{label} ({file}), invented to demonstrate the dashboard, not statistics")
            if usage.synthetic
            else "{label} ({file})"
        ).format(label=usage.shown_label(), file=usage.file_name)
        settings = views.ViewSettings("amount", used.totals["basis"].iloc[0], "absolute", "sse_type")
        chosen = transform.UsageFilter(countries=(code,))
        with ui.friendly_errors(_("drawing the {view} view").format(view=_(views.VIEW_LABELS["Trend"]))):
            result = ui.usage_view(usage, chosen, "Trend", settings, source)
        for note in result.notes:
            st.caption(note)
        context = views.table_context(result, source, usage.synthetic)
        ui.chart(result.figure, result.table, f"country-{code}-trend", source, "country-trend", context=context)
        st.page_link(
            "pages/usage.py",
            label=_("Explore these records"),
            icon=":material/bar_chart:",
            query_params={"country": code},
        )

    # --- peers -------------------------------------------------------------------------------------------------
    st.subheader(_("Comparison with other countries"))
    peers = ui.linked(
        st.multiselect,
        _("Peer countries"),
        [c for c in with_figures if c != code],
        key="peers",
        page="country",
        format_func=words(names),
        multi=True,
        placeholder=_("Choose countries to compare"),
        help=_("Countries with published figures. Only indicators published for the whole country are compared."),
    )
    if not peers:
        st.caption(
            _("Choose one or more countries to compare the indicators they share with {country}.").format(
                country=md(name)
            )
        )
    else:
        compared = country.peer_comparison(figures, code, tuple(peers))
        everyone = (code, *peers)
        if compared.empty:
            ui.empty_state(
                _("{country} shares no published indicator with the countries chosen.").format(country=md(name)),
                _("Choose other countries: only indicators published for each whole country can be compared."),
            )
        else:
            st.caption(
                _(
                    "The latest value each country has, with its year: years and editions may differ, so read the "
                    "series' notes before comparing."
                )
            )
            shown = country.comparison_shown(compared, everyone)
            st.dataframe(
                shown.assign(series_query=shown["series_query"].map(lambda query: ui.link_to("figures", query))),
                hide_index=True,
                column_config={
                    "indicator_name": st.column_config.TextColumn(_("Indicator"), width="medium"),
                    **{c: st.column_config.TextColumn(names[c]) for c in everyone},
                    "series_query": st.column_config.LinkColumn(_("Series"), display_text=_("Open the series")),
                },
            )

ui.share_control("country", ui.current_values("country"), {"country": names})
