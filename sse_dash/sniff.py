"""First look at a file's bytes: is it text at all, which encoding, which delimiter, which decimal mark.

Every function here is total: it returns an answer or a `Problem` that says why, never raises on odd input.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

import charset_normalizer

from sse_dash.i18n import N_, _
from sse_dash.ingest.problems import Problem, ProblemCode

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab"), "|": N_("pipe")}  # translated where shown
SAMPLE_BYTES = 1 << 20
# The csv module's limit on one field is a setting of the whole process: set once, here, so that how a file reads
# never depends on what was read before. Long cells are then reported by the cell-length limit, with their row.
FIELD_CHARS = 1 << 30
csv.field_size_limit(FIELD_CHARS)
_SAMPLE_LINES = 200

# Signatures of common files that are not CSV, with what to tell the user.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
    (b"%PDF", N_("a PDF document")),
    (b"\xd0\xcf\x11\xe0", N_("an old Excel (.xls) or Word file")),
    (b"\x1f\x8b", N_("a gzip archive")),
    (b"7z\xbc\xaf", N_("a 7-Zip archive")),
    (b"Rar!", N_("a RAR archive")),
)
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Decoded:
    """A file's text with the encoding it was read in."""

    text: str
    encoding: str


def is_xlsx(data: bytes) -> bool:
    """True when the bytes are a ZIP container holding an Excel workbook."""
    return data.startswith(ZIP_MAGIC) and b"xl/" in data[:65536]


def file_problem(data: bytes, total: int | None = None) -> Problem | None:
    """Why these bytes (a file, or its first part when `total` gives the whole size) cannot be a table, or None."""
    blank = not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf")
    if blank and (total is None or total <= len(data)):
        return Problem.of(ProblemCode.EMPTY_FILE)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return Problem.of(ProblemCode.UNREADABLE_FILE, {"what": _(what)})
    if data.startswith(ZIP_MAGIC) and not is_xlsx(data):
        return Problem.of(ProblemCode.UNREADABLE_FILE, template="unreadable_file.zip")
    if is_xlsx(data):
        return None
    head = data[:4096]
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in head:
        return Problem.of(ProblemCode.UNREADABLE_FILE, template="unreadable_file.binary")
    return None


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else the best guess of charset-normalizer.

    `encoding` forces one (what a user picks when the guess was wrong); undecodable bytes then become '�'.
    """
    if encoding:
        start = 3 if encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf") else 0
        try:
            return Decoded(data[start:].decode(encoding, errors="replace"), _tidy_encoding_name(encoding))
        except LookupError:
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16", errors="replace"), "utf-16")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in [_best_legacy_encoding(data[:SAMPLE_BYTES]), "cp1252", "latin-1"]:
        try:
            return Decoded(data.decode(encoding), _tidy_encoding_name(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
    return Decoded(data.decode("latin-1"), "latin-1")  # latin-1 decodes every byte; unreachable in practice


# Legacy encodings people's spreadsheets save in. Rare code pages (DOS cp850/cp437, cp775, Mac Roman…) are left
# out on purpose: on short texts charset-normalizer can prefer them to the Windows code page that was really used.
# A user can still pick any of them on the upload page.
LEGACY_ENCODINGS = (
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1256",
    "cp1257",
    "iso8859_15",
    "koi8_r",
    "shift_jis",
    "gb18030",
    "big5",
    "euc_kr",
)


_LOOK_ALIKES = {"cp1250", "iso8859_15"}


def _best_legacy_encoding(sample: bytes) -> str:
    """The most plausible legacy encoding; Windows-1252 whenever it reads the text exactly as the best guess."""
    matches = charset_normalizer.from_bytes(sample, cp_isolation=list(LEGACY_ENCODINGS))
    best = matches.best()
    if best is None:
        return "cp1252"
    try:  # the Latin code pages agree on most letters: when they read this text alike, call it Windows-1252
        if sample.decode("cp1252") == sample.decode(best.encoding):
            return "cp1252"
    except (UnicodeDecodeError, LookupError):
        pass
    western = next((m for m in matches if m.encoding == "cp1252"), None)
    close_call = (
        western is not None and western.chaos <= best.chaos + 0.02 and (western.coherence >= best.coherence - 0.02)
    )
    # On short Western European texts charset-normalizer cannot tell these from Windows-1252; that is by far the
    # commoner export, so it wins a close call. Turkish, Baltic, Cyrillic, Greek... keep their own code page.
    if close_call and best.encoding in _LOOK_ALIKES:
        return "cp1252"
    return best.encoding


def _tidy_encoding_name(encoding: str) -> str:
    return {"latin_1": "latin-1", "iso8859_1": "latin-1", "utf_8": "utf-8"}.get(encoding, encoding.replace("_", "-"))


def decode_sample(head: bytes, encoding: str | None = None) -> Decoded:
    """Decode the first part of a file; a character cut at the end of the part does not make it 'not UTF-8'."""
    if encoding or head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(head, encoding)
    try:
        return Decoded(head.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:
            return Decoded(head[: error.start].decode("utf-8", errors="replace"), "utf-8")
    return decode(head)


def number_format(cells: list[str], delimiter: str) -> tuple[str, str | None]:
    """The decimal mark and the thousands separator the numbers of a sample use (the separator may be None)."""
    numbers = [c.strip() for c in cells if c and _NUMBERISH.match(c.strip()) and any(ch.isdigit() for ch in c)]
    decimal = detect_decimal(numbers, delimiter)
    thousands_mark = "." if decimal == "," else ","
    grouped = re.compile(rf"\d\{thousands_mark}\d{{3}}(\D|$)")
    thousands = thousands_mark if any(grouped.search(n) for n in numbers) else None
    return decimal, thousands


_NUMBERISH = re.compile(r"^[-+]?[\d.,]+$")


def looks_like_text(text: str) -> bool:
    """False when decoded text is mostly control characters (binary data that happened to decode)."""
    sample = text[:4096]
    if not sample:
        return True
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return control / len(sample) < 0.05


def _sample_rows(text: str, delimiter: str) -> list[list[str]]:
    sample = text[: SAMPLE_BYTES // 4]
    if len(sample) < len(text) and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    rows = []
    try:
        for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) >= _SAMPLE_LINES:
                break
    except csv.Error:
        return rows
    return rows


def detect_delimiter(text: str) -> str:
    """The delimiter among , ; tab | that splits the sample into the most consistent number of fields (>1)."""
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        rows = _sample_rows(text, delimiter)
        if not rows:
            continue
        counts = Counter(len(row) for row in rows)
        width, frequency = counts.most_common(1)[0]
        if width < 2:
            continue
        header_agrees = len(rows[0]) == width
        score = (frequency / len(rows) * (1.0 if header_agrees else 0.5), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


_POINT_EVIDENCE = (
    re.compile(r"^-?\d{1,3}(,\d{3})+\.\d+$"),
    re.compile(r"^-?\d+\.(\d{1,2}|\d{4,})$"),
    re.compile(r"^-?\d{1,3}(,\d{3}){2,}$"),
)
_COMMA_EVIDENCE = (
    re.compile(r"^-?\d{1,3}(\.\d{3})+,\d+$"),
    re.compile(r"^-?\d+,(\d{1,2}|\d{4,})$"),
    re.compile(r"^-?\d{1,3}(\.\d{3}){2,}$"),
)
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def detect_decimal(values: list[str], delimiter: str) -> str:
    """The decimal mark ('.' or ',') the numeric cells use; ',' by default for semicolon files."""
    point = comma = 0
    for raw in values:
        value = _SPACES.sub("", raw)
        point += any(p.match(value) for p in _POINT_EVIDENCE)
        comma += any(p.match(value) for p in _COMMA_EVIDENCE)
    if point != comma:
        return "." if point > comma else ","
    return "," if delimiter == ";" else "."
