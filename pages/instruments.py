"""Instruments: the catalogue as a filterable table, a side-by-side comparison, and one instrument in detail."""

import streamlit as st

from sse_dash import catalogue_text, catalogue_translations, charts, i18n, schema, scoring, transform, ui
from sse_dash.catalogue_text import INSTRUMENT_TYPE_LABELS, ORIGIN_LABELS
from sse_dash.export import to_csv_bytes
from sse_dash.i18n import _
from sse_dash.text import md, words

PAGE = "instruments"
ui.require_app()

bundle = ui.bundle()
catalogue = ui.catalogue_shown()  # names and descriptions in the reader's language where translated; same codes
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

st.title(_("Instruments"))
st.caption(
    _(
        "The catalogue of financing instruments for SSE organisations. Attributes that rate an instrument are "
        "marked as sourced facts or as editorial judgments (†)."
    )
)
ui.read_link("instruments", options)

st.sidebar.header(_("Filter the catalogue"))
chosen = transform.CatalogueFilter(
    tuple(ui.multi_filter(_("Origin"), "origin", options["origin"], ORIGIN_LABELS, page=PAGE)),
    tuple(ui.multi_filter(_("Family"), "family", options["family"], schema.FAMILY_LABELS, page=PAGE)),
    tuple(ui.multi_filter(_("Instrument type"), "type", options["type"], INSTRUMENT_TYPE_LABELS, page=PAGE)),
    tuple(ui.multi_filter(_("Life stage"), "stage", options["stage"], schema.LIFE_STAGE_LABELS, page=PAGE)),
    tuple(ui.multi_filter(_("SSE type"), "sse_type", options["sse_type"], schema.SSE_TYPE_LABELS, page=PAGE)),
    tuple(ui.multi_filter(_("Collateral"), "collateral", options["collateral"], schema.COLLATERAL_LABELS, page=PAGE)),
    tuple(ui.multi_filter(_("Control impact"), "control", options["control"], schema.CONTROL_IMPACT_LABELS, page=PAGE)),
)
shown = transform.filter_catalogue(catalogue, chosen)

st.subheader(
    _("Catalogue ({shown} of {total} instruments)").format(
        shown=i18n.number(len(shown)), total=i18n.number(len(catalogue))
    )
)
if shown.empty:
    ui.empty_state(
        _("No instrument matches all these filters."), _("Remove a filter in the sidebar; an empty box means all.")
    )
else:
    table = catalogue_text.table(shown)
    st.dataframe(table, hide_index=True, column_config={"id": st.column_config.TextColumn(width="small")})
    st.caption(_(catalogue_text.JUDGMENT_LEGEND))
    if shown["translated"].any():
        st.caption(
            _(
                "Instrument names are translated from the English catalogue text; codes (id) and names in their own "
                "country are not."
            )
        )
    ui.source_caption(_("data/instruments.csv; each instrument's sources are listed in its details below."))
    with st.container(horizontal=True):
        st.download_button(
            _("Download this table (CSV)"),
            to_csv_bytes(table),
            "instruments.csv",
            "text/csv",
            on_click="ignore",
            icon=":material/download:",
        )
        st.button(
            _("Compare these instruments"),
            icon=":material/compare_arrows:",
            disabled=not 2 <= len(shown) <= 5,
            help=_("Available when 2 to 5 instruments are shown."),
            on_click=lambda: st.session_state.update(compare=list(shown["instrument_id"])),
        )

st.subheader(_("Compare side by side"))
compare = ui.linked(
    st.multiselect,
    _("Instruments to compare (2 to 5)"),
    ids,
    key="compare",
    page=PAGE,
    format_func=words(names),
    multi=True,
    max_selections=5,
    placeholder=_("Choose instruments by name"),
)
if len(compare) < 2:
    st.info(
        _(
            "Choose two to five instruments to compare their cost, maturity, collateral, control and the stages "
            "and organisations they serve. For example: member shares, a credit union loan and an ethical bank loan."
        ),
        icon=":material/compare_arrows:",
    )
else:
    matrix = catalogue_text.comparison(catalogue, compare)
    st.dataframe(matrix, hide_index=True, height=36 * (len(matrix) + 1) + 4)
    ui.data_behind(matrix, "instrument-comparison", "comparison")
    radar = scoring.scores(catalogue.set_index("instrument_id").loc[compare].reset_index())
    ui.chart(
        charts.comparison_radar(radar, {k: _(v) for k, v in scoring.CRITERION_LABELS.items()}),
        radar,
        "instrument-scores",
        _("scores derived from the catalogue's attributes by the rules on the About page (editorial judgments)."),
        "radar",
    )

st.subheader(_("Instrument details"))
detail = ui.linked(
    st.selectbox,
    _("Instrument"),
    ["", *ids],
    key="instrument",
    page=PAGE,
    format_func=words(names, blank=_("Choose an instrument…")),
)
if detail:
    row = catalogue.set_index("instrument_id").loc[detail].copy()
    row["instrument_id"] = detail
    local = f" · *{md(row['name_local'])}*" if isinstance(row["name_local"], str) else ""
    st.markdown(f"### {md(row['name'])}{local}")
    st.caption(md(catalogue_text.detail_line(row)))
    if row["translated"]:
        st.caption(
            f":material/translate: {_(catalogue_text.TRANSLATION_NOTICE)}",
            help=md(catalogue_translations.note_of(bundle.translations, detail, i18n.language())),
        )
    st.markdown(md(row["description"]))
    if isinstance(row["typical_terms"], str):
        st.markdown(_("**Typical terms.** {terms}").format(terms=md(row["typical_terms"])))
    for attribute in catalogue_text.ATTRIBUTE_TITLES:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(
                _("**{title}:** {value}").format(
                    title=catalogue_text.attribute_title(attribute),
                    value=catalogue_text.attribute_words(row, attribute),
                )
            )
            if catalogue_text.is_judgment(row, attribute):
                st.badge(_("editorial judgment"), color="orange", icon=":material/balance:")
            else:
                st.badge(_("sourced fact"), color="green", icon=":material/verified:")
    for note, title in (("cost_note", _("Cost")), ("maturity_note", _("Maturity"))):
        if isinstance(row[note], str):
            in_english = _("{title}: {note}") if i18n.language() == "en" else _("{title} (in English): {note}")
            st.caption(in_english.format(title=title, note=md(row[note])))
    st.markdown(_("**Sources**"))
    st.markdown(
        "\n".join(
            f"- {catalogue_text.source_markdown(source)}"
            for _row, source in catalogue_text.sources_of(row, bundle.sources).iterrows()
        )
    )

ui.share_control("instruments", ui.current_values("instruments"), {"instrument": names, "compare": names})
