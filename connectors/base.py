"""The one interface every source implements, and the one exception hierarchy."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# Google Sheets and Excel (1900 system) count days from 1899-12-30: serial 44734 is
# 2022-06-22. The one epoch for reading sheets, checking cells and writing the demo.
SERIAL_EPOCH = dt.datetime(1899, 12, 30)


@dataclass
class RawTab:
    """One tab as the source holds it.

    `cells` is an object-dtype frame with positional integer columns and a 0-based
    RangeIndex: frame row i is the row a person sees in the sheet as number i + 1.
    Values are exactly what the source gave: str for CSV and Google's formatted values,
    int/float/datetime/bool for real Excel cells, None for empty.
    """
    title: str
    cells: pd.DataFrame
    sheet_id: int | None = None      # Google's gid, for links to a cell
    # Each column's cells as Arrow coded them while reading (a pyarrow DictionaryArray per
    # column, of every row), when the reader did, off the checking thread (a CSV file):
    # validation then need not code them again. It describes `cells` as read, so a tab
    # whose cells change is a new RawTab without it.
    coded: list | None = field(default=None, compare=False, repr=False)


@dataclass
class RawWorkbook:
    source: str                      # as written in the config (never a credential)
    kind: str                        # "xlsx", "csv", "gsheet"
    tabs: list[RawTab]
    read_at: dt.datetime
    api_calls: int = 0               # Google API requests this read made
    edit_url: str | None = None      # Google: https://docs.google.com/spreadsheets/d/<key>/edit

    def cell_link(self, tab: RawTab, row: int | None, col: int | None) -> str | None:
        """Link to the exact cell in Google Sheets (row 1-based, col 0-based), else None."""
        if not self.edit_url or tab.sheet_id is None:
            return None
        link = f"{self.edit_url}#gid={tab.sheet_id}"
        if row is not None:
            link += f"&range={column_letter(col) if col is not None else 'A'}{row}"
        return link


def column_letter(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class SourceError(Exception):
    """A source could not be read. `str(err)` is one sentence a charity lead can act on,
    and never contains a credential or a cell's content."""
    status = "error"
    api_calls: int        # requests made before it was raised; set by the Google reader


class SourceNotFound(SourceError):
    """The file, folder or spreadsheet does not exist (404)."""


class SourceForbidden(SourceError):
    """The sheet exists but is not shared with the dashboard (403)."""


class SourceUnreadable(SourceError):
    """The source exists but is not a workbook we can read (corrupt file, 400, bad range)."""


class SourceUnavailable(SourceError):
    """A transient failure that outlasted the retries (429, 5xx, timeout, network)."""


def source_kind(source: str) -> str:
    s = source.strip()
    if s.startswith("gsheet:") or "docs.google.com/spreadsheets/" in s:
        return "gsheet"
    if s.lower().endswith((".xlsx", ".xlsm")):
        return "xlsx"
    return "csv"


def resolve_path(source: str, base_dir: Path | None) -> Path:
    path = Path(source).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    return path


def machine_now() -> dt.datetime:
    """The machine's clock, for a read whose caller passes no `now` (the dashboard always
    passes its own clock, so DASHBOARD_NOW holds there)."""
    return dt.datetime.now(dt.timezone.utc).astimezone()


def read_source(source: str, *, base_dir: Path | None = None, gspread_client=None,
                now: dt.datetime | None = None, key_file: str | None = None) -> RawWorkbook:
    """Read one source of any kind. Raises SourceError; never returns partial garbage.

    `now` stamps the read (the machine's clock when None); `key_file` is the Google service
    account's JSON key, used for a Google sheet when no `gspread_client` is given. The
    caller passes both: connectors read no settings or clock of their own."""
    kind = source_kind(source)
    if kind == "gsheet":
        from connectors.gsheets import read_gsheet
        return read_gsheet(source, client=gspread_client, now=now, key_file=key_file)
    from connectors.local import read_csv_folder, read_xlsx
    path = resolve_path(source, base_dir)
    if kind == "xlsx":
        return read_xlsx(path, source=source, now=now)
    return read_csv_folder(path, source=source, now=now)
