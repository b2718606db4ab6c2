"""Pure filters and aggregates."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from languages import in_language

from sse_dash import transform

CATALOGUE = pd.DataFrame(
    {
        "instrument_id": ["member_shares", "sacco_cu_loan", "public_grant"],
        "name": ["Member shares", "SACCO loan", "Public grant"],
        "family": ["INT_MEMBER", "EXT_FINCOOP", "PUBLIC_PHIL"],
        "origin": ["internal", "external", "external"],
        "life_stages": ["start_up|growth", "growth", "pre_start"],
        "sse_types": ["cooperative", "cooperative|informal_group", "association"],
        "instrument_type": ["equity", "debt", "grant"],
        "collateral": ["none", "savings_pledge", "none"],
        "control_impact": ["membership_rights", "membership_rights", "covenants"],
    }
)


def usage_rows() -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "org_id": ["A", "A", "A", "B", "C", "D"],
            "country": ["KEN", "KEN", "KEN", "ITA", "ITA", "KEN"],
            "year": [2020, 2020, 2021, 2020, 2021, 2021],
            "sse_type": ["cooperative", "cooperative", "cooperative", "association", "cooperative", "informal_group"],
            "instrument_id": [
                "sacco_cu_loan",
                "sacco_cu_loan",
                "member_shares",
                "public_grant",
                "member_shares",
                "sacco_cu_loan",
            ],
            "amount": [100.0, 50.0, 10.0, 1000.0, 30.0, 5.0],
            "currency": ["KES", "KES", "KES", "EUR", "EUR", "KES"],
            "sector": ["agriculture", "agriculture", "agriculture", "culture", "retail", "agriculture"],
            "life_stage": ["growth", "growth", "growth", "start_up", "growth", "pre_start"],
            "amount_usd": [1.0, 0.5, 0.1, 1080.0, 32.4, np.nan],
        }
    )
    for column in ("country", "sse_type", "instrument_id", "currency", "sector", "life_stage", "org_id"):
        rows[column] = rows[column].astype("category")
    return transform.with_catalogue_columns(rows, CATALOGUE)


def test_with_catalogue_columns_adds_family_and_origin():
    rows = usage_rows()
    assert list(rows["family"].astype(str)) == [
        "EXT_FINCOOP",
        "EXT_FINCOOP",
        "INT_MEMBER",
        "PUBLIC_PHIL",
        "INT_MEMBER",
        "EXT_FINCOOP",
    ]
    assert list(rows["origin"].astype(str))[:3] == ["external", "external", "internal"]


@pytest.mark.parametrize(
    ("chosen", "orgs"),
    [
        (transform.UsageFilter(), ["A", "A", "A", "B", "C", "D"]),
        (transform.UsageFilter(countries=("ITA",)), ["B", "C"]),
        (transform.UsageFilter(years=(2021, 2021)), ["A", "C", "D"]),
        (transform.UsageFilter(sse_types=("association", "informal_group")), ["B", "D"]),
        (transform.UsageFilter(sectors=("retail",)), ["C"]),
        (transform.UsageFilter(families=("INT_MEMBER",)), ["A", "C"]),
        (transform.UsageFilter(instruments=("public_grant",)), ["B"]),
        (transform.UsageFilter(countries=("KEN",), instruments=("sacco_cu_loan",), years=(2021, 2024)), ["D"]),
        (transform.UsageFilter(countries=("FRA",)), []),
        (transform.UsageFilter(countries=("ITA",), sse_types=("cooperative",)), ["C"]),  # both must hold
    ],
)
def test_filter_usage(chosen, orgs):
    rows = usage_rows()
    before = rows.copy()
    assert list(transform.filter_usage(rows, chosen)["org_id"].astype(str)) == orgs
    pd.testing.assert_frame_equal(rows, before)


def test_has_rows_is_true_for_rows_and_false_for_none():
    assert transform.has_rows(usage_rows()) and not transform.has_rows(usage_rows().iloc[:0])


def test_usd_basis_leaves_out_rows_without_usd():
    rows, basis = transform.money_basis(usage_rows(), "usd")
    assert basis.currency == "USD" and basis.rows_left_out == 1 and len(rows) == 5
    assert basis == transform.MoneyBasis("amount_usd", "USD", 1, 5)  # the rows it keeps: the page's empty state
    every = usage_rows().dropna(subset=["amount_usd"])
    rows, basis = transform.money_basis(every, "usd")
    assert (basis.rows_left_out, basis.rows_kept, len(rows)) == (0, 5, 5)


def test_currency_basis_only_adds_that_currency():
    rows, basis = transform.money_basis(usage_rows(), "KES")
    assert set(rows["currency"].astype(str)) == {"KES"} and basis.rows_left_out == 2
    assert basis == transform.MoneyBasis("amount", "KES", 2, len(rows))  # the rows it leaves out and keeps
    mix = transform.financing_mix(rows, "country", "amount", basis)
    assert mix["value"].sum() == pytest.approx(165.0)


def test_money_options_put_usd_first_then_currencies_by_use():
    assert transform.money_options(usage_rows()) == ["usd", "KES", "EUR"]


def test_financing_mix_shares_add_up_within_each_group():
    rows, basis = transform.money_basis(usage_rows(), "usd")
    mix = transform.financing_mix(rows, "sse_type", "amount", basis)
    assert mix.groupby("sse_type", observed=True)["share"].sum().round(6).eq(100).all()
    coops = mix[mix["sse_type"] == "cooperative"].set_index("family")["value"]
    assert coops["EXT_FINCOOP"] == pytest.approx(1.5) and coops["INT_MEMBER"] == pytest.approx(32.5)


def test_uses_count_records_without_money():
    mix = transform.financing_mix(usage_rows(), "country", "uses", None)
    assert mix.set_index(["country", "family"]).loc[("KEN", "EXT_FINCOOP"), "value"] == 3


def test_organisations_using_counts_each_organisation_once():
    table = transform.organisations_using(usage_rows()).set_index("instrument_id")
    assert table.loc["sacco_cu_loan", "value"] == 2  # A twice and D
    assert table.loc["sacco_cu_loan", "share"] == pytest.approx(50.0)  # of 4 organisations


def test_trend_and_heatmap_shares():
    rows, basis = transform.money_basis(usage_rows(), "usd")
    trend = transform.trend(rows, "amount", basis)
    assert trend.groupby("year")["share"].sum().round(6).eq(100).all()
    heat = transform.instrument_by_country(rows, "amount", basis)
    assert heat.groupby("country", observed=True)["share"].sum().round(6).eq(100).all()


def test_by_country_counts_organisations():
    table = transform.by_country(usage_rows(), "uses", None).set_index("country")
    assert table.loc["KEN", "organisations"] == 2 and table.loc["ITA", "organisations"] == 2
    assert table["share"].sum() == pytest.approx(100)


def test_amount_histogram_bands_cover_every_record():
    rows, basis = transform.money_basis(usage_rows(), "KES")
    table = transform.amount_histogram(rows, basis)
    assert table["value"].sum() == len(rows)
    assert list(table["band"]) == ["0–10", "10–100", "100–1k"]  # the first band starts at zero


def test_labelled_adds_names_next_to_codes():
    table = transform.labelled(transform.organisations_using(usage_rows()), CATALOGUE)
    assert list(table.columns[:4]) == ["instrument_id", "instrument", "family", "family_label"]


@pytest.mark.parametrize(("code", "germany"), [("en", "Germany"), ("fr", "Allemagne"), ("es", "Alemania")])
def test_countries_are_named_in_the_language_of_the_run_and_kosovo_by_its_own_name(code, germany):
    table = pd.DataFrame({"country": ["DEU", "XKX", "ZZZ"], "value": [1, 2, 3]})
    named = in_language(code, transform.labelled, table, CATALOGUE)
    assert list(named["country_name"]) == [germany, "Kosovo", "ZZZ"]  # XKX has no ISO code; an unknown code stays


def test_a_key_space_past_64_bit_integers_is_grouped_by_pandas():
    # Eight keys of 256 values each: 256**8 combinations is 2**64, which a 64-bit product would wrap to 0.
    keys = [f"k{i}" for i in range(8)]
    frame = pd.DataFrame({key: np.arange(256, dtype="int64") for key in keys}).assign(amount=np.arange(256.0))
    for value in ("amount", None):
        table = transform.totals(frame, keys, value)
        expected = frame.groupby(keys).size() if value is None else frame.groupby(keys)["amount"].sum()
        assert table["value"].tolist() == expected.tolist() and len(table) == 256
        assert table[keys].to_numpy().tolist() == [[i] * 8 for i in range(256)]
    counted = transform.distinct_counts(frame.assign(org=np.arange(256) % 3), keys, "org")
    assert counted["value"].tolist() == [1] * 256


FIGURES = pd.DataFrame(
    {
        "indicator": ["m", "m", "m", "m", "other"],
        "indicator_name": ["Members"] * 4 + ["Other"],
        "geography": ["World", "World", "World", "Kenya", "World"],
        "breakdown": [None] * 5,
        "year": [2010, 2014, 2015, 2014, 2020],
        "value": [100.0, 150.0, 160.0, 10.0, 1.0],
        "qualifier": [None, "more_than", None, None, None],
        "unit": ["persons"] * 5,
        "instrument_id": ["sacco_cu_loan"] * 4 + [None],
        "source_id": ["s1", "s2", "s2", "s3", "s4"],
        "note": [
            "Coverage changes. 100 countries.",
            "Coverage changes. 105 countries.",
            "Coverage changes.",
            "Kenya only.",
            "",
        ],
    }
)


def test_figure_series_keeps_gaps_and_never_interpolates():
    series = transform.figure_series(FIGURES, "m", ("World",))
    world = series.set_index("year")["plotted"]
    assert list(world.index) == list(range(2010, 2016))
    assert world[[2011, 2012, 2013]].isna().all()
    assert world[2014] == 150.0


def test_relative_mode_indexes_each_series_to_its_first_year():
    series = transform.figure_series(FIGURES, "m", relative=True).dropna(subset=["plotted"])
    first = series.groupby("series")["plotted"].first()
    assert first.eq(100).all()
    assert series.set_index(["series", "year"]).loc[("World", 2015), "plotted"] == pytest.approx(160)


def test_series_by_indicator_lists_each_indicators_series_once_sorted():
    assert transform.series_by_indicator(FIGURES) == {"m": ["Kenya", "World"], "other": ["World"]}
    with_breakdown = FIGURES.assign(breakdown=[None, None, None, "women", None])
    assert transform.series_by_indicator(with_breakdown)["m"] == ["Kenya · women", "World"]


def test_default_series_prefers_world():
    assert transform.default_series(FIGURES, "m") == ["World"]


def test_series_notes_say_shared_sentences_once():
    common, table = transform.series_notes(FIGURES, "m", ("World",))
    assert common == ["Coverage changes."]
    assert list(table["note"]) == ["100 countries.", "105 countries."]


@pytest.mark.parametrize(
    ("chosen", "ids"),
    [
        (transform.CatalogueFilter(origins=("internal",)), ["member_shares"]),
        (transform.CatalogueFilter(life_stages=("growth",)), ["member_shares", "sacco_cu_loan"]),
        (transform.CatalogueFilter(sse_types=("informal_group", "association")), ["sacco_cu_loan", "public_grant"]),
        (transform.CatalogueFilter(collaterals=("none",), control_impacts=("covenants",)), ["public_grant"]),
        (transform.CatalogueFilter(instrument_types=("debt",), families=("EXT_FINCOOP",)), ["sacco_cu_loan"]),
        (transform.CatalogueFilter(families=("INT_MEMBER",), collaterals=("none",)), ["member_shares"]),
        (transform.CatalogueFilter(life_stages=("growth",), sse_types=("association",)), []),
        (transform.CatalogueFilter(origins=("external",), sse_types=("cooperative",)), ["sacco_cu_loan"]),
    ],
)
def test_filter_catalogue(chosen, ids):
    assert list(transform.filter_catalogue(CATALOGUE, chosen)["instrument_id"]) == ids


# --- the array-based aggregates agree with pandas' group-by on any frame ----------------------------------------


@st.composite
def random_usage(draw) -> pd.DataFrame:
    size = draw(st.integers(0, 60))
    country = draw(st.lists(st.sampled_from(["KEN", "ITA", "BRA", None]), min_size=size, max_size=size))
    org = draw(st.lists(st.sampled_from(["o1", "o2", "o3", "o4", None]), min_size=size, max_size=size))
    year = draw(st.lists(st.integers(1995, 2025), min_size=size, max_size=size))
    amount = draw(st.lists(st.one_of(st.none(), st.floats(0, 1e9, allow_nan=False)), min_size=size, max_size=size))
    return pd.DataFrame(
        {
            # unused categories on purpose: filtered frames keep every category
            "country": pd.Categorical(country, categories=["BRA", "ITA", "KEN", "USA"]),
            "org_id": pd.Categorical(org, categories=["o1", "o2", "o3", "o4", "o5"]),
            "year": np.array(year, dtype="int64"),
            "amount": pd.array(amount, dtype="float64"),
        }
    )


def grouped(frame: pd.DataFrame, keys: list[str], how: str, column: str | None = None) -> pd.DataFrame:
    groups = frame.groupby(keys, observed=True, sort=True)
    result = groups.size() if how == "size" else getattr(groups[column], how)()
    return result.rename("value").reset_index()


@pytest.mark.parametrize("small", [None, "pairs", "groupby"], ids=["arrays", "hashed-pairs", "groupby-fallback"])
@given(frame=random_usage())
@settings(max_examples=60, deadline=None)
def test_totals_and_distinct_counts_equal_pandas_groupby(small, frame):
    limits = (transform.MAX_CELLS, transform.MAX_SEEN)
    if small == "pairs":
        transform.MAX_SEEN = 1
    elif small == "groupby":
        transform.MAX_CELLS = 1
    try:
        for keys in (["country"], ["year"], ["country", "year"]):
            pd.testing.assert_frame_equal(transform.totals(frame, keys, None), grouped(frame, keys, "size"))
            pd.testing.assert_frame_equal(
                transform.totals(frame, keys, "amount"), grouped(frame, keys, "sum", "amount")
            )
            pd.testing.assert_frame_equal(
                transform.distinct_counts(frame, keys, "org_id"),
                grouped(frame, keys, "nunique", "org_id"),
                check_dtype=False,
            )
        assert transform.distinct(frame["org_id"]) == frame["org_id"].nunique()
    finally:
        transform.MAX_CELLS, transform.MAX_SEEN = limits


@given(frame=random_usage(), wanted=st.lists(st.sampled_from(["KEN", "ITA", "USA", "XXX"]), max_size=3))
@settings(max_examples=60, deadline=None)
def test_is_in_equals_pandas_isin(frame, wanted):
    expected = frame["country"].isin(wanted).to_numpy()
    assert (transform.is_in(frame["country"], tuple(wanted)) == expected).all()
    assert (transform.is_in(frame["country"].astype(object), tuple(wanted)) == expected).all()


@given(frame=random_usage())
@settings(max_examples=60, deadline=None)
def test_present_values_are_the_distinct_non_missing_values(frame):
    for column in ("country", "org_id", "year"):
        assert transform.present_values(frame[column]) == {str(v) for v in frame[column].dropna().unique()}


# --- money totals equal a plain sum of the rows in that money --------------------------------------------------


@st.composite
def money_rows(draw) -> pd.DataFrame:
    size = draw(st.integers(1, 40))

    def column(values):
        return draw(st.lists(values, min_size=size, max_size=size))

    rows = pd.DataFrame(
        {
            "org_id": column(st.sampled_from(["o1", "o2", "o3"])),
            "country": column(st.sampled_from(["KEN", "ITA", "USA"])),
            "year": np.array(column(st.integers(2018, 2022)), dtype="int64"),
            "sse_type": column(st.sampled_from(["cooperative", "association"])),
            "life_stage": column(st.sampled_from(["start_up", "growth"])),
            "instrument_id": column(st.sampled_from(list(CATALOGUE["instrument_id"]))),
            "currency": column(st.sampled_from(["USD", "KES", "EUR"])),
            "amount": column(st.floats(0, 1e9)),
            "amount_usd": column(st.one_of(st.none(), st.floats(0, 1e9))),
        }
    )
    rows["amount_usd"] = rows["amount_usd"].astype("float64")
    for name in ("org_id", "country", "sse_type", "life_stage", "instrument_id", "currency"):
        rows[name] = rows[name].astype("category")
    return transform.with_catalogue_columns(rows, CATALOGUE)


@given(rows=money_rows())
@settings(max_examples=60, deadline=None)
def test_money_totals_equal_a_plain_sum_of_the_rows_in_that_money(rows):
    """US dollars: the publisher's amount_usd of every row that has one (whatever its currency); a currency: the
    amount of the rows recorded in it. Every view's table adds up to that sum, computed here row by row."""
    records = rows.to_dict("records")
    for money in transform.money_options(rows):
        if money == "usd":
            kept = [r["amount_usd"] for r in records if r["amount_usd"] == r["amount_usd"]]  # not NaN
        else:
            kept = [r["amount"] for r in records if r["currency"] == money]
        expected = sum(kept)
        chosen, basis = transform.money_basis(rows, money)
        assert basis.rows_left_out == len(records) - len(kept)
        tables = [transform.financing_mix(chosen, by, "amount", basis) for by in ("sse_type", "country", "life_stage")]
        tables += [
            transform.trend(chosen, "amount", basis),
            transform.instrument_by_country(chosen, "amount", basis),
            transform.by_country(chosen, "amount", basis),
        ]
        for table in tables:
            assert table["value"].sum() == pytest.approx(expected, rel=1e-9, abs=1e-6), money
        assert transform.amount_histogram(chosen, basis)["value"].sum() == len(kept)
    for table in (transform.financing_mix(rows, "country", "uses", None), transform.trend(rows, "uses", None)):
        assert table["value"].sum() == len(records)


# --- labels, bands and notes, word for word ---------------------------------------------------------------------


def test_labelled_names_every_code_column_and_keeps_unknown_codes():
    table = pd.DataFrame(
        {
            "country": ["KEN", "XXX"],
            "instrument_id": ["sacco_cu_loan", "not_in_catalogue"],
            "family": ["EXT_FINCOOP", "NEW"],
            "sse_type": ["cooperative", "guild"],
            "life_stage": ["start_up", "later"],
            "value": [1, 2],
        }
    )
    out = transform.labelled(table, CATALOGUE)
    assert list(out.columns) == [
        "country",
        "country_name",
        "instrument_id",
        "instrument",
        "family",
        "family_label",
        "sse_type",
        "sse_type_label",
        "life_stage",
        "life_stage_label",
        "value",
    ]
    assert list(out.iloc[0]) == [
        "KEN",
        "Kenya",
        "sacco_cu_loan",
        "SACCO loan",
        "EXT_FINCOOP",
        "External: financial cooperatives",
        "cooperative",
        "Cooperative",
        "start_up",
        "Start-up",
        1,
    ]
    assert list(out.iloc[1]) == ["XXX", "XXX", "not_in_catalogue", "not_in_catalogue", "NEW", "NEW"] + [
        "guild",
        "guild",
        "later",
        "later",
        2,
    ]
    with pytest.raises(ValueError):  # a catalogue whose columns differ in length is an error, not a guess
        transform.labelled(table, {"instrument_id": ["a", "b"], "name": ["A"]})


@pytest.mark.parametrize(
    ("amounts", "bands", "counts"),
    [
        ([0.5, 3.0, 9.99], ["0–10"], [3]),
        ([5.0, 50.0, 5e3, 5e3], ["0–10", "10–100", "100–1k", "1k–10k"], [1, 1, 0, 2]),
        ([2e6, 2e9, 2e12], None, None),
    ],
)
def test_amount_bands_are_powers_of_ten_with_short_labels(amounts, bands, counts):
    frame = pd.DataFrame({"amount": amounts})
    table = transform.amount_histogram(frame, transform.MoneyBasis("amount", "KES"))
    if bands is None:
        assert list(table["band"])[0] == "1M–10M" and list(table["band"])[3] == "1bn–10bn"
        assert list(table["band"])[-1] == "1tn–10tn" and table["value"].sum() == 3
        return
    assert list(table["band"]) == bands and list(table["value"]) == counts
    assert table["share"].sum() == pytest.approx(100)
    assert list(table["lower"])[1:] == [10**e for e in range(1, len(bands))]


def test_no_amounts_give_an_empty_band_table_with_its_columns():
    table = transform.amount_histogram(pd.DataFrame({"amount": [np.nan]}), transform.MoneyBasis("amount", "KES"))
    assert table.empty and list(table.columns) == ["band", "lower", "upper", "value", "share"]
    one = transform.amount_histogram(pd.DataFrame({"amount": [12]}), transform.MoneyBasis("amount", "KES"))
    assert list(one["band"]) == ["10–100"] and list(one["value"]) == [1]


@pytest.mark.parametrize(
    ("measure", "basis", "label"),
    [
        ("amount", transform.MoneyBasis("amount_usd", "USD"), "Amount (USD)"),
        ("amount", None, "Amount"),
        ("uses", None, "Records"),
        ("orgs", None, "Organisations"),
    ],
)
def test_value_label(measure, basis, label):
    assert transform.value_label(measure, basis) == label


def test_series_notes_keep_each_series_own_sentences_joined_by_a_space():
    figures = FIGURES.assign(note=["A. B. Shared.", "C. Shared.", "Shared.", "Kenya only.", ""])
    common, table = transform.series_notes(figures, "m", ("World",))
    assert common == ["Shared."]
    assert list(table.columns) == ["series", "year", "note"]
    assert list(table["note"]) == ["A. B.", "C."]
    alone, table = transform.series_notes(figures, "m", ("Kenya",))
    assert alone == [] and list(table["note"]) == ["Kenya only."]  # one note: nothing is 'shared'


# --- the published-figures page's tables (indicator_table, series_sources, unlisted_sources) ---------------

FIGURE_CATALOGUE = pd.DataFrame(
    {
        "instrument_id": ["member_shares", "sacco_cu_loan", "credit_union_loan", "public_grant"],
        "name": ["Member shares", "SACCO loan", "Credit union loan", "Public grant"],
        "family": ["INT_MEMBER", "EXT_FINCOOP", "EXT_FINCOOP", "PUBLIC_PHIL"],
    }
)


def indicator_rows() -> pd.DataFrame:
    """Rows out of year order, with an indicator renamed between editions and two not tied to an instrument."""
    rows = [  # indicator, name, unit, instrument, year
        ("grants", "Grants paid", "USD", "public_grant", 2019),
        ("grants", "Grants paid", "USD", "public_grant", 2018),
        ("loans_b", "Loans outstanding", "USD", "sacco_cu_loan", 2019),
        ("loans_b", "Loans outstanding", "USD", "sacco_cu_loan", 2015),
        ("free", None, "%", None, 2000),
        ("members", "Member count", "persons", "member_shares", 2020),
        ("members", "Members", "people", "member_shares", 2012),
        ("loans_a", "Borrowers", "persons", "sacco_cu_loan", 2016),
        ("cu", "Zeta members", "persons", "credit_union_loan", 2017),
        ("alpha", "Alpha", "%", None, 2001),
        ("alpha", "Alpha", "%", None, 2003),
    ]
    figures = pd.DataFrame(rows, columns=["indicator", "indicator_name", "unit", "instrument_id", "year"])
    figures["value"] = 1.0
    figures["instrument_id"] = figures["instrument_id"].astype("category")  # as the bundle loads it
    return figures


def test_indicator_table_orders_by_family_then_instrument_then_name():
    table = transform.indicator_table(indicator_rows(), FIGURE_CATALOGUE)
    # INT_MEMBER, then EXT_FINCOOP ('Credit union loan' before 'SACCO loan', whose two indicators by name),
    # PUBLIC_PHIL, then the indicators tied to no instrument (no family), by name.
    assert list(table["indicator"]) == ["members", "cu", "loans_a", "loans_b", "grants", "alpha", "free"]
    assert list(table["instrument"]) == [
        "Member shares",
        "Credit union loan",
        "SACCO loan",
        "SACCO loan",
        "Public grant",
        "Not tied to one instrument",
        "Not tied to one instrument",
    ]
    assert list(table["family"][:5]) == ["INT_MEMBER", "EXT_FINCOOP", "EXT_FINCOOP", "EXT_FINCOOP", "PUBLIC_PHIL"]
    assert table["family"][5:].isna().all()
    assert list(table.index) == list(range(7))
    assert list(table.columns) == [
        "indicator", "indicator_name", "unit", "instrument_id", "rows", "first_year", "last_year", "instrument", "family"
    ]  # fmt: skip


def test_indicator_table_counts_rows_and_years_and_names_each_indicator_as_first_published():
    table = transform.indicator_table(indicator_rows(), FIGURE_CATALOGUE).set_index("indicator")
    assert table.loc["members", "indicator_name"] == "Members"  # the 2012 name, not the 2020 one
    assert table.loc["members", "unit"] == "people"
    assert table.loc["free", "indicator_name"] == "free"  # no name: the code stands for it
    assert table.loc["members", "instrument_id"] == "member_shares"
    assert pd.isna(table.loc["free", "instrument_id"])
    assert table.loc["loans_b", ["rows", "first_year", "last_year"]].tolist() == [2, 2015, 2019]
    assert table.loc["alpha", ["rows", "first_year", "last_year"]].tolist() == [2, 2001, 2003]
    assert table.loc["cu", ["rows", "first_year", "last_year"]].tolist() == [1, 2017, 2017]
    assert "_order" not in table.columns


SOURCES = pd.DataFrame({"source_id": ["s1", "s2", "s3", "s9"], "title": ["One", "Two", "Three", "Nine"]})


def test_series_sources_are_the_listed_sources_of_the_rows_shown():
    assert list(transform.series_sources(FIGURES, SOURCES, "m", ("World",))["source_id"]) == ["s1", "s2"]
    assert list(transform.series_sources(FIGURES, SOURCES, "m", ("Kenya",))["source_id"]) == ["s3"]
    assert list(transform.series_sources(FIGURES, SOURCES, "m", ())["source_id"]) == ["s1", "s2", "s3"]
    assert transform.series_sources(FIGURES, SOURCES, "other", ()).empty  # s4 is not listed


def test_unlisted_sources_name_each_unknown_source_once_in_order_of_appearance():
    figures = FIGURES.assign(source_id=["u2", "s1", "u2", "u1", None])
    assert transform.unlisted_sources(figures, SOURCES, "m", ()) == ["u2", "u1"]
    assert transform.unlisted_sources(figures, SOURCES, "m", ("World",)) == ["u2"]
    assert transform.unlisted_sources(figures, SOURCES, "other", ()) == []  # a row without a source
    assert transform.unlisted_sources(FIGURES, SOURCES, "m", ()) == []


def test_money_options_offer_usd_only_when_some_row_has_it_and_each_currency_used():
    rows = usage_rows()
    rows["currency"] = rows["currency"].cat.add_categories(["GBP"])  # a currency no row uses
    rows.loc[rows["org_id"] == "B", "currency"] = "GBP"  # and one used once
    options = transform.money_options(rows)
    assert options[:2] == ["usd", "KES"] and sorted(options[2:]) == ["EUR", "GBP"]  # EUR and GBP once each
    without_usd = rows.assign(amount_usd=np.nan)
    assert "usd" not in transform.money_options(without_usd)
    assert "usd" not in transform.money_options(rows.drop(columns="amount_usd"))
    unused = usage_rows()
    unused["currency"] = unused["currency"].cat.add_categories(["GBP"])
    assert transform.money_options(unused) == ["usd", "KES", "EUR"]


def test_shares_of_a_small_group_and_of_an_empty_one():
    table = pd.DataFrame({"group": ["a", "a", "b"], "value": [0.25, 0.25, 0.0]})
    shares = transform.with_shares(table, ["group"])["share"]
    assert shares.dtype == float
    assert list(shares[:2]) == [50.0, 50.0] and np.isnan(shares[2])  # a group adding up to nothing has no shares


# --- edges found by the mutation check (#12, fifth session) -------------------------------------------------


def test_a_usage_row_without_an_instrument_has_no_family_or_origin():
    rows = pd.DataFrame({"instrument_id": pd.Categorical(["public_grant", None, "unknown", "member_shares"])})
    out = transform.with_catalogue_columns(rows, CATALOGUE)
    assert out["family"].tolist()[0::3] == ["PUBLIC_PHIL", "INT_MEMBER"]
    assert out["family"].isna().tolist() == [False, True, True, False]
    assert out["origin"].isna().tolist() == [False, True, True, False]
    assert list(out["family"].cat.categories) == list(transform.FAMILIES)


def test_is_in_reads_plain_and_categorical_columns_alike():
    plain = pd.Series(["KEN", "ITA", None, "BRA"])
    for column in (plain, plain.astype("category")):
        assert transform.is_in(column, ("KEN", "BRA", "USA")).tolist() == [True, False, False, True]


def test_organisations_are_ranked_most_used_first_and_ties_by_instrument_id():
    table = pd.DataFrame({"instrument_id": ["c", "b", "a"], "family": ["F", "F", "F"], "value": [2, 1, 2]})
    ranked = transform.ranked_by_organisations(table, 4)
    assert ranked["instrument_id"].tolist() == ["a", "c", "b"]
    assert ranked["share"].tolist() == [50.0, 50.0, 25.0]  # of 4 organisations
    assert list(ranked.columns) == ["instrument_id", "family", "value", "share"]
    assert list(ranked.index) == [0, 1, 2]
    assert table["instrument_id"].tolist() == ["c", "b", "a"]  # the input is left as it is
    nobody = transform.ranked_by_organisations(table, 0)  # rows whose organisation is missing
    assert nobody["share"].isna().all()


def test_organisations_using_ranks_the_instruments_of_usage_rows():
    table = transform.organisations_using(usage_rows())
    # member_shares: A and C; sacco_cu_loan: A (twice) and D; public_grant: B; 4 organisations in all
    assert table["instrument_id"].astype(str).tolist() == ["member_shares", "sacco_cu_loan", "public_grant"]
    assert table["family"].astype(str).tolist() == ["INT_MEMBER", "EXT_FINCOOP", "PUBLIC_PHIL"]
    assert table["value"].tolist() == [2, 2, 1] and table["share"].tolist() == [50.0, 50.0, 25.0]


@pytest.mark.parametrize(
    ("measure", "basis", "column"),
    [
        ("amount", transform.MoneyBasis("amount_usd", "USD"), "amount_usd"),
        ("amount", transform.MoneyBasis("amount", "KES"), "amount"),
        ("amount", None, None),
        ("uses", transform.MoneyBasis("amount_usd", "USD"), None),  # records are counted whatever the money
        ("orgs", transform.MoneyBasis("amount", "KES"), None),
    ],
)
def test_only_amounts_add_up_a_money_column(measure, basis, column):
    assert transform.aggregated_column(measure, basis) == column


def test_two_series_that_share_a_sentence_say_it_once():
    figures = FIGURES.assign(note=["Shared. Own one.", "Shared. Own two.", "Shared.", "Kenya only.", ""])
    rows = figures[figures["year"] != 2015]  # two World rows, 2010 and 2014
    common, table = transform.series_notes(rows, "m", ("World",))
    assert common == ["Shared."]
    assert list(table["note"]) == ["Own one.", "Own two."]


def test_series_are_named_by_geography_alone_without_a_breakdown_column():
    figures = FIGURES.drop(columns="breakdown")
    assert transform.series_key(figures).tolist() == ["World", "World", "World", "Kenya", "World"]
    with_breakdown = FIGURES.assign(breakdown=[None, "", "women", None, None])
    assert transform.series_key(with_breakdown).tolist() == ["World", "World", "World · women", "Kenya", "World"]


def test_figure_series_plots_levels_unless_asked_for_relative_values():
    figures = FIGURES.assign(value=[50.0, 150.0, 160.0, 10.0, 1.0])
    world = transform.figure_series(figures, "m", ("World",)).set_index("year")["plotted"]
    assert world[2010] == 50.0 and world[2014] == 150.0
    relative = transform.figure_series(figures, "m", ("World",), relative=True).set_index("year")["plotted"]
    assert relative[2010] == 100.0 and relative[2014] == pytest.approx(300.0)  # 150 / 50 * 100


def test_figure_series_of_nothing_is_an_empty_table_with_a_float_plotted_column():
    empty = transform.figure_series(FIGURES, "m", ("Atlantis",))
    assert empty.empty and "plotted" in empty.columns
    assert empty["plotted"].dtype == float


def test_default_series_is_every_series_of_an_indicator_without_world():
    figures = FIGURES.assign(indicator=["m", "m", "m", "k", "other"])  # only Kenya has k; World has m
    assert transform.default_series(figures, "k") == ["Kenya"]
    assert transform.default_series(figures, "m") == ["World"]
    both = FIGURES.assign(geography=["Peru", "Peru", "Chad", "Kenya", "World"])
    assert transform.default_series(both, "m") == ["Chad", "Kenya", "Peru"]  # sorted, each once


def test_rows_missing_any_key_are_left_out_of_totals_and_distinct_counts():
    frame = pd.DataFrame(
        {
            "country": pd.Categorical([None, "KEN", "KEN", "ITA", "ITA", "KEN"]),
            "sector": pd.Categorical(["retail", None, "retail", "retail", "retail", "retail"]),
            "sse_type": pd.Categorical(["coop", "coop", "coop", "coop", "coop", None]),
            "org_id": pd.Categorical(["o1", "o2", "o3", "o4", "o5", "o6"]),
            "amount": [1.0, 2.0, 4.0, 8.0, 16.0, 32.0],
        }
    )
    # rows 2-5 have a country and a sector: (ITA, retail) 8 + 16, (KEN, retail) 4 + 32; rows 2-4 have all three
    two, three = ["country", "sector"], ["country", "sector", "sse_type"]
    assert transform.totals(frame, two, "amount")["value"].tolist() == [24.0, 36.0]
    assert transform.totals(frame, three, "amount")["value"].tolist() == [24.0, 4.0]
    for keys in (two, three):
        pd.testing.assert_frame_equal(transform.totals(frame, keys, "amount"), grouped(frame, keys, "sum", "amount"))
        pd.testing.assert_frame_equal(transform.totals(frame, keys, None), grouped(frame, keys, "size"))
        pd.testing.assert_frame_equal(
            transform.distinct_counts(frame, keys, "org_id"),
            grouped(frame, keys, "nunique", "org_id"),
            check_dtype=False,
        )


def test_each_amount_band_has_its_lower_and_upper_bound():
    table = transform.amount_histogram(
        pd.DataFrame({"amount": [5.0, 50.0, 5e3]}), transform.MoneyBasis("amount", "KES")
    )
    assert list(table.columns) == ["band", "lower", "upper", "value", "share"]
    assert table["lower"].tolist() == [0, 10, 100, 1_000]  # the first band starts at zero
    assert table["upper"].tolist() == [10, 100, 1_000, 10_000]
    assert table["value"].tolist() == [1, 1, 0, 1]
