"""Financing finder: which instruments fit this organisation, and why (editorial judgments, not advice)."""

import streamlit as st

from sse_dash import charts, codes, finder, schema, ui
from sse_dash.text import md, words

ui.require_app()

catalogue = ui.catalogue()
countries = sorted(codes.known_countries(), key=codes.country_name)
currencies = codes.known_currencies()
WEIGHT_KEYS = {
    "affordability": "w_afford",
    "patience": "w_patience",
    "collateral_lightness": "w_collateral",
    "control_preservation": "w_control",
    "accessibility": "w_access",
}
options = {
    "sse_type": list(schema.SSE_TYPES),
    "stage": list(schema.LIFE_STAGES),
    "collateral": list(finder.COLLATERAL_OFFERS),
    "control": list(finder.CONTROL_WILLINGNESS),
    "patience": list(finder.PATIENCE_NEEDS),
    "membership": ["yes", "no"],
    "country": ["", *countries],
    "currency": ["", *currencies],
    **{key: [0, 5] for key in WEIGHT_KEYS.values()},
}

st.title("Financing finder")
st.markdown(
    "Describe the organisation in the sidebar: the finder leaves out the instruments that do not fit, says "
    "why, and ranks the others on five criteria you can weigh. No single source usually finances an SSE "
    "unit, so it also suggests a blend across internal, external and new-form sources."
)
st.info(
    "**Every score here is an editorial judgment** derived from the catalogue's attributes. Treat the ranking "
    "as a starting point for a conversation with a support organisation or a lender, not as advice.",
    icon=":material/balance:",
)
ui.read_link("finder", options)

st.sidebar.header("Your organisation")
sse_type = ui.linked(
    st.sidebar.selectbox,
    "SSE type",
    options["sse_type"],
    key="sse_type",
    page="finder",
    format_func=words(schema.SSE_TYPE_LABELS),
)
stage = ui.linked(
    st.sidebar.selectbox,
    "Life stage",
    options["stage"],
    key="stage",
    page="finder",
    format_func=words(schema.LIFE_STAGE_LABELS),
)
collateral = ui.linked(
    st.sidebar.selectbox,
    "Collateral it can offer",
    options["collateral"],
    key="collateral",
    page="finder",
    format_func=words(finder.COLLATERAL_OFFER_LABELS),
)
control = ui.linked(
    st.sidebar.selectbox,
    "Control it accepts to share",
    options["control"],
    key="control",
    page="finder",
    format_func=words(finder.CONTROL_WILLINGNESS_LABELS),
)
patience = ui.linked(
    st.sidebar.selectbox,
    "How long the money must stay",
    options["patience"],
    key="patience",
    page="finder",
    format_func=words(finder.PATIENCE_LABELS),
)
membership = ui.linked(
    st.sidebar.segmented_control,
    "Willing to become a member of a provider",
    options["membership"],
    key="membership",
    page="finder",
    format_func=words({"yes": "Yes", "no": "No"}),
    required=True,
    help="Financial cooperatives and some funds lend only to members.",
)
country = ui.linked(
    st.sidebar.selectbox,
    "Country (optional)",
    options["country"],
    key="country",
    page="finder",
    format_func=words(codes.country_name, blank="— not given —"),
)
amount = st.sidebar.number_input(
    "Amount needed (optional)", min_value=0.0, value=None, step=1000.0, key="amount", bind="query-params", format="%.0f"
)
currency = ui.linked(
    st.sidebar.selectbox,
    "Currency of the amount",
    options["currency"],
    key="currency",
    page="finder",
    format_func=words(lambda code: code, blank="— none —"),
)

profile = finder.Profile(
    sse_type=sse_type,
    life_stage=stage,
    collateral=collateral,
    control=control,
    patience=patience,
    membership_ok=membership != "no",
    country=country or "",
    amount=amount,
    currency=currency or "",
)
suggested = finder.suggested_weights(profile)
for criterion, key in WEIGHT_KEYS.items():  # a first visit starts from the weights this profile suggests
    if key not in st.session_state and key not in st.query_params:
        st.session_state[key] = suggested[criterion]

with st.expander("Criteria and weights", icon=":material/tune:", expanded=True):
    weights = {}
    for column, (criterion, key) in zip(st.columns(len(WEIGHT_KEYS)), WEIGHT_KEYS.items(), strict=True):
        weights[criterion] = column.slider(
            finder.CRITERION_LABELS[criterion],
            0,
            5,
            key=key,
            bind="query-params",
            help=finder.CRITERION_HELP[criterion],
        )
    st.caption(
        "Suggested for this profile: "
        + ", ".join(f"{finder.CRITERION_LABELS[c].lower()} {w}" for c, w in suggested.items())
        + "."
    )
    st.button(
        "Use the suggested weights",
        icon=":material/auto_fix_high:",
        on_click=lambda: st.session_state.update({key: suggested[c] for c, key in WEIGHT_KEYS.items()}),
    )

ranking = finder.rank(catalogue, profile, weights)
ranked = ranking.ranked
if ranked.empty:
    ui.empty_state(
        "No instrument fits every answer.",
        "Accept to share a little control, offer some collateral or "
        "relax how long the money must stay; the list of instruments that do not fit says why.",
    )
elif sum(weights.values()) == 0:
    ui.empty_state("All weights are zero.", "Give at least one criterion a weight above zero.")
else:
    st.subheader(f"What fits: {len(ranked)} of {len(catalogue)} instruments")
    ui.chart(
        charts.finder_chart(ranked, finder.CRITERION_LABELS),
        ranked.drop(columns=["order", "points"]),
        "finder-ranking",
        "the instrument catalogue, scored by the finder's rules (editorial judgments)",
        "finder",
    )
    for _, row in ranked.head(10).iterrows():
        with st.container(border=True):
            left, right = st.columns([4, 1], vertical_alignment="center")
            left.page_link(
                "pages/instruments.py",
                label=f"{int(row['rank'])}\\. {md(row['name'])}",
                icon=":material/arrow_forward:",
                query_params={"instrument": row["instrument_id"]},
            )
            left.caption(
                md(row["reason"]) + (f" {md(row['notes'][:1].upper() + row['notes'][1:])}." if row["notes"] else "")
            )
            right.metric("Score", f"{row['score']:.2f} / 5", label_visibility="collapsed")

    st.subheader("A blend to discuss")
    st.caption(
        "The best-ranked fitting instrument of each group of sources. The ILO/Euricse research on financing "
        "the SSE recommends blending internal and external, public and private, market and non-market "
        "sources rather than relying on one."
    )
    for column, (group, pick) in zip(st.columns(3), finder.blend(ranked).items(), strict=True):
        with column, st.container(border=True, height="stretch"):
            st.markdown(f"**{group}**")
            if pick is None:
                st.caption("Nothing in this group fits the profile.")
            else:
                st.page_link(
                    "pages/instruments.py", label=md(pick["name"]), query_params={"instrument": pick["instrument_id"]}
                )
                st.caption(md(pick["reason"]))

if not ranking.excluded.empty:
    st.subheader(f"Does not fit ({len(ranking.excluded)})")
    st.dataframe(
        ranking.excluded[["name", "reasons"]],
        hide_index=True,
        column_config={"reasons": st.column_config.TextColumn("why not", width="large")},
    )

ui.share_control("finder", ui.current_values("finder"))
