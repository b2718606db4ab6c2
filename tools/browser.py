"""Real parts for measuring and testing in a browser: a `streamlit run` server on a free port and Chromium.

Used by the benchmark (`python -m sse_dash bench --browser`), the load test (`python -m tools.loadtest`) and the browser
tests. Playwright is a development dependency (`requirements-dev.txt`); it is imported only by the functions that
drive a browser, and this folder is not part of the runtime package.

Chromium: $SSE_DASH_CHROMIUM if set, else Debian's /usr/bin/chromium when present, else the browser Playwright
manages (`python -m playwright install chromium` installs it on a normal machine).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sse_dash.paths import ROOT_DIR as ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
# A chart is drawn when Plotly has put at least one trace into its SVG (or WebGL) layers.
CHART_DRAWN = """() => !!document.querySelector(
    '.js-plotly-plot .main-svg g.trace, .js-plotly-plot .main-svg g.choroplethlocation, '
    + '.js-plotly-plot .gl-container')"""
# In the page: the app is connected and its script has run to the end / its script is running.
SCRIPT_DONE = """() => { const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'; }"""
SCRIPT_RUNNING = """() => { const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'running'; }"""
# The script has run to the end and every element of the run is drawn: none is left stale from the run before.
APP_SETTLED = """() => { const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stElementContainer"][data-stale="true"]'); }"""


def chromium_executable() -> str | None:
    """Path of the Chromium to drive, or None to use Playwright's own."""
    override = os.environ.get("SSE_DASH_CHROMIUM")
    if override:
        return override
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def launch_chromium(playwright):
    """Chromium, headless, with the flags a container needs."""
    return playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    """True when the Streamlit server at `url` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass
class Server:
    """A running `streamlit run` process and the URL it serves."""

    url: str
    process: subprocess.Popen
    log: Path

    def rss_mb(self) -> float | None:
        """The server's resident memory now (MB; Linux), or None."""
        status = Path(f"/proc/{self.process.pid}/status")
        try:
            line = next(line for line in status.read_text().splitlines() if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            return None
        return int(line.split()[1]) / 1024

    def cpu_s(self) -> float | None:
        """CPU seconds the server has used so far (Linux), or None."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def running_server(
    env: dict[str, str] | None = None,
    app: str = "app.py",
    log_dir: Path | None = None,
    port: int | None = None,
    options: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Run `streamlit run app.py` on a loopback port; yields the Server and stops it afterwards.

    Its output goes to `streamlit-<port>.log` in `log_dir` (a temporary folder when None); `options` are further
    Streamlit settings (`{"server.disconnectedSessionTTL": "10"}`).
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    for key, value in (options or {}).items():
        command += [f"--{key}", value]
    folder = Path(log_dir) if log_dir else Path(tempfile.mkdtemp(prefix="sse-dash-server-"))
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / f"streamlit-{port}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
    )
    try:
        deadline = time.monotonic() + 60
        while not healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; see {log.name}")
            time.sleep(0.1)
        yield Server(url, process, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextmanager
def streamlit_server(
    env: dict[str, str] | None = None, app: str = "app.py", log_dir: Path | None = None, port: int | None = None
) -> Iterator[str]:
    """Run `streamlit run app.py` on a loopback port; yields its base URL (see `running_server`)."""
    with running_server(env, app, log_dir, port) as server:
        yield server.url


def script_health_check(url: str, timeout: float = 120) -> None:
    """Call the readiness probe (/_stcore/script-health-check): it runs app.py once and answers 'ok'."""
    with urllib.request.urlopen(f"{url}/_stcore/script-health-check", timeout=timeout) as response:
        answer = response.read().decode()
    if answer.strip() != "ok":
        raise RuntimeError(f"the script health check answered {answer!r}")


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until the server is connected, the script has run to the end and no element is left stale.

    The condition is checked on every animation frame, so it holds once React has drawn the run's last elements.
    """
    page.wait_for_function(APP_SETTLED, timeout=timeout)


def settle(page, timeout: float = 60_000) -> None:
    """After an interaction: wait for the rerun it triggers (if any) to start and finish."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # The rerun may have finished already, or not been needed at all: only that wait may time out.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(SCRIPT_RUNNING, timeout=1_500)
    wait_for_app(page, timeout)


def seconds_to_first_chart(page, url: str, timeout: float = 120_000) -> float:
    """Open `url` and return the seconds until the first Plotly chart has drawn a trace."""
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(CHART_DRAWN, timeout=timeout, polling=50)
    return time.perf_counter() - start
