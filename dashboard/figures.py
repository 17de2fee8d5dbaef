"""Merge and figures (contract sections 4 and 5): pure pandas, no Streamlit.

Input: each charity's typed frames. Output: the merged frames with identities resolved
across charities, and the eight figures per charity and for the coalition.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.cells import arrow_text
from dashboard.contract import FIGURES, MP_ROLES, REACH_MAX
from dashboard.keys import constituency_key, media_url_key, person_key, squash_text
from dashboard.safe import ASCII_HTTP_HOST

COALITION = "Coalition"


def _keyed(values: pd.Series, fn, keys_of=None) -> pd.Series:
    """Apply a key function once per distinct value (names repeat across thousands of rows).

    Missing values key as "". `keys_of(distinct values) -> keys` may stand in for calling
    `fn` on each one when it gives the same keys faster.
    """
    codes, keys = _keyed_codes(values, fn, keys_of)
    return pd.Series(pd.array(keys, dtype="str").take(codes), index=values.index)


def _keyed_codes(values: pd.Series, fn, keys_of=None) -> tuple[np.ndarray, list[str]]:
    """_keyed's keys as (each value's number in the list, the list): the key of each
    distinct value, and last "" for the missing ones."""
    codes, distinct = _distinct(values)
    keys = keys_of(distinct) if keys_of is not None else [fn(v) if v != "" else "" for v in distinct]
    keys = [*keys, ""]
    return np.where(codes < 0, len(keys) - 1, codes), keys


def _distinct(values: pd.Series) -> tuple[np.ndarray, list]:
    """(code of each value, -1 when missing; the distinct values), in order of first
    appearance. Text held by Arrow is encoded by Arrow, without a Python object per row."""
    encoded = _arrow_encoded(values)
    if encoded is not None:
        return encoded[0], encoded[1].to_pylist()
    codes, uniques = pd.factorize(values.astype(object))
    return codes, list(uniques)


def _arrow_encoded(values: pd.Series):
    """_distinct of text held by Arrow, the distinct values left an Arrow array (a Python
    object each is 5 ms for 80,000 media keys); None for any other column."""
    column = arrow_text(values)
    if column is None:
        return None
    import pyarrow.compute as pc
    encoded = pc.dictionary_encode(column)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp)
    return codes, encoded.dictionary


# A link with nothing keys.media_url_key would have to take apart: http(s)://, a host of
# letters, digits, hyphens and dots, then a path of printable ASCII without space,
# backslash, '@', '?' or '#'. Its key is simply the lower-cased text without the scheme,
# a leading 'www.' and trailing '/' (urlsplit would find that host and that path, and no
# query to filter). Everything else goes through media_url_key itself.
_SIMPLE_URL = ASCII_HTTP_HOST + r"(?:/[!$-;=A-[\]-~]*)?"


# The same, followed by a query of utm_ parameters only (letters, digits and "_.~-" in
# their values): media_url_key drops every utm_ parameter, so such a link keys as the
# link without its query.
_UTM_ONLY = (r"\?utm_[a-z0-9_]*=[a-z0-9_.~-]*(?:&utm_[a-z0-9_]*=[a-z0-9_.~-]*)*")


def media_url_keys(urls: list) -> list[str]:
    """media_url_key of each URL ("" for a blank)."""
    import pyarrow as pa

    texts = pa.array([u if isinstance(u, str) else None for u in urls], type=pa.string())
    keys = _media_url_keys_arrow(texts).to_pylist()
    return [k if isinstance(u, str) else media_url_key(u) for u, k in zip(urls, keys)]


def _media_url_keys_arrow(texts):
    """media_url_key of each Arrow text ("" for a missing one), as Arrow text of the same
    type. The common simple links (lower-cased: _SIMPLE_URL, or with a query of utm_
    parameters only) are keyed by Arrow's string functions in one pass; every other link
    by media_url_key itself."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # ASCII only: then Arrow lower-cases as Python does (Arrow turns "İ" into "i", Python
    # into "i" and a combining dot), and the pattern, which takes either case, matches the
    # link lower-cased as it matches the link.
    lower = pc.ascii_lower(texts)
    simple = pc.fill_null(pc.and_(pc.string_is_ascii(texts), pc.match_substring_regex(
        lower, "^" + _SIMPLE_URL + "(?:" + _UTM_ONLY + ")?$")), False)
    key = pc.replace_substring_regex(lower, r"^https?://(?:www\.)?", "")
    key = pc.list_element(pc.split_pattern(key, "?", max_splits=1), 0)       # no query
    key = pc.utf8_rtrim(key, characters="/")
    others = pc.invert(simple)
    if pc.any(others).as_py():
        slow = [media_url_key(url) for url in texts.filter(others).to_pylist()]
        key = pc.replace_with_mask(key, others, pa.array(slow, type=key.type))
    return key


def _distinct_url_keys(urls: pd.Series):
    """(each row's code, -1 for a missing link; the media_url_key of each distinct link, as
    Arrow text) when the links are Arrow text, each distinct link keyed once by Arrow; None
    for any other column."""
    encoded = _arrow_encoded(urls)
    if encoded is None:
        return None
    codes, distinct = encoded
    return codes, _media_url_keys_arrow(distinct)


def _url_keys(urls: pd.Series) -> pd.Series:
    """_keyed(urls, media_url_key): each distinct link keyed once, by Arrow from Arrow's
    distinct values when the links are Arrow text (no Python object per link)."""
    coded = _distinct_url_keys(urls)
    if coded is None:
        return _keyed(urls, media_url_key, media_url_keys)
    import pyarrow as pa

    codes, keys = coded
    keys = pa.concat_arrays([keys, pa.array([""], type=keys.type)])       # the last: missing
    taken = keys.take(pa.array(np.where(codes < 0, len(keys) - 1, codes)))
    return pd.Series(pd.array(taken, dtype="str"), index=urls.index)


def concat_tab(per_charity: dict[str, pd.DataFrame]) -> pd.DataFrame:
    names = [name for name, f in per_charity.items() if len(f)]
    if not names:
        template = next(iter(per_charity.values()), pd.DataFrame())
        return template.iloc[0:0].assign(charity=pd.Series(dtype=object))
    merged = pd.concat([per_charity[n] for n in names], ignore_index=True)
    merged["charity"] = charity_column(names, [len(per_charity[n]) for n in names])
    return merged


def charity_column(names: list[str], rows: list[int]) -> pd.api.extensions.ExtensionArray:
    """The `charity` column of merged rows (pandas text): each name repeated for its
    charity's rows, in order. Its Arrow buffers are written directly, in the large_string
    type pandas keeps text in (taking from the names would copy twice: the take, then
    pandas widening its offsets)."""
    import pyarrow as pa

    encoded = [name.encode() for name in names]
    counts = np.asarray(rows, dtype=np.int64)
    sizes = np.repeat(np.array([len(e) for e in encoded], dtype=np.int64), counts)
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    data = b"".join(e * int(n) for e, n in zip(encoded, counts))
    column = pa.LargeStringArray.from_buffers(len(sizes), pa.py_buffer(offsets), pa.py_buffer(data))
    return pd.array(column, dtype="str")


def resolve_mps(meetings: pd.DataFrame, pledges: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, set[str]]:
    """Give every meeting and pledge row an `mp_id` (contract section 4).

    An MP is their constituency when the row has one; a row without one is joined by
    person key to the constituency that other rows (any charity, meetings or pledges) give
    that person; otherwise the person key alone. A person key that other rows give two
    different constituencies is ambiguous (two MPs share a name): it is not joined, and
    is returned so the pages can say so.
    Worked out once per distinct (name, constituency) written: a few thousand among a
    hundred thousand rows.
    """
    # Meetings' and pledges' names and constituencies coded together: the pledges name the
    # people and seats the meetings name, each keyed once.
    n = len(meetings)
    person_codes, persons = _keyed_codes(_one_column(meetings["name"], pledges["mp_name"]),
                                         person_key)
    seat_codes, seats = _keyed_codes(_one_column(meetings["constituency"],
                                                 pledges["constituency"]), constituency_key)
    pairs, distinct = pd.factorize(person_codes.astype(np.int64) * len(seats) + seat_codes)
    keys = [(persons[p // len(seats)], seats[p % len(seats)]) for p in distinct]
    found_seats: dict[str, list[str]] = {}      # person -> seats, in order of the rows
    for person, seat in keys:
        if person and seat:
            found = found_seats.setdefault(person, [])
            if seat not in found:
                found.append(seat)
    seat_of = {person: found[0] for person, found in found_seats.items() if len(found) == 1}
    ambiguous = {person for person, found in found_seats.items() if len(found) > 1}
    ids = pd.array([_mp_id(person, seat, seat_of) for person, seat in keys], dtype="str")
    person_keys, seat_keys = pd.array(persons, dtype="str"), pd.array(seats, dtype="str")

    def keyed(frame: pd.DataFrame, rows: slice) -> pd.DataFrame:
        """The frame with person_key, constituency_key and mp_id (its rows: `rows`)."""
        out = frame.assign(
            person_key=pd.Series(person_keys.take(person_codes[rows]), index=frame.index),
            constituency_key=pd.Series(seat_keys.take(seat_codes[rows]), index=frame.index))
        out["mp_id"] = pd.Series(ids.take(pairs[rows]), index=frame.index) if len(frame) \
            else pd.Series(dtype=object)
        return out

    meetings, pledges = keyed(meetings, slice(0, n)), keyed(pledges, slice(n, None))
    meetings["is_mp"] = meetings["role"].isin(MP_ROLES)
    return meetings, pledges, ambiguous


def _one_column(first: pd.Series, second: pd.Series) -> pd.Series:
    """The values of both columns one after the other: pandas text when both are (their
    Arrow chunks chained, not copied), else objects."""
    if isinstance(first.dtype, pd.StringDtype) and first.dtype == second.dtype:
        return pd.concat([first, second], ignore_index=True)
    return pd.concat([first.astype(object), second.astype(object)], ignore_index=True)


def _mp_id(person: str, seat: str, seat_of: dict[str, str]) -> str:
    """A row's mp_id from its person and constituency keys: the seat's id when the row or
    `seat_of` (the one seat other rows give that person) has a seat, else the person's."""
    seat = seat or seat_of.get(person, "")
    return SEAT_PREFIX + seat if seat else PERSON_PREFIX + person


def add_media_keys(media: pd.DataFrame) -> pd.DataFrame:
    """The media frame with `media_key`: the link's key (media_url_key), or for a row
    whose link keys as "" (none given) its (date, outlet, headline) key."""
    coded = _distinct_url_keys(media["url"])
    if coded is None:
        return _with_fallback_keys(media, _url_keys(media["url"]))
    import pyarrow as pa
    import pyarrow.compute as pc

    # Every row's key taken in one pass from the distinct links' keys followed by the
    # fallback keys of the rows that need one (not a column of the links' keys first,
    # copied again to put the fallbacks in).
    codes, keys = coded
    distinct = len(keys)
    keyless = np.append(pc.fill_null(pc.equal(pc.binary_length(keys), 0), True)
                        .to_numpy(zero_copy_only=False), True)       # (last: no link)
    need = keyless[codes]
    if need.any():
        fallback = media_fallback_keys(media.loc[need, ["date", "outlet", "headline"]])
        keys = pa.concat_arrays([keys, pa.array(fallback, type=keys.type)])
        codes = np.where(need, distinct + np.cumsum(need) - 1, codes)
    taken = keys.take(pa.array(codes))
    return media.assign(media_key=pd.Series(pd.array(taken, dtype="str"), index=media.index))


def _with_fallback_keys(media: pd.DataFrame, by_url: pd.Series) -> pd.DataFrame:
    """add_media_keys from each row's link key (`by_url`, pandas text): the rows keyed ""
    take their (date, outlet, headline) key."""
    need = (by_url == "").to_numpy(dtype=bool)
    if not need.any():
        return media.assign(media_key=by_url)
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = arrow_text(by_url)            # (keys are pandas text: _url_keys, _keyed)
    fallback = media_fallback_keys(media.loc[need, ["date", "outlet", "headline"]])
    keys = pc.replace_with_mask(keys, pa.array(need), pa.array(fallback, type=keys.type))
    return media.assign(media_key=pd.Series(pd.array(keys, dtype="str"), index=media.index))


def _codes(values: pd.Series) -> np.ndarray:
    """An integer per row, equal for equal values; -1 for a missing value."""
    if not isinstance(values.dtype, pd.StringDtype):
        return pd.factorize(values)[0]
    encoded = _arrow_encoded(values)
    return encoded[0] if encoded is not None else _distinct(values)[0]


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


def _count_distinct_texts(values: pd.Series, groups: np.ndarray, n_groups: int,
                          among: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How many distinct non-missing values each group has, of all its rows and of its
    rows where `among`, for a column of (nearly all distinct) texts such as Refs. Each
    group's texts are numbered by Arrow one group at a time (Arrow hashes 50 small groups
    several times faster than one column of half a million texts), and the rows `among`
    counted from those numbers, without hashing their texts again."""
    column = arrow_text(values)
    if column is None or not len(values):
        codes = _codes(values)
        return (_count_distinct(codes, groups, n_groups),
                _count_distinct(codes[among], groups[among], n_groups))
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(groups) > 1 and (np.diff(groups) < 0).any():        # rows of a group together
        order = np.argsort(groups, kind="stable")
        groups, among, column = groups[order], among[order], column.take(pa.array(order))
    bounds = np.searchsorted(groups, np.arange(n_groups + 1))
    every, some = np.zeros(n_groups, dtype=np.int64), np.zeros(n_groups, dtype=np.int64)
    for g, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
        encoded = pc.dictionary_encode(column.slice(a, b - a))      # (missing: no number)
        every[g] = n = len(encoded.dictionary)
        numbers = pc.fill_null(encoded.indices, n).to_numpy(zero_copy_only=False)
        seen = np.zeros(n + 1, dtype=bool)
        seen[numbers[among[a:b]]] = True
        some[g] = np.count_nonzero(seen[:n])
    return every, some


def _reach(reach: pd.Series, pieces: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group: the sum over its distinct pieces (`pieces`: codes of the media keys) of
    the largest reach given (a piece with no reach given counts 0)."""
    known = pieces >= 0                      # (a piece without a key is no piece)
    span = max(1, int(pieces.max()) + 1) if len(pieces) else 1
    numbers, keys = pd.factorize(groups[known].astype(np.int64) * span + pieces[known])
    # (fmax passes over a missing reach; a piece with none given stays NaN, summed as 0)
    largest = np.full(len(keys), np.nan)
    np.fmax.at(largest, numbers, reach.to_numpy(dtype="float64", na_value=np.nan)[known])
    return sum_bounded(largest, keys // span, n_groups, REACH_MAX)


def sum_bounded(values: np.ndarray, groups: np.ndarray, n_groups: int, most: int) -> np.ndarray:
    """Per group, the integer sum of `values`, each first held to 0..`most` (validation
    already refuses larger cells; this holds for frames from anywhere). Summed as 64-bit
    integers, exact, and unable to wrap round to a negative figure: with `most` at 10**10
    it would take 900 million values to pass 2**63, and the total is held below that."""
    whole = np.clip(np.nan_to_num(np.asarray(values, dtype="float64")), 0, most).astype(np.int64)
    totals = np.zeros(n_groups, dtype=np.int64)
    # (in chunks no sum of which can pass 2**63, then added as Python integers and capped)
    limit = np.iinfo(np.int64).max
    chunk = max(1, limit // max(most, 1))
    exact = [0] * n_groups
    for start in range(0, len(whole), chunk):
        part = np.zeros(n_groups, dtype=np.int64)
        np.add.at(part, groups[start:start + chunk], whole[start:start + chunk])
        exact = [a + int(b) for a, b in zip(exact, part)]
    totals[:] = [min(total, limit) for total in exact]
    return totals


def compute_figures(frames: dict[str, pd.DataFrame], charities: list[str],
                    attendees: dict[str, tuple[int, int]] | None = None) -> pd.DataFrame:
    """Figures per charity (rows, in config order) and for the coalition (last row).

    `frames` are the merged frames (a `charity` column, identities resolved). Attendees
    are summed across charities: no identity of a young person crosses charities. Every
    figure counts distinct integer codes (each column's values numbered once), for all
    charities in one pass and for the coalition as one group.
    `attendees`: each charity's attendee_counts made ahead from its own rows (pipeline:
    a batch's, on another thread), for every charity with attendee rows in `frames`;
    None: counted here.
    """
    codes = _FigureCodes.of(frames)
    per_charity = _per_charity(frames, codes, charities, attendees)
    total = _coalition_total(frames, codes, per_charity)
    table = pd.concat([per_charity, pd.DataFrame([total], index=[COALITION])[list(FIGURES)]])
    return table.astype("int64")


@dataclass
class _FigureCodes:
    """The merged frames' rows as integer codes, numbered once for every group counted."""
    mp: np.ndarray              # meetings: with an MP
    signed: np.ndarray          # meetings: pledge signed there
    meeting_ids: np.ndarray     # meetings' mp_id codes, shared with the pledges' so that a
    pledged_ids: np.ndarray     # pledge and a signed meeting with the same MP are one
    pieces: np.ndarray          # media: one code per piece (media_key)

    @classmethod
    def of(cls, frames: dict[str, pd.DataFrame]) -> "_FigureCodes":
        meetings, pledges, media = frames["mp_meetings"], frames["pledges"], frames["media"]
        signed = meetings["pledge_signed"].to_numpy(dtype=bool)
        both = _codes(pd.concat([pledges["mp_id"], meetings["mp_id"]], ignore_index=True))
        pledge_ids, meeting_ids = both[:len(pledges)], both[len(pledges):]
        return cls(
            mp=meetings["is_mp"].to_numpy(dtype=bool), signed=signed, meeting_ids=meeting_ids,
            pledged_ids=np.concatenate([pledge_ids, meeting_ids[signed]]),
            pieces=_codes(media["media_key"]))


def _owners(frame: pd.DataFrame, position: dict[str, int]) -> np.ndarray:
    """The position in the config's charities of each row's charity."""
    if not len(frame):
        return np.zeros(0, dtype=np.int64)
    column = arrow_text(frame["charity"])
    if column is not None:
        import pyarrow.compute as pc

        # The merge puts a charity's rows together: its runs are found comparing each row
        # with the next, not hashing every row's name (500,000 attendees: 7 ms -> 2 ms).
        runs = pc.run_end_encode(column)
        names = runs.values.to_pylist()
        if None not in names:
            return np.repeat(np.array([position[name] for name in names], dtype=np.int64),
                             np.diff(runs.run_ends.to_numpy(), prepend=0))
    codes, names = _distinct(frame["charity"])
    return np.array([position[name] for name in names], dtype=np.int64)[codes]


def _mps_and_media(codes: _FigureCodes, media: pd.DataFrame, m_group: np.ndarray,
                   p_group: np.ndarray, media_group: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """MPs met, pledges, media mentions and reach for `k` groups (each row's group given)."""
    return {
        "mps_met": _count_distinct(codes.meeting_ids[codes.mp], m_group[codes.mp], k),
        "pledges": _count_distinct(codes.pledged_ids,
                                   np.concatenate([p_group, m_group[codes.signed]]), k),
        "media_mentions": _count_distinct(codes.pieces, media_group, k),
        "media_reach": _reach(media["reach"], codes.pieces, media_group, k),
    }


def attendee_counts(attendees: pd.DataFrame, groups: np.ndarray,
                    n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """(attendees registered, attendees attended) of each group of attendee rows: its
    distinct Refs, of all its rows and of its rows whose status is attended."""
    attended = (attendees["status"] == "attended").to_numpy(dtype=bool, na_value=False)
    return _count_distinct_texts(attendees["ref"], groups, n_groups, attended)


def _per_charity(frames: dict[str, pd.DataFrame], codes: _FigureCodes, charities: list[str],
                 known: dict[str, tuple[int, int]] | None = None) -> pd.DataFrame:
    n = len(charities)
    position = {name: i for i, name in enumerate(charities)}
    attendees, meetings = frames["attendees"], frames["mp_meetings"]
    m_owner = _owners(meetings, position)
    if known is None:
        registered, attended = attendee_counts(attendees, _owners(attendees, position), n)
    else:
        registered, attended = (np.array([known.get(c, (0, 0))[k] for c in charities],
                                         dtype=np.int64) for k in (0, 1))
    by_charity = {
        "attendees_registered": registered,
        "attendees_attended": attended,
        "meetings": np.bincount(m_owner, minlength=n),
        "mp_meetings": np.bincount(m_owner[codes.mp], minlength=n),
        **_mps_and_media(codes, frames["media"], m_owner, _owners(frames["pledges"], position),
                         _owners(frames["media"], position), n),
    }
    return pd.DataFrame({key: by_charity[key] for key in FIGURES}, index=charities,
                        columns=list(FIGURES)).astype("int64")


def _coalition_total(frames: dict[str, pd.DataFrame], codes: _FigureCodes,
                     per_charity: pd.DataFrame) -> dict[str, int]:
    """The coalition's figures: attendees summed, everything else counted as one group."""
    meetings = frames["mp_meetings"]

    def one_group(frame: pd.DataFrame) -> np.ndarray:
        return np.zeros(len(frame), dtype=np.int64)

    # A joint meeting logged by two charities is one: distinct (date, person), a missing
    # date or person a value of its own.
    days, people = _codes(meetings["date"]) + 1, codes.meeting_ids + 1
    meeting_keys = days.astype(np.int64) * (int(people.max()) + 1 if len(people) else 1) + people
    return {
        "attendees_registered": int(per_charity["attendees_registered"].sum()),
        "attendees_attended": int(per_charity["attendees_attended"].sum()),
        "meetings": len(pd.unique(meeting_keys)),
        "mp_meetings": len(pd.unique(meeting_keys[codes.mp])),
        **{key: int(value[0]) for key, value in
           _mps_and_media(codes, frames["media"], one_group(meetings), one_group(frames["pledges"]),
                          one_group(frames["media"]), 1).items()},
    }


# --------------------------------------------------------------------------------------
# One identity for an MP (contract section 4): every page, download and the pack
# --------------------------------------------------------------------------------------

# An MP's id (resolve_mps): "c:" + the seat's constituency key, or "p:" + a person key
# when no row and no entry of the official list gives the seat.
SEAT_PREFIX, PERSON_PREFIX = "c:", "p:"
# The one group, in every breakdown by party, region, nation or local authority, of the
# MPs the official list cannot place (a name it does not know, or a constituency that is
# no seat of the parliament): groups add up to the totals.
NOT_PLACED = "not placed: known by name only"


def seat_id(seat_key: str) -> str:
    """The mp_id of the MP for a seat (constituency_key of its name)."""
    return SEAT_PREFIX + seat_key


def seat_key_of(mp_id: object) -> str | None:
    """The constituency key an mp_id names, or None for an MP known by name only."""
    text = "" if mp_id is None or mp_id != mp_id else str(mp_id)
    return text[len(SEAT_PREFIX):] if text.startswith(SEAT_PREFIX) else None


def place_name_only(meetings: pd.DataFrame, pledges: pd.DataFrame, parliament: str | None,
                    ambiguous: frozenset[str] | set[str] = frozenset()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give an MP known by name only (mp_id "p:<person key>") their seat's id when exactly
    one seat's MP in the official list of that parliament has that person key (the rule of
    parliament.resolve_id). Run before any figure is counted, so the summary, every page,
    download and the pack count the same MPs. A name the rows give two seats (ambiguous)
    stays as it is."""
    if parliament is None:
        return meetings, pledges
    from dashboard.official import parliament as parl

    _, ids = _distinct(pd.concat([meetings["mp_id"], pledges["mp_id"]], ignore_index=True))
    placed = {}
    for mp_id in ids:
        if isinstance(mp_id, str) and mp_id.startswith(PERSON_PREFIX) \
                and mp_id[len(PERSON_PREFIX):] not in ambiguous:
            seat = parl.resolve_id(mp_id, parliament)
            if seat is not None:
                placed[mp_id] = seat_id(seat["key"])
    if not placed:
        return meetings, pledges

    def moved(frame: pd.DataFrame) -> pd.DataFrame:
        if not len(frame):
            return frame
        ids = frame["mp_id"].astype(object)
        return frame.assign(mp_id=ids.map(placed).fillna(ids).astype(frame["mp_id"].dtype))
    return moved(meetings), moved(pledges)


# Words that are a form of address or a post-nominal, not part of an MP's name as
# shown: "Rt Hon Jane Smith MP" and "Mr Connor Rand" are shown as "Jane Smith", "Connor
# Rand". Sir, Dame, Dr and Lord stay: they are how the official list addresses the MP.
_ADDRESS = frozenset("rt hon the right honourable mr mrs ms miss mx mp obe cbe mbe kc qc".split())


def display_name(name: object) -> str:
    """An MP's name as shown: without forms of address and post-nominals; a name written
    all in lower case ('shabana mahmood') is capitalised."""
    if name is None or name != name:
        return ""
    words = str(name).replace(",", " ").split()
    while words and words[0].strip(".").lower() in _ADDRESS:
        words = words[1:]
    while words and words[-1].strip(".").lower() in _ADDRESS:
        words = words[:-1]
    text = " ".join(words)
    return text.title() if text == text.lower() else text


def mp_table(meetings: pd.DataFrame, pledges: pd.DataFrame, parliament: str | None) -> pd.DataFrame:
    """One row per MP met (role MP or Minister) or pledged, the MPs the summary counts:
    mp_id, name, constituency, party, region, nation, placed, met, pledged, meetings,
    first_met, charities (who met them), pledge_logged_by (who logged the pledge).

    A placed MP (their seat is in the official list of `parliament`) is shown as the list
    has them: official name, constituency, party (Labour (Co-op) as Labour), region and
    nation. An MP the list cannot place keeps what the rows wrote (name without forms of
    address, the party under its official spelling) and has no region or nation."""
    from dashboard.official import parliament as parl
    from dashboard.views import _charities_by_key

    mp_rows = meetings[meetings["is_mp"]]
    met = mp_rows.groupby("mp_id").agg(
        name=("name", "first"), constituency=("constituency", "first"), party=("party", "first"),
        meetings=("date", "size"), first_met=("date", "min"))
    met["charities"] = _charities_by_key(mp_rows, "mp_id")
    signed = meetings[meetings["pledge_signed"].fillna(False).astype(bool)]
    pledge_rows = pd.concat([
        pledges[["mp_id", "mp_name", "constituency", "party", "charity"]] if "charity" in pledges
        else pledges[["mp_id", "mp_name", "constituency", "party"]].assign(charity=pd.Series(dtype=object)),
        signed[["mp_id", "name", "constituency", "party", "charity"]].rename(columns={"name": "mp_name"}),
    ], ignore_index=True)
    pledge_rows["mp_id"] = pledge_rows["mp_id"].astype(object)
    pledge_rows["charity"] = pledge_rows["charity"].astype(object)
    pledged_only = pledge_rows[~pledge_rows["mp_id"].isin(met.index)].groupby("mp_id").agg(
        name=("mp_name", "first"), constituency=("constituency", "first"), party=("party", "first"))
    table = pd.concat([met, pledged_only])
    table["met"] = table.index.isin(met.index)
    table["pledged"] = table.index.isin(pd.unique(pledge_rows["mp_id"]))
    logged = pledge_rows.dropna(subset=["charity"])
    table["pledge_logged_by"] = (_charities_by_key(logged, "mp_id").reindex(table.index)
                                 if len(logged) else pd.Series(index=table.index, dtype=object))
    table["meetings"] = table["meetings"].fillna(0).astype(int)
    table["charities"] = table["charities"].fillna("")
    table["pledge_logged_by"] = table["pledge_logged_by"].astype(object).where(
        table["pledge_logged_by"].notna(), "")

    seats = {}
    if parliament is not None:
        for mp_id in table.index:
            key = seat_key_of(mp_id)
            seat = parl.resolve_id(mp_id, parliament) if key is not None else None
            if seat is not None:
                seats[mp_id] = seat
    placed = table.index.isin(list(seats))
    written_party = {p: parl.party_name(p) for p in pd.unique(table["party"].astype(object))}
    out = pd.DataFrame({
        "mp_id": pd.Series(table.index, index=table.index),
        "name": [display_name(seats[i]["mp"]) if i in seats else display_name(n)
                 for i, n in zip(table.index, table["name"])],
        "constituency": [seats[i]["name"] if i in seats else ("" if c is None or c != c else str(c))
                         for i, c in zip(table.index, table["constituency"])],
        "party": [parl.party_name(seats[i]["party"]) if i in seats
                  else written_party[p] for i, p in zip(table.index, table["party"])],
        "region": [seats[i]["region"] if i in seats else "" for i in table.index],
        "nation": [seats[i]["nation"] if i in seats else "" for i in table.index],
        "placed": placed,
        "met": table["met"], "pledged": table["pledged"],
        "meetings": table["meetings"], "first_met": table["first_met"],
        "charities": table["charities"], "pledge_logged_by": table["pledge_logged_by"],
    }, index=table.index)
    return out.sort_values(["met", "name"], ascending=[False, True]).reset_index(drop=True)


def mp_breakdown(table: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """MPs met and pledged by `dimension` (a column of mp_table: party, region, nation),
    every MP the list cannot place in the one NOT_PLACED group: the groups add up to the
    totals. Columns: group, mps (MPs in the table), met, pledged; by MPs met."""
    if table.empty:
        return pd.DataFrame({"group": pd.Series(dtype=object), "mps": pd.Series(dtype=int),
                             "met": pd.Series(dtype=int), "pledged": pd.Series(dtype=int)})
    group = table[dimension].where(table["placed"], NOT_PLACED).astype(object)
    group = group.where(group.fillna("").astype(str).str.strip() != "", "Not given")
    out = (table.assign(group=group).groupby("group")
           .agg(mps=("mp_id", "size"), met=("met", "sum"), pledged=("pledged", "sum"))
           .astype(int).reset_index())
    # the unplaced group last, whatever its size: it is not a party or a place
    return out.assign(_last=out["group"] == NOT_PLACED).sort_values(
        ["_last", "met", "pledged", "group"], ascending=[True, False, False, True]).drop(
        columns="_last").reset_index(drop=True)


def mp_coverage(table: pd.DataFrame, parliament: str) -> pd.DataFrame:
    """Shares of all MPs met and pledged, overall and by party, region and nation, from
    mp_table: dimension ('all', 'party', 'region', 'nation'), group, mps (seats; for
    NOT_PLACED the MPs in it), met, met_pct, pledged, pledged_pct. met and pledged of
    every dimension's groups add up to the 'all' row, which is the summary's MPs met and
    pledges."""
    from dashboard.official import parliament as parl

    seats = parl.load_constituencies(parliament)
    seats = seats.assign(party=seats["party"].map(parl.party_name),
                         all="All MPs")
    unplaced = int((~table["placed"]).sum()) if len(table) else 0
    parts = []
    for dimension in ("all", "party", "region", "nation"):
        size = seats.groupby(dimension).size().rename("mps")
        column = "all" if dimension == "all" else dimension
        counted = (table.assign(all="All MPs") if len(table) else
                   table.assign(all=pd.Series(dtype=object)))
        if dimension != "all":
            counted = counted.assign(**{column: counted[column].where(counted["placed"], NOT_PLACED)})
        got = counted.groupby(column).agg(met=("met", "sum"), pledged=("pledged", "sum"))
        if dimension != "all" and unplaced:
            size = pd.concat([size, pd.Series({NOT_PLACED: unplaced}, name="mps")])
        g = pd.concat([size, got], axis=1).fillna(0).astype(int).rename_axis("group").reset_index()
        g.insert(0, "dimension", dimension)
        parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    out["met_pct"] = 100 * out["met"] / out["mps"]
    out["pledged_pct"] = 100 * out["pledged"] / out["mps"]
    out.attrs["parliament"] = parliament
    return out[["dimension", "group", "mps", "met", "met_pct", "pledged", "pledged_pct"]]
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


def seat_keys(mps: pd.DataFrame, column: str) -> set[str]:
    """The constituency keys of the seats whose MP (a row of mp_table placed in a seat)
    has `column` ("met", "pledged") true: what a page compares with the official list."""
    placed = mps[mps["placed"]]
    return {k for k in map(seat_key_of, placed.loc[placed[column].astype(bool), "mp_id"])
            if k is not None}


def rows_for_seat(frame: pd.DataFrame, seat_key: str) -> pd.DataFrame:
    """The rows (meetings, pledges or mp_table's) of the MP for a seat (constituency key)."""
    return frame[frame["mp_id"] == seat_id(seat_key)]


def coverage_part(cover: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """mp_coverage's groups of one dimension, largest first, the MPs that cannot be
    placed last (they are not a party or a place)."""
    part = cover[cover["dimension"] == dimension]
    return part.assign(_last=part["group"] == NOT_PLACED).sort_values(
        ["_last", "mps"], ascending=[True, False]).drop(columns="_last")
