"""The upload flow's logic: mapping choices, catalogues, problem summaries, header and encoding handling."""

import io

import openpyxl
import pytest

from sse_dash import datasets, ingest, limits, uploads
from sse_dash.schema import FIELDS

USAGE_HEADER = "org_id,country,year,sse_type,instrument_id,amount,currency"


@pytest.fixture(scope="module")
def bundled_catalogue():
    return datasets.load_catalogue()


def test_mapping_from_choices():
    mapping, constants = uploads.mapping_from_choices(
        {"org_id": "Who", "currency": uploads.CONSTANT, "sector": uploads.NOT_IN_FILE},
        {"currency": "EUR", "org_id": " "},
    )
    assert mapping == {"org_id": "Who", "currency": None, "sector": None}
    assert constants == {"currency": "EUR"}


def test_a_value_typed_for_every_row_is_used_whatever_the_column_box_says():
    mapping, constants = uploads.mapping_from_choices(
        {"org_id": "Who", "currency": uploads.NOT_IN_FILE, "sector": uploads.NOT_IN_FILE},
        {"org_id": "COOP-1", "currency": " KES "},
    )
    assert mapping == {"org_id": None, "currency": None, "sector": None}
    assert constants == {"org_id": "COOP-1", "currency": "KES"}


def test_field_choices_and_initial_choice_follow_the_automatic_match():
    headers = ["Pays", "Montant", "Other"]
    match = ingest.match_columns(headers, "usage")
    country = next(f for f in FIELDS["usage"] if f.name == "country")
    org = next(f for f in FIELDS["usage"] if f.name == "org_id")
    assert uploads.field_choices(headers) == [uploads.NOT_IN_FILE, uploads.CONSTANT, "Pays", "Montant", "Other"]
    assert uploads.initial_choice(country, match, headers) == "Pays"
    assert uploads.initial_choice(org, match, headers) == uploads.NOT_IN_FILE


def test_required_fields_come_first():
    required = [f.required for f in uploads.fields_of("usage")]
    assert required == sorted(required, reverse=True)


def test_a_messy_export_needs_one_mapping_change(data_file, bundled_catalogue):
    read = ingest.read_table(data_file("register_export_fr.csv"), filename="registre.csv")
    assert read.report.encoding == "cp1252" and read.report.delimiter == ";"
    assert any("header is row 3" in w for w in read.report.warnings)
    before = ingest.ingest_table(read, catalogue=bundled_catalogue)
    assert list(before.report.problems["code"]) == ["missing_column"]
    after = ingest.ingest_table(read, catalogue=bundled_catalogue, mapping={"sse_type": "Cat. adh."})
    report = after.report
    assert (report.rows, report.valid_rows) == (10, 6)
    assert sorted(set(report.problems["row"])) == [7, 8, 11, 13]  # spreadsheet rows under a two-line title
    assert report.decimal == ","
    assert list(after.frame.loc[4, ["country", "amount", "currency"]]) == ["SEN", 1250000.0, "XOF"]
    assert after.frame.loc[4, "notes"] == "Prêt de campagne\nrenouvelé en 2022"
    assert read.table.cells.shape == (10, 9)  # the read table is left as it was, ready for another mapping


def test_problem_summaries(data_file, bundled_catalogue):
    read = ingest.read_table(data_file("register_export_fr.csv"))
    report = ingest.ingest_table(read, catalogue=bundled_catalogue, mapping={"sse_type": "Cat. adh."}).report
    counts = uploads.problem_summary(report)
    assert list(counts.columns) == ["Problem", "Code", "Problems", "Rows"]
    assert counts["Problems"].sum() == len(report.problems)
    assert set(counts["Problem"]) >= {"negative amount", "year in the future", "unknown instrument"}
    summary = uploads.left_out_summary(report)
    assert summary.startswith("4 of 10 rows have at least one problem") and "6 rows would be used" in summary
    table = uploads.problems_for_download(report)
    assert list(table.columns[:5]) == ["Spreadsheet row", "Column", "Value", "What is wrong", "What to do"]
    assert not table.isna().any().any()


def test_the_problem_table_has_no_missing_cell_that_would_read_none(data_file, bundled_catalogue):
    read = ingest.read_table(data_file("register_export_fr.csv"))
    report = ingest.ingest_table(read, kind="usage", catalogue=bundled_catalogue, mapping={"amount": None}).report
    assert report.problems["row"].isna().any()  # a problem of the whole file: no row, column or value
    table = uploads.problems_for_download(report)
    assert not table.isna().any().any()
    assert not table.isin(["None", "nan", "<NA>"]).any().any()


def test_a_forced_encoding_is_used(data_file):
    forced = ingest.read_table(data_file("register_export_fr.csv"), encoding="cp1251")
    assert forced.report.encoding == "cp1251"
    assert forced.table.headers[0] == "Identifiant"


@pytest.mark.parametrize(
    ("text", "header_row"),
    [
        (f"{USAGE_HEADER}\n1,2,3,4,5,6,7\n", 0),
        (f"Title of the export\n{USAGE_HEADER}\n1,2,3,4,5,6,7\n", 1),
        (f"Title,,,,,,\n,,,,,,\n{USAGE_HEADER}\n1,2,3,4,5,6,7\n", 2),
    ],
)
def test_title_rows_above_the_header_are_skipped(text, header_row):
    read = ingest.read_table(text.encode())
    assert read.table.headers[0] == "org_id"
    assert list(read.table.cells.index) == [header_row + 2]


def test_excel_title_rows_and_row_numbers(bundled_catalogue):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Loans register 2023"])
    sheet.append([])
    sheet.append(USAGE_HEADER.split(","))
    sheet.append(["A", "Kenya", 2021, "coop", "sacco_cu_loan", 100, "KES"])
    sheet.append(["B", "Kenya", 2021, "coop", "sacco_cu_loan", -1, "KES"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = ingest.ingest(buffer.getvalue(), catalogue=bundled_catalogue).report
    assert list(report.problems["row"]) == [5]


def test_problem_lines_for_file_level_problems(data_file):
    lines = uploads.problem_lines(ingest.read_table(data_file("picture.csv")).problems)
    assert lines == ["This is a PNG image, not a CSV file. Save or export the table as CSV (UTF-8) and upload that."]


def test_extend_and_replace_the_catalogue(bundled_catalogue):
    catalogue = bundled_catalogue
    uploaded = catalogue[catalogue["instrument_id"] == "microcredit"].assign(
        instrument_id="village_bank_loan", name="Village bank loan"
    )
    extended = uploads.merged_catalogue(catalogue, uploaded, "extend")
    assert len(extended) == len(catalogue) + 1 and "village_bank_loan" in set(extended["instrument_id"])
    replaced = uploads.merged_catalogue(catalogue, uploaded, "replace")
    assert list(replaced["instrument_id"]) == ["village_bank_loan"]
    renamed = catalogue[catalogue["instrument_id"] == "microcredit"].assign(name="Microloans")
    overridden = uploads.merged_catalogue(catalogue, renamed, "extend")
    assert len(overridden) == len(catalogue)
    assert overridden.set_index("instrument_id").loc["microcredit", "name"] == "Microloans"


def test_usage_may_refer_to_an_uploaded_catalogue(bundled_catalogue):
    catalogue = bundled_catalogue
    uploaded = catalogue[catalogue["instrument_id"] == "microcredit"].assign(instrument_id="village_bank_loan")
    merged = uploads.merged_catalogue(catalogue, uploaded, "extend")
    data = f"{USAGE_HEADER}\nA,KEN,2021,coop,village_bank_loan,10,KES\n".encode()
    assert ingest.ingest(data, catalogue=merged).report.valid
    assert not ingest.ingest(data, catalogue=catalogue).report.valid


def test_usage_dataset_keys_carry_the_catalogue(bundled_catalogue):
    data = f"{USAGE_HEADER}\nA,KEN,2021,coop,sacco_cu_loan,10,KES\n".encode()
    result = ingest.ingest(data, catalogue=bundled_catalogue)
    dataset = uploads.usage_dataset(result, "x.csv", "abc", bundled_catalogue, "bundled")
    assert dataset.key == "upload:abc|catalogue=bundled" and dataset.origin == "upload" and not dataset.synthetic
    assert dataset.frame.loc[2, "family"] == "EXT_FINCOOP"


@pytest.mark.parametrize(("value", "expected"), [("50", 50), ("0", 200), ("lots", 200), (None, 200)])
def test_upload_cap_is_configurable(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("SSE_DASH_MAX_UPLOAD_MB", raising=False)
    else:
        monkeypatch.setenv("SSE_DASH_MAX_UPLOAD_MB", value)
    assert limits.max_upload_mb() == expected


def test_file_hash_is_short_and_stable():
    assert uploads.file_hash(b"abc") == uploads.file_hash(b"abc") != uploads.file_hash(b"abd")
    assert len(uploads.file_hash(b"abc")) == 16


def test_the_rows_the_page_counts_are_the_rows_the_check_reads():
    # An empty row is not counted; a row with too many cells is (it is read, and left out with its problem).
    data = b"org_id,country,year,sse_type,instrument_id,amount,currency\nA,KEN,2021,cooperative,sacco_cu_loan,1,KES\n"
    data += b" , ,,,,,\nB,KEN,2021,cooperative,sacco_cu_loan,1,KES,stray\n"
    read = ingest.read_table(data)
    assert uploads.data_rows(read) == ingest.ingest_table(read, kind="usage").report.rows == 2
