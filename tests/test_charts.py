"""The pages' chart builders (dashboard/app/charts.py): what each chart draws."""
from __future__ import annotations

import pandas as pd

from dashboard import figures
from dashboard.app import charts
from dashboard.official import placement_tables as pt


def _rows(releases, years, values):
    return pd.DataFrame({"release": releases, "year": years,
                         "value": pd.array(values, dtype="Float64")})


def test_line_chart_latest_is_one_labelled_line_without_a_legend():
    fig = charts.placements_line_chart(_rows(["2022"] * 3, [2020, 2018, 2019], [3.0, 1.0, None]),
                                       "T", "children", pct=False, every_release=False)
    (trace,) = fig.data
    assert list(trace.x) == [2018, 2019, 2020]                   # in year order
    assert list(trace.text) == ["1", "", "3"]
    assert fig.layout.showlegend is False
    assert fig.layout.yaxis.range == (0, 3 * 1.2)


def test_line_chart_every_release_one_line_each_newest_first_only_it_labelled():
    rows = _rows(["2021", "2021", "2022", "2022"], [2019, 2020, 2019, 2020], [10.0, 11.0, 12.0, 13.0])
    fig = charts.placements_line_chart(rows, "T", "%", pct=True, every_release=True)
    assert [t.name for t in fig.data] == ["2022 release", "2021 release"]
    assert list(fig.data[0].text) == ["12%", "13%"] and fig.data[1].text is None
    assert fig.data[0].line.dash != fig.data[1].line.dash
    assert fig.data[0].marker.symbol != fig.data[1].marker.symbol
    assert fig.layout.showlegend is True and fig.layout.yaxis.ticksuffix == "%"


def test_placements_over_time_one_chart_and_table_per_measure():
    built = charts.placements_over_time(False)
    assert [b[0] for b in built] == [m for m, *_ in pt.CHARTS]
    for (measure, fig, summary, table, alt, caption), (_, title, _, _) in zip(built, pt.CHARTS):
        assert fig.layout.title.text == title and summary.startswith(title)
        assert len(table) == sum(len(t.x) for t in fig.data)


def test_la_bar_chart_draws_each_benchmark_and_says_when_cut():
    shown = pd.DataFrame({"la_name": ["A", "B"], "value": [5.0, 9.0]})
    bench = pd.DataFrame({"place": ["England", "London"], "value": [7.0, None]})
    fig = charts.la_bar_chart(shown, True, bench, "three_plus_placements_pct", 2023, "London")
    assert list(fig.data[0].y) == ["A", "B"] and list(fig.data[0].text) == ["5%", "9%"]
    assert [s.x0 for s in fig.layout.shapes] == [7.0]             # no line for a missing value
    assert fig.layout.title.text == "2023, London: 15 highest and 15 lowest"
    assert fig.layout.xaxis.title.text == pt.LA_LABELS["three_plus_placements_pct"]
    whole = charts.la_bar_chart(shown, False, bench.iloc[0:0], "children_looked_after", 2023, "All")
    assert whole.layout.title.text == "2023, All" and whole.layout.xaxis.ticksuffix == ""


def test_coverage_chart_a_bar_pair_per_group_with_room_for_each():
    part = pd.DataFrame({"group": ["Labour", "A & <b>"], "mps": [10, 4], "met": [5, 0],
                         "met_pct": [50.0, 0.0], "pledged": [1, 0], "pledged_pct": [10.0, 0.0]})
    fig = charts.coverage_chart(part, "By party")
    assert [t.name for t in fig.data] == ["Met", "Pledged"]
    assert list(fig.data[0].y) == ["Labour", "A &amp; &lt;b&gt;"]     # sheet text escaped
    assert list(fig.data[0].text) == ["5 of 10 (50%)", "0 of 4 (0%)"]
    assert fig.layout.height == 320
    assert charts.coverage_chart(pd.concat([part] * 4), "By party").layout.height == 56 * 8


def test_coverage_parts_orders_each_dimension_largest_first_unplaced_last():
    mps = pd.DataFrame({
        "mp_id": ["c:bristol west", "c:bath", "p:someone"],
        "placed": [True, True, False], "met": [True, True, True], "pledged": [False, True, False],
        "party": ["Labour", "Liberal Democrat", None], "region": ["South West"] * 2 + [None],
        "nation": ["England"] * 2 + [None],
    })
    cover, built = charts.coverage_parts(-1, "2019", mps)
    assert [b[0] for b in built] == ["party", "region", "nation"]
    for dimension, _, fig, table in built:
        assert table["group"].iloc[-1] == figures.NOT_PLACED
        assert list(table["mps"].iloc[:-1]) == sorted(table["mps"].iloc[:-1], reverse=True)
        assert len(fig.data[0].y) == len(table)
