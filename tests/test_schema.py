"""Schemas: one per kind, documented, usable by pandera."""

import pytest

from sse_dash import schema


@pytest.mark.parametrize("kind", schema.KINDS)
def test_every_kind_builds_a_pandera_schema(kind):
    built = schema.pandera_schema(kind)
    assert list(built.columns) == schema.field_names(kind)


@pytest.mark.parametrize("kind", schema.KINDS)
def test_dictionary_has_a_row_per_field(kind):
    markdown = schema.dictionary_markdown(kind)
    assert markdown.count("\n") == len(schema.FIELDS[kind]) + 1
    assert "required" in markdown


def test_field_names_are_unique_and_synonyms_do_not_clash_within_a_kind():
    for kind in schema.KINDS:
        names = schema.field_names(kind)
        assert len(names) == len(set(names))
        synonyms = [s for f in schema.FIELDS[kind] for s in f.synonyms]
        assert len(synonyms) == len(set(synonyms)), kind
        assert not set(synonyms) & set(names), kind


def test_usage_required_columns_are_exactly_the_documented_seven():
    assert schema.required_names("usage") == [
        "org_id",
        "country",
        "year",
        "sse_type",
        "instrument_id",
        "amount",
        "currency",
    ]
