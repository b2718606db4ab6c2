"""Entry point: page config, navigation over pages/*.py, the shared sidebar. Run with `streamlit run app.py`."""

import streamlit as st

from sse_dash import ui
from sse_dash.i18n import _

ui.mark_app_run()  # first: sets this run's language
st.set_page_config(page_title=ui.APP_TITLE, page_icon="static/favicon.png", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title=_("Overview"), icon=":material/home:", url_path="overview", default=True),
    st.Page("pages/instruments.py", title=_("Instruments"), icon=":material/category:", url_path="instruments"),
    st.Page("pages/figures.py", title=_("Published figures"), icon=":material/query_stats:", url_path="figures"),
    st.Page("pages/country.py", title=_("Country profile"), icon=":material/flag:", url_path="country"),
    st.Page("pages/usage.py", title=_("Usage explorer"), icon=":material/bar_chart:", url_path="usage"),
    st.Page("pages/finder.py", title=_("Financing finder"), icon=":material/travel_explore:", url_path="finder"),
    st.Page("pages/upload.py", title=_("Upload your data"), icon=":material/upload_file:", url_path="upload"),
    st.Page("pages/about.py", title=_("About"), icon=":material/info:", url_path="about"),
]

page = st.navigation(PAGES)
with ui.friendly_errors(_("loading the data")):
    ui.bundle()
    ui.note_unread_link()
    ui.open_shared_dataset()
ui.sidebar_active_data()
page.run()
