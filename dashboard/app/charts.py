"""The pages' chart builders (plotly) and the caches that build them once: Placements,
Coverage and the Weekly meeting's trends. Tables and words come from the pure modules
(dashboard/official/placement_tables.py, figures, history, reports/pack); pages only draw.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import figures
from dashboard.app.ui import label, style_figure
from dashboard.official import placement_tables as pt
from dashboard.official import placements as pl

# Series are told apart by line dash and marker shape as well as colour.
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x")


def placements_line_chart(rows: pd.DataFrame, title: str, y_label: str, pct: bool,
                          every_release: bool) -> go.Figure:
    """One England series over the years: the latest figure, or one line per release."""
    fig = go.Figure()
    groups = rows.groupby("release", sort=False) if every_release else [("latest", rows)]
    ordered = sorted(groups, key=lambda g: pl.release_order(g[0]), reverse=True)
    for i, (release, g) in enumerate(ordered):
        g = g.sort_values("year")
        name = f"{release} release" if every_release else "latest published figure"
        fig.add_trace(go.Scatter(
            x=g["year"], y=g["value"], name=name, mode="lines+markers+text",
            text=[pt.fmt(v, pct) if pd.notna(v) else "" for v in g["value"]]
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


@st.cache_resource(show_spinner=False)
def placements_over_time(every_release: bool) -> list[tuple]:
    """(measure, chart, its summary, table, table's alt text, caption) per chart. The
    official figures are the same for every viewer and every rerun: built once per
    process (the Placements page's rerun was the slowest of the demo's, 100-115 ms, most
    of it these charts and tables). Shared between sessions and only ever read."""
    last_year = int(pl.england_by_year()["year"].max())
    built = []
    for measure, title, y_label, pct in pt.CHARTS:
        rows = pl.series(measure, all_releases=every_release)
        built.append((measure, placements_line_chart(rows, title, y_label, pct, every_release),
                      pt.series_summary(rows, title, pct), pt.table_for(rows, pct, every_release),
                      f"{title}: the chart's figures by year", pt.series_caption(rows, last_year)))
    return built


def la_bar_chart(shown: pd.DataFrame, cut: bool, bench: pd.DataFrame, measure: str, year,
                 region: str) -> go.Figure:
    """The authorities (placement_tables.la_chart_rows) as bars, each benchmark a line."""
    pct = measure.endswith("_pct")
    fig = go.Figure(go.Bar(
        x=shown["value"], y=shown["la_name"], orientation="h",
        text=[pt.fmt(v, pct) for v in shown["value"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:,}" + ("%" if pct else "") + "<extra></extra>"))
    for i, b in enumerate(bench.itertuples()):
        if pd.notna(b.value):
            fig.add_vline(x=b.value, line_dash=DASHES[(i + 1) % len(DASHES)],
                          annotation_text=f"{b.place} {pt.fmt(b.value, pct)}",
                          annotation_position="top right" if i % 2 == 0 else "bottom right")
    fig.update_layout(
        title=(f"{year}, {region}: 15 highest and 15 lowest" if cut
               else f"{year}, {region}"),
        height=max(320, 22 * len(shown) + 120), margin={"l": 10, "r": 40, "t": 60, "b": 10},
        xaxis={"title": pt.LA_LABELS[measure], "ticksuffix": "%" if pct else ""},
        yaxis={"title": None})
    return fig


def coverage_chart(part: pd.DataFrame, title: str) -> go.Figure:
    """Met and pledged as a share of each group's MPs (figures.mp_coverage's rows of one
    dimension), a bar pair per group."""
    fig = go.Figure([
        go.Bar(name="Met", y=[label(g) for g in part["group"]], x=part["met_pct"], orientation="h",
               text=[f"{m} of {n} ({p:.0f}%)" for m, n, p in zip(part["met"], part["mps"], part["met_pct"])],
               textposition="outside", cliponaxis=False),
        go.Bar(name="Pledged", y=[label(g) for g in part["group"]], x=part["pledged_pct"], orientation="h",
               text=[f"{m} of {n} ({p:.0f}%)" for m, n, p in zip(part["pledged"], part["mps"], part["pledged_pct"])],
               textposition="outside", cliponaxis=False, marker_pattern_shape="/"),
    ])
    style_figure(fig)
    # After the house style (whose height is 360): a bar pair per group needs the room,
    # or twelve regions are squeezed into the height of three parties.
    fig.update_layout(title=title, barmode="group", xaxis_title="% of the group's MPs",
                      yaxis=dict(autorange="reversed"), height=max(320, 56 * len(part)),
                      # Every label past its bar, in one size (inside, plotly shrank them to
                      # fit, so a short bar's label was larger than a long one's); the
                      # axis leaves room for "12 of 14 (86%)" past a full bar.
                      xaxis=dict(range=[0, 125], tickvals=[0, 20, 40, 60, 80, 100]))
    return fig


COVERAGE_DIMENSIONS = (("party", "By party"), ("region", "By region"), ("nation", "By nation"))


@st.cache_resource(max_entries=4, show_spinner=False)
def coverage_parts(load_number: int, parliament: str, _mps: pd.DataFrame):
    """(coverage table, [(dimension, title, chart, table)]) for one loaded coalition
    (`load_number` names it): the same for every viewer until the next refresh, so built
    once, not on every rerun. The charts are styled here and only read when drawn."""
    cover = figures.mp_coverage(_mps, parliament)
    charts = []
    for dimension, title in COVERAGE_DIMENSIONS:
        part = figures.coverage_part(cover, dimension)
        charts.append((dimension, title, coverage_chart(part, title),
                       part.drop(columns=["dimension"]).round(1)))
    return cover, charts


@st.cache_resource(ttl=600, max_entries=4, show_spinner=False)
def trend_views(generated_at: str, snapshot_key: tuple, suppressed: bool, _trend: pd.DataFrame) -> dict:
    """Each figure's trend chart and table (the Weekly meeting's), built once per refresh,
    snapshot set and kind of view (`suppressed`: the trustees' trend) and shared by every
    session: building eight plotly figures is most of a rerun's cost."""
    from dashboard.contract import FIGURES
    from dashboard.reports.meeting_tables import trend_table
    from dashboard.reports.pack import trend_figure

    return {figure: (style_figure(trend_figure(_trend, figure, width=None)),
                     trend_table(_trend, figure))
            for figure in FIGURES}
