"""The i18n layer (#14): languages, the language of a run, catalogues compiled from .po files, Babel formats."""

import contextvars
import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from languages import in_language

from sse_dash import i18n
from sse_dash.i18n.translate import LOCALES_DIR, po_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("asked", "browser", "expected"),
    [("fr", "es-ES", "fr"), (None, "es-ES", "es"), ("xx", "fa_IR", "fa"), (None, None, "en"), ("", "de-DE", "en")],
)
def test_the_link_wins_then_the_browser_then_english(asked, browser, expected):
    assert i18n.best_language(asked, browser) == expected


def test_four_languages_in_their_own_names_persian_right_to_left():
    assert [(c, lang.name) for c, lang in i18n.LANGUAGES.items()] == [
        ("en", "English"),
        ("fr", "Français"),
        ("es", "Español"),
        ("fa", "فارسی"),
    ]
    assert i18n.is_rtl("fa") and not i18n.is_rtl("en")


def test_outside_a_script_run_the_language_is_english():
    assert contextvars.Context().run(i18n.language) == "en"


def test_an_unknown_language_falls_back_to_english():
    assert in_language("xx", i18n.language) == "en"


@pytest.mark.parametrize(
    ("code", "number", "country", "currency"),
    [
        ("en", "1,234,567", "Kenya", "US Dollar"),
        ("fr", "1\u202f234\u202f567", "Kenya", "dollar des États-Unis"),
        ("es", "1.234.567", "Kenia", "dólar estadounidense"),
        ("fa", "۱٬۲۳۴٬۵۶۷", "کنیا", "دلار آمریکا"),
    ],
)
def test_numbers_territories_and_currencies_in_each_language(code, number, country, currency):
    assert in_language(code, i18n.number, 1234567) == number
    assert in_language(code, i18n.territory_name, "KEN") == country
    assert in_language(code, i18n.currency_name, "USD") == currency


def test_dates_and_percentages_in_each_language():
    assert in_language("fr", i18n.date, dt.date(2026, 12, 1)) == "1 déc. 2026"
    assert in_language("fa", i18n.percent, 0.25).startswith("۲۵")


def test_an_unknown_country_code_keeps_its_fallback():
    assert i18n.territory_name("XKX", "Kosovo") in ("Kosovo", "Kosovë")
    assert i18n.territory_name("ZZZ", "Somewhere") == "Somewhere"


@pytest.mark.parametrize("code", ["fr", "es", "fa"])
def test_each_language_has_a_catalogue_with_every_message_of_the_template(code):
    with (LOCALES_DIR / "messages.pot").open("rb") as pot, po_path(code).open("rb") as po:
        template, catalogue = read_po(pot), read_po(po, locale=code)
    assert {m.id for m in template if m.id} == {m.id for m in catalogue if m.id}  # obsolete entries are kept apart


def test_a_translated_message_is_shown_in_the_language_of_the_run():
    translated = {code: in_language(code, i18n._, "Language") for code in i18n.LANGUAGES}
    assert translated["en"] == "Language"
    for code in ("fr", "es", "fa"):
        message = next(m for m in read_po(po_path(code).open("rb"), locale=code) if m.id == "Language")
        assert translated[code] == (message.string or "Language")


def source_messages() -> set[str | tuple[str, ...]]:
    """The messages of the interface as the code holds them now (what `make messages` extracts)."""
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    found: set[str | tuple[str, ...]] = set()
    for part in ("app.py", "pages", "sse_dash"):
        path = ROOT / part
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            with file.open("rb") as source:
                for _line, message, _comments, _context in extract("python", source, keywords=keywords):
                    found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_the_template_holds_every_message_of_the_code_and_no_other():
    with (LOCALES_DIR / "messages.pot").open("rb") as pot:
        template = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(pot) if m.id}
    missing, extra = source_messages() - template, template - source_messages()
    assert not missing, f"run `make messages`: {len(missing)} new messages, e.g. {sorted(map(str, missing))[:5]}"
    assert not extra, f"run `make messages`: {len(extra)} messages no longer used, e.g. {sorted(map(str, extra))[:5]}"


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{([a-z_0-9]*)\}", text))


def same_placeholders(ids: list[str], strings: list[str]) -> bool:
    """A translation uses the message's {placeholders}: all of them (one form), or among them (plural forms)."""
    wanted = set().union(*map(placeholders, ids))
    if len(ids) == 1:
        return placeholders(strings[0]) == wanted
    return all(placeholders(s) <= wanted for s in strings) and set().union(*map(placeholders, strings)) == wanted


@pytest.mark.parametrize("code", ["fr", "es", "fa"])
def test_every_message_is_translated_with_the_same_placeholders(code):
    with po_path(code).open("rb") as po:
        catalogue = read_po(po, locale=code)
    untranslated, fuzzy, broken = [], [], []
    for message in catalogue:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy:
            fuzzy.append(ids[0])
        if not all(s.strip() for s in strings):
            untranslated.append(ids[0])
        elif not same_placeholders(ids, strings):
            broken.append(ids[0])
    assert not untranslated, f"{len(untranslated)} messages without a {code} translation, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy {code} translations (not used until checked), e.g. {fuzzy[:5]}"
    assert not broken, f"{code} translations whose {{placeholders}} differ from the message's: {broken[:5]}"


def test_a_bound_function_answers_in_the_language_of_the_run_that_made_it():
    french = in_language("fr", i18n.bound, i18n._)
    assert i18n.language() == "en"
    assert french("Language") == in_language("fr", i18n._, "Language") != "Language"
    assert i18n._("Language") == "Language"  # the caller's own language is left as it was
