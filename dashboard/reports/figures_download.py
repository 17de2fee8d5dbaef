"""The Overview's figures as a file: what the viewer sees there, as CSV or XLSX.

One table: a row per charity and a last row for the coalition, under the headers the page
shows. For a view that suppresses small numbers (a trustee's), every count of young people
is the one the page shows (the refresh's one suppressed table, and the coalition total as
its metric shows it), so the file gives nothing away that the page hides. Cells go through
dashboard.reports.export, so a charity name that looks like a formula stays text.
"""
from __future__ import annotations

import pandas as pd

from dashboard.access.roles import COUNTS, EVERY, OWN
from dashboard.access.suppression import suppress_value
from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.reports.export import csv_bytes, export_table, xlsx_bytes
from dashboard.figures import COALITION

ATTENDEE_FIGURES = ("attendees_registered", "attendees_attended")
HEADERS = {"charity": "Charity", "status": "Status", "errors": "Errors", "warnings": "Warnings",
           **FIGURE_LABELS}
FILE_STEM = "coalition-figures"


def _number_if_whole(value):
    """'48' (a suppressed table's shown count) back to 48, so a spreadsheet can add it up;
    '<5' and '[c]' stay text."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def figures_table(coalition_figures: dict, charities: pd.DataFrame, *, suppressed: bool,
                  issues: str) -> pd.DataFrame:
    """The Overview's "Each charity" table plus the coalition's row, as the viewer sees it.

    `charities`: the table the page shows this viewer (the suppressed one for a trustee);
    `issues`: the viewer's data-quality scope there (error counts only with COUNTS or more).
    """
    keep = ["charity", "status"]
    if issues in (COUNTS, OWN, EVERY):
        keep += ["errors", "warnings"]
    keep += list(FIGURES)
    table = charities[[c for c in keep if c in charities.columns]].copy()
    if suppressed:
        for figure in ATTENDEE_FIGURES:
            table[figure] = table[figure].map(_number_if_whole).astype(object)
    total = {"charity": COALITION, "status": ""}
    for figure in FIGURES:
        value = coalition_figures[figure]
        if suppressed and figure in ATTENDEE_FIGURES:
            value = _number_if_whole(suppress_value(value))
        total[figure] = value
    table = pd.concat([table.astype(object), pd.DataFrame([total]).astype(object)], ignore_index=True)
    return table.rename(columns=HEADERS)


def figures_csv(table: pd.DataFrame) -> bytes:
    return csv_bytes(export_table("figures", table))


def figures_xlsx(table: pd.DataFrame) -> bytes:
    return xlsx_bytes({"Figures": export_table("figures", table)})
