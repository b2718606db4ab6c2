"""Overview: what SSE finance is, the typology of sources, headline published series and the data loaded."""

import streamlit as st

from sse_dash import charts, schema, summary, ui
from sse_dash.text import md, md_link

ui.require_app()

bundle = ui.bundle()
usage = ui.active_usage()
catalogue = ui.catalogue()

st.title(ui.APP_TITLE)
st.markdown(
    "How is the **social and solidarity economy** (cooperatives, mutuals, associations, social enterprises, "
    "foundations) financed? Access to finance is a key part of an enabling environment for the SSE, and ordinary "
    "finance often does not reach SSE units. Following the ILO, the dashboard sorts sources into **internal** "
    "(members' shares, fees and loans; income from sales; retained reserves), **external** (social and ethical "
    "banks, community-based savings schemes, financial cooperatives) and **new forms** (labour solidarity funds, "
    "social finance intermediaries, quasi-equity), plus **public and philanthropic support** and "
    "**market-based innovations**. No single source usually finances an SSE unit: most blend several."
)

st.subheader("Five groups of sources")
groups = summary.family_groups(catalogue)
for column, group in zip(st.columns(len(groups)), groups, strict=True):
    with column, st.container(border=True, height="stretch"):
        st.markdown(f"**{group['group']}**")
        st.caption(group["description"])
        st.markdown(f"{group['count']} instruments, e.g. " + "; ".join(md(e) for e in group["examples"]))
        st.page_link(
            "pages/instruments.py",
            label="See them",
            icon=":material/arrow_forward:",
            query_params={"family": group["families"]},
        )

st.subheader("Typology")
st.caption("Origin → family → instrument. Click an instrument to open its details.")
event = st.plotly_chart(
    charts.typology_chart(catalogue),
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
    "the dashboard's instrument catalogue (data/instruments.csv), after the ILO's grouping of "
    "financing sources; see About for the sources of each instrument."
)
ui.data_behind(catalogue[["instrument_id", "name", "origin", "family", "instrument_type"]], "typology", "typology")

st.subheader("Published series")
st.caption("Latest published value, with the series since its first year. Hover on ⓘ for comparability notes.")
cards = [
    card for card in (summary.headline(bundle.figures, bundle.sources, i, g) for i, g in summary.HEADLINES) if card
]
for start in range(0, len(cards), 3):
    for column, card in zip(st.columns(3), cards[start : start + 3], strict=False):
        with column, st.container(border=True, height="stretch"):
            st.markdown(f"**{md(card['name'])}**")
            st.metric(
                f"{card['geography']}, {card['year']}",
                card["short_value"],
                chart_data=card["history"],
                chart_type="line",
                help=" ".join(card["notes"]) or None,
                delta=f"since {card['since']}",
                delta_color="off",
                delta_arrow="off",
            )
            st.caption(card["unit_words"])
            shown = card["sources"][:2]
            more = len(card["sources"]) - len(shown)
            st.caption(
                "Source: "
                + "; ".join(md_link(s["text"], s["url"]) for s in shown)
                + (f"; and {more} more (listed with the series)" if more else "")
            )
            st.page_link(
                "pages/figures.py",
                label="Open the series",
                icon=":material/query_stats:",
                query_params={"indicator": card["indicator"]},
            )

ui.data_behind(summary.headline_table(bundle.figures, summary.HEADLINES), "headline-series", "headlines")

st.subheader("Data loaded")
catalogue_facts = summary.catalogue_summary(catalogue)
figures_facts = summary.figures_summary(ui.figures())
coverage = summary.usage_coverage(usage.frame)
with st.container(horizontal=True):
    st.metric(
        "Instruments in the catalogue",
        catalogue_facts["instruments"],
        border=True,
        help=f"{catalogue_facts['internal']} internal, {catalogue_facts['external']} external; "
        f"{catalogue_facts['judgments']} attribute values are editorial judgments, "
        f"{catalogue_facts['facts']} sourced facts.",
    )
    st.metric(
        "Published figures",
        f"{figures_facts['rows']:,}",
        border=True,
        help=f"{figures_facts['indicators']} indicators from {figures_facts['sources']} sources, "
        f"{figures_facts['first_year']}–{figures_facts['last_year']}.",
    )
    st.metric(
        "Usage records",
        f"{coverage['rows']:,}",
        border=True,
        help=f"{coverage['organisations']:,} organisations in {coverage['countries']} countries.",
    )
st.markdown(f"**Usage data:** {md(usage.label)} ({md(usage.file_name)})")
ui.synthetic_badge(usage)
st.caption(summary.describe_coverage(coverage))
st.caption("Families: " + "; ".join(f"{schema.FAMILY_SHORT[f]} ({f})" for f in schema.FAMILIES))
