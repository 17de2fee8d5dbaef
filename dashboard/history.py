"""Weekly history: snapshots of the figures, the baseline a meeting compares against,
week-on-week changes and the pace still needed to reach each target.

A snapshot is what `refresh` stores after reading every source: the coalition figures
and, per charity, its status and figures. Never rows, refs, names or notes.

Rules (docs/meeting.md explains them for the coalition):

- Baseline, without a meeting date: among snapshots taken at or before `now` and at
  least half a week (3.5 days) old, the one nearest to exactly 7 days before `now`;
  on a tie, the earlier one. No snapshot that old: no baseline (changes are blank).
- Baseline, with `[meeting] last = DATE` in the config: the last snapshot taken on or
  before that date (its whole day, UK time) and not after `now`; ties on the same time
  go to the one stored last. None that old: no baseline.
- Pace: what is still needed (target - now, at least 0) divided by the weeks left
  from `now` to the end of the campaign's last day (midnight after `end`, UK time),
  rounded up to a whole number. Met: 0 a week. Campaign over: no pace, only the gap.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from zoneinfo import ZoneInfo

import pandas as pd

from dashboard import clock
from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.figures import COALITION

UK = ZoneInfo("Europe/London")
WEEK = dt.timedelta(days=7)
MIN_BASELINE_AGE = dt.timedelta(days=3.5)      # half a week: younger is not "last week"
CHARITY_FIELDS = ("name", "status", "as_of", "errors", "warnings")
_SNAPSHOT_NAMESPACE = uuid.UUID("5b0f3c1e-8f7a-4c55-9d0e-2f1a6c7b9e11")
_FIGURE_COLUMNS = ["at", "charity", "figure", "value"]
_CHANGE_COLUMNS = ["charity", "status", "figure", "label", "now", "then", "change"]
_PACE_COLUMNS = ["figure", "label", "target", "current", "remaining", "progress",
                 "days_left", "weeks_left", "per_week", "state", "note"]


# -- times ---------------------------------------------------------------------------
def uk_time(value) -> dt.datetime:
    return clock.parse_instant(value).astimezone(UK)


def describe_time(value) -> str:
    """'Thu 16 Jun 2022, 09:00' in UK time."""
    t = uk_time(value)
    return f"{t:%a} {t.day} {t:%b %Y, %H:%M}"


def describe_date(value) -> str:
    """'Thursday 23 June 2022' (UK date of a time, or a date)."""
    d = value if (isinstance(value, dt.date) and not isinstance(value, dt.datetime)) \
        else uk_time(value).date()
    return f"{d:%A} {d.day} {d:%B %Y}"


# -- snapshots -----------------------------------------------------------------------
def _whole(value, where: str) -> int:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{where} must be a whole number, not {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where} must be a whole number, not {value!r}") from None
    if number != number or number != int(number):
        raise ValueError(f"{where} must be a whole number, not {value!r}")
    return int(number)


def _figures(block: dict, where: str) -> dict[str, int]:
    missing = [f for f in FIGURES if f not in block]
    if missing:
        raise ValueError(f"{where} lacks the figure(s) {', '.join(missing)}")
    return {f: _whole(block[f], f"{where} {f}") for f in FIGURES}


def snapshot_from_summary(summary: dict) -> dict:
    """What history stores of a summary (contract section 6): figures and statuses only.

    Issues are dropped (their messages may quote a cell), and so is anything else a
    future summary might carry: a snapshot can never hold a ref or a note.
    """
    if not isinstance(summary, dict) or not isinstance(summary.get("coalition"), dict):
        raise ValueError("a summary needs a 'coalition' object with the figures")
    charities = []
    for i, c in enumerate(summary.get("charities") or [], 1):
        name = str(c.get("name", "")).strip()
        if not name:
            raise ValueError(f"charity number {i} in the summary has no name")
        charities.append({
            "name": name,
            "status": str(c.get("status") or "ok"),
            "as_of": c.get("as_of"),
            "errors": _whole(c.get("errors", 0), f"{name} errors"),
            "warnings": _whole(c.get("warnings", 0), f"{name} warnings"),
            **_figures(c, name),
        })
    return {"coalition": _figures(summary["coalition"], "coalition"), "charities": charities}


def default_snapshot_id(at: dt.datetime, payload: dict) -> str:
    """Same time and same figures -> same id, so a retried refresh stores one row."""
    text = clock.parse_instant(at).isoformat() + json.dumps(payload, sort_keys=True)
    return str(uuid.uuid5(_SNAPSHOT_NAMESPACE, text))


def record_snapshot(store, summary: dict, at: dt.datetime | None = None,
                    snapshot_id: str | None = None) -> str:
    """Store a snapshot of `summary` taken at `at` (default: dashboard.clock.now()).

    Returns its id. Writing the same snapshot (same id) again stores nothing new.
    """
    at = clock.parse_instant(at) if at is not None else clock.now()
    payload = snapshot_from_summary(summary)
    return store.add_snapshot(at, payload, snapshot_id or default_snapshot_id(at, payload))


def summary_as_snapshot(summary: dict, at=None) -> dict:
    """The current summary shaped like a stored snapshot (for trends that end 'now')."""
    when = at if at is not None else summary.get("generated_at") or clock.now()
    return {"id": "current", "at": clock.parse_instant(when).isoformat(), **snapshot_from_summary(summary)}


def last_of_each_day(snapshots: list[dict]) -> list[dict]:
    """The last snapshot of each UK day, oldest first.

    The app's loader stores a snapshot every time its cache expires (every 10 minutes
    while people are looking), so two months can hold thousands; trends and the pack's
    History sheet use one reading a day.
    """
    last: dict[dt.date, tuple[dt.datetime, int, dict]] = {}
    for i, s in enumerate(snapshots):
        at = clock.parse_instant(s["at"])
        day = at.astimezone(UK).date()
        if day not in last or (at, i) >= last[day][:2]:
            last[day] = (at, i, s)
    return [entry[2] for entry in sorted(last.values(), key=lambda e: (e[0], e[1]))]


def taken_by(snapshots: list[dict], now: dt.datetime) -> list[dict]:
    """Snapshots taken at or before `now`, oldest first."""
    now = clock.parse_instant(now)
    return sorted((s for s in snapshots if clock.parse_instant(s["at"]) <= now),
                  key=lambda s: clock.parse_instant(s["at"]))


# -- the demo's month of history --------------------------------------------------------
DEMO_HISTORY_DAYS = 30
# Each figure's synthetic growth: (UK date by which half of it is there, days of spread).
# Young people register before the Day of Action (22 June); meetings, pledges and coverage
# gather around it.
_DEMO_GROWTH = {"attendees_registered": (dt.date(2022, 6, 8), 5.0),
                "attendees_attended": (dt.date(2022, 6, 14), 4.0)}
_DEMO_GROWTH_DEFAULT = (dt.date(2022, 6, 21), 5.0)


def demo_snapshots(summary: dict, now: dt.datetime, days: int = DEMO_HISTORY_DAYS) -> list[dict]:
    """A month of synthetic daily snapshots ending the day before `now`, for the demo only.

    Each figure of the coalition and of each charity grows along an S-curve to its value in
    `summary` (a charity a day or two ahead or behind another, so the lines differ). Every
    snapshot is marked `"demo": true`. Deterministic: the same summary and `now` give the
    same snapshots (and ids), so seeding twice stores nothing new.
    """
    current = snapshot_from_summary(summary)
    now = clock.parse_instant(now)

    def share(figure: str, day: dt.date, shift: float) -> float:
        half, spread = _DEMO_GROWTH.get(figure, _DEMO_GROWTH_DEFAULT)

        def curve(d: dt.date) -> float:
            return 1 / (1 + math.exp(-((d - half).days - shift) / spread))
        return min(curve(day) / curve(now.astimezone(UK).date()), 1.0)

    out = []
    for back in range(days, 0, -1):
        at = now - dt.timedelta(days=back)
        day = at.astimezone(UK).date()
        charities = []
        for i, c in enumerate(current["charities"]):
            shift = (i % 5) - 2
            charities.append({**{k: c[k] for k in CHARITY_FIELDS}, "as_of": at.isoformat(),
                              **{f: int(c[f] * share(f, day, shift)) for f in FIGURES}})
        payload = {"coalition": {f: int(current["coalition"][f] * share(f, day, 0.0)) for f in FIGURES},
                   "charities": charities, "demo": True}
        out.append({"id": str(uuid.uuid5(_SNAPSHOT_NAMESPACE, "demo " + at.isoformat())),
                    "at": at.isoformat(), **payload})
    return out


def seed_demo_history(config, store, summary: dict) -> int:
    """On a demo coalition's first run, store its month of synthetic snapshots; returns how
    many were stored. A real coalition's store, and a store that already has history, is
    never touched."""
    if not getattr(config, "demo", False) or store.snapshots():
        return 0
    seeded = demo_snapshots(summary, clock.now())
    for snap in seeded:
        payload = {k: v for k, v in snap.items() if k not in ("id", "at")}
        store.add_snapshot(clock.parse_instant(snap["at"]), payload, snap["id"])
    return len(seeded)


# -- history as a table --------------------------------------------------------------
def history_frame(snapshots: list[dict]) -> pd.DataFrame:
    """Long format: at (UK time), charity (or "Coalition"), figure, value.

    Oldest first; within a snapshot the coalition, then the charities in stored order,
    each in contract figure order. A figure missing from an old snapshot is left out.
    """
    rows = []
    ordered = sorted(enumerate(snapshots), key=lambda p: (clock.parse_instant(p[1]["at"]), p[0]))
    for _, snap in ordered:
        at = uk_time(snap["at"])
        blocks = [(COALITION, snap.get("coalition") or {})]
        blocks += [(c.get("name"), c) for c in snap.get("charities") or []]
        for name, block in blocks:
            for figure in FIGURES:
                if block.get(figure) is not None:
                    rows.append((at, str(name), figure, int(block[figure])))
    frame = pd.DataFrame(rows, columns=_FIGURE_COLUMNS)
    frame["at"] = pd.to_datetime(frame["at"], utc=True).dt.tz_convert(UK)
    frame["value"] = frame["value"].astype("Int64")
    frame["charity"] = frame["charity"].astype(object)
    frame["figure"] = frame["figure"].astype(object)
    return frame


def daily(frame: pd.DataFrame) -> pd.DataFrame:
    """Only the last reading of each UK day (for trend lines)."""
    if frame.empty:
        return frame.copy()
    day = frame["at"].dt.date
    last = frame.groupby(day)["at"].transform("max")
    return frame[frame["at"] == last].reset_index(drop=True)


def weekly(frame: pd.DataFrame, now: dt.datetime) -> pd.DataFrame:
    """The last reading at or before now, a week before, two weeks before... (for tables).

    Stops at the first step with nothing at or before it. Oldest first.
    """
    if frame.empty:
        return frame.copy()
    times = sorted(frame["at"].unique())
    first = times[0]
    step = pd.Timestamp(clock.parse_instant(now)).tz_convert(UK)
    chosen = []
    while step >= first:
        at = max(t for t in times if t <= step)
        if at not in chosen:
            chosen.append(at)
        step -= pd.Timedelta(days=7)
    return frame[frame["at"].isin(chosen)].sort_values("at", kind="stable").reset_index(drop=True)


def wide(frame: pd.DataFrame, figure: str) -> pd.DataFrame:
    """One figure as a table: a row per time, a column per name (Coalition first)."""
    part = frame[frame["figure"] == figure]
    names = list(dict.fromkeys(part["charity"]))
    if COALITION in names:
        names.remove(COALITION)
        names.insert(0, COALITION)
    table = part.pivot_table(index="at", columns="charity", values="value", aggfunc="last")
    return table.reindex(columns=names).astype("Int64")


# -- the baseline --------------------------------------------------------------------
def baseline(snapshots: list[dict], now: dt.datetime,
             last_meeting: dt.date | None = None) -> dict | None:
    """The snapshot a meeting compares against (rules in the module docstring), or None."""
    now = clock.parse_instant(now)
    eligible = [(clock.parse_instant(s["at"]), i, s) for i, s in enumerate(snapshots)
                if clock.parse_instant(s["at"]) <= now]
    if last_meeting is not None:
        on_or_before = [e for e in eligible if e[0].astimezone(UK).date() <= last_meeting]
        if not on_or_before:
            return None
        return max(on_or_before, key=lambda e: (e[0], e[1]))[2]
    target = now - WEEK
    old_enough = [e for e in eligible if now - e[0] >= MIN_BASELINE_AGE]
    if not old_enough:
        return None
    # nearest to a week ago; on equal distance the earlier one (it spans the whole week)
    return min(old_enough, key=lambda e: (abs(e[0] - target), e[0], e[1]))[2]


def describe_baseline(snap: dict | None, last_meeting: dt.date | None = None) -> str:
    if snap is None:
        if last_meeting is not None:
            return f"no snapshot from on or before the last meeting ({describe_date(last_meeting)}) yet"
        return "no snapshot from about a week ago yet"
    return f"the snapshot of {describe_time(snap['at'])}"


# -- changes -------------------------------------------------------------------------
def changes(current_summary: dict, baseline_snapshot: dict | None) -> pd.DataFrame:
    """Per figure, for the coalition and each charity: now, then, change.

    `then` and `change` are missing when there is no baseline or the charity is not in
    it; `now` and `change` are missing for a charity whose source could not be read
    (status error: its figures are not a reading).
    """
    current = snapshot_from_summary(current_summary)
    then_blocks: dict[str, dict] = {}
    if baseline_snapshot is not None:
        then_blocks[COALITION] = baseline_snapshot.get("coalition") or {}
        for c in baseline_snapshot.get("charities") or []:
            then_blocks.setdefault(str(c.get("name")), c)
    rows = []
    blocks = [(COALITION, "ok", current["coalition"])]
    blocks += [(c["name"], c["status"], c) for c in current["charities"]]
    for name, status, block in blocks:
        then_block = then_blocks.get(name, {})
        for figure in FIGURES:
            now_value = None if status == "error" else block[figure]
            then_value = then_block.get(figure)
            change = (now_value - int(then_value)
                      if now_value is not None and then_value is not None else None)
            rows.append((name, status, figure, FIGURE_LABELS[figure], now_value,
                         None if then_value is None else int(then_value), change))
    frame = pd.DataFrame(rows, columns=_CHANGE_COLUMNS)
    for col in ("now", "then", "change"):
        frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    for col in ("charity", "status", "figure", "label"):
        frame[col] = frame[col].astype(object)
    return frame


def signed(n) -> str:
    """+200, -3, 0 (thousands separated: +1,250); 'n/a' when there is nothing to compare."""
    if n is None or n is pd.NA or (isinstance(n, float) and n != n):
        return "n/a"
    n = int(n)
    return "0" if n == 0 else f"{n:+,}"


def whole(n) -> str:
    """1,200; 'n/a' when missing."""
    if n is None or n is pd.NA or (isinstance(n, float) and n != n):
        return "n/a"
    return f"{int(n):,}"


# -- pace ----------------------------------------------------------------------------
def campaign_end_instant(campaign_end: dt.date) -> dt.datetime:
    """Midnight after the campaign's last day, UK time (the window is inclusive)."""
    return dt.datetime.combine(campaign_end + dt.timedelta(days=1), dt.time(0), tzinfo=UK)


def pace(current: dict, targets: dict, now: dt.datetime, campaign_end: dt.date) -> pd.DataFrame:
    """Progress towards each target and the pace needed per week (rules in the docstring).

    `current` is the coalition figures (or a whole summary). One row per target, in
    contract figure order. `state` is "met", "open" or "ended" (campaign over, not met).
    """
    figures = current.get("coalition", current) if isinstance(current, dict) else {}
    left = campaign_end_instant(campaign_end) - clock.parse_instant(now)
    left_s = max(left.total_seconds(), 0.0)
    weeks_left = left_s / WEEK.total_seconds()
    days_left = left_s / 86400
    rows = []
    for figure in FIGURES:
        if figure not in (targets or {}):
            continue
        target = int(targets[figure])
        value = _whole(figures.get(figure, 0), f"coalition {figure}")
        remaining = max(target - value, 0)
        progress = 1.0 if target == 0 else value / target
        if remaining == 0:
            state, per_week = "met", 0
            note = "target met"
        elif weeks_left <= 0:
            state, per_week = "ended", None
            note = f"campaign ended {whole(remaining)} short"
        else:
            state = "open"
            per_week = math.ceil(remaining / weeks_left)
            if days_left < 7:
                days = math.ceil(days_left)
                note = f"{whole(remaining)} more in the last {days} day{'s' if days != 1 else ''}"
            else:
                note = f"{whole(per_week)} a week for {weeks_left:.1f} weeks"
        rows.append((figure, FIGURE_LABELS[figure], target, value, remaining, progress,
                     round(days_left, 2), round(weeks_left, 2), per_week, state, note))
    frame = pd.DataFrame(rows, columns=_PACE_COLUMNS)
    frame["per_week"] = pd.array(frame["per_week"].tolist(), dtype="Int64")
    for col in ("target", "current", "remaining"):
        frame[col] = frame[col].astype("Int64")
    frame["progress"] = frame["progress"].astype(float)
    return frame


# -- the command ---------------------------------------------------------------------
def _status_line(charities: list[dict]) -> str:
    counts: dict[str, int] = {}
    for c in charities:
        counts[c.get("status", "ok")] = counts.get(c.get("status", "ok"), 0) + 1
    return ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "none"


SHORT_LABELS = {
    "attendees_registered": "registered", "attendees_attended": "attended",
    "meetings": "meetings", "mp_meetings": "MP mtgs", "mps_met": "MPs met",
    "pledges": "pledges", "media_mentions": "media", "media_reach": "reach",
}


def history_table(snapshots: list[dict]) -> str:
    """The human table `history` prints: one line per snapshot, oldest first."""
    rows = []
    for s in snapshots:
        row = {"taken (UK time)": f"{uk_time(s['at']):%Y-%m-%d %H:%M}"}
        for f in FIGURES:
            v = (s.get("coalition") or {}).get(f)
            row[SHORT_LABELS[f]] = whole(v)
        row["sources"] = _status_line(s.get("charities") or [])
        rows.append(row)
    return pd.DataFrame(rows).to_string(index=False)
