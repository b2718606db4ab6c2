"""The financing finder: exclusions with reasons, weighted ranking, and its properties (hypothesis)."""

import pandas as pd
import pytest
from fuzzing import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from sse_dash import datasets, finder, i18n, summary
from sse_dash.schema import FAMILY_GROUPS, LIFE_STAGES, SSE_TYPES

CATALOGUE = datasets.load_catalogue()

profiles = st.builds(
    finder.Profile,
    sse_type=st.sampled_from(SSE_TYPES),
    life_stage=st.sampled_from(LIFE_STAGES),
    collateral=st.sampled_from(list(finder.COLLATERAL_OFFERS)),
    control=st.sampled_from(list(finder.CONTROL_WILLINGNESS)),
    patience=st.sampled_from(list(finder.PATIENCE_NEEDS)),
    membership_ok=st.booleans(),
    country=st.sampled_from(["", "FRA", "KEN", "CAN", "ITA", "GBR", "IND"]),
    amount=st.one_of(st.none(), st.floats(min_value=0, max_value=1e7)),
    currency=st.sampled_from(["", "EUR", "CAD", "GBP"]),
)
weight_sets = st.fixed_dictionaries({c: st.integers(min_value=0, max_value=5) for c in finder.CRITERIA})
PROPERTIES = settings(max_examples=examples(150), deadline=None)


def test_a_young_worker_coop_without_collateral_keeping_control():
    profile = finder.Profile(sse_type="cooperative", life_stage="start_up", collateral="nothing", control="keep_full")
    ranking = finder.rank(CATALOGUE, profile, finder.suggested_weights(profile))
    ranked = set(ranking.ranked["instrument_id"])
    assert "member_shares" in ranked and "bank_loan_conv" not in ranked and "vc_equity_conv" not in ranked
    reasons = ranking.excluded.set_index("instrument_id")["reasons"]
    assert "needs a mortgage or personal guarantees" in reasons["bank_loan_conv"]
    assert "gives the provider votes in proportion to its money" in reasons["vc_equity_conv"]
    assert all(ranking.ranked["reason"].str.len() > 10)


@pytest.mark.parametrize(
    ("profile", "instrument", "words"),
    [
        (finder.Profile(sse_type="association"), "member_shares", "not used by associations"),
        (
            finder.Profile(life_stage="pre_start", collateral="assets", control="any"),
            "retained_surplus",
            "not for the pre-start / informal stage",
        ),
        (finder.Profile(country="KEN", collateral="assets", control="any"), "labour_fund", "exists only in Canada"),
        (
            finder.Profile(membership_ok=False, collateral="assets", control="any"),
            "sacco_cu_loan",
            "needs member status",
        ),
        (
            finder.Profile(patience="long", collateral="assets", control="any"),
            "microcredit",
            "does not stay at least 5–15 years",
        ),
    ],
)
def test_hard_constraints_give_a_reason(profile, instrument, words):
    excluded = finder.rank(CATALOGUE, profile, finder.suggested_weights(profile)).excluded
    assert words in excluded.set_index("instrument_id").loc[instrument, "reasons"]


def test_ticket_sizes_only_count_in_the_same_currency():
    patient = CATALOGUE.set_index("instrument_id").loc["patient_capital"]
    assert finder.accessibility(patient, finder.Profile(amount=10_000_000, currency="CAD", country="CAN")) == 4
    assert finder.accessibility(patient, finder.Profile(amount=10_000_000, currency="EUR", country="CAN")) == 5
    assert finder.accessibility(patient, finder.Profile(amount=100_000, currency="CAD", country="CAN")) == 5


def test_suggested_weights_follow_the_profile():
    worried = finder.suggested_weights(finder.Profile(collateral="nothing", control="keep_full", patience="long"))
    relaxed = finder.suggested_weights(finder.Profile(collateral="assets", control="any", patience="any"))
    for criterion in ("collateral_lightness", "control_preservation", "patience"):
        assert worried[criterion] > relaxed[criterion]


def test_the_blend_takes_one_from_each_group_of_the_overview():
    profile = finder.Profile(sse_type="cooperative", life_stage="growth", collateral="assets", control="minority")
    picks = finder.blend(finder.rank(CATALOGUE, profile, finder.suggested_weights(profile)).ranked)
    assert list(picks) == ["Internal", "External", "New forms", "Public & philanthropic", "Market innovations"]
    assert picks["Internal"]["family"] in ("INT_MEMBER", "INT_EARNED")
    assert picks["New forms"]["family"] == "NEW_FORMS"
    assert picks["Market innovations"]["family"] == "MARKET_INNOV"


def test_crowdfunding_is_in_the_same_group_in_the_blend_as_on_the_overview():
    """Issue #14: crowdfunding was 'new forms' in the blend and 'market innovations' on the overview. Both now read
    the one grouping of the catalogue's families (schema.FAMILY_GROUPS, which the overview's summary uses)."""
    alone = CATALOGUE[CATALOGUE["instrument_id"] == "crowdfunding"]
    picks = finder.blend(alone)
    assert picks["Market innovations"]["instrument_id"] == "crowdfunding"
    assert all(pick is None for group, pick in picks.items() if group != "Market innovations")
    overview = {g["group"]: g["families"] for g in summary.family_groups(CATALOGUE)}
    assert set(finder.BLEND_GROUPS) <= set(overview)
    for group in finder.BLEND_GROUPS:
        assert [g for f, g in FAMILY_GROUPS.items() if f in overview[group]] == [group] * len(overview[group])


# The seven rules, written here from the About page's table (not read from the finder): what each collateral offer
# covers, how much say each control impact gives the provider and how much each willingness accepts, how long each
# maturity keeps the money and how long each need asks for.
COVERED = {
    "nothing": {"none", "subordinated"},
    "group": {"none", "subordinated", "social"},
    "savings": {"none", "subordinated", "social", "savings_pledge"},
    "assets": {"none", "subordinated", "social", "savings_pledge", "standard"},
}
SAY = {"none": 0, "membership_rights": 0, "information_rights": 1, "covenants": 2, "minority_capped": 2}
SAY["proportional_dilution"] = 3
ACCEPTED = {"keep_full": 0, "information": 1, "minority": 2, "any": 3}
STAYS = {"short": 0, "medium": 1, "long": 2, "permanent": 3, "non_repayable": 4}
NEEDS = {"any": 0, "medium": 1, "long": 2, "permanent": 3}


def broken_rules(row: pd.Series, profile: finder.Profile) -> set[str]:
    countries = set(row["countries"].split("|")) if isinstance(row["countries"], str) and row["countries"] else set()
    broken = {
        "sse_type": profile.sse_type not in row["sse_types"].split("|"),
        "life_stage": profile.life_stage not in row["life_stages"].split("|"),
        "country": bool(countries and profile.country and profile.country not in countries),
        "collateral": row["collateral"] not in COVERED[profile.collateral],
        "control": SAY[row["control_impact"]] > ACCEPTED[profile.control],
        "membership": bool(row["requires_membership"])
        and row["provider_type"] not in ("members", "organisation")
        and not profile.membership_ok,
        "patience": STAYS[row["maturity_class"]] < NEEDS[profile.patience],
    }
    return {rule for rule, is_broken in broken.items() if is_broken}


@PROPERTIES
@given(profiles, weight_sets)
def test_an_instrument_is_ranked_exactly_when_it_breaks_none_of_the_seven_rules(profile, weights):
    ranking = finder.rank(CATALOGUE, profile, weights)
    assert not set(ranking.ranked["instrument_id"]) & set(ranking.excluded["instrument_id"])
    assert len(ranking.ranked) + len(ranking.excluded) == len(CATALOGUE)
    ranked = set(ranking.ranked["instrument_id"])
    reasons = ranking.excluded.set_index("instrument_id")["reasons"]
    for _, row in CATALOGUE.iterrows():
        broken = broken_rules(row, profile)
        assert (row["instrument_id"] in ranked) == (not broken), (row["instrument_id"], broken)
        if broken:  # one reason per broken rule
            assert len(reasons[row["instrument_id"]].split("; ")) == len(broken), reasons[row["instrument_id"]]


@PROPERTIES
@given(profiles, weight_sets, st.sampled_from(finder.CRITERIA), st.integers(min_value=1, max_value=5))
def test_raising_a_weight_never_lowers_the_instrument_best_on_that_criterion(profile, weights, criterion, more):
    before = finder.rank(CATALOGUE, profile, weights).ranked
    if before.empty:
        return
    best = before[before[criterion] == before[criterion].max()]["instrument_id"]
    after = finder.rank(CATALOGUE, profile, {**weights, criterion: weights[criterion] + more}).ranked
    rank_before = before.set_index("instrument_id")["rank"]
    rank_after = after.set_index("instrument_id")["rank"]
    for instrument in best:
        assert rank_after[instrument] <= rank_before[instrument]


@PROPERTIES
@given(profiles, weight_sets)
def test_the_ranking_is_deterministic(profile, weights):
    first = finder.rank(CATALOGUE, profile, weights)
    second = finder.rank(CATALOGUE.copy(), profile, dict(weights))
    pd.testing.assert_frame_equal(first.ranked, second.ranked)
    pd.testing.assert_frame_equal(first.excluded, second.excluded)


@PROPERTIES
@given(profiles, weight_sets)
def test_scores_stay_between_1_and_5(profile, weights):
    ranked = finder.rank(CATALOGUE, profile, weights).ranked
    if sum(weights.values()) and not ranked.empty:
        assert ranked["score"].between(1, 5).all()
        assert ranked["score"].is_monotonic_decreasing


def test_rules_are_documented():
    table = finder.rules_table()
    assert {"exclude", "score", "rank"} == set(table["step"])


@pytest.mark.parametrize(
    ("profile", "weights"),
    [
        (finder.Profile(), (2, 2, 4, 4, 2)),
        (finder.Profile(life_stage="pre_start", patience="long", collateral="group", control="any"), (3, 4, 4, 2, 2)),
        (finder.Profile(life_stage="start_up", patience="permanent", collateral="savings"), (3, 4, 1, 4, 2)),
        (
            finder.Profile(life_stage="crisis", patience="medium", collateral="assets", control="minority"),
            (3, 2, 1, 2, 2),
        ),
    ],
)
def test_suggested_weights_for_each_kind_of_profile(profile, weights):
    suggested = finder.suggested_weights(profile)
    assert list(suggested) == list(finder.CRITERIA)
    assert tuple(suggested.values()) == weights


def test_codes_without_a_label_are_named_as_they_are():
    reasons = finder.exclusions(CATALOGUE.iloc[0], finder.Profile(sse_type="guild", life_stage="dormant"))
    assert reasons[:2] == ["not used by organisations of type “guild” in the catalogue", "not for the dormant stage"]


MEMBERS_OWN_MONEY = ["member_shares", "membership_fees", "member_loans", "community_shares"]


@pytest.mark.parametrize("instrument", MEMBERS_OWN_MONEY)
def test_money_from_the_organisations_own_members_never_needs_membership_of_a_provider(instrument):
    """Issue #14: "Needs membership of the provider" was shown for membership fees and member shares, whose
    providers are the organisation's own members (provider_type members; requires_membership says the providers
    are members). The organisation joins nothing: not excluded, not marked down, not noted; said in words instead."""
    row = CATALOGUE.set_index("instrument_id").loc[instrument]
    assert row["provider_type"] == "members" and bool(row["requires_membership"])  # the data, as it stands
    unwilling = finder.Profile(membership_ok=False, collateral="assets", control="any", country="GBR")
    assert "needs member status" not in finder.exclusions(row, unwilling)
    assert "needs membership of the provider" not in finder.notes(row, unwilling)
    assert "comes from the organisation's own members" in finder.notes(row, unwilling)
    assert finder.accessibility(row, unwilling) == 5


def test_a_provider_the_organisation_must_join_still_needs_membership():
    row = CATALOGUE.set_index("instrument_id").loc["sacco_cu_loan"]
    assert "needs membership of the provider" in finder.notes(row, finder.Profile())
    assert finder.accessibility(row, finder.Profile()) == 4


@pytest.mark.parametrize(
    ("instrument", "country", "said"),
    [
        ("sfi_loan", "KEN", "typical ticket of an example from Canada: CAD 5,000–200,000"),
        ("sfi_loan", "", "typical ticket of an example from Canada: CAD 5,000–200,000"),
        ("sfi_loan", "CAN", "typical ticket CAD 5,000–200,000"),
        ("impact_investment", "KEN", "typical ticket of an example from United Kingdom: GBP 25,000–150,000"),
        ("patient_capital", "CAN", "typical ticket CAD 50,000–2,500,000"),
    ],
)
def test_a_ticket_size_says_which_country_its_example_comes_from(instrument, country, said):
    """Issue #14: a Kenyan profile was shown 'typical ticket CAD 5,000–200,000' without being told it is an example
    from Canada. The country is the instrument's only country, else the one of a national currency."""
    row = CATALOGUE.set_index("instrument_id").loc[instrument]
    assert said in finder.notes(row, finder.Profile(country=country)).split("; ")


def test_an_example_in_a_currency_of_several_countries_names_none():
    row = pd.Series({"countries": "", "ticket_currency": "EUR", "ticket_min": 1.0, "ticket_max": 2.0})
    assert finder.ticket_country(row) is None
    assert finder.ticket_country(pd.Series({"countries": "ESP|ITA", "ticket_currency": "EUR"})) is None


def test_reasons_and_notes_are_in_the_language_of_the_run():
    row = CATALOGUE.set_index("instrument_id").loc["sfi_loan"]
    profile = finder.Profile(sse_type="association", country="KEN", amount=1_000_000, currency="CAD")
    try:
        i18n.use_language("fr")
        french = finder.notes(row, profile)
        persian = (i18n.use_language("fa"), finder.notes(row, profile))[1]
    finally:
        i18n.use_language("en")
    english = finder.notes(row, profile)
    assert "Canada" in english and "Canada" in french and "کانادا" in persian
    assert "۵٬۰۰۰" in persian and "5 000" in french.replace("\u202f", " ").replace("\xa0", " ")


def test_the_blend_takes_the_best_ranked_of_each_group_or_nothing():
    ranked = pd.DataFrame(
        {"instrument_id": ["a", "b", "c", "d"], "family": ["EXT_FINCOOP", "INT_MEMBER", "INT_EARNED", "PUBLIC_PHIL"]}
    )
    picks = finder.blend(ranked)
    assert picks["Internal"]["instrument_id"] == "b" and picks["External"]["instrument_id"] == "a"
    assert picks["Public & philanthropic"]["instrument_id"] == "d"
    assert picks["New forms"] is None and picks["Market innovations"] is None
