"""Placements: the official DfE figures behind #ItsOurCare, with sources under each chart.

A page of the multipage app (streamlit_app.py runs it through st.navigation); it can
also be run on its own with `streamlit run pages/placements.py`. No page config here.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.official import placements as pl
from dashboard.app.app_data import require_viewer

require_viewer("placements")

# Series are told apart by line dash and marker shape as well as colour.
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x")

CHARTS = (
    ("children_looked_after", "Children looked after at 31 March", "children", False),
    ("placement_changes", "Placement changes during the year", "placement changes", False),
    ("three_plus_placements", "Children with 3+ placements in the year", "children", False),
    ("three_plus_placements_pct", "3+ placements in the year, % of children",
     "% of children looked after at 31 March", True),
    ("abuse_or_neglect_pct", "In care because of abuse or neglect, %",
     "% of children looked after at 31 March", True),
)
LA_CHART_MAX = 40   # more authorities than this: chart the 15 highest and 15 lowest
LA_LABELS = {
    "three_plus_placements_pct": "3 or more placements in the year (% of children looked after)",
    "three_plus_placements": "Children with 3 or more placements in the year",
    "children_looked_after_rate_per_10k": "Children looked after per 10,000 children",
    "children_looked_after": "Children looked after at 31 March",
    "placement_changes": "Placement changes during the year",
}


def fmt(value, pct: bool = False) -> str:
    if value is None or pd.isna(value):
        return "not published"
    return f"{float(value):.0f}%" if pct else f"{int(value):,}"


def table_for(rows: pd.DataFrame, pct: bool, every_release: bool) -> pd.DataFrame:
    shown = pd.DataFrame({
        "Year": rows["year"].astype(str),
        "Figure": [fmt(v, pct) if pd.notna(v) else (s or "–") for v, s in
                   zip(rows["value"], rows["symbol"])],
        "Release": rows["release"],
        "File": rows["source_file"],
    })
    if every_release:
        shown.insert(3, "Latest?", ["yes" if p else "revised later" for p in rows["preferred"]])
    notes = [n or s for n, s in zip(rows["note"], rows["symbol_note"])]
    if any(notes):
        shown["Note"] = notes
    return shown


def line_chart(rows: pd.DataFrame, title: str, y_label: str, pct: bool,
               every_release: bool) -> go.Figure:
    fig = go.Figure()
    groups = rows.groupby("release", sort=False) if every_release else [("latest", rows)]
    ordered = sorted(groups, key=lambda g: pl.release_order(g[0]), reverse=True)
    for i, (release, g) in enumerate(ordered):
        g = g.sort_values("year")
        name = f"{release} release" if every_release else "latest published figure"
        fig.add_trace(go.Scatter(
            x=g["year"], y=g["value"], name=name, mode="lines+markers+text",
            text=[fmt(v, pct) if pd.notna(v) else "" for v in g["value"]]
            if (not every_release or i == 0) else None,
            textposition="top center",
            line={"dash": DASHES[i % len(DASHES)], "width": 2},
            marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 9},
            hovertemplate="%{x}: %{y:,}" + ("%" if pct else "") + f"<extra>{name}</extra>",
        ))
    values = rows["value"].dropna()
    top = float(values.max()) if len(values) else 1.0
    fig.update_layout(
        title=title, height=340, margin={"l": 10, "r": 10, "t": 50, "b": 10},
        showlegend=every_release, legend={"orientation": "h", "y": -0.2},
        xaxis={"title": "Year ending 31 March", "dtick": 1},
        yaxis={"title": y_label, "rangemode": "tozero", "range": [0, top * 1.2],
               "ticksuffix": "%" if pct else "", "separatethousands": True},
    )
    return fig


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
revised = headline["latest_revision_by_year"]
with st.expander("The headline's figures as a table, with later revisions"):
    st.dataframe(pd.DataFrame({
        "Year": [str(y) for y in headline["years"]],
        f"Placement changes ({headline['release']} release)":
            [f"{v:,}" for v in headline["placement_changes_by_year"].values()],
        "Of which abuse or neglect":
            [f"{v:,}" for v in headline["abuse_or_neglect_by_year"].values()],
        "Of which status change only":
            [f"{v:,}" for v in headline["status_only_by_year"].values()],
        "Latest revision": [f"{revised[y]:,} ({headline['latest_revision_release'][y]} release)"
                            if y in revised else "–" for y in headline["years"]],
    }), hide_index=True, placeholder="", alt="Placement changes by year behind the coalition's headline")
st.caption(f"Source: Department for Education, {headline['release']} release, "
           f"{headline['source_file']} ({headline['table']}; abuse or neglect: "
           f"{headline['share_table']}). [Data file]({headline['source']}). "
           f"Open Government Licence.")

# ---- Over time -----------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def over_time(every_release: bool) -> list[tuple]:
    """(measure, chart, its summary, table, caption) per chart. The official figures are
    the same for every viewer and every rerun: built once per process (this page's
    rerun was the slowest of the demo's, 100-115 ms, most of it these charts and tables).
    Shared between sessions and only ever read, as the Overview's charts are."""
    last_year = int(pl.england_by_year()["year"].max())
    built = []
    for measure, title, y_label, pct in CHARTS:
        rows = pl.series(measure, all_releases=every_release)
        latest = rows[rows["preferred"] & rows["value"].notna()].sort_values("year")
        summary = (f"{title}, England, {int(latest['year'].iloc[0])} to "
                   f"{int(latest['year'].iloc[-1])}: from {fmt(latest['value'].iloc[0], pct)} "
                   f"to {fmt(latest['value'].iloc[-1], pct)}." if len(latest) else title)
        missing = sorted(set(range(2017, last_year + 1))
                         - set(int(y) for y in rows.loc[rows["value"].notna(), "year"]))
        gap = (f" Not published in the releases held: {', '.join(map(str, missing))}."
               if missing else "")
        notes = sorted({n for n in rows["note"] if n})
        built.append((measure, line_chart(rows, title, y_label, pct, every_release), summary,
                      table_for(rows, pct, every_release), f"{title}: the chart's figures by year",
                      pl.sources_line(rows) + gap + (" " + " ".join(notes) if notes else "")))
    return built


st.header("England over time")
every_release = st.checkbox("Show every release's figure (revisions)", value=False)
for measure, chart, summary, table, table_alt, caption in over_time(every_release):
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(chart, key=f"chart_{measure}", alt=summary)
    with right:
        st.dataframe(table, hide_index=True, placeholder="", alt=table_alt)
    st.caption(caption)

# ---- Local authorities ---------------------------------------------------------------
st.header("Local authorities compared")
la_measure = st.selectbox("Figure", list(pl.LA_MEASURES), format_func=LA_LABELS.get)
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
    shown = authorities.dropna(subset=["value"]).sort_values("value")
    cut = len(shown) > LA_CHART_MAX
    if cut:
        shown = pd.concat([shown.head(15), shown.tail(15)])
    fig = go.Figure(go.Bar(
        x=shown["value"], y=shown["la_name"], orientation="h",
        text=[fmt(v, pct) for v in shown["value"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:,}" + ("%" if pct else "") + "<extra></extra>"))
    for i, b in enumerate(bench.itertuples()):
        if pd.notna(b.value):
            fig.add_vline(x=b.value, line_dash=DASHES[(i + 1) % len(DASHES)],
                          annotation_text=f"{b.place} {fmt(b.value, pct)}",
                          annotation_position="top right" if i % 2 == 0 else "bottom right")
    fig.update_layout(
        title=(f"{year}, {region}: 15 highest and 15 lowest" if cut
               else f"{year}, {region}"),
        height=max(320, 22 * len(shown) + 120), margin={"l": 10, "r": 40, "t": 60, "b": 10},
        xaxis={"title": LA_LABELS[la_measure], "ticksuffix": "%" if pct else ""},
        yaxis={"title": None})
    st.plotly_chart(fig, key="la_chart",
                    alt=f"Bar chart: {LA_LABELS[la_measure]} for "
                        f"{'the 15 highest and 15 lowest' if cut else 'each'} local "
                        f"authorit{'ies' if cut else 'y'} in {region}, {year}; the table "
                        f"below has every authority's figure.")
    if cut:
        st.caption("The chart shows the 15 highest and 15 lowest authorities; choose a "
                   "region to chart them all. The table below lists every authority.")
    table = pd.DataFrame({
        "Local authority": authorities["la_name"],
        "Region": authorities["region"],
        "Figure": [fmt(v, pct) if pd.notna(v) else f"not published ({n or s})"
                   for v, s, n in zip(authorities["value"], authorities["symbol"],
                                      authorities["symbol_note"])],
        "Release": authorities["release"],
    })
    bench_text = "; ".join(f"{b.place}: {fmt(b.value, pct)}" for b in bench.itertuples())
    st.dataframe(table, hide_index=True, placeholder="",
                 alt=f"{LA_LABELS[la_measure]} by local authority, {region}, {year}")
    suppressed = int(authorities["value"].isna().sum())
    st.caption(
        (f"Benchmarks — {bench_text}. " if bench_text else "") +
        ("A count is drawn against the median authority, not England's total. "
         if pl.is_count(la_measure) else "") +
        (f"{suppressed} authorit{'y' if suppressed == 1 else 'ies'} not published "
         f"(c = suppressed, z = not applicable), shown in the table, not as zero. "
         if suppressed else "") +
        pl.sources_line(pl.load_la().pipe(
            lambda la: la[(la["measure"] == la_measure) & (la["year"] == int(year))
                          & la["preferred"]])))

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
