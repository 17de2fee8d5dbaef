"""Live mode (`[live]` in the config): open pages update themselves, every viewer sharing
one read. Served by `streamlit run`, watched in headless Chromium (Debian's)."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import time
import tomllib

import openpyxl
import pytest

from dashboard.config import DEMO_DIR, load_config
from dashboard.pipeline import load_coalition
from dashboard.summary import build_summary
from tests.browser import CHROMIUM, chromium, start_app

pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="Debian's chromium is not installed (.ci/run installs it)")
EVERY_S = 10
LABEL = "Young people registered"


def _live_coalition(tmp_path):
    folder = tmp_path / "coalition"
    shutil.copytree(DEMO_DIR, folder)
    config = folder / "coalition.toml"
    # The demo's clock stands at its [demo] now (dashboard/clock.py): live around that day.
    today = tomllib.loads(config.read_text())["demo"]["now"].date()
    config.write_text(config.read_text() + (
        f'\n[live]\nstart = {today - dt.timedelta(days=1)}\nend = {today + dt.timedelta(days=1)}\n'
        f'every = "{EVERY_S}s"\n'))
    return config


def _serve(tmp_path, config):
    env = {**os.environ, "DASHBOARD_STORAGE_URL": f"sqlite:///{tmp_path / 'state.sqlite'}",
           "DASHBOARD_CONFIG": str(config)}
    log = tmp_path / "streamlit.log"
    proc, url = start_app(env, log)
    return proc, url, log


def _registered(config) -> int:
    return build_summary(load_coalition(load_config(config)))["coalition"]["attendees_registered"]


def _add_attendees(xlsx, count: int) -> None:
    book = openpyxl.load_workbook(xlsx)
    sheet = book["Attendees"]
    for n in range(count):
        sheet.append([f"BEC-LIVE-{n:02d}", "attended", "18-21", "London", "rally", "yes", "22/06/2022"])
    book.save(xlsx)


def test_live_overview_updates_itself_and_viewers_share_one_read(tmp_path):
    config = _live_coalition(tmp_path)
    before = _registered(config)
    proc, url, log = _serve(tmp_path, config)
    started = time.monotonic()
    try:
        with chromium() as browser:
            viewers = [browser.new_page() for _ in range(3)]
            values = []
            for page in viewers:
                page.goto(url, wait_until="domcontentloaded", timeout=60_000)
                metric = page.locator('[data-testid="stMetric"]').filter(has_text=LABEL)
                metric.first.wait_for(timeout=60_000)
                values.append(metric.first.locator('[data-testid="stMetricValue"]'))
            assert [v.inner_text() for v in values] == [f"{before:,}"] * 3

            _add_attendees(config.parent / "become.xlsx", 4)
            after = _registered(config)
            assert after == before + 4
            # No click, no reload: each page's fragment reruns itself.
            deadline = time.monotonic() + 6 * EVERY_S
            while time.monotonic() < deadline:
                shown = [v.inner_text() for v in values]
                if shown == [f"{after:,}"] * 3:
                    break
                time.sleep(1)
            exceptions = sum(page.locator('[data-testid="stException"]').count()
                             for page in viewers)
    finally:
        elapsed = time.monotonic() - started
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert shown == [f"{after:,}"] * 3, log.read_text(errors="replace")[-2000:]
    assert exceptions == 0
    # One shared read per interval at most, however many viewers: three viewers each
    # reading on their own would make about three times as many.
    reads = len(re.findall(r"source read charity='Become'", log.read_text(errors="replace")))
    assert 2 <= reads <= elapsed / EVERY_S + 2, (reads, elapsed)


def test_presentation_mode_updates_itself_on_a_live_day(tmp_path):
    config = _live_coalition(tmp_path)
    before = _registered(config)
    proc, url, log = _serve(tmp_path, config)
    try:
        with chromium() as browser:
            page = browser.new_page()
            page.goto(f"{url}/meeting", wait_until="domcontentloaded", timeout=60_000)
            page.get_by_role("heading", name="Weekly meeting").wait_for(timeout=60_000)
            page.get_by_text("Presentation mode").click()           # the projector's view
            metric = page.locator('[data-testid="stMetric"]').filter(has_text=LABEL).first
            value = metric.locator('[data-testid="stMetricValue"]')
            page.get_by_role("heading", name="Targets", exact=True).wait_for(timeout=60_000)
            assert value.inner_text(timeout=30_000) == f"{before:,}"
            _add_attendees(config.parent / "become.xlsx", 2)
            after = _registered(config)
            deadline = time.monotonic() + 6 * EVERY_S
            while time.monotonic() < deadline and value.inner_text() != f"{after:,}":
                time.sleep(1)
            shown = value.inner_text()
            still_presenting = page.get_by_role("heading", name="Targets", exact=True).count()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert after == before + 2
    assert shown == f"{after:,}", log.read_text(errors="replace")[-2000:]
    assert still_presenting == 1
