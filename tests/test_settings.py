"""The environment registry drives the code, the README and the deploy example, and a
mistyped value stops the CLI and the app with words instead of changing what they do."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cli, docs, settings

from dashboard.access import links
from tests.conftest import ROOT


def product_files(root: Path) -> list[Path]:
    """Every module of the product under `root`, sub-packages included (so a module moved
    into one is still scanned)."""
    return sorted([*root.glob("dashboard/**/*.py"), *root.glob("connectors/**/*.py"),
                   *root.glob("pages/**/*.py"), root / "streamlit_app.py"])


PRODUCT = product_files(ROOT)
VARIABLE = re.compile(r"^(?:DASHBOARD|GOOGLE|ARROW|OPENBLAS)_[A-Z_]+$")


def _constants(path: Path) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and VARIABLE.match(node.value)}


def _environment_reads(path: Path) -> list[str]:
    """Places that read the environment directly: os.environ.get / [..] / `in`, os.getenv."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "getenv":
            found.append(f"{path.name}:{node.lineno} os.getenv")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("get", "pop", "setdefault") \
                and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "environ":
            found.append(f"{path.name}:{node.lineno} environ.{node.func.attr}")
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) \
                and isinstance(node.value, ast.Attribute) and node.value.attr == "environ":
            found.append(f"{path.name}:{node.lineno} environ[...]")
        if isinstance(node, ast.Compare) and any(
                isinstance(c, ast.Attribute) and c.attr == "environ" for c in node.comparators):
            found.append(f"{path.name}:{node.lineno} ... in environ")
    return found


def test_readme_table_is_the_registry():
    assert docs.block(docs.README, docs.ENV_BEGIN, docs.ENV_END).strip() == \
        docs.render_settings().strip(), "README.md is out of date: run `python -m dashboard.docs`"


def test_only_the_registry_reads_the_environment():
    reads = [r for p in PRODUCT if p.name != "settings.py" for r in _environment_reads(p)]
    assert reads == [], f"read these through dashboard.settings.value(): {reads}"
    # The scan itself finds a direct read (so an empty list above means something).
    sample = ROOT / "tests" / "_environment_read_sample.py"
    try:
        sample.write_text("import os\nx = os.environ.get('DASHBOARD_X')\ny = 'A' in os.environ\n")
        assert len(_environment_reads(sample)) == 2
    finally:
        sample.unlink()


def test_the_scan_reaches_modules_in_sub_packages(tmp_path):
    """A module in a sub-package of dashboard/ or connectors/ is scanned: a direct read
    there is found, as is a variable it names."""
    for name in ("dashboard/app/data.py", "connectors/google/sheets.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("import os\nx = os.environ.get('DASHBOARD_X')\n")
    (tmp_path / "streamlit_app.py").write_text("")
    files = product_files(tmp_path)
    for name in ("dashboard/app/data.py", "connectors/google/sheets.py"):
        assert tmp_path / name in files, f"{name} is not scanned"
    assert sum(len(_environment_reads(p)) for p in files) == 2
    assert {n for p in files for n in _constants(p)} == {"DASHBOARD_X"}


def test_every_variable_named_in_the_code_is_registered_and_every_registered_one_is_used():
    named = {}
    for path in PRODUCT:
        for name in _constants(path):
            named.setdefault(name, set()).add(path.name)
    unregistered = {n: sorted(p) for n, p in named.items() if n not in settings.BY_NAME}
    assert unregistered == {}, "add these to dashboard/settings.py"
    used_outside = {n for n, paths in named.items() if paths - {"settings.py"}}
    assert set(settings.BY_NAME) <= used_outside, \
        f"registered but never read: {sorted(set(settings.BY_NAME) - used_outside)}"


def test_asking_for_an_unregistered_variable_fails_loudly():
    with pytest.raises(KeyError):
        settings.value("DASHBOARD_NOT_A_SETTING")


def test_the_link_secret_rule_in_the_readme_is_the_one_enforced():
    assert f"at least {links.MIN_SECRET_LENGTH} characters" in \
        settings.BY_NAME["DASHBOARD_LINK_SECRET"].values


def test_deploy_env_example_sets_only_registered_variables_to_allowed_values(monkeypatch):
    lines = (ROOT / "deploy" / "coalition-dashboard.env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")]
    assert pairs, "the example sets nothing"
    for name, text in pairs:
        assert name in settings.BY_NAME, f"{name} is not a setting the dashboard reads"
        monkeypatch.setenv(name, text)
    assert settings.problems() == []
    assert settings.choice("DASHBOARD_APP_READS", "sources") == "store"


@pytest.mark.parametrize("name, text", [
    ("DASHBOARD_APP_READS", "stores"),
    ("DASHBOARD_LOG_LEVEL", "verbose"),
    ("ARROW_DEFAULT_MEMORY_POOL", "tcmalloc"),
    ("DASHBOARD_NOW", "23/06/2022 09:00"),
])
def test_a_mistyped_value_is_a_problem_naming_the_variable_and_what_to_write(monkeypatch, name, text):
    monkeypatch.setenv(name, text)
    [problem] = settings.problems()
    assert problem.startswith(f"{name} is '{text}'")
    setting = settings.BY_NAME[name]
    for allowed in setting.choices:
        assert allowed in problem
    with pytest.raises(settings.SettingError, match=name):
        settings.check_environment()


def test_values_are_read_without_spaces_and_choices_in_any_case(monkeypatch):
    monkeypatch.setenv("DASHBOARD_APP_READS", "  Store ")
    monkeypatch.setenv("DASHBOARD_LOG_LEVEL", "info")
    assert settings.problems() == []
    assert settings.choice("DASHBOARD_APP_READS", "sources") == "store"
    monkeypatch.setenv("DASHBOARD_APP_READS", "   ")
    assert settings.choice("DASHBOARD_APP_READS", "sources") == "sources"


def test_every_problem_is_reported_at_once(monkeypatch):
    monkeypatch.setenv("DASHBOARD_APP_READS", "stores")
    monkeypatch.setenv("DASHBOARD_LOG_LEVEL", "loud")
    with pytest.raises(settings.SettingError) as err:
        settings.check_environment()
    assert "DASHBOARD_APP_READS" in str(err.value) and "DASHBOARD_LOG_LEVEL" in str(err.value)


def test_cli_stops_with_one_line_and_exit_2_before_reading(monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_APP_READS", "stores")
    assert cli.main(["summary", "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("setting error: DASHBOARD_APP_READS is 'stores'")


def test_cli_takes_a_lower_case_log_level(monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_LOG_LEVEL", "error")
    assert cli.main(["summary", "--json"]) == 0
    assert capsys.readouterr().out.startswith("{")


def _shown(at: AppTest) -> str:
    """The text on screen: markdown escapes (\\' for ') render as the plain character."""
    return re.sub(r"\\(.)", r"\1", "\n".join(
        str(e.value) for kind in ("title", "error", "markdown") for e in getattr(at, kind)))


def test_app_says_which_variable_is_wrong_and_shows_nothing_else(monkeypatch, fresh_app):
    monkeypatch.setenv("DASHBOARD_APP_READS", "stores")
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["The dashboard is not set up correctly"]
    assert "DASHBOARD_APP_READS is 'stores'; use one of: sources, store" in _shown(at)
    assert not at.metric and not at.dataframe


def test_app_shows_a_broken_config_in_words_not_a_traceback(monkeypatch, tmp_path, fresh_app):
    bad = tmp_path / "coalition.toml"
    bad.write_text("[campaign]\nstart = 2022-06-01\n", encoding="utf-8")      # no end date
    monkeypatch.setenv("DASHBOARD_CONFIG", str(bad))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    assert not at.exception
    assert "[campaign] needs start and end dates" in _shown(at)
    assert not at.metric and not at.dataframe
