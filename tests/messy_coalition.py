"""A seven-charity coalition with every kind of mess in the contract, and its figures
worked out by hand from the rules (the comments show the working)."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl


def _csv(folder: Path, tab: str, rows: list[list]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{tab}.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def build(root: Path) -> Path:
    # 1. National Children's Bureau: an .xlsx with a title row, real date cells, serial
    #    numbers, columns in another order, an extra column, tab names in other case.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Attendees"
    for row in [
        ["NCB attendees: do not share"],                                  # row 1: title
        ["Status", "Ref", "Age band", "Registered on", "Internal notes"],  # row 2: header
        ["attended", "NCB-1", "16-17", dt.datetime(2022, 6, 1), "x"],      # row 3
        ["attended", "NCB-2", "18-21", 44713, None],                       # row 4 (serial)
        ["registered", "NCB-3", None, "01/06/2022", None],                 # row 5
        [None, None, None, None, None],                                    # row 6 blank
        ["attended", "NCB-2", "18-21", 44713, None],                       # row 7 = row 4
        [None, "NCB-4", "16-17", None, None],                              # row 8 no Status
        ["no show", "NCB-5", None, None, None],                            # row 9
    ]:
        ws.append(row)
    ws = wb.create_sheet("mp_meetings")
    for row in [
        ["Name", "Date", "Role", "Constituency", "Party", "Pledge signed", "Notes"],
        ["Rt Hon Jane Smith MP", "22/06/2022", None, "Bristol West", "Labour", "yes", "met at WH"],
        ["Bob Jones", "22/06/2022", "Minister", None, None, "no", None],
        ["Dr Alice Wu", "22/06/2022", "Official", None, None, None, None],
        ["Carol King", "31/02/2022", "MP", "Leeds North", None, "maybe", None],
    ]:
        ws.append(row)
    ws = wb.create_sheet(" MEDIA ")
    for row in [
        ["Outlet", "URL", "Date", "Headline", "Type", "Reach"],
        ["BBC Newsround", "https://www.bbc.co.uk/newsround/61890000?utm_source=twitter",
         "22/06/2022", "Care moves", "broadcast", "1,200,000"],
        [None, "javascript:alert(1)", "22/06/2022", "x", None, None],
        ["Children & Young People Now", None, "23/06/2022", "Young people lobby MPs", "online", 5000],
    ]:
        ws.append(row)
    wb.save(root / "ncb.xlsx")

    # 2. Action for Children: CSV folder, header case, a repeated ref, a bad status.
    afc = root / "afc"
    _csv(afc, "Attendees", [["ref", "STATUS", "Region"],
                            ["AFC-1", "attended", "London"],
                            ["AFC-2", "Attended", "London"],
                            ["AFC-3", "cancelled", "North West"],
                            ["AFC-1", "registered", "London"],     # same ref, other details
                            ["AFC-4", "maybe", "London"]])         # unreadable status: error
    _csv(afc, "MP Meetings", [["Name", "Date", "Role", "Constituency", "Pledge signed"],
                              ["jane smith", "22/06/2022", "MP", "", "yes"],
                              ["Bob Jones", "22/06/2022", "Minister", "Leeds Central", "no"],
                              ["Eve Adams", "15/05/2022", "MP", "Bristol North West", "no"]])
    _csv(afc, "Pledges", [["MP name", "Constituency", "Date"],
                          ["", "Bristol North-West", "22/06/2022"],
                          ["Frank Moore", "", "23/06/2022"]])
    _csv(afc, "MEDIA", [["Outlet", "URL", "Reach"],
                        ["BBC", "http://bbc.co.uk/newsround/61890000/", "900000"]])

    # 3. Become: a tab without its required column; pledges by constituency only.
    bec = root / "become"
    _csv(bec, "Attendees", [["Ref", "Status"], ["BEC-1", "attended"], ["BEC-2", "attended"]])
    _csv(bec, "MP meetings", [["Who", "Date"], ["Jane Smith", "22/06/2022"]])
    _csv(bec, "Pledges", [["Constituency"], ["Leeds North"]])

    # 4. Barnardo's: the source does not exist.

    # 5. Coram: symbols for yes, a joint meeting logged a third time, a peer, a media row
    #    without URL, an exact duplicate media row.
    cor = root / "coram"
    _csv(cor, "Attendees", [["Ref", "Status", "Media consent"],
                            ["COR-1", "attended", "yes"], ["COR-2", "attended", "✓"],
                            ["COR-3", "no-show", ""]])
    _csv(cor, "MP_meetings", [["Name", "Date", "Role", "Constituency", "Pledge signed"],
                              ["Jane Smith", "2022-06-22", "", "", "Yes"],
                              ["Baroness Green", "22/06/2022", "Peer", "", "no"]])
    _csv(cor, "Media", [["Outlet", "Date", "Headline", "Reach"],
                        ["BBC Newsround", "22/06/2022", "Care moves", "1000"],
                        ["BBC Newsround", "22/06/2022", "Care moves", "1000"]])

    # 6. The Children's Society: an MP known by name only, an error value, a bad number.
    tcs = root / "tcs"
    _csv(tcs, "Attendees", [["Ref", "Status"], ["TCS-1", "attended"]])
    _csv(tcs, "MP meetings", [["Name", "Date", "Role", "Party", "Pledge signed"],
                              ["Frank Moore", "23/06/2022", "MP", "#N/A", "yes"]])
    _csv(tcs, "Media", [["Outlet", "URL", "Reach"], ["CYP Now", "https://cypnow.co.uk/x", "lots"]])

    # 7. NSPCC: only an empty Attendees tab.
    _csv(root / "nspcc", "Attendees", [["Ref", "Status"]])

    config = root / "coalition.toml"
    config.write_text("""
[campaign]
name = "Messy test coalition"
start = 2022-05-23
end = 2022-07-22

[[charity]]
name = "National Children's Bureau"
source = "ncb.xlsx"
[[charity]]
name = "Action for Children"
source = "afc"
[[charity]]
name = "Become"
source = "become"
[[charity]]
name = "Barnardo's"
source = "barnardos.xlsx"
[[charity]]
name = "Coram"
source = "coram"
[[charity]]
name = "The Children's Society"
source = "tcs"
[[charity]]
name = "NSPCC"
source = "nspcc"
""", encoding="utf-8")
    return config


F = ("attendees_registered", "attendees_attended", "meetings", "mp_meetings", "mps_met",
     "pledges", "media_mentions", "media_reach")


def _f(*values):
    return dict(zip(F, values))


EXPECTED_CHARITIES = {
    # NCB: refs 1,2,3,5 (4 has no status); attended 1,2. Meetings: 4 rows; MP/Minister:
    # Jane, Bob, Carol. Pledges: Jane. Media: BBC (URL) + CYP Now (no URL); the
    # javascript: row has neither link nor outlet. Reach 1,200,000 + 5,000.
    "National Children's Bureau": _f(4, 2, 4, 3, 3, 1, 2, 1_205_000),
    # AFC: refs 1,2,3 (4 unreadable status); attended 1,2. Pledges: Jane (meeting),
    # Bristol North West, Frank Moore.
    "Action for Children": _f(3, 2, 3, 3, 3, 3, 1, 900_000),
    "Become": _f(2, 2, 0, 0, 0, 1, 0, 0),
    "Barnardo's": _f(0, 0, 0, 0, 0, 0, 0, 0),
    # Coram: the duplicate media row counts once.
    "Coram": _f(3, 2, 2, 1, 1, 1, 1, 1000),
    "The Children's Society": _f(1, 1, 1, 1, 1, 1, 1, 0),
    "NSPCC": _f(0, 0, 0, 0, 0, 0, 0, 0),
}

EXPECTED_COALITION = _f(
    4 + 3 + 2 + 3 + 1,          # registered: summed over charities
    2 + 2 + 2 + 2 + 1,          # attended
    # distinct (date, person): Jane/Bristol West 22/6 (NCB, AFC, Coram: one), Bob/Leeds
    # Central 22/6 (NCB joined by name to AFC's constituency, AFC: one), Alice Wu 22/6,
    # Carol/Leeds North (no date), Eve/Bristol North West 15/5, Baroness Green 22/6,
    # Frank Moore 23/6
    7,
    5,                          # the same without Alice Wu (Official) and Baroness Green (Peer)
    5,                          # Bristol West, Leeds Central, Leeds North, Bristol NW, Frank Moore
    4,                          # Bristol West, Bristol North West, Frank Moore, Leeds North
    4,                          # bbc URL (NCB+AFC), CYP Now no-URL, Coram's no-URL BBC, cypnow URL
    1_200_000 + 5000 + 1000,    # the larger estimate of the shared BBC piece, once
)

# (charity, tab, row, column, severity, code) that must be reported.
EXPECTED_ISSUES = {
    ("National Children's Bureau", "Attendees", 7, None, "warning", "duplicate_row"),
    ("National Children's Bureau", "Attendees", 8, "Status", "error", "missing_required"),
    ("National Children's Bureau", "Attendees", None, None, "note", "extra_column"),
    ("National Children's Bureau", "MP meetings", 5, "Date", "warning", "bad_date"),
    ("National Children's Bureau", "MP meetings", 5, "Pledge signed", "warning", "bad_yesno"),
    ("National Children's Bureau", "Pledges", None, None, "note", "missing_tab"),
    ("National Children's Bureau", "Media", 3, "URL", "warning", "bad_url"),
    ("National Children's Bureau", "Media", 3, "Outlet", "error", "missing_required"),
    ("Action for Children", "Attendees", 5, "Ref", "warning", "duplicate_ref"),
    ("Action for Children", "Attendees", 6, "Status", "error", "bad_status"),
    ("Action for Children", "MP meetings", 4, "Date", "warning", "outside_window"),
    ("Become", "MP meetings", None, None, "error", "missing_column"),
    ("Barnardo's", None, None, None, "error", "source_unreadable"),
    ("Coram", "Media", 3, None, "warning", "duplicate_row"),
    ("The Children's Society", "MP meetings", 2, "Party", "warning", "error_value"),
    ("The Children's Society", "Media", 2, "Reach", "warning", "bad_int"),
}
