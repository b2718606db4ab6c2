"""A downloaded 'data behind this chart' table keeps its meaning: unit, currency basis, source, synthetic flag."""

import io

import pandas as pd
import pytest

from sse_dash import datasets, transform, views
from sse_dash.export import to_csv_bytes, with_context

BUNDLE = datasets.load_bundle()


def downloaded(view: str, settings: views.ViewSettings, synthetic: bool) -> pd.DataFrame:
    """The CSV a user downloads under a usage chart, read back."""
    result = views.usage_view(BUNDLE.usage.frame, BUNDLE.catalogue, view, settings, "Demo (demo.csv)")
    context = views.table_context(result, "Demo (demo.csv)", synthetic)
    return pd.read_csv(io.BytesIO(to_csv_bytes(with_context(result.table, context))), keep_default_na=False)


@pytest.mark.parametrize("money", ["usd", "KES"])
def test_a_money_view_says_its_unit_currency_basis_source_and_that_it_is_synthetic(money):
    table = downloaded("Mix", views.ViewSettings(money=money), synthetic=True)
    currency = "USD" if money == "usd" else "KES"
    assert set(table["unit"]) == {f"Amount ({currency})"}
    assert set(table["currency_basis"]) == {views.money_label(money)}
    assert set(table["source"]) == {"Demo (demo.csv)"}
    assert table["synthetic"].str.startswith("yes").all()


def test_a_count_has_no_currency_basis_and_real_data_no_synthetic_flag():
    table = downloaded("Organisations", views.ViewSettings(), synthetic=False)
    assert set(table["unit"]) == {"Organisations"}
    assert "currency_basis" not in table and "synthetic" not in table


def test_the_amounts_view_counts_records_in_the_bands_of_its_currency():
    table = downloaded("Amounts", views.ViewSettings(measure="uses", money="EUR"), synthetic=True)
    assert set(table["unit"]) == {"Records, by amount band in EUR"}
    assert set(table["currency_basis"]) == {views.money_label("EUR")}


def test_context_never_overwrites_a_column_of_the_table():
    frame = pd.DataFrame({"source": ["own"], "value": [1]})
    assert with_context(frame, {"source": "other", "unit": "", "note": "n"}).to_dict("list") == {
        "source": ["own"],
        "value": [1],
        "note": ["n"],
    }


def test_value_labels_are_words():
    assert transform.value_label("uses", None) == "Records"
