"""The summary JSON (figures and every issue, in order) of the hand-worked messy coalition
and of a small generated one is what the code gave before the coalition-scale speed-ups
(issue 21): those changes must not move a figure, an issue or its wording.

The expected files in tests/golden/ were written by the code before the change. A change
that is meant to alter figures or issues rewrites them, and the diff shows what moved:

    .venv/bin/python -m tests.test_summary_unchanged --write
"""
import json
import sys
from pathlib import Path

import pytest

from benchmarks.generate import generate
from dashboard.config import load_config
from dashboard.pipeline import load_coalition
from dashboard.summary import build_summary
from tests import messy_coalition as messy

GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = "2022-07-25T12:00:00+00:00"
# Small enough to keep the expected file short; several charities, so memos shared
# between charities (parsed texts, constituency verdicts) are used.
GENERATED = dict(charities=4, attendees=150, meetings=120, pledges=40, media=40, seed=2021)


def _summary(config: Path) -> dict:
    """The summary, plus each issue's code (the contract's issue list leaves it out)."""
    coalition = load_coalition(load_config(config))
    summary = {**build_summary(coalition), "issue_codes": [i.code for i in coalition.issues]}
    return json.loads(json.dumps(summary, default=str, ensure_ascii=False))


def _coalitions(root: Path) -> dict[str, Path]:
    (root / "messy").mkdir()
    return {"messy": messy.build(root / "messy"),
            "generated": generate(root / "generated", **GENERATED)}


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setenv("DASHBOARD_NOW", NOW)


@pytest.mark.parametrize("name", ["messy", "generated"])
def test_summary_and_issues_are_what_they_were(name, tmp_path, fixed_clock):
    expected = json.loads((GOLDEN / f"summary_{name}.json").read_text(encoding="utf-8"))
    got = _summary(_coalitions(tmp_path)[name])
    assert got["coalition"] == expected["coalition"]
    assert got["charities"] == expected["charities"]
    assert got["issue_codes"] == expected["issue_codes"]
    assert len(got["issues"]) == len(expected["issues"])
    for i, (g, e) in enumerate(zip(got["issues"], expected["issues"])):
        assert g == e, f"issue {i} differs"
    assert got == expected


def test_the_expected_summaries_hold_the_constituency_verdicts():
    """So the comparison covers the checks the speed-ups changed: unknown seats and MPs
    who are not the seat's (messy), parties filled from the seat (both)."""
    codes = {name: set(json.loads((GOLDEN / f"summary_{name}.json").read_text())["issue_codes"])
             for name in ("messy", "generated")}
    assert {"unknown_constituency", "mp_not_for_constituency",
            "filled_from_constituency"} <= codes["messy"]
    assert "filled_from_constituency" in codes["generated"]


def _write() -> None:
    import os
    import tempfile
    os.environ["DASHBOARD_NOW"] = NOW
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, config in _coalitions(Path(tmp)).items():
            text = json.dumps(_summary(config), ensure_ascii=False, indent=1, sort_keys=True)
            (GOLDEN / f"summary_{name}.json").write_text(text + "\n", encoding="utf-8")
            print("wrote", GOLDEN / f"summary_{name}.json")


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    _write()
