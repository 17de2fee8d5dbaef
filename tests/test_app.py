"""The app through Streamlit's AppTest: every page, every role, on the demo coalition.

The figures on screen must equal the `summary` figures; trustees must never see a
young person's ref, a free-text note or a row; a missing, tampered, expired or revoked
token must show no data at all.
"""
from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import roles, suppression
from dashboard.config import load_config
from dashboard.contract import FIGURE_LABELS
from dashboard.pipeline import load_coalition
from dashboard.store import Store
from dashboard.summary import build_summary
from tests.app_helpers import PAGES, REF, _fresh_caches, _mint, _run, _visible_text
from tests.conftest import ROOT


@pytest.fixture
def demo_summary():
    return build_summary(load_coalition(load_config()))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo(app, page):
    at = _run(app())
    if page != "pages/overview.py":
        at.switch_page(page)
        _run(at)
    assert not at.error, [e.value for e in at.error]
    assert at.title, "every page has a title"
    assert any("DEMO" in i.value for i in at.info), "the entry script (banner, menu) ran first"


def test_overview_figures_equal_the_summary(app, demo_summary):
    at = _run(app())
    shown = {m.label: m.value for m in at.metric}
    for key, value in demo_summary["coalition"].items():
        assert shown[FIGURE_LABELS[key]] == f"{value:,}", key


def test_demo_is_labelled(app):
    at = _run(app())
    assert any("DEMO" in i.value for i in at.info)


def test_charities_page_figures_equal_the_summary(app, demo_summary):
    at = _run(app())
    at.switch_page("pages/charities.py")
    _run(at)
    for charity in demo_summary["charities"][:3]:
        at.sidebar.selectbox[0].select(charity["name"])
        _run(at)
        shown = {m.label: m.value for m in at.metric}
        assert shown[FIGURE_LABELS["mps_met"]] == f"{charity['mps_met']:,}"
        assert shown[FIGURE_LABELS["attendees_attended"]] == f"{charity['attendees_attended']:,}"


def test_charity_rows_are_shown_under_the_sheets_headers_with_dates_as_dates(app):
    """A lead recognises their rows by the headers they typed them under; a date shows as
    22/06/2022, not 2022-06-22 00:00:00; links are links; the sheet row is 'Row'."""
    import json

    from dashboard.contract import TABS

    at = _run(app())
    at.switch_page("pages/charities.py")
    _run(at)
    for tab in TABS:
        at.session_state["charity-rows-tab"] = tab.name      # open that tab (tabs are lazy)
        _run(at)
        assert len(at.dataframe) == 1, tab.key                # only the open tab's rows
        config = json.loads(at.dataframe[0].proto.columns)
        labels = {key: c.get("label") for key, c in config.items() if key != "_index"}
        assert labels["_row"] == "Row"
        for column in tab.columns:
            if column.key in labels:
                assert labels[column.key] == column.name
                kind = config[column.key].get("type_config", {}).get("type")
                assert kind == {"date": "date", "url": "link"}.get(column.kind), column.key
        assert any(c.key in labels for c in tab.columns)


def test_mps_and_media_pages_show_the_summary_figures(app, demo_summary):
    at = _run(app())
    at.switch_page("pages/mps.py")
    _run(at)
    shown = {m.label: m.value for m in at.metric}
    assert shown["MPs met"] == f"{demo_summary['coalition']['mps_met']:,}"
    assert shown["Pledges signed"] == f"{demo_summary['coalition']['pledges']:,}"
    at.switch_page("pages/media.py")
    _run(at)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Media mentions"] == f"{demo_summary['coalition']['media_mentions']:,}"


def test_quality_page_lists_every_issue(app, demo_summary):
    at = _run(app())
    at.switch_page("pages/quality.py")
    _run(at)
    shown = {m.label: m.value for m in at.metric}
    errors = sum(i["severity"] == "error" for i in demo_summary["issues"])
    assert shown["Errors"] == str(errors)
    # A lead choosing their charity counts their own issues, every severity of them.
    charity = next(i["charity"] for i in demo_summary["issues"] if i["severity"] == "note")
    at.sidebar.multiselect[0].select(charity)
    _run(at)
    shown = {m.label: m.value for m in at.metric}
    for severity in ("error", "warning", "note"):
        count = sum(i["severity"] == severity and i["charity"] == charity
                    for i in demo_summary["issues"])
        assert shown[f"{severity.title()}s"] == str(count), severity
    at.sidebar.multiselect[1].set_value(["error", "warning", "note"])
    _run(at)
    listed = at.dataframe[0].value
    assert set(listed["charity"]) == {charity}
    assert len(listed) == sum(i["charity"] == charity for i in demo_summary["issues"])


# -- roles ---------------------------------------------------------------------------

@pytest.mark.parametrize("token", [None, "", "not-a-token", "eyJpZCI6ImFiYyJ9.tampered"])
def test_no_or_bad_token_shows_no_data(app, links_config, token):
    at = _run(app(token))
    text = _visible_text(at)
    assert not at.metric and not at.dataframe
    for charity in links_config.charities:
        assert charity.name not in text
    assert "link" in text.lower()


def test_tampered_token_is_refused(app, links_config):
    link = _mint(links_config, "coalition")
    body, sig = link.token.rsplit(".", 1)
    tampered = body + "." + ("A" if sig[0] != "A" else "B") + sig[1:]
    at = _run(app(tampered))
    assert not at.metric and not at.dataframe


def test_expired_token_is_refused(app, links_config, monkeypatch):
    link = _mint(links_config, "trustee", lifetime=dt.timedelta(days=1))
    monkeypatch.setenv("DASHBOARD_NOW", (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)).isoformat())
    at = _run(app(link.token))
    assert not at.metric and not at.dataframe
    assert "expired" in _visible_text(at).lower()


def test_revoked_token_is_refused_even_in_an_open_session(app, links_config):
    link = _mint(links_config, "trustee")
    at = _run(app(link.token))
    assert at.metric
    Store(links_config.storage_url).revoke_link(link.link_id, dt.datetime.now(dt.timezone.utc))
    _run(at)
    assert not at.metric and not at.dataframe
    assert "withdrawn" in _visible_text(at).lower()


@pytest.mark.parametrize("page", PAGES)
def test_trustee_sees_figures_only(app, links_config, page):
    link = _mint(links_config, "trustee")
    at = _run(app(link.token))
    allowed = page.split("/")[1][:-3] in roles.allowed_pages(roles.Viewer("trustee"))
    if not allowed:
        # Not in a trustee's navigation at all (and each page's own gate is tested below).
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
        return
    at.switch_page(page)
    _run(at)
    text = _visible_text(at)
    assert not REF.search(text), "a young person's ref reached a trustee view"
    coalition = load_coalition(links_config)
    notes = coalition.frame("mp_meetings")["notes"].dropna()
    for note in notes.unique()[:20]:
        assert note not in text, "a free-text note reached a trustee view"
    for headline in coalition.frame("media")["headline"].dropna().unique()[:20]:
        assert headline not in text, "a headline typed by staff reached a trustee view"
    assert not any(b.label.lower().startswith("download these issues") for b in at.get("download_button"))


def _young_people_tables(at: AppTest) -> list:
    """The Overview's tables of counts of young people, in page order."""
    from dashboard.app.overview_parts import COUNTED

    return [d.value for d in at.dataframe if COUNTED in d.value.columns]


def test_trustee_small_numbers_suppressed(app, links_config):
    """Every count of 1-4 young people the coalition sees on the Overview is "<5" for a
    trustee, and no trustee table shows a count of 1-4 anywhere."""
    from dashboard.app.overview_parts import COUNTED

    full = _young_people_tables(_run(app(_mint(links_config, "coalition").token)))
    _fresh_caches()
    at = _run(app(_mint(links_config, "trustee").token))
    shown = _young_people_tables(at)
    assert suppression.SUPPRESSION_RULE[:40] in _visible_text(at)
    assert full and len(shown) == len(full)
    small = 0
    for raw, trustee in zip(full, shown):
        for count, cell in zip(raw[COUNTED], trustee[COUNTED].astype(str)):
            assert cell not in {"1", "2", "3", "4"}, "a count of 1-4 reached a trustee"
            if 1 <= count <= 4:
                small += 1
                assert cell == suppression.PRIMARY_MARK
    assert small, "the demo has no count of 1-4 on the Overview: nothing was checked"


def test_lead_sees_own_rows_only(app, links_config):
    coalition = load_coalition(links_config)
    own, other = links_config.charities[0].name, links_config.charities[1].name
    link = _mint(links_config, "lead", own)
    at = _run(app(link.token))
    at.switch_page("pages/charities.py")
    _run(at)
    assert at.sidebar.selectbox[0].value == own
    own_refs = set(coalition.frame("attendees").query("charity == @own")["ref"])
    text = _visible_text(at)
    assert any(ref in text for ref in own_refs)
    at.sidebar.selectbox[0].select(other)
    _run(at)
    text = _visible_text(at)
    other_refs = set(coalition.frame("attendees").query("charity == @other")["ref"])
    assert not any(ref in text for ref in other_refs)
    at.switch_page("pages/quality.py")
    _run(at)
    at.sidebar.multiselect[1].set_value(["error", "warning", "note"])
    _run(at)
    issues = at.dataframe[0].value
    assert set(issues["charity"]) == {own}
    assert len(issues) == sum(i.charity == own for i in coalition.issues)


def test_coalition_link_sees_everything(app, links_config):
    link = _mint(links_config, "coalition")
    at = _run(app(link.token))
    at.switch_page("pages/quality.py")
    _run(at)
    assert at.dataframe and len(set(at.dataframe[0].value["charity"])) > 1


@pytest.mark.parametrize("page", PAGES)
def test_page_run_directly_without_a_token_shows_nothing(links_config, page):
    """Streamlit can run a pages/ file without the entry script: each page has its own gate."""
    _fresh_caches()
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    _run(at)
    assert not at.dataframe and not at.metric and not at.get("plotly_chart")
    text = _visible_text(at)
    for charity in links_config.charities:
        assert charity.name not in text


@pytest.mark.parametrize("page", ["pages/quality.py", "pages/coverage.py"])
def test_trustee_cannot_open_a_lead_page_directly(links_config, page):
    link = _mint(links_config, "trustee")
    _fresh_caches()
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.query_params["token"] = link.token
    _run(at)
    assert not at.dataframe and not at.metric
    assert "Not part of your view" in [t.value for t in at.title]


def test_query_parameters_cannot_raise_a_role(app, links_config):
    link = _mint(links_config, "trustee")
    at = _run(app(link.token))
    at.query_params["role"] = "coalition"
    at.query_params["charity"] = links_config.charities[0].name
    at.switch_page("pages/charities.py")
    _run(at)
    assert not REF.search(_visible_text(at))


def _downloads(at):
    return [b.label for b in at.get("download_button")]


def test_exports_offered_by_role(app, links_config):
    coalition_link = _mint(links_config, "coalition")
    at = _run(app(coalition_link.token))
    at.switch_page("pages/charities.py")
    _run(at)
    assert "Excel workbook (.xlsx)" in _downloads(at) and "every charity" in _visible_text(at)

    own = links_config.charities[0].name
    lead_link = _mint(links_config, "lead", own)
    at = _run(app(lead_link.token))
    at.switch_page("pages/charities.py")
    _run(at)
    assert "Excel workbook (.xlsx)" in _downloads(at) and f"Rows of {own}" in _visible_text(at)

    trustee_link = _mint(links_config, "trustee")
    at = _run(app(trustee_link.token))
    at.switch_page("pages/charities.py")
    _run(at)
    assert "Excel workbook (.xlsx)" not in _downloads(at)


def test_download_buttons_built_on_click_do_not_rerun_the_page():
    """Every st.download_button whose file is built on the click (a callable) says
    on_click="ignore". With the default rerun, the rerun's end can drop the pending file
    request and the button spins for good (Data quality's CSV: 4 of 20 first clicks in a
    real browser; tests/test_browser.py clicks it)."""
    import ast

    found = []
    for path in sorted((ROOT / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "download_button"):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            data = keywords.get("data", node.args[1] if len(node.args) > 1 else None)
            if not isinstance(data, ast.Lambda):
                continue
            on_click = keywords.get("on_click")
            found.append((path.name, node.lineno,
                          isinstance(on_click, ast.Constant) and on_click.value == "ignore"))
    assert len(found) >= 6, found
    assert [f for f in found if not f[2]] == []


def test_coverage_charts_are_tall_enough_for_their_groups_and_built_once(app):
    """Each coverage chart has a bar pair's room per group (the house style's 360 px used
    to override it: twelve regions in the height of three parties), and a rerun draws the
    same charts, built once per loaded coalition."""
    import json

    at = app()
    _run(at)
    at.switch_page("pages/coverage.py")
    _run(at)
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    by_title = {c["layout"]["title"]["text"]: c for c in charts}
    assert set(by_title) >= {"By party", "By region", "By nation"}
    for title, chart in by_title.items():
        if title.startswith("By "):
            groups = len(chart["data"][0]["y"])
            assert chart["layout"]["height"] == max(320, 56 * groups), title
            # every label past its bar, a group with nobody met included ("0 of 7 (0%)"),
            # with room past a full bar
            assert {bar["textposition"] for bar in chart["data"]} == {"outside"}, title
            assert chart["layout"]["xaxis"]["range"][1] > 100, title
    assert len(by_title["By region"]["data"][0]["y"]) == 12
    _run(at)
    assert [json.loads(c.proto.spec) for c in at.get("plotly_chart")] == charts


def test_weekly_meeting_pace_table_says_na_where_nothing_is_needed_per_week(app, monkeypatch, tmp_path):
    """After the campaign has ended, a target still short has no 'needed per week'. The
    screen says n/a, as the pack does, never an empty cell reading 'None'."""
    from tests.fixtures import real_copy_of_the_demo
    # The demo's sheets as a real coalition (no seeded history), read after the campaign.
    monkeypatch.setenv("DASHBOARD_CONFIG", str(real_copy_of_the_demo(tmp_path)))
    monkeypatch.setenv("DASHBOARD_NOW", "2022-07-25T09:00:00+01:00")
    at = _run(app())
    at.switch_page("pages/meeting.py")
    _run(at)
    pace = next(f.value for f in at.dataframe if "Needed per week" in f.value.columns)
    per_week = dict(zip(pace["Figure"], pace["Needed per week"]))
    assert per_week[FIGURE_LABELS["mps_met"]] == "n/a"
    assert per_week[FIGURE_LABELS["attendees_attended"]] == "0"      # met: nothing needed
    assert not pace["Needed per week"].isna().any()
    # a first reading: no trend yet, said in words instead of eight one-dot charts
    assert any("two different days" in i.value for i in at.info) and not at.tabs


def test_no_chart_cuts_off_the_count_past_its_longest_bar(app):
    """A count drawn past its bar ("outside") lies beyond the plot for the longest bar:
    plotly cuts it off unless the trace says cliponaxis=False (MPs & pledges showed the
    Conservatives' 58 half drawn; the Overview's regions, London's 55)."""
    import json

    at = _run(app())
    checked = 0
    for page in PAGES:
        at.switch_page(page)
        _run(at)
        for chart in at.get("plotly_chart"):
            for trace in json.loads(chart.proto.spec)["data"]:
                if trace.get("textposition") == "outside":
                    assert trace.get("cliponaxis") is False, (page, trace.get("name"))
                    checked += 1
    assert checked >= 6


def test_every_table_is_headed_in_words_not_frame_keys(app):
    """'API calls', 'ONS code', '% met', 'First met': no snake_case or lower-case key as a
    header on any page (the briefing card's tables included)."""
    import json

    def headers(at):
        found = []
        for frame in at.dataframe:
            config = json.loads(frame.proto.columns or "{}")
            found += [config.get(str(c), {}).get("label") or str(c) for c in frame.value.columns]
        return found

    at = _run(app())
    seen = {}
    for page in PAGES:
        at.switch_page(page)
        _run(at)
        seen[page] = headers(at)
    at.switch_page("pages/coverage.py")
    _run(at)
    from dashboard.official import parliament as parl
    from dashboard import views

    # A seat some charity met that kept its name in 2024 (whose local authorities the
    # card shows): every table the card has.
    met = views.mp_table(load_coalition(load_config())).query("met")
    seats = (parl.match_constituency(c, "2019")[0] for c in met["constituency"] if c)
    seat = next(s["name"] for s in seats
                if s and (parl.match_constituency(s["name"], "2024")[0] or {}).get("la_codes"))
    card = next(s for s in at.selectbox if s.label == "Constituency")
    card.select(seat)
    _run(at)
    seen["briefing card"] = headers(at)
    assert {"Charity", "API calls", "Read (s)", "Attended"} <= set(seen[PAGES[0]])  # (short: 9 columns fit)
    assert {"ONS code", "% met", "Local authority"} <= set(seen["briefing card"])
    assert {"First met", "Logged by"} <= set(seen["pages/mps.py"])
    for page, found in seen.items():
        assert not [h for h in found if "_" in h or h[:1].islower()], (page, found)
