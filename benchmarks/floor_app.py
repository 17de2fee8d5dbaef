"""The floor for the concurrent-viewers benchmark: the smallest dashboard on this stack.

bench_viewers.py serves this script to the same Chromium viewers as the Overview, in the
same run, so the figures beside ours show what Streamlit, pandas and plotly cost on this
machine before any of the dashboard's own work: one title, one metric, one plotly chart
and one table of seven made-up numbers. Nothing is read; nothing here is real data.
"""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.title("Overview")
table = pd.DataFrame({"charity": [f"Charity {i}" for i in range(1, 8)],
                      "attended": [14, 9, 22, 17, 11, 8, 19]})
st.metric("Young people attended", int(table["attended"].sum()))
st.plotly_chart(go.Figure(go.Bar(x=table["charity"], y=table["attended"])))
st.dataframe(table, hide_index=True)
