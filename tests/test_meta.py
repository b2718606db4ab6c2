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


def imported_modules(path: Path) -> list[str]:
    """Every module a Python file imports, at any depth (`import a.b`, `from a.b import c`)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
    return names


def package_files() -> list[Path]:
    return sorted((ROOT / "sse_dash").rglob("*.py"))


def test_only_ui_imports_streamlit():
    """Streamlit is imported by app.py, pages/ and the package `sse_dash/ui/` only."""
    ui = ROOT / "sse_dash" / "ui"
    for path in package_files():
        if ui in path.parents:
            continue
        # The benchmark drives the pages with AppTest like a test does; it draws nothing itself.
        allowed = {"streamlit.testing.v1"} if path.name == "bench.py" else set()
        names = imported_modules(path)
        assert not any((n == "streamlit" or n.startswith("streamlit.")) and n not in allowed for n in names), path


def test_the_runtime_package_never_imports_playwright():
    """Playwright is a development dependency: the browser driver and the load test live in tools/."""
    for path in package_files():
        assert not any(n == "playwright" or n.startswith("playwright.") for n in imported_modules(path)), path


def test_only_config_reads_the_environment():
    """Every setting is read in sse_dash/config.py; no other module of the package looks at os.environ."""
    for path in package_files():
        if path.relative_to(ROOT).as_posix() == "sse_dash/config.py":
            continue
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\bos\.(environ|getenv|putenv)\b|\bfrom os import\b", source), path


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


def test_the_tables_own_toolbar_cannot_export():
    """Streamlit's table toolbar writes cells as they are (live formulas); the app's own downloads neutralise them.
    tests/test_browser_tables.py shows it in a browser; this holds the setting where no browser runs."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


def test_pyproject_declares_the_pinned_requirements_and_the_console_script():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def pins(name: str) -> list[str]:
        lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
        return [line.strip() for line in lines if line.strip() and not line.startswith(("#", "-r"))]

    assert project["dependencies"] == pins("requirements.txt")
    assert project["optional-dependencies"]["dev"] == pins("requirements-dev.txt")
    assert project["scripts"]["sse-dash"] == "sse_dash.cli:main"


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
