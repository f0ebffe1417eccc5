"""The house rules of the code's shape: layers point one way, and imports sit at the top of a module."""

import ast
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
APPS = ("fundportal", "calls", "applications", "review")


def test_each_layer_imports_only_the_layers_below_it():
    """review → applications → calls → fundportal, as pyproject.toml's import-linter contract states."""
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def _imports_inside_functions(path):
    lines = path.read_text().splitlines()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    line, above = lines[inner.lineno - 1], lines[inner.lineno - 2].strip()
                    if "#" not in line and not above.startswith("#"):
                        yield f"{path.relative_to(ROOT)}:{inner.lineno}: {line.strip()}"


def test_no_import_hides_inside_a_function_without_its_reason_beside_it():
    """An import inside a function is allowed only where a comment beside it says why (e.g. an app's ready())."""
    hidden = [
        found
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for found in _imports_inside_functions(path)
    ]
    assert hidden == [], "\n".join(hidden)
