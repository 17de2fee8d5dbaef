"""Charities: one charity at a time, its figures and (for those allowed) its rows."""
import pandas as pd
import streamlit as st

from dashboard import clock, views
from dashboard.access.suppression import SUPPRESSION_RULE
from dashboard.access.roles import can_see_rows, is_trustee, visible
from dashboard.app.app_data import ATTENDEE_FIGURES, get_config, get_loaded, require_viewer
from dashboard.contract import FIGURE_LABELS, FIGURES, TABS, free_text_keys
from dashboard.safe import md_escape
from dashboard.app.ui import sheet_columns

viewer = require_viewer("charities")
config = get_config()
loaded = get_loaded()
coalition = loaded.coalition

st.title("Charities")
names = [c.name for c in coalition.charities]
default = names.index(viewer.charity) if getattr(viewer, "charity", None) in names else 0
name = st.sidebar.selectbox("Charity", names, index=default)
charity = coalition.charity(name)

st.header(md_escape(name))
# A source's error message is data-quality detail: only for those who see this charity's.
error_shown = charity.error and visible(viewer, "charities", pd.DataFrame({"charity": [name]}), "issues").size
st.caption(f"Source status: {charity.status} · {views.read_or_checked(charity, clock.now())}"
           + (f" · {md_escape(charity.error)}" if error_shown else ""))
figures = coalition.figures.loc[name]
suppressed = loaded.views["charities_suppressed"].set_index("charity").loc[name]
cols = st.columns(4)
for i, key in enumerate(FIGURES):
    # Trustees see the same suppressed value as on the Overview table, never the raw one.
    shown = suppressed[key] if is_trustee(viewer) and key in ATTENDEE_FIGURES else f"{int(figures[key]):,}"
    cols[i % 4].metric(FIGURE_LABELS[key], shown)
if is_trustee(viewer):
    st.caption(SUPPRESSION_RULE)

def downloads() -> None:
    """The validated, merged data (formula-safe), for the roles allowed it."""
    from dashboard.access.roles import can_download, rows_visible_to
    from dashboard.reports.export import coalition_frames, export_bytes

    # The frames are gathered only when a download is clicked (a rerun never pays for them).
    if can_download(viewer, "export"):
        frames, label, stem = (lambda: coalition_frames(coalition)), "every charity", "coalition-data"
    elif can_download(viewer, "rows") and viewer.charity:
        frames = lambda: {k: rows_visible_to(viewer, f)  # noqa: E731
                          for k, f in coalition_frames(coalition).items()}
        label, stem = viewer.charity, "our-charity-data"
    else:
        return
    st.header("Download the checked data")
    st.caption(f"Rows of {md_escape(label)}, after checking, one sheet per tab plus the issues. Cells that a "
               "spreadsheet would run as a formula are neutralised.")
    left, right = st.columns(2)
    # Built only when clicked (a callable), so a rerun never pays for the workbook.
    left.download_button("Excel workbook (.xlsx)", lambda: export_bytes(frames(), "xlsx"),
                         file_name=f"{stem}.xlsx", on_click="ignore",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    right.download_button("CSV files (.zip)", lambda: export_bytes(frames(), "zip"),
                          file_name=f"{stem}.zip", mime="application/zip", on_click="ignore")


if not can_see_rows(viewer, name):
    downloads()
    st.info("Rows are shown only to this charity's lead and the coalition team. "
            "These are the charity's figures.")
    st.stop()

st.caption("Rows as read from the charity's sheet, after checking, under the sheet's headers. "
           "Row is the row number in the sheet.")
# Lazy tabs: only the open tab's rows are sent (a large charity has thousands per tab).
tabs = st.tabs([t.name for t in TABS], key="charity-rows-tab", on_change="rerun")
for tab, container in zip(TABS, tabs):
    if not container.open:
        continue
    with container:
        frame = charity.frames[tab.key]
        st.dataframe(frame, hide_index=True, placeholder="", width="stretch", column_config=sheet_columns(tab, frame),
                     key=f"rows-{tab.key}")
        if free_text_keys(tab):
            st.caption("Free-text columns (" + ", ".join(c.name for c in tab.columns if c.free_text) +
                       ") are shown only here, to the charity's lead and the coalition team.")

downloads()
