"""Small CSV-folder charities and their coalition.toml, for the reliability tests: a good
charity's three tabs, written as Sheets exports them."""
from __future__ import annotations

import csv
from pathlib import Path

ATTENDEES = [["Ref", "Status", "Region"], ["A-1", "attended", "London"],
             ["A-2", "registered", "North West"]]
MEETINGS = [["Name", "Constituency", "Young people present"],
            ["Jane Smith", "Bristol West", "3"]]
MEDIA = [["Outlet", "URL", "Reach"], ["BBC", "https://bbc.co.uk/a", "1000"],
         ["ITV", "https://itv.com/b", "2,500"]]


def write_csv_charity(folder: Path, **tabs) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for title, rows in tabs.items():
        with open(folder / f"{title}.csv", "w", newline="", encoding="utf-8") as fh:
            width = max(len(r) for r in rows)     # (as Sheets exports: every row as wide)
            csv.writer(fh).writerows([list(r) + [""] * (width - len(r)) for r in rows])
    return folder


def write_config(root: Path, sources: dict[str, str]) -> Path:
    lines = ["[campaign]", 'name = "Reliability"', "start = 2022-01-01", "end = 2022-12-31", ""]
    for name, source in sources.items():
        lines += ["[[charity]]", f'name = "{name}"', f'source = "{source}"', ""]
    path = root / "coalition.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
