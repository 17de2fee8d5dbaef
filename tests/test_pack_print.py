"""The meeting pack as chairs print it: without trends, at most two A4 pages (Chromium's
own PDF), with this week's new MPs met and media highlights for coalition and lead packs;
a pack without highlights (figures only) names no MP and no headline."""
from __future__ import annotations

import re

import pytest

from dashboard import clock
from dashboard.config import load_config
from dashboard.reports.pack import PackData, build_html, highlights_for, sheet_text
from dashboard.pipeline import refresh
from dashboard.store import Store
from tests.browser import CHROMIUM, chromium


def _demo_pack(monkeypatch, now: str | None):
    if now:
        monkeypatch.setenv("DASHBOARD_NOW", now)
    config = load_config()
    store = Store(config.storage_url)
    coalition, summary = refresh(config, store)
    snapshots = store.snapshots()
    at = clock.now()
    return (PackData(summary, snapshots, config, at,
                     highlights=highlights_for(coalition, snapshots, config, at)),
            PackData(summary, snapshots, config, at))


def _pdf_pages(page_html: str) -> int:
    with chromium() as browser:
        page = browser.new_page()
        page.set_content(page_html)
        page.emulate_media(media="print")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
@pytest.mark.parametrize("now", [None, "2022-06-23T09:00:00+01:00"],
                         ids=["the demo's week", "the Day of Action's week"])
def test_pack_without_trends_prints_on_two_a4_pages(monkeypatch, now):
    with_names, figures_only = _demo_pack(monkeypatch, now)
    pages = _pdf_pages(build_html(with_names, trends=False))
    assert 1 <= pages <= 2, f"{pages} A4 pages"
    # and the trends, when asked for, start on a page of their own after those
    assert _pdf_pages(build_html(with_names)) > pages


def test_team_pack_has_this_weeks_new_mps_and_media_figures_only_pack_has_none(monkeypatch):
    with_names, figures_only = _demo_pack(monkeypatch, "2022-06-23T09:00:00+01:00")
    h = with_names.highlights
    assert h.new_mps_total > len(h.new_mps) > 0 and h.media_total >= len(h.media) > 0
    assert list(h.media["reach"]) == sorted(h.media["reach"], reverse=True)
    page = build_html(with_names, trends=False)
    assert "New MPs met" in page and "Media highlights" in page
    assert all(sheet_text(headline) in page for headline in h.media["headline"])
    for name in h.new_mps["name"].head(3):
        assert re.sub(r"[^\w ]", "", name)[:6] in re.sub(r"&#\d+;", "", page)
    plain = build_html(figures_only, trends=False)
    assert "This week" not in plain and "Media highlights" not in plain
    for headline in h.media["headline"]:
        assert sheet_text(headline) not in plain and headline not in plain
