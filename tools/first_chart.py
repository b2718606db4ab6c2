"""The first chart in Chromium on a fresh server: the browser part of `python -m sse_dash bench --browser`.

A development tool (Playwright, from requirements-dev.txt): the benchmark imports it only when `--browser` is given.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from sse_dash import datasets
from sse_dash.bench import Say, timed
from sse_dash.store import DatasetStore
from tools import browser

# The least any Streamlit page with a Plotly chart costs: the floor under `first_chart_s` on the same machine.
FLOOR_APP = """import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Bar(x=[1, 2, 3], y=[3, 1, 2])))
"""


def first_chart_seconds(dataset: datasets.Dataset, repeats: int, say: Say) -> dict[str, float]:
    """Seconds from opening /usage on a fresh server to the first chart drawn.

    `first_chart_s`: the bundled data on a server that has answered its readiness probe
    (/_stcore/script-health-check, as the Dockerfile's health check and any platform probe do); `first_chart_cold_s`:
    the same without the probe, so the first visitor also waits for the server's start-up work;
    `first_chart_large_s`: the N-row dataset opened through a saved-dataset link on a probed server;
    `first_chart_floor_s`: a Streamlit app that draws one small Plotly chart and nothing else, on the same machine
    (what Streamlit and Plotly cost by themselves). Each run starts a new server and a new browser context (empty
    cache).
    """
    folder = Path(tempfile.mkdtemp(prefix="sse-dash-bench-"))
    database = f"sqlite:///{folder / 'sse_dash.sqlite'}"
    env = {"SSE_DASH_DATA_DIR": str(folder), "SSE_DASH_DATABASE_URL": database}
    store = DatasetStore(database)
    saved = store.save("usage", dataset.frame.drop(columns=["family", "origin"]), dataset.file_name, {"bench": True})
    store.close()
    floor = folder / "one_chart_app.py"
    floor.write_text(FLOOR_APP, encoding="utf-8")
    runs = (
        ("first_chart_s", "app.py", "/usage", True),
        ("first_chart_cold_s", "app.py", "/usage", False),
        ("first_chart_large_s", "app.py", f"/usage?dataset={saved.id}", True),
        ("first_chart_floor_s", str(floor), "/", False),
    )
    out: dict[str, float] = {}
    warmups: list[float] = []
    with sync_playwright() as playwright:
        chromium = browser.launch_chromium(playwright)
        try:
            for key, app, path, probe in runs:
                samples = []
                for _ in range(repeats):
                    with browser.streamlit_server(env, app=app, log_dir=folder) as url:
                        if probe:
                            warmups.append(timed(lambda u=url: browser.script_health_check(u))[0])
                        context = chromium.new_context(viewport={"width": 1400, "height": 1000})
                        samples.append(browser.seconds_to_first_chart(context.new_page(), url + path))
                        context.close()
                out[key] = statistics.median(samples)
                say(f"  {key}: {', '.join(f'{s:.2f}' for s in samples)} s")
        finally:
            chromium.close()
    out["readiness_probe_s"] = statistics.median(warmups)
    return out
