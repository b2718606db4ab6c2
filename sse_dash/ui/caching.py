"""The usage views, counts and summaries of every page, run by the engine and cached on small keys: globally for
the bundled data and the deployment's usage table, per session for uploads.

Each view, count and list of options is a query (`engine.queries`, or `engine.rollups` on a large file's rollups) on the dataset's Parquet file or database
table (`ui.engine`): only the small aggregated result comes back. A result is recomputed only when its dataset's
key, the filter or the settings change. The bundled data's views are the same for every visitor, so they share one
cache; so do a deployment's table's (its key changes every hour, as its rows may: `session.DATABASE_TTL`).
An upload's live in
the session's own cache and go with it. When the deployment's database cannot be reached, the pages say so
(`AWAY`) instead of failing; nothing failed is cached, so the next rerun asks again.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from sse_dash import country, datasets, engine, i18n, transform, views
from sse_dash.engine import UsageSource
from sse_dash.export import to_csv_bytes
from sse_dash.i18n import N_, _
from sse_dash.ui.engine import backends, usage_source
from sse_dash.ui.session import bundle, catalogue, catalogue_shown, is_bundled

LOG = logging.getLogger("sse_dash")
AWAY = N_(
    "The usage database cannot be reached right now, so its records cannot be counted or drawn. The rest of the "
    "dashboard works; try again in a moment."
)  # translated where shown


class UsageDatabaseAway(RuntimeError):
    """The deployment's usage database did not answer (refused, lost or timed-out connection)."""


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
    with backends().usage(_usage, _catalogue) as (table, ops):
        return views.usage_view(ops.filter_usage(table, chosen), _catalogue, view, settings, source, ops=ops)


def _counts(dataset_key: str, chosen: transform.UsageFilter, _usage: UsageSource, _catalogue) -> tuple[int, int]:
    with backends().usage(_usage, _catalogue) as (table, ops):
        return ops.counts(ops.filter_usage(table, chosen))


def _options(dataset_key: str, _usage: UsageSource, _catalogue: pd.DataFrame) -> dict[str, list]:
    with backends().usage(_usage, _catalogue) as (table, ops):
        return views.with_setting_options(ops.usage_options(table, _catalogue))


def _coverage(dataset_key: str, _usage: UsageSource, _catalogue: pd.DataFrame) -> dict[str, object]:
    with backends().usage(_usage, _catalogue) as (table, ops):
        return ops.usage_coverage(table)


def _country(dataset_key: str, code: str, _usage: UsageSource, _catalogue: pd.DataFrame) -> country.UsageSummary:
    with backends().usage(_usage, _catalogue) as (table, ops):
        return ops.country_usage(table, code)


# name: (function, entries kept globally, entries kept per session)
QUERIES = {
    "view": (_view, 256, 64),
    "counts": (_counts, 64, 32),
    "options": (_options, 8, 4),
    "coverage": (_coverage, 8, 4),
    "country": (_country, 64, 16),
}

# The same functions cached twice: globally for the bundled data and the deployment's table, per session (freed
# when it ends) for uploads.
_CACHED = {
    "global": {name: st.cache_data(f, max_entries=most, show_spinner=False) for name, (f, most, _) in QUERIES.items()},
    "session": {
        name: st.cache_data(f, max_entries=most, show_spinner=False, scope="session")
        for name, (f, _, most) in QUERIES.items()
    },
}


def _cache(dataset: datasets.Dataset) -> dict:
    return _CACHED["global" if is_bundled(dataset) else "session"]


def _asked(dataset: datasets.Dataset, query: str, *args):
    """The cached `query` on `dataset`; `UsageDatabaseAway` when the deployment's database did not answer."""
    try:
        return _cache(dataset)[query](dataset.key, *args)
    except Exception as error:
        if dataset.source is None or not engine.unreachable(error):
            raise
        LOG.warning("the usage database cannot be reached (%s): %s", dataset.file_name, type(error).__name__)
        raise UsageDatabaseAway(str(error)) from error


def say_database_away(stop: bool = False) -> None:
    """Say that the usage database cannot be reached; with `stop`, draw nothing more of this page."""
    st.warning(_(AWAY), icon=":material/cloud_off:")
    if stop:
        st.stop()


def usage_view(
    dataset: datasets.Dataset, chosen: transform.UsageFilter, view: str, settings: views.ViewSettings, source: str
) -> views.ViewResult:
    """A usage view, cached on small keys: the dataset's key, the filter, the settings and the language."""
    language, shown = i18n.language(), catalogue_shown()
    try:
        return _asked(dataset, "view", chosen, view, settings, source, language, usage_source(dataset), shown)
    except UsageDatabaseAway:
        say_database_away(stop=True)


def filtered_counts(dataset: datasets.Dataset, chosen: transform.UsageFilter) -> tuple[int, int]:
    """Records and organisations left by a filter."""
    try:
        return _asked(dataset, "counts", chosen, usage_source(dataset), catalogue())
    except UsageDatabaseAway:
        say_database_away(stop=True)


def usage_options(dataset: datasets.Dataset) -> dict[str, list]:
    """Valid values of the usage page's parameters for a dataset (computed once per dataset)."""
    try:
        return _asked(dataset, "options", usage_source(dataset), catalogue())
    except UsageDatabaseAway:
        say_database_away(stop=True)


def usage_rows(dataset: datasets.Dataset) -> int | None:
    """How many records the dataset has (a table read in place: counted by its engine), None when its database
    cannot be reached."""
    if dataset.frame is not None:
        return dataset.rows
    try:
        return _asked(dataset, "counts", transform.UsageFilter(), usage_source(dataset), catalogue())[0]
    except UsageDatabaseAway:
        return None


def usage_coverage(dataset: datasets.Dataset) -> dict[str, object] | None:
    """Rows, organisations, countries, years and currencies of the dataset (`summary.usage_coverage`), or None
    when its database cannot be reached (`say_database_away`)."""
    try:
        return _asked(dataset, "coverage", usage_source(dataset), catalogue())
    except UsageDatabaseAway:
        return None


def country_usage(dataset: datasets.Dataset, code: str) -> country.UsageSummary | None:
    """What the dataset's records say about one country (`country.usage_summary`), or None when its
    database cannot be reached (`say_database_away`)."""
    try:
        return _asked(dataset, "country", code, usage_source(dataset), catalogue())
    except UsageDatabaseAway:
        return None


@st.cache_data(show_spinner=False)
def template_csv(kind: str) -> bytes:
    """An example file of `kind` (from the bundled data, so the same for everyone)."""
    return to_csv_bytes(datasets.template_frame(kind, bundle()))
