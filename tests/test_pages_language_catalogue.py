"""Overview, Instruments and About in French and Persian (AppTest, #14): no exception, the catalogue's names in
the reader's language (marked as translations), codes unchanged in links."""

import json

import pandas as pd
import pytest
from apptest_helpers import ROOT, run_page, texts

from sse_dash import catalogue_text, i18n

TRANSLATIONS = pd.read_csv(ROOT / "data" / "instrument_translations.csv", dtype=str, keep_default_na=False)


def translated(instrument: str, lang: str, column: str = "name") -> str:
    row = TRANSLATIONS[(TRANSLATIONS["instrument_id"] == instrument) & (TRANSLATIONS["lang"] == lang)]
    return row[column].iloc[0]


def notice(lang: str) -> str:
    """The translation mark as the page shows it in `lang` (whatever the .po catalogues hold)."""
    i18n.use_language(lang)
    try:
        return i18n._(catalogue_text.TRANSLATION_NOTICE)
    finally:
        i18n.use_language("en")


def marks(at) -> list:
    return [c for c in at.caption if ":material/translate:" in c.value]


def catalogue_table(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "id" in d.value.columns)


@pytest.mark.parametrize("lang", ["fr", "fa"])
@pytest.mark.parametrize("page", ["pages/overview.py", "pages/instruments.py", "pages/about.py"])
def test_the_page_renders_in_the_language(page, lang):
    at = run_page(page, {"lang": lang})
    assert not at.exception
    assert at.selectbox(key="lang").value == lang


@pytest.mark.parametrize("lang", ["fr", "es", "fa"])
def test_instruments_lists_and_details_the_catalogue_in_the_language(lang):
    at = run_page("pages/instruments.py", {"lang": lang, "instrument": "pret_participatif"})
    assert not at.exception
    table = catalogue_table(at).set_index("id")
    assert table.iloc[:, 0]["member_shares"] == translated("member_shares", lang)  # the name column, translated
    assert at.selectbox(key="instrument").value == "pret_participatif"  # the widget holds the code...
    assert translated("pret_participatif", lang) in at.selectbox(key="instrument").options  # ...and shows the name
    body = texts(at).replace("\\", "")
    [mark] = marks(at)  # the details say the text is a translation, and how it was made
    assert notice(lang) in mark.value and "Translation of the English catalogue text" in mark.help.replace("\\", "")
    assert "prêt participatif" in body  # the instrument's own name in its country is kept
    assert at.query_params["instrument"] in ("pret_participatif", ["pret_participatif"])


def test_instruments_in_french_shows_the_french_description_and_typical_terms():
    at = run_page("pages/instruments.py", {"lang": "fr", "instrument": "titres_associatifs"})
    body = texts(at).replace("\\", "")
    assert translated("titres_associatifs", "fr", "description")[:60] in body
    assert translated("titres_associatifs", "fr", "typical_terms")[:60] in body


def test_english_shows_the_catalogue_text_without_a_translation_mark():
    at = run_page("pages/instruments.py", {"instrument": "pret_participatif"})
    assert catalogue_table(at).set_index("id").iloc[:, 0]["member_shares"] == "Member share capital"
    assert not marks(at)


def test_changing_the_language_changes_the_names_on_the_same_page():
    at = run_page("pages/instruments.py", {"lang": "fr"})
    assert catalogue_table(at).iloc[0, 0] == translated("member_shares", "fr")
    at.selectbox(key="lang").set_value("fa").run()
    assert not at.exception
    assert catalogue_table(at).iloc[0, 0] == translated("member_shares", "fa")
    at.selectbox(key="lang").set_value("en").run()
    assert catalogue_table(at).iloc[0, 0] == "Member share capital"


def test_comparison_columns_are_the_translated_names():
    at = run_page("pages/instruments.py", {"lang": "es", "compare": ["member_shares", "crowdfunding"]})
    matrix = next(d.value for d in at.dataframe if len(d.value.columns) == 3 and "id" not in d.value.columns)
    assert list(matrix.columns[1:]) == [translated("member_shares", "es"), translated("crowdfunding", "es")]


def test_overview_examples_and_typology_in_persian():
    at = run_page("pages/overview.py", {"lang": "fa"})
    assert not at.exception
    assert translated("crowdfunding", "fa") in texts(at)  # an example of its group
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert translated("microcredit", "fa") in json.dumps(figure, ensure_ascii=False)


def test_about_dictionary_and_sources_render_in_french():
    at = run_page("pages/about.py", {"lang": "fr"})
    assert not at.exception
    assert sum("`instrument_id`" in m.value for m in at.markdown) >= 2  # column names stay as files hold them
    sources = next(d.value for d in at.dataframe if len(d.value) == len(pd.read_csv(ROOT / "data" / "sources.csv")))
    kinds = set(sources.iloc[:, 6])  # the kind column, in words (its header is translated)
    assert len(kinds) == 2 and not kinds & {"primary", "secondary"}


def test_instrument_types_and_origins_read_as_words_in_filters_and_table():
    at = run_page("pages/instruments.py", {"type": "quasi_equity"})
    assert "quasi-equity" in at.multiselect(key="type").options  # shown as a word, kept as a code in the link
    assert at.query_params["type"] in ("quasi_equity", ["quasi_equity"])
    table = catalogue_table(at)
    assert set(table["type"]) == {"quasi-equity"} and not set(table["origin"]) - {"internal", "external"}
    assert "_" not in " ".join(table["type"]) + " ".join(table["family"])
