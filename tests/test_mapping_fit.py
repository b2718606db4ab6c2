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


def test_the_note_on_a_column_kept_aside_says_how_many_values_were_known_word_for_word(catalogue):
    one = ingest(usage_csv("Implementation", "Implementation"), catalogue=catalogue).report
    assert "life_stage" not in one.mapping
    assert [w for w in one.warnings if "was not used" in w] == [
        "The column 'Stage' (column H) was not used as 'Life stage': 0 of its 1 different value is a known value of "
        "'Life stage' (not 'Implementation', for one), so it was kept aside. Match it to 'Life stage' yourself if it "
        "does hold them."
    ]
    # One known value of three is under half: kept aside, said in the plural (the first unknown value in order).
    three = ingest(usage_csv("growth", "Planning", "Closing"), catalogue=catalogue).report
    assert "life_stage" not in three.mapping
    assert [w for w in three.warnings if "was not used" in w] == [
        "The column 'Stage' (column H) was not used as 'Life stage': 1 of its 3 different values are known values "
        "of 'Life stage' (not 'Closing', for one), so it was kept aside. Match it to 'Life stage' yourself if it "
        "does hold them."
    ]
    # Exactly half is enough: the column is used, and its other value is a problem in its row.
    half = ingest(usage_csv("growth", "Planning"), catalogue=catalogue).report
    assert half.mapping["life_stage"] == "Stage" and not any("was not used" in w for w in half.warnings)
    assert half.problems["code"].tolist() == ["not_in_vocabulary"]


def test_each_optional_coded_field_is_checked_and_instruments_against_the_catalogue(catalogue):
    header = "indicator,geography,geo_level,year,value,unit,source_id,qualifier,instrument"
    rows = [
        f"sse_employment,KEN,country,2020,{i},persons,src,{qualifier},{instrument}"
        for i, (qualifier, instrument) in enumerate([("approx", "Loans"), ("", "Grants"), ("more_than", "Loans")])
    ]
    report = ingest("\n".join([header, *rows]).encode(), kind="figures", catalogue=catalogue).report
    assert report.mapping["qualifier"] == "qualifier"  # fits: every value is a qualifier
    assert "instrument_id" not in report.mapping and report.extra_columns == ["instrument"]  # checked after it
    assert any("was not used as 'Instrument id'" in w and "0 of its 2 different values" in w for w in report.warnings)
