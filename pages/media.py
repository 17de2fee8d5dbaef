"""Media: coverage over time, by type and outlet, and reach."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import views
from dashboard.access.roles import EVERY, NONE, sees, visible
from dashboard.app.app_data import get_config, get_loaded, require_viewer
from dashboard.safe import md_escape
from dashboard.app.ui import chart_with_table, in_words, label

viewer = require_viewer("media")
config = get_config()
loaded = get_loaded()
items, over_time = loaded.views["media"], loaded.views["media_over_time"]
totals = loaded.summary["coalition"]

st.title("Media")
c1, c2 = st.columns(2)
c1.metric("Media mentions", f"{totals['media_mentions']:,}", help="Distinct pieces of coverage")
c2.metric("Estimated reach", f"{totals['media_reach']:,}",
          help="Sum of the charities' audience estimates, once per piece")

fig = go.Figure(go.Scatter(x=over_time["date"], y=over_time["cumulative"], mode="lines+markers",
                           name="pieces so far"))
fig.update_layout(title="Coverage over time (cumulative)", yaxis_title="pieces of coverage")
chart_with_table(fig, over_time, key="over-time",
                 caption="Each point is the running total of distinct pieces of coverage by date; "
                         "undated pieces are counted in the figures but not on this line.")

left, right = st.columns(2)
with left:
    by_type = views.counts(items, "type", "type")
    fig = go.Figure(go.Bar(x=[label(t) for t in by_type["type"]], y=by_type["count"],
                           text=by_type["count"], textposition="outside", cliponaxis=False))
    fig.update_layout(title="By type", yaxis_title="pieces")
    chart_with_table(fig, by_type, key="by-type", caption="Distinct pieces of coverage by type.")
with right:
    by_outlet = views.counts(items, "outlet", "outlet").head(15)
    fig = go.Figure(go.Bar(y=[label(o) for o in by_outlet["outlet"]], x=by_outlet["count"],
                           text=by_outlet["count"], textposition="outside", orientation="h",
                           cliponaxis=False))
    fig.update_layout(title="Top outlets", xaxis_title="pieces", yaxis=dict(autorange="reversed"))
    chart_with_table(fig, by_outlet, key="by-outlet", caption="The 15 outlets with most distinct pieces.")

rows_seen = sees(viewer, "media").rows
if rows_seen == NONE:
    st.stop()

columns = ["date", "outlet", "headline", "type", "reach", "url", "charities"]
listed = visible(viewer, "media", items, charity_column="charities")
if rows_seen == EVERY:
    st.header("Every piece of coverage")
else:
    st.header(f"Coverage {md_escape(viewer.charity)} logged")
    st.caption("Pieces logged by your charity (with any other charity that logged them too); the "
               "figures and charts above are the coalition's.")
st.caption("Links open only when they are http or https; anything else in a sheet is never a link.")
media_rows = loaded.coalition.frame("media")
f1, f2, f3 = st.columns(3)
chosen_charities = f1.multiselect("Logged by", [c.name for c in config.charities], key="media_charities")
chosen_types = f2.multiselect("Type", sorted(t for t in listed["type"].dropna().unique()), key="media_types")
dated = pd.to_datetime(listed["date"], errors="coerce").dropna()
period = f3.date_input("Dated between", value=(), key="media_dates", format="DD/MM/YYYY",
                       min_value=dated.min().date() if len(dated) else None,
                       max_value=dated.max().date() if len(dated) else None)
start, end = (tuple(period) + (None, None))[:2] if isinstance(period, (tuple, list)) else (period, period)
shown = views.filter_media(listed, media_rows, charities=chosen_charities, types=chosen_types,
                           start=start, end=end or start)
st.caption(f"{len(shown):,} of {len(listed):,} pieces.")
st.dataframe(shown[columns], hide_index=True, placeholder="", width="stretch", column_config=in_words(shown[columns], {
    "url": st.column_config.LinkColumn("Link"),
    "date": st.column_config.DateColumn("Date", format="DD/MM/YYYY"),
    "reach": st.column_config.NumberColumn("Reach", format="%d")}))

st.header("Rows merged as one piece")
st.caption("Rows with the same link (ignoring www., http/https, a trailing /, #… and utm_ "
           "tracking), or the same date, outlet and headline, are one piece of coverage: "
           "counted once, listed here row by row.")
merged = views.merged_media(loaded.coalition)
# a lead sees their own rows (each with the charities it was shared with, as "rows")
merged = visible(viewer, "media", merged, charity_column="charity")
if merged.empty:
    st.write("No two rows are the same piece.")
else:
    st.dataframe(merged, hide_index=True, placeholder="", width="stretch", column_config=in_words(merged, {
        "piece": "Piece", "rows": "Rows", "row": "Sheet row", "url": "Link as written",
        "date": st.column_config.DateColumn("Date", format="DD/MM/YYYY")}))
