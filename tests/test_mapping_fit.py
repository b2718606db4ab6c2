"""An optional field is matched by its header only when the column's values fit it (#14)."""

import pandas as pd

from sse_dash.ingest import ingest

HEADER = "org_id,country,year,sse_type,instrument_id,amount,currency,Stage"


def usage_csv(*stages: str) -> bytes:
    rows = [f"P{i},KEN,2021,cooperative,member_shares,10,KES,{stage}" for i, stage in enumerate(stages)]
    return "\n".join([HEADER, *rows]).encode("utf-8")


def test_a_stage_column_of_project_stages_is_not_taken_for_life_stage(catalogue):
    result = ingest(usage_csv("Implementation", "Planning", "Implementation"), catalogue=catalogue)
    report = result.report
    assert report.valid and report.valid_rows == 3
    assert "life_stage" not in report.mapping
    assert report.extra_columns == ["Stage"]
    assert result.extras["Stage"].tolist() == ["Implementation", "Planning", "Implementation"]
    assert result.frame["life_stage"].isna().all()
    note = next(w for w in report.warnings if "was not used as 'Life stage'" in w)
    assert "'Stage' (column H)" in note and "0 of its 2 different values" in note


def test_a_stage_column_of_life_stages_is_matched_and_its_odd_values_reported(catalogue):
    result = ingest(usage_csv("growth", "start-up", "Implementation"), catalogue=catalogue)
    report = result.report
    assert report.mapping["life_stage"] == "Stage"
    assert report.problems["code"].tolist() == ["not_in_vocabulary"]
    assert result.frame["life_stage"].astype(str).tolist() == ["growth", "start_up"]


def test_an_explicit_mapping_is_never_undone(catalogue):
    result = ingest(usage_csv("Implementation", "Planning"), catalogue=catalogue, mapping={"life_stage": "Stage"})
    assert result.report.mapping["life_stage"] == "Stage"
    assert set(result.report.problems["code"]) == {"not_in_vocabulary"}
    assert not any("was not used as" in w for w in result.report.warnings)


def test_a_blank_optional_column_stays_matched(catalogue):
    result = ingest(usage_csv("", ""), catalogue=catalogue)
    assert result.report.mapping["life_stage"] == "Stage"
    assert pd.isna(result.frame["life_stage"]).all()


def test_the_share_of_known_values_counts_each_part_of_a_list_and_instruments_against_the_catalogue(catalogue):
    from sse_dash.ingest.mapping import _share_known
    from sse_dash.schema import FIELDS

    def field(kind, name):
        return next(f for f in FIELDS[kind] if f.name == name)

    countries = field("instruments", "countries")
    assert _share_known(pd.Series(["KEN; UGA", " FRA ", "", None]), countries, None) is None  # every part known
    assert _share_known(pd.Series(["KEN; Atlantis", "FRA"]), countries, None) == (1, 2, "KEN; Atlantis")
    stage = field("usage", "life_stage")  # one value per cell: a list is not a life stage
    assert _share_known(pd.Series(["growth", "start_up; growth"]), stage, None) == (1, 2, "start_up; growth")
    instrument = field("figures", "instrument_id")
    assert _share_known(pd.Series(["member_shares", "zzz"]), instrument, catalogue) == (1, 2, "zzz")
    assert _share_known(pd.Series(["zzz"]), instrument, None) is None  # no catalogue: nothing to say
