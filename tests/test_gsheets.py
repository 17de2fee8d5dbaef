"""connectors/gsheets.py through gspread's and requests' real HTTP layers, against
`FakeGoogle` (tests/google_standin.py), which answers like sheets.googleapis.com.
Nothing here needs the network or ../shared.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import traceback
import uuid

import pandas as pd
import pytest
import requests
from requests.adapters import HTTPAdapter

from connectors import gsheets
from connectors.base import (
    SourceForbidden, SourceNotFound, SourceUnavailable, SourceUnreadable, read_source,
)
from dashboard import cells
from tests.fixtures import write_workbook
from tests.google_standin import (
    NOW, SA_EMAIL, Fail, FakeGoogle, Sleeps, _cell, _placeholder_pem, _service_account_file, checkbox,
    date, error, four_tabs, number, parse_mask, read, serial, text,
)

@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


# -- the good read -----------------------------------------------------------------------
def test_a_whole_spreadsheet_is_one_request(google, client):
    key = google.add("1BecomeKeyAbc_-9", four_tabs())
    raw = read(client, f"gsheet:{key}")

    assert raw.kind == "gsheet" and raw.source == f"gsheet:{key}"
    assert [t.title for t in raw.tabs] == ["Attendees", "MP meetings", "Pledges", "Media"]
    assert [t.sheet_id for t in raw.tabs] == [0, 1_204_567_891, 42, 7]
    assert raw.api_calls == 1 and google.calls(key) == 1
    assert raw.edit_url == f"https://docs.google.com/spreadsheets/d/{key}/edit"
    assert raw.read_at == NOW

    (request,) = google.seen
    assert request.method == "GET" and request.path == f"/v4/spreadsheets/{key}"
    assert request.params["fields"] == [gsheets.FIELDS]
    assert request.params["includeGridData"] == ["true"]
    assert request.timeout == 20          # gspread would otherwise send no timeout at all


def test_cells_keep_their_sheet_rows_and_blanks_are_none(google, client):
    key = google.add("key-rows", four_tabs())
    attendees = read(client, f"gsheet:{key}").tabs[0].cells

    assert isinstance(attendees.index, pd.RangeIndex) and list(attendees.columns) == [0, 1, 2, 3, 4]
    assert all(dtype == object for dtype in attendees.dtypes)
    assert attendees.shape == (5, 5)                     # trailing formatted-but-empty rows dropped
    assert attendees.iloc[0].tolist() == ["Become attendees - do not share", None, None, None, None]
    assert attendees.iloc[1].tolist() == ["Ref", "Status", "Age band", "Media consent", "Registered on"]
    assert attendees.iloc[2].tolist() == ["BEC-001", "attended", "18-21", True, dt.datetime(2022, 6, 1)]
    assert attendees.iloc[3].tolist() == [None] * 5      # sheet row 4 is blank: kept, all None
    assert attendees.iloc[4].tolist() == ["BEC-002", "registered", None, False, "06/07/2022"]


def _leaves(tree: dict, prefix: str = "") -> set[str]:
    return set().union(*(_leaves(sub, f"{prefix}{name}.") if sub else {prefix + name}
                         for name, sub in tree.items()))


def test_the_read_asks_for_values_and_number_format_types_only():
    """The mask names each field the reader uses and nothing else: no formatted text (it
    follows the sheet's locale), no formulas, notes, colours or fonts."""
    assert _leaves(parse_mask(gsheets.READ_PARAMS["fields"])) == {
        "sheets.properties.sheetId", "sheets.properties.title", "sheets.data.startRow",
        "sheets.data.startColumn", "sheets.data.rowData.values.effectiveValue",
        "sheets.data.rowData.values.effectiveFormat.numberFormat.type"}


def test_tab_names_in_other_case_and_spacing_come_back_as_written(google, client):
    titles = (" ATTENDEES ", "mp_meetings", "pledges", "Media-")
    key = google.add("key-titles", four_tabs(titles) + [("Notes (ignore)", 99, [["anything"]])])
    raw = read(client, f"gsheet:{key}")
    assert [t.title for t in raw.tabs] == [*titles, "Notes (ignore)"]


@pytest.mark.parametrize("address", [
    "https://docs.google.com/spreadsheets/d/{key}/edit#gid=1204567891",
    "https://docs.google.com/spreadsheets/u/1/d/{key}/edit?usp=sharing",   # several accounts
])
def test_a_browser_link_and_read_source_reach_the_same_sheet(google, client, address):
    key = google.add("1LinkKey_abc-XYZ", four_tabs())
    url = address.format(key=key)
    raw = read_source(url, gspread_client=client, now=NOW)
    assert raw.kind == "gsheet" and raw.source == url and raw.api_calls == 1
    assert raw.edit_url == f"https://docs.google.com/spreadsheets/d/{key}/edit"
    assert raw.cell_link(raw.tabs[1], 2, 1) == f"{raw.edit_url}#gid=1204567891&range=B2"


@pytest.mark.parametrize("source", [
    "gsheet:", "gsheet:not a key", "https://example.org/spreadsheets/d/abc",
    "https://docs.google.com/spreadsheets/d/e/2PACX-1vQabc/pubhtml",
    "https://docs.google.com/spreadsheets/u/0/d/e/2PACX-1vQabc/pubhtml",
])
def test_sources_that_are_not_sheet_links_are_refused_without_a_request(google, client, source):
    with pytest.raises(SourceUnreadable) as err:
        read(client, source)
    assert google.seen == [] and err.value.api_calls == 0
    assert "docs.google.com/spreadsheets/d/" in str(err.value) or "gsheet:" in str(err.value)


# -- dates, numbers, yes/no and error values ------------------------------------------------
def test_dates_numbers_and_errors_come_through_as_designed(google, client):
    june22 = dt.date(2022, 6, 22)
    row = [
        date(june22),                                                 # A: UK-formatted date
        date(dt.date(2022, 6, 7), pattern="M/d/yyyy"),                # B: US sheet shows 6/7/2022
        _cell({"numberValue": serial(dt.datetime(2022, 6, 22, 14, 30))}, "22/06/2022 14:30:00",
              number_format={"type": "DATE_TIME", "pattern": "dd/mm/yyyy hh:mm:ss"}),  # C
        number(44734),                                                # D: a serial typed as a number
        number(1200, "1,200", "#,##0"),                               # E: whole number, grouped
        number(12.5),                                                 # F
        text("22/06/2022"),                                           # G: a date the sheet kept as text
        error("REF", "#REF!"),                                        # H
        error("REF", "#BEZUG!"),                                      # I: German-locale display text
        error("N_A", "#N/A"), error("DIVIDE_BY_ZERO", "#DIV/0!"),     # J, K
        checkbox(True),                                               # L
        number(0.5, "12:00:00", "hh:mm:ss", kind="TIME"),             # M
        _cell({"stringValue": ""}, ""),                               # N: formula giving ""
        number(0.25, "25%", "0%", kind="PERCENT"),                    # O
        text("  1 200  "),                                            # P: spaces kept for validation
    ]
    key = google.add("key-cells", [("Values", 0, [row])])
    values = read(client, f"gsheet:{key}").tabs[0].cells.iloc[0].tolist()

    assert values == [
        dt.datetime(2022, 6, 22), dt.datetime(2022, 6, 7), dt.datetime(2022, 6, 22, 14, 30),
        44734, 1200, 12.5, "22/06/2022", "#REF!", "#REF!", "#N/A", "#DIV/0!", True,
        "12:00", None, 0.25, "  1 200  ",
    ]
    assert type(values[3]) is int and type(values[4]) is int
    # ...and the contract's cell rules read them as intended.
    assert [cells.parse_date(v)[0] for v in values[:4]] == [june22, dt.date(2022, 6, 7), june22, june22]
    assert cells.parse_date(values[6]) == (june22, None)
    assert cells.parse_int(values[4]) == (1200, None) and cells.parse_int(values[15]) == (1200, None)
    assert all(cells.is_error_value(v) for v in values[7:11])
    assert cells.parse_yesno(values[11]) == (True, None)


def test_an_error_cell_from_google_is_a_validation_warning(google, client):
    from dashboard import validate

    key = google.add("key-errors", [("MP meetings", 5, [
        ["Name", "Date", "Young people present"],
        ["Jane Smith", error("REF", "#REF!"), 3],
        ["Bob Jones", dt.date(2022, 6, 22), error("DIVIDE_BY_ZERO", "#DIV/0!")],
    ])])
    data = validate.validate_workbook(read(client, f"gsheet:{key}"), "Become")
    warnings = {(i.row, i.column) for i in data.issues if i.code == "error_value"}
    assert warnings == {(2, "Date"), (3, "Young people present")}
    link = next(i.link for i in data.issues if i.code == "error_value" and i.row == 2)
    assert link.endswith("#gid=5&range=B2")
    assert data.frames["mp_meetings"]["date"].isna().tolist() == [True, False]


# -- faults --------------------------------------------------------------------------------
def test_429_is_retried_and_both_requests_are_counted(google, client, sleeps, caplog):
    key = google.add("key-429", four_tabs())
    google.script(key, 429)
    with caplog.at_level(logging.WARNING, logger="connectors.gsheets"):
        raw = read(client, f"gsheet:{key}", sleeps, rand=lambda: 0.5)
    assert raw.api_calls == 2 and google.calls(key) == 2
    assert len(raw.tabs) == 4
    assert sleeps == [0.75]                  # first backoff: 1 s nominal, equal jitter
    assert "429" in caplog.text and "attempt 2 of 5" in caplog.text


def test_retry_after_from_google_is_honoured(google, client, sleeps):
    key = google.add("key-retry-after", four_tabs())
    google.script(key, Fail(429, headers={"Retry-After": "7"}))
    assert read(client, f"gsheet:{key}", sleeps).api_calls == 2
    assert sleeps == [7.0]


def test_a_quota_403_is_retried_like_a_429(google, client, sleeps):
    key = google.add("key-quota-403", four_tabs())
    google.script(key, Fail(403, details=[{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                           "reason": "RATE_LIMIT_EXCEEDED"}]))
    assert read(client, f"gsheet:{key}", sleeps).api_calls == 2


def test_500_forever_gives_up_after_bounded_attempts(google, client, sleeps):
    google.script("key-500", 500, forever=True)
    with pytest.raises(SourceUnavailable) as err:
        read(client, "gsheet:key-500", sleeps, rand=lambda: 0.999)
    assert google.calls("key-500") == 5 and err.value.api_calls == 5
    assert "Google returned 500" in str(err.value) and "after 5 tries" in str(err.value)
    assert len(sleeps) == 4
    assert sleeps == pytest.approx([1, 2, 4, 8], abs=0.01)          # doubling, capped jitter
    assert sum(sleeps) <= gsheets.DEFAULT_RETRY.max_total_wait_s


def test_total_backoff_is_capped(google, client, sleeps):
    google.script("key-503", 503, forever=True)
    policy = gsheets.RetryPolicy(max_attempts=10, max_total_wait_s=5.0)
    with pytest.raises(SourceUnavailable) as err:
        read(client, "gsheet:key-503", sleeps, policy=policy, rand=lambda: 0.999)
    assert sum(sleeps) <= 5.0 + 1e-9
    assert google.calls("key-503") == err.value.api_calls < 10
    assert "Google returned 503" in str(err.value)


def test_a_hang_times_out_on_every_request(google, client, sleeps):
    google.script("key-hang", Fail(exception=requests.ReadTimeout("read timed out")), forever=True)
    with pytest.raises(SourceUnavailable) as err:
        read(client, "gsheet:key-hang", sleeps)
    assert "did not answer within 20 s" in str(err.value) and "after 5 tries" in str(err.value)
    assert [s.timeout for s in google.seen] == [20] * 5


def test_a_timeout_already_set_on_the_client_is_kept(google, client):
    key = google.add("key-timeout", four_tabs())
    client.set_timeout((3.05, 9))
    read(client, f"gsheet:{key}")
    assert google.seen[0].timeout == (3.05, 9)


def test_a_dropped_connection_then_success(google, client, sleeps):
    key = google.add("key-reset", four_tabs())
    google.script(key, Fail(exception=requests.ConnectionError("connection reset by peer")))
    raw = read(client, f"gsheet:{key}", sleeps)
    assert raw.api_calls == 2 and len(sleeps) == 1


def test_a_page_that_is_not_googles_json_is_unavailable_not_a_crash(google, client):
    google.script("key-portal", Fail(200, raw_body=b"<html><body>Sign in to the Wi-Fi</body></html>"))
    with pytest.raises(SourceUnavailable) as err:
        read(client, "gsheet:key-portal")
    assert "could not be read" in str(err.value) and "Wi-Fi" not in str(err.value)
    assert err.value.api_calls == 1


def test_403_names_the_service_account_to_share_with(google, client, sleeps, monkeypatch, tmp_path):
    key_file = tmp_path / "sa.json"
    key_file.write_text(json.dumps({
        "type": "service_account", "client_email": SA_EMAIL, "private_key_id": "abc123",
        "private_key": _placeholder_pem("not-used-here"),
        "token_uri": "https://oauth2.googleapis.com/token"}))
    google.script("key-private", 403)
    with pytest.raises(SourceForbidden) as err:
        read(client, "gsheet:key-private", sleeps, key_file=str(key_file))
    assert SA_EMAIL in str(err.value) and "Viewer" in str(err.value) and "key-private" in str(err.value)
    assert google.calls() == 1 and sleeps == [] and err.value.api_calls == 1
    assert gsheets.service_account_email(str(key_file)) == SA_EMAIL


def test_403_without_known_credentials_says_where_to_find_the_email(google, client):
    google.script("key-private", 403)
    with pytest.raises(SourceForbidden) as err:
        read(client, "gsheet:key-private")
    assert "client_email" in str(err.value)


def test_403_because_the_api_is_not_enabled(google, client):
    google.script("key-disabled", Fail(403, details=[
        {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED"}]))
    with pytest.raises(SourceForbidden) as err:
        read(client, "gsheet:key-disabled")
    assert "Google Sheets API is not enabled" in str(err.value) and google.calls() == 1


def test_404_is_not_found(google, client, sleeps):
    with pytest.raises(SourceNotFound) as err:
        read(client, "gsheet:no-such-sheet", sleeps)
    assert "no-such-sheet" in str(err.value) and google.calls() == 1 and sleeps == []


def test_400_is_unreadable_and_not_retried(google, client, sleeps):
    google.script("key-xlsx", 400)
    with pytest.raises(SourceUnreadable) as err:
        read(client, "gsheet:key-xlsx", sleeps)
    message = str(err.value)
    assert "(400)" in message and "Save as Google Sheets" in message and "renamed" in message
    assert google.calls() == 1 and sleeps == []


def test_401_is_forbidden(google, client):
    google.script("key-401", 401)
    with pytest.raises(SourceForbidden) as err:
        read(client, "gsheet:key-401")
    assert "(401)" in str(err.value)


# -- credentials -------------------------------------------------------------------------
def test_no_credentials_is_a_clear_forbidden_without_any_request(google, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourceForbidden) as err:
        gsheets.read_gsheet("gsheet:any-key", now=NOW)
    assert "GOOGLE_APPLICATION_CREDENTIALS" in str(err.value) and "secrets.toml" in str(err.value)
    assert gsheets.service_account_email() is None
    assert google.seen == []


@pytest.mark.parametrize("content, expected", [
    (None, "does not exist"),
    ("{not json", "cannot be read as JSON"),
    (json.dumps({"type": "authorized_user", "client_id": "x", "refresh_token": "1//secret-refresh"}),
     "not a service-account key"),
    (json.dumps({"type": "service_account", "client_email": SA_EMAIL}), "lacks private_key, token_uri"),
])
def test_unusable_credential_files_are_explained(monkeypatch, tmp_path, content, expected):
    path = tmp_path / "key.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SourceForbidden) as err:
        gsheets.read_gsheet("gsheet:any-key", now=NOW, key_file=str(path))
    assert expected in str(err.value)
    assert "1//secret-refresh" not in str(err.value)


def test_the_dashboard_passes_its_key_file_and_clock_to_the_connectors(monkeypatch, tmp_path):
    """connectors/ reads no settings: GOOGLE_APPLICATION_CREDENTIALS and DASHBOARD_NOW
    reach a read because dashboard.sources (and the pipeline through it) pass them in."""
    from dashboard import clock, pipeline, sources
    from dashboard.config import load_config
    from tests.conftest import ROOT

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "no-such-key.json"
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(missing))
    with pytest.raises(SourceForbidden) as err:
        sources.read("gsheet:any-key")
    assert str(missing) in str(err.value) and "does not exist" in str(err.value)
    with pytest.raises(SourceForbidden):
        sources.google_client()

    frozen = "2022-06-23T09:30:00+01:00"
    monkeypatch.setenv("DASHBOARD_NOW", frozen)
    workbook = ROOT / "dashboard" / "demo_data" / "become.xlsx"
    assert sources.read(str(workbook)).read_at == clock.parse_instant(frozen)
    config = load_config(ROOT / "dashboard" / "demo_data" / "coalition.toml")
    assert pipeline.load_charity(config.charities[0], config).as_of == clock.parse_instant(frozen)


def test_credentials_never_reach_messages_or_logs(monkeypatch, tmp_path, caplog):
    """The real google-auth path: a service-account key signs a JWT, the (fake) token
    endpoint returns a bearer token, the token is sent to Sheets; then every failure."""
    info, path = _service_account_file(tmp_path)
    google = FakeGoogle(token="ya29.c.SECRET-" + uuid.uuid4().hex)
    # Every requests session in the process (gspread's AuthorizedSession and google-auth's
    # token session) now talks to the fake instead of the network.
    monkeypatch.setattr(HTTPAdapter, "send", lambda self, request, **kw: google.send(request, **kw))
    google.add("key-ok", four_tabs())
    google.script("key-403", 403)
    google.script("key-500", 500, forever=True)
    google.script("key-hang", Fail(exception=requests.ReadTimeout("timed out")), forever=True)
    google.script("key-400", 400)

    with caplog.at_level(logging.DEBUG):
        raw = gsheets.read_gsheet("gsheet:key-ok", now=NOW, sleep=Sleeps(), key_file=str(path))
        failures = []
        for key in ("key-403", "key-500", "key-hang", "key-400", "key-missing"):
            with pytest.raises(gsheets.SourceError) as err:
                gsheets.read_gsheet(f"gsheet:{key}", now=NOW, sleep=Sleeps(), key_file=str(path))
            failures.append(err.value)
        # google-auth starts a background lookup on first use; let it finish while the
        # network is still the fake.
        for thread in threading.enumerate():
            if "RegionalAccessBoundary" in type(thread).__name__:
                thread.join(timeout=5)

    assert raw.api_calls == 1 and len(raw.tabs) == 4
    sheet_requests = [s for s in google.seen if s.host == "sheets.googleapis.com"]
    assert sheet_requests[0].headers["Authorization"] == f"Bearer {google.token}"
    # One token for six reads: the credentials are cached, not re-signed per spreadsheet.
    assert sum(s.host == FakeGoogle.TOKEN_HOST for s in google.seen) == 1
    ours = [s for s in google.seen if s.host in ("sheets.googleapis.com", FakeGoogle.TOKEN_HOST)]
    assert {s.timeout for s in ours} == {20}                 # the token request included
    assert SA_EMAIL in str(failures[0])            # the 403 names the key's email
    secrets = [google.token, info["private_key_id"], "PRIVATE KEY",
               *[line for line in info["private_key"].splitlines() if len(line) > 20]]
    for failure in failures:
        shown = "".join(traceback.format_exception(failure)) + repr(failure)
        for secret in secrets:
            assert secret not in shown
    for secret in secrets:
        assert secret not in caplog.text
    # cell content never appears either
    assert "BEC-001" not in caplog.text and not any("BEC-001" in str(f) for f in failures)


def test_streamlit_secrets_are_used_when_there_is_no_key_file(monkeypatch, tmp_path):
    # Streamlit caches parsed secrets per process; a fresh Secrets object reads this folder.
    st_secrets = pytest.importorskip("streamlit.runtime.secrets")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        "[gcp_service_account]\n"
        'type = "service_account"\n'
        f'client_email = "{SA_EMAIL}"\n'
        f'private_key = "{_placeholder_pem("not-a-real-key", escaped=True)}"\n'
        'token_uri = "https://oauth2.googleapis.com/token"\n')
    import streamlit
    # No polling threads watching this temporary folder after the test.
    monkeypatch.setattr(st_secrets.Secrets, "_maybe_install_file_watchers", lambda self: None)
    monkeypatch.setattr(streamlit, "secrets", st_secrets.Secrets())
    assert gsheets.service_account_email() == SA_EMAIL
    with pytest.raises(SourceForbidden) as err:        # the key itself is not a real key
        gsheets.read_gsheet("gsheet:any-key", now=NOW)
    assert "Streamlit secrets" in str(err.value) and "not-a-real-key" not in str(err.value)


# -- the same data from Google and from a local .xlsx gives the same figures ---------------
COALITION_ROWS = {
    "Attendees": [
        ["Ref", "Status", "Age band", "Media consent", "Registered on", "Activities"],
        ["BEC-001", "attended", "18-21", "yes", dt.datetime(2022, 6, 1), "rally, media"],
        ["BEC-002", "Attended", "16-17", True, 44713, "rally"],
        ["BEC-003", "registered", None, "no", "06/07/2022", None],
        ["BEC-003", "registered", None, "no", "06/07/2022", None],          # duplicate row
        ["BEC-004", "#REF!", None, None, None, None],                       # error in required
        ["BEC-005", "no-show", "26+", "maybe", dt.datetime(2022, 6, 2), None],
    ],
    "MP meetings": [
        ["Name", "Date", "Role", "Constituency", "Meeting type", "Young people present",
         "Pledge signed"],
        ["Rt Hon Jane Smith MP", dt.datetime(2022, 6, 22), None, "Bristol West", "westminster hall", 4, "yes"],
        ["jane smith", dt.datetime(2022, 6, 22), "MP", None, "roundtable", 2, False],
        ["Bob Jones", "22 June 2022", "Minister", "Leeds North", "one-to-one", "1,200", True],
        ["Lord Peer", "31/02/2022", "Peer", None, None, "#N/A", "no"],
    ],
    "Pledges": [
        ["MP name", "Constituency", "Date", "Photo taken"],
        ["Bob Jones", None, dt.datetime(2022, 6, 22), "y"],
        [None, "Bristol West", 44734, "x"],
    ],
    "Media": [
        ["Outlet", "URL", "Date", "Type", "Reach"],
        ["BBC Newsround", "https://www.bbc.co.uk/newsround/1?utm_source=x", dt.datetime(2022, 6, 22),
         "broadcast", 1_200_000],
        ["Local Paper", "javascript:alert(1)", "22/06/2022", "print", "25,000"],
        ["The Guardian", "https://www.theguardian.com/a", dt.datetime(2022, 6, 23), "online", 300],
    ],
}


def test_figures_from_google_equal_figures_from_the_same_xlsx(google, client, tmp_path):
    from dashboard import pipeline
    from dashboard.config import CharityConfig, Config

    write_workbook(tmp_path / "become.xlsx", COALITION_ROWS)
    key = google.add("1SameDataKey", [(t, 100 + i, rows) for i, (t, rows) in enumerate(COALITION_ROWS.items())])

    config = Config(path=tmp_path / "coalition.toml", name="test", start=dt.date(2022, 5, 23),
                    end=dt.date(2022, 7, 22), charities=(
                        CharityConfig("From Excel", "become.xlsx"),
                        CharityConfig("From Google", f"gsheet:{key}")))
    coalition = pipeline.load_coalition(config, gspread_client=client, extra_checks=(), max_workers=1)

    excel, sheets = coalition.charity("From Excel"), coalition.charity("From Google")
    assert excel.status == sheets.status == "ok" and sheets.api_calls == 1
    figures = coalition.figures
    assert figures.loc["From Google"].tolist() == figures.loc["From Excel"].tolist()
    assert figures.loc["From Google", "attendees_registered"] == 4      # sanity: data was read
    for tab_key in excel.frames:
        pd.testing.assert_frame_equal(sheets.frames[tab_key], excel.frames[tab_key])

    def issue_keys(result):
        return sorted((i.tab or "", i.row or 0, i.column or "", i.severity, i.code) for i in result.issues)
    assert issue_keys(sheets) == issue_keys(excel)
    assert any(i.code == "error_value" for i in sheets.issues)
    assert all(i.link is None for i in excel.issues)
    assert any(i.link and f"/d/{key}/edit#gid=" in i.link for i in sheets.issues)
