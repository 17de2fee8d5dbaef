import re

import pytest

from dashboard.config import ConfigError, DEMO_CONFIG, load_config, parse_duration

BASE = """
[campaign]
start = 2022-05-23
end = 2022-07-22
"""


def write(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_is_the_default(monkeypatch):
    monkeypatch.delenv("DASHBOARD_CONFIG", raising=False)
    config = load_config()
    assert config.path == DEMO_CONFIG.resolve() and config.demo and len(config.charities) == 7


def test_env_names_another_config(tmp_path, monkeypatch):
    path = write(tmp_path, BASE + '[[charity]]\nname = "A"\nsource = "a.xlsx"\n')
    monkeypatch.setenv("DASHBOARD_CONFIG", str(path))
    assert [c.name for c in load_config().charities] == ["A"]


@pytest.mark.parametrize("text,words", [
    ("[campaign]\nstart = 2022-05-23\n", "start and end"),
    (BASE, "at least one [[charity]]"),
    (BASE + '[[charity]]\nname = "A"\n', "name and source"),
    (BASE + '[[charity]]\nname = "A"\nsource="a"\n[[charity]]\nname = "a"\nsource="b"\n', "listed twice"),
    (BASE + '[[charity]]\nname = "Coalition"\nsource="a"\n', "Coalition"),
    (BASE + '[[charity]]\nname = "A"\nsource="a"\n[targets]\nmps = 3\n', "not a figure"),
    (BASE + '[[charity]]\nname = "A"\nsource="a"\n[access]\nmode = "secret"\n', "open"),
    ("[campaign\n", "not valid TOML"),
    ("[campaign]\nstart = 2022-07-22\nend = 2022-05-23\n[[charity]]\nname='A'\nsource='a'\n", "before start"),
])
def test_unusable_configs_say_why(tmp_path, text, words):
    with pytest.raises(ConfigError, match=None) as err:
        load_config(write(tmp_path, text))
    assert words in str(err.value)


def test_storage_defaults_beside_the_config(tmp_path, monkeypatch):
    monkeypatch.delenv("DASHBOARD_STORAGE_URL", raising=False)
    config = load_config(write(tmp_path, BASE + '[[charity]]\nname = "A"\nsource = "a"\n'))
    assert config.storage_url == f"sqlite:///{tmp_path.resolve() / 'dashboard-state.sqlite'}"


def _charities(n: int) -> str:
    return BASE + "".join(f'[[charity]]\nname = "C{i}"\nsource = "c{i}"\n' for i in range(n))


def test_two_hundred_charities_work_and_201_are_refused(tmp_path):
    assert len(load_config(write(tmp_path, _charities(200))).charities) == 200
    with pytest.raises(ConfigError, match="201 charities; at most 200"):
        load_config(write(tmp_path, _charities(201)))


@pytest.mark.parametrize("text,seconds", [("90s", 90), ("15m", 900), ("12h", 43200), ("30d", 2592000)])
def test_durations(text, seconds):
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["30", "d", "1w", "-3d", "3.5h"])
def test_bad_durations(text):
    with pytest.raises(ValueError):
        parse_duration(text)


ONE = BASE + '[[charity]]\nname = "A"\nsource = "a.xlsx"\n'


def test_full_read_interval_and_live_window(tmp_path):
    import datetime as dt
    plain = load_config(write(tmp_path, ONE))
    assert plain.full_read_every == dt.timedelta(hours=6) and plain.live is None
    config = load_config(write(tmp_path, ONE + '[refresh]\nfull_read_every = "2h"\n'
                               '[live]\nstart = 2022-06-22\nend = 2022-06-23\n'))
    assert config.full_read_every == dt.timedelta(hours=2)
    assert config.live.every == dt.timedelta(minutes=1)
    assert config.live.on(dt.date(2022, 6, 23)) and not config.live.on(dt.date(2022, 6, 24))


@pytest.mark.parametrize("extra,words", [
    ('[refresh]\nfull_read_every = "six hours"\n', "full_read_every"),
    ('[live]\nstart = 2022-06-22\n', "[live] needs start and end"),
    ('[live]\nstart = 2022-06-23\nend = 2022-06-22\n', "before start"),
    ('[live]\nstart = 2022-06-22\nend = 2022-06-23\nevery = "2s"\n', "from 10s to 1h"),
])
def test_unusable_refresh_and_live_settings_say_why(tmp_path, extra, words):
    with pytest.raises(ConfigError, match=re.escape(words)):
        load_config(write(tmp_path, ONE + extra))
