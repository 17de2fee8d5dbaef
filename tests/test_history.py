"""History: snapshots, baseline, changes, pace, the `history` command, and the store
underneath (restart, concurrent writers) on SQLite and, when DASHBOARD_TEST_PG_URL is
set (scripts/ci_postgres.sh), on PostgreSQL.

Hand-worked data: tests/fixtures.py.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from dashboard import clock, history
from dashboard.cli import main as cli_main
from dashboard.contract import FIGURES
from dashboard.figures import COALITION
from dashboard.history import (baseline, changes, history_frame, pace, record_snapshot, signed,
                               snapshot_from_summary)
from dashboard.store import Store
from tests.fixtures import (BST, CHANGE, COALITION_FIGS, CORAM, CORAM_NAME, NOW, SECRET_NOTE,
                            SECRET_REF, WEEK1, WEEK2, figures, forget_engine, make_summary, snap,
                            write_config)

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


# -- snapshots -----------------------------------------------------------------------
def test_snapshot_keeps_figures_and_statuses_only():
    s = snapshot_from_summary(make_summary(2, coram_status="stale", coram_errors=2))
    assert set(s) == {"coalition", "charities"}
    assert s["coalition"] == figures(COALITION_FIGS[2])
    assert [c["name"] for c in s["charities"]] == ["Become", CORAM_NAME]
    coram = s["charities"][1]
    assert set(coram) == {"name", "status", "as_of", "errors", "warnings", *FIGURES}
    assert (coram["status"], coram["errors"], coram["as_of"]) == ("stale", 2, WEEK1.isoformat())
    text = json.dumps(s)
    assert SECRET_REF not in text and SECRET_NOTE not in text and "issues" not in text


def test_snapshot_refuses_a_summary_without_all_figures():
    bad = make_summary(1)
    del bad["charities"][0]["pledges"]
    with pytest.raises(ValueError, match="Become lacks the figure"):
        snapshot_from_summary(bad)
    bad = make_summary(1)
    bad["coalition"]["meetings"] = "lots"
    with pytest.raises(ValueError, match="whole number"):
        snapshot_from_summary(bad)


def test_two_snapshots_a_week_apart_give_history_and_changes(store_url):
    store = Store(store_url)
    first = record_snapshot(store, make_summary(1), WEEK1)
    second = record_snapshot(store, make_summary(2), WEEK2)
    snaps = store.snapshots()
    assert [s["id"] for s in snaps] == [first, second]
    assert [clock.parse_instant(s["at"]) for s in snaps] == [WEEK1, WEEK2]

    frame = history_frame(snaps)
    assert list(frame.columns) == ["at", "charity", "figure", "value"]
    assert len(frame) == 2 * 3 * len(FIGURES)
    assert frame["at"].is_monotonic_increasing

    def value(week, name, figure):
        when = WEEK1 if week == 1 else WEEK2
        hit = frame[(frame["at"] == pd.Timestamp(when)) & (frame["charity"] == name)
                    & (frame["figure"] == figure)]
        assert len(hit) == 1
        return int(hit["value"].iloc[0])

    assert value(1, COALITION, "attendees_registered") == 15
    assert value(2, COALITION, "attendees_registered") == 215
    assert value(2, "Become", "media_reach") == 251200
    assert value(1, CORAM_NAME, "pledges") == 1

    base = baseline(snaps, NOW)
    assert base["id"] == first
    delta = changes(make_summary(2), base)
    coalition = delta[delta["charity"] == COALITION].set_index("figure")
    for figure in FIGURES:
        assert coalition.loc[figure, "change"] == CHANGE[figure], figure
        assert coalition.loc[figure, "now"] - coalition.loc[figure, "then"] == CHANGE[figure]
    assert [signed(coalition.loc[f, "change"]) for f in FIGURES] == \
        ["+200", "-3", "0", "0", "0", "+2", "+2", "+250,000"]
    become = delta[delta["charity"] == "Become"].set_index("figure")
    assert (become.loc["attendees_registered", "then"], become.loc["attendees_registered", "now"]) == (10, 210)
    assert become.loc["attendees_attended", "change"] == -3
    coram = delta[delta["charity"] == CORAM_NAME]
    assert (coram["change"] == 0).all() and len(coram) == len(FIGURES)


def test_changes_without_a_baseline_or_for_an_unreadable_source():
    none = changes(make_summary(2), None)
    assert none["then"].isna().all() and none["change"].isna().all()
    assert none.loc[none["charity"] == COALITION, "now"].tolist() == COALITION_FIGS[2]

    errored = changes(make_summary(2, coram_status="error"), snap(WEEK1))
    coram = errored[errored["charity"] == CORAM_NAME]
    assert coram["now"].isna().all() and coram["change"].isna().all()
    assert coram["then"].tolist() == CORAM[1]

    # a charity added since the baseline has no 'then'
    base = snap(WEEK1)
    base["charities"] = base["charities"][:1]
    added = changes(make_summary(2), base)
    assert added.loc[added["charity"] == CORAM_NAME, "then"].isna().all()


def test_signed():
    assert signed(200) == "+200"
    assert signed(-3) == "-3"
    assert signed(0) == "0"
    assert signed(1250000) == "+1,250,000"
    assert signed(-1200) == "-1,200"
    assert signed(None) == "n/a" and signed(pd.NA) == "n/a"


# -- baseline ------------------------------------------------------------------------
def _ago(days: float, **kw) -> dict:
    return snap(NOW - dt.timedelta(days=days), **kw)


def test_baseline_is_the_snapshot_nearest_a_week_ago():
    six, nine, today = _ago(6, sid="six"), _ago(9, sid="nine"), _ago(0.1, sid="today")
    assert baseline([today, nine, six], NOW)["id"] == "six"          # 1 day off beats 2
    assert baseline([today, _ago(7.5, sid="a"), _ago(6.2, sid="b")], NOW)["id"] == "a"


def test_baseline_tie_goes_to_the_earlier_snapshot():
    assert baseline([_ago(6, sid="six"), _ago(8, sid="eight")], NOW)["id"] == "eight"
    assert baseline([_ago(8, sid="eight"), _ago(6, sid="six")], NOW)["id"] == "eight"


def test_baseline_needs_a_snapshot_at_least_half_a_week_old():
    assert baseline([], NOW) is None
    assert baseline([_ago(0.5), _ago(3.4)], NOW) is None
    assert baseline([_ago(3.5, sid="half")], NOW)["id"] == "half"
    # a gap in the history: the newest snapshot older than a week is used
    assert baseline([_ago(20, sid="old"), _ago(30), _ago(1)], NOW)["id"] == "old"


def test_baseline_ignores_snapshots_after_now_and_reads_offsets():
    future = snap(NOW + dt.timedelta(days=1), sid="future")
    assert baseline([future], NOW) is None
    # 08:00 UTC is 09:00 BST: exactly a week before 09:00 BST a week later; naive = UTC
    exact = snap("2022-06-16T08:00:00+00:00", sid="exact")
    naive = snap("2022-06-16T06:00:00", sid="naive")
    assert baseline([naive, exact], dt.datetime(2022, 6, 23, 9, 0, tzinfo=BST))["id"] == "exact"


def test_baseline_with_a_last_meeting_date():
    meeting = dt.date(2022, 6, 16)
    snaps = [snap("2022-06-15T18:00:00+01:00", sid="before"),
             snap("2022-06-16T17:00:00+01:00", sid="meeting day"),
             snap("2022-06-16T23:30:00+00:00", sid="next day in the UK"),   # 00:30 BST on the 17th
             snap("2022-06-22T10:00:00+01:00", sid="yesterday")]
    assert baseline(snaps, NOW, meeting)["id"] == "meeting day"
    assert baseline(snaps, NOW, dt.date(2022, 6, 15))["id"] == "before"
    assert baseline(snaps, NOW, dt.date(2022, 6, 1)) is None
    # same time twice: the one stored last
    twins = [snap(WEEK1, sid="first"), snap(WEEK1, sid="second")]
    assert baseline(twins, NOW, meeting)["id"] == "second"


# -- pace ----------------------------------------------------------------------------
def test_pace_needed_per_week():
    # 09:00 BST 23 June to midnight after 22 July (UK) = 29 days 15 hours = 4.232 weeks
    targets = {"mps_met": 150, "pledges": 100, "attendees_attended": 5, "media_mentions": 0}
    frame = pace(make_summary(2)["coalition"], targets, WEEK2, dt.date(2022, 7, 22)).set_index("figure")
    assert list(frame.index) == ["attendees_attended", "mps_met", "pledges", "media_mentions"]
    assert frame.loc["mps_met", "remaining"] == 146
    assert frame.loc["mps_met", "per_week"] == 35          # 146 / 4.232 = 34.5 -> 35
    assert frame.loc["pledges", "per_week"] == 23          # 95 / 4.232 = 22.4 -> 23
    assert frame.loc["pledges", "progress"] == pytest.approx(0.05)
    assert frame.loc["mps_met", "weeks_left"] == pytest.approx(4.23, abs=0.01)
    assert frame.loc["attendees_attended", "state"] == "met"
    assert frame.loc["attendees_attended", "per_week"] == 0
    assert frame.loc["media_mentions", "state"] == "met"
    assert frame.loc["media_mentions", "progress"] == 1.0
    assert frame.loc["mps_met", "state"] == "open"


def test_pace_in_the_last_days_and_after_the_end():
    current = make_summary(2)["coalition"]
    end = dt.date(2022, 7, 22)
    last_days = pace(current, {"mps_met": 150}, dt.datetime(2022, 7, 20, 9, 0, tzinfo=BST), end)
    assert last_days.loc[0, "note"] == "146 more in the last 3 days"      # 2 days 15 hours
    assert last_days.loc[0, "per_week"] == 390                           # 146 / (2.625 / 7)
    over = pace(current, {"mps_met": 150, "attendees_attended": 5},
                dt.datetime(2022, 7, 23, 0, 0, tzinfo=BST), end).set_index("figure")
    assert over.loc["mps_met", "state"] == "ended"
    assert pd.isna(over.loc["mps_met", "per_week"])
    assert over.loc["mps_met", "note"] == "campaign ended 146 short"
    assert over.loc["attendees_attended", "state"] == "met"
    assert over.loc["mps_met", "weeks_left"] == 0
    assert pace(current, {}, NOW, end).empty


# -- history tables ------------------------------------------------------------------
def test_daily_and_weekly_points():
    snaps = [snap("2022-06-09T10:00:00+01:00", 1, "a"), snap("2022-06-16T08:00:00+01:00", 1, "b"),
             snap("2022-06-16T20:00:00+01:00", 2, "c"), snap("2022-06-23T09:00:00+01:00", 2, "d")]
    frame = history_frame(snaps)
    day = history.daily(frame)
    assert sorted({t.strftime("%d %H") for t in day["at"]}) == ["09 10", "16 20", "23 09"]
    week = history.weekly(frame, NOW)
    # now (23rd 09:30) -> d; 16th 09:30 -> b; 9th 09:30 -> none at or before? a is 10:00 -> stop
    assert sorted({t.strftime("%d %H") for t in week["at"]}) == ["16 08", "23 09"]
    grid = history.wide(week, "attendees_registered")
    assert list(grid.columns) == [COALITION, "Become", CORAM_NAME]
    assert grid[COALITION].tolist() == [15, 215]


def test_last_of_each_day_in_uk_time():
    snaps = [snap("2022-06-15T08:00:00+01:00", sid="15 morning"),
             snap("2022-06-15T22:00:00+00:00", sid="15 at 23:00 BST"),
             snap("2022-06-15T23:30:00+00:00", sid="00:30 BST on the 16th"),
             snap("2022-06-16T12:00:00+01:00", sid="16 noon"),
             snap("2022-06-16T12:00:00+01:00", sid="16 noon, stored later")]
    kept = [s["id"] for s in history.last_of_each_day(snaps)]
    assert kept == ["15 at 23:00 BST", "16 noon, stored later"]
    assert history.last_of_each_day([]) == []


# -- the store underneath ------------------------------------------------------------
def test_same_snapshot_written_twice_is_one_row(store_url):
    store = Store(store_url)
    a = record_snapshot(store, make_summary(1), WEEK1)
    b = record_snapshot(store, make_summary(1), WEEK1)          # a retried refresh
    assert a == b
    c = store.add_snapshot(WEEK2, snapshot_from_summary(make_summary(2)), "fixed-id")
    d = store.add_snapshot(WEEK2, snapshot_from_summary(make_summary(2)), "fixed-id")
    assert c == d == "fixed-id"
    assert [s["id"] for s in store.snapshots()] == [a, "fixed-id"]
    # different figures at the same time are a different snapshot
    assert record_snapshot(store, make_summary(2), WEEK1) != a
    assert len(store.snapshots()) == 3


def test_store_survives_a_restart(store_url, tmp_path):
    store = Store(store_url)
    first = record_snapshot(store, make_summary(1), WEEK1)
    second = record_snapshot(store, make_summary(2), WEEK2)
    forget_engine(store_url)                         # a new engine on the same database
    reopened = Store(store_url)
    assert reopened.engine is not store.engine
    snaps = reopened.snapshots()
    assert [s["id"] for s in snaps] == [first, second]
    assert snaps[1]["coalition"] == figures(COALITION_FIGS[2])

    # and a new process: `python -m dashboard history --json`
    config = write_config(tmp_path / "coalition.toml", store_url)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DASHBOARD_STORAGE_URL", None)
    run = subprocess.run([PYTHON, "-m", "dashboard", "history", "--config", str(config), "--json"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert [s["id"] for s in out["snapshots"]] == [first, second]
    assert [s["coalition"]["attendees_registered"] for s in out["snapshots"]] == [15, 215]
    assert out["snapshots"][0]["charities"][1]["name"] == CORAM_NAME


def test_concurrent_threads_each_write_once(store_url):
    Store(store_url)                                  # tables exist before the race
    threads_n, per_thread = 8, 5
    barrier = threading.Barrier(threads_n)
    written: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    payload = snapshot_from_summary(make_summary(1))

    def writer(n):
        try:
            store = Store(store_url)
            barrier.wait()
            ids = [store.add_snapshot(WEEK1 + dt.timedelta(minutes=n * per_thread + i), payload,
                                      f"t{n}-{i}") for i in range(per_thread)]
            ids.append(store.add_snapshot(WEEK2, payload, "shared"))   # every thread, same id
            with lock:
                written.extend(ids)
        except BaseException as err:  # noqa: BLE001 - reported below
            with lock:
                errors.append(err)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    ids = [s["id"] for s in Store(store_url).snapshots()]
    expected = {f"t{n}-{i}" for n in range(threads_n) for i in range(per_thread)} | {"shared"}
    assert len(ids) == len(set(ids)) == len(expected)
    assert set(ids) == expected
    assert written.count("shared") == threads_n


WRITER = """
import datetime as dt, sys, time
sys.path.insert(0, {root!r})
from dashboard.store import Store
url, n, count, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
store = Store(url)
while time.time() < start:
    time.sleep(0.005)
at = dt.datetime(2022, 6, 16, 9, 0, tzinfo=dt.timezone.utc)
payload = {{"coalition": {{"meetings": n}}, "charities": []}}
for i in range(count):
    store.add_snapshot(at + dt.timedelta(minutes=i), payload, f"p{{n}}-{{i}}")
store.add_snapshot(at, payload, "shared")
print("ok")
"""


def test_concurrent_processes_each_write_once(store_url):
    import time
    Store(store_url)
    procs_n, count = 4, 10
    start = time.time() + 3
    script = WRITER.format(root=str(ROOT))
    procs = [subprocess.Popen([PYTHON, "-c", script, store_url, str(n), str(count), str(start)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in range(procs_n)]
    results = [p.communicate(timeout=180) for p in procs]
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0 and out.strip() == "ok", err
    forget_engine(store_url)
    ids = [s["id"] for s in Store(store_url).snapshots()]
    expected = {f"p{n}-{i}" for n in range(procs_n) for i in range(count)} | {"shared"}
    assert len(ids) == len(set(ids)) == len(expected)
    assert set(ids) == expected


# -- the command ---------------------------------------------------------------------
def test_history_command_json_and_table(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DASHBOARD_STORAGE_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    config = write_config(tmp_path / "coalition.toml", url)
    try:
        assert cli_main(["history", "--config", str(config), "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == {"snapshots": []}
        assert cli_main(["history", "--config", str(config)]) == 0
        assert "No snapshots yet" in capsys.readouterr().out

        store = Store(url)
        record_snapshot(store, make_summary(2, coram_status="stale"), WEEK2)   # stored out of order
        record_snapshot(store, make_summary(1), WEEK1)
        assert cli_main(["history", "--config", str(config), "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert [s["at"] for s in out["snapshots"]] == [WEEK1.isoformat(), WEEK2.isoformat()]
        assert out["snapshots"][1]["coalition"] == figures(COALITION_FIGS[2])
        assert set(out["snapshots"][0]) == {"id", "at", "coalition", "charities"}

        assert cli_main(["history", "--config", str(config)]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].startswith("2 snapshots of #ItsOurCare Day of Action")
        assert lines[2].split()[:4] == ["2022-06-16", "09:00", "15", "8"]
        assert "251,200" in lines[3] and "1 ok, 1 stale" in lines[3]
    finally:
        forget_engine(url)


def test_history_command_reports_an_unreachable_store(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DASHBOARD_STORAGE_URL", raising=False)
    url = "postgresql+psycopg://someone:s3cret-pw@127.0.0.1:1/nowhere?connect_timeout=2"
    config = write_config(tmp_path / "coalition.toml", url)
    assert cli_main(["history", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("store error: the store at postgresql+psycopg://someone:***@127.0.0.1:1/")
    assert "s3cret-pw" not in err and len(err.strip().splitlines()) == 1
    forget_engine(url)


def test_history_command_bad_config_exits_2(tmp_path, capsys):
    assert cli_main(["history", "--config", str(tmp_path / "missing.toml")]) == 2
    assert "does not exist" in capsys.readouterr().err
