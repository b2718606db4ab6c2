"""The synthetic demo generator: deterministic, plausible, different by type, country and life stage."""

import numpy as np
import pytest

from sse_dash import datasets, demo
from sse_dash.ingest import ingest


@pytest.fixture(scope="module")
def sample():
    return demo.generate_usage(20_000)


def share(frame, instrument):
    return float((frame["instrument_id"] == instrument).mean())


def test_same_seed_same_rows_other_seed_other_rows():
    first, again, other = demo.generate_usage(500), demo.generate_usage(500), demo.generate_usage(500, seed=1)
    assert first.equals(again)
    assert not first.equals(other)


@pytest.mark.parametrize("rows", [1, 37, 5_000])
def test_any_number_of_rows(rows):
    assert len(demo.generate_usage(rows)) == rows


def test_mix_differs_by_sse_type(sample):
    informal = sample[sample["sse_type"] == "informal_group"]
    coops = sample[sample["sse_type"] == "cooperative"]
    associations = sample[sample["sse_type"] == "association"]
    assert share(informal, "savings_group") > 5 * share(coops, "savings_group")
    assert share(coops, "member_shares") > 5 * share(associations, "member_shares")
    assert share(associations, "public_grant") > 2 * share(coops, "public_grant")


def test_country_specific_instruments_stay_in_their_countries(sample):
    for instrument, countries in demo.ONLY_IN.items():
        used = set(sample.loc[sample["instrument_id"] == instrument, "country"])
        assert used <= countries, instrument


def test_mix_differs_by_country_and_life_stage(sample):
    kenya, italy = sample[sample["country"] == "KEN"], sample[sample["country"] == "ITA"]
    assert share(kenya, "sacco_cu_loan") > 3 * share(italy, "sacco_cu_loan")
    young = sample[sample["life_stage"].isin(["pre_start", "start_up"])]
    mature = sample[sample["life_stage"] == "consolidation"]
    assert share(mature, "retained_surplus") > 3 * share(young, "retained_surplus")


def test_amount_usd_is_consistent_with_the_fixed_rates(sample):
    rate = sample["country"].map({c: v[1] for c, v in demo.COUNTRIES.items()})
    assert np.allclose(sample["amount"] * rate, sample["amount_usd"], rtol=1e-3, atol=0.01)


def test_generated_rows_pass_the_ingest_path_against_the_bundled_catalogue(sample, tmp_path):
    catalogue = datasets.load_catalogue()
    assert set(demo.INSTRUMENTS) == set(catalogue["instrument_id"])
    path = demo.write_usage_csv(tmp_path / "demo.csv", rows=2_000)
    report = ingest(path.read_bytes(), catalogue=catalogue).report
    assert report.valid and not report.warnings
