"""`python -m sse_dash`: exit codes, plain and JSON output, --out, templates, demo data."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sse_dash.cli import main
from sse_dash.schema import KINDS, field_names

TEST_DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("path", "exit_code"),
    [
        (ROOT / "data" / "SYNTHETIC_demo_usage.csv", 0),
        (ROOT / "data" / "figures.csv", 0),
        (ROOT / "data" / "instruments.csv", 0),
        (ROOT / "data" / "sources.csv", 0),
        (TEST_DATA / "usage_european.csv", 0),
        (TEST_DATA / "usage_bom.csv", 0),
        (TEST_DATA / "usage_broken.csv", 1),
        (TEST_DATA / "picture.csv", 1),
        (TEST_DATA / "empty.csv", 1),
        (TEST_DATA / "header_only.csv", 1),
        (TEST_DATA / "duplicate_columns.csv", 1),
        (TEST_DATA / "missing_column.csv", 1),
        (TEST_DATA / "does_not_exist.csv", 2),
        (TEST_DATA, 2),
    ],
)
def test_validate_exit_codes(capsys, path, exit_code):
    code, out, err = run(capsys, "validate", path)
    assert code == exit_code, out + err


def test_misuse_exits_2():
    result = subprocess.run(
        [sys.executable, "-m", "sse_dash", "validate", "x.csv", "--kind", "cats"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_plain_output_names_rows_columns_values_and_fixes(capsys):
    code, out, _ = run(capsys, "validate", TEST_DATA / "usage_broken.csv")
    assert code == 1
    assert "Kind: usage" in out and "Encoding: utf-8" in out and "Delimiter: comma" in out
    assert "row 3, column 'country': 'Keniya' is not a known country. Did you mean KEN (Kenya)?" in out
    assert "row 4, column 'year': '2040' is in the future" in out
    assert "1 of 5 rows are valid" in out


def test_json_output(capsys):
    code, out, _ = run(capsys, "validate", TEST_DATA / "usage_european.csv", "--json")
    report = json.loads(out)
    assert code == 0
    assert report["valid"] is True and report["kind"] == "usage" and report["rows"] == 6
    assert (report["encoding"], report["delimiter"]) == ("cp1252", ";")
    assert report["problems"] == []


def test_json_file_level_problem_has_null_row_and_column(capsys):
    _, out, _ = run(capsys, "validate", TEST_DATA / "picture.csv", "--json")
    problem = json.loads(out)["problems"][0]
    assert problem["row"] is None and problem["column"] is None and "PNG" in problem["message"]


def test_out_writes_clean_canonical_rows(capsys, tmp_path):
    out_file = tmp_path / "clean.csv"
    code, out, _ = run(capsys, "validate", TEST_DATA / "usage_european.csv", "--out", out_file)
    assert code == 0 and "Wrote 6 clean row(s)" in out
    clean = pd.read_csv(out_file, encoding="utf-8")
    assert list(clean.columns) == field_names("usage")
    assert list(clean["country"]) == ["FRA", "CIV", "IRN", "TZA", "KOR", "VNM"]
    assert clean.loc[0, "sse_type"] == "cooperative" and clean.loc[0, "amount"] == 12500
    assert clean.loc[0, "currency"] == "EUR"
    assert run(capsys, "validate", out_file)[0] == 0


def test_out_with_problems_writes_the_valid_rows_and_says_how_many_were_left_out(capsys, tmp_path):
    out_file = tmp_path / "clean.csv"
    code, out, _ = run(capsys, "validate", TEST_DATA / "usage_broken.csv", "--out", out_file)
    assert code == 1
    assert "Wrote 1 clean row(s)" in out and "4 row(s) with problems were left out" in out
    assert len(pd.read_csv(out_file)) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_templates_have_the_documented_header_and_validate(capsys, tmp_path, kind):
    target = tmp_path / f"{kind}.csv"
    assert run(capsys, "template", kind, "--out", target)[0] == 0
    assert list(pd.read_csv(target).columns) == field_names(kind)
    code, out, _ = run(capsys, "validate", target, "--kind", kind)
    assert code == 0, out


def test_template_to_stdout(capsys):
    code, out, _ = run(capsys, "template", "usage")
    assert code == 0 and out.startswith("org_id,country,year,sse_type,instrument_id,amount,currency")
    assert "EXAMPLE-1" in out and "SYNTHETIC" in out


def test_demo_data_writes_the_requested_rows(capsys, tmp_path):
    target = tmp_path / "demo.csv"
    code, _, err = run(capsys, "demo-data", "--rows", 123, "--out", target)
    assert code == 0 and "SYNTHETIC" in err
    assert len(pd.read_csv(target)) == 123
    assert run(capsys, "validate", target)[0] == 0


def test_validate_against_another_catalogue(capsys, tmp_path):
    catalogue = pd.read_csv(ROOT / "data" / "instruments.csv").head(1)
    catalogue.to_csv(tmp_path / "cat.csv", index=False)
    code, out, _ = run(capsys, "validate", TEST_DATA / "usage_ok.csv", "--catalogue", tmp_path / "cat.csv")
    assert code == 1 and "unknown_instrument" in out


def test_dictionary_lists_every_column(capsys):
    code, out, _ = run(capsys, "dictionary")
    assert code == 0
    for kind in KINDS:
        for name in field_names(kind):
            assert f"`{name}`" in out


def test_purge_expired_releases_the_space_of_expired_datasets(capsys, monkeypatch, tmp_path):
    import datetime as dt

    from sse_dash import store

    url = f"sqlite:///{tmp_path / 'sse_dash.sqlite'}"
    monkeypatch.setenv("SSE_DASH_DATABASE_URL", url)
    saved = store.DatasetStore(url)
    saved.save("figures", pd.DataFrame({"a": [1]}), "old.csv", now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    saved.close()
    assert main(["purge-expired"]) == 0
    assert "Released the space of 1 expired saved dataset(s)." in capsys.readouterr().out
    assert main(["purge-expired"]) == 0
    assert "of 0 expired" in capsys.readouterr().out


def test_out_keeps_the_solar_hijri_years_beside_the_gregorian_ones(capsys, tmp_path):
    out_file = tmp_path / "clean.csv"
    code, out, _ = run(capsys, "validate", TEST_DATA / "register_export_fa.csv", "--out", out_file)
    assert code == 0 and "read as Solar Hijri years" in out
    clean = pd.read_csv(out_file, encoding="utf-8")
    assert list(clean.columns) == [*field_names("usage"), "year_solar_hijri"]
    assert list(clean["year"]) == [2022, 2023, 2023, 2023, 2024]
    assert list(clean["year_solar_hijri"]) == [1401, 1402, 1402, 1402, 1403]
    assert run(capsys, "validate", out_file)[0] == 0


# --- --map and --set: the upload page's matching from the command line (#14) --------------------------------

FILE_WITHOUT_CURRENCY = "Organisation,Pays,Year,Kind,Financing,Value,Stage\nA,Kenya,2021,coop,member_shares,10,growth\n"


def test_map_and_set_do_what_the_upload_page_matching_does(capsys, tmp_path):
    path = tmp_path / "own_names.csv"
    path.write_text(FILE_WITHOUT_CURRENCY, encoding="utf-8")
    assert run(capsys, "validate", path)[0] == 1  # no currency, and 'Kind' is not a known header
    out_file = tmp_path / "clean.csv"
    code, out, err = run(
        capsys,
        "validate",
        path,
        "--map",
        "sse_type=Kind",
        "--map",
        "instrument_id=Financing",
        "--set",
        "currency=KES",
        "--out",
        out_file,
        "--json",
    )
    assert code == 0, out + err
    report = json.loads(out)
    assert report["mapping"]["sse_type"] == "Kind" and report["mapping"]["instrument_id"] == "Financing"
    clean = pd.read_csv(out_file)
    assert clean.loc[0, "currency"] == "KES" and clean.loc[0, "sse_type"] == "cooperative"
    assert clean.loc[0, "life_stage"] == "growth"


def test_map_with_an_empty_column_leaves_the_field_unmatched(capsys, tmp_path):
    path = tmp_path / "own_names.csv"
    path.write_text(FILE_WITHOUT_CURRENCY, encoding="utf-8")
    code, out, _ = run(
        capsys,
        "validate",
        path,
        *("--map", "sse_type=Kind", "--map", "instrument_id=Financing", "--map", "life_stage="),
        *("--set", "currency=KES", "--json"),
    )
    assert code == 0
    assert "life_stage" not in json.loads(out)["mapping"]


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--map", "colour=Kind"], "usage has no field 'colour'"),
        (["--set", "colour=red"], "usage has no field 'colour'"),
        (["--map", "sse_type=Category"], "the file has no column 'Category'"),
        (["--map", "sse_type"], "write --map FIELD=COLUMN"),
        (["--map", "sse_type=Kind", "--map", "sse_type=Value"], "gives 'sse_type' twice"),
        (["--map", "currency=Kind", "--set", "currency=KES"], "both a column (--map) and a value (--set)"),
        (["--kind", "sources", "--map", "sse_type=Kind"], "sources has no field 'sse_type'"),
    ],
)
def test_map_and_set_misuse_exits_2_with_a_message(capsys, tmp_path, options, said):
    path = tmp_path / "own_names.csv"
    path.write_text(FILE_WITHOUT_CURRENCY, encoding="utf-8")
    code, _, err = run(capsys, "validate", path, "--kind", "usage", *options)
    assert code == 2 and said in err, err


def test_every_option_of_every_command_is_documented_in_the_readme():
    from sse_dash.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices
    for name, command in commands.items():
        for action in command._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in readme, f"{name} {option}"
