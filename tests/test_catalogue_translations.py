"""The catalogue's names, descriptions and typical terms in French, Spanish and Persian (#14 §2): data beside the
English text, complete, translations only (no number added, dropped or changed), used only for the text translated."""

import re
import unicodedata

import pandas as pd
import pytest

from sse_dash import catalogue_translations, datasets, paths

LANGS = ("fr", "es", "fa")
_THOUSANDS = re.compile(r"(?<=\d)[,.\u00a0\u202f \u066c](?=\d{3}(?!\d))")  # 411,008,249 / 411 008 249 / ۴۱۱٬۰۰۸
_DECIMAL = re.compile(r"(?<=\d)[.,\u066b](?=\d)")  # 10.5 / 10,5 / ۱۰٫۵


@pytest.fixture(scope="module")
def bundle():
    return datasets.load_bundle()


def numbers(text: object) -> list[str]:
    """The numbers a text states, whatever the digits and separators of its language, sorted."""
    digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in str(text or ""))
    return sorted(re.findall(r"\d+", _DECIMAL.sub("", _THOUSANDS.sub("", digits))))


def test_the_separators_of_every_language_read_the_same_numbers():
    assert numbers("US$3.7 tn, 411,008,249 members") == numbers("411 008 249 membres, 3,7 billions")
    assert numbers("411.008.249 socios") == numbers("۴۱۱٬۰۰۸٬۲۴۹ عضو") == ["411008249"]
    assert numbers("۱۰٫۵ میلیارد یورو در ۲۰۱۲") == numbers("EUR 10.5 bn in 2012")
    assert numbers("in 2011 and 2017") != numbers("in 2011")


@pytest.mark.parametrize("lang", LANGS)
def test_every_instrument_has_a_name_and_description_in_each_language(bundle, lang):
    rows = bundle.translations[bundle.translations["lang"] == lang].set_index("instrument_id")
    assert set(rows.index) == set(bundle.catalogue["instrument_id"])
    assert (rows["name"].str.strip() != "").all() and (rows["description"].str.strip() != "").all()
    assert rows["translation_note"].str.contains("Translation of the English catalogue text").all()


@pytest.mark.parametrize("lang", LANGS)
def test_translations_state_the_numbers_of_the_english_text_and_no_other(bundle, lang):
    english = bundle.catalogue.set_index("instrument_id")
    rows = bundle.translations[bundle.translations["lang"] == lang]
    for _, row in rows.iterrows():
        for column in catalogue_translations.TRANSLATED:
            assert numbers(row[column]) == numbers(english.loc[row["instrument_id"], column]), (
                row["instrument_id"],
                column,
            )
        assert bool(row["typical_terms"]) == isinstance(english.loc[row["instrument_id"], "typical_terms"], str)


def test_french_shows_french_text_and_keeps_codes_and_local_names(bundle):
    shown = catalogue_translations.in_language(bundle.catalogue, "fr", bundle.translations, bundle.catalogue)
    row = shown.set_index("instrument_id").loc["pret_participatif"]
    assert row["name"] == "Prêt participatif" and row["translated"]
    assert row["name_local"] == "prêt participatif"
    assert list(shown["instrument_id"]) == list(bundle.catalogue["instrument_id"])
    unchanged = [c for c in bundle.catalogue.columns if c not in catalogue_translations.TRANSLATED]
    pd.testing.assert_frame_equal(shown[unchanged], bundle.catalogue[unchanged])
    assert bundle.catalogue.set_index("instrument_id").loc["pret_participatif", "name"] == "Participatory loan"


def test_english_changes_nothing(bundle):
    shown = catalogue_translations.in_language(bundle.catalogue, "en", bundle.translations, bundle.catalogue)
    pd.testing.assert_frame_equal(shown.drop(columns="translated"), bundle.catalogue)
    assert not shown["translated"].any()


def test_an_uploaded_catalogue_keeps_its_own_words(bundle):
    uploaded = bundle.catalogue.copy()
    first = uploaded.index[0]
    uploaded.loc[first, "description"] = "Our own description of member shares."
    uploaded.loc[uploaded.index[1], "instrument_id"] = "my_new_instrument"
    shown = catalogue_translations.in_language(uploaded, "es", bundle.translations, bundle.catalogue)
    assert shown.loc[first, "name"] == "Member share capital" and not shown.loc[first, "translated"]
    assert shown.loc[uploaded.index[1], "name"] == uploaded.loc[uploaded.index[1], "name"]
    assert shown["translated"].sum() == len(uploaded) - 2


def test_notes_say_the_text_is_a_translation(bundle):
    shown = catalogue_translations.in_language(bundle.catalogue, "fa", bundle.translations, bundle.catalogue)
    notes = catalogue_translations.translation_notes(shown, "fa", bundle.translations)
    assert len(notes) == 1 and "Persian" in notes[0] and "Translation" in notes[0]


def test_a_malformed_translations_file_is_refused(tmp_path):
    bad = tmp_path / "t.csv"
    pd.read_csv(paths.INSTRUMENT_TRANSLATIONS_CSV, dtype=str).assign(lang="de").to_csv(bad, index=False)
    with pytest.raises(catalogue_translations.TranslationsError, match="de"):
        catalogue_translations.load_translations(bad)
