"""The Overview's charts and tables, built once per refresh and shared by every session.

Building a plotly figure costs milliseconds of Python under the interpreter's lock, and
thirty viewers opening the Overview at once queue behind each other's figures; built here
(from `app_data`'s refresh), a session only sends them. Trustee versions are built beside
the full ones with the same suppression the page applied before, so no session ever
changes a shared figure or table.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard import views
from dashboard.access import suppress_counts
from dashboard.ui import style_figure

# The Overview's young-people charts: (column of the attendee breakdown, its title).
ATTENDED_BY = (("region", "Region"), ("age_band", "Age band"))


def progress_part(coalition, targets: dict[str, int]) -> tuple[go.Figure, pd.DataFrame] | None:
    """The progress-against-targets chart and its numbers; None without any target."""
    with_targets = views.progress_table(coalition.figures, targets).dropna(subset=["target"])
    if with_targets.empty:
        return None
    fig = go.Figure(go.Bar(
        x=with_targets["progress_pct"], y=with_targets["figure"], orientation="h",
        text=[f"{v:,} of {int(t):,} ({int(p)}%)" for v, t, p in
              zip(with_targets["value"], with_targets["target"], with_targets["progress_pct"])],
        textposition="auto", marker_color="#1f6f8b"))
    fig.add_vline(x=100, line_dash="dash", annotation_text="target")
    fig.update_layout(xaxis_title="% of target", yaxis_title=None)
    return style_figure(fig), with_targets[["figure", "value", "target", "progress_pct"]]


def attended_part(breakdown: pd.DataFrame, title: str, *, trustee: bool) -> tuple[go.Figure, pd.DataFrame]:
    """Young people attended by one characteristic, summed over the charities: the chart
    and its numbers, counts suppressed for a trustee (bars of a hidden count drawn at 0)."""
    totals_by = breakdown.sum(axis=0).rename("young people").rename_axis(title).reset_index()
    fig = go.Figure(go.Bar(x=totals_by[title], y=totals_by["young people"],
                           text=totals_by["young people"], textposition="outside"))
    fig.update_layout(title=f"By {title.lower()}", yaxis_title="young people")
    shown = totals_by
    if trustee:
        shown = suppress_counts(totals_by, ["young people"])
        fig.data[0].text = shown["young people"].tolist()
        fig.data[0].y = [0 if v == "<5" else v for v in
                         pd.to_numeric(shown["young people"], errors="coerce").fillna(0)]
    return style_figure(fig), shown


def build(coalition, targets: dict[str, int], built: dict) -> dict:
    """Everything the Overview draws that does not change between sessions of one refresh.

    `built`: the refresh's other aggregates (the charity tables and attendee breakdowns).
    Keys: "progress" (chart and table, or None), "charities" and "charities_suppressed"
    (the tables as shown), and "attended" / "attended_trustee", each a list of
    (column, chart, table) in ATTENDED_BY order.
    """
    return {
        "progress": progress_part(coalition, targets),
        "charities": built["charities"].drop(columns=["as_of"]),
        "charities_suppressed": built["charities_suppressed"].drop(columns=["as_of"]),
        **{key: [(column, *attended_part(built[f"attended_by_{column}"], title, trustee=trustee))
                 for column, title in ATTENDED_BY]
           for key, trustee in (("attended", False), ("attended_trustee", True))},
    }
