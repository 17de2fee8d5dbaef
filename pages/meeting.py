"""Weekly meeting: the coalition's figures with the change since the baseline snapshot,
progress and the pace needed, trends, sources to chase, and the meeting pack.

Figures only (no rows, refs or notes). Text from the config or a sheet is shown through
st.dataframe / widget values, or md_escape'd. "Presentation mode" is for a projector:
big figures and progress, nothing else. Rules: docs/meeting.md. What each role sees here
(suppression, data-quality detail) is access.SURFACES' "meeting" entry.
"""
import pandas as pd
import streamlit as st

from dashboard import clock
from dashboard.access.roles import NONE, can_download, sees, shows_commands, visible
from dashboard.access.suppression import (PRIMARY_MARK, SUPPRESSION_RULE, suppress_change,
                                          suppress_value)
from dashboard.app.app_data import (ATTENDEE_FIGURES, get_config, get_loaded, get_snapshots,
                                    get_summary, live_fragment, require_viewer)
from dashboard.app.charts import trend_views
from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.highlights import week_highlights
from dashboard.views import charity_progress
from dashboard.history import describe_date, describe_time, signed, taken_by, uk_time, whole
from dashboard.reports.meeting_tables import (charity_change_grid, charity_targets_table,
                                              pace_table, short, sources_table)
from dashboard.reports.pack import (NO_TREND_YET, PackData, build_html, build_xlsx,
                                    highlights_since, pack_filenames, sources_seen,
                                    trend_days, trustee_trend)
from dashboard.safe import md_escape
from dashboard.app.ui import chart_with_table, in_words

viewer = require_viewer("meeting")
config = get_config()
loaded = get_loaded()
summary = loaded.summary
seen = sees(viewer, "meeting")
hide_small = seen.suppressed


def map_engagement(config, loaded):
    """The MP coverage page's seat table (built once per refresh), for the pack's map."""
    from dashboard.app import map_page
    from dashboard.official.parliament import parliament_for

    return map_page.engagement_for(loaded.number, parliament_for(config.start, config.end),
                                   loaded.coalition)


now = clock.now()
snapshots = get_snapshots()
readings = taken_by(snapshots, now)
# The chair picks the day to compare with; left empty, a week ago (or [meeting] last).
compare_with = st.sidebar.date_input(
    "Compare with", value=None, key="meeting_compare_with", format="DD/MM/YYYY",
    min_value=uk_time(readings[0]["at"]).date() if readings else None,
    max_value=uk_time(now).date(), disabled=not readings,
    help="The figures as they stood at the end of this day. Empty: "
         + ("the last meeting ([meeting] last in the config)" if config.last_meeting else
            "the reading nearest to a week ago"))
data = PackData(summary, snapshots, config, now, compare_with=compare_with,
                engagement=map_engagement(config, loaded))
# The pack and this page show the sources as this role may see them.
data.sources = sources_seen(data.sources, seen.issues, viewer.charity)
if not seen.suppressed:
    # New MPs met and media highlights name MPs and quote headlines: never for a trustee.
    since, until = highlights_since(data.baseline, now)
    # a lead's media highlights are their own charity's pieces (headlines are rows)
    media = visible(viewer, "media", loaded.views["media"], charity_column="charities")
    data.highlights = week_highlights(loaded.views["mps"], media, since, until)

presenting = st.toggle("Presentation mode", key="meeting_presentation",
                       help="Large figures and progress only, readable on a projector")

coalition = data.coalition_changes.set_index("figure")
since = None
if data.baseline is not None:
    then = uk_time(data.baseline["at"])
    since = f"since {then.day} {then:%b}"


def hidden(figure: str, n) -> bool:
    """A count of 1 to 4 young people, on a view that suppresses them."""
    return hide_small and figure in ATTENDEE_FIGURES and suppress_value(n) == PRIMARY_MARK


def shown(figure: str, n) -> str:
    if hidden(figure, n):
        return PRIMARY_MARK
    return short(n) if presenting else whole(n)


def shown_change(figure: str, change) -> str | None:
    if pd.isna(change):
        return None
    if hide_small and figure in ATTENDEE_FIGURES and PRIMARY_MARK in suppress_change(change):
        return suppress_change(change)
    return short(change, sign=True) if presenting else signed(change)


def metrics(per_row: int) -> None:
    for start in range(0, len(FIGURES), per_row):
        cols = st.columns(per_row)
        for col, figure in zip(cols, FIGURES[start:start + per_row]):
            row = coalition.loc[figure]
            change = row["change"]
            with col:
                st.metric(FIGURE_LABELS[figure], shown(figure, row["now"]),
                          delta=shown_change(figure, change),
                          delta_description=since if not pd.isna(change) else None,
                          border=presenting)


def present() -> None:
    """The projector's figures; on a `[live]` day they rerun themselves (live_fragment),
    each time with the shared read's newest summary."""
    global data, coalition, since
    data = PackData(get_summary(), get_snapshots(), config, clock.now())
    coalition = data.coalition_changes.set_index("figure")
    since = None
    if data.baseline is not None:
        then = uk_time(data.baseline["at"])
        since = f"since {then.day} {then:%b}"
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
            if hidden(r.figure, r.current):     # the bar's length would give the count away
                st.progress(0.0, text=f"{r.label}: {PRIMARY_MARK} of {whole(r.target)}")
                continue
            st.progress(min(max(float(r.progress), 0.0), 1.0),
                        text=f"{r.label}: {shown(r.figure, r.current)} of {whole(r.target)} ({needed})")


if presenting:
    live_fragment(present)
    st.stop()

st.title("Weekly meeting")
read_when = md_escape(describe_time(data.read_at)) if data.read_at else "n/a"
st.caption(f"{md_escape(config.name)} · figures read {read_when} · {md_escape(data.change_note)}")
if data.baseline is not None and data.baseline.get("demo"):
    st.caption("Demo: the history before today is synthetic, made on the demo's first run.")
if data.baseline is None and shows_commands(viewer, "meeting"):
    st.info("There is no snapshot to compare with yet. `python -m dashboard refresh` stores one "
            "each time it runs (run it from a timer); changes appear once one is at least half a "
            "week old.")
metrics(per_row=4)

st.header("Progress towards targets")
if data.pace.empty:
    st.write("No targets are set in the config ([targets]).")
else:
    changes = [shown_change(f, coalition.loc[f, "change"]) for f in data.pace["figure"]]
    # A hidden count hides what it can be worked out from: progress, still needed, pace.
    secret = ([hidden(f, n) for f, n in zip(data.pace["figure"], data.pace["current"])]
              if hide_small else None)
    st.dataframe(pace_table(data.pace, changes, secret), hide_index=True, placeholder="",
                 width="stretch", column_config={
        "Progress": st.column_config.ProgressColumn("Progress", format="%.0f%%", min_value=0,
                                                    max_value=100)})
    st.caption(f"Needed per week: what is still needed divided by the weeks left until the "
               f"campaign ends on {config.end:%d %B %Y}, rounded up.")

own_targets = charity_progress(
    summary, config.charities,
    # counts of young people per charity can be 1 to 4: not on a trustee's page
    figures=[f for f in FIGURES if not f.startswith("attendees_")] if hide_small else None)
if not own_targets.empty:
    st.header("Each charity's targets")
    st.dataframe(charity_targets_table(own_targets), hide_index=True, placeholder="",
                 width="stretch", column_config={
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
           "reading that day), ending with the figures above."
           + (" Young people: the coalition's line only, and no reading of 1 to 4." if hide_small else ""))


snapshots_seen = data.snapshots
if trend_days(data.trend) < 2:
    st.info(NO_TREND_YET if shows_commands(viewer, "meeting")
            else NO_TREND_YET.split(":")[0] + ".")
else:
    trends = trend_views(summary["generated_at"],
                         (len(snapshots_seen), snapshots_seen[-1]["id"] if snapshots_seen else None),
                         hide_small,
                         trustee_trend(data.trend, ATTENDEE_FIGURES) if hide_small else data.trend)
    tabs = st.tabs([FIGURE_LABELS[f] for f in FIGURES])
    for tab, figure in zip(tabs, FIGURES):
        with tab:
            fig, table = trends[figure]
            chart_with_table(fig, table, styled=True,
                             caption=f"{FIGURE_LABELS[figure]} over time: the coalition"
                                     + ("." if hide_small and figure in ATTENDEE_FIGURES
                                        else " and each charity."),
                             key=f"meeting-trend-{figure}")

st.header("By charity")
by_charity = data.charity_changes
if by_charity.empty:
    st.write("No charities in the summary.")
else:
    # Each charity's young people as the Overview and Charities pages show them (one
    # suppressed table for every page), without a change that could give them away.
    grid = charity_change_grid(by_charity, loaded.views["charities_suppressed"] if hide_small else None,
                               ATTENDEE_FIGURES)
    st.dataframe(grid, hide_index=True, placeholder="", width="stretch")
    st.caption(f"Each cell: the figure now (its change). {md_escape(data.change_note)}.")
    if hide_small:
        st.caption("Young people: each charity's count as the Overview shows it, without its "
                   "change. " + SUPPRESSION_RULE)

st.header("Sources to look at")
if not data.sources:
    st.success("Every source was read and has no open errors.")
else:
    sources = sources_table(data.sources, details=seen.issues != NONE)
    st.dataframe(sources, hide_index=True, placeholder="", width="stretch")
    st.caption("Stale: the source could not be read now and its last good read is used. Rows with "
               "errors are not counted until they are fixed"
               + (" (Data quality page)." if seen.issues != NONE else "."))

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
