"""Overview: the coalition's figures against its targets, each charity, each source."""
import streamlit as st

from dashboard import clock, views
from dashboard.access import SUPPRESSION_RULE, can_refresh, is_trustee, suppress_value
from dashboard.app_data import ATTENDEE_FIGURES, get_config, get_loaded, require_viewer, refresh_now
from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.safe import md_escape
from dashboard.ui import chart_with_table, figure_columns, in_words

viewer = require_viewer("overview")
config = get_config()
loaded = get_loaded()
coalition, summary = loaded.coalition, loaded.summary

st.title("Overview")
st.caption(f"{md_escape(config.name)} · counting window {config.start:%d %B %Y} to {config.end:%d %B %Y} · "
           f"figures as of {loaded.loaded_at:%d/%m/%Y %H:%M}")

totals = summary["coalition"]
parts = loaded.views["overview"]        # built once per refresh, shared by sessions
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

if parts["progress"] is not None:
    st.header("Progress against the coalition's targets")
    fig, table = parts["progress"]
    chart_with_table(fig, table, styled=True,
                     caption="Each bar is the coalition figure as a share of its target; the dashed "
                             "line is the target. Targets come from the coalition's config.",
                     key="progress")

st.header("Each charity")
if is_trustee(viewer):
    table = parts["charities_suppressed"]
    st.caption(SUPPRESSION_RULE)
    columns = figure_columns(ATTENDEE_FIGURES)
else:
    table = parts["charities"]
    columns = figure_columns()
st.dataframe(table, hide_index=True, width="stretch", column_config=in_words(table, columns))

st.header("Sources")
status = views.source_status_table(coalition, clock.now())
if is_trustee(viewer):
    status = status[["charity", "status", "freshness"]]
st.dataframe(status, hide_index=True, width="stretch", column_config=in_words(status))
bad = status[status["status"] != "ok"]
for row in bad.itertuples():
    st.warning(f"{row.charity}: {row.freshness}")
if can_refresh(viewer):
    if st.button("Refresh now", help="Read every charity's sheet again now"):
        refresh_now()
        st.rerun()

st.header("Young people who attended")
left, right = st.columns(2)
attended = parts["attended_trustee"] if is_trustee(viewer) else parts["attended"]
for where, (column, fig, table) in zip((left, right), attended):
    with where:
        chart_with_table(fig, table, styled=True, caption="Distinct young people with status attended.",
                         key=f"attended-{column}")
