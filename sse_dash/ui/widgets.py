"""Widgets every page draws the same way: charts with their source and data, sidebar filters, the error boundary.

Each chart shows its source underneath and the exact table behind it one click away; a failure inside
`friendly_errors` shows a plain message instead of a traceback.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sse_dash import charts, datasets, i18n
from sse_dash.demo import SYNTHETIC_NOTICE
from sse_dash.export import to_csv_bytes, with_context
from sse_dash.i18n import _
from sse_dash.text import md, words
from sse_dash.ui.caching import template_csv
from sse_dash.ui.links import linked

LOG = logging.getLogger("sse_dash")
# The world map's outlines are served by the app itself (static/topojson), never fetched from a CDN.
PLOTLY_CONFIG = {
    "topojsonURL": "app/static/topojson/",
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def chart(
    figure: go.Figure,
    table: pd.DataFrame,
    name: str,
    source: str,
    key: str,
    alt: str = "",
    context: dict[str, str] | None = None,
    selectable: bool = False,
) -> list[str]:
    """A Plotly chart, its source underneath, and the data behind it one click away (mirrored for a right-to-left
    language). The downloaded table carries `context` (default: the source) as columns.

    With `selectable`, a click on a map's country (or a box or lasso around several) reruns the page; the ISO codes
    of the countries picked are returned (an empty list otherwise)."""
    if i18n.is_rtl():
        figure = charts.right_to_left(figure)
    options = {"on_select": "rerun", "selection_mode": ("points", "box", "lasso")} if selectable else {}
    event = st.plotly_chart(
        figure, config=PLOTLY_CONFIG, key=f"chart-{key}", alt=alt or figure.layout.title.text, **options
    )
    source_caption(source)
    data_behind(table, name, key, context if context is not None else {"source": source})
    if not selectable or not event:
        return []
    points = event.get("selection", {}).get("points", []) if isinstance(event, dict) else event.selection.points
    return [str(point["location"]) for point in points if isinstance(point, dict) and point.get("location")]


def empty_state(message: str, hint: str) -> None:
    """What to show when the filters leave nothing."""
    st.info(f"**{message}** {hint}", icon=":material/filter_alt_off:")


def source_caption(text: str) -> None:
    """The source line under a chart."""
    st.caption(_("Source: {source}").format(source=md(text)))


def data_behind(frame: pd.DataFrame, name: str, key: str, context: dict[str, str] | None = None) -> None:
    """An expander with the exact table behind a chart and a CSV download of it.

    Its content is drawn only once it is opened: the table widget's code is the largest part of a page, and
    leaving it out until asked for lets the first chart appear sooner.
    """
    behind = st.expander(_("Data behind this chart"), icon=":material/table:", key=f"behind-{key}", on_change="rerun")
    if not behind.open:
        return
    with behind:
        st.dataframe(frame, hide_index=True)
        st.download_button(
            _("Download CSV"),
            to_csv_bytes(with_context(frame, context or {})),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"download-{key}",
            icon=":material/download:",
            on_click="ignore",
        )


def template_buttons(kinds: Sequence[str], label: str, key: str) -> None:
    """A row of download buttons, one example file per kind (`label` may use {kind})."""
    with st.container(horizontal=True):
        for kind in kinds:
            st.download_button(
                label.format(kind=kind),
                template_csv(kind),
                f"template-{kind}.csv",
                "text/csv",
                on_click="ignore",
                icon=":material/download:",
                key=f"{key}-template-{kind}",
            )


@contextlib.contextmanager
def friendly_errors(what: str) -> Iterator[None]:
    """Show a plain message instead of a traceback if anything inside fails; log the details for maintainers."""
    try:
        yield
    except datasets.BundledDataError as error:
        LOG.exception("bundled data failed validation")
        st.error(
            _(
                "The bundled data could not be loaded ({error}). This is a bug in the dashboard; please report it."
            ).format(error=error),
            icon=":material/error:",
        )
        st.stop()
    except Exception:  # the one place where anything is caught, so a user never sees a traceback
        LOG.exception("unexpected error while %s", what)
        st.error(
            _(
                "Something went wrong while {what}. The error has been logged. Try again, or change the "
                "filters; if it keeps happening, please report it."
            ).format(what=what),
            icon=":material/error:",
        )
        st.stop()


def synthetic_badge(dataset: datasets.Dataset) -> None:
    """A visible 'SYNTHETIC demo data' badge when the dataset is synthetic."""
    if dataset.synthetic:
        st.badge(_("SYNTHETIC demo data"), icon=":material/science:", color="orange", help=_(SYNTHETIC_NOTICE))


def multi_filter(
    label: str,
    key: str,
    options: Sequence[str],
    names: Mapping[str, str] | Callable[[str], str] | None = None,
    help: str | None = None,
    *,
    page: str,
) -> list[str]:
    """A sidebar multiselect that shows and finds names while the query parameter `key` keeps codes (empty = no
    restriction)."""
    return linked(
        st.sidebar.multiselect,
        label,
        options,
        key=key,
        page=page,
        format_func=words(names),
        multi=True,
        placeholder=_("All"),
        help=help,
    )


def year_filter(first: int, last: int) -> tuple[int, int]:
    """The sidebar's year range, bound to the query parameter `years`, first year first.

    Data with a single year gets a line of text: a slider needs two different ends.
    """
    if first == last:
        st.sidebar.caption(_("Years: {year} (the only year in this data)").format(year=first))
        return first, last
    low, high = st.sidebar.slider(_("Years"), first, last, (first, last), key="years", bind="query-params")
    return min(low, high), max(low, high)


class ProgressBar:
    """A progress bar that appears only while long work runs."""

    def __init__(self) -> None:
        self.slot = st.empty()

    def __call__(self, fraction: float, label: str) -> None:
        self.slot.progress(min(max(fraction, 0.0), 1.0), text=label)

    def done(self) -> None:
        self.slot.empty()
