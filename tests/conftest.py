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
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (the public data folder) is not beside this checkout")
    return SHARED


# The app served by `streamlit run` for browser tests (tests/browser.py).
from tests.browser import server  # noqa: E402,F401
