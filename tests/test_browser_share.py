"""Share links over saved uploads in a real browser: fresh contexts, a server restart, deletion, two servers."""

import os
import re
import tempfile
from urllib.parse import urlsplit

import pytest
from browser_harness import IN_CI, ROOT, settle, streamlit_server, wait_for_app
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SAMPLE = ROOT / "tests" / "data" / "usage_ok.csv"
POSTGRES_URL = os.environ.get("SSE_DASH_TEST_DATABASE_URL", "")


CODES_DRAWN = """() => { const blocks = [...document.querySelectorAll('[data-testid="stCode"]')];
    return blocks.length >= 2 && blocks.every(block => block.querySelector('code')); }"""


def counts(page) -> str:
    caption = page.get_by_text(re.compile(r"records of .* organisations match the filters"))
    expect(caption).to_be_visible(timeout=30_000)
    return caption.inner_text()


def upload_and_save(page, base: str) -> tuple[str, str]:
    """Upload the sample, use it, save it; returns the share link and the delete token."""
    page.goto(f"{base}/upload")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(SAMPLE))
    use = page.get_by_role("button", name="Use all 4 rows")
    expect(use).to_be_visible(timeout=30_000)
    use.click()
    settle(page)
    page.get_by_text("I understand that anyone with the link can view this data").click()
    settle(page)
    page.get_by_role("button", name="Save and get a share link").click()
    settle(page)
    expect(page.get_by_text(re.compile("Anyone with this link sees the same data"))).to_be_visible(timeout=30_000)
    wait_for_app(page)  # the run that shows the text goes on to draw the link and the token
    page.wait_for_function(CODES_DRAWN)  # code blocks fill in once their highlighter has loaded
    codes = page.locator('[data-testid="stCode"] code').all_inner_texts()
    return codes[-2].strip(), codes[-1].strip()


def on(base: str, link: str) -> str:
    """The same link on another server."""
    parts = urlsplit(link)
    return f"{base}{parts.path}?{parts.query}"


def test_save_open_elsewhere_restart_and_delete(browser):
    data_dir = tempfile.mkdtemp(prefix="sse-dash-share-")
    env = {"SSE_DASH_DATA_DIR": data_dir, "SSE_DASH_DATABASE_URL": ""}
    with streamlit_server(env) as first_server:
        owner = browser.new_context(viewport={"width": 1400, "height": 1100})
        page = owner.new_page()
        link, token = upload_and_save(page, first_server)
        assert "dataset=" in link and link.startswith(first_server)
        page.goto(link)  # the owner's own view of the link
        wait_for_app(page)
        expected = counts(page)
        assert expected.startswith("4 records of 3 organisations")

        colleague = browser.new_context(viewport={"width": 1400, "height": 1100})
        other = colleague.new_page()
        other.goto(link)
        wait_for_app(other)
        assert counts(other) == expected
        expect(other.locator('[data-testid="stSidebar"]').get_by_text(re.compile("Shared dataset"))).to_have_count(2)
        colleague.close()

    with streamlit_server(env) as restarted:  # a new process on another port, the same data directory
        context = browser.new_context(viewport={"width": 1400, "height": 1100})
        again = context.new_page()
        again.goto(on(restarted, link))
        wait_for_app(again)
        assert counts(again) == expected

        again.goto(f"{restarted}/upload")
        wait_for_app(again)
        again.get_by_text("Delete a dataset you shared").click()
        again.get_by_label("Share link or dataset id").fill(link)
        again.get_by_label("Delete token").fill(token)
        again.get_by_role("button", name="Delete the dataset").click()
        settle(again)
        expect(again.get_by_text(re.compile("^Deleted"))).to_be_visible(timeout=20_000)

        gone = context.new_page()
        gone.goto(on(restarted, link))
        wait_for_app(gone)
        expect(gone.get_by_text(re.compile("was deleted by the person who shared it"))).to_be_visible(timeout=20_000)
        assert counts(gone).startswith("30,000 records")
        context.close()
    owner.close()


def test_a_link_saved_on_one_server_opens_on_another_sharing_postgresql(browser):
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("SSE_DASH_TEST_DATABASE_URL is not set: .ci/run starts PostgreSQL and sets it", pytrace=False)
        pytest.skip("no PostgreSQL configured: set SSE_DASH_TEST_DATABASE_URL")
    env = {"SSE_DASH_DATABASE_URL": POSTGRES_URL}
    with streamlit_server(env) as one, streamlit_server(env) as two:
        context = browser.new_context(viewport={"width": 1400, "height": 1100})
        page = context.new_page()
        link, _ = upload_and_save(page, one)
        page.goto(link)
        wait_for_app(page)
        expected = counts(page)
        replica = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
        replica.goto(on(two, link))
        wait_for_app(replica)
        assert counts(replica) == expected
        context.close()
