"""The dataset store against real databases: SQLite always, PostgreSQL when a server is configured (always in CI)."""

import datetime as dt
import hashlib
import os
import threading

import pandas as pd
import pytest
import sqlalchemy as sa

from sse_dash import datasets, engine, store
from sse_dash.ui.saved import gone_message

POSTGRES_URL = os.environ.get("SSE_DASH_TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def _fresh(url: str) -> None:
    engine = sa.create_engine(url)
    store.DATASETS.drop(engine, checkfirst=True)
    engine.dispose()


def postgres_url() -> str:
    """The test PostgreSQL, emptied; skips without one (fails under CI)."""
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("SSE_DASH_TEST_DATABASE_URL is not set: .ci/run starts PostgreSQL and sets it", pytrace=False)
        pytest.skip("no PostgreSQL configured: set SSE_DASH_TEST_DATABASE_URL to run these against a server")
    _fresh(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return postgres_url()


@pytest.fixture(scope="module")
def usage_frame():
    return datasets.load_bundle().usage.frame.head(500)


def test_schema_is_created_on_first_use_and_a_saved_frame_reads_back_identical(database_url, usage_frame):
    shared = store.DatasetStore(database_url)
    saved = shared.save("usage", usage_frame, "loans.csv", {"mapping": {"amount": "Montant"}}, now=NOW)
    back = shared.load(saved.id, now=NOW)
    pd.testing.assert_frame_equal(back.frame, usage_frame)
    assert (back.kind, back.file_name, back.rows) == ("usage", "loans.csv", 500)
    assert back.meta == {"mapping": {"amount": "Montant"}}
    assert back.expires_at == NOW + dt.timedelta(days=180)
    shared.close()


def test_a_large_uploads_engine_file_is_stored_as_it_is_and_not_read_into_pandas(database_url, usage_frame, tmp_path):
    written = engine.to_parquet(usage_frame, tmp_path / "upload.parquet")
    shared = store.DatasetStore(database_url, cap_bytes=written.stat().st_size + 10_000)
    saved = shared.save("usage", None, "big.csv", {"digest": "d"}, engine_file=written, rows=500, now=NOW)
    back = shared.load(saved.id, now=NOW)
    assert back.is_engine_file and back.frame is None and back.data == written.read_bytes()
    assert (back.rows, back.meta["digest"]) == (500, "d")
    with pytest.raises(store.StoreFull):  # the file's bytes count toward the cap
        shared.save("usage", None, "big.csv", engine_file=written, rows=500, now=NOW)
    shared.close()


def test_ids_and_delete_tokens_are_random_and_long(database_url, usage_frame):
    shared = store.DatasetStore(database_url)
    first, second = (shared.save("usage", usage_frame.head(5), "a.csv") for _ in range(2))
    assert first.id != second.id and first.delete_token != second.delete_token
    assert len(first.id) >= 22 and len(first.delete_token) >= 22  # 16 random bytes = 128 bits, URL-safe
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(sa.select(store.DATASETS).where(store.DATASETS.c.id == first.id)).mappings().one()
    engine.dispose()
    stored = [value for value in row.values() if isinstance(value, str | bytes)]
    token = first.delete_token
    assert not any(token in (v if isinstance(v, str) else v.decode("latin-1")) for v in stored)  # not in any column
    assert row["delete_token_hash"] == hashlib.sha256(token.encode()).hexdigest()  # only a hash of it
    shared.close()


def test_a_saved_catalogue_travels_with_the_data(database_url, usage_frame):
    catalogue = datasets.load_catalogue()
    shared = store.DatasetStore(database_url)
    saved = shared.save("usage", usage_frame, "x.csv", catalogue=catalogue)
    pd.testing.assert_frame_equal(shared.load(saved.id).catalogue, catalogue)
    shared.close()


def test_delete_needs_the_token_and_leaves_a_clear_message(database_url, usage_frame):
    shared = store.DatasetStore(database_url)
    saved = shared.save("usage", usage_frame, "x.csv")
    with pytest.raises(store.WrongToken):
        shared.delete(saved.id, "not-the-token")
    assert shared.load(saved.id).rows == 500
    shared.delete(saved.id, saved.delete_token, now=NOW)
    with pytest.raises(store.DatasetGone) as gone:
        shared.load(saved.id)
    assert gone.value.reason == "deleted"
    assert (gone.value.reason, gone.value.when) == ("deleted", NOW)
    assert "deleted by the person who shared it on June 1, 2026." in gone_message(gone.value)  # as the page says
    assert shared.used_bytes() == 0
    shared.close()


def test_unknown_ids_are_gone_not_errors(database_url):
    shared = store.DatasetStore(database_url)
    for dataset_id in ("nope", "", "x" * 300, "'; DROP TABLE sse_dash_datasets; --"):
        with pytest.raises(store.DatasetGone) as gone:
            shared.load(dataset_id)
        assert gone.value.reason == "unknown"
    shared.close()


def test_datasets_expire_after_the_configured_period(database_url, usage_frame):
    shared = store.DatasetStore(database_url, ttl=dt.timedelta(days=30))
    saved = shared.save("usage", usage_frame, "x.csv", now=NOW)
    assert shared.load(saved.id, now=NOW + dt.timedelta(days=29)).rows == 500
    with pytest.raises(store.DatasetGone) as gone:
        shared.load(saved.id, now=NOW + dt.timedelta(days=30))
    assert gone.value.reason == "expired" and gone.value.when == NOW + dt.timedelta(days=30)
    assert shared.purge_expired(now=NOW + dt.timedelta(days=31)) == 1
    assert shared.used_bytes() == 0
    shared.close()


def test_the_size_cap_refuses_new_saves_with_a_clear_message(database_url, usage_frame):
    size = len(store.to_parquet(usage_frame))
    shared = store.DatasetStore(database_url, cap_bytes=int(size * 2.5))
    shared.save("usage", usage_frame, "a.csv")
    shared.save("usage", usage_frame, "b.csv")
    with pytest.raises(store.StoreFull) as full:
        shared.save("usage", usage_frame, "c.csv")
    assert "MB are used" in str(full.value)
    shared.close()


def test_expired_datasets_free_their_space_for_new_saves(database_url, usage_frame):
    size = len(store.to_parquet(usage_frame))
    shared = store.DatasetStore(database_url, cap_bytes=int(size * 1.5), ttl=dt.timedelta(days=1))
    old = shared.save("usage", usage_frame, "old.csv", now=NOW)
    with pytest.raises(store.StoreFull):  # the cap holds while the first dataset is alive
        shared.save("usage", usage_frame, "early.csv", now=NOW + dt.timedelta(hours=23))
    new = shared.save("usage", usage_frame, "new.csv", now=NOW + dt.timedelta(days=2))
    assert shared.used_bytes() == size + len(b"{}") + len(b"new.csv")  # the expired one no longer counts
    with pytest.raises(store.DatasetGone) as gone:
        shared.load(old.id, now=NOW + dt.timedelta(days=2))
    assert gone.value.reason == "expired"
    assert shared.load(new.id, now=NOW + dt.timedelta(days=2)).file_name == "new.csv"
    shared.close()


def test_concurrent_saves_are_safe_and_never_pass_the_cap(database_url, usage_frame):
    size = len(store.to_parquet(usage_frame.head(50)))
    shared = store.DatasetStore(database_url, cap_bytes=size * 10 + size // 2)
    saved, refused = [], []

    def save_some() -> None:
        for _ in range(4):
            try:
                saved.append(shared.save("usage", usage_frame.head(50), "t.csv").id)
            except store.StoreFull:
                refused.append(1)

    threads = [threading.Thread(target=save_some) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(saved) == 10 and len(set(saved)) == 10 and len(refused) == 6
    assert shared.used_bytes() <= shared.cap_bytes
    shared.close()


def test_an_unreachable_database_says_so():
    shared = store.DatasetStore("postgresql+psycopg://nobody:nothing@127.0.0.1:9/none")
    with pytest.raises(store.StoreUnavailable):
        shared.load("abc")
    with pytest.raises(store.StoreUnavailable):
        shared.save("usage", pd.DataFrame({"a": [1]}), "a.csv")


@pytest.mark.parametrize(
    ("variable", "value", "read", "expected"),
    [
        ("SSE_DASH_DATASET_TTL_DAYS", "30", store.ttl_days, 30),
        ("SSE_DASH_DATASET_TTL_DAYS", "never", store.ttl_days, 180),
        ("SSE_DASH_STORE_MAX_MB", "2", store.max_bytes, 2 * 1024 * 1024),
        ("SSE_DASH_STORE_MAX_MB", "-1", store.max_bytes, 1024 * 1024 * 1024),
    ],
)
def test_settings_come_from_the_environment(monkeypatch, variable, value, read, expected):
    monkeypatch.setenv(variable, value)
    assert read() == expected


def test_default_url_is_a_sqlite_file_under_the_data_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("SSE_DASH_DATABASE_URL", raising=False)
    monkeypatch.setenv("SSE_DASH_DATA_DIR", str(tmp_path))
    assert store.default_url() == f"sqlite:///{tmp_path / 'sse_dash.sqlite'}"
    monkeypatch.setenv("SSE_DASH_DATABASE_URL", "postgresql+psycopg://a:b@h/db")
    assert store.default_url() == "postgresql+psycopg://a:b@h/db"


def test_an_outage_is_reported_and_the_same_store_works_again_when_the_database_is_back(usage_frame):
    from tcp_proxy import TcpProxy

    url = sa.make_url(postgres_url())
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    shared = store.DatasetStore(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
    try:
        saved = shared.save("usage", usage_frame.head(20), "before.csv")
        assert shared.available()
        proxy.stop()  # the database goes away: refused and reset connections
        assert not shared.available()
        with pytest.raises(store.StoreUnavailable):
            shared.load(saved.id)
        with pytest.raises(store.StoreUnavailable):
            shared.save("usage", usage_frame.head(5), "during.csv")
        proxy.start()  # back, on the same address; nothing is restarted
        assert shared.available()
        assert shared.load(saved.id).file_name == "before.csv"
        assert shared.load(shared.save("usage", usage_frame.head(5), "after.csv").id).rows == 5
    finally:
        shared.close()
        proxy.stop()
