"""Problems are values: one enum of codes, each with a label and a message template, no joined strings (#13)."""

import ast
import contextvars
import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from apptest_helpers import TEST_DATA

from sse_dash import datasets, i18n, ingest, sniff, xlsx
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
    # The workbook reader runs apart as a script: its problems arrive as text (template "as_read").
    told_by_the_workbook_reader = {ProblemCode.UNREADABLE_EXCEL, ProblemCode.WORKBOOK_TOO_LARGE}
    for code in set(ProblemCode) - told_by_the_workbook_reader:
        assert any(template.split(".")[0] == code.value for template in TEMPLATES), code
    for template in TEMPLATES:
        if template != "as_read":
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


def test_every_code_written_in_the_code_base_is_a_member():
    """Codes are written as `ProblemCode.X` everywhere but in the workbook reader, which runs apart as a script."""
    members = {code.value for code in ProblemCode}
    for path in (ROOT / "sse_dash").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ProblemCode":
                assert node.attr in ProblemCode.__members__, (path, node.attr)
    tree = ast.parse(Path(xlsx.__file__).read_text(encoding="utf-8"))
    written = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "_Stop"
        and isinstance(node.args[0], ast.Constant)
    } | {
        node.elts[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Tuple)
        and node.elts
        and isinstance(node.elts[0], ast.Constant)
        and str(node.elts[0].value).startswith(("unreadable_", "not_enough_"))
    }
    assert written and written <= members, written - members


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
    }
    assert report["problems"]
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
    po = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(FRENCH, encoding="utf-8")
    monkeypatch.setattr(translate, "LOCALES_DIR", tmp_path)
    translate.translations.cache_clear()

    def run(function, *args, **kwargs):
        def in_french():
            i18n.use_language("fr")
            return function(*args, **kwargs)

        return contextvars.copy_context().run(in_french)

    yield run
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
