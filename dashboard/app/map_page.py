"""The MP coverage page's map section and coverage over time (Streamlit rendering only;
the map, its numbers and the briefings are built in dashboard/official/mp_map.py and
dashboard/reports/briefings.py). Kept apart from pages/coverage.py so the page stays thin."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.reports import briefings
from dashboard import clock
from dashboard.official import mp_map
from dashboard.official import parliament as parl
from dashboard.app.ui import in_words

BRIEFING_SEAT_KEY = "briefing-seat"      # the briefing card's constituency selectbox
ALL = "All"


@st.cache_resource(max_entries=4, show_spinner=False)
def engagement_for(load_number: int, parliament: str, _coalition) -> pd.DataFrame:
    """Each seat's engagement for one loaded coalition (`load_number` names it): built
    once per refresh, shared by every session."""
    return mp_map.seat_engagement(_coalition, parliament)


@st.cache_resource(max_entries=32, show_spinner=False)
def map_figure(load_number: int, parliament: str, charity, party, region, nation, _engagement):
    """(the map, its numbers) for one choice of filters, built once per refresh and choice."""
    choice = {"charity": charity, "party": party, "region": region, "nation": nation}
    return mp_map.hex_figure(_engagement, **choice), mp_map.state_counts(_engagement, **choice)


def _choice(value: str):
    return None if value == ALL else value


def render_map_section(loaded, config, parliament: str, viewer, *,
                       briefing_card: bool = True) -> pd.DataFrame:
    """The hex map with its filters, its numbers beside it, hex selection opening the
    briefing card (`briefing_card`: the page has one, below), and the briefings
    download (counts of 1-4 young people shown as "<5" for trustees). Returns the
    engagement table."""
    from dashboard.access.roles import can_download, is_trustee

    engagement = engagement_for(loaded.number, parliament, loaded.coalition)
    st.header("The campaign on a map")
    f1, f2, f3, f4 = st.columns(4)
    charity = _choice(f1.selectbox("Met by charity", [ALL] + [c.name for c in config.charities],
                                   key="map-charity"))
    party = _choice(f2.selectbox("Party of the MP", [ALL] + sorted(engagement["party_group"].unique()),
                                 key="map-party"))
    region = _choice(f3.selectbox("Region of the seat", [ALL] + sorted(engagement["region"].unique()),
                                  key="map-region"))
    nation = _choice(f4.selectbox("Nation", [ALL] + sorted(engagement["nation"].unique()),
                                  key="map-nation"))
    fig, counts = map_figure(loaded.number, parliament, charity, party, region, nation, engagement)
    left, right = st.columns([3, 1])
    with left:
        event = st.plotly_chart(fig, width="stretch", key="coverage-map", on_select="rerun",
                                selection_mode=("points", "box", "lasso"),
                                alt="Hex map of every constituency, one equal hexagon per "
                                    "seat, shaded by whether the coalition met its MP and "
                                    "whether they pledged.")
    with right:
        st.dataframe(counts, hide_index=True, width="stretch",
                     column_config={"state": "Seats", "seats": st.column_config.NumberColumn(
                         "Number", format="%d")})
        not_placed = engagement.attrs.get("not_placed", [])
        if not_placed and charity is None:
            st.caption(f"{len(not_placed)} MP(s) counted as met or pledged are not on the map: "
                       "no row gives a seat of this parliament for them (see Data quality).")
            with st.expander("MPs not on the map"):
                unplaced = pd.DataFrame(not_placed, columns=["name", "met", "pledged"])
                st.dataframe(unplaced, hide_index=True, width="stretch", column_config=in_words(
                    unplaced, {"name": "Name as written", "met": st.column_config.CheckboxColumn("Met"),
                               "pledged": st.column_config.CheckboxColumn("Pledged")}))
    st.caption("Each hexagon is one seat. Met and pledged: green, cross-hatched, star; met: "
               "blue, striped, circle; pledged without a meeting: orange, dotted, diamond; not "
               "met: grey, dash. Lines are region boundaries. "
               + ("Click a hexagon for the MP's briefing card; " if briefing_card else "Click a hexagon, ")
               + "or use Box select or Lasso select in the chart's toolbar to choose several for "
               "the briefings below. " + mp_map.HEX_SOURCE_NOTE)

    selected = [p.get("customdata") for p in (event.selection.points if event else [])
                if p.get("customdata")]
    if selected != st.session_state.get("_map-selected"):
        st.session_state["_map-selected"] = selected
        if len(selected) == 1 and briefing_card:
            name = engagement.loc[engagement["ons_code"] == selected[0], "name"]
            if len(name):
                st.session_state[BRIEFING_SEAT_KEY] = name.iloc[0]
    if len(selected) == 1 and briefing_card:
        st.info("The briefing card for the seat chosen on the map is below.", icon="👇")

    if can_download(viewer, "briefings"):
        _briefings_download(loaded, engagement, parliament, selected, is_trustee(viewer),
                            charity=charity, party=party, region=region, nation=nation)
    return engagement


def _briefings_download(loaded, engagement, parliament, selected, trustee, *, charity, **filters):
    with st.expander("Briefings to print (one A4 page per MP)"):
        st.caption("For the young people meeting each MP: who they are, who in the coalition "
                   "has met them, whether they pledged, and children in care in their area. "
                   "No notes and no young person's details.")
        if selected:
            codes, label = selected, f"{len(selected)} seats chosen on the map"
        else:
            words = st.multiselect("Seats", [w for _, w, *_ in mp_map.STATES],
                                   default=[mp_map.STATE_LABELS["not_met"]], key="brief-states")
            states = tuple(s for s, w, *_ in mp_map.STATES if w in words)
            codes = mp_map.seat_codes(engagement, states, charity=charity, **filters) if states else []
            where = ", ".join(v for v in filters.values() if v) or "all regions"
            label = f"{' and '.join(words).lower() or 'none'} in {where}"
        st.write(f"{len(codes):,} MPs: {label}.")
        title = f"MP briefings: {label}"
        st.download_button(
            "Download the briefings (HTML, print to PDF)", disabled=not codes,
            data=lambda: briefings.briefings_html(
                loaded.coalition, engagement, codes, parliament, title=title, trustee=trustee,
                now=clock.now()).encode("utf-8"),
            file_name=briefings.briefings_filename(label), mime="text/html", on_click="ignore",
            key="brief-download")


@st.cache_resource(max_entries=4, show_spinner=False)
def weekly_parts(load_number: int, start, end, today, _engagement):
    """({measure: figure}, table) of the weekly coverage for one loaded coalition and day."""
    weekly = mp_map.weekly_coverage(_engagement, start, end, today)
    table = weekly.pivot_table(index="week_ending", columns="region",
                               values=["met", "pledged"], aggfunc="sum")
    table.columns = [f"{region}: {measure}" for measure, region in table.columns]
    return ({m: mp_map.weekly_coverage_figure(weekly, m) for m in ("met", "pledged")},
            table.reset_index())


def render_coverage_over_time(loaded, config, engagement: pd.DataFrame) -> None:
    """Seats met and pledged per region, week by week, for the meeting chair."""
    st.header("Coverage over time")
    figures, table = weekly_parts(loaded.number, config.start, config.end,
                                   clock.now().date(), engagement)
    tabs = st.tabs(["Seats met", "Seats pledged", "Table"])
    for tab, measure in zip(tabs[:2], ("met", "pledged")):
        with tab:
            st.plotly_chart(figures[measure], width="stretch",
                            key=f"weekly-{measure}",
                            alt=f"Seats {measure} so far per region, week by week")
    with tabs[2]:
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config=in_words(table, {"week_ending": st.column_config.DateColumn(
                         "Week ending", format="DD/MM/YYYY")}))
    st.caption("Seats whose MP the coalition had met (pledged) by the end of each campaign "
               "week, by the date of the first meeting (pledge) in the sheets; rows without "
               "a date count in the last week. The last week equals the map. "
               f"{parl.PARLIAMENT_LABELS[engagement.attrs.get('parliament', '2019')]}.")
