"""Development tools that drive a browser (Playwright, from requirements-dev.txt): not part of the runtime package.

- `tools.browser`: a `streamlit run` server on a free port and Chromium, for the browser tests, the load test and
  `python -m sse_dash bench --browser`;
- `tools.first_chart`: the first chart in Chromium, what `python -m sse_dash bench --browser` adds;
- `tools.loadtest`: `python -m tools.loadtest`, N visitors at once against a fresh local server.

They read their own development-only variables: SSE_DASH_CHROMIUM (the Chromium to drive) and
SSE_DASH_LOADTEST_ROWS (each visitor's upload).
"""
