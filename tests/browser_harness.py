"""Real parts for browser tests: a `streamlit run` server on a free port and Playwright's Chromium.

The server and browser helpers live in `tools.browser` (the benchmark uses them too); this module adds what
only tests need. Under CI=true a browser that cannot start fails the run; elsewhere the browser tests are skipped
with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager

import pytest

from sse_dash.paths import ROOT_DIR as ROOT
from tools import browser
from tools.browser import chromium_executable, free_port, settle, wait_for_app

IN_CI = os.environ.get("CI", "").lower() == "true"
__all__ = ["IN_CI", "ROOT", "free_port", "launch_browser", "settle", "streamlit_server", "wait_for_app"]


def unavailable(reason: str):
    """Fail under CI, skip elsewhere."""
    if IN_CI:
        pytest.fail(f"browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


def launch_browser(playwright):
    """Launch Chromium (system binary when present), installing Playwright's copy once if nothing else exists."""
    executable = chromium_executable()
    try:
        return browser.launch_chromium(playwright)
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
    return browser.launch_chromium(playwright)  # no system Chromium: Playwright's own, just installed


@contextmanager
def streamlit_server(env: dict[str, str] | None = None, app: str = "app.py", port: int | None = None):
    """Run `streamlit run app.py` on a loopback port (a free one unless given), its log in test-artifacts/; yields
    the base URL."""
    with browser.streamlit_server(env, app, log_dir=ROOT / "test-artifacts", port=port) as url:
        yield url


def assert_no_exception(page, expected_errors: tuple[str, ...] = ()) -> None:
    """No Streamlit exception box and no error alert on the page (but those whose text has one of
    `expected_errors`)."""
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]
    errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    unexpected = [text for text in errors if not any(expected in text for expected in expected_errors)]
    assert not unexpected, unexpected
