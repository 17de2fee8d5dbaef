"""Data quality: every issue, filterable, downloadable, with the fix and a link to the cell."""
import streamlit as st

from dashboard.access import issues_visible_to
from dashboard.app_data import get_loaded, require_viewer
from dashboard.safe import neutralise_frame

viewer = require_viewer("quality")
loaded = get_loaded()
issues = issues_visible_to(viewer, loaded.views["issues"])

st.title("Data quality")
st.write("Every problem found in the charities' sheets, with how to fix it. Errors leave a row out "
         "of the figures; warnings are counted with a best reading; notes need no action.")

charities = sorted(issues["charity"].dropna().unique())
chosen = st.sidebar.multiselect("Charity", charities, default=charities if len(charities) == 1 else [])
severities = st.sidebar.multiselect("Severity", ["error", "warning", "note"], default=["error", "warning"])
shown = issues
if chosen:
    shown = shown[shown["charity"].isin(chosen)]
if severities:
    shown = shown[shown["severity"].isin(severities)]

c1, c2, c3 = st.columns(3)
for col, severity in zip((c1, c2, c3), ("error", "warning", "note")):
    col.metric(f"{severity.title()}s", int((issues["severity"] == severity).sum()))

st.dataframe(shown[["charity", "tab", "row", "column", "severity", "message", "fix", "link", "code"]],
             hide_index=True, width="stretch",
             column_config={"link": st.column_config.LinkColumn("open cell", display_text="open"),
                            "row": st.column_config.NumberColumn("row", format="%d")})
# Written only when clicked: a coalition's 25,000 issues cost 0.1 s to write on every rerun.
# on_click="ignore": a click that also reruns the page can lose the file (Streamlit 1.67
# drops the pending file request when the rerun ends: the button spun for good on 4 of 20
# first clicks in a real browser, 0 of 30 without the rerun). tests/test_app.py checks every
# page's download buttons.
st.download_button("Download these issues (CSV)", lambda: neutralise_frame(shown).to_csv(index=False).encode("utf-8"),
                   file_name="data-quality-issues.csv", mime="text/csv", on_click="ignore")
