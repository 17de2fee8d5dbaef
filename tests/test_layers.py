"""The layer rules hold on every `make test`, not only under `make lint`: connectors import
nothing from dashboard, only the app's modules import Streamlit (the import-linter contracts
in pyproject.toml, run here as they are there), and the command modules
(dashboard/commands/) are imported by dashboard/cli.py alone."""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import cli
from tests.conftest import ROOT

pytest.importorskip("importlinter", reason="import-linter is in requirements.txt (# lint)")

# The lint-imports beside this interpreter (the venv's), else the one on PATH.
LINT_IMPORTS = next((str(p) for p in [Path(sys.executable).parent / "lint-imports"]
                     if p.is_file()), shutil.which("lint-imports") or "lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    """import-linter over the packages under `root`, with root's pyproject.toml."""
    return subprocess.run([LINT_IMPORTS, "--config", str(root / "pyproject.toml"), "--no-cache",
                           "--no-logo"],
                          cwd=root, capture_output=True, text=True, timeout=120)


def _copy_of_the_tree(tmp_path: Path) -> Path:
    for name in ("connectors", "dashboard"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__", "demo_data", "reference"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_import_contracts_are_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module, line, contract", [
    ("connectors/local.py", "from dashboard.clock import now", "connectors import nothing from dashboard"),
    ("dashboard/figures.py", "import streamlit as st", "only the app's modules import streamlit"),
    ("connectors/base.py", "import streamlit", "only the app's modules import streamlit"),
    ("dashboard/reports/pack.py", "from dashboard.app import ui", "only the app's modules import streamlit"),
    ("dashboard/official/mp_map.py", "import dashboard.commands.pack", "command handlers are the CLI's alone"),
])
def test_a_broken_layer_is_reported(tmp_path, module, line, contract):
    """The contracts catch a violation (so a kept contract above means something)."""
    root = _copy_of_the_tree(tmp_path)
    path = root / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = _lint_imports(root)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout, result.stdout


# -- command handlers are the CLI's alone --------------------------------------------------
def _product_files(root: Path) -> list[Path]:
    return sorted([*root.glob("dashboard/**/*.py"), *root.glob("connectors/**/*.py"),
                   *root.glob("pages/**/*.py"), root / "streamlit_app.py"])


def _handler_uses(path: Path) -> list[str]:
    """Places in `path` that name a command handler (`cmd_*`) other than defining it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = (node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute)
                else None)
        names = [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else [name]
        found += [f"{path.name}:{node.lineno} {n}" for n in names if n and n.startswith("cmd_")]
    return found


def test_command_handlers_are_called_from_the_cli_alone():
    uses = [u for p in _product_files(ROOT) if p != ROOT / "dashboard" / "cli.py"
            for u in _handler_uses(p)]
    assert uses == [], f"only dashboard/cli.py calls a command handler: {uses}"


def test_every_command_handler_is_registered_in_the_cli():
    defined = {f"{p.relative_to(ROOT).with_suffix('').as_posix().replace('/', '.')}:{node.name}"
               for p in _product_files(ROOT)
               for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
               if isinstance(node, ast.FunctionDef) and node.name.startswith("cmd_")}
    assert defined and defined == set(cli.HANDLERS.values())


def test_the_handler_scan_finds_a_call(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from dashboard.commands.check import cmd_check\nimport dashboard.reports.pack as p\n"
                      "def cmd_local(args):\n    return p.cmd_pack(args)\n")
    assert [u.split()[1] for u in _handler_uses(sample)] == ["cmd_check", "cmd_pack"]


def test_test_modules_do_not_import_each_other():
    """Shared fixtures live in tests/conftest.py; shared data and helpers in modules that are
    not tests (tests/fixtures.py, app_helpers.py, google_standin.py, csv_sources.py)."""
    found = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            found += [f"{path.name}:{node.lineno} {n}" for n in names
                      if n.startswith("tests.test_") or n.startswith("test_")]
    assert found == []


def test_chromium_is_launched_in_one_place():
    """tests/browser.py opens the browser; tests call its chromium() helper."""
    launches = [p.name for p in sorted((ROOT / "tests").glob("*.py"))
                if "chromium.launch(" in p.read_text(encoding="utf-8") and p.name != "browser.py"
                and p.name != "test_layers.py"]
    assert launches == []


# -- the contracts cover the whole tree ----------------------------------------------------
def _contract(name: str) -> dict:
    import tomllib
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return next(c for c in config["tool"]["importlinter"]["contracts"] if c["name"] == name)


def _modules_under_dashboard() -> set[str]:
    """Every top-level module and sub-package of dashboard/ (a sub-package counts once)."""
    found = {f"dashboard.{p.stem}" for p in (ROOT / "dashboard").glob("*.py")
             if p.stem not in ("__init__", "__main__")}
    return found | {f"dashboard.{p.parent.name}" for p in (ROOT / "dashboard").glob("*/__init__.py")}


@pytest.mark.parametrize("contract, outside", [
    ("only the app's modules import streamlit", {"dashboard.app"}),
    ("command handlers are the CLI's alone", {"dashboard.commands", "dashboard.cli"}),
])
def test_every_module_is_under_the_layer_contracts(contract, outside):
    """The contracts list their modules by name, so a new module must be added to them:
    this fails until it is (the app's package and the CLI's are the only ones outside)."""
    listed = set(_contract(contract)["source_modules"])
    assert _modules_under_dashboard() - outside - listed == set()
    assert "connectors" in listed and not listed & outside


def test_only_the_cli_imports_the_commands():
    """Pages, the entry script and every module outside dashboard/commands/ leave the
    command modules to dashboard/cli.py (import-linter cannot see pages/, not a package)."""
    found = []
    for path in _product_files(ROOT):
        if path.parent == ROOT / "dashboard" / "commands" or path == ROOT / "dashboard" / "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            found += [f"{path.relative_to(ROOT)}:{node.lineno}" for n in names
                      if n == "dashboard.commands" or n.startswith("dashboard.commands.")]
    assert found == []
