"""Validation rules on tiny inline workbooks."""
import datetime as dt

import pandas as pd

from connectors.base import RawTab, RawWorkbook
from dashboard.validate import validate_workbook

NOW = dt.datetime(2022, 6, 23, 9, 0, tzinfo=dt.timezone.utc)


def book(**tabs) -> RawWorkbook:
    def grid(rows):
        width = max(len(r) for r in rows)
        return pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)
    return RawWorkbook("inline", "csv", [RawTab(name, grid(rows)) for name, rows in tabs.items()], NOW)


def codes(data):
    return {(i.tab, i.row, i.column, i.severity, i.code) for i in data.issues}


def test_header_found_below_title_rows_and_columns_in_any_order():
    data = validate_workbook(book(Attendees=[["Our sheet"], ["Instructions: no names"],
                                             [" STATUS ", "ref"], ["attended", "A1"]]), "C")
    frame = data.frames["attendees"]
    assert frame[["ref", "status", "_row"]].values.tolist() == [["A1", "attended", 4]]


def test_header_must_be_in_first_ten_rows():
    rows = [["title"]] * 10 + [["Ref", "Status"], ["A1", "attended"]]
    data = validate_workbook(book(Attendees=rows), "C")
    assert ("Attendees", None, None, "error", "missing_column") in codes(data)
    assert data.frames["attendees"].empty


def test_missing_required_column_only_fails_that_tab():
    data = validate_workbook(book(Attendees=[["Ref"], ["A1"]],
                                  Media=[["Outlet"], ["BBC"]]), "C")
    assert ("Attendees", None, None, "error", "missing_column") in codes(data)
    assert len(data.frames["media"]) == 1
    message = next(i.message for i in data.issues if i.code == "missing_column")
    assert "Status" in message


def test_one_of_two_header_rule():
    data = validate_workbook(book(Pledges=[["Constituency", "Date"], ["Bristol West", "22/06/2022"]]), "C")
    assert len(data.frames["pledges"]) == 1
    data = validate_workbook(book(Pledges=[["Date"], ["22/06/2022"]]), "C")
    assert ("Pledges", None, None, "error", "missing_column") in codes(data)


def test_missing_tabs_are_notes_and_extra_tabs_reported_once():
    data = validate_workbook(book(Attendees=[["Ref", "Status"]], Budget=[["x"]], Rota=[["y"]]), "C")
    notes = [i for i in data.issues if i.severity == "note"]
    assert sum(i.code == "extra_tab" for i in notes) == 1
    assert {i.tab for i in notes if i.code == "missing_tab"} == {"MP meetings", "Pledges", "Media"}


def test_blank_rows_skipped_silently_and_rows_numbered_as_in_sheet():
    data = validate_workbook(book(Attendees=[["Ref", "Status"], [None, None], ["  ", ""],
                                             ["A1", "attended"]]), "C")
    assert data.frames["attendees"]["_row"].tolist() == [4]
    assert not [i for i in data.issues if i.tab == "Attendees"]


def test_duplicate_rows_counted_once_with_warning_after_trimming():
    data = validate_workbook(book(Attendees=[["Ref", "Status"], ["A1", "attended"],
                                             [" A1 ", "attended  "]]), "C")
    assert len(data.frames["attendees"]) == 1
    assert ("Attendees", 3, None, "warning", "duplicate_row") in codes(data)


def test_required_value_missing_is_error_with_row_and_excluded():
    data = validate_workbook(book(**{"MP meetings": [["Name", "Date"], ["", "22/06/2022"],
                                                     ["Jane Smith", "22/06/2022"]]}), "C")
    assert ("MP meetings", 2, "Name", "error", "missing_required") in codes(data)
    assert data.frames["mp_meetings"]["name"].tolist() == ["Jane Smith"]


def test_cell_warnings_name_the_cell_and_suggest_a_fix():
    data = validate_workbook(book(**{"MP meetings": [["Name", "Date", "Pledge signed", "Young people present"],
                                                     ["Jane", "31/02/2022", "maybe", "four"]]}), "C")
    by_col = {i.column: i for i in data.issues if i.tab == "MP meetings"}
    assert by_col["Date"].message == "Row 2, Date: '31/02/2022' is not a real date; it is read as blank."
    assert "22/06/2022" in by_col["Date"].fix
    assert by_col["Pledge signed"].code == "bad_yesno"
    assert by_col["Young people present"].code == "bad_int"
    row = data.frames["mp_meetings"].iloc[0]
    assert pd.isna(row["date"])
    assert not row["pledge_signed"] and not pd.isna(row["pledge_signed"])   # "maybe" is not a yes
    assert pd.isna(row["young_people_present"])


def test_error_values_are_blank_with_warning():
    data = validate_workbook(book(Media=[["Outlet", "Reach"], ["BBC", "#DIV/0!"]]), "C")
    assert ("Media", 2, "Reach", "warning", "error_value") in codes(data)
    assert pd.isna(data.frames["media"]["reach"].iloc[0])


def test_only_http_links_survive():
    data = validate_workbook(book(Media=[["Outlet", "URL"], ["A", "JaVaScRiPt:alert(1)"],
                                         ["B", "https://ok.example/x"]]), "C")
    assert data.frames["media"]["url"].tolist()[0] is None or pd.isna(data.frames["media"]["url"].tolist()[0])
    assert data.frames["media"]["url"].tolist()[1] == "https://ok.example/x"
    assert ("Media", 2, "URL", "warning", "bad_url") in codes(data)


def test_window_warnings_rows_still_counted():
    data = validate_workbook(book(Pledges=[["MP name", "Date"], ["Jane", "01/01/2022"]]), "C",
                             dt.date(2022, 5, 23), dt.date(2022, 7, 22))
    assert ("Pledges", 2, "Date", "warning", "outside_window") in codes(data)
    assert len(data.frames["pledges"]) == 1


def test_typed_frames():
    data = validate_workbook(book(**{"MP meetings": [["Name", "Date", "Role", "Pledge signed", "Young people present"],
                                                     ["Jane", 44734, "", "✓", "1,200"]]}), "C")
    frame = data.frames["mp_meetings"]
    assert str(frame["date"].dtype).startswith("datetime64")
    assert frame["date"].iloc[0] == pd.Timestamp("2022-06-22")
    assert frame["role"].iloc[0] == "MP"
    assert frame["pledge_signed"].dtype == bool and frame["pledge_signed"].iloc[0]
    assert frame["young_people_present"].iloc[0] == 1200


def test_name_like_column_in_attendees_is_flagged_and_never_read():
    data = validate_workbook(book(Attendees=[["Ref", "Status", "First name"], ["A1", "attended", "Sam"]]), "C")
    assert any(i.code == "name_column" for i in data.issues)
    assert "Sam" not in data.frames["attendees"].to_string()


def test_unknown_status_is_an_error():
    data = validate_workbook(book(Attendees=[["Ref", "Status"], ["A1", "went"]]), "C")
    assert ("Attendees", 2, "Status", "error", "bad_status") in codes(data)
    assert data.frames["attendees"].empty


def test_real_excel_cells():
    data = validate_workbook(book(Media=[["Outlet", "Date", "Reach"],
                                         ["BBC", dt.datetime(2022, 6, 22), 250000.0]]), "C")
    frame = data.frames["media"]
    assert frame["date"].iloc[0] == pd.Timestamp("2022-06-22") and frame["reach"].iloc[0] == 250000


def test_blank_cells_beside_real_excel_dates_are_blank_not_bad_dates():
    # A workbook column of real dates with empty cells (the demo's Pledges): pandas turns
    # the empty cells into NaT, which must read as blank, not as "not a real date".
    data = validate_workbook(book(Pledges=[["MP name", "Date"], ["A B", None],
                                           ["C D", dt.datetime(2022, 6, 22)], ["E F", ""],
                                           ["G H", dt.datetime(1022, 6, 22)]]), "C")
    frame = data.frames["pledges"]
    assert frame["date"].isna().tolist() == [True, False, True, True]
    assert [(i.row, i.code) for i in data.issues if i.tab == "Pledges"] == [(5, "bad_date")]


def test_dates_outside_any_real_range_are_warnings_not_crashes():
    data = validate_workbook(book(Media=[["Outlet", "Date"], ["A", "22/06/0022"], ["B", "3022-06-22"],
                                         ["C", "22 June 1066"], ["D", "22/06/2022"]]), "C")
    frame = data.frames["media"]
    assert frame["date"].isna().tolist() == [True, True, True, False]
    bad = sorted(i.row for i in data.issues if i.code == "bad_date")
    assert bad == [2, 3, 4]


def test_undated_unlinked_story_keys_alike_whatever_is_missing():
    from dashboard.figures import add_media_keys
    first = validate_workbook(book(Media=[["Outlet", "Headline"], ["BBC", ""]]), "A").frames["media"]
    second = validate_workbook(book(Media=[["Outlet", "Headline", "URL"], ["BBC", None, None]]), "B").frames["media"]
    keys = add_media_keys(pd.concat([first, second], ignore_index=True))["media_key"]
    assert keys.nunique() == 1
