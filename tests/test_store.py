"""Last good reads survive the store cell for cell: text, numbers, blanks and dates."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from connectors.base import RawTab, RawWorkbook
from dashboard.store import Store, workbook_from_json, workbook_to_json

READ_AT = dt.datetime(2022, 6, 23, 9, 0, tzinfo=dt.timezone.utc)


def _workbook() -> RawWorkbook:
    csv_like = pd.DataFrame({0: pd.array(["Ref", " A1 ", "", "=1+1"], dtype="str"),
                             1: pd.array(["Status", "attended", "no-show", "#REF!"], dtype="str")})
    cells = pd.DataFrame([["Date", "Count", "Done", "Note"],
                          [dt.datetime(2022, 6, 22, 10, 30), 3, True, None],
                          [dt.date(2022, 6, 23), 2.5, False, "ok"],
                          [np.datetime64("2022-06-24"), np.int64(7), np.nan, "x"]], dtype=object)
    return RawWorkbook(source="demo", kind="gsheet", read_at=READ_AT, edit_url="https://x.example/edit",
                       tabs=[RawTab("Attendees", csv_like, 11), RawTab("MP meetings", cells, 12),
                             RawTab("Empty", pd.DataFrame(dtype=object))])


def _as_python(frame: pd.DataFrame) -> list[list]:
    return [[None if v is None or (isinstance(v, float) and v != v) else v for v in row]
            for row in frame.astype(object).itertuples(index=False)]


def test_a_workbook_reads_back_cell_for_cell():
    wb = _workbook()
    back = workbook_from_json(workbook_to_json(wb), source="demo", kind="gsheet", read_at=READ_AT)
    assert [t.title for t in back.tabs] == ["Attendees", "MP meetings", "Empty"]
    assert [t.sheet_id for t in back.tabs] == [11, 12, None]
    assert back.edit_url == "https://x.example/edit"
    assert _as_python(back.tabs[0].cells) == _as_python(wb.tabs[0].cells)   # text kept exactly
    assert _as_python(back.tabs[1].cells) == [
        ["Date", "Count", "Done", "Note"],
        [dt.datetime(2022, 6, 22, 10, 30), 3, True, None],
        [dt.date(2022, 6, 23), 2.5, False, "ok"],
        [dt.date(2022, 6, 24), 7, None, "x"]]            # numpy's day is a day
    assert back.tabs[2].cells.empty


def test_only_tabs_with_dates_are_decoded_cell_by_cell():
    tabs = json.loads(workbook_to_json(_workbook()))["tabs"]
    assert [t["plain"] for t in tabs] == [True, False, True]


def test_a_payload_written_row_by_row_still_reads():
    """Stores written before the column layout hold each tab's rows, decoded cell by cell."""
    payload = json.loads(workbook_to_json(_workbook()))
    for tab in payload["tabs"]:
        columns = [[json.loads(json.dumps(v)) for v in c] for c in tab.pop("columns")]
        tab["cells"] = [list(row) for row in zip(*columns)]
        del tab["plain"]
    back = workbook_from_json(json.dumps(payload), source="demo", kind="gsheet", read_at=READ_AT)
    assert _as_python(back.tabs[1].cells) == _as_python(
        workbook_from_json(workbook_to_json(_workbook()), source="demo", kind="gsheet",
                           read_at=READ_AT).tabs[1].cells)
    assert back.tabs[1].cells.iat[2, 0] == dt.date(2022, 6, 23)


def test_the_store_keeps_the_last_good_read_of_the_same_source(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'state.sqlite'}")
    store.save_good_read("Become", _workbook())
    again = store.last_good_read("Become", "demo")
    assert again.read_at == READ_AT
    assert _as_python(again.tabs[1].cells)[1][0] == dt.datetime(2022, 6, 22, 10, 30)
    assert store.last_good_read("Become", "another source") is None
    assert store.last_good_read("Coram") is None


def test_frames_arrow_can_not_hold_are_not_stored_and_the_rest_round_trip():
    from dashboard.store import frames_from_arrow, frames_to_arrow

    mixed = pd.DataFrame({"a": pd.Series([1, "two"], dtype=object)})
    huge = pd.DataFrame({"a": pd.Series([2 ** 80], dtype=object)})
    assert frames_to_arrow({"x": mixed}) is None
    assert frames_to_arrow({"x": huge}) is None

    frames = {"t": pd.DataFrame({
        "text": pd.array(["a", None], dtype="str"),
        "untyped": pd.Series([None, "filled"], dtype=object),
        "blank": pd.Series([None, None], dtype=object),
        "day": pd.to_datetime(["2022-06-22", None]).astype("datetime64[ns]"),
        "n": pd.array([3, None], dtype="Int64"),
        "yes": [True, False],
        "old": pd.Series([dt.date(1800, 1, 1), None], dtype=object),
    }), "empty": pd.DataFrame({"text": pd.Series([], dtype=object)})}
    layout, data = frames_to_arrow(frames)
    back = frames_from_arrow(layout, data)
    for key, frame in frames.items():
        pd.testing.assert_frame_equal(back[key], frame, check_exact=True)
    assert back["t"]["untyped"].tolist() == [None, "filled"]


def test_a_store_made_before_link_labels_gains_the_column(tmp_path):
    import sqlite3
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE links (id VARCHAR(40) PRIMARY KEY, role VARCHAR(20) NOT NULL, "
                     "charity VARCHAR(200), created_at VARCHAR(40) NOT NULL, "
                     "expires_at VARCHAR(40) NOT NULL, revoked_at VARCHAR(40))")
        conn.execute("INSERT INTO links VALUES ('old1', 'trustee', NULL, '2022-06-01T09:00:00+00:00', "
                     "'2022-07-01T09:00:00+00:00', NULL)")
    store = Store(f"sqlite:///{path}")
    at = dt.datetime(2022, 6, 2, 9, tzinfo=dt.timezone.utc)
    store.add_link("new1", "trustee", None, at, at + dt.timedelta(days=1), "Chair of trustees")
    assert {r["id"]: r["label"] for r in store.links()} == {"old1": None, "new1": "Chair of trustees"}
