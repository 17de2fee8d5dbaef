"""Overview: the coalition's figures against its targets, each charity, each source."""
import streamlit as st

from dashboard import clock, views
from dashboard.access import SUPPRESSION_RULE, can_refresh, is_trustee, suppress_value
from dashboard.app_data import ATTENDEE_FIGURES, get_config, get_loaded, require_viewer, refresh_now
from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.figures import COALITION
from dashboard.safe import md_escape
from dashboard.ui import chart_with_table, in_words, short_figure_columns

viewer = require_viewer("overview")
config = get_config()
loaded = get_loaded()
coalition, summary = loaded.coalition, loaded.summary

st.title("Overview")
st.caption(f"{md_escape(config.name)} · {md_escape(views.window_caption(config))} · "
           f"figures as of {loaded.loaded_at:%d/%m/%Y %H:%M}")

totals = summary["coalition"]
parts = loaded.views["overview"]        # built once per refresh, shared by sessions
# One row of four at a time, so a figure with a target line below it never pushes the
# next row's figures out of line with each other.
for i, key in enumerate(FIGURES):
    if i % 4 == 0:
        cols = st.columns(4)
    target = config.targets.get(key)
    shown = suppress_value(totals[key]) if is_trustee(viewer) and key in ATTENDEE_FIGURES \
        else f"{totals[key]:,}"
    with cols[i % 4]:
        st.metric(FIGURE_LABELS[key], shown,
                  help=f"Target {target:,}" if target else None,
                  delta=f"{round(100 * totals[key] / target)}% of target {target:,}" if target else None,
                  delta_color="off", delta_arrow="off" if target else "auto")

if parts["progress"] is not None:
    st.subheader("Progress against the coalition's targets")
    fig, table = parts["progress"]
    chart_with_table(fig, table, styled=True,
                     caption="Each bar is the coalition figure as a share of its target; the dashed "
                             "line is the target. Targets come from the coalition's config.",
                     key="progress")

st.subheader("Each charity")
if is_trustee(viewer):
    table = parts["charities_suppressed"]
    st.caption(SUPPRESSION_RULE)
    columns = short_figure_columns(ATTENDEE_FIGURES)
else:
    table = parts["charities"]
    columns = short_figure_columns()
st.dataframe(table, hide_index=True, placeholder="", width="stretch", column_config=in_words(table, columns))
st.caption(f"The last row, {COALITION}, is the coalition's figure. Young people are added up "
           "over the charities; meetings, MPs, pledges and media are not: a joint meeting "
           "logged by two charities, an MP met or pledged with several, and a piece of coverage "
           "logged by more than one count once in the coalition, so the charity rows add up to "
           "more. Each source's status, errors and warnings are under Sources.")

st.subheader("Sources")
status = views.source_status_table(coalition, clock.now())
if is_trustee(viewer):
    # (no data-quality detail for a trustee: a source read with errors is read)
    status = status[["charity", "status", "freshness"]].assign(
        status=[c.status for c in coalition.charities])
st.dataframe(status, hide_index=True, placeholder="", width="stretch", column_config=in_words(status))
bad = status[status["status"] != "ok"]
for row in bad.itertuples():
    st.warning(f"{row.charity}: " + (views.errors_note(row.errors) if row.status == "with errors"
                                     else row.freshness))
if can_refresh(viewer):
    if st.button("Refresh now", help="Read every charity's sheet again now"):
        refresh_now()
        st.rerun()

st.subheader("Young people who attended")
left, right = st.columns(2)
attended = parts["attended_trustee"] if is_trustee(viewer) else parts["attended"]
for where, (column, fig, table) in zip((left, right), attended):
    with where:
        chart_with_table(fig, table, styled=True, caption="Distinct young people with status attended.",
                         key=f"attended-{column}")
