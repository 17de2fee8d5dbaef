"""Placements: the official DfE figures behind #ItsOurCare, with sources under each chart.

A page of the multipage app (streamlit_app.py runs it through st.navigation); it can
also be run on its own with `streamlit run pages/placements.py`. No page config here.
"""
from __future__ import annotations

import streamlit as st

from dashboard.app.app_data import require_viewer
from dashboard.app.charts import la_bar_chart, placements_over_time
from dashboard.official import placement_tables as pt
from dashboard.official import placements as pl

require_viewer("placements")

st.title("Children in care moving placements")
st.markdown(
    "Official figures for England from the Department for Education's *Children looked "
    "after in England including adoptions*. Years end on 31 March. Each figure is the "
    "latest release that publishes it; tick the box to see earlier releases' figures, "
    "which DfE revises every year.")

# ---- The coalition's headline --------------------------------------------------------
headline = pl.headline_claim()
st.header("The coalition's headline, from the data")
c1, c2, c3 = st.columns(3)
c1.metric(f"Placement changes, {headline['years'][0]}–{headline['years'][-1]} "
          f"({headline['release']} release)",
          f"{headline['total']:,}")
c2.metric("About this many a week", f"{headline['per_week']:,.0f}")
c3.metric(f"{headline['share_year']} changes: abuse or neglect", f"{headline['share_pct']:.0f}%",
          help="Share of the year's placement changes that were of children in care "
               "because of abuse or neglect (category of need N1)")
c1, c2, c3 = st.columns(3)
c1.metric(f"{headline['years'][0]}–{headline['years'][-1]} changes: abuse or neglect",
          f"{headline['abuse_or_neglect_total_pct']:.1f}%", help="Nearly two in three")
c2.metric("Status change only, same carer", f"{headline['status_only_total_pct']:.0f}%",
          help="Changes whose reason is a change in the status of the placement only: "
               "about a sixth")
c3.metric(f"In June 2022 ({headline['release_in_june_2022']} release)",
          f"about {round(headline['claimed_total'], -3):,.0f}",
          help=f"The charities' {headline['claimed_per_week']:,} a week over the same weeks")
# The facts, worded once in dashboard/official/placements.py (the `placements` command prints them).
# They come from the project's reference tables, not a sheet: only the file names'
# underscores are kept from turning into italics.
st.markdown("\n".join("- " + fact.replace("_", "\\_") for fact in pl.headline_facts(headline)))
with st.expander("The headline's figures as a table, with later revisions"):
    st.dataframe(pt.headline_table(headline), hide_index=True, placeholder="",
                 alt="Placement changes by year behind the coalition's headline")
st.caption(f"Source: Department for Education, {headline['release']} release, "
           f"{headline['source_file']} ({headline['table']}; abuse or neglect: "
           f"{headline['share_table']}). [Data file]({headline['source']}). "
           f"Open Government Licence.")

# ---- Over time -----------------------------------------------------------------------
st.header("England over time")
every_release = st.checkbox("Show every release's figure (revisions)", value=False)
for measure, chart, summary, table, table_alt, caption in placements_over_time(every_release):
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(chart, key=f"chart_{measure}", alt=summary)
    with right:
        st.dataframe(table, hide_index=True, placeholder="", alt=table_alt)
    st.caption(caption)

# ---- Local authorities ---------------------------------------------------------------
st.header("Local authorities compared")
la_measure = st.selectbox("Figure", list(pl.LA_MEASURES), format_func=pt.LA_LABELS.get)
years = pl.la_years(la_measure)
year = st.selectbox("Year ending 31 March", years[::-1], index=0)
regions = pl.la_regions()
region = st.selectbox("Region", ["All of England", *regions], index=0)
chosen = None if region == "All of England" else region
authorities, _ = pl.la_compare(la_measure, year, chosen)
bench = pl.la_benchmarks(la_measure, year, chosen)
pct = la_measure.endswith("_pct")

if authorities.empty:
    st.info("No local-authority figures for this choice.")
else:
    shown, cut = pt.la_chart_rows(authorities)
    st.plotly_chart(la_bar_chart(shown, cut, bench, la_measure, year, region), key="la_chart",
                    alt=f"Bar chart: {pt.LA_LABELS[la_measure]} for "
                        f"{'the 15 highest and 15 lowest' if cut else 'each'} local "
                        f"authorit{'ies' if cut else 'y'} in {region}, {year}; the table "
                        f"below has every authority's figure.")
    if cut:
        st.caption("The chart shows the 15 highest and 15 lowest authorities; choose a "
                   "region to chart them all. The table below lists every authority.")
    st.dataframe(pt.la_table(authorities, pct), hide_index=True, placeholder="",
                 alt=f"{pt.LA_LABELS[la_measure]} by local authority, {region}, {year}")
    st.caption(pt.la_caption(authorities, bench, la_measure, year, pl.load_la()))

# ---- A newer release -----------------------------------------------------------------
with st.expander("Preview a newer DfE release"):
    st.markdown(
        "Download a CSV from the *Children looked after in England* release on "
        "explore-education-statistics (for example `la_cla_placement_stability.csv`) and "
        "drop it here to see the figures it holds. To add it to the dashboard for "
        "everyone, run `python scripts/build_reference_tables.py --add FOLDER --release "
        "YEAR --source URL` (see docs/placements-and-mps.md).")
    upload = st.file_uploader("EES CSV file", type=["csv"])
    release = st.text_input("Release year", value="")
    if upload is not None:
        try:
            frame = pl.read_ees_csv(upload)
            found = pl.extract_measures(frame, release=release or "new",
                                        source_file=upload.name, source="uploaded file",
                                        levels=("National",))
        except ValueError as err:
            st.error(str(err))
        else:
            if found.empty:
                st.warning("No placement figure found in this file.")
            else:
                st.dataframe(found[["year", "measure", "value", "symbol", "table"]],
                             hide_index=True, placeholder="", alt="Figures found in the uploaded file")
