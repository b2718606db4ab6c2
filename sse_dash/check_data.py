"""The rules that keep the published figures citable, checked across `sources.csv`, `figures.csv` and
`instruments.csv` together (`python -m sse_dash check-data`).

Each file alone is checked by the ingest path; these rules need the three at once, or the whole sources file:
no source is only a site's home page, no source is listed twice (same id or same address), every figure and
instrument cites sources that exist, and every source is cited by something. Rows are numbered as a spreadsheet
shows them (the header is row 1).
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from pathlib import Path

from sse_dash import paths
from sse_dash.ingest.addresses import comparable, is_home_page
from sse_dash.ingest.coerce import split_multi

FIRST_ROW = 2  # the spreadsheet row of the first data row, under the header


@dataclass(frozen=True)
class Finding:
    """One broken rule: where (file, row, column, value), what is wrong and what to do."""

    rule: str
    file: str
    row: int
    column: str
    value: str
    message: str
    fix: str

    def line(self) -> str:
        """The finding as one line of text."""
        return f"{self.file}:{self.row} [{self.column}] {self.message} {self.fix}"

    def record(self) -> dict[str, str | int]:
        """The finding as a JSON-ready dictionary."""
        return asdict(self)


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file as dictionaries of text."""
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def source_findings(sources: list[dict[str, str]], file: str = "sources.csv") -> list[Finding]:
    """Home-page addresses, addresses listed twice and ids used twice in a sources file."""
    findings: list[Finding] = []
    first_id: dict[str, int] = {}
    first_url: dict[str, int] = {}
    for row, source in enumerate(sources, start=FIRST_ROW):
        source_id, url = source.get("source_id", "").strip(), source.get("url", "").strip()
        if source_id in first_id:
            findings.append(
                Finding(
                    "duplicate_source_id",
                    file,
                    row,
                    "source_id",
                    source_id,
                    f"'{source_id}' is also the id of row {first_id[source_id]}.",
                    "Merge the two rows, or give one of them another id.",
                )
            )
        first_id.setdefault(source_id, row)
        if url and is_home_page(url):
            findings.append(
                Finding(
                    "home_page_url",
                    file,
                    row,
                    "url",
                    url,
                    f"'{url}' is a site's home page, not the page where the figures were read.",
                    "Give the full address of the page or document, or drop the source and what only it backs.",
                )
            )
        key = comparable(url)
        if url and key in first_url:
            findings.append(
                Finding(
                    "duplicate_url",
                    file,
                    row,
                    "url",
                    url,
                    f"'{url}' is also the address of row {first_url[key]}.",
                    "List each source once: keep one row and point figures and instruments at its id.",
                )
            )
        first_url.setdefault(key, row)
    return findings


def citations(figures: list[dict[str, str]], catalogue: list[dict[str, str]]) -> list[tuple[str, int, str, str]]:
    """Every source id cited, as (file, row, column, id)."""
    cited = [
        ("figures.csv", row, "source_id", f.get("source_id", "").strip())
        for row, f in enumerate(figures, start=FIRST_ROW)
    ]
    cited += [
        ("instruments.csv", row, "source_ids", part)
        for row, i in enumerate(catalogue, start=FIRST_ROW)
        for part in split_multi(i.get("source_ids", ""))
    ]
    return cited


def reference_findings(
    sources: list[dict[str, str]], figures: list[dict[str, str]], catalogue: list[dict[str, str]]
) -> list[Finding]:
    """Citations of sources that do not exist, and sources nobody cites."""
    known = {s.get("source_id", "").strip() for s in sources}
    cited = citations(figures, catalogue)
    findings = [
        Finding(
            "unknown_source",
            file,
            row,
            column,
            source_id,
            f"'{source_id}' is not a source_id of sources.csv.",
            "Add the source there, or correct the id.",
        )
        for file, row, column, source_id in cited
        if source_id not in known
    ]
    used = {source_id for *_, source_id in cited}
    findings += [
        Finding(
            "unused_source",
            "sources.csv",
            row,
            "source_id",
            s["source_id"],
            f"'{s['source_id']}' is cited by no figure and no instrument.",
            "Remove the row, or cite it where it backs a figure or an attribute.",
        )
        for row, s in enumerate(sources, start=FIRST_ROW)
        if s.get("source_id", "").strip() not in used
    ]
    return findings


def check(data_dir: Path = paths.DATA_DIR) -> list[Finding]:
    """Every broken rule in the sources, figures and instruments of `data_dir` (the bundled data by default)."""
    sources = read_rows(data_dir / paths.SOURCES_CSV.name)
    figures = read_rows(data_dir / paths.FIGURES_CSV.name)
    catalogue = read_rows(data_dir / paths.INSTRUMENTS_CSV.name)
    return source_findings(sources) + reference_findings(sources, figures, catalogue)
