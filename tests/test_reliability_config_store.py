"""Issue 16, the config, store and clock half: nothing they hold takes the dashboard down.

Each test names the case of docs/reliability.md it holds."""
from __future__ import annotations

import datetime as dt
import contextlib
import json
import os
import re
import sqlite3
import subprocess

import pytest
from sqlalchemy import event

import dashboard.store as store_module
from benchmarks.generate import generate
from dashboard import cli
from dashboard.config import ConfigError, load_config, parse_duration
from dashboard.pipeline import refresh
from dashboard.store import GuardedStore, Store
from tests.conftest import ROOT

CAMPAIGN = "[campaign]\nstart = 2022-05-23\nend = 2022-07-22\n"
CHARITY = '[[charity]]\nname = "A"\nsource = "a.xlsx"\n'


def write_config(tmp_path, text: str | bytes):
    path = tmp_path / "coalition.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def one_line_config_error(path) -> str:
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert "\n" not in message
    return message


# -- case 3: a typo in the access config never leaves the dashboard open ---------------

@pytest.mark.parametrize("text,words", [
    (CAMPAIGN + CHARITY + '[acess]\nmode = "links"\n', "[acess] is not a section; did you mean 'access'?"),
    (CAMPAIGN + CHARITY + '[access]\nmdoe = "links"\n', "[access] mdoe is not a key of [access]; did you mean 'mode'?"),
    (CAMPAIGN + CHARITY + 'access = "links"\n',
     "write access as its own [access] section, above the first [[charity]]"),
    (CAMPAIGN + 'acces = "links"\n' + CHARITY, "[campaign] acces is not a key of [campaign]"),
    (CAMPAIGN + CHARITY + '[access]\nmode = "link"\n', "[access] mode must be \"open\" or \"links\", not 'link'"),
])
def test_case3_access_typos_are_refused_with_a_did_you_mean(tmp_path, text, words):
    assert words in one_line_config_error(write_config(tmp_path, text))


def test_case3_the_access_mode_is_read_when_written_right(tmp_path):
    config = load_config(write_config(tmp_path, CAMPAIGN + CHARITY + '[access]\nmode = " Links "\n'))
    assert config.access_mode == "links"


def test_case3_the_command_line_stops_with_exit_2_and_one_line(tmp_path, capsys):
    path = write_config(tmp_path, CAMPAIGN + CHARITY + '[acess]\nmode = "links"\n')
    assert cli.main(["summary", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did you mean 'access'?" in err


def test_case3_the_app_shows_a_setup_page_for_a_typo(monkeypatch, tmp_path, fresh_app):
    from streamlit.testing.v1 import AppTest

    path = write_config(tmp_path, CAMPAIGN + CHARITY + '[access]\nmdoe = "links"\n')
    monkeypatch.setenv("DASHBOARD_CONFIG", str(path))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["The dashboard is not set up correctly"]
    assert "did you mean 'mode'?" in re.sub(r"\\(.)", r"\1", at.error[0].value)
    assert not at.metric and not at.dataframe


# -- case 6 and case 10: wrong types, non-UTF-8 files, durations out of range ----------

@pytest.mark.parametrize("text,words", [
    ("targets = 5\n" + CAMPAIGN + CHARITY, "[targets] must be a section"),
    ('storage = "x"\n' + CAMPAIGN + CHARITY, "[storage] must be a section"),
    ('cache = "10m"\n' + CAMPAIGN + CHARITY, "[cache] must be a section"),
    ("meeting = 3\n" + CAMPAIGN + CHARITY, "[meeting] must be a section"),
    ("charity = 3\n" + CAMPAIGN, "write each charity as a [[charity]] table"),
    (CAMPAIGN + CHARITY + '[targets]\nmps_met = "5"\n', "[targets] mps_met must be a whole number"),
    (CAMPAIGN + CHARITY + "[targets]\nmps_met = true\n", "[targets] mps_met must be a whole number"),
    (CAMPAIGN + CHARITY + "[cache]\nttl = 10\n", "[cache] ttl must be text in quotes"),
    (CAMPAIGN + CHARITY + '[cache]\nttl = "0s"\n', "[cache] ttl: '0s' is out of range"),
    (CAMPAIGN + CHARITY + '[cache]\nttl = "30s"\n', "[cache] ttl: '30s' is out of range"),
    (CAMPAIGN + CHARITY + '[cache]\nttl = "8d"\n', "[cache] ttl: '8d' is out of range"),
    (CAMPAIGN + CHARITY + '[cache]\nttl = "99999999999999999d"\n', "far too long a duration"),
    (CAMPAIGN + CHARITY + '[meeting]\nlast = "tomorrow"\n', "[meeting] last: must be a date"),
    (CAMPAIGN + CHARITY + '[campaign2]\n', "did you mean 'campaign'?"),
    (CAMPAIGN + '[[charity]]\nname = "A"\nsource = 3\n', "[[charity]] number 1 source must be text"),
])
def test_case6_case10_unusable_values_are_one_line_config_errors(tmp_path, text, words):
    assert words in one_line_config_error(write_config(tmp_path, text))


def test_case10_a_config_that_is_not_utf8_is_said_in_words(tmp_path):
    path = write_config(tmp_path, (CAMPAIGN + '[[charity]]\nname = "Caf\xe9"\nsource = "a"\n').encode("latin-1"))
    assert "is not UTF-8 text" in one_line_config_error(path)


@pytest.mark.parametrize("text", ["99999999999999999d", "9" * 5000 + "s"])
def test_case10_durations_too_long_for_a_time_are_value_errors(text):
    with pytest.raises(ValueError, match="far too long"):
        parse_duration(text)


def test_case10_link_expires_too_long_is_one_line_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_LINK_SECRET", "s" * 40)
    path = write_config(tmp_path, CAMPAIGN + CHARITY)
    code = cli.main(["link", "--config", str(path), "--role", "trustee", "--expires", "99999999999999999d"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "far too long" in err


def test_case6_the_shortest_ttl_accepted_is_a_minute(tmp_path):
    config = load_config(write_config(tmp_path, CAMPAIGN + CHARITY + '[cache]\nttl = "1m"\n'))
    assert config.cache_ttl_seconds == 60


def test_the_readme_config_reference_is_the_schema():
    from dashboard.docs import CONFIG_BEGIN, CONFIG_END, README, block, render_config
    assert block(README, CONFIG_BEGIN, CONFIG_END).strip() == render_config().strip(), \
        "run `python -m dashboard.docs` to rewrite the README's config reference"


def test_every_documented_example_config_loads(tmp_path):
    """The README's example config is accepted (its sources need not exist to load it)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(\[campaign\].*?)```", text, re.S).group(1)
    config = load_config(write_config(tmp_path, example))
    assert config.access_mode == "links" and config.cache_ttl_seconds == 600


# -- cases 5, 9, 11: store trouble never takes the dashboard down ----------------------

TINY = dict(charities=3, attendees=30, meetings=10, pledges=5, media=8)


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    """A three-charity coalition, its store beside it, and its figures read without a store."""
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_S", 0.5)     # a held lock: 0.5 s, not 30
    monkeypatch.setattr(GuardedStore, "RETRY_S", 0.0)            # recovery is tried at once
    config_path = generate(tmp_path / "c", **TINY)
    monkeypatch.setenv("DASHBOARD_STORAGE_URL", "sqlite://")     # in memory: nothing kept
    config = load_config(config_path)
    _, summary = refresh(config, Store(config.storage_url))
    return config_path, summary["coalition"]


def figures_with_store(config_path, monkeypatch, url: str):
    """(coalition figures, the store's problem) of an app-style refresh with the store at url."""
    monkeypatch.setenv("DASHBOARD_STORAGE_URL", url)
    config = load_config(config_path)
    store = GuardedStore(config.storage_url)
    coalition, summary = refresh(config, store)
    assert [c.status for c in coalition.charities] == ["ok"] * 3
    return summary["coalition"], store


def cli_refresh(config_path, monkeypatch, capsys, url: str) -> tuple[int, str]:
    monkeypatch.setenv("DASHBOARD_STORAGE_URL", url)
    code = cli.main(["refresh", "--config", str(config_path)])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("store error:")]
    assert "Traceback" not in err and len(lines) == 1
    return code, lines[0]


def sqlite_url(path) -> str:
    return f"sqlite:///{path}"


def filled_store(path) -> None:
    """A store with a good read and a snapshot in its main file (no WAL left beside it)."""
    config = load_config(generate(path.parent / "other", **TINY))
    store = Store(sqlite_url(path))
    refresh(config, store)
    store.engine.dispose()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")


def test_case11_read_only_store_serves_sources_and_says_so(tiny, tmp_path, monkeypatch, capsys):
    config_path, expected = tiny
    path = tmp_path / "state.sqlite"
    filled_store(path)
    url = f"sqlite:///file:{path}?mode=ro&uri=true"      # SQLite refuses writes, even as root
    figures, store = figures_with_store(config_path, monkeypatch, url)
    assert figures == expected and "is read-only" in store.problem
    code, line = cli_refresh(config_path, monkeypatch, capsys, url)
    assert code == 2 and "is read-only" in line


def test_case11_corrupt_store_serves_sources_and_says_so(tiny, tmp_path, monkeypatch, capsys):
    config_path, expected = tiny
    path = tmp_path / "state.sqlite"
    path.write_bytes(os.urandom(64 * 1024))
    figures, store = figures_with_store(config_path, monkeypatch, sqlite_url(path))
    assert figures == expected and "is corrupt" in store.problem
    for command in (["refresh"], ["history"], ["link", "list"], ["pack", "--out", str(tmp_path / "p")]):
        assert cli.main([*command, "--config", str(config_path)]) == 2, command
        err = capsys.readouterr().err
        assert err.count("store error:") == 1 and "is corrupt" in err and "Traceback" not in err


def test_case11_truncated_store_serves_sources_and_says_so(tiny, tmp_path, monkeypatch, capsys):
    config_path, expected = tiny
    path = tmp_path / "state.sqlite"
    filled_store(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    figures, store = figures_with_store(config_path, monkeypatch, sqlite_url(path))
    assert figures == expected and "is corrupt" in store.problem
    code, line = cli_refresh(config_path, monkeypatch, capsys, sqlite_url(path))
    assert code == 2 and "is corrupt" in line


def test_case11_a_lock_held_longer_than_the_timeout(tiny, tmp_path, monkeypatch, capsys):
    config_path, expected = tiny
    path = tmp_path / "state.sqlite"
    filled_store(path)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")            # another process writing, and not finishing
    try:
        figures, store = figures_with_store(config_path, monkeypatch, sqlite_url(path))
        assert figures == expected and "is locked by another process" in store.problem
        code, line = cli_refresh(config_path, monkeypatch, capsys, sqlite_url(path))
        assert code == 2 and "is locked" in line
    finally:
        holder.rollback()
        holder.close()
    # The lock released, the next refresh writes again and the problem is gone.
    refresh(load_config(config_path), store)
    assert store.problem is None
    assert len(Store(sqlite_url(path)).snapshots()) >= 2


def _page_limit(store: GuardedStore):
    """Cap the SQLite file at its current size: every write that grows it then fails with
    SQLite's own SQLITE_FULL ("database or disk is full"), as on a full disk."""
    engine = store._open().engine

    def cap(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        pages = cur.execute("PRAGMA page_count").fetchone()[0]
        cur.execute(f"PRAGMA max_page_count = {pages}")
        cur.close()
    event.listen(engine, "connect", cap)
    engine.dispose()
    return lambda: (event.remove(engine, "connect", cap), engine.dispose())


def test_case5_full_store_serves_sources_and_writes_again_when_space_is_freed(
        tiny, tmp_path, monkeypatch):
    """Full disk simulated by SQLite's page limit (SQLITE_FULL, the error a full disk
    gives); the test below uses a real full filesystem where the machine allows it."""
    config_path, expected = tiny
    path = tmp_path / "state.sqlite"
    monkeypatch.setenv("DASHBOARD_STORAGE_URL", sqlite_url(path))
    config = load_config(config_path)
    store = GuardedStore(config.storage_url)
    lift = _page_limit(store)
    coalition, summary = refresh(config, store)
    assert summary["coalition"] == expected and "is on a full disk" in store.problem
    names = [c.name for c in config.charities]
    assert all(Store(sqlite_url(path)).last_good_read(n) is None for n in names)
    lift()
    refresh(config, store)
    assert store.problem is None
    assert all(Store(sqlite_url(path)).last_good_read(n) is not None for n in names)


@pytest.fixture
def small_tmpfs(tmp_path):
    """A real 200 KiB filesystem, where this process may mount one (root, Linux)."""
    where = tmp_path / "small"
    where.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(where)],
                              capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        done = None
    if done is None or done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root on Linux); "
                    "test_case5_full_store_… simulates the full disk instead")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=10)


def test_case5_store_on_a_really_full_filesystem(tiny, small_tmpfs, monkeypatch, capsys):
    config_path, expected = tiny
    ballast = small_tmpfs / "ballast"
    with contextlib.suppress(OSError):      # fill the disk but for a few KiB
        with open(ballast, "wb") as fh:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
    url = sqlite_url(small_tmpfs / "state.sqlite")
    figures, store = figures_with_store(config_path, monkeypatch, url)
    assert figures == expected and "full disk" in store.problem
    code, line = cli_refresh(config_path, monkeypatch, capsys, url)
    assert code == 2 and "full disk" in line
    ballast.unlink()                         # space freed: the next refresh writes again
    refresh(load_config(config_path), store)
    assert store.problem is None
    assert Store(url).last_good_read(load_config(config_path).charities[0].name) is not None


@pytest.mark.parametrize("url,words", [
    ("sqlite:////nonexistent/dir/x.sqlite", "cannot be opened"),
    ("bogus://x", "is not a database URL"),
    ("postgresql+psycopg://dashboard:s3cret-pw@127.0.0.1:1/dashboard", "cannot be reached"),
])
def test_case9_unreachable_or_bogus_store(tiny, tmp_path, monkeypatch, capsys, url, words):
    config_path, expected = tiny
    figures, store = figures_with_store(config_path, monkeypatch, url)
    assert figures == expected and words in store.problem and "s3cret" not in store.problem
    monkeypatch.setenv("DASHBOARD_LINK_SECRET", "k" * 40)
    for command in (["refresh"], ["history"], ["link", "list"],
                    ["link", "--role", "trustee", "--expires", "3d"],
                    ["pack", "--out", str(tmp_path / "p")]):
        assert cli.main([*command, "--config", str(config_path)]) == 2, command
        err = capsys.readouterr().err
        assert err.count("store error:") == 1 and words in err, command
        assert "Traceback" not in err and "s3cret" not in err


def test_case9_summary_still_works_without_its_store(tiny, monkeypatch, capsys):
    config_path, expected = tiny
    monkeypatch.setenv("DASHBOARD_STORAGE_URL", "bogus://x")
    assert cli.main(["summary", "--json", "--config", str(config_path)]) == 0
    assert json.loads(capsys.readouterr().out)["coalition"] == expected


def test_case11_a_link_is_refused_in_words_when_the_store_cannot_be_read(tmp_path):
    from dashboard.access.links import mint_token, resolve_viewer
    from dashboard.access.roles import AccessDenied
    path = tmp_path / "state.sqlite"
    path.write_bytes(os.urandom(8192))
    store = GuardedStore(sqlite_url(path))
    config = load_config(write_config(tmp_path, CAMPAIGN + CHARITY + '[access]\nmode = "links"\n'))
    token = mint_token("abc123", "trustee", None, dt.datetime(2099, 1, 1, tzinfo=dt.timezone.utc),
                       keys=["k" * 40])
    denied = resolve_viewer(config, {"token": token}, store, keys=["k" * 40])
    assert isinstance(denied, AccessDenied) and "cannot check links just now" in str(denied)


@pytest.mark.parametrize("app_reads", ["sources", "store"])
def test_case11_the_app_serves_figures_and_a_banner_with_a_corrupt_store(
        tiny, tmp_path, monkeypatch, fresh_app, app_reads):
    """Also an app that only loads the store (the refresh timer's): with the store
    unreadable, it reads the sources rather than show nothing."""
    from streamlit.testing.v1 import AppTest
    config_path, expected = tiny
    path = tmp_path / "state.sqlite"
    path.write_bytes(os.urandom(64 * 1024))
    monkeypatch.setenv("DASHBOARD_APP_READS", app_reads)
    monkeypatch.setenv("DASHBOARD_CONFIG", str(config_path))
    monkeypatch.setenv("DASHBOARD_STORAGE_URL", sqlite_url(path))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
    assert not at.exception
    banners = [w.value for w in at.warning if "store cannot be used" in w.value]
    assert len(banners) == 1 and "is corrupt" in banners[0]
    from dashboard.contract import FIGURE_LABELS
    assert {m.label: m.value for m in at.metric} == \
        {FIGURE_LABELS[k]: f"{v:,}" for k, v in expected.items()}


# -- case 8: bounded time ------------------------------------------------------------

@pytest.mark.parametrize("now", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:59:59+00:00",
                                 "1999-12-31T23:00:00Z", "2101-01-01T00:00:00Z"])
@pytest.mark.parametrize("command", [["refresh"], ["link", "--role", "trustee", "--expires", "3d"],
                                     ["history"], ["summary"]])
def test_case8_a_clock_outside_the_years_stops_every_command_in_one_line(
        tmp_path, monkeypatch, capsys, now, command):
    monkeypatch.setenv("DASHBOARD_NOW", now)
    monkeypatch.setenv("DASHBOARD_LINK_SECRET", "k" * 40)
    path = write_config(tmp_path, CAMPAIGN + CHARITY)
    assert cli.main([*command, "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "outside the years 2000 to 2100" not in err
    assert "DASHBOARD_NOW is" in err and "from 2000 to 2100" in err
    assert not (tmp_path / "state.sqlite").exists() or Store(sqlite_url(tmp_path / "state.sqlite")).snapshots() == []


def test_case8_the_edges_of_the_years_are_accepted():
    from dashboard.clock import parse_instant
    assert parse_instant("2000-01-01T00:00:00Z").year == 2000
    assert parse_instant("2100-12-31T23:59:59+01:00").year == 2100


def _bad_times_store(path):
    """A store an earlier version wrote: one good snapshot, one at year 1 (its offset
    takes it below datetime's minimum), one at year 9999, one with figures cut short,
    a last good read at year 1 and a link expiring in year 9999."""
    from sqlalchemy import insert

    from dashboard.history import snapshot_from_summary
    from dashboard.store import last_good, links, snapshots
    config = load_config(generate(path.parent / "old", **TINY))
    store = Store(sqlite_url(path))
    _, summary = refresh(config, store)
    payload = json.dumps(snapshot_from_summary(summary))
    with store.engine.begin() as conn:
        conn.execute(insert(snapshots).values(id="year-1", seq=90, at="0001-01-01T00:30:00+01:00",
                                              payload=payload))
        conn.execute(insert(snapshots).values(id="year-9999", seq=91, at="9999-12-31T23:59:59-01:00",
                                              payload=payload))
        conn.execute(insert(snapshots).values(id="cut", seq=92, at="2022-06-01T09:00:00+01:00",
                                              payload=payload[: len(payload) // 2]))
        conn.execute(last_good.update().where(last_good.c.charity == config.charities[0].name)
                     .values(read_at="0001-01-01T00:30:00+01:00"))
        conn.execute(insert(links).values(id="far", role="trustee", charity=None,
                                          created_at="2022-06-01T09:00:00+01:00",
                                          expires_at="9999-12-31T23:59:59+00:00"))
    return config, store


def test_case8_history_pack_and_links_survive_bad_stored_times(tmp_path, monkeypatch, capsys):
    path = tmp_path / "state.sqlite"
    config, store = _bad_times_store(path)
    monkeypatch.setenv("DASHBOARD_STORAGE_URL", sqlite_url(path))
    assert [s["id"] for s in store.snapshots()] != [] and \
        {"year-1", "year-9999", "cut"}.isdisjoint(s["id"] for s in store.snapshots())
    assert store.last_good_read(config.charities[0].name) is None
    assert store.checked_read(config.charities[0].name, config.charities[0].source, "x") is None
    config_path = str(config.path)
    for command in (["history"], ["history", "--json"], ["pack", "--out", str(tmp_path / "p")],
                    ["link", "list"], ["summary"], ["refresh"]):
        assert cli.main([*command, "--config", config_path]) == 0, command
        err = capsys.readouterr().err
        assert "Traceback" not in err and "Error" not in err, command


def test_case8_nothing_outside_the_years_is_stored(tmp_path):
    import datetime as dt
    store = Store(sqlite_url(tmp_path / "state.sqlite"))
    far = dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with pytest.raises(ValueError, match="outside the years 2000 to 2100"):
        store.add_snapshot(far, {"coalition": {}, "charities": []})
    with pytest.raises(ValueError, match="outside the years"):
        store.add_link("x", "trustee", None, dt.datetime(2022, 1, 1, tzinfo=dt.timezone.utc),
                       dt.datetime(9999, 1, 1, tzinfo=dt.timezone.utc))
    assert store.snapshots() == [] and store.links() == []


# -- case 7: "Refresh now" shared and limited -------------------------------------------

def test_case7_refresh_now_reads_each_source_at_most_once_a_minute_across_sessions(
        monkeypatch, fresh_app):
    """Ten clicks from two sessions within a minute read nothing more and say when the
    next read is possible; a minute after the last read, one click reads once again."""
    from streamlit.testing.v1 import AppTest

    import dashboard.pipeline as pipeline
    from dashboard.app import app_data

    reads = []
    real = pipeline.read_source
    monkeypatch.setattr(pipeline, "read_source", lambda s, **k: reads.append(s) or real(s, **k))
    seconds = [5000.0]
    monkeypatch.setattr(app_data, "READ_LIMIT", app_data.ReadLimit(monotonic=lambda: seconds[0]))
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-23T09:00:00+01:00")
    sessions = [AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
                for _ in range(2)]
    once = sorted(c.source for c in load_config().charities)
    assert sorted(reads) == once                      # two sessions, one read

    def click(at):
        next(b for b in at.button if b.label == "Refresh now").click()
        at.run()
        assert not at.exception
        return [i.value for i in at.info if "next read is possible" in i.value]

    for i in range(10):
        seconds[0] += 5                                # 50 s of clicking
        said = click(sessions[i % 2])
        assert len(said) == 1 and f"(in {60 - 5 * (i + 1)} s)" in said[0], said
    assert sorted(reads) == once
    assert "the next read is possible at 09:00:10" in said[0]

    seconds[0] += 10                                   # a minute after the read
    assert click(sessions[1]) == []
    assert sorted(reads) == sorted(once * 2)
    assert len(click(sessions[0])) == 1                # the other session: not yet again
    assert sorted(reads) == sorted(once * 2)


def test_case7_the_limit_is_shared_by_threads():
    """Sessions run on threads: of 20 clicks at once, one claims the read."""
    from concurrent.futures import ThreadPoolExecutor

    from dashboard.app.app_data import ReadLimit
    limit = ReadLimit(gap_s=60)
    with ThreadPoolExecutor(8) as pool:
        waits = list(pool.map(lambda _: limit.claim(), range(20)))
    assert sum(1 for w in waits if w == 0) == 1 and all(0 < w <= 60 for w in waits if w)


# -- case 12: a full disk for `template` ---------------------------------------------------

def test_case12_template_on_a_really_full_filesystem(small_tmpfs, capsys):
    ballast = small_tmpfs / "ballast"
    with contextlib.suppress(OSError):
        with open(ballast, "wb") as fh:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
    out = small_tmpfs / "blank.xlsx"
    assert cli.main(["template", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert sorted(p.name for p in small_tmpfs.iterdir()) == ["ballast"]     # nothing half-written
    ballast.unlink()
    assert cli.main(["template", "--out", str(out)]) == 0 and out.stat().st_size > 1000


def test_case12_template_disk_full_simulated(tmp_path, monkeypatch, capsys):
    """Where no small filesystem can be mounted: the file's writes fail with ENOSPC after
    the first bytes, as on a disk that fills up while writing."""
    import builtins
    import errno

    from dashboard.reports import files

    real_open = builtins.open

    class FillsUp:
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            self.fh.write(data[:100])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    monkeypatch.setattr(files, "open", lambda *a, **k: FillsUp(real_open(*a, **k)), raising=False)
    out = tmp_path / "blank.xlsx"
    assert cli.main(["template", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert list(tmp_path.iterdir()) == []


def test_case11_a_held_lock_is_waited_for_once_a_refresh_not_once_a_charity(
        tiny, tmp_path, monkeypatch):
    config_path, expected = tiny
    monkeypatch.setattr(GuardedStore, "RETRY_S", 30.0)
    path = tmp_path / "state.sqlite"
    filled_store(path)
    tried = []
    for name in ("save_good_read", "add_snapshot"):
        real = getattr(Store, name)
        monkeypatch.setattr(Store, name, lambda self, *a, _n=name, _r=real, **k:
                            tried.append(_n) or _r(self, *a, **k))
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        figures, store = figures_with_store(config_path, monkeypatch, sqlite_url(path))
    finally:
        holder.rollback()
        holder.close()
    assert figures == expected and "is locked" in store.problem
    assert tried == ["save_good_read"]          # the other charities and the snapshot wait no more


@pytest.mark.parametrize("role, banner", [("coalition", True), ("trustee", False)])
def test_the_store_banner_is_for_the_team_not_trustees(app, links_config, monkeypatch, role, banner):
    """A store that still checks links but cannot be written (a full disk): the coalition
    is told once, a trustee (who sees aggregates only) is not."""
    from dashboard.store import GuardedStore
    from tests.app_helpers import _mint, _run

    token = _mint(links_config, role).token
    monkeypatch.setattr(GuardedStore, "problem", property(
        lambda self: "the store at sqlite:///x is on a full disk"))
    at = _run(app(token))
    shown = [w.value for w in at.warning if "store cannot be used" in w.value]
    assert len(shown) == (1 if banner else 0)


def test_the_store_banner_is_said_once_on_the_meeting_page(app, links_config, monkeypatch):
    """The meeting page reads the loaded coalition once a run (its pack's map and its
    highlights reuse it), so the store's trouble is said once there too."""
    from dashboard.store import GuardedStore
    from tests.app_helpers import _mint, _run

    token = _mint(links_config, "coalition").token
    monkeypatch.setattr(GuardedStore, "problem", property(
        lambda self: "the store at sqlite:///x is on a full disk"))
    at = _run(app(token))
    at.switch_page("pages/meeting.py")
    at.run()
    assert not at.exception
    shown = [w.value for w in at.warning if "store cannot be used" in w.value]
    assert len(shown) == 1
