"""Data quality: every issue, filterable, downloadable, with the fix and a link to the cell."""
import streamlit as st

from dashboard.access.roles import visible
from dashboard.app.app_data import get_loaded, require_viewer
from dashboard.safe import neutralise_frame
from dashboard.app.ui import in_words

viewer = require_viewer("quality")
loaded = get_loaded()
issues = visible(viewer, "quality", loaded.views["issues"], "issues")

st.title("Data quality")
st.write("Every problem found in the charities' sheets, with how to fix it. Errors leave a row out "
         "of the figures; warnings are counted with a best reading; notes need no action.")

charities = sorted(issues["charity"].dropna().unique())
chosen = st.sidebar.multiselect("Charity", charities, default=charities if len(charities) == 1 else [])
severities = st.sidebar.multiselect("Severity", ["error", "warning", "note"], default=["error", "warning"])
# The counts are of the charities chosen (a lead fixing their sheet counts their own), of
# every severity; the table shows the severities chosen.
of_charities = issues[issues["charity"].isin(chosen)] if chosen else issues
shown = of_charities[of_charities["severity"].isin(severities)] if severities else of_charities

c1, c2, c3 = st.columns(3)
for col, severity in zip((c1, c2, c3), ("error", "warning", "note")):
    col.metric(f"{severity.title()}s", int((of_charities["severity"] == severity).sum()))

listed = shown[["charity", "tab", "row", "column", "severity", "message", "fix", "link", "code"]]
# Rows taller than 4rem let Streamlit's grid wrap text: Problem and How to fix it are read
# in full, not cut at the column's edge.
st.dataframe(listed, hide_index=True, placeholder="", width="stretch", row_height=88,
             # Widths that keep Problem and How to fix it on screen at 1440 px (the cell
             # link and the reason code may scroll): 960 px up to the end of the fix.
             column_config=in_words(listed, {
                 "charity": st.column_config.TextColumn("Charity", width=130),
                 "tab": st.column_config.TextColumn("Tab", width=95),
                 "row": st.column_config.NumberColumn("Row", format="%d", width=45),
                 "column": st.column_config.TextColumn("Column", width=100),
                 "severity": st.column_config.TextColumn("Severity", width=70),
                 "message": st.column_config.TextColumn("Problem", width=260),
                 "fix": st.column_config.TextColumn("How to fix it", width=260),
                 "link": st.column_config.LinkColumn("Cell", display_text="open",
                                                     help="Opens the cell in the charity's sheet"),
                 "code": st.column_config.TextColumn("Code", help="The reason code, as in the CSV")}))
# Written only when clicked: a coalition's 25,000 issues cost 0.1 s to write on every rerun.
# on_click="ignore": a click that also reruns the page can lose the file (Streamlit 1.67
# drops the pending file request when the rerun ends: the button spun for good on 4 of 20
# first clicks in a real browser, 0 of 30 without the rerun). tests/test_app.py checks every
# page's download buttons.
st.download_button("Download these issues (CSV)", lambda: neutralise_frame(shown).to_csv(index=False).encode("utf-8"),
                   file_name="data-quality-issues.csv", mime="text/csv", on_click="ignore")
