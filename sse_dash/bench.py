"""`python -m sse_dash bench`: how fast the import, the usage charts and the pages are at N usage rows.

Everything is measured on the code path the app runs, in one process run so ratios hold on a noisy machine:

- `read_csv_s`: plain `pandas.read_csv` of the generated file, the floor of the pandas import;
- `engine_read_csv_s`: DuckDB's own CSV read of the same file into a table, the floor of an engine import;
- `engine_import_s`: the engine import (`engine.importer`: DuckDB reads the file, canonical rows typed in SQL, the
  others through the ordinary ingest in chunks) to the Parquet file the pages query, `engine_import_ratio` =
  `engine_import_s / engine_read_csv_s`; `engine_rollups_s`, writing the file's rollups afterwards
  (`engine.rollups`: from 250,000 records; a large upload writes them in a thread while its pages already read the
  records); `engine_peak_rss_mb`, the peak memory of a fresh process that does both; up to 2,000,000 rows the
  pandas import below is measured too (beyond, it would need about 870 MB a million rows);
- `import_s`: the full ingest path on the same file, to the dataset the pages use (kind detection, encoding,
  delimiter, parsing, mapping, code resolution, validation, catalogue columns), and `import_ratio` =
  `import_s / read_csv_s`; the two are timed alternately so both see the same machine load;
- `upload_import_s`: the same from the file's bytes in memory, as an upload arrives, including the fingerprint the
  upload page keys its caches on;
- `peak_rss_mb`: the peak resident memory of a fresh process that does one import (`import_rss_mb`: the part
  above the process's memory before the import);
- `parquet_write_s`: writing the imported records as the Parquet file the engine reads (once per dataset);
- `chart_<view>_ms`: filter + aggregate + figure build of each usage-page view as the page runs it (Ibis queries on
  DuckDB over that Parquet file, or over its rollups when it has them), at the page's default filters and at a narrow filter (three countries, five years,
  one SSE type), the slower of the two; `pandas_chart_<view>_ms` the same on the pandas frame (the path the engine
  replaced, for comparison);
- `page_rerun_ms`: an AppTest rerun of the usage page after one filter change with the dataset active (beyond
  2,000,000 rows, the engine-imported file, as a large upload is active);
- with `--browser` (`tools/first_chart.py`, a development tool: Playwright), `first_chart_s`: seconds from opening
  /usage on a fresh server (after its readiness probe) to the first chart drawn, on the bundled data;
  `first_chart_cold_s` without the probe; `first_chart_large_s` on the N-row dataset opened through a saved-dataset
  link; `first_chart_floor_s` for a one-chart Streamlit app, the machine's floor.

Each measurement is the median of `repeats` runs. The generated rows are SYNTHETIC (the demo generator); nothing in
the measured path knows that.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import ibis
import pandas as pd

from sse_dash import datasets, demo, engine, transform, uploads, views
from sse_dash.engine import queries, rollups
from sse_dash.engine.importer import import_usage_csv
from sse_dash.ingest import IngestResult, ingest, ingest_path
from sse_dash.paths import ROOT_DIR

DEFAULT_ROWS = 1_000_000
DEFAULT_REPEATS = 5
BUNDLED_CATALOGUE = "bundled"  # the catalogue key the app gives the bundled instrument list
# Targets of issue #7 for a 2-core machine at 1,000,000 rows (every measurement must be at most its target).
TARGETS = {
    "import_ratio": 3.0,
    "chart_ms": 150.0,
    "page_rerun_ms": 500.0,
    "peak_rss_mb": 1500.0,
    "first_chart_s": 3.0,
}
# Issue #15's targets at 10,000,000 rows, and at the bundled 30,000 (a page rerun).
TARGETS_10M = {
    "engine_import_ratio": 2.5,
    "chart_ms": 250.0,
    "page_rerun_ms": 500.0,
    "engine_peak_rss_mb": 1200.0,
}
TARGETS_30K = {"page_rerun_ms": 150.0}


def targets_for(rows: int) -> dict[str, float]:
    """The targets that apply at `rows`: 10M's from ten million rows, 1M's from one million, else the bundled size's."""
    if rows >= 10_000_000:
        return TARGETS_10M
    return TARGETS if rows >= DEFAULT_ROWS else TARGETS_30K


Say = Callable[[str], None]


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds `work()` took, and what it returned."""
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


# --- the import -------------------------------------------------------------------------------------------------


def _dataset(result: IngestResult, name: str, digest: str, catalogue: pd.DataFrame) -> datasets.Dataset:
    if result.report.kind != "usage" or not result.report.valid:
        raise RuntimeError(f"the benchmark file did not import cleanly: {result.report.to_dict()}")
    return uploads.usage_dataset(result, name, digest, catalogue, BUNDLED_CATALOGUE)


def import_dataset(path: Path, catalogue: pd.DataFrame) -> datasets.Dataset:
    """The full ingest path on the file, as `read_csv` gets it: the file in, the dataset the pages use out.

    Kind detection, encoding, delimiter and number format, parsing, column mapping, coercion, code resolution,
    validation with pandera, then the catalogue's family and origin columns.
    """
    return _dataset(ingest_path(str(path), catalogue=catalogue), path.name, f"bench-{path.stat().st_size}", catalogue)


def upload_dataset(data: bytes, name: str, catalogue: pd.DataFrame) -> datasets.Dataset:
    """What the upload page does with a file's bytes: fingerprint them (the page's cache key), then the same path."""
    digest = uploads.file_hash(data)
    return _dataset(ingest(data, filename=name, catalogue=catalogue), name, digest, catalogue)


def peak_memory_of_import(path: Path, engine: bool = False) -> dict[str, float] | None:
    """Peak RSS (MB) of a fresh Python process that imports `path` once (by pandas, or by the engine to a Parquet
    file beside it, then writes its rollups), and its RSS before the import."""
    code = (
        "import json, resource, sys\n"
        "from pathlib import Path\n"
        "from sse_dash import bench, datasets\n"
        "catalogue = datasets.load_catalogue()\n"
        "scale = 1 if sys.platform == 'darwin' else 1024  # ru_maxrss: bytes on macOS, KiB on Linux\n"
        "statm = Path('/proc/self/statm')  # resident memory now (Linux); elsewhere the peak so far\n"
        "before = (int(statm.read_text().split()[1]) * resource.getpagesize() if statm.exists()\n"
        "          else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale)\n"
        "if sys.argv[2] == 'engine':  # the import, then its rollups (a large upload's server process does both)\n"
        "    out = Path(sys.argv[1]).with_suffix('.rss.parquet')\n"
        "    bench.engine_import(Path(sys.argv[1]), out, catalogue)\n"
        "    bench.rollups.write(out)\n"
        "else:\n"
        "    bench.import_dataset(Path(sys.argv[1]), catalogue)\n"
        "status = Path('/proc/self/status')  # VmHWM: this program's own peak (ru_maxrss keeps the parent's across\n"
        "# fork and exec on Linux, so a child of a large benchmark process would report the parent's memory)\n"
        "hwm = [l for l in status.read_text().splitlines() if l.startswith('VmHWM')] if status.exists() else []\n"
        "peak = (int(hwm[0].split()[1]) * 1024 if hwm\n"
        "        else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale)\n"
        "print(json.dumps({'before_mb': before / 2**20, 'peak_mb': peak / 2**20}))\n"
    )
    try:
        import resource  # noqa: F401 - POSIX only
    except ImportError:
        return None
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), "engine" if engine else "pandas"],
        cwd=ROOT_DIR,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the memory measurement failed: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- charts ---------------------------------------------------------------------------------------------------


def filters(table, catalogue: pd.DataFrame) -> dict[str, transform.UsageFilter]:
    """The page's default filter (every value, every year) and a narrow one taken from the data itself: the three
    countries with most records, the last five years, the most frequent SSE type (an Ibis table: engine queries)."""
    options = queries.usage_options(table, catalogue)
    first, last = options["years"]
    by_country = table.group_by("country").aggregate(n=table.count()).order_by([ibis.desc("n"), "country"])
    countries = by_country.limit(3).execute()["country"]
    by_type = table.group_by("sse_type").aggregate(n=table.count()).order_by([ibis.desc("n"), "sse_type"])
    sse_type = by_type.limit(1).execute()["sse_type"].iloc[0]
    return {
        "default": transform.UsageFilter(years=(first, last)),
        "narrow": transform.UsageFilter(
            countries=tuple(str(c) for c in countries), years=(max(first, last - 4), last), sse_types=(str(sse_type),)
        ),
    }


def chart_timings(frame: pd.DataFrame | None, catalogue: pd.DataFrame, repeats: int, parquet: Path) -> dict[str, float]:
    """Milliseconds of filter + aggregate + figure for every view and both filters (median of `repeats`): by the
    engine on `parquet`, as the page runs them, and by pandas on `frame` (`pandas_…`) when there is one."""
    backend = engine.connect(None)
    table = engine.usage_table(backend, parquet)
    settings = views.ViewSettings(money=queries.money_options(table)[0])
    rolled = rollups.rolled(backend, table, parquet)  # what the page reads when the file has rollups
    read, ops = (table, queries) if rolled is None else (rolled, rollups)

    def by_engine(chosen: transform.UsageFilter, view: str) -> views.ViewResult:
        return views.usage_view(ops.filter_usage(read, chosen), catalogue, view, settings, "benchmark", ops=ops)

    def by_pandas(chosen: transform.UsageFilter, view: str) -> views.ViewResult:
        return views.usage_view(transform.filter_usage(frame, chosen), catalogue, view, settings, "benchmark")

    out: dict[str, float] = {}
    settings_to_time = filters(table, catalogue)
    for prefix, draw in (("", by_engine), ("pandas_", by_pandas))[: 2 if frame is not None else 1]:
        for view in views.VIEWS:
            for name, chosen in settings_to_time.items():
                # One run first, untimed: a process pays for Plotly's lazy imports once, not on every chart.
                draw(chosen, view)
                samples = []
                for _ in range(repeats):
                    seconds, result = timed(lambda c=chosen, v=view, d=draw: d(c, v))
                    if result.table.empty:
                        raise RuntimeError(f"the {view} view drew nothing at the {name} filter")
                    samples.append(seconds)
                out[f"{prefix}chart_{view.lower()}_{name}_ms"] = statistics.median(samples) * 1000
            slower = max(out[f"{prefix}chart_{view.lower()}_{n}_ms"] for n in ("default", "narrow"))
            out[f"{prefix}chart_{view.lower()}_ms"] = slower
    backend.disconnect()
    return out


def engine_read_csv(path: Path) -> int:
    """DuckDB's own read of the CSV into a table (every column typed by its sniffer): the engine's floor."""
    import duckdb

    with duckdb.connect() as con:
        con.execute("CREATE TABLE usage AS SELECT * FROM read_csv(?)", [str(path)])
        return con.execute("SELECT count(*) FROM usage").fetchone()[0]


# --- the page ---------------------------------------------------------------------------------------------------


def page_rerun_ms(dataset: datasets.Dataset, repeats: int) -> dict[str, float]:
    """An AppTest of the usage page with `dataset` active: the first run, then reruns after one filter change.

    Each rerun selects another country, so every rerun computes its view afresh (no cache hit).
    """
    from streamlit.testing.v1 import AppTest

    # Outside a server, Streamlit warns that there is no script context when the cached functions are set up.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    from sse_dash.ui.session import ACTIVE  # the session state's key of the active usage dataset

    at = AppTest.from_file(str(ROOT_DIR / "app.py"), default_timeout=600)
    at.session_state[ACTIVE["usage"]] = dataset
    at.run()
    at.switch_page("pages/usage.py")
    first, _ = timed(at.run)
    if at.exception:
        raise RuntimeError(f"the usage page failed: {at.exception[0].message}")
    countries = _countries_by_records(dataset)
    samples = []
    for country in countries[: max(repeats, 1)]:
        box = at.multiselect(key="country")
        seconds, _ = timed(lambda b=box, c=country: b.set_value([c]).run())
        if at.exception:
            raise RuntimeError(f"the usage page failed: {at.exception[0].message}")
        rows = dataset.rows if dataset.frame is not None else dataset.report.valid_rows
        if f"{rows:,}" not in " ".join(c.value for c in at.caption):
            raise RuntimeError("the usage page did not show the benchmark dataset")
        samples.append(seconds)
    return {"page_first_run_ms": first * 1000, "page_rerun_ms": statistics.median(samples) * 1000}


def _countries_by_records(dataset: datasets.Dataset) -> list[str]:
    """The dataset's countries, most records first (from its frame, or by the engine from its file)."""
    if dataset.frame is not None:
        return list(dataset.frame["country"].value_counts().index.astype(str))
    backend = engine.connect(dataset.source.url)
    table = engine.usage_table(backend, dataset.source.location)
    found = table.group_by("country").aggregate(n=table.count()).order_by([ibis.desc("n"), "country"]).execute()
    backend.disconnect()
    return [str(c) for c in found["country"]]


# --- the browser ------------------------------------------------------------------------------------------------


def browser_missing() -> str | None:
    """What `--browser` lacks here, or None: it runs `tools/first_chart.py`, a development tool (Playwright)."""
    try:
        import tools.first_chart  # noqa: F401 - only whether it can be imported
    except ImportError as error:
        return f"{error.name or 'a development tool'} (tools/first_chart.py and Playwright)"
    return None


# --- the run ----------------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What the results were measured on."""
    model = platform.processor() or platform.machine()
    memory_gb = None
    cpuinfo, meminfo = Path("/proc/cpuinfo"), Path("/proc/meminfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        model = names[0] if names else model
    if meminfo.exists():
        total = next((line for line in meminfo.read_text().splitlines() if line.startswith("MemTotal")), "")
        memory_gb = round(int(total.split()[1]) / 2**20, 1) if total else None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": model,
        "cores": cores,
        "memory_gb": memory_gb,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        **{package: version(package) for package in ("pandas", "numpy", "pyarrow", "plotly", "streamlit")},
    }


PANDAS_MAX_ROWS = 2_000_000  # beyond this the pandas import (about 870 MB a million rows) is not run


def engine_import(path: Path, out: Path, catalogue: pd.DataFrame):
    """The engine import of the file to a Parquet file, as a large upload takes it."""
    result = import_usage_csv(path, out, catalogue)
    if not result.report.valid or result.parquet is None:
        raise RuntimeError(f"the benchmark file did not import cleanly: {result.report.to_dict()}")
    return result


def run(rows: int = DEFAULT_ROWS, repeats: int = DEFAULT_REPEATS, browser: bool = False, say: Say = print) -> dict:
    """Generate `rows` SYNTHETIC usage rows, measure everything, and return the results."""
    results: dict[str, Any] = {"rows": rows, "repeats": repeats}
    catalogue = datasets.load_catalogue()
    pandas_too = rows <= PANDAS_MAX_ROWS
    dataset = None
    with tempfile.TemporaryDirectory(prefix="sse-dash-bench-") as folder:
        path = Path(folder) / "SYNTHETIC_bench_usage.csv"
        parquet = Path(folder) / "SYNTHETIC_bench_usage.parquet"
        say(f"Generating {rows:,} SYNTHETIC usage rows …")
        seconds, _ = timed(lambda: demo.write_usage_csv(path, rows=rows))
        results["generate_s"] = seconds
        results["file_mb"] = path.stat().st_size / 1e6

        say(f"Timing the engine's read and the engine import, alternately, {repeats} times each …")
        engine_reads, engine_imports = [], []
        imported = None
        for _ in range(repeats):
            engine_reads.append(timed(lambda: engine_read_csv(path))[0])
            seconds, imported = timed(lambda: engine_import(path, parquet, catalogue))
            engine_imports.append(seconds)
        results["engine_read_csv_s"] = statistics.median(engine_reads)
        results["engine_import_s"] = statistics.median(engine_imports)
        results["engine_import_ratio"] = results["engine_import_s"] / results["engine_read_csv_s"]
        results["engine_imported_rows"] = imported.report.valid_rows  # counted on the written rows
        say("Writing the rollups of the imported file …")
        results["engine_rollups_s"], _ = timed(lambda: rollups.write(parquet))
        say("Measuring the memory of one engine import in a fresh process …")
        memory = peak_memory_of_import(path, engine=True)
        results["engine_peak_rss_mb"] = memory["peak_mb"] if memory else None

        if pandas_too:
            say(f"Timing read_csv and the pandas import, alternately, {repeats} times each …")
            pd.read_csv(path)  # warm the file cache so neither side pays for the first read from disk
            reads, imports = [], []
            for _ in range(repeats):
                reads.append(timed(lambda: pd.read_csv(path))[0])
                seconds, dataset = timed(lambda: import_dataset(path, catalogue))
                imports.append(seconds)
            data = path.read_bytes()  # an upload arrives as bytes in memory
            upload_imports = [timed(lambda: upload_dataset(data, path.name, catalogue))[0] for _ in reads]
            data = b""
            results["read_csv_s"] = statistics.median(reads)
            results["import_s"] = statistics.median(imports)
            results["import_ratio"] = results["import_s"] / results["read_csv_s"]
            results["upload_import_s"] = statistics.median(upload_imports)
            results["imported_rows"] = len(dataset.frame)  # what the import kept, counted on the dataset itself

            say("Measuring the memory of one pandas import in a fresh process …")
            memory = peak_memory_of_import(path)
            results["peak_rss_mb"] = memory["peak_mb"] if memory else None
            results["import_rss_mb"] = memory["peak_mb"] - memory["before_mb"] if memory else None
            parquet = Path(folder) / "SYNTHETIC_bench_pandas.parquet"
            results["parquet_write_s"], _ = timed(lambda: engine.to_parquet(dataset.frame, parquet))

        say("Timing every usage view (engine" + (", then pandas" if pandas_too else "") + ") …")
        results.update(chart_timings(dataset.frame if dataset else None, catalogue, repeats, parquet))
        if dataset is None:
            say("Rerunning the usage page (AppTest) on the imported file after filter changes …")
            large = uploads.engine_dataset(
                IngestResult(pd.DataFrame(), pd.DataFrame(), imported.report),
                engine.UsageSource(None, str(parquet)),
                path.name,
                f"bench-{path.stat().st_size}",
                BUNDLED_CATALOGUE,
            )
            results.update(page_rerun_ms(large, repeats))
    if dataset is not None:
        say("Rerunning the usage page (AppTest) after filter changes …")
        results.update(page_rerun_ms(dataset, repeats))
        if browser:
            say("Opening /usage in Chromium on fresh servers …")
            from tools.first_chart import first_chart_seconds  # development tools: see `browser_missing`

            results.update(first_chart_seconds(dataset, min(repeats, 3), say))
    results["machine"] = machine()
    return results


def _check(key: str, value: Any, targets: dict[str, float] = TARGETS) -> tuple[str, bool | None]:
    if value is None:
        return "", None
    if key.startswith("chart_") and key.count("_") == 2 and "chart_ms" in targets:
        limit = targets["chart_ms"]
    elif key in targets:
        limit = targets[key]
    else:
        return "", None
    return f"≤ {limit:,g}", value <= limit


def misses(results: dict[str, Any]) -> list[str]:
    """The results above their target (the targets of their size: `targets_for`)."""
    targets = targets_for(results.get("rows", DEFAULT_ROWS))
    return [key for key, value in results.items() if _check(key, value, targets)[1] is False]


UNITS = (("_ms", "ms"), ("_s", "s"), ("_mb", "MB"), ("_ratio", "×"))


def table(results: dict[str, Any]) -> str:
    """The results as an aligned text table with targets and, at full size, whether each is met."""
    targets = targets_for(results.get("rows", DEFAULT_ROWS))
    lines = [f"{'measurement':<30} {'value':>12}  {'target':<10} met"]
    for key, value in results.items():
        if key == "machine":
            continue
        unit = next((u for suffix, u in UNITS if key.endswith(suffix)), "")
        if isinstance(value, float):
            shown = f"{value:,.1f}" if unit in ("ms", "MB") else f"{value:,.3f}" if unit == "s" else f"{value:,.2f}"
        else:
            shown = "n/a" if value is None else f"{value:,}"
        target, met = _check(key, value, targets)
        mark = "" if met is None else ("yes" if met else "NO")
        lines.append(f"{key:<30} {shown + ' ' + unit:>12}  {target:<10} {mark}")
    info = results.get("machine", {})
    lines.append(
        "machine: "
        + ", ".join(f"{k} {v}" for k, v in info.items() if v is not None)
        + ". Targets on 2 cores: #7's at 1,000,000 rows, #15's at 10,000,000 and at the bundled 30,000 (page rerun)."
    )
    return "\n".join(lines)


def write_json(results: dict[str, Any], path: str) -> None:
    """All results, the machine and the targets as one JSON object."""
    targets = targets_for(results.get("rows", DEFAULT_ROWS))
    Path(path).write_text(json.dumps({**results, "targets": targets}, indent=2) + "\n", encoding="utf-8")
