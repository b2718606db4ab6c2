"""A country profile: what the dashboard knows about one country, as pure tables.

Published figures name their geography in words ('Kenya', 'Quebec'); a figure belongs to a country when its
geography is that country, or a sub-national unit of it (`codes.region_country`, else a country named inside it:
'Southern Italy and islands'). World regions and income groups belong to no country. Instruments belong to the
countries of the catalogue's `countries` column; usage records to their `country` code. The page
(`pages/country.py`) places these tables; links keep alpha-3 codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

import pandas as pd

from sse_dash import codes, geographies, summary, transform
from sse_dash.i18n import _
from sse_dash.schema import MULTI_SEPARATOR

LEVELS = ("country", "subnational")  # the geographic levels a country profile takes figures from


@cache
def _country_words() -> tuple[tuple[str, str], ...]:
    """(English name as normalised words, code) of every known country, longest name first."""
    names = {(codes.normalise_key(codes.country_name(code)), code) for code in codes.known_countries()}
    return tuple(sorted((n for n in names if len(n[0]) > 3), key=lambda pair: (-len(pair[0]), pair[1])))


@cache
def geography_country(geography: str, level: str) -> str | None:
    """The country (alpha-3) a published figure's geography belongs to, or None for a region or the world.

    A country-level geography is resolved as a country name; a sub-national one through the alias table of regions
    ('Quebec' -> CAN), else by the country its name contains ('Central Italy' -> ITA).
    """
    if level == "country":
        return codes.country_resolver().resolve(geography).code
    if level != "subnational":
        return None
    known = codes.region_country(geography)
    if known:
        return known
    words = f" {codes.normalise_key(geography)} "
    return next((code for name, code in _country_words() if re.search(rf"\s{re.escape(name)}\s", words)), None)


def figure_countries(figures: pd.DataFrame) -> pd.Series:
    """The country (alpha-3, or None) of every row of a published-figures table, resolved once per geography."""
    if figures.empty:
        return pd.Series([], index=figures.index, dtype="object")
    pairs = pd.Series(list(zip(figures["geography"].astype(str), figures["geo_level"].astype(str), strict=True)))
    found = {pair: geography_country(*pair) for pair in pairs.unique()}
    return pd.Series(pairs.map(found).to_numpy(), index=figures.index, dtype="object")


def country_figures(figures: pd.DataFrame, code: str) -> pd.DataFrame:
    """The published figures about one country (its sub-national units included)."""
    return figures[(figure_countries(figures) == code).to_numpy()]


def countries_with_figures(figures: pd.DataFrame) -> list[str]:
    """Every country some published figure is about, sorted by code."""
    return sorted({c for c in figure_countries(figures) if isinstance(c, str)})


def published_figures(figures: pd.DataFrame, sources: pd.DataFrame, code: str) -> pd.DataFrame:
    """One row per series about the country: its indicator's name, latest year and value, and the edition (source)
    that latest point comes from (`transform.latest_points`), ordered by indicator name then series."""
    rows = country_figures(figures, code)
    table = transform.latest_points(rows, sources)
    names = rows.drop_duplicates("indicator").set_index("indicator")["indicator_name"]
    table.insert(1, "indicator_name", table["indicator"].map(names).fillna(table["indicator"]))
    geography = rows.assign(series=transform.series_key(rows)).drop_duplicates("series").set_index("series")
    table.insert(3, "geography", table["series"].map(geography["geography"]))
    return table.sort_values(["indicator_name", "series"], kind="stable").reset_index(drop=True)


def documented_instruments(catalogue: pd.DataFrame, code: str) -> pd.DataFrame:
    """The instruments of the catalogue documented in the country (its `countries` column names it)."""
    listed = catalogue["countries"].astype("object").fillna("").astype(str).str.split(MULTI_SEPARATOR)
    return catalogue[listed.map(lambda named: code in named).to_numpy()]


MONEY_COLUMNS = ["basis", "currency", "records", "total"]


def money_totals(usage: pd.DataFrame) -> pd.DataFrame:
    """The usage rows' total on each currency basis (`transform.money_options`): US dollars as converted by the
    publisher, then each currency the rows are recorded in; with the number of rows each total adds up."""
    rows = []
    for money in transform.money_options(usage):
        chosen, basis = transform.money_basis(usage, money)
        amounts = chosen[basis.column].astype(float)
        rows.append({"basis": money, "currency": basis.currency, "records": int(amounts.notna().sum())})
        rows[-1]["total"] = float(amounts.sum())
    return pd.DataFrame(rows, columns=MONEY_COLUMNS)


@dataclass(frozen=True)
class Holdings:
    """How much the dashboard holds about one country."""

    figures: int  # published figures (rows)
    indicators: int
    instruments: int
    records: int  # usage records of the active data

    @property
    def empty(self) -> bool:
        return not (self.figures or self.instruments or self.records)


def holdings(figures: pd.DataFrame, catalogue: pd.DataFrame, code: str, records: int) -> Holdings:
    """What the dashboard holds about the country: figures, indicators, instruments, and the `records` of usage
    data about it (`usage_summary(...).records`, or the engine's `queries.country_usage`)."""
    rows = country_figures(figures, code)
    return Holdings(len(rows), rows["indicator"].nunique(), len(documented_instruments(catalogue, code)), records)


def _whole_country(figures: pd.DataFrame, code: str) -> pd.DataFrame:
    """The country-level rows of one country without a breakdown: the figures that compare across countries."""
    rows = figures[(figures["geo_level"].astype(str) == "country").to_numpy()]
    rows = country_figures(rows, code)
    if "breakdown" in rows:
        rows = rows[rows["breakdown"].isna().to_numpy() | (rows["breakdown"].astype(str) == "").to_numpy()]
    return rows


PEER_COLUMNS = ("geography", "year", "value", "qualifier")  # of each country compared: `<code>_<column>`


def peer_comparison(figures: pd.DataFrame, code: str, peers: tuple[str, ...]) -> pd.DataFrame:
    """Indicators the country and at least one peer both have, for the whole country (no breakdown, no region):
    one row per indicator with its name and unit, and for the country and each peer the latest year, value and
    qualifier (columns `<code>_year`, `<code>_value`, `<code>_qualifier`) and its geography as published
    (`<code>_geography`, for links to the series); empty where a country has no figure."""
    columns = ["indicator", "indicator_name", "unit"]
    everyone = (code, *(p for p in dict.fromkeys(peers) if p != code))
    latest: dict[str, pd.DataFrame] = {}
    for country in everyone:
        rows = _whole_country(figures, country).sort_values("year", kind="stable")
        latest[country] = rows.groupby("indicator", sort=True).tail(1).set_index("indicator")
    shared = sorted(
        set(latest[code].index) & set().union(*(set(latest[p].index) for p in everyone[1:]))
        if len(everyone) > 1
        else set()
    )
    if not shared:
        return pd.DataFrame(columns=columns + [f"{c}_{k}" for c in everyone for k in PEER_COLUMNS])
    table = latest[code].loc[shared, ["indicator_name", "unit"]].reset_index()
    for country in everyone:
        found = latest[country].reindex(shared)
        table[f"{country}_geography"] = found["geography"].to_numpy()
        table[f"{country}_year"] = found["year"].astype("Int64").to_numpy()
        table[f"{country}_value"] = found["value"].astype(float).to_numpy()
        table[f"{country}_qualifier"] = found["qualifier"].astype("object").to_numpy()
    return table.sort_values("indicator_name", kind="stable").reset_index(drop=True)


def value_words(value: float, unit: str, qualifier: object = None) -> str:
    """A published value with its unit and qualifier in words, in the active language ('more than 1,200 firms')."""
    shown = summary.format_value(float(value), str(unit))
    if qualifier == "more_than":
        return _("more than {value}").format(value=shown)
    if qualifier == "approx":
        return _("about {value}").format(value=shown)
    return shown


def edition_words(title: object, publisher: object, year: object) -> str:
    """The edition a figure comes from in words: 'title (publisher, year)', the parts that are known."""
    if not isinstance(title, str) or not title:
        return _("a source the sources table does not list")
    known_year = year is not None and not pd.isna(year)
    if isinstance(publisher, str) and publisher and known_year:
        return _("{title} ({publisher}, {year})").format(title=title, publisher=publisher, year=int(year))
    if isinstance(publisher, str) and publisher:
        return _("{title} ({publisher})").format(title=title, publisher=publisher)
    return _("{title} ({year})").format(title=title, year=int(year)) if known_year else title


def currency_lines(latest: pd.DataFrame, name: Callable[[str], str]) -> list[str]:
    """How current each series shown is, one line per series: '{series}: latest {year}, from {edition}'
    (`latest`: `transform.latest_points`; `name`: how a series is named in the active language)."""
    return [
        _("{series}: latest year {year}, from {edition}").format(
            series=name(row["series"]),
            year=int(row["latest_year"]),
            edition=edition_words(row["title"], row["publisher"], row["source_year"]),
        )
        for _row, row in latest.iterrows()
    ]


def figures_query(indicator: str, series: list[str]) -> str:
    """The query string of the Published figures page showing one indicator for these series (as published)."""
    return urlencode({"indicator": indicator, "series": list(dict.fromkeys(series))}, doseq=True)


@dataclass(frozen=True)
class UsageSummary:
    """The usage records of one country: how many, of how many organisations, over which years, and their totals
    on each currency basis (`money_totals`)."""

    records: int
    organisations: int
    first_year: int | None
    last_year: int | None
    totals: pd.DataFrame


def usage_summary(usage: pd.DataFrame, code: str) -> UsageSummary:
    """What the usage records say about one country."""
    rows = transform.filter_usage(usage, transform.UsageFilter(countries=(code,)))
    if rows.empty:
        return UsageSummary(0, 0, None, None, pd.DataFrame(columns=MONEY_COLUMNS))
    years = rows["year"]
    return UsageSummary(
        len(rows), transform.distinct(rows["org_id"]), int(years.min()), int(years.max()), money_totals(rows)
    )


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value)


def comparison_shown(table: pd.DataFrame, countries: tuple[str, ...]) -> pd.DataFrame:
    """`peer_comparison` as people read it: the indicator's name, for each country a cell 'value unit (year)' in the
    active language (empty where it has no figure), and `series_query`, the Published figures page's query that
    shows the indicator for every country that has it."""
    shown = pd.DataFrame({"indicator_name": table["indicator_name"]})
    for code in countries:
        shown[code] = [
            _("{value} ({year})").format(
                value=value_words(row[f"{code}_value"], row["unit"], row[f"{code}_qualifier"]),
                year=int(row[f"{code}_year"]),
            )
            if _present(row[f"{code}_value"])
            else ""
            for _row, row in table.iterrows()
        ]
    shown["series_query"] = [
        figures_query(row["indicator"], [row[f"{c}_geography"] for c in countries if _present(row[f"{c}_value"])])
        for _row, row in table.iterrows()
    ]
    return shown


def published_shown(published: pd.DataFrame) -> pd.DataFrame:
    """`published_figures` as people read it: geographies and values in the active language, the edition's title,
    publisher, year and address, and `series_query`, the Published figures page's query that shows the series."""
    return pd.DataFrame(
        {
            "indicator_name": published["indicator_name"],
            "geography": published["series"].map(geographies.series_name),
            "latest_year": published["latest_year"],
            "latest": [
                value_words(value, unit, qualifier)
                for value, unit, qualifier in zip(
                    published["value"], published["unit"], published["qualifier"], strict=True
                )
            ],
            "years": published["years"],
            "title": published["title"],
            "publisher": published["publisher"],
            "source_year": published["source_year"],
            "url": published["url"],
            "series_query": [
                figures_query(indicator, [series])
                for indicator, series in zip(published["indicator"], published["series"], strict=True)
            ],
        }
    )


def series_countries(figures: pd.DataFrame, indicator: str, series: tuple[str, ...]) -> list[str]:
    """The countries (alpha-3) of an indicator's series shown, in the order of `series`, each once."""
    rows = figures[figures["indicator"] == indicator]
    found = dict(zip(transform.series_key(rows), figure_countries(rows), strict=True))
    return list(dict.fromkeys(c for s in series if isinstance(c := found.get(s), str)))
