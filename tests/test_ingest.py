"""The ingest path: parse, map, coerce, resolve, validate, report."""

import io
import os

import openpyxl
import pandas as pd
import pytest

from sse_dash.ingest import coerce_field, column_letter, detect_kind, ingest, match_columns, parse_numbers
from sse_dash.schema import INSTRUMENT_FIELDS

USAGE_HEADER = "org_id,country,year,sse_type,instrument_id,amount,currency"


def problems_by_row(result):
    return {(p.row, p.field, p.code) for p in result.report.problems.itertuples()}


def test_a_clean_file_is_valid_with_categoricals(data_file, catalogue):
    result = ingest(data_file("usage_ok.csv"), catalogue=catalogue)
    report = result.report
    assert report.valid and report.kind == "usage"
    assert (report.rows, report.valid_rows) == (4, 4)
    frame = result.frame
    assert list(frame.columns[:7]) == USAGE_HEADER.split(",")
    for name in ("country", "sse_type", "instrument_id", "currency", "life_stage"):
        assert isinstance(frame[name].dtype, pd.CategoricalDtype), name
    assert frame["year"].dtype == "int64"
    assert frame.loc[4, "amount"] == pytest.approx(12000.50)


def test_european_excel_export_is_understood(data_file, catalogue):
    result = ingest(data_file("usage_european.csv"), catalogue=catalogue)
    report = result.report
    assert report.valid, report.problems.to_dict("records")
    assert (report.encoding, report.delimiter, report.decimal) == ("cp1252", ";", ",")
    assert report.mapping["country"] == "Pays" and report.mapping["amount"] == "Montant"
    frame = result.frame
    assert list(frame["country"]) == ["FRA", "CIV", "IRN", "TZA", "KOR", "VNM"]
    assert list(frame["amount"]) == [12500.0, 3200.5, 1000.0, 2500000.0, 45000000.0, 750.25]
    assert frame.loc[2, "instrument_id"] == "member_shares"
    assert frame.loc[2, "currency"] == "EUR"
    assert list(frame["sse_type"].astype(str)) == [
        "cooperative",
        "association",
        "cooperative",
        "cooperative",
        "social_enterprise",
        "informal_group",
    ]


def test_bom_and_lower_case_codes(data_file, catalogue):
    result = ingest(data_file("usage_bom.csv"), catalogue=catalogue)
    assert result.report.valid and result.report.encoding == "utf-8-sig"
    assert list(result.frame["country"]) == ["KEN", "KEN"]
    assert list(result.frame["currency"]) == ["KES", "KES"]


def test_problems_name_spreadsheet_rows_even_after_multiline_cells(data_file, catalogue):
    result = ingest(data_file("usage_broken.csv"), catalogue=catalogue)
    found = problems_by_row(result)
    assert (3, "country", "unknown_country") in found
    assert (4, "year", "future_year") in found
    assert (4, "instrument_id", "unknown_instrument") in found
    assert (4, "amount", "negative_value") in found
    assert (5, "amount", "invalid_number") in found
    assert (6, "country", "missing_value") in found
    assert (6, "sse_type", "not_in_vocabulary") in found
    assert result.report.rows == 5 and result.report.valid_rows == 1
    assert list(result.frame.index) == [2]
    assert result.frame.loc[2, "notes"] == 'first line\nsecond line with "quotes"'


def test_every_problem_says_what_to_do(data_file, catalogue):
    problems = ingest(data_file("usage_broken.csv"), catalogue=catalogue).report.problems
    messages = dict(zip(problems["code"], problems["message"], strict=False))
    suggestions = dict(zip(problems["code"], problems["suggestion"], strict=False))
    assert messages["unknown_country"] == "'Keniya' is not a known country."
    assert suggestions["unknown_country"].startswith("Did you mean KEN (Kenya)?")
    assert "Did you mean 'sacco_cu_loan'?" in suggestions["unknown_instrument"]
    assert messages["invalid_number"] == "'abc' is not a number."
    assert "in the future" in messages["future_year"]
    assert all(problems["value"].notna())
    assert problems["suggestion"].str.len().gt(5).all()


def test_one_cell_gets_one_problem(catalogue):
    data = f"{USAGE_HEADER}\nA,KEN,2021,coop,sacco_cu_loan,abc,KES\n".encode()
    problems = ingest(data, catalogue=catalogue).report.problems
    assert list(problems["code"]) == ["invalid_number"]


@pytest.mark.parametrize(
    ("name", "code", "words"),
    [
        ("empty.csv", "empty_file", "empty"),
        ("picture.csv", "unreadable_file", "PNG image"),
        ("header_only.csv", "no_rows", "no data rows"),
        ("duplicate_columns.csv", "duplicate_column", "'amount' (column F), 'Amount' (column G)"),
        ("missing_column.csv", "missing_column", "Did you mean the column 'amout'?"),
    ],
)
def test_file_level_problems_are_clear(data_file, catalogue, name, code, words):
    report = ingest(data_file(name), catalogue=catalogue).report
    assert not report.valid
    assert code in set(report.problems["code"])
    assert any(
        words in f"{m} {s}" for m, s in zip(report.problems["message"], report.problems["suggestion"], strict=True)
    )
    assert report.problems["row"].isna().all()


def test_extra_columns_are_kept_aside_and_exact_duplicates_only_warn(data_file, catalogue):
    result = ingest(data_file("usage_tabs.tsv"), catalogue=catalogue)
    report = result.report
    assert report.valid and report.delimiter == "\t"
    assert report.extra_columns == ["funder_name"]
    assert list(result.extras["funder_name"]) == ["Big Bank", "Big Bank"]
    assert any("repeats an earlier row exactly (row 3)" in w for w in report.warnings)
    assert list(result.frame["amount"]) == [1250.75, 1250.75]


def test_extra_columns_keep_their_cells_as_written_beside_the_valid_rows(catalogue):
    data = (
        f"{USAGE_HEADER},ref\n"
        "o1,KEN,2020,cooperative,member_shares,10,KES,007\n"
        "o2,KEN,2020,cooperative,member_shares,-5,KES,0042\n"
        "o3,KEN,2021,cooperative,member_shares,12.50,KES,1.50\n"
    ).encode()
    result = ingest(data, catalogue=catalogue)
    assert result.report.extra_columns == ["ref"] and result.report.valid_rows == 2
    assert list(result.extras["ref"]) == ["007", "1.50"]  # not the numbers 7 and 1.5
    assert list(result.extras.index) == list(result.frame.index) == [2, 4]
    plain = ingest(data.replace(b",ref\n", b"\n").replace(b",007\n", b"\n"), catalogue=catalogue)
    assert plain.report.extra_columns == [] and plain.extras.columns.empty
    assert list(plain.extras.index) == list(plain.frame.index), "one row of extras per valid row, even with none"


def test_rows_left_out_are_not_called_duplicates_because_their_bad_cells_were_both_unreadable(catalogue):
    rows = [USAGE_HEADER, "A,KEN,2021,coop,subsidy,100,KES", "A,KEN,2021,coop,Subvention,100,KES"]
    report = ingest("\n".join(rows).encode(), catalogue=catalogue).report
    assert report.valid_rows == 0 and len(report.problems) == 2
    assert not any("an earlier row exactly" in w for w in report.warnings)
    good = rows[1].replace("subsidy", "sacco_cu_loan")
    same = ingest("\n".join([*rows, good, good]).encode(), catalogue=catalogue)
    assert any("an earlier row exactly" in w for w in same.report.warnings)  # kept rows still are


def test_blank_lines_are_skipped_but_keep_row_numbers(catalogue):
    data = f"{USAGE_HEADER}\nA,KEN,2021,coop,sacco_cu_loan,1,KES\n\n,,,,,,\nB,XXX,2021,coop,sacco_cu_loan,1,KES\n"
    report = ingest(data.encode(), catalogue=catalogue).report
    assert report.rows == 2
    assert list(report.problems["row"]) == [5]
    assert any("rows 3, 4" in w for w in report.warnings)


def test_too_many_cells_is_a_row_problem_not_a_crash(catalogue):
    data = f"{USAGE_HEADER}\nA,KEN,2021,coop,sacco_cu_loan,1,KES\nB,KEN,2021,coop,sacco_cu_loan,1,250,KES\n"
    report = ingest(data.encode(), catalogue=catalogue).report
    assert (3, "too_many_cells") in set(zip(report.problems["row"], report.problems["code"], strict=False))
    assert report.valid_rows == 1


def test_years_are_taken_from_dates_with_a_warning(catalogue):
    data = f"{USAGE_HEADER}\nA,KEN,2021-06-30,coop,sacco_cu_loan,1,KES\nB,KEN,FY 2019,coop,sacco_cu_loan,1,KES\n"
    result = ingest(data.encode(), catalogue=catalogue)
    assert result.report.valid
    assert list(result.frame["year"]) == [2021, 2019]
    assert any("year was taken" in w for w in result.report.warnings)


def test_mapping_overrides_and_constants(catalogue):
    data = b"who,land,when,kind,what,money\nA,KEN,2021,coop,sacco_cu_loan,10\n"
    result = ingest(
        data,
        kind="usage",
        catalogue=catalogue,
        mapping={"org_id": "who", "year": "when", "sse_type": "kind", "instrument_id": "what", "amount": "money"},
        constants={"currency": "kes"},
    )
    assert result.report.valid, result.report.problems.to_dict("records")
    assert result.frame.loc[2, "currency"] == "KES"
    assert result.frame.loc[2, "country"] == "KEN"  # 'land' is a documented synonym
    assert result.report.constants == {"currency": "kes"}


def test_a_bad_constant_is_reported_once_per_row(catalogue):
    data = f"{USAGE_HEADER.replace(',currency', '')}\nA,KEN,2021,coop,sacco_cu_loan,1\n".encode()
    report = ingest(data, catalogue=catalogue, constants={"currency": "not money"}).report
    assert list(report.problems["code"]) == ["unknown_currency"]
    assert report.problems.loc[0, "column"] == "Currency (one value for every row)"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (USAGE_HEADER, "usage"),
        ("indicator,geography,geo_level,year,value,unit,source_id", "figures"),
        ("source_id,title,publisher,url,kind", "sources"),
        ("Organisation,Pays,Année,Type,Instrument,Montant,Devise", "usage"),
        ("foo,bar,baz", None),
    ],
)
def test_detect_kind(header, kind):
    assert detect_kind(header.split(","))[0] == kind


def test_unknown_kind_message_lists_required_columns():
    report = ingest(b"foo,bar\n1,2\n").report
    assert list(report.problems["code"]) == ["unknown_kind"]
    assert "org_id" in report.problems.loc[0, "message"] + report.problems.loc[0, "suggestion"]


def test_excel_first_sheet_and_named_sheet(catalogue):
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "Notes"
    first.append(["this sheet is not data"])
    data = workbook.create_sheet("Loans")
    data.append(USAGE_HEADER.split(","))
    data.append(["A", "Kenya", 2021, "Co-operative", "sacco_cu_loan", 1250.5, "KES"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = ingest(buffer.getvalue(), filename="loans.xlsx", catalogue=catalogue, sheet="Loans")
    assert result.report.valid and result.report.source_format == "xlsx"
    assert result.report.sheets == ["Notes", "Loans"]
    assert result.frame.loc[2, "amount"] == 1250.5
    unnamed = ingest(buffer.getvalue(), filename="loans.xlsx", catalogue=catalogue)
    assert unnamed.report.sheet == "Notes" and not unnamed.report.valid


@pytest.mark.parametrize(
    ("text", "decimal", "number"),
    [
        ("1,234.50", ".", 1234.5),
        ("1.234,50", ",", 1234.5),
        ("1 234,50", ",", 1234.5),
        ("1\u00a0234,50", ",", 1234.5),
        ("€ 1.000", ",", 1000.0),
        ("300000.0", ".", 300000.0),
        ("1'000'000", ".", 1000000.0),
        ("1e6", ".", 1000000.0),
    ],
)
def test_parse_numbers(text, decimal, number):
    assert parse_numbers(pd.Series([text], dtype="str"), decimal).iloc[0] == number


@pytest.mark.parametrize(("position", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letter(position, letter):
    assert column_letter(position) == letter


def test_json_report_has_the_documented_keys(data_file, catalogue):
    as_dict = ingest(data_file("usage_broken.csv"), catalogue=catalogue).report.to_dict()
    assert {"valid", "kind", "rows", "encoding", "delimiter", "warnings", "problems"} <= set(as_dict)
    assert as_dict["valid"] is False
    assert {"row", "column", "value", "message"} <= set(as_dict["problems"][0])


def test_instrument_ids_are_kept_when_no_catalogue_is_given():
    result = ingest(f"{USAGE_HEADER}\nA,KEN,2021,coop,anything_at_all,1,KES\n".encode())
    assert result.report.valid
    assert result.frame.loc[2, "instrument_id"] == "anything_at_all"


def test_two_values_for_one_figure_key_are_a_problem():
    header = "indicator,geography,geo_level,year,value,unit,source_id"
    data = f"{header}\ncu_members,World,world,2021,1,persons,s1\ncu_members,World,world,2021,2,persons,s1\n"
    problems = ingest(data.encode(), kind="figures").report.problems
    assert list(problems["code"]) == ["duplicate_key"]
    assert problems.loc[0, "row"] == 3 and "already given in row 2" in problems.loc[0, "message"]
    split = (
        f"{header},breakdown\ncu_members,World,world,2021,1,persons,s1,A\ncu_members,World,world,2021,2,persons,s1,B\n"
    )
    assert ingest(split.encode(), kind="figures").report.valid


def test_large_uploaded_bytes_parse_through_a_temporary_file_that_goes_with_the_table(tmp_path):
    import gc
    import glob

    from sse_dash import demo, ingest

    path = demo.write_usage_csv(tmp_path / "big.csv", rows=45_000)
    data = path.read_bytes()
    assert len(data) >= ingest.SPOOL_BYTES
    spooled = f"{ingest.spool_dir()}/upload-{os.getpid()}-*"  # this process's copies: others may run beside it
    before = set(glob.glob(spooled))
    from_bytes = ingest.ingest(data, kind="usage", filename="big.csv")
    from_path = ingest.ingest_path(str(path), kind="usage")
    pd.testing.assert_frame_equal(from_bytes.frame, from_path.frame)
    assert from_bytes.report.counts_by_code().equals(from_path.report.counts_by_code())
    read = ingest.read_table(data, filename="big.csv")
    assert set(glob.glob(spooled)) - before  # the spooled copy exists…
    del read, from_bytes
    gc.collect()
    assert not set(glob.glob(spooled)) - before  # …and goes with the table


def test_spooled_copies_are_private_and_those_of_ended_processes_are_cleaned(tmp_path):
    import os
    import stat
    import subprocess
    import sys

    from sse_dash import ingest

    folder = ingest.spool_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = folder / f"upload-{int(ended.stdout)}-abc123.csv"  # as a hard-killed server leaves it
    left.write_bytes(b"org_id\n")
    mine = folder / f"upload-{os.getpid()}-def456.csv"
    mine.write_bytes(b"org_id\n")
    assert ingest.clean_spool() >= 1
    assert not left.exists() and mine.exists()
    mine.unlink()


def test_only_the_spooled_copies_of_ended_processes_are_removed_and_each_is_counted(tmp_path, monkeypatch):
    import os
    import signal
    import subprocess
    import sys
    import tempfile

    from sse_dash import ingest

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # a spool folder of this test's own
    folder = ingest.spool_dir()
    assert folder.parent == tmp_path
    ended = [
        int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True).stdout)
        for _ in range(2)
    ]
    # A living process that a hang-up signal would end (this test may run under nohup, which ignores it).
    living = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, sys, time; signal.signal(signal.SIGHUP, signal.SIG_DFL); print('ready', flush=True); "
            "time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert living.stdout.readline().strip() == "ready"
        names = [f"upload-{ended[0]}-a1.csv", f"upload-{ended[1]}-b2.csv", f"upload-{living.pid}-c3.csv"]
        names += [f"upload-{os.getpid()}-d4.csv", "notes.csv", f"upload-{ended[0]}-e5.txt"]
        for name in names:
            (folder / name).write_bytes(b"org_id\n")
        assert ingest.clean_spool() == 2
        assert sorted(p.name for p in folder.iterdir()) == sorted(names[2:])
        assert living.poll() is None, "asking whether a process is alive must not signal it"
        assert ingest.clean_spool() == 0
    finally:
        living.send_signal(signal.SIGTERM)
        living.wait(timeout=30)


def test_another_users_living_process_keeps_its_spooled_copies():
    """Asking whether another user's process is alive fails with a permission error: it is alive."""
    from sse_dash.ingest import spool

    if os.geteuid() != 0:  # any user but root may not signal pid 1, which is root's
        assert spool._process_alive(1)
        return
    parent = os.getpid()  # root's: ask from a child that has become 'nobody'
    child = os.fork()
    if child == 0:  # pragma: no cover (the child)
        code = 4  # the child never returns to pytest, whatever happens
        try:
            os.setuid(65534)
            code = 0 if spool._process_alive(parent) else 3
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


@pytest.mark.parametrize(
    "header", ["N° Organisation", "No. organisation", "Numéro d'organisation", "Org. No", "Organisation number"]
)
def test_registers_numbering_their_organisations_map_to_org_id(header):
    headers = [header, "Pays", "Exercice", "Forme juridique", "Instrument", "Montant", "Devise"]
    assert match_columns(headers, "usage").positions["org_id"] == 0


def test_an_exact_name_wins_over_a_synonym_and_the_synonym_column_is_kept_aside():
    headers = ["org_id", "country", "year", "sse_type", "instrument_id", "value", "amount", "currency"]
    match = match_columns(headers, "usage")
    assert match.positions["amount"] == 6 and match.extras == [5]  # 'value' is a synonym of amount


def test_a_column_the_user_chose_is_taken_by_no_other_field_and_skipped_choices_do_not_stop_the_others():
    headers = ["org_id", "country", "year", "sse_type", "instrument_id", "Montant", "currency", "sector"]
    match = match_columns(headers, "usage", {"life_stage": None, "amount": "Montant", "notes": "sector"})
    assert match.positions["amount"] == 5 and match.positions["notes"] == 7
    assert "sector" not in match.positions and match.extras == []
    # A field given one value for every row takes no column, even one it names: that column is kept aside.
    given = match_columns(headers, "usage", {"currency": "currency"}, constants={"currency": "KES"})
    assert "currency" not in given.positions and given.extras == [6]
    given = match_columns(headers, "usage", constants={"currency": "KES"})
    assert "currency" not in given.positions and given.extras == [6]


# Written from the survivors of the mutation check (docs/mutation.md, "ingest"): one column coerced at a time.

INSTRUMENT_FIELD = {f.name: f for f in INSTRUMENT_FIELDS}


def coerced_column(name, cells, decimal="."):
    """One catalogue column coerced: its values (None for missing) and dtype, its problems as (row, code, value)
    and what each row's problem says (message and suggestion)."""
    raw = pd.Series(cells, index=range(2, 2 + len(cells)), dtype="object")
    coerced = coerce_field(raw, INSTRUMENT_FIELD[name], "Column C", "instruments", decimal, None)
    values = [None if pd.isna(v) else v for v in coerced.values]
    frames = [listed.frame(listed.rows) for listed in coerced.problems]
    for listed, frame in zip(coerced.problems, frames, strict=True):
        assert set(frame["code"]) <= {listed.code.value}  # each kind of problem is counted under its own code
    found = pd.concat(frames, ignore_index=True)
    assert set(found["column"]) <= {"Column C"} and set(found["field"]) <= {name}
    rows = found["row"].astype(int)
    problems = sorted(zip(rows, found["code"], found["value"], strict=True))
    said = found["message"] + " " + found["suggestion"].fillna("")
    return values, str(coerced.values.dtype), problems, dict(zip(rows, said, strict=True))


def test_true_and_false_are_read_in_several_languages_and_anything_else_is_a_problem():
    cells = [" Yes", "NO", "x", "Vrai", "nein", "0", "1", "", None, "maybe", "2"]
    values, dtype, problems, messages = coerced_column("repayable", cells)
    assert values == [True, False, True, True, False, False, True, None, None, None, None] and dtype == "boolean"
    assert problems == [
        (9, "missing_value", ""),
        (10, "missing_value", ""),
        (11, "invalid_boolean", "maybe"),
        (12, "invalid_boolean", "2"),
    ]
    assert "'maybe'" in messages[11]


def test_whole_numbers_are_kept_and_fractions_are_a_problem():
    cells = ["2", " 3.0", "2.5", "", "many", str(2**53), str(2**53 + 2)]
    values, dtype, problems, messages = coerced_column("cost_level", cells)
    assert values == [2, 3, None, None, None, 2**53, None] and dtype == "Int64"
    assert problems == [
        (4, "not_whole_number", "2.5"),
        (5, "missing_value", ""),
        (6, "invalid_number", "many"),
        (8, "not_whole_number", str(2**53 + 2)),
    ]
    assert "'2.5'" in messages[4] and "'many'" in messages[6]
    values, dtype, problems, _ = coerced_column("cost_level", ["3,0", "1.000", "2,5"], decimal=",")
    assert values == [3, 1000, None] and problems == [(4, "not_whole_number", "2,5")]


def test_lists_of_codes_are_resolved_deduplicated_and_put_in_the_vocabulary_order():
    cells = ["growth|start_up", " Start-up ; growth , growth ", "crisis", "", None, "growth|someday", "someday|never"]
    values, dtype, problems, messages = coerced_column("life_stages", cells)
    assert values == ["start_up|growth", "start_up|growth", "crisis", None, None, None, None]
    assert [(row, code) for row, code, _ in problems] == [
        (5, "missing_value"),
        (6, "missing_value"),
        (7, "not_in_vocabulary"),
        (8, "not_in_vocabulary"),
    ]
    assert "'someday'" in messages[7] and "'someday'" in messages[8]  # the first unknown part of the cell
    values, dtype, problems, messages = coerced_column("life_stages", ["start_up|grwoth"])
    assert problems == [(2, "not_in_vocabulary", "start_up|grwoth")] and "Did you mean 'growth'?" in messages[2]
    values, dtype, problems, messages = coerced_column("countries", ["KEN|fra", "KEN|Atlantis", ""])
    assert values == ["FRA|KEN", None, None] and dtype == "category"
    assert problems == [(3, "unknown_country", "KEN|Atlantis")] and "'Atlantis'" in messages[3]


@pytest.mark.parametrize(("decimal", "example"), [(".", "1250.50"), (",", "1250,50")])
def test_numbers_read_missing_tokens_as_empty_and_suggest_the_files_decimal_mark(decimal, example):
    values, dtype, problems, messages = coerced_column("ticket_min", ["n/a", "-", "#N/A", "lots"], decimal=decimal)
    assert values == [None, None, None, None] and dtype == "float64"
    assert problems == [(5, "invalid_number", "lots")]
    assert "'lots'" in messages[5] and f"such as {example} " in messages[5]


def test_an_upload_from_the_spool_size_is_spooled_whole_and_cleaned_once_its_process_ends(tmp_path, monkeypatch):
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from sse_dash import ingest

    script = (
        "import sys, tempfile; tempfile.tempdir = sys.argv[1]\n"
        "from sse_dash.ingest.spool import SPOOL_BYTES, spooled\n"
        "assert spooled(b'x' * (SPOOL_BYTES - 1)) is None\n"
        "print(spooled(b'x' * SPOOL_BYTES))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    name = Path(done.stdout.strip())
    folder = tmp_path / f"sse-dash-spool-{os.getuid()}"
    assert name.parent == folder and name.read_bytes() == b"x" * ingest.SPOOL_BYTES  # kept after its process ends
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert ingest.clean_spool() == 1  # …until the next server cleans the spool
    assert list(folder.iterdir()) == []


def test_no_room_to_spool_an_upload_means_parsing_it_from_memory_and_leaving_no_file(tmp_path, monkeypatch):
    import subprocess
    import sys
    import tempfile

    from sse_dash.ingest import spool

    # The disk is full: writing more than a few bytes fails (a file size limit, its signal ignored).
    script = (
        "import resource, signal, sys, tempfile; tempfile.tempdir = sys.argv[1]\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "from sse_dash.ingest.spool import SPOOL_BYTES, spool_dir, spooled\n"
        "spool_dir()\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))\n"
        "print(spooled(b'x' * SPOOL_BYTES))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"
    assert list((tmp_path / f"sse-dash-spool-{os.getuid()}").iterdir()) == []  # the half-written file is gone
    # No spool folder can be made (a file stands where it would go): no file is ever made.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(blocked))
    assert spool.spooled(b"x" * spool.SPOOL_BYTES) is None
    spool.unlink(str(tmp_path / "gone.csv"))  # removing a file that is not there is quiet


def test_the_spool_folder_is_private_and_one_per_user(tmp_path, monkeypatch):
    import stat
    import tempfile

    from sse_dash import ingest

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # a fresh temporary folder: the spool is made anew
    folder = ingest.spool_dir()
    assert folder == tmp_path / f"sse-dash-spool-{os.getuid()}"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert ingest.spool_dir() == folder  # made once, found again


# Written from the survivors of the fifth session's slices (docs/mutation.md, "ingest").


def test_read_csv_table_reads_the_head_of_bytes_or_of_a_file_itself(tmp_path):
    from sse_dash.ingest import IngestReport, read_csv_table

    data = "org_id;country;amount\nA;KEN;1,5\nB;ITA;2\n".encode("cp1252")
    path = tmp_path / "usage.csv"
    path.write_bytes(data)
    for source in ({"data": data}, {"data": None, "path": str(path)}):
        report = IngestReport()
        table, problems = read_csv_table(report=report, **source)
        assert problems == [] and table.headers == ["org_id", "country", "amount"]
        assert table.text(0).tolist() == ["A", "B"] and list(table.cells.index) == [2, 3]
        assert (report.delimiter, report.decimal) == (";", ",")


def test_a_file_of_a_header_alone_without_a_line_break_is_read_not_refused():
    from sse_dash.ingest import read_table

    read = read_table(b"org_id,country,year")
    assert read.problems == [] and read.table.headers == ["org_id", "country", "year"]
    assert read.table.cells.empty


def test_a_header_that_goes_on_past_the_sample_is_refused_after_a_title_row_too(tmp_path):
    from sse_dash import sniff
    from sse_dash.ingest import read_table

    long_header = b"org_id,country," + b"c" * (sniff.SAMPLE_BYTES + 10) + b"\nA,KEN,1\n"
    for data in (long_header, b"Usage report 2021\n" + long_header):
        (tmp_path / "long.csv").write_bytes(data)
        for read in (read_table(data), read_table(path=str(tmp_path / "long.csv"))):  # the sample of a file too
            assert read.table is None and [p.code for p in read.problems] == ["header_too_long"]
            assert "The first lines of the file are longer than 1 MB without a line break" in read.problems[0].message


def test_a_first_row_longer_than_the_sample_is_read_when_the_header_is_whole():
    from sse_dash import sniff
    from sse_dash.ingest import read_table

    note = "n" * (sniff.SAMPLE_BYTES + 10)
    read = read_table(f"org_id,notes\nA,{note}\n".encode())
    assert read.problems == [] and read.table.headers == ["org_id", "notes"]
    assert read.table.text(1).tolist() == [note]


def test_a_csv_title_above_the_header_is_skipped_said_and_kept_out_of_the_preview_and_the_row_count():
    from sse_dash.ingest import read_table
    from sse_dash.limits import Limits

    data = b"Usage report 2021\n\norg_id,country,amount\nA,KEN,1\nB,ITA,2\n"
    for limits in (None, Limits(max_rows=2)):  # two rows: the title and the blank line are not counted
        read = read_table(data, limits=limits)
        assert read.problems == [] and read.table.headers == ["org_id", "country", "amount"]
        assert list(read.table.cells.index) == [4, 5] and read.table.text(0).tolist() == ["A", "B"]
        assert read.report.warnings == ["Rows 1–2 looked like a title and were skipped; the header is row 3."]
        assert read.preview().values.tolist() == [["A", "KEN", "1"], ["B", "ITA", "2"]]
        assert list(read.preview().index) == [4, 5]


@pytest.mark.parametrize(
    ("data", "decimal", "amounts"),
    [
        (b"org_id;amount\nA;100\nB;250\n", ",", [100.0, 250.0]),  # nothing tells: a semicolon file's comma
        (b"org_id;amount\nA;1.5\nB;2\n", ".", [1.5, 2.0]),  # the first row tells
        (b"org_id,amount\nA,100\nB,250\n", ".", [100.0, 250.0]),
    ],
)
def test_the_decimal_mark_is_read_from_the_first_rows_and_the_delimiter(data, decimal, amounts):
    from sse_dash.ingest import read_table

    read = read_table(data)
    assert read.report.decimal == decimal
    assert read.table.cells[1].astype(float).tolist() == amounts


def test_a_file_in_another_encoding_is_still_parsed_by_the_fast_parser_with_its_numbers_typed():
    from sse_dash.ingest import read_table

    read = read_table("org_id;pays;montant\nA;Sénégal;1250,5\nB;Côte d'Ivoire;300\n".encode("cp1252"))
    assert read.problems == [] and read.report.encoding == "cp1252"
    assert read.table.text(1).tolist() == ["Sénégal", "Côte d'Ivoire"]
    assert read.table.cells[2].dtype == "float64" and read.table.cells[2].tolist() == [1250.5, 300.0]
    assert read.table.text(2).tolist() == ["1250,5", "300"]  # and read again as written


def test_a_row_with_too_many_cells_below_a_title_is_named_by_its_row_and_the_delimiter():
    from sse_dash.ingest import read_table

    read = read_table(
        b"Usage report 2021\n\norg_id;country;amount\nA;KEN;1\nB;ITA;2;9\nC;FRA;3\n"
    )  # the forgiving parse
    assert read.table.headers == ["org_id", "country", "amount"] and read.report.encoding == "utf-8"
    assert list(read.table.cells.index) == [4, 5, 6]
    assert read.table.text(0).tolist() == ["A", "", "C"]  # the row's cells are left out, not shifted
    assert [p.text() for p in read.problems] == [
        "Row 5 has 4 cells but the header has 3. A semicolon inside a value probably split it: put that value in "
        "double quotes, or remove the extra cells."
    ]
    assert read.problems[0].row == 5
    assert read.report.warnings == ["Rows 1–2 looked like a title and were skipped; the header is row 3."]
    assert read.preview().values.tolist() == [["A", "KEN", "1"], ["B", "ITA", "2"], ["C", "FRA", "3"]]


def test_read_csv_table_drops_nul_characters_and_reads_an_empty_text_as_an_empty_table():
    from sse_dash.ingest import IngestReport, read_csv_table

    # read_table refuses a file with NUL bytes; read_csv_table called alone parses it without them
    table, problems = read_csv_table(b"org_id,country\nA\x00B,KEN\nC,ITA\n", IngestReport())
    assert problems == [] and table.headers == ["org_id", "country"]
    assert table.text(0).tolist() == ["AB", "C"] and list(table.cells.index) == [2, 3]
    table, problems = read_csv_table(b"", IngestReport())
    assert problems == [] and table.headers == [] and table.cells.shape == (0, 0)


@pytest.mark.parametrize("data", [b'org_id,amount\nA,"1,250.50"\nB,"2,000"\n', b"org_id;amount\nA;1.250,50\nB;2.000\n"])
def test_numbers_with_a_thousands_separator_are_typed_by_the_fast_parser(data):
    from sse_dash.ingest import read_table

    read = read_table(data)
    assert read.table.cells[1].dtype == "float64" and read.table.cells[1].tolist() == [1250.5, 2000.0]


def test_an_encoding_chosen_by_the_user_is_kept_by_the_forgiving_parse_too():
    from sse_dash.ingest import read_table

    data = "org_id;pays\nA;Sénégal\nB;Pérou;extra\n".encode("mac_roman")  # a row too wide: the forgiving parse
    read = read_table(data, encoding="mac_roman")
    assert read.report.encoding == "mac-roman" and read.table.text(1).tolist() == ["Sénégal", ""]
    assert [p.code for p in read.problems] == ["too_many_cells"]


def test_a_large_upload_the_fast_parser_cannot_take_leaves_no_temporary_file(tmp_path):
    import glob

    from sse_dash import ingest

    count = ingest.SPOOL_BYTES // 20  # rows of 23 bytes: more than SPOOL_BYTES in all
    rows = b"".join(b"ORG-%07d,KEN,2021,1\n" % i for i in range(count))
    data = b"org_id,country,year,amount\n" + rows + b"X,KEN,2021,1,2\n"  # the last row is too wide
    assert len(data) >= ingest.SPOOL_BYTES
    spooled = f"{ingest.spool_dir()}/upload-{os.getpid()}-*"
    before = set(glob.glob(spooled))
    read = ingest.read_table(data)
    assert [p.code for p in read.problems] == ["too_many_cells"] and read.problems[0].row == count + 2
    assert not set(glob.glob(spooled)) - before  # removed at once, not when the table goes


def test_a_file_read_from_its_path_that_the_fast_parser_cannot_take_is_read_by_the_forgiving_parse(tmp_path):
    from sse_dash.ingest import read_table

    path = tmp_path / "usage.csv"
    path.write_bytes(b"org_id,country\nA,KEN\nB,ITA,extra\nC,FRA\n")
    read = read_table(path=str(path))
    assert read.table.text(1).tolist() == ["KEN", "", "FRA"] and [p.row for p in read.problems] == [3]


def test_a_table_built_by_hand_without_a_decimal_mark_reads_numbers_with_a_point(catalogue):
    from sse_dash.ingest import CellTable, IngestReport, ReadResult, ingest_table

    cells = pd.DataFrame([["A", "KEN", "2021", "coop", "sacco_cu_loan", "1250.5", "KES"]], index=[2], dtype="str")
    read = ReadResult(CellTable(USAGE_HEADER.split(","), cells), IngestReport(), [])
    result = ingest_table(read, kind="usage", catalogue=catalogue)
    assert result.report.valid and result.report.decimal == "."
    assert result.frame["amount"].tolist() == [1250.5]


def test_ids_written_as_numbers_are_kept_as_written_and_problems_name_the_files_column():
    data = b"org_id,Pays,year,sse_type,instrument_id,amount,currency\n007,KEN,2021,coop,x,1,KES\n12,Keniya,2021,coop,x,2,KES\n"
    result = ingest(data)
    assert result.frame["org_id"].tolist() == ["007"]  # not the number 7
    problems = result.report.problems
    assert problems[["row", "column", "field", "code"]].values.tolist() == [[3, "Pays", "country", "unknown_country"]]


def test_the_check_reports_its_progress_field_by_field_between_a_third_and_four_fifths():
    from sse_dash.ingest import ingest_table, read_table

    seen = []
    data = f"{USAGE_HEADER}\nA,KEN,2021,coop,x,1,KES\n".encode()
    ingest_table(read_table(data), kind="usage", progress=lambda fraction, label: seen.append((fraction, label)))
    fields = ["Organisation id", "Country", "Year", "SSE type", "Instrument id", "Amount", "Currency", "Sector"]
    fields += ["Life stage", "Region", "Amount in US dollars", "Notes"]  # every usage field, in the schema's order
    assert [label for _, label in seen] == [
        "Matching the columns",
        *(f"Checking '{name}'" for name in fields),
        "Validating",
        "Keeping the valid rows",
        "Done",
    ]
    # the twelve fields share 0.3 to 0.8 equally
    assert [f for f, _ in seen] == pytest.approx([0.25, *(0.3 + 0.5 * i / 12 for i in range(12)), 0.85, 0.95, 1.0])


def test_notes_of_a_column_are_added_to_the_warnings_before_them_and_rows_keep_their_numbers(catalogue):
    data = f"Usage 2021\n{USAGE_HEADER}\nA,KEN,2021-06-30,coop,sacco_cu_loan,1,KES\n".encode()
    result = ingest(data, catalogue=catalogue)
    assert result.report.warnings == [
        "Row 1 looked like a title and was skipped; the header is row 2.",
        "1 value in 'year' was a date or a label; the year was taken from it ('2021-06-30').",
    ]
    assert result.frame.index.name == "row" and list(result.frame.index) == [3]


def test_every_text_column_of_usage_is_categorical_but_the_notes_whether_the_file_has_it_or_not():
    data = f"{USAGE_HEADER},notes\nA,KEN,2021,coop,x,1,KES, hi \nB,KEN,2021,coop,x,1,KES,\n".encode()
    frame = ingest(data).frame
    categorical = [name for name in frame if isinstance(frame[name].dtype, pd.CategoricalDtype)]
    assert categorical == [
        "org_id",
        "country",
        "sse_type",
        "instrument_id",
        "currency",
        "sector",
        "life_stage",
        "region",
    ]
    assert frame["notes"].tolist()[0] == "hi" and pd.isna(frame["notes"].tolist()[1])
    assert frame["sector"].isna().all() and frame["org_id"].tolist() == ["A", "B"]


def senegal_rows(count: int, start: int = 0) -> str:
    return "".join(
        f"DEMO-SEN-{i:06d},SEN,2020,cooperative,member_shares,100,XOF,Sénégal\n" for i in range(start, start + count)
    )


REGION_HEADER = "org_id,country,year,sse_type,instrument_id,amount,currency,region\n"


def test_a_utf8_file_with_a_stray_byte_past_its_first_megabyte_stays_utf8_and_names_the_row(catalogue):
    """The forgiving parse detected the encoding again over the whole file: 16,000 rows of 'Sénégal' then read
    'SÃ©nÃ©gal' (cp1252), without a word, because of one row pasted from a Windows-1252 file."""
    data = (REGION_HEADER + senegal_rows(16_000)).encode() + senegal_rows(1, 16_000).encode("cp1252")
    assert len(data) > (1 << 20)  # the byte is past the sample the encoding is detected from
    result = ingest(data, filename="mixed.csv", kind="usage", catalogue=catalogue)
    assert result.report.encoding == "utf-8" and result.report.valid_rows == 16_001
    regions = result.frame["region"].astype(str)
    assert (regions.iloc[:16_000] == "Sénégal").all() and regions.iloc[16_000] == "S\ufffdn\ufffdgal"
    assert result.report.warnings == [
        "1 row holds characters that are not UTF-8, as the rest of the file is (row 16002); they are shown as "
        "\ufffd. Correct them there, or save the file again as UTF-8."
    ]


def test_stray_bytes_in_several_rows_are_named_row_by_row(catalogue):
    data = (REGION_HEADER + senegal_rows(16_000)).encode() + senegal_rows(2, 16_000).encode("cp1252")
    data += senegal_rows(1, 16_002).encode() + senegal_rows(1, 16_003).encode("cp1252")
    result = ingest(data, filename="mixed.csv", kind="usage", catalogue=catalogue)
    assert result.report.encoding == "utf-8" and result.report.valid_rows == 16_004
    assert result.report.warnings == [
        "3 rows hold characters that are not UTF-8, as the rest of the file is (rows 16002, 16003, 16005); they are "
        "shown as \ufffd. Correct them there, or save the file again as UTF-8."
    ]


def test_a_utf8_file_with_a_row_too_wide_is_parsed_forgivingly_and_that_row_is_not_called_empty(catalogue):
    data = (REGION_HEADER + senegal_rows(3) + "DEMO-X,SEN,2020,cooperative,member_shares,1,XOF,Thiès,extra\n").encode()
    result = ingest(data, filename="wide.csv", kind="usage", catalogue=catalogue)
    assert result.report.encoding == "utf-8" and result.report.warnings == []
    assert result.report.problems["code"].tolist() == ["too_many_cells"] and result.report.valid_rows == 3
    # The row with too many cells is not an empty row: it is read, and left out with its problem (3 + 1 = 4).
    assert result.report.rows == 4 and result.report.every_problem["row"].tolist() == [5]
    assert result.frame["region"].astype(str).tolist() == ["Sénégal"] * 3


def test_a_file_that_is_plain_ascii_in_its_first_megabyte_is_still_read_in_the_encoding_its_rest_shows(catalogue):
    rows = "".join(f"DEMO-SEN-{i:06d},SEN,2020,cooperative,member_shares,100,XOF,Dakar\n" for i in range(16_000))
    data = (REGION_HEADER + rows).encode() + senegal_rows(1, 16_000).encode("cp1252")
    result = ingest(data, filename="windows.csv", kind="usage", catalogue=catalogue)
    assert result.report.encoding == "cp1252" and result.report.warnings == []
    assert result.frame["region"].astype(str).iloc[-1] == "Sénégal"


def test_the_preview_shows_the_first_eight_rows_as_written_under_their_headers_by_spreadsheet_row():
    from dataclasses import replace

    from sse_dash.ingest import read_table
    from sse_dash.ingest.read import PREVIEW_CHARS

    long = "x" * PREVIEW_CHARS
    rows = ["1,0042,3,4", "5,6", f"{long},{long}y,9,10"] + [f"{i},{i},{i},{i}" for i in range(11, 19)]
    read = read_table(("a, b ,,d\n" + "\n".join(rows) + "\n").encode(), filename="x.csv")
    shown = read.preview()
    assert list(shown.columns) == ["a", "b", "column C", "d"] and shown.index.name == "row"
    assert list(shown.index) == list(range(2, 10))  # eight rows, numbered as a spreadsheet shows them
    assert shown.loc[2].tolist() == ["1", "0042", "3", "4"]  # as written, not the numbers 1 and 42
    assert shown.loc[3].tolist() == ["5", "6", "", ""]  # a short row is filled with blanks
    assert shown.loc[4].tolist() == [long, f"{long}…", "9", "10"]  # cut only past the limit, and said to be
    assert all(pd.api.types.is_string_dtype(t) for t in shown.dtypes) and len(read.preview(rows=3)) == 3
    assert len(read.preview(rows=20)) == 8  # the eight rows read for the preview, however many are asked
    wide = read_table(("a,b\n0,0\n1,2,3\n" + "\n".join(f"{i},{i}" for i in range(12)) + "\n").encode())
    assert wide.problems and len(wide.preview(rows=20)) == 8  # so too after the forgiving parse
    # The sample can hold rows the parse did not keep: they are numbered on from the last row kept, or from row 2.
    kept_two = replace(read, table=replace(read.table, cells=read.table.cells.iloc[:2]))
    assert list(kept_two.preview(rows=4).index) == [2, 3, 4, 5]
    none_kept = replace(read, table=replace(read.table, cells=read.table.cells.iloc[:0]))
    assert list(none_kept.preview(rows=2).index) == [2, 3]


def test_a_file_on_disk_is_read_with_the_encoding_sheet_progress_and_options_given(tmp_path, catalogue):
    from sse_dash.ingest import ingest_path

    path = tmp_path / "register.csv"
    path.write_bytes(f"{REGION_HEADER}A,SEN,2020,cooperative,member_shares,100,XOF,Sénégal\n".encode("cp1252"))
    said = []
    told = ingest_path(str(path), encoding="mac_roman", catalogue=catalogue, progress=lambda f, m: said.append((f, m)))
    assert told.report.encoding == "mac-roman" and told.report.filename == str(path)
    assert list(told.frame["region"].astype(str)) == ["SÈnÈgal"]  # é is byte 0xE9, which Mac Roman reads as È
    assert said[0] == (0.05, "Checking the file") and said[-1] == (1.0, "Done")  # the read's steps and the check's
    assert (0.85, "Validating") in said
    found = ingest_path(str(path), kind="usage", catalogue=pd.DataFrame({"instrument_id": ["public_grant"]}))
    assert found.report.encoding == "cp1252" and list(found.frame["region"].astype(str)) == []
    assert problems_by_row(found) == {(2, "instrument_id", "unknown_instrument")}  # the catalogue given is used

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Read me first"])
    data = book.create_sheet("Usage")
    data.append(USAGE_HEADER.split(","))
    data.append(["A", "KEN", 2021, "cooperative", "member_shares", 5, "KES"])
    workbook = tmp_path / "register.xlsx"
    book.save(workbook)
    second = ingest_path(str(workbook), sheet="Usage", catalogue=catalogue)
    assert (second.report.sheet, second.report.source_format, second.report.filename) == (
        "Usage",
        "xlsx",
        str(workbook),
    )
    assert second.report.valid and list(second.frame["org_id"]) == ["A"]
    assert ingest_path(str(workbook)).report.sheet == "Notes"


def test_line_breaks_inside_quoted_cells_are_kept_as_written_by_either_parse():
    from sse_dash.ingest import read_table

    data = b'org_id,notes\nA,"one\r\ntwo"\nB,x\nC,"three\rfour"\n'
    fast = read_table(data, filename="a.csv")
    assert fast.table.text(1).tolist() == ["one\r\ntwo", "x", "three\rfour"] and not fast.problems
    # A row with too many cells sends the file through the forgiving parse; blank cells past the last column do not.
    forgiving = read_table(data + b"D,y,extra\nE,z,,\n", filename="b.csv")
    assert forgiving.table.text(1).tolist()[:3] == ["one\r\ntwo", "x", "three\rfour"]
    assert forgiving.table.text(1).tolist()[4] == "z"
    assert [(p.code, p.row) for p in forgiving.problems] == [("too_many_cells", 5)]


def test_a_file_of_old_mac_line_ends_longer_than_the_sample_is_read_whole():
    from sse_dash.ingest import read_table

    rows = "".join(f"ORG-{i},KEN,2021,cooperative,sacco_cu_loan,{i},KES\r" for i in range(40_000))
    data = f"{USAGE_HEADER}\r{rows}".encode()
    assert len(data) > 2 * (1 << 20)  # the header's end is found in the first megabyte's bare CRs
    read = read_table(data, filename="mac.csv")
    assert not read.problems and len(read.table.cells) == 40_000
    assert read.table.cells.index[-1] == 40_001


def test_the_kind_is_the_one_whose_required_columns_are_best_covered_from_half_of_them():
    usage = ["org_id", "country", "year", "sse_type", "instrument_id", "amount", "currency"]
    assert detect_kind(usage) == ("usage", 1.0)
    assert detect_kind(usage[:4]) == ("usage", 4 / 7)
    assert detect_kind(usage[:3]) == (None, 3 / 7)
    instruments = [f.name for f in INSTRUMENT_FIELDS if f.required]
    assert len(instruments) == 22
    assert detect_kind(instruments[:11]) == ("instruments", 0.5)  # half is enough
    assert detect_kind(instruments[:10]) == (None, 10 / 22)
    # Four of seven for usage and for figures alike: the tie goes to usage, the first kind.
    assert detect_kind(["year", "org_id", "country", "amount", "indicator", "geography", "value"]) == ("usage", 4 / 7)
    assert detect_kind(["year", "org_id", "country", "indicator", "geography", "value", "unit"]) == ("figures", 5 / 7)


def test_ingest_passes_the_file_name_and_progress_on_to_the_read():
    data = f"{USAGE_HEADER}\nA,KEN,2021,cooperative,member_shares,5,KES\n".encode()
    said = []
    report = ingest(data, filename="register.csv", progress=lambda f, m: said.append((f, m))).report
    assert report.filename == "register.csv" and report.valid
    assert said[0] == (0.05, "Checking the file") and said[-1] == (1.0, "Done")


def test_columns_without_a_name_are_kept_aside_and_named_by_their_letter():
    data = f"{USAGE_HEADER},,\nA,KEN,2021,cooperative,member_shares,5,KES,x,y\n".encode()
    report = ingest(data, filename="u.csv").report
    assert report.valid and report.extra_columns == ["column H", "column I"]
    assert report.warnings[0] == (
        "These columns have the same name and are all kept aside: column H (no name), column I (no name)."
    )


# Written from the survivors of the mutation check of `ingest_table` (docs/mutation.md, "ingest", seventh session).


def test_columns_kept_aside_are_said_in_the_singular_and_the_plural_and_listed_up_to_eight(catalogue):
    row = "A,KEN,2020,cooperative,member_shares,1,KES"

    def kept_aside(extra):
        header = ",".join([USAGE_HEADER, *extra])
        data = f"{header}\n{row}{',x' * len(extra)}\n".encode()
        return [w for w in ingest(data, catalogue=catalogue).report.warnings if "kept aside" in w]

    assert kept_aside(["Colour"]) == ["A column not used by the dashboard was kept aside: Colour."]
    eight = [f"x{i}" for i in range(1, 9)]
    assert kept_aside(eight) == [f"Columns not used by the dashboard were kept aside: {', '.join(eight)}."]
    assert kept_aside([*eight, "x9"]) == [f"Columns not used by the dashboard were kept aside: {', '.join(eight)} …."]
    assert kept_aside([]) == []


def test_a_file_of_no_known_kind_is_told_its_header_and_every_kind_s_required_columns():
    from sse_dash.schema import KINDS, required_names

    headers = [f"h{i}" for i in range(1, 14)]
    report = ingest((",".join(headers) + "\n" + ",".join("1" * 13) + "\n").encode()).report
    expected = "; ".join(f"{k}: {', '.join(required_names(k))}" for k in KINDS)
    assert report.problems["message"].tolist() == [
        f"Could not tell which kind of file this is from its header ({', '.join(headers[:12])}). "
        f"The required columns are: {expected}."
    ]
    assert "usage: org_id, country, year, sse_type, instrument_id, amount, currency; figures: " in expected
    unknown = ingest(b"org_id\nA\n", kind="ledger").report.problems
    assert unknown["message"].tolist() == ["Unknown kind 'ledger'."]
    assert unknown["suggestion"].tolist() == [f"Use one of: {', '.join(KINDS)}."]
    assert ", ".join(KINDS) == "usage, figures, instruments, sources"


def test_a_file_that_fails_its_columns_lists_every_problem_up_to_the_limit_and_leaves_the_read_untouched(catalogue):
    from sse_dash import ingest as ingest_package
    from sse_dash.limits import Limits

    long = "y" * 30
    data = f"Sales register\norg_id,country,year,Colour\nA,KEN,2020,x\nB,{long},2021,{long}\nC,KEN,2022,x,more\n"
    read = ingest_package.read_table(data.encode(), limits=Limits(max_cell_chars=20))
    before = list(read.report.warnings)
    assert before  # the title row above the header is said
    first = ingest_package.ingest_table(read, kind="usage", catalogue=catalogue, listed_per_kind=2)
    again = ingest_package.ingest_table(read, kind="usage", catalogue=catalogue, listed_per_kind=2)
    assert read.report.warnings == before and again.report.warnings == first.report.warnings
    assert any("kept aside: Colour" in w for w in first.report.warnings)
    report = first.report
    assert report.counts_by_code()["missing_column"] == 4 and len(report.every_problem) == 7
    assert report.problems["code"].tolist().count("missing_column") == 2  # two of each code listed
    # Every problem of the read is listed, even two of one row.
    listed = report.problems[report.problems["code"] != "missing_column"]
    assert listed[["row", "column", "code"]].values.tolist() == [
        [4, "Colour", "cell_too_long"],
        [4, "country", "cell_too_long"],
        [5, None, "too_many_cells"],
    ]
    assert first.frame.empty and first.extras.empty and list(first.extras.columns) == []


def test_a_value_for_every_row_takes_the_place_of_its_column_and_blank_values_are_no_value(catalogue):
    data = f"{USAGE_HEADER}\nA,KEN,2020,cooperative,member_shares,1,EUR\n".encode()
    given = ingest(data, catalogue=catalogue, constants={"currency": "KES"})
    assert given.frame["currency"].astype(str).tolist() == ["KES"] and given.report.extra_columns == ["currency"]
    assert given.extras["currency"].tolist() == ["EUR"]  # the column the value replaces, kept aside as written
    blank = ingest(data, catalogue=catalogue, constants={"currency": "  ", "life_stage": None})
    assert blank.report.constants == {} and blank.report.mapping["currency"] == "currency"
    assert blank.frame["currency"].astype(str).tolist() == ["EUR"]


def test_data_rows_ending_with_a_delimiter_or_a_first_row_too_wide_keep_every_value_in_its_column(catalogue):
    """pandas' fast parser took the first column as the rows' index when the first data row was wider than the
    header, and shifted every value one column left (org_id read as the country, and so on)."""
    rows = ["A,KEN,2020,cooperative,member_shares,10,KES", "B,UGA,2021,mutual,member_shares,20,UGX"]
    trailing = "\n".join([USAGE_HEADER, *(row + "," for row in rows)]) + "\n"
    result = ingest(trailing.encode(), catalogue=catalogue)
    assert result.report.valid_rows == 2 and result.report.problems.empty
    assert result.frame["org_id"].astype(str).tolist() == ["A", "B"]
    assert result.frame["amount"].tolist() == [10.0, 20.0] and result.frame["currency"].astype(str).tolist() == [
        "KES",
        "UGX",
    ]
    wide = "\n".join([USAGE_HEADER, rows[0] + ",extra", rows[1]]) + "\n"
    result = ingest(wide.encode(), catalogue=catalogue)
    assert result.report.problems[["row", "code"]].values.tolist() == [[2, "too_many_cells"]]
    assert result.frame["org_id"].astype(str).tolist() == ["B"] and result.frame["amount"].tolist() == [20.0]
    alone = ingest(f"{USAGE_HEADER}\n{rows[0]},extra\n".encode(), catalogue=catalogue)  # the only row, too wide
    problems = alone.report.problems
    assert list(problems["code"]) == ["no_rows", "too_many_cells"] and problems["row"].iloc[1] == 2
