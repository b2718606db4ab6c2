"""Files from Persian-speaking users: Persian headers and names, Persian digits and separators, Solar Hijri years."""

import pandas as pd
import pytest

from sse_dash import datasets
from sse_dash.ingest import ingest, match_columns, parse_numbers
from sse_dash.ingest.problems import ProblemCode

SOLAR = "year_solar_hijri"


def test_a_ministry_export_in_persian_is_read_with_its_values(data_file, catalogue):
    result = ingest(data_file("register_export_fa.csv"), filename="register_export_fa.csv", catalogue=catalogue)
    report = result.report
    assert report.valid and report.kind == "usage", report.problems
    assert report.mapping == {
        "org_id": "شناسه ملی",
        "country": "کشور",
        "year": "سال",
        "sse_type": "نوع تعاونی",
        "instrument_id": "ابزار مالی",
        "amount": "مبلغ (ریال)",
        "currency": "واحد پول",
        "region": "استان",
        "notes": "توضیحات",
    }
    assert report.extra_columns == ["ردیف"]
    frame = result.frame
    assert frame["country"].astype(str).tolist() == ["IRN"] * 5  # 'ايران' with an Arabic yeh in row 5 too
    assert frame["currency"].astype(str).tolist() == ["IRR"] * 5
    assert frame["sse_type"].astype(str).tolist() == ["cooperative"] * 5
    assert frame["year"].tolist() == [2022, 2023, 2023, 2023, 2024]
    assert frame["amount"].tolist() == [454_923_541.5, 1_200_000_000, 850_000_000, 987_654.25, 320_500_000]
    assert frame.loc[5, "region"] == "اصفهان"
    assert result.extras[SOLAR].tolist() == [1401, 1402, 1402, 1402, 1403]
    solar_notes = [w for w in report.warnings if "Solar Hijri" in w]
    assert len(solar_notes) == 1 and solar_notes[0].startswith("5 of 5 years in 'سال'"), report.warnings


def test_non_latin_headers_are_kept_apart_not_reported_as_the_same_name():
    headers = ["org_id", "country", "year", "sse_type", "instrument_id", "amount", "currency", "ردیف", "Περιοχή"]
    match = match_columns(headers, "usage")
    assert match.extras == [7, 8]
    assert match.warnings == []


@pytest.mark.parametrize(
    ("text", "decimal", "number"),
    [
        ("۴۵۴٬۹۲۳٬۵۴۱٫۵", ".", 454_923_541.5),  # Persian digits, Arabic thousands and decimal separators
        ("٤٥٤٬٩٢٣٬٥٤١٫٥", ".", 454_923_541.5),  # Arabic-Indic digits
        ("۱۲،۳۴۵،۶۷۸", ".", 12_345_678),  # Arabic comma between groups of three digits
        ("۱۲٫۵", ",", 12.5),  # in a file whose decimal mark is a comma
        ("۱۴۰۲", ".", 1402),
    ],
)
def test_persian_and_arabic_numbers(text, decimal, number):
    assert parse_numbers(pd.Series([text], dtype="str"), decimal).iloc[0] == number


def test_an_arabic_comma_that_does_not_group_thousands_is_not_a_number():
    assert pd.isna(parse_numbers(pd.Series(["۱۲،۵"], dtype="str"), ".").iloc[0])


USAGE_HEADER = "org_id,country,year,sse_type,instrument_id,amount,currency"


def usage_csv(*rows: str) -> bytes:
    return "\n".join([USAGE_HEADER, *rows]).encode("utf-8")


def test_a_file_that_mixes_calendars_converts_the_solar_hijri_years_and_says_so(catalogue):
    data = usage_csv(
        "A,IRN,2021,cooperative,member_shares,10,IRR",
        "B,IRN,1402,cooperative,member_shares,10,IRR",
        "C,IRN,۱۴۰۰,cooperative,member_shares,10,IRR",
    )
    result = ingest(data, catalogue=catalogue)
    assert result.report.valid
    assert result.frame["year"].tolist() == [2021, 2023, 2021]
    assert result.extras[SOLAR].tolist() == [pd.NA, 1402, 1400]
    warnings = " ".join(result.report.warnings)
    assert "2 of 3 years in 'year'" in warnings
    assert "mixes calendars: 1 year was not Solar Hijri" in warnings


def test_typed_years_are_converted_too(catalogue):
    result = ingest(usage_csv("A,IRN,1402,cooperative,member_shares,10,IRR"), catalogue=catalogue)
    assert result.frame["year"].tolist() == [2023]
    assert "mixes calendars" not in " ".join(result.report.warnings)


def test_a_solar_hijri_year_in_the_future_is_said_to_be_in_the_future(catalogue):
    result = ingest(usage_csv("A,IRN,۱۴۹۹,cooperative,member_shares,10,IRR"), catalogue=catalogue)
    assert result.report.problems["code"].tolist() == [ProblemCode.FUTURE_YEAR]


def test_years_before_1300_are_still_too_early(catalogue):
    result = ingest(usage_csv("A,IRN,1299,cooperative,member_shares,10,IRR"), catalogue=catalogue)
    assert result.report.problems["code"].tolist() == [ProblemCode.YEAR_OUT_OF_RANGE]
    assert SOLAR not in result.extras


def test_a_french_association_export_with_statut_and_names_is_read():
    """A messy French export: 'Statut' for the SSE type, names of countries, types and instruments in French."""
    text = (
        "Organisation;Pays;Année;Statut;Instrument;Montant;Devise\n"
        "C-001;Kenia;2021;coopérative;Parts sociales;1.234,50;KES\n"
        "C-002;Italie;2022;mutuelle;Member share capital;12000;EUR\n"
    )
    catalogue = datasets.load_bundle().catalogue  # knows "parts sociales", the local name of member shares
    result = ingest(text.encode(), kind="usage", filename="export.csv", catalogue=catalogue)
    assert result.report.valid_rows == 2, result.report.problems
    assert result.frame["sse_type"].astype(str).tolist() == ["cooperative", "mutual"]
    assert result.frame["country"].astype(str).tolist() == ["KEN", "ITA"]
    assert result.frame["amount"].tolist() == [1234.5, 12000.0]
