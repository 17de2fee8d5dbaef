"""Accessibility checks the README promises: every chart has a text alternative and its
numbers in a table on the same page; nothing on the demo's pages relies on colour alone."""
import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGES = ["pages/overview.py", "pages/meeting.py", "pages/charities.py", "pages/mps.py",
         "pages/coverage.py", "pages/media.py", "pages/placements.py", "pages/quality.py"]
# The pages that show charts on the demo (the others show none): a chart check on a page
# with no chart could not fail, so each of these must show at least one.
CHARTED = {"pages/overview.py", "pages/mps.py", "pages/coverage.py", "pages/media.py",
           "pages/placements.py",
           "pages/meeting.py"}        # the demo has a month of (synthetic) history: trends


@pytest.fixture(scope="module")
def app():
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    yield at
    st.cache_resource.clear()


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_has_alt_text_and_a_table(app, page):
    app.switch_page(page)
    app.run()
    assert not app.exception
    charts = app.get("plotly_chart")
    if page in CHARTED:
        assert charts, f"{page} shows no chart on the demo: nothing here was checked"
    else:
        assert not charts, f"{page} now shows a chart: add it to CHARTED"
    for chart in charts:
        assert chart.proto.alt.strip(), f"a chart on {page} has no text alternative"
    assert len(app.dataframe) >= len(charts), f"{page}: fewer tables than charts"


@pytest.mark.parametrize("page", ["pages/mps.py", "pages/coverage.py"])
def test_two_series_bars_differ_by_pattern_not_only_colour(app, page):
    app.switch_page(page)
    app.run()
    two_series = 0
    for chart in app.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        bars = [t for t in spec["data"] if t.get("type") == "bar"]
        if len(bars) > 1:
            two_series += 1
            shapes = {(t.get("marker", {}).get("pattern", {}) or {}).get("shape", "") for t in bars}
            assert len(shapes) == len(bars), "bar series must differ by pattern too"
            assert all(t.get("text") is not None for t in bars), "bars carry their values as text"
    assert two_series, f"{page} shows no chart of two bar series on the demo: nothing was checked"
