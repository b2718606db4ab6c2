"""Schemas: one per kind, documented, usable by pandera."""

import pytest

from sse_dash import header_synonyms, schema
from sse_dash.ingest.mapping import normalise_header


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
        synonyms = [normalise_header(s) for f in schema.FIELDS[kind] for s in f.synonyms]
        assert len(synonyms) == len(set(synonyms)), kind
        assert not set(synonyms) & set(names), kind


@pytest.mark.parametrize("kind", schema.KINDS)
def test_every_field_has_french_spanish_and_persian_header_synonyms(kind):
    for f in schema.FIELDS[kind]:
        french, spanish, persian = header_synonyms.TRANSLATED[kind][f.name]
        assert french and spanish and persian, f.name
        assert all(any("\u0600" <= ch <= "\u06ff" for ch in word) for word in persian), f.name
        keys = {normalise_header(word) for word in (f.name, *f.synonyms)}
        assert {normalise_header(word) for word in header_synonyms.translated_synonyms(kind, f.name)} <= keys


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
