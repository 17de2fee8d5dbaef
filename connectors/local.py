"""Local sources: an .xlsx workbook (one tab per sheet) or a folder of CSV files named after the tabs."""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pandas as pd

from connectors.base import RawTab, RawWorkbook, SourceNotFound, SourceUnreadable, machine_now


def _unreadable_workbook(source: str, err: Exception) -> SourceUnreadable:
    return SourceUnreadable(
        f"{source} is not a readable .xlsx workbook ({type(err).__name__}). "
        "Save it again from Excel or Google Sheets as .xlsx.")


def read_xlsx(path: Path, *, source: str, now: dt.datetime | None = None) -> RawWorkbook:
    import openpyxl  # only needed for workbooks

    if not path.exists():
        raise SourceNotFound(f"The workbook {source} does not exist. Check the path in the config.")
    # Anything openpyxl raises, opening the file or reading its sheets, is a workbook we
    # cannot read: a sheet's XML cut short, a broken styles.xml or workbook.xml, entities
    # defusedxml refuses (a billion laughs). Sheets are parsed as they are iterated, so
    # the iteration is inside the guard too.
    try:
        # data_only: a formula cell gives the value the sheet last showed, never the formula.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:
        raise _unreadable_workbook(source, err) from None
    tabs = []
    try:
        for sheet in book.worksheets:
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            tabs.append(RawTab(sheet.title, pd.DataFrame(rows, dtype=object)))
    except Exception as err:
        raise _unreadable_workbook(source, err) from None
    finally:
        book.close()
    return RawWorkbook(source=source, kind="xlsx", tabs=tabs, read_at=now or machine_now())


# Arrow's CSV reader gives the same cells as pandas' reader above for a well-formed file
# (every row the same width) in about a third of the time. Anything else it refuses (a
# ragged row, a blank line between rows, bytes that are not UTF-8, an empty file) is
# read by pandas as before, so the result never depends on which reader ran.
_ARROW_MAX_COLUMNS = 500


@functools.cache
def _arrow_csv_options() -> dict:
    """Arrow's reading options, every column Arrow may name as text (made once: the 500
    column types cost 0.1 ms a file to make, and 80 µs to pass to Arrow again)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    all_text = {f"f{i}": pa.string() for i in range(_ARROW_MAX_COLUMNS)}
    return dict(
        read_options=pacsv.ReadOptions(autogenerate_column_names=True),
        parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types=all_text,
            strings_can_be_null=False, quoted_strings_can_be_null=False,
            null_values=[], true_values=[], false_values=[]))


def _read_csv_fast(file: Path) -> tuple[pd.DataFrame, list] | None:
    """(the file's cells as pandas text, each column coded by Arrow: RawTab.coded), or None
    when pandas must read the file."""
    try:
        import numpy as np
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        return None
    try:
        table = pacsv.read_csv(file, **_arrow_csv_options())
    except (pa.ArrowException, OSError, ValueError):
        return None
    if table.num_columns == 0 or table.num_rows == 0 or any(
            not pa.types.is_string(t) for t in table.schema.types):
        return None
    if table.num_columns == 1 and pa.compute.any(pa.compute.equal(table.column(0), "")).as_py():
        return None                    # a blank line in a one-column file: pandas decides
    if str(table.column(0)[0]).startswith("\ufeff"):
        return None                    # a second byte-order mark: pandas decides
    if _maybe_open_quote(file, table):
        return None                    # pandas refuses a quote still open at the end
    text = pd.StringDtype("pyarrow", na_value=np.nan)     # pandas' own text dtype
    # (each column made as to_pandas makes it, by the dtype's __from_arrow__, without
    # to_pandas' own work per table, which cost twice as much over 200 files)
    cells = pd.DataFrame(dict(enumerate(text.__from_arrow__(column) for column in table.columns)),
                         copy=False)
    # Coding the cells here, where Arrow works without holding Python's lock (a file is
    # read a batch ahead, on its own thread: pipeline._one_ahead), takes it off the thread
    # that checks them.
    coded = [pa.compute.dictionary_encode(column.chunk(0) if column.num_chunks == 1
                                          else column.combine_chunks())
             for column in table.columns]
    return cells, coded


def _maybe_open_quote(file: Path, table) -> bool:
    """A quoted cell never closed runs to the end of the file: Arrow keeps it, pandas
    refuses the file. Such a cell is in the last row and holds the file's last line
    break, or, in a file without a final line break, its last line has a quote."""
    # (the last row's few cells as Python strings: one Arrow call per column cost more)
    last = table.slice(table.num_rows - 1).to_pylist()[0].values()
    if any("\n" in cell or "\r" in cell for cell in last):
        return True
    with open(file, "rb") as fh:
        size = fh.seek(0, 2)
        fh.seek(max(0, size - 1))
        if fh.read().endswith((b"\n", b"\r")):    # (the usual file: its last byte tells)
            return False
        fh.seek(max(0, size - 65536))
        tail = fh.read()
    return b'"' in tail.rsplit(b"\n", 1)[-1].rsplit(b"\r", 1)[-1] or size > 65536 and b"\n" not in tail


def read_csv_folder(path: Path, *, source: str, now: dt.datetime | None = None) -> RawWorkbook:
    if path.is_symlink() and not path.exists():
        raise SourceUnreadable(f"{source} is a link that leads to nothing readable (a loop, or "
                               "its target is gone). Point the config at the folder itself.")
    if not path.exists():
        raise SourceNotFound(f"The folder {source} does not exist. Check the path in the config.")
    if not path.is_dir():
        raise SourceUnreadable(
            f"{source} is neither an .xlsx workbook nor a folder of CSV files.")
    tabs = []
    for file in sorted(path.glob("*.csv")):
        if not file.is_file():        # a folder named like a tab, a link in a loop or to nothing
            raise SourceUnreadable(
                f"{file.name} in {source} is not a file (a folder, or a link that leads nowhere). "
                "Move it out of the folder or replace it with the CSV file.")
        coded = None
        try:
            # Every cell as the text in the file: typing is the contract's job, not pandas'.
            fast = _read_csv_fast(file)
            if fast is not None:
                cells, coded = fast
            else:
                cells = pd.read_csv(file, header=None, dtype=str, keep_default_na=False,
                                    na_filter=False, encoding="utf-8-sig", skip_blank_lines=False)
        except pd.errors.EmptyDataError:
            cells = pd.DataFrame(dtype=object)
        except (UnicodeDecodeError, pd.errors.ParserError) as err:
            raise SourceUnreadable(
                f"{file.name} in {source} is not a readable UTF-8 CSV file ({type(err).__name__}).") from None
        except OSError as err:      # unreadable now: permissions, a file vanished mid-read
            raise SourceUnreadable(
                f"{file.name} in {source} could not be read ({type(err).__name__}).") from None
        cells.columns = range(cells.shape[1])
        # Kept as pandas' text dtype (every cell a str): converting 700,000 rows to Python
        # objects would cost more than reading them; validation reads either.
        tabs.append(RawTab(file.stem, cells, coded=coded))
    if not tabs:
        raise SourceUnreadable(f"The folder {source} holds no .csv files.")
    return RawWorkbook(source=source, kind="csv", tabs=tabs, read_at=now or machine_now())
