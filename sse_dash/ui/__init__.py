"""The Streamlit part of the package: the only place besides app.py and pages/ that imports Streamlit.

Pages call these helpers so that every page shows data the same way: the synthetic badge, the source caption under
each chart, the data behind each chart one click away, and a friendly error instead of a traceback. The modules:

- `runtime`: workarounds that use Streamlit's private APIs (the session sweeper, links too long to read);
- `session`: what this session works with (`ActiveData`, the bundled data, the session state's keys);
- `caching`: the usage views, counts and summaries of every page, run by the engine, cached globally for the
  bundled data and the deployment's usage table and per session for uploads;
- `widgets`: charts, the data behind them, sidebar filters, the error boundary;
- `links`: reading a link into the widgets and the share control;
- `upload`: the upload flow, step by step;
- `saved`: saved datasets (save, open from a link, delete);
- `frame`: what every page has around it (the navigation check, the shared sidebar).

Pages use the names re-exported here (`ui.chart`, `ui.require_app`, ...), not the modules.
"""

from sse_dash.ui.caching import (
    country_usage,
    filtered_counts,
    say_database_away,
    usage_coverage,
    usage_options,
    usage_rows,
    usage_view,
)
from sse_dash.ui.frame import APP_TITLE, mark_app_run, require_app, sidebar_active_data
from sse_dash.ui.language import language_selector, start_language
from sse_dash.ui.links import (
    PAGE_PATHS,
    base_url,
    current_values,
    link_to,
    linked,
    linked_tabs,
    note_unread_link,
    raw_query,
    read_link,
    share_control,
)
from sse_dash.ui.runtime import release_ended_sessions
from sse_dash.ui.saved import (
    UNAVAILABLE,
    dataset_store,
    delete_saved,
    delete_shared,
    open_shared_dataset,
    save_upload,
    show_saved_link,
    store_available,
)
from sse_dash.ui.session import (
    BUNDLED,
    ActiveData,
    activate,
    active_usage,
    back_to_bundled,
    bundle,
    catalogue,
    catalogue_key,
    catalogue_shown,
    figures,
    shared_id,
    uploads_active,
)
from sse_dash.ui.upload import (
    check_upload,
    forget_upload,
    read_upload,
    upload_detected,
    upload_digest,
    upload_is_active,
    use_upload,
)
from sse_dash.ui.widgets import (
    PLOTLY_CONFIG,
    chart,
    data_behind,
    empty_state,
    friendly_errors,
    multi_filter,
    source_caption,
    synthetic_badge,
    template_buttons,
    year_filter,
)

__all__ = [
    "APP_TITLE",
    "BUNDLED",
    "PAGE_PATHS",
    "PLOTLY_CONFIG",
    "UNAVAILABLE",
    "ActiveData",
    "activate",
    "active_usage",
    "back_to_bundled",
    "base_url",
    "bundle",
    "catalogue",
    "catalogue_key",
    "catalogue_shown",
    "chart",
    "check_upload",
    "country_usage",
    "current_values",
    "data_behind",
    "dataset_store",
    "delete_saved",
    "delete_shared",
    "empty_state",
    "figures",
    "filtered_counts",
    "forget_upload",
    "friendly_errors",
    "language_selector",
    "link_to",
    "linked",
    "linked_tabs",
    "mark_app_run",
    "multi_filter",
    "note_unread_link",
    "open_shared_dataset",
    "raw_query",
    "read_link",
    "read_upload",
    "release_ended_sessions",
    "require_app",
    "save_upload",
    "say_database_away",
    "share_control",
    "shared_id",
    "show_saved_link",
    "sidebar_active_data",
    "source_caption",
    "start_language",
    "store_available",
    "synthetic_badge",
    "template_buttons",
    "upload_detected",
    "upload_digest",
    "upload_is_active",
    "uploads_active",
    "usage_coverage",
    "usage_options",
    "usage_rows",
    "usage_view",
    "use_upload",
    "year_filter",
]
