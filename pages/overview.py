"""Overview: the coalition's figures against its targets, each charity, each source."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import clock, views
from dashboard.access import SUPPRESSION_RULE, can_refresh, is_trustee, suppress_counts, suppress_value
from dashboard.app_data import ATTENDEE_FIGURES, get_config, get_loaded, require_viewer, refresh_now
from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.safe import md_escape
from dashboard.ui import chart_with_table, figure_columns

viewer = require_viewer("overview")
config = get_config()
loaded = get_loaded()
coalition, summary = loaded.coalition, loaded.summary

st.title("Overview")
st.caption(f"{md_escape(config.name)} · counting window {config.start:%d %B %Y} to {config.end:%d %B %Y} · "
           f"figures as of {loaded.loaded_at:%d/%m/%Y %H:%M}")

totals = summary["coalition"]
progress = views.progress_table(coalition.figures, config.targets)
cols = st.columns(4)
for i, key in enumerate(FIGURES):
    target = config.targets.get(key)
    shown = suppress_value(totals[key]) if is_trustee(viewer) and key in ATTENDEE_FIGURES \
        else f"{totals[key]:,}"
    with cols[i % 4]:
        st.metric(FIGURE_LABELS[key], shown,
                  help=f"Target {target:,}" if target else None,
                  delta=f"{round(100 * totals[key] / target)}% of target {target:,}" if target else None,
                  delta_color="off", delta_arrow="off" if target else "auto")

with_targets = progress.dropna(subset=["target"])
if not with_targets.empty:
    st.subheader("Progress against the coalition's targets")
    fig = go.Figure(go.Bar(
        x=with_targets["progress_pct"], y=with_targets["figure"], orientation="h",
        text=[f"{v:,} of {int(t):,} ({int(p)}%)" for v, t, p in
              zip(with_targets["value"], with_targets["target"], with_targets["progress_pct"])],
        textposition="auto", marker_color="#1f6f8b"))
    fig.add_vline(x=100, line_dash="dash", annotation_text="target")
    fig.update_layout(xaxis_title="% of target", yaxis_title=None)
    chart_with_table(fig, with_targets[["figure", "value", "target", "progress_pct"]],
                     caption="Each bar is the coalition figure as a share of its target; the dashed "
                             "line is the target. Targets come from the coalition's config.",
                     key="progress")

st.subheader("Each charity")
if is_trustee(viewer):
    table = loaded.views["charities_suppressed"].drop(columns=["as_of"])
    st.caption(SUPPRESSION_RULE)
    columns = figure_columns(ATTENDEE_FIGURES)
else:
    table = loaded.views["charities"].drop(columns=["as_of"])
    columns = figure_columns()
st.dataframe(table, hide_index=True, width="stretch", column_config=columns)

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
    breakdown = loaded.views[f"attended_by_{column}"]      # built once per refresh
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
