"""Every page with the smallest data people upload (AppTest): one year, one country, one instrument, one row,
amounts that are all equal; a one-indicator figures file and a one-row catalogue."""

import json

import pytest
from apptest_helpers import PAGE_FILES, ROOT, run_page

from sse_dash import views
from sse_dash.uploads import file_hash

HEADER = "org_id,country,year,sse_type,instrument_id,amount,currency,amount_usd"
USAGE = {
    # A ministry's annual return: every row has the same year.
    "one year": [
        "A,KEN,2021,cooperative,sacco_cu_loan,150000,KES,1170",
        "B,ITA,2021,association,public_grant,12000,EUR,12960",
        "C,KEN,2021,mutual,microcredit,90000,KES,700",
    ],
    "one country": [
        "A,KEN,2019,cooperative,sacco_cu_loan,150000,KES,1170",
        "B,KEN,2021,association,public_grant,12000,KES,95",
    ],
    "one instrument": [
        "A,KEN,2019,cooperative,sacco_cu_loan,150000,KES,1170",
        "B,ITA,2022,association,sacco_cu_loan,12000,EUR,12960",
    ],
    "one row": ["A,KEN,2021,cooperative,sacco_cu_loan,150000,KES,1170"],
    "equal amounts": [f"{org},SEN,2021,cooperative,microcredit,91415837,USD,91415837" for org in "ABCD"],
}
# The trace type each view draws.
TRACES = {"Mix": "bar", "Organisations": "bar", "Trend": "scatter", "Heatmap": "heatmap", "Map": "choropleth"}


def use_upload(at, data: bytes, name: str, mode: str = "extend"):
    """Upload a file on the Upload page and make its valid rows active (as a user does)."""
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].upload(name, data, "text/csv").run()
    if mode != "extend":
        at.radio(key=f"catalogue-mode-{file_hash(data)}").set_value(mode).run()
    next(b for b in at.button if b.label.startswith(("Use all", "Continue with"))).click().run()
    assert "active on every page" in " ".join(s.value for s in at.success), [e.value for e in at.error]
    return at


def problems(at) -> list[str]:
    """Exceptions and error alerts of a run: what must never reach a user."""
    return [e.message for e in at.exception] + [e.value for e in at.error]


def drawn(at) -> str:
    """The trace type of the one chart of the page."""
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)["data"][0]["type"]


@pytest.mark.parametrize("shape", USAGE)
def test_every_page_and_view_works_with_minimal_usage_data(shape):
    rows = USAGE[shape]
    at = use_upload(run_page("pages/upload.py"), "\n".join([HEADER, *rows, ""]).encode(), f"{shape}.csv")
    for page in PAGE_FILES:
        at.switch_page(page).run()
        assert not problems(at), (page, problems(at))
    for view in views.VIEWS:
        at.query_params["view"] = view
        at.switch_page("pages/usage.py").run()
        assert not problems(at), (view, problems(at))
        assert any(f"{len(rows)} records of" in c.value for c in at.caption), view
        assert drawn(at) == TRACES.get(view, "bar"), view


def test_a_single_year_is_said_in_words_instead_of_a_slider():
    at = use_upload(run_page("pages/upload.py"), "\n".join([HEADER, *USAGE["one year"], ""]).encode(), "annual.csv")
    at.switch_page("pages/usage.py").run()
    assert not at.slider
    assert "Years: 2021 (the only year in this data)" in [c.value for c in at.sidebar.caption]


def test_a_one_indicator_one_year_figures_file_and_a_one_row_catalogue():
    figures = (
        b"indicator,indicator_name,geography,geo_level,year,value,unit,source_id\n"
        b"loans_to_coops,Loans to co-operatives,Senegal,country,2020,12.5,XOF billion,ministry_report\n"
    )
    lines = (ROOT / "data" / "instruments.csv").read_text(encoding="utf-8").splitlines()
    catalogue = f"{lines[0]}\n{next(line for line in lines if line.startswith('microcredit,'))}\n".encode()
    at = run_page("pages/upload.py")
    use_upload(at, catalogue, "catalogue.csv", mode="replace")
    use_upload(at, figures, "figures.csv")
    use_upload(at, f"{HEADER}\nA,SEN,2020,cooperative,microcredit,5,USD,5\n".encode(), "usage.csv")
    for page in PAGE_FILES:
        for mode in ("level", "relative"):
            at.query_params["mode"] = mode
            at.switch_page(page).run()
            assert not problems(at), (page, problems(at))
    at.switch_page("pages/figures.py").run()
    assert drawn(at) == "scatter"
