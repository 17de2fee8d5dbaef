"""Helpers for tests that run the Streamlit app with streamlit.testing (AppTest); the
`app` and `links_config` fixtures built on them are in tests/conftest.py."""
from __future__ import annotations

import datetime as dt
import re

import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.access import links
from dashboard.store import Store
from tests.conftest import ROOT

ENTRY = str(ROOT / "streamlit_app.py")
PAGES = ["pages/overview.py", "pages/meeting.py", "pages/charities.py", "pages/mps.py",
         "pages/coverage.py", "pages/media.py", "pages/placements.py", "pages/quality.py", "pages/links.py"]
SECRET = "test-secret-" + "x" * 40
REF = re.compile(r"\b(?:NCB|AFC|BEC|BAR|COR|TCS|NSP)-\d{4}\b")


def _fresh_caches():
    st.cache_resource.clear()
    st.cache_data.clear()


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(page: str, token: str | None = None) -> AppTest:
    """The app run with fresh caches (through the link `token` when given), then switched
    to `page`; each run checked for exceptions."""
    _fresh_caches()
    at = AppTest.from_file(ENTRY, default_timeout=120)
    if token is not None:
        at.query_params["token"] = token
    _run(at)
    at.switch_page(page)
    return _run(at)


def _visible_text(at: AppTest) -> str:
    """Everything the page shows, dataframes included."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info",
                 "warning", "success", "error", "metric"):
        for element in getattr(at, kind):
            parts.append(str(getattr(element, "value", "")))
            parts.append(str(getattr(element, "label", "")))
    for frame in at.dataframe:
        parts.append(frame.value.to_string())
    # Markdown escapes (\\' for ') render as the plain character.
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


def _mint(config, role, charity=None, lifetime=dt.timedelta(days=30)):
    return links.mint_link(Store(config.storage_url), config, role, lifetime, charity)
