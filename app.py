"""Entry point: page config, navigation over pages/*.py, the shared sidebar. Run with `streamlit run app.py`."""

import streamlit as st

from sse_dash import ui

st.set_page_config(page_title=ui.APP_TITLE, page_icon=":material/account_balance:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", url_path="overview", default=True),
]

page = st.navigation(PAGES)
with ui.friendly_errors("loading the data"):
    ui.bundle()
ui.sidebar_active_data()
page.run()
