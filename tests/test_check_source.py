"""`check-source`: a usage table checked where it lives (a DuckDB file, CI's PostgreSQL), without pulling its rows."""

from __future__ import annotations

import json
import secrets

import duckdb
import engines
import pandas as pd
import pytest

from sse_dash import cli, config, datasets, schema
from sse_dash.engine import UsageSource, connect, to_parquet, usage_records
from sse_dash.engine.check import MAX_LISTED, check_source

# A registry export with other column names, one exact duplicate, and one row breaking each rule.
ROWS = pd.DataFrame(
    {
        "org": ["A", "A", "B", "C", "D"],
        "country": ["KEN", "KEN", "XXX", "ITA", "ITA"],
        "year": [2021, 2021, 2030, 1850, 2020],
        "legal_form": ["cooperative", "cooperative", "coop", "mutual", "mutual"],
        "instrument_id": ["member_shares", "member_shares", "mystery", "microcredit", "microcredit"],
        "amount": [100.0, 100.0, -5.0, None, 40.0],
        "currency": ["KES", "KES", "EUR", "ZZZ", "EUR"],
    }
)
MAPPING = (("org_id", "org"), ("sse_type", "legal_form"))


@pytest.fixture(scope="module")
def duckdb_file(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("registry") / "registry.duckdb"
    with duckdb.connect(str(path)) as con:
        con.register("rows", ROWS)
        con.execute("CREATE TABLE registry_usage AS SELECT * FROM rows")
    return f"duckdb://{path}"


def found(report) -> set[tuple]:
    return {(p["code"], p["column"], p["value"], p["rows"]) for p in report.problems}


def test_every_rule_is_counted_with_its_column_and_value(duckdb_file):
    catalogue = datasets.load_catalogue()
    table = usage_records(connect(duckdb_file), UsageSource(duckdb_file, "registry_usage", MAPPING), catalogue)
    report = check_source(table, catalogue, "registry")
    assert report.rows == 5 and not report.valid
    assert found(report) == {
        ("not_in_vocabulary", "country", "XXX", 1),
        ("not_in_vocabulary", "sse_type", "coop", 1),
        ("not_in_vocabulary", "instrument_id", "mystery", 1),
        ("not_in_vocabulary", "currency", "ZZZ", 1),
        ("missing_value", "amount", None, 1),
        ("negative_value", "amount", None, 1),
        ("year_out_of_range", "year", "1850–2030", 2),
    }
    assert report.warnings == ["1 rows repeat another row exactly (kept, as in a file: several loans)."]


def test_a_column_the_mapping_does_not_name_is_missing(duckdb_file):
    catalogue = datasets.load_catalogue()
    table = usage_records(connect(duckdb_file), UsageSource(duckdb_file, "registry_usage"), catalogue)
    missing = [p for p in check_source(table, catalogue).problems if p["code"] == "missing_column"]
    assert [(p["column"], p["rows"]) for p in missing] == [("org_id", 5), ("sse_type", 5)]


def test_many_unknown_values_are_counted_but_listed_up_to_the_limit(tmp_path):
    unknown = [f"Q{i:02d}" for i in range(MAX_LISTED + 5)]
    rows = pd.concat([ROWS.iloc[[0]]] * len(unknown), ignore_index=True).assign(country=unknown, org="A")
    path = tmp_path / "many.duckdb"
    with duckdb.connect(str(path)) as con:
        con.register("rows", rows)
        con.execute("CREATE TABLE t AS SELECT * FROM rows")
    url = f"duckdb://{path}"
    catalogue = datasets.load_catalogue()
    table = usage_records(connect(url), UsageSource(url, "t", MAPPING), catalogue)
    countries = [p for p in check_source(table, catalogue).problems if p["column"] == "country"]
    assert len(countries) == MAX_LISTED + 1  # the first N, then one line for the rest
    assert sum(p["rows"] for p in countries) == len(unknown)
    assert countries[-1]["value"] is None and "5 more unknown values" in countries[-1]["message"]


def test_the_command_reads_the_settings_and_prints_the_validate_shape(duckdb_file, monkeypatch, capsys):
    monkeypatch.setenv("SSE_DASH_USAGE_URL", duckdb_file)
    monkeypatch.setenv("SSE_DASH_USAGE_TABLE", "registry_usage")
    monkeypatch.setenv("SSE_DASH_USAGE_MAPPING", "org_id=org, sse_type=legal_form")
    assert config.settings().usage_mapping == MAPPING
    assert cli.main(["check-source", "--json"]) == cli.EXIT_PROBLEMS
    printed = json.loads(capsys.readouterr().out)
    assert {"valid", "kind", "rows", "warnings", "problems"} <= set(printed)
    assert (printed["valid"], printed["rows"], len(printed["problems"])) == (False, 5, 7)


def test_a_clean_table_is_valid_and_a_missing_one_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "clean.duckdb"
    with duckdb.connect(str(path)) as con:
        con.register("rows", ROWS.iloc[[0, 4]])
        con.execute("CREATE TABLE clean AS SELECT * FROM rows")
    url = f"duckdb://{path}"
    args = ["check-source", "--url", url, "--map", "org_id=org", "--map", "sse_type=legal_form"]
    assert cli.main([*args, "--table", "clean"]) == cli.EXIT_VALID
    assert "Valid: yes." in capsys.readouterr().out
    assert cli.main([*args, "--table", "nowhere"]) == cli.EXIT_USAGE
    assert "nowhere" in capsys.readouterr().err


def test_the_same_table_on_postgresql_gives_the_same_report(duckdb_file):
    backend = engines.postgres()
    name = f"registry_{secrets.token_hex(4)}"
    try:
        backend.create_table(name, ROWS)
        catalogue = datasets.load_catalogue()
        url = engines.POSTGRES_URL
        report = check_source(usage_records(backend, UsageSource(url, name, MAPPING), catalogue), catalogue)
        on_duckdb = usage_records(connect(duckdb_file), UsageSource(duckdb_file, "registry_usage", MAPPING), catalogue)
        assert found(report) == found(check_source(on_duckdb, catalogue))
        assert report.rows == 5
    finally:
        backend.drop_table(name, force=True)
        backend.disconnect()


def test_a_password_is_not_printed():
    assert cli._without_password("postgres://user:secret@db:5432/x") == "postgres://user:***@db:5432/x"
    assert cli._without_password("duckdb:///tmp/a.duckdb") == "duckdb:///tmp/a.duckdb"


def test_pandera_s_ibis_schema_agrees_with_check_source(duckdb_file, tmp_path):
    """The schema's rules in pandera's Ibis backend, run by the engine: the registry fails on the same columns
    `check-source` names, and the clean bundled records pass both."""
    import pandera.errors

    catalogue = datasets.load_catalogue()
    rules = schema.ibis_schema("usage", tuple(catalogue["instrument_id"]))
    backend = connect(duckdb_file)
    table = usage_records(backend, UsageSource(duckdb_file, "registry_usage", MAPPING), catalogue)
    with pytest.raises(pandera.errors.SchemaErrors) as failed:
        rules.validate(table, lazy=True)
    by_pandera = {_failed_column(case) for case in failed.value.failure_cases.to_dict("records")}
    by_check = {problem["column"] for problem in check_source(table, catalogue).problems}
    # pandera's schema has the value rules (no country or currency lookups): a year before 1900 and one in the
    # future, an SSE type and an instrument that do not exist, a negative and a missing amount
    assert by_pandera == {"year", "sse_type", "instrument_id", "amount"}
    assert by_pandera <= by_check
    written = to_parquet(datasets.load_bundle().usage.frame, tmp_path / "usage.parquet")
    bundled = usage_records(connect(None), UsageSource(None, str(written)), catalogue)
    rules.validate(bundled, lazy=True)  # raises if any rule fails
    assert check_source(bundled, catalogue).valid


def _failed_column(case: dict) -> str:
    """The column of one of pandera's Ibis failure cases (a value check names it in its case: {column: value})."""
    found = case["failure_case"]
    return next(iter(found)) if isinstance(found, dict) else case["column"]
