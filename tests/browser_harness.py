"""Real parts for browser tests: a `streamlit run` server on a free port and Playwright's Chromium.

Chromium: $SSE_DASH_CHROMIUM if set, else Debian's /usr/bin/chromium when present, else the browser Playwright
manages (installed on first use with `python -m playwright install chromium`). Under CI=true a browser that cannot
start fails the run; elsewhere the browser tests are skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
IN_CI = os.environ.get("CI", "").lower() == "true"


def chromium_executable() -> str | None:
    """Path of the Chromium to drive, or None to use Playwright's own."""
    override = os.environ.get("SSE_DASH_CHROMIUM")
    if override:
        return override
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def unavailable(reason: str):
    """Fail under CI, skip elsewhere."""
    if IN_CI:
        pytest.fail(f"browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


def launch_browser(playwright):
    """Launch Chromium (system binary when present), installing Playwright's copy once if nothing else exists."""
    executable = chromium_executable()
    try:
        return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Exception as error:  # noqa: BLE001 - Playwright raises its own Error for a missing browser
        if executable is not None:
            unavailable(f"Chromium at {executable} did not start: {error}")
    install = subprocess.run(
        [sys.executable, "-m", "playwright", "install", "chromium"], capture_output=True, text=True, timeout=600
    )
    if install.returncode != 0:
        unavailable(
            f"no Chromium found and `python -m playwright install chromium` failed: {install.stderr.strip()[-300:]}"
        )
    return playwright.chromium.launch(args=CHROMIUM_ARGS)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def streamlit_server(env: dict[str, str] | None = None, app: str = "app.py"):
    """Run `streamlit run app.py` on a free loopback port; yields the base URL."""
    port = free_port()
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
    log = open(ROOT / "test-artifacts" / f"streamlit-{port}.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
    )
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; see {log.name}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


_SCRIPT_STATE = """() => { const app = document.querySelector('[data-testid="stApp"]');
    return app ? app.getAttribute('data-test-script-state') : null; }"""


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until the server is connected and the script has run to the end."""
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
                   return app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
                       && app.getAttribute('data-test-script-state') === 'notRunning'; }""",
        timeout=timeout,
    )
    # The last elements of a run are drawn a few frames after the script state flips; let React finish.
    page.wait_for_timeout(400)


def settle(page, timeout: float = 60_000) -> None:
    """After an interaction: wait for the rerun it triggers (if any) to start and finish."""
    # The rerun may have finished already, or not been needed at all.
    with contextlib.suppress(Exception):
        page.wait_for_function(f"() => ({_SCRIPT_STATE})() === 'running'", timeout=1_500)
    wait_for_app(page, timeout)


def assert_no_exception(page) -> None:
    """No Streamlit exception box and no error alert on the page."""
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]
