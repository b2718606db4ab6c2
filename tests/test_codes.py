"""Country, currency, SSE type and life-stage resolution."""

import csv

import pandas as pd
import pytest
from small_catalogue import use_catalogue

from sse_dash import codes
from sse_dash.i18n import translate
from sse_dash.paths import ALIASES_DIR


@pytest.mark.parametrize(
    ("value", "alpha_3"),
    [
        ("KEN", "KEN"),
        ("ken", "KEN"),
        ("ke", "KEN"),
        ("Kenya", "KEN"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("United Republic of Tanzania", "TZA"),
        ("Republic of Korea", "KOR"),
        ("Korea, Rep.", "KOR"),
        ("Viet Nam", "VNM"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Côte d'Ivoire", "CIV"),
        ("COTE D'IVOIRE", "CIV"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("Türkiye", "TUR"),
        ("Allemagne", "DEU"),
        ("España", "ESP"),
        ("Italia", "ITA"),
        ("Sénégal", "SEN"),
        ("  france  ", "FRA"),
        ("Kosovo", "XKX"),
    ],
)
def test_country_spellings_resolve_to_alpha_3(value, alpha_3):
    assert codes.country_resolver().resolve(value).code == alpha_3


def test_country_typo_gets_a_did_you_mean():
    resolution = codes.country_resolver().resolve("Keniya")
    assert resolution.code is None
    assert "KEN (Kenya)" in resolution.hint


def test_a_region_is_not_a_country_but_the_hint_says_where_it_goes():
    resolution = codes.country_resolver().resolve("Quebec")
    assert resolution.code is None
    assert "CAN" in resolution.hint and "region" in resolution.hint


@pytest.mark.parametrize(
    ("value", "code"),
    [("eur", "EUR"), ("€", "EUR"), ("£", "GBP"), ("KSh", "KES"), ("US Dollar", "USD"), ("Euro", "EUR")],
)
def test_currencies(value, code):
    assert codes.currency_resolver().resolve(value).code == code


def test_unknown_currency_code_is_refused():
    assert codes.currency_resolver().resolve("EURO2").code is None


@pytest.mark.parametrize(
    ("value", "sse_type"),
    [
        ("Co-operative", "cooperative"),
        ("coop", "cooperative"),
        ("CO-OP", "cooperative"),
        ("Social Enterprise", "social_enterprise"),
        ("social-enterprise", "social_enterprise"),
        ("NGO", "association"),
        ("Mutuelle", "mutual"),
        ("Fundación", "foundation"),
        ("Self-help group", "informal_group"),
    ],
)
def test_sse_type_spellings(value, sse_type):
    assert codes.sse_type_resolver().resolve(value).code == sse_type


@pytest.mark.parametrize(
    ("value", "stage"),
    [("Start-up", "start_up"), ("expansion", "growth"), ("worker buyout", "transfer"), ("pre_start", "pre_start")],
)
def test_life_stage_spellings(value, stage):
    assert codes.life_stage_resolver().resolve(value).code == stage


def test_instrument_names_and_ids_resolve(catalogue):
    resolver = codes.instrument_resolver(catalogue)
    assert resolver.resolve("SACCO_CU_LOAN").code == "sacco_cu_loan"
    assert resolver.resolve("Member share capital").code == "member_shares"
    assert resolver.resolve("tontine").code == "savings_group"
    assert "sacco_cu_loan" in resolver.resolve("sacco_cu_lon").hint


@pytest.mark.parametrize(
    ("code", "name"), [("XKX", "Kosovo"), ("BOL", "Bolivia"), ("TZA", "Tanzania"), ("KEN", "Kenya"), ("ZZZ", "ZZZ")]
)
def test_country_names_are_short_common_names(code, name):
    assert codes.country_name(code) == name


def test_a_fresh_country_resolver_reads_the_alias_table_and_the_translations():
    """The resolver is built once per process; build it again here so that reading its sources is tested."""
    codes.country_resolver.cache_clear()
    try:
        resolver = codes.country_resolver()
        assert resolver.resolve("Iran, Islamic Rep.").code == "IRN"  # World Bank spelling, from aliases/countries.csv
        assert resolver.resolve("Allemagne").code == "DEU"  # French, from pycountry's translations
        assert resolver.resolve("Deutschland").code == "DEU"  # German
        scotland = resolver.resolve("Scotland")
        assert scotland.code is None and "put GBR (United Kingdom) in country" in scotland.hint
    finally:
        codes.country_resolver.cache_clear()


# --- names in French, Spanish and Persian (#14) ---------------------------------------------------------------

ARABIC_YEH, ARABIC_KAF, ZWNJ, TATWEEL = "\u064a", "\u0643", "\u200c", "\u0640"


@pytest.mark.parametrize(
    ("value", "alpha_3"),
    [
        ("Kenia", "KEN"),
        ("Irán", "IRN"),
        ("Équateur", "ECU"),
        ("Canadá", "CAN"),
        # CLDR's Persian names
        ("کنیا", "KEN"),
        ("ایران", "IRN"),
        ("ایتالیا", "ITA"),
        ("فرانسه", "FRA"),
        ("کانادا", "CAN"),
        ("هند", "IND"),
        ("اکوادور", "ECU"),
        ("هندوستان", "IND"),  # iso-codes' Persian name, through pycountry
        # the same names typed on an Arabic keyboard, or stretched with a tatweel
        ("کنیا".replace("ی", ARABIC_YEH).replace("ک", ARABIC_KAF), "KEN"),
        ("ایران".replace("ی", ARABIC_YEH), "IRN"),
        (f"ک{TATWEEL}نیا", "KEN"),
    ],
)
def test_countries_in_french_spanish_and_persian(value, alpha_3):
    assert codes.country_resolver().resolve(value).code == alpha_3


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("ریال ایران", "IRR"),
        ("ريال ايران", "IRR"),
        ("ریال", "IRR"),
        ("\ufdfc", "IRR"),  # the rial sign
        ("شیلینگ کنیا", "KES"),
        ("chelín keniano", "KES"),
        ("dollar des États-Unis", "USD"),
        ("یورو", "EUR"),
    ],
)
def test_currencies_in_french_spanish_and_persian(value, code):
    assert codes.currency_resolver().resolve(value).code == code


def test_the_toman_is_not_taken_for_a_currency_and_says_why():
    resolution = codes.currency_resolver().resolve("تومان")
    assert resolution.code is None and "ten Iranian rials" in resolution.hint


@pytest.mark.parametrize(
    ("value", "sse_type"),
    [
        ("تعاونی", "cooperative"),
        ("تعاوني", "cooperative"),  # Arabic yeh
        ("شرکت تعاونی", "cooperative"),
        ("شركت تعاوني", "cooperative"),  # Arabic kaf and yeh
        ("تعاونی مسکن", "cooperative"),
        ("coopérative", "cooperative"),
        ("Cooperativas", "cooperative"),
        ("Mutuelle de santé", "mutual"),
        ("انجمن", "association"),
        (f"سازمان مردم{ZWNJ}نهاد", "association"),
        ("سازمان مردم نهاد", "association"),
        ("Organización no gubernamental", "association"),
        ("بنیاد", "foundation"),
        (f"کسب{ZWNJ}وکار اجتماعی", "social_enterprise"),
        ("گروه خودیار", "informal_group"),
    ],
)
def test_sse_types_in_french_spanish_and_persian(value, sse_type):
    assert codes.sse_type_resolver().resolve(value).code == sse_type


def test_a_qard_al_hasan_fund_is_not_guessed_to_be_an_sse_type():
    # Interest-free loan funds are registered as cooperatives, charities or informal groups: the file must say which.
    assert codes.sse_type_resolver().resolve(f"صندوق قرض{ZWNJ}الحسنه").code is None


def test_normalise_key_folds_arabic_and_persian_letters_digits_and_joiners():
    assert codes.normalise_key("كنيا") == codes.normalise_key("کنیا") == "کنیا"
    assert codes.normalise_key(f"مردم{ZWNJ}نهاد") == "مردم نهاد"
    assert codes.normalise_key("سال ۱۴۰۲") == codes.normalise_key("سال ١٤٠٢") == "سال 1402"
    assert codes.normalise_key("استان") != codes.normalise_key("کشور") != ""


def test_the_cldr_table_is_what_the_generator_writes(tmp_path):
    pytest.importorskip("babel")
    from tools import cldr_names

    cldr_names.write(tmp_path / "cldr.csv")
    committed = (codes.ALIASES_DIR / "cldr_names.csv").read_text(encoding="utf-8")
    assert (tmp_path / "cldr.csv").read_text(encoding="utf-8") == committed, "run python -m tools.cldr_names"


FRENCH = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Did you mean {code} ({country})?"
msgstr "Vouliez-vous dire {code} ({country}) ?"

msgid "Did you mean {value}?"
msgstr "Vouliez-vous dire {value} ?"

msgid "{region} is {note}: put {code} ({country}) in country and {region} in region."
msgstr "{region} est {note} : mettez {code} ({country}) dans country et {region} dans region."

msgid "a nation of the United Kingdom"
msgstr "une nation du Royaume-Uni"
"""


@pytest.fixture
def in_french(tmp_path, monkeypatch):
    """A small French catalogue in place of the project's, and a way to run code in French."""
    yield use_catalogue(tmp_path, monkeypatch, "fr", FRENCH)
    translate.translations.cache_clear()


def test_hints_are_written_in_the_language_of_the_run_with_the_country_named_in_it(in_french):
    countries = codes.country_resolver()
    assert in_french(countries.resolve, "Germny").hint == "Vouliez-vous dire DEU (Allemagne) ?"
    assert countries.resolve("Germny").hint == "Did you mean DEU (Germany)?"  # and in English outside a run
    assert in_french(countries.resolve, "Scotland").hint == (
        "Scotland est une nation du Royaume-Uni : mettez GBR (Royaume-Uni) dans country et Scotland dans region."
    )
    assert in_french(codes.sse_type_resolver().resolve, "cooperatve").hint == "Vouliez-vous dire 'cooperative' ?"
    assert in_french(codes.currency_resolver().resolve, "Eurr").hint == "Vouliez-vous dire EUR ?"


def test_every_region_note_of_the_alias_table_is_marked_for_translation():
    with open(ALIASES_DIR / "countries.csv", encoding="utf-8", newline="") as handle:
        notes = {row["note"] for row in csv.DictReader(handle) if row["kind"] == "subnational"}
    assert notes and notes <= set(codes.REGION_NOTES)


def test_a_typo_of_kosovo_names_it_although_cldr_has_no_name_for_xkx():
    # XKX is a user-assigned code: the hint falls back to the English short name.
    assert codes.country_resolver().resolve("Kosovoo").hint == "Did you mean XKX (Kosovo)?"


@pytest.mark.parametrize("value", ["", "  ", "-", "?!"])
def test_a_value_without_letters_or_digits_gets_no_suggestion(value):
    for resolver in (codes.country_resolver(), codes.currency_resolver(), codes.sse_type_resolver()):
        assert resolver.resolve(value) == codes.Resolution(None, "")


def test_instrument_names_resolve_without_their_bracket_and_by_each_side_of_a_slash():
    catalogue = pd.DataFrame(
        {
            "instrument_id": ["rosca", "sacco_cu_loan", "future_equity", "patient"],
            "name": ["Rotating savings (tontine, ROSCA)", "SACCO / credit union member loan", "Equity / SAFE", "Loan"],
            "name_local": [None, None, None, "Capital patient / PCF"],
        }
    )
    resolver = codes.instrument_resolver(catalogue)
    assert resolver.resolve("Rotating savings (tontine, ROSCA)").code == "rosca"
    assert resolver.resolve("rotating savings").code == "rosca"  # the name without its bracketed part
    assert resolver.resolve("SACCO / credit union member loan").code == "sacco_cu_loan"
    assert resolver.resolve("SACCO").code == "sacco_cu_loan"
    assert resolver.resolve("credit union member loan").code == "sacco_cu_loan"
    assert resolver.resolve("safe").code == "future_equity"  # four letters are enough to stand for the instrument
    assert resolver.resolve("Capital patient").code == "patient"  # a local name's sides too
    assert resolver.resolve("PCF").code is None  # three letters are not


def test_an_instrument_resolver_is_kept_per_catalogue():
    catalogue = pd.DataFrame({"instrument_id": ["a_loan"], "name": ["A loan"], "name_local": [None]})
    resolver = codes.instrument_resolver(catalogue)
    assert codes.instrument_resolver(catalogue) is resolver
    renamed = catalogue.assign(name=["Another loan"])
    assert codes.instrument_resolver(renamed).resolve("another loan").code == "a_loan"
    assert codes.instrument_resolver(catalogue).resolve("another loan").code is None


def test_a_catalogue_of_ids_alone_resolves_its_ids():
    resolver = codes.instrument_resolver(pd.DataFrame({"instrument_id": ["member_shares", "microcredit"]}))
    assert resolver.resolve("Member_Shares").code == "member_shares"
    assert "microcredit" in resolver.resolve("microcredt").hint


def test_an_ampersand_reads_as_and():
    assert codes.normalise_key("Trinidad & Tobago") == "trinidad and tobago"
    resolver = codes.vocabulary_resolver("sector", ["savings and loans"])
    assert resolver.resolve("Savings & Loans").code == "savings and loans"


@pytest.mark.parametrize("value", ["Germ", "Kenyaland", "Zzyzx qq"])
def test_only_a_close_spelling_gets_a_suggestion(value):
    # 'Germ' is less than 80 % like 'Germany': suggesting it would be a guess
    assert codes.country_resolver().resolve(value) == codes.Resolution(None, "")
