"""Local sources: an .xlsx workbook (one tab per sheet) or a folder of CSV files named after the tabs."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd

from connectors.base import RawTab, RawWorkbook, SourceNotFound, SourceUnreadable
from dashboard.clock import now as clock_now


def read_xlsx(path: Path, *, source: str, now: dt.datetime | None = None) -> RawWorkbook:
    import openpyxl  # only needed for workbooks

    if not path.exists():
        raise SourceNotFound(f"The workbook {source} does not exist. Check the path in the config.")
    try:
        # data_only: a formula cell gives the value the sheet last showed, never the formula.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as err:
        raise SourceUnreadable(
            f"{source} is not a readable .xlsx workbook ({type(err).__name__}). "
            "Save it again from Excel or Google Sheets as .xlsx.") from None
    tabs = []
    try:
        for sheet in book.worksheets:
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            tabs.append(RawTab(sheet.title, pd.DataFrame(rows, dtype=object)))
    finally:
        book.close()
    return RawWorkbook(source=source, kind="xlsx", tabs=tabs, read_at=now or clock_now())


def read_csv_folder(path: Path, *, source: str, now: dt.datetime | None = None) -> RawWorkbook:
    if not path.exists():
        raise SourceNotFound(f"The folder {source} does not exist. Check the path in the config.")
    if not path.is_dir():
        raise SourceUnreadable(
            f"{source} is neither an .xlsx workbook nor a folder of CSV files.")
    tabs = []
    for file in sorted(path.glob("*.csv")):
        try:
            # Every cell as the text in the file: typing is the contract's job, not pandas'.
            cells = pd.read_csv(file, header=None, dtype=str, keep_default_na=False,
                                na_filter=False, encoding="utf-8-sig", skip_blank_lines=False)
        except pd.errors.EmptyDataError:
            cells = pd.DataFrame(dtype=object)
        except (UnicodeDecodeError, pd.errors.ParserError) as err:
            raise SourceUnreadable(
                f"{file.name} in {source} is not a readable UTF-8 CSV file ({type(err).__name__}).") from None
        cells.columns = range(cells.shape[1])
        # Kept as pandas' text dtype (every cell a str): converting 700,000 rows to Python
        # objects would cost more than reading them; validation reads either.
        tabs.append(RawTab(file.stem, cells))
    if not tabs:
        raise SourceUnreadable(f"The folder {source} holds no .csv files.")
    return RawWorkbook(source=source, kind="csv", tabs=tabs, read_at=now or clock_now())
