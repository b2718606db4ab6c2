"""URL state: cleaning links, share links that write every value, descriptions, migrations."""

from urllib.parse import parse_qs

import pytest
from languages import in_language
from link_examples import NON_DEFAULT, page_options

from sse_dash import state

USAGE_OPTIONS = {
    "country": ["KEN", "ITA", "FRA"],
    "years": [2015, 2024],
    "sse_type": ["cooperative", "association"],
    "sector": ["agriculture"],
    "family": ["INT_MEMBER"],
    "instrument": ["sacco_cu_loan", "member_shares"],
    "measure": ["amount", "uses"],
    "money": ["usd", "KES"],
    "scale": ["absolute", "percent"],
    "mix_by": ["sse_type", "country", "life_stage"],
    "view": ["Mix", "Trend"],
}


def test_valid_values_are_kept():
    values, dropped = state.clean(
        {"country": ["KEN", "ITA"], "years": ["2016", "2020"], "scale": ["percent"]}, "usage", USAGE_OPTIONS
    )
    assert dropped == []
    assert values["country"] == ("KEN", "ITA") and values["years"] == (2016, 2020)
    assert values["scale"] == "percent" and values["measure"] == "amount"


FINDER_OPTIONS = {"sse_type": ["cooperative"], **{key: [0, 5] for key in ("w_afford", "w_access")}}


@pytest.mark.parametrize(
    ("page", "raw", "key", "value", "reason"),
    [
        ("usage", {"country": ["KEN", "XXX"]}, "country", "XXX", "not in this data"),
        ("usage", {"scale": ["huge"]}, "scale", "huge", "not one of the choices"),
        ("usage", {"years": ["1800", "1900"]}, "years", "1800&1900", "outside 2015–2024"),
        ("usage", {"years": ["2030", "2040"]}, "years", "2030&2040", "outside 2015–2024"),
        ("usage", {"years": ["soon"]}, "years", "soon", "not a year"),
        ("usage", {"years": ["2016"]}, "years", "2016", "give a first and a last year"),
        ("usage", {"colour": ["red", "blue"]}, "colour", "red", "not a setting of this page"),
        ("usage", {"v": ["7"]}, "v", "7", "this dashboard writes version 1 links"),
        ("finder", {"amount": ["lots"]}, "amount", "lots", "not a number"),
        ("finder", {"amount": ["-5"]}, "amount", "-5", "not a number of zero or more"),
        ("finder", {"amount": ["inf"]}, "amount", "inf", "not a number of zero or more"),
        ("finder", {"amount": ["-inf"]}, "amount", "-inf", "not a number of zero or more"),
        ("finder", {"w_afford": ["6"]}, "w_afford", "6", "not a whole number from 0 to 5"),
        ("finder", {"w_afford": ["2.5"]}, "w_afford", "2.5", "not a whole number from 0 to 5"),
        ("finder", {"w_patience": ["6"]}, "w_patience", "6", "not a whole number from 0 to 5"),
    ],
)
def test_invalid_values_are_dropped_with_a_reason(page, raw, key, value, reason):
    values, dropped = state.clean(raw, page, USAGE_OPTIONS if page == "usage" else FINDER_OPTIONS)
    assert [(d.key, d.value, d.reason) for d in dropped] == [(key, value, reason)]
    assert value not in str(values.get(key, ""))  # the dropped value is not used


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"years": ["2015", "2015"]}, (2015, 2015)),  # the first year alone
        ({"years": ["2024", "2030"]}, (2024, 2024)),  # clamped to the last year
        ({"years": ["2000", "2015"]}, (2015, 2015)),
    ],
)
def test_years_touching_the_data_are_kept(raw, expected):
    values, dropped = state.clean(raw, "usage", USAGE_OPTIONS)
    assert values["years"] == expected and dropped == []


@pytest.mark.parametrize(("weight", "expected"), [("0", 0), ("5", 5), ("3.0", 3)])
def test_weights_from_zero_to_five_are_kept(weight, expected):
    values, dropped = state.clean({"w_afford": [weight], "w_access": [weight]}, "finder", FINDER_OPTIONS)
    assert values["w_afford"] == values["w_access"] == expected and dropped == []
    values, _ = state.clean({"w_patience": [weight]}, "finder", {})  # no bounds given: 0 to 5
    assert values["w_patience"] == expected


def test_an_amount_of_zero_is_kept():
    values, dropped = state.clean({"amount": ["0"]}, "finder", FINDER_OPTIONS)
    assert values["amount"] == 0 and dropped == []


def test_empty_values_in_a_link_mean_the_default():
    values, dropped = state.clean({"scale": [""], "country": ["", "KEN"]}, "usage", USAGE_OPTIONS)
    assert values["scale"] == "absolute" and values["country"] == ("KEN",) and dropped == []


def test_all_sentinel_means_no_restriction_and_is_not_reported():
    values, dropped = state.clean({"country": ["*"], "instrument": ["*"]}, "usage", USAGE_OPTIONS)
    assert values["country"] == () and values["instrument"] == () and dropped == []


def test_years_are_clamped_to_the_data():
    values, _ = state.clean({"years": ["2010", "2018"]}, "usage", USAGE_OPTIONS)
    assert values["years"] == (2015, 2018)


def test_share_query_writes_every_value_with_the_version():
    values, _ = state.clean({"country": ["KEN"]}, "usage", USAGE_OPTIONS)
    values["years"] = (2015, 2024)
    query = parse_qs(state.share_query("usage", values))
    assert query["v"] == ["1"]
    assert query["country"] == ["KEN"] and query["instrument"] == ["*"] and query["years"] == ["2015", "2024"]
    for param in state.PAGE_PARAMS["usage"]:
        assert param.key in query, param.key


def test_a_share_link_reads_back_to_the_same_values():
    values = {
        "country": ("KEN", "ITA"),
        "years": (2016, 2021),
        "sse_type": (),
        "sector": ("agriculture",),
        "family": (),
        "instrument": ("sacco_cu_loan",),
        "measure": "uses",
        "money": "KES",
        "scale": "percent",
        "mix_by": "country",
        "view": "Trend",
    }
    again, dropped = state.clean(parse_qs(state.share_query("usage", values)), "usage", USAGE_OPTIONS)
    assert dropped == [] and again == values


@pytest.mark.parametrize("code", ["fr", "es", "fa"])
def test_why_a_setting_is_left_out_or_read_in_order_is_said_in_the_language_of_the_run(code):
    raw = {"country": ["XXX"], "scale": ["huge"], "years": ["2030", "2040"], "colour": ["red"], "v": ["7"]}
    english = state.clean(raw, "usage", USAGE_OPTIONS)[1]
    _, dropped = in_language(code, state.clean, raw, "usage", USAGE_OPTIONS)
    assert [(d.key, d.value) for d in dropped] == [(d.key, d.value) for d in english] and len(dropped) == 5
    assert all(d.reason != e.reason for d, e in zip(dropped, english, strict=True))
    outside = next(d.reason for d in dropped if d.key == "years")
    assert "2015" in outside and "2024" in outside
    assert str(state.VERSION) in next(d.reason for d in dropped if d.key == "v")  # the version this one writes
    (found,) = state.reversed_ranges({"years": ["2021", "2019"]}, "usage", USAGE_OPTIONS)
    said = in_language(code, str, found)
    assert said.startswith("years=2021&2019 (") and "2019–2021" in said and "read as" not in said


def test_renamed_parameters_of_old_links_still_work(monkeypatch):
    monkeypatch.setitem(state.RENAMED, "countries", "country")
    values, dropped = state.clean({"countries": ["KEN"]}, "usage", USAGE_OPTIONS)
    assert values["country"] == ("KEN",) and dropped == []


@pytest.mark.parametrize(
    ("base", "path", "expected"),
    [
        ("http://host:8501/usage?country=KEN", "usage", "http://host:8501/usage?v=1"),
        ("http://host:8501/", "", "http://host:8501/?v=1"),
        ("http://host:8501/upload", "usage", "http://host:8501/usage?v=1"),
        ("http://host:8501/upload?x=1", "", "http://host:8501/?v=1"),
        ("https://x.example/sse/figures", "figures", "https://x.example/sse/figures?v=1"),
        ("https://x.example/sse/upload", "usage", "https://x.example/sse/usage?v=1"),
        ("https://x.example/sse/", "usage", "https://x.example/sse/usage?v=1"),
    ],
)
def test_share_url(base, path, expected):
    assert state.share_url(base, path, "v=1", ["usage", "figures", "upload", "about", "instruments"]) == expected


def test_describe_says_the_view_in_words():
    values, _ = state.clean(
        {"country": ["KEN", "ITA"], "sse_type": ["cooperative"], "mix_by": ["country"], "scale": ["percent"]},
        "usage",
        USAGE_OPTIONS,
    )
    text = state.describe("usage", values, {"country": {"KEN": "Kenya", "ITA": "Italy"}})
    assert "Kenya and Italy" in text and "cooperative" in text and "percent" in text and "by country" in text


@pytest.mark.parametrize(
    ("given", "read_as"),
    [(["2021", "2019"], (2019, 2021)), (["2030", "2010"], (2015, 2024)), (["2024", "2015"], (2015, 2024))],
)
def test_a_range_given_last_year_first_is_read_in_order_and_said(given, read_as):
    raw = {"years": given}
    values, dropped = state.clean(raw, "usage", USAGE_OPTIONS)
    assert values["years"] == read_as and dropped == []
    (reversed_range,) = state.reversed_ranges(raw, "usage", USAGE_OPTIONS)
    assert reversed_range.key == "years" and reversed_range.value == read_as
    assert str(reversed_range) == f"years={'&'.join(given)} (read as {read_as[0]}–{read_as[1]})"


@pytest.mark.parametrize("raw", [{"years": ["2019", "2021"]}, {"years": ["2021", "2021"]}, {"years": ["x", "y"]}, {}])
def test_a_range_in_order_or_unusable_is_not_called_reversed(raw):
    assert state.reversed_ranges(raw, "usage", USAGE_OPTIONS) == []


def test_a_link_streamlit_ignored_for_its_size_becomes_one_parameter_and_a_note():
    long_query = "&".join(f"country=K{i}" for i in range(1001))
    marker = parse_qs(state.unread_link_query(long_query))
    assert list(marker) == [state.UNREAD_LINK]
    note = state.unread_link_note(marker[state.UNREAD_LINK][0], max_parameters=1000, max_characters=524_288)
    assert "1,001 parameters" in note and f"{len(long_query):,} characters" in note and "1,000 parameters" in note
    _, dropped = state.clean(marker, "usage", USAGE_OPTIONS)
    assert dropped == []  # the note says it; it is not also a setting 'left out'


@pytest.mark.parametrize("value", ["", "x", "1:2:3", "-1:5", "²:2", "9" * 400])
def test_a_hand_made_unread_link_marker_gives_no_note_and_no_error(value):
    assert state.unread_link_note(value, max_parameters=1000, max_characters=524_288) is None


def test_pages_read_their_widget_defaults_from_the_parameters():
    for page, params in state.PAGE_PARAMS.items():
        for param in params:
            assert state.default(page, param.key) == param.default
    assert state.default("usage", "measure") == "amount" and state.default("finder", "stage") == "growth"


@pytest.mark.parametrize("page", sorted(state.PAGE_PARAMS))
def test_every_parameter_survives_a_share_link_at_a_value_other_than_its_default(page):
    link = NON_DEFAULT[page]
    # The examples are written out in the test: a parameter dropped from the page's list is noticed here.
    assert set(link) == {param.key for param in state.PAGE_PARAMS[page]}
    options = page_options(page)
    values, dropped = state.clean(link, page, options)
    assert dropped == []
    for param in state.PAGE_PARAMS[page]:
        assert values[param.key] != param.default, param.key
    query = parse_qs(state.share_query(page, values))
    for key, raw in link.items():
        assert query[key] == raw, key
    again, dropped = state.clean(query, page, options)
    assert dropped == [] and again == values


@pytest.mark.parametrize("amount", ["1000001", "1234567.5", "0.1", "50000"])
def test_amounts_keep_every_digit_in_a_share_link(amount):
    values, _ = state.clean({"amount": [amount]}, "finder", {})
    assert parse_qs(state.share_query("finder", values))["amount"] == [amount]


NAMES = {
    "country": {"KEN": "Kenya", "ITA": "Italy"},
    "sse_type": {"cooperative": "Cooperative"},
    "instrument": {"sacco_cu_loan": "SACCO loan"},
    "family": {"INT_MEMBER": "Member finance"},
    "indicator": {"m": "Members"},
}
EVERYTHING = {"country": (), "years": None, "sse_type": (), "sector": (), "family": (), "instrument": ()}


@pytest.mark.parametrize(
    ("page", "values", "words"),
    [
        (
            "usage",
            {
                "country": ("KEN", "ITA", "FRA"),
                "years": (2016, 2021),
                "sse_type": ("cooperative",),
                "sector": ("agriculture", "retail"),
                "family": ("INT_MEMBER",),
                "instrument": ("sacco_cu_loan",),
                "measure": "amount",
                "money": "KES",
                "scale": "percent",
                "mix_by": "life_stage",
                "view": "Mix",
            },
            "Usage by Cooperative in Kenya, Italy and FRA, 2016–2021; sectors: agriculture and retail; instruments: "
            "SACCO loan in Member finance. View: Mix, amounts in KES, percent, by life stage.",
        ),
        (
            "usage",
            {
                **EVERYTHING,
                "measure": "uses",
                "money": "usd",
                "scale": "absolute",
                "mix_by": "country",
                "view": "Trend",
            },
            "Usage by all SSE types in all countries, all years; sectors: all; instruments: all. View: Trend, numbers "
            "of records, absolute.",
        ),
        (
            "usage",
            {**EVERYTHING, "measure": "amount", "money": "usd", "scale": "absolute", "view": "Map"},
            "Usage by all SSE types in all countries, all years; sectors: all; instruments: all. View: Map, amounts in "
            "USD, absolute.",
        ),
        (
            "instruments",
            {"compare": ("sacco_cu_loan", "member_shares"), "instrument": "sacco_cu_loan"},
            "Instrument catalogue, comparing SACCO loan and member_shares, details of SACCO loan.",
        ),
        ("instruments", {"compare": (), "instrument": ""}, "Instrument catalogue."),
        (
            "finder",
            {
                "sse_type": "social_enterprise",
                "stage": "start_up",
                "collateral": "group",
                "control": "keep_full",
                "patience": "long",
                "country": "KEN",
                "amount": 50000.0,
                "currency": "KES",
            },
            "Financing finder for a social enterprise at the start up stage, needing 50,000 KES; collateral: group; "
            "control: keep full; patience: long; in KEN.",
        ),
        (
            "finder",
            {"sse_type": "cooperative", "stage": "growth", "collateral": "nothing", "control": "minority"}
            | {"patience": "any", "country": "", "amount": None, "currency": ""},
            "Financing finder for a cooperative at the growth stage; collateral: nothing; control: minority; "
            "patience: any.",
        ),
        (
            "figures",
            {"indicator": "m", "series": ("World", "Kenya"), "mode": "relative"},
            "Published figures: Members, World and Kenya, relative to the first year.",
        ),
        (
            "figures",
            {"indicator": "x", "series": (), "mode": "level"},
            "Published figures: x, all geographies, as published.",
        ),
        (
            "country",
            {"country": "KEN", "peers": ("ITA", "FRA")},
            "Country profile of Kenya, compared with Italy and FRA.",
        ),
        ("country", {"country": "IRN", "peers": ()}, "Country profile of IRN."),
        ("about", {}, "about"),
    ],
)
def test_describe_says_each_page_in_words(page, values, words):
    assert state.describe(page, values, NAMES if page != "finder" else None) == words


def test_share_query_writes_extras_defaults_for_missing_values_and_a_plain_star():
    query = state.share_query("instruments", {"instrument": ""}, {"dataset": "abc"})
    assert query.startswith("v=1&dataset=abc&origin=*&")  # '*' is written as it is, not %2A
    assert "instrument=" not in query  # an empty single choice is left out
    assert parse_qs(state.share_query("usage", {}))["scale"] == ["absolute"]  # a missing value: its default


def test_share_url_drops_the_fragment_of_the_current_address():
    assert state.share_url("http://host:8501/usage#top", "usage", "v=1", ["usage"]) == "http://host:8501/usage?v=1"


def test_describe_without_names_uses_the_codes():
    assert state.describe("instruments", {"compare": ("a",), "instrument": "b"}) == (
        "Instrument catalogue, comparing a, details of b."
    )


def test_share_url_keeps_a_deep_base_path():
    assert state.share_url("https://x.example/org/sse/upload", "usage", "v=1", ["upload", "usage"]) == (
        "https://x.example/org/sse/usage?v=1"
    )


# Written from the survivors of the mutation check (docs/mutation.md, "state").


def test_int_parameters_keep_to_the_bounds_the_page_gives():
    values, dropped = state.clean({"w_afford": ["4"]}, "finder", {"w_afford": [1, 3]})
    assert values["w_afford"] == 2  # the default: 4 is outside 1–3, although it is within the usual 0–5
    assert [(d.key, d.value, d.reason) for d in dropped] == [("w_afford", "4", "not a whole number from 1 to 3")]


def test_an_empty_value_before_a_reversed_range_is_ignored():
    (found,) = state.reversed_ranges({"years": ["", "2021", "2019"]}, "usage", USAGE_OPTIONS)
    assert (found.given, found.value) == ("2021&2019", (2019, 2021))


def test_the_unread_link_note_gives_both_limits_and_the_way_out():
    note = state.unread_link_note("1001:9000", max_parameters=1000, max_characters=524_288)
    assert note.startswith("This link is too long to read (1,001 parameters, 9,000 characters;")
    assert "reads links of up to 1,000 parameters and 524,288 characters), so none" in note
    assert note.endswith("Shorten the link, or choose the settings again and use Share this view.")


@pytest.mark.parametrize(("weight", "written"), [(3.0, "3"), (0.0, "0")])
def test_a_whole_weight_given_as_a_float_is_written_without_a_decimal(weight, written):
    assert parse_qs(state.share_query("finder", {"w_afford": weight}))["w_afford"] == [written]


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("http://host:8501/usage?next=/a?b=1", "http://host:8501/usage?v=1"),  # a '?' inside the query
        ("http://host:8501/usage#a#b", "http://host:8501/usage?v=1"),  # a '#' inside the fragment
        ("https://x.example/TAX", "https://x.example/TAX/usage?v=1"),  # a base path ending in X
    ],
)
def test_share_url_cuts_the_address_at_its_first_question_mark_and_hash(base, expected):
    assert state.share_url(base, "usage", "v=1", ["usage", "upload"]) == expected


def test_describe_uses_the_names_of_every_choice():
    values = {
        **EVERYTHING,
        "sector": ("agri",),
        "measure": "amount",
        "money": "KES",
        "scale": "percent",
        "mix_by": "sse_type",
        "view": "Mix",
    }
    names = {
        "sector": {"agri": "Farming"},
        "view": {"Mix": "Composition"},
        "scale": {"percent": "Shares of the total"},
        "mix_by": {"sse_type": "SSE type"},  # an acronym keeps its capitals inside the sentence
    }
    assert state.describe("usage", values, names) == (
        "Usage by all SSE types in all countries, all years; sectors: Farming; instruments: all. View: Composition, "
        "amounts in KES, Shares of the total, by SSE type."
    )
    finder_values = {
        "sse_type": "cooperative",
        "stage": "start_up",
        "collateral": "group",
        "control": "keep_full",
        "patience": "long",
        "country": "KEN",
        "amount": 50000.0,
        "currency": "KES",
    }
    finder_names = {
        "sse_type": {"cooperative": "Worker cooperative"},
        "stage": {"start_up": "Start-up"},
        "collateral": {"group": "Group guarantee"},
        "control": {"keep_full": "Full control"},
        "patience": {"long": "Patient money"},
        "country": {"KEN": "Kenya"},
    }
    assert state.describe("finder", finder_values, finder_names) == (
        "Financing finder for a worker cooperative at the start-up stage, needing 50,000 KES; collateral: Group "
        "guarantee; "
        "control: Full control; patience: Patient money; in Kenya."
    )
    figures = {"indicator": "m", "series": ("WLD",), "mode": "level"}
    assert state.describe("figures", figures, {"series": {"WLD": "World"}}) == (
        "Published figures: m, World, as published."
    )


@pytest.mark.parametrize(
    ("page", "values", "words"),
    [
        # a missing currency basis is the default, US dollars
        (
            "usage",
            {"measure": "amount", "scale": "absolute", "view": "Map"},
            "Usage by all SSE types in all countries, all years; sectors: all; instruments: all. View: Map, amounts in "
            "USD, absolute.",
        ),
        # a measure the page does not know is named as it is
        (
            "usage",
            {"measure": "median", "scale": "absolute", "view": "Map"},
            "Usage by all SSE types in all countries, all years; sectors: all; instruments: all. View: Map, median, "
            "absolute.",
        ),
        ("instruments", {"compare": ("a", "b"), "instrument": ""}, "Instrument catalogue, comparing a and b."),
        ("instruments", {"compare": (), "instrument": "b"}, "Instrument catalogue, details of b."),
        # an amount without a currency: no space before the semicolon
        (
            "finder",
            {"sse_type": "cooperative", "stage": "growth", "collateral": "nothing", "control": "minority"}
            | {"patience": "any", "country": "", "amount": 700.0, "currency": ""},
            "Financing finder for a cooperative at the growth stage, needing 700; collateral: nothing; control: minority; "
            "patience: any.",
        ),
        (
            "figures",
            {"indicator": "m", "series": (), "mode": "level"},
            "Published figures: m, all geographies, as published.",
        ),
        ("country", {"country": "KEN", "peers": ("ITA",)}, "Country profile of KEN, compared with ITA."),
    ],
)
def test_describe_without_names_or_with_values_missing(page, values, words):
    assert state.describe(page, values) == words


@pytest.mark.parametrize("options", [{}, {"years": []}])  # no years given, or none in the data
def test_a_range_the_page_gives_no_years_for_is_dropped_without_an_error(options):
    values, dropped = state.clean({"years": ["-1", "2"]}, "usage", options)
    assert values["years"] is None
    assert [(d.key, d.value, d.reason) for d in dropped] == [("years", "-1&2", "no years in this data")]


@pytest.mark.parametrize(
    ("name", "in_sentence"),
    [
        ("Life stage", "life stage"),
        ("Start-up", "start-up"),
        ("In kind", "in kind"),  # a two-letter first word
        ("Loans to SSE bodies", "loans to SSE bodies"),  # only the first word decides
        ("SSE type", "SSE type"),
        ("McKinsey", "McKinsey"),  # a capital inside the first word: a proper name, kept
        ("A type", "A type"),  # a one-letter first word says nothing: kept
    ],
)
def test_a_name_inside_a_sentence_is_lowered_unless_its_first_word_has_another_capital(name, in_sentence):
    assert state._in_sentence(name) == in_sentence


@pytest.mark.parametrize(
    ("value", "written"),
    [(9_999_999_999_999_998.0, "9999999999999998"), (1e16, "1e+16"), (-1e16, "-1e+16"), (10**16, "10000000000000000")],
)
def test_whole_floats_are_written_in_digits_below_1e16(value, written):
    assert state._number_text(value) == written
    assert float(written) == value


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("http://host:8501/usage/", "http://host:8501/usage?v=1"),  # a trailing slash
        ("http://host:8501//sse//upload", "http://host:8501/sse/usage?v=1"),  # empty segments
        ("https://x.example/XXXX", "https://x.example/XXXX/usage?v=1"),
    ],
)
def test_share_url_drops_empty_segments_and_a_trailing_slash(base, expected):
    assert state.share_url(base, "usage", "v=1", ["usage", "upload"]) == expected
