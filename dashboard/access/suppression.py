"""Small-number suppression: what trustee views show instead of a count of 1 to 4."""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd


SMALL_COUNT_LIMIT = 5          # counts 1 .. SMALL_COUNT_LIMIT-1 are suppressed
PRIMARY_MARK = "<5"
SECONDARY_MARK = "[c]"
SUPPRESSION_RULE = (
    "To protect the young people's privacy, a count of 1 to 4 young people is shown as "
    f"\"{PRIMARY_MARK}\", and 0 is shown as 0. Where a \"{PRIMARY_MARK}\" could be worked out "
    "by taking the other numbers from a total, one more count is hidden too, shown as "
    f"\"{SECONDARY_MARK}\" (it may be any number, including 0). Totals are the true totals, "
    f"themselves shown as \"{PRIMARY_MARK}\" when 1 to 4."
)


def suppress_value(count) -> str:
    """One count of young people for a trustee view: '<5' for 1-4, else the number.

    For a figure shown on its own (a metric card). A count that is part of a table with a
    published total must go through suppress_counts, or it can give a hidden cell away.
    """
    if count is None or pd.isna(count):
        return ""
    count = int(count)
    return PRIMARY_MARK if 1 <= count < SMALL_COUNT_LIMIT else str(count)


def suppress_change(change) -> str | None:
    """A change in a count of young people for a trustee view: '+<5' / '-<5' for a change
    of 1 to 4 (it counts that many young people), else signed; None when there is none."""
    if change is None or pd.isna(change):
        return None
    change = int(change)
    if 1 <= abs(change) < SMALL_COUNT_LIMIT:
        return ("+" if change > 0 else "-") + PRIMARY_MARK
    return "0" if change == 0 else f"{change:+,}"


def suppress_counts(frame: pd.DataFrame, count_cols: Iterable[str], *, across_rows: bool = False,
                    across_columns: bool = True, add_totals: bool = False,
                    total_label: str = "Total") -> pd.DataFrame:
    """A display copy of `frame` with counts of young people suppressed (SUPPRESSION_RULE).

    `count_cols` hold whole-number counts of young people (missing = not given, shown
    blank). Other columns are returned unchanged. The count columns become strings.

    Primary: 1-4 -> "<5". Secondary: every line whose total is published gets either no
    hidden cell or at least two, so no hidden cell equals "total minus the rest"; the
    extra cell hidden is the line's smallest visible one (zeros and blanks first, then
    the first in order), repeated until nothing changes. Lines are:
      * each count column down the rows (`across_columns`, default): the rows add up to a
        published total, e.g. charities adding up to the coalition figure;
      * each row across the count columns (`across_rows`): only when the columns split a
        whole, e.g. age bands adding up to a charity's total. Off by default because
        columns like "registered" and "attended" are different measures, not parts.
    A line whose total is itself 1-4 is shown as "<5" and needs no further hiding.
    `add_totals` appends the true totals of the protected lines (a total row when
    `across_columns`, a total column when `across_rows`), shown by the primary rule.
    """
    count_cols = list(count_cols)
    out = frame.copy()
    if not count_cols:
        return out
    values, missing = _whole_counts(frame, count_cols)
    primary = (values >= 1) & (values < SMALL_COUNT_LIMIT)
    hidden = _hide_secondary(primary, values, _protected_lines(values, across_rows, across_columns))
    for j, column in enumerate(count_cols):
        out[column] = pd.Series(_shown_column(values[:, j], missing[:, j], primary[:, j], hidden[:, j]),
                                index=out.index, dtype=object)
    if add_totals:
        out = _with_totals(out, values, count_cols, across_rows, across_columns, total_label)
    return out


def _whole_counts(frame: pd.DataFrame, count_cols: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The count columns as floats (missing as 0) and where they are missing; a negative or
    fractional count is refused (a count of young people cannot be one)."""
    numbers = frame[count_cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    missing = np.isnan(numbers)
    values = np.where(missing, 0.0, numbers)
    if (values < 0).any() or (values != np.round(values)).any():
        raise ValueError(f"suppress_counts: {', '.join(count_cols)} must hold whole counts, "
                         "not negative or fractional numbers")
    return values, missing


def _small(total: float) -> bool:
    return 1 <= total < SMALL_COUNT_LIMIT


def _protected_lines(values: np.ndarray, across_rows: bool,
                     across_columns: bool) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each line whose total is published: its cells as (row, col) index arrays. A line
    whose total is itself 1-4 is shown as "<5" and needs no protecting."""
    n_rows, n_cols = values.shape
    lines: list[tuple[np.ndarray, np.ndarray]] = []
    if across_columns and n_rows >= 2:
        for j in range(n_cols):
            if not _small(values[:, j].sum()):
                lines.append((np.arange(n_rows), np.full(n_rows, j)))
    if across_rows and n_cols >= 2:
        for i in range(n_rows):
            if not _small(values[i, :].sum()):
                lines.append((np.full(n_cols, i), np.arange(n_cols)))
    return lines


def _hide_secondary(primary: np.ndarray, values: np.ndarray,
                    lines: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Where a cell is hidden: the primary cells, and in every line with exactly one hidden
    cell its smallest visible one too, repeated until no line has a lone hidden cell."""
    hidden = primary.copy()
    changed = True
    while changed:
        changed = False
        for rows, cols in lines:
            line_hidden = hidden[rows, cols]
            if line_hidden.sum() != 1:
                continue
            candidates = np.flatnonzero(~line_hidden)
            # smallest value first; np.argmin keeps the first of equals, i.e. line order
            pick = candidates[np.argmin(values[rows[candidates], cols[candidates]])]
            hidden[rows[pick], cols[pick]] = True
            changed = True
    return hidden


def _shown_column(values: np.ndarray, missing: np.ndarray, primary: np.ndarray,
                  hidden: np.ndarray) -> list[str]:
    """One count column as text: "<5", "[c]", blank for not given, else the count."""
    return [PRIMARY_MARK if p else SECONDARY_MARK if h else "" if m else str(int(v))
            for v, m, p, h in zip(values, missing, primary, hidden)]


def _with_totals(out: pd.DataFrame, values: np.ndarray, count_cols: list[str], across_rows: bool,
                 across_columns: bool, total_label: str) -> pd.DataFrame:
    """`out` with the true totals of the lines secondary suppression protected, shown by the
    primary rule: a total column when the columns were protected (`across_rows`), a total
    row when the rows were (`across_columns`)."""
    row_totals = across_rows and values.shape[1] >= 2
    if row_totals:
        out[total_label] = [suppress_value(t) for t in values.sum(axis=1)]
    if not across_columns:
        return out
    total_row = {c: pd.NA for c in out.columns}
    for j, column in enumerate(count_cols):
        total_row[column] = suppress_value(values[:, j].sum())
    if row_totals:
        total_row[total_label] = suppress_value(values.sum())
    labels = [c for c in out.columns if c not in count_cols and c != total_label
              and (pd.api.types.is_object_dtype(out[c]) or pd.api.types.is_string_dtype(out[c]))]
    if labels:
        total_row[labels[0]] = total_label
    total_frame = pd.DataFrame([total_row], index=[total_label], columns=out.columns)
    return pd.concat([out.astype(object), total_frame.astype(object)])
