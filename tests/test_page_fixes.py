"""What the browser pass of issue 15 found, checked on the pages as they run (AppTest) and
on the tables they are built from."""
from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import views
from dashboard.config import load_config
from dashboard.contract import FIGURES
from dashboard.figures import COALITION
from dashboard.pipeline import load_coalition
from dashboard.summary import build_summary
from dashboard.app.ui import label
from tests.conftest import ROOT
from tests.app_helpers import PAGES, _mint, _run, _visible_text

ENTRY = str(ROOT / "streamlit_app.py")


def _page(page: str) -> AppTest:
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("page", PAGES)
def test_blank_cells_are_blank_on_every_table_of_every_page(page):
    """Streamlit shows a missing value as "None" unless the table says otherwise."""
    at = _page(page)
    for frame in at.dataframe:
        assert frame.proto.placeholder == "", page


def test_each_charity_table_ends_with_the_coalition_and_says_why_it_adds_to_more():
    coalition = load_coalition(load_config())
    summary = build_summary(coalition)
    at = _page("pages/overview.py")
    (table,) = [f.value for f in at.dataframe if "charity" in f.value.columns
                and "mps_met" in f.value.columns]
    assert list(table.columns) == ["charity", *FIGURES]     # status and issues are the Sources'
    assert table["charity"].tolist() == [c["name"] for c in summary["charities"]] + [COALITION]
    last = table.iloc[-1]
    assert {k: int(last[k]) for k in FIGURES} == summary["coalition"]
    # the charity rows add up to more than the coalition for what is counted once
    assert int(table["mps_met"].iloc[:-1].sum()) > summary["coalition"]["mps_met"]
    assert any("count once in the coalition" in c.value for c in at.caption)


def test_overview_caption_says_out_of_window_rows_are_counted():
    """The demo's 3 August meeting is after the window (22 July) and is counted, as the
    coalition's contract says: the caption must not call the window a counting window."""
    coalition = load_coalition(load_config())
    late = coalition.frame("mp_meetings")["date"] > pd.Timestamp(coalition.config.end)
    assert late.any()                                       # the demo's 3 August meeting
    at = _page("pages/overview.py")
    caption = at.caption[0].value
    assert "counting window" not in caption
    assert "outside it are still counted" in caption


def test_a_source_with_errors_is_not_ok():
    coalition = load_coalition(load_config())
    table = views.source_status_table(coalition, coalition.read_at)
    with_errors = table[table["errors"] > 0]
    assert len(with_errors)                                  # the demo's NSPCC
    assert (with_errors["status"] != "ok").all()
    assert (table.loc[table["errors"] == 0, "status"] == "ok").all()


def test_progress_bars_stop_at_their_maximum_and_the_theme_is_not_red():
    at = _page("pages/meeting.py")
    # The coalition's pace table and each charity's targets.
    tables = [f.value for f in at.dataframe if "Progress" in f.value.columns]
    assert len(tables) == 2
    for table in tables:
        shown = table.dropna(subset=["Progress"])
        assert (shown["Progress"] <= 100).all() and (shown["Progress"] >= 0).all()
        percent = table.loc[table["% of target"] != "", "% of target"]
        assert (percent.str.rstrip("%").astype(int) > 100).any()   # a target met
    import tomllib
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    assert theme["primaryColor"].lower() not in ("#ff4b4b", "red")   # Streamlit's default red


def test_chart_labels_keep_quotes_and_escape_tags():
    assert label('The "Care" Review') == 'The "Care" Review'
    assert label("Barnardo's") == "Barnardo's"
    assert label("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"


def test_one_spelling_of_each_region():
    coalition = load_coalition(load_config())
    regions = views.attendee_breakdown(coalition, "region").columns
    folded = [r.lower() for r in regions]
    assert len(folded) == len(set(folded)), list(regions)
    assert "Yorkshire and The Humber" in regions


def test_overview_metrics_are_laid_out_in_rows_of_four():
    """Two rows of four columns with one metric each: a figure with a target line under
    it cannot push the next figure of its column out of line with its row."""
    at = _page("pages/overview.py")
    rows = [block for block in at.main.children.values()
            if [type(c).__name__ for c in getattr(block, "children", {}).values()] == ["Column"] * 4]
    assert len(rows) == 2
    for row in rows:
        assert [len(column.get("metric")) for column in row.children.values()] == [1, 1, 1, 1]


def test_a_source_with_errors_is_data_quality_detail_a_trustee_does_not_see(app, links_config):
    """Coalition and leads see why the demo's NSPCC is not ok; a trustee sees it read."""
    at = _run(app(_mint(links_config, "coalition").token))
    texts = [w.value for w in at.warning]
    assert any("NSPCC" in t and "leaves rows out of the figures" in t for t in texts), texts
    at = _run(app(_mint(links_config, "trustee").token))
    text = _visible_text(at)
    assert "with errors" not in text and "leaves rows out" not in text
