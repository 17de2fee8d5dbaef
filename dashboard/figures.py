"""Merge and figures (contract sections 4 and 5): pure pandas, no Streamlit.

Input: each charity's typed frames. Output: the merged frames with identities resolved
across charities, and the eight figures per charity and for the coalition.
"""
from __future__ import annotations

import pandas as pd

from dashboard.contract import FIGURES, MP_ROLES
from dashboard.keys import constituency_key, media_fallback_key, media_url_key, person_key

COALITION = "Coalition"


def _keyed(values: pd.Series, fn) -> pd.Series:
    """Apply a key function once per distinct value (names repeat across thousands of rows)."""
    filled = values.astype(object).where(values.notna(), "")
    mapping = {v: (fn(v) if v != "" else "") for v in pd.unique(filled)}
    return filled.map(mapping).astype(str)


def concat_tab(per_charity: dict[str, pd.DataFrame]) -> pd.DataFrame:
    parts = [f.assign(charity=name) for name, f in per_charity.items() if len(f)]
    if not parts:
        template = next(iter(per_charity.values()), pd.DataFrame())
        return template.iloc[0:0].assign(charity=pd.Series(dtype=object))
    return pd.concat(parts, ignore_index=True)


def resolve_mps(meetings: pd.DataFrame, pledges: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, set[str]]:
    """Give every meeting and pledge row an `mp_id` (contract section 4).

    An MP is their constituency when the row has one; a row without one is joined by
    person key to the constituency that other rows (any charity, meetings or pledges) give
    that person; otherwise the person key alone. A person key that other rows give two
    different constituencies is ambiguous (two MPs share a name): it is not joined, and
    is returned so the pages can say so.
    """
    meetings = meetings.assign(person_key=_keyed(meetings["name"], person_key),
                               constituency_key=_keyed(meetings["constituency"], constituency_key))
    pledges = pledges.assign(person_key=_keyed(pledges["mp_name"], person_key),
                             constituency_key=_keyed(pledges["constituency"], constituency_key))
    pairs = pd.concat([meetings[["person_key", "constituency_key"]],
                       pledges[["person_key", "constituency_key"]]], ignore_index=True)
    pairs = pairs[(pairs.person_key != "") & (pairs.constituency_key != "")].drop_duplicates()
    seats = pairs.groupby("person_key")["constituency_key"].agg(["first", "size"])
    unique_seat = seats.loc[seats["size"] == 1, "first"]
    ambiguous = set(seats.index[seats["size"] > 1])

    def ids(frame: pd.DataFrame) -> pd.Series:
        joined = frame["person_key"].map(unique_seat)
        seat = frame["constituency_key"].where(frame["constituency_key"] != "", joined)
        return ("c:" + seat).where(seat.notna() & (seat != ""), "p:" + frame["person_key"])

    meetings["mp_id"] = ids(meetings) if len(meetings) else pd.Series(dtype=object)
    pledges["mp_id"] = ids(pledges) if len(pledges) else pd.Series(dtype=object)
    meetings["is_mp"] = meetings["role"].isin(MP_ROLES)
    return meetings, pledges, ambiguous


def add_media_keys(media: pd.DataFrame) -> pd.DataFrame:
    by_url = _keyed(media["url"], media_url_key)
    if len(media):
        fallback = pd.Series([media_fallback_key(d.date() if pd.notna(d) else None, o, h)
                              for d, o, h in zip(media["date"], media["outlet"], media["headline"])],
                             index=media.index, dtype=object)
    else:
        fallback = pd.Series(dtype=object)
    return media.assign(media_key=by_url.where(by_url != "", fallback))


def _figures(attendees, meetings, pledges, media, *, coalition: bool) -> dict[str, int]:
    mp_rows = meetings[meetings["is_mp"]]
    if coalition:
        # A joint meeting logged by two charities is one: distinct (date, person).
        n_meetings = len(meetings[["date", "mp_id"]].drop_duplicates())
        n_mp_meetings = len(mp_rows[["date", "mp_id"]].drop_duplicates())
    else:
        n_meetings, n_mp_meetings = len(meetings), len(mp_rows)
    pledged = set(pledges["mp_id"]) | set(meetings.loc[meetings["pledge_signed"], "mp_id"])
    reach = media.groupby("media_key")["reach"].max().fillna(0).sum() if len(media) else 0
    return {
        "attendees_registered": int(attendees["ref"].nunique()),
        "attendees_attended": int(attendees.loc[attendees["status"] == "attended", "ref"].nunique()),
        "meetings": int(n_meetings),
        "mp_meetings": int(n_mp_meetings),
        "mps_met": int(mp_rows["mp_id"].nunique()),
        "pledges": len(pledged),
        "media_mentions": int(media["media_key"].nunique()),
        "media_reach": int(reach),
    }


def compute_figures(frames: dict[str, pd.DataFrame], charities: list[str]) -> pd.DataFrame:
    """Figures per charity (rows, in config order) and for the coalition (last row).

    `frames` are the merged frames (a `charity` column, identities resolved). Attendees
    are summed across charities: no identity of a young person crosses charities.
    """
    attendees, meetings = frames["attendees"], frames["mp_meetings"]
    pledges, media = frames["pledges"], frames["media"]
    rows = {}
    groups = {key: dict(tuple(f.groupby("charity", sort=False))) for key, f in
              (("attendees", attendees), ("mp_meetings", meetings), ("pledges", pledges), ("media", media))}
    for name in charities:
        part = {key: groups[key].get(name, frames[key].iloc[0:0]) for key in groups}
        rows[name] = _figures(part["attendees"], part["mp_meetings"], part["pledges"],
                              part["media"], coalition=False)
    total = _figures(attendees, meetings, pledges, media, coalition=True)
    per_charity = pd.DataFrame.from_dict(rows, orient="index", columns=list(FIGURES))
    total["attendees_registered"] = int(per_charity["attendees_registered"].sum())
    total["attendees_attended"] = int(per_charity["attendees_attended"].sum())
    table = pd.concat([per_charity, pd.DataFrame([total], index=[COALITION])])
    return table.astype("int64")
