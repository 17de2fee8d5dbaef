"""This week's highlights for the meeting: MPs met for the first time and the pieces of
coverage with the widest reach since the baseline. Pure pandas, from the shared views
(views.mp_table, views.media_items). For coalition and lead views and packs only: they name
MPs, outlets and headlines typed by staff, so never for a trustee.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

MAX_MEDIA_HIGHLIGHTS = 5
MAX_NEW_MPS = 10


@dataclass(frozen=True)
class Highlights:
    since: dt.date                  # after this day ...
    until: dt.date                  # ... up to and including this one
    new_mps: pd.DataFrame           # name, constituency, party, first_met, charities
    new_mps_total: int
    media: pd.DataFrame             # date, outlet, headline, type, reach
    media_total: int


def _days(column: pd.Series) -> pd.Series:
    """Each value's day as a midnight Timestamp (NaT where there is none). Compared as
    Timestamps: `.dt.date` of a column with no date at all stays datetime64, which cannot
    be compared with a date."""
    return pd.to_datetime(column, errors="coerce").dt.normalize()


def week_highlights(mps: pd.DataFrame, media: pd.DataFrame, since: dt.date, until: dt.date,
                    *, max_mps: int = MAX_NEW_MPS, max_media: int = MAX_MEDIA_HIGHLIGHTS) -> Highlights:
    """MPs whose first meeting falls after `since` and on or before `until` (oldest first),
    and the pieces of coverage dated in the same days, widest reach first."""
    after, upto = pd.Timestamp(since), pd.Timestamp(until)
    first = _days(mps["first_met"] if "first_met" in mps else pd.Series(index=mps.index, dtype=object))
    new = mps[mps["met"] & first.gt(after) & first.le(upto)]
    new = new.assign(first_met=first[new.index].dt.date).sort_values(["first_met", "name"], kind="stable")
    new = new[["name", "constituency", "party", "first_met", "charities"]]
    if media.empty:
        pieces = pd.DataFrame(columns=["date", "outlet", "headline", "type", "reach"])
    else:
        day = _days(media["date"])
        pieces = media[day.gt(after) & day.le(upto)]
        pieces = pieces.assign(date=day[pieces.index].dt.date, reach=pd.to_numeric(pieces["reach"], errors="coerce"))
        pieces = pieces.sort_values(["reach", "date"], ascending=[False, True], na_position="last",
                                    kind="stable")[["date", "outlet", "headline", "type", "reach"]]
    return Highlights(since, until, new.head(max_mps).reset_index(drop=True), len(new),
                      pieces.head(max_media).reset_index(drop=True), len(pieces))
