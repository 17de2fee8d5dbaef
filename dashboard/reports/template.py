"""`python -m dashboard template --out FILE.xlsx`: the blank workbook a charity starts from.

Everything in it comes from the registry (dashboard/contract.py TABS): tab names, headers,
drop-downs, the instructions. Change the registry and the template follows; nothing about
tabs or columns is written here.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard.cells import WHOLE_NUMBER_MAX
from dashboard.contract import TABS, Column, Tab, values_in_words

INSTRUCTIONS = "Instructions"
# Drop-downs and formats cover this many data rows; a charity with more can copy them down.
VALIDATED_ROWS = 2000
YES_NO = ("yes", "no")
MIN_WIDTH, MAX_WIDTH = 10, 40

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
REQUIRED_FILL = PatternFill("solid", fgColor="C00000")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")

NO_NAMES_RULE = (
    "Never type a young person's name anywhere in this workbook. In Attendees, use your own "
    "pseudonymous reference (for example NCB-001) and keep the key to it inside your charity. "
    "The dashboard never reads names, and a column that looks like one is flagged.")
GENERAL_RULES = (
    "Keep one header row per tab, exactly as in this template; rows above it (a title) are "
    "allowed. Tab and column names are matched ignoring case and spaces, and column order "
    "does not matter. You may add your own columns and tabs: the dashboard ignores them.",
    "One row per record. Blank rows are skipped. A row repeated exactly is counted once.",
    "Red headers are required columns (in Pledges and Media, one of the two red columns is "
    "enough); blue headers are optional. Drop-down lists show the values the dashboard knows.",
    "Dates are read day first: 22/06/2022, 2022-06-22 or 22 June 2022 (06/07/2022 is 6 July). "
    "In Google Sheets, set File > Settings > Locale to United Kingdom before typing dates.",
    "Yes/no columns: yes or no (y, true, x and the tick symbol also count as yes; blank is no).",
    "Whole numbers: 1200 or 1,200. Links must start with http:// or https://.",
    "A row missing a required value is listed as an error on the dashboard and left out of "
    "the figures until it is fixed; your other rows and tabs still count.",
)


def _required_text(tab: Tab, column: Column) -> str:
    if column.required:
        return "required"
    if column.one_of:
        others = [c.name for c in tab.one_of if c is not column]
        return f"required unless {' / '.join(others)} is given"
    return "optional"


def _drop_down(column: Column) -> tuple[str, ...] | None:
    if column.kind == "choice":
        return column.choices
    if column.kind == "yesno":
        return YES_NO
    return None


def _width(texts) -> float:
    longest = max((len(str(t)) for t in texts if t), default=0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 3)))


def _instructions_sheet(book: Workbook) -> None:
    ws = book.active
    ws.title = INSTRUCTIONS
    rows: list[tuple[list, Font | None]] = [
        (["How to fill in this workbook"], TITLE_FONT),
        ([], None),
        (["The one rule: no names"], SECTION_FONT),
        ([NO_NAMES_RULE], None),
        ([], None),
        (["General rules"], SECTION_FONT),
        *(([rule], None) for rule in GENERAL_RULES),
        ([], None),
        (["The tabs"], SECTION_FONT),
        *(([f"{tab.name}: {tab.help}"], None) for tab in TABS),
        ([], None),
        (["Tab", "Column", "Required?", "What to write", "Example"], Font(bold=True)),
    ]
    for tab in TABS:
        for column in tab.columns:
            rows.append(([tab.name, column.name, _required_text(tab, column),
                          values_in_words(column), column.example], None))
    for values, font in rows:
        ws.append(values)
        if font is not None:
            for cell in ws[ws.max_row]:
                cell.font = font
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = WRAP
    # Column A holds the long paragraphs; the column table needs B-E readable too.
    for letter, width in zip("ABCDE", (70, 22, 24, 60, 26)):
        ws.column_dimensions[letter].width = width


def _data_sheet(book: Workbook, tab: Tab) -> None:
    ws = book.create_sheet(tab.name)
    ws.append([c.name for c in tab.columns])
    last_row = VALIDATED_ROWS + 1
    for index, column in enumerate(tab.columns, start=1):
        letter = get_column_letter(index)
        header = ws.cell(row=1, column=index)
        header.font = HEADER_FONT
        header.fill = REQUIRED_FILL if column.required or column.one_of else HEADER_FILL
        header.alignment = Alignment(vertical="center")
        ws.column_dimensions[letter].width = _width(
            [column.name, column.example, *column.choices])
        data_range = f"{letter}2:{letter}{last_row}"
        choices = _drop_down(column)
        prompt = values_in_words(column)[:255]          # Excel's limit for an input message
        if choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                                  allow_blank=True, showDropDown=False)
            # Status decides whether a row counts: refuse anything else. Elsewhere warn only,
            # since the dashboard reads other spellings case-insensitively.
            rule.errorStyle = "stop" if column.required else "warning"
            rule.error = f"Choose one of: {', '.join(choices)}."
            rule.errorTitle = column.name
        elif column.kind == "int":
            most = column.max_value if column.max_value is not None else WHOLE_NUMBER_MAX
            rule = DataValidation(type="whole", operator="between", formula1="0",
                                  formula2=str(most), allow_blank=True)
            rule.errorStyle = "warning"
            rule.error = f"Write a whole number from 0 to {most:,}, like 1200."
            rule.errorTitle = column.name
        else:
            rule = DataValidation(allow_blank=True)      # no restriction: the prompt only
        rule.showInputMessage = True
        rule.promptTitle = column.name[:32]
        rule.prompt = prompt
        rule.showErrorMessage = rule.type is not None
        rule.add(data_range)
        ws.add_data_validation(rule)
        # A column style, not 2000 styled cells: new entries take it, the file stays small
        # and the workbook keeps no phantom rows.
        if column.kind == "date":
            ws.column_dimensions[letter].number_format = "DD/MM/YYYY"
        elif column.kind == "ref":
            ws.column_dimensions[letter].number_format = "@"   # keeps a Ref like 007 as text
    ws.freeze_panes = "A2"


def build_template() -> Workbook:
    book = Workbook()
    _instructions_sheet(book)
    for tab in TABS:
        _data_sheet(book, tab)
    return book


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
