"""The bundled data (catalogue, published figures, sources, synthetic demo usage), loaded through the ingest path.

Bundled files go through exactly the same `ingest` as uploads; a bundled file with a problem is a bug and raises
`BundledDataError` (the tests keep that from ever shipping).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sse_dash import paths
from sse_dash.catalogue_translations import COLUMNS as TRANSLATION_COLUMNS
from sse_dash.catalogue_translations import load_translations
from sse_dash.demo import SYNTHETIC_NOTICE, generate_usage
from sse_dash.i18n import N_, _
from sse_dash.ingest import IngestReport, IngestResult, ingest_path
from sse_dash.schema import FIELDS, field_names
from sse_dash.transform import with_catalogue_columns

if TYPE_CHECKING:  # the engine (Ibis) is imported by what queries it, not by everything that loads data
    from sse_dash.engine import UsageSource

DATABASE_LABEL = N_("Database table: {table}")


class BundledDataError(RuntimeError):
    """A bundled CSV failed validation: a packaging bug, not a user error."""


@dataclass(frozen=True)
class Dataset:
    """A validated frame of one kind with where it came from.

    A usage table read in place (`origin` "database") has no frame: `source` says where the engine reads it, and
    its rows are only ever counted and aggregated there (`ui.usage_rows`, the engine's queries).
    """

    kind: str
    frame: pd.DataFrame | None
    report: IngestReport
    label: str
    synthetic: bool = False
    origin: str = "bundled"
    key: str = "bundled"
    file_name: str = ""
    source: UsageSource | None = None

    @property
    def rows(self) -> int:
        """Number of valid rows (of a frame: a table read in place is counted by the engine, not here)."""
        if self.frame is None:
            raise TypeError(f"{self.key} is a table read in place: count its rows with the engine")
        return len(self.frame)

    def shown_label(self) -> str:
        """The label in the language of this run (the bundled data's label is a message; an upload's is its own)."""
        if self.origin == "database":
            return _(DATABASE_LABEL).format(table=self.label)
        return _(self.label) if self.origin == "bundled" else self.label


@dataclass(frozen=True)
class Bundle:
    """Everything the dashboard ships with."""

    sources: pd.DataFrame
    catalogue: pd.DataFrame  # the instrument catalogue (the file kind "instruments")
    figures: pd.DataFrame
    usage: Dataset
    # the catalogue's names and descriptions in other languages (`catalogue_translations`): data beside its text
    translations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(TRANSLATION_COLUMNS)))


def _checked(result: IngestResult, path: Path) -> pd.DataFrame:
    if not result.report.valid:
        first = result.report.problems.head(5).to_dict("records")
        raise BundledDataError(f"{path.name} has {len(result.report.problems)} problem(s), e.g. {first}")
    return result.frame


def load_sources(path: Path = paths.SOURCES_CSV) -> pd.DataFrame:
    """The bundled sources table, one row per page where a figure or fact was read."""
    return _checked(ingest_path(str(path), kind="sources"), path)


def load_catalogue(path: Path = paths.INSTRUMENTS_CSV, source_ids: frozenset[str] | None = None) -> pd.DataFrame:
    """The bundled instrument catalogue (instruments.csv)."""
    return _checked(ingest_path(str(path), kind="instruments", source_ids=source_ids), path)


def load_figures(path: Path, catalogue: pd.DataFrame, source_ids: frozenset[str]) -> pd.DataFrame:
    """The bundled published figures."""
    return _checked(ingest_path(str(path), kind="figures", catalogue=catalogue, source_ids=source_ids), path)


def demo_usage(catalogue: pd.DataFrame, path: Path = paths.DEMO_USAGE_CSV) -> Dataset:
    """The bundled SYNTHETIC demo usage set, labelled as such."""
    result = ingest_path(str(path), kind="usage", catalogue=catalogue)
    frame = with_catalogue_columns(_checked(result, path), catalogue)
    return Dataset(
        "usage",
        frame,
        result.report,
        N_("SYNTHETIC demo data"),
        synthetic=True,
        origin="bundled",
        key=f"bundled:{path.name}",
        file_name=path.name,
    )


def database_usage(source: UsageSource, table: str, engine: str, key: str) -> Dataset:
    """The usage table a deployment points at (`SSE_DASH_USAGE_URL` and `_TABLE`), read in place: no frame.

    `table` is its name as the deployment wrote it (the label: "Database table: registry_usage"), `engine` the
    engine's name ("PostgreSQL": shown where a file's name would be, never the URL, which may hold a password) and
    `key` what the page caches key it by. Its rows were not checked by ingest: `check-source` checks them in place.
    """
    report = IngestReport(kind="usage", filename=table)
    return Dataset("usage", None, report, table, origin="database", key=key, file_name=engine, source=source)


def load_bundle(data_dir: Path = paths.DATA_DIR) -> Bundle:
    """Load and validate every bundled file."""
    sources = load_sources(data_dir / paths.SOURCES_CSV.name)
    source_ids = frozenset(sources["source_id"])
    catalogue = load_catalogue(data_dir / paths.INSTRUMENTS_CSV.name, source_ids)
    figures = load_figures(data_dir / paths.FIGURES_CSV.name, catalogue, source_ids)
    usage = demo_usage(catalogue, data_dir / paths.DEMO_USAGE_CSV.name)
    translations = load_translations(data_dir / paths.INSTRUMENT_TRANSLATIONS_CSV.name)
    return Bundle(sources, catalogue, figures, usage, translations)


def template_frame(kind: str, bundle: Bundle | None = None) -> pd.DataFrame:
    """An example table of `kind` with every documented column.

    Usage examples are invented and say so; figures, instruments and sources examples are real bundled rows.
    """
    if kind == "usage":
        example = generate_usage(40).head(3).copy()
        example["org_id"] = [f"EXAMPLE-{i}" for i in range(1, len(example) + 1)]
        example["notes"] = "Example row, invented: replace with your data. " + SYNTHETIC_NOTICE
        return example.loc[:, field_names("usage")]
    bundle = bundle or load_bundle()
    frame = {"figures": bundle.figures, "instruments": bundle.catalogue, "sources": bundle.sources}[kind]
    return frame.head(2).reset_index(drop=True).loc[:, [f.name for f in FIELDS[kind]]]
