"""Westminster constituencies and their MPs, for checking and counting the campaign's MPs.

The shipped table ``dashboard/reference/constituencies.csv`` (built by
scripts/build_reference_tables.py) holds the 650 seats of the 2019-24 parliament (2010
boundaries) and the 650 of the parliament elected on 4 July 2024, each with its MP,
party, English region or nation and, for 2024, the overlapping local authorities.

- ``parliament_for(start, end)``: which parliament a campaign window belongs to.
- ``match_constituency(name, parliament)``: exact seat, tolerant of spelling noise only.
- ``check_rows(frame, tab_label, parliament, charity)``: warnings for unknown seats and
  for an MP who does not sit for the seat given; fills a blank party / region.
- ``coverage(...)`` / ``not_yet_met(...)``: shares of all MPs met and pledged.

The rules are written down in docs/placements-and-mps.md.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import threading
from dataclasses import dataclass
from typing import NamedTuple
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.cells import arrow_text
from dashboard.keys import constituency_key, person_key
from dashboard.official.reference_tables import REFERENCE_DIR, read_reference_csv

CONSTITUENCIES_FILE = "constituencies.csv"
PARLIAMENTS = ("2019", "2024")
PARLIAMENT_LABELS = {"2019": "2019–24 parliament", "2024": "2024 parliament"}

# The 2019 parliament was dissolved on 30 May 2024; the next was elected on 4 July 2024.
DISSOLUTION_2024 = dt.date(2024, 5, 30)
GENERAL_ELECTION_2024 = dt.date(2024, 7, 4)


# --------------------------------------------------------------------------------------
# Which parliament
# --------------------------------------------------------------------------------------

def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    return dt.date.fromisoformat(str(value).strip()[:10])


def parliament_on(day: object) -> str:
    """'2019' before dissolution on 30 May 2024, '2024' from then on.

    From dissolution to the election (30 May - 3 July 2024) there were no MPs; a
    campaign in those weeks was lobbying candidates for the incoming parliament, so
    those days count for 2024. Days before the 12 December 2019 election map to '2019'
    too: the seats (2010 boundaries) are the same, but the MPs in the table are the
    2019-24 ones.
    """
    return "2019" if _as_date(day) < DISSOLUTION_2024 else "2024"


def parliament_for(start_date: object, end_date: object | None = None) -> str:
    """The parliament in force for a campaign window (inclusive dates): '2019' or '2024'.

    A window inside one parliament gets that parliament. A window spanning dissolution
    gets the parliament holding most of its days (ties go to the later one, whose MPs the
    campaign will be following up with). Dates are ISO strings, dates or datetimes.
    """
    start = _as_date(start_date)
    end = _as_date(end_date) if end_date is not None else start
    if end < start:
        raise ValueError(f"campaign end {end} is before its start {start}")
    if end < DISSOLUTION_2024:
        return "2019"
    if start >= DISSOLUTION_2024:
        return "2024"
    before = (DISSOLUTION_2024 - start).days
    after = (end - DISSOLUTION_2024).days + 1
    return "2019" if before > after else "2024"


# --------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------

def _fold(key: str) -> str:
    """A constituency key without accents: 'ynys môn' -> 'ynys mon'."""
    return "".join(c for c in unicodedata.normalize("NFKD", key)
                   if not unicodedata.combining(c))


@functools.lru_cache(maxsize=4)
def _read(path: str) -> pd.DataFrame:
    frame = read_reference_csv(path, str)
    frame["key"] = frame["name"].map(constituency_key)
    frame["folded"] = frame["key"].map(_fold)
    return frame


def load_constituencies(parliament: str | None = None,
                        directory: str | Path | None = None) -> pd.DataFrame:
    """The seats (both parliaments, or one), with ``key`` = constituency_key(name)."""
    frame = _read(str(Path(directory or REFERENCE_DIR) / CONSTITUENCIES_FILE))
    if parliament is not None:
        parliament = _check_parliament(parliament)
        frame = frame[frame["parliament"] == parliament]
    return frame.copy()


def _records(seats: pd.DataFrame) -> list[dict]:
    """seats.to_dict(orient="records"): the same dicts, each cell as Series.tolist gives
    it, without pandas boxing cell by cell (11 ms per call on a parliament's 650 seats,
    and the constituency checks and the merge each make a table from the records)."""
    columns = list(seats.columns)
    if not all(isinstance(seats[c].dtype, pd.StringDtype) for c in columns):
        return seats.to_dict(orient="records")
    return [dict(zip(columns, row)) for row in zip(*(seats[c].tolist() for c in columns))]


def _check_parliament(parliament: object) -> str:
    p = str(parliament).strip()
    if p not in PARLIAMENTS:
        raise ValueError(f"parliament must be one of {', '.join(PARLIAMENTS)}, not {p!r}")
    return p


@functools.lru_cache(maxsize=4)
def _index(parliament: str, directory: str | None) -> tuple[dict, dict, dict, list[str]]:
    seats = load_constituencies(parliament, directory)
    records = _records(seats.drop(columns=["folded"]))
    by_key = {r["key"]: r for r in records}
    by_folded = {_fold(r["key"]): r for r in records}
    by_code = {r["ons_code"].upper(): r for r in records}
    return by_key, by_folded, by_code, [r["name"] for r in records]


def match_constituency(name: object, parliament: str,
                       directory: str | Path | None = None) -> tuple[dict | None, list[str]]:
    """The seat called ``name`` in that parliament, or None with close suggestions.

    Tolerates case, '&' for 'and', punctuation, spacing and accents ('Ynys Mon'), and
    takes an ONS code ('E14000530'). Never matches a different seat: 'Bristol West' is
    not 'Bristol North West'; near misses come back as suggestions instead.
    """
    parliament = _check_parliament(parliament)
    text = "" if name is None else str(name).strip()
    seat, suggestions = _seat_named(text, parliament, str(directory) if directory else None)
    return (dict(seat) if seat is not None else None), list(suggestions)


# Sheets name the same few hundred seats over and over (and the same typos): each text is
# looked up once per process. The seat records returned are the index's own, read only;
# match_constituency hands out copies.
@functools.lru_cache(maxsize=1 << 14)
def _seat_named(text: str, parliament: str, directory: str | None) -> tuple[dict | None, tuple[str, ...]]:
    by_key, by_folded, by_code, names = _index(parliament, directory)
    if not text:
        return None, ()
    if text.upper() in by_code:
        return by_code[text.upper()], ()
    key = constituency_key(text)
    if key in by_key:
        return by_key[key], ()
    if _fold(key) in by_folded:
        return by_folded[_fold(key)], ()
    keyed = {constituency_key(n): n for n in names}
    close = difflib.get_close_matches(key, list(keyed), n=3, cutoff=0.75)
    return None, tuple(keyed[k] for k in close)


# --------------------------------------------------------------------------------------
# Checking the campaign's rows
# --------------------------------------------------------------------------------------

def seat_mps(row: dict) -> list[str]:
    """Every name the table gives for the seat's MP in that parliament."""
    names = [row.get("mp", ""), row.get("elected_mp", "")]
    names += [n.strip() for n in str(row.get("other_mps", "")).split(" / ")]
    return [n for n in names if n and n.strip()]


def same_person(given: object, official: object) -> bool:
    """Person keys equal, or the same first initial and surname ('Josh Dean' =
    'Joshua Robert Abraham Dean', 'Emma Lewell' = 'Emma Lewell-Buck'). Only ever used
    against the one seat's MP, so the loose form cannot pick up someone else."""
    a, b = person_key(given).split(), person_key(official).split()
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(" ".join(a)) <= len(" ".join(b)) else (b, a)
    return short[0][0] == long_[0][0] and short[-1] in long_[1:]


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) \
        or str(value).strip() == ""


def _blanks(values: np.ndarray) -> np.ndarray:
    """_blank of every value of an object array, judging each distinct value once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    blank = np.array([_blank(v) for v in uniques] + [True], dtype=bool)   # [-1]: missing
    return blank[codes]


def _issue(charity, tab, row, column, severity, code, message, fix) -> dict:
    return {"charity": charity, "tab": tab, "row": row, "column": column,
            "severity": severity, "code": code, "message": message, "fix": fix}


@dataclass(frozen=True)
class _Verdict:
    seat: dict | None = None          # the seat found, if any
    issue: tuple | None = None        # (column, severity, code, message, fix) for the row
    fill: bool = False                # may party / region be filled from the seat?
    fill_party: bool = False          # the party is blank and is filled


@functools.lru_cache(maxsize=1 << 16)   # pure: charities share MPs, so verdicts repeat
def _judge(given, role, person, party, parliament: str, name_col: str | None) -> _Verdict:
    """What check_rows says about one combination of constituency, role, name and party."""
    if _blank(given):
        return _Verdict()
    text = str(given).strip()
    seat, suggestions = _seat_named(text, parliament, None)
    if seat is None:
        other = "2024" if parliament == "2019" else "2019"
        there, _ = _seat_named(text, other, None)
        if there is not None:
            why = (f"“{given}” is a seat of the {PARLIAMENT_LABELS[other]}, not of the "
                   f"{PARLIAMENT_LABELS[parliament]} this campaign counts")
            fix = "Use the seat as it was at the time of the meeting (boundaries changed in 2024)."
        else:
            why = f"“{given}” is not a constituency of the {PARLIAMENT_LABELS[parliament]}"
            fix = (f"Did you mean {' or '.join(suggestions)}?" if suggestions else
                   "Check the spelling against the official constituency name.")
        return _Verdict(issue=("Constituency", "warning", "unknown_constituency", why, fix))
    if not (_blank(role) or str(role).strip().lower() in ("mp", "minister")):
        return _Verdict(seat=seat)  # a peer or official: the seat's MP and party are not theirs
    if not _blank(person) and not any(same_person(person, o) for o in seat_mps(seat)):
        # name and seat disagree: which one is right is unknown, so fill nothing
        return _Verdict(seat=seat, issue=(
            "Name" if name_col == "name" else "MP name", "warning", "mp_not_for_constituency",
            f"{person} is not the MP for {seat['name']} in the "
            f"{PARLIAMENT_LABELS[parliament]} (the MP is {seat['mp']})",
            f"Check the name and the constituency: one of them is probably for "
            f"another MP. {seat['name']}'s MP is {seat['mp']} ({seat['party']})."))
    if _blank(party):
        return _Verdict(seat=seat, fill=True, fill_party=True)
    if _party_key(party) not in {_party_key(seat["party"]), _party_key(seat.get("elected_party", ""))}:
        return _Verdict(seat=seat, fill=True, issue=(
            "Party", "note", "party_differs",
            f"Party “{party}” differs from the official list for {seat['name']} ({seat['party']})",
            "Fine if the MP changed party; otherwise correct it."))
    return _Verdict(seat=seat, fill=True)


def _combinations(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(number of each row's combination of values, first row of each combination).

    Missing values (None) are one value of their own, as they are in a tuple."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for values in columns:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        key = key * (len(uniques) + 1) + (codes + 1)
        key, _ = pd.factorize(key)           # renumbered: the key never outgrows int64
        key = key.astype(np.int64)
    first = np.unique(key, return_index=True)[1]
    return key, first


# Verdicts by normalised combination, shared by every charity and tab of the process: the
# coalition's 90,000 meeting and pledge rows hold fewer than 9,000 distinct combinations
# of seat, role class, person key and party key. Each raw text is normalised once per
# process too. Emptied with _judge's memo (_forget_verdicts).
_VERDICTS: dict[tuple, "_Verdicts"] = {}                  # (parliament, name column) ->
_NORMALISED: dict[tuple, tuple[dict, dict]] = {}          # (what, parliament) -> (raw -> id, key -> id)


# A server reading changing sheets for months keeps meeting new texts: past this many
# remembered values, the memos start again (together, at the start of a check, so ids and
# verdicts always come from the same numbering).
_MEMO_LIMIT = 1 << 18


# The memos are shared by every thread of the process (Google sheets are checked on
# threads of their own, and Streamlit runs each session on one): a check holds this lock
# while it reads and adds to them, so two threads never number the same new combination
# twice. Checking holds Python's lock anyway, so checks in turn cost no more.
_MEMO_LOCK = threading.RLock()


def _holding_memos(check):
    @functools.wraps(check)
    def held(*args, **kwargs):
        with _MEMO_LOCK:
            return check(*args, **kwargs)
    return held


@_holding_memos
def _forget_verdicts() -> None:
    _VERDICTS.clear()
    _NORMALISED.clear()
    _SUGGESTIONS.clear()


# Bits of a combination's packed number (_packed): seat id, whether the role is an
# MP's, person id, party id. Ids beyond them (a check meeting a million new values) are
# numbered by _combinations instead.
_ID_BITS = (21, 1, 21, 20)


class _Verdicts:
    """The verdicts judged so far for one parliament and name column, by combination of
    normalised ids, and what rows take from them, as arrays by verdict number."""

    def __init__(self, parliament: str) -> None:
        self.parliament = parliament
        self.ids = np.empty((0, 4), dtype=np.int64)    # each verdict's combination
        self.seat = np.empty(0, dtype=np.int64)        # number of its seat (_seat_fields), -1
        self.fill = np.empty(0, dtype=bool)
        self.fill_party = np.empty(0, dtype=bool)
        self.flagged = np.empty(0, dtype=bool)
        self._packed: pd.Index | None = None          # the combinations packed (_packed)

    def __len__(self) -> int:
        return len(self.ids)

    def of_rows(self, ids: list[np.ndarray], id_counts: list[int], judge) -> np.ndarray:
        """Each row's verdict number, from its columns' ids (`id_counts`: how many ids
        each column's numbering has given), judging each combination not judged before
        once: ``judge(rows)`` is the verdicts of those rows' raw values, in order."""
        number = self._known(ids, id_counts)
        new = np.flatnonzero(number < 0)
        if new.size:
            combo_of, first = _combinations([c[new] for c in ids])
            verdicts = judge(new[first])
            number[new] = len(self) + combo_of
            self._add(np.stack([c[new[first]] for c in ids], axis=1), verdicts)
        return number

    def _known(self, ids: list[np.ndarray], id_counts: list[int]) -> np.ndarray:
        """Each row's verdict number, -1 where its combination was never judged."""
        if not len(self):
            return np.full(len(ids[0]), -1, dtype=np.int64)
        if all(count <= 1 << bits for count, bits in zip(id_counts, _ID_BITS)):
            if self._packed is None:
                self._packed = pd.Index(_packed(list(self.ids.T)))
            return self._packed.get_indexer(_packed(ids))
        # (numbered together with the known combinations, which come first)
        combo_of, _ = _combinations([np.concatenate([k, c]) for k, c in zip(self.ids.T, ids)])
        verdict_of = np.full(int(combo_of.max()) + 1, -1, dtype=np.int64)
        verdict_of[combo_of[:len(self)]] = np.arange(len(self))
        return verdict_of[combo_of[len(self):]]

    def _add(self, ids: np.ndarray, verdicts: list[_Verdict]) -> None:
        number, _ = _seat_fields(self.parliament)
        self.ids = np.concatenate([self.ids, ids])
        self.seat = np.concatenate([self.seat, np.array(
            [-1 if v.seat is None else number[v.seat["ons_code"].upper()] for v in verdicts],
            dtype=np.int64)])
        for field in ("fill", "fill_party"):
            setattr(self, field, np.concatenate([getattr(self, field), np.array(
                [getattr(v, field) for v in verdicts], dtype=bool)]))
        self.flagged = np.concatenate([self.flagged, np.array(
            [v.issue is not None for v in verdicts], dtype=bool)])
        self._packed = None


def _packed(ids: list[np.ndarray]) -> np.ndarray:
    """Each row's combination of (seat, role, person, party) ids as one int64, the ids
    being below 2 ** _ID_BITS."""
    key = ids[0].astype(np.int64)
    for column, bits in zip(ids[1:], _ID_BITS[1:]):
        key = (key << bits) | column
    return key


class _Coded(NamedTuple):
    """One column of a frame as the checks read it, with no Python object per row."""
    codes: np.ndarray       # row -> code of its raw value; -1 (missing) is raw's last
    raw: list               # the distinct raw values by code, then None
    ids: np.ndarray         # row -> the process's id of its normalised value
    blank_id: int           # the id of the blank values' normalised value (-1: none yet)

    def blank(self) -> np.ndarray:
        """_blank of each row's value, for a column whose blank values alone have their
        normalised value (not 'role', where a blank is an MP's role, as 'MP' is)."""
        return self.ids == self.blank_id


def _normalised_codes(values: pd.Series, what: tuple, normalise, blank_key) -> _Coded:
    """The column coded. Ids are the process's, the same in every charity; each distinct
    raw value is looked up once per check, normalised once per process; `blank_key` is
    what `normalise` makes of a blank value (and of nothing else)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    raw = _listed(uniques) + [None]
    id_of_raw, id_of_key = _NORMALISED.setdefault(what, ({}, {}))
    # (a dict lookup per distinct value: cheaper than an index of the values seen, which
    # had to be made again whenever a batch added to them)
    ids = np.array([id_of_raw.get(value, -1) for value in raw], dtype=np.int64)
    for i in np.flatnonzero(ids < 0).tolist():
        value = raw[i]
        found = id_of_raw.get(value)
        if found is None:
            found = id_of_raw[value] = id_of_key.setdefault(normalise(value), len(id_of_key))
        ids[i] = found
    return _Coded(codes, raw, ids[codes], id_of_key.get(blank_key, -1))


def _seat_key(parliament: str):
    def key(value) -> tuple:
        if _blank(value):
            return _BLANK_SEAT
        text = str(value).strip()
        seat, _ = _seat_named(text, parliament, None)
        return ("seat", seat["ons_code"]) if seat is not None else ("unknown", text)
    return key


_BLANK_SEAT = ("blank",)


def _role_key(value) -> bool:
    """Whether the row is an MP's own (MP, Minister or no role)."""
    return _blank(value) or str(value).strip().lower() in ("mp", "minister")


def _person_or_party_key(keyer):
    def key(value):
        return None if _blank(value) else keyer(value)
    return key


_PERSON_KEY = _person_or_party_key(person_key)
_PARTY_KEY = _person_or_party_key(lambda party: _party_key(party))


def _coded_columns(frame: pd.DataFrame, parliament: str, name_col: str | None
                   ) -> dict[str, _Coded]:
    """The columns the checks read, each coded once: 'seat' (constituency), 'role',
    'person' (the name column) and 'party'; a column the frame lacks is all missing."""
    def series(name) -> pd.Series:
        if name is None or name not in frame.columns:
            return pd.Series([None] * len(frame), dtype=object)
        return frame[name]

    if sum(len(v) for v in _VERDICTS.values()) \
            + sum(len(raw) for raw, _ in _NORMALISED.values()) > _MEMO_LIMIT:
        _forget_verdicts()
    return {"seat": _normalised_codes(series("constituency"), ("seat", parliament),
                                      _seat_key(parliament), _BLANK_SEAT),
            "role": _normalised_codes(series("role"), ("role",), _role_key, None),
            "person": _normalised_codes(series(name_col), ("person",), _PERSON_KEY, None),
            "party": _normalised_codes(series("party"), ("party",), _PARTY_KEY, None)}


@functools.lru_cache(maxsize=4)
def _seat_fields(parliament: str) -> tuple[dict[str, int], dict[str, np.ndarray]]:
    """(ONS code -> number of the seat, the seats' fields by number, then None for rows
    with no seat: number -1)."""
    _, _, by_code, _ = _index(parliament, None)
    number = {code: i for i, code in enumerate(by_code)}
    fields = {field: np.array([seat.get(field) for seat in by_code.values()] + [None],
                              dtype=object)
              for field in ("party", "region", "name", "ons_code", "nation")}
    return number, fields


class _Rows(NamedTuple):
    """What the constituency check says of each row of a frame."""
    seat: np.ndarray          # row -> number of the seat found (_seat_fields), -1 if none
    fill: np.ndarray          # party and region may be filled from the seat
    fill_party: np.ndarray    # the party is blank and is filled
    issues: list              # (position, sheet row, issue) of each row with one, in row order


def _row_verdicts(frame: pd.DataFrame, coded: dict[str, _Coded], parliament: str,
                  name_col: str | None) -> _Rows:
    """The check of each row, from its coded columns.

    _judge's verdict depends on the raw values only through the seat found (or the text
    not found), whether the role is an MP's, the person key and the party key, so one
    row of each normalised combination is judged for all of them; only the messages quote
    the raw text, so each flagged row's issue is _judge's for its own raw values."""
    columns = [coded[c] for c in ("seat", "role", "person", "party")]
    table = _VERDICTS.get((parliament, name_col))
    if table is None:
        table = _VERDICTS[(parliament, name_col)] = _Verdicts(parliament)
    counts = [len(_NORMALISED[what][1]) for what in (("seat", parliament), ("role",),
                                                     ("person",), ("party",))]
    def judge(rows: np.ndarray) -> list[_Verdict]:
        # (each column's raw values of the rows taken at once, not four lookups a row)
        raws = [[c.raw[code] for code in c.codes[rows].tolist()] for c in columns]
        return [_judge(*raw, parliament, name_col) for raw in zip(*raws)]

    number = table.of_rows([c.ids for c in columns], counts, judge)
    flagged = np.flatnonzero(table.flagged[number])
    issues = []
    if flagged.size:
        sheet_rows = frame["_row"].to_numpy(dtype=object) if "_row" in frame.columns \
            else np.full(len(frame), None, dtype=object)
        for i in flagged.tolist():
            raw = [c.raw[c.codes[i]] for c in columns]
            row = None if _blank(sheet_rows[i]) else int(sheet_rows[i])
            issues.append((i, row, _judge(*raw, parliament, name_col).issue))
    return _Rows(table.seat[number], table.fill[number], table.fill_party[number], issues)


def _objects(values: pd.Series) -> np.ndarray:
    """A writable object array of the values, None where missing."""
    if isinstance(values.dtype, pd.StringDtype):
        values = values.to_numpy(dtype=object, na_value=None)
    else:
        values = values.astype(object)
        values = values.where(values.notna(), None).to_numpy()
    return values.copy()        # pandas may hand out a read-only view


def _blank_mask(values: pd.Series) -> np.ndarray:
    """_blank of every value of a column, judging each distinct value once, without
    making a Python object per row."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    blank = np.array([_blank(v) for v in _listed(uniques)] + [True], dtype=bool)   # [-1]: missing
    return blank[codes]


def _listed(uniques: pd.Index) -> list:
    """The values as Python objects: one conversion of the whole Arrow array, where
    iterating it would box each value on its own (20 times slower)."""
    return uniques.to_numpy(dtype=object, na_value=None).tolist()


def _filled_note(charity: str, tab_label: str, filled_party: int, filled_region: int) -> list[dict]:
    """The one note per tab counting the blank parties and regions filled from the list."""
    if not (filled_party or filled_region):
        return []
    what = [f"a blank party on {filled_party} row(s)"] if filled_party else []
    what += [f"a blank region on {filled_region} row(s)"] if filled_region else []
    return [_issue(charity, tab_label, None, "Party" if filled_party else "Region", "note",
                   "filled_from_constituency",
                   f"Filled in {' and '.join(what)} from the official constituency list.",
                   "Nothing to do; type it in the sheet to override it.")]


def _name_col(frame: pd.DataFrame) -> str | None:
    return "name" if "name" in frame.columns else "mp_name" if "mp_name" in frame.columns \
        else None


def _filled_party(party: pd.Series, fill_party: np.ndarray, seat: np.ndarray,
                  parliament: str) -> pd.Series:
    """The column with the seat's party set where `fill_party`, in the column's own type
    (only the filled rows are set: no object per row); the column itself when none is."""
    rows = np.flatnonzero(fill_party)
    if not rows.size:
        return party
    parties = _seat_fields(parliament)[1]["party"][seat[rows]]
    column = arrow_text(party)
    if column is not None:
        # Arrow text set by Arrow from a mask: pandas' own setitem sorts the positions
        # and checks them first (0.7 ms a batch; this, 0.3)
        import pyarrow as pa
        import pyarrow.compute as pc

        mask = np.zeros(len(party), dtype=bool)
        mask[rows] = True
        filled = pc.replace_with_mask(column, pa.array(mask), pa.array(parties, type=column.type))
        return pd.Series(pd.array(filled, dtype=party.dtype), index=party.index, name=party.name)
    party = party.copy()
    party.iloc[rows] = parties
    return party


@_holding_memos
def check_rows(frame: pd.DataFrame, tab_label: str, parliament: str,
               charity: str) -> tuple[list[dict], pd.DataFrame]:
    """Check the constituency (and MP) on each row of an MP meetings or Pledges frame.

    ``frame`` is a typed frame (contract keys: ``constituency``, ``name`` or ``mp_name``,
    ``role``, ``party``, ``_row``). Returns ``(issues, filled)``:

    - warning ``unknown_constituency``: not a seat of that parliament (with suggestions,
      or saying it is a seat of the other parliament);
    - warning ``mp_not_for_constituency``: the row's MP (MP / Minister / blank role) is
      not the seat's MP by person key;
    - note ``party_differs``: the party given is not the table's (defections happen);
    - note ``filled_from_constituency``: one per tab, counting the blank parties filled
      (and blank regions, when the sheet has a Region column).

    ``filled`` is a copy of ``frame`` with ``party`` and ``region`` filled where blank
    on MP / Minister rows whose name (if any) is the seat's MP (never overwritten; a peer's
    or official's row is only checked for the seat's name), plus ``constituency_name``
    (official spelling), ``ons_code`` and ``nation`` for rows whose seat was found.
    """
    parliament = _check_parliament(parliament)
    checked = "constituency" in frame.columns and not frame.empty
    filled = _with_seat_columns(frame, checked)
    if not checked:
        return [], filled
    name_col = _name_col(frame)
    # Rows repeat the same few hundred seats, MPs and parties, in every charity's sheet:
    # each distinct combination of their normalised keys is judged once per process
    # (_row_verdicts), and rows take their verdict by number.
    rows = _row_verdicts(frame, _coded_columns(frame, parliament, name_col), parliament,
                         name_col)
    issues = [_issue(charity, tab_label, row, *issue) for _, row, issue in rows.issues]
    filled_party, filled_region = _fill_from_seats(filled, frame, rows, parliament)
    issues.extend(_filled_note(charity, tab_label, filled_party, filled_region))
    return issues, filled


def _with_seat_columns(frame: pd.DataFrame, checked: bool) -> pd.DataFrame:
    """A copy of `frame` (copy-on-write: the caller's frame never changes) with the
    columns check_rows fills, as objects; when `checked` they are all set afterwards."""
    filled = frame.copy(deep=False)
    for col in ("party", "region", "constituency_name", "ons_code", "nation"):
        if col not in filled.columns:
            filled[col] = pd.Series([None] * len(filled), index=filled.index, dtype=object)
        elif not checked:
            filled[col] = filled[col].astype(object)
    return filled


def _fill_from_seats(filled: pd.DataFrame, frame: pd.DataFrame, rows: _Rows,
                     parliament: str) -> tuple[int, int]:
    """Sets `filled`'s party and region (where blank and the verdict allows) and the
    seat's official name, ONS code and nation; returns (parties filled, regions filled;
    regions only counted when the sheet has the column)."""
    _, fields = _seat_fields(parliament)
    had_region = "region" in frame.columns
    regions = _objects(frame["region"]) if had_region else np.full(len(frame), None, dtype=object)
    region_blank = _blanks(regions) if had_region else np.ones(len(filled), dtype=bool)
    fill_region = rows.fill & region_blank
    parties = _objects(frame["party"]) if "party" in frame.columns \
        else np.full(len(frame), None, dtype=object)
    parties[rows.fill_party] = fields["party"][rows.seat[rows.fill_party]]
    regions[fill_region] = fields["region"][rows.seat[fill_region]]
    for col, field in (("constituency_name", "name"), ("ons_code", "ons_code"),
                       ("nation", "nation")):
        filled[col] = pd.Series(fields[field][rows.seat], index=filled.index, dtype=object)
    filled["party"] = pd.Series(parties, index=filled.index, dtype=object)
    filled["region"] = pd.Series(regions, index=filled.index, dtype=object)
    return int(rows.fill_party.sum()), int(fill_region.sum()) if had_region else 0


_PARTY_ALIASES = {
    "lab": "labour", "labour co op": "labour", "labour and co operative party": "labour",
    "lab co op": "labour", "labour cooperative": "labour", "labour co operative": "labour",
    "labour party": "labour", "con": "conservative",
    "conservative and unionist party": "conservative", "tory": "conservative",
    "ld": "liberal democrat", "lib dem": "liberal democrat",
    "liberal democrats": "liberal democrat", "snp": "scottish national party",
    "green": "green party", "grn": "green party", "ruk": "reform uk", "ref": "reform uk",
    "reform": "reform uk", "pc": "plaid cymru", "dup": "democratic unionist party",
    "sf": "sinn fein", "sinn féin": "sinn fein", "ind": "independent",
    "sdlp": "social democratic and labour party", "apni": "alliance",
    "alliance party": "alliance", "uup": "ulster unionist party",
    "tuv": "traditional unionist voice", "spk": "speaker",
}


@functools.lru_cache(maxsize=4096)
def _party_key(party: object) -> str:
    key = constituency_key(party)
    return _PARTY_ALIASES.get(key, _PARTY_ALIASES.get(_fold(key), key))


@functools.lru_cache(maxsize=4)
def _party_names(directory: str | None) -> dict[str, str]:
    """_party_key of every party the table gives a seat's MP -> its shortest spelling there
    ('Labour', not 'Labour (Co-op)')."""
    names: dict[str, str] = {}
    for party in load_constituencies(None, directory)["party"]:
        party = str(party).strip()
        if party:
            key = _party_key(party)
            if key not in names or len(party) < len(names[key]):
                names[key] = party
    return names


def party_name(party: object, directory: str | Path | None = None) -> str:
    """A party as a sheet gives it, under the official table's name when it is that party
    or a short form of it ('Con', 'Tory', 'Lab Co-op', 'SNP'); any other text as written,
    trimmed; '' for a blank. For counting MPs by party: 'Con' and 'Conservative' are one
    bar."""
    if _blank(party):
        return ""
    text = str(party).strip()
    return _party_names(str(directory) if directory else None).get(_party_key(text), text)


@functools.lru_cache(maxsize=256)
def region_name(region: object) -> str:
    """A region or nation as the official table spells it ('Yorkshire and The Humber'),
    when it is one whatever the case and spacing; any other text as written."""
    if _blank(region):
        return "" if region is None or not isinstance(region, str) else region
    text = str(region)
    try:
        seats = load_constituencies()
    except FileNotFoundError:
        return text
    known = {constituency_key(r): r for r in [*seats["region"].unique(), *seats["nation"].unique()]}
    return known.get(constituency_key(text), text)


def party_label(party: object, directory: str | Path | None = None) -> str:
    """A party as charts label it: party_name when it is a party of the official table
    (or a known short form of one), "Unknown" for a blank, and NOT_RECOGNISED for any
    other text, which may be anything a person typed."""
    from dashboard.contract import NOT_RECOGNISED

    if _blank(party):
        return "Unknown"
    key = _party_key(str(party).strip())
    names = _party_names(str(directory) if directory else None)
    return names[key] if key in names else NOT_RECOGNISED


# --------------------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _by_person(parliament: str, directory: str | None) -> dict[str, list[str]]:
    """person_key of every name the table gives a seat's MP -> the seats' keys."""
    out: dict[str, list[str]] = {}
    # (records, not iterrows: a Series per seat cost 0.3 s, on the first name-only MP placed)
    for r in _records(load_constituencies(parliament, directory)):
        for name in seat_mps(r):
            keys = out.setdefault(person_key(name), [])
            if r["key"] not in keys:
                keys.append(r["key"])
    return out


def resolve_id(mp_id: object, parliament: str,
               directory: str | Path | None = None) -> dict | None:
    """The seat for an MP id: a constituency key or name, an ONS code, or the pipeline's
    ``mp_id`` ('c:<constituency key>', or 'p:<person key>' - matched when exactly one
    seat's MP has that person key). None when it is not a seat of that parliament."""
    if _blank(mp_id):
        return None
    text = str(mp_id).strip()
    if text[:2] == "p:":
        seats = _by_person(parliament, str(directory) if directory else None).get(
            person_key(text[2:]), [])
        if len(seats) != 1:
            return None
        text = seats[0]
    elif text[:2] == "c:":
        text = text[2:]
    seat, _ = match_constituency(text, parliament, directory)
    return seat


def coverage(mps_met_ids, pledged_ids, parliament: str,
             directory: str | Path | None = None) -> pd.DataFrame:
    """Shares of all MPs met and pledged, overall and by party, region and nation.

    ``mps_met_ids`` / ``pledged_ids`` are constituency keys (constituency_key of the
    seat name); an ONS code, an unnormalised name or the pipeline's ``mp_id``
    ('c:...' / 'p:...', see resolve_id) is accepted too. Columns:
    dimension ('all', 'party', 'region', 'nation'), group, mps (seats), met, met_pct,
    pledged, pledged_pct. Labour (Co-op) MPs are counted under Labour. Ids that are not seats
    of the parliament are not counted; they are listed in ``frame.attrs['unmatched']``.
    """
    seats = load_constituencies(parliament, directory)
    met, pledged, unmatched = set(), set(), []
    for source, target in ((mps_met_ids, met), (pledged_ids, pledged)):
        for i in (source or ()):
            if _blank(i):
                continue
            seat = resolve_id(i, parliament, directory)
            if seat is None:
                unmatched.append(str(i))
            else:
                target.add(seat["key"])
    # Labour (Co-op) MPs are Labour MPs: counted under Labour.
    seats["party"] = seats["party"].map(
        lambda p: "Labour" if _party_key(p) == "labour" else p)
    seats["met"] = seats["key"].isin(met)
    seats["pledged"] = seats["key"].isin(pledged)
    parts = []
    total = seats.assign(all="All MPs")
    for dimension in ("all", "party", "region", "nation"):
        g = total.groupby(dimension, sort=True).agg(
            mps=("key", "size"), met=("met", "sum"), pledged=("pledged", "sum")).reset_index()
        g = g.rename(columns={dimension: "group"})
        g.insert(0, "dimension", dimension)
        parts.append(g)
    out = pd.concat(parts, ignore_index=True)
    out["met"] = out["met"].astype(int)
    out["pledged"] = out["pledged"].astype(int)
    out["met_pct"] = 100 * out["met"] / out["mps"]
    out["pledged_pct"] = 100 * out["pledged"] / out["mps"]
    out = out[["dimension", "group", "mps", "met", "met_pct", "pledged", "pledged_pct"]]
    out.attrs["unmatched"] = sorted(set(unmatched))
    out.attrs["parliament"] = parliament
    return out


def not_yet_met(mps_met_ids, parliament: str, *, party: str | None = None,
                region: str | None = None, nation: str | None = None,
                directory: str | Path | None = None) -> list[dict]:
    """MPs not yet met, optionally for one party / region / nation, by region then seat.

    Each item: constituency, ons_code, mp, party, region, nation.
    """
    seats = load_constituencies(parliament, directory)
    met = set()
    for i in (mps_met_ids or ()):
        seat = resolve_id(i, parliament, directory)
        if seat is not None:
            met.add(seat["key"])
    rest = seats[~seats["key"].isin(met)]
    if party:
        rest = rest[rest["party"].map(_party_key) == _party_key(party)]
    if region:
        rest = rest[rest["region"].str.lower() == region.strip().lower()]
    if nation:
        rest = rest[rest["nation"].str.lower() == nation.strip().lower()]
    rest = rest.sort_values(["region", "name"])
    return [{"constituency": r["name"], "ons_code": r["ons_code"], "mp": r["mp"],
             "party": r["party"], "region": r["region"], "nation": r["nation"]}
            for _, r in rest.iterrows()]


# --------------------------------------------------------------------------------------
# Pipeline hook
# --------------------------------------------------------------------------------------

CHECKED_TABS = (("mp_meetings", "MP meetings"), ("pledges", "Pledges"))


@functools.lru_cache(maxsize=4)
def _mp_names(parliament: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(person_key of every name either parliament's table gives an MP -> the MP's name
    and seat in `parliament`, or else the other one, as a suggestion reads; those keys
    by their first letter)."""
    names: dict[str, str] = {}
    for which in (parliament, *(p for p in PARLIAMENTS if p != parliament)):
        seats = load_constituencies(which)[["name", "mp", "elected_mp", "other_mps"]]
        for seat in _records(seats):
            for name in seat_mps(seat):
                names.setdefault(person_key(name), f"{name} ({seat['name']})")
    by_letter: dict[str, list[str]] = {}
    for key in names:
        by_letter.setdefault(key[:1], []).append(key)
    return names, by_letter


@functools.lru_cache(maxsize=1 << 14)
def suggest_mp(name: str, parliament: str) -> str | None:
    """For a name that is no MP's in the tables, the MP it is most likely a misspelling
    of ('Karl Tuner' -> 'Karl Turner (Kingston upon Hull East)'); None when the name is
    an MP's, or close to none (a candidate, a councillor: not every name is a typo).
    Only names with the same first letter are compared (a typo seldom starts a name, and
    a sheet of thousands of names nobody knows must not take seconds)."""
    key = person_key(name)
    names, by_letter = _mp_names(parliament)
    if not key or key in names:
        return None
    close = difflib.get_close_matches(key, by_letter.get(key[:1], []), n=1, cutoff=0.85)
    return names[close[0]] if close else None


@_holding_memos
def check_parties(frame: pd.DataFrame, tab_label: str, charity: str) -> list[dict]:
    """Warnings ``party_not_recognised`` for a Party that is no party of the official
    table, nor a known short form of one: charts count it as NOT_RECOGNISED."""
    if frame.empty or "party" not in frame.columns:
        return []
    coded = _normalised_codes(frame["party"], ("party",), _PARTY_KEY, None)
    return [issue for _, issue in _party_issues(frame, coded, tab_label, charity)]


def _party_issues(frame: pd.DataFrame, party: _Coded, tab_label: str,
                  charity: str) -> list[tuple[int, dict]]:
    """check_parties' issues, each with its row's position in the frame, from the coded
    party column. (A party filled from the seat is the table's own, so the issues of a
    frame are those of its filled frame: a blank is never one.)"""
    from dashboard.contract import NOT_RECOGNISED

    if "party" not in frame.columns:
        return []
    odd = np.array([v is not None and party_label(v) == NOT_RECOGNISED for v in party.raw],
                   dtype=bool)
    if not odd.any():
        return []
    rows = frame["_row"].to_numpy()
    issues = []
    for i in np.flatnonzero(odd[party.codes]).tolist():
        text = str(party.raw[party.codes[i]]).strip()
        shown = text if len(text) <= 40 else text[:39] + "…"
        issues.append((i, _issue(
            charity, tab_label, int(rows[i]), "Party", "warning", "party_not_recognised",
            f"Row {int(rows[i])}, Party: “{shown}” is not a party of the official list of MPs; "
            f"charts count it as “{NOT_RECOGNISED}”",
            "Write the party's name (Labour, Conservative, Liberal Democrat…) or leave it "
            "blank when the constituency is given: it is filled in.")))
    return issues


@_holding_memos
def check_mp_names(frame: pd.DataFrame, tab_label: str, parliament: str,
                   charity: str) -> list[dict]:
    """Warnings ``mp_name_unknown`` for rows naming an MP (role MP, Minister or blank)
    without a constituency, whose name is close to an MP's but no MP's: such a row
    would count as one more MP."""
    name_col = "name" if "name" in frame.columns else "mp_name"
    if frame.empty or name_col not in frame.columns or "constituency" not in frame.columns:
        return []
    coded = _coded_columns(frame, parliament, name_col)
    return [issue for _, issue in _mp_name_issues(frame, coded, tab_label, parliament, charity)]


def _mp_name_issues(frame: pd.DataFrame, coded: dict[str, _Coded], tab_label: str,
                    parliament: str, charity: str) -> list[tuple[int, dict]]:
    """check_mp_names' issues, each with its row's position in the frame, from the coded
    columns: each distinct name is looked up once."""
    name_col = "name" if "name" in frame.columns else "mp_name"
    if name_col not in frame.columns or "constituency" not in frame.columns:
        return []
    name = coded["person"]
    named = coded["seat"].blank() & ~name.blank()
    if "role" in frame.columns:
        role = coded["role"]
        named &= np.array([v in ("MP", "Minister") or _blank(v) for v in role.raw],
                          dtype=bool)[role.codes]
    at = np.flatnonzero(named)
    if not at.size:
        return []
    asked, suggested = _suggestions(parliament)
    person = name.ids[at]
    new = asked[person] == _NOT_ASKED
    if new.any():
        # (one name of each person key not asked before: suggest_mp depends on the key alone)
        ids, first = np.unique(person[new], return_index=True)
        for person_id, i in zip(ids.tolist(), at[new][first].tolist()):
            suggestion = suggest_mp(str(name.raw[name.codes[i]]).strip(), parliament)
            asked[person_id] = _NO_SUGGESTION if suggestion is None else _SUGGESTED
            if suggestion is not None:
                suggested[person_id] = suggestion
    at = at[asked[person] == _SUGGESTED]
    column = "Name" if name_col == "name" else "MP name"
    sheet_rows = frame["_row"].to_numpy()
    issues = []
    for i, code, person_id in zip(at.tolist(), name.codes[at].tolist(), name.ids[at].tolist()):
        row, text = int(sheet_rows[i]), str(name.raw[code]).strip()
        issues.append((i, _issue(
            charity, tab_label, row, column, "warning", "mp_name_unknown",
            f"Row {row}, {column}: “{text}” is not the name of an MP and, "
            "with no constituency, counts as one more MP",
            f"Did you mean {suggested[person_id]}? Correct the name or add the constituency.")))
    return issues


# suggest_mp's answer by person id (_NORMALISED's numbering of person keys), per
# parliament. It depends on the name's person key alone, so each key is asked once per
# process, not each distinct spelling in every batch (3,000 names a batch, 20 ms for the
# 50-charity coalition). Emptied with the ids (_forget_verdicts).
_SUGGESTIONS: dict[str, tuple[np.ndarray, dict[int, str]]] = {}
_NOT_ASKED, _NO_SUGGESTION, _SUGGESTED = 0, 1, 2


def _suggestions(parliament: str) -> tuple[np.ndarray, dict[int, str]]:
    """(whether each person id was asked and what came of it, the suggestion of each id
    with one), the array as long as the person ids given so far."""
    asked, suggested = _SUGGESTIONS.get(parliament, (np.zeros(0, dtype=np.int8), {}))
    count = len(_NORMALISED.get(("person",), ({}, {}))[1])
    if len(asked) < count:
        asked = np.concatenate([asked, np.full(count - len(asked), _NOT_ASKED, dtype=np.int8)])
        _SUGGESTIONS[parliament] = (asked, suggested)
    return asked, suggested


def check_charity_data(data, config) -> None:
    """The extra check dashboard/pipeline.py runs after validating one charity: the
    check of a batch of one (check_charities_data).

    ``data`` is a dashboard.validate.CharityData, ``config`` the coalition Config. The
    parliament is ``parliament_for(config.start, config.end)``. Adds check_rows' issues
    (as validate.Issue) to ``data.issues``, then check_mp_names' and check_parties', and
    fills blank ``party`` cells of the MP meetings and Pledges frames from the seat; no
    other column of the typed frames is changed, so the frames keep the contract's
    columns. A checked tab with a party column gets a new frame, filled or not.
    """
    check_charities_data([data], config)


@_holding_memos
def check_charities_data(datas: list, config, combined: dict | None = None) -> None:
    """check_charity_data of each CharityData of `datas` (charities checked together by
    dashboard/pipeline.py), with each checked tab of all of them judged as one frame.
    `check_charity_data.together`.

    `combined`: tab -> the frame that is the charities' frames of that tab with rows one
    after another (validate_workbooks' combined frame, whose slices they are), for the
    tabs where that holds. A checked tab found there is judged as that frame instead of
    concatenating the charities' frames again, and its entry becomes the filled frame,
    of which each charity's new frame is again the slice, so the merge can keep taking
    the batch's rows in one piece.

    Without the constituency list, a charity gets a note on the first tab it would have
    checked, and that tab and the next are left as they are."""
    from dashboard.validate import Issue

    parliament = parliament_for(config.start, config.end)
    found: list[list[dict]] = [[] for _ in datas]
    frames: list[dict] = [{} for _ in datas]
    whole = dict(combined or {})
    for key, label in CHECKED_TABS:
        try:
            _check_together(datas, key, label, parliament, found, frames, whole)
        except FileNotFoundError as err:
            if len(datas) > 1:       # (each charity's note is on its own first checked tab)
                for data in datas:
                    check_charity_data(data, config)
                return
            found[0].append(_issue(datas[0].charity, label, None, "Constituency", "note",
                                   "constituency_list_missing",
                                   f"Constituencies were not checked: {err}",
                                   "Rebuild the reference tables."))
            break
    for data, issues, changed in zip(datas, found, frames):
        data.frames.update(changed)
        data.issues.extend(Issue(**issue) for issue in issues)
    if combined is not None:
        combined.update(whole)


def _check_together(datas: list, key: str, label: str, parliament: str,
                    found: list[list[dict]], frames: list[dict],
                    whole: dict | None = None) -> None:
    """Tab `key` of the charities of `datas` with rows and a constituency column, checked
    as one frame (`whole[key]` when given: see check_charities_data): each one's issues
    added to its `found` in check_charity_data's order (the rows' verdicts, the filled
    note, names, parties), its new frame put in `frames`, and the filled frame of them all
    in `whole[key]` when it was given. Nothing is added when it raises."""
    members = [m for m, data in enumerate(datas)
               if data.frames.get(key) is not None and len(data.frames[key])
               and "constituency" in data.frames[key].columns]
    if not members:
        return
    own = [datas[m].frames[key] for m in members]
    starts = np.concatenate([[0], np.cumsum([len(f) for f in own])])
    given = whole.get(key) if whole is not None else None
    if given is not None and len(given) != starts[-1]:
        given = None
    # (the batch's own combined frame: concatenating its slices again gives the same)
    frame = given if given is not None else pd.concat(own, ignore_index=True)
    owner = np.repeat(np.arange(len(members)), np.diff(starts))
    name_col = _name_col(frame)
    coded = _coded_columns(frame, parliament, name_col)
    rows = _row_verdicts(frame, coded, parliament, name_col)
    filled_party = np.bincount(owner[rows.fill_party], minlength=len(members))
    filled_region = np.bincount(owner[rows.fill & _blank_mask(frame["region"])],
                                minlength=len(members)) if "region" in frame.columns \
        else np.zeros(len(members), dtype=np.int64)
    # (the parties of the batch filled at once; a charity takes its share when its column
    # has the batch's type, as it does unless some charity's column has another)
    party = _filled_party(frame["party"], rows.fill_party, rows.seat, parliament) \
        if "party" in frame.columns else None
    seat_issues, names, parties = ([[] for _ in members] for _ in range(3))
    for at, row, issue in rows.issues:
        seat_issues[owner[at]].append((row, issue))
    for issues, by_member in ((_mp_name_issues(frame, coded, label, parliament, ""), names),
                              (_party_issues(frame, coded["party"], label, ""), parties)):
        for at, issue in issues:
            by_member[owner[at]].append(issue)
    for j, m in enumerate(members):
        a, b = starts[j], starts[j + 1]
        charity, mine = datas[m].charity, own[j]
        found[m].extend(_issue(charity, label, row, *issue) for row, issue in seat_issues[j])
        found[m].extend(_filled_note(charity, label, int(filled_party[j]), int(filled_region[j])))
        if "party" in mine.columns:
            frames[m][key] = mine.assign(party=_own_party(mine["party"], party, a, b, rows,
                                                          parliament))
        found[m].extend({**issue, "charity": charity} for issue in names[j] + parties[j])
    if given is not None and party is not None:
        whole[key] = frame.assign(party=party)


def _own_party(own: pd.Series, batch: pd.Series, a: int, b: int, rows: _Rows,
               parliament: str):
    """A charity's party column as check_charity_data sets it, its blanks filled: its
    share of the batch's filled column when that has the charity's own type."""
    if isinstance(own.dtype, pd.StringDtype) and batch.dtype == own.dtype:
        return batch.array[a:b]        # (a string column's missing values are its own NA)
    party = _filled_party(own, rows.fill_party[a:b], rows.seat[a:b], parliament)
    party = party.where(party.notna(), None)
    return party.astype(own.dtype)


def prepare_checks(config) -> None:
    """Read ahead what the constituency checks and the merge look up for the campaign's
    parliament (the seats of both parliaments, the MPs' names and parties): the same
    tables the first check would read, made while nothing else can run (pipeline: the
    first batch's files are being read). Nothing when the list is missing: the check
    says so itself."""
    parliament = parliament_for(config.start, config.end)
    try:
        _seat_fields(parliament)
        for other in PARLIAMENTS:
            _index(other, None)
        _party_names(None)
        _mp_names(parliament)
        _by_person(parliament, None)
    except FileNotFoundError:
        pass


check_charity_data.together = check_charities_data  # type: ignore[attr-defined]
check_charity_data.prepare = prepare_checks  # type: ignore[attr-defined]
