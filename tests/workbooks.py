"""Workbooks written by hand, byte by byte: the honest ones a spreadsheet saves and the hostile ones an attacker
writes (a false `<dimension>`, a row numbered in the millions, XML that expands a thousandfold)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from sse_dash.ingest import column_letter

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
USAGE_HEADER = ["org_id", "country", "year", "sse_type", "instrument_id", "amount", "currency"]


def row_xml(number: int, cells: Iterable[object], first_column: int = 0) -> str:
    """One <row>: strings inline, numbers as numbers."""
    parts = []
    for offset, value in enumerate(cells):
        reference = f"{column_letter(first_column + offset)}{number}"
        if isinstance(value, int | float):
            parts.append(f'<c r="{reference}"><v>{value}</v></c>')
        else:
            parts.append(f'<c r="{reference}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
    return f'<row r="{number}">{"".join(parts)}</row>'


def usage_row(number: int) -> list[object]:
    return [f"ORG-{number}", "KEN", 2021, "cooperative", "sacco_cu_loan", number, "KES"]


def workbook(sheet_chunks: Iterable[str], level: int = 6) -> bytes:
    """An .xlsx with one sheet whose XML is the given chunks (streamed into the ZIP, so it may be huge)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in sheet_chunks:
                sheet.write(chunk.encode())
    return buffer.getvalue()


def sheet(rows: Iterable[str], dimension: str | None = None) -> Iterator[str]:
    yield SHEET_START
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    yield from rows
    yield "</sheetData></worksheet>"


def usage_workbook(rows: int, dimension: str | None = None) -> bytes:
    """An honest usage workbook of `rows` data rows (its dimension may lie)."""
    body = (row_xml(n, usage_row(n)) for n in range(2, rows + 2))
    return workbook(sheet([row_xml(1, USAGE_HEADER), *body], dimension))


def wide_dimension() -> bytes:
    """A few KB that declare 500 columns by 100,001 rows, honestly: the header fills row 1, and row 100,001 holds
    one cell in the last column. A reader that believes the dimension builds 50 million cells."""
    header = USAGE_HEADER + [f"extra_{i}" for i in range(len(USAGE_HEADER), 500)]
    return workbook(sheet([row_xml(1, header), row_xml(100_001, ["x"], 499)], "A1:SF100001"))


def far_row() -> bytes:
    """One header and one data row numbered 3,000,000: a reader that fills the gap reads 2,999,999 rows."""
    return workbook(sheet([row_xml(1, USAGE_HEADER), row_xml(3_000_000, usage_row(3_000_000))]))


def short_dimension(rows: int = 1_000) -> bytes:
    """`rows` data rows under a dimension that says A1:G3: a reader that believes it keeps two of them."""
    return usage_workbook(rows, "A1:G3")


def expanding(expanded_mb: int) -> bytes:
    """No dimension, and XML that expands to about `expanded_mb` MB from a few MB: the same short row again and
    again (about 140 bytes a row, so 1,000 MB is about 7,500,000 rows)."""

    def rows() -> Iterator[str]:
        yield row_xml(1, USAGE_HEADER)
        row = row_xml(2, usage_row(2)).replace(' r="2"', "").replace('r="', 'x="')
        block = row * 10_000
        for _ in range(expanded_mb * (1 << 20) // len(block)):
            yield block

    return workbook(sheet(rows()), level=9)
