"""Hostile workbooks against a real server (#11): while one visitor uploads them, a second browser keeps opening
pages and is answered within seconds, and the server's memory stays bounded (workbooks are read in a child process,
counted as they stream)."""

import contextlib
import re
import threading
import time
from pathlib import Path

import pytest
import workbooks
from browser_harness import ROOT, assert_no_exception, launch_browser, wait_for_app
from playwright.sync_api import expect, sync_playwright

from tools import browser as driver

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The expansion limit is lowered from its default (512 MB) so that the thousandfold workbook is refused after
# seconds, not a minute; tests/test_xlsx.py holds the default's behaviour.
SERVER_ENV = {"SSE_DASH_MAX_XLSX_EXPANDED_MB": "128", "SSE_DASH_MAX_IMPORT_MB": "1000"}
WORKBOOKS = [
    # (name, bytes, what the upload page must say)
    ("declared-500-columns.xlsx", workbooks.wide_dimension, re.compile("2. What we found")),
    ("row-3000000.xlsx", workbooks.far_row, re.compile("2. What we found")),
    ("dimension-A1-G3.xlsx", lambda: workbooks.short_dimension(1_000), re.compile("2. What we found")),
    ("expands-to-1GB.xlsx", lambda: workbooks.expanding(1_000), re.compile("expands to more than 128 MB")),
]


class Sampler(threading.Thread):
    """The server's resident memory (and its reading child's), every 0.1 s, until stopped."""

    def __init__(self, server: driver.Server) -> None:
        super().__init__(daemon=True)
        self.server, self.stop, self.peak, self.child_peak = server, threading.Event(), 0.0, 0.0

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self.server.rss_mb() or 0)
            self.child_peak = max(self.child_peak, children_rss_mb(self.server.process.pid))
            time.sleep(0.1)


def children_rss_mb(pid: int) -> float:
    """Resident memory of the server's child processes (the workbook reader), whichever thread started them."""
    total = 0.0
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in children.read_text().split():
            with contextlib.suppress(OSError):
                found = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{child}/status").read_text())
                total += int(found.group(1)) / 1024 if found else 0
    return total


class Visitor(threading.Thread):
    """A second browser (its own Playwright, in its own thread) that opens pages one after another and records how
    long each took to be answered in full."""

    PAGES = ("instruments", "", "about", "usage")

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.stop, self.seconds, self.error = url, threading.Event(), [], None

    def run(self) -> None:
        try:
            with sync_playwright() as playwright:
                chromium = launch_browser(playwright)
                tab = chromium.new_page(viewport={"width": 1200, "height": 900})
                number = 0
                while not self.stop.is_set():
                    start = time.perf_counter()
                    tab.goto(f"{self.url}/{self.PAGES[number % len(self.PAGES)]}")
                    wait_for_app(tab, timeout=60_000)
                    self.seconds.append(time.perf_counter() - start)
                    number += 1
                chromium.close()
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.error = error


def test_hostile_workbooks_neither_hold_the_server_nor_take_its_memory(browser):
    with driver.running_server(SERVER_ENV, log_dir=ROOT / "test-artifacts") as server:
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.goto(f"{server.url}/upload")
        wait_for_app(tab)
        visitor, sampler = Visitor(server.url), Sampler(server)
        baseline = server.rss_mb()
        sampler.start()
        visitor.start()
        time.sleep(8)  # the visitor's first pages, before any upload: its pace on a quiet server
        quiet = len(visitor.seconds)
        took = {}
        try:
            for name, make, expected in WORKBOOKS:
                tab.reload()
                wait_for_app(tab)
                data = make()
                start = time.perf_counter()
                tab.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
                    files=[{"name": name, "mimeType": XLSX, "buffer": data}]
                )
                expect(tab.get_by_text(expected).first).to_be_visible(timeout=180_000)
                took[name] = time.perf_counter() - start
                assert_no_exception(tab, expected_errors=("expands to more than",))
        finally:
            visitor.stop.set()
            visitor.join(timeout=120)
            sampler.stop.set()
            sampler.join()
        busy = visitor.seconds[quiet:]
        print(
            f"uploads {took}; visitor pages quiet {visitor.seconds[:quiet]} busy {busy}; server RSS {baseline:.0f} → "
            f"peak {sampler.peak:.0f} MB; reading child peak {sampler.child_peak:.0f} MB"
        )
        assert visitor.error is None, visitor.error
        assert len(busy) >= 3, "the second browser opened too few pages while the workbooks were read"
        assert max(busy) < 15, f"a page took {max(busy):.1f} s while workbooks were read"
        assert sampler.peak - baseline < 400, f"the server grew by {sampler.peak - baseline:.0f} MB"
        assert "Traceback" not in server.log.read_text()
