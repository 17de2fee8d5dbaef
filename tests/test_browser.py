"""The app served by `streamlit run`, opened in headless Chromium (Debian's), Overview rendered."""
import os

import pytest

from dashboard.config import load_config
from dashboard.pipeline import load_coalition
from dashboard.summary import build_summary
from tests.browser import chromium, needs_chromium, start_app, stop_app
from tests.conftest import ROOT

pytestmark = needs_chromium


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


# -- a trustee's link, used as a person uses it ---------------------------------------

def _serve(cwd, env, log_path):
    return start_app(env, log_path, cwd)


@pytest.fixture
def trustee_link(tmp_path, links_config):
    """The demo served in links mode, and a trustee link minted for it: (server, token)."""
    import datetime as dt

    from dashboard.access import links
    from dashboard.store import Store

    link = links.mint_link(Store(links_config.storage_url), links_config, "trustee", dt.timedelta(days=1))
    proc, url = _serve(ROOT, dict(os.environ), tmp_path / "streamlit.log")
    yield url, link.token
    stop_app(proc)


def _settled(page):
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle", timeout=60_000)


def test_a_trustee_link_survives_every_page_and_reload(trustee_link):
    """Opened once, the link keeps working through every page of the sidebar and a reload
    of each (the address keeps its token), and every page stays the trustee's: no table
    holds a row, and no count of 1 to 4 young people is shown."""
    import re as _re

    from dashboard.access import roles

    url, token = trustee_link
    coalition = load_coalition(load_config())
    refs = set(coalition.frame("attendees")["ref"].dropna())
    headlines = set(coalition.frame("media")["headline"].dropna())
    pages = {s.key: s.title for s in roles.SURFACES if s.kind == "page" and "trustee" in s.roles}
    titles = list(pages.values())
    seen = {}
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/?token={token}", wait_until="domcontentloaded", timeout=60_000)
        page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
        for key, title in pages.items():
            page.locator('[data-testid="stSidebarNav"]').get_by_role(
                "link", name=title).click()
            path = "/" if key == "overview" else f"/{key}"
            page.wait_for_url(_re.compile(_re.escape(url + path) + r"(\?.*)?$"), timeout=60_000)
            _settled(page)
            page.locator("h1").first.wait_for(timeout=60_000)
            heading = page.locator("h1").first.inner_text()
            address = page.url
            page.reload(wait_until="domcontentloaded")
            page.locator("h1").first.wait_for(timeout=60_000)
            _settled(page)
            assert "shared by link" not in page.locator('[data-testid="stMain"]').inner_text(), \
                f"{title}: the link stopped working on a reload of {page.url}"
            seen[title] = {
                "heading": (heading, page.locator("h1").first.inner_text()),
                "address": address,
                "nav": " ".join(page.locator('[data-testid="stSidebarNav"]').all_inner_texts()),
                "viewing": " ".join(page.get_by_text("Viewing as:").all_inner_texts()),
                "text": page.locator('[data-testid="stMain"]').inner_text(),
                "tables": page.locator('[data-testid="stDataFrame"]').count(),
            }
        # A bookmark opened later in a new tab (a new session): still the trustee's.
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.goto(seen[titles[1]]["address"], wait_until="domcontentloaded", timeout=60_000)
        tab.get_by_text("Viewing as:").wait_for(timeout=60_000)
        _settled(tab)
        new_tab = tab.get_by_text("Viewing as:").inner_text()
    assert set(seen) == set(titles)
    assert new_tab == "Viewing as: trustee"
    for title, got in seen.items():
        assert f"token={token}" in got["address"], f"{title}: the address lost the link"
        assert got["viewing"] == "Viewing as: trustee", title
        assert "Data quality" not in got["nav"], title
        assert "shared by link" not in got["text"], f"{title}: the link stopped working"
        assert got["heading"][0] == got["heading"][1], f"{title}: another page after a reload"
        assert not any(ref in got["text"] for ref in refs), f"{title}: a young person's ref"
        assert not any(h in got["text"] for h in headlines), f"{title}: a row of media"
        # A metric's value on its own line: young people's counts of 1-4 never appear as such.
        for label in ("Young people registered", "Young people attended"):
            for value in _re.findall(label + r"\n([^\n]+)", got["text"]):
                assert value not in {"1", "2", "3", "4"}, (title, label, value)


def _table_toolbar_labels(page) -> list[str]:
    """The buttons of the first table's own toolbar (shown when the pointer is over it)."""
    holder = page.locator('[data-testid="stElementContainer"]'
                          ':has([data-testid="stDataFrame"]:visible)').first
    holder.wait_for(timeout=60_000)
    holder.hover()
    buttons = holder.locator('[data-testid="stElementToolbarButton"] button')
    buttons.first.wait_for(timeout=30_000)
    return [buttons.nth(i).get_attribute("aria-label") or buttons.nth(i).inner_text()
            for i in range(buttons.count())]


def test_tables_offer_no_download_of_their_own(server):
    """Streamlit's table toolbar would offer "Download as CSV" of what it shows, formulas
    live; .streamlit/config.toml turns data export off, so the toolbar has none."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server, wait_until="domcontentloaded", timeout=60_000)
        page.get_by_role("heading", name="Overview").wait_for(timeout=60_000)
        _settled(page)
        labels = _table_toolbar_labels(page)
    assert labels, "the table's toolbar did not show (the test would prove nothing)"
    assert not [label for label in labels if "download" in label.lower()], labels
