"""The map on the app's pages (AppTest): the coverage page for the team, the MPs page for
trustees, who never get a young-people count under five."""
from __future__ import annotations

import json

from dashboard.official import mp_map
from dashboard.pipeline import load_coalition
from tests.app_helpers import _mint, _run, _visible_text


def _map_charts(at):
    return [c for c in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
            if c["layout"].get("title", {}).get("text") == "Every seat: met and pledged"]


def _marked(chart) -> int:
    return sum(len(t.get("customdata") or []) for t in chart["data"] if t.get("mode") == "markers")


def test_coverage_page_shows_all_650_seats_with_their_numbers(app, links_config):  # noqa: F811
    at = _run(app(_mint(links_config, "coalition").token))
    at.switch_page("pages/coverage.py")
    _run(at)
    [chart] = _map_charts(at)
    assert _marked(chart) == 650
    numbers = next(f.value for f in at.dataframe if "state" in f.value.columns)
    expected = mp_map.state_counts(mp_map.seat_engagement(load_coalition(links_config), "2019"))
    assert numbers.to_dict("records") == expected.to_dict("records")
    assert any(b.label.startswith("Download the briefings") for b in at.get("download_button"))
    # the region filter redraws the map with only that region's seats marked
    next(s for s in at.selectbox if s.label == "Region of the seat").select("London")
    _run(at)
    [chart] = _map_charts(at)
    assert _marked(chart) == 73          # London's seats in the 2019-24 parliament


def test_trustees_see_the_map_on_the_mps_page_without_small_counts_or_notes(app, links_config):  # noqa: F811
    at = _run(app(_mint(links_config, "trustee").token))
    at.switch_page("pages/mps.py")
    _run(at)
    [chart] = _map_charts(at)
    assert _marked(chart) == 650
    text = _visible_text(at) + json.dumps(chart)
    coalition = load_coalition(links_config)
    for note in coalition.frame("mp_meetings")["notes"].dropna().unique()[:20]:
        assert note not in text
    assert "young people present" not in text.lower()


def test_mps_counted_but_not_placed_are_listed_beside_the_map(app, tmp_path, monkeypatch):  # noqa: F811
    from dashboard.config import load_config
    from tests import messy_coalition as messy

    config_path = messy.build(tmp_path)
    monkeypatch.setenv("DASHBOARD_CONFIG", str(config_path))
    engagement = mp_map.seat_engagement(load_coalition(load_config(config_path)), "2019")
    at = _run(app())
    at.switch_page("pages/coverage.py")
    _run(at)
    unplaced = next(f.value for f in at.dataframe if "Name as written" in
                    json.loads(f.proto.columns or "{}").get("name", {}).get("label", ""))
    assert sorted(unplaced["name"]) == sorted(m["name"] for m in engagement.attrs["not_placed"])
    [chart] = _map_charts(at)
    assert _marked(chart) == 650
