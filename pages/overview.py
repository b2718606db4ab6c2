"""Overview: what the dashboard is for and which data is loaded."""

import streamlit as st

from sse_dash import summary, ui

bundle = ui.bundle()
usage = ui.active_usage()

st.title(ui.APP_TITLE)
st.markdown(
    "How is the **social and solidarity economy** (cooperatives, mutuals, associations, social enterprises, "
    "foundations) financed? This dashboard compares financing sources and instruments, published figures about "
    "them, and records of their use."
)

st.subheader("Data loaded")
catalogue = summary.catalogue_summary(bundle.instruments)
figures = summary.figures_summary(bundle.figures, bundle.sources)
coverage = summary.usage_coverage(usage.frame)
with st.container(horizontal=True):
    st.metric(
        "Instruments in the catalogue",
        catalogue["instruments"],
        border=True,
        help=f"{catalogue['internal']} internal, {catalogue['external']} external; "
        f"{catalogue['judgments']} attribute values are editorial judgments.",
    )
    st.metric(
        "Published figures",
        f"{figures['rows']:,}",
        border=True,
        help=f"{figures['indicators']} indicators from {figures['sources']} sources.",
    )
    st.metric(
        "Usage records",
        f"{coverage['rows']:,}",
        border=True,
        help=f"{coverage['organisations']:,} organisations in {coverage['countries']} countries, "
        f"{coverage['first_year']}–{coverage['last_year']}.",
    )

st.markdown(f"**Usage data:** {usage.label}")
ui.synthetic_badge(usage)
st.caption(summary.describe_coverage(coverage))
