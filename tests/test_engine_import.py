"""The engine import of a large usage CSV gives what the ordinary ingest gives: the same valid rows in the same
order, the same problems (row, column, value, message) and the same warnings, on clean, messy, European, Persian
and hostile files; counts stay exact when only the first problems of each kind are listed."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pandas as pd
import pytest

from sse_dash import datasets, demo, schema
from sse_dash.engine import connect, importer
from sse_dash.engine.importer import import_usage_csv
from sse_dash.ingest import ingest_path

KEY = ["row", "column", "value", "code", "message", "suggestion"]
SOLAR = "year_solar_hijri"


def both(path: Path, catalogue: pd.DataFrame, tmp_path: Path, **options):
    engine = import_usage_csv(path, tmp_path / "out.parquet", catalogue, **options)
    keep = {k: v for k, v in options.items() if k in ("mapping", "constants", "listed_per_kind")}
    ordinary = ingest_path(str(path), kind="usage", catalogue=catalogue, **keep)
    return engine, ordinary


def assert_same(engine, ordinary) -> None:
    e, o = engine.report, ordinary.report
    assert (e.rows, e.valid_rows, e.encoding, e.delimiter, e.decimal) == (
        o.rows,
        o.valid_rows,
        o.encoding,
        o.delimiter,
        o.decimal,
    )
    assert e.mapping == o.mapping and e.warnings == o.warnings
    pd.testing.assert_frame_equal(
        e.problems[KEY].astype(str).reset_index(drop=True), o.problems[KEY].astype(str).reset_index(drop=True)
    )
    assert engine.problem_counts == o.counts_by_code().to_dict() == e.counts_by_code().to_dict()
    pd.testing.assert_frame_equal(
        e.all_problems().astype(str).reset_index(drop=True), o.all_problems().astype(str).reset_index(drop=True)
    )
    if not o.valid_rows:
        assert engine.parquet is None
        return
    written = pd.read_parquet(engine.parquet)
    kept = ordinary.frame.reset_index(drop=True)
    for column in kept.columns:
        assert written[column].astype(str).tolist() == kept[column].astype(str).tolist(), column
    assert written["family"].tolist() == kept["instrument_id"].astype(str).map(FAMILY).tolist()
    if SOLAR in ordinary.extras:
        assert written[SOLAR].astype("Int64").tolist() == ordinary.extras[SOLAR].astype("Int64").tolist()


def records_of(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and the records of a CSV file, to be changed and written back with `write_records`."""
    with open(path, encoding="utf-8", newline="") as handle:
        head, *data = list(csv.reader(handle))
    return head, data


def write_records(path: Path, head: list[str], data: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([head, *data])


FAMILY: dict[str, str] = {}


@pytest.fixture(scope="module")
def catalogue() -> pd.DataFrame:
    """The bundled catalogue (with the families the written rows carry)."""
    full = datasets.load_catalogue()
    FAMILY.update(zip(full["instrument_id"], full["family"], strict=True))
    return full


def test_a_clean_export_takes_the_canonical_lane_whole(tmp_path, catalogue):
    path = tmp_path / "clean.csv"
    demo.write_usage_csv(path, rows=3_000)
    engine, ordinary = both(path, catalogue, tmp_path)
    assert_same(engine, ordinary)
    assert engine.fast_rows == 3_000 and engine.report.valid


def test_a_clean_file_with_rows_entered_twice_names_them_as_the_ordinary_ingest_does(tmp_path, catalogue):
    path = tmp_path / "twice.csv"
    demo.write_usage_csv(path, rows=500)
    head, data = records_of(path)
    for copied, at in [(10, 11), (2, 400), (7, len(data))]:
        data.insert(at, list(data[copied]))
    write_records(path, head, data)
    engine, ordinary = both(path, catalogue, tmp_path)
    assert_same(engine, ordinary)
    assert engine.fast_rows == 503
    # the copies are at positions 11, 400 and 500 (the last: at 500 of the 500 rows first there): rows 13, 402 and
    # 502 of the spreadsheet, whose row 1 is the header
    assert any("(rows 13, 402, 502)" in warning for warning in engine.report.warnings), engine.report.warnings


def test_one_record_out_of_form_at_the_end_sends_the_file_through_both_lanes(tmp_path, catalogue):
    path = tmp_path / "last.csv"
    demo.write_usage_csv(path, rows=2_000)
    head, data = records_of(path)
    data[-1][head.index("country")] = "Kenya"
    write_records(path, head, data)
    (tmp_path / "out.parquet").write_bytes(b"an earlier file")  # replaced whole
    engine, ordinary = both(path, catalogue, tmp_path)
    assert_same(engine, ordinary)
    assert engine.fast_rows == 1_999 and engine.report.valid_rows == 2_000
    assert pd.read_parquet(engine.parquet)["country"].iloc[-1] == "KEN"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last.csv", "out.parquet"]  # no partial file left


def test_rows_with_cells_beyond_the_header_are_left_out_with_the_ordinary_problem(tmp_path, catalogue):
    path = tmp_path / "wide.csv"
    demo.write_usage_csv(path, rows=12_000)  # about 1.3 MB: the late rows are beyond the first screen's sample
    head, data = records_of(path)
    width = len(head)
    endings = {
        3: ["a split note"],  # one filled cell too many
        40: ["", "x", ""],  # a blank cell, then a filled one: counted up to the filled one
        500: ["", ""],  # trailing delimiters only: an ordinary row
        9_000: [" ", "\t", "\u00a0"],  # whitespace only, as Python sees it: an ordinary row
        11_000: ["a", "b"],
        11_500: ["\u3000y"],  # an ideographic space, then a letter: filled
    }
    for at, cells in endings.items():
        data[at] = data[at] + cells
    data[10_000] = data[10_000] + ["z"] * (2 * width)  # more cells than the engine reads (twice the header's)
    write_records(path, head, data)
    engine = import_usage_csv(path, tmp_path / "out.parquet", catalogue)
    ordinary = ingest_path(str(path), kind="usage", catalogue=catalogue)
    wide = {3: 1, 40: 2, 11_000: 2, 11_500: 1, 10_000: 2 * width}
    problems = ordinary.report.problems
    assert problems["code"].astype(str).eq("too_many_cells").all()
    assert problems["row"].tolist() == [at + 2 for at in sorted(wide)]  # row 1 is the header
    said = dict(zip(problems["row"], problems["message"], strict=True))
    assert said[3 + 2] == f"Row 5 has {width + 1} cells but the header has {width}."
    assert said[40 + 2] == f"Row 42 has {width + 2} cells but the header has {width}."
    assert ordinary.report.rows == 12_000 and ordinary.report.valid_rows == 12_000 - len(wide)
    # The engine says the same, but of the row with more cells than it reads: 'or more'.
    longest = engine.report.problems["row"] == 10_002
    assert engine.report.problems.loc[longest, "message"].tolist() == [
        f"Row 10002 has {2 * width} cells or more but the header has {width}."
    ]
    engine.report.problems.loc[longest, "message"] = problems.loc[problems["row"] == 10_002, "message"].to_numpy()
    assert_same(engine, ordinary)


def test_the_engine_knows_the_whitespace_python_strips():
    assert tuple(code for code in range(0x110000) if chr(code).isspace()) == importer._SPACES


def test_rows_of_spaces_are_empty_rows_as_in_the_ordinary_ingest(tmp_path, catalogue):
    path = tmp_path / "spaces.csv"
    demo.write_usage_csv(path, rows=12_000)
    head, data = records_of(path)
    width = len(head)
    rows = {5: [""] + [" "] * (width - 1), 11_000: [" "] + [""] * (width - 1), 11_001: ["\t", "\u00a0", "\u3000"]}
    rows[11_002] = [" "] * width + [" ", ""]  # spaces beyond the header too: still empty
    for at, cells in rows.items():
        data[at] = cells + [""] * (width - len(cells))
    write_records(path, head, data)
    engine, ordinary = both(path, catalogue, tmp_path)
    assert_same(engine, ordinary)
    assert engine.report.warnings[0] == "4 empty rows were skipped (rows 7, 11002, 11003, 11004)."
    assert engine.report.rows == 12_000 - 4 and engine.report.valid


@pytest.fixture(scope="module")
def large_clean_file(tmp_path_factory) -> Path:
    """300,000 demo rows (31 MB): DuckDB reads a file this size in parallel, in pieces."""
    path = tmp_path_factory.mktemp("large") / "large.csv"
    demo.write_usage_csv(path, rows=300_000)
    return path


def in_file_order(written: Path, path: Path, kept=lambda rows: rows) -> bool:
    """Whether the rows written are the file's rows (those `kept`), in the file's order."""
    rows = kept(pd.read_csv(path, dtype=str, keep_default_na=False))
    found = pd.read_parquet(written, columns=["org_id", "year", "instrument_id", "amount"])
    return len(found) == len(rows) and all(
        found[column].astype(str).tolist() == rows[column].tolist() for column in ("org_id", "year", "instrument_id")
    )


def test_a_large_clean_file_is_written_in_its_own_order(tmp_path, catalogue, large_clean_file):
    engine = import_usage_csv(large_clean_file, tmp_path / "out.parquet", catalogue)
    assert engine.report.valid and engine.fast_rows == engine.report.valid_rows == 300_000
    assert in_file_order(engine.parquet, large_clean_file)


def test_a_large_file_names_the_spreadsheet_rows_of_its_problems_and_keeps_its_order(
    tmp_path, catalogue, large_clean_file
):
    """A join in the test of canonical cells let DuckDB's parallel reader give the rows out of order: the country
    of row 250,002 was reported in row 97,339."""
    head, data = records_of(large_clean_file)
    data[100][head.index("amount")] = "-5"  # early: the single pass is not tried
    data[250_000][head.index("country")] = "Atlantis"
    path = tmp_path / "two problems.csv"
    write_records(path, head, data)
    engine = import_usage_csv(path, tmp_path / "out.parquet", catalogue)
    problems = engine.report.problems
    assert list(zip(problems["row"], problems["column"], problems["value"], strict=True)) == [
        (102, "amount", "-5"),
        (250_002, "country", "Atlantis"),
    ]
    assert in_file_order(engine.parquet, path, lambda rows: rows.drop(index=[100, 250_000]))


def test_a_long_pass_says_how_far_it_is_and_stops_when_the_page_does(tmp_path, catalogue, monkeypatch):
    path = tmp_path / "long.csv"
    demo.write_usage_csv(path, rows=200_000)
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 0.01)  # a look every 10 ms: the pass takes far longer
    said: list[tuple[float, str]] = []
    import_usage_csv(path, tmp_path / "out.parquet", catalogue, progress=lambda f, label: said.append((f, label)))
    fractions = [fraction for fraction, _ in said]
    assert fractions == sorted(fractions) and fractions[0] == 0.1 and fractions[-1] <= 0.9
    assert len({f for f in fractions if 0.1 < f < 0.9}) >= 2, said  # said while DuckDB read the file
    assert {label for _, label in said} == {"Reading the file"}

    class Stopped(Exception):
        """What Streamlit raises in a script whose page the user has left."""

    def stop(fraction: float, label: str) -> None:
        if fraction > 0.1:
            raise Stopped

    with pytest.raises(Stopped):
        import_usage_csv(path, tmp_path / "stopped.parquet", catalogue, progress=stop)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.csv", "out.parquet"]  # nothing half-written


def test_progress_goes_on_from_where_the_single_pass_stopped(tmp_path, catalogue):
    path = tmp_path / "messy.csv"
    messy_file(path, rows=3_000, share=0.2, seed=3)
    said: list[tuple[float, str]] = []
    import_usage_csv(path, tmp_path / "out.parquet", catalogue, chunk_rows=1_000, progress=lambda *a: said.append(a))
    fractions = [fraction for fraction, _ in said]
    assert fractions == sorted(fractions) and fractions[0] == 0.1 and fractions[-1] == 0.9
    assert [label for _, label in said][-1] == "Writing the valid rows"
    assert "Checking the rows" in {label for _, label in said}


MUTATIONS = [
    ("country", lambda v: {"KEN": "Kenya", "ITA": "Italie"}.get(v, v.lower())),
    ("country", lambda v: "Atlantis"),
    ("amount", lambda v: "-" + v),
    ("amount", lambda v: "".join("۰۱۲۳۴۵۶۷۸۹"[int(c)] if c.isdigit() else c for c in v)),
    ("amount", lambda v: "n/a"),
    ("amount", lambda v: ""),
    ("amount", lambda v: f"{v} €"),
    ("year", lambda v: "1399"),
    ("year", lambda v: "2099"),
    ("year", lambda v: f" {v}"),
    ("year", lambda v: "۱۴۰۲"),
    ("instrument_id", lambda v: "mystery"),
    ("instrument_id", lambda v: "Member share capital"),
    ("sse_type", lambda v: "Co-operative"),
    ("sse_type", lambda v: "bank"),
    ("currency", lambda v: "€"),
    ("currency", lambda v: v.lower()),
    ("org_id", lambda v: ""),
    ("org_id", lambda v: f"{v} "),
    ("life_stage", lambda v: "teenage"),
    ("sector", lambda v: f"  {v}"),
    ("amount_usd", lambda v: "1,234.5"),
]


def messy_file(path: Path, rows: int, share: float, seed: int) -> None:
    """Demo rows with every kind of trouble sprinkled in, an empty row, a quoted cell over two lines, a row with a
    cell beyond the header, and three rows entered twice (one of them later in the file, after rows of the other
    lane)."""
    demo.write_usage_csv(path, rows=rows)
    head, data = records_of(path)
    where = {name: i for i, name in enumerate(head)}
    chance = random.Random(seed)
    for row in data:
        if chance.random() < share:
            column, change = chance.choice(MUTATIONS)
            row[where[column]] = change(row[where[column]])
    data[7][where["region"]] = "Nairobi\nEast"
    data[50] = data[50] + ["a cell beyond the header"]  # left out with its own problem, among the other lane's rows
    for copied, at in [(30, 31), (40, 300), (3, len(data))]:
        data.insert(at, list(data[copied]))
    data.insert(20, [""] * len(head))
    write_records(path, head, data)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_messy_file_gives_the_ordinary_report_row_for_row(tmp_path, catalogue, seed):
    path = tmp_path / "messy.csv"
    messy_file(path, rows=6_000, share=0.2, seed=seed)
    engine, ordinary = both(path, catalogue, tmp_path, chunk_rows=2_048)  # several chunks of the other lane
    assert_same(engine, ordinary)
    assert 0 < engine.fast_rows < engine.report.rows
    assert len(engine.report.problems) > 300
    assert any("repeat" in warning for warning in engine.report.warnings)  # those entered twice, valid or not
    # The rows written pass the schema's rules, checked by the engine itself (pandera's Ibis backend)
    written = connect(None).read_parquet(engine.parquet)
    schema.ibis_schema("usage", tuple(catalogue["instrument_id"])).validate(written, lazy=True)


def test_listing_stops_at_the_limit_per_kind_while_counts_stay_exact(tmp_path, catalogue):
    path = tmp_path / "messy.csv"
    messy_file(path, rows=6_000, share=0.3, seed=3)
    engine, ordinary = both(path, catalogue, tmp_path, listed_per_kind=5, chunk_rows=2_048)
    assert_same(engine, ordinary)  # the same first five of each kind, every count, every row of the full list
    assert engine.report.problems["code"].value_counts().max() == 5
    assert engine.report.problem_count > 5 * len(engine.problem_counts)


@pytest.mark.parametrize(
    ("name", "mapping"),
    [
        ("register_export_fr.csv", {"sse_type": "Cat. adh."}),  # cp1252, semicolons, a title, decimal commas
        ("register_export_fa.csv", None),  # Persian headers, digits and Solar Hijri years
        ("usage_european.csv", None),
        ("usage_bom.csv", None),
        ("usage_tabs.tsv", None),
        ("usage_broken.csv", None),
        ("usage_ok.csv", None),
    ],
)
def test_the_hold_out_files_read_as_the_ordinary_ingest_reads_them(tmp_path, catalogue, data_file, name, mapping):
    path = tmp_path / name
    path.write_bytes(data_file(name))
    engine, ordinary = both(path, catalogue, tmp_path, mapping=mapping)
    assert_same(engine, ordinary)


def test_a_file_without_a_required_column_gets_the_ordinary_problem_and_no_parquet(tmp_path, catalogue, data_file):
    path = tmp_path / "missing_column.csv"
    path.write_bytes(data_file("missing_column.csv"))
    engine, ordinary = both(path, catalogue, tmp_path)
    assert engine.parquet is None and not engine.report.valid
    assert engine.report.problems["code"].tolist() == ordinary.report.problems["code"].tolist()
