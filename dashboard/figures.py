"""Merge and figures (contract sections 4 and 5): pure pandas, no Streamlit.

Input: each charity's typed frames. Output: the merged frames with identities resolved
across charities, and the eight figures per charity and for the coalition.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.contract import FIGURES, MP_ROLES
from dashboard.keys import constituency_key, media_url_key, person_key, squash_text

COALITION = "Coalition"


def _keyed(values: pd.Series, fn, keys_of=None) -> pd.Series:
    """Apply a key function once per distinct value (names repeat across thousands of rows).

    Missing values key as "". `keys_of(distinct values) -> keys` may stand in for calling
    `fn` on each one when it gives the same keys faster.
    """
    codes, distinct = _distinct(values)
    keys = keys_of(distinct) if keys_of is not None else [fn(v) if v != "" else "" for v in distinct]
    keys = pd.array([*keys, ""], dtype="str")             # the last one: missing values
    return pd.Series(keys.take(np.where(codes < 0, len(keys) - 1, codes)), index=values.index)


def _distinct(values: pd.Series) -> tuple[np.ndarray, list]:
    """(code of each value, -1 when missing; the distinct values), in order of first
    appearance. Text held by Arrow is encoded by Arrow, without a Python object per row."""
    arrow = getattr(values.array, "__arrow_array__", None)
    if arrow is not None and isinstance(values.dtype, pd.StringDtype):
        import pyarrow as pa
        import pyarrow.compute as pc
        column = arrow()
        encoded = pc.dictionary_encode(column.combine_chunks() if isinstance(column, pa.ChunkedArray)
                                       else column)
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp)
        return codes, encoded.dictionary.to_pylist()
    codes, uniques = pd.factorize(values.astype(object))
    return codes, list(uniques)


# A link with nothing keys.media_url_key would have to take apart: http(s)://, a host of
# letters, digits, hyphens and dots, then a path of printable ASCII without space,
# backslash, '@', '?' or '#'. Its key is simply the lower-cased text without the scheme,
# a leading 'www.' and trailing '/' (urlsplit would find that host and that path, and no
# query to filter). Everything else goes through media_url_key itself.
_SIMPLE_URL = re.compile(r"[hH][tT][tT][pP][sS]?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                         r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?:/[!$-;=A-[\]-~]*)?")


# The same, followed by a query of utm_ parameters only (letters, digits and "_.~-" in
# their values): media_url_key drops every utm_ parameter, so such a link keys as the
# link without its query.
_UTM_ONLY = (r"\?utm_[a-z0-9_]*=[a-z0-9_.~-]*(?:&utm_[a-z0-9_]*=[a-z0-9_.~-]*)*")


def media_url_keys(urls: list) -> list[str]:
    """media_url_key of each URL ("" for a blank). The common simple links are keyed by
    Arrow's string functions in one pass; every other link by media_url_key itself."""
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = pa.array([u if isinstance(u, str) else None for u in urls], type=pa.string())
    lower = pc.utf8_lower(texts)
    simple = pc.or_(pc.match_substring_regex(texts, "^" + _SIMPLE_URL.pattern + "$"),
                    pc.match_substring_regex(lower, "^" + _SIMPLE_URL.pattern + _UTM_ONLY + "$"))
    simple = pc.fill_null(simple, False)
    key = pc.replace_substring_regex(pc.replace_substring_regex(lower, r"\?.*$", ""),
                                     r"^https?://(?:www\.)?", "")
    key = pc.utf8_rtrim(key, characters="/")
    fast = pc.if_else(simple, key, None).to_pylist()
    return [("" if url == "" else media_url_key(url)) if k is None else k
            for url, k in zip(urls, fast)]


def concat_tab(per_charity: dict[str, pd.DataFrame]) -> pd.DataFrame:
    names = [name for name, f in per_charity.items() if len(f)]
    if not names:
        template = next(iter(per_charity.values()), pd.DataFrame())
        return template.iloc[0:0].assign(charity=pd.Series(dtype=object))
    import pyarrow as pa

    merged = pd.concat([per_charity[n] for n in names], ignore_index=True)
    # The charity of each row, made by Arrow from one copy of each name (pandas text).
    owner = np.repeat(np.arange(len(names)), [len(per_charity[n]) for n in names])
    merged["charity"] = pd.array(pa.array(names, type=pa.string()).take(pa.array(owner)), dtype="str")
    return merged


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
            fallback[need] = media_fallback_keys(media.loc[need, ["date", "outlet", "headline"]])
    else:
        fallback = pd.Series(dtype=object)
    return media.assign(media_key=by_url.where(by_url != "", fallback))


def _codes(values: pd.Series) -> np.ndarray:
    """An integer per row, equal for equal values; -1 for a missing value."""
    return _distinct(values)[0] if isinstance(values.dtype, pd.StringDtype) else \
        pd.factorize(values)[0]


def media_fallback_keys(rows: pd.DataFrame) -> list[str]:
    """keys.media_fallback_key of each row (date, outlet, headline), with each distinct
    outlet and headline squashed once."""
    days = rows["date"].dt.strftime("%Y-%m-%d").astype(object)
    outlets = _keyed(rows["outlet"], squash_text).astype(object)
    headlines = _keyed(rows["headline"], squash_text).astype(object)
    return ["|".join(("" if d is None or d != d else d, o, h))
            for d, o, h in zip(days, outlets, headlines)]


def _count_distinct(values: np.ndarray, groups: np.ndarray | None = None,
                    n_groups: int = 1) -> np.ndarray:
    """How many distinct non-negative `values` each group (0..n_groups-1) has."""
    groups = np.zeros(len(values), dtype=np.int64) if groups is None else groups
    known = values >= 0
    span = max(1, int(values.max()) + 1) if len(values) else 1
    pairs = pd.unique(groups[known].astype(np.int64) * span + values[known])
    return np.bincount(pairs // span, minlength=n_groups)


def _count_distinct_texts(values: pd.Series, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """How many distinct non-missing values each group has, for a column of (nearly all
    distinct) texts such as Refs: counted one group at a time, as Arrow hashes 50 small
    groups several times faster than one column of half a million texts."""
    arrow = getattr(values.array, "__arrow_array__", None)
    if arrow is None or not isinstance(values.dtype, pd.StringDtype) or not len(values):
        return _count_distinct(_codes(values), groups, n_groups)
    import pyarrow as pa
    import pyarrow.compute as pc

    column = arrow()
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if len(groups) > 1 and (np.diff(groups) < 0).any():        # rows of a group together
        order = np.argsort(groups, kind="stable")
        groups, column = groups[order], column.take(pa.array(order))
    bounds = np.searchsorted(groups, np.arange(n_groups + 1))
    return np.array([pc.count_distinct(column.slice(a, b - a)).as_py()
                     for a, b in zip(bounds[:-1], bounds[1:])], dtype=np.int64)


def _rows(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """An integer per row, equal for rows equal in `columns` (missing equal to missing,
    as drop_duplicates has it)."""
    key = np.zeros(len(frame), dtype=np.int64)
    for column in columns:
        codes = _codes(frame[column]) + 1
        key = key * (int(codes.max()) + 1 if len(codes) else 1) + codes
        key = pd.factorize(key)[0].astype(np.int64)      # renumbered: stays inside int64
    return key


def _reach(reach: pd.Series, pieces: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: the sum over its distinct pieces (`pieces`: codes of the media keys) of
    the largest reach given (a piece with no reach given counts 0)."""
    known = pieces >= 0                      # (a piece without a key is no piece)
    span = max(1, int(pieces.max()) + 1) if len(pieces) else 1
    largest = pd.Series(reach.to_numpy(dtype="float64", na_value=np.nan)[known]).groupby(
        groups[known] * span + pieces[known]).max().fillna(0)
    keys = largest.index.to_numpy(dtype=np.int64)
    return np.bincount(keys // span, weights=largest.to_numpy(), minlength=n_groups)


def compute_figures(frames: dict[str, pd.DataFrame], charities: list[str]) -> pd.DataFrame:
    """Figures per charity (rows, in config order) and for the coalition (last row).

    `frames` are the merged frames (a `charity` column, identities resolved). Attendees
    are summed across charities: no identity of a young person crosses charities. Every
    figure counts distinct integer codes (each column's values numbered once), for all
    charities in one pass and for the coalition as one group.
    """
    attendees, meetings = frames["attendees"], frames["mp_meetings"]
    pledges, media = frames["pledges"], frames["media"]
    n = len(charities)
    position = {name: i for i, name in enumerate(charities)}

    def owner(frame: pd.DataFrame) -> np.ndarray:
        """The position in `charities` of each row's charity."""
        if not len(frame):
            return np.zeros(0, dtype=np.int64)
        codes, names = _distinct(frame["charity"])
        return np.array([position[name] for name in names], dtype=np.int64)[codes]

    attended = (attendees["status"] == "attended").to_numpy(dtype=bool, na_value=False)
    mp = meetings["is_mp"].to_numpy(dtype=bool)
    signed = meetings["pledge_signed"].to_numpy(dtype=bool)
    # mp_id codes shared by pledges and meetings, so a pledge and a signed meeting with
    # the same MP are one.
    both = _codes(pd.concat([pledges["mp_id"], meetings["mp_id"]], ignore_index=True))
    pledge_ids, meeting_ids = both[:len(pledges)], both[len(pledges):]
    pledged_ids = np.concatenate([pledge_ids, meeting_ids[signed]])
    pieces = _codes(media["media_key"])

    def mps_and_media(m_group: np.ndarray, p_group: np.ndarray, media_group: np.ndarray,
                      k: int) -> dict[str, np.ndarray]:
        return {
            "mps_met": _count_distinct(meeting_ids[mp], m_group[mp], k),
            "pledges": _count_distinct(pledged_ids, np.concatenate([p_group, m_group[signed]]), k),
            "media_mentions": _count_distinct(pieces, media_group, k),
            "media_reach": _reach(media["reach"], pieces, media_group, k),
        }

    a_owner, m_owner = owner(attendees), owner(meetings)
    by_charity = {
        "attendees_registered": _count_distinct_texts(attendees["ref"], a_owner, n),
        "attendees_attended": _count_distinct_texts(attendees["ref"][attended], a_owner[attended], n),
        "meetings": np.bincount(m_owner, minlength=n),
        "mp_meetings": np.bincount(m_owner[mp], minlength=n),
        **mps_and_media(m_owner, owner(pledges), owner(media), n),
    }
    per_charity = pd.DataFrame({key: by_charity[key] for key in FIGURES}, index=charities,
                               columns=list(FIGURES)).astype("int64")

    def one_group(frame: pd.DataFrame) -> np.ndarray:
        return np.zeros(len(frame), dtype=np.int64)

    # A joint meeting logged by two charities is one: distinct (date, person).
    meeting_keys = _rows(meetings, ["date", "mp_id"])
    total = {
        "attendees_registered": int(per_charity["attendees_registered"].sum()),
        "attendees_attended": int(per_charity["attendees_attended"].sum()),
        "meetings": len(np.unique(meeting_keys)),
        "mp_meetings": len(np.unique(meeting_keys[mp])),
        **{key: int(value[0]) for key, value in
           mps_and_media(one_group(meetings), one_group(pledges), one_group(media), 1).items()},
    }
    table = pd.concat([per_charity, pd.DataFrame([total], index=[COALITION])[list(FIGURES)]])
    return table.astype("int64")


# Which MPs the coalition figures count, as sets of mp_id: the map, the briefings and the
# coverage over time shade and list exactly these (tests check them against
# compute_figures' `mps_met` and `pledges`).

def mps_met_ids(meetings: pd.DataFrame) -> set[str]:
    """The MPs counted in `mps_met`: the mp_id of every meeting with an MP or Minister."""
    return set(meetings.loc[meetings["is_mp"].to_numpy(dtype=bool), "mp_id"].dropna())


def pledged_mp_ids(meetings: pd.DataFrame, pledges: pd.DataFrame) -> set[str]:
    """The MPs counted in `pledges`: in a Pledges tab, or met with "Pledge signed"."""
    signed = meetings["pledge_signed"].to_numpy(dtype=bool)
    return set(pledges["mp_id"].dropna()) | set(meetings.loc[signed, "mp_id"].dropna())
