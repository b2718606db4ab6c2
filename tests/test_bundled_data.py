"""The bundled files: complete, sourced, honest about facts, judgments and synthetic data."""

import re

import pandas as pd
import pytest

from sse_dash import datasets, paths
from sse_dash.demo import DEMO_ROWS, DEMO_SEED, generate_usage
from sse_dash.schema import EVIDENCE_ATTRIBUTES, KINDS, dictionary_markdown

# Section 2.3 of shared/reference/sse-finance-facts.md, in order.
REFERENCE_IDS = [
    "member_shares",
    "membership_fees",
    "capitalised_unemployment",
    "earned_income",
    "retained_surplus",
    "member_loans",
    "sacco_cu_loan",
    "coop_bank_loan",
    "savings_group",
    "group_bank_linkage",
    "ethical_bank_loan",
    "microcredit",
    "sfi_loan",
    "labour_fund",
    "movement_fund",
    "patient_capital",
    "titres_participatifs",
    "pret_participatif",
    "titres_associatifs",
    "investor_member_shares",
    "solidarity_savings",
    "public_grant",
    "philanthropic_grant",
    "guarantee",
    "public_soft_loan",
    "community_shares",
    "crowdfunding",
    "impact_investment",
    "outcome_contract",
    "complementary_currency",
    "bank_loan_conv",
    "vc_equity_conv",
]


@pytest.fixture(scope="module")
def bundle():
    return datasets.load_bundle()


def test_catalogue_has_the_32_reference_instruments(bundle):
    assert list(bundle.catalogue["instrument_id"]) == REFERENCE_IDS


def test_origin_follows_family(bundle):
    catalogue = bundle.catalogue
    internal = catalogue["family"].astype(str).str.startswith("INT_")
    assert (catalogue.loc[internal, "origin"] == "internal").all()
    assert (catalogue.loc[~internal, "origin"] == "external").all()


def test_every_instrument_has_sources_and_marks_each_attribute(bundle):
    catalogue = bundle.catalogue
    assert catalogue["source_ids"].str.len().gt(0).all()
    for attribute in EVIDENCE_ATTRIBUTES:
        assert catalogue[f"{attribute}_evidence"].isin(["fact", "judgment"]).all()
    assert (catalogue[[f"{a}_evidence" for a in EVIDENCE_ATTRIBUTES]] == "judgment").to_numpy().any()


def test_descriptions_are_sentences(bundle):
    assert (bundle.catalogue["description"].str.len() > 80).all()


def test_at_least_60_published_figures_each_with_a_full_source(bundle):
    figures, sources = bundle.figures, bundle.sources
    assert len(figures) >= 60
    cited = sources[sources["source_id"].isin(figures["source_id"])]
    assert set(figures["source_id"]) == set(cited["source_id"])
    assert cited["url"].str.match(r"^https?://[^/\s]+\.[a-z]{2,}").all()
    assert cited["title"].str.len().gt(3).all() and cited["publisher"].str.len().gt(1).all()


def test_no_indicator_mixes_units(bundle):
    assert (bundle.figures.groupby("indicator")["unit"].nunique() == 1).all()


def test_comparability_warnings_are_kept(bundle):
    notes = " ".join(bundle.figures["note"].dropna())
    for warning in ("countries", "mobile", "31 May", "labelled"):
        assert warning in notes, warning


def test_figures_skip_the_items_the_reference_marks_unverified_or_undated():
    refs = set(pd.read_csv(paths.FIGURES_CSV)["figure_ref"].dropna())  # empty: not from the research note
    assert not refs & {"F9", "B6", "F13"}
    assert all(re.fullmatch(r"[WFCBNP]\d{1,2}", ref) for ref in refs)


def test_every_source_is_cited(bundle):
    cited = set(bundle.figures["source_id"])
    for ids in bundle.catalogue["source_ids"]:
        cited.update(ids.split("|"))
    assert set(bundle.sources["source_id"]) == cited


def test_demo_file_is_named_and_made_by_the_generator(bundle):
    assert "SYNTHETIC" in paths.DEMO_USAGE_CSV.name
    assert bundle.usage.synthetic and "SYNTHETIC" in bundle.usage.label
    assert 20_000 <= bundle.usage.rows <= 50_000
    committed = pd.read_csv(paths.DEMO_USAGE_CSV)
    regenerated = generate_usage(DEMO_ROWS, DEMO_SEED)
    pd.testing.assert_frame_equal(committed, regenerated, check_dtype=False, atol=0.005)


def test_data_readme_documents_every_column_and_file():
    readme = (paths.DATA_DIR / "README.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert dictionary_markdown(kind) in readme, f"regenerate the {kind} dictionary: python -m sse_dash dictionary"
    for path in (paths.INSTRUMENTS_CSV, paths.FIGURES_CSV, paths.SOURCES_CSV, paths.DEMO_USAGE_CSV):
        assert path.name in readme
    assert "synthetic" in readme.lower()
