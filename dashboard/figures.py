"""Merge and figures (contract sections 4 and 5): pure pandas, no Streamlit.

Input: each charity's typed frames. Output: the merged frames with identities resolved
across charities, and the eight figures per charity and for the coalition.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.contract import FIGURES, MP_ROLES
from dashboard.keys import constituency_key, media_fallback_key, media_url_key, person_key

COALITION = "Coalition"


def _keyed(values: pd.Series, fn, keys_of=None) -> pd.Series:
    """Apply a key function once per distinct value (names repeat across thousands of rows).

    Missing values key as "". `keys_of(distinct values) -> keys` may stand in for calling
    `fn` on each one when it gives the same keys faster.
    """
    codes, uniques = pd.factorize(values.astype(object))
    distinct = list(uniques)
    keys = keys_of(distinct) if keys_of is not None else [fn(v) if v != "" else "" for v in distinct]
    keys = pd.array([*keys, ""], dtype="str")             # the last one: missing values
    return pd.Series(keys.take(np.where(codes < 0, len(keys) - 1, codes)), index=values.index)


# A link with nothing keys.media_url_key would have to take apart: http(s)://, a host of
# letters, digits, hyphens and dots, then a path of printable ASCII without space,
# backslash, '@', '?' or '#'. Its key is simply the lower-cased text without the scheme,
# a leading 'www.' and trailing '/' (urlsplit would find that host and that path, and no
# query to filter). Everything else goes through media_url_key itself.
_SIMPLE_URL = re.compile(r"[hH][tT][tT][pP][sS]?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                         r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?:/[!$-;=A-[\]-~]*)?")


def media_url_keys(urls: list) -> list[str]:
    """media_url_key of each URL ("" for a blank), the common simple links done directly."""
    out = []
    for url in urls:
        if url == "":
            out.append("")
        elif isinstance(url, str) and _SIMPLE_URL.fullmatch(url):
            key = url.lower().split("//", 1)[1]
            out.append((key[4:] if key.startswith("www.") else key).rstrip("/"))
        else:
            out.append(media_url_key(url))
    return out


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
    by_url = _keyed(media["url"], media_url_key, media_url_keys)
    if len(media):
        # Only rows without a link need the (date, outlet, headline) key.
        need = (by_url == "").to_numpy(dtype=bool)
        fallback = pd.Series("", index=media.index, dtype=object)
        if need.any():
            part = media.loc[need, ["date", "outlet", "headline"]]
            fallback[need] = [media_fallback_key(d.date() if pd.notna(d) else None, o, h)
                              for d, o, h in zip(part["date"], part["outlet"], part["headline"])]
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


def _figures_by_charity(attendees, meetings, pledges, media) -> dict[str, pd.Series]:
    """Each per-charity figure of `_figures(..., coalition=False)`, for every charity at
    once: one grouped pass per figure instead of one pass per charity."""
    def per(frame: pd.DataFrame, column: str | None = None, how: str = "size") -> pd.Series:
        grouped = frame.groupby("charity", sort=False)
        return grouped.size() if column is None else grouped[column].agg(how)

    mp_rows = meetings[meetings["is_mp"]]
    pledged = pd.concat([pledges[["charity", "mp_id"]],
                         meetings.loc[meetings["pledge_signed"], ["charity", "mp_id"]]])
    reach = (media.groupby(["charity", "media_key"], sort=False)["reach"].max().fillna(0)
             .groupby(level="charity", sort=False).sum())
    return {
        "attendees_registered": per(attendees, "ref", "nunique"),
        "attendees_attended": per(attendees[attendees["status"] == "attended"], "ref", "nunique"),
        "meetings": per(meetings),
        "mp_meetings": per(mp_rows),
        "mps_met": per(mp_rows, "mp_id", "nunique"),
        "pledges": per(pledged.drop_duplicates()),
        "media_mentions": per(media, "media_key", "nunique"),
        "media_reach": reach,
    }


def compute_figures(frames: dict[str, pd.DataFrame], charities: list[str]) -> pd.DataFrame:
    """Figures per charity (rows, in config order) and for the coalition (last row).

    `frames` are the merged frames (a `charity` column, identities resolved). Attendees
    are summed across charities: no identity of a young person crosses charities.
    """
    attendees, meetings = frames["attendees"], frames["mp_meetings"]
    pledges, media = frames["pledges"], frames["media"]
    by_charity = _figures_by_charity(attendees, meetings, pledges, media)
    rows = {name: {key: int(by_charity[key].get(name, 0)) for key in FIGURES} for name in charities}
    total = _figures(attendees, meetings, pledges, media, coalition=True)
    per_charity = pd.DataFrame.from_dict(rows, orient="index", columns=list(FIGURES))
    total["attendees_registered"] = int(per_charity["attendees_registered"].sum())
    total["attendees_attended"] = int(per_charity["attendees_attended"].sum())
    table = pd.concat([per_charity, pd.DataFrame([total], index=[COALITION])])
    return table.astype("int64")
