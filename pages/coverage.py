"""MP coverage and briefing cards: who has been met and pledged, who is left, and what
each MP's own area looks like, for planning the next lobby."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import parliament as parl
from dashboard import placements
from dashboard.app_data import get_config, get_loaded, require_viewer
from dashboard.safe import neutralise_frame, md_escape
from dashboard.ui import chart_with_table, in_words, label, style_figure

require_viewer("coverage")
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
    """(seats met, seats pledged, coverage table, [(dimension, title, chart, table)]) for
    one loaded coalition (`load_number` names it): the same for every viewer until the
    next refresh, so built once, not on every rerun. The charts are styled here and only
    read when drawn."""
    seat_ids = lambda frame: [i[2:] for i in frame["mp_id"] if i.startswith("c:")]  # noqa: E731
    met_ids = seat_ids(_mps[_mps["met"]])
    pledged_ids = seat_ids(_mps[_mps["pledged"]])
    cover = parl.coverage(met_ids, pledged_ids, parliament)
    charts = []
    for dimension, title in (("party", "By party"), ("region", "By region"), ("nation", "By nation")):
        part = cover[cover["dimension"] == dimension].sort_values("mps", ascending=False)
        charts.append((dimension, title, coverage_chart(part, title),
                       part.drop(columns=["dimension"]).round(1)))
    return met_ids, pledged_ids, cover, charts


met_ids, pledged_ids, cover, charts = coverage_parts(loaded.number, which, mps)
overall = cover[cover["dimension"] == "all"].iloc[0]
c1, c2, c3 = st.columns(3)
c1.metric("Seats", f"{int(overall['mps']):,}")
c2.metric("MPs met", f"{int(overall['met']):,}", f"{overall['met_pct']:.0f}% of all MPs", delta_color="off",
          delta_arrow="off")
c3.metric("MPs pledged", f"{int(overall['pledged']):,}", f"{overall['pledged_pct']:.0f}% of all MPs",
          delta_color="off", delta_arrow="off")
by_name_only = int((mps["met"] & mps["mp_id"].str.startswith("p:")).sum())
if by_name_only:
    st.caption(f"{by_name_only} MP(s) met are known only by name (no row gives their constituency), "
               "so they are counted in 'MPs met' on the Overview but cannot be placed here.")
unmatched = cover.attrs.get("unmatched", [])
if unmatched:
    st.caption(f"{len(unmatched)} MP(s) met are known only by a constituency that is not a seat of "
               "this parliament; see Data quality for the suggested spelling.")

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
left = parl.not_yet_met(met_ids, which, party=None if party == "All" else party,
                        region=None if region == "All" else region)
left = pd.DataFrame(left, columns=["constituency", "ons_code", "mp", "party", "region", "nation"])
if only_unpledged and len(left):
    seats_pledged = (parl.match_constituency(i, which)[0] for i in pledged_ids)
    pledged_keys = {seat["key"] for seat in seats_pledged if seat is not None}
    left = left[~left["constituency"].map(lambda n: parl.constituency_key(n)).isin(pledged_keys)]
st.write(f"{len(left):,} MPs")
st.dataframe(left, hide_index=True, width="stretch", column_config=in_words(left))
st.download_button("Download this list (CSV)", lambda: neutralise_frame(left).to_csv(index=False).encode("utf-8-sig"),
                   file_name="mps-not-yet-met.csv", mime="text/csv", on_click="ignore")

st.header("MP briefing card")
st.caption("For the young people meeting an MP: who they are, who has met them, whether they "
           "pledged, and how children in care fare in their area.")
names = seats.sort_values("name")["name"].tolist()
seat_name = st.selectbox("Constituency", names, index=None, placeholder="Choose a constituency")
if seat_name:
    seat, _ = parl.match_constituency(seat_name, which)
    key = seat["key"]
    meetings = loaded.coalition.frame("mp_meetings")
    theirs = meetings[meetings["mp_id"] == f"c:{key}"]
    pledged = key in {parl.constituency_key(i) for i in pledged_ids}
    with st.container(border=True):
        st.header(md_escape(seat["name"]))
        st.text(f"MP: {seat['mp']} ({seat['party']}) · {seat['region']}")
        st.text("Pledged: yes" if pledged else "Pledged: not yet")
        if theirs.empty:
            st.text("Not met yet by any charity in the coalition.")
        else:
            met = theirs.sort_values("date")[["date", "charity", "role", "meeting_type"]]
            st.dataframe(met, hide_index=True, width="stretch", column_config=in_words(met, {
                "date": st.column_config.DateColumn("Date", format="DD/MM/YYYY")}))
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
            st.dataframe(table, hide_index=True, width="stretch", column_config=in_words(table, {
                "children_looked_after": "Children looked after",
                "children_looked_after_rate_per_10k": "Per 10,000 children",
                "three_plus_placements_pct": "% with 3+ placements in the year"}))
            st.caption(placements.sources_line(latest) + (" " + note if note else ""))
        else:
            st.text("No local-authority figures are linked to this seat.")
