"""Take the README's screenshots: start the dashboard on the bundled data, open each page, save PNGs.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png

Uses the same Chromium and server harness as the browser tests (tests/browser_harness.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_harness import launch_browser, streamlit_server, wait_for_app  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
# name: (path and query, viewport height, an element to wait for)
SHOTS = {
    "overview": ("", 1500, ".js-plotly-plot .main-svg"),
    "instruments": (
        "instruments?origin=internal&compare=member_shares&compare=membership_fees"
        "&compare=retained_surplus&compare=capitalised_unemployment",
        1900,
        ".js-plotly-plot .main-svg",
    ),
    "figures": ("figures?indicator=credit_union_members&series=World&mode=level", 1250, ".js-plotly-plot .main-svg"),
    "usage": (
        "usage?country=KEN&country=ITA&sse_type=cooperative&mix_by=country&scale=percent",
        1250,
        ".js-plotly-plot .main-svg",
    ),
    "usage-map": ("usage?view=Map", 1250, "path.choroplethlocation"),
    "finder": (
        "finder?sse_type=cooperative&stage=start_up&collateral=nothing&control=keep_full",
        1700,
        ".js-plotly-plot .main-svg",
    ),
    "upload": ("upload", 900, "[data-testid='stFileUploader']"),
    "about": ("about", 1300, "[data-testid='stDataFrame']"),
    # The same dashboard in two more languages: French, and Persian right to left.
    "usage-fr": (
        "usage?lang=fr&country=KEN&country=ITA&sse_type=cooperative&mix_by=country&scale=percent",
        1250,
        ".js-plotly-plot .main-svg",
    ),
    "finder-fa": (
        "finder?lang=fa&sse_type=cooperative&stage=start_up&collateral=nothing&control=keep_full&country=IRN",
        1700,
        ".js-plotly-plot .main-svg",
    ),
}
# Phone-sized shots (390 px wide), for the README's section on languages and phones.
PHONE = {"overview-fa-phone": ("?lang=fa", 844, "h1")}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        shots = [(name, shot, 1400) for name, shot in SHOTS.items()] + [(n, s, 390) for n, s in PHONE.items()]
        for name, (path, height, ready), width in shots:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            expect(page.locator(ready).first).to_be_attached(timeout=30_000)
            page.wait_for_function(
                '() => !document.querySelector(\'[data-testid*="Skeleton"], [data-testid*="skeleton"]\')',
                timeout=30_000,
            )
            page.wait_for_timeout(1500)
            page.screenshot(path=str(OUT / f"{name}.png"))
            page.close()
            print(f"wrote docs/screenshots/{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
