"""The data dictionary as people read it on the About page: every column of every kind, in the active language.

`schema.dictionary_markdown` is the English reference (data/README.md and the CLI's `dictionary` command); this is
the same table with its headers, types, descriptions and units translated. Column names, codes and header synonyms
are what a file holds, so they stay as written.
"""

from __future__ import annotations

from sse_dash.i18n import N_, _
from sse_dash.schema import _TYPE_WORDS, EARLIEST_YEAR, EVIDENCE_ATTRIBUTES, FIELDS, Field, allowed_values

HEADERS = (
    N_("column"),
    N_("type"),
    N_("required"),
    N_("allowed values"),
    N_("unit"),
    N_("description"),
    N_("also accepted as"),
)
# Descriptions the schema writes with a value in them, as whole sentences with a placeholder.
_EVIDENCE = N_("Whether `{attribute}` is a sourced fact or an editorial judgment.")
_USAGE_YEAR = N_("Year the financing was used (e.g. the financial year). From {earliest} to the current year.")


def description(kind: str, field: Field) -> str:
    """A field's description in the active language."""
    attribute = field.name.removesuffix("_evidence")
    if field.name.endswith("_evidence") and attribute in EVIDENCE_ATTRIBUTES:
        return _(_EVIDENCE).format(attribute=attribute)
    if kind == "usage" and field.name == "year":
        return _(_USAGE_YEAR).format(earliest=EARLIEST_YEAR)
    return _(field.description)


def _allowed(field: Field) -> str:
    if field.dtype == "year" and not field.vocabulary:
        return _("{earliest} to the current year").format(earliest=EARLIEST_YEAR)
    if field.dtype == "instrument" and not field.vocabulary:
        return _("ids of the active catalogue")
    return allowed_values(field)


def rows(kind: str) -> list[dict[str, str]]:
    """One row per column of `kind`, keyed by the translated headers."""
    column, dtype, required, allowed, unit, text, synonyms = (_(h) for h in HEADERS)
    return [
        {
            column: f"`{f.name}`",
            dtype: _(_TYPE_WORDS[f.dtype]),
            required: _("required") if f.required else _("optional"),
            allowed: _allowed(f),
            unit: _(f.unit) if f.unit else "",
            text: description(kind, f),
            synonyms: ", ".join(f.synonyms),
        }
        for f in FIELDS[kind]
    ]


def markdown(kind: str) -> str:
    """The data dictionary of `kind` as a Markdown table, in the active language."""
    table = rows(kind)
    header = list(table[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in table:
        lines.append("| " + " | ".join(str(row[h]).replace("|", "\\|") for h in header) + " |")
    return "\n".join(lines)
