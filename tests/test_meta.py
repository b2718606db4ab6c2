"""Project habits: one-way dependencies, the README's two commands, CI runs the README's test command."""

import ast
import re
from pathlib import Path

from sse_dash.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", section, flags=re.DOTALL)
    return [
        line.strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def test_only_ui_imports_streamlit():
    for path in (ROOT / "sse_dash").rglob("*.py"):
        if path.name == "ui.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            # The benchmark drives the pages with AppTest like a test does; it draws nothing itself.
            allowed = {"streamlit.testing.v1"} if path.name == "bench.py" else set()
            assert not any((n == "streamlit" or n.startswith("streamlit.")) and n not in allowed for n in names), path


def test_readme_quickstart_has_exactly_two_commands():
    commands = quickstart_commands()
    assert len(commands) == 2, commands
    assert "streamlit run app.py" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_exactly():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quickstart_commands()[1] in ci.splitlines()


def test_every_cli_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert f"python -m sse_dash {name}" in readme, name


def test_changelog_bullets_name_an_issue():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    bullets = re.findall(r"^- .*?(?=^- |^#|\Z)", changelog, flags=re.MULTILINE | re.DOTALL)
    assert bullets and all(re.search(r"#\d+", line) for line in bullets)


def test_ruff_lint_and_format_are_clean():
    import subprocess
    import sys

    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_no_subprocess_outlives_the_pytest_timeout_of_its_test():
    """A subprocess limit longer than the test's own pytest-timeout would never be reached: the test dies first."""
    import importlib
    import tomllib

    default = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    checked = 0
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("subprocess.run", "subprocess.check_output")
        ]
        limits = [k.value for call in calls for k in call.keywords if k.arg == "timeout"]
        if not limits:
            continue
        module = importlib.import_module(path.stem)
        mark = getattr(module, "pytestmark", None)
        allowed = mark.args[0] if mark is not None and mark.name == "timeout" else default["timeout"]
        for limit in limits:
            seconds = ast.literal_eval(limit) if isinstance(limit, ast.Constant) else getattr(module, limit.id)
            assert seconds < allowed, (path.name, seconds, allowed)
            checked += 1
    assert checked >= 2  # the benchmark and the load test at least
