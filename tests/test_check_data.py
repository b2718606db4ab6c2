"""The rules that keep sources citable: no home pages, no source twice, citations that exist, no unused source;
and the evidence and series rules the audit of issue #16 found broken."""

import csv
import json
import shutil

import pytest

from sse_dash import check_data, paths
from sse_dash.check_data import reference_findings, source_findings
from sse_dash.cli import main
from sse_dash.ingest import ingest
from sse_dash.ingest.addresses import comparable, is_home_page


@pytest.mark.parametrize(
    ("url", "home"),
    [
        ("https://pulselive.co.ke", True),
        ("https://absoluteastronomy.com/", True),
        ("http://example.org/index.html", True),
        ("https://example.org/Default.aspx", True),
        ("https://thenews.coop/?p=164846", False),
        ("https://cfi.it//cosa-facciamo.php", False),
        ("http://www.ilo.org/global/topics/cooperatives/sse/WCMS_840986/lang--en/index.htm", False),
        ("https://uk.coop/newsroom/a-press-release", False),
    ],
)
def test_a_home_page_is_a_site_without_a_page(url, home):
    assert is_home_page(url) is home


def test_two_spellings_of_one_address_compare_equal():
    assert comparable("https://www.Example.org/a/") == comparable("http://example.org/a")
    assert comparable("https://example.org/?p=1") != comparable("https://example.org/?p=2")


def source(source_id, url):
    return {"source_id": source_id, "url": url}


def test_source_findings_name_the_row_column_and_value():
    sources = [
        source("a", "https://example.org/report"),
        source("b", "https://example.org"),
        source("a", "https://other.org/page"),
        source("c", "http://www.example.org/report/"),
    ]
    found = {(f.rule, f.row, f.column, f.value) for f in source_findings(sources)}
    assert found == {
        ("home_page_url", 3, "url", "https://example.org"),
        ("duplicate_source_id", 4, "source_id", "a"),
        ("duplicate_url", 5, "url", "http://www.example.org/report/"),
    }


def test_reference_findings_catch_unknown_and_unused_sources():
    sources = [source("used", "https://a.org/x"), source("orphan", "https://b.org/y")]
    figures = [{"source_id": "used"}, {"source_id": "missing"}]
    catalogue = [{"source_ids": "used|gone"}]
    found = {(f.rule, f.file, f.row, f.value) for f in reference_findings(sources, figures, catalogue)}
    assert found == {
        ("unknown_source", "figures.csv", 3, "missing"),
        ("unknown_source", "instruments.csv", 2, "gone"),
        ("unused_source", "sources.csv", 3, "orphan"),
    }


def test_the_bundled_data_breaks_no_rule():
    assert [f.line() for f in check_data.check()] == []


def copy_data(tmp_path):
    for csv_path in (paths.SOURCES_CSV, paths.FIGURES_CSV, paths.INSTRUMENTS_CSV):
        shutil.copy(csv_path, tmp_path / csv_path.name)
    return tmp_path


def append_source(folder, source_id, url):
    with (folder / "sources.csv").open("a", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerow([source_id, "A page", "A publisher", "", url, "", "primary", ""])


def test_check_data_command_reports_a_home_page_as_json(tmp_path, capsys):
    folder = copy_data(tmp_path)
    append_source(folder, "home_only", "https://example.org/")
    assert main(["check-data", "--data", str(folder), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    rules = {(f["rule"], f["value"]) for f in report["findings"]}
    assert report["valid"] is False
    assert ("home_page_url", "https://example.org/") in rules
    assert ("unused_source", "home_only") in rules


def test_check_data_command_passes_the_bundled_data(capsys):
    assert main(["check-data"]) == 0
    assert "0 finding(s)" in capsys.readouterr().out


def test_check_data_command_refuses_a_folder_without_the_files(tmp_path, capsys):
    assert main(["check-data", "--data", str(tmp_path)]) == 2
    assert "sources.csv" in capsys.readouterr().err


SOURCES_HEADER = "source_id,title,publisher,year,url,primary_source,kind,note\n"


def test_a_sources_file_with_a_home_page_or_an_address_twice_has_problems():
    data = (
        SOURCES_HEADER
        + "good,Report,Publisher,2020,https://example.org/report,,primary,\n"
        + "home,Site,Publisher,,https://example.org/,,secondary,\n"
        + "again,Report again,Publisher,,https://www.example.org/report/,,secondary,\n"
    ).encode()
    report = ingest(data, kind="sources", filename="sources.csv").report
    problems = report.problems[["row", "column", "value", "code"]].to_dict("records")
    assert {"row": 3, "column": "url", "value": "https://example.org/", "code": "invalid_value"} in problems
    assert {"row": 4, "column": "url", "value": "https://www.example.org/report/", "code": "duplicate_key"} in problems
    duplicate = report.problems[report.problems["code"] == "duplicate_key"].iloc[0]
    assert "row 2" in duplicate["message"]
    assert "home page" in report.problems.loc[report.problems["code"] == "invalid_value", "message"].iloc[0]
    assert report.valid_rows == 1


def rows(path):
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


DOUBT = ("judgment", "not re-found", "not given", "unverified", "per research note", "not sourced")


@pytest.mark.parametrize(("attribute", "note"), [("cost_level", "cost_note"), ("maturity_class", "maturity_note")])
def test_an_attribute_marked_fact_has_no_note_that_doubts_it(attribute, note):
    doubted = [
        i["instrument_id"]
        for i in rows(paths.INSTRUMENTS_CSV)
        if i[f"{attribute}_evidence"] == "fact" and any(word in i[note].lower() for word in DOUBT)
    ]
    assert doubted == []


def test_employment_in_co_operatives_is_a_part_of_employment_within_their_scope():
    figures = rows(paths.FIGURES_CSV)
    assert not [f for f in figures if f["indicator"] == "coop_employment"]
    world = {f["indicator"]: float(f["value"]) for f in figures if f["geography"] == "World"}
    assert 0 < world["coop_employment_in_coops"] < world["coop_employment_in_scope"]


def test_a_per_job_average_that_the_totals_contradict_is_flagged():
    cfi = {f["indicator"]: f for f in rows(paths.FIGURES_CSV) if f["indicator"].startswith("cfi_")}
    capital_eur = float(cfi["cfi_capital_available"]["value"]) * 1e6
    implied = capital_eur / float(cfi["cfi_jobs_supported"]["value"])
    stated = float(cfi["cfi_investment_per_job"]["value"])
    if abs(implied - stated) / stated > 0.2:
        assert "do not add up" in cfi["cfi_investment_per_job"]["note"]
