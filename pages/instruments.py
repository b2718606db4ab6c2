"""Instruments: the catalogue as a filterable table, a side-by-side comparison, and one instrument in detail."""

import streamlit as st

from sse_dash import catalogue_text, charts, schema, scoring, transform, ui
from sse_dash.export import to_csv_bytes
from sse_dash.text import md, words

PAGE = "instruments"
ui.require_app()

bundle = ui.bundle()
catalogue = ui.catalogue()
ids = list(catalogue["instrument_id"])
names = dict(zip(catalogue["instrument_id"], catalogue["name"], strict=True))
options = {
    "origin": list(schema.ORIGINS),
    "family": list(schema.FAMILIES),
    "type": list(schema.INSTRUMENT_TYPES),
    "stage": list(schema.LIFE_STAGES),
    "sse_type": list(schema.SSE_TYPES),
    "collateral": list(schema.COLLATERALS),
    "control": list(schema.CONTROL_IMPACTS),
    "compare": ids,
    "instrument": ids,
}

st.title("Instruments")
st.caption(
    "The catalogue of financing instruments for SSE organisations. Attributes that rate an instrument are "
    "marked as sourced facts or as editorial judgments (†)."
)
ui.read_link("instruments", options)

st.sidebar.header("Filter the catalogue")
chosen = transform.CatalogueFilter(
    tuple(ui.multi_filter("Origin", "origin", options["origin"], page=PAGE)),
    tuple(ui.multi_filter("Family", "family", options["family"], schema.FAMILY_LABELS, page=PAGE)),
    tuple(ui.multi_filter("Instrument type", "type", options["type"], page=PAGE)),
    tuple(ui.multi_filter("Life stage", "stage", options["stage"], schema.LIFE_STAGE_LABELS, page=PAGE)),
    tuple(ui.multi_filter("SSE type", "sse_type", options["sse_type"], schema.SSE_TYPE_LABELS, page=PAGE)),
    tuple(ui.multi_filter("Collateral", "collateral", options["collateral"], schema.COLLATERAL_LABELS, page=PAGE)),
    tuple(ui.multi_filter("Control impact", "control", options["control"], schema.CONTROL_IMPACT_LABELS, page=PAGE)),
)
shown = transform.filter_catalogue(catalogue, chosen)

st.subheader(f"Catalogue ({len(shown)} of {len(catalogue)} instruments)")
if shown.empty:
    ui.empty_state(
        "No instrument matches all these filters.", "Remove a filter in the sidebar; an empty box means all."
    )
else:
    table = catalogue_text.table(shown)
    st.dataframe(table, hide_index=True, column_config={"id": st.column_config.TextColumn(width="small")})
    st.caption(catalogue_text.JUDGMENT_LEGEND)
    ui.source_caption("data/instruments.csv; each instrument's sources are listed in its details below.")
    with st.container(horizontal=True):
        st.download_button(
            "Download this table (CSV)",
            to_csv_bytes(table),
            "instruments.csv",
            "text/csv",
            on_click="ignore",
            icon=":material/download:",
        )
        st.button(
            "Compare these instruments",
            icon=":material/compare_arrows:",
            disabled=not 2 <= len(shown) <= 5,
            help="Available when 2 to 5 instruments are shown.",
            on_click=lambda: st.session_state.update(compare=list(shown["instrument_id"])),
        )

st.subheader("Compare side by side")
compare = ui.linked(
    st.multiselect,
    "Instruments to compare (2 to 5)",
    ids,
    key="compare",
    page=PAGE,
    format_func=words(names),
    multi=True,
    max_selections=5,
    placeholder="Choose instruments by name",
)
if len(compare) < 2:
    st.info(
        "Choose two to five instruments to compare their cost, maturity, collateral, control and the stages "
        "and organisations they serve. For example: member shares, a credit union loan and an ethical bank loan.",
        icon=":material/compare_arrows:",
    )
else:
    matrix = catalogue_text.comparison(catalogue, compare)
    st.dataframe(matrix, hide_index=True, height=36 * (len(matrix) + 1) + 4)
    ui.data_behind(matrix, "instrument-comparison", "comparison")
    radar = scoring.scores(catalogue.set_index("instrument_id").loc[compare].reset_index())
    ui.chart(
        charts.comparison_radar(radar, scoring.CRITERION_LABELS),
        radar,
        "instrument-scores",
        "scores derived from the catalogue's attributes by the rules on the About page (editorial judgments).",
        "radar",
    )

st.subheader("Instrument details")
detail = ui.linked(
    st.selectbox,
    "Instrument",
    ["", *ids],
    key="instrument",
    page=PAGE,
    format_func=words(names, blank="Choose an instrument…"),
)
if detail:
    row = catalogue.set_index("instrument_id").loc[detail].copy()
    row["instrument_id"] = detail
    local = f" · *{md(row['name_local'])}*" if isinstance(row["name_local"], str) else ""
    st.markdown(f"### {md(row['name'])}{local}")
    st.caption(
        f"{schema.FAMILY_LABELS[str(row['family'])]} · {str(row['instrument_type']).replace('_', ' ')} · "
        f"provided by {str(row['provider_type']).replace('_', ' ')} · {catalogue_text.countries_words(row)}"
    )
    st.markdown(md(row["description"]))
    if isinstance(row["typical_terms"], str):
        st.markdown(f"**Typical terms.** {md(row['typical_terms'])}")
    for attribute, title in catalogue_text.ATTRIBUTE_TITLES.items():
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f"**{title}:** {catalogue_text.attribute_words(row, attribute)}")
            if catalogue_text.is_judgment(row, attribute):
                st.badge("editorial judgment", color="orange", icon=":material/balance:")
            else:
                st.badge("sourced fact", color="green", icon=":material/verified:")
    for note, title in (("cost_note", "Cost"), ("maturity_note", "Maturity")):
        if isinstance(row[note], str):
            st.caption(f"{title}: {md(row[note])}")
    st.markdown("**Sources**")
    st.markdown(
        "\n".join(
            f"- {catalogue_text.source_markdown(s)}"
            for _, s in catalogue_text.sources_of(row, bundle.sources).iterrows()
        )
    )

ui.share_control("instruments", ui.current_values("instruments"), {"instrument": names})
