"""Problems are values: one enum of codes, each with a label and a message template, no joined strings (#13)."""

import ast
import dataclasses
import json
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
import workbooks
from apptest_helpers import TEST_DATA
from languages import in_language
from small_catalogue import use_catalogue

from sse_dash import datasets, ingest, sniff, xlsx
from sse_dash.cli import main
from sse_dash.i18n import translate
from sse_dash.ingest.problems import LABELS, TEMPLATES, Problem, ProblemCode, render
from sse_dash.limits import Limits

ROOT = Path(__file__).resolve().parent.parent
USAGE = "org_id,country,year,sse_type,instrument_id,amount,currency"

# Files that between them raise many problems (the code of each must be a member of the enum).
BAD_FILES = {
    "cells.csv": (
        f"{USAGE},notes\n"
        "A,Keniya,2019.5,coop,nope,-5,KSH,ok\n"
        "B,KEN,3021,cooperative,sacco_cu_loan,abc,KES,ok\n"
        "C,,1850,cooperative,sacco_cu_loan,1,XXX,\n"
        "D,KEN,next year,cooperative,sacco_cu_loan,1,KES,too,many,cells\n"
    ).encode(),
    "figures.csv": (
        b"indicator,geography,year,value,unit,source_id,breakdown\n"
        b"sse_employment,KEN,2020,1,persons,nowhere,\n"
        b"sse_employment,KEN,2020,2,persons,nowhere,\n"
    ),
    "columns.csv": b"org,amount,amount\n1,2,3\n",
    "semicolon.csv": f"{USAGE.replace(',', ';')}\nA;KEN;2020;cooperative;sacco_cu_loan;1,2,3;KES\n".encode(),
}


def emitted_codes(result: ingest.IngestResult) -> set[str]:
    return set(result.report.problems["code"])


@pytest.fixture(scope="module")
def bad_results():
    catalogue = datasets.load_catalogue()
    source_ids = frozenset(datasets.load_sources()["source_id"])
    results = [
        ingest.ingest(data, filename=name, catalogue=catalogue, source_ids=source_ids)
        for name, data in BAD_FILES.items()
    ]
    results += [ingest.ingest_path(str(path), catalogue=catalogue) for path in sorted(TEST_DATA.iterdir())]
    results.append(ingest.ingest(b"a,b\n1,2\n", kind="nonsense"))
    results.append(ingest.ingest(b"x" * 5000, filename="long.csv"))
    for bounds in (Limits(max_bytes=10), Limits(max_rows=1), Limits(max_columns=2), Limits(max_cell_chars=3)):
        read = ingest.read_table(BAD_FILES["cells.csv"], limits=bounds)
        results.append(ingest.ingest_table(read, catalogue=catalogue))
    return results


def test_every_problem_code_has_a_label():
    assert set(LABELS) == set(ProblemCode)
    assert all(code.label.strip() for code in ProblemCode)
    assert len({code.label for code in ProblemCode}) == len(ProblemCode)


def test_every_code_has_a_message_template_and_every_template_a_code():
    for code in ProblemCode:
        assert any(template.split(".")[0] == code.value for template in TEMPLATES), code
    for template in TEMPLATES:
        assert template.split(".")[0] in set(ProblemCode), template


def test_a_message_is_rendered_from_its_code_and_parameters():
    problem = Problem.of(ProblemCode.MISSING_VALUE, {"name": "year", "fill_hint": "for example 2021"}, row=3)
    assert (problem.message, problem.suggestion) == ("'Year' is empty in this row.", "Fill it in (for example 2021).")
    assert render(problem.template, problem.params) == (problem.message, problem.suggestion)
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.row = 4


def test_every_code_the_files_raise_is_a_member(bad_results):
    emitted = set().union(*(emitted_codes(r) for r in bad_results))
    assert emitted <= {code.value for code in ProblemCode}
    assert len(emitted) >= 20, emitted  # the files above do raise a good share of them


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_code_written_in_the_code_base_is_a_member():
    """Codes are written as `ProblemCode.X` everywhere but in the workbook reader, which runs apart as a script."""
    for path in (ROOT / "sse_dash").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ProblemCode":
                assert node.attr in ProblemCode.__members__, (path, node.attr)


def test_every_problem_of_the_workbook_reader_names_a_template_with_its_parameters():
    """The workbook reader writes no message: each problem it raises names a template of ours, with the
    parameters the template asks for (and the code the template is named after)."""
    tree = ast.parse(Path(xlsx.__file__).read_text(encoding="utf-8"))
    raised = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_Stop", "_damaged")):
            continue
        if any(keyword.arg is None for keyword in node.keywords):
            continue  # `_damaged` passing its own parameters on
        assert all(isinstance(argument, ast.Constant) for argument in node.args), ast.unparse(node)
        if node.func.id == "_Stop":
            code, template = (argument.value for argument in node.args)
        else:
            code, template = "unreadable_excel", f"unreadable_excel.{node.args[0].value}"
        raised.append((code, template, {keyword.arg for keyword in node.keywords}))
    raised.append((*xlsx.TOO_MUCH_MEMORY[:2], set(xlsx.TOO_MUCH_MEMORY[2])))
    assert len(raised) >= 12
    for code, template, params in raised:
        assert code in {c.value for c in ProblemCode} and template.split(".")[0] == code, template
        message, suggestion = TEMPLATES[template]
        assert placeholders(message) | placeholders(suggestion) == params, template


def test_messages_and_suggestions_are_never_joined(bad_results):
    for result in bad_results:
        problems = result.report.problems
        assert not problems["message"].str.contains("\x1f").any()
        assert not problems["suggestion"].str.contains("\x1f").any()
    assert all("\x1f" not in part for pair in TEMPLATES.values() for part in pair)
    problem_modules = [*(ROOT / "sse_dash" / "ingest").glob("*.py"), xlsx.__file__, sniff.__file__]
    for path in [*problem_modules, *(ROOT / "sse_dash" / name for name in ("limits.py", "uploads.py", "cli.py"))]:
        source = Path(path).read_text(encoding="utf-8")
        assert not re.search(r"\\x1f[A-Z]|\bSEPARATOR\b", source), path  # "what is wrong\x1fWhat to do"


def test_sniffing_limits_and_workbooks_give_problems():
    assert sniff.file_problem(b"").code is ProblemCode.EMPTY_FILE
    assert sniff.file_problem(b"%PDF-1.7\n").code is ProblemCode.UNREADABLE_FILE
    assert Limits(max_bytes=1).file_problem(2, False).code is ProblemCode.FILE_TOO_LARGE
    assert Limits(max_rows=1).shape_problem(5, 2, True).template == "too_many_rows.about"
    read = ingest.read_table(b"PK\x03\x04 xl/ not really a workbook")
    assert isinstance(read.problems[0], Problem) and read.problems[0].code is ProblemCode.UNREADABLE_EXCEL


def test_validate_json_keeps_its_keys(capsys, tmp_path):
    path = tmp_path / "cells.csv"
    path.write_bytes(BAD_FILES["cells.csv"])
    main(["validate", str(path), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {
        "valid",
        "kind",
        "rows",
        "valid_rows",
        "encoding",
        "delimiter",
        "decimal",
        "source_format",
        "mapping",
        "extra_columns",
        "warnings",
        "problems",
        "problem_counts",  # every problem by code, listed or not (#15)
        "listed_per_kind",
    }
    assert report["problems"]
    assert sum(report["problem_counts"].values()) == len(report["problems"])  # a few problems: all listed
    for problem in report["problems"]:
        assert set(problem) == {"row", "column", "value", "message", "suggestion", "code", "field"}
        assert problem["message"].endswith(problem["suggestion"])  # the message says what to do too, as it did


@pytest.mark.parametrize(
    "module", ["sse_dash.limits", "sse_dash.sniff", "sse_dash.ingest.problems", "sse_dash.uploads"]
)
def test_each_module_imports_first(module):
    """`limits` and `sniff` build problems with the ingest package, which reads files with them: no cycle bites."""
    subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, check=True)


def test_the_ingest_modules_are_small_and_say_their_role():
    for path in (ROOT / "sse_dash" / "ingest").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) < 500, path
        assert ast.get_docstring(ast.parse(text)), path


FRENCH = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

msgid "'{field}' is empty in this row."
msgstr "« {field} » est vide dans cette ligne."

msgid "Year"
msgstr "Année"

msgid "empty required cell"
msgstr "cellule obligatoire vide"

msgid "The workbook's data expands to more than {limit_mb:,.0f} MB, the limit for one workbook."
msgstr "Les données du classeur dépassent {limit_mb:,.0f} Mo, la limite pour un classeur."

msgid "The sheet has at least {columns:,} columns; the limit is {limit:,}."
msgstr "La feuille a au moins {columns:,} colonnes ; la limite est de {limit:,}."

msgid "{count} row repeats an earlier row exactly (row {rows}). It is kept; remove it if it was entered twice."
msgid_plural ""
"{count} rows repeat an earlier row exactly (rows {rows}). They are kept; remove them if they were entered "
"twice."
msgstr[0] "{count} ligne répète exactement une ligne précédente (ligne {rows})."
msgstr[1] "{count} lignes répètent exactement une ligne précédente (lignes {rows})."
"""


@pytest.fixture
def french(tmp_path, monkeypatch):
    """A small French catalogue in place of the project's, and a way to run code in French."""
    yield use_catalogue(tmp_path, monkeypatch, "fr", FRENCH)
    translate.translations.cache_clear()


def test_a_problem_is_told_in_the_language_of_the_run_and_in_english_outside_one(french):
    params = {"name": "year", "fill_hint": "2021"}
    told = french(Problem.of, ProblemCode.MISSING_VALUE, params, row=3)
    assert told.message == "« Année » est vide dans cette ligne."
    assert (told.row, told.params["name"]) == (3, "year")  # the parameters stay as they are
    assert french(lambda: ProblemCode.MISSING_VALUE.label) == "cellule obligatoire vide"
    assert Problem.of(ProblemCode.MISSING_VALUE, params, row=3).message == "'Year' is empty in this row."
    assert ProblemCode.MISSING_VALUE.label == "empty required cell"


def test_notes_made_on_another_thread_are_in_the_language_of_the_run(french, data_file):
    result = french(ingest.ingest, (TEST_DATA / "usage_tabs.tsv").read_bytes(), catalogue=datasets.load_catalogue())
    assert "1 ligne répète exactement une ligne précédente (ligne 3)." in result.report.warnings


def test_a_hostile_workbook_read_apart_is_refused_in_the_language_of_the_run(french):
    """The workbook is read in a child process that knows no language: the refusal is written in French all the
    same, and still in English outside a run."""
    expanding = workbooks.expanding(24)
    apart = Limits(max_xlsx_expanded_mb=8, separate_process=True)
    problem = french(ingest.read_table, expanding, limits=apart).problems[0]
    assert problem.code is ProblemCode.WORKBOOK_TOO_LARGE and problem.template == "workbook_too_large"
    assert problem.message == "Les données du classeur dépassent 8 Mo, la limite pour un classeur."
    english = ingest.read_table(expanding, limits=apart).problems[0]
    assert english.message == "The workbook's data expands to more than 8 MB, the limit for one workbook."


def test_numbers_in_a_workbook_problem_are_written_in_the_language_of_the_run(french):
    far_right = workbooks.workbook(
        workbooks.sheet([workbooks.row_xml(1, ["a", "b"]), '<row r="2"><c r="XFD2"><v>1</v></c></row>'])
    )
    limits = Limits(max_columns=1_000)
    problem = french(ingest.read_table, far_right, limits=limits).problems[0]
    assert problem.message == "La feuille a au moins 16\u202f384 colonnes ; la limite est de 1\u202f000."
    english = ingest.read_table(far_right, limits=limits).problems[0]
    assert english.message == "The sheet has at least 16,384 columns; the limit is 1,000."


def test_numbers_are_written_in_the_language_of_the_run_and_as_before_in_english(french):
    rows = {"rows": 1_234_567, "limit": 1_000_000}
    assert render("too_many_rows", rows)[0] == "The file has 1,234,567 rows; the limit is 1,000,000 rows."
    assert french(render, "too_many_rows", rows)[0] == (
        "The file has 1\u202f234\u202f567 rows; the limit is 1\u202f000\u202f000 rows."
    )
    size = {"size_mb": 1234.56, "limit_mb": 200.0}
    assert render("file_too_large", size)[0] == "The file is 1,234.6 MB; the limit is 200 MB."
    assert french(render, "file_too_large", size)[0] == "The file is 1\u202f234,6 MB; the limit is 200 MB."
    # Years, row numbers and `{:g}` bounds are not grouped: 1800 stays 1800, in Persian digits in Persian.
    year = {"quoted": "'1700'", "earliest": 1800}
    assert french(render, "year_out_of_range", year)[0] == "'1700' is before 1800."
    bound = {"quoted": "'-5'", "name": "amount", "minimum": 1800.0}
    in_persian = in_language("fa", render, "negative_value", bound)
    assert "۱۸۰۰ " in in_persian[1] and "1800" not in in_persian[1]
    assert render("negative_value", {"quoted": "'-5'", "name": "amount", "minimum": 0.5})[1].startswith(
        "'Amount' must be 0.5 or more"
    )


def test_records_and_frames_of_problems_make_one_frame_sorted_by_row_then_column():
    from sse_dash.ingest.problems import problem_frame, records_frame

    def bad(row, column, value):
        return Problem.of(
            ProblemCode.INVALID_NUMBER,
            {"quoted": repr(value)},
            template="invalid_number.point",
            row=row,
            column=column,
            value=value,
        )

    empty = records_frame([])
    given = [bad(5, "amount", "x"), empty, bad(3, "year", "y"), records_frame([bad(3, "amount", "z")]), empty]
    given += [bad(2, "amount", "w"), bad(4, "amount", "v")]
    frame = problem_frame(given)
    assert list(zip(frame["row"], frame["column"], frame["value"], strict=True)) == [
        (2, "amount", "w"),
        (3, "amount", "z"),
        (3, "year", "y"),
        (4, "amount", "v"),
        (5, "amount", "x"),
    ]
    assert problem_frame([]).empty and problem_frame([empty, empty]).empty
    assert list(problem_frame([records_frame([bad(7, "amount", "u")])])["row"]) == [7]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (float("nan"), ""),
        (2.0, "2"),
        (1.5, "1.5"),
        (0.1 + 0.2, "0.3"),
        (1e20, "1e+20"),
        (5, "5"),
        ("7", "7"),
    ],
)
def test_a_cell_is_written_as_text_without_a_trailing_point_zero(value, text):
    from sse_dash.ingest.problems import cell_text

    assert cell_text(value) == text


def test_a_quoted_value_has_spaces_for_control_characters_and_is_cut_after_sixty_characters():
    from sse_dash.ingest.problems import quoted

    assert quoted("a\tb\nc\x7fd") == "'a b c d'"
    assert quoted("x" * 60) == "'" + "x" * 60 + "'"
    assert quoted("x" * 61) == "'" + "x" * 60 + "…'"
    assert quoted("abcdef", limit=3) == "'abc…'" and quoted(12) == "'12'"


def test_the_message_formatter_localises_whole_numbers_and_format_specs_and_leaves_the_rest_to_str_format():
    from sse_dash.ingest.problems import _FORMATTER

    def persian(text, **values):
        return in_language("fa", _FORMATTER.format, text, **values)

    assert persian("{row}", row=1800) == "۱۸۰۰"  # a bare whole number: local digits, not grouped
    assert persian("{share}", share=2.5) == "2.5"  # a bare fraction is written as str.format writes it
    assert persian("{done}", done=True) == "True"  # true/false is not a number
    assert persian("{name}", name="amount") == "amount"
    assert _FORMATTER.format("{n:>4}", n=7) == "   7"  # a spec that is not a number format: str.format's
    assert _FORMATTER.format("{n:,}", n=1234567) == "1,234,567"


@pytest.mark.parametrize(("code", "word"), [("en", "comma"), ("fr", "virgule"), ("es", "coma"), ("fa", "ویرگول")])
def test_a_row_with_too_many_cells_names_the_delimiter_in_the_language_of_the_run(code, word):
    from sse_dash import ingest

    data = b"org_id,country\nA,KEN\nB,KEN,stray\n"
    (problem,) = in_language(code, lambda: ingest.read_table(data).problems)
    assert problem.code == "too_many_cells" and problem.params["delimiter"] == word
    assert word in problem.suggestion and "comma" not in problem.suggestion.replace(word, "")
