"""A large usage file on the upload page (AppTest): checked by the query engine instead of being read whole, with
the same report as an ordinary file, and used on every page from this session's Parquet file, with no frame."""

from urllib.parse import parse_qs, urlsplit

import pytest
from apptest_helpers import run_page, texts

from sse_dash.ui.session import ACTIVE
from sse_dash.uploads import file_hash

PAGE = "pages/upload.py"


@pytest.fixture
def large_from_one_byte(monkeypatch):
    """Every text file counts as large: the engine's path, on files small enough for a test."""
    monkeypatch.setenv("SSE_DASH_ENGINE_IMPORT_MB", "0.000001")


def upload(data: bytes, name: str):
    at = run_page(PAGE)
    at.file_uploader[0].upload(name, data, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def checked(at, data: bytes):
    at.selectbox(key=f"map-{file_hash(data)}-usage-sse_type").set_value("Cat. adh.")
    next(b for b in at.button if b.label == "Check the file with these matches").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_large_file_gets_the_ordinary_report(data_file, large_from_one_byte, monkeypatch):
    data = data_file("register_export_fr.csv")
    at = checked(upload(data, "registre.csv"), data)
    assert "checked by the query engine" in texts(at)
    by_engine = (metrics(at), sorted(t for t in texts(at).split("\n") if "row" in t.lower())[:40])
    monkeypatch.delenv("SSE_DASH_ENGINE_IMPORT_MB")
    ordinary = checked(upload(data, "registre.csv"), data)
    assert by_engine[0] == metrics(ordinary)
    assert (metrics(at)["Rows read"], metrics(at)["Valid rows"]) == ("10", "6")
    assert "4 of 10 rows have at least one problem" in texts(at).replace("\\", "")


def test_a_large_file_in_use_is_read_in_place_on_every_page(data_file, large_from_one_byte):
    data = data_file("register_export_fr.csv")
    at = checked(upload(data, "registre.csv"), data)
    next(b for b in at.button if b.label.startswith(("Use ", "Continue with"))).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "active on every page" in " ".join(s.value for s in at.success)
    sidebar = " ".join(m.value for m in [*at.sidebar.markdown, *at.sidebar.caption]).replace("\\", "")
    assert "registre.csv · 6 rows · usage records" in sidebar and "Database table" not in sidebar  # a file, not a table
    dataset = at.session_state[ACTIVE["usage"]]
    assert dataset.frame is None and dataset.source.location.endswith(".parquet")
    at.switch_page("pages/usage.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("6 records of 6 organisations" in c.value for c in at.caption)
    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert metrics(at)["Usage records"] == "6"
    at.switch_page("pages/country.py").run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_large_file_is_saved_as_its_engine_file_and_a_colleague_reads_it_in_place(data_file, large_from_one_byte):
    """Saving stores the engine's Parquet file as it is; the link opens it in the colleague's session as a file read
    in place (no frame), with the same records."""
    data = data_file("register_export_fr.csv")
    at = checked(upload(data, "registre.csv"), data)
    next(b for b in at.button if b.label.startswith(("Use ", "Continue with"))).click().run()
    at.checkbox(key=f"agree-{file_hash(data)}").check().run()
    next(b for b in at.button if b.label == "Save and get a share link").click().run()
    assert not at.exception, [e.value for e in at.exception]
    link = next(c.value for c in at.code if "dataset=" in c.value)
    colleague = run_page("pages/usage.py", parse_qs(urlsplit(link).query))
    assert not colleague.exception, [e.value for e in colleague.exception]
    dataset = colleague.session_state[ACTIVE["usage"]]
    assert dataset.frame is None and dataset.origin == "saved" and dataset.source.location.endswith(".parquet")
    assert any("6 records of 6 organisations" in c.value for c in colleague.caption)
    assert any("Shared dataset (read-only)" in c.value for c in colleague.sidebar.caption)
