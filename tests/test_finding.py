"""Finding things: Media filters (charity, type, date) and the rows merged as one piece; a
search for MPs by name or constituency. Through the functions and on the pages (AppTest)."""
from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import views
from dashboard.config import load_config
from dashboard.pipeline import load_coalition
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def coalition():
    return load_coalition(load_config())


def test_media_filters_by_charity_type_and_date(coalition):
    items, rows = views.media_items(coalition), coalition.frame("media")
    become = views.filter_media(items, rows, charities=["Become"])
    assert set(become["media_key"]) == set(rows.loc[rows["charity"] == "Become", "media_key"])
    online = views.filter_media(items, rows, types=["online"])
    assert len(online) and set(online["type"]) == {"online"}
    day = dt.date(2022, 6, 22)
    on_the_day = views.filter_media(items, rows, start=day, end=day)
    assert len(on_the_day) and {d.date() for d in on_the_day["date"]} == {day}
    both = views.filter_media(items, rows, charities=["Become"], types=["online"], start=day, end=day)
    assert set(both["media_key"]) == set(become["media_key"]) & set(online["media_key"]) & set(on_the_day["media_key"])


def test_merged_rows_are_every_row_of_each_piece_counted_once(coalition):
    merged = views.merged_media(coalition)
    rows = coalition.frame("media")
    sizes = rows.groupby("media_key").size()
    assert len(merged) == int(sizes[sizes > 1].sum()) > 0
    assert merged["piece"].nunique() == int((sizes > 1).sum())
    assert (merged.groupby("piece")["rows"].first() == merged.groupby("piece").size()).all()


def test_mp_search_by_name_or_seat(coalition):
    mps = views.mp_table(coalition)
    someone = mps.iloc[0]
    by_seat = views.search_mps(mps, "  " + someone["constituency"].upper() + " ")
    assert someone["mp_id"] in set(by_seat["mp_id"])
    by_name = views.search_mps(mps, someone["name"].split()[-1].lower())
    assert someone["mp_id"] in set(by_name["mp_id"]) and len(by_name) < len(mps)
    assert views.search_mps(mps, "") is mps
    assert views.search_mps(mps, "no such place (") .empty


def _page(path: str) -> AppTest:
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_media_page_filters_and_lists_merged_rows():
    at = _page("pages/media.py")
    every = len(at.dataframe[-2].value)
    at.multiselect(key="media_charities").select("Become").run()
    assert not at.exception
    listed = at.dataframe[-2].value
    assert 0 < len(listed) < every and all("Become" in c for c in listed["charities"])
    at.multiselect(key="media_types").select("online").run()
    assert set(at.dataframe[-2].value["type"]) <= {"online"}
    merged = at.dataframe[-1].value
    assert "piece" in merged.columns and merged["piece"].nunique() >= 2
    st.cache_resource.clear()


def test_mps_page_search():
    at = _page("pages/mps.py")
    at.text_input(key="mps_search").input("Bristol").run()
    assert not at.exception
    listed = next(f.value for f in at.dataframe if "constituency" in f.value.columns and "met" in f.value.columns)
    assert len(listed) >= 1 and listed["constituency"].str.contains("Bristol").all()
    st.cache_resource.clear()


def test_this_weeks_highlights_with_no_dated_meeting_or_piece_are_empty_not_an_error():
    """A coalition whose sheets give no date at all (every MP's first meeting blank) has no
    new MPs and no media this week; comparing its all-blank dates with the week's days
    raised TypeError on the meeting page."""
    import pandas as pd

    from dashboard.highlights import week_highlights
    mps = pd.DataFrame({"mp_id": ["c:x", "c:y"], "name": ["A", "B"], "constituency": ["X", "Y"],
                        "party": ["Labour", "Green"], "met": [True, True],
                        "first_met": pd.Series([pd.NaT, pd.NaT], dtype="datetime64[s]"),
                        "charities": ["Become", "Coram"]})
    media = pd.DataFrame({"date": pd.Series([pd.NaT], dtype="datetime64[s]"), "outlet": ["BBC"],
                          "headline": ["h"], "type": ["Online"], "reach": [10]})
    week = week_highlights(mps, media, dt.date(2022, 6, 15), dt.date(2022, 6, 22))
    assert (week.new_mps_total, week.media_total) == (0, 0)
    dated = mps.assign(first_met=pd.Series(["2022-06-16", "2022-06-10"], dtype="datetime64[s]"))
    week = week_highlights(dated, media, dt.date(2022, 6, 15), dt.date(2022, 6, 22))
    assert week.new_mps["name"].tolist() == ["A"] and week.new_mps["first_met"].tolist() == [dt.date(2022, 6, 16)]
