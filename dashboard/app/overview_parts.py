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
from dashboard.access.suppression import suppress_counts
from dashboard.app.ui import style_figure

# The Overview's young-people charts: (column of the attendee breakdown, its title, drawn
# across). Twelve region names read across, as bars' labels; five age bands stand up.
ATTENDED_BY = (("region", "Region", True), ("age_band", "Age band", False))
BAR_HEIGHT = 26          # pixels per bar of a chart drawn across
COUNTED = "Young people"  # the attended charts' count, as its table heads it
ATTENDEE_COUNTS = ["attendees_registered", "attendees_attended"]   # counts of young people


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
    fig.add_vline(x=100, line_dash="dash")
    # Named above the plot, where no bar can cover it.
    fig.add_annotation(x=100, y=1, yref="paper", yanchor="bottom", text="target",
                       showarrow=False)
    fig.update_layout(xaxis_title="% of target", yaxis_title=None)
    table = with_targets[["figure", "value", "target", "progress_pct"]].rename(columns={
        "figure": "Figure", "value": "Now", "target": "Target", "progress_pct": "% of target"})
    return style_figure(fig), table


def attended_part(breakdown: pd.DataFrame, title: str, *, trustee: bool,
                  across: bool = False) -> tuple[go.Figure, pd.DataFrame]:
    """Young people attended by one characteristic, summed over the charities: the chart
    and its numbers, counts suppressed for a trustee (bars of a hidden count drawn at 0).
    `across`: bars drawn across, in the table's order from the top."""
    totals_by = breakdown.sum(axis=0).rename(COUNTED).rename_axis(title).reset_index()
    shown = suppress_counts(totals_by, [COUNTED]) if trustee else totals_by
    lengths = (pd.to_numeric(shown[COUNTED], errors="coerce").fillna(0).tolist()
               if trustee else totals_by[COUNTED].tolist())
    labels = shown[COUNTED].tolist()
    # cliponaxis=False: the longest bar's number is drawn past the plot, not cut off.
    if across:
        fig = go.Figure(go.Bar(y=totals_by[title], x=lengths, orientation="h", text=labels,
                               textposition="outside", cliponaxis=False))
        fig.update_layout(xaxis_title="young people")
        fig.update_yaxes(autorange="reversed")
    else:
        fig = go.Figure(go.Bar(x=totals_by[title], y=lengths, text=labels,
                               textposition="outside", cliponaxis=False))
        fig.update_layout(yaxis_title="young people")
    style_figure(fig)
    fig.update_layout(title=f"By {title.lower()}")
    if across:     # (after the house style's fixed height: every bar gets room for its name)
        fig.update_layout(height=max(360, 80 + BAR_HEIGHT * len(totals_by)))
    return fig, shown


def each_charity_part(charities: pd.DataFrame, coalition_figures: dict[str, int], *,
                      suppressed: list[str] | None = None) -> pd.DataFrame:
    """The Overview's "Each charity" table: each charity's figures and, last, the
    coalition's, which count a joint meeting, a shared MP or a shared piece of coverage
    once (so the charity rows add up to more). Status, errors and warnings are the
    Sources table's: eight figures and a name fit 1440 px.

    `suppressed`: `charities` is already a trustee's (access.suppress_counts, which
    protects the column totals); the coalition row's counts of young people are shown by
    the primary rule (access.suppress_value)."""
    from dashboard.access.suppression import suppress_value
    from dashboard.contract import FIGURES
    from dashboard.figures import COALITION

    total = {k: (suppress_value(coalition_figures[k]) if k in (suppressed or ()) else coalition_figures[k])
             for k in FIGURES}
    return pd.concat([charities[["charity", *FIGURES]], pd.DataFrame([{"charity": COALITION, **total}])],
                     ignore_index=True)


def build(coalition, targets: dict[str, int], built: dict) -> dict:
    """Everything the Overview draws that does not change between sessions of one refresh.

    `built`: the refresh's other aggregates (the charity tables and attendee breakdowns).
    Keys: "progress" (chart and table, or None), "charities" and "charities_suppressed"
    (the tables as shown), and "attended" / "attended_trustee", each a list of
    (column, chart, table) in ATTENDED_BY order.
    """
    return {
        "progress": progress_part(coalition, targets),
        "charities": each_charity_part(built["charities"], coalition.coalition_figures),
        "charities_suppressed": each_charity_part(built["charities_suppressed"], coalition.coalition_figures,
                                                  suppressed=ATTENDEE_COUNTS),
        **{key: [(column, *attended_part(built[f"attended_by_{column}"], title, trustee=trustee,
                                         across=across))
                 for column, title, across in ATTENDED_BY]
           for key, trustee in (("attended", False), ("attended_trustee", True))},
    }
