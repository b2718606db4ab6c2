"""The financing finder: which catalogue instruments fit an organisation's profile, and why. Pure functions.

Two steps, both shown on the About page:
1. Hard constraints exclude an instrument, with the reason in words: the organisation's SSE type or life stage is
   not among those the instrument serves; it exists only in other countries; it asks for collateral the
   organisation cannot offer; it gives the provider more control than the organisation accepts; it needs member
   status the organisation will not take; its money stays for less time than needed.
2. The instruments left are scored on five criteria from 1 (least favourable) to 5 and ranked by the weighted mean.
   Four criteria come from `scoring.CRITERIA` (affordability, patience, collateral-lightness, control preservation);
   accessibility starts at 5 and loses a point each when the instrument needs membership of its provider, exists
   only in some countries while the organisation's country is not given, or has a typical ticket size that does not
   cover the amount needed (compared only in the same currency).

Every score is an editorial judgment derived from catalogue attributes: a starting point for a conversation, not
advice. Ties are broken by catalogue order, so the same profile and weights always give the same ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sse_dash import scoring
from sse_dash.codes import country_name
from sse_dash.i18n import N_
from sse_dash.schema import LIFE_STAGE_LABELS, MULTI_SEPARATOR, SSE_TYPE_LABELS

CRITERIA = ("affordability", "patience", "collateral_lightness", "control_preservation", "accessibility")
CRITERION_LABELS = {**scoring.CRITERION_LABELS, "accessibility": "Accessibility"}
# What each criterion measures (the sliders' help); every score is an editorial judgment.
CRITERION_HELP = {
    **{criterion: meaning + " Editorial judgment." for criterion, (_, _, meaning) in scoring.CRITERIA.items()},
    "accessibility": "5, minus 1 for needing membership, minus 1 for uncertain availability in your country, minus 1 "
    "when the typical ticket does not cover the amount. Editorial judgment.",
}
CRITERION_WORDS = {
    "affordability": ("cheap money", "costly money"),
    "patience": ("patient money", "money that must be repaid soon"),
    "collateral_lightness": ("little or no collateral", "collateral asked"),
    "control_preservation": ("members keep control", "the provider gets a say"),
    "accessibility": ("easy to reach", "harder to reach"),
}

# What the organisation can offer as security, and which instrument requirements that covers.
COLLATERAL_OFFERS = {
    "nothing": {"none", "subordinated"},
    "group": {"none", "subordinated", "social"},
    "savings": {"none", "subordinated", "social", "savings_pledge"},
    "assets": {"none", "subordinated", "social", "savings_pledge", "standard"},
}
COLLATERAL_OFFER_LABELS = {
    "nothing": N_("nothing"),
    "group": N_("a group (peer) guarantee"),
    "savings": N_("members' savings"),
    "assets": N_("assets or personal guarantees"),
}
COLLATERAL_NEEDS = {
    "social": "a group (peer) guarantee",
    "savings_pledge": "a pledge of members' savings",
    "standard": "a mortgage or personal guarantees",
}
# How much say in the organisation a provider may get, from none to dilution.
CONTROL_LEVEL = {
    "none": 0,
    "membership_rights": 0,
    "information_rights": 1,
    "covenants": 2,
    "minority_capped": 2,
    "proportional_dilution": 3,
}
CONTROL_WILLINGNESS = {"keep_full": 0, "information": 1, "minority": 2, "any": 3}
CONTROL_WILLINGNESS_LABELS = {
    "keep_full": N_("keep full control"),
    "information": N_("share information only"),
    "minority": N_("accept covenants or a minority seat"),
    "any": N_("accept any, including dilution"),
}
CONTROL_NEEDS = {
    1: "gives the provider information or consultative rights",
    2: "gives the provider covenants or a minority seat",
    3: "gives the provider votes in proportion to its money",
}
MATURITY_LEVEL = {"short": 0, "medium": 1, "long": 2, "permanent": 3, "non_repayable": 4}
PATIENCE_NEEDS = {"any": -1, "medium": 1, "long": 2, "permanent": 3}
PATIENCE_LABELS = {
    "any": N_("no requirement"),
    "medium": N_("at least 1–5 years"),
    "long": N_("at least 5–15 years"),
    "permanent": N_("permanently"),
}
BLEND_GROUPS = {
    "Internal": ("INT_MEMBER", "INT_EARNED"),
    "External": ("EXT_FINCOOP", "EXT_COMMUNITY", "EXT_ETHICAL", "PUBLIC_PHIL", "BASELINE"),
    "New forms": ("NEW_FORMS", "MARKET_INNOV"),
}


@dataclass(frozen=True)
class Profile:
    """What the organisation is and needs."""

    sse_type: str = "cooperative"
    life_stage: str = "growth"
    collateral: str = "nothing"
    control: str = "keep_full"
    patience: str = "any"
    membership_ok: bool = True
    country: str = ""
    amount: float | None = None
    currency: str = ""


def suggested_weights(profile: Profile) -> dict[str, int]:
    """Default weights (0-5) that follow from a profile: what it lacks or insists on weighs more."""
    return {
        "affordability": 3 if profile.life_stage in ("pre_start", "start_up", "crisis") else 2,
        "patience": 4 if profile.patience in ("long", "permanent") else 2,
        "collateral_lightness": 4 if profile.collateral in ("nothing", "group") else 1,
        "control_preservation": 4 if profile.control == "keep_full" else 2,
        "accessibility": 2,
    }


def _multi(value: object) -> set[str]:
    return set(str(value).split(MULTI_SEPARATOR)) if isinstance(value, str) and value else set()


def _ticket_fits(row: pd.Series, profile: Profile) -> bool | None:
    """True/False when the amount can be compared with the ticket range (same currency), else None."""
    if profile.amount is None or not profile.currency or row.get("ticket_currency") != profile.currency:
        return None
    low, high = row.get("ticket_min"), row.get("ticket_max")
    return not ((pd.notna(low) and profile.amount < low) or (pd.notna(high) and profile.amount > high))


def exclusions(row: pd.Series, profile: Profile) -> list[str]:
    """Why an instrument does not fit the profile (empty when it fits)."""
    reasons = []
    if profile.sse_type not in _multi(row["sse_types"]):
        label = SSE_TYPE_LABELS.get(profile.sse_type, profile.sse_type).lower()
        reasons.append(f"not used by {label}s in the catalogue")
    if profile.life_stage not in _multi(row["life_stages"]):
        reasons.append(f"not for the {LIFE_STAGE_LABELS.get(profile.life_stage, profile.life_stage).lower()} stage")
    countries = _multi(row.get("countries"))
    if countries and profile.country and profile.country not in countries:
        reasons.append("exists only in " + ", ".join(sorted(country_name(c) for c in countries)))
    if str(row["collateral"]) not in COLLATERAL_OFFERS[profile.collateral]:
        reasons.append(f"needs {COLLATERAL_NEEDS.get(str(row['collateral']), str(row['collateral']))}")
    level = CONTROL_LEVEL.get(str(row["control_impact"]), 0)
    if level > CONTROL_WILLINGNESS[profile.control]:
        reasons.append(CONTROL_NEEDS[level])
    if bool(row["requires_membership"]) and not profile.membership_ok:
        reasons.append("needs member status")
    if MATURITY_LEVEL.get(str(row["maturity_class"]), 0) < PATIENCE_NEEDS[profile.patience]:
        reasons.append(f"the money does not stay {PATIENCE_LABELS[profile.patience]}")
    return reasons


def accessibility(row: pd.Series, profile: Profile) -> int:
    """1-5: 5 minus a point for needing membership, for uncertain availability, for a ticket that does not fit."""
    score = 5
    score -= bool(row["requires_membership"])
    score -= bool(_multi(row.get("countries"))) and not profile.country
    score -= _ticket_fits(row, profile) is False
    return max(1, int(score))


@dataclass
class Ranking:
    """The instruments that fit, best first, with their scores; those that do not, with the reasons."""

    ranked: pd.DataFrame
    excluded: pd.DataFrame


def rank(catalogue: pd.DataFrame, profile: Profile, weights: dict[str, float]) -> Ranking:
    """Exclude what does not fit, score the rest on the weighted criteria, rank them (deterministically)."""
    scores = scoring.scores(catalogue).set_index("instrument_id")
    rows, excluded = [], []
    for order, (_, row) in enumerate(catalogue.iterrows()):
        reasons = exclusions(row, profile)
        if reasons:
            excluded.append(
                {
                    "instrument_id": row["instrument_id"],
                    "name": row["name"],
                    "family": row["family"],
                    "reasons": "; ".join(reasons),
                }
            )
            continue
        entry = {
            "instrument_id": row["instrument_id"],
            "name": row["name"],
            "family": row["family"],
            "order": order,
            "accessibility": accessibility(row, profile),
        }
        for criterion in CRITERIA[:-1]:
            entry[criterion] = int(scores.loc[row["instrument_id"], criterion])
        entry["notes"] = notes(row, profile)
        rows.append(entry)
    ranked = pd.DataFrame(rows, columns=["instrument_id", "name", "family", "order", *CRITERIA, "notes"])
    used = {c: max(float(weights.get(c, 0)), 0.0) for c in CRITERIA}
    total = sum(used.values()) or 1.0
    # Rank on the weighted sum itself (exact for whole-number weights); the mean shown is that sum over the weights.
    ranked["points"] = sum(ranked[c] * used[c] for c in CRITERIA) if len(ranked) else pd.Series(dtype=float)
    for criterion in CRITERIA:
        ranked[f"weighted_{criterion}"] = ranked[criterion] * used[criterion] / total
    ranked["score"] = ranked["points"] / total
    ranked = ranked.sort_values(["points", "order"], ascending=[False, True], kind="stable").reset_index(drop=True)
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    ranked["reason"] = [reason(row) for _, row in ranked.iterrows()]
    return Ranking(ranked, pd.DataFrame(excluded, columns=["instrument_id", "name", "family", "reasons"]))


def notes(row: pd.Series, profile: Profile) -> str:
    """Practical notes about one instrument for this profile (where it exists, membership, ticket size)."""
    found = []
    countries = _multi(row.get("countries"))
    if countries:
        found.append("exists in " + ", ".join(sorted(country_name(c) for c in countries)))
    if bool(row["requires_membership"]):
        found.append("needs membership of the provider")
    if pd.notna(row.get("ticket_min")) or pd.notna(row.get("ticket_max")):
        low = f"{row['ticket_min']:,.0f}" if pd.notna(row.get("ticket_min")) else "…"
        high = f"{row['ticket_max']:,.0f}" if pd.notna(row.get("ticket_max")) else "…"
        fits = _ticket_fits(row, profile)
        verdict = "" if fits is None else (" (covers the amount)" if fits else " (does not cover the amount)")
        found.append(f"typical ticket {row['ticket_currency']} {low}–{high}{verdict}")
    return "; ".join(found)


def reason(row: pd.Series) -> str:
    """Why an instrument ranks where it does, in words: its strongest weighted criteria and its weakest."""
    weighted = {c: row[f"weighted_{c}"] for c in CRITERIA}
    strong = [c for c in sorted(CRITERIA, key=lambda c: (-weighted[c], CRITERIA.index(c))) if row[c] >= 4][:2]
    weak = [c for c in sorted(CRITERIA, key=lambda c: (row[c], -weighted[c], CRITERIA.index(c))) if row[c] <= 2][:1]
    parts = [f"{CRITERION_WORDS[c][0]} ({row[c]}/5)" for c in strong]
    text = ", ".join(parts).capitalize() if parts else "No criterion stands out"
    if weak:
        text += f"; but {CRITERION_WORDS[weak[0]][1]} ({row[weak[0]]}/5)"
    return text + "."


def blend(ranked: pd.DataFrame) -> dict[str, pd.Series | None]:
    """The best-ranked fitting instrument of each group of sources (internal, external, new forms)."""
    picks: dict[str, pd.Series | None] = {}
    for group, families in BLEND_GROUPS.items():
        members = ranked[ranked["family"].astype(str).isin(families)]
        picks[group] = members.iloc[0] if not members.empty else None
    return picks


def rules_table() -> pd.DataFrame:
    """The finder's rules in words, for the About page."""
    return pd.DataFrame(
        [
            {
                "step": "exclude",
                "rule": "SSE type",
                "how": "the organisation's SSE type must be among the instrument's",
            },
            {
                "step": "exclude",
                "rule": "life stage",
                "how": "the organisation's life stage must be among the instrument's",
            },
            {
                "step": "exclude",
                "rule": "country",
                "how": "instruments that exist only in some countries are left out for organisations elsewhere",
            },
            {
                "step": "exclude",
                "rule": "collateral",
                "how": "nothing offered covers none/subordinated; a group "
                "guarantee adds social; members' savings add a savings "
                "pledge; assets cover standard collateral",
            },
            {
                "step": "exclude",
                "rule": "control",
                "how": "keep full control: no provider rights; information: adds "
                "information rights; minority: adds covenants and minority "
                "seats; any: adds proportional votes",
            },
            {
                "step": "exclude",
                "rule": "membership",
                "how": "instruments that need member status are left out when the "
                "organisation will not become a member",
            },
            {
                "step": "exclude",
                "rule": "patience",
                "how": "the instrument's maturity must be at least the one needed "
                "(never-repaid money is the most patient)",
            },
            {
                "step": "score",
                "rule": "affordability, patience, collateral-lightness, control preservation",
                "how": "the 1-5 scores of the comparison radar (see the table above)",
            },
            {
                "step": "score",
                "rule": "accessibility",
                "how": "5, minus 1 for needing membership, minus 1 when the "
                "instrument exists only in some countries and no country "
                "is given, minus 1 when the ticket size (same currency) "
                "does not cover the amount needed",
            },
            {
                "step": "rank",
                "rule": "weighted mean",
                "how": "sum of weight × score over the sum of weights; ties keep catalogue order",
            },
        ]
    )
