"""Issue 16, the config, store and clock half: nothing they hold takes the dashboard down.

Each test names the case of docs/reliability-config-store.md it holds."""
from __future__ import annotations

import re

import pytest

from dashboard import cli
from dashboard.config import ConfigError, load_config, parse_duration
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
    (CAMPAIGN + CHARITY + 'access = "links"\n', "write access as its own [access] section, above the first [[charity]]"),
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


@pytest.fixture
def fresh_app():
    import streamlit as st
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


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
