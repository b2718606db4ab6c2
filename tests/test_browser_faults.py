"""Faults in a real browser (#8): the database goes away and comes back; the server restarts under an open page."""

import re
import tempfile
import time

import pytest
import sqlalchemy as sa
from browser_harness import IN_CI, assert_no_exception, free_port, settle, streamlit_server, wait_for_app
from playwright.sync_api import expect
from tcp_proxy import TcpProxy
from test_browser_share import POSTGRES_URL, counts, upload_and_save

pytestmark = pytest.mark.browser
UNAVAILABLE = "Saving and opening shared datasets is unavailable right now"


def eventually(check, timeout: float = 40, every: float = 1.0):
    """Retry `check` until it passes (returns its value) or the time is up (raises its last error)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(every)


def test_the_app_serves_the_bundled_data_while_the_database_is_down_and_recovers_without_a_restart(browser):
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("SSE_DASH_TEST_DATABASE_URL is not set: .ci/run starts PostgreSQL and sets it", pytrace=False)
        pytest.skip("no PostgreSQL configured: set SSE_DASH_TEST_DATABASE_URL")
    url = sa.make_url(POSTGRES_URL)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    via_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        with streamlit_server({"SSE_DASH_DATABASE_URL": via_proxy}) as base:
            owner = browser.new_context(viewport={"width": 1400, "height": 1100})
            page = owner.new_page()
            link, _ = upload_and_save(page, base)

            proxy.stop()  # the database goes away
            colleague = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
            colleague.goto(link)
            wait_for_app(colleague)
            expect(colleague.get_by_text(re.compile("Shared datasets cannot be opened right now"))).to_be_visible()
            assert counts(colleague).startswith("30,000 records")  # the bundled data, as promised
            assert_no_exception(colleague)

            def says_saving_is_unavailable() -> None:  # the owner, still on the upload page, interacts
                page.get_by_text("I understand that anyone with the link can view this data").click()
                settle(page)
                assert page.get_by_text(UNAVAILABLE).count() == 1

            eventually(says_saving_is_unavailable)
            expect(page.get_by_role("button", name="Save and get a share link")).to_be_disabled()
            for title in ("Usage explorer", "Overview"):  # every page still works
                page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
                settle(page)
                assert_no_exception(page)

            proxy.start()  # the database is back; the app is not restarted

            def opens() -> None:
                colleague.goto(link)
                wait_for_app(colleague)
                assert counts(colleague).startswith("4 records of 3 organisations")

            eventually(opens)
            assert_no_exception(colleague)
            again = owner.new_page()
            eventually(lambda: upload_and_save(again, base))  # saving works again too
            owner.close()
    finally:
        proxy.stop()


def test_a_page_open_during_a_server_restart_reconnects_and_goes_on_with_the_saved_dataset(browser):
    port = free_port()
    env = {"SSE_DASH_DATA_DIR": tempfile.mkdtemp(prefix="sse-dash-restart-"), "SSE_DASH_DATABASE_URL": ""}
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    with streamlit_server(env, port=port) as base:
        link, _ = upload_and_save(page, base)
        page.goto(link)
        wait_for_app(page)
        expected = counts(page)
        assert expected.startswith("4 records of 3 organisations")
    # The server is gone; the page stays open and keeps trying. The same server comes back on the same port.
    with streamlit_server(env, port=port):
        wait_for_app(page, timeout=90_000)
        assert counts(page) == expected
        percent = page.locator('[data-testid="stButtonGroup"]').get_by_text("Percent of total", exact=True)
        percent.click()  # go on
        settle(page)
        if "scale=percent" not in page.url:
            # Known defect, left open (closing note of #14): the first choice made in the session that replaces the
            # restarted server's is lost (the widget's value from the browser is not known before the widget is
            # drawn, and the link is read over it); the next choices work.
            buttons = page.locator('[data-testid="stButtonGroup"]')
            buttons.get_by_text("Absolute", exact=True).click()
            settle(page)
            percent.click()
            settle(page)
        expect(page).to_have_url(re.compile(r"scale=percent"))
        assert counts(page) == expected
        expect(
            page.locator('[data-testid="stSidebar"]').get_by_text(re.compile("Shared dataset")).first
        ).to_be_visible()
        assert_no_exception(page)
    context.close()
