"""What figures.py answers the pages about MPs without them reading an MP id's encoding."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import figures

MPS = pd.DataFrame({
    "mp_id": [figures.seat_id("bath"), figures.seat_id("bristol west"), "p:someone",
              figures.seat_id("york central")],
    "placed": [True, True, False, True],
    "met": [True, True, True, False],
    "pledged": [False, True, True, True],
})


def test_seat_keys_are_the_placed_seats_with_the_flag_and_never_a_person():
    assert figures.seat_keys(MPS, "met") == {"bath", "bristol west"}
    assert figures.seat_keys(MPS, "pledged") == {"bristol west", "york central"}
    assert figures.seat_keys(MPS.iloc[0:0], "met") == set()


def test_rows_for_seat_are_that_seats_mp_only():
    meetings = pd.DataFrame({"mp_id": [figures.seat_id("bath"), "p:bath", figures.seat_id("bath"),
                                       figures.seat_id("bathgate")], "n": [1, 2, 3, 4]})
    assert figures.rows_for_seat(meetings, "bath")["n"].tolist() == [1, 3]
    assert figures.rows_for_seat(meetings, "nowhere").empty


def test_coverage_part_one_dimension_largest_first_unplaced_last():
    cover = pd.DataFrame({
        "dimension": ["all", "party", "party", "party", "region"],
        "group": ["all", figures.NOT_PLACED, "Small", "Big", "London"],
        "mps": [650, 40, 3, 300, 70],
    })
    part = figures.coverage_part(cover, "party")
    assert part["group"].tolist() == ["Big", "Small", figures.NOT_PLACED]
    assert "_last" not in part.columns


def _keyable_urls() -> list:
    from tests.fixtures import keyable_url, url_corpus

    extra = ["", " ", "\u00a0https://x.example/a", "https://x.example/a\u3000", "#REF!", "#N/A",
             "https://\u212aa.example/K", "https://x.example/\u212a", "HTTPS://WWW.X.EXAMPLE/A/",
             "https://www.x.example//", "https://x.example/a?UTM_A=b", "https://x.example/a?utm_a=B",
             "https://x.example/a?utm_a=b?c", "https://x.example/caf\u00e9",
             "https://x.example/q\u0130z?utm_a=b", "https://x.example/q\u0130z"]
    return [u for u in url_corpus() + extra if keyable_url(u)]


def test_media_url_keys_of_arrow_text_are_media_url_key_of_each_link():
    from dashboard.keys import media_url_key
    urls = _keyable_urls()
    assert len(urls) > 1000
    # repeated, with blanks and missing values, in several Arrow chunks (as merged frames are)
    column = pd.concat([pd.Series(urls + [None], dtype="str"),
                        pd.Series(urls[::-1] + ["", None], dtype="str")], ignore_index=True)
    assert column.array._pa_array.num_chunks == 2
    expected = figures._keyed(column, media_url_key)             # media_url_key per distinct value
    pd.testing.assert_series_equal(figures._url_keys(column), expected)
    assert figures.media_url_keys(urls + [None]) == [media_url_key(u) for u in urls] + [""]
    objects = column.astype(object)                                # a column of None objects, too
    pd.testing.assert_series_equal(figures._url_keys(objects), expected)
    for empty in (column.iloc[0:0], pd.Series([None, None], dtype="str"),
                  pd.Series([None, None], dtype=object)):
        pd.testing.assert_series_equal(figures._url_keys(empty), figures._keyed(empty, media_url_key))


def _mp_ids_row_by_row(frame: pd.DataFrame, meetings: pd.DataFrame, pledges: pd.DataFrame) -> pd.Series:
    """mp_id as contract section 4 words it, in whole-column pandas: the row's seat, else
    the one seat other rows give that person, else the person."""
    pairs = pd.concat([meetings[["person_key", "constituency_key"]],
                       pledges[["person_key", "constituency_key"]]], ignore_index=True)
    pairs = pairs[(pairs.person_key != "") & (pairs.constituency_key != "")].drop_duplicates()
    seats = pairs.groupby("person_key")["constituency_key"].agg(["first", "size"])
    joined = frame["person_key"].map(seats.loc[seats["size"] == 1, "first"])
    seat = frame["constituency_key"].where(frame["constituency_key"] != "", joined)
    return ("c:" + seat).where(seat.notna() & (seat != ""), "p:" + frame["person_key"])


@pytest.mark.parametrize("text", ["str", object])
def test_mp_ids_worked_out_per_distinct_pair_are_those_of_each_row(text):
    names = ["Jane Smith MP", "jane smith", "Jane\u00a0Smith", "Ann Lee", "Ann Lee", "Bo Kay", "",
             None, "Cy Dee", "Cy Dee", "Rt Hon Ed Fox", "=cmd()", "#REF!", "O\u2019Brien"]
    seats = ["Bath", "", None, "York Central", "York  central", "", "Bath", "", "Leeds East", "Hull",
             "", "", "Bath", "Hull"]
    meetings = pd.DataFrame({"name": pd.Series(names, dtype=text),
                             "constituency": pd.Series(seats, dtype=text),
                             "role": ["MP"] * len(names)})
    pledges = pd.DataFrame({"mp_name": pd.Series(["Ed Fox", "Bo Kay", "O'Brien", None], dtype=text),
                            "constituency": pd.Series(["Leeds East", None, "", "Bath"], dtype=text)})
    got_meetings, got_pledges, ambiguous = figures.resolve_mps(meetings, pledges)
    assert ambiguous == {"cy dee"}
    for got in (got_meetings, got_pledges):
        pd.testing.assert_series_equal(got["mp_id"],
                                       _mp_ids_row_by_row(got, got_meetings, got_pledges),
                                       check_names=False)
    assert got_meetings["mp_id"].tolist()[:3] == ["c:bath"] * 3
    assert got_pledges["mp_id"].tolist() == ["c:leeds east", "p:bo kay", "c:hull", "c:bath"]


def test_meetings_and_pledges_of_different_text_types_get_the_same_mp_ids():
    """Names and seats of both tabs are keyed as one column: pandas text in one tab and
    objects in the other (an empty tab's frame, a sheet read as objects) key alike."""
    meetings = pd.DataFrame({"name": pd.Series(["Jane Smith", "Cy Dee", None], dtype="str"),
                             "constituency": pd.Series(["Bath", "Hull", "York"], dtype="str"),
                             "role": ["MP"] * 3})
    pledges = pd.DataFrame({"mp_name": ["jane smith", "Cy Dee", None],
                            "constituency": [None, "Leeds East", "York"]}, dtype=object)
    expected = figures.resolve_mps(meetings.astype(object), pledges)
    for mixed in ((meetings, pledges), (meetings.astype(object), pledges.astype("str"))):
        got = figures.resolve_mps(*mixed)
        assert got[2] == expected[2] == {"cy dee"}
        for frame, want in zip(got[:2], expected[:2]):
            assert frame["mp_id"].tolist() == want["mp_id"].tolist()
            assert frame["person_key"].tolist() == want["person_key"].tolist()
    assert expected[1]["mp_id"].tolist() == ["c:bath", "c:leeds east", "c:york"]
    empty = figures.resolve_mps(meetings.iloc[:0], pledges)
    assert empty[1]["mp_id"].tolist() == ["p:jane smith", "c:leeds east", "c:york"]


@pytest.mark.parametrize("text", ["str", object])
@pytest.mark.parametrize("grouped", [True, False])
def test_distinct_refs_counted_per_group_are_pandas_nunique(text, grouped):
    import numpy as np
    rng = np.random.default_rng(5)
    n, k = 3000, 7                        # group 3 has no rows; refs repeat, some are missing
    groups = np.sort(rng.choice([0, 1, 2, 4, 5, 6], n)) if grouped else rng.choice([0, 1, 2, 4, 5, 6], n)
    refs = [None if r % 17 == 0 else f"R{r}" if r % 5 else f"r {r}\u00a0" for r in rng.integers(0, 900, n)]
    among = rng.random(n) < 0.6
    values = pd.Series(refs, dtype=text)
    every, some = figures._count_distinct_texts(values, groups, k, among)
    frame = pd.DataFrame({"ref": pd.Series(refs, dtype=object), "group": groups, "among": among})
    expected_every = frame.groupby("group")["ref"].nunique().reindex(range(k), fill_value=0)
    expected_some = frame[frame["among"]].groupby("group")["ref"].nunique().reindex(range(k), fill_value=0)
    assert every.tolist() == expected_every.tolist() and every[3] == 0
    assert some.tolist() == expected_some.tolist()
    none = figures._count_distinct_texts(values.iloc[0:0], groups[:0], k, among[:0])
    assert [c.tolist() for c in none] == [[0] * k, [0] * k]
    blank = figures._count_distinct_texts(pd.Series([None, None], dtype=text), np.array([0, 1]), 2,
                                          np.array([True, False]))
    assert [c.tolist() for c in blank] == [[0, 0], [0, 0]]


@pytest.mark.parametrize("text", ["str", object])
def test_each_rows_charity_is_found_in_runs_or_not(text):
    import numpy as np
    position = {"A": 0, "B": 1, "C": 2}
    for charities in (["A", "A", "B", "B", "B", "C"], ["B", "A", "B", "C", "A", "A"], ["C"], []):
        frame = pd.DataFrame({"charity": pd.Series(charities, dtype=text)})
        if len(charities) > 1:                          # in two Arrow chunks, as merged
            frame = pd.concat([frame.iloc[:2], frame.iloc[2:]], ignore_index=True)
        owners = figures._owners(frame, position)
        assert owners.tolist() == [position[c] for c in charities]
        assert owners.dtype == np.int64


def _random_merged(seed: int) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Merged frames as the merge hands them to compute_figures, with missing dates, ids,
    keys and reaches, and joint meetings and pieces logged by several charities."""
    import numpy as np
    rng = np.random.default_rng(seed)
    names = ["A", "B", "C", "D"]

    def texts(values, missing=0.1):
        return pd.Series([None if rng.random() < missing else v for v in values], dtype="str")

    n = 400
    charity = pd.Series(sorted(rng.choice(names[:3], n)), dtype="str")      # D has no rows
    days = pd.to_datetime(rng.choice(["2022-06-01", "2022-06-02", None], n)).astype("datetime64[ns]")
    meetings = pd.DataFrame({"date": days, "mp_id": texts([f"c:{i}" for i in rng.integers(0, 30, n)]),
                             "is_mp": rng.random(n) < 0.8, "pledge_signed": rng.random(n) < 0.3,
                             "charity": charity})
    pledges = pd.DataFrame({"mp_id": texts([f"c:{i}" for i in rng.integers(0, 40, 50)]),
                            "charity": pd.Series(sorted(rng.choice(names, 50)), dtype="str")})
    media = pd.DataFrame({"media_key": texts([f"k{i}" for i in rng.integers(0, 90, n)]),
                          "reach": pd.array([None if rng.random() < 0.3 else int(r)
                                             for r in rng.integers(0, 10**6, n)], dtype="Int64"),
                          "charity": charity})
    attendees = pd.DataFrame({"ref": texts([f"R{i}" for i in rng.integers(0, 300, n)]),
                              "status": texts(rng.choice(["attended", "registered"], n)),
                              "charity": charity})
    return {"attendees": attendees, "mp_meetings": meetings, "pledges": pledges, "media": media}, names


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_coalition_meetings_and_reach_are_counted_as_pandas_counts_them(seed):
    frames, names = _random_merged(seed)
    table = figures.compute_figures(frames, names)
    meetings, media = frames["mp_meetings"], frames["media"]
    coalition = table.loc[figures.COALITION]
    assert coalition["meetings"] == len(meetings[["date", "mp_id"]].drop_duplicates())
    assert coalition["mp_meetings"] == len(meetings[meetings["is_mp"]][["date", "mp_id"]].drop_duplicates())
    keyed = media.dropna(subset=["media_key"])
    assert coalition["media_reach"] == int(keyed.groupby("media_key")["reach"].max().fillna(0).sum())
    per = keyed.groupby(["charity", "media_key"])["reach"].max().fillna(0).groupby("charity").sum()
    assert table.loc[names, "media_reach"].tolist() == [int(per.get(n, 0)) for n in names]


@pytest.mark.parametrize("linked", ["some", "all", "none", "empty"])
def test_media_keys_are_the_link_key_else_the_date_outlet_headline_key(linked):
    from dashboard.keys import media_fallback_key, media_url_key
    urls = ["https://www.bbc.co.uk/news/1?utm_source=x", None, "", " ", "#REF!",
            "HTTPS://BBC.CO.UK/news/1/", "https://x.example/caf\u00e9", None]
    if linked == "all":
        urls = [u or "https://x.example/a" for u in urls]
    elif linked == "none":
        urls = [None] * len(urls)
    media = pd.DataFrame({
        "outlet": pd.Series(["BBC", "The\u00a0Guardian ", None, "itv", "BBC", "bbc", "X", "bbc"], dtype="str"),
        "url": pd.Series(urls, dtype="str"),
        "date": pd.to_datetime(["2022-06-01", None, "2022-06-02", "2022-06-02", "2022-06-03",
                                "2022-06-01", None, "2022-06-03"]).astype("datetime64[ns]"),
        "headline": pd.Series(["Care", "Care  Leavers", "care", None, "=X()", "Care", "Ç", "=x()"],
                              dtype="str")}, index=range(10, 18))
    if linked == "empty":
        media = media.iloc[0:0]
    got = figures.add_media_keys(media)
    expected = [media_url_key(u) or media_fallback_key(d, o, h)
                for u, d, o, h in zip(media["url"].astype(object).where(media["url"].notna(), None),
                                      media["date"], media["outlet"].astype(object),
                                      media["headline"].astype(object))]
    assert got["media_key"].tolist() == expected
    assert str(got["media_key"].dtype) == "str" and got.index.equals(media.index)
    pd.testing.assert_frame_equal(got.drop(columns="media_key"), media)
    # links held as objects take the other way (each row's link key, then the fallbacks)
    as_objects = media.assign(url=media["url"].astype(object).where(media["url"].notna(), None))
    pd.testing.assert_series_equal(figures.add_media_keys(as_objects)["media_key"],
                                   got["media_key"])


@pytest.mark.parametrize("names, rows", [
    (["Barnardo's", "Ynys Môn Trust", "", "Ŝ 🙂"], [3, 0, 2, 1]),
    (["A"], [0]),
    ([], []),
])
def test_the_charity_column_is_each_name_for_its_rows(names, rows):
    """charity_column writes Arrow's buffers itself: the same pandas text as taking each
    row's name (Unicode names, an empty one, charities without rows, no rows at all)."""
    import pyarrow as pa

    got = figures.charity_column(names, rows)
    expected = pd.array(pa.array(names, type=pa.string()).take(
        pa.array(np.repeat(np.arange(len(names)), rows).astype(np.int64))), dtype="str")
    assert got.dtype == expected.dtype
    pd.testing.assert_extension_array_equal(got, expected)
    assert got.tolist() == [n for n, k in zip(names, rows) for _ in range(k)]
