"""What the dataset store keeps and counts (#11): the cap counts a record's metadata, and a deleted or expired
dataset leaves no trace of its file (name, column names, values typed for every row, warnings)."""

import datetime as dt
import json

import sqlalchemy as sa
from test_store import NOW, database_url, usage_frame  # noqa: F401 - fixtures shared with the store tests

from sse_dash import store

BIG_NOTE = "n" * 3_000_000  # a "value for every row" of 3 MB


def stored_record(url: str, dataset_id: str) -> dict:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(sa.select(store.DATASETS).where(store.DATASETS.c.id == dataset_id)).mappings().one()
    engine.dispose()
    return dict(row)


def test_metadata_counts_toward_the_cap(database_url, usage_frame):  # noqa: F811
    shared = store.DatasetStore(database_url, cap_bytes=1_000_000)
    frame = usage_frame.head(5)
    try:
        shared.save("usage", frame, "a.csv", {"constants": {"notes": BIG_NOTE}}, now=NOW)
    except store.StoreFull as full:
        assert "this dataset needs 3.0 MB" in str(full)
    else:
        raise AssertionError("a 3 MB value for every row was saved under a 1 MB cap")
    small = shared.save("usage", frame, "a.csv", {"constants": {"notes": "short"}}, now=NOW)
    record = stored_record(database_url, small.id)
    assert record["size_bytes"] == len(record["data"]) + len(record["meta"].encode()) + len(b"a.csv")
    assert shared.used_bytes() == record["size_bytes"] < 1_000_000
    shared.close()


def test_a_deleted_dataset_keeps_no_trace_of_its_file(database_url, usage_frame):  # noqa: F811
    shared = store.DatasetStore(database_url)
    meta = {"mapping": {"amount": "Montant secret"}, "constants": {"notes": "private"}, "warnings": ["row 3 …"]}
    saved = shared.save("usage", usage_frame.head(5), "ministry-loans-2026.csv", meta, now=NOW)
    shared.delete(saved.id, saved.delete_token, now=NOW)
    record = stored_record(database_url, saved.id)
    assert record["file_name"] == "" and json.loads(record["meta"]) == {}
    assert record["data"] is None and record["catalogue"] is None
    assert record["kind"] == "usage" and record["rows"] == 5 and record["deleted_at"] is not None
    shared.close()


def test_an_expired_dataset_keeps_no_trace_of_its_file_either(database_url, usage_frame):  # noqa: F811
    shared = store.DatasetStore(database_url, ttl=dt.timedelta(days=1))
    saved = shared.save("usage", usage_frame.head(5), "ministry-loans-2026.csv", {"mapping": {"a": "b"}}, now=NOW)
    assert shared.purge_expired(now=NOW + dt.timedelta(days=2)) == 1
    record = stored_record(database_url, saved.id)
    assert record["file_name"] == "" and json.loads(record["meta"]) == {} and record["data"] is None
    shared.close()
