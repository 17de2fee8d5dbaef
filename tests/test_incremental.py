"""The change-aware refresh (dashboard/incremental.py) against the Google stand-in.

Every count here is of HTTP requests the stand-in (tests/test_gsheets.py FakeGoogle)
answered: Drive's change log on www.googleapis.com, spreadsheets on sheets.googleapis.com.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import gspread
import pytest

from connectors.google_http import RetryPolicy
from dashboard import incremental, views
from dashboard.config import CharityConfig
from dashboard.store import Store
from tests.fixtures import STORE_KINDS, make_store_url
from tests.google_standin import (Fail, _service_account_file, coalition_of, refreshed,
                                   tabs_with)

ROOT = Path(__file__).resolve().parents[1]


def test_an_idle_refresh_of_50_sheets_makes_one_drive_call_and_no_sheets_call(google, client, tmp_path):
    config = coalition_of(google, 50, tmp_path)
    first, first_summary, drive, sheets = refreshed(config, google, client)
    assert (drive, sheets) == (1, 50) and first.full_read          # start token, then every sheet
    again, summary, drive, sheets = refreshed(config, google, client)
    assert (drive, sheets) == (1, 0) and not again.full_read
    assert summary["coalition"] == first_summary["coalition"]
    assert summary["coalition"]["attendees_registered"] > 0
    assert all(c.status == "ok" and c.checked_at is not None for c in again.charities)


def test_one_changed_sheet_is_one_drive_and_one_sheets_call_and_the_next_snapshot_shows_it(
        google, client, tmp_path):
    config = coalition_of(google, 12, tmp_path)
    store = Store(config.storage_url)
    refreshed(config, google, client, store)
    google.edit("1Key007_abcdef", tabs_with(extra_attendees=3))
    coalition, _, drive, sheets = refreshed(config, google, client, store)
    assert (drive, sheets) == (1, 1)
    assert google.calls("1Key007_abcdef") == 2                     # the first read, and now
    before, after = store.snapshots()[-2:]
    assert after["coalition"]["attendees_registered"] == before["coalition"]["attendees_registered"] + 3
    changed = coalition.charity("Charity 007")
    assert changed.checked_at is None and changed.api_calls == 1
    assert coalition.charity("Charity 006").checked_at is not None


def test_the_sources_table_says_read_or_unchanged_since(google, client, tmp_path, monkeypatch):
    config = coalition_of(google, 3, tmp_path)
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-23T09:12:00+01:00")
    refreshed(config, google, client)
    google.edit("1Key001_abcdef", tabs_with(extra_attendees=1))
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-23T09:40:00+01:00")
    coalition, *_ = refreshed(config, google, client)
    table = views.source_status_table(coalition, coalition.read_at).set_index("charity")
    assert table.at["Charity 000", "freshness"] == "unchanged since 09:12 (checked 09:40)"
    assert table.at["Charity 001", "freshness"] == "read 09:40"


@pytest.mark.parametrize("lose", ["expired token", "store lost its state", "new sheet in the config"])
def test_a_lost_or_expired_token_or_a_new_sheet_gives_a_full_read(google, client, tmp_path, lose):
    config = coalition_of(google, 7, tmp_path)
    store = Store(config.storage_url)
    refreshed(config, google, client, store)
    if lose == "expired token":
        google.expire_tokens()
    elif lose == "store lost its state":
        store = Store(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    else:
        key = google.add("1KeyNew_abcdef", tabs_with())
        config = dataclasses.replace(config, charities=(*config.charities,
                                                        CharityConfig("Newcomer", f"gsheet:{key}")))
    coalition, _, drive, sheets = refreshed(config, google, client, store)
    assert coalition.full_read and sheets == len(config.charities)
    # expired: the refused changes.list, then a new start token; otherwise just the token
    assert drive == (2 if lose == "expired token" else 1)
    assert refreshed(config, google, client, store)[2:] == (1, 0)   # and savings resume


def test_a_full_read_at_least_every_n_hours(google, client, tmp_path, monkeypatch):
    config = dataclasses.replace(coalition_of(google, 5, tmp_path),
                                 full_read_every=dt.timedelta(hours=2))
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-23T08:00:00+01:00")
    refreshed(config, google, client)
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-23T09:59:00+01:00")
    assert refreshed(config, google, client)[3] == 0
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-23T10:00:00+01:00")
    coalition, _, _, sheets = refreshed(config, google, client)
    assert coalition.full_read and sheets == 5


def test_drive_not_enabled_gives_a_full_read_and_one_clear_message(google, client, tmp_path):
    config = coalition_of(google, 7, tmp_path)
    refreshed(config, google, client)
    google.drive_enabled = False
    coalition, summary, drive, sheets = refreshed(config, google, client)
    assert coalition.full_read and sheets == 7 and drive == 1     # no second 403 for a token
    assert "Google Drive API" in coalition.refresh_note
    assert "docs/google-sheets.md" in coalition.refresh_note
    assert all(c.status == "ok" for c in coalition.charities)
    google.drive_enabled = True
    # back on: the first refresh has no token (it could not get one), so reads everything
    assert refreshed(config, google, client)[2:] == (1, 7)
    assert refreshed(config, google, client)[2:] == (1, 0)


def test_any_other_drive_error_gives_a_full_read(google, client, tmp_path):
    config = coalition_of(google, 4, tmp_path)
    store = Store(config.storage_url)
    refreshed(config, google, client, store)
    google.script("drive", 503, 503)     # changes.list fails twice, then answers
    fast = RetryPolicy(max_attempts=2, first_delay_s=0.001, max_delay_s=0.002)
    coalition = incremental.load_coalition_changes(config, store, gspread_client=client,
                                                   drive_retry=fast)
    assert coalition.full_read and coalition.drive_calls == 3      # 2 tries, then a start token
    assert sum(c.api_calls for c in coalition.charities) == 4


def test_a_changed_sheet_that_could_not_be_read_is_read_again_next_time(google, client, tmp_path):
    config = coalition_of(google, 4, tmp_path)
    store = Store(config.storage_url)
    refreshed(config, google, client, store)
    google.edit("1Key002_abcdef", tabs_with(extra_attendees=2))
    google.script("1Key002_abcdef", Fail(404))
    coalition, _, _, sheets = refreshed(config, google, client, store)
    assert sheets == 1 and coalition.charity("Charity 002").status == "stale"
    coalition, summary, drive, sheets = refreshed(config, google, client, store)   # no new edit
    assert (drive, sheets) == (1, 1) and coalition.charity("Charity 002").status == "ok"
    assert refreshed(config, google, client, store)[2:] == (1, 0)


def test_separate_refresh_processes_keep_the_savings(google, tmp_path):
    """`python -m dashboard refresh` five times, each a new process with the stand-in
    answering every HTTPS request of the process and a real service-account key (google-auth signs,
    the stand-in issues the token): the token in the store carries the savings over; with
    Drive turned off, the run reads everything and says why once."""
    count = 6
    config = coalition_of(google, count, tmp_path)
    lines = ["[campaign]", 'name = "test"', "start = 2022-05-23", "end = 2022-07-22",
             "[storage]", f'url = "{config.storage_url}"']
    for c in config.charities:
        lines += ["[[charity]]", f'name = "{c.name}"', f'source = "{c.source}"']
    (tmp_path / "coalition.toml").write_text("\n".join(lines) + "\n")
    _, key_file = _service_account_file(tmp_path)
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {str(ROOT)!r})
        from urllib.parse import urlsplit
        import requests
        from tests.google_standin import FakeGoogle
        state_file, seen_file = {str(tmp_path / 'google.json')!r}, {str(tmp_path / 'seen.jsonl')!r}
        fake = FakeGoogle.from_state(json.load(open(state_file)))
        answer = fake.send

        def send(request, **kwargs):
            # (from the request: google-auth's background lookups run in other threads)
            url = urlsplit(request.url)
            with open(seen_file, "a") as out:
                out.write(json.dumps([url.netloc, url.path]) + "\\n")
            return answer(request, **kwargs)

        # Every adapter requests and google-auth mount (the token request mounts its own).
        requests.adapters.HTTPAdapter.send = lambda self, request, **kw: send(request, **kw)
    """))
    env = {**os.environ, "PYTHONPATH": str(hook), "GOOGLE_APPLICATION_CREDENTIALS": str(key_file),
           "DASHBOARD_CONFIG": str(tmp_path / "coalition.toml"), "DASHBOARD_LOG_LEVEL": "INFO"}
    env.pop("DASHBOARD_STORAGE_URL", None)

    def run() -> tuple[int, int, str]:
        (tmp_path / "google.json").write_text(json.dumps(google.state()))
        seen = tmp_path / "seen.jsonl"
        seen.write_text("")
        proc = subprocess.run([sys.executable, "-m", "dashboard", "refresh"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        hosts = [json.loads(line)[0] for line in seen.read_text().splitlines()]
        return (hosts.count("www.googleapis.com"), hosts.count("sheets.googleapis.com"),
                proc.stdout + proc.stderr)

    drive, sheets, out = run()
    assert (drive, sheets) == (1, count) and "full read" in out
    drive, sheets, out = run()
    # The unchanged sheets' validations come from the store's combined row, in one decode.
    assert (drive, sheets) == (1, 0) and f"{count} from the stored coalition" in out
    google.edit("1Key003_abcdef", tabs_with(extra_attendees=1))
    drive, sheets, out = run()
    assert (drive, sheets) == (1, 1) and "changes only" in out
    assert f"{count - 1} from the stored coalition, 0 from their own" in out
    assert run()[:2] == (1, 0)
    google.drive_enabled = False
    drive, sheets, out = run()
    assert (drive, sheets) == (1, count) and out.count("Google Drive said no") == 1
    snapshots = Store(config.storage_url).snapshots()
    assert len(snapshots) == 5
    assert snapshots[2]["coalition"]["attendees_registered"] == \
        snapshots[1]["coalition"]["attendees_registered"] + 1


def test_store_mode_servers_show_when_drive_last_checked(google, client, tmp_path, monkeypatch):
    from dashboard.pipeline import load_coalition_from_store
    config = coalition_of(google, 3, tmp_path)
    store = Store(config.storage_url)
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-23T09:12:00+01:00")
    refreshed(config, google, client, store)
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-23T09:40:00+01:00")
    refreshed(config, google, client, store)
    served = incremental.with_check_times(load_coalition_from_store(config, store), store)
    table = views.source_status_table(served, served.read_at).set_index("charity")
    assert set(table["freshness"]) == {"unchanged since 09:12 (checked 09:40)"}


def test_more_changes_than_one_page_are_followed_and_counted(google, client):
    from connectors import gdrive
    key = google.add("1KeyBusy_abcdef", tabs_with())
    token, calls = gdrive.start_page_token(client)
    for _ in range(gdrive.PAGE_SIZE + 200):
        google.touch(key)
    other = google.add("1KeyQuiet_abcdef", tabs_with())
    changed, new_token, calls = gdrive.changed_since(client, token)
    assert changed == {key, other} and calls == 2
    assert gdrive.changed_since(client, new_token)[0] == set()


def test_the_stand_in_answers_files_list_with_q_and_fields(google, client):
    """files.list as Google documents it (q terms joined by `and`, a fields mask): the
    dashboard asks changes.list instead (docs/google-sheets.md says why)."""
    google.add("1KeyOld_abcdef", tabs_with())
    since = google.modified["1KeyOld_abcdef"]
    google.add("1KeyNew_abcdef", tabs_with())
    http = client.http_client
    answer = http.request("get", "https://www.googleapis.com/drive/v3/files", params={
        "q": f"mimeType = 'application/vnd.google-apps.spreadsheet' and modifiedTime > '{since}'",
        "fields": "files(id,modifiedTime)"}).json()
    assert answer == {"files": [{"id": "1KeyNew_abcdef", "modifiedTime": google.modified["1KeyNew_abcdef"]}]}
    with pytest.raises(gspread.exceptions.APIError):
        http.request("get", "https://www.googleapis.com/drive/v3/files",
                     params={"fields": "files(id,owners)"})
    assert google.drive_calls() == 2


def test_a_sheet_link_that_is_not_one_does_not_make_every_refresh_a_full_read(google, client, tmp_path):
    config = coalition_of(google, 3, tmp_path)
    config = dataclasses.replace(config, charities=(
        *config.charities, CharityConfig("Typo", "https://docs.google.com/spreadsheets/d/e/2PACX-x/pubhtml")))
    refreshed(config, google, client)
    coalition, _, drive, sheets = refreshed(config, google, client)
    assert (drive, sheets) == (1, 0) and not coalition.full_read
    assert coalition.charity("Typo").status == "error"


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_the_change_state_round_trips_in_every_store(kind, tmp_path):
    url, cleanup = make_store_url(kind, tmp_path)
    try:
        store = Store(url)
        assert incremental.read_state(store) == incremental.WatchState()
        at = dt.datetime(2022, 6, 23, 9, 12, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        state = incremental.WatchState("4242", at, frozenset({"1KeyA", "1KeyB"}))
        incremental.write_state(store, state)
        incremental.write_state(store, state)                      # one row, not two
        assert incremental.read_state(store) == state
        incremental.record_checks(store, {"Become": ("gsheet:1KeyA", at)})
        incremental.record_checks(store, {"Become": ("gsheet:1KeyA", at + dt.timedelta(minutes=28))})
        assert incremental.checked_times(store) == {("Become", "gsheet:1KeyA"): at + dt.timedelta(minutes=28)}
        incremental.forget_state(store)
        assert incremental.read_state(store).page_token is None
    finally:
        cleanup()
