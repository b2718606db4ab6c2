"""The pages in database mode (#15): SSE_DASH_USAGE_URL and SSE_DASH_USAGE_TABLE point at a usage table, which the
pages show as the active data and aggregate in place; the dataset has no frame of its rows to read."""

import re
import subprocess
import sys

import duckdb
import pandas as pd
import pytest
from apptest_helpers import ROOT, plain, run_page
from apptest_helpers import texts as markdown

from sse_dash import datasets, i18n, views
from sse_dash.demo import generate_usage
from sse_dash.engine import UsageSource

TABLE = "registry_usage"
ROWS = 400
# The table's own column names for three fields, as a registry might name them (SSE_DASH_USAGE_MAPPING).
MAPPING = {"org_id": "member_no", "country": "pays", "amount": "montant"}
CATALOGUE = pd.read_csv(ROOT / "data" / "instruments.csv")


@pytest.fixture
def registry(tmp_path, monkeypatch) -> pd.DataFrame:
    """A DuckDB file holding a generated usage table with other column names (no family: the catalogue gives it);
    the environment points the dashboard at it. Returns the rows with the schema's names, for counting."""
    rows = generate_usage(ROWS, seed=15)
    path = tmp_path / "registry.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.register("stored", rows.rename(columns=MAPPING))
        connection.execute(f"CREATE TABLE {TABLE} AS SELECT * FROM stored")
    monkeypatch.setenv("SSE_DASH_USAGE_URL", f"duckdb:///{path}")
    monkeypatch.setenv("SSE_DASH_USAGE_TABLE", TABLE)
    monkeypatch.setenv("SSE_DASH_USAGE_MAPPING", ",".join(f"{field}={column}" for field, column in MAPPING.items()))
    return rows


def number(text: str) -> int:
    return int(text.replace(",", ""))


def test_the_usage_page_shows_the_table_as_the_active_data_with_counts_from_the_database(registry):
    at = run_page("pages/usage.py")
    assert not at.exception, at.exception
    shown = texts(at)
    assert f"Database table: {TABLE} · {ROWS:,} rows" in shown  # the sidebar
    assert f"Database table: {TABLE} (DuckDB), {ROWS:,} records." in shown
    assert "SYNTHETIC demo data" not in shown  # the bundled demo is not the active data
    records, organisations = re.findall(r"([\d,]+) records of ([\d,]+) organisations match", shown)[0]
    assert (number(records), number(organisations)) == (ROWS, registry["org_id"].nunique())
    assert len(at.get("plotly_chart")) == 1


def test_a_filter_and_every_view_are_computed_in_the_database(registry):
    country = registry["country"].value_counts().index[1]
    kept = registry[registry["country"] == country]
    at = run_page("pages/usage.py", {"country": [country]})
    assert not at.exception, at.exception
    records, organisations = re.findall(r"([\d,]+) records of ([\d,]+) organisations match", texts(at))[0]
    assert (number(records), number(organisations)) == (len(kept), kept["org_id"].nunique())
    for view in ("Trend", "Organisations", "Heatmap", "Map", "Amounts"):
        at = run_page("pages/usage.py", {"country": [country], "view": view, "measure": "uses"})
        assert not at.exception, (view, at.exception)
        assert len(at.get("plotly_chart")) == 1, view


def test_the_overview_counts_the_tables_records_organisations_and_countries(registry):
    at = run_page("pages/overview.py")
    assert not at.exception, at.exception
    usage_metric = next(m for m in at.metric if m.label == "Usage records")
    assert number(usage_metric.value) == ROWS
    shown = texts(at)
    assert f"**Usage data:** Database table: {TABLE} (DuckDB)" in shown
    first, last = registry["year"].min(), registry["year"].max()
    assert f"{ROWS:,} records of {registry['org_id'].nunique():,} organisations, {first}–{last}" in shown


def test_the_country_profile_counts_and_adds_up_the_countrys_rows_in_the_database(registry):
    country = registry["country"].value_counts().index[0]
    rows = registry[registry["country"] == country]
    at = run_page("pages/country.py", {"country": country})
    assert not at.exception, at.exception
    assert number(next(m for m in at.metric if m.label == "Usage records").value) == len(rows)
    first, last = rows["year"].min(), rows["year"].max()
    assert f"{len(rows):,} records of {rows['org_id'].nunique():,} organisations" in texts(at)
    assert f"{first}–{last}: Database table: {TABLE} (DuckDB)" in texts(at)
    totals = next(frame.value for frame in at.dataframe if "basis" in frame.value)
    by_basis = dict(zip(totals["basis"], totals["total"], strict=True))
    assert by_basis[views.money_label("usd")] == i18n.number(rows["amount_usd"].sum())
    currency = rows["currency"].mode().iloc[0]
    in_currency = rows.loc[rows["currency"] == currency, "amount"].sum()
    assert by_basis[views.money_label(currency)] == i18n.number(in_currency)
    assert len(at.get("plotly_chart")) == 1  # the trend of the country's records


def test_an_upload_replaces_the_table_for_its_session_and_one_click_brings_the_table_back(registry):
    at = run_page("pages/upload.py")
    at.file_uploader[0].upload("usage_ok.csv", (ROOT / "tests" / "data" / "usage_ok.csv").read_bytes(), "text/csv")
    at.run()
    next(b for b in at.button if b.label.startswith(("Use ", "Continue with"))).click().run()
    assert not at.exception, at.exception
    at.switch_page("pages/usage.py").run()
    assert "4 records of 3 organisations match" in texts(at)
    assert f"Database table: {TABLE}" not in texts(at)
    next(b for b in at.button if b.key == "back-to-bundled").click().run()
    assert not at.exception, at.exception
    assert f"Database table: {TABLE} · {ROWS:,} rows" in texts(at)
    assert f"{ROWS:,} records of" in texts(at)


def test_a_database_that_cannot_be_reached_is_said_in_words_and_the_next_rerun_recovers(registry, tmp_path):
    """Another process holds the DuckDB file's lock (as a database that refuses connections): every page says so
    and keeps its other parts; once the lock is gone the same session shows the data, without a restart."""
    path = str(tmp_path / "registry.duckdb")
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        at = run_page("pages/usage.py")
        assert not at.exception, at.exception
        assert AWAY in texts(at) and not at.get("plotly_chart")
        overview = run_page("pages/overview.py")
        assert not overview.exception and AWAY in texts(overview)
        assert "Typology" in texts(overview)  # the rest of the page is drawn
        profile = run_page("pages/country.py", {"country": "KEN"})
        assert not profile.exception and AWAY in texts(profile)
        assert "Comparison with other countries" in texts(profile)
    finally:
        holder.communicate("", timeout=30)  # the lock goes with the process
    at.run()
    assert not at.exception, at.exception
    assert AWAY not in texts(at)
    assert f"Database table: {TABLE} · {ROWS:,} rows" in texts(at)
    assert len(at.get("plotly_chart")) == 1


LOCK_HOLDER = """
import sys, duckdb
connection = duckdb.connect(sys.argv[1])
print("locked", flush=True)
sys.stdin.read()
"""
AWAY = "The usage database cannot be reached right now"


def test_the_dataset_has_no_frame_and_says_where_it_is_read():
    dataset = datasets.database_usage(UsageSource("duckdb:///registry.duckdb", TABLE), TABLE, "DuckDB", "key")
    assert dataset.frame is None  # nothing can read its rows by mistake: every page asks the engine
    assert (dataset.shown_label(), dataset.file_name) == (f"Database table: {TABLE}", "DuckDB")
    with pytest.raises(TypeError, match="count its rows with the engine"):
        _ = dataset.rows


def texts(at) -> str:
    return plain(markdown(at))
