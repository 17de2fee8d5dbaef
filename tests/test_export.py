"""`export`: hostile cells neutralised in CSV and XLSX, numbers numbers, dates dates."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard.cli import main
from dashboard.reports.export import XLSX_NAME, export_bytes, export_frames, export_table

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "@SUM(A1)",
    "+1",
    "-2+3",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    " =1+1",
    "\t=1+1",
    "\x00=cmd",          # a control character spreadsheets cannot hold, then a formula
    "#N/A",              # an error value openpyxl would otherwise write as an error cell
    "-3",                # a negative number typed as text: harmless, left as it is
]
EXPECTED = [
    '\'=HYPERLINK("http://x","y")',
    "'@SUM(A1)",
    "'+1",
    "'-2+3",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "' =1+1",
    "'\t=1+1",
    "'=cmd",
    "#N/A",
    "-3",
]


def hostile_frames() -> dict[str, pd.DataFrame]:
    n = len(HOSTILE)
    media = pd.DataFrame({
        "outlet": pd.Series(HOSTILE, dtype="str"),
        "url": pd.Series(["https://example.org/a"] * n, dtype="str"),
        "date": pd.to_datetime(["2022-06-22"] * (n - 1) + [None]),
        "headline": pd.Series(["=cmd|' /C calc'!A0"] + ["ok"] * (n - 1), dtype="str"),
        "type": pd.Series(["online"] * n, dtype="str"),
        "reach": pd.array([-5, 1200] + [None] * (n - 2), dtype="Int64"),
        "_row": range(4, 4 + n),
        "charity": pd.Series(["=Evil charity"] + ["Become"] * (n - 1), dtype="str"),
        "media_key": pd.Series(["k"] * n, dtype="str"),
    })
    meetings = pd.DataFrame({
        "name": pd.Series(["@Jane Smith MP", "Bob"], dtype="str"),
        "date": pd.to_datetime(["2022-06-22", "2022-06-23"]),
        "young_people_present": pd.array([4, None], dtype="Int64"),
        "pledge_signed": [True, False],
        "notes": pd.Series(["-2.5", "+44 20 7946 0000"], dtype="str"),
        "_row": [4, 5],
        "charity": pd.Series(["Become", "Coram"], dtype="str"),
        "person_key": pd.Series(["jane smith", "bob"], dtype="str"),
        "mp_id": pd.Series(["p:jane smith", "p:bob"], dtype="str"),
        "is_mp": [True, True],
    })
    issues = pd.DataFrame({
        "charity": pd.Series(["Become"], dtype="str"), "tab": pd.Series(["Media"], dtype="str"),
        "row": pd.array([7], dtype="Int64"), "column": pd.Series(["URL"], dtype="str"),
        "severity": pd.Series(["warning"], dtype="str"), "code": pd.Series(["bad_url"], dtype="str"),
        "message": pd.Series(["=HYPERLINK(\"http://x\",\"y\") is not a link"], dtype="str"),
        "fix": pd.Series(["Paste the full link"], dtype="str"), "link": [None],
    })
    return {"mp_meetings": meetings, "media": media, "issues": issues}


def read_csv(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def test_export_writes_one_csv_per_frame_and_one_xlsx(tmp_path):
    paths = export_frames(hostile_frames(), tmp_path / "out")
    assert [p.name for p in paths] == ["mp_meetings.csv", "media.csv", "issues.csv", XLSX_NAME]
    assert all(p.is_file() for p in paths)
    assert not list((tmp_path / "out").glob(".*.tmp"))          # no half-written files left


def test_csv_cells_are_neutralised_and_typed(tmp_path):
    export_frames(hostile_frames(), tmp_path)
    rows = read_csv(tmp_path / "media.csv")
    header = rows[0]
    assert header == ["Charity", "Outlet", "URL", "Date", "Headline", "Type", "Reach", "Sheet row", "Media key"]
    outlet = [r[header.index("Outlet")] for r in rows[1:]]
    assert outlet == EXPECTED
    assert rows[1][header.index("Charity")] == "'=Evil charity"
    assert rows[1][header.index("Headline")] == "'=cmd|' /C calc'!A0"
    assert [r[header.index("Reach")] for r in rows[1:3]] == ["-5", "1200"]   # real -5 stays -5
    assert rows[3][header.index("Reach")] == ""
    assert rows[1][header.index("Date")] == "2022-06-22" and rows[-1][header.index("Date")] == ""
    # No cell (but the harmless "-3") starts with a formula character.
    for row in rows:
        for cell in row:
            if cell and cell != "-3" and cell != "-5":
                assert cell.lstrip()[0] not in "=+-@\t\r", cell


def test_csv_meetings_columns_bools_and_helpers(tmp_path):
    export_frames(hostile_frames(), tmp_path)
    rows = read_csv(tmp_path / "mp_meetings.csv")
    assert rows[0] == ["Charity", "Name", "Date", "Young people present", "Pledge signed", "Notes",
                       "Sheet row", "MP id"]                  # working columns left out
    assert rows[1] == ["Become", "'@Jane Smith MP", "2022-06-22", "4", "yes", "-2.5", "4", "p:jane smith"]
    assert rows[2] == ["Coram", "Bob", "2022-06-23", "", "no", "'+44 20 7946 0000", "5", "p:bob"]


def test_xlsx_cells_are_text_numbers_and_dates(tmp_path):
    export_frames(hostile_frames(), tmp_path)
    wb = load_workbook(tmp_path / XLSX_NAME)
    assert wb.sheetnames == ["MP meetings", "Media", "Issues"]
    ws = wb["Media"]
    header = [c.value for c in ws[1]]
    col = {name: i for i, name in enumerate(header)}
    rows = list(ws.iter_rows(min_row=2))
    assert [r[col["Outlet"]].value for r in rows] == EXPECTED
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)   # no formula anywhere
            assert cell.data_type != "e", (cell.coordinate, cell.value)   # no error cell either
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
    reach = rows[0][col["Reach"]]
    assert reach.value == -5 and reach.data_type == "n"                    # a real number
    assert rows[1][col["Reach"]].value == 1200
    assert rows[2][col["Reach"]].value is None
    date = rows[0][col["Date"]]
    assert date.value == dt.datetime(2022, 6, 22) and date.is_date
    assert rows[0][col["Sheet row"]].value == 4


def test_xlsx_raw_xml_holds_no_formula(tmp_path):
    export_frames(hostile_frames(), tmp_path)
    with zipfile.ZipFile(tmp_path / XLSX_NAME) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_export_bytes_zip_and_xlsx():
    frames = hostile_frames()
    archive = zipfile.ZipFile(io.BytesIO(export_bytes(frames, "zip")))
    assert sorted(archive.namelist()) == ["issues.csv", "media.csv", "mp_meetings.csv"]
    issues = list(csv.reader(io.StringIO(archive.read("issues.csv").decode("utf-8-sig"))))
    assert issues[0][:3] == ["Charity", "Tab", "Row"]
    assert issues[1][issues[0].index("Message")].startswith("'=HYPERLINK")
    wb = load_workbook(io.BytesIO(export_bytes(frames, "xlsx")))
    assert wb["Issues"]["G2"].value.startswith("'=HYPERLINK")
    with pytest.raises(ValueError):
        export_bytes(frames, "pdf")


def test_export_table_handles_lists_and_time_zones():
    frame = pd.DataFrame({
        "activities": [["rally", "=media"], None],
        "at": pd.to_datetime(["2022-06-22T10:30:00+01:00", "2022-06-23T00:00:00+01:00"]),
    })
    table = export_table("other", frame)
    assert table["activities"][0] == "rally, =media"                    # not at the start: fine
    assert pd.isna(table["activities"][1])
    assert table["at"].dt.tz is None and table["at"][0] == pd.Timestamp("2022-06-22 10:30")


def test_cmd_export_loads_the_coalition_and_writes(tmp_path, capsys):
    """The command is thin: config -> load_coalition (with the store, so a source that
    cannot be read now is exported from its last good read) -> export_frames."""
    import shutil

    from dashboard.config import DEMO_DIR, load_config
    from dashboard.pipeline import load_coalition

    shutil.copy(DEMO_DIR / "become.xlsx", tmp_path / "become.xlsx")
    config_path = tmp_path / "c.toml"
    config_path.write_text('[campaign]\nstart = 2022-05-23\nend = 2022-07-22\n\n'
                           '[[charity]]\nname = "Become"\nsource = "become.xlsx"\n',
                           encoding="utf-8")
    media = load_coalition(load_config(config_path)).frame("media")
    assert len(media)
    assert main(["refresh", "--config", str(config_path)]) == 0
    (tmp_path / "become.xlsx").unlink()          # read now: fails; the store has the last read
    capsys.readouterr()
    out = tmp_path / "export"
    assert main(["export", "--config", str(config_path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    assert [p.rsplit("/", 1)[-1] for p in printed] == \
        ["attendees.csv", "mp_meetings.csv", "pledges.csv", "media.csv", "issues.csv", XLSX_NAME]
    rows = read_csv(out / "media.csv")
    assert len(rows) == 1 + len(media)
    assert {r[rows[0].index("Outlet")] for r in rows[1:]} == set(media["outlet"])

    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    assert main(["export", "--config", str(config_path), "--out", str(not_a_folder)]) == 2
    assert "is a file" in capsys.readouterr().err
