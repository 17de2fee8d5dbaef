"""The weekly meeting pack: HTML (self-contained, escaped, figures only) and XLSX."""
from __future__ import annotations

import datetime as dt
import html
import io
import re
from pathlib import Path

import openpyxl
import pytest

from dashboard.cli import main as cli_main
from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.history import record_snapshot
from dashboard.reports.pack import build_pack, pack_filenames
from dashboard.store import Store
from tests.browser import chromium, needs_chromium
from tests.fixtures import (BECOME, CHANGE, COALITION_FIGS, CORAM, CORAM_NAME, NOW, SECRET_NOTE,
                            SECRET_REF, WEEK1, WEEK2, Tags, config, forget_engine, make_summary,
                            real_copy_of_the_demo, stored, write_config)


@pytest.fixture(scope="module")
def pack():
    summary = make_summary(2, coram_status="stale", coram_errors=2)
    snaps = [stored(1, WEEK1, "wk1")]
    return build_pack(summary, snaps, config(), NOW)


def _text(page: str) -> str:
    """The page without scripts and tags: what a reader sees."""
    page = re.sub(r"<script\b.*?</script>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


# -- HTML ----------------------------------------------------------------------------
def test_html_shows_the_figures_and_signed_week_on_week_changes(pack):
    page, _ = pack
    figures_section = re.search(r'<section id="figures".*?</section>', page, re.S).group(0)
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td class="num">(.*?)</td>'
                      r'<td class="num">(.*?)</td><td class="num [a-z]+">(.*?)</td></tr>', figures_section)
    assert rows == [
        ("Young people registered", "215", "15", "+200"),
        ("Young people attended", "5", "8", "-3"),
        ("Meetings", "5", "5", "0"),
        ("MP meetings", "4", "4", "0"),
        ("MPs met", "4", "4", "0"),
        ("Pledges signed", "5", "3", "+2"),
        ("Media mentions", "3", "1", "+2"),
        ("Media reach", "251,200", "1,200", "+250,000"),
    ]
    assert "Last week (16 Jun 2022)" in figures_section
    text = _text(page)
    assert "Weekly meeting pack, Thursday 23 June 2022" in text
    assert "Figures read Thu 23 Jun 2022, 09:00 (UK time)." in text
    assert "Changes are since the snapshot of Thu 16 Jun 2022, 09:00." in text


def test_html_progress_and_pace(pack):
    page, _ = pack
    targets = re.search(r'<section id="targets".*?</section>', page, re.S).group(0)
    text = " ".join(_text(targets).split())
    # 146 MPs still needed over 4.2 weeks left -> 35 a week; 95 pledges -> 23 a week
    assert "MPs met 4 150 3% 146 35 0 35 a week for 4.2 weeks" in text
    assert "Pledges signed 5 100 5% 95 23 +2 23 a week for 4.2 weeks" in text
    assert "Young people attended 5 5 100% 0 0 -3 target met" in text


def test_html_per_charity_changes_and_sources(pack):
    page, _ = pack
    charities = " ".join(_text(re.search(r'<section id="charities".*?</section>', page, re.S).group(0)).split())
    assert "Become 210 +200 3 -3 4 0 3 0 3 0 4 +2 3 +2 251,200 +250,000" in charities
    sources = " ".join(_text(re.search(r'<section id="sources".*?</section>', page, re.S).group(0)).split())
    assert "stale: could not be read now; last good read used" in sources
    assert "The sheet is not shared with the dashboard" in sources
    assert "Errors at MP meetings: row 7 (Date); Attendees: row 9 (Status)" in sources
    assert "Become" not in sources                      # read fine, no errors: not listed


def test_html_holds_no_refs_no_notes_and_escapes_names(pack):
    page, _ = pack
    assert SECRET_REF not in page
    assert SECRET_NOTE not in page
    assert "<script>alert(1)" not in page and "<Day>" not in page
    # shown exactly as typed, never as markup
    shown = _text(page)
    assert "Become 210 +200" in " ".join(shown.split())
    assert shown.count(CORAM_NAME) >= 3                    # by charity, sources, trend tables
    h1 = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert "<" not in h1 and html.unescape(h1) == "#ItsOurCare <Day> of Action"
    # in the chart data the name is HTML-escaped too (plotly renders <b>, <a> in trace names)
    charts = page.split("Plotly.newPlot(", 1)[1]
    assert '"name":"Coram &lt;script&gt;alert(1)&lt;' in charts


def test_html_is_self_contained(pack):
    page, _ = pack
    for needle in ('src="http', "src='http", "src=http", "url(http", "url('http", 'url("http', "@import"):
        assert needle not in page, needle
    parser = Tags()
    parser.feed(page)
    names = {tag for tag, _ in parser.tags}
    assert not names & {"link", "img", "iframe", "object", "embed", "video", "audio", "source", "base"}
    for tag, attrs in parser.tags:
        for key in ("src", "href", "data", "action", "poster", "srcset", "xlink:href", "formaction"):
            value = attrs.get(key, "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "ftp:")), (tag, key, value)
        assert not (tag == "script" and "src" in attrs), attrs
        assert "url(" not in attrs.get("style", ""), attrs
    assert parser.styles and not any("url(" in s or "@import" in s or "@font-face" in s
                                     for s in parser.styles)
    # plotly.js inlined exactly once, and every chart drawn from it
    assert page.count("* plotly.js v") == 1
    assert page.count("Plotly.newPlot(") == len(FIGURES)
    assert "cdn.plot.ly/plotly" not in _text(page)


def test_html_prints_with_sensible_page_breaks(pack):
    page, _ = pack
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "@media print" in style and "@page" in style
    printed = style.split("@media print", 1)[1]
    assert "page-break-inside: avoid" in printed and "break-inside: avoid" in printed
    assert "#trends.charts { page-break-before: always" in printed
    assert page.count('<figure class="chart"') == len(FIGURES)
    assert page.count("<section") == 5


def test_html_trend_tables_hold_the_weekly_readings(pack):
    page, _ = pack
    chart = re.search(r'<figure class="chart" aria-labelledby="h-attendees_registered">.*?</figure>',
                      page, re.S).group(0)
    table = chart[chart.index("<table"):]
    rows = [" ".join(_text(r).split()) for r in re.findall(r"<tr>.*?</tr>", table, re.S)]
    assert rows == ["Week to 16 Jun 2022 23 Jun 2022", "Coalition 15 215", "Become 10 210",
                    "Coram <script>alert(1)</script> & Co 5 5"]


def test_pack_without_history_says_so():
    page, workbook = build_pack(make_summary(2), [], config(), NOW)
    assert "No changes shown: no snapshot from about a week ago yet." in _text(page)
    assert "+200" not in _text(page)
    figures_section = re.search(r'<section id="figures".*?</section>', page, re.S).group(0)
    assert figures_section.count(">n/a<") == 2 * len(FIGURES)
    ws = openpyxl.load_workbook(io.BytesIO(workbook))["Figures"]
    assert ws["C1"].value == "Last week (no snapshot yet)"
    assert [ws.cell(r, 4).value for r in range(2, 10)] == [None] * 8
    # one day's readings make no trend: the pack says when trends start, and carries no
    # charts (nor plotly.js, 4 MB) for a single dot each
    trends = re.search(r'<section id="trends".*?</section>', page, re.S).group(0)
    assert "read on two different days" in _text(trends)
    assert "plotly" not in page.lower()


def test_pack_uses_the_last_meeting_date_when_configured():
    snaps = [stored(1, WEEK1, "wk1"), stored(1, WEEK1 + dt.timedelta(days=3), "later")]
    page, _ = build_pack(make_summary(2), snaps, config(last_meeting=dt.date(2022, 6, 16)), NOW)
    assert "Last meeting (16 Jun 2022)" in page
    page, _ = build_pack(make_summary(2), snaps, config(last_meeting=dt.date(2022, 6, 1)), NOW)
    assert "no snapshot from on or before the last meeting (Wednesday 1 June 2022) yet" in page


# -- XLSX ----------------------------------------------------------------------------
def test_xlsx_holds_the_same_numbers(pack):
    _, workbook = pack
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    assert wb.sheetnames[:4] == ["Figures", "Changes per charity", "History", "Sources status"]

    ws = wb["Figures"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Figure", "Now", "Last week (16 Jun 2022)", "Change"]
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [r[0] for r in body] == [FIGURE_LABELS[f] for f in FIGURES]
    assert [r[1] for r in body] == COALITION_FIGS[2]
    assert [r[2] for r in body] == COALITION_FIGS[1]
    assert [r[3] for r in body] == [CHANGE[f] for f in FIGURES]
    assert ws["D2"].number_format == "+#,##0;-#,##0;0"
    mps = body[FIGURES.index("mps_met")]
    assert mps[4:8] == [150, pytest.approx(4 / 150), 146, 35]

    ws = wb["Changes per charity"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    become = [r for r in rows if r[0] == "Become"]
    assert [r[3] for r in become] == BECOME[2] and [r[4] for r in become] == BECOME[1]
    assert [r[5] for r in become] == [n - t for n, t in zip(BECOME[2], BECOME[1])]
    coram = [r for r in rows if r[0] == CORAM_NAME]
    assert [r[1] for r in coram] == ["stale"] * 8 and [r[5] for r in coram] == [0] * 8

    ws = wb["History"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 3 * len(FIGURES)                  # the stored snapshot only
    assert rows[0] == [dt.datetime(2022, 6, 16, 9, 0), "Coalition", "Young people registered", 15]
    assert [r[3] for r in rows if r[1] == CORAM_NAME] == CORAM[1]

    ws = wb["Sources status"]
    rows = {r[0]: r for r in ([c.value for c in row] for row in ws.iter_rows(min_row=2))}
    assert rows["Become"][1:5] == ["ok", "Thu 23 Jun 2022, 09:00", 0, 1]
    assert rows[CORAM_NAME][1] == "stale" and rows[CORAM_NAME][3] == 2
    assert "MP meetings: row 7 (Date)" in rows[CORAM_NAME][5]

    every_cell = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row)
    assert SECRET_REF not in every_cell and SECRET_NOTE not in every_cell


def test_xlsx_never_turns_a_name_into_a_formula():
    name = '=HYPERLINK("http://x.example","click")'
    summary = make_summary(2, coram_name=name)
    _, workbook = build_pack(summary, [], config(), NOW)
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    every = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert not [c for c in every if c.data_type == "f"]
    named = [c for c in every if c.value == "'" + name]    # OWASP: a leading apostrophe
    assert len(named) == len(FIGURES) + 1                  # changes per charity + sources status
    assert all(c.data_type == "s" for c in named)


def test_pack_filenames_use_the_uk_date():
    late = dt.datetime(2022, 6, 22, 23, 30, tzinfo=dt.timezone.utc)     # 00:30 BST on the 23rd
    assert pack_filenames(late) == ("meeting-pack-2022-06-23.html", "meeting-pack-2022-06-23.xlsx")


# -- the command ---------------------------------------------------------------------
def test_pack_command_writes_two_files_and_no_history(store_url, tmp_path, monkeypatch, capsys):
    """cmd_pack reads the current figures (the demo, through the real pipeline), compares
    them with the stored baseline, writes both files under today's date and stores no
    snapshot."""
    from dashboard.config import load_config
    from dashboard.pipeline import load_coalition
    from dashboard.summary import build_summary

    monkeypatch.setenv("DASHBOARD_NOW", NOW.isoformat())
    monkeypatch.setenv("DASHBOARD_STORAGE_URL", store_url)
    config = load_config()
    current = build_summary(load_coalition(config))
    then = dict(current["coalition"], attendees_registered=current["coalition"]["attendees_registered"] - 200,
                attendees_attended=current["coalition"]["attendees_attended"] + 3)
    record_snapshot(Store(store_url), {**current, "coalition": then}, WEEK1)
    out = tmp_path / "packs" / "this week"
    assert cli_main(["pack", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.split("\n")
    assert printed[:2] == [str(out / "meeting-pack-2022-06-23.html"), str(out / "meeting-pack-2022-06-23.xlsx")]
    assert sorted(p.name for p in out.iterdir()) == ["meeting-pack-2022-06-23.html",
                                                      "meeting-pack-2022-06-23.xlsx"]
    page = (out / "meeting-pack-2022-06-23.html").read_text(encoding="utf-8")
    assert ">+200<" in page and ">-3<" in page
    assert f"{current['coalition']['attendees_registered']:,}" in page
    wb = openpyxl.load_workbook(out / "meeting-pack-2022-06-23.xlsx")
    assert wb["Figures"]["D2"].value == 200
    assert len(Store(store_url).snapshots()) == 1             # the pack wrote no history


def test_pack_command_refuses_an_unusable_out_dir(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DASHBOARD_STORAGE_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    cfg = write_config(tmp_path / "coalition.toml", url)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    try:
        assert cli_main(["pack", "--config", str(cfg), "--out", str(blocker / "sub")]) == 2
        assert capsys.readouterr().err.startswith("cannot create the folder")
    finally:
        forget_engine(url)


# -- the Meeting page (pages/meeting.py) ---------------------------------------------
def _fresh_app_caches():
    """app_data caches the config, the store and the loaded coalition per process."""
    from dashboard.app import app_data
    app_data._config.clear()
    app_data.get_store.clear()
    app_data.refresh_now()


@pytest.fixture
def meeting_page(monkeypatch):
    """The demo coalition read at 09:00 on 23 June 2022, with a snapshot a week earlier
    whose figures differ by hand-chosen amounts."""
    from streamlit.testing.v1 import AppTest

    from dashboard.config import load_config
    from dashboard.pipeline import load_coalition
    from dashboard.summary import build_summary

    monkeypatch.setenv("DASHBOARD_NOW", WEEK2.isoformat())
    config = load_config()
    current = build_summary(load_coalition(config))
    then = {f: current["coalition"][f] for f in FIGURES}
    then["attendees_registered"] -= 200
    then["attendees_attended"] += 3
    then["pledges"] -= 2
    week_ago = {**current, "coalition": then}
    store = Store(config.storage_url)
    record_snapshot(store, week_ago, WEEK1)
    _fresh_app_caches()
    page = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "meeting.py"),
                             default_timeout=120)
    yield page, current
    _fresh_app_caches()


def test_meeting_page_shows_changes_since_the_baseline(meeting_page):
    at, current = meeting_page
    at.run()
    assert not at.exception
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    expected_delta = {"attendees_registered": "+200", "attendees_attended": "-3", "pledges": "+2"}
    for figure in FIGURES:
        value, delta = metrics[FIGURE_LABELS[figure]]
        assert value == f"{current['coalition'][figure]:,}"
        assert delta == expected_delta.get(figure, "0"), figure
    assert any("Changes are since the snapshot of Thu 16 Jun 2022" in c.value.replace("\\", "")
               for c in at.caption)
    # a table for every trend chart, plus targets, by charity and sources
    assert len(at.tabs) == len(FIGURES)
    assert len(at.dataframe) >= len(FIGURES) + 2
    buttons = {b.key for b in at.get("download_button")}
    assert buttons == {"meeting-pack-html", "meeting-pack-xlsx"}


def test_meeting_page_presentation_mode_is_big_figures_only(meeting_page):
    at, _ = meeting_page
    at.run()
    at.toggle(key="meeting_presentation").set_value(True).run()
    assert not at.exception
    assert len(at.metric) == len(FIGURES)
    assert len(at.dataframe) == 0 and len(at.tabs) == 0
    assert len(at.get("plotly_chart")) == 0 and len(at.get("download_button")) == 0
    progress = [p.proto.text for p in at.get("progress")]
    assert len(progress) == 4                               # the demo's four targets
    assert any(t.startswith("MPs met:") and "a week" in t for t in progress)


# -- in a real browser (skipped without Debian's chromium; .ci/run installs it) ---------
@needs_chromium
def test_pack_opens_offline_draws_every_chart_and_prints(pack, tmp_path):
    page_html, _ = pack
    path = tmp_path / "meeting-pack.html"
    path.write_text(page_html, encoding="utf-8")
    outside, problems = [], []
    with chromium() as browser:
        page = browser.new_page()
        page.on("pageerror", lambda err: problems.append(str(err)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

        def only_the_file(route):
            if route.request.url.startswith("file:"):
                return route.continue_()
            outside.append(route.request.url)
            return route.abort()

        page.route("**/*", only_the_file)
        page.goto(path.as_uri())
        page.wait_for_function(
            "document.querySelectorAll('.plotly-graph-div .main-svg').length >= 8", timeout=30000)
        traces = page.evaluate("[...document.querySelectorAll('.plotly-graph-div')]"
                               ".map(d => d.data.length)")
        names = page.evaluate("document.getElementById('trend-pledges').data.map(t => t.name)")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True)
    assert outside == [] and problems == []
    assert traces == [3] * len(FIGURES)                  # coalition + two charities per chart
    assert names[0] == "Coalition" and html.unescape(names[2]) == CORAM_NAME
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 3


def test_many_snapshots_become_one_reading_a_day_plus_the_baseline():
    """Three readings a day for ten days (the app's loader stores one per cache expiry)."""
    snaps = []
    for day in range(13, 23):
        for hour, week in ((8, 1), (12, 1), (20, 1)):
            at = dt.datetime(2022, 6, day, hour, 0, tzinfo=WEEK1.tzinfo)
            snaps.append(stored(week, at, f"{day}-{hour}"))
    page, workbook = build_pack(make_summary(2), snaps, config(), NOW)
    # nearest to 16 June 09:30: 08:00 that day (1.5 h off) beats noon (2.5 h off)
    assert "Changes are since the snapshot of Thu 16 Jun 2022, 08:00." in _text(page)
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    times = sorted({row[0].value for row in wb["History"].iter_rows(min_row=2)})
    assert times == sorted([dt.datetime(2022, 6, d, 20, 0) for d in range(13, 23)]
                           + [dt.datetime(2022, 6, 16, 8, 0)])
    assert wb["History"].max_row == 1 + 11 * 3 * len(FIGURES)


def test_meeting_page_without_history_says_so(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    # A real coalition's first run (the demo's is seeded with a month of history).
    monkeypatch.setenv("DASHBOARD_CONFIG", str(real_copy_of_the_demo(tmp_path)))
    monkeypatch.setenv("DASHBOARD_NOW", WEEK2.isoformat())
    _fresh_app_caches()
    try:
        at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "meeting.py"),
                               default_timeout=120).run()
        assert not at.exception
        assert len(at.metric) == len(FIGURES) and all(not m.delta for m in at.metric)
        assert any("no snapshot to compare with yet" in i.value for i in at.info)
    finally:
        _fresh_app_caches()
