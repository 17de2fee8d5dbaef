"""What figures.py answers the pages about MPs without them reading an MP id's encoding."""
from __future__ import annotations

import pandas as pd

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
