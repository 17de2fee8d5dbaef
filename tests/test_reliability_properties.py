"""Property-based tests (issue 16): no workbook a sheet can hold makes validation, the
figures or the summary raise; every issue about a cell names its row and column; one
charity's workbook never changes another charity's figures; and what is stored without
names validates exactly as the read does.

Workbooks are generated: cells of every kind in every column (text, huge and negative
numbers, nan and infinities, booleans, dates from year 1 to 9999, error values, the
contract's own values), headers missing, repeated or random, tabs missing, repeated or
random, title rows, random sizes; as real workbook cells or as CSV text. Together the
tests run 760 examples (about 40 s of CPU time).
"""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.base import RawTab, RawWorkbook
from dashboard import cells
from dashboard.contract import ERROR_VALUES, FIGURES, TABS, match_tab
from dashboard.validate import validate_workbook, without_names

NOW = dt.datetime(2022, 6, 23, 9, 0, tzinfo=dt.timezone.utc)
START, END = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
SETTINGS = dict(deadline=None, derandomize=True, print_blob=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])

HEADERS = sorted({c.name for t in TABS for c in t.columns} | {"Name", "First name", "Surname"})
TAB_TITLES = [t.name for t in TABS] + ["mp_meetings", " ATTENDEES ", "Notes", "Sheet1"]
CONTRACT_VALUES = sorted({v for t in TABS for c in t.columns for v in (*c.choices, c.example) if v}
                         | {"Karl Tuner", "bec-0003", "BEC-0003", "Lab", "Con", "22/06/2022",
                            "44734", "1,200", "1 200", "1200.0", "javascript:alert(1)", "yes", "no"})

texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(CONTRACT_VALUES),
    st.sampled_from(ERROR_VALUES),
    st.text(alphabet="0123456789", min_size=1, max_size=420),        # up to 420 digits
    st.text(alphabet="0123456789,. -/", min_size=1, max_size=24),
    st.from_regex(r"=[A-Z]{1,3}\(.{0,10}\)", fullmatch=True),       # a formula's text
)
real_cells = st.one_of(
    st.none(), texts,
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
    st.sampled_from([0, 1, 10 ** 30, 2 ** 63, 2 ** 63 - 1, -(2 ** 63), 10 ** 400]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 44734.0, 0.5, float("nan")]),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(),
)


def plausible(header, tab) -> st.SearchStrategy:
    """Cells for a column: mostly values of its kind, sometimes anything at all."""
    column = next((c for c in tab.columns if isinstance(header, str) and c.name == header), None)
    if column is None:
        return real_cells
    kind = {
        "choice": st.sampled_from(column.choices or ("x",)),
        "int": st.one_of(st.integers(0, 10 ** 6), st.sampled_from(["1,200", 10 ** 30, "9" * 400])),
        "date": st.one_of(st.dates(dt.date(2021, 6, 1), dt.date(2023, 6, 1)),
                          st.sampled_from(["22/06/2022", "44734", "2022-06-22"])),
        "ref": st.from_regex(r"[A-Za-z]{2,3}-000[0-9]", fullmatch=True),
        "yesno": st.sampled_from(["yes", "no", "Y", True, 1]),
        "url": st.from_regex(r"https://[a-z]{1,5}\.org/[a-z0-9]{0,4}", fullmatch=True),
    }.get(column.kind, st.sampled_from(CONTRACT_VALUES))
    return st.one_of(kind, kind, kind, real_cells)


@st.composite
def headers(draw, tab):
    """Mostly a header the tab can be read by (its required columns, some others, in any
    order, some repeated), otherwise anything."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.lists(st.one_of(st.sampled_from(HEADERS), st.text(max_size=12), st.none()),
                             max_size=8))
    names = [c.name for c in tab.required] + [c.name for c in tab.one_of[:1]]
    names += draw(st.lists(st.one_of(st.sampled_from([c.name for c in tab.columns]),
                                     st.sampled_from(HEADERS), st.text(max_size=8), st.none()),
                           max_size=6))
    return draw(st.permutations(names))


@st.composite
def tabs(draw, csv: bool, tab):
    header = draw(headers(tab))
    width = len(header)
    titles = draw(st.lists(st.lists(real_cells, min_size=0, max_size=width), max_size=2))
    row = st.tuples(*[plausible(h, tab) for h in header], st.lists(real_cells, max_size=1))
    body = [[*r[:-1], *r[-1]] for r in draw(st.lists(row, max_size=14))]
    if body and draw(st.booleans()):
        body.append(list(body[0]))                                     # a repeated row
    rows = [*titles, header, *body]
    size = max([len(r) for r in rows] + [0])
    grid = [list(r) + [None] * (size - len(r)) for r in rows]
    if csv:   # every cell as the text a CSV file gives, blanks as ""
        cells_frame = pd.DataFrame([["" if v is None else str(v) for v in r] for r in grid],
                                   dtype="str") if size else pd.DataFrame(dtype=object)
    else:
        cells_frame = pd.DataFrame(grid, dtype=object) if size else pd.DataFrame(dtype=object)
    cells_frame.columns = range(cells_frame.shape[1])
    return cells_frame


@st.composite
def workbooks(draw):
    csv = draw(st.booleans())
    titles = draw(st.lists(st.one_of(st.sampled_from(TAB_TITLES), st.sampled_from(TAB_TITLES),
                                     st.text(max_size=10)), max_size=6))
    raw_tabs = []
    for title in titles:
        tab = match_tab(title) or draw(st.sampled_from(TABS))
        raw_tabs.append(RawTab(title, draw(tabs(csv, tab))))
    return RawWorkbook("generated", "csv" if csv else "xlsx", raw_tabs, NOW)


# Issues about one cell: each names its row and column.
CELL_CODES = {"bad_date", "bad_yesno", "bad_int", "bad_url", "bad_choice", "bad_status",
              "error_value", "missing_required", "outside_window", "duplicate_ref", "ref_case",
              "outlet_free_text", "mp_name_unknown", "party_not_recognised",
              "unknown_constituency", "mp_not_for_constituency"}


def check_issues(data, raw: RawWorkbook) -> None:
    longest = max((len(t.cells) for t in raw.tabs), default=0)
    tab_names = {t.name for t in TABS}
    for issue in data.issues:
        assert issue.severity in ("error", "warning", "note")
        assert issue.message and isinstance(issue.message, str)
        assert issue.tab is None or issue.tab in tab_names
        if issue.code in CELL_CODES:
            assert isinstance(issue.row, int) and 1 <= issue.row <= longest, issue
            assert isinstance(issue.column, str) and issue.column, issue
        if issue.row is not None:
            assert 1 <= issue.row <= longest, issue


@settings(max_examples=250, **SETTINGS)
@given(raw=workbooks())
def test_validation_never_raises_and_every_cell_issue_names_its_row_and_column(raw):
    data = validate_workbook(raw, "Generated", START, END)
    check_issues(data, raw)
    for tab in TABS:
        frame = data.frames[tab.key]
        assert list(frame.columns) == [*tab.keys, "_row"]
        for column in tab.columns:
            if column.kind == "int":
                values = frame[column.key].dropna()
                top = column.max_value if column.max_value is not None else cells.WHOLE_NUMBER_MAX
                assert ((values >= 0) & (values <= top)).all()
    # What is stored (names numbered away) checks exactly as the read.
    stored = validate_workbook(without_names(raw), "Generated", START, END)
    assert stored.issues == data.issues
    for key in data.frames:
        pd.testing.assert_frame_equal(stored.frames[key], data.frames[key])


@pytest.fixture(scope="module")
def coalition_parts(tmp_path_factory):
    """A config of two charities, and the first one's result and figures alone."""
    from dashboard.config import load_config
    from dashboard.pipeline import Coalition, load_coalition
    from tests.csv_sources import ATTENDEES, MEDIA, MEETINGS, write_config, write_csv_charity

    root = tmp_path_factory.mktemp("properties")
    write_csv_charity(root / "good", Attendees=ATTENDEES, **{"MP meetings": MEETINGS}, Media=MEDIA)
    config = load_config(write_config(root, {"Good": "good/", "Generated": "good/"}))
    good = load_coalition(config, store=None).charity("Good")
    alone = Coalition(config, [good], NOW).figures.loc["Good"].to_dict()
    return config, good, alone


@settings(max_examples=150, **SETTINGS)
@given(raw=workbooks())
def test_the_summary_never_raises_and_other_charities_are_unchanged(coalition_parts, raw):
    from dashboard import views
    from dashboard.pipeline import CharityResult, Coalition, _validated, default_checks
    from dashboard.summary import build_summary

    config, good, alone = coalition_parts
    data = _validated(raw, config.charities[1], config, default_checks())
    check_issues(data, raw)
    generated = CharityResult("Generated", "generated", "csv", "ok", NOW, None, data.frames,
                              data.issues)
    coalition = Coalition(config, [good, generated], NOW)
    summary = build_summary(coalition)
    assert coalition.figures.loc["Good"].to_dict() == alone
    for row in [*summary["charities"], summary["coalition"]]:
        assert all(isinstance(row[k], int) and 0 <= row[k] < 2 ** 63 for k in FIGURES)
    # The aggregates every page draws are built without raising.
    views.mp_table(coalition)
    views.media_items(coalition)
    views.attendee_breakdowns(coalition, ["region", "age_band"])


KINDS_OF_COLUMNS = [c for t in TABS for c in t.columns]


@settings(max_examples=300, **SETTINGS)
@given(value=real_cells, column=st.sampled_from(KINDS_OF_COLUMNS))
def test_every_parser_returns_a_value_or_a_problem_for_any_cell(value, column):
    parsed, problem = cells.parser_for(column)(value)
    assert problem is None or isinstance(problem, str)
    if column.kind == "int" and parsed is not None:
        assert isinstance(parsed, int) and 0 <= parsed <= cells.WHOLE_NUMBER_MAX
    if column.kind == "date" and parsed is not None:
        assert cells.YEAR_MIN <= parsed.year <= cells.YEAR_MAX
    if isinstance(parsed, float):
        assert not math.isnan(parsed)
    np.asarray([parsed], dtype=object)          # a value a frame can hold


file_texts = st.one_of(texts, st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
                       st.sampled_from(['"', '""', 'a"b', "\ufeff", "\r", "\n", "x\ny", "\x00", ","]))


@settings(max_examples=60, **SETTINGS)
@given(files=st.lists(st.tuples(st.sampled_from(TAB_TITLES[:6]),
                                st.lists(st.lists(file_texts, max_size=6), max_size=8)),
                      min_size=1, max_size=4),
       as_workbook=st.booleans())
def test_files_on_disk_never_take_the_coalition_down(coalition_parts, tmp_path_factory, files,
                                                      as_workbook):
    """Whatever a CSV folder or a workbook on disk holds (quotes never closed, line breaks,
    byte-order marks, NUL bytes, ragged rows), the other charity's figures stand and the
    summary is built."""
    import csv as csv_module

    import openpyxl

    from dashboard.config import load_config
    from dashboard.pipeline import Coalition, load_charity
    from dashboard.summary import build_summary
    from tests.csv_sources import write_config

    config, good, alone = coalition_parts
    root = tmp_path_factory.mktemp("files")
    if as_workbook:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for n, (title, rows) in enumerate(files):
            ws = wb.create_sheet(f"{title.strip()[:25] or 'tab'} {n}" if n else title.strip() or "tab")
            for row in rows:    # (openpyxl refuses control characters a sheet cannot hold)
                ws.append([openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", v) for v in row])
        wb.save(root / "generated.xlsx")
        source = "generated.xlsx"
    else:
        folder = root / "generated"
        folder.mkdir()
        for title, rows in files:
            with open(folder / f"{title.strip() or 'tab'}.csv", "w", newline="", encoding="utf-8") as fh:
                csv_module.writer(fh).writerows(rows)
        source = "generated/"
    here = load_config(write_config(root, {"Generated": source}))
    generated = load_charity(here.charities[0], here, extra_checks=())
    assert generated.status in ("ok", "error")
    if generated.status == "error":
        # a SourceError with its reason: readers raise nothing else
        assert generated.error and "unexpectedly" not in generated.error, generated.error
    coalition = Coalition(config, [good, generated], NOW)
    build_summary(coalition)
    assert coalition.figures.loc["Good"].to_dict() == alone
