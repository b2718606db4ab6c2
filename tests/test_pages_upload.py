"""Upload page (AppTest): every step with small messy files, then the upload active on every page."""

import hashlib
import io

import openpyxl
import pytest
from apptest_helpers import ROOT, TEST_DATA, run_page, texts

from sse_dash import ingest
from sse_dash.uploads import CONSTANT, file_hash

PAGE = "pages/upload.py"
USAGE_HEADER = "org_id,country,year,sse_type,instrument_id,amount,currency"


def upload(data: bytes, name: str = "file.csv", lang: str | None = None):
    at = run_page(PAGE, {"lang": lang} if lang else None)
    at.file_uploader[0].upload(name, data, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def use_it(at):
    button = next(b for b in at.button if b.label.startswith(("Use ", "Continue with")))
    button.click().run()
    assert not at.exception
    return at


def test_the_page_starts_with_templates_and_an_invitation():
    at = run_page(PAGE)
    assert not at.exception
    assert "Choose a file to start" in " ".join(i.value for i in at.info)
    labels = {b.label for b in at.get("download_button")}
    assert {"Template: usage.csv", "Template: figures.csv", "Template: instruments.csv"} <= labels


@pytest.mark.parametrize(
    ("data", "delimiter", "encoding"),
    [
        (f"{USAGE_HEADER}\nA,KEN,2021,coop,sacco_cu_loan,1,KES\n".encode(), "comma", "utf-8"),
        (("\ufeff" + f"{USAGE_HEADER}\nA,Kenya,2021,coop,sacco_cu_loan,1,KES\n").encode(), "comma", "utf-8-sig"),
        (
            f"{USAGE_HEADER.replace(',', ';')}\nA;Côte d'Ivoire;2021;coop;sacco_cu_loan;1,5;XOF\n".encode("cp1252"),
            "semicolon",
            "cp1252",
        ),
        (
            f"{USAGE_HEADER.replace(',', chr(9))}\nA\tKEN\t2021\tcoop\tsacco_cu_loan\t1\tKES\n".encode("utf-16"),
            "tab",
            "utf-16",
        ),
        (f"{USAGE_HEADER.replace(',', '|')}\nA|KEN|2021|coop|sacco_cu_loan|1|KES\n".encode(), "pipe", "utf-8"),
    ],
)
def test_step_two_shows_what_was_detected(data, delimiter, encoding):
    at = upload(data)
    assert metrics(at)["Delimiter"] == delimiter
    assert at.selectbox(key=f"encoding-{file_hash(data)}").value == encoding
    assert at.selectbox(key=f"kind-{file_hash(data)}").value == "usage"
    assert metrics(at)["Valid rows"] == "1"


def test_decimal_commas_and_quoted_newlines_are_read(data_file):
    at = upload(data_file("usage_european.csv"))
    assert metrics(at)["Decimal mark"] == "comma" and metrics(at)["Valid rows"] == "6"
    broken = upload(data_file("usage_broken.csv"))
    assert metrics(broken)["Rows read"] == "5" and metrics(broken)["Valid rows"] == "1"


def pick_the_loans_sheet():
    """Upload a workbook whose data is on its second sheet, and pick that sheet."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["read me first"])
    loans = workbook.create_sheet("Loans")
    loans.append(USAGE_HEADER.split(","))
    loans.append(["A", "Kenya", 2021, "coop", "sacco_cu_loan", 1250.5, "KES"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    at = upload(data, "loans.xlsx")
    at.selectbox(key=f"sheet-{file_hash(data)}").set_value("Loans").run()
    return at


def test_excel_sheet_can_be_picked():
    at = pick_the_loans_sheet()
    assert metrics(at)["Excel sheet"] == "Loans" and metrics(at)["Valid rows"] == "1"


def test_another_sheet_or_encoding_is_read_once_not_on_every_rerun(monkeypatch):
    """The page asks for the file's first reading (sheets, encoding) and for the chosen one: both are kept."""
    reads = []
    real = ingest.read_table
    monkeypatch.setattr(ingest, "read_table", lambda *a, **k: reads.append(k.get("sheet")) or real(*a, **k))
    at = pick_the_loans_sheet()
    at.run().run()
    assert reads == [None, "Loans"] and metrics(at)["Excel sheet"] == "Loans"
    reads.clear()
    data = (TEST_DATA / "usage_european.csv").read_bytes()
    european = upload(data)
    european.selectbox(key=f"encoding-{file_hash(data)}").set_value("utf-8").run()
    european.run().run()
    assert len(reads) == 2  # as it comes, then as UTF-8; never again


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.csv", "The file is empty"),
        ("picture.csv", "This is a PNG image"),
    ],
)
def test_unreadable_files_stop_with_a_clear_message(data_file, name, words):
    at = upload(data_file(name))
    assert any(words in e.value for e in at.error)
    assert [h.value for h in at.header] == ["1. Choose a file"]


def test_duplicate_columns_are_pointed_out_before_the_mapping(data_file):
    at = upload(data_file("duplicate_columns.csv"))
    assert any("Several columns could be 'Amount'" in w.value.replace("\\", "") for w in at.warning)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("header_only.csv", "no data rows"),
        ("missing_column.csv", "Did you mean the column"),
    ],
)
def test_file_level_problems_are_reported_in_the_check(data_file, name, words):
    at = upload(data_file(name))
    table = at.dataframe[-1].value
    assert any(words in f"{m} {s}" for m, s in zip(table["What is wrong"], table["What to do"], strict=True))
    assert "No row can be used yet" in " ".join(e.value for e in at.error)


def test_wrong_codes_get_a_row_column_value_message_and_suggestion(data_file):
    at = upload(data_file("usage_broken.csv"))
    table = at.dataframe[-1].value
    row = table[table["Code"] == "unknown_country"].iloc[0]
    assert (row["Spreadsheet row"], row["Column"], row["Value"]) == ("3", "country", "Keniya")
    assert row["What to do"].startswith("Did you mean KEN (Kenya)?")
    assert any(b.label == "Download the problems (CSV)" for b in at.get("download_button"))


def test_changing_a_mapping_and_using_the_valid_rows_makes_them_active_everywhere(data_file):
    data = data_file("register_export_fr.csv")
    at = upload(data, "registre.csv")
    assert metrics(at)["Valid rows"] == "0"
    at.selectbox(key=f"map-{file_hash(data)}-usage-sse_type").set_value("Cat. adh.")
    next(b for b in at.button if b.label == "Check the file with these matches").click().run()
    assert (metrics(at)["Rows read"], metrics(at)["Valid rows"]) == ("10", "6")
    assert "4 of 10 rows have at least one problem" in texts(at).replace("\\", "")
    use_it(at)
    assert "active on every page" in " ".join(s.value for s in at.success)
    at.switch_page("pages/usage.py").run()
    assert any("6 records of 6 organisations" in c.value for c in at.caption)
    assert "SYNTHETIC demo data]" not in texts(at)
    at.switch_page("pages/overview.py").run()
    assert {m.label: m.value for m in at.metric}["Usage records"] == "6"


def test_a_constant_fills_a_missing_column():
    data = b"org_id,country,year,sse_type,instrument_id,amount\nA,KEN,2021,coop,sacco_cu_loan,10\n"
    at = upload(data)
    digest = file_hash(data)
    at.selectbox(key=f"map-{digest}-usage-currency").set_value(CONSTANT)
    at.text_input(key=f"const-{digest}-usage-currency").input("KES")
    next(b for b in at.button if b.label == "Check the file with these matches").click().run()
    assert metrics(at)["Valid rows"] == "1"


def check(at):
    next(b for b in at.button if b.label == "Check the file with these matches").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_value_typed_for_every_row_is_used_without_switching_the_column_box():
    data = b"org_id,country,year,sse_type,instrument_id,amount\nA,KEN,2021,coop,sacco_cu_loan,10\n"
    at = upload(data)
    digest = file_hash(data)
    assert at.selectbox(key=f"map-{digest}-usage-currency").value != CONSTANT
    at.text_input(key=f"const-{digest}-usage-currency").input("KES")
    check(at)
    assert metrics(at)["Valid rows"] == "1"
    assert "Currency = KES" in texts(at)  # said under the matches, so the link between the two boxes is seen


def test_a_value_typed_for_every_row_replaces_a_matched_column():
    data = f"{USAGE_HEADER}\nA,KEN,2021,coop,sacco_cu_loan,10,KES\nB,KEN,2021,coop,sacco_cu_loan,20,KES\n".encode()
    at = upload(data)
    digest = file_hash(data)
    assert at.selectbox(key=f"map-{digest}-usage-currency").value == "currency"
    at.text_input(key=f"const-{digest}-usage-currency").input("no such currency")
    check(at)
    assert metrics(at)["Valid rows"] == "0"
    assert set(at.dataframe[-1].value["Code"]) == {"unknown_currency"}


def test_examples_in_the_mapping_read_as_examples_not_as_values():
    data = f"{USAGE_HEADER}\nA,KEN,2021,coop,sacco_cu_loan,1,KES\n".encode()
    at = upload(data)
    examples = [t.placeholder for t in at.text_input if t.key and t.key.startswith("const-") and t.placeholder]
    assert examples and all(e.startswith("e.g. ") for e in examples), examples
    assert all(t.value == "" for t in at.text_input if t.key and t.key.startswith("const-"))


def test_fields_are_named_in_words_with_their_code_in_the_help():
    data = f"{USAGE_HEADER}\nA,KEN,2021,coop,sacco_cu_loan,1,KES\n".encode()
    at = upload(data)
    box = at.selectbox(key=f"map-{file_hash(data)}-usage-org_id")
    assert box.label == "Organisation id (required)"
    assert "`org_id`" in box.help
    assert at.selectbox(key=f"map-{file_hash(data)}-usage-sector").label == "Sector"


def test_rows_read_in_the_check_agree_with_what_was_found(data_file):
    at = upload(data_file("missing_column.csv"))
    found = metrics(at)
    assert found["Rows"] == found["Rows read"] != "0"
    assert "No row could be checked yet" in texts(at)


def test_the_problem_table_never_shows_none(data_file):
    at = upload(data_file("missing_column.csv"))
    table = at.dataframe[-1].value
    assert not table.isna().any().any()  # Streamlit draws a missing cell as "None"
    assert not table.isin(["None", "nan", "<NA>"]).any().any()
    assert "Spreadsheet row" in table.columns


@pytest.mark.parametrize("lang", ["fr", "fa"])
def test_the_upload_page_works_in_other_languages(data_file, lang):
    at = run_page(PAGE, {"lang": lang})
    assert not at.exception
    assert at.selectbox(key="lang").label == {"fr": "Langue", "fa": "زبان"}[lang]
    at.file_uploader[0].upload("broken.csv", data_file("usage_broken.csv"), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.header) >= 4  # every step drawn up to the check
    assert not at.dataframe[-1].value.isna().any().any()
    data = data_file("usage_ok.csv")
    at.file_uploader[0].upload("ok.csv", data, "text/csv").run()
    at.button(key=f"use-{file_hash(data)}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success and at.selectbox(key="lang").value == lang


def test_switching_back_to_the_bundled_data(data_file):
    at = use_it(upload(data_file("usage_ok.csv")))
    assert any(b.label == "Switch back to the bundled data" for b in at.button)
    next(b for b in at.button if b.label == "Switch back to the bundled data").click().run()
    at.switch_page("pages/usage.py").run()
    assert any("30,000 records" in c.value for c in at.caption)


def test_an_uploaded_catalogue_extends_the_instrument_list_and_usage_can_use_its_ids():
    catalogue = (ROOT / "data" / "instruments.csv").read_text(encoding="utf-8").splitlines()
    header, microcredit = catalogue[0], next(line for line in catalogue if line.startswith("microcredit,"))
    data = f"{header}\n{microcredit.replace('microcredit,', 'village_bank_loan,', 1)}\n".encode()
    at = upload(data, "my-catalogue.csv")
    assert at.selectbox(key=f"kind-{file_hash(data)}").value == "instruments"
    use_it(at)
    at.switch_page("pages/instruments.py").run()
    assert "33 of 33 instruments" in " ".join(s.value for s in at.subheader)
    usage = f"{USAGE_HEADER}\nA,KEN,2021,coop,village_bank_loan,10,KES\n".encode()
    at.switch_page(PAGE).run()
    at.file_uploader[0].upload("usage.csv", usage, "text/csv").run()
    assert metrics(at)["Valid rows"] == "1"


def test_an_uploaded_figures_file_is_shown_on_the_figures_page():
    data = (
        b"indicator,indicator_name,geography,geo_level,year,value,unit,source_id\n"
        b"loans_to_coops,Loans to co-operatives,Senegal,country,2020,12.5,XOF billion,ministry_report\n"
        b"loans_to_coops,Loans to co-operatives,Senegal,country,2022,15,XOF billion,ministry_report\n"
    )
    at = use_it(upload(data, "figures.csv"))
    at.switch_page("pages/figures.py").run()
    assert not at.exception
    assert at.selectbox(key="indicator").value == "loans_to_coops"
    assert "ministry\\_report" in texts(at) or "ministry_report" in texts(at)


def test_text_from_a_file_is_never_markdown():
    data = (f"{USAGE_HEADER},notes\nA,KEN,2021,coop,sacco_cu_loan,1,KES,**bold** [x](javascript:alert(1))\n").encode()
    at = use_it(upload(data, "[evil](javascript:alert(1)).csv"))
    body = texts(at)
    assert "[evil](javascript" not in body and "\\[evil\\]\\(javascript" in body


def test_uploads_never_change_the_bundled_files(data_file):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "data").glob("*.csv")}
    use_it(upload(data_file("usage_ok.csv")))
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "data").glob("*.csv")}
    assert before == after
    assert (TEST_DATA / "usage_ok.csv").read_bytes() == data_file("usage_ok.csv")


def test_the_file_is_fingerprinted_once_per_upload_not_on_every_rerun(monkeypatch):
    from sse_dash import uploads

    calls = []
    original = uploads.file_hash
    monkeypatch.setattr(uploads, "file_hash", lambda data: calls.append(len(data)) or original(data))
    data = f"{USAGE_HEADER}\nA,KEN,2021,coop,sacco_cu_loan,1,KES\n".encode()
    at = upload(data)
    at.run()
    at.run()
    assert calls.count(len(data)) == 1
