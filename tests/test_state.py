"""URL state: cleaning links, share links that write every value, descriptions, migrations."""

from urllib.parse import parse_qs

import pytest
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
