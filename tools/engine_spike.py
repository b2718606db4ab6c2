"""The query-engine spike of #15: each usage view by Ibis on DuckDB against today's pandas code, at 30,000 rows.

For every view it prints the median of warm runs of: the pandas path (`transform`, as `ui.caching` calls it), the
engine path (`sse_dash.engine.queries`, end to end: build, compile, run, the small result into pandas), and how
the engine's time splits: compiling its expressions to SQL (Ibis and sqlglot's own cost, whatever the data) and
DuckDB running that SQL alone. On a loaded machine the compile time is the number that does not move with the
load. Run from a checkout (writes a Parquet copy of the demo data to a temporary folder):

    python -m tools.engine_spike [runs]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import ibis
from ibis.expr.types.core import Expr

from sse_dash import datasets, transform, views
from sse_dash.engine import connect, queries, to_parquet, usage_table
from sse_dash.transform import UsageFilter

SETTINGS = ("amount", "usd", "sse_type")  # measure, money, mix_by: the page's defaults
CHOSEN = UsageFilter()  # every row: the page as it opens


def median_ms(run: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls after one warm-up call, in milliseconds."""
    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def pandas_views(frame, catalogue, chosen: UsageFilter) -> dict[str, Callable[[], object]]:
    measure, money, by = SETTINGS

    def based(view: Callable) -> Callable[[], object]:
        def run():
            rows, basis = transform.money_basis(transform.filter_usage(frame, chosen), money)
            return view(rows, basis)

        return run

    return {
        "Mix": based(lambda rows, basis: transform.financing_mix(rows, by, measure, basis)),
        "Organisations": lambda: transform.organisations_using(transform.filter_usage(frame, chosen)),
        "Trend": based(lambda rows, basis: transform.trend(rows, measure, basis)),
        "Heatmap": based(lambda rows, basis: transform.instrument_by_country(rows, measure, basis)),
        "Map": based(lambda rows, basis: transform.by_country(rows, measure, basis)),
        "Amounts": based(lambda rows, basis: transform.amount_histogram(rows, basis)),
        "counts": lambda: len(rows := transform.filter_usage(frame, chosen)) + transform.distinct(rows["org_id"]),
        "options": lambda: views.usage_options(frame, catalogue),
    }


def engine_views(table, catalogue, chosen: UsageFilter) -> dict[str, Callable[[], object]]:
    measure, money, by = SETTINGS

    def based(view: Callable) -> Callable[[], object]:
        def run():
            rows, basis = queries.money_basis(queries.filter_usage(table, chosen), money)
            return view(rows, basis)

        return run

    return {
        "Mix": based(lambda rows, basis: queries.financing_mix(rows, by, measure, basis)),
        "Organisations": lambda: queries.organisations_using(queries.filter_usage(table, chosen)),
        "Trend": based(lambda rows, basis: queries.trend(rows, measure, basis)),
        "Heatmap": based(lambda rows, basis: queries.instrument_by_country(rows, measure, basis)),
        "Map": based(lambda rows, basis: queries.by_country(rows, measure, basis)),
        "Amounts": based(lambda rows, basis: queries.amount_histogram(rows, basis)),
        "counts": lambda: queries.counts(queries.filter_usage(table, chosen)),
        "options": lambda: queries.usage_options(table, catalogue),
    }


def executed_expressions(run: Callable[[], object], backend) -> list[Expr]:
    """The expressions a view executes (one per query), caught on their way into the backend."""
    caught: list[Expr] = []
    original = backend.execute

    def catching(expr, *args, **kwargs):
        caught.append(expr)
        return original(expr, *args, **kwargs)

    backend.execute = catching
    try:
        run()
    finally:
        del backend.execute  # the class's method again
    return caught


def split(run: Callable[[], object], backend, runs: int) -> tuple[int, float, float]:
    """Queries of a view, the time to compile them to SQL and DuckDB's time to run that SQL, in milliseconds."""
    expressions = executed_expressions(run, backend)
    sqls = [str(ibis.to_sql(e, dialect="duckdb")) for e in expressions]
    compile_ms = median_ms(lambda: [ibis.to_sql(e, dialect="duckdb") for e in expressions], runs)
    execute_ms = median_ms(lambda: [backend.con.sql(sql).fetchall() for sql in sqls], runs)
    return len(expressions), compile_ms, execute_ms


def main(runs: int = 15) -> None:
    bundle = datasets.load_bundle()
    frame = bundle.usage.frame
    with tempfile.TemporaryDirectory() as folder:
        backend = connect()
        table = usage_table(backend, to_parquet(frame, Path(folder) / "demo.parquet"))
        engine = engine_views(table, bundle.catalogue, CHOSEN)
        pandas = pandas_views(frame, bundle.catalogue, CHOSEN)
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"{len(frame):,} rows · ibis {ibis.__version__} · duckdb {duckdb.__version__} · load {load}")
        print("| view | pandas ms | engine ms | queries | compile ms | DuckDB ms | rest ms |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for view, run in engine.items():
            total = median_ms(run, runs)
            count, compile_ms, execute_ms = split(run, backend, runs)
            rest = total - compile_ms - execute_ms
            print(
                f"| {view} | {median_ms(pandas[view], runs):.1f} | {total:.1f} | {count} | {compile_ms:.1f} | "
                f"{execute_ms:.1f} | {rest:.1f} |"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
