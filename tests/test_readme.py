"""Every command line in the README's `sh` blocks runs as written, in a fresh copy of the
repository, as a new user pastes it at the root after `make run` or `make test`.

The copy holds what a clone would (the files git tracks, plus new files not ignored) and
reuses the built environment through a `.venv` symlink. `make run`, `make test` and
`make lint` are the commands that build that environment (each installs requirements.txt
into .venv when it is newer): the only lines not run here (one serves until stopped, one
is this suite, and `.ci/run` runs the lint; here it would install into the shared .venv).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dashboard.settings import SETTINGS
from tests.conftest import ROOT

BUILDS_THE_ENVIRONMENT = {"make run", "make test", "make lint"}
SECRET = "readme-test-secret-" + "x" * 32       # the README says `link` needs one


def readme_command_lines(text: str) -> list[str]:
    """The command lines of every ```sh block, in order (comment-only lines dropped)."""
    lines = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M):
        for line in block.splitlines():
            if line.strip() and not line.strip().startswith("#"):
                lines.append(line.strip())
    return lines


def _command(line: str) -> str:
    """The line without its trailing comment (for matching `make run` only)."""
    return line.split("  #", 1)[0].strip()


def test_readme_command_lines_are_found():
    lines = readme_command_lines((ROOT / "README.md").read_text(encoding="utf-8"))
    assert {_command(line) for line in lines} >= BUILDS_THE_ENVIRONMENT
    assert sum(".venv/bin/python -m dashboard" in line for line in lines) >= 10
    # a line that names the interpreter bare would fail on a fresh machine
    assert not [line for line in lines if re.match(r"python3? ", line)]


@pytest.fixture
def fresh_copy(tmp_path) -> Path:
    if shutil.which("git") is None or not (ROOT / ".venv" / "bin" / "python").exists():
        pytest.skip("needs git and the built .venv (make test builds it)")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    copy = tmp_path / "repo"
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to((ROOT / ".venv").resolve())
    return copy


def test_every_readme_command_runs_as_written(fresh_copy):
    lines = readme_command_lines((fresh_copy / "README.md").read_text(encoding="utf-8"))
    env = {k: v for k, v in os.environ.items() if k not in {s.name for s in SETTINGS}}
    env["DASHBOARD_LINK_SECRET"] = SECRET
    ran = []
    for line in lines:
        if _command(line) in BUILDS_THE_ENVIRONMENT:
            continue
        done = subprocess.run(["bash", "-c", line], cwd=fresh_copy, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, f"{line}\nexit {done.returncode}\n{done.stderr[-2000:]}"
        assert "Traceback" not in done.stderr, f"{line}\n{done.stderr[-2000:]}"
        ran.append(line)
    assert len(ran) == len(lines) - len(BUILDS_THE_ENVIRONMENT)
    # what the commands promised is there: files written, the link listed then revoked
    assert list((fresh_copy / "out" / "pack").glob("meeting-pack-*.html"))
    assert (fresh_copy / "out" / "our-sheet.xlsx").is_file()
    listed = subprocess.run(["bash", "-c", ".venv/bin/python -m dashboard link list"],
                            cwd=fresh_copy, env=env, capture_output=True, text=True, timeout=120)
    assert "Chair of trustees" in listed.stdout and "revoked" in listed.stdout
