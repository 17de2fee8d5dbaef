"""One way to open a real browser in tests: Debian's Chromium, headless, driven by
playwright. Tests that use it are skipped where Chromium is not installed (.ci/run
installs it)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
# No sandbox (CI runs as root); no GPU or background requests on a shared headless machine.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")


@contextmanager
def chromium() -> Iterator:
    """A launched headless Chromium (a playwright Browser), closed on leaving."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(env: dict, log_path, cwd=ROOT, *, as_make_run: bool = False):
    """`streamlit run streamlit_app.py` on a free port of 127.0.0.1: (process, url) once its
    health check answers. The server's output goes to `log_path`: a pipe nobody reads
    would stop the server once its buffer filled, and the file is there to read when a
    test fails. `as_make_run`: no flag but the port and address, so the project's
    .streamlit/config.toml decides the rest, as with `make run`."""
    port = _free_port()
    flags = ["--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1"]
    if not as_make_run:
        flags += ["--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "streamlit_app.py", *flags],
                            cwd=cwd, env=env, stdout=log_path.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("streamlit did not start: " + log_path.read_text(errors="replace")[-2000:])


def stop_app(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def server(tmp_path):
    """The demo served with a fresh store; yields its address."""
    env = {**os.environ, "DASHBOARD_STORAGE_URL": f"sqlite:///{tmp_path / 'state.sqlite'}"}
    env.pop("DASHBOARD_CONFIG", None)
    proc, url = start_app(env, tmp_path / "streamlit.log")
    yield url
    stop_app(proc)
