"""Encoding, delimiter, decimal mark and not-a-table detection."""

import pytest

from sse_dash import sniff


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        ("a,b\nÉté,1\n".encode(), "utf-8", "Été"),
        (b"\xef\xbb\xbf" + "a,b\nÉté,1\n".encode(), "utf-8-sig", "Été"),
        ("Année;Montant\nCôte d'Ivoire;1.250,50 €\n".encode("cp1252"), "cp1252", "€"),
        ("a\tb\nMünchen\t1\n".encode("utf-16"), "utf-16", "München"),
    ],
)
def test_decode_finds_the_encoding(data, encoding, text):
    decoded = sniff.decode(data)
    assert decoded.encoding == encoding
    assert text in decoded.text
    assert not decoded.text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n4,5,6\n", ","),
        ("a;b;c\n1,5;2,25;3\n4;5;6\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ('a,b\n"x, y",2\n"p\nq",3\n', ","),
        ("only_one_column\n1\n2\n", ","),
    ],
)
def test_detect_delimiter(text, delimiter):
    assert sniff.detect_delimiter(text) == delimiter


@pytest.mark.parametrize(
    ("values", "delimiter", "decimal"),
    [
        (["1,234.50", "12.5"], ",", "."),
        (["1.234,50", "12,5"], ";", ","),
        (["1 234,50"], ",", ","),
        (["1,234"], ",", "."),
        (["1.234"], ";", ","),
        (["1'234.50"], ",", "."),
        (["100", "200"], ";", ","),
        (["100", "200"], ",", "."),
    ],
)
def test_detect_decimal(values, delimiter, decimal):
    assert sniff.detect_decimal(values, delimiter) == decimal


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"%PDF-1.7\n", "PDF"),
        (b"PK\x03\x04\x14\x00 not an excel file", "ZIP"),
        (b"\x00\x01\x02\x03binary\x00", "binary"),
    ],
)
def test_file_problem_says_what_the_file_is(data, words):
    assert words in sniff.file_problem(data).text()


def test_text_files_have_no_file_problem():
    assert sniff.file_problem(b"a,b\n1,2\n") is None
