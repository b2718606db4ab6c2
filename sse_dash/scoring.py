"""Ordinal scores (1 = least favourable to the SSE unit, 5 = most) derived from catalogue attributes.

These scores are EDITORIAL JUDGMENTS: a reading of the catalogue's attributes, useful to compare instruments side
by side and as a starting point for a conversation, not advice. The tables below are the whole derivation and are
shown on the About page.
"""

from __future__ import annotations

import pandas as pd

from sse_dash.i18n import N_, _

# Criterion -> (catalogue attribute, score of each attribute value, what the criterion means)
CRITERIA: dict[str, tuple[str, dict, str]] = {
    "affordability": (
        "cost_level",
        {0: 5, 1: 4, 2: 3, 3: 2, 4: 1},
        N_("How cheap the money is: cost level 0 (none) scores 5, cost level 4 (high) scores 1."),
    ),
    "patience": (
        "maturity_class",
        {"short": 1, "medium": 2, "long": 4, "permanent": 5, "non_repayable": 5},
        N_("How long the money stays: short-term scores 1, permanent or never repaid scores 5."),
    ),
    "collateral_lightness": (
        "collateral",
        {"standard": 1, "savings_pledge": 2, "social": 3, "subordinated": 4, "none": 5},
        N_("How little security is asked: a mortgage or personal guarantee scores 1, no collateral scores 5."),
    ),
    "control_preservation": (
        "control_impact",
        {
            "proportional_dilution": 1,
            "covenants": 2,
            "minority_capped": 3,
            "information_rights": 4,
            "membership_rights": 4,
            "none": 5,
        },
        N_("How much control the members keep: proportional dilution scores 1, no say for the provider scores 5."),
    ),
}
# The criteria's names (translated where shown: `criterion_labels`).
CRITERION_LABELS = {
    "affordability": N_("Affordability"),
    "patience": N_("Patience"),
    "collateral_lightness": N_("Collateral-lightness"),
    "control_preservation": N_("Control preservation"),
}


def criterion_labels() -> dict[str, str]:
    """The criteria's names in the language of this run."""
    return {criterion: _(label) for criterion, label in CRITERION_LABELS.items()}


def scores(catalogue: pd.DataFrame) -> pd.DataFrame:
    """One row per instrument with a 1-5 score per criterion (editorial judgments)."""
    out = catalogue[["instrument_id", "name", "family"]].copy()
    for criterion, (attribute, table, _meaning) in CRITERIA.items():
        raw = catalogue[attribute]
        values = raw.astype("int64") if attribute == "cost_level" else raw.astype(str)
        out[criterion] = values.map(table).astype("Int64")
    return out.reset_index(drop=True)


def derivation_table() -> pd.DataFrame:
    """The scoring rules as a table, one row per criterion, for the About page (headers and words in the language
    of this run; attribute values stay codes, as in the catalogue file)."""
    return pd.DataFrame(
        [
            {
                _("criterion"): _(CRITERION_LABELS[criterion]),
                _("from attribute"): attribute,
                _("rule (attribute value → score)"): " · ".join(f"{value} → {score}" for value, score in table.items()),
                _("meaning"): _(meaning),
            }
            for criterion, (attribute, table, meaning) in CRITERIA.items()
        ]
    )
