"""Usage explorer page (AppTest): defaults, each filter, views, query parameters in and out."""

import re
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from apptest_helpers import ROOT, data_behind, plain, run_page, texts

PAGE = "pages/usage.py"
DEMO = pd.read_csv(ROOT / "data" / "SYNTHETIC_demo_usage.csv")
CATALOGUE = pd.read_csv(ROOT / "data" / "instruments.csv")


def matching(query: dict) -> tuple[int, int]:
    """Records and organisations the filters in `query` should leave, computed straight from the CSV."""
    rows = DEMO.merge(CATALOGUE[["instrument_id", "family"]], on="instrument_id")
    columns = {
        "country": "country",
        "sse_type": "sse_type",
        "sector": "sector",
        "family": "family",
        "instrument": "instrument_id",
    }
    for key, column in columns.items():
        if key in query:
            rows = rows[rows[column].isin(query[key])]
    if "years" in query:
        low, high = sorted(int(y) for y in query["years"])
        rows = rows[rows["year"].between(low, high)]
    return len(rows), rows["org_id"].nunique()


def counts_caption(at) -> tuple[int, int]:
    text = next(c.value for c in at.caption if "match the filters" in c.value)
    records, organisations = re.findall(r"([\d,]+) records of ([\d,]+) organisations", text)[0]
    return int(records.replace(",", "")), int(organisations.replace(",", ""))


def share_link(at) -> str:
    return next(c.value for c in at.code if "v=1" in c.value and not c.value.startswith("SSE"))


def test_defaults_show_every_record_the_mix_and_the_synthetic_badge():
    at = run_page(PAGE)
    assert not at.exception
    assert counts_caption(at) == matching({})
    assert len(at.get("plotly_chart")) == 1
    assert "SYNTHETIC demo data]" in texts(at)  # the badge (st.badge renders as Markdown)


@pytest.mark.parametrize(
    "query",
    [
        {"country": ["KEN"]},
        {"country": ["KEN", "ITA"]},
        {"years": ["2018", "2020"]},
        {"sse_type": ["mutual"]},
        {"sector": ["finance"]},
        {"family": ["EXT_FINCOOP"]},
        {"instrument": ["sacco_cu_loan", "microcredit"]},
        {"country": ["KEN"], "sse_type": ["cooperative"], "years": ["2020", "2024"]},
    ],
)
def test_each_filter_from_the_link_restricts_the_records(query):
    at = run_page(PAGE, query)
    assert not at.exception
    expected = matching(query)
    assert 0 < expected[0] < len(DEMO)
    assert counts_caption(at) == expected


def test_changing_a_filter_in_the_sidebar_updates_the_counts_and_the_share_link():
    at = run_page(PAGE)
    at.multiselect(key="country").set_value(["ITA"]).run()
    assert counts_caption(at) == matching({"country": ["ITA"]})
    query = parse_qs(urlsplit(share_link(at)).query)
    assert query["country"] == ["ITA"]


def test_share_link_writes_every_parameter_defaults_included():
    at = run_page(PAGE, {"country": ["KEN", "ITA"], "mix_by": "country", "scale": "percent"})
    query = parse_qs(urlsplit(share_link(at)).query)
    assert query["v"] == ["1"] and query["country"] == ["KEN", "ITA"]
    assert query["mix_by"] == ["country"] and query["scale"] == ["percent"]
    assert query["instrument"] == ["*"] and query["years"] == ["2015", "2024"] and query["view"] == ["Mix"]


def test_a_shared_link_opens_the_same_view():
    first = run_page(PAGE, {"country": ["KEN"], "sse_type": ["cooperative"], "view": "Trend", "scale": "percent"})
    query = parse_qs(urlsplit(share_link(first)).query)
    second = run_page(PAGE, query)
    assert counts_caption(second) == counts_caption(first)
    assert share_link(second) == share_link(first)


def test_unknown_values_in_a_link_are_dropped_with_a_visible_note():
    at = run_page(PAGE, {"country": ["KEN", "ATLANTIS"], "scale": "huge", "colour": "red"})
    assert not at.exception
    note = plain(" ".join(i.value for i in at.info))
    assert "country=ATLANTIS" in note and "scale=huge" in note and "colour=red" in note
    assert counts_caption(at) == matching({"country": ["KEN"]})


@pytest.mark.parametrize("view", ["Mix", "Organisations", "Trend", "Heatmap", "Map", "Amounts"])
def test_every_view_draws_a_chart_with_its_data(view):
    at = run_page(PAGE, {"view": view, "country": ["KEN", "ITA"]})
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    assert any(e.label == "Data behind this chart" for e in at.expander)


def test_currency_basis_only_adds_one_currency_and_says_so():
    at = run_page(PAGE, {"money": "KES"})
    assert "never added together" in texts(at)


def test_empty_filters_give_a_helpful_empty_state():
    at = run_page(PAGE, {"country": ["KEN"], "instrument": ["titres_associatifs"]})
    assert not at.exception
    assert "No usage records match these filters" in texts(at)
    assert not at.get("plotly_chart")


def test_years_given_last_first_are_read_in_order_with_a_note():
    at = run_page(PAGE, {"years": ["2021", "2019"]})
    assert not at.exception
    assert counts_caption(at) == matching({"years": ["2019", "2021"]})
    note = plain(" ".join(i.value for i in at.info))
    assert "years=2021&2019 (read as 2019–2021)" in note
    assert parse_qs(urlsplit(share_link(at)).query)["years"] == ["2019", "2021"]
    assert at.query_params["years"] == ["2019", "2021"] and at.slider(key="years").value == (2019, 2021)


# The keys each money view's table is grouped by.
GROUPED_BY = {"Mix": ["sse_type", "family"], "Trend": ["year", "family"], "Heatmap": ["instrument_id", "country"]}
GROUPED_BY["Map"] = ["country"]


def in_money(rows: pd.DataFrame, money: str) -> tuple[pd.DataFrame, str]:
    """The CSV rows a money basis adds up and the column it adds: amount_usd where given, else one currency."""
    if money == "usd":
        return rows[rows["amount_usd"].notna()], "amount_usd"
    return rows[rows["currency"] == money], "amount"


@pytest.mark.parametrize(("view", "money"), [(view, "usd") for view in GROUPED_BY] + [("Mix", "USD"), ("Map", "EUR")])
def test_the_data_behind_each_money_view_is_a_plain_sum_of_the_csv(view, money):
    at = run_page(PAGE, {"view": view, "money": money})
    table = data_behind(at, view)
    keys = GROUPED_BY[view]
    rows, column = in_money(DEMO.merge(CATALOGUE[["instrument_id", "family"]], on="instrument_id"), money)
    expected = rows.groupby(keys)[column].sum()
    shown = table.astype(dict.fromkeys(keys, str)).set_index(keys)["value"]
    expected.index = expected.index.map(lambda k: tuple(str(v) for v in k) if isinstance(k, tuple) else str(k))
    assert len(shown) == len(expected) > 1
    pd.testing.assert_series_equal(
        shown.sort_index(),
        expected.sort_index(),
        check_names=False,
        check_index_type=False,
        check_dtype=False,
        rtol=1e-9,
    )
    if view == "Map":
        organisations = rows.groupby("country")["org_id"].nunique()
        assert dict(zip(table["country"].astype(str), table["organisations"], strict=True)) == organisations.to_dict()


def test_the_data_behind_the_organisations_view_counts_each_organisation_once():
    at = run_page(PAGE, {"view": "Organisations"})
    table = data_behind(at, "Organisations")
    expected = DEMO.groupby("instrument_id")["org_id"].nunique()
    assert dict(zip(table["instrument_id"].astype(str), table["value"], strict=True)) == expected.to_dict()
    assert table["share"].to_numpy() == pytest.approx(table["value"].to_numpy() / DEMO["org_id"].nunique() * 100)


@pytest.mark.parametrize("money", ["usd", "KES"])
def test_the_data_behind_the_amounts_view_counts_the_records_in_each_band(money):
    at = run_page(PAGE, {"view": "Amounts", "money": money})
    table = data_behind(at, "Amounts")
    rows, column = in_money(DEMO, money)
    amounts = rows[column]
    assert table["value"].sum() == len(rows)
    for band in table.itertuples():
        assert band.value == ((amounts >= band.lower) & (amounts < band.upper)).sum(), band.band
