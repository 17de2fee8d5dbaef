"""Issue 16, the sheet and data half: nothing a sheet holds takes the dashboard down.

Each test is one case of docs/reliability.md: a cell, a workbook or a folder that once
raised now gives cell issues (row, column, fix) or makes its own charity stale or an
error with a reason, and the other charities' figures stay as they were.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dashboard.pipeline as pipeline
from connectors.base import RawTab, RawWorkbook, SourceUnreadable, read_source
from connectors.local import read_csv_folder, read_xlsx
from dashboard.config import load_config
from dashboard.contract import REACH_MAX, YOUNG_PEOPLE_PRESENT_MAX
from dashboard.figures import compute_figures, sum_bounded
from dashboard.pipeline import load_coalition
from dashboard.pipeline import refresh
from dashboard.store import Store
from dashboard.summary import build_summary
from dashboard.commands.summary import human_summary
from dashboard.validate import validate_workbook, without_names
from dashboard.views import source_status_table
from tests.csv_sources import ATTENDEES, MEDIA, MEETINGS, write_config, write_csv_charity
from tests.fixtures import write_workbook

NOW = dt.datetime(2022, 6, 23, 9, 0, tzinfo=dt.timezone.utc)


def two_charities(tmp_path: Path, **bad_tabs) -> Path:
    """A config of a well-formed charity "Good" and a charity "Bad" whose tabs are the
    good ones with `bad_tabs` in place."""
    good = dict(Attendees=ATTENDEES, **{"MP meetings": MEETINGS}, Media=MEDIA)
    write_csv_charity(tmp_path / "good", **good)
    write_csv_charity(tmp_path / "bad", **{**good, **bad_tabs})
    return write_config(tmp_path, {"Good": "good/", "Bad": "bad/"})


def book(**tabs) -> RawWorkbook:
    def grid(rows):
        width = max(len(r) for r in rows)
        return pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)
    return RawWorkbook("inline", "xlsx", [RawTab(name, grid(rows)) for name, rows in tabs.items()], NOW)


def figures_of(coalition, name: str) -> dict:
    return coalition.figures.loc[name].to_dict()


# -- case 1: one cell --------------------------------------------------------------------
HUGE = [1e308, 10 ** 30, 2 ** 63, "9" * 400]


@pytest.mark.parametrize("value", HUGE, ids=["1e308", "10**30", "2**63", "400 digits"])
def test_a_huge_number_in_a_real_cell_is_a_cell_issue_with_row_and_column(value):
    data = validate_workbook(book(**{"MP meetings": [["Name", "Young people present"], ["A B", value]]},
                                  Media=[["Outlet", "Reach"], ["BBC", value], ["ITV", 5]]), "C")
    flagged = {(i.tab, i.row, i.column) for i in data.issues if i.code == "bad_int"}
    assert flagged == {("MP meetings", 2, "Young people present"), ("Media", 2, "Reach")}
    assert all(i.fix for i in data.issues if i.code == "bad_int")
    assert data.frames["media"]["reach"].tolist() == [pd.NA, 5]
    assert data.frames["mp_meetings"]["young_people_present"].isna().all()


@pytest.mark.parametrize("value", ["1e308", str(10 ** 30), str(2 ** 63), "9" * 400])
def test_a_huge_number_in_a_csv_leaves_the_other_charity_untouched(tmp_path, value):
    config = load_config(two_charities(tmp_path, Media=[*MEDIA, ["Sky", "https://sky.com/c", value]],
                                       **{"MP meetings": [*MEETINGS, ["Ann Bee", "Bath", value]]}))
    coalition = load_coalition(config, store=None)
    summary = build_summary(coalition)
    bad = coalition.charity("Bad")
    assert bad.status == "ok"
    assert {(i.tab, i.row, i.column) for i in bad.issues if i.severity == "warning"} >= {
        ("Media", 4, "Reach"), ("MP meetings", 3, "Young people present")}
    alone = load_coalition(load_config(write_config(tmp_path / "good", {"Good": "."})), store=None)
    assert figures_of(coalition, "Good") == figures_of(alone, "Good")
    # The huge reach is read as blank: Sky counts as a piece, with no reach.
    assert (figures_of(coalition, "Bad")["media_mentions"], figures_of(coalition, "Bad")["media_reach"]) == (3, 3500)
    assert summary["coalition"]["media_reach"] == 3500      # BBC and ITV in both, counted once


def test_whole_numbers_are_bounded_per_column():
    rows = [["Outlet", "Reach"], ["A", REACH_MAX], ["B", REACH_MAX + 1]]
    data = validate_workbook(book(Media=rows, **{"MP meetings": [
        ["Name", "Young people present"], ["X Y", YOUNG_PEOPLE_PRESENT_MAX],
        ["Z W", YOUNG_PEOPLE_PRESENT_MAX + 1]]}), "C")
    assert data.frames["media"]["reach"].tolist() == [REACH_MAX, pd.NA]
    assert data.frames["mp_meetings"]["young_people_present"].tolist() == [YOUNG_PEOPLE_PRESENT_MAX, pd.NA]
    assert {(i.row, i.column) for i in data.issues if i.code == "bad_int"} == {
        (3, "Reach"), (3, "Young people present")}


# -- case 14: sums that cannot wrap round -----------------------------------------------
def test_reach_summed_past_2_63_never_turns_negative():
    pieces = 5
    media = pd.DataFrame({"charity": pd.array(["C"] * pieces, dtype="str"),
                          "media_key": pd.array([f"k{i}" for i in range(pieces)], dtype="str"),
                          "reach": pd.array([2 ** 62] * pieces, dtype="Int64")})
    frames = {"attendees": pd.DataFrame({"charity": [], "ref": pd.array([], dtype="str"), "status": []}),
              "mp_meetings": pd.DataFrame({"charity": [], "is_mp": pd.Series([], dtype=bool),
                                           "pledge_signed": pd.Series([], dtype=bool), "mp_id": [],
                                           "date": pd.Series([], dtype="datetime64[ns]")}),
              "pledges": pd.DataFrame({"charity": [], "mp_id": []}),
              "media": media}
    reach = compute_figures(frames, ["C"])["media_reach"]
    # Each piece is held to the contract's bound (validation refuses more), so the sum
    # is exact and positive.
    assert reach.tolist() == [pieces * REACH_MAX, pieces * REACH_MAX]


def test_bounded_sums_are_exact_and_saturate_instead_of_wrapping():
    top = np.iinfo(np.int64).max
    assert sum_bounded(np.array([3.0, 4.0, np.nan, -2.0]), np.array([0, 1, 1, 0]), 2, 10).tolist() == [3, 4]
    assert sum_bounded(np.array([9e18, 9e18, 1.0]), np.zeros(3, dtype=np.int64), 1, top).tolist() == [top]


# -- the boundary around each charity ----------------------------------------------------
RAISE_FOR: set[str] = set()
QUOTED_CELL = "Jamie " + "Quillfeather"      # (built, so that no line of code shows it)


def check_that_may_raise(data, config):
    """An extra check that fails like a bug would, for the charities in RAISE_FOR."""
    if data.charity in RAISE_FOR:
        raise OverflowError(f"cannot convert the cell {QUOTED_CELL!r}")


@pytest.fixture
def raising_check():
    RAISE_FOR.clear()
    yield RAISE_FOR
    RAISE_FOR.clear()


def test_a_charity_whose_checking_raises_is_an_error_with_a_reason_others_untouched(
        tmp_path, raising_check, caplog):
    config = load_config(two_charities(tmp_path))
    before = load_coalition(config, store=None, extra_checks=(check_that_may_raise,))
    raising_check.add("Bad")
    with caplog.at_level(logging.WARNING, logger="dashboard.sources"):
        after = load_coalition(config, store=None, extra_checks=(check_that_may_raise,))
    bad = after.charity("Bad")
    assert bad.status == "error"
    assert "checking the sheet failed unexpectedly (OverflowError)" in bad.error
    assert figures_of(after, "Good") == figures_of(before, "Good")
    assert after.charity("Good").issues == before.charity("Good").issues
    summary = build_summary(after)
    assert any("OverflowError" in i["message"] for i in summary["issues"] if i["charity"] == "Bad")
    sources = source_status_table(after, NOW).set_index("charity")
    assert "checking the sheet failed unexpectedly" in sources.at["Bad", "freshness"]
    assert any("OverflowError" in r.getMessage() and "Bad" in r.getMessage() for r in caplog.records)
    assert "check_that_may_raise" in caplog.text          # where it was raised, for maintainers
    assert "Quillfeather" not in caplog.text + json.dumps(summary)   # never what it quoted
    assert "Bad: error: The source could not be read: checking the sheet failed unexpectedly " \
        "(OverflowError)" in human_summary(summary, "Reliability")


def test_a_charity_whose_checking_raises_serves_its_stored_validation_as_stale(
        tmp_path, raising_check):
    config = load_config(two_charities(tmp_path))
    store = Store(config.storage_url)
    pipeline.load_coalition(config, store=store, write_store=True, keep_validation=True,
                            extra_checks=(check_that_may_raise,))
    raising_check.add("Bad")
    coalition = load_coalition(config, store=store, extra_checks=(check_that_may_raise,))
    bad = coalition.charity("Bad")
    assert bad.status == "stale" and "OverflowError" in bad.error
    assert figures_of(coalition, "Bad") == figures_of(coalition, "Good")
    assert bad.issues[0].code == "stale"


def test_a_reader_raising_anything_is_that_charitys_error(tmp_path, monkeypatch):
    config = load_config(two_charities(tmp_path))

    def read(source, **kwargs):
        if source.startswith("bad"):
            raise KeyError("a bug in a connector")
        return read_source(source, **kwargs)

    monkeypatch.setattr(pipeline, "read_source", read)
    coalition = load_coalition(config, store=None)
    assert [c.status for c in coalition.charities] == ["ok", "error"]
    assert "reading the sheet failed unexpectedly (KeyError)" in coalition.charity("Bad").error
    assert coalition.figures.loc["Good", "attendees_registered"] == 2


# -- case 2: workbooks that cannot be parsed -------------------------------------------
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
                     for i in range(1, 10))
          + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
            b'</sheetData></worksheet>')

BROKEN = {
    "sheet cut short": ("xl/worksheets/sheet1.xml", lambda b: b[:len(b) // 2]),
    "styles broken": ("xl/styles.xml", lambda b: b"<styleSheet><numFmts"),
    "workbook broken": ("xl/workbook.xml", lambda b: b"<workbook><sheets><sheet"),
    "billion laughs": ("xl/worksheets/sheet1.xml", lambda b: LAUGHS),
}


def broken_copy(good: Path, out: Path, member: str, change) -> Path:
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(data) if item.filename == member else data)
    return out


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_workbook_that_cannot_be_parsed_is_a_source_error(tmp_path, case):
    good = write_workbook(tmp_path / "good.xlsx", {"Attendees": ATTENDEES})
    member, change = BROKEN[case]
    bad = broken_copy(good, tmp_path / "bad.xlsx", member, change)
    with pytest.raises(SourceUnreadable, match="is not a readable .xlsx workbook"):
        read_xlsx(bad, source="bad.xlsx")


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_corrupt_workbook_falls_back_to_its_last_good_read(tmp_path, case):
    good = write_workbook(tmp_path / "good.xlsx", {"Attendees": ATTENDEES, "Media": MEDIA})
    write_workbook(tmp_path / "bad.xlsx", {"Attendees": ATTENDEES, "Media": MEDIA})
    config = load_config(write_config(tmp_path, {"Good": "good.xlsx", "Bad": "bad.xlsx"}))
    store = Store(config.storage_url)
    refresh(config, store)
    member, change = BROKEN[case]
    broken_copy(good, tmp_path / "broken.xlsx", member, change)
    os.replace(tmp_path / "broken.xlsx", tmp_path / "bad.xlsx")
    coalition = load_coalition(config, store=store)
    assert [c.status for c in coalition.charities] == ["ok", "stale"]
    assert "not a readable .xlsx workbook" in coalition.charity("Bad").error
    assert figures_of(coalition, "Bad") == figures_of(coalition, "Good")


# -- case 13: a CSV folder holding what is not a file ------------------------------------
def test_a_folder_named_like_a_tab_is_a_source_error_with_a_reason(tmp_path):
    folder = write_csv_charity(tmp_path / "c", Media=MEDIA)
    (folder / "Attendees.csv").mkdir()
    with pytest.raises(SourceUnreadable, match="Attendees.csv in c is not a file"):
        read_csv_folder(folder, source="c")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links are not available here")
def test_symlink_loops_are_source_errors_with_a_reason(tmp_path):
    folder = write_csv_charity(tmp_path / "c", Media=MEDIA)
    os.symlink(folder / "Attendees.csv", folder / "Attendees.csv")
    with pytest.raises(SourceUnreadable, match="a link that leads nowhere"):
        read_csv_folder(folder, source="c")
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    with pytest.raises(SourceUnreadable, match="a loop"):
        read_csv_folder(tmp_path / "loop", source="loop")


def test_a_folder_named_like_a_tab_makes_only_its_charity_an_error(tmp_path):
    config = load_config(two_charities(tmp_path))
    (tmp_path / "bad" / "Attendees.csv").unlink()
    (tmp_path / "bad" / "Attendees.csv").mkdir()
    coalition = load_coalition(config, store=None)
    assert [c.status for c in coalition.charities] == ["ok", "error"]
    assert "is not a file" in coalition.charity("Bad").error


# -- case 4: names never stored ---------------------------------------------------------
NAMED = [["Our young people"], ["Ref", "Name", "Status", "First name", "Surname"],
         ["A-1", "Alice Zephyrine", "attended", "Alice", "Zephyrine"],
         ["A-2", "Bob Quixley", "attended", "Bob", "Quixley"],
         ["A-3", "Bob Quixley", "attended", " Bob", "Quixley"],
         ["A-3", "Bob Quixley", "attended", "Bob", "Quixley"]]
SECRET = ("Alice", "Zephyrine", "Quixley")


def stored_payloads(store: Store) -> str:
    from sqlalchemy import select
    from dashboard.store import last_good
    with store.engine.connect() as conn:
        return "\n".join(r.payload for r in conn.execute(select(last_good)))


def test_validating_without_names_gives_what_validating_the_read_gives():
    raw = book(Attendees=NAMED)
    cleaned = without_names(raw)
    assert not any(s in cleaned.tabs[0].cells.to_string() for s in SECRET)
    assert any(s in raw.tabs[0].cells.to_string() for s in SECRET)     # the read is left alone
    a, b = validate_workbook(raw, "C"), validate_workbook(cleaned, "C")
    assert a.issues == b.issues
    for key in a.frames:
        pd.testing.assert_frame_equal(a.frames[key], b.frames[key])


def test_name_columns_are_dropped_before_the_store_and_old_stores_are_cleaned(tmp_path):
    config = load_config(two_charities(tmp_path, Attendees=NAMED))
    store = Store(config.storage_url)
    refresh(config, store)
    assert "Ref" in stored_payloads(store)
    assert not any(s in stored_payloads(store) for s in SECRET)

    # A store an earlier version wrote holds the names; the source is unreadable now.
    store.save_good_read("Bad", read_csv_folder(tmp_path / "bad", source="bad/"))
    assert any(s in stored_payloads(store) for s in SECRET)
    (tmp_path / "bad" / "Media.csv").write_bytes(b'"never closed\n')
    coalition, _ = refresh(config, store)
    assert coalition.charity("Bad").status == "stale"
    assert not any(s in stored_payloads(store) for s in SECRET)
    assert coalition.charity("Bad").errors == 0
    assert store.clean_last_good_reads(without_names) == []     # clean once, never rewritten again


# -- case 15: refs differing only in case; a misspelt MP ----------------------------------
def test_refs_differing_only_in_case_count_as_written_with_a_warning():
    data = validate_workbook(book(Attendees=[["Ref", "Status"], ["bec-0003", "attended"],
                                             ["BEC-0003", "attended"], ["BEC-0004", "attended"]]), "C")
    warned = [(i.row, i.column, i.severity) for i in data.issues if i.code == "ref_case"]
    assert warned == [(3, "Ref", "warning")]
    assert "bec-0003" in next(i.message for i in data.issues if i.code == "ref_case")
    assert data.frames["attendees"]["ref"].nunique() == 3        # the contract's distinct Ref


def test_a_misspelt_mp_without_a_constituency_is_warned_with_a_suggestion(tmp_path):
    config = load_config(two_charities(tmp_path, **{"MP meetings": [
        ["Name", "Constituency", "Role"], ["Karl Tuner", "", "MP"], ["Karl Turner", "", "MP"],
        ["Lord Someone", "", "Peer"], ["Zzyzx Qwerty", "", ""]]}))
    coalition = load_coalition(config, store=None)
    warned = [i for i in coalition.charity("Bad").issues if i.code == "mp_name_unknown"]
    assert [(i.tab, i.row, i.column, i.severity) for i in warned] == [("MP meetings", 2, "Name", "warning")]
    assert "Did you mean Karl Turner (Kingston upon Hull East)?" in warned[0].fix
    assert not [i for i in coalition.charity("Good").issues if i.code == "mp_name_unknown"]


# -- case 16: free text never a chart's label ------------------------------------------
FREE_TEXT = "Jamie Zephyr, 16, lives on Elm Rd"


def test_free_text_in_labelled_columns_is_an_issue_and_never_a_chart_label(tmp_path):
    from dashboard.app import overview_parts
    from dashboard import views
    from dashboard.contract import NOT_RECOGNISED

    config = load_config(two_charities(
        tmp_path,
        Attendees=[["Ref", "Status", "Region", "Age band"], ["A-1", "attended", FREE_TEXT, FREE_TEXT],
                   ["A-2", "attended", "london", "18-21"]],
        **{"MP meetings": [["Name", "Constituency", "Party"], ["Jane Smith", "Bristol West", FREE_TEXT]]},
        Media=[["Outlet", "URL", "Type"], [FREE_TEXT, "https://x.org/1", FREE_TEXT],
               ["BBC Radio 4", "https://x.org/2", "broadcast"]]))
    coalition = load_coalition(config, store=None)
    issues = {(i.tab, i.row, i.column) for i in coalition.charity("Bad").issues if i.severity == "warning"}
    assert issues >= {("Attendees", 2, "Region"), ("Attendees", 2, "Age band"),
                      ("MP meetings", 2, "Party"), ("Media", 2, "Outlet"), ("Media", 2, "Type")}

    labels = []
    for column, title, across in overview_parts.ATTENDED_BY:
        breakdown = views.attendee_breakdowns(coalition, [column])[column]
        for trustee in (True, False):
            fig, table = overview_parts.attended_part(breakdown, title, trustee=trustee, across=across)
            labels += [*fig.data[0].x, *fig.data[0].y, *table[title]]
    parties = views.by_party(views.mp_table(coalition))["party"].tolist()
    items = views.media_items(coalition)
    outlets = views.counts(items, "outlet", "outlet")["outlet"].tolist()
    types = views.counts(items, "type", "type")["type"].tolist()
    labels += parties + outlets + types
    assert not [v for v in labels if isinstance(v, str) and "Zephyr" in v]
    assert NOT_RECOGNISED in outlets and NOT_RECOGNISED in types
    # An MP is counted under the official list's party for their seat (contract decision 20),
    # one the list cannot place in its own group: what a sheet typed as Party is never a bar.
    from dashboard.official import parliament as parl
    from dashboard.figures import NOT_PLACED
    official = {parl.party_name(p) for year in ("2019", "2024")
                for p in parl.load_constituencies(year)["party"]}
    assert parties and set(parties) <= official | {NOT_PLACED}
    regions = views.attendee_breakdowns(coalition, ["region"])["region"]
    assert set(regions.columns) == {"London", NOT_RECOGNISED}     # 'london' read as London
    assert "BBC Radio 4" in outlets


def test_app_servers_reading_the_store_keep_the_boundary(tmp_path, raising_check):
    """Store mode: a stored read that cannot be checked makes only its charity an error."""
    from dashboard.pipeline import load_coalition_from_store

    config = load_config(two_charities(tmp_path))
    store = Store(config.storage_url)
    load_coalition(config, store=store, write_store=True, extra_checks=(check_that_may_raise,))
    raising_check.add("Bad")
    coalition = load_coalition_from_store(config, store, extra_checks=(check_that_may_raise,))
    assert [c.status for c in coalition.charities] == ["ok", "error"]
    assert "OverflowError" in coalition.charity("Bad").error
    assert coalition.figures.loc["Good", "attendees_registered"] == 2


def test_every_page_renders_with_a_hostile_sheet_and_a_broken_folder(tmp_path, monkeypatch):
    """Case 1 as the app sees it: one cell once took every page down for every viewer."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.app_helpers import ENTRY, PAGES, _visible_text

    good = dict(Attendees=ATTENDEES, **{"MP meetings": MEETINGS}, Media=MEDIA)
    write_csv_charity(tmp_path / "good", **good)
    write_csv_charity(tmp_path / "huge", Attendees=[*ATTENDEES, ["A-3", "attended", FREE_TEXT]],
                      **{"MP meetings": [*MEETINGS, ["Ann Bee", "Bath", "9" * 400]]},
                      Media=[*MEDIA, ["Sky", "https://sky.com/c", str(2 ** 63)]])
    write_csv_charity(tmp_path / "broken", **good)
    (tmp_path / "broken" / "Attendees.csv").unlink()
    (tmp_path / "broken" / "Attendees.csv").mkdir()
    config = write_config(tmp_path, {"Good": "good/", "Huge": "huge/", "Broken": "broken/"})
    monkeypatch.setenv("DASHBOARD_CONFIG", str(config))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(ENTRY, default_timeout=120)
        at.run()
        for page in PAGES:
            if page != "pages/overview.py":
                at.switch_page(page)
                at.run()
            assert not at.exception, (page, [e.value for e in at.exception])
            text = _visible_text(at)
            assert "Zephyr" not in text or page == "pages/quality.py", page
            if page == "pages/overview.py":      # its Sources table says why, in words
                assert "not read: Attendees.csv in broken/ is not a file" in text
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
