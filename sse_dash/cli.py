"""Command line: `python -m sse_dash validate | check-data | check-source | template | demo-data | dictionary | bench | purge-expired`.

Exit codes of `validate`: 0 the file is valid; 1 its content has problems (empty, binary and unparseable files
included); 2 the command was misused or the file does not exist or cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sse_dash import check_data, config, datasets, demo, paths, store
from sse_dash.export import to_csv_bytes
from sse_dash.ingest import IngestReport, IngestResult, ReadResult, detect_kind, ingest, ingest_table, read_table
from sse_dash.ingest.coerce import SOLAR_HIJRI_COLUMN
from sse_dash.schema import KINDS, dictionary_markdown, field_names

MAX_PRINTED_PROBLEMS = 100
EXIT_VALID, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A misuse of the command line or a file that cannot be opened (exit code 2)."""


def _read_bytes(path: str) -> bytes:
    file = Path(path)
    if not file.exists():
        raise CommandError(f"{path}: no such file.")
    if file.is_dir():
        raise CommandError(f"{path} is a folder, not a file.")
    try:
        return file.read_bytes()
    except OSError as error:
        raise CommandError(f"{path} cannot be opened: {error.strerror or error}.") from error


def _references(catalogue_path: str | None) -> dict:
    """The catalogue and source ids a file is checked against (bundled unless --catalogue is given)."""
    sources = datasets.load_sources()
    source_ids = frozenset(sources["source_id"])
    if catalogue_path:
        result = ingest(_read_bytes(catalogue_path), kind="instruments", filename=catalogue_path)
        if not result.report.valid:
            raise CommandError(
                f"The catalogue {catalogue_path} has problems; validate it first with "
                f"`python -m sse_dash validate {catalogue_path} --kind instruments`."
            )
        catalogue = result.frame
    else:
        catalogue = datasets.load_catalogue(source_ids=source_ids)
    return {"catalogue": catalogue, "source_ids": source_ids}


def summary_lines(report: IngestReport) -> list[str]:
    """The people-readable report: summary, warnings, problems."""
    detected = []
    if report.source_format == "xlsx":
        detected.append(f"Excel sheet: {report.sheet}")
    else:
        detected += [f"Encoding: {report.encoding or '?'}", f"Delimiter: {report.delimiter_name() or '?'}"]
    if report.decimal:
        detected.append(f"Decimal mark: {report.decimal}")
    lines = [
        f"File: {report.filename}",
        f"Kind: {report.kind or 'unknown'}    Rows: {report.rows:,}    " + "    ".join(detected),
    ]
    if report.valid:
        lines.append(f"Valid: yes, all {report.valid_rows:,} rows.")
    else:
        rows_hit = report.rows_with_problems
        lines.append(
            f"Valid: no. {report.problem_count:,} problem(s)"
            + (
                f" in {rows_hit:,} row(s); {report.valid_rows:,} of {report.rows:,} rows are valid."
                if rows_hit
                else "."
            )
        )
    if report.warnings:
        lines.append("Warnings:")
        lines += [f"  - {warning}" for warning in report.warnings]
    if not report.valid:
        counts = report.counts_by_code()
        lines.append("Problems by type: " + ", ".join(f"{code} {count:,}" for code, count in counts.items()))
        lines.append("Problems:")
        for p in report.problems.head(MAX_PRINTED_PROBLEMS).itertuples(index=False):
            where = "file" if pd.isna(p.row) else f"row {int(p.row)}"
            if isinstance(p.column, str) and p.column:
                where += f", column '{p.column}'"
            lines.append(f"  {where}: {p.message} {p.suggestion}".rstrip())
        printed = min(len(report.problems), MAX_PRINTED_PROBLEMS)
        if report.problem_count > printed:
            see = (
                "all"
                if len(report.problems) == report.problem_count
                else f"the first {report.listed_per_kind:,} of each kind"
            )
            lines.append(f"  … and {report.problem_count - printed:,} more (use --json to see {see}).")
    return lines


def clean_output(result: IngestResult) -> pd.DataFrame:
    """What `--out` writes: the valid rows cleaned, with the Solar Hijri years as written when some were converted."""
    if SOLAR_HIJRI_COLUMN not in result.extras:
        return result.frame
    return result.frame.assign(**{SOLAR_HIJRI_COLUMN: result.extras[SOLAR_HIJRI_COLUMN]})


def _assignments(option: str, pairs: Sequence[str]) -> dict[str, str]:
    """`FIELD=TEXT` arguments of a repeatable option as a dict; a field given twice is a misuse."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, equals, text = pair.partition("=")
        name = name.strip()
        if not equals or not name:
            raise CommandError(f"{option} {pair!r}: write {option} FIELD={'COLUMN' if option == '--map' else 'VALUE'}.")
        if name in found:
            raise CommandError(f"{option} gives '{name}' twice.")
        found[name] = text.strip()
    return found


def _checked_choices(
    read: ReadResult, kind: str | None, mapping: dict[str, str], constants: dict[str, str]
) -> tuple[str | None, dict[str, str | None]]:
    """The kind and the column mapping to use, after checking the fields and columns named on the command line.

    An empty COLUMN (`--map life_stage=`) leaves the field unmatched. Without `--kind`, the fields are checked
    against the kind detected from the header.
    """
    if read.problems_are_fatal:  # nothing to match: the report says why
        return kind, {name: column or None for name, column in mapping.items()}
    headers = read.table.headers if read.table is not None else []
    kind = kind or detect_kind(headers)[0]
    if kind is None:
        raise CommandError("the kind of file could not be told from its header: give --kind with --map or --set.")
    names = field_names(kind)
    for option, given in (("--map", mapping), ("--set", constants)):
        for name in given:
            if name not in names:
                raise CommandError(
                    f"{option} {name}: {kind} has no field '{name}'. Its fields are: {', '.join(names)}."
                )
    if both := sorted(set(mapping) & set(constants)):
        raise CommandError(f"'{both[0]}' is given both a column (--map) and a value (--set): choose one.")
    for name, column in mapping.items():
        if column and column not in headers:
            listed = ", ".join(f"'{h}'" for h in headers if h)
            raise CommandError(f"--map {name}={column}: the file has no column '{column}'. Its columns are: {listed}.")
    return kind, {name: column or None for name, column in mapping.items()}


def command_validate(args: argparse.Namespace) -> int:
    data = _read_bytes(args.file)
    read = read_table(data, filename=args.file)
    constants = _assignments("--set", args.set)
    kind, mapping = _checked_choices(read, args.kind, _assignments("--map", args.map), constants)
    references = _references(args.catalogue) if kind != "sources" else {}
    if kind in ("instruments", "sources"):
        references.pop("catalogue", None)
    result = ingest_table(read, kind=kind, mapping=mapping, constants=constants, **references)
    report = result.report
    if args.out and not result.frame.empty:
        Path(args.out).write_bytes(to_csv_bytes(clean_output(result)))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary_lines(report)))
        if args.out:
            if result.frame.empty:
                print(f"Nothing written to {args.out}: no valid rows.")
            else:
                left_out = f"; {report.rows_left_out:,} row(s) with problems were left out" if not report.valid else ""
                print(f"Wrote {len(result.frame):,} clean row(s) to {args.out}{left_out}.")
    return EXIT_VALID if report.valid else EXIT_PROBLEMS


def command_template(args: argparse.Namespace) -> int:
    data = to_csv_bytes(datasets.template_frame(args.kind))
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"Wrote a {args.kind} template to {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(data.decode("utf-8"))
    return 0


def command_demo_data(args: argparse.Namespace) -> int:
    if args.rows < 1:
        raise CommandError("--rows must be at least 1.")
    path = demo.write_usage_csv(args.out, rows=args.rows, seed=args.seed)
    print(f"Wrote {args.rows:,} SYNTHETIC usage rows (seed {args.seed}) to {path}.", file=sys.stderr)
    return 0


def command_dictionary(args: argparse.Namespace) -> int:
    kinds = [args.kind] if args.kind else list(KINDS)
    print("\n\n".join(f"### {kind}\n\n{dictionary_markdown(kind)}" for kind in kinds))
    return 0


def command_bench(args: argparse.Namespace) -> int:
    from sse_dash import bench

    if args.rows < 100:
        raise CommandError("--rows must be at least 100.")
    if args.repeats < 1:
        raise CommandError("--repeats must be at least 1.")
    if args.browser and (missing := bench.browser_missing()):
        raise CommandError(f"--browser needs {missing}; run it from a checkout with requirements-dev.txt installed.")
    say = (lambda line: print(line, file=sys.stderr)) if args.quiet else (lambda line: print(line, flush=True))
    results = bench.run(args.rows, args.repeats, browser=args.browser, say=say)
    print(bench.table(results))
    if args.json:
        bench.write_json(results, args.json)
        print(f"Wrote every measurement to {args.json}.", file=sys.stderr)
    missed = bench.misses(results) if args.rows >= bench.DEFAULT_ROWS else []
    if args.check and missed:
        print(f"Above target: {', '.join(missed)}.", file=sys.stderr)
        return EXIT_PROBLEMS
    return 0


def command_check_data(args: argparse.Namespace) -> int:
    data_dir = Path(args.data) if args.data else paths.DATA_DIR
    missing = [
        name
        for name in (paths.SOURCES_CSV.name, paths.FIGURES_CSV.name, paths.INSTRUMENTS_CSV.name)
        if not (data_dir / name).is_file()
    ]
    if missing:
        raise CommandError(f"{data_dir} has no {', '.join(missing)}.")
    findings = check_data.check(data_dir)
    if args.json:
        print(json.dumps({"valid": not findings, "findings": [f.record() for f in findings]}, ensure_ascii=False))
    else:
        for finding in findings:
            print(finding.line())
        print(f"{len(findings):,} finding(s) in the sources, figures and instruments of {data_dir}.")
    return EXIT_PROBLEMS if findings else EXIT_VALID


def command_check_source(args: argparse.Namespace) -> int:
    from sse_dash.engine import EngineUnavailable, UsageSource, connect, usage_records
    from sse_dash.engine.check import check_source

    settings = config.settings()
    url, table = args.url or settings.usage_url, args.table or settings.usage_table
    if not url or not table:
        raise CommandError(
            "name the table: --url URL --table NAME, or set SSE_DASH_USAGE_URL and SSE_DASH_USAGE_TABLE."
        )
    mapping = tuple(_assignments("--map", args.map).items()) if args.map else settings.usage_mapping
    source = UsageSource(url, table, mapping)
    try:
        backend = connect(url)
        records = usage_records(backend, source, datasets.load_catalogue())
        report = check_source(records, datasets.load_catalogue(), f"{_without_password(url)} {table}")
    except EngineUnavailable as error:
        raise CommandError(str(error)) from error
    except Exception as error:  # the engine's own errors: a table that does not exist, a database that is away
        raise CommandError(
            f"{table} on {_without_password(url)} cannot be read: {str(error).splitlines()[0]}"
        ) from error
    if args.json:
        print(json.dumps(report.record(), ensure_ascii=False, default=str))
    else:
        print(f"Table: {table} on {_without_password(url)}    Rows: {report.rows:,}")
        for warning in report.warnings:
            print(f"Warning: {warning}")
        for problem in report.problems:
            value = f" ({problem['value']})" if problem["value"] is not None else ""
            print(f"{problem['column']}{value}: {problem['message']} {problem['suggestion']}")
        print("Valid: yes." if report.valid else f"Valid: no. {len(report.problems):,} problem(s) listed.")
    return EXIT_VALID if report.valid else EXIT_PROBLEMS


def _without_password(url: str) -> str:
    """An engine URL as printed: the password replaced by ***."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{host}"


def command_purge_expired(args: argparse.Namespace) -> int:
    datasets_store = store.DatasetStore(config.settings().store_url)
    try:
        released = datasets_store.purge_expired()
    except store.StoreUnavailable as error:
        raise CommandError(f"the database of saved datasets cannot be reached ({error}).") from error
    finally:
        datasets_store.close()
    print(f"Released the space of {released:,} expired saved dataset(s).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m sse_dash`."""
    parser = argparse.ArgumentParser(prog="python -m sse_dash", description="SSE finance dashboard tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check a CSV/XLSX file and report every problem")
    validate.add_argument("file", metavar="FILE")
    validate.add_argument("--kind", choices=KINDS, help="kind of file (detected from the columns when omitted)")
    validate.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    validate.add_argument("--out", metavar="CLEAN.csv", help="write the valid rows, cleaned, to this file")
    validate.add_argument(
        "--catalogue", metavar="FILE", help="check instrument ids against this catalogue instead of the bundled one"
    )
    validate.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="read FIELD from the file's column COLUMN, as the upload page's matching does (repeatable; "
        "FIELD= leaves the field unmatched)",
    )
    validate.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="give FIELD the value VALUE in every row, e.g. --set currency=IRR (repeatable)",
    )
    validate.set_defaults(run=command_validate)

    check = commands.add_parser(
        "check-data",
        help="check that sources, figures and instruments cite each other and no source is a home page or listed twice",
    )
    check.add_argument(
        "--data", metavar="FOLDER", help="the folder of the three CSV files (the bundled data by default)"
    )
    check.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    check.set_defaults(run=command_check_data)

    source = commands.add_parser(
        "check-source", help="check a usage table where it lives (DuckDB, PostgreSQL, Spark) without pulling it"
    )
    source.add_argument("--url", metavar="URL", help="the engine URL (default: SSE_DASH_USAGE_URL)")
    source.add_argument("--table", metavar="NAME", help="the table (default: SSE_DASH_USAGE_TABLE)")
    source.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="read FIELD from the table's column COLUMN (repeatable; default: SSE_DASH_USAGE_MAPPING)",
    )
    source.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    source.set_defaults(run=command_check_source)

    template = commands.add_parser("template", help="print an example CSV with the right header")
    template.add_argument("kind", choices=KINDS, metavar="KIND", help=f"one of {', '.join(KINDS)}")
    template.add_argument("--out", metavar="FILE", help="write to this file instead of standard output")
    template.set_defaults(run=command_template)

    demo_data = commands.add_parser("demo-data", help="write SYNTHETIC usage rows made by the demo generator")
    demo_data.add_argument("--rows", type=int, default=demo.DEMO_ROWS, metavar="N")
    demo_data.add_argument("--out", required=True, metavar="FILE")
    demo_data.add_argument("--seed", type=int, default=demo.DEMO_SEED)
    demo_data.set_defaults(run=command_demo_data)

    bench = commands.add_parser(
        "bench", help="measure import, charts and page reruns at N SYNTHETIC usage rows (see README › Performance)"
    )
    bench.add_argument("--rows", type=int, default=1_000_000, metavar="N", help="usage rows to generate (1,000,000)")
    bench.add_argument(
        "--repeats", type=int, default=5, metavar="R", help="runs per measurement; the median is kept (5)"
    )
    bench.add_argument("--browser", action="store_true", help="also time the first chart in Chromium on a fresh server")
    bench.add_argument("--json", metavar="FILE", help="write every measurement to this JSON file")
    bench.add_argument(
        "--check",
        action="store_true",
        help="exit with 1 when a measurement is above its target (at 1,000,000 rows or more)",
    )
    bench.add_argument("--quiet", action="store_true", help="progress messages to standard error")
    bench.set_defaults(run=command_bench)

    purge = commands.add_parser(
        "purge-expired",
        help="release the space of expired saved datasets now (saving does it too); their links keep saying so",
    )
    purge.set_defaults(run=command_purge_expired)

    dictionary = commands.add_parser("dictionary", help="print the data dictionary as Markdown")
    dictionary.add_argument("kind", nargs="?", choices=KINDS, metavar="KIND")
    dictionary.set_defaults(run=command_dictionary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except datasets.BundledDataError as error:
        print(f"error: the bundled data is broken ({error}). Please report this.", file=sys.stderr)
        return EXIT_USAGE
