"""Overview: the coalition's figures against its targets, each charity, each source."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import clock, views
from dashboard.access import can_refresh, is_trustee, suppress_counts, SUPPRESSION_RULE
from dashboard.app_data import get_config, get_loaded, get_viewer, refresh_now
from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.ui import chart_with_table, figure_columns

config, viewer = get_config(), get_viewer()
loaded = get_loaded()
coalition, summary = loaded.coalition, loaded.summary

st.title("Overview")
st.caption(f"{config.name} · counting window {config.start:%d %B %Y} to {config.end:%d %B %Y} · "
           f"figures as of {loaded.loaded_at:%d/%m/%Y %H:%M}")

totals = summary["coalition"]
progress = views.progress_table(coalition.figures, config.targets)
cols = st.columns(4)
for i, key in enumerate(FIGURES):
    target = config.targets.get(key)
    with cols[i % 4]:
        st.metric(FIGURE_LABELS[key], f"{totals[key]:,}",
                  help=f"Target {target:,}" if target else None,
                  delta=f"{round(100 * totals[key] / target)}% of target {target:,}" if target else None,
                  delta_color="off", delta_arrow="off" if target else "auto")

with_targets = progress.dropna(subset=["target"])
if not with_targets.empty:
    st.subheader("Progress against the coalition's targets")
    fig = go.Figure(go.Bar(
        x=with_targets["progress_pct"], y=with_targets["figure"], orientation="h",
        text=[f"{v:,} of {int(t):,} ({p}%)" for v, t, p in
              zip(with_targets["value"], with_targets["target"], with_targets["progress_pct"])],
        textposition="auto", marker_color="#1f6f8b"))
    fig.add_vline(x=100, line_dash="dash", annotation_text="target")
    fig.update_layout(xaxis_title="% of target", yaxis_title=None)
    chart_with_table(fig, with_targets[["figure", "value", "target", "progress_pct"]],
                     caption="Each bar is the coalition figure as a share of its target; the dashed "
                             "line is the target. Targets come from the coalition's config.",
                     key="progress")

st.subheader("Each charity")
table = loaded.views["charities"].drop(columns=["as_of"])
if is_trustee(viewer):
    table = suppress_counts(table, ["attendees_registered", "attendees_attended"])
    st.caption(SUPPRESSION_RULE)
st.dataframe(table, hide_index=True, width="stretch", column_config=figure_columns())

st.subheader("Sources")
status = views.source_status_table(coalition, clock.now())
if is_trustee(viewer):
    status = status[["charity", "status", "freshness"]]
st.dataframe(status, hide_index=True, width="stretch")
bad = status[status["status"] != "ok"]
for row in bad.itertuples():
    st.warning(f"{row.charity}: {row.freshness}")
if can_refresh(viewer):
    if st.button("Refresh now", help="Read every charity's sheet again now"):
        refresh_now()
        st.rerun()

st.subheader("Young people who attended")
left, right = st.columns(2)
for column, title, where in (("region", "Region", left), ("age_band", "Age band", right)):
    breakdown = views.attendee_breakdown(coalition, column)
    totals_by = breakdown.sum(axis=0).rename("young people").rename_axis(title).reset_index()
    with where:
        fig = go.Figure(go.Bar(x=totals_by[title], y=totals_by["young people"],
                               text=totals_by["young people"], textposition="outside"))
        fig.update_layout(title=f"By {title.lower()}", yaxis_title="young people")
        shown = totals_by
        if is_trustee(viewer):
            shown = suppress_counts(totals_by, ["young people"])
            fig.data[0].text = shown["young people"].tolist()
            fig.data[0].y = [0 if v == "<5" else v for v in
                             pd.to_numeric(shown["young people"], errors="coerce").fillna(0)]
        chart_with_table(fig, shown, caption="Distinct young people with status attended.",
                         key=f"attended-{column}")
