"""The MP coverage page's hex map in a real browser: drawn, and a click on a hexagon opens
that MP's briefing card. The docs' screenshot is made by the same function
(scripts/screenshot_map.py)."""
from __future__ import annotations

import importlib.util

import pytest

from dashboard.official import mp_map
from dashboard.config import load_config
from dashboard.pipeline import load_coalition
from tests.conftest import ROOT
from tests.browser import CHROMIUM, chromium

pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="Debian's chromium is not installed (.ci/run installs it)")


def _screenshot_script():
    spec = importlib.util.spec_from_file_location("screenshot_map", ROOT / "scripts" / "screenshot_map.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_map_is_drawn_and_a_click_on_a_hexagon_opens_the_briefing_card(server, tmp_path):
    shots = _screenshot_script()
    engagement = mp_map.seat_engagement(load_coalition(load_config()), "2019")
    met_and_pledged = set(engagement.loc[engagement["state"] == "met_pledged", "name"])
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1300, "height": 1100})
        picture = shots.shoot(page, server, tmp_path / "map.png")
        chart = page.locator(shots.MAP_SELECTOR).first
        # one marker per seat (the markers carry hover and selection)
        markers = chart.locator(".scatterlayer path.point").count()
        # the first marker trace is "Met and pledged": click its first hexagon
        point = chart.locator(".scatterlayer path.point").first
        point.scroll_into_view_if_needed()
        box = point.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.get_by_text("The briefing card for the seat chosen on the map is below.").wait_for(
            timeout=60_000)
        page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
            timeout=60_000)
        page.locator('[data-testid="stText"]:has-text("MP: ")').first.wait_for(timeout=60_000)
        headings = {h.strip() for h in page.locator("h3").all_inner_texts()}
        exceptions = page.locator('[data-testid="stException"]').count()
    assert picture.stat().st_size > 10_000
    assert markers == 650
    # the card is headed by the seat clicked: one of the met-and-pledged seats
    assert len(headings & met_and_pledged) == 1
    assert exceptions == 0
