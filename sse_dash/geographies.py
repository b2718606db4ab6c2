"""Names of the published figures' geographies in the active language: countries, world regions and "World".

The figures file names its geographies in English ("Kenya", "Sub-Saharan Africa", "World", "Quebec"). Countries
and the world regions CLDR names (UN M49 codes) are shown in the active language; other places (a province, an
income group) are data and stay as published. Links keep the English names, which are the series' codes.
"""

from __future__ import annotations

from functools import cache

from sse_dash import i18n
from sse_dash.codes import country_resolver
from sse_dash.i18n import _

# English names in the figures file -> UN M49 region code, as CLDR (and so Babel) names them.
REGIONS = {
    "Africa": "002",
    "North America": "003",
    "South America": "005",
    "Oceania": "009",
    "Caribbean": "029",
    "Asia": "142",
    "Europe": "150",
    "Latin America": "419",
    "Sub-Saharan Africa": "202",
    "European Union": "EU",
}
BREAKDOWN = " · "  # between a geography and its breakdown in a series' name (`transform.series_key`)


@cache
def _country_code(name: str) -> str | None:
    return country_resolver().resolve(name).code


def geography_name(name: str) -> str:
    """A geography of the figures file in the active language ('Kenya' -> 'Kenia'; 'Quebec' stays 'Quebec')."""
    if name == "World":
        return _("World")
    if name in REGIONS:
        return i18n.locale().territories.get(REGIONS[name]) or name
    code = _country_code(name)
    return i18n.territory_name(code, name) if code else name


def series_name(series: str) -> str:
    """A series ('World', 'France · Groupe BPCE') in the active language: the geography translated, the breakdown
    (data) as published."""
    geography, separator, breakdown = series.partition(BREAKDOWN)
    return geography_name(geography) + separator + breakdown
