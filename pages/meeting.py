"""Weekly meeting: the coalition's figures with the change since the baseline snapshot,
progress and the pace needed, trends, sources to chase, and the meeting pack.

Figures only (no rows, refs or notes). Text from the config or a sheet is shown through
st.dataframe / widget values, or md_escape'd. "Presentation mode" is for a projector:
big figures and progress, nothing else. Rules: docs/meeting.md.
"""
import pandas as pd
import streamlit as st

from dashboard import clock
from dashboard.access import can_download, is_trustee
from dashboard.app_data import get_config, get_loaded, get_store, get_summary, require_viewer
from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.highlights import week_highlights
from dashboard.views import charity_progress
from dashboard.history import daily, describe_date, describe_time, signed, taken_by, uk_time, whole, wide
from dashboard.pack import (NO_TREND_YET, PackData, build_html, build_xlsx, describe_as_of,
                            highlights_since, pack_filenames, status_text, trend_days, trend_figure)
from dashboard.safe import md_escape
from dashboard.ui import chart_with_table, in_words, style_figure

viewer = require_viewer("meeting")
config = get_config()
summary, store = get_summary(), get_store()


@st.cache_resource(ttl=60, show_spinner=False)
def stored_snapshots(url: str) -> list[dict]:
    """Read-only and shared: thousands of snapshots parse once a minute, not every rerun."""
    return store.snapshots()


now = clock.now()
snapshots = stored_snapshots(store.url)
readings = taken_by(snapshots, now)
# The chair picks the day to compare with; left empty, a week ago (or [meeting] last).
compare_with = st.sidebar.date_input(
    "Compare with", value=None, key="meeting_compare_with", format="DD/MM/YYYY",
    min_value=uk_time(readings[0]["at"]).date() if readings else None,
    max_value=uk_time(now).date(), disabled=not readings,
    help="The figures as they stood at the end of this day. Empty: "
         + ("the last meeting ([meeting] last in the config)" if config.last_meeting else
            "the reading nearest to a week ago"))
data = PackData(summary, snapshots, config, now, compare_with=compare_with)
if not is_trustee(viewer):
    # New MPs met and media highlights name MPs and quote headlines: never for a trustee.
    loaded = get_loaded()
    since, until = highlights_since(data.baseline, now)
    data.highlights = week_highlights(loaded.views["mps"], loaded.views["media"], since, until)

presenting = st.toggle("Presentation mode", key="meeting_presentation",
                       help="Large figures and progress only, readable on a projector")

coalition = data.coalition_changes.set_index("figure")
since = None
if data.baseline is not None:
    then = uk_time(data.baseline["at"])
    since = f"since {then.day} {then:%b}"


def short(n, sign: bool = False) -> str:
    """Big numbers for a projector: 1,730,400 -> 1.73m, 250,000 -> 250k (exact below 100,000)."""
    if pd.isna(n) or abs(int(n)) < 100_000:
        return signed(n) if sign else whole(n)
    n = int(n)
    text = f"{abs(n) / 1e6:.3g}m" if abs(n) >= 1_000_000 else f"{abs(n) / 1e3:.3g}k"
    return ("-" if n < 0 else "+" if sign else "") + text


def metrics(per_row: int) -> None:
    for start in range(0, len(FIGURES), per_row):
        cols = st.columns(per_row)
        for col, figure in zip(cols, FIGURES[start:start + per_row]):
            row = coalition.loc[figure]
            change = row["change"]
            with col:
                st.metric(FIGURE_LABELS[figure],
                          short(row["now"]) if presenting else whole(row["now"]),
                          delta=None if pd.isna(change) else
                          (short(change, sign=True) if presenting else signed(change)),
                          delta_description=since if not pd.isna(change) else None,
                          border=presenting)


if presenting:
    st.markdown(  # static CSS only, no data: makes the metrics readable from the back of a room
        "<style>"
        '[data-testid="stMetricValue"] { font-size: 3.4rem; line-height: 1.1; }'
        '[data-testid="stMetricLabel"] p { font-size: 1.2rem; white-space: normal; }'
        '[data-testid="stMetricDelta"] { font-size: 1.5rem; }'
        '[data-testid="stProgress"] p { font-size: 1.4rem; }'
        "</style>", unsafe_allow_html=True)
    st.title(md_escape(config.name))
    metrics(per_row=4)
    if not data.pace.empty:
        st.header("Targets")
        for r in data.pace.itertuples(index=False):
            needed = (f"needs {whole(r.per_week)} a week" if r.state == "open"
                      else "target met" if r.state == "met" else r.note)
            st.progress(min(max(float(r.progress), 0.0), 1.0),
                        text=f"{r.label}: {whole(r.current)} of {whole(r.target)} ({needed})")
    st.stop()

st.title("Weekly meeting")
st.caption(f"{md_escape(config.name)} · figures read {md_escape(describe_time(data.read_at)) if data.read_at else 'n/a'}"
           f" · {md_escape(data.change_note)}")
if data.baseline is not None and data.baseline.get("demo"):
    st.caption("Demo: the history before today is synthetic, made on the demo's first run.")
if data.baseline is None:
    st.info("There is no snapshot to compare with yet. `python -m dashboard refresh` stores one "
            "each time it runs (run it from a timer); changes appear once one is at least half a "
            "week old.")
metrics(per_row=4)

st.header("Progress towards targets")
if data.pace.empty:
    st.write("No targets are set in the config ([targets]).")
else:
    pace_table = pd.DataFrame({
        "Figure": data.pace["label"], "Now": data.pace["current"], "Target": data.pace["target"],
        "Progress": data.pace["progress"] * 100,
        "Still needed": data.pace["remaining"],
        # (as the pack writes it: 'n/a' once the campaign has ended, not an empty 'None')
        "Needed per week": [whole(n) for n in data.pace["per_week"]],
        "Change": [signed(coalition.loc[f, "change"]) for f in data.pace["figure"]],
        "Pace": data.pace["note"],
    })
    st.dataframe(pace_table, hide_index=True, width="stretch", column_config={
        "Progress": st.column_config.ProgressColumn("Progress", format="%.0f%%", min_value=0,
                                                    max_value=100)})
    st.caption(f"Needed per week: what is still needed divided by the weeks left until the "
               f"campaign ends on {config.end:%d %B %Y}, rounded up.")

own_targets = charity_progress(
    summary, config.charities,
    # counts of young people per charity can be 1 to 4: not on a trustee's page
    figures=[f for f in FIGURES if not f.startswith("attendees_")] if is_trustee(viewer) else None)
if not own_targets.empty:
    st.header("Each charity's targets")
    st.dataframe(pd.DataFrame({
        "Charity": own_targets["charity"], "Figure": own_targets["label"],
        "Now": own_targets["now"], "Target": own_targets["target"],
        "Progress": own_targets["progress"] * 100,
    }), hide_index=True, width="stretch", column_config={
        "Progress": st.column_config.ProgressColumn("Progress", format="%.0f%%", min_value=0,
                                                    max_value=100)})
    st.caption("Set per charity in the config: [[charity]] targets = { mps_met = 30, pledges = 20 }.")

if data.highlights is not None:
    h = data.highlights
    st.header("This week")
    st.caption(f"Days after {describe_date(h.since)}, up to {describe_date(h.until)}.")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**New MPs met: {h.new_mps_total:,}**")
        if h.new_mps.empty:
            st.write("No MP was met for the first time in these days.")
        else:
            st.dataframe(h.new_mps, hide_index=True, width="stretch",
                         column_config=in_words(h.new_mps, {"charities": "By"}))
    with right:
        st.markdown(f"**Media highlights: {h.media_total:,} pieces**")
        if h.media.empty:
            st.write("No coverage is dated in these days.")
        else:
            st.dataframe(h.media, hide_index=True, width="stretch",
                         column_config=in_words(h.media, {"reach": st.column_config.NumberColumn(
                             "Reach", format="%d")}))

st.header("Trends")
st.caption("One line per charity and a bold line for the coalition; one point per day (the last "
           "reading that day), ending with the figures above.")


@st.cache_resource(ttl=600, max_entries=4, show_spinner=False)
def trend_views(generated_at: str, snapshot_key: tuple, _trend: pd.DataFrame) -> dict:
    """Each figure's trend chart and table, built once per refresh and snapshot set and
    shared by every session: building eight plotly figures is most of a rerun's cost."""
    views = {}
    for figure in FIGURES:
        table = wide(daily(_trend[_trend["figure"] == figure]), figure)
        table.index = [f"{uk_time(t):%Y-%m-%d %H:%M}" for t in table.index]
        views[figure] = (style_figure(trend_figure(_trend, figure, width=None)),
                         table.rename_axis("Reading (UK time)").reset_index())
    return views


snapshots_seen = data.snapshots
if trend_days(data.trend) < 2:
    st.info(NO_TREND_YET)
else:
    trends = trend_views(summary["generated_at"],
                         (len(snapshots_seen), snapshots_seen[-1]["id"] if snapshots_seen else None),
                         data.trend)
    tabs = st.tabs([FIGURE_LABELS[f] for f in FIGURES])
    for tab, figure in zip(tabs, FIGURES):
        with tab:
            fig, table = trends[figure]
            chart_with_table(fig, table, styled=True,
                             caption=f"{FIGURE_LABELS[figure]} over time: the coalition and each charity.",
                             key=f"meeting-trend-{figure}")

st.header("By charity")
by_charity = data.charity_changes
if by_charity.empty:
    st.write("No charities in the summary.")
else:
    cells = by_charity.assign(cell=[f"{whole(n)} ({signed(c)})" for n, c in
                                    zip(by_charity["now"], by_charity["change"])])
    grid = cells.pivot(index="charity", columns="label", values="cell")
    grid = grid.reindex(index=list(dict.fromkeys(by_charity["charity"])),
                        columns=[FIGURE_LABELS[f] for f in FIGURES])
    status = by_charity.drop_duplicates("charity").set_index("charity")["status"]
    grid.insert(0, "Status", status.reindex(grid.index))
    st.dataframe(grid.rename_axis("Charity").reset_index(), hide_index=True, width="stretch")
    st.caption(f"Each cell: the figure now (its change). {md_escape(data.change_note)}.")

st.header("Sources to look at")
if not data.sources:
    st.success("Every source was read and has no open errors.")
else:
    st.dataframe(pd.DataFrame([{
        "Charity": s["name"], "Status": status_text(s), "Data as of": describe_as_of(s["as_of"]),
        "Errors": s["errors"], "Warnings": s["warnings"],
        "Details": "; ".join(s["messages"] + ([f"Errors at {s['where']}"] if s["where"] else [])),
    } for s in data.sources]), hide_index=True, width="stretch")
    st.caption("Stale: the source could not be read now and its last good read is used. Rows with "
               "errors are not counted until they are fixed (Data quality page).")

if can_download(viewer, "pack"):
    st.header("Meeting pack")
    st.caption("One HTML file (prints to PDF; works offline) and one spreadsheet of the figures. "
               "The HTML also lists this week's new MPs met and media highlights: for the "
               "coalition and leads, not for trustees.")
    html_name, xlsx_name = pack_filenames(now)
    with_trends = st.checkbox("Trends in the pack", value=True, key="meeting-pack-trends",
                              help="Without them the pack prints on at most two A4 pages.")
    left, right = st.columns(2)
    with left:
        st.download_button("Download the pack (HTML)",
                           data=lambda: build_html(data, trends=with_trends).encode("utf-8"),
                           file_name=html_name, mime="text/html", on_click="ignore",
                           key="meeting-pack-html")
    with right:
        st.download_button("Download the figures (XLSX)", data=lambda: build_xlsx(data),
                           file_name=xlsx_name, on_click="ignore", key="meeting-pack-xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
