"""Validation: a RawWorkbook in, typed frames and a tidy list of issues out.

Every problem is collected (never raised) as an Issue with the sheet row a person sees,
so a lead can fix their own sheet. A row is never silently dropped: rows left out of the
figures are listed as errors; fully blank rows are the one silent skip (contract section 3).
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from connectors.base import RawTab, RawWorkbook
from dashboard import cells
from dashboard.contract import (NOT_RECOGNISED, OUTLET_MAX_WORDS, TABS, Column, Tab,
                                is_outlet_name, match_tab, norm_name)
from dashboard.safe import ASCII_HTTP_HOST

HEADER_SEARCH_ROWS = 10
VALUE_PREVIEW = 40          # characters of a cell quoted in a message

# Headers that suggest a young person's name was typed into the Attendees tab.
NAME_LIKE_HEADERS = {"name", "full name", "first name", "firstname", "surname", "last name",
                     "forename", "given name", "family name", "young person", "young person name",
                     "young persons name", "child name", "attendee name"}


@dataclass
class Issue:
    charity: str
    tab: str | None
    row: int | None
    column: str | None
    severity: str               # error | warning | note
    code: str                   # reason code, stable for filtering and tests
    message: str                # what is wrong, for a person
    fix: str = ""               # how to fix it
    link: str | None = None     # the exact cell in Google Sheets, when known

    def as_contract(self) -> dict:
        """The summary JSON's issue object (contract section 6)."""
        text = self.message if not self.fix else f"{self.message} {self.fix}"
        return {"charity": self.charity, "tab": self.tab, "row": self.row,
                "column": self.column, "severity": self.severity, "message": text}

    def as_dict(self) -> dict:
        return dict(vars(self))          # (every field is a plain value: no deep copy needed)


@dataclass
class CharityData:
    charity: str
    frames: dict[str, pd.DataFrame]
    issues: list[Issue] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for i in self.issues if i.severity == severity)


ISSUE_COLUMNS = ["charity", "tab", "row", "column", "severity", "code", "message", "fix", "link"]


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    frame = pd.DataFrame([i.as_dict() for i in issues], columns=ISSUE_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame


def empty_frame(tab: Tab) -> pd.DataFrame:
    frame = pd.DataFrame({c.key: pd.Series(dtype=_dtype(c)) for c in tab.columns})
    frame["_row"] = pd.Series(dtype="int64")
    return frame


@functools.cache
def _header_names(tab: Tab) -> tuple[frozenset[str], frozenset[str], dict[str, Column]]:
    """(the normalised headers of the tab's required columns, of its one-of columns, and
    each column by its normalised header): the same for every sheet's tab."""
    return (frozenset(norm_name(c.name) for c in tab.required),
            frozenset(norm_name(c.name) for c in tab.one_of),
            {norm_name(c.name): c for c in tab.columns})


def _top_rows(grid: pd.DataFrame) -> np.ndarray:
    """The first HEADER_SEARCH_ROWS rows as one block of Python values (a frame's row at a
    time is slow); columns of Arrow text are read from Arrow, cheaper than pandas' way
    (a missing cell is None there, NaN otherwise: either is a blank cell)."""
    top = min(HEADER_SEARCH_ROWS, len(grid))
    if not all(isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
               for dtype in grid.dtypes):
        return grid.iloc[:top].to_numpy(dtype=object)
    head = np.empty((top, grid.shape[1]), dtype=object)
    for j, (_, column) in enumerate(grid.items()):
        head[:, j] = column.array.__arrow_array__().slice(0, top).to_pylist()
    return head


def _dtype(column: Column) -> str:
    return {"date": "datetime64[ns]", "yesno": "bool", "int": "Int64"}.get(column.kind, "object")


def _preview(value: object) -> str:
    # (a str's text is itself trimmed, as cells.as_text gives it, without its other cases)
    text = value.strip() if type(value) is str else cells.as_text(value)
    return text if len(text) <= VALUE_PREVIEW else text[:VALUE_PREVIEW - 1] + "…"


class _TabChecker:
    """Checks one tab; collects issues instead of stopping at the first problem."""

    def __init__(self, raw: RawWorkbook, raw_tab: RawTab, tab: Tab, charity: str,
                 start: dt.date | None, end: dt.date | None):
        self.raw, self.raw_tab, self.tab, self.charity = raw, raw_tab, tab, charity
        self.start, self.end = start, end
        self.issues: list[Issue] = []

    # (`at`: the row's position in the body, which says whose row it is when several
    # charities' bodies are checked as one: _CombinedChecker)
    owners: np.ndarray | None = None

    def issue(self, severity, code, message, fix="", row=None, column=None, col_index=None, at=None):
        link = self.raw.cell_link(self.raw_tab, row, col_index) if row is not None or col_index is not None else \
            self.raw.cell_link(self.raw_tab, None, None)
        self.issues.append(Issue(self.charity, self.tab.name, row, column, severity, code,
                                 message, fix, link))

    # -- header ---------------------------------------------------------------------
    def find_header(self, cells_frame: pd.DataFrame, head: np.ndarray | None = None
                    ) -> tuple[int | None, dict[int, Column]]:
        """(the header row, the registry column of each header position) among the first
        rows (`head`: _top_rows of the frame, when the caller has them)."""
        required, one_of, by_norm = _header_names(self.tab)
        best: tuple[int, int, set[str]] = (-1, -1, set())
        head = _top_rows(cells_frame) if head is None else head
        for i in range(len(head)):
            names = {norm_name(v) for v in head[i] if isinstance(v, str) and v.strip()}
            if required <= names and (not one_of or one_of & names):
                mapping: dict[int, Column] = {}
                taken: set[str] = set()
                for pos, v in enumerate(head[i]):
                    col = by_norm.get(norm_name(v)) if isinstance(v, str) else None
                    if col is None:
                        continue
                    if col.key in taken:
                        self.issue("warning", "duplicate_column",
                                   f"The column '{col.name}' appears twice; only the first is read.",
                                   "Delete or rename the second one.", row=i + 1, column=col.name,
                                   col_index=pos)
                        continue
                    taken.add(col.key)
                    mapping[pos] = col
                return i, mapping
            score = len(names & (required | one_of))
            if score > best[1]:
                best = (i, score, names)
        missing = sorted(c.name for c in self.tab.required if norm_name(c.name) not in best[2])
        if one_of and not (one_of & best[2]):
            missing.append(" or ".join(c.name for c in self.tab.one_of))
        self.issue("error", "missing_column",
                   f"The '{self.tab.name}' tab has no header row with the column(s) "
                   f"{', '.join(missing)} in its first {HEADER_SEARCH_ROWS} rows, so none of its "
                   "rows can be counted.",
                   "Add the missing column header (see the template workbook); your other tabs still count.")
        return None, {}

    # -- the whole tab ----------------------------------------------------------------
    def run(self) -> pd.DataFrame:
        body, mapping = self.read_body()
        if body is None:
            return empty_frame(self.tab)
        # Every cell's trimmed text, as codes into each column's distinct texts.
        columns = {pos: _TextColumn(body[pos]) for pos in body.columns}
        sheet_rows = body.index.to_numpy(dtype="int64") + 1      # the sheet row a person sees
        blank = np.logical_and.reduce([c.is_blank[c.codes] for c in columns.values()])
        sel = np.flatnonzero(self.drop_duplicate_rows(columns, ~blank, sheet_rows))
        positions = {c.key: pos for pos, c in mapping.items()}
        parsed, bad_rows = self.parse_rows(body, columns, sel, sheet_rows[sel], positions)
        bad_rows |= self.check_rows(parsed, columns, sel, positions, bad_rows)
        return _typed(parsed.frame(~bad_rows), self.tab)

    def read_body(self) -> tuple[pd.DataFrame | None, dict[int, Column]]:
        """(the rows under the header, the registry column of each header position); no
        body when the tab is empty or has no header row (an issue says so)."""
        grid = self.raw_tab.cells
        if grid.empty:
            return None, {}
        head = _top_rows(grid)
        header, mapping = self.find_header(grid, head)
        if header is None:
            return None, {}
        self.report_extra_columns(head[header], mapping)
        body = grid.iloc[header + 1:]
        return (None if body.empty else body), mapping

    def parse_rows(self, body: pd.DataFrame, columns: dict[int, "_TextColumn"], sel: np.ndarray,
                   rows: np.ndarray, positions: dict[str, int]) -> tuple["_ParsedRows", np.ndarray]:
        """(the kept rows `sel` of the body with every registry column parsed, rows left
        out for a value that cannot be read)."""
        data = {}
        bad_rows = np.zeros(len(sel), dtype=bool)
        for column in self.tab.columns:
            pos = positions.get(column.key)
            if pos is None:      # an optional column the sheet does not have
                data[column.key] = False if column.kind == "yesno" else column.blank_means
                continue
            # (a column made from the reader's codes has no cells in the body: all its cells
            # are text, parsed by code)
            data[column.key], bad = self.parse_column(column, body.get(pos), columns[pos], sel,
                                                      rows, pos)
            bad_rows |= bad
        return _ParsedRows(data, rows, body.index.to_numpy()[sel]), bad_rows

    def check_rows(self, frame: "_ParsedRows", columns: dict[int, "_TextColumn"], sel: np.ndarray,
                   positions: dict[str, int], bad_rows: np.ndarray) -> np.ndarray:
        """The checks across a row's values and between rows; returns the rows left out
        for a missing required value."""
        missing = self.check_required(frame, positions)
        self.check_window(frame, positions)
        if self.tab.key == "media" and "outlet" in positions:
            self.check_outlets(frame, positions["outlet"])
        if self.tab.key == "attendees":
            self.check_refs(frame, columns[positions["ref"]], sel,
                            np.flatnonzero(~(bad_rows | missing)), positions)
        return missing

    def check_refs(self, frame: "_ParsedRows", ref: "_TextColumn", sel: np.ndarray,
                   counted: np.ndarray, positions: dict[str, int]) -> None:
        """Repeated Refs and Refs differing only in case, among the rows counted."""
        rows = frame.rows[counted]
        where = frame.where[counted]
        if ref.plain:       # the Ref is its trimmed text: its codes tell equal Refs apart
            codes = ref.codes[sel[counted]]
            refs = np.where((ref.is_blank | ref.is_error)[codes], -1, codes)
            ref_text = lambda i: ref.text(codes[i])  # noqa: E731
            cased = _differ_in_case(ref.uniques, refs[refs >= 0])
        else:
            values = frame.series("ref").iloc[counted]
            refs, ref_text = pd.factorize(values)[0], values.iloc.__getitem__
            cased = True
        if self.owners is not None and len(refs):    # a Ref repeats only within its own charity's rows
            refs = np.where(refs >= 0, self.owners[where] * (int(refs.max()) + 1) + refs, -1)
        self.check_unique_refs(refs, ref_text, rows, positions, where)
        if cased:
            self.check_ref_case(frame.series("ref").iloc[counted], rows, positions, where)

    def report_extra_columns(self, header_row, mapping: dict[int, Column]) -> None:
        """A note naming the header row's cells (by position) that are no registry column."""
        extra = [(pos, str(v).strip()) for pos, v in enumerate(header_row)
                 if pos not in mapping and not cells.is_blank(v)]
        names = [name for _, name in extra]
        if self.tab.about_people:
            for pos, name in extra:
                if norm_name(name).replace("'", "") in NAME_LIKE_HEADERS:
                    self.issue("warning", "name_column",
                               f"The column '{name}' looks like it holds young people's names. "
                               "The dashboard never reads it.",
                               "Delete the column: use only a pseudonymous Ref.", column=name,
                               col_index=pos)
        if names:
            self.issue("note", "extra_column",
                       f"Extra column(s) {', '.join(repr(n) for n in names)} are kept in your sheet "
                       "and ignored by the dashboard.")

    def drop_duplicate_rows(self, columns: dict[int, "_TextColumn"], keep: np.ndarray,
                            rows: np.ndarray) -> np.ndarray:
        """Rows identical (after trimming) to an earlier row are dropped with a warning."""
        sel = np.flatnonzero(keep)
        # (a row can repeat another only if its text in the column of most distinct texts
        # does: the other rows are first appearances, and need no id)
        widest = max(columns.values(), key=lambda c: len(c.uniques))
        sel = sel[_repeated(widest.codes[sel])]
        ids = _row_ids(list(columns.values()), sel)
        first = _first_appearances(ids)                    # first row of each id
        dup = np.ones(len(sel), dtype=bool)
        dup[first] = False
        if dup.any():
            at = sel[dup]
            for row, first_row, where in _as_python(rows[at], rows[sel[first[ids[dup]]]], at):
                self.issue("warning", "duplicate_row",
                           f"Row {row} repeats row {first_row} exactly; it is counted once.",
                           "Delete the repeated row.", row=row, at=where)
            keep = keep.copy()
            keep[sel[dup]] = False
        return keep

    def parse_column(self, column: Column, raw: pd.Series, col: "_TextColumn", sel: np.ndarray,
                     rows: np.ndarray, pos: int) -> tuple[object, np.ndarray]:
        """Parse one column, once per distinct value; returns (values, rows to exclude).

        `sel` are the positions (in `raw`) of the rows kept, `rows` their sheet rows.
        """
        codes = col.codes[sel]
        # (each row's flags looked up only when some distinct text has them: most columns
        # have no error value and no problem, and a lookup per row is a pass over the rows)
        errors = _rows_flagged(col.is_error, codes)
        erred = np.flatnonzero(errors)
        for row, code, at in _as_python(rows[erred], codes[erred], sel[erred]):
            self.issue("warning", "error_value",
                       f"Row {row}, {column.name}: the cell shows the spreadsheet error "
                       f"{col.text(code)}; it is read as blank.",
                       "Fix the formula or type the value.", row=row,
                       column=column.name, col_index=pos, at=at)
        if col.plain:
            # Only text in this column: every cell is its trimmed text, so each distinct
            # text is parsed once and the rows take their value by code.
            values, problem_of = _parse_texts(column, col, codes)
            # (which distinct texts have a problem, compared once each, then looked up by code)
            flagged = np.flatnonzero(_rows_flagged(np.not_equal(problem_of, None), codes))
            problem_at = lambda i: problem_of[codes[i]]  # noqa: E731
        else:
            values, flagged, problem_at = _parse_cells(column, raw.iloc[sel], errors)
        return values, self.report_problems(column, col, codes, rows, pos, flagged, problem_at, sel)

    def report_problems(self, column: Column, col: "_TextColumn", codes: np.ndarray,
                        rows: np.ndarray, pos: int, flagged, problem_at, sel: np.ndarray) -> np.ndarray:
        """An issue for each row whose value cannot be read (`flagged`, `problem_at(i)`
        says why); returns the rows to leave out (an unreadable status)."""
        bad = np.zeros(len(codes), dtype=bool)
        if not len(flagged):
            return bad
        consequence = {"yesno": "it is read as no",
                       "choice": f"it is kept as written, and charts count it as "
                                 f"'{NOT_RECOGNISED}'"}.get(column.kind, "it is read as blank")
        fix = cells.FIX.get(column.kind) or "Use one of: " + ", ".join(column.choices) + "."
        code = f"bad_{column.kind}"
        flagged = np.asarray(flagged, dtype=np.intp)
        for i, row, text_code, at in _as_python(flagged, rows[flagged], codes[flagged], sel[flagged]):
            problem = problem_at(i)
            text = col.text(text_code)
            if column.key == "status":
                # A status we cannot read is a missing required value: the row is excluded.
                self.issue("error", "bad_status",
                           f"Row {row}, Status: '{_preview(text)}' {problem}; "
                           "the row is left out of the figures.",
                           "Choose a status from the drop-down.", row=row,
                           column=column.name, col_index=pos, at=at)
                bad[i] = True
                continue
            self.issue("warning", code,
                       f"Row {row}, {column.name}: '{_preview(text)}' {problem}; {consequence}.",
                       fix, row=row, column=column.name, col_index=pos, at=at)
        return bad

    def check_required(self, frame: "_ParsedRows", positions: dict[str, int]) -> np.ndarray:
        """Rows missing a required value (listed as errors): they are left out."""
        bad = np.zeros(len(frame.rows), dtype=bool)
        sheet_rows, where = frame.rows, frame.where
        for column in self.tab.required:
            missing = frame.isna(column.key)
            for i in np.flatnonzero(missing):
                row = int(sheet_rows[i])
                self.issue("error", "missing_required",
                           f"Row {row}, {column.name}: this required value is blank, so the row "
                           "is left out of the figures.",
                           f"Fill in {column.name}" + (f" (e.g. {column.example})." if column.example else "."),
                           row=row, column=column.name, col_index=positions.get(column.key),
                           at=where[i])
            bad |= missing
        if self.tab.one_of:
            missing = np.logical_and.reduce([frame.isna(c.key) for c in self.tab.one_of])
            names = " or ".join(c.name for c in self.tab.one_of)
            for i in np.flatnonzero(missing & ~bad):
                row = int(sheet_rows[i])
                self.issue("error", "missing_required",
                           f"Row {row}: neither {names} is given, so the row is left out of the figures.",
                           f"Fill in {names}.", row=row, column=self.tab.one_of[0].name,
                           col_index=positions.get(self.tab.one_of[0].key), at=where[i])
            bad |= missing
        return bad

    def check_window(self, frame: "_ParsedRows", positions: dict[str, int]) -> None:
        if self.start is None or self.end is None:
            return
        for column in self.tab.columns:
            if column.kind != "date" or column.key not in positions:
                continue
            dates = frame.data[column.key]
            if isinstance(dates, np.ndarray) and dates.dtype.kind == "M":
                # Dates are midnights: comparing them with the window's days is comparing days.
                days = dates.astype("datetime64[ns]", copy=False)
                start, end = np.datetime64(self.start, "ns"), np.datetime64(self.end, "ns")
                outside = np.flatnonzero(~np.isnat(days) & ((days < start) | (days > end)))
                # (each day by its nanoseconds, a Python int: cheaper to look up and keep)
                days_of = days.view("int64")[outside].tolist()
                as_day = pd.Timestamp
            else:
                dates = frame.series(column.key)
                known = dates.notna()
                outside = np.flatnonzero((known & ((dates.where(known, self.start) < self.start) |
                                                   (dates.where(known, self.end) > self.end))
                                          ).to_numpy(dtype=bool))
                days_of = [dates.iloc[i] for i in outside]
                as_day = lambda day: day  # noqa: E731
            sheet_rows, where = frame.rows, frame.where
            campaign = f"({self.start:%d/%m/%Y} to {self.end:%d/%m/%Y})"
            written: dict = {}          # (each day written once: the same days recur)
            for day, (row, at) in zip(days_of, _as_python(sheet_rows[outside], where[outside])):
                if day not in written:
                    written[day] = f"{as_day(day):%d/%m/%Y}"
                self.issue("warning", "outside_window",
                           f"Row {row}, {column.name}: {written[day]} is outside the campaign "
                           f"{campaign}; it is still counted.",
                           "Check the date; if it is right, nothing to do.", row=row,
                           column=column.name, col_index=positions[column.key], at=at)

    def check_unique_refs(self, refs: np.ndarray, ref_text, sheet_rows: np.ndarray,
                          positions: dict[str, int], where: np.ndarray) -> None:
        """`refs`: a number per counted row, equal for equal Refs, -1 for a missing Ref
        (never repeated); `ref_text(i)` the Ref of row i, for the message."""
        known = refs >= 0
        # (only a Ref whose number repeats can repeat: the others need no numbering)
        known[known] = _repeated(refs[known])
        if not known.any():
            return
        codes = np.full(len(refs), -1, dtype=np.int64)
        codes[known] = pd.factorize(refs[known])[0]          # numbered by first appearance
        first = np.flatnonzero(known)[_first_appearances(codes[known])]  # first row of each Ref
        repeated = known.copy()
        repeated[first] = False
        for i in np.flatnonzero(repeated):
            row = int(sheet_rows[i])
            self.issue("warning", "duplicate_ref",
                       f"Row {row}, Ref: '{_preview(ref_text(i))}' is also on row "
                       f"{int(sheet_rows[first[codes[i]]])} with different details; the young person is counted once.",
                       "Give each young person their own Ref, or merge the two rows.", row=row,
                       column="Ref", col_index=positions.get("ref"), at=where[i])

    def check_outlets(self, frame: "_ParsedRows", pos: int) -> None:
        """An Outlet written as a sentence or a note is free text: a warning, and charts
        count it as NOT_RECOGNISED (it is never a chart's label)."""
        known = ~frame.isna("outlet")
        if not known.any():
            return
        codes, distinct = frame.codes("outlet", known)
        odd = np.array([not is_outlet_name(v) for v in distinct], dtype=bool)
        if not odd.any():
            return
        sheet_rows = frame.rows[known]
        where = frame.where[known]
        for i in np.flatnonzero(odd[codes]):
            row = int(sheet_rows[i])
            self.issue("warning", "outlet_free_text",
                       f"Row {row}, Outlet: '{_preview(distinct[codes[i]])}' reads as a note, not "
                       f"an outlet's name; the piece counts, and charts show its outlet as "
                       f"'{NOT_RECOGNISED}'.",
                       f"Write only the outlet's name (at most {OUTLET_MAX_WORDS} words), and put "
                       "notes in the Headline.", row=row, column="Outlet", col_index=pos, at=where[i])

    def check_ref_case(self, refs: pd.Series, sheet_rows: np.ndarray,
                       positions: dict[str, int], where: np.ndarray) -> None:
        """Refs that differ only in upper and lower case ('bec-0003', 'BEC-0003') are two
        young people, as the contract counts distinct Refs as written (a decision in
        docs/data-contract.md), but most likely one typed twice: a warning on the first
        row of each spelling after the first."""
        known = refs.notna().to_numpy(dtype=bool)
        if not known.any():
            return
        values = refs[known].astype("str")
        folded = values.str.lower()
        if folded.nunique() == values.nunique():
            return                        # (the usual case: one pass, no Python per row)
        # (spellings are compared within one charity's rows: `owner` is the same for all
        # when one charity is checked)
        where = where[known]
        owner = np.zeros(len(where), dtype=np.intp) if self.owners is None else self.owners[where]
        spellings = pd.DataFrame({"owner": owner, "ref": values.to_numpy(dtype=object),
                                  "folded": folded.to_numpy(dtype=object),
                                  "row": sheet_rows[known], "at": where}
                                 ).drop_duplicates(["owner", "ref"])
        for _, group in spellings.groupby(["owner", "folded"], sort=False):
            first = group.iloc[0]
            for ref, row, at in zip(group["ref"].iloc[1:], group["row"].iloc[1:], group["at"].iloc[1:]):
                self.issue("warning", "ref_case",
                           f"Row {int(row)}, Ref: '{_preview(ref)}' differs from "
                           f"'{_preview(first['ref'])}' (row {int(first['row'])}) only in capital "
                           "letters; they count as two young people.",
                           "If they are the same young person, write the Ref the same way on "
                           "every row; if not, give them Refs that differ in more than case.",
                           row=int(row), column="Ref", col_index=positions.get("ref"), at=at)


def _parse_texts(column: Column, col: "_TextColumn", codes: np.ndarray):
    """(values of the rows, problem of each distinct text) for a column of text cells."""
    n = len(col.uniques)
    blank = col.is_blank | col.is_error                  # read as an empty cell
    if column.kind in ("text", "ref"):
        # parse_text of a trimmed, non-blank text is the text itself.
        return _texts_of(col.uniques, codes, _rows_flagged(blank, codes)), \
            np.full(n, None, dtype=object)
    parse = _text_parser(column)
    present = np.zeros(n, dtype=bool)
    present[codes] = True
    wanted = np.flatnonzero(present & ~blank)
    # A plain link is its own value with no problem (see PLAIN_URL): found by Arrow among
    # the distinct texts, so the tens of thousands of links of a coalition never become
    # Python strings; only the other texts are parsed one by one.
    itself = np.zeros(n, dtype=bool)
    if column.kind == "url" and len(wanted):
        itself[wanted] = _plain_urls(col.uniques.take(wanted))
    asked = wanted[~itself[wanted]]
    results = [(None, None)] * n
    empty = parse(None)
    for i in np.flatnonzero(present & blank):
        results[i] = empty
    for i, text in zip(asked, np.asarray(col.uniques.take(asked), dtype=object)):
        results[i] = parse(text)
    problem_of = np.array([r[1] for r in results], dtype=object)
    if itself.any():
        return _links_of(col.uniques, codes, itself, results), problem_of
    if column.kind == "date":
        return _days_as_datetime([r[0] for r in results])[codes], problem_of
    if column.kind == "int":
        return _as_int64([r[0] for r in results]).take(codes), problem_of
    if column.kind == "yesno":
        return np.array([bool(r[0]) for r in results], dtype=bool)[codes], problem_of
    value_of = [r[0] for r in results]
    if any(v is not None for v in value_of):
        # (the values that are texts, and each distinct text's place among them)
        given = [i for i, v in enumerate(value_of) if v is not None]
        at = np.full(n, -1, dtype=np.intp)
        at[given] = np.arange(len(given))
        return _Pooled(pd.array([value_of[i] for i in given], dtype="str"), at[codes]), problem_of
    return np.full(len(codes), None, dtype=object), problem_of


def _parse_cells(column: Column, kept: pd.Series, errors: np.ndarray):
    """(values, rows whose value cannot be read, why for row i) of real cells (dates,
    numbers from a workbook), parsed as they are."""
    # (built as objects: Series.map would turn a column of dates into datetime64,
    # its empty cells into NaT and its years outside pandas' range into errors)
    cleaned = pd.Series([cells.clean(v) for v in kept.astype(object).where(~errors, None)],
                        index=kept.index, dtype=object)
    parse = cells.parser_for(column)
    results = {value: parse(value) for value in pd.unique(cleaned)}
    values = cleaned.map({k: r[0] for k, r in results.items()}).to_numpy()
    problems = {k: r[1] for k, r in results.items() if r[1]}
    flagged = np.flatnonzero(cleaned.isin(list(problems)).to_numpy()) if problems else []
    if column.kind == "date":
        values = _as_datetime(values)
    return values, flagged, lambda i: problems[cleaned.iat[i]]


class _Pooled:
    """A text column of the rows checked, not yet made: row i's value is `pool[at[i]]`,
    missing where `at` is -1. Made once, for the rows kept (each Arrow take is a pass over
    the rows, and the rows left out are known only after every column is parsed)."""
    __slots__ = ("pool", "at")

    def __init__(self, pool, at: np.ndarray):
        self.pool, self.at = pool, at

    def take(self, keep: np.ndarray | None):
        at = self.at if keep is None else self.at[keep]
        return self.pool.take(at, allow_fill=True)


class _ParsedRows:
    """The rows checked (`sel` of a body), each registry column parsed: what the checks
    across rows read. `data` holds per column an array (numpy, pandas or _Pooled) or, for
    a column the sheet lacks, its one value; `rows` the sheet rows, `where` each row's
    position in the body."""

    def __init__(self, data: dict, rows: np.ndarray, where: np.ndarray):
        self.data, self.rows, self.where = data, rows, where

    def isna(self, key: str) -> np.ndarray:
        values = self.data[key]
        if isinstance(values, _Pooled):
            return values.at < 0
        if isinstance(values, (np.ndarray, pd.api.extensions.ExtensionArray)):
            return np.asarray(pd.isna(values), dtype=bool)
        return np.full(len(self.rows), pd.isna(values), dtype=bool)

    def dtype(self, key: str):
        values = self.data[key]
        return values.pool.dtype if isinstance(values, _Pooled) else self.series(key).dtype

    def codes(self, key: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(a code per row of `rows`, the value of each code as a Python object): what
        pd.factorize gives for the values of those rows (none missing), up to numbering."""
        values = self.data[key]
        if isinstance(values, _Pooled):
            at = values.at[rows]
            used = np.zeros(len(values.pool), dtype=bool)
            used[at] = True
            wanted = np.flatnonzero(used)
            number = np.zeros(len(values.pool), dtype=np.intp)
            number[wanted] = np.arange(len(wanted))
            return number[at], np.asarray(values.pool.take(wanted), dtype=object)
        return pd.factorize(self.series(key)[rows].astype(object))

    def series(self, key: str) -> pd.Series:
        """The column as the frame of every row checked holds it."""
        values = self.data[key]
        if isinstance(values, _Pooled):
            values = values.take(None)
        return pd.DataFrame({key: values}, index=pd.RangeIndex(len(self.rows)))[key]

    def frame(self, keep: np.ndarray) -> pd.DataFrame:
        """The frame of the rows `keep` (a mask), numbered from 0."""
        if keep.all():
            keep = None
        data = {}
        for key, values in self.data.items():
            if isinstance(values, _Pooled):
                data[key] = values.take(keep)
            elif isinstance(values, (np.ndarray, pd.api.extensions.ExtensionArray)):
                data[key] = values if keep is None else values[keep]
            else:
                data[key] = values
        data["_row"] = self.rows if keep is None else self.rows[keep]
        # (every array is this frame's own: no copy, nor one block made of the columns of
        # a dtype, which is copying them again)
        return pd.DataFrame(data, index=pd.RangeIndex(len(data["_row"])), copy=False)


def _typed(frame: pd.DataFrame, tab: Tab) -> pd.DataFrame:
    """The checked rows (a frame numbered from 0: _ParsedRows.frame), each column in the
    contract's type."""
    for column in tab.columns:
        wanted = _dtype(column)
        if wanted == "object" or frame[column.key].dtype == wanted:
            continue                 # (text, and columns parsed from text, are already typed)
        if column.kind == "date":
            frame[column.key] = pd.to_datetime(frame[column.key]).astype(wanted)
        else:
            frame[column.key] = frame[column.key].astype(wanted)
    return frame


# Converting a column's distinct texts to Python strings costs each text about 1/75 of a
# lookup of one text in Arrow's array (3 ms for 50,000 Refs, 4 µs a lookup).
_LOOKUPS_PER_CONVERSION = 75


class _TextColumn:
    """One column of a tab's body as codes into its distinct trimmed texts.

    `texts[codes]` is the trimmed text of every cell, what a person sees ("" for a blank).
    A 10,000-row column costs a few vectorised passes plus Python work per *distinct*
    value, never per cell. `plain`: the column holds only text (a CSV file, Google's
    formatted values), so parsing the trimmed text is parsing the cell. `uniques` holds
    the distinct texts as pandas text (Arrow); `texts` is the same as Python strings,
    made only when asked for.
    """
    __slots__ = ("codes", "uniques", "is_blank", "is_error", "plain", "_texts", "_asked")

    def __init__(self, col: pd.Series | None, encoded: tuple | None = None):
        """`encoded`: _arrow_codes of the column's text cells, when already made
        (_coded_texts); the column itself is then not read."""
        if encoded is not None:
            self.plain = True
        else:
            assert col is not None, "a column's cells or their codes"
            self.plain = _only_text(col)
            if self.plain:
                text = col if isinstance(col.dtype, pd.StringDtype) else col.astype("str")
                encoded = _arrow_codes(text)
        if self.plain:
            if encoded is not None:
                codes, uniques, blank, hashes = encoded
            else:
                codes, uniques = text.str.strip().array.factorize()
                blank, hashes = np.asarray(uniques == "", dtype=bool), None
        else:
            codes, uniques = col.map(cells.as_text).astype("str").array.factorize()
            blank, hashes = np.asarray(uniques == "", dtype=bool), None
        if (codes < 0).any():                       # blanks (None) read as ""
            empty = np.flatnonzero(blank)
            if not len(empty):
                uniques = type(uniques)._concat_same_type([uniques, pd.array([""], dtype="str")])
                blank = np.append(blank, True)
                hashes = None if hashes is None else np.append(hashes, False)
                empty = [len(uniques) - 1]
            codes = np.where(codes < 0, empty[0], codes)
        self.codes, self.uniques, self.is_blank, self._texts = codes, uniques, blank, None
        self._asked = 0
        # Error values all start with '#': only those texts are compared.
        self.is_error = np.zeros(len(uniques), dtype=bool)
        if hashes is None:
            hashes = pd.Series(uniques).str.startswith("#").to_numpy(dtype=bool, na_value=False)
        for i in np.flatnonzero(hashes):
            self.is_error[i] = cells.is_error_value(uniques[i])

    @property
    def texts(self) -> np.ndarray:
        if self._texts is None:
            self._texts = np.asarray(self.uniques, dtype=object)
        return self._texts

    def text(self, code: int) -> str:
        # (A message per problem row adds up to thousands of lookups, each slower on Arrow's
        # array than converting the column to Python strings once; but a column of 50,000
        # distinct Refs asked for a few hundred repeated ones is cheaper looked up alone.)
        if self._texts is None:
            self._asked += 1
            if self._asked * _LOOKUPS_PER_CONVERSION < len(self.uniques):
                return self.uniques[code]
        return self.texts[code]


def _arrow_codes(text: pd.Series):
    """(codes, distinct trimmed texts, which are blank, which start with '#') straight from Arrow's compute
    functions: the same as `text.str.strip().array.factorize()`, without pandas' per-call
    overhead, which adds up over the 1,400 columns of a 50-charity coalition."""
    import pyarrow as pa
    import pyarrow.compute as pc
    arr = cells.arrow_text(text)
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    return _trimmed_codes(pc.dictionary_encode(arr), text.dtype)


def _trimmed_codes(written, dtype):
    """_arrow_codes from Arrow's coding of the texts as written (a DictionaryArray, null
    for a missing cell): only the distinct texts are trimmed and coded again (texts that
    differ only in edge whitespace trim to one), as trimming every cell copied the column.
    Codes stay numbered by first appearance of the trimmed text in `written`'s texts."""
    import pyarrow.compute as pc
    trimmed = pc.utf8_trim_whitespace(written.dictionary)
    if trimmed.equals(written.dictionary):      # (most columns: nothing to trim)
        dictionary = written.dictionary
        codes = pc.fill_null(written.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp)
    else:
        encoded = pc.dictionary_encode(trimmed)
        dictionary = encoded.dictionary
        # (the code of each text as written, and -1 after the last for a missing cell)
        code_of = np.append(encoded.indices.to_numpy(zero_copy_only=False).astype(np.intp), -1)
        codes = code_of[pc.fill_null(written.indices, len(written.dictionary))
                        .to_numpy(zero_copy_only=False)]
    uniques = dtype.__from_arrow__(dictionary)
    blank = pc.equal(dictionary, "").to_numpy(zero_copy_only=False)
    hashes = pc.starts_with(dictionary, "#").to_numpy(zero_copy_only=False)
    return codes, uniques, np.asarray(blank, dtype=bool), np.asarray(hashes, dtype=bool)


def _coded_body(raw_tab: RawTab, body: pd.DataFrame) -> dict | None:
    """The reader's codes of each column of a tab's body (the tab's last rows): (the
    column's codes, the body's first row in them) by position; None when the reader did not
    code the tab's cells as they are."""
    coded, grid = raw_tab.coded, raw_tab.cells
    if coded is None or len(coded) != grid.shape[1] or any(len(c) != len(grid) for c in coded):
        return None
    start = len(grid) - len(body)
    return {pos: (coded[pos], start) for pos in range(len(coded))}


def _coded_texts(pieces: list, dtype):
    """_arrow_codes of pieces of text one after another, from the reader's codes: each
    piece (a column's codes and the first row taken of them, or None for missing cells; its
    number of rows). Arrow puts the pieces' distinct texts together (unify_dictionaries),
    so cells are not compared again, only looked up. The distinct texts are numbered by
    first appearance in the pieces' whole columns, one after another (a text only in the
    rows above those taken, the header's, is among them): nothing reads more into the order."""
    import pyarrow as pa
    chunks = []
    for piece, n in pieces:
        if piece is None:
            chunks.append(pa.DictionaryArray.from_arrays(pa.nulls(n, pa.int32()),
                                                         pa.array([], pa.string())))
        else:
            column, start = piece
            chunks.append(column.slice(start))
    return _trimmed_codes(pa.chunked_array(chunks).unify_dictionaries().combine_chunks(), dtype)


def _first_appearances(codes: np.ndarray) -> np.ndarray:
    """The position of each code's first appearance, in code order, for codes numbered by
    first appearance (pd.factorize's): np.unique(codes, return_index=True)[1] without
    sorting. A code appears first where it exceeds every code before it."""
    if not len(codes):
        return np.zeros(0, dtype=np.intp)
    new = np.empty(len(codes), dtype=bool)
    new[0] = True
    np.greater(codes[1:], np.maximum.accumulate(codes)[:-1], out=new[1:])
    return np.flatnonzero(new)


def _differ_in_case(uniques, codes: np.ndarray) -> bool:
    """Whether two of the distinct texts `uniques[codes]` are the same in lower case (as
    check_ref_case folds them: Arrow's utf8_lower), counted on the distinct texts only."""
    import pyarrow.compute as pc
    present = np.zeros(len(uniques), dtype=bool)
    present[codes] = True
    texts = uniques.__arrow_array__().combine_chunks()
    if _lowering_keeps_apart(texts, present):
        return False
    folded = pc.dictionary_encode(pc.utf8_lower(texts))
    if present.all():
        return len(folded.dictionary) < len(texts)
    codes_present = folded.indices.to_numpy(zero_copy_only=False)[present]
    return int(np.count_nonzero(np.bincount(codes_present, minlength=len(folded.dictionary)))) \
        < len(codes_present)


def _lowering_keeps_apart(texts, among: np.ndarray) -> bool:
    """Whether lower-casing surely keeps the distinct `texts[among]` distinct, told without
    hashing them (Refs are mostly like C049-00001): true when each is ASCII and none holds
    a lower-case letter, or none an upper-case one. Lowering then maps each character to
    one of its own (A-Z to a-z, the rest to themselves), so texts apart stay apart."""
    import pyarrow.compute as pc

    def each(flags) -> bool:
        return bool(flags.to_numpy(zero_copy_only=False)[among].all())
    if not each(pc.string_is_ascii(texts)):
        return False
    return each(pc.equal(pc.ascii_upper(texts), texts)) or each(pc.equal(pc.ascii_lower(texts), texts))


def _repeated(keys: np.ndarray) -> np.ndarray:
    """Whether each of `keys` (whole numbers from 0) occurs more than once among them;
    every one is said to when they are too far apart to count."""
    if not len(keys):
        return np.zeros(0, dtype=bool)
    top = int(keys.max()) + 1
    if top > 4 * len(keys) + 4096:
        return np.ones(len(keys), dtype=bool)
    return (np.bincount(keys, minlength=top) > 1)[keys]


def _row_ids(columns: list["_TextColumn"], sel: np.ndarray) -> np.ndarray:
    """An id per selected row, equal for rows whose every cell reads the same, numbered
    in order of first appearance."""
    key = np.zeros(len(sel), dtype=np.int64)
    span = 1
    for col in columns:
        size = max(1, len(col.uniques))
        if span * size >= 2 ** 62:               # keep the combined key inside int64
            key, _ = pd.factorize(key)
            key = key.astype(np.int64)
            span = int(key.max()) + 1 if len(key) else 1
        key = key * size + col.codes[sel]
        span *= size
    ids, _ = pd.factorize(key)
    return ids


# One parser per registry column, remembering what it returned for each text: the same
# dates, yes/no values and choices recur in every charity's sheet. Parsers are pure
# functions of the text, so this changes nothing but the time taken.
_TEXT_PARSERS: dict[Column, object] = {}


def _text_parser(column: Column):
    parse = _TEXT_PARSERS.get(column)
    if parse is None:
        parse = _TEXT_PARSERS.setdefault(
            column, functools.lru_cache(maxsize=1 << 15)(cells.parser_for(column)))
    return parse


# A plain link: http(s)://, a host of dot-separated letters, digits and hyphens, then
# nothing or a path of printable ASCII without space, backslash or '@'. For such a text
# dashboard.safe.safe_url returns the text itself (no edge junk to strip, no invisible
# character, no credentials, no port, a valid host), so it need not be asked; every other
# link still goes through safe_url. tests/test_benchmarks_smoke.py checks the agreement.
PLAIN_URL = "^" + ASCII_HTTP_HOST + r"(?:/[!#-?A-[\]-~]*)?$"


def _plain_urls(texts: np.ndarray) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc
    # Arrow's regular expressions (RE2): '$' is the end of the text, never before a newline.
    arrow = pa.array(texts, type=pa.string(), from_pandas=True)   # (Python or pandas texts)
    return pc.fill_null(pc.match_substring_regex(arrow, PLAIN_URL), False).to_numpy(
        zero_copy_only=False).astype(bool)


def _links_of(uniques, codes: np.ndarray, itself: np.ndarray, results: list):
    """The rows' links as pandas text (to be made: _Pooled): a distinct text that is `itself` its own value is
    taken from `uniques`, any other from its parse result (missing where that is None)."""
    parsed = np.flatnonzero(~itself)
    parsed = parsed[[results[i][0] is not None for i in parsed]]
    at = np.full(len(uniques), -1, dtype=np.intp)
    at[itself] = np.flatnonzero(itself)
    at[parsed] = len(uniques) + np.arange(len(parsed))
    pool = type(uniques)._concat_same_type(
        [uniques, pd.array([results[i][0] for i in parsed], dtype=uniques.dtype)])
    return _Pooled(pool, at[codes])


def _as_python(*arrays: np.ndarray):
    """The arrays' values as Python values, row by row: a message per row formats and
    compares these faster than numpy's scalars."""
    return zip(*(array.tolist() for array in arrays))


def _rows_flagged(flag_of: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """`flag_of[codes]`: whether each row's distinct text is flagged."""
    return flag_of[codes] if flag_of.any() else np.zeros(len(codes), dtype=bool)


def _texts_of(uniques, codes: np.ndarray, missing: np.ndarray):
    """The rows' texts as pandas text (to be made: _Pooled), missing where `missing`; all
    missing: None objects (as a column with no value has always been)."""
    if missing.all():
        return np.full(len(codes), None, dtype=object)
    return _Pooled(uniques, np.where(missing, -1, codes) if missing.any() else codes)


def _only_text(col: pd.Series) -> bool:
    """Only strings and empty cells (None/NaN), as a CSV file or Google's values give."""
    if isinstance(col.dtype, pd.StringDtype):
        return True
    if col.dtype != object or pd.api.types.infer_dtype(col, skipna=True) not in ("string", "empty"):
        return False
    missing = col[col.isna()]
    return all(v is None or isinstance(v, float) for v in missing)


def _as_datetime(values) -> np.ndarray:
    """Dates (dt.date or None) as datetime64[ns]; left as they are when one is out of
    range, so the final conversion decides exactly as it did before."""
    try:
        return pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[ns]").to_numpy()
    except (OverflowError, ValueError):      # OutOfBoundsDatetime is a ValueError
        out = np.empty(len(values), dtype=object)
        out[:] = list(values)
        return out


_UNIX_DAY_ZERO = dt.date(1970, 1, 1).toordinal()
_NAT = np.iinfo(np.int64).min


def _days_as_datetime(values: list) -> np.ndarray:
    """Days (dt.date, what parse_date gives, or None) as datetime64[ns], by day number:
    a fifth of the time pandas takes to read the date objects (a pass per date column)."""
    if not all(type(v) is dt.date or v is None for v in values):
        return _as_datetime(values)
    days = np.fromiter((_NAT if v is None else v.toordinal() - _UNIX_DAY_ZERO for v in values),
                       dtype=np.int64, count=len(values))
    return days.view("datetime64[D]").astype("datetime64[ns]")


def _as_int64(values) -> object:
    try:
        return pd.array(list(values), dtype="Int64")
    except (OverflowError, TypeError, ValueError):
        out = np.empty(len(values), dtype=object)
        out[:] = list(values)
        return out


def _chosen_tabs(raw: RawWorkbook, charity: str) -> tuple[dict[str, RawTab], list[Issue]]:
    """(the raw tab read for each registry tab, the workbook's own issues: tabs twice, extra tabs)."""
    issues: list[Issue] = []
    chosen: dict[str, RawTab] = {}
    extra_tabs: list[str] = []
    for raw_tab in raw.tabs:
        tab = match_tab(raw_tab.title)
        if tab is None:
            extra_tabs.append(raw_tab.title)
        elif tab.key in chosen:
            issues.append(Issue(charity, tab.name, None, None, "warning", "duplicate_tab",
                                f"The tabs '{chosen[tab.key].title}' and '{raw_tab.title}' both look "
                                f"like {tab.name}; only '{chosen[tab.key].title}' is read.",
                                "Merge them into one tab, or rename the other.",
                                raw.cell_link(raw_tab, None, None)))
        else:
            chosen[tab.key] = raw_tab
    if extra_tabs:
        issues.append(Issue(charity, None, None, None, "note", "extra_tab",
                            f"Extra tab(s) {', '.join(repr(t) for t in extra_tabs)} are kept in your "
                            "workbook and ignored by the dashboard."))
    return chosen, issues


def _missing_tab(charity: str, tab: Tab) -> Issue:
    return Issue(charity, tab.name, None, None, "note", "missing_tab",
                 f"There is no '{tab.name}' tab; it counts as empty.",
                 "Add the tab from the template workbook when you have rows for it.")


def validate_workbook(raw: RawWorkbook, charity: str, start: dt.date | None = None,
                      end: dt.date | None = None) -> CharityData:
    chosen, issues = _chosen_tabs(raw, charity)
    frames: dict[str, pd.DataFrame] = {}
    for tab in TABS:
        raw_tab = chosen.get(tab.key)
        if raw_tab is None:
            issues.append(_missing_tab(charity, tab))
            frames[tab.key] = empty_frame(tab)
            continue
        checker = _TabChecker(raw, raw_tab, tab, charity, start, end)
        frames[tab.key] = checker.run()
        issues.extend(checker.issues)
    return CharityData(charity, frames, issues)


# -- several charities checked as one ----------------------------------------------------

def combinable(raw: RawWorkbook) -> bool:
    """Whether validate_workbooks may check this workbook with others: every cell text
    (a CSV folder: pandas text columns), so a column's cells are its trimmed texts, and no
    cell links (a local file), so an issue needs only its charity and row."""
    return not raw.edit_url and all(isinstance(dtype, pd.StringDtype)
                                    for raw_tab in raw.tabs for dtype in raw_tab.cells.dtypes)


@dataclass
class _Codes:
    """A stand-in _TextColumn for rows' keys that are not a registry column (whose charity
    a row is, its extra columns' texts): codes, one entry per code, which codes are blank."""
    codes: np.ndarray
    uniques: np.ndarray
    is_blank: np.ndarray


class _CombinedChecker(_TabChecker):
    """One tab of several charities, checked as one body: the registry columns of every
    charity's body, one after another, with whose row each is (`owners`). The rules that
    compare rows (repeated rows, repeated Refs, Refs differing in case) compare a charity's
    rows only; every issue is its row's charity's. Issues come out rule by rule, each rule's
    in row order, so a stable split by charity gives each charity its issues in the order
    checking it alone gives."""

    def __init__(self, tab: Tab, names: list[str], start: dt.date | None, end: dt.date | None):
        super().__init__(None, None, tab, "", start, end)  # type: ignore[arg-type]
        self.names = names
        self.found: list[tuple[int, Issue]] = []

    def issue(self, severity, code, message, fix="", row=None, column=None, col_index=None, at=None):
        if at is None or self.owners is None:
            raise ValueError(f"an issue ({code}) of several charities' rows without its row")
        owner = int(self.owners[at])
        self.found.append((owner, Issue(self.names[owner], self.tab.name, row, column, severity,
                                        code, message, fix, None)))

    def run_parts(self, parts: list[tuple[int, pd.DataFrame, dict[int, Column], dict | None]]
                  ) -> tuple[pd.DataFrame, np.ndarray]:
        """(the typed frame of every part's kept rows, in part order; rows kept per charity).
        A part: (its charity, its body, the registry column of each body position, the
        reader's codes of its body's columns: _coded_body)."""
        columns, body, sheet_rows, extra = self.combined_body(parts)
        owner = _Codes(self.owners, np.arange(len(self.names)), np.ones(len(self.names), dtype=bool))
        blank = np.logical_and.reduce([c.is_blank[c.codes] for c in (*columns.values(), extra)])
        keys = {**columns, "(owner)": owner, "(extra)": extra}
        sel = np.flatnonzero(self.drop_duplicate_rows(keys, ~blank, sheet_rows))
        positions = {key: key for key in columns}
        parsed, bad_rows = self.parse_rows(body, columns, sel, sheet_rows[sel], positions)
        bad_rows |= self.check_rows(parsed, columns, sel, positions, bad_rows)
        # A text column with no value in a charity's rows is None objects when checked alone
        # (and absent from its sheet, the column's blank value): those charities are told.
        owners = self.owners[sel]
        self.no_value: dict[str, np.ndarray] = {}
        for key in positions:
            if _dtype(self.tab.column(key)) == "object" and parsed.dtype(key) != object:
                has_value = np.zeros(len(self.names), dtype=bool)
                has_value[owners[~parsed.isna(key)]] = True
                self.no_value[key] = ~has_value
        kept = self.owners[sel[~bad_rows]]
        typed = _typed(parsed.frame(~bad_rows), self.tab)
        return typed, np.bincount(kept, minlength=len(self.names))

    def combined_body(self, parts) -> tuple[dict, pd.DataFrame, np.ndarray, _Codes]:
        """(the registry columns any part has, as one body's _TextColumns: a part without
        a column has blank cells there; the body numbered from 0, with the cells of the
        columns not made from the reader's codes (_coded_texts); each row's sheet row; its
        extra columns' texts)."""
        lengths = [len(body) for _, body, _, _ in parts]
        self.owners = np.repeat(np.array([m for m, _, _, _ in parts], dtype=np.intp), lengths)
        sheet_rows = np.concatenate([body.index.to_numpy(dtype="int64") + 1 for _, body, _, _ in parts])
        columns, data = {}, {}
        # (each part's registry columns by key, each column fetched from its frame once)
        arrays = [{c.key: body[pos].array for pos, c in mapping.items()} for _, body, mapping, _ in parts]
        positions = [{c.key: pos for pos, c in mapping.items()} for _, _, mapping, _ in parts]
        every_coded = all(codes is not None for _, _, _, codes in parts)
        for column in self.tab.columns:
            present = [part.get(column.key) for part in arrays]
            if all(array is None for array in present):
                continue
            dtype = next(array.dtype for array in present if array is not None)
            if every_coded:
                columns[column.key] = _TextColumn(None, _coded_texts(
                    [(codes[at[column.key]] if column.key in at else None, n)
                     for (_, _, _, codes), at, n in zip(parts, positions, lengths)], dtype))
                continue
            pieces = [array if array is not None else pd.array([None] * n, dtype=dtype)
                      for array, n in zip(present, lengths)]
            data[column.key] = pd.Series(type(pieces[0])._concat_same_type(pieces), copy=False)
            columns[column.key] = _TextColumn(data[column.key])
        body = pd.DataFrame(data, index=pd.RangeIndex(len(sheet_rows)))
        return columns, body, sheet_rows, self.extra_codes(parts, lengths)

    @staticmethod
    def extra_codes(parts, lengths) -> _Codes:
        """Each row's texts in its charity's columns that are no registry column, as one
        code per distinct combination within the charity: rows are repeats of each other,
        or blank, only if these read the same (or are blank) too."""
        codes = np.zeros(sum(lengths), dtype=np.int64)
        is_blank = [True]                                   # code 0: no extra column
        at = 0
        for (_, body, mapping, coded), n in zip(parts, lengths):
            extra = [_TextColumn(body[pos], None if coded is None else
                                 _coded_texts([(coded[pos], n)], body[pos].dtype))
                     for pos in body.columns if pos not in mapping]
            if extra:
                ids = _row_ids(extra, np.arange(n))
                blank = np.logical_and.reduce([c.is_blank[c.codes] for c in extra])
                first = _first_appearances(ids)
                codes[at:at + n] = len(is_blank) + ids
                is_blank.extend(blank[first].tolist())
            at += n
        return _Codes(codes, np.arange(len(is_blank)), np.array(is_blank, dtype=bool))


def validate_workbooks(books: list[tuple[RawWorkbook, str]], start: dt.date | None = None,
                       end: dt.date | None = None
                       ) -> tuple[list[CharityData], dict[str, pd.DataFrame], list[list[int]],
                                  frozenset[str]]:
    """validate_workbook of each (workbook, charity), every one `combinable`, checked per
    tab as one body: the same frames' rows and issues, in the same order. Returns (each
    charity's CharityData, whose frames are slices of the combined frames; the combined
    frame of each tab, charities one after another; each charity's row count per tab; the
    tabs whose every charity's frame with rows is a plain slice, in the combined dtypes)."""
    names = [name for _, name in books]
    chosen, issues = zip(*(_chosen_tabs(raw, name) for raw, name in books)) if books else ((), ())
    issues = [list(i) for i in issues]
    frames: list[dict[str, pd.DataFrame]] = [{} for _ in books]
    whole: dict[str, pd.DataFrame] = {}
    counts = np.zeros((len(books), len(TABS)), dtype=np.int64)
    mixed: set[str] = set()
    for t, tab in enumerate(TABS):
        own: list[list[Issue]] = [[] for _ in books]
        parts = []
        for m, (raw, name) in enumerate(books):
            raw_tab = chosen[m].get(tab.key)
            if raw_tab is None:
                own[m].append(_missing_tab(name, tab))
                continue
            checker = _TabChecker(raw, raw_tab, tab, name, start, end)
            body, mapping = checker.read_body()
            own[m].extend(checker.issues)
            if body is not None:
                parts.append((m, body, mapping, _coded_body(raw_tab, body)))
        if parts:
            combined = _CombinedChecker(tab, names, start, end)
            whole[tab.key], counts[:, t] = combined.run_parts(parts)
            for owner, issue in combined.found:
                own[owner].append(issue)
        else:
            whole[tab.key], combined = empty_frame(tab), None
        starts = np.concatenate([[0], np.cumsum(counts[:, t])])
        bodies = {m: mapping for m, _, mapping, _ in parts}
        for m in range(len(books)):
            if m in bodies:
                part = whole[tab.key].iloc[starts[m]:starts[m + 1]].reset_index(drop=True)
                frames[m][tab.key] = _as_alone(part, tab, bodies[m], combined.no_value, m)
                if frames[m][tab.key] is not part and len(part):
                    mixed.add(tab.key)
            else:
                frames[m][tab.key] = empty_frame(tab)
            issues[m].extend(own[m])
    datas = [CharityData(name, frames[m], issues[m]) for m, name in enumerate(names)]
    return datas, whole, counts.tolist(), frozenset(t.key for t in TABS) - mixed


def _as_alone(part: pd.DataFrame, tab: Tab, mapping: dict[int, Column],
              no_value: dict[str, np.ndarray], m: int) -> pd.DataFrame:
    """A charity's slice of the combined frame, with each text column as checking the
    charity alone types it: an absent column holds the column's blank value, one with no
    value None (objects, not pandas text)."""
    present = {c.key for c in mapping.values()}
    fixes = {}
    for column in tab.columns:
        key = column.key
        if key in no_value and (key not in present or no_value[key][m]) and len(part):
            blank = column.blank_means if key not in present else None
            # (as the frame's constructor types a constant: None objects, a text as text)
            fixes[key] = pd.Series(blank, index=part.index) if blank else \
                pd.Series([None] * len(part), index=part.index, dtype=object)
    return part.assign(**fixes) if fixes else part


def name_columns(raw: RawWorkbook, raw_tab: RawTab, tab: Tab) -> tuple[int | None, list[int]]:
    """(the header row, positions of the columns whose header looks like a young person's
    name) of a tab about people; (None, []) for other tabs. With no header row the tab is
    not read at all, and any name-like cell in its first rows marks its column."""
    if not tab.about_people or raw_tab.cells.empty:
        return None, []
    grid = raw_tab.cells
    header, mapping = _TabChecker(raw, raw_tab, tab, "", None, None).find_header(grid)
    rows = [header] if header is not None else range(min(HEADER_SEARCH_ROWS, len(grid)))
    found: dict[int, int] = {}
    for i in rows:
        for pos, value in grid.iloc[i].items():
            if pos not in mapping and isinstance(value, str) and \
                    norm_name(value).replace("'", "") in NAME_LIKE_HEADERS:
                found.setdefault(pos, i)
    start = min(found.values(), default=None)
    return start, sorted(found)


def without_names(raw: RawWorkbook) -> RawWorkbook:
    """`raw` with every cell under a name-like header of a tab about people replaced by a
    number ("name 1", "name 2"…, equal for equal trimmed texts, blanks kept blank): what
    may be stored. Validating it gives exactly what validating `raw` gives, as the column
    is never read and rows stay as distinct or as repeated as they were."""
    tabs, changed = [], False
    for raw_tab in raw.tabs:
        tab = match_tab(raw_tab.title)
        header, positions = name_columns(raw, raw_tab, tab) if tab is not None else (None, [])
        if not positions:
            tabs.append(raw_tab)
            continue
        cells_frame = raw_tab.cells.copy()                  # the read itself is left as it is
        # The tab's own headers are kept where they are: finding the header row (or failing
        # to, and saying which columns are missing) then reads the same cells.
        headers = {norm_name(c.name) for c in tab.columns}
        for pos in positions:
            numbers: dict[str, str] = {}
            column = cells_frame[pos].to_numpy(dtype=object, na_value=None).copy()
            for i in range(header + 1, len(column)):
                text = cells.as_text(column[i])
                if text == "":
                    column[i] = None
                elif norm_name(text) not in headers:
                    column[i] = numbers.setdefault(text, f"name {len(numbers) + 1}")
            cells_frame[pos] = pd.Series(column, index=cells_frame.index, dtype=object)
        tabs.append(RawTab(raw_tab.title, cells_frame, raw_tab.sheet_id))
        changed = True
    if not changed:
        return raw
    return RawWorkbook(raw.source, raw.kind, tabs, raw.read_at, raw.api_calls, raw.edit_url)
