"""The demo tells the story on a fresh store: a month of synthetic daily snapshots on its
first run, and a clock inside its campaign. A real coalition's store is never seeded."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import clock
from dashboard.config import load_config
from dashboard.history import DEMO_HISTORY_DAYS, baseline, last_of_each_day, seed_demo_history
from dashboard.pipeline import refresh
from dashboard.store import Store
from tests.app_helpers import open_page
from tests.fixtures import real_copy_of_the_demo


def test_the_demo_clock_stands_inside_its_campaign(monkeypatch):
    config = load_config()
    assert config.demo and config.start <= clock.now().date() <= config.end
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-23T09:00:00+01:00")
    assert clock.now() == dt.datetime.fromisoformat("2022-06-23T09:00:00+01:00")


def test_first_refresh_of_the_demo_seeds_a_month_once():
    config = load_config()
    store = Store(config.storage_url)
    refresh(config, store)
    snaps = store.snapshots()
    days = last_of_each_day(snaps)
    assert len(days) == DEMO_HISTORY_DAYS + 1                  # a month of days, and today
    assert all(s.get("demo") for s in snaps[:-1]) and not snaps[-1].get("demo")
    now = clock.now()
    week_ago = baseline(snaps, now)
    assert week_ago is not None and week_ago.get("demo")
    # The demo's clock runs on from its `now` at the real pace (dashboard/clock.py): the
    # seed is a week before the moment it was written, a moment before this one.
    since = now - dt.datetime.fromisoformat(week_ago["at"])
    assert dt.timedelta(days=7) <= since < dt.timedelta(days=7, minutes=5)
    # every figure grows, and ends at today's reading
    for figure, value in snaps[-1]["coalition"].items():
        series = [s["coalition"][figure] for s in snaps]
        assert series == sorted(series) and series[-1] == value
        assert series[0] < value or value == 0
    refresh(config, store)                  # a second run seeds nothing: only its own reading
    assert seed_demo_history(config, store, {}) == 0
    again = store.snapshots()
    assert len(again) == len(snaps) + 1 and not again[-1].get("demo")


def test_a_real_coalition_is_never_seeded(tmp_path):
    config = load_config(real_copy_of_the_demo(tmp_path))
    assert not config.demo
    store = Store(config.storage_url)
    refresh(config, store)
    snaps = store.snapshots()
    assert len(snaps) == 1 and not snaps[0].get("demo")


def test_weekly_meeting_on_a_fresh_demo_shows_changes_trends_and_pace():
    at = open_page("pages/meeting.py")
    assert not [i for i in at.info if "no snapshot" in i.value]
    deltas = [m.delta for m in at.metric]
    assert deltas and all(d not in (None, "", "n/a") for d in deltas)
    assert any(d.startswith("+") for d in deltas)
    pace = at.dataframe[0].value
    assert not pace["Pace"].str.contains("ended").any()
    assert pace["Pace"].str.contains("a week").any()
    assert len(at.tabs) >= 8                                   # one trend per figure
    assert any("synthetic" in c.value for c in at.caption)
    st.cache_resource.clear()


def test_the_chair_picks_the_day_to_compare_with():
    at = open_page("pages/meeting.py")
    week = {m.label: m.delta for m in at.metric}
    assert at.header and "This week" in [h.value for h in at.header]
    at.date_input(key="meeting_compare_with").set_value(dt.date(2022, 6, 9)).run()
    assert not at.exception, [e.value for e in at.exception]
    month = {m.label: m.delta for m in at.metric}
    assert month.keys() == week.keys()
    # four weeks' growth is more than one week's, figure by figure (synthetic curves only grow)
    grew = [label for label in week if int(month[label].replace(",", "")) > int(week[label].replace(",", ""))]
    assert grew, (week, month)
    assert any("9 Jun" in c.value for c in at.caption)
    st.cache_resource.clear()


def test_each_charity_progress_towards_its_own_targets(tmp_path):
    from dashboard.config import ConfigError
    from dashboard.pipeline import load_coalition
    from dashboard.summary import build_summary
    from dashboard.views import charity_progress

    config = load_config()
    summary = build_summary(load_coalition(config))
    table = charity_progress(summary, config.charities)
    targeted = [c for c in config.charities if c.targets]
    assert len(table) == sum(len(c.targets) for c in targeted) > 0
    by_name = {c["name"]: c for c in summary["charities"]}
    for row in table.itertuples(index=False):
        assert row.now == by_name[row.charity][row.figure]
        assert row.progress == row.now / row.target
    bad = tmp_path / "bad.toml"
    bad.write_text('[campaign]\nstart = 2022-05-23\nend = 2022-07-22\n[[charity]]\nname = "A"\n'
                   'source = "a.xlsx"\ntargets = { mps = 3 }\n', encoding="utf-8")
    import pytest
    with pytest.raises(ConfigError, match="mps is not a figure"):
        load_config(bad)


def test_the_meeting_page_shows_each_charity_progress():
    at = open_page("pages/meeting.py")
    assert "Each charity's targets" in [h.value for h in at.header]
    table = next(f.value for f in at.dataframe if "Target" in f.value.columns and "Charity" in f.value.columns)
    assert set(table["Charity"]) == {c.name for c in load_config().charities if c.targets}
    st.cache_resource.clear()
