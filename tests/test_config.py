"""Settings: every SSE_DASH_* variable read in one place, with one number parser (#13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sse_dash import config


@pytest.mark.parametrize(
    ("text", "whole", "expected"),
    [
        ("30", False, 30.0),
        ("2.5", False, 2.5),
        ("2.5", True, 2),
        ("0.5", True, 7),  # cut to 0, not positive: the default
        ("-1", False, 7),
        ("0", False, 7),
        ("lots", False, 7),
        ("", False, 7),
        (None, True, 7),
        ("nan", False, 7),
        ("inf", True, 7),
    ],
)
def test_one_number_parser(text, whole, expected):
    assert config.positive_number(text, 7, whole=whole) == expected


def test_settings_are_read_afresh_and_frozen(monkeypatch, tmp_path):
    monkeypatch.setenv("SSE_DASH_MAX_ROWS", "10")
    monkeypatch.setenv("SSE_DASH_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SSE_DASH_DATABASE_URL", raising=False)
    settings = config.settings()
    assert settings.max_rows == 10 and settings.data_dir == Path(tmp_path)
    assert settings.store_url == f"sqlite:///{tmp_path / 'sse_dash.sqlite'}"
    with pytest.raises(AttributeError):
        settings.max_rows = 5  # type: ignore[misc]
    monkeypatch.setenv("SSE_DASH_MAX_ROWS", "20")
    assert config.settings().max_rows == 20


def test_the_database_secret_is_asked_only_when_the_environment_has_no_url(monkeypatch):
    asked = []

    def secret(name):
        asked.append(name)
        return " postgresql+psycopg://from/secret "

    monkeypatch.delenv("SSE_DASH_DATABASE_URL", raising=False)
    assert config.settings(secret).database_url == "postgresql+psycopg://from/secret"
    assert asked.count("database_url") == 1
    monkeypatch.setenv("SSE_DASH_DATABASE_URL", "postgresql+psycopg://from/env")
    assert config.settings(secret).store_url == "postgresql+psycopg://from/env"
    assert asked.count("database_url") == 1


def test_the_usage_table_comes_from_the_environment_else_the_secrets(monkeypatch):
    secrets = {"usage_url": "duckdb:///from/secret.duckdb", "usage_table": "t", "usage_mapping": "org_id=org"}
    for name in ("SSE_DASH_USAGE_URL", "SSE_DASH_USAGE_TABLE", "SSE_DASH_USAGE_MAPPING"):
        monkeypatch.delenv(name, raising=False)
    assert config.settings().usage_url is None and config.settings().usage_mapping == ()
    read = config.settings(secrets.get)
    assert (read.usage_url, read.usage_table, read.usage_mapping) == (
        "duckdb:///from/secret.duckdb",
        "t",
        (("org_id", "org"),),
    )
    monkeypatch.setenv("SSE_DASH_USAGE_TABLE", "registry")
    monkeypatch.setenv("SSE_DASH_USAGE_MAPPING", "org_id=org, =x, sse_type, amount=montant")
    read = config.settings(secrets.get)
    assert (read.usage_table, read.usage_mapping) == ("registry", (("org_id", "org"), ("amount", "montant")))
