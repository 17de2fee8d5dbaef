"""Overview: the coalition's figures against its targets, each charity, each source."""
import streamlit as st

from dashboard import clock, views
from dashboard.access.roles import NONE, can_download, can_refresh, sees
from dashboard.access.suppression import PRIMARY_MARK, SUPPRESSION_RULE, suppress_value
from dashboard.app.app_data import (ATTENDEE_FIGURES, get_config, get_loaded, live_fragment,
                                    request_refresh, require_viewer)
from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.figures import COALITION
from dashboard.safe import md_escape
from dashboard.app.ui import chart_with_table, in_words, short_figure_columns

viewer = require_viewer("overview")
seen = sees(viewer, "overview")
config = get_config()


def overview() -> None:
    """The page's figures; on a `[live]` day they rerun themselves (live_fragment)."""
    loaded = get_loaded()
    coalition, summary = loaded.coalition, loaded.summary

    st.title("Overview")
    st.caption(f"{md_escape(config.name)} · {md_escape(views.window_caption(config))} · "
               f"figures as of {loaded.loaded_at:%d/%m/%Y %H:%M}")

    totals = summary["coalition"]
    parts = loaded.views["overview"]        # built once per refresh, shared by sessions
    # One row of four at a time, so a figure with a target line below it never pushes the
    # next row's figures out of line with each other.
    for i, key in enumerate(FIGURES):
        if i % 4 == 0:
            cols = st.columns(4)
        target = config.targets.get(key)
        shown = suppress_value(totals[key]) if seen.suppressed and key in ATTENDEE_FIGURES \
            else f"{totals[key]:,}"
        with cols[i % 4]:
            st.metric(FIGURE_LABELS[key], shown,
                      help=f"Target {target:,}" if target else None,
                      # (a hidden count's share of its target would give the count away)
                      delta=f"{round(100 * totals[key] / target)}% of target {target:,}"
                      if target and shown != PRIMARY_MARK else None,
                      delta_color="off", delta_arrow="off" if target else "auto")

    # A coalition count of 1 to 4 young people is "<5" above: its bar would draw it.
    small_total = seen.suppressed and any(suppress_value(totals[k]) == PRIMARY_MARK for k in ATTENDEE_FIGURES)
    if parts["progress"] is not None and not small_total:
        st.header("Progress against the coalition's targets")
        fig, table = parts["progress"]
        chart_with_table(fig, table, styled=True,
                         caption="Each bar is the coalition figure as a share of its target; the dashed "
                                 "line is the target. Targets come from the coalition's config.",
                         key="progress")

    st.header("Each charity")
    if seen.suppressed:
        table = parts["charities_suppressed"]
        st.caption(SUPPRESSION_RULE)
        columns = short_figure_columns(ATTENDEE_FIGURES)
    else:
        table = parts["charities"]
        columns = short_figure_columns()
    if seen.issues == NONE:         # error counts are data-quality detail for this role
        table = table.drop(columns=["errors", "warnings"], errors="ignore")
    st.dataframe(table, hide_index=True, placeholder="", width="stretch", column_config=in_words(table, columns))
    st.caption(f"The last row, {COALITION}, is the coalition's figure. Young people are added up "
               "over the charities; meetings, MPs, pledges and media are not: a joint meeting "
               "logged by two charities, an MP met or pledged with several, and a piece of coverage "
               "logged by more than one count once in the coalition, so the charity rows add up to "
               "more. Each source's status" + (", errors and warnings are" if seen.issues != NONE else " is")
               + " under Sources.")
    if can_download(viewer, "figures"):
        from dashboard.reports.figures_download import (FILE_STEM, figures_csv, figures_table,
                                                        figures_xlsx)

        # Built only when clicked: the table as this viewer sees it, plus the coalition's row.
        def shown_figures():
            return figures_table(totals, table, suppressed=seen.suppressed, issues=seen.issues)

        left, right = st.columns(2)
        left.download_button("Download these figures (CSV)", lambda: figures_csv(shown_figures()),
                             file_name=f"{FILE_STEM}.csv", mime="text/csv", on_click="ignore",
                             key="overview-figures-csv")
        right.download_button("Download these figures (XLSX)",
                              lambda: figures_xlsx(shown_figures()),
                              file_name=f"{FILE_STEM}.xlsx", on_click="ignore", key="overview-figures-xlsx",
                              mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    st.header("Sources")
    now = clock.now()
    status = views.source_status_table(coalition, now)
    if seen.issues == NONE:
        # Read status and age only: a source's errors are data-quality detail (a source
        # read with errors is, for this role, read).
        status = status[["charity"]].assign(
            status=[c.status for c in coalition.charities],
            freshness=[views.freshness(c.as_of, now) for c in coalition.charities])
    st.dataframe(status, hide_index=True, placeholder="", width="stretch", column_config=in_words(status))
    if coalition.refresh_note and seen.issues != NONE:
        st.info(md_escape(coalition.refresh_note))      # e.g. Drive not enabled: how to fix
    bad = status[status["status"] != "ok"]
    for row in bad.itertuples():
        st.warning(f"{row.charity}: " + (views.errors_note(row.errors) if row.status == "with errors"
                                         else row.freshness))
    if can_refresh(viewer):
        if st.button("Refresh now", help="Read every charity's sheet again now (at most once a minute)"):
            not_yet = request_refresh()
            if not_yet is None:
                st.rerun()
            st.info(not_yet)

    st.header("Young people who attended")
    left, right = st.columns(2)
    attended = parts["attended_trustee"] if seen.suppressed else parts["attended"]
    for where, (column, fig, table) in zip((left, right), attended):
        with where:
            chart_with_table(fig, table, styled=True, caption="Distinct young people with status attended.",
                             key=f"attended-{column}")


live_fragment(overview)
