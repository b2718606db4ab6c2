"""The finder's reasons and notes word for word (#12: mutants that change their words or order survived)."""

import math

import pandas as pd
import pytest
from languages import in_language

from sse_dash import datasets, finder
from sse_dash.finder import CRITERIA, Profile

NAN = math.nan
CATALOGUE = datasets.load_catalogue()


def scored_row(scores: dict[str, int], weights: dict[str, int] | None = None) -> pd.Series:
    """A ranked row: each criterion's score and its weighted score (score × weight, weight 1 by default)."""
    weights = weights or {}
    return pd.Series(
        {**scores, **{f"weighted_{c}": scores[c] * weights.get(c, 1) for c in CRITERIA}},
    )


def scores(**given: int) -> dict[str, int]:
    return {c: given.get(c, 3) for c in CRITERIA}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            scored_row(scores(affordability=5, patience=4, collateral_lightness=1, accessibility=2)),
            "Cheap money (5/5) and patient money (4/5); but collateral asked (1/5).",
        ),
        (scored_row(scores()), "No criterion stands out."),
        (scored_row(scores(accessibility=2)), "No criterion stands out; but harder to reach (2/5)."),
        (scored_row(scores(control_preservation=5)), "Members keep control (5/5)."),
        (scored_row(scores(affordability=4, patience=5)), "Patient money (5/5) and cheap money (4/5)."),
        # Strengths in the order of their weighted scores, not of their scores; at most two.
        (
            scored_row(scores(affordability=4, patience=5, accessibility=5), {"patience": 0}),
            "Easy to reach (5/5) and cheap money (4/5).",
        ),
        # The weakest first by score, then by weight, then in the criteria's order.
        (
            scored_row(scores(collateral_lightness=1, accessibility=1)),
            "No criterion stands out; but collateral asked (1/5).",
        ),
        (
            scored_row(scores(collateral_lightness=1, accessibility=1), {"accessibility": 3}),
            "No criterion stands out; but harder to reach (1/5).",
        ),
        (
            scored_row(scores(collateral_lightness=2, accessibility=1)),
            "No criterion stands out; but harder to reach (1/5).",
        ),
    ],
)
def test_a_reason_names_the_two_strongest_weighted_criteria_and_the_weakest(row, expected):
    assert finder.reason(row) == expected


def instrument(**given: object) -> pd.Series:
    base = {
        "countries": "",
        "requires_membership": False,
        "provider_type": "bank",
        "ticket_min": NAN,
        "ticket_max": NAN,
        "ticket_currency": NAN,
    }
    return pd.Series({**base, **given})


@pytest.mark.parametrize(
    ("row", "profile", "expected"),
    [
        (instrument(), Profile(), ""),
        (
            instrument(
                countries="FRA", requires_membership=True, ticket_min=1000, ticket_max=50000, ticket_currency="EUR"
            ),
            Profile(),
            "exists in France; needs membership of the provider; typical ticket of an example from France: "
            "EUR 1,000–50,000",
        ),
        (
            instrument(countries="FRA", ticket_min=1000, ticket_max=50000, ticket_currency="EUR"),
            Profile(country="FRA"),
            "exists in France; typical ticket EUR 1,000–50,000",
        ),
        (
            instrument(requires_membership=True, provider_type="members"),
            Profile(),
            "comes from the organisation's own members",
        ),
        (
            instrument(ticket_max=5000, ticket_currency="CAD"),
            Profile(country="KEN", amount=6000, currency="CAD"),
            "typical ticket of an example from Canada: CAD …–5,000; the ticket does not cover the amount needed",
        ),
        (
            instrument(ticket_min=100, ticket_currency="EUR"),
            Profile(amount=100, currency="EUR"),
            "typical ticket EUR 100–…; the ticket covers the amount needed",
        ),
        (
            instrument(countries="TZA|KEN", ticket_min=10, ticket_max=20, ticket_currency="KES"),
            Profile(amount=15, currency="USD"),
            "exists in Kenya and Tanzania; typical ticket KES 10–20",
        ),
        (instrument(countries="XKX"), Profile(), "exists in Kosovo"),  # a code CLDR has no name for
        (instrument(provider_type="members"), Profile(), ""),  # members provide it but need not be members
        # no currency: the ticket names no country (a missing currency is not Namibia's 'NA…')
        (instrument(ticket_min=1000, ticket_max=5000), Profile(country="KEN"), "typical ticket 1,000–5,000"),
    ],
)
def test_notes_say_where_membership_and_ticket_in_words(row, profile, expected):
    assert finder.notes(row, profile) == expected


def test_notes_are_written_in_the_language_of_the_run():
    row = instrument(countries="TZA|KEN", ticket_min=1000, ticket_max=2000, ticket_currency="KES")

    notes = in_language("fr", finder.notes, row, Profile())
    assert "Kenya et Tanzanie" in notes and "1\u202f000" in notes  # French list and digit grouping


def test_the_criteria_are_named_and_explained_in_words():
    assert finder.criterion_labels() == {
        "affordability": "Affordability",
        "patience": "Patience",
        "collateral_lightness": "Collateral-lightness",
        "control_preservation": "Control preservation",
        "accessibility": "Accessibility",
    }
    help_text = finder.criterion_help("accessibility")
    assert help_text.startswith("5, minus 1 for needing membership of a provider outside the organisation")
    assert help_text.endswith("does not cover the amount. Editorial judgment.")
    assert in_language("fr", finder.criterion_labels)["patience"] != ""


def test_the_rules_table_has_a_step_a_rule_and_how_it_works_on_every_line():
    table = finder.rules_table()
    assert list(table.columns) == ["step", "rule", "how"]
    assert len(table) == len(finder.RULES) == 10
    assert table.map(lambda cell: isinstance(cell, str) and cell != "").all().all()
    assert list(table["rule"][:7]) == [
        "SSE type", "life stage", "country", "collateral", "control", "membership", "patience"
    ]  # fmt: skip
    assert table["how"].iloc[-1].startswith("sum of weight × score over the sum of weights")


def test_the_ranking_and_the_exclusions_carry_each_instruments_name_family_and_words():
    catalogue = CATALOGUE
    profile = Profile(sse_type="cooperative", life_stage="start_up", membership_ok=False, country="KEN")
    ranking = finder.rank(catalogue, profile, finder.suggested_weights(profile))
    by_id = catalogue.set_index("instrument_id")
    assert len(ranking.ranked) and len(ranking.excluded)
    for table in (ranking.ranked, ranking.excluded):
        assert list(table["name"]) == list(table["instrument_id"].map(by_id["name"]))
        assert list(table["family"]) == list(table["instrument_id"].map(by_id["family"]))
    assert list(ranking.ranked["notes"]) == [
        finder.notes(by_id.loc[i], profile) for i in ranking.ranked["instrument_id"]
    ]
    reasons = [finder.exclusions(by_id.loc[i], profile) for i in ranking.excluded["instrument_id"]]
    assert list(ranking.excluded["reasons"]) == ["; ".join(r) for r in reasons]
    assert any(len(r) > 1 for r in reasons)  # so that the separator is seen


def test_when_nothing_fits_the_ranking_is_empty_with_its_columns():
    catalogue = CATALOGUE
    ranking = finder.rank(catalogue, Profile(sse_type="guild"), finder.suggested_weights(Profile()))
    assert ranking.ranked.empty
    for column in ("rank", "instrument_id", "name", "family", *CRITERIA, "notes", "score", "reason"):
        assert column in ranking.ranked.columns
    assert len(ranking.excluded) == len(catalogue)
    assert set(ranking.excluded["reasons"]) >= {"not used by organisations of type “guild” in the catalogue"}


def test_a_missing_or_negative_weight_counts_as_zero():
    only_affordability = {c: (1 if c == "affordability" else 0) for c in CRITERIA}
    ranked = finder.rank(CATALOGUE, Profile(), only_affordability).ranked
    assert list(ranked["score"]) == list(ranked["affordability"].astype(float))
    assert list(ranked["score"]) == sorted(ranked["score"], reverse=True)
    for weights in ({"affordability": 1}, {**only_affordability, "patience": -3}):
        other = finder.rank(CATALOGUE, Profile(), weights).ranked
        pd.testing.assert_frame_equal(other, ranked)


def fitting(**given: object) -> pd.Series:
    """A catalogue row that a growing cooperative keeping control and offering nothing can use, then `given`."""
    base = {
        "sse_types": "cooperative",
        "life_stages": "growth",
        "countries": "",
        "collateral": "none",
        "control_impact": "none",
        "requires_membership": False,
        "provider_type": "bank",
        "maturity_class": "long",
    }
    return pd.Series({**base, **given})


@pytest.mark.parametrize(
    ("row", "profile", "expected"),
    [
        (fitting(), Profile(), []),
        (fitting(countries="CAN"), Profile(country="KEN"), ["exists only in Canada"]),
        (fitting(collateral="land_title"), Profile(collateral="assets"), ["needs collateral: land_title"]),
        (fitting(requires_membership=True), Profile(membership_ok=False), ["needs member status"]),
        # codes the finder does not know ask for no control and give no patience: they exclude only when it matters
        (fitting(control_impact="golden_share"), Profile(control="keep_full"), []),
        (fitting(maturity_class=""), Profile(patience="any"), []),
        (fitting(maturity_class=""), Profile(patience="medium"), ["the money does not stay at least 1–5 years"]),
    ],
)
def test_exclusions_word_for_word(row, profile, expected):
    assert finder.exclusions(row, profile) == expected


@pytest.mark.parametrize(
    ("row", "profile", "score"),
    [
        (fitting(), Profile(), 5),
        (fitting(countries="CAN"), Profile(), 4),  # only in some countries, and the organisation's is not given
        (fitting(countries="CAN"), Profile(country="CAN"), 5),
        (fitting(requires_membership=True), Profile(), 4),
        (fitting(requires_membership=True, provider_type="members"), Profile(), 5),
        (fitting(ticket_min=10.0, ticket_currency="CAD"), Profile(currency="CAD"), 5),  # no amount: no comparison
        (fitting(ticket_min=10.0, ticket_currency="CAD"), Profile(amount=9.0, currency="CAD"), 4),
        (fitting(ticket_max=10.0, ticket_currency="CAD"), Profile(amount=10.0, currency="CAD"), 5),  # the top fits
        (fitting(ticket_max=10.0, ticket_currency="CAD"), Profile(amount=11.0, currency="CAD"), 4),
        (
            fitting(requires_membership=True, countries="CAN", ticket_min=10.0, ticket_currency="CAD"),
            Profile(amount=5.0, currency="CAD"),
            2,
        ),
    ],
)
def test_accessibility_loses_a_point_for_each_hurdle(row, profile, score):
    assert finder.accessibility(row, profile) == score


def test_the_weighted_parts_add_up_to_the_score_and_ties_keep_catalogue_order():
    weights = {"affordability": 3, "patience": 1, "collateral_lightness": 0, "control_preservation": 2}
    ranked = finder.rank(CATALOGUE, Profile(), weights).ranked
    parts = sum(ranked[f"weighted_{c}"] for c in CRITERIA)
    assert (parts - ranked["score"]).abs().max() < 1e-12
    assert list(ranked["weighted_affordability"]) == list(ranked["affordability"] * 3 / 6)
    tied = finder.rank(CATALOGUE, Profile(), dict.fromkeys(CRITERIA, 0)).ranked
    assert list(tied["instrument_id"]) == [i for i in CATALOGUE["instrument_id"] if i in set(tied["instrument_id"])]
    assert list(tied["rank"]) == list(range(1, len(tied) + 1))
    assert list(tied.columns[:4]) == ["rank", "instrument_id", "name", "family"]
    assert "index" not in tied.columns and list(tied.index) == list(range(len(tied)))


def test_when_everything_fits_the_exclusions_are_empty_with_their_columns():
    profile = Profile()
    fits = finder.rank(CATALOGUE, profile, finder.suggested_weights(profile)).ranked["instrument_id"]
    excluded = finder.rank(CATALOGUE[CATALOGUE["instrument_id"].isin(fits)], profile, {}).excluded
    assert excluded.empty and list(excluded.columns) == ["instrument_id", "name", "family", "reasons"]
