"""Every page and download, for each role, against the registry (dashboard/access/roles.py
SURFACES), on the hand-worked messy coalition: its charities hold 0 to 4 young people
each, and stored snapshots give the Weekly meeting changes and trends.

What a role's registry entry says it does not see, it must not be shown: another
charity's refs, notes, headlines or meeting rows; data-quality detail; command lines; a
count of 1 to 4 young people on a suppressed view (metrics, tables, charts, trends).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import links, roles, suppression
from dashboard.reports import figures_download
from dashboard.config import load_config
from dashboard.contract import FIGURE_LABELS, TABS, free_text_keys
from dashboard.history import record_snapshot
from dashboard.pipeline import load_coalition
from dashboard.store import Store
from dashboard.summary import build_summary
from dashboard.contract import HEADERS
from tests import messy_coalition
from tests.conftest import ROOT
from tests.app_helpers import _fresh_caches, _visible_text, open_page

SECRET = "roles-test-secret-" + "r" * 40
NOW = "2022-06-30T12:00:00+01:00"
LEAD_CHARITY = "Coram"           # met Bristol West's MP with two other charities
APP_PAGES = {"overview", "meeting", "charities", "mps", "coverage", "media", "placements",
             "quality", "links"}  # streamlit_app.py's pages (a registry page not yet built is skipped)
YOUNG_PEOPLE = {FIGURE_LABELS["attendees_registered"], FIGURE_LABELS["attendees_attended"],
                "Young people"}
ROW_HEADERS = {"Date", "First met", "Headline", "Ref", "Meeting type", "Link", "Notes"}
CHARITY_HEADERS = ("Charity", "Charities")
DETAIL_HEADERS = {"Problem", "How to fix it", "Details"}
COUNT_HEADERS = {"Errors", "Warnings"}
# Every download button's label, and the kind of download (DOWNLOAD_ROLES) it is.
DOWNLOADS = {
    "Download these figures (CSV)": "figures", "Download these figures (XLSX)": "figures",
    "Download the pack (HTML)": "pack", "Download the figures (XLSX)": "pack",
    "Download these issues (CSV)": "issues", "Download this list (CSV)": "not_yet_met",
    "Download the briefings (HTML, print to PDF)": "briefings",
}


@pytest.fixture
def messy(tmp_path, monkeypatch):
    """The messy coalition behind links, read at NOW, with snapshots 10 and 5 days before
    whose young-people figures were one lower per charity (changes of 1 to 4)."""
    config_path = messy_coalition.build(tmp_path)
    config_path.write_text(config_path.read_text(encoding="utf-8")
                           + '\n[access]\nmode = "links"\n', encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_CONFIG", str(config_path))
    monkeypatch.setenv("DASHBOARD_LINK_SECRET", SECRET)
    monkeypatch.setenv("DASHBOARD_NOW", NOW)
    config = load_config(config_path)
    coalition = load_coalition(config)
    summary = build_summary(coalition)
    store = Store(config.storage_url)
    now = dt.datetime.fromisoformat(NOW)
    for days, less in ((10, 2), (5, 1)):
        then = json.loads(json.dumps(summary, default=str))
        for block in [then["coalition"]] + then["charities"]:
            for figure in ("attendees_registered", "attendees_attended"):
                block[figure] = max(0, block[figure] - less)
        record_snapshot(store, then, now - dt.timedelta(days=days))
    return config, coalition, store


def _charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


# Tables are sent with their frame keys and headed in words by column_config: the checks
# read them under the words a person sees.
IN_WORDS = {**HEADERS, **FIGURE_LABELS, "message": "Problem", "fix": "How to fix it", "_row": "Row"}


def _frames(at) -> list[pd.DataFrame]:
    return [frame.value.rename(columns=lambda c: IN_WORDS.get(c, c)) for frame in at.dataframe]


def _leading_number(value) -> int | None:
    match = re.match(r"\s*(\d[\d,]*)", str(value))
    return int(match[1].replace(",", "")) if match else None


def _small(value) -> bool:
    n = _leading_number(value)
    return n is not None and 1 <= n < suppression.SMALL_COUNT_LIMIT and str(value).strip() not in ("", "nan")


def _young_people_chart(spec: dict) -> bool:
    layout = json.dumps(spec.get("layout", {})).lower()
    return "young people" in layout


def _chart_numbers(spec: dict) -> list:
    out = []
    for trace in spec.get("data", []):
        for axis in ("x", "y", "text"):
            values = trace.get(axis)
            if isinstance(values, dict):      # plotly's typed arrays: a bdata blob
                continue
            if isinstance(values, (list, tuple)):
                out += [v for v in values if isinstance(v, (int, float, str))]
    return out


def _check_suppressed(page: str, at, frames: list[pd.DataFrame]) -> None:
    for metric in at.metric:
        if metric.label in YOUNG_PEOPLE:
            assert not _small(metric.value), (page, metric.label, metric.value)
            assert metric.delta is None or not re.fullmatch(r"[+-]?[1-4]", str(metric.delta)), \
                (page, metric.label, metric.delta)
    for frame in frames:
        for column in frame.columns:
            if str(column) in YOUNG_PEOPLE:
                shown = [v for v in frame[column].tolist() if _small(v)]
                assert not shown, (page, column, shown)
    for spec in _charts(at):
        if _young_people_chart(spec):
            numbers = [v for v in _chart_numbers(spec) if not isinstance(v, str) or v[:1].isdigit()]
            assert not [v for v in numbers if _small(v)], (page, spec.get("layout", {}).get("title"))


def _row_tables(frames):
    return [f for f in frames if ROW_HEADERS & set(map(str, f.columns))
            and any(h in f.columns for h in CHARITY_HEADERS)]


def _walk(at, page: str) -> list[tuple]:
    """Each view of the page: (text, frames, at) for every charity on the Charities page
    and for a constituency three charities met on the briefing card."""
    views = [(_visible_text(at), _frames(at))]
    if page == "charities":
        select = at.sidebar.selectbox[0]
        for name in select.options:
            select.select(name)
            at.run()
            assert not at.exception, [e.value for e in at.exception]
            views.append((_visible_text(at), _frames(at)))
    if page == "coverage":
        card = next(s for s in at.selectbox if s.label == "Constituency")
        card.select("Bristol West")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        views.append((_visible_text(at), _frames(at)))
    return views


@pytest.mark.parametrize("role", roles.ROLES)
def test_every_page_and_download_follows_the_registry(messy, role):
    config, coalition, store = messy
    charity = LEAD_CHARITY if role == "lead" else None
    viewer = roles.Viewer(role, charity)
    link = links.mint_link(store, config, role, dt.timedelta(days=30), charity)
    others = [c.name for c in config.charities if c.name != charity] if charity else \
        [c.name for c in config.charities]

    def of(tab_key, column, names):
        frame = coalition.frame(tab_key)
        return {str(v) for v in frame.loc[frame["charity"].isin(names), column].dropna() if len(str(v)) >= 4}

    def own(tab_key, column):
        return of(tab_key, column, [charity]) if charity else set()

    # Lines another charity (a trustee: any charity) holds, and the viewer's own.
    refs = of("attendees", "ref", others) - own("attendees", "ref")
    notes = set().union(*[of(tab.key, key, others) for tab in TABS for key in free_text_keys(tab)])
    notes -= set().union(*[own(tab.key, key) for tab in TABS for key in free_text_keys(tab)])
    notes -= {c.name for c in config.charities}

    _fresh_caches()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["token"] = link.token
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    walked = []
    for surface in roles.SURFACES:
        if surface.kind != "page" or surface.key not in APP_PAGES:
            continue
        seen = roles.sees(viewer, surface.key)
        if seen is None:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"pages/{surface.key}.py")
            continue
        at.switch_page(f"pages/{surface.key}.py")
        at.run()
        assert not at.exception, (surface.key, [e.value for e in at.exception])
        walked.append(surface.key)
        assert [t.value for t in at.sidebar.caption if t.value.startswith("Viewing as")][0].startswith(
            f"Viewing as: {role}")

        for label in [b.label for b in at.get("download_button")]:
            kind = DOWNLOADS.get(label)
            if kind is None and label in ("Excel workbook (.xlsx)", "CSV files (.zip)"):
                kind = "export" if "every charity" in _visible_text(at) else "rows"
            assert kind is not None, f"{surface.key}: add the download {label!r} to DOWNLOADS"
            assert role in roles.DOWNLOAD_ROLES[kind], (surface.key, label)

        for text, frames in _walk(at, surface.key):
            where = f"{role} on {surface.key}"
            if seen.rows != roles.EVERY:
                assert not [r for r in refs if r in text], f"{where}: another charity's ref"
                for table in _row_tables(frames):
                    if seen.rows == roles.NONE:
                        pytest.fail(f"{where}: a table of rows {list(table.columns)}")
                    column = next(h for h in CHARITY_HEADERS if h in table.columns)
                    assert all(charity in str(v).split(", ") for v in table[column]), \
                        f"{where}: another charity's line in {list(table.columns)}"
            if seen.notes != roles.EVERY:
                assert not [n for n in notes if n in text], f"{where}: another charity's free text"
            if seen.issues in (roles.NONE, roles.COUNTS):
                assert "Errors at" not in text, f"{where}: data-quality detail"
                for frame in frames:
                    assert not DETAIL_HEADERS & set(map(str, frame.columns)), where
                    if seen.issues == roles.NONE:
                        assert not COUNT_HEADERS & set(map(str, frame.columns)), \
                            f"{where}: error counts {list(frame.columns)}"
            if seen.issues == roles.OWN:
                for frame in frames:
                    if "Details" in frame.columns:
                        assert not frame.loc[frame["Charity"] != charity, "Details"].str.len().any(), where
                    if "Problem" in frame.columns:
                        assert set(frame["Charity"]) <= {charity}, where
            if not seen.commands:
                assert "python -m dashboard" not in text, f"{where}: a command line"
            if seen.suppressed:
                _check_suppressed(where, at, frames)
    assert walked == [p for p in roles.allowed_pages(viewer) if p in APP_PAGES]


def test_the_walk_sees_what_it_checks(messy):
    """The messy coalition gives the checks above something to catch: unsuppressed, the
    coalition's Weekly meeting shows counts of 1 to 4 young people ("3 (+1)") and trends
    per charity, and its Sources table names rows with errors."""
    config, coalition, store = messy
    link = links.mint_link(store, config, "coalition", dt.timedelta(days=30))
    at = open_page("pages/meeting.py", link.token)
    with pytest.raises(AssertionError):
        _check_suppressed("coalition on meeting", at, _frames(at))
    assert "Errors at" in _visible_text(at)
    assert any(_young_people_chart(spec) and len(spec["data"]) > 1 for spec in _charts(at))


def test_trustee_weekly_meeting_matches_the_overview(messy):
    """A charity's young people on the trustee's Weekly meeting are the Overview's "<5" /
    "[c]" / number, with no change beside them."""
    config, coalition, store = messy
    link = links.mint_link(store, config, "trustee", dt.timedelta(days=30))
    _fresh_caches()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["token"] = link.token
    at.run()
    overview = next(f for f in _frames(at) if "Charity" in f.columns or "charity" in f.columns)
    overview = overview.rename(columns={"charity": "Charity"}).set_index("Charity")
    at.switch_page("pages/meeting.py")
    at.run()
    grid = next(f for f in _frames(at) if "Charity" in f.columns and "Status" in f.columns
                and FIGURE_LABELS["attendees_attended"] in f.columns).set_index("Charity")
    for figure in ("attendees_registered", "attendees_attended"):
        label = FIGURE_LABELS[figure]
        overview_column = figure if figure in overview.columns else label
        for name in grid.index:
            assert grid.at[name, label] == overview.at[name, overview_column], (name, figure)


def test_trustee_figures_download_is_suppressed_and_formula_safe(messy):
    config, coalition, store = messy
    from dashboard.app.app_data import ATTENDEE_FIGURES
    from dashboard.views import charity_table

    charities = charity_table(coalition)
    charities.loc[0, "charity"] = '=HYPERLINK("http://evil.example","x")'
    shown = suppression.suppress_counts(charities, ATTENDEE_FIGURES).drop(columns=["as_of", "errors", "warnings"])
    summary = build_summary(coalition)["coalition"]
    table = figures_download.figures_table(summary, shown, suppressed=True, issues=roles.NONE)
    assert "Errors" not in table.columns and "Warnings" not in table.columns
    assert table.iloc[-1]["Charity"] == "Coalition"
    csv_text = figures_download.figures_csv(table).decode("utf-8-sig")
    rows = list(pd.read_csv(io.StringIO(csv_text), dtype=str, keep_default_na=False).itertuples(index=False))
    assert rows[0][0].startswith("'=")                       # the formula is text
    for label in ("Young people registered", "Young people attended"):
        column = pd.read_csv(io.StringIO(csv_text), dtype=str, keep_default_na=False)[label]
        assert not [v for v in column if v in {"1", "2", "3", "4"}], (label, list(column))
        assert suppression.PRIMARY_MARK in set(column)            # the messy coalition has small counts
    book = openpyxl.load_workbook(io.BytesIO(figures_download.figures_xlsx(table)))
    sheet = book["Figures"]
    header = [c.value for c in sheet[1]]
    for label in ("Young people registered", "Young people attended"):
        column = header.index(label)
        values = [row[column].value for row in sheet.iter_rows(min_row=2)]
        assert not [v for v in values if v in (1, 2, 3, 4, "1", "2", "3", "4")], (label, values)
    assert sheet.cell(2, 1).data_type == "s" and str(sheet.cell(2, 1).value).startswith("'=")


def test_a_secret_rotated_out_closes_an_open_session_at_its_next_run(messy, monkeypatch):
    """A link signed with a secret that is then removed from the configuration (leaked,
    or rotated out) stops working in a tab that is already open, at its next interaction,
    while the link's record in the store is untouched."""
    config, coalition, store = messy
    new = "the-new-secret-" + "n" * 40
    link = links.mint_link(store, config, "trustee", dt.timedelta(days=30), keys=[SECRET])
    monkeypatch.setenv("DASHBOARD_LINK_SECRET", f"{new},{SECRET}")      # rotating: both work
    _fresh_caches()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["token"] = link.token
    at.run()
    assert at.metric and not at.exception
    at.switch_page("pages/mps.py")
    at.run()
    assert at.metric, "the link stopped working on a page switch"

    monkeypatch.setenv("DASHBOARD_LINK_SECRET", new)                    # the old one removed
    at.run()
    assert not at.exception
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert "not valid" in _visible_text(at)
    assert store.link(link.link_id)["revoked_at"] is None               # refused by signature alone


def test_pack_sources_as_each_role_sees_them():
    from dashboard.reports.pack import sources_seen

    sources = [{"name": "Coram", "status": "ok", "as_of": None, "errors": 2, "warnings": 1,
                "where": "Attendees: row 13 (Status)", "messages": ["Attendees: no header"]},
               {"name": "Become", "status": "stale", "as_of": None, "errors": 1, "warnings": 0,
                "where": "Media: row 4 (URL)", "messages": []}]
    assert sources_seen(sources, roles.EVERY) == sources
    lead = sources_seen(sources, roles.OWN, "Coram")
    assert lead[0] == sources[0]
    assert (lead[1]["where"], lead[1]["messages"], lead[1]["errors"]) == ("", [], 1)
    trustee = sources_seen(sources, roles.NONE)
    assert [(s["name"], s["status"], s["where"], s["messages"], s["errors"], s["warnings"])
            for s in trustee] == [("Coram", "ok", "", [], None, None),
                                  ("Become", "stale", "", [], None, None)]
