"""MP coverage and briefing cards: who has been met and pledged, who is left, and what
each MP's own area looks like, for planning the next lobby."""
import streamlit as st

from dashboard import figures, views
from dashboard.app import map_page
from dashboard.app.charts import coverage_parts
from dashboard.official import parliament as parl
from dashboard.official import placement_tables as pt
from dashboard.official import placements
from dashboard.access.roles import can_download, visible
from dashboard.app.app_data import get_config, get_loaded, require_viewer
from dashboard.safe import neutralise_frame, md_escape
from dashboard.app.ui import chart_with_table, in_words

viewer = require_viewer("coverage")
config = get_config()
loaded = get_loaded()
mps = loaded.views["mps"]
which = parl.parliament_for(config.start, config.end)

st.title("MP coverage & briefings")
st.caption(f"Seats of the {parl.PARLIAMENT_LABELS[which]}, the parliament in force during the "
           f"campaign ({config.start:%d %b %Y} to {config.end:%d %b %Y}).")


cover, charts = coverage_parts(loaded.number, which, mps)
met_keys = figures.seat_keys(mps, "met")
pledged_keys = figures.seat_keys(mps, "pledged")
overall = cover[cover["dimension"] == "all"].iloc[0]
c1, c2, c3 = st.columns(3)
c1.metric("Seats", f"{int(overall['mps']):,}")
c2.metric("MPs met", f"{int(overall['met']):,}", f"{overall['met_pct']:.0f}% of all MPs", delta_color="off",
          delta_arrow="off")
c3.metric("MPs pledged", f"{int(overall['pledged']):,}", f"{overall['pledged_pct']:.0f}% of all MPs",
          delta_color="off", delta_arrow="off")
unplaced = mps[~mps["placed"]]
if len(unplaced):
    st.caption(f"{len(unplaced)} MP(s) met or pledged cannot be placed in a seat of this parliament "
               "(a name the official list does not know, or a constituency that is not one of its "
               f"seats): they are counted in every total and shown as “{figures.NOT_PLACED}” "
               "in every breakdown. Data quality suggests the spelling.")

# -- the map (dashboard/app/map_page.py) -----------------------------------------------------
engagement = map_page.render_map_section(loaded, config, which, viewer)
# -----------------------------------------------------------------------------------------

for dimension, title, fig, table in charts:
    chart_with_table(fig, table, key=f"cover-{dimension}", styled=True,
                     caption=f"MPs met and pledged as a share of all MPs, {title.lower()[3:]}. "
                             "Pledged bars are hatched. Seats and parties: the project's table "
                             "built from UK Parliament and Open Innovations data.")

st.header("MPs not yet met")
seats = parl.load_constituencies(which)
f1, f2, f3 = st.columns(3)
party = f1.selectbox("Party", ["All"] + sorted(seats["party"].dropna().unique()))
region = f2.selectbox("Region", ["All"] + sorted(seats["region"].dropna().unique()))
only_unpledged = f3.toggle("Only those who have not pledged", value=True)
left = views.mps_not_yet_met(met_keys, pledged_keys, which,
                             party=None if party == "All" else party,
                             region=None if region == "All" else region,
                             only_unpledged=only_unpledged)
st.write(f"{len(left):,} MPs")
st.dataframe(left, hide_index=True, placeholder="", width="stretch", column_config=in_words(left))
if can_download(viewer, "not_yet_met"):
    st.download_button("Download this list (CSV)",
                       lambda: neutralise_frame(left).to_csv(index=False).encode("utf-8-sig"),
                       file_name="mps-not-yet-met.csv", mime="text/csv", on_click="ignore")

st.header("MP briefing card")
st.caption("For the young people meeting an MP: who they are, who has met them, whether they "
           "pledged, and how children in care fare in their area.")
names = seats.sort_values("name")["name"].tolist()
seat_name = st.selectbox("Constituency", names, index=None, placeholder="Choose a constituency",
                         key=map_page.BRIEFING_SEAT_KEY)
if seat_name:
    seat, _ = parl.match_constituency(seat_name, which)
    key = seat["key"]
    meetings = loaded.coalition.frame("mp_meetings")
    theirs = figures.rows_for_seat(meetings, key)
    theirs = theirs[theirs["is_mp"]]
    mp_row = figures.rows_for_seat(mps, key)
    pledged = key in pledged_keys
    with st.container(border=True):
        st.subheader(md_escape(seat["name"]))
        st.text(f"MP: {figures.display_name(seat['mp'])} ({parl.party_name(seat['party'])}) · {seat['region']}")
        logged = mp_row["pledge_logged_by"].iloc[0] if len(mp_row) else ""
        st.text(("Pledged: yes" + (f" (logged by {logged})" if logged else "")) if pledged
                else "Pledged: not yet")
        # Meeting rows as this viewer may see them (a lead: their own charity's); the
        # other charities' meetings as a count.
        shown_rows = visible(viewer, "coverage", theirs)
        others = len(theirs) - len(shown_rows)
        if theirs.empty:
            st.text("Not met yet by any charity in the coalition.")
        elif others:
            st.text(f"Meetings logged by {'other ' if len(shown_rows) else ''}charities in the "
                    f"coalition: {others}.")
        if len(shown_rows):
            met = shown_rows.sort_values("date")[["date", "charity", "role", "meeting_type",
                                                  "young_people_present"]]
            st.dataframe(met, hide_index=True, placeholder="", width="stretch", column_config=in_words(met, {
                "date": st.column_config.DateColumn("Date", format="DD/MM/YYYY")}))
        # Follow-ups due and notes: free text, only where this role may read it (a lead:
        # their own charity's meetings).
        noted = visible(viewer, "coverage", theirs, "notes")
        noted = noted[noted["follow_up"].notna() | noted["notes"].notna()]
        if len(noted):
            st.text("Follow-ups and notes:")
            words = noted.sort_values("date")[["date", "charity", "follow_up", "notes"]]
            st.dataframe(words, hide_index=True, placeholder="", width="stretch", column_config=in_words(words, {
                "date": st.column_config.DateColumn("Date", format="DD/MM/YYYY")}))
        pledge_rows = loaded.coalition.frame("pledges")
        pledge_rows = figures.rows_for_seat(pledge_rows, key)
        if len(pledge_rows):
            dated = pledge_rows["date"].dropna()
            st.text("Pledge: " + (f"signed {dated.min():%d/%m/%Y}" if len(dated) else "date not given")
                    + (", photo taken" if pledge_rows["photo_taken"].fillna(False).astype(bool).any()
                       else ", no photo logged"))
        # Local authorities: published for 2024 seats; a 2019 seat uses the 2024 seat of the same name.
        la_codes, note = pt.seat_la_codes(seat, which)
        if la_codes:
            table, latest = pt.seat_la_figures(placements.load_la(), la_codes)
            year = int(latest["year"].max()) if len(latest) else None
            st.text(f"Children in care in the local authorities this seat overlaps ({year}):")
            st.dataframe(table, hide_index=True, placeholder="", width="stretch", column_config=in_words(table, {
                "children_looked_after": "Children looked after",
                "children_looked_after_rate_per_10k": "Per 10,000 children",
                "three_plus_placements_pct": st.column_config.NumberColumn(
                    "% with 3+ placements in the year", format="%.1f%%")}))
            st.caption(placements.sources_line(latest) + (" " + note if note else ""))
        else:
            st.text("No local-authority figures are linked to this seat.")

# -- coverage over time (dashboard/app/map_page.py) ------------------------------------------
map_page.render_coverage_over_time(loaded, config, engagement)
