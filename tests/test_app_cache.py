"""One shared cache: any number of viewers within the ttl cause no extra source reads."""
import streamlit as st
from streamlit.testing.v1 import AppTest

import dashboard.pipeline as pipeline
from dashboard.config import load_config
from dashboard.store import Store
from tests.conftest import ROOT


def test_many_viewers_one_read_and_one_snapshot(monkeypatch):
    reads = []
    real = pipeline.read_source

    def counting(source, **kwargs):
        reads.append(source)
        return real(source, **kwargs)

    monkeypatch.setattr(pipeline, "read_source", counting)
    st.cache_resource.clear()
    try:
        for _ in range(5):                       # five browser sessions
            at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
            at.run()
            assert not at.exception
            at.switch_page("pages/mps.py")
            at.run()
    finally:
        st.cache_resource.clear()
    charities = load_config().charities
    assert sorted(reads) == sorted(c.source for c in charities), "each source read exactly once"
    real = [s for s in Store(load_config().storage_url).snapshots() if not s.get("demo")]
    assert len(real) == 1, "one snapshot recorded for all viewers (besides the demo's seeded month)"


def test_refresh_now_reads_again(monkeypatch):
    from dashboard.app import app_data
    reads = []
    real = pipeline.read_source
    monkeypatch.setattr(pipeline, "read_source", lambda s, **k: reads.append(s) or real(s, **k))
    seconds = [1000.0]                    # a minute passes between the read and the click
    monkeypatch.setattr(app_data, "READ_LIMIT", app_data.ReadLimit(monotonic=lambda: seconds[0]))
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
        at.run()
        first = len(reads)
        seconds[0] += 60
        refresh = next(b for b in at.button if b.label == "Refresh now")
        refresh.click()
        at.run()
        assert not at.exception
    finally:
        st.cache_resource.clear()
    assert len(reads) == 2 * first


def test_streamlit_config_turns_off_the_collection_after_every_run_and_holds_no_secret():
    """`.streamlit/config.toml` is read by every `streamlit run` started in the project
    (make run, the systemd unit, Community Cloud); docs/scale.md measures why the setting is there."""
    import tomllib
    text = (ROOT / ".streamlit" / "config.toml").read_text()
    config = tomllib.loads(text)
    assert config["runner"]["postScriptGC"] is False
    assert config["client"]["showErrorDetails"] == "type"
    # secrets live in secrets.toml, never here
    assert set(config) == {"runner", "client", "browser", "theme"}


def test_streamlit_reads_the_quiet_and_private_settings_from_the_project():
    """No Deploy button or developer menu for viewers, no usage statistics, and a server
    address set so Streamlit asks no web service for the machine's external IP."""
    import subprocess
    import sys
    code = ("import streamlit.config as c; c.get_config_options(force_reparse=True); "
            "print(c.get_option('client.toolbarMode'), c.get_option('browser.gatherUsageStats'), "
            "c.is_manually_set('browser.serverAddress'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["viewer", "False", "True"]


def test_streamlit_itself_reads_the_error_setting_from_the_project():
    """Streamlit, started in the project folder as `make run` starts it, takes the setting
    (a misspelt option would be ignored with only a log line): an unexpected error's
    message, which may quote a sheet's cell, never reaches a viewer's browser."""
    import subprocess
    import sys
    code = ("import streamlit.config as c; c.get_config_options(force_reparse=True); "
            "print(c.get_option('client.showErrorDetails'), c.get_option('runner.postScriptGC'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["type", "False"]
