"""URL state: cleaning links, share links that write every value, descriptions, migrations."""

from urllib.parse import parse_qs

import pytest

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


@pytest.mark.parametrize(
    ("raw", "key", "value"),
    [
        ({"country": ["KEN", "XXX"]}, "country", "XXX"),
        ({"scale": ["huge"]}, "scale", "huge"),
        ({"years": ["1800", "1900"]}, "years", "1800&1900"),
        ({"years": ["soon"]}, "years", "soon"),
        ({"colour": ["red"]}, "colour", "red"),
        ({"v": ["7"]}, "v", "7"),
    ],
)
def test_invalid_values_are_dropped_with_a_reason(raw, key, value):
    _, dropped = state.clean(raw, "usage", USAGE_OPTIONS)
    assert [(d.key, d.value) for d in dropped] == [(key, value)]
    assert dropped[0].reason


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
