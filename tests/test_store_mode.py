"""App servers that only read the store: a `refresh` timer is the one reader of the sources."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import dashboard.pipeline as pipeline
from benchmarks.generate import generate
from dashboard.config import load_config
from dashboard.pipeline import load_coalition_from_store
from dashboard.pipeline import refresh
from dashboard.store import Store
from dashboard.summary import build_summary
from tests import messy_coalition as messy
from tests.conftest import ROOT
from tests.fixtures import STORE_KINDS, make_store_url

TINY = dict(charities=3, attendees=30, meetings=10, pledges=5, media=8)


def test_store_only_coalition_matches_the_refresh(tmp_path):
    config = load_config(generate(tmp_path / "c", **TINY))
    store = Store(config.storage_url)
    _, refreshed = refresh(config, store)
    summary = build_summary(load_coalition_from_store(config, store, extra_checks=None))
    assert summary["coalition"] == refreshed["coalition"]
    assert [c["status"] for c in summary["charities"]] == ["ok"] * 3
    assert [c["as_of"] for c in summary["charities"]] == [c["as_of"] for c in refreshed["charities"]]


def test_never_refreshed_is_an_error_and_old_reads_are_stale(tmp_path, monkeypatch):
    config = load_config(generate(tmp_path / "c", **TINY))
    store = Store(config.storage_url)
    coalition = load_coalition_from_store(config, store)
    assert {c.status for c in coalition.charities} == {"error"}
    assert all(c.issues[0].severity == "error" for c in coalition.charities)

    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-20T09:00:00+01:00")
    refresh(config, store)
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-21T09:00:00+01:00")
    coalition = load_coalition_from_store(config, store, stale_after=dt.timedelta(hours=1))
    assert {c.status for c in coalition.charities} == {"stale"}
    assert all(c.issues[0].code == "stale" for c in coalition.charities)


@pytest.mark.parametrize("kept", [False, True], ids=["reads-only", "validation-kept"])
def test_app_in_store_mode_reads_no_source(tmp_path, monkeypatch, kept):
    """The app in store mode shows the refresh's figures without reading a source; when the
    refresh kept what validating gave (the timer's command does), without checking a row."""
    config_path = generate(tmp_path / "c", **TINY)
    config = load_config(config_path)
    _, refreshed = refresh(config, Store(config.storage_url), keep_validation=kept)

    def no_reads(*args, **kwargs):
        raise AssertionError("the app read a source in store mode")

    def no_validation(*args, **kwargs):
        raise AssertionError("the app validated a read the refresh had validated")

    monkeypatch.setattr(pipeline, "read_source", no_reads)
    if kept:
        monkeypatch.setattr(pipeline, "_validated", no_validation)
    monkeypatch.setenv("DASHBOARD_CONFIG", str(config_path))
    monkeypatch.setenv("DASHBOARD_APP_READS", "store")
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        shown = {m.label: m.value for m in at.metric}
        assert shown["Young people attended"] == f"{refreshed['coalition']['attendees_attended']:,}"
    finally:
        st.cache_resource.clear()


# -- what validating each read gave, stored by the refresh ------------------------------------

def _same_charity_results(got, want):
    assert [c.name for c in got.charities] == [c.name for c in want.charities]
    for a, b in zip(got.charities, want.charities):
        assert (a.status, a.as_of, a.edit_url) == (b.status, b.as_of, b.edit_url)
        assert a.issues == b.issues
        assert a.frames.keys() == b.frames.keys()
        for key in a.frames:
            pd.testing.assert_frame_equal(a.frames[key], b.frames[key], check_exact=True)
            # Untyped columns keep None for a blank, as validation leaves them.
            for column in a.frames[key].columns[a.frames[key].dtypes == object]:
                assert [type(v) for v in a.frames[key][column]] == \
                    [type(v) for v in b.frames[key][column]], (a.name, key, column)


def _validating_counter(monkeypatch) -> list:
    calls = []
    real = pipeline._validated

    def counted(*args, **kwargs):
        calls.append(args[1].name)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_validated", counted)
    return calls


@pytest.mark.parametrize("which", ["demo", "messy"])
def test_stored_validation_is_what_validating_the_read_again_gives(tmp_path, monkeypatch, which):
    """Loaded from the store as the refresh stored it, every charity's typed frames (dtypes,
    None for blanks) and issues are exactly those of validating its last good read again,
    and no charity is validated."""
    if which == "demo":
        config = load_config(ROOT / "dashboard" / "demo_data" / "coalition.toml")
        assert str(tmp_path) in config.storage_url          # (conftest: not the demo's store)
    else:
        config = load_config(messy.build(tmp_path))
    store = Store(config.storage_url)
    refresh(config, store, keep_validation=True)
    calls = _validating_counter(monkeypatch)
    stored = load_coalition_from_store(config, store)
    assert calls == []
    monkeypatch.setattr(pipeline, "validation_fingerprint", lambda *a: None)   # no stored use
    again = load_coalition_from_store(config, store)
    assert len(calls) == sum(c.status != "error" for c in again.charities) >= 6
    _same_charity_results(stored, again)
    assert build_summary(stored) == build_summary(again)


def test_stored_validation_is_ignored_when_the_window_or_checks_change(tmp_path, monkeypatch):
    config = load_config(generate(tmp_path / "c", **TINY))
    store = Store(config.storage_url)
    refresh(config, store, keep_validation=True)
    calls = _validating_counter(monkeypatch)
    load_coalition_from_store(config, store)
    assert calls == []

    # No extra checks: the stored result has the constituency checks' issues in it.
    plain = load_coalition_from_store(config, store, extra_checks=())
    assert len(calls) == 3
    assert not any(i.code == "unknown_constituency" for i in plain.issues)

    # Another campaign window: outside_window warnings differ.
    load_coalition_from_store(dataclasses.replace(config, end=config.start), store)
    assert len(calls) == 6


def test_stored_validation_is_ignored_after_the_code_changes(tmp_path, monkeypatch):
    config = load_config(generate(tmp_path / "c", **TINY))
    store = Store(config.storage_url)
    refresh(config, store, keep_validation=True)
    calls = _validating_counter(monkeypatch)
    monkeypatch.setattr(pipeline, "_code_digest", lambda: "another version of the code")
    load_coalition_from_store(config, store)
    assert len(calls) == 3


def test_code_digest_covers_validation_code_and_reference_tables(tmp_path):
    """Any change to the connectors, the dashboard's modules or a reference table gives
    another digest; compiled caches and other folders do not count."""
    files = {"connectors/local.py": "A = 1\n", "dashboard/validate.py": "B = 1\n",
             "dashboard/reference/seats.csv": "key,name\n", "pages/overview.py": "C = 1\n",
             "dashboard/__pycache__/validate.cpython-311.pyc": "x"}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    def digest() -> str:
        pipeline._code_digest.cache_clear()
        return pipeline._code_digest(tmp_path)

    first = digest()
    assert len(first) == 64 and first == digest()
    for name in ("pages/overview.py", "dashboard/__pycache__/validate.cpython-311.pyc"):
        (tmp_path / name).write_text("changed")
        assert digest() == first, name
    seen = {first}
    for name in ("connectors/local.py", "dashboard/validate.py", "dashboard/reference/seats.csv"):
        (tmp_path / name).write_text("changed " + name)
        seen.add(digest())
    assert len(seen) == 4
    pipeline._code_digest.cache_clear()
    assert pipeline._code_digest() == pipeline._code_digest(pipeline.CHECKOUT)


def test_code_digest_covers_modules_in_sub_packages(tmp_path):
    """A module moved into a sub-package of dashboard/ or connectors/ still counts."""
    for name in ("dashboard/validate.py", "dashboard/official/placements.py",
                 "connectors/google/sheets.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("A = 1\n")

    def digest() -> str:
        pipeline._code_digest.cache_clear()
        return pipeline._code_digest(tmp_path)

    try:
        before = digest()
        for name in ("dashboard/official/placements.py", "connectors/google/sheets.py"):
            (tmp_path / name).write_text("A = 2  # " + name + "\n")
            after = digest()
            assert after != before, f"{name} is not in the code digest"
            before = after
    finally:
        pipeline._code_digest.cache_clear()


def test_a_new_read_replaces_the_stored_validation(tmp_path, monkeypatch):
    """The stored result always belongs to the stored read: a refresh whose read could not
    be validated into Arrow (or any later read) never leaves an older result in use."""
    config = load_config(generate(tmp_path / "c", **TINY))
    store = Store(config.storage_url)
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-20T09:00:00+01:00")
    refresh(config, store, keep_validation=True)
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-21T09:00:00+01:00")
    import dashboard.store as store_module
    monkeypatch.setattr(store_module, "frames_to_arrow", lambda frames: None)
    refresh(config, store, keep_validation=True)
    calls = _validating_counter(monkeypatch)
    coalition = load_coalition_from_store(config, store)
    assert len(calls) == 3                 # nothing stored for the new reads: validated again
    assert {c.as_of.day for c in coalition.charities} == {21}


def test_the_refresh_command_stores_validation_and_the_app_in_sources_mode_does_not(
        tmp_path, monkeypatch):
    """The timer's `python -m dashboard refresh` keeps what validating gave; an app that reads
    the sources itself (refresh() as the app calls it) does not pay for storing it."""
    from dashboard.cli import main

    config_path = generate(tmp_path / "c", **TINY)
    config = load_config(config_path)
    store = Store(config.storage_url)
    refresh(config, store)                       # as the app in sources mode calls it
    calls = _validating_counter(monkeypatch)
    load_coalition_from_store(config, store)
    assert len(calls) == 3

    assert main(["refresh", "--config", str(config_path)]) == 0
    calls.clear()
    load_coalition_from_store(config, store)
    assert calls == []


def test_a_stale_charity_is_served_from_its_stored_validation(tmp_path, monkeypatch):
    """A source that cannot be read is served from its last good read, stored validation
    included: the same frames and issues, with the stale note first."""
    config = load_config(generate(tmp_path / "c", **TINY))
    store = Store(config.storage_url)
    first, _ = refresh(config, store, keep_validation=True)
    from connectors.base import SourceUnreadable

    def unreadable(*args, **kwargs):
        raise SourceUnreadable("the sheet is gone")

    monkeypatch.setattr(pipeline, "read_source", unreadable)
    calls = _validating_counter(monkeypatch)
    again = pipeline.load_coalition(config, store=store)
    assert calls == []
    assert {c.status for c in again.charities} == {"stale"}
    for a, b in zip(again.charities, first.charities):
        assert a.issues[0].code == "stale" and a.issues[1:] == b.issues
        assert a.as_of == b.as_of
        for key in a.frames:
            pd.testing.assert_frame_equal(a.frames[key], b.frames[key])


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_stored_validation_round_trips_through_the_database(tmp_path, monkeypatch, kind):
    """The same on PostgreSQL (bytea for the frames) as on SQLite, when CI provides one."""
    url, cleanup = make_store_url(kind, tmp_path)
    try:
        monkeypatch.setenv("DASHBOARD_STORAGE_URL", url)
        config = load_config(generate(tmp_path / "c", **TINY))
        assert config.storage_url == url
        store = Store(url)
        refresh(config, store, keep_validation=True)
        calls = _validating_counter(monkeypatch)
        stored = load_coalition_from_store(config, store)
        assert calls == []
        monkeypatch.setattr(pipeline, "validation_fingerprint", lambda *a: None)
        _same_charity_results(stored, load_coalition_from_store(config, store))
    finally:
        cleanup()
