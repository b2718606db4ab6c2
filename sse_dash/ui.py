"""The only module of the package that imports Streamlit: cached loaders, the sidebar, shared widgets.

Pages call these helpers so that every page shows data the same way: the synthetic badge, the source caption under
each chart, the data behind each chart one click away, and a friendly error instead of a traceback.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import pandas as pd
import streamlit as st

from sse_dash import datasets
from sse_dash.demo import SYNTHETIC_NOTICE

LOG = logging.getLogger("sse_dash")
APP_TITLE = "SSE Finance Dashboard"


@st.cache_resource(show_spinner="Loading the bundled data…")
def bundle() -> datasets.Bundle:
    """The bundled data, validated once per server process and shared read-only by every session."""
    return datasets.load_bundle()


def active_usage() -> datasets.Dataset:
    """The usage dataset this browser session works with (the bundled synthetic demo unless replaced)."""
    return st.session_state.get("active_usage") or bundle().usage


def synthetic_badge(dataset: datasets.Dataset) -> None:
    """A visible 'SYNTHETIC demo data' badge when the dataset is synthetic."""
    if dataset.synthetic:
        st.badge("SYNTHETIC demo data", icon=":material/science:", color="orange", help=SYNTHETIC_NOTICE)


def sidebar_active_data() -> None:
    """Sidebar box saying which usage data is active, with its size."""
    dataset = active_usage()
    with st.sidebar.container(border=True):
        st.caption("Active usage data")
        st.markdown(f"**{dataset.label}**", help=SYNTHETIC_NOTICE if dataset.synthetic else None)
        st.caption(f"{dataset.rows:,} rows · {dataset.kind}")
        if dataset.synthetic:
            st.badge("SYNTHETIC", icon=":material/science:", color="orange")


def source_caption(text: str) -> None:
    """The source line under a chart."""
    st.caption(f"Source: {text}")


def data_behind(frame: pd.DataFrame, name: str, key: str) -> None:
    """An expander with the exact table behind a chart and a CSV download of it."""
    from sse_dash.export import to_csv_bytes

    with st.expander("Data behind this chart", icon=":material/table:"):
        st.dataframe(frame, hide_index=True)
        st.download_button(
            "Download CSV",
            to_csv_bytes(frame),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"download-{key}",
            icon=":material/download:",
            on_click="ignore",
        )


@contextlib.contextmanager
def friendly_errors(what: str) -> Iterator[None]:
    """Show a plain message instead of a traceback if anything inside fails; log the details for maintainers."""
    try:
        yield
    except datasets.BundledDataError as error:
        LOG.exception("bundled data failed validation")
        st.error(
            f"The bundled data could not be loaded ({error}). This is a bug in the dashboard; please report it.",
            icon=":material/error:",
        )
        st.stop()
    except Exception:  # the one place where anything is caught, so a user never sees a traceback
        LOG.exception("unexpected error while %s", what)
        st.error(
            f"Something went wrong while {what}. The error has been logged. Try again, or change the "
            "filters; if it keeps happening, please report it.",
            icon=":material/error:",
        )
        st.stop()
