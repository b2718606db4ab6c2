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

Membership of the provider means nothing when the money comes from the organisation's own members or from itself
(`provider_type` members or organisation: member shares, fees and loans, community shares): the catalogue's
`requires_membership` then says that the providers are members, and the finder neither excludes, marks down nor
notes such an instrument for it.

Every text is in the language of the script run (`sse_dash.i18n`); ticket sizes say which country their example
comes from when that is not the organisation's.

Every score is an editorial judgment derived from catalogue attributes: a starting point for a conversation, not
advice. Ties are broken by catalogue order, so the same profile and weights always give the same ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pycountry
from babel.lists import format_list

from sse_dash import i18n, scoring
from sse_dash.codes import country_name
from sse_dash.i18n import N_, _
from sse_dash.schema import FAMILY_GROUPS, LIFE_STAGE_LABELS, MULTI_SEPARATOR

CRITERIA = ("affordability", "patience", "collateral_lightness", "control_preservation", "accessibility")
CRITERION_LABELS = {**scoring.CRITERION_LABELS, "accessibility": N_("Accessibility")}
# What each criterion measures (the sliders' help); every score is an editorial judgment.
CRITERION_HELP = {
    **{criterion: meaning for criterion, (_attribute, _table, meaning) in scoring.CRITERIA.items()},
    "accessibility": N_(
        "5, minus 1 for needing membership of a provider outside the organisation, minus 1 for uncertain "
        "availability in your country, minus 1 when the typical ticket does not cover the amount."
    ),
}
CRITERION_WORDS = {
    "affordability": (N_("cheap money"), N_("costly money")),
    "patience": (N_("patient money"), N_("money that must be repaid soon")),
    "collateral_lightness": (N_("little or no collateral"), N_("collateral asked")),
    "control_preservation": (N_("members keep control"), N_("the provider gets a say")),
    "accessibility": (N_("easy to reach"), N_("harder to reach")),
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
    "social": N_("needs a group (peer) guarantee"),
    "savings_pledge": N_("needs a pledge of members' savings"),
    "standard": N_("needs a mortgage or personal guarantees"),
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
    1: N_("gives the provider information or consultative rights"),
    2: N_("gives the provider covenants or a minority seat"),
    3: N_("gives the provider votes in proportion to its money"),
}
MATURITY_LEVEL = {"short": 0, "medium": 1, "long": 2, "permanent": 3, "non_repayable": 4}
PATIENCE_NEEDS = {"any": -1, "medium": 1, "long": 2, "permanent": 3}
PATIENCE_LABELS = {
    "any": N_("no requirement"),
    "medium": N_("at least 1–5 years"),
    "long": N_("at least 5–15 years"),
    "permanent": N_("permanently"),
}
# Why an instrument is not used by an organisation of a type: one whole sentence per type, for translators.
NOT_USED_BY = {
    "cooperative": N_("not used by cooperatives in the catalogue"),
    "mutual": N_("not used by mutuals in the catalogue"),
    "association": N_("not used by associations in the catalogue"),
    "social_enterprise": N_("not used by social enterprises in the catalogue"),
    "foundation": N_("not used by foundations in the catalogue"),
    "informal_group": N_("not used by informal groups in the catalogue"),
}
# Providers that are the organisation's own people or the organisation itself: membership of them means nothing.
OWN_PROVIDERS = ("members", "organisation")
# The blend takes one instrument from each group of sources of the Overview (`schema.FAMILY_GROUPS`, the one
# grouping of the catalogue's families); the conventional comparators (Baseline) are left out.
BLEND_GROUPS = (
    N_("Internal"),
    N_("External"),
    N_("New forms"),
    N_("Public & philanthropic"),
    N_("Market innovations"),
)


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


def criterion_labels() -> dict[str, str]:
    """The five criteria's names in the language of this run."""
    return {criterion: _(label) for criterion, label in CRITERION_LABELS.items()}


def criterion_help(criterion: str) -> str:
    """What a criterion measures, in the language of this run (a slider's help)."""
    return _("{meaning} Editorial judgment.").format(meaning=_(CRITERION_HELP[criterion]))


def _multi(value: object) -> set[str]:
    return set(str(value).split(MULTI_SEPARATOR)) if isinstance(value, str) and value else set()


def _listed(items: list[str]) -> str:
    """Names as a list in the language of this run: 'Canada, France and Italy'."""
    return format_list(items, locale=i18n.locale()) if items else ""


def _country(code: str) -> str:
    return i18n.territory_name(code, country_name(code))


def _countries(codes: set[str]) -> str:
    return _listed(sorted(_country(c) for c in codes))


def needs_membership(row: pd.Series) -> bool:
    """Whether the organisation must become a member of the provider (never for its own members or itself)."""
    return bool(row["requires_membership"]) and str(row.get("provider_type", "")) not in OWN_PROVIDERS


def _ticket_fits(row: pd.Series, profile: Profile) -> bool | None:
    """True/False when the amount can be compared with the ticket range (same currency), else None."""
    if profile.amount is None or not profile.currency or row.get("ticket_currency") != profile.currency:
        return None
    low, high = row.get("ticket_min"), row.get("ticket_max")
    return not ((pd.notna(low) and profile.amount < low) or (pd.notna(high) and profile.amount > high))


def ticket_country(row: pd.Series) -> str | None:
    """The alpha-3 code of the country the ticket size is an example from: the instrument's one country, else the
    country of a national currency (ISO 4217 codes start with the country's alpha-2 code: CAD, GBP); None for a
    currency shared by several countries (EUR) or an instrument of several countries."""
    countries = _multi(row.get("countries"))
    if len(countries) == 1:
        return next(iter(countries))
    currency = str(row.get("ticket_currency") or "") if pd.notna(row.get("ticket_currency")) else ""
    found = pycountry.countries.get(alpha_2=currency[:2].upper()) if len(currency) == 3 and not countries else None
    return found.alpha_3 if found else None


def exclusions(row: pd.Series, profile: Profile) -> list[str]:
    """Why an instrument does not fit the profile (empty when it fits), in the language of this run."""
    reasons = []
    if profile.sse_type not in _multi(row["sse_types"]):
        if profile.sse_type in NOT_USED_BY:
            reasons.append(_(NOT_USED_BY[profile.sse_type]))
        else:
            reasons.append(
                _("not used by organisations of type “{sse_type}” in the catalogue").format(sse_type=profile.sse_type)
            )
    if profile.life_stage not in _multi(row["life_stages"]):
        stage = _(LIFE_STAGE_LABELS.get(profile.life_stage, profile.life_stage)).lower()
        reasons.append(_("not for the {stage} stage").format(stage=stage))
    countries = _multi(row.get("countries"))
    if countries and profile.country and profile.country not in countries:
        reasons.append(_("exists only in {countries}").format(countries=_countries(countries)))
    collateral = str(row["collateral"])
    if collateral not in COLLATERAL_OFFERS[profile.collateral]:
        need = COLLATERAL_NEEDS.get(collateral)
        reasons.append(_(need) if need else _("needs collateral: {collateral}").format(collateral=collateral))
    level = CONTROL_LEVEL.get(str(row["control_impact"]), 0)
    if level > CONTROL_WILLINGNESS[profile.control]:
        reasons.append(_(CONTROL_NEEDS[level]))
    if needs_membership(row) and not profile.membership_ok:
        reasons.append(_("needs member status"))
    if MATURITY_LEVEL.get(str(row["maturity_class"]), 0) < PATIENCE_NEEDS[profile.patience]:
        reasons.append(_("the money does not stay {how_long}").format(how_long=_(PATIENCE_LABELS[profile.patience])))
    return reasons


def accessibility(row: pd.Series, profile: Profile) -> int:
    """1-5: 5 minus a point for needing membership, for uncertain availability, for a ticket that does not fit."""
    score = 5
    score -= needs_membership(row)
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
    for order, (_index, row) in enumerate(catalogue.iterrows()):
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
    ranked["reason"] = [reason(row) for _index, row in ranked.iterrows()]
    return Ranking(ranked, pd.DataFrame(excluded, columns=["instrument_id", "name", "family", "reasons"]))


def notes(row: pd.Series, profile: Profile) -> str:
    """Practical notes about one instrument for this profile (where it exists, membership, ticket size and where
    its example comes from), in the language of this run."""
    found = []
    countries = _multi(row.get("countries"))
    if countries:
        found.append(_("exists in {countries}").format(countries=_countries(countries)))
    if needs_membership(row):
        found.append(_("needs membership of the provider"))
    elif bool(row["requires_membership"]) and str(row.get("provider_type")) == "members":
        found.append(_("comes from the organisation's own members"))
    if pd.notna(row.get("ticket_min")) or pd.notna(row.get("ticket_max")):
        size = (
            _("{currency} {low}–{high}")
            .format(
                currency=row["ticket_currency"] if pd.notna(row.get("ticket_currency")) else "",
                low=i18n.number(row["ticket_min"]) if pd.notna(row.get("ticket_min")) else "…",
                high=i18n.number(row["ticket_max"]) if pd.notna(row.get("ticket_max")) else "…",
            )
            .strip()
        )  # no currency given: no space before the amounts
        origin = ticket_country(row)
        if origin and origin != profile.country:
            found.append(
                _("typical ticket of an example from {country}: {size}").format(country=_country(origin), size=size)
            )
        else:
            found.append(_("typical ticket {size}").format(size=size))
        fits = _ticket_fits(row, profile)
        if fits is not None:
            found.append(
                _("the ticket covers the amount needed") if fits else _("the ticket does not cover the amount needed")
            )
    return "; ".join(found)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def reason(row: pd.Series) -> str:
    """Why an instrument ranks where it does, in words: its strongest weighted criteria and its weakest."""
    weighted = {c: row[f"weighted_{c}"] for c in CRITERIA}
    strong = [c for c in sorted(CRITERIA, key=lambda c: (-weighted[c], CRITERIA.index(c))) if row[c] >= 4][:2]
    weak = [c for c in sorted(CRITERIA, key=lambda c: (row[c], -weighted[c], CRITERIA.index(c))) if row[c] <= 2][:1]

    def scored(criterion: str, side: int) -> str:
        return _("{quality} ({score}/{top})").format(
            quality=_(CRITERION_WORDS[criterion][side]), score=i18n.number(int(row[criterion])), top=i18n.number(5)
        )

    strengths = _listed([scored(c, 0) for c in strong])
    weakness = scored(weak[0], 1) if weak else ""
    if strengths and weakness:
        text = _("{strengths}; but {weakness}.").format(strengths=strengths, weakness=weakness)
    elif strengths:
        text = _("{strengths}.").format(strengths=strengths)
    elif weakness:
        text = _("No criterion stands out; but {weakness}.").format(weakness=weakness)
    else:
        text = _("No criterion stands out.")
    return _capitalised(text)


def blend(ranked: pd.DataFrame) -> dict[str, pd.Series | None]:
    """The best-ranked fitting instrument of each group of sources of the Overview (keys: `BLEND_GROUPS`)."""
    groups = ranked["family"].astype(str).map(FAMILY_GROUPS)
    picks: dict[str, pd.Series | None] = {}
    for group in BLEND_GROUPS:
        members = ranked[groups == group]
        picks[group] = members.iloc[0] if not members.empty else None
    return picks


# The finder's rules, for the About page: (step, rule, how it works), step being a key of RULE_STEPS.
RULE_STEPS = {"exclude": N_("exclude"), "score": N_("score"), "rank": N_("rank")}
RULES = (
    ("exclude", N_("SSE type"), N_("the organisation's SSE type must be among the instrument's")),
    ("exclude", N_("life stage"), N_("the organisation's life stage must be among the instrument's")),
    (
        "exclude",
        N_("country"),
        N_("instruments that exist only in some countries are left out for organisations elsewhere"),
    ),
    (
        "exclude",
        N_("collateral"),
        N_(
            "nothing offered covers none/subordinated; a group guarantee adds social; members' savings add a "
            "savings pledge; assets cover standard collateral"
        ),
    ),
    (
        "exclude",
        N_("control"),
        N_(
            "keep full control: no provider rights; information: adds information rights; minority: adds "
            "covenants and minority seats; any: adds proportional votes"
        ),
    ),
    (
        "exclude",
        N_("membership"),
        N_(
            "instruments that need member status are left out when the organisation will not become a member "
            "(never those whose money comes from the organisation's own members)"
        ),
    ),
    (
        "exclude",
        N_("patience"),
        N_("the instrument's maturity must be at least the one needed (never-repaid money is the most patient)"),
    ),
    (
        "score",
        N_("affordability, patience, collateral-lightness, control preservation"),
        N_("the 1-5 scores of the comparison radar (see the table above)"),
    ),
    (
        "score",
        N_("accessibility"),
        N_(
            "5, minus 1 for needing membership of a provider outside the organisation, minus 1 when the "
            "instrument exists only in some countries and no country is given, minus 1 when the ticket size "
            "(same currency) does not cover the amount needed"
        ),
    ),
    ("rank", N_("weighted mean"), N_("sum of weight × score over the sum of weights; ties keep catalogue order")),
)
# The rules table's column headers (its columns keep these keys: step, rule, how).
RULES_COLUMNS = {"step": N_("step"), "rule": N_("rule"), "how": N_("how")}


def rules_table() -> pd.DataFrame:
    """The finder's rules in words (in the language of this run), for the About page; columns step, rule, how
    (their headers in words: `RULES_COLUMNS`)."""
    return pd.DataFrame(
        [{"step": _(RULE_STEPS[step]), "rule": _(rule), "how": _(how)} for step, rule, how in RULES],
        columns=list(RULES_COLUMNS),
    )
