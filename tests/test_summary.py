"""The summary of a seven-charity set with every mess in the contract gives exactly the
contract's figures, through the library and through `python -m dashboard summary --json`."""
import io
import json
import shutil
import subprocess
import sys

import pytest

from dashboard.cli import main
from dashboard.config import load_config
from dashboard.pipeline import load_coalition
from dashboard.summary import build_summary, issue_json, summary_json
from tests import messy_coalition as messy
from tests.conftest import ROOT


@pytest.fixture
def messy_config(tmp_path):
    return messy.build(tmp_path)


def test_figures_per_charity_and_coalition(messy_config):
    summary = build_summary(load_coalition(load_config(messy_config)))
    assert summary["coalition"] == messy.EXPECTED_COALITION
    got = {c["name"]: {k: c[k] for k in messy.F} for c in summary["charities"]}
    assert got == messy.EXPECTED_CHARITIES
    assert [c["name"] for c in summary["charities"]] == list(messy.EXPECTED_CHARITIES)


def test_statuses_and_issue_counts(messy_config):
    summary = build_summary(load_coalition(load_config(messy_config)))
    status = {c["name"]: c["status"] for c in summary["charities"]}
    assert status["Barnardo's"] == "error"
    assert {s for n, s in status.items() if n != "Barnardo's"} == {"ok"}
    for c in summary["charities"]:
        mine = [i for i in summary["issues"] if i["charity"] == c["name"]]
        assert c["errors"] == sum(i["severity"] == "error" for i in mine)
        assert c["warnings"] == sum(i["severity"] == "warning" for i in mine)


def test_every_mess_is_reported_with_its_row(messy_config):
    coalition = load_coalition(load_config(messy_config), extra_checks=())
    found = {(i.charity, i.tab, i.row, i.column, i.severity, i.code) for i in coalition.issues}
    missing = messy.EXPECTED_ISSUES - found
    assert not missing, missing


def test_error_rows_are_listed_not_dropped(messy_config):
    coalition = load_coalition(load_config(messy_config), extra_checks=())
    errors = [i for i in coalition.issues if i.severity == "error" and i.row is not None]
    assert errors and all(i.message.startswith(f"Row {i.row}") for i in errors)


def test_summary_json_shape(messy_config, capsys):
    assert main(["summary", "--config", str(messy_config), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"generated_at", "coalition", "charities", "issues"}
    assert list(data["coalition"]) == list(messy.F)
    assert set(data["charities"][0]) == {"name", "status", "as_of", "errors", "warnings", *messy.F}
    assert set(data["issues"][0]) == {"charity", "tab", "row", "column", "severity", "message"}
    assert data["coalition"] == messy.EXPECTED_COALITION


def test_summary_json_text_is_the_summary(messy_config):
    """The command's JSON (one issue per line, for speed) reads back as build_summary's dict."""
    summary = build_summary(load_coalition(load_config(messy_config)))
    assert summary["issues"] and json.loads(summary_json(summary)) == summary
    assert json.loads(summary_json({**summary, "issues": []})) == {**summary, "issues": []}


_AWKWARD_TEXTS = ['say "hi"', "back\\slash \\", "tab\tnew\nline\rcr\x00\x1f\x7f", "café 💷 ½ ﬁ",
                  "\u2028line\u2029para", "\ud800 lone surrogate", "", " ", "=SUM(A1)", "#REF!",
                  '}, {"charity": "x"', "<script>&amp;</script>", "/slash/"]


@pytest.mark.parametrize("text", _AWKWARD_TEXTS)
def test_an_issue_is_written_as_json_dumps_writes_it(text):
    issue = {"charity": text, "tab": text, "row": 7, "column": text, "severity": "error",
             "message": text + " Fix it."}
    assert issue_json(issue) == json.dumps(issue, ensure_ascii=False)
    blank = {"charity": text, "tab": None, "row": None, "column": None, "severity": "note",
             "message": text}
    assert issue_json(blank) == json.dumps(blank, ensure_ascii=False)


@pytest.mark.parametrize("issue", [
    {"charity": "A", "tab": "Media", "row": True, "column": None, "severity": "note", "message": "m"},
    {"charity": "A", "tab": "Media", "row": 1.5, "column": None, "severity": "note", "message": "m"},
    {"charity": "A", "tab": "Media", "row": 10**30, "column": -1, "severity": "note", "message": ""},
    {"tab": "Media", "charity": "A", "row": 1, "column": None, "severity": "note", "message": "m"},
    {"charity": "A", "tab": "Media", "row": 1, "column": None, "severity": "note"},
    {"charity": "A", "tab": "Media", "row": 1, "column": None, "severity": "note", "message": "m",
     "link": "https://docs.google.com/x"},
    {"charity": "A", "tab": ["Media"], "row": 1, "column": {"a": 1}, "severity": "note", "message": "m"},
])
def test_an_issue_of_other_shapes_or_values_is_written_as_json_dumps_writes_it(issue):
    assert issue_json(issue) == json.dumps(issue, ensure_ascii=False)


def test_the_command_writes_the_summary_json_text_piece_by_piece(messy_config, capsys, monkeypatch):
    """`summary --json` writes the text as it is made (so the whole text and the typed
    frames are never held together): the same text as summary_json, one issue a line."""
    monkeypatch.setenv("DASHBOARD_NOW", "2022-07-25T12:00:00+00:00")
    assert main(["summary", "--config", str(messy_config), "--json"]) == 0
    written = capsys.readouterr().out
    summary = build_summary(load_coalition(load_config(messy_config)))
    assert written == summary_json(summary) + "\n"
    issue_lines = [line for line in written.splitlines() if line.startswith('    {"charity": ')]
    assert len(issue_lines) == len(summary["issues"]) > 1
    assert [json.loads(line.rstrip(",")) for line in issue_lines] == summary["issues"]


def test_pieces_hold_every_part_in_order_and_few_writes_are_made():
    """write_in_pieces joins parts into pieces of about `size` characters: the same text,
    one write per piece (not per part), and the last short piece still written."""
    from dashboard.commands.summary import write_in_pieces

    class Recorded(io.StringIO):
        def __init__(self):
            super().__init__()
            self.pieces = []

        def write(self, text):
            self.pieces.append(text)
            return super().write(text)

    parts = [f"part {i}\n" for i in range(1000)]       # 7-9 characters each
    stream = Recorded()
    write_in_pieces(stream, iter(parts), size=100)
    assert stream.getvalue() == "".join(parts)
    assert all(100 <= len(piece) < 109 for piece in stream.pieces[:-1])
    assert 0 < len(stream.pieces[-1]) < 109 and len(stream.pieces) < 100
    nothing = Recorded()
    write_in_pieces(nothing, iter([]))
    assert nothing.pieces == []


def test_summary_human_output(messy_config, capsys):
    """Each coalition figure on its label's line, and each charity's line with its status."""
    from dashboard.contract import FIGURE_LABELS

    assert main(["summary", "--config", str(messy_config)]) == 0
    lines = capsys.readouterr().out.splitlines()
    for key, value in messy.EXPECTED_COALITION.items():
        line = next(x for x in lines if x.strip().startswith(FIGURE_LABELS[key]))
        assert line.split()[-1] == f"{value:,}", key
    barnardos = next(x for x in lines if x.startswith("Barnardo's"))
    assert barnardos.split()[1] == "error"


def test_generated_at_follows_dashboard_now(messy_config, monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-23T09:00:00+01:00")
    main(["summary", "--config", str(messy_config), "--json"])
    assert json.loads(capsys.readouterr().out)["generated_at"] == "2022-06-23T09:00:00+01:00"


def test_unusable_config_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[campaign]\nname='x'\n")
    proc = subprocess.run([sys.executable, "-m", "dashboard", "summary", "--config", str(bad), "--json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "start and end" in proc.stderr


def test_missing_config_exits_2(tmp_path):
    assert main(["summary", "--config", str(tmp_path / "nope.toml")]) == 2


def test_unknown_command_exits_2():
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_one_log_line_per_source_and_no_cell_content(messy_config, caplog):
    import logging
    with caplog.at_level(logging.INFO, logger="dashboard.sources"):
        load_coalition(load_config(messy_config))
    lines = [r.getMessage() for r in caplog.records if r.name == "dashboard.sources"]
    assert len(lines) == len(messy.EXPECTED_CHARITIES)
    for charity in messy.EXPECTED_CHARITIES:
        assert sum(repr(charity) in line for line in lines) == 1
    text = "\n".join(lines)
    assert all(w in text for w in ("duration=", "api_calls=", "outcome="))
    for cell in ("NCB-1", "Jane Smith", "javascript", "Bristol", "1,200,000"):
        assert cell not in text


def test_summary_opens_the_store_only_when_a_source_cannot_be_read(tmp_path, monkeypatch, capsys):
    """Every source read: no database file, SQLAlchemy never imported (a new process). A
    source that cannot be read: its last good read, stored by `refresh`, is served stale."""
    from tests.conftest import ROOT

    config = ROOT / "dashboard" / "demo_data" / "coalition.toml"
    db = tmp_path / "summary-store.sqlite"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
           "DASHBOARD_STORAGE_URL": f"sqlite:///{db}"}
    probe = ("import sys, runpy; sys.argv = ['dashboard', 'summary', '--json', '--config', "
             f"{str(config)!r}]\n"
             "try:\n    runpy.run_module('dashboard', run_name='__main__')\n"
             "except SystemExit as e:\n    assert not e.code, e.code\n"
             "print('SQLALCHEMY', 'sqlalchemy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.rstrip().endswith("SQLALCHEMY False")
    assert not db.exists()

    # A coalition of local folders: refreshed once, then one charity's folder disappears.
    (tmp_path / "messy").mkdir()
    messy_config = messy.build(tmp_path / "messy")
    monkeypatch.setenv("DASHBOARD_STORAGE_URL", f"sqlite:///{db}")
    assert main(["refresh", "--config", str(messy_config)]) == 0
    capsys.readouterr()
    gone = load_config(messy_config).charities[1]           # Action for Children: a folder
    shutil.rmtree(messy_config.parent / gone.source)
    assert main(["summary", "--config", str(messy_config), "--json"]) == 0
    status = {c["name"]: c["status"] for c in json.loads(capsys.readouterr().out)["charities"]}
    assert status[gone.name] == "stale"
