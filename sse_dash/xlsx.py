"""Read one sheet of an .xlsx workbook as text cells, streaming, within limits; apart from the server for uploads.

A workbook is a ZIP of XML parts, and nothing in it is trusted for size: not the sheet's `<dimension>`, not its row
numbers, not the sizes the ZIP declares. Rows, columns, cells and characters are counted as the XML streams past,
and so are the bytes the parts expand to; reading stops at the first limit passed, with a problem that says which.
Blank rows and cells cost nothing: a single row numbered 3,000,000 is one row (it keeps its number for messages).

For uploads the reading runs in a child process (`read_apart`) with its own memory limit, so one workbook can
neither hold the server's interpreter nor take the memory other visitors need. This module uses the standard
library only: the child starts in a few tens of milliseconds and imports nothing of the dashboard. So it writes no
message: a problem is its code, the name of its message template and the template's parameters, and the dashboard
writes the message from the template (`sse_dash.ingest.problems`) in the language of whoever is reading.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html
import io
import os
import pickle
import re
import struct
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass, field
from xml.parsers import expat

MB = 1 << 20
CHUNK = 1 << 16
# What a part other than the sheet and its shared strings may expand to (workbook, relations, styles).
SMALL_PART_BYTES = 16 * MB
# A row or shared string longer than this is not a spreadsheet's (Excel keeps 32,767 characters a cell).
MAX_ELEMENT_CHARS = 64 * MB
# Memory a kept cell costs beyond its characters (a str object and its place in a list), in bytes.
CELL_BYTES = 64
# A child that has not finished by then is stopped (the expanded-size limit ends any honest workbook far sooner).
WORKER_SECONDS = 900
# The first Excel date: serial 1 is 1900-01-01 (Excel counts a 29 February 1900 that never was).
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
# Built-in number formats that show dates or times (ECMA-376 18.8.30, and the East Asian ones Excel adds).
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')

Progress = Callable[[float], None] | None
# A problem is (code, template, parameters): a code of `ProblemCode`, the name of a template of
# `sse_dash.ingest.problems.TEMPLATES` and the template's parameters, plain values the child process sends back.
Problem = tuple[str, str, dict[str, object]]
TOO_MUCH_MEMORY: Problem = ("not_enough_memory", "not_enough_memory.workbook_stopped", {})


@dataclass(frozen=True)
class Bounds:
    """Where reading stops; None means no bound."""

    max_rows: int | None = None
    max_columns: int | None = None
    max_memory_bytes: int | None = None  # what the kept cells may take (estimated as they are read)
    max_expanded_bytes: int | None = None  # what the workbook's XML parts may expand to, all together


@dataclass
class Sheet:
    """One sheet read as text: its non-blank rows, each with its spreadsheet row number, or why it was not read."""

    sheets: list[str] = field(default_factory=list)
    name: str = ""
    rows: list[list[str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    problem: Problem | None = None  # (code, template, parameters)


class _Stop(Exception):
    """Reading stops here, for the reason given: a problem's code, its template and the template's parameters."""

    def __init__(self, code: str, template: str, **params: object) -> None:
        super().__init__(template)
        self.problem: Problem = (code, template, params)


def _damaged(reason: str, **params: object) -> _Stop:
    """The workbook cannot be read, for `reason` (the template "unreadable_excel.<reason>")."""
    return _Stop("unreadable_excel", f"unreadable_excel.{reason}", **params)


# --- reading parts with every expanded byte counted ---------------------------------------------------------


class _Archive:
    """The workbook's ZIP, whose parts are read in chunks with the expanded bytes counted against one bound."""

    def __init__(self, data: bytes, bounds: Bounds) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = set(self.zip.namelist())
        self.bounds = bounds
        self.expanded = 0

    def chunks(self, name: str, most: int | None = None):
        """The part's bytes in chunks; stops when it passes `most` bytes or the bounds' expanded size."""
        read = 0
        with self.zip.open(name) as part:
            while chunk := part.read(CHUNK):
                read += len(chunk)
                self.expanded += len(chunk)
                if most is not None and read > most:
                    raise _damaged("part_too_large", part=name)
                limit = self.bounds.max_expanded_bytes
                if limit is not None and self.expanded > limit:
                    raise _Stop("workbook_too_large", "workbook_too_large", limit_mb=limit / MB)
                yield chunk

    def parse(self, name: str, parser: expat.XMLParserType, most: int | None = SMALL_PART_BYTES, progress=None):
        """Feed a part to an expat parser; no DTD or entity is accepted (they have no place in a workbook)."""
        size = max(self.zip.getinfo(name).file_size, 1)
        done = 0
        for chunk in self.chunks(name, most):
            parser.Parse(chunk, False)
            if progress is not None:
                done += len(chunk)
                progress(min(done / size, 0.99))
        parser.Parse(b"", True)


def _parser() -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args) -> None:
        raise _damaged("doctype")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.buffer_text = True
    return parser


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def _attribute(attributes: dict[str, str], name: str) -> str | None:
    for key, value in attributes.items():
        if _local(key) == name:
            return value
    return None


# --- workbook, relations, styles, shared strings ------------------------------------------------------------


def _sheet_parts(archive: _Archive) -> tuple[list[tuple[str, str]], bool]:
    """[(sheet name, part name)] in the workbook's order, and whether dates count from 1904."""
    sheets: list[tuple[str, str]] = []
    date1904 = [False]
    targets: dict[str, str] = {}

    def workbook_start(name: str, attributes: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "sheet":
            sheets.append((attributes.get("name", ""), _attribute(attributes, "id") or ""))
        elif tag == "workbookPr":
            date1904[0] = attributes.get("date1904", "0").lower() in ("1", "true")

    def relation_start(name: str, attributes: dict[str, str]) -> None:
        if _local(name) == "Relationship":
            targets[attributes.get("Id", "")] = attributes.get("Target", "")

    if "xl/workbook.xml" not in archive.names:
        raise _damaged("no_workbook")
    parser = _parser()
    parser.StartElementHandler = workbook_start
    archive.parse("xl/workbook.xml", parser)
    if "xl/_rels/workbook.xml.rels" in archive.names:
        parser = _parser()
        parser.StartElementHandler = relation_start
        archive.parse("xl/_rels/workbook.xml.rels", parser)
    parts = []
    for number, (name, relation) in enumerate(sheets, start=1):
        target = targets.get(relation, f"worksheets/sheet{number}.xml")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts.append((name, os.path.normpath(part).replace(os.sep, "/")))
    return parts, date1904[0]


def _is_date_format(code: str) -> bool:
    """True when a custom number format shows a date or a time (quoted text, colours and locales aside)."""
    bare = _QUOTED_OR_BRACKETED.sub("", code.split(";")[0]).lower()
    return any(letter in bare for letter in "dmyhs") and "general" not in bare


def _date_styles(archive: _Archive) -> list[bool]:
    """For each cell style (the `s` of a cell), whether it shows a date."""
    if "xl/styles.xml" not in archive.names:
        return []
    custom: dict[int, str] = {}
    styles: list[bool] = []
    within = [False]

    def start(name: str, attributes: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "numFmt":
            custom[int(attributes.get("numFmtId", "0") or 0)] = attributes.get("formatCode", "")
        elif tag == "cellXfs":
            within[0] = True
        elif tag == "xf" and within[0]:
            number = int(attributes.get("numFmtId", "0") or 0)
            styles.append(number in _DATE_FORMAT_IDS or (number in custom and _is_date_format(custom[number])))

    def end(name: str) -> None:
        if _local(name) == "cellXfs":
            within[0] = False

    parser = _parser()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        archive.parse("xl/styles.xml", parser)
    except (expat.ExpatError, ValueError):
        return []  # without styles, dates read as their serial numbers: the year check then says so
    return styles


class _Budget:
    """Memory that kept cells and shared strings may take, counted as they are read."""

    def __init__(self, bounds: Bounds) -> None:
        self.limit = bounds.max_memory_bytes
        self.used = 0

    def take(self, amount: int) -> None:
        self.used += amount
        if self.limit is not None and self.used > self.limit:
            raise _Stop("not_enough_memory", "not_enough_memory.workbook", limit_mb=self.limit / MB)


def _element_patterns(tag: str) -> tuple[re.Pattern, re.Pattern]:
    """A pattern for a whole `<tag>` element (group 1: its opening tag, group 2: its inner XML, None when it closes
    itself) and one for where such an element ends."""
    opening = rf"<(?:\w+:)?{tag}\b(?:[^>/]|/(?!>))*"
    return (
        re.compile(rf"({opening}(?:/>|>))(?:(?<=/>)|(.*?)</(?:\w+:)?{tag}>)", re.S),
        re.compile(rf"</(?:\w+:)?{tag}>|{opening}/>"),
    )


def _scan(archive: _Archive, name: str, tag: str, progress: Progress = None) -> Iterator[re.Match]:
    """Every `<tag>` element of a part, in order, as the part streams. Each scan of the buffer starts where the
    last one ended and stops at the last closing tag read so far, so the work is linear in the part's size."""
    whole, closing = _element_patterns(tag)
    size = max(archive.zip.getinfo(name).file_size, 1)
    pending, scanned, done = "", 0, 0
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    for chunk in archive.chunks(name):
        text = decoder.decode(chunk)
        if not done:
            _refuse_declarations(text)
        pending += text
        end = 0
        for end_found in closing.finditer(pending, scanned):
            end = end_found.end()
        if end:
            yield from whole.finditer(pending, 0, end)
            pending = pending[end:]
        scanned = max(len(pending) - 2 * len(tag) - 8, 0)  # a closing tag may straddle two chunks
        if len(pending) > MAX_ELEMENT_CHARS:
            raise _damaged("element_too_large", tag=tag, limit_mb=MAX_ELEMENT_CHARS // MB)
        done += len(chunk)
        if progress is not None:
            progress(min(done / size, 0.99))
    yield from whole.finditer(pending + decoder.decode(b"", True))


def _refuse_declarations(head: str) -> None:
    if "<!DOCTYPE" in head or "<!ENTITY" in head:
        raise _damaged("doctype")


_TEXT = re.compile(r"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>|<(?:\w+:)?t(?:\s[^>]*)?/>", re.S)
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_CELL = re.compile(  # groups: the column letters of `r`, the type `t`, the style `s`, the inner XML
    r"<(?:\w+:)?c\b(?:\s+(?:"
    r"r=[\"']([A-Za-z]*)\d*[\"']|t=[\"'](\w+)[\"']|s=[\"'](\d+)[\"']|[\w:]+=(?:\"[^\"]*\"|'[^']*')"
    r"))*\s*(?:/>|>(.*?)</(?:\w+:)?c>)",
    re.S,
)
_VALUE = re.compile(r"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>", re.S)
_ROW_NUMBER = re.compile(r"^<(?:\w+:)?row\b[^>]*?\sr=[\"'](\d+)[\"']")


def _unescape(text: str) -> str:
    if "<![CDATA[" in text:
        return re.sub(r"<!\[CDATA\[(.*?)\]\]>", lambda m: m.group(1), text, flags=re.S)
    return html.unescape(text) if "&" in text else text


def _inline_text(inner: str) -> str:
    """The text of a shared string or an inline string: its runs joined, phonetic hints left out."""
    if "rPh" in inner:
        inner = _PHONETIC.sub("", inner)
    return "".join(_unescape(found.group(1) or "") for found in _TEXT.finditer(inner))


def _shared_strings(archive: _Archive, budget: _Budget) -> list[str]:
    name = "xl/sharedStrings.xml"
    if name not in archive.names:
        return []
    strings = []
    for element in _scan(archive, name, "si"):
        text = _inline_text(element.group(2) or "")
        budget.take(CELL_BYTES + len(text))
        strings.append(text)
    return strings


# --- the sheet ----------------------------------------------------------------------------------------------


def _column_index(reference: str | None, previous: int) -> int:
    """0-based column of a cell reference such as 'AB12' (the next column when there is none)."""
    if not reference:
        return previous + 1
    index = 0
    for letter in reference:
        if "A" <= letter <= "Z":
            index = index * 26 + ord(letter) - 64
        elif "a" <= letter <= "z":
            index = index * 26 + ord(letter) - 96
        else:
            break
    return index - 1 if index else previous + 1


def _number_text(value: str) -> str:
    """A number cell as the dashboard reads it: whole numbers without '.0', others as Python writes them."""
    value = value.strip()
    try:
        if "." not in value and "e" not in value.lower():
            return str(int(value))
        number = float(value)
    except ValueError:
        return value
    if number.is_integer() and abs(number) < 2**63:
        return str(int(number))
    return repr(number)


def _date_text(value: str, epoch: dt.datetime) -> str:
    try:
        serial = float(value)
        if epoch is _EPOCH_1900 and 0 < serial < 60:
            serial += 1  # before Excel's phantom 29 February 1900
        moment = epoch + dt.timedelta(days=serial)
    except (ValueError, OverflowError):
        return _number_text(value)
    moment = moment.replace(microsecond=0) if moment.microsecond >= 500_000 else moment
    return moment.date().isoformat() if moment.time() == dt.time() else moment.replace(microsecond=0).isoformat()


class _SheetReader:
    """Turns a sheet's rows into rows of text, counting everything against the bounds."""

    def __init__(self, shared: list[str], dates: list[bool], epoch: dt.datetime, bounds: Bounds, budget: _Budget):
        self.shared, self.dates, self.epoch, self.bounds, self.budget = shared, dates, epoch, bounds, budget
        self.rows: list[list[str]] = []
        self.row_numbers: list[int] = []
        self.row_number = 0

    def read(self, archive: _Archive, part: str, progress: Progress) -> None:
        for row in _scan(archive, part, "row", progress):
            found = _ROW_NUMBER.match(row.group(1))
            number = int(found.group(1)) if found else 0
            self.row_number = number if number > self.row_number else self.row_number + 1
            if row.group(2):
                self._row(row.group(2))

    def _row(self, inner: str) -> None:
        cells: dict[int, str] = {}
        column = -1
        cost = 0
        for letters, kind, style, content in _CELL.findall(inner):
            column = _column_index(letters, column)
            if content:
                text = self._text(kind, style, content)
                if text:
                    cells[column] = text
                    cost += CELL_BYTES + (len(text) if kind != "s" else 0)
        if not cells:
            return
        widest = max(cells)
        limit = self.bounds.max_columns
        if limit is not None and widest >= limit:
            raise _Stop("too_many_columns", "too_many_columns.sheet", columns=widest + 1, limit=limit)
        limit = self.bounds.max_rows
        if limit is not None and len(self.rows) > limit:  # the header and `limit` data rows are allowed
            raise _Stop("too_many_rows", "too_many_rows.sheet", limit=limit)
        self.budget.take(cost + 8 * (widest + 1))
        if len(cells) == widest + 1 and list(cells) == list(range(widest + 1)):
            row = list(cells.values())
        else:
            row = [""] * (widest + 1)
            for position, text in cells.items():
                row[position] = text
        self.rows.append(row)
        self.row_numbers.append(self.row_number)

    def _text(self, kind: str, style: str, content: str) -> str:
        """A cell's text from its type (`t`), style (`s`) and inner XML."""
        if kind == "inlineStr":
            if content.startswith("<is><t>") and content.endswith("</t></is>") and "<" not in content[7:-9]:
                return _unescape(content[7:-9])
            return _inline_text(content)
        if content.startswith("<v>") and content.endswith("</v>") and "<" not in content[3:-4]:
            raw = content[3:-4]
        else:
            found = _VALUE.search(content)
            raw = found.group(1) if found else ""
        if not raw:
            return ""
        if kind == "s":
            index = int(raw) if raw.isdigit() else -1
            return self.shared[index] if 0 <= index < len(self.shared) else ""
        raw = _unescape(raw)
        if kind in ("", "n"):
            number = int(style) if style else 0
            if number < len(self.dates) and self.dates[number]:
                return _date_text(raw, self.epoch)
            return _number_text(raw)
        if kind == "b":
            return "true" if raw.strip() in ("1", "true") else "false"
        return raw  # formula strings, errors (#N/A), dates written as text


def read_sheet(data: bytes, sheet: str | None = None, bounds: Bounds | None = None, progress: Progress = None) -> Sheet:
    """One sheet of a workbook (the first unless `sheet` names another), read within `bounds`; never raises."""
    bounds = bounds or Bounds()
    result = Sheet()
    try:
        archive = _Archive(data, bounds)
        parts, date1904 = _sheet_parts(archive)
        if not parts:
            raise _damaged("no_sheet")
        result.sheets = [name for name, _ in parts]
        result.name, part = next(((n, p) for n, p in parts if n == sheet), parts[0])
        if part not in archive.names:
            raise _damaged("sheet_missing", sheet=result.name)
        budget = _Budget(bounds)
        reader = _SheetReader(
            _shared_strings(archive, budget),
            _date_styles(archive),
            _EPOCH_1904 if date1904 else _EPOCH_1900,
            bounds,
            budget,
        )
        reader.read(archive, part, progress)
        result.rows, result.row_numbers = reader.rows, reader.row_numbers
    except _Stop as stop:
        result.problem = stop.problem
    except MemoryError:
        result.problem = TOO_MUCH_MEMORY
    except (zipfile.BadZipFile, zipfile.LargeZipFile, expat.ExpatError, KeyError, ValueError, EOFError, OSError) as e:
        result.problem = _damaged("error", error=f"{type(e).__name__}: {str(e)[:120]}").problem
    except NotImplementedError as error:  # a compression method zipfile does not know
        result.problem = _damaged("error", error=str(error)[:120]).problem
    if result.problem:
        result.rows, result.row_numbers = [], []
    return result


# --- reading in a child process -----------------------------------------------------------------------------
# The parent writes the workbook to the child's standard input; the child answers with frames on its standard
# output: b"P" + 8-byte length + a progress fraction as text, then b"R" + 8-byte length + the pickled Sheet.


def _frame(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack(">Q", len(payload)) + payload


def _read_exactly(stream, size: int) -> bytes:
    parts, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("the reader stopped before its answer was complete")
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _child_memory_bytes(data_size: int, bounds: Bounds) -> int | None:
    """The address space the child may use: the workbook, what its cells may take (three times, for the answer
    in transit), and room for Python and the XML parser."""
    if bounds.max_memory_bytes is None:
        return None
    return 2 * data_size + 3 * bounds.max_memory_bytes + 512 * MB


def read_apart(data: bytes, sheet: str | None = None, bounds: Bounds | None = None, progress: Progress = None) -> Sheet:
    """`read_sheet` in a child process with its own memory limit: the server's interpreter stays free for other
    visitors while a workbook is read, and a workbook that takes too much memory ends only the child."""
    bounds = bounds or Bounds()
    command = [sys.executable, "-I", os.path.abspath(__file__), "--worker"]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    request = pickle.dumps((sheet, astuple(bounds), _child_memory_bytes(len(data), bounds)))

    def send() -> None:
        try:
            child.stdin.write(struct.pack(">Q", len(request)) + request + data)
            child.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    timer = threading.Timer(WORKER_SECONDS, child.kill)
    timer.daemon = True
    timer.start()
    try:
        while True:
            kind = child.stdout.read(1)
            if not kind:
                break
            payload = _read_exactly(child.stdout, struct.unpack(">Q", _read_exactly(child.stdout, 8))[0])
            if kind == b"P" and progress is not None:
                progress(float(payload))
            elif kind == b"R":
                return Sheet(*pickle.loads(payload))  # plain lists and strings from our own child
    except (EOFError, struct.error, pickle.UnpicklingError, ValueError):
        pass
    finally:
        timer.cancel()
        if child.poll() is None:
            child.kill()
        child.wait()
        sender.join(timeout=5)
    stopped = child.returncode is not None and child.returncode < 0  # killed: out of memory or out of time
    return Sheet(problem=TOO_MUCH_MEMORY if stopped else _damaged("reader_stopped").problem)


def _worker() -> None:
    """The child's side of `read_apart`."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sheet, bounds, memory = pickle.loads(_read_exactly(source, struct.unpack(">Q", _read_exactly(source, 8))[0]))
    bounds = Bounds(*bounds)
    data = source.read()
    if memory is not None:
        try:
            import resource
        except ImportError:  # Windows: the reader's own budget still holds
            resource = None
        if resource is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    last = [0.0]

    def progress(fraction: float) -> None:
        if fraction - last[0] >= 0.02:
            last[0] = fraction
            sink.write(_frame(b"P", f"{fraction:.3f}".encode()))
            sink.flush()

    result = read_sheet(data, sheet, bounds, progress)
    del data
    sink.write(
        _frame(
            b"R",
            pickle.dumps((result.sheets, result.name, result.rows, result.row_numbers, result.problem), protocol=5),
        )
    )
    sink.flush()


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _worker()
