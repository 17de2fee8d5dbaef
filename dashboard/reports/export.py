"""`python -m dashboard export --out DIR`: the validated, merged data as CSV and XLSX.

One CSV per tab (attendees, mp_meetings, pledges, media) plus issues, and one workbook
with a sheet each. Everything in them came from charities' sheets, so every text cell
goes through dashboard.safe.neutralise_formula: a spreadsheet opening the file never
runs a formula someone typed. Numbers stay numbers and dates stay dates.

The pure core is `export_frames` (files) and `export_bytes` (download buttons);
`cmd_export` only loads the coalition and calls it. Row-level data: coalition only
(dashboard.access.can_download(viewer, "export")); a lead's own rows go through
access.rows_visible_to first.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from dashboard.contract import HEADERS, TABS, TABS_BY_KEY
from dashboard.reports.files import write_atomically
from dashboard.safe import neutralise_formula

ISSUES_KEY = "issues"
XLSX_NAME = "coalition-export.xlsx"
SHEET_TITLES = {**{t.key: t.name for t in TABS}, ISSUES_KEY: "Issues"}

# Headers a person reads: the contract's column names, and words (contract.HEADERS) for
# the columns the merge adds and for the issues' columns.
ADDED_COLUMNS = ("charity", "_row", "mp_id", "media_key")
# Working columns of the merge (identity matching), not data: left out of the export.
HELPER_COLUMNS = ("person_key", "constituency_key", "is_mp")

EXCEL_MAX_CELL = 32767        # Excel refuses longer text in a cell
DATE_FORMAT = "dd/mm/yyyy"    # UK readers; the CSV uses ISO 2022-06-22, which no one misreads
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def export_table(key: str, frame: pd.DataFrame) -> pd.DataFrame:
    """One frame as it is exported: readable headers, charity first, cells made safe.

    Booleans become yes/no (the contract's words), lists become "a, b", control
    characters that spreadsheets cannot hold are removed, then every text cell and
    header is neutralised. Dates stay datetime64 (time zones dropped, wall time kept),
    whole numbers stay Int64.
    """
    if key in TABS_BY_KEY:
        tab = TABS_BY_KEY[key]
        wanted = (["charity"] if "charity" in frame.columns else []) + \
            [c for c in tab.keys if c in frame.columns]
        rest = [c for c in frame.columns if c not in wanted and c not in HELPER_COLUMNS
                and c not in ("_row", "mp_id", "media_key")]
        tail = [c for c in ("_row", "mp_id", "media_key") if c in frame.columns]
        table = frame[wanted + rest + tail].copy()
        headers = {c.key: c.name for c in tab.columns} | {k: HEADERS[k] for k in ADDED_COLUMNS}
    elif key == ISSUES_KEY:
        table = frame.copy()
        headers = {k: HEADERS[k] for k in table.columns if k in HEADERS}
    else:
        table = frame.copy()
        headers = {}

    for column in table.columns:
        series = table[column]
        if pd.api.types.is_bool_dtype(series.dtype):
            table[column] = series.map({True: "yes", False: "no"}).astype(object)
        elif isinstance(series.dtype, pd.DatetimeTZDtype):
            table[column] = series.dt.tz_localize(None)
        elif pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype):
            table[column] = series.astype(object).map(_clean_cell)
            table[column] = table[column].map(neutralise_formula)
    # Headers too: an extra column kept from a sheet is named by whoever typed it.
    table.columns = [neutralise_formula(_clean_cell(str(headers.get(c, c)))) for c in table.columns]
    return table.reset_index(drop=True)


def _clean_cell(value):
    """Object cells: lists joined, bools as yes/no, illegal control characters removed."""
    if isinstance(value, (list, tuple, set)):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        # Removed before neutralising, so "\x00=cmd" is caught as "=cmd".
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _plain(value):
    """A cell as a plain Python value (None for missing) for csv and openpyxl."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):   # numpy scalars
        value = value.item()
    return value


def _csv_text(value) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(table: pd.DataFrame, stream: io.TextIOBase) -> None:
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(list(table.columns))
    for row in table.itertuples(index=False, name=None):
        writer.writerow([_csv_text(v) for v in row])


def csv_bytes(table: pd.DataFrame) -> bytes:
    """An export table (from export_table) as CSV bytes: UTF-8 with a BOM, so Excel
    reads accented names right."""
    stream = io.StringIO()
    write_csv(table, stream)
    return stream.getvalue().encode("utf-8-sig")


def _write_sheet(ws, table: pd.DataFrame) -> None:
    ws.append([_xlsx_cell(h) for h in table.columns])
    for row in table.itertuples(index=False, name=None):
        ws.append([_xlsx_cell(v) for v in row])
    # openpyxl reads a str starting "=" as a formula and "#N/A" as an error value;
    # every text cell is forced to plain text so nothing a sheet held is ever evaluated.
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = DATE_FORMAT if cell.value.time() == dt.time(0) else DATETIME_FORMAT
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    ws.freeze_panes = "A2"
    for index, header in enumerate(table.columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = min(60, max(10, len(str(header)) + 2))


def _xlsx_cell(value):
    value = _plain(value)
    if isinstance(value, str) and len(value) > EXCEL_MAX_CELL:
        value = value[:EXCEL_MAX_CELL - 1] + "…"
    return value


def xlsx_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """Export tables (from export_table), one sheet each, as an XLSX workbook."""
    wb = Workbook()
    wb.remove(wb.active)
    for key, table in tables.items():
        ws = wb.create_sheet(SHEET_TITLES.get(key, key)[:31])
        _write_sheet(ws, table)
    stream = io.BytesIO()
    wb.save(stream)
    return stream.getvalue()


def export_tables(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {key: export_table(key, frame) for key, frame in frames.items()}


def export_bytes(frames: dict[str, pd.DataFrame], fmt: str = "xlsx") -> bytes:
    """For a download button: "xlsx" (one sheet per frame) or "zip" (one CSV per frame).

    `frames` maps a tab key (or "issues") to the frame to export; filter it to what the
    viewer may see before calling (dashboard.access.rows_visible_to).
    """
    tables = export_tables(frames)
    if fmt == "xlsx":
        return xlsx_bytes(tables)
    if fmt == "zip":
        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            for key, table in tables.items():
                archive.writestr(f"{key}.csv", csv_bytes(table))
        return stream.getvalue()
    raise ValueError(f"unknown export format {fmt!r}; use 'xlsx' or 'zip'")


def export_frames(frames: dict[str, pd.DataFrame], out_dir: str | os.PathLike) -> list[Path]:
    """Write `<key>.csv` for each frame and one XLSX with a sheet each; the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = export_tables(frames)
    written = []
    for key, table in tables.items():
        path = out / f"{key}.csv"
        write_atomically(path, csv_bytes(table))
        written.append(path)
    path = out / XLSX_NAME
    write_atomically(path, xlsx_bytes(tables))
    written.append(path)
    return written


def coalition_frames(coalition) -> dict[str, pd.DataFrame]:
    """The frames an export holds, from a dashboard.pipeline.Coalition."""
    frames = {t.key: coalition.frame(t.key) for t in TABS}
    frames[ISSUES_KEY] = coalition.issues_frame()
    return frames
