"""MPs & pledges: who was met, by whom, joint meetings, pledges, by party."""
import plotly.graph_objects as go
import streamlit as st

from dashboard import views
from dashboard.access.roles import EVERY, NONE, sees, visible
from dashboard.app.app_data import get_config, get_loaded, require_viewer
from dashboard.figures import NOT_PLACED, display_name
from dashboard.safe import md_escape
from dashboard.app.ui import chart_with_table, in_words, label

viewer = require_viewer("mps")
config = get_config()
loaded = get_loaded()
mps, parties, joint = loaded.views["mps"], loaded.views["by_party"], loaded.views["joint"]
totals = loaded.summary["coalition"]

st.title("MPs & pledges")
c1, c2, c3, c4 = st.columns(4)
c1.metric("MPs met", f"{totals['mps_met']:,}")
c2.metric("Pledges signed", f"{totals['pledges']:,}")
c3.metric("MP meetings", f"{totals['mp_meetings']:,}")
c4.metric("Joint meetings", f"{len(joint):,}", help="Logged by two or more charities: counted once.")

st.header("By party")
fig = go.Figure([
    go.Bar(name="Met", x=[label(p) for p in parties["party"]], y=parties["met"], text=parties["met"],
           textposition="outside", cliponaxis=False, marker_pattern_shape=""),
    go.Bar(name="Pledged", x=[label(p) for p in parties["party"]], y=parties["pledged"],
           text=parties["pledged"], textposition="outside", cliponaxis=False,
           marker_pattern_shape="/"),  # (cliponaxis: the tallest bar's count is not cut off)
])
fig.update_layout(barmode="group", yaxis_title="MPs", legend_title=None)
chart_with_table(fig, parties, key="party",
                 caption="MPs met (role MP or Minister) and MPs who signed the pledge, by the "
                         "party the official list gives their seat's MP (Labour (Co-op) as Labour). "
                         f"MPs the list cannot place are one group, “{NOT_PLACED}”, so the "
                         "bars add up to the totals above. Pledged bars are hatched.")

rows_seen = sees(viewer, "mps").rows
if rows_seen == NONE:
    # Trustees do not open MP coverage (its card lists meetings): the map is theirs here.
    from dashboard.app import map_page
    from dashboard.official.parliament import parliament_for

    map_page.render_map_section(loaded, config, parliament_for(config.start, config.end), viewer,
                                briefing_card=False)
    st.stop()

if rows_seen == EVERY:
    st.header("Every MP met or pledged")
else:
    # A lead's lines: the MPs and joint meetings their charity logged; the rest of the
    # coalition is in the figures and the chart above.
    st.header(f"MPs {md_escape(viewer.charity)} met")
    st.caption("MPs your charity logged a meeting with (with any other charity that met them "
               "too); the figures and chart above are the coalition's.")
    mps = visible(viewer, "mps", mps, charity_column="charities")
    joint = visible(viewer, "mps", joint, charity_column="charities")
search = st.text_input("Find an MP by name or constituency", key="mps_search",
                       placeholder="e.g. Bristol, or Smith")
met_filter = st.sidebar.segmented_control("Show", ["All", "Met", "Pledged", "Met, not pledged"],
                                          default="All")
party_filter = st.sidebar.multiselect("Party", sorted(p for p in mps["party"].unique() if p))
shown = mps
if met_filter == "Met":
    shown = shown[shown["met"]]
elif met_filter == "Pledged":
    shown = shown[shown["pledged"]]
elif met_filter == "Met, not pledged":
    shown = shown[shown["met"] & ~shown["pledged"]]
if party_filter:
    shown = shown[shown["party"].isin(party_filter)]
shown = views.search_mps(shown, search)
if search.strip():
    st.caption(f"{len(shown):,} MP{'s' if len(shown) != 1 else ''} match \"{md_escape(search.strip())}\".")
listed = shown.drop(columns=["mp_id", "placed"])
st.dataframe(listed, hide_index=True, placeholder="", width="stretch", column_config=in_words(listed, {
    "charities": "Met by", "pledge_logged_by": "Pledge logged by",
    "first_met": st.column_config.DateColumn("First met", format="DD/MM/YYYY"),
    "met": st.column_config.CheckboxColumn("Met"),
    "pledged": st.column_config.CheckboxColumn("Pledged")}))

st.header("Joint meetings")
st.caption("The same person on the same date, logged by more than one charity: one meeting in the coalition figures.")
# An MP under their official-list name, as in every other list; anyone else as written.
official = dict(zip(mps["mp_id"], mps["name"]))
joint_rows = joint.assign(name=[official.get(i) or display_name(n) for i, n in
                                zip(joint["mp_id"], joint["name"])]).drop(columns=["mp_id"])
st.dataframe(joint_rows, hide_index=True, placeholder="", width="stretch", column_config=in_words(joint_rows, {
    "date": st.column_config.DateColumn("Date", format="DD/MM/YYYY")}))
