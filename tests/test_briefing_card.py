"""The MP briefing card on MP coverage & briefings: each MP's engagement record in one
place (issue 18) — every meeting with the young people present, the pledge's date and
photo, and the follow-ups and notes the viewer's role may read (a lead: their own
charity's; other charities' meetings as a count)."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard import figures
from dashboard.official import parliament as parl
from dashboard.pipeline import load_coalition
from tests.app_helpers import _mint, _run, _visible_text

SEAT = "Birmingham, Ladywood"          # met by three charities in the demo, with notes


def _card(app, links_config, role: str, charity: str | None = None) -> str:
    at = _run(app(_mint(links_config, role, charity).token))
    at.switch_page("pages/coverage.py")
    _run(at)
    next(s for s in at.selectbox if s.label == "Constituency").set_value(SEAT)
    _run(at)
    return _visible_text(at)


@pytest.fixture
def seat_rows(links_config):
    coalition = load_coalition(links_config)
    seat, _ = parl.match_constituency(SEAT, coalition.parliament)
    meetings = coalition.frame("mp_meetings")
    theirs = meetings[(meetings["mp_id"] == figures.seat_id(seat["key"])) & meetings["is_mp"]]
    assert theirs["charity"].nunique() >= 2 and theirs["notes"].notna().any(), \
        "the demo seat chosen must be met by several charities, with notes"
    pledges = coalition.frame("pledges")
    return theirs, pledges[pledges["mp_id"] == figures.seat_id(seat["key"])]


def _texts(rows: pd.DataFrame, column: str) -> list[str]:
    return [t for t in rows[column].dropna().unique() if len(t) > 12]


def test_the_coalition_reads_every_meeting_follow_up_and_note(app, links_config, seat_rows):
    theirs, pledges = seat_rows
    card = _card(app, links_config, "coalition")
    for text in _texts(theirs, "notes") + _texts(theirs, "follow_up"):
        assert text in card
    present = theirs["young_people_present"].dropna()
    # (a table's column as the test reads it: its key; the page heads it "Young people present")
    assert "young_people_present" in card and (present.empty or str(int(present.iloc[0])) in card)
    if len(pledges):
        assert "Pledge: " in card


def test_a_lead_reads_their_own_charitys_notes_and_counts_the_others(app, links_config, seat_rows):
    theirs, _ = seat_rows
    mine = theirs["charity"].iloc[0]
    card = _card(app, links_config, "lead", mine)
    own, others = theirs[theirs["charity"] == mine], theirs[theirs["charity"] != mine]
    for text in _texts(own, "notes") + _texts(own, "follow_up"):
        assert text in card
    own_texts = set(_texts(own, "notes") + _texts(own, "follow_up"))
    for text in set(_texts(others, "notes") + _texts(others, "follow_up")) - own_texts:
        assert text not in card, "another charity's note reached a lead's card"
    assert f"Meetings logged by other charities in the coalition: {len(others)}." in card
