"""MP coverage and briefing cards: who has been met and pledged, who is left, and what
each MP's own area looks like, for planning the next lobby."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import figures
from dashboard.app import map_page
from dashboard.official import parliament as parl
from dashboard.official import placements
from dashboard.access.roles import can_download, visible
from dashboard.app.app_data import get_config, get_loaded, require_viewer
from dashboard.safe import neutralise_frame, md_escape
from dashboard.app.ui import chart_with_table, in_words, label, style_figure

viewer = require_viewer("coverage")
config = get_config()
loaded = get_loaded()
mps = loaded.views["mps"]
which = parl.parliament_for(config.start, config.end)

st.title("MP coverage & briefings")
st.caption(f"Seats of the {parl.PARLIAMENT_LABELS[which]}, the parliament in force during the "
           f"campaign ({config.start:%d %b %Y} to {config.end:%d %b %Y}).")


def coverage_chart(part: pd.DataFrame, title: str) -> go.Figure:
    fig = go.Figure([
        go.Bar(name="Met", y=[label(g) for g in part["group"]], x=part["met_pct"], orientation="h",
               text=[f"{m} of {n} ({p:.0f}%)" for m, n, p in zip(part["met"], part["mps"], part["met_pct"])],
               textposition="outside", cliponaxis=False),
        go.Bar(name="Pledged", y=[label(g) for g in part["group"]], x=part["pledged_pct"], orientation="h",
               text=[f"{m} of {n} ({p:.0f}%)" for m, n, p in zip(part["pledged"], part["mps"], part["pledged_pct"])],
               textposition="outside", cliponaxis=False, marker_pattern_shape="/"),
    ])
    style_figure(fig)
    # After the house style (whose height is 360): a bar pair per group needs the room,
    # or twelve regions are squeezed into the height of three parties.
    fig.update_layout(title=title, barmode="group", xaxis_title="% of the group's MPs",
                      yaxis=dict(autorange="reversed"), height=max(320, 56 * len(part)),
                      # Every label past its bar, in one size (inside, plotly shrank them to
                      # fit, so a short bar's label was larger than a long one's); the
                      # axis leaves room for "12 of 14 (86%)" past a full bar.
                      xaxis=dict(range=[0, 125], tickvals=[0, 20, 40, 60, 80, 100]))
    return fig


@st.cache_resource(max_entries=4, show_spinner=False)
def coverage_parts(load_number: int, parliament: str, _mps: pd.DataFrame):
    """(coverage table, [(dimension, title, chart, table)]) for one loaded coalition
    (`load_number` names it): the same for every viewer until the next refresh, so built
    once, not on every rerun. The charts are styled here and only read when drawn."""
    cover = figures.mp_coverage(_mps, parliament)
    charts = []
    for dimension, title in (("party", "By party"), ("region", "By region"), ("nation", "By nation")):
        part = cover[cover["dimension"] == dimension]
        # the unplaced MPs last: they are not a party or a place
        part = part.assign(_last=part["group"] == figures.NOT_PLACED).sort_values(
            ["_last", "mps"], ascending=[True, False]).drop(columns="_last")
        charts.append((dimension, title, coverage_chart(part, title),
                       part.drop(columns=["dimension"]).round(1)))
    return cover, charts


cover, charts = coverage_parts(loaded.number, which, mps)
placed = mps[mps["placed"]]
met_keys = {figures.seat_key_of(i) for i in placed.loc[placed["met"], "mp_id"]}
pledged_keys = {figures.seat_key_of(i) for i in placed.loc[placed["pledged"], "mp_id"]}
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
left = parl.not_yet_met(sorted(met_keys), which, party=None if party == "All" else party,
                        region=None if region == "All" else region)
left = pd.DataFrame(left, columns=["constituency", "ons_code", "mp", "party", "region", "nation"])
left["mp"] = left["mp"].map(figures.display_name)
if only_unpledged and len(left):
    left = left[~left["constituency"].map(parl.constituency_key).isin(pledged_keys)]
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
    theirs = meetings[(meetings["mp_id"] == figures.seat_id(key)) & meetings["is_mp"]]
    mp_row = mps[mps["mp_id"] == figures.seat_id(key)]
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
        pledge_rows = pledge_rows[pledge_rows["mp_id"] == figures.seat_id(key)]
        if len(pledge_rows):
            dated = pledge_rows["date"].dropna()
            st.text("Pledge: " + (f"signed {dated.min():%d/%m/%Y}" if len(dated) else "date not given")
                    + (", photo taken" if pledge_rows["photo_taken"].fillna(False).astype(bool).any()
                       else ", no photo logged"))
        # Local authorities: published for 2024 seats; a 2019 seat uses the 2024 seat of the same name.
        codes = str(seat.get("la_codes") or "")
        note = ""
        if not codes and which == "2019":
            later, _ = parl.match_constituency(seat["name"], "2024")
            if later is not None:
                codes = str(later.get("la_codes") or "")
                note = ("Local authorities are those of the 2024 seat of the same name; "
                        "boundaries changed at the 2024 election.")
        la_codes = [c.strip() for c in codes.split("/") if c.strip()]
        if la_codes:
            la = placements.load_la()
            mine = la[la["new_la_code"].astype(str).isin(la_codes) & la["preferred"]
                      & la["measure"].isin(["three_plus_placements_pct", "children_looked_after",
                                            "children_looked_after_rate_per_10k"])]
            latest = mine[mine["year"] == mine["year"].max()]
            table = latest.pivot_table(index="la_name", columns="measure", values="value",
                                       aggfunc="first").reset_index()
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
