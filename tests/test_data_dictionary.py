"""The About page's data dictionary (#14): the schema's, with its words translated where shown."""

import pytest

from sse_dash import data_dictionary, i18n, schema


@pytest.mark.parametrize("kind", schema.KINDS)
def test_in_english_it_is_the_readme_dictionary(kind):
    assert data_dictionary.markdown(kind) == schema.dictionary_markdown(kind)


@pytest.mark.parametrize("lang", ["fr", "es", "fa"])
def test_every_language_keeps_column_names_and_describes_every_field(lang):
    i18n.use_language(lang)
    try:
        for kind in schema.KINDS:
            rows = data_dictionary.rows(kind)
            assert [r[next(iter(r))] for r in rows] == [f"`{name}`" for name in schema.field_names(kind)]
            assert all(len(r) == len(data_dictionary.HEADERS) and list(r.values())[5] for r in rows)
    finally:
        i18n.use_language("en")


def test_descriptions_with_a_value_are_whole_sentences():
    evidence = schema.field("instruments", "cost_level_evidence")
    assert data_dictionary.description("instruments", evidence) == evidence.description
    year = schema.field("usage", "year")
    assert data_dictionary.description("usage", year) == year.description
