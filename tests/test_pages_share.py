"""Saving an upload and opening it from a link (AppTest, the default SQLite store)."""

from urllib.parse import parse_qs, urlsplit

from apptest_helpers import run_page, texts

from sse_dash import datasets, ui
from sse_dash.ui.session import ACTIVE
from sse_dash.uploads import file_hash


def upload_and_save(data_file, name="usage_ok.csv"):
    at = run_page("pages/upload.py")
    at.file_uploader[0].upload(name, data_file(name), "text/csv").run()
    next(b for b in at.button if b.label.startswith("Use all")).click().run()
    digest = file_hash(data_file(name))
    save = next(b for b in at.button if b.label == "Save and get a share link")
    assert save.disabled  # opt-in first
    at.checkbox(key=f"agree-{digest}").check().run()
    next(b for b in at.button if b.label == "Save and get a share link").click().run()
    assert not at.exception
    link, token = (c.value for c in at.code[-2:])
    return at, link, token


def test_saving_gives_a_link_and_a_delete_token_once(data_file):
    at, link, token = upload_and_save(data_file)
    query = parse_qs(urlsplit(link).query)
    assert urlsplit(link).path == "/usage" and query["v"] == ["1"] and len(query["dataset"][0]) >= 22
    assert len(token) >= 22
    assert "anyone holding the link can view the data" in texts(at).lower().replace("\\", "")
    assert "shown only now" in texts(at)


def test_a_colleague_opening_the_link_sees_the_same_data(data_file):
    _, link, _ = upload_and_save(data_file)
    colleague = run_page("pages/usage.py", parse_qs(urlsplit(link).query))
    assert not colleague.exception
    assert any(c.value.startswith("4 records of 3 organisations") for c in colleague.caption)
    assert any("Shared dataset (read-only)" in c.value for c in colleague.sidebar.caption)
    assert colleague.session_state[ACTIVE["usage"]].frame is None  # read by the engine from the stored file
    share = next(c.value for c in colleague.code if "v=1" in c.value and not c.value.startswith("SSE"))
    assert parse_qs(urlsplit(share).query)["dataset"] == parse_qs(urlsplit(link).query)["dataset"]


def test_deleting_with_the_token_leaves_a_clear_message_on_the_link(data_file):
    _, link, token = upload_and_save(data_file)
    page = run_page("pages/upload.py")
    delete = next(b for b in page.button if b.label == "Delete the dataset")
    page.text_input[0].input(link)
    page.text_input[1].input("wrong-token")
    delete.click().run()
    assert "does not belong" in " ".join(e.value for e in page.error)
    page.text_input[1].input(token)
    next(b for b in page.button if b.label == "Delete the dataset").click().run()
    assert any(s.value.startswith("Deleted") for s in page.success)
    opened = run_page("pages/usage.py", parse_qs(urlsplit(link).query))
    assert not opened.exception
    assert "was deleted by the person who shared it" in " ".join(w.value for w in opened.warning)
    assert any(c.value.startswith("30,000 records") for c in opened.caption)


def test_an_unknown_dataset_id_opens_the_bundled_data_with_a_message():
    at = run_page("pages/usage.py", {"dataset": "does-not-exist", "country": "KEN"})
    assert not at.exception
    assert "does not exist" in " ".join(w.value for w in at.warning)
    assert any("records of" in c.value for c in at.caption)


def test_a_dataset_saved_as_a_frame_before_still_opens(data_file):
    """Links made before saved usage became the engine's file keep working: such records open as a frame."""
    frame = datasets.load_bundle().usage.frame.head(40)
    saved = ui.dataset_store().save("usage", frame, "old.csv", {"digest": "old"})
    opened = run_page("pages/usage.py", {"v": "1", "dataset": saved.id})
    assert not opened.exception, [e.value for e in opened.exception]
    dataset = opened.session_state[ACTIVE["usage"]]
    assert dataset.frame is not None and len(dataset.frame) == 40
    assert any(c.value.startswith(f"40 records of {frame['org_id'].nunique()} organisations") for c in opened.caption)
