"""The finder's reasons and notes word for word (#12: mutants that change their words or order survived)."""

import math

import pandas as pd
import pytest
from languages import in_language

from sse_dash import finder
from sse_dash.finder import CRITERIA, Profile

NAN = math.nan


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
    ],
)
def test_notes_say_where_membership_and_ticket_in_words(row, profile, expected):
    assert finder.notes(row, profile) == expected


def test_notes_are_written_in_the_language_of_the_run():
    row = instrument(countries="TZA|KEN", ticket_min=1000, ticket_max=2000, ticket_currency="KES")

    notes = in_language("fr", finder.notes, row, Profile())
    assert "Kenya et Tanzanie" in notes and "1\u202f000" in notes  # French list and digit grouping
