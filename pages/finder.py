"""Financing finder: which instruments fit this organisation, and why (editorial judgments, not advice).

The profile is asked at the top of the page (not in the sidebar, which a phone hides). The weights follow the
profile's suggestion until the user moves a slider; a link's weights are used as given.
"""

import pandas as pd
import streamlit as st

from sse_dash import charts, codes, finder, i18n, schema, ui
from sse_dash.i18n import N_, _, ngettext
from sse_dash.text import md, words

ui.require_app()

catalogue = ui.catalogue_shown()  # names and descriptions in the reader's language
country_names = {code: i18n.territory_name(code, codes.country_name(code)) for code in codes.known_countries()}
countries = sorted(country_names, key=country_names.__getitem__)
currencies = codes.known_currencies()
WEIGHT_KEYS = {
    "affordability": "w_afford",
    "patience": "w_patience",
    "collateral_lightness": "w_collateral",
    "control_preservation": "w_control",
    "accessibility": "w_access",
}
FOLLOWED = "_finder_followed"  # the suggested weight each slider was last set to ({key: weight})
CARDS = 10  # instruments described in a card at first; the others that fit are one click away


def currency_shown(code: str) -> str:
    """A currency as the selector shows it: 'KES · Kenyan shilling' (the code alone when it has no name)."""
    name = i18n.currency_name(code)
    return code if name == code else f"{code} · {name}"


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

st.title(_("Financing finder"))
st.markdown(
    _(
        "Describe the organisation below: the finder leaves out the instruments that do not fit, says why, and "
        "ranks the others on five criteria you can weigh. No single source usually finances an SSE unit, so it "
        "also suggests a blend across the groups of sources."
    )
)
st.info(
    _(
        "**Every score here is an editorial judgment** derived from the catalogue's attributes. Treat the ranking "
        "as a starting point for a conversation with a support organisation or a lender, not as advice."
    ),
    icon=":material/balance:",
)
ui.read_link("finder", options)

with st.expander(_("Your organisation"), icon=":material/groups:", expanded=True):
    first, second, third = st.columns(3)
    sse_type = ui.linked(
        first.selectbox,
        _("SSE type"),
        options["sse_type"],
        key="sse_type",
        page="finder",
        format_func=words(schema.SSE_TYPE_LABELS),
    )
    stage = ui.linked(
        first.selectbox,
        _("Life stage"),
        options["stage"],
        key="stage",
        page="finder",
        format_func=words(schema.LIFE_STAGE_LABELS),
    )
    collateral = ui.linked(
        first.selectbox,
        _("Collateral it can offer"),
        options["collateral"],
        key="collateral",
        page="finder",
        format_func=words(finder.COLLATERAL_OFFER_LABELS),
    )
    control = ui.linked(
        second.selectbox,
        _("Control it accepts to share"),
        options["control"],
        key="control",
        page="finder",
        format_func=words(finder.CONTROL_WILLINGNESS_LABELS),
    )
    patience = ui.linked(
        second.selectbox,
        _("How long the money must stay"),
        options["patience"],
        key="patience",
        page="finder",
        format_func=words(finder.PATIENCE_LABELS),
    )
    membership = ui.linked(
        second.segmented_control,
        _("Willing to become a member of a provider"),
        options["membership"],
        key="membership",
        page="finder",
        format_func=words({"yes": N_("Yes"), "no": N_("No")}),
        required=True,
        help=_("Financial cooperatives and some funds lend only to members."),
    )
    country = ui.linked(
        third.selectbox,
        _("Country (optional)"),
        options["country"],
        key="country",
        page="finder",
        format_func=words(country_names.__getitem__, blank=N_("— not given —")),
    )
    amount = third.number_input(
        _("Amount needed (optional)"),
        min_value=0.0,
        value=None,
        step=1000.0,
        key="amount",
        bind="query-params",
        format="%.0f",
    )
    currency = ui.linked(
        third.selectbox,
        _("Currency of the amount"),
        options["currency"],
        key="currency",
        page="finder",
        format_func=words(currency_shown, blank=N_("— none —")),
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
followed = st.session_state.get(FOLLOWED, {})
for criterion, key in WEIGHT_KEYS.items():  # a slider the user has not moved follows the profile's suggestion
    first_visit = key not in st.session_state and key not in st.query_params
    if first_visit or (key in st.session_state and st.session_state[key] == followed.get(key)):
        st.session_state[key] = suggested[criterion]
st.session_state[FOLLOWED] = {key: suggested[criterion] for criterion, key in WEIGHT_KEYS.items()}

labels = finder.criterion_labels()
with st.expander(_("Criteria and weights"), icon=":material/tune:", expanded=True):
    weights = {}
    for column, (criterion, key) in zip(st.columns(len(WEIGHT_KEYS)), WEIGHT_KEYS.items(), strict=True):
        weights[criterion] = column.slider(
            labels[criterion], 0, 5, key=key, bind="query-params", help=finder.criterion_help(criterion)
        )
    st.caption(
        _(
            "Suggested for this profile: {weights}. A slider follows the suggestion when the profile changes, until "
            "you move it; the button puts every slider back on it."
        ).format(
            weights="; ".join(
                _("{criterion} {weight}").format(criterion=labels[c].lower(), weight=i18n.number(w))
                for c, w in suggested.items()
            )
        )
    )
    st.button(
        _("Use the suggested weights"),
        icon=":material/auto_fix_high:",
        on_click=lambda: st.session_state.update({key: suggested[c] for c, key in WEIGHT_KEYS.items()}),
    )


def card(row: pd.Series) -> None:
    """One instrument that fits: its rank and name (a link to it), why it ranks there, notes, its score."""
    with st.container(border=True):
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.page_link(
            "pages/instruments.py",
            label=f"{i18n.number(int(row['rank']))}\\. {md(row['name'])}",
            icon=":material/arrow_forward:",
            query_params={"instrument": row["instrument_id"]},
        )
        notes = row["notes"][:1].upper() + row["notes"][1:]
        left.caption(md(row["reason"]) + (f" {md(notes)}." if notes else ""))
        right.metric(
            _("Score"),
            _("{score} / {top}").format(score=i18n.number(row["score"], 2), top=i18n.number(5)),
            label_visibility="collapsed",
        )


ranking = finder.rank(catalogue, profile, weights)
ranked = ranking.ranked
if ranked.empty:
    ui.empty_state(
        _("No instrument fits every answer."),
        _(
            "Accept to share a little control, offer some collateral or relax how long the money must stay; the "
            "list of instruments that do not fit says why."
        ),
    )
elif sum(weights.values()) == 0:
    ui.empty_state(_("All weights are zero."), _("Give at least one criterion a weight above zero."))
else:
    st.subheader(
        _("What fits: {count} of {total} instruments").format(
            count=i18n.number(len(ranked)), total=i18n.number(len(catalogue))
        )
    )
    ui.chart(
        charts.finder_chart(ranked, labels),
        ranked.drop(columns=["order", "points"]),
        "finder-ranking",
        _("the instrument catalogue, scored by the finder's rules (editorial judgments)"),
        "finder",
    )
    for _index, row in ranked.head(CARDS).iterrows():
        card(row)
    if len(ranked) > CARDS:
        rest = len(ranked) - CARDS
        with st.expander(
            ngettext("The other {count} instrument that fits", "The other {count} instruments that fit", rest).format(
                count=i18n.number(rest)
            ),
            icon=":material/expand_more:",
        ):
            for _index, row in ranked.iloc[CARDS:].iterrows():
                card(row)

    st.subheader(_("A blend to discuss"))
    st.caption(
        _(
            "The best-ranked fitting instrument of each group of sources of the Overview (the conventional "
            "comparators left out). The ILO/Euricse research on financing the SSE recommends blending internal "
            "and external, public and private, market and non-market sources rather than relying on one."
        )
    )
    with st.container(border=True):  # one row per group: five columns would cut the instruments' names
        for group, pick in finder.blend(ranked).items():
            left, right = st.columns([1, 3])
            left.markdown(f"**{md(_(group))}**")
            if pick is None:
                right.caption(_("Nothing in this group fits the profile."))
            else:
                right.page_link(
                    "pages/instruments.py", label=md(pick["name"]), query_params={"instrument": pick["instrument_id"]}
                )
                right.caption(md(pick["reason"]))

if not ranking.excluded.empty:
    st.subheader(_("Does not fit ({count})").format(count=i18n.number(len(ranking.excluded))))
    st.dataframe(
        ranking.excluded[["name", "reasons"]],
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn(_("instrument")),
            "reasons": st.column_config.TextColumn(_("why not"), width="large"),
        },
    )

ui.share_control(
    "finder",
    ui.current_values("finder"),
    {
        "sse_type": schema.SSE_TYPE_LABELS,
        "stage": schema.LIFE_STAGE_LABELS,
        "collateral": finder.COLLATERAL_OFFER_LABELS,
        "control": finder.CONTROL_WILLINGNESS_LABELS,
        "patience": finder.PATIENCE_LABELS,
        "country": country_names,
    },
)
