"""The usage page's views, run by the engine and cached on small keys: globally for the bundled data, per session
for uploads.

Each view, count and list of options is a query (`engine.queries`) on the dataset's Parquet file (`ui.engine`):
only the small aggregated table comes back. A view is recomputed only when its dataset's key, the filter or the
settings change. The bundled data's views are the same for every visitor, so they share one cache; an upload's
views live in the session's own cache and go with it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sse_dash import datasets, i18n, transform, views
from sse_dash.engine import UsageSource, queries
from sse_dash.export import to_csv_bytes
from sse_dash.ui.engine import backends, usage_source
from sse_dash.ui.session import bundle, catalogue, catalogue_shown, is_bundled


def _view(
    dataset_key: str,
    chosen: transform.UsageFilter,
    view: str,
    settings: views.ViewSettings,
    source: str,
    language: str,  # the figure's text is in this language: a key of the cache, read through i18n when drawn
    _usage: UsageSource,
    _catalogue: pd.DataFrame,
) -> views.ViewResult:
    with backends().table(_usage, _catalogue) as table:
        rows = queries.filter_usage(table, chosen)
        return views.usage_view(rows, _catalogue, view, settings, source, ops=queries)


def _counts(dataset_key: str, chosen: transform.UsageFilter, _usage: UsageSource, _catalogue) -> tuple[int, int]:
    with backends().table(_usage, _catalogue) as table:
        return queries.counts(queries.filter_usage(table, chosen))


def _options(dataset_key: str, _usage: UsageSource, _catalogue: pd.DataFrame) -> dict[str, list]:
    with backends().table(_usage, _catalogue) as table:
        return views.with_setting_options(queries.usage_options(table, _catalogue))


# The same functions cached twice: globally for the bundled data, per session (freed when it ends) for uploads.
_CACHED = {
    "global": {
        "view": st.cache_data(_view, max_entries=256, show_spinner=False),
        "counts": st.cache_data(_counts, max_entries=64, show_spinner=False),
        "options": st.cache_data(_options, max_entries=8, show_spinner=False),
    },
    "session": {
        "view": st.cache_data(_view, max_entries=64, show_spinner=False, scope="session"),
        "counts": st.cache_data(_counts, max_entries=32, show_spinner=False, scope="session"),
        "options": st.cache_data(_options, max_entries=4, show_spinner=False, scope="session"),
    },
}


def _cache(dataset: datasets.Dataset) -> dict:
    return _CACHED["global" if is_bundled(dataset) else "session"]


def usage_view(
    dataset: datasets.Dataset, chosen: transform.UsageFilter, view: str, settings: views.ViewSettings, source: str
) -> views.ViewResult:
    """A usage view, cached on small keys: the dataset's key, the filter, the settings and the language."""
    cached = _cache(dataset)["view"]
    shown = catalogue_shown()
    return cached(dataset.key, chosen, view, settings, source, i18n.language(), usage_source(dataset), shown)


def filtered_counts(dataset: datasets.Dataset, chosen: transform.UsageFilter) -> tuple[int, int]:
    """Records and organisations left by a filter."""
    return _cache(dataset)["counts"](dataset.key, chosen, usage_source(dataset), catalogue())


def usage_options(dataset: datasets.Dataset) -> dict[str, list]:
    """Valid values of the usage page's parameters for a dataset (computed once per dataset)."""
    return _cache(dataset)["options"](dataset.key, usage_source(dataset), catalogue())


@st.cache_data(show_spinner=False)
def template_csv(kind: str) -> bytes:
    """An example file of `kind` (from the bundled data, so the same for everyone)."""
    return to_csv_bytes(datasets.template_frame(kind, bundle()))
