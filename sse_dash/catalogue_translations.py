"""The catalogue's instrument names, descriptions and typical terms in French, Spanish and Persian.

They are data beside the English text (`data/instrument_translations.csv`: one row per instrument and language,
with a `translation_note` that says it is a translation of the English catalogue text and how it was made). An
instrument's text is shown translated only while it is the text that was translated: an uploaded catalogue that
reuses an id with its own wording keeps that wording. Codes (`instrument_id`) and `name_local` never change.
"""

from __future__ import annotations

import pandas as pd

from sse_dash import paths
from sse_dash.i18n import DEFAULT, LANGUAGES

TRANSLATED = ("name", "description", "typical_terms")  # the catalogue columns that have translations
COLUMNS = ("instrument_id", "lang", *TRANSLATED, "translation_note")
TRANSLATED_MARK = "translated"  # the column `in_language` adds: True where the row's text is a translation


class TranslationsError(ValueError):
    """The translations file is not as documented: a packaging bug."""


def load_translations(path=paths.INSTRUMENT_TRANSLATIONS_CSV) -> pd.DataFrame:
    """The bundled translations, checked: the documented columns, known languages, one row per instrument and
    language, a name and a description in every row."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if tuple(frame.columns) != COLUMNS:
        raise TranslationsError(f"{path}: columns {list(frame.columns)}, expected {list(COLUMNS)}")
    frame = frame.apply(lambda column: column.str.strip())
    unknown = sorted(set(frame["lang"]) - (set(LANGUAGES) - {DEFAULT}))
    if unknown:
        raise TranslationsError(f"{path}: languages {unknown} are not interface languages other than English")
    if frame.duplicated(["instrument_id", "lang"]).any():
        raise TranslationsError(f"{path}: an instrument has two translations in one language")
    blank = frame[(frame["name"] == "") | (frame["description"] == "")]
    if not blank.empty:
        raise TranslationsError(f"{path}: rows without a name or description: {blank['instrument_id'].tolist()}")
    return frame


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _same_text(catalogue: pd.DataFrame, english: pd.DataFrame) -> pd.Series:
    """True for the catalogue rows whose name, description and typical terms are those of `english` (same id)."""
    source = english.drop_duplicates("instrument_id").set_index("instrument_id")
    same = pd.Series(catalogue["instrument_id"].isin(source.index).to_numpy(), index=catalogue.index)
    for column in TRANSLATED:
        given = catalogue[column].map(_text)
        original = catalogue["instrument_id"].map(source[column].map(_text)).fillna("")
        same &= given == original
    return same


def in_language(catalogue: pd.DataFrame, lang: str, translations: pd.DataFrame, english: pd.DataFrame) -> pd.DataFrame:
    """The catalogue with each instrument's name, description and typical terms in `lang` where they are
    translated, and a `translated` column that says which rows are.

    A row is translated only when its English text is the text of `english` (the catalogue that was translated),
    so an uploaded catalogue keeps its own words. English, and a language without translations, change nothing.
    The catalogue itself is not modified.
    """
    shown = catalogue.copy()
    shown[TRANSLATED_MARK] = False
    if lang == DEFAULT or catalogue.empty:
        return shown
    rows = translations[translations["lang"] == lang].drop_duplicates("instrument_id").set_index("instrument_id")
    found = shown["instrument_id"].isin(rows.index) & _same_text(catalogue, english)
    ids = shown.loc[found, "instrument_id"]
    for column in TRANSLATED:
        text = ids.map(rows[column])
        shown.loc[found, column] = text.where(text != "", None)
    shown.loc[found, TRANSLATED_MARK] = True
    return shown


def translation_notes(shown: pd.DataFrame, lang: str, translations: pd.DataFrame) -> list[str]:
    """The distinct translation notes of the translated rows of `shown` (what a reader is told about them)."""
    ids = set(shown.loc[shown[TRANSLATED_MARK], "instrument_id"]) if TRANSLATED_MARK in shown else set()
    chosen = translations[(translations["lang"] == lang) & translations["instrument_id"].isin(ids)]
    return list(dict.fromkeys(chosen["translation_note"]))


def note_of(translations: pd.DataFrame, instrument_id: str, lang: str) -> str:
    """How one instrument's translation in `lang` was made ('' when it has none)."""
    found = translations[(translations["instrument_id"] == instrument_id) & (translations["lang"] == lang)]
    return str(found["translation_note"].iloc[0]) if len(found) else ""
