"""Overview: what SSE finance is, the typology of sources, headline published series and the data loaded."""

import streamlit as st

from sse_dash import catalogue_text, charts, i18n, schema, summary, ui
from sse_dash.i18n import _
from sse_dash.text import md, md_link

ui.require_app()

bundle = ui.bundle()
usage = ui.active_usage()
catalogue = ui.catalogue()
shown = ui.catalogue_shown()  # names in the reader's language where translated

st.title(_(ui.APP_TITLE))
st.markdown(
    _(
        "How is the **social and solidarity economy** (cooperatives, mutuals, associations, social enterprises, "
        "foundations) financed? Access to finance is a key part of an enabling environment for the SSE, and ordinary "
        "finance often does not reach SSE units. Following the ILO, the dashboard sorts sources into **internal** "
        "(members' shares, fees and loans; income from sales; retained reserves), **external** (social and ethical "
        "banks, community-based savings schemes, financial cooperatives) and **new forms** (labour solidarity funds, "
        "social finance intermediaries, quasi-equity), plus **public and philanthropic support** and "
        "**market-based innovations**. No single source usually finances an SSE unit: most blend several."
    )
)

st.subheader(_("Five groups of sources"))
groups = summary.family_groups(shown)
for column, group in zip(st.columns(len(groups)), groups, strict=True):
    with column, st.container(border=True, height="stretch"):
        st.markdown(f"**{group['name']}**")
        st.caption(group["description"])
        st.markdown(
            i18n.ngettext(
                "{count} instrument, e.g. {examples}", "{count} instruments, e.g. {examples}", group["count"]
            ).format(
                count=i18n.number(group["count"]),
                examples="; ".join(md(e) for e in group["examples"]),
            )
        )
        st.page_link(
            "pages/instruments.py",
            label=_("See them"),
            icon=":material/arrow_forward:",
            query_params={"family": group["families"]},
        )
if shown["translated"].any():
    st.caption(f":material/translate: {_(catalogue_text.TRANSLATION_NOTICE)}")

st.subheader(_("Typology"))
st.caption(_("Origin → family → instrument. Click an instrument to open its details."))
event = st.plotly_chart(
    charts.typology_chart(shown),
    on_select="rerun",
    selection_mode="points",
    key="typology",
    config=ui.PLOTLY_CONFIG,
)
picked = [
    p.get("id") for p in (event.selection.points if event else []) if p.get("id") in set(catalogue["instrument_id"])
]
if picked:
    st.switch_page("pages/instruments.py", query_params={"instrument": picked[0]})
ui.source_caption(
    _(
        "the dashboard's instrument catalogue (data/instruments.csv), after the ILO's grouping of "
        "financing sources; see About for the sources of each instrument."
    )
)
ui.data_behind(catalogue_text.typology_table(shown), "typology", "typology")

st.subheader(_("Published series"))
st.caption(
    _(
        "Latest published value, with the series since its first year. Hover on ⓘ for comparability notes. "
        "Series names, units, notes and sources are the publishers' and stay in English."
    )
)
cards = [
    card for card in (summary.headline(bundle.figures, bundle.sources, i, g) for i, g in summary.HEADLINES) if card
]
for start in range(0, len(cards), 3):
    for column, card in zip(st.columns(3), cards[start : start + 3], strict=False):
        with column, st.container(border=True, height="stretch"):
            st.markdown(f"**{md(card['name'])}**")
            st.metric(
                _("{geography}, {year}").format(geography=card["geography"], year=card["year"]),
                card["short_value"],
                chart_data=card["history"],
                chart_type="line",
                help=" ".join(card["notes"]) or None,
                delta=_("since {since}").format(since=card["since"]),
                delta_color="off",
                delta_arrow="off",
            )
            st.caption(card["unit_words"])
            listed = card["sources"][:2]
            links = "; ".join(md_link(s["text"], s["url"]) for s in listed)
            more = len(card["sources"]) - len(listed)
            st.caption(
                _("Source: {sources}; and {more} more (listed with the series)").format(
                    sources=links, more=i18n.number(more)
                )
                if more
                else _("Source: {sources}").format(sources=links)
            )
            st.page_link(
                "pages/figures.py",
                label=_("Open the series"),
                icon=":material/query_stats:",
                query_params={"indicator": card["indicator"]},
            )

ui.data_behind(summary.headline_table(bundle.figures, summary.HEADLINES), "headline-series", "headlines")

st.subheader(_("Data loaded"))
catalogue_facts = summary.catalogue_summary(catalogue)
figures_facts = summary.figures_summary(ui.figures())
coverage = ui.usage_coverage(usage)  # None when the deployment's usage database cannot be reached
with st.container(horizontal=True):
    st.metric(
        _("Instruments in the catalogue"),
        i18n.number(catalogue_facts["instruments"]),
        border=True,
        help=_(
            "{internal} internal, {external} external; {judgments} attribute values are editorial judgments, "
            "{facts} sourced facts."
        ).format(**{k: i18n.number(v) for k, v in catalogue_facts.items()}),
    )
    st.metric(
        _("Published figures"),
        i18n.number(figures_facts["rows"]),
        border=True,
        help=_("{indicators} indicators from {sources} sources, {first_year}–{last_year}.").format(
            indicators=i18n.number(figures_facts["indicators"]),
            sources=i18n.number(figures_facts["sources"]),
            first_year=figures_facts["first_year"],
            last_year=figures_facts["last_year"],
        ),
    )
    if coverage is not None:
        st.metric(
            _("Usage records"),
            i18n.number(coverage["rows"]),
            border=True,
            help=_("{organisations} organisations in {countries} countries.").format(
                organisations=i18n.number(coverage["organisations"]), countries=i18n.number(coverage["countries"])
            ),
        )
st.markdown(_("**Usage data:** {label} ({file})").format(label=md(usage.shown_label()), file=md(usage.file_name)))
ui.synthetic_badge(usage)
if coverage is None:
    ui.say_database_away()
else:
    st.caption(summary.describe_coverage(coverage))
st.caption(
    _("Families: {families}").format(
        families="; ".join(
            _("{family} ({code})").format(family=md(catalogue_text.family_short(f)), code=f) for f in schema.FAMILIES
        )
    )
)
