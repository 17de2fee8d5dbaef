"""The pages' aggregates (dashboard/views.py) against the plain pandas they replace.

Some aggregates skip work for speed (joining charity names only where more than one charity
is involved). Each is compared here with the obvious one-group-at-a-time form, on the demo
coalition and on frames with the awkward cases: missing dates and people, nothing shared,
nothing at all.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import figures, views
from dashboard.config import load_config
from dashboard.pipeline import load_coalition
from tests.conftest import ROOT


def _join(s: pd.Series) -> str:
    return ", ".join(sorted(set(s)))


def reference_joint_meetings(meetings: pd.DataFrame) -> pd.DataFrame:
    grouped = meetings.groupby(["date", "mp_id"], dropna=False).agg(
        name=("name", "first"), role=("role", "first"),
        charities=("charity", _join), logged_by=("charity", "nunique"))
    return grouped[grouped["logged_by"] > 1].reset_index().sort_values("date")


def reference_mp_charities(meetings: pd.DataFrame) -> pd.Series:
    mp_rows = meetings[meetings["is_mp"]]
    return mp_rows.groupby("mp_id")["charity"].agg(_join)


class FramesOnly:
    """What the views read of a Coalition: its merged frames."""

    def __init__(self, **frames: pd.DataFrame):
        self.frames = frames

    def frame(self, key: str) -> pd.DataFrame:
        return self.frames[key]


@pytest.fixture(scope="module")
def demo():
    return load_coalition(load_config(ROOT / "dashboard" / "demo_data" / "coalition.toml"))


def _meetings(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["date", "mp_id", "name", "role", "charity", "is_mp"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["pledge_signed"] = False
    return frame


AWKWARD = [
    ("2022-06-22", "mp:a", "Ann A", "MP", "Coram", True),
    ("2022-06-22", "mp:a", "Ann  A", "MP", "NSPCC", True),     # shared: two charities
    ("2022-06-22", "mp:a", "Ann A", "MP", "Coram", True),      # the same charity again
    ("2022-06-22", "mp:b", "Bob B", "MP", "Coram", True),      # one charity only
    (None, "mp:a", "Ann A", "MP", "Become", True),             # no date, shared with…
    (None, "mp:a", "Ann A", "MP", "Coram", True),              # …another undated row
    ("2022-06-23", None, "Someone", "Official", "Coram", False),   # no person key, shared
    ("2022-06-23", None, "Someone else", "Official", "NSPCC", False),
    ("2022-06-24", "mp:c", "Cat C", "Minister", "NSPCC", True),
    ("2022-06-21", "mp:c", "Cat C", "Minister", "Become", True),
]


def test_joint_meetings_match_the_plain_groupby_on_the_demo(demo):
    got = views.joint_meetings(demo)
    want = reference_joint_meetings(demo.frame("mp_meetings"))
    assert len(got) >= 10                     # the demo plants shared meetings
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("rows", [AWKWARD, AWKWARD[3:4] + AWKWARD[8:], []],
                         ids=["awkward", "nothing-shared", "empty"])
def test_joint_meetings_match_the_plain_groupby_on_awkward_frames(rows):
    meetings = _meetings(rows)
    got = views.joint_meetings(FramesOnly(mp_meetings=meetings))
    want = reference_joint_meetings(meetings)
    pd.testing.assert_frame_equal(got, want)


def test_joint_meetings_keep_undated_and_unnamed_shared_meetings():
    got = views.joint_meetings(FramesOnly(mp_meetings=_meetings(AWKWARD)))
    assert sorted(got["charities"]) == ["Become, Coram", "Coram, NSPCC", "Coram, NSPCC"]
    assert got["logged_by"].tolist() == [2, 2, 2]


def test_mp_table_lists_each_mps_charities_as_the_plain_join(demo):
    table = views.mp_table(demo).set_index("mp_id")
    want = reference_mp_charities(demo.frame("mp_meetings"))
    met = table[table["met"]]
    assert len(met) == len(want) > 20
    pd.testing.assert_series_equal(met["charities"].sort_index(), want.sort_index(),
                                   check_names=False)
    assert (met["charities"].str.contains(", ")).any()      # some MPs met by several


def test_mp_table_charities_on_awkward_meetings():
    meetings = _meetings(AWKWARD)
    pledges = pd.DataFrame({"mp_id": pd.Series(dtype=object), "mp_name": pd.Series(dtype=object),
                            "constituency": pd.Series(dtype=object), "party": pd.Series(dtype=object)})
    for column in ("constituency", "party"):
        meetings[column] = "x"
    table = views.mp_table(FramesOnly(mp_meetings=meetings, pledges=pledges)).set_index("mp_id")
    assert table["charities"].to_dict() == {"mp:a": "Become, Coram, NSPCC", "mp:b": "Coram",
                                            "mp:c": "Become, NSPCC"}
    assert np.array_equal(table.loc[["mp:a", "mp:b", "mp:c"], "meetings"], [5, 1, 2])


@pytest.mark.parametrize("mask_bits", [64, 2], ids=["bitmask", "more-charities-than-bits"])
def test_charities_by_key_is_the_sorted_join_per_key(monkeypatch, mask_bits):
    """Both ways of joining (bitmasks; plain joins when a coalition has more charities than
    a mask has bits) give each key its sorted, distinct charities, a missing key included."""
    monkeypatch.setattr(views, "_MASK_BITS", mask_bits)
    frame = pd.DataFrame({"key": ["a", "b", "a", None, "c", "a", None, "b"],
                          "charity": ["NSPCC", "Coram", "Become", "Coram", "Coram", "NSPCC",
                                      "Become", "Coram"]})
    got = views._charities_by_key(frame, "key")
    assert got.dtype == "str"
    assert {("<missing>" if pd.isna(k) else k): v for k, v in got.items()} == {
        "a": "Become, NSPCC", "b": "Coram", "c": "Coram", "<missing>": "Become, Coram"}


def test_joint_meetings_beyond_64_charities_match_the_plain_groupby(demo, monkeypatch):
    monkeypatch.setattr(views, "_MASK_BITS", 2)
    pd.testing.assert_frame_equal(views.joint_meetings(demo),
                                  reference_joint_meetings(demo.frame("mp_meetings")))


def test_attendee_breakdowns_are_each_breakdown_on_its_own(demo):
    together = views.attendee_breakdowns(demo, ["region", "age_band"])
    for column in ("region", "age_band"):
        pd.testing.assert_frame_equal(together[column], views.attendee_breakdown(demo, column))
    # Each young person once per charity: the counts add up to the attended figure.
    assert int(together["region"].to_numpy().sum()) == \
        int(demo.figures.loc["Coalition", "attendees_attended"])


def test_media_items_list_each_pieces_charities_as_the_plain_join(demo):
    items = views.media_items(demo).set_index("media_key")["charities"]
    want = demo.frame("media").groupby("media_key")["charity"].agg(_join)
    pd.testing.assert_series_equal(items.sort_index(), want.sort_index(), check_names=False)
    assert items.str.contains(", ").any()            # the demo's shared articles


def test_mps_are_counted_by_party_under_one_name_whatever_short_form_a_sheet_used(demo):
    """The demo's sheets write 'Con' and 'Conservative', 'Lab' and 'Labour': one bar each,
    named as the official list names the party; a party the list does not know stays as
    written, a blank one stays blank, and MPs the list cannot place are one group of
    their own in the breakdown."""
    raw = pd.concat([demo.frame("mp_meetings")["party"], demo.frame("pledges")["party"]])
    assert {"Con", "Conservative"} <= set(raw.dropna())        # the mess this is about
    table = views.mp_table(demo)
    parties = views.by_party(table).set_index("party")
    assert "Con" not in parties.index and "Lab" not in parties.index
    written = table.set_index("mp_id")["party"]
    assert parties["met"].sum() == int(table["met"].sum())    # nobody lost or counted twice
    assert parties.loc["Conservative", "met"] == int(
        (table["met"] & (written.to_numpy() == "Conservative")).sum())

    meetings = _meetings(AWKWARD)
    meetings["constituency"] = "x"
    # Ann's first row says "Tory", her later ones " conservative"; Bob gives none; Cat's
    # party is not in the official list.
    meetings["party"] = meetings["mp_id"].map(
        {"mp:a": " conservative", "mp:b": None, "mp:c": "Monster Raving Loony"})
    meetings.loc[0, "party"] = "Tory"
    pledges = pd.DataFrame({"mp_id": pd.Series(dtype=object), "mp_name": pd.Series(dtype=object),
                            "constituency": pd.Series(dtype=object), "party": pd.Series(dtype=object)})
    table = views.mp_table(FramesOnly(mp_meetings=meetings, pledges=pledges))
    assert table.set_index("mp_id")["party"].to_dict() == {
        "mp:a": "Conservative", "mp:b": "", "mp:c": "Monster Raving Loony"}
    assert views.by_party(table)["party"].tolist() == [figures.NOT_PLACED]   # no seat ids: none placed


def test_mps_not_yet_met_leaves_out_the_met_and_if_asked_the_pledged():
    from dashboard.official import parliament as parl

    seats = parl.load_constituencies("2024")
    bristol = seats[seats["region"] == "South West"].sort_values("name")
    met, pledged = bristol["key"].iloc[0], bristol["key"].iloc[1]
    left = views.mps_not_yet_met({met}, {pledged}, "2024", region="South West")
    assert left.columns.tolist() == views.NOT_YET_MET_COLUMNS
    assert len(left) == len(bristol) - 1 and set(left["region"]) == {"South West"}
    names = set(left["constituency"])
    assert bristol["name"].iloc[0] not in names and bristol["name"].iloc[1] in names
    unpledged = views.mps_not_yet_met({met}, {pledged}, "2024", region="South West",
                                      only_unpledged=True)
    assert set(unpledged["constituency"]) == names - {bristol["name"].iloc[1]}
    everyone = views.mps_not_yet_met(set(), set(), "2024")
    assert len(everyone) == len(seats)
    assert all(m == figures.display_name(m) for m in everyone["mp"])
