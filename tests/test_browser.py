"""The app served by `streamlit run`, opened in headless Chromium (Debian's), Overview rendered."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from dashboard.config import load_config
from dashboard.pipeline import load_coalition
from dashboard.summary import build_summary
from tests.browser import chromium, needs_chromium
from tests.conftest import ROOT

pytestmark = needs_chromium


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    env = {**os.environ, "DASHBOARD_STORAGE_URL": f"sqlite:///{tmp_path / 'state.sqlite'}"}
    env.pop("DASHBOARD_CONFIG", None)
    # The server's output goes to a file: a pipe nobody reads would stop the server once
    # its buffer filled, and the file is there to read when a test fails.
    log = tmp_path / "streamlit.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + log.read_text(errors="replace")[-2000:])
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_overview_renders_in_a_real_browser(server, tmp_path):
    expected = build_summary(load_coalition(load_config()))["coalition"]
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server, wait_until="domcontentloaded", timeout=60_000)
        page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
        page.locator('[data-testid="stMetric"]').first.wait_for(timeout=60_000)
        page.get_by_text("DEMO").first.wait_for(timeout=30_000)
        metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        shot = tmp_path / "overview.png"
        page.screenshot(path=str(shot), full_page=True)
        exceptions = page.locator('[data-testid="stException"]').count()
    assert shot.stat().st_size > 10_000
    assert exceptions == 0
    assert f"{expected['attendees_attended']:,}" in metrics
    assert f"{expected['mps_met']:,}" in metrics


def test_first_visit_to_a_page_url_goes_through_the_entry_script(server):
    """On a fresh server Streamlit would run pages/meeting.py on its own (its older
    multipage mode); the page gate sends it back through the entry script instead."""
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{server}/meeting", wait_until="domcontentloaded", timeout=60_000)
        page.get_by_role("heading", name="Weekly meeting").wait_for(timeout=60_000)
        page.get_by_text("DEMO").first.wait_for(timeout=30_000)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text(timeout=30_000)
    assert "Weekly meeting" in nav and "Data quality" in nav
    assert "streamlit app" not in nav.lower()      # the older mode's file-name menu


def test_issues_download_is_written_when_clicked(server, tmp_path):
    """Data quality's CSV is built only on a click (a callable), and the file is the
    issues the page shows (errors and warnings by default), formula-safe."""
    import csv
    issues = [i for i in load_coalition(load_config()).issues if i.severity in ("error", "warning")]
    with chromium() as browser:
        page = browser.new_page(accept_downloads=True)
        page.goto(f"{server}/quality", wait_until="domcontentloaded", timeout=60_000)
        page.get_by_role("heading", name="Data quality").wait_for(timeout=60_000)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
        page.wait_for_load_state("networkidle", timeout=60_000)
        # Clicked once the page's run has finished, as a person clicks a page that has
        # stopped loading (Streamlit marks its root with the script's state).
        page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
            timeout=60_000)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Download these issues (CSV)").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
    assert saved.name == "data-quality-issues.csv"
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    assert len(rows) == len(issues)
    assert {r["severity"] for r in rows} == {i.severity for i in issues}
    assert not [v for r in rows for v in r.values() if v[:1] in ("=", "+", "@")]
