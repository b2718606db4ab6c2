"""A tiny Streamlit app for tests/test_browser_text.py: each case of $CASES_FILE through `md`, in its own box."""

import json
import os
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from sse_dash.text import md, plot_text

cases = json.loads(Path(os.environ["CASES_FILE"]).read_text(encoding="utf-8"))
for number, case in enumerate(cases):
    with st.container(key=f"case{number}"):
        st.markdown(md(case))
    with st.container(key=f"caption{number}"):
        st.caption(f"Source: {md(case)}")
st.plotly_chart(go.Figure(go.Bar(x=[plot_text(c[:60]) for c in cases], y=list(range(len(cases))))), key="labels")
