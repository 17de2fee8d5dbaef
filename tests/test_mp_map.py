"""The campaign on a hex map: the shipped hex layouts, and a map that shades exactly the
MPs the summary counts."""
from __future__ import annotations

import filecmp
import subprocess
import sys

import pandas as pd
import pytest

from dashboard.official import mp_map
from dashboard.official import parliament as parl
from dashboard.config import load_config
from dashboard.figures import mps_met_ids, pledged_mp_ids
from dashboard.pipeline import load_coalition
from dashboard.official.reference_tables import REFERENCE_DIR
from dashboard.summary import build_summary
from tests import messy_coalition as messy
from tests.conftest import ROOT, SHARED


@pytest.fixture(scope="module")
def demo():
    return load_coalition(load_config())


@pytest.fixture
def messy_coalition(tmp_path):
    return load_coalition(load_config(messy.build(tmp_path)))


# -- the shipped layouts ----------------------------------------------------------------

@pytest.mark.parametrize("parliament", parl.PARLIAMENTS)
def test_every_seat_of_each_parliament_has_one_hexagon_joined_by_ons_code(parliament):
    seats = parl.load_constituencies(parliament)
    hexes = mp_map.load_hexes(parliament)
    assert len(seats) == len(hexes) == 650
    joined = seats.merge(hexes, on="ons_code", how="inner", validate="one_to_one")
    assert len(joined) == 650
    assert not hexes[["q", "r"]].duplicated().any()          # no two seats on one hexagon
    assert (hexes["source"].str.startswith("https://github.com/open-innovations/")).all()
    assert len(mp_map.seat_layout(parliament)) == 650


def test_regenerating_the_hex_tables_from_shared_gives_the_shipped_files(tmp_path):
    if not (SHARED / "data" / "parliament").is_dir():
        pytest.skip(f"{SHARED / 'data' / 'parliament'} is absent: the official copies live "
                    "outside the project; the shipped tables are tested above without them")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_reference_tables.py"),
                    "--shared", str(SHARED), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    for name in ("constituency_hexes.csv", "constituencies.csv"):
        assert filecmp.cmp(tmp_path / name, REFERENCE_DIR / name, shallow=False), name


# -- the figures' MPs ---------------------------------------------------------------------

def _check_ids_are_the_counted_ones(coalition):
    meetings, pledges = coalition.frame("mp_meetings"), coalition.frame("pledges")
    counted = build_summary(coalition)["coalition"]
    assert len(mps_met_ids(meetings)) == counted["mps_met"]
    assert len(pledged_mp_ids(meetings, pledges)) == counted["pledges"]


def test_the_map_ids_are_the_mps_the_summary_counts_on_the_demo(demo):
    _check_ids_are_the_counted_ones(demo)


def test_the_map_ids_are_the_mps_the_summary_counts_on_the_messy_coalition(messy_coalition):
    _check_ids_are_the_counted_ones(messy_coalition)


# -- the map ------------------------------------------------------------------------------

def _check_shading(coalition, parliament):
    meetings, pledges = coalition.frame("mp_meetings"), coalition.frame("pledges")
    met, pledged = mps_met_ids(meetings), pledged_mp_ids(meetings, pledges)
    engagement = mp_map.seat_engagement(coalition, parliament)
    fig = mp_map.hex_figure(engagement)
    shaded = mp_map.shaded_seats(fig)
    # every seat drawn once, in one state
    assert sum(len(s) for s in shaded.values()) == 650
    assert set().union(*shaded.values()) == set(parl.load_constituencies(parliament)["ons_code"])

    def seats(ids):
        return {parl.resolve_id(i, parliament)["ons_code"] for i in ids
                if parl.resolve_id(i, parliament) is not None}

    met_seats, pledged_seats = seats(met), seats(pledged)
    assert shaded["met_pledged"] | shaded["met"] == met_seats
    assert shaded["met_pledged"] | shaded["pledged"] == pledged_seats
    assert shaded["met_pledged"] == met_seats & pledged_seats
    # Every counted MP is on the map or listed as not placed, never lost.
    not_placed = {m["mp_id"] for m in engagement.attrs["not_placed"]}
    placed = {i for i in met | pledged if parl.resolve_id(i, parliament) is not None}
    assert placed | not_placed == met | pledged and not placed & not_placed
    return engagement, shaded


def test_a_hex_map_of_all_650_seats_on_the_demo_shades_exactly_the_counted_mps(demo):
    engagement, shaded = _check_shading(demo, "2019")
    assert shaded["met_pledged"] and shaded["met"] and shaded["pledged"]
    counted = build_summary(demo)["coalition"]
    # The demo names every MP by a seat of the parliament: every counted MP is placed.
    assert not engagement.attrs["not_placed"]
    assert len(shaded["met_pledged"] | shaded["met"]) <= counted["mps_met"]


def test_the_messy_coalition_is_shaded_as_its_summary_counts(messy_coalition):
    engagement, shaded = _check_shading(messy_coalition, "2019")
    # The messy sheets have MPs known only by a name no seat's MP has: listed, not placed.
    assert engagement.attrs["not_placed"]


def test_filters_keep_the_shading_and_grey_out_the_rest(demo):
    engagement = mp_map.seat_engagement(demo, "2019")
    fig = mp_map.hex_figure(engagement, region="London")
    shaded = mp_map.shaded_seats(fig)
    london = set(engagement.loc[engagement["region"] == "London", "ons_code"])
    assert set().union(*shaded.values()) == london
    for state, codes in shaded.items():
        assert codes == set(engagement.loc[(engagement["region"] == "London")
                                           & (engagement["state"] == state), "ons_code"])
    counts = mp_map.state_counts(engagement, region="London").set_index("state")["seats"]
    assert counts["All seats shown"] == len(london)


def test_one_charitys_map_shows_its_own_meetings_and_pledges(demo):
    engagement = mp_map.seat_engagement(demo, "2019")
    charity = demo.config.charities[0].name
    meetings = demo.frame("mp_meetings")
    own = meetings[(meetings["charity"] == charity) & meetings["is_mp"]]
    own_seats = {parl.resolve_id(i, "2019")["ons_code"] for i in set(own["mp_id"])}
    states = mp_map.states_for(engagement, charity)
    met_states = set(engagement.loc[states.isin(["met", "met_pledged"]), "ons_code"])
    assert met_states == own_seats and own_seats


def test_sheet_text_in_the_hover_is_escaped(demo):
    engagement = mp_map.seat_engagement(demo, "2019")
    row = engagement.iloc[0].to_dict()
    row.update(met_by="<script>x</script>", pledge="<img src=x>")
    text = mp_map._hover(row)
    assert "<script>" not in text and "<img" not in text and "&lt;script&gt;" in text


# -- the meeting pack ----------------------------------------------------------------------

def test_the_pack_holds_the_map_inline_with_its_numbers_and_fetches_nothing(demo):
    from dashboard.contract import FIGURES
    from dashboard.reports.pack import build_pack
    from tests.fixtures import NOW, WEEK1, Tags, config, make_summary, stored

    engagement = mp_map.seat_engagement(demo, "2019")
    snaps = [stored(1, WEEK1, "wk1")]
    page, _ = build_pack(make_summary(2), snaps, config(), NOW, engagement=engagement)
    without, _ = build_pack(make_summary(2), snaps, config(), NOW)
    assert 'id="mp-map"' in page and 'id="mp-map"' not in without
    # plotly.js once, the map and every trend chart drawn from it
    assert page.count("* plotly.js v") == 1
    assert page.count("Plotly.newPlot(") == len(FIGURES) + 1
    parser = Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        for key in ("src", "href", "data", "action"):
            assert not attrs.get(key, "").lower().startswith(("http:", "https:", "//")), (tag, attrs)
    counts = mp_map.state_counts(engagement).set_index("state")["seats"]
    for words in mp_map.STATE_LABELS.values():
        assert f'<th scope="row">{words}</th><td class="num">{counts[words]:,}</td>' in page


# -- coverage over time ----------------------------------------------------------------------

def test_weekly_coverage_grows_to_the_map_and_counts_seats_by_their_first_date(demo):
    import datetime as dt

    engagement = mp_map.seat_engagement(demo, "2019")
    start, end = demo.config.start, demo.config.end
    weekly = mp_map.weekly_coverage(engagement, start, end, dt.datetime(2030, 1, 1))
    weeks = sorted(weekly["week_ending"].unique())
    assert weeks[0] == start + dt.timedelta(days=6) and weeks[-1] == end
    totals = weekly.groupby("week_ending")[["met", "pledged"]].sum()
    assert totals["met"].is_monotonic_increasing and totals["pledged"].is_monotonic_increasing
    last = weekly[weekly["week_ending"] == end].set_index("region")
    by_region = engagement.groupby("region")[["met", "pledged"]].sum()
    assert (last["met"] == by_region["met"]).all() and (last["pledged"] == by_region["pledged"]).all()
    first = weekly[weekly["week_ending"] == weeks[0]]
    early = engagement["met"] & (engagement["first_met"] <= pd.Timestamp(weeks[0]))
    assert first["met"].sum() == early.sum() < totals["met"].iloc[-1]
    # mid-campaign: the weeks stop at today
    mid = mp_map.weekly_coverage(engagement, start, end, dt.datetime(2022, 6, 10, tzinfo=dt.timezone.utc))
    assert max(mid["week_ending"]) == dt.date(2022, 6, 10)


def test_the_2024_layout_draws_every_seat_and_places_only_2024_seats(demo):
    # The demo's campaign is in the 2019-24 parliament: on the 2024 map its MPs are placed
    # only where the seat (by name) and MP still match, the rest are listed as not placed.
    engagement, shaded = _check_shading(demo, "2024")
    assert set().union(*shaded.values()) == set(parl.load_constituencies("2024")["ons_code"])


def test_a_coalition_with_no_pledge_is_mapped():
    """With no pledge (or no dated one) the first-pledged dates map through an empty Series
    of dates, which pandas refused (TypeError on the meeting page and the pack)."""
    from dashboard.config import load_config
    from dashboard.pipeline import load_coalition

    coalition = load_coalition(load_config())
    for charity in coalition.charities:
        charity.frames["pledges"] = charity.frames["pledges"].iloc[0:0]
        frame = charity.frames["mp_meetings"]
        charity.frames["mp_meetings"] = frame.assign(pledge_signed=False)
    engagement = mp_map.seat_engagement(coalition, "2019")
    assert len(engagement) == 650
    assert engagement["first_pledged"].isna().all()
    assert str(engagement["first_pledged"].dtype).startswith("datetime64")
