"""Rendering helpers shared by the pages. Everything from a sheet is shown as text:
st.dataframe and st.text never interpret HTML or markdown, and plotly labels are escaped."""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.contract import FIGURE_LABELS, HEADERS, Tab
from dashboard.safe import md_escape


def label(value: object) -> str:
    """Text from a sheet, safe inside a plotly label or hover (plotly renders some HTML).
    Only &, < and > are escaped: plotly decodes &amp;, &lt; and &gt; but shows &quot;
    as written, and quotes start no tag."""
    return html.escape(str(value if value is not None else ""), quote=False)


def demo_banner(config) -> None:
    if config.demo:
        st.info("DEMO: these are synthetic sheets made up for trying the dashboard. "
                "No real young person, meeting or pledge is shown.", icon="ℹ️")


def style_figure(fig: go.Figure) -> go.Figure:
    """The dashboard's chart layout: readable fonts, full names in hover labels."""
    fig.update_layout(margin=dict(l=10, r=10, t=40, b=10), height=360,
                      font=dict(size=14), hoverlabel=dict(namelength=-1))
    return fig


def in_words(frame: pd.DataFrame, config: dict | None = None) -> dict:
    """`config` (column settings by key) plus a header in words for every other column of
    `frame` that HEADERS knows."""
    return {**{c: HEADERS[c] for c in frame.columns if c in HEADERS}, **(config or {})}


def chart_with_table(fig: go.Figure, table: pd.DataFrame, *, caption: str, key: str,
                     column_config: dict | None = None, styled: bool = False) -> None:
    """A chart and, beside it for screen readers and colour-blind readers, its numbers.

    `styled`: the figure already went through style_figure (a cached figure shared by
    sessions is styled once when built, never changed while it is drawn)."""
    if not styled:
        style_figure(fig)
    st.plotly_chart(fig, width="stretch", key=f"chart-{key}", alt=caption)
    with st.expander("The numbers in this chart (table)"):
        st.dataframe(table, hide_index=True, placeholder="", width="stretch",
                     column_config=in_words(table, column_config), key=f"table-{key}")
    st.caption(caption)


def figure_columns(suppressed=()) -> dict:
    """Column settings for figure tables; suppressed counts are text ("<5", "[c]")."""
    return {k: (st.column_config.TextColumn(v) if k in suppressed
                else st.column_config.NumberColumn(v, format="%d"))
            for k, v in FIGURE_LABELS.items()}


# Short headers for a table of all eight figures, so its nine columns fit 1440 px; the
# full label is each header's help.
SHORT_FIGURE_LABELS = {
    "attendees_registered": "Registered", "attendees_attended": "Attended",
    "meetings": "Meetings", "mp_meetings": "MP meetings", "mps_met": "MPs met",
    "pledges": "Pledges", "media_mentions": "Media", "media_reach": "Reach",
}


def short_figure_columns(suppressed=()) -> dict:
    """figure_columns under SHORT_FIGURE_LABELS, numbers with thousands separators."""
    return {k: (st.column_config.TextColumn(SHORT_FIGURE_LABELS[k], help=v) if k in suppressed
                else st.column_config.NumberColumn(SHORT_FIGURE_LABELS[k], help=v, format="localized"))
            for k, v in FIGURE_LABELS.items()}


def setup_error(reason: str) -> None:
    """The app cannot start: the config or an environment variable is unusable. The
    reason names the file or variable and what to write (never a secret's value)."""
    st.title("The dashboard is not set up correctly")
    st.error(md_escape(reason))    # a charity name in the config is text, not markdown
    st.write("Whoever runs the dashboard can fix this in its config file or its environment "
             "(see the README's Configuration section), then reload this page.")


def access_denied(reason: str) -> None:
    st.title("This dashboard is shared by link")
    st.write("To see the coalition's figures you need a link from the coalition's data lead.")
    st.warning(reason)
    st.write("Ask the lead of your charity, or the coalition's data lead, for a new link. "
             "Links expire, and can be withdrawn.")


def sheet_columns(tab: Tab, frame: pd.DataFrame) -> dict:
    """How a tab's checked rows are shown: under the sheet's own headers (what a lead typed
    them under, not the frame's keys), dates as UK dates without a time, links as links
    (already checked to be http(s) by the contract), and the sheet's row number as Row."""
    by_key = {c.key: c for c in tab.columns}
    config: dict = {}
    for key in frame.columns:
        column = by_key.get(key)
        if key == "_row":
            config[key] = st.column_config.NumberColumn(
                "Row", format="%d", help="The row's number in the charity's sheet.")
        elif column is None:
            continue          # added by the checks (official constituency name, ONS code…)
        elif column.kind == "date":
            config[key] = st.column_config.DateColumn(column.name, format="DD/MM/YYYY")
        elif column.kind == "url":
            config[key] = st.column_config.LinkColumn(column.name)
        else:
            config[key] = column.name
    return config


# The browser tab's icon, served by the dashboard itself (see streamlit_app.py).
APP_ICON = Path(__file__).resolve().parents[1] / "assets" / "icon.png"


def link_expiry_note(expires_at) -> str:
    """The sidebar's line for someone holding a link: until when it works (UK time)."""
    from dashboard.history import uk_time
    t = uk_time(expires_at)
    return f"Your link works until {t.day} {t:%B %Y, %H:%M} (UK time)."
