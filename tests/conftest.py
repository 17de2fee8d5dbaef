"""Shared fixtures. Tests never depend on ../shared unless they say so and skip without it."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures import STORE_KINDS, make_store_url  # noqa: E402  (needs ROOT on the path)


@pytest.fixture(autouse=True, scope="module")
def _isolated_module(tmp_path_factory):
    """The same isolation for a module's own fixtures (an AppTest, a coalition shared by
    its tests), which are set up before any test's: without it they would read the
    developer's settings and write the demo's store in the checkout. A store per module."""
    from dashboard.settings import SETTINGS

    with pytest.MonkeyPatch.context() as patch:
        for setting in SETTINGS:
            if setting.name != "ARROW_DEFAULT_MEMORY_POOL":
                patch.delenv(setting.name, raising=False)
        store = tmp_path_factory.mktemp("module-store") / "state.sqlite"
        patch.setenv("DASHBOARD_STORAGE_URL", f"sqlite:///{store}")
        yield


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test reads the developer's config, settings or credentials, or writes the demo's
    store. (Arrow's allocator is left alone: a process has one pool, and it changes no
    result; tests/test_memory.py checks it in new processes.)"""
    from dashboard.settings import SETTINGS

    for setting in SETTINGS:
        if setting.name != "ARROW_DEFAULT_MEMORY_POOL":
            monkeypatch.delenv(setting.name, raising=False)
    monkeypatch.setenv("DASHBOARD_STORAGE_URL", f"sqlite:///{tmp_path / 'state.sqlite'}")


@pytest.fixture(params=STORE_KINDS)
def store_url(request, tmp_path):
    """A fresh store on SQLite and, when DASHBOARD_TEST_PG_URL is set, on PostgreSQL."""
    url, cleanup = make_store_url(request.param, tmp_path)
    yield url
    cleanup()


@pytest.fixture
def app():
    """A fresh AppTest of the app (caches cleared), optionally opened with a link's token."""
    from streamlit.testing.v1 import AppTest

    from tests.app_helpers import ENTRY, _fresh_caches

    def make(token: str | None = None) -> AppTest:
        _fresh_caches()
        at = AppTest.from_file(ENTRY, default_timeout=120)
        if token is not None:
            at.query_params["token"] = token
        return at
    yield make
    _fresh_caches()


@pytest.fixture
def links_config(tmp_path, monkeypatch):
    """The demo coalition behind signed links."""
    import re

    from dashboard.config import DEMO_DIR, load_config
    from tests.app_helpers import SECRET

    text = (DEMO_DIR / "coalition.toml").read_text(encoding="utf-8")
    text = re.sub(r'source = "([^"]+)"', lambda m: f'source = "{(DEMO_DIR / m[1]).as_posix()}"', text)
    path = tmp_path / "coalition.toml"
    path.write_text(text + '\n[access]\nmode = "links"\n', encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_CONFIG", str(path))
    monkeypatch.setenv("DASHBOARD_LINK_SECRET", SECRET)
    return load_config(path)


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (the public data folder) is not beside this checkout")
    return SHARED



@pytest.fixture
def fresh_app():
    """Streamlit's caches empty before and after the test."""
    from tests.app_helpers import _fresh_caches

    _fresh_caches()
    yield
    _fresh_caches()


@pytest.fixture
def google():
    """The Google stand-in (tests/google_standin.py): Sheets and Drive, calls counted."""
    from tests.google_standin import FakeGoogle

    return FakeGoogle()


@pytest.fixture
def client(google):
    """A gspread Client whose every request goes to the stand-in."""
    import gspread
    import requests

    session = requests.Session()
    session.mount("https://", google)
    return gspread.Client(auth=None, session=session)

# The app served by `streamlit run` for browser tests (tests/browser.py).
from tests.browser import server  # noqa: E402,F401
