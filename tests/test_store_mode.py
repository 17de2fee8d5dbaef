"""App servers that only read the store: a `refresh` timer is the one reader of the sources."""
from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit.testing.v1 import AppTest

import dashboard.pipeline as pipeline
from benchmarks.generate import generate
from dashboard.config import load_config
from dashboard.pipeline import load_coalition_from_store
from dashboard.refresh import refresh
from dashboard.store import Store
from dashboard.summary import build_summary
from tests.conftest import ROOT

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


def test_app_in_store_mode_reads_no_source(tmp_path, monkeypatch):
    config_path = generate(tmp_path / "c", **TINY)
    config = load_config(config_path)
    _, refreshed = refresh(config, Store(config.storage_url))

    def no_reads(*args, **kwargs):
        raise AssertionError("the app read a source in store mode")

    monkeypatch.setattr(pipeline, "read_source", no_reads)
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
