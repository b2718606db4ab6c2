"""Published figures: one indicator over time by geography, as published or relative to its first year."""

import streamlit as st

from sse_dash import catalogue_text, charts, codes, country, geographies, i18n, transform, ui
from sse_dash.i18n import N_, _
from sse_dash.text import md, words

MODE_LABELS = {"level": N_("As published"), "relative": N_("Relative to the first year")}

ui.require_app()

bundle = ui.bundle()
figures, catalogue = ui.figures(), ui.catalogue()
indicators = transform.indicator_table(figures, catalogue)
groups = [i for i in catalogue["instrument_id"] if i in set(indicators["instrument_id"].dropna())]
names = dict(zip(catalogue["instrument_id"], catalogue["name"], strict=True))

st.title(_("Published figures"))
st.caption(
    _(
        "Figures published by the organisations named under each chart. Missing years stay gaps: nothing is "
        "interpolated. Coverage and definitions change between editions; read the notes."
    )
)

st.sidebar.header(_("Choose a series"))
group = ui.linked(
    st.sidebar.selectbox,
    _("Instrument"),
    ["", *groups],
    key="group",
    page="figures",
    format_func=words(names, blank=N_("All instruments")),
    help=_("Narrows the indicators to those about one instrument."),
)
listed = indicators[indicators["instrument_id"] == group] if group else indicators
indicator_ids = listed["indicator"].tolist()
every_series = transform.series_by_indicator(figures)
series_options = {i: every_series.get(i, []) for i in indicator_ids}
all_series = sorted({s for values in series_options.values() for s in values})
ui.read_link(
    "figures",
    {
        "group": ["", *groups],
        "indicator": indicators["indicator"].tolist(),
        "series": all_series,
        "mode": ["level", "relative"],
    },
)

indicator_names = dict(zip(indicators["indicator"], indicators["indicator_name"], strict=True))
indicator = ui.linked(
    st.sidebar.selectbox,
    _("Indicator"),
    indicator_ids,
    key="indicator",
    page="figures",
    format_func=words(indicator_names),
    help=_("Ordered by instrument family, then instrument. Type a word of its name to search."),
)
info = indicators.set_index("indicator").loc[indicator]
instrument = names.get(info["instrument_id"]) or _("Not tied to one instrument")
st.sidebar.caption(
    _("{indicator} · {instrument} · unit: {unit}").format(
        indicator=md(info["indicator_name"]), instrument=md(instrument), unit=md(info["unit"])
    )
)
series = ui.linked(
    st.sidebar.multiselect,
    _("Geographies"),
    series_options[indicator],
    key="series",
    page="figures",
    format_func=geographies.series_name,
    multi=True,
    default=transform.default_series(figures, indicator),
)
mode = ui.linked(
    st.sidebar.segmented_control,
    _("Show"),
    ["level", "relative"],
    key="mode",
    page="figures",
    format_func=words(MODE_LABELS),
    required=True,
    help=_(
        "As published: the figures as their publishers give them; relative to the first year: indexed to the "
        "first year with data (=100)."
    ),
)

st.subheader(md(info["indicator_name"]))
st.caption(
    _("Instrument: {instrument} · unit: {unit} · {first}–{last}").format(
        instrument=md(instrument), unit=md(info["unit"]), first=info["first_year"], last=info["last_year"]
    )
)
if not series:
    ui.empty_state(_("No geography is selected."), _("Choose at least one in the sidebar."))
else:
    shown = transform.figure_series(figures, indicator, tuple(series), relative=mode == "relative")
    used = transform.series_sources(figures, bundle.sources, indicator, tuple(series))
    publishers = ", ".join(dict.fromkeys(used["publisher"]))
    figure = charts.figure_series_chart(
        shown.assign(series=shown["series"].map(geographies.series_name)),
        info["indicator_name"],
        info["unit"],
        mode == "relative",
        _("{publishers} (see the dashboard's Published figures page)").format(publishers=publishers),
    )
    st.plotly_chart(figure, config=ui.PLOTLY_CONFIG, key="chart-figures")
    latest = transform.latest_points(figures, bundle.sources, indicator, tuple(series))
    st.markdown(
        "**"
        + _("How current")
        + "**"
        + "".join(f"\n- {md(line)}" for line in country.currency_lines(latest, geographies.series_name))
    )
    common, notes = transform.series_notes(figures, indicator, tuple(series))
    if common or not notes.empty:
        st.markdown("**" + _("Notes") + "**" + "".join(f"\n- {md(sentence)}" for sentence in common))
        if not notes.empty:
            st.dataframe(
                notes.assign(series=notes["series"].map(geographies.series_name)),
                hide_index=True,
                column_config={
                    "series": st.column_config.TextColumn(_("Series")),
                    "year": st.column_config.NumberColumn(_("Year"), format="%d"),
                    "note": st.column_config.TextColumn(_("Note (as published)"), width="large"),
                },
            )
    listed = [f"- {catalogue_text.source_markdown(s)}" for _row, s in used.iterrows()]
    unknown = transform.unlisted_sources(figures, bundle.sources, indicator, tuple(series))
    listed += ["- " + _("{source} (as given in the uploaded file)").format(source=md(source)) for source in unknown]
    st.markdown("**" + _("Sources") + "**\n" + "\n".join(listed))
    for code in country.series_countries(figures, indicator, tuple(series)):
        name = i18n.territory_name(code, codes.country_name(code))
        st.page_link(
            "pages/country.py",
            label=_("Country profile: {country}").format(country=md(name)),
            icon=":material/flag:",
            query_params={"country": code},
        )
    table = shown.dropna(subset=["value"])[
        ["series", "year", "value", "unit", "qualifier", "plotted", "source_id", "note"]
    ]
    ui.data_behind(
        table.rename(columns={"plotted": "index" if mode == "relative" else "plotted"}),
        f"figures-{indicator}",
        "figures",
    )

ui.share_control(
    "figures",
    ui.current_values("figures"),
    {"indicator": dict(zip(indicators["indicator"], indicators["indicator_name"], strict=True))},
)
