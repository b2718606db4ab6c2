"""Link parameters for tests: a value other than the default for every parameter of every page, written out here
(not read from `state.PAGE_PARAMS`), and each page's real options, built from the same sources as the page."""

from __future__ import annotations

import functools

from sse_dash import codes, country, datasets, finder, schema, transform, views

# Raw query values (what `parse_qs` gives) that differ from every documented default.
NON_DEFAULT: dict[str, dict[str, list[str]]] = {
    "usage": {
        "country": ["ITA", "KEN"],
        "years": ["2016", "2021"],
        "sse_type": ["cooperative", "association"],
        "sector": ["agriculture"],
        "family": ["INT_MEMBER", "EXT_FINCOOP"],
        "instrument": ["member_shares", "sacco_cu_loan"],
        "measure": ["uses"],
        "money": ["KES"],
        "scale": ["percent"],
        "mix_by": ["life_stage"],
        "view": ["Trend"],
    },
    "instruments": {
        "origin": ["internal"],
        "family": ["INT_MEMBER"],
        "type": ["equity"],
        "stage": ["start_up"],
        "sse_type": ["cooperative"],
        "collateral": ["none"],
        "control": ["membership_rights"],
        "compare": ["member_shares", "member_loans"],
        "instrument": ["member_shares"],
    },
    "finder": {
        "sse_type": ["association"],
        "stage": ["start_up"],
        "collateral": ["group"],
        "control": ["minority"],
        "patience": ["long"],
        "membership": ["no"],
        "country": ["FRA"],
        "amount": ["50000"],
        "currency": ["EUR"],
        "w_afford": ["5"],
        "w_patience": ["0"],
        "w_collateral": ["1"],
        "w_control": ["3"],
        "w_access": ["4"],
    },
    "figures": {
        "group": ["sacco_cu_loan"],
        "indicator": ["credit_union_assets"],
        "series": ["United States", "World"],
        "mode": ["relative"],
    },
    "country": {
        "country": ["KEN"],
        "peers": ["ITA"],
    },
}


@functools.cache
def page_options(page: str) -> dict[str, list]:
    """The options `page` gives `state.clean` on the bundled data (as the page file builds them)."""
    bundle = datasets.load_bundle()
    catalogue = bundle.catalogue
    if page == "usage":
        frame = transform.with_catalogue_columns(bundle.usage.frame, catalogue)
        return views.usage_options(frame, catalogue)
    if page == "instruments":
        ids = list(catalogue["instrument_id"])
        return {
            "origin": list(schema.ORIGINS),
            "family": list(schema.FAMILIES),
            "type": list(schema.INSTRUMENT_TYPES),
            "stage": list(schema.LIFE_STAGES),
            "sse_type": list(schema.SSE_TYPES),
            "collateral": list(schema.COLLATERALS),
            "control": list(schema.CONTROL_IMPACTS),
            "compare": ids,
            "instrument": ids,
        }
    if page == "finder":
        return {
            "sse_type": list(schema.SSE_TYPES),
            "stage": list(schema.LIFE_STAGES),
            "collateral": list(finder.COLLATERAL_OFFERS),
            "control": list(finder.CONTROL_WILLINGNESS),
            "patience": list(finder.PATIENCE_NEEDS),
            "membership": ["yes", "no"],
            "country": ["", *sorted(codes.known_countries(), key=codes.country_name)],
            "currency": ["", *codes.known_currencies()],
            **{key: [0, 5] for key in ("w_afford", "w_patience", "w_collateral", "w_control", "w_access")},
        }
    if page == "figures":
        indicators = transform.indicator_table(bundle.figures, catalogue)
        groups = [i for i in catalogue["instrument_id"] if i in set(indicators["instrument_id"].dropna())]
        every_series = transform.series_by_indicator(bundle.figures)
        return {
            "group": ["", *groups],
            "indicator": indicators["indicator"].tolist(),
            "series": sorted({s for values in every_series.values() for s in values}),
            "mode": ["level", "relative"],
        }
    if page == "country":
        return {
            "country": sorted(codes.known_countries(), key=codes.country_name),
            "peers": country.countries_with_figures(bundle.figures),
        }
    raise ValueError(page)
