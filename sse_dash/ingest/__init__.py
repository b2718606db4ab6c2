"""The one ingest path for every file, bundled or uploaded: read, map, coerce, validate, report.

bytes -> file checks -> encoding -> delimiter -> parse (`read`) -> header mapping (`mapping`) -> type coercion and
code resolution (`coerce`) -> pandera validation, lazy (`validate`) -> a clean frame (categoricals) plus a report
(`report`), every problem a `Problem` with a `ProblemCode` (`problems`). `pipeline` runs the steps in order.

Rows are numbered as a spreadsheet shows them: the header is row 1, and a quoted cell spanning several lines is
still one row. Nothing here raises on bad input: every problem becomes a row of `IngestReport.problems`.
"""

from sse_dash.ingest.coerce import NUMERIC_TYPES, Coerced, DistinctCache, coerce_field, parse_numbers
from sse_dash.ingest.mapping import ColumnMatch, detect_kind, match_columns, normalise_header
from sse_dash.ingest.pipeline import ingest, ingest_path, ingest_table, skipped_rows
from sse_dash.ingest.problems import (
    PROBLEM_COLUMNS,
    Problem,
    ProblemCode,
    cell_text,
    field_word,
    problem_frame,
)
from sse_dash.ingest.read import PREVIEW_CHARS, Progress, ReadResult, read_csv_table, read_excel_table, read_table
from sse_dash.ingest.report import IngestReport, IngestResult
from sse_dash.ingest.spool import SPOOL_BYTES, clean_spool, spool_dir
from sse_dash.ingest.table import CellTable, column_letter, header_position
from sse_dash.ingest.validate import DUPLICATE_HINTS, MAX_LISTED, UNIQUE_TOGETHER, blank_rows, validate_frame

__all__ = [
    "DUPLICATE_HINTS",
    "MAX_LISTED",
    "NUMERIC_TYPES",
    "PREVIEW_CHARS",
    "PROBLEM_COLUMNS",
    "SPOOL_BYTES",
    "UNIQUE_TOGETHER",
    "Coerced",
    "ColumnMatch",
    "DistinctCache",
    "IngestReport",
    "IngestResult",
    "Problem",
    "ProblemCode",
    "Progress",
    "CellTable",
    "ReadResult",
    "blank_rows",
    "cell_text",
    "clean_spool",
    "coerce_field",
    "column_letter",
    "detect_kind",
    "field_word",
    "header_position",
    "ingest",
    "ingest_path",
    "ingest_table",
    "match_columns",
    "normalise_header",
    "parse_numbers",
    "problem_frame",
    "read_csv_table",
    "read_excel_table",
    "read_table",
    "skipped_rows",
    "spool_dir",
    "validate_frame",
]
