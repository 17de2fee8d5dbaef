"""The Links page (coalition only): make a link with a label and an expiry, list it, revoke
it; the link then opens the dashboard, and after revoking no longer does."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.access import links
from dashboard.access.roles import AccessDenied
from dashboard.access.links import verify_token
from dashboard.config import load_config
from dashboard.store import Store
from tests.conftest import ROOT
from tests.app_helpers import open_page

SECRET = "links-page-secret-" + "x" * 32


@pytest.fixture
def links_page(monkeypatch):
    monkeypatch.setenv(links.SECRET_ENV, SECRET)
    monkeypatch.setattr(links, "_streamlit_link_secret", lambda: None)
    at = open_page("pages/links.py")
    yield at
    st.cache_resource.clear()


def test_links_page_mints_lists_and_revokes(links_page):
    at = links_page
    store = Store(load_config().storage_url)
    assert not at.dataframe and store.links() == []
    at.text_input(key="links_label").input("Chair of trustees")
    at.selectbox(key="links_lifetime").select("7 days")
    at.text_input(key="links_base_url").input("https://dashboard.example.org/")
    at.button(key="links_mint").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    url = at.code[0].value
    assert url.startswith("https://dashboard.example.org/?token=")
    token = parse_qs(urlsplit(url).query)["token"][0]
    viewer = verify_token(token, store)
    assert viewer.role == "trustee"
    record = store.link(viewer.link_id)
    assert record["label"] == "Chair of trustees"
    listed = at.dataframe[0].value
    assert list(listed["Label"]) == ["Chair of trustees"] and list(listed["Status"]) == ["active"]
    assert token not in listed.to_string()
    at.button(key="links_revoke").click().run()
    assert not at.exception
    assert list(at.dataframe[0].value["Status"]) == ["revoked"]
    assert any("Revoked Chair of trustees" in s.value for s in at.success)
    with pytest.raises(AccessDenied):
        verify_token(token, store)


def test_links_page_without_an_address_makes_no_link(links_page):
    at = links_page
    at.button(key="links_mint").click().run()
    assert at.error and "the dashboard's address" in at.error[0].value
    assert not at.code and Store(load_config().storage_url).links() == []


def test_the_holder_sees_until_when_their_link_works(monkeypatch):
    monkeypatch.setenv(links.SECRET_ENV, SECRET)
    monkeypatch.setattr(links, "_streamlit_link_secret", lambda: None)
    import datetime as dt
    config = load_config()
    link = links.mint_link(Store(config.storage_url), config, "trustee", dt.timedelta(days=30))
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["token"] = link.token
    at.run()
    assert not at.exception
    notes = [c.value for c in at.sidebar.caption if "Your link works until" in c.value]
    assert notes == ["Your link works until 6 August 2022, 09:00 (UK time)."]
    # and a trustee has no Links page
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/links.py")
    st.cache_resource.clear()


def test_a_lead_cannot_open_the_links_page_directly(monkeypatch, tmp_path):
    """Run as a file (Streamlit's older mode), the page's own gate stops a lead."""
    monkeypatch.setenv(links.SECRET_ENV, SECRET)
    monkeypatch.setattr(links, "_streamlit_link_secret", lambda: None)
    import datetime as dt
    config = load_config()
    link = links.mint_link(Store(config.storage_url), config, "lead", dt.timedelta(days=1), "Become")
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "links.py"), default_timeout=120)
    at.query_params["token"] = link.token
    at.run()
    assert not at.exception
    assert "Not part of your view" in [t.value for t in at.title]
    assert not at.button and not at.dataframe
    st.cache_resource.clear()
