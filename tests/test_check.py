"""`python -m dashboard check SOURCE`: exit 0 clean, 1 with errors, 2 unreadable."""
from dashboard.cli import main
from tests import messy_coalition as messy


def test_clean_source_exits_0(tmp_path, capsys):
    messy.build(tmp_path)
    assert main(["check", str(tmp_path / "tcs")]) == 0       # warnings only
    out = capsys.readouterr().out
    assert "0 error(s)" in out and "[WARNING] Media / row 2 / Reach" in out
    assert "How to fix: Write a whole number" in out


def test_source_with_errors_exits_1_and_says_how_to_fix(tmp_path, capsys):
    messy.build(tmp_path)
    assert main(["check", str(tmp_path / "ncb.xlsx")]) == 1
    out = capsys.readouterr().out
    assert "[ERROR] Attendees / row 8 / Status" in out
    assert "How to fix: Fill in Status" in out
    # errors are listed before warnings and notes
    assert out.index("[ERROR]") < out.index("[WARNING]") < out.index("[NOTE]")


def test_unreadable_source_exits_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and len(err.strip().splitlines()) == 1


def test_corrupt_workbook_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip file")
    assert main(["check", str(bad)]) == 2
    assert "not a readable .xlsx" in capsys.readouterr().err
