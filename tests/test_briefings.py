"""Briefings that print: one self-contained HTML file, one A4 page per MP."""
from __future__ import annotations

import re

import pytest

from dashboard.reports import briefings
from dashboard.official import mp_map
from dashboard.config import load_config
from dashboard.pipeline import load_coalition
from tests.browser import CHROMIUM, chromium


@pytest.fixture(scope="module")
def demo():
    coalition = load_coalition(load_config())
    return coalition, mp_map.seat_engagement(coalition, "2019")


def _busiest_seats(coalition, engagement, n):
    """The seats with the most meetings (the fullest pages)."""
    meetings = coalition.frame("mp_meetings")
    per_seat = {code: int(meetings["mp_id"].isin(ids).sum())
                for code, ids in zip(engagement["ons_code"], engagement["mp_ids"])}
    return sorted(per_seat, key=per_seat.get, reverse=True)[:n]


def _most_local_authorities(engagement, n):
    from dashboard.official import parliament as parl
    later = parl.load_constituencies("2024").set_index("name")["la_codes"]
    count = engagement["name"].map(lambda s: len(str(later.get(s, "")).split("/")) if s in later.index else 0)
    return engagement.loc[count.sort_values(ascending=False).index[:n], "ons_code"].tolist()


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_briefings_open_offline_and_print_one_a4_page_per_mp(demo, tmp_path):
    coalition, engagement = demo
    codes = (_busiest_seats(coalition, engagement, 3) + _most_local_authorities(engagement, 2)
             + mp_map.seat_codes(engagement, ("not_met",), region="London")[:2])
    codes = list(dict.fromkeys(codes))
    path = tmp_path / "briefings.html"
    path.write_text(briefings.briefings_html(coalition, engagement, codes, "2019",
                                             title="Test briefings"), encoding="utf-8")
    blocked = []

    def only_local(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with chromium() as browser:
        page = browser.new_page()
        page.route("**/*", only_local)
        page.goto(path.as_uri(), wait_until="load")
        headings = page.locator("section.mp h1").all_inner_texts()
        pdf = page.pdf(format="A4")
    assert blocked == []
    assert len(headings) == len(codes)
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert pages == len(codes), (pages, len(codes))


def test_a_briefing_says_who_met_the_mp_whether_they_pledged_and_the_local_figures(demo):
    coalition, engagement = demo
    seat = engagement[engagement["state"] == "met_pledged"].iloc[0]
    page = briefings.briefing_page(coalition, engagement, seat["ons_code"], "2019")
    met, pledged = briefings.briefing_rows(coalition, engagement, seat["ons_code"])
    assert len(met) and len(pledged)
    for charity in set(met["charity"]):
        assert briefings.escape_text(charity) in page
    assert "Pledged: signed" in page
    not_met = engagement[engagement["state"] == "not_met"].iloc[0]
    other = briefings.briefing_page(coalition, engagement, not_met["ons_code"], "2019")
    assert "Not met yet" in other and "Not pledged yet" in other
    # notes and follow-ups never leave the lead's view
    meetings = coalition.frame("mp_meetings")
    theirs = meetings[meetings["mp_id"].isin(seat["mp_ids"])]
    free_text = theirs["notes"].dropna().tolist() + theirs["follow_up"].dropna().tolist()
    assert free_text                          # (the demo writes notes on these meetings)
    for text in free_text:
        assert text not in page and briefings.escape_text(text) not in page


def test_local_authority_figures_come_with_their_source_line(demo):
    _, engagement = demo
    seat = engagement[engagement["name"] == "Barking"].iloc[0].to_dict()
    table, source, note = briefings.local_authority_figures(seat, "2019")
    assert list(table["la_name"]) == ["Barking and Dagenham"]
    assert table["children_looked_after"].iloc[0] > 0
    assert source.startswith("Source:") and "release" in source
    assert "2024 seat" in note


def test_trustee_briefings_never_show_fewer_than_five_young_people(demo):
    coalition, engagement = demo
    meetings = coalition.frame("mp_meetings")
    small = meetings[meetings["is_mp"] & meetings["young_people_present"].between(1, 4)]
    code = next(c for c, ids in zip(engagement["ons_code"], engagement["mp_ids"])
                if set(ids) & set(small["mp_id"]))
    lead = briefings.briefing_page(coalition, engagement, code, "2019")
    trustee = briefings.briefing_page(coalition, engagement, code, "2019", trustee=True)
    cells = lambda page: re.findall(r'<td class="num">([^<]*)</td></tr>', page)  # noqa: E731
    assert any(re.fullmatch(r"[1-4]", c) for c in cells(lead))     # a lead sees the count
    shown = cells(trustee)
    assert shown and all(not re.fullmatch(r"[1-4]", c) for c in shown)
    assert "&lt;5" in shown


def test_sheet_text_in_a_briefing_is_escaped(demo, monkeypatch):
    coalition, engagement = demo
    seat = engagement[engagement["state"] == "met_pledged"].iloc[0]
    meetings = coalition.frame("mp_meetings")
    hostile = meetings.assign(charity="<script>alert(1)</script>",
                              meeting_type="<img src=x onerror=alert(1)>")
    monkeypatch.setattr(coalition, "frame",
                        lambda key: hostile if key == "mp_meetings" else type(coalition).frame(coalition, key))
    page = briefings.briefings_html(coalition, engagement, [seat["ons_code"]], "2019",
                                    title="<b>title</b>")
    assert "<script>" not in page and "<img" not in page and "<b>title" not in page
