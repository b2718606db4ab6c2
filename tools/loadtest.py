"""`python -m tools.loadtest`: N visitors at once on one server, along the path a real visitor takes.

Each session, in its own browser context: opens /usage and waits for the first chart; narrows the view (percent
scale, one country); switches to the Overview and Instruments pages; uploads a small usage file (SYNTHETIC rows
from the demo generator) and uses it; opens the usage explorer on it. All sessions start together against one
freshly started server on loopback. The run is bounded: at most MAX_SESSIONS sessions, each step with a timeout,
the whole run with a deadline.

Reported: sessions completed, errors (a failed step, an exception box on a page), p50/p95 seconds to the first
chart, the server's CPU time, p50/p95 seconds of one run of app.py through the server's readiness probe while the
visitors are active (the server's own latency, without a browser), its resident memory before (after its readiness
probe), at its peak, and after every session has ended (the browser contexts closed, the server's
disconnected-session TTL passed and its sweeper has released them). The browsers run on the same machine as the
server: on a small machine they take most of its CPU, which the time to the first chart shows.

A development tool (Playwright, from requirements-dev.txt), run from a checkout:
`python -m tools.loadtest [--sessions N] [--deadline S] [--json FILE]`. $SSE_DASH_LOADTEST_ROWS sets the rows of each
visitor's upload (5,000).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sse_dash import bench, demo
from sse_dash.limits import SESSION_SWEEP_SECONDS
from tools import browser

MAX_SESSIONS = 50
UPLOAD_ROWS = int(os.environ.get("SSE_DASH_LOADTEST_ROWS", 5_000))  # each visitor's upload
SESSION_TTL_S = 10  # the server forgets a disconnected session after this (Streamlit's default is 120 s)
STEP_TIMEOUT_MS = 180_000


@dataclass
class SessionResult:
    """What one simulated visitor went through."""

    number: int
    first_chart_s: float | None = None
    seconds: float | None = None
    error: str | None = None
    steps: list[str] = field(default_factory=list)


class ServerWatch:
    """While visitors are active: samples the server's resident memory every 0.2 s, and every 2 s times its
    readiness probe (one run of app.py on the server, no browser involved) to show how the server itself keeps up."""

    def __init__(self, server: browser.Server, probe: bool = True) -> None:
        self.server = server
        self.samples: list[float] = []
        self.probes: list[float] = []
        self._stop = threading.Event()
        runs = (self._memory, self._probe) if probe else (self._memory,)
        self._threads = [threading.Thread(target=run, daemon=True) for run in runs]

    def _memory(self) -> None:
        while not self._stop.is_set():
            rss = self.server.rss_mb()
            if rss is not None:
                self.samples.append(rss)
            self._stop.wait(0.2)

    def _probe(self) -> None:
        while not self._stop.wait(2):
            start = time.perf_counter()
            with contextlib.suppress(Exception):  # a failed probe is visible in the sessions' errors
                browser.script_health_check(self.server.url, timeout=60)
                self.probes.append(time.perf_counter() - start)

    def __enter__(self) -> ServerWatch:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()


async def _settle(page) -> None:
    with contextlib.suppress(Exception):
        await page.wait_for_function(browser.SCRIPT_RUNNING, timeout=1_500, polling=50)
    await page.wait_for_function(browser.SCRIPT_DONE, timeout=STEP_TIMEOUT_MS, polling=100)


async def _no_exception(page, step: str) -> None:
    if await page.locator('[data-testid="stException"]').count():
        raise RuntimeError(f"an exception box after '{step}'")


async def _visit(chromium, base: str, number: int, upload: bytes) -> SessionResult:
    result = SessionResult(number)
    context = await chromium.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    start = time.perf_counter()
    try:
        result.steps.append("open /usage")
        await page.goto(f"{base}/usage")
        await page.wait_for_function(browser.CHART_DRAWN, timeout=STEP_TIMEOUT_MS, polling=100)
        result.first_chart_s = time.perf_counter() - start
        await page.wait_for_function(browser.SCRIPT_DONE, timeout=STEP_TIMEOUT_MS, polling=100)
        await _no_exception(page, "open /usage")

        result.steps.append("filter")
        await page.locator('[data-testid="stButtonGroup"]').get_by_text("Percent of total", exact=True).click()
        await _settle(page)
        box = page.get_by_role("combobox", name="Country")
        await box.click()
        await box.fill("Kenya")
        await page.get_by_role("option", name="Kenya", exact=True).click()
        await page.keyboard.press("Escape")
        await _settle(page)
        await _no_exception(page, "filter")

        for title in ("Overview", "Instruments"):
            result.steps.append(f"switch to {title}")
            await page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
            await _settle(page)
            await _no_exception(page, title)

        result.steps.append("upload")
        await page.locator('[data-testid="stSidebarNav"]').get_by_text("Upload your data", exact=True).click()
        await _settle(page)
        await page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            {"name": f"SYNTHETIC_visitor_{number}.csv", "mimeType": "text/csv", "buffer": upload}
        )
        use = page.get_by_role("button", name=f"Use all {UPLOAD_ROWS:,} rows")
        await use.wait_for(timeout=STEP_TIMEOUT_MS)
        await _settle(page)
        await use.click()
        await _settle(page)
        await page.get_by_role("link", name="Open the usage explorer").click()
        await _settle(page)
        await page.get_by_text(
            re.compile(rf"SYNTHETIC_visitor_{number}\.csv\), {UPLOAD_ROWS:,} records")
        ).first.wait_for(timeout=STEP_TIMEOUT_MS)
        await _no_exception(page, "upload")
        result.seconds = time.perf_counter() - start
    except Exception as error:  # noqa: BLE001 - every failure of a session is reported, not raised
        result.error = f"{result.steps[-1] if result.steps else 'start'}: {type(error).__name__}: {error}"[:500]
    finally:
        await context.close()
    return result


async def _run_sessions(base: str, sessions: int, upload: bytes, deadline_s: float) -> list[SessionResult]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await browser.launch_chromium(playwright)
        try:
            tasks = {asyncio.create_task(_visit(chromium, base, n, upload)): n for n in range(sessions)}
            done, pending = await asyncio.wait(tasks, timeout=deadline_s)
            for task in pending:
                task.cancel()
            results = [task.result() for task in done]
            results += [SessionResult(tasks[task], error="the run's deadline passed") for task in pending]
            return sorted(results, key=lambda r: r.number)
        finally:
            await chromium.close()


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def run(sessions: int = 20, deadline_s: float = 900, say: bench.Say = print) -> dict[str, Any]:
    """Start a server, drive `sessions` visitors at once, and return the measurements."""
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ValueError(f"sessions must be between 1 and {MAX_SESSIONS}")
    folder = Path(tempfile.mkdtemp(prefix="sse-dash-load-"))
    upload = demo.generate_usage(UPLOAD_ROWS).to_csv(index=False).encode()
    env = {"SSE_DASH_DATA_DIR": str(folder), "SSE_DASH_DATABASE_URL": f"sqlite:///{folder / 'sse_dash.sqlite'}"}
    options = {"server.disconnectedSessionTTL": str(SESSION_TTL_S)}
    with browser.running_server(env, log_dir=folder, options=options) as server:
        browser.script_health_check(server.url)
        time.sleep(1)
        before = server.rss_mb()
        say(f"Server ready ({before or 0:,.0f} MB); {sessions} sessions start together …")
        with ServerWatch(server) as watch:
            cpu_before = server.cpu_s()
            started = time.perf_counter()
            results = asyncio.run(_run_sessions(server.url, sessions, upload, deadline_s))
            elapsed = time.perf_counter() - started
            cpu = (server.cpu_s() or 0) - (cpu_before or 0)
            probes = list(watch.probes)
        say(f"Sessions ended after {elapsed:,.0f} s; waiting for the server to release them …")
        with ServerWatch(server, probe=False) as quiet:
            time.sleep(SESSION_TTL_S + 2 * SESSION_SWEEP_SECONDS + 2)
            after = server.rss_mb()
        watch.samples += quiet.samples
        peak = max(watch.samples, default=before)
        errors = [r for r in results if r.error]
        for failed in errors:
            say(f"  session {failed.number}: {failed.error}")
        firsts = [r.first_chart_s for r in results if r.first_chart_s is not None]
        log_errors = [line for line in server.log.read_text().splitlines() if "Traceback" in line]
    return {
        "sessions": sessions,
        "upload_rows": UPLOAD_ROWS,
        "machine": bench.machine(),
        "completed": sum(1 for r in results if r.seconds is not None),
        "errors": len(errors),
        "first_chart_p50_s": _percentile(firsts, 0.5),
        "first_chart_p95_s": _percentile(firsts, 0.95),
        "session_p50_s": statistics.median([r.seconds for r in results if r.seconds])
        if len(errors) < sessions
        else None,
        "run_s": elapsed,
        "server_cpu_s": cpu,
        "script_run_p50_s": _percentile(probes, 0.5),
        "script_run_p95_s": _percentile(probes, 0.95),
        "server_rss_before_mb": before,
        "server_rss_peak_mb": peak,
        "server_rss_after_mb": after,
        "server_tracebacks": len(log_errors),
        "error_details": [r.error for r in errors],
    }


def table(results: dict[str, Any]) -> str:
    """The measurements as text."""
    rows = [
        ("sessions (completed / errors)", f"{results['sessions']} ({results['completed']} / {results['errors']})"),
        (
            "first chart p50 / p95",
            _seconds(results["first_chart_p50_s"]) + " / " + _seconds(results["first_chart_p95_s"]),
        ),
        ("whole path per session, median", _seconds(results["session_p50_s"])),
        ("run (server CPU time)", f"{_seconds(results['run_s'])} ({_seconds(results['server_cpu_s'])})"),
        (
            "server script run p50 / p95 (no browser)",
            _seconds(results["script_run_p50_s"]) + " / " + _seconds(results["script_run_p95_s"]),
        ),
        (
            "server memory before / peak / after",
            " / ".join(
                f"{results[k] or 0:,.0f} MB"
                for k in ("server_rss_before_mb", "server_rss_peak_mb", "server_rss_after_mb")
            ),
        ),
        ("tracebacks in the server log", str(results["server_tracebacks"])),
    ]
    return "\n".join(f"{name:<42} {value}" for name, value in rows)


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.1f} s"


def build_parser() -> argparse.ArgumentParser:
    """The arguments of `python -m tools.loadtest`."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.loadtest",
        description="N browser sessions at once against a fresh local server (see README › Performance).",
    )
    parser.add_argument("--sessions", type=int, default=20, metavar="N", help="visitors at once (20; at most 50)")
    parser.add_argument("--deadline", type=float, default=900, metavar="S", help="seconds the whole run may take")
    parser.add_argument("--json", metavar="FILE", help="write every measurement to this JSON file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load test; 0 when every session completed without an error, 1 otherwise, 2 for a misuse."""
    args = build_parser().parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        print(f"error: --sessions must be between 1 and {MAX_SESSIONS}.", file=sys.stderr)
        return 2
    results = run(args.sessions, args.deadline, say=lambda line: print(line, flush=True))
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"Wrote every measurement to {args.json}.", file=sys.stderr)
    return 1 if results["errors"] or results["completed"] < results["sessions"] else 0


if __name__ == "__main__":
    sys.exit(main())
