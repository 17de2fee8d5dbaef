"""The Weekly meeting page's tables (dashboard/reports/meeting_tables.py): what each shows,
and what a view with small counts suppressed hides."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.access.suppression import PRIMARY_MARK, SECONDARY_MARK
from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.figures import COALITION
from dashboard.history import changes, history_frame, pace
from dashboard.reports import meeting_tables as mt

NOW = dt.datetime(2022, 5, 1, 9, tzinfo=dt.timezone.utc)
TARGETS = {"attendees_attended": 20, "mps_met": 10, "pledges": 5}


def _pace(current):
    return pace(current, TARGETS, NOW, dt.date(2022, 7, 1))


def test_pace_table_counts_progress_capped_and_change_or_na():
    table = mt.pace_table(_pace({"attendees_attended": 2, "mps_met": 3, "pledges": 10}),
                          ["+1", None, "+2"])
    assert table["Figure"].tolist() == [FIGURE_LABELS[f] for f in
                                        ("attendees_attended", "mps_met", "pledges")]
    assert table["Now"].tolist() == [2, 3, 10]
    assert table["Progress"].tolist() == [10.0, 30.0, 100.0]       # met twice over: a full bar
    assert table["% of target"].tolist() == ["10%", "30%", "200%"]
    assert table["Change"].tolist() == ["+1", "n/a", "+2"]
    assert table["Needed per week"].tolist() == ["3", "1", "0"]


def test_pace_table_hides_what_a_secret_count_could_be_worked_out_from():
    table = mt.pace_table(_pace({"attendees_attended": 2, "mps_met": 3, "pledges": 10}),
                          [PRIMARY_MARK, None, "+2"], secret=[True, False, False])
    hidden, shown = table.iloc[0], table.iloc[1]
    assert hidden["Now"] == PRIMARY_MARK and hidden["Still needed"] == SECONDARY_MARK
    assert pd.isna(hidden["Progress"])
    assert hidden["Needed per week"] == hidden["Pace"] == SECONDARY_MARK
    assert "2" not in " ".join(str(v) for v in hidden[["Now", "Still needed", "Pace"]])
    assert (shown["Now"], shown["Still needed"], shown["Progress"]) == ("3", "7", 30.0)


def test_charity_targets_table_progress_and_blank_where_there_is_no_target():
    own = pd.DataFrame({"charity": ["A", "B"], "label": ["MPs met"] * 2, "now": [3, 1],
                        "target": [2, None], "progress": [1.5, float("nan")]})
    table = mt.charity_targets_table(own)
    assert table["Progress"].tolist()[0] == 100.0 and pd.isna(table["Progress"].iloc[1])
    assert table["% of target"].tolist() == ["150%", ""]


def _summary(young=(3, 40)):
    def block(name, n):
        return {"name": name, "status": "ok", **{f: n for f in FIGURES}}
    return {"generated_at": "2022-05-01T09:00:00+00:00",
            "coalition": {f: young[0] + young[1] for f in FIGURES},
            "charities": [block("Small", young[0]), block("Big", young[1])]}


def test_charity_change_grid_a_row_per_charity_a_column_per_figure():
    then = {"at": "2022-04-24T09:00:00+00:00", "coalition": {},
            "charities": [{"name": "Small", **{f: 1 for f in FIGURES}}]}
    by_charity = changes(_summary(), then).query(f"charity != {COALITION!r}")
    grid = mt.charity_change_grid(by_charity)
    assert grid["Charity"].tolist() == ["Small", "Big"]
    assert grid.columns.tolist() == ["Charity", "Status", *[FIGURE_LABELS[f] for f in FIGURES]]
    assert grid.iloc[0][FIGURE_LABELS["mps_met"]] == "3 (+2)"
    assert grid.iloc[1][FIGURE_LABELS["mps_met"]].startswith("40 (")


def test_charity_change_grid_suppressed_takes_young_people_from_the_suppressed_table():
    by_charity = changes(_summary(), None).query(f"charity != {COALITION!r}")
    suppressed = pd.DataFrame({"charity": ["Small", "Big"],
                               "attendees_registered": [PRIMARY_MARK, "40"],
                               "attendees_attended": [PRIMARY_MARK, "40"]})
    young = ["attendees_registered", "attendees_attended"]
    grid = mt.charity_change_grid(by_charity, suppressed, young).set_index("Charity")
    for figure in young:
        assert grid.at["Small", FIGURE_LABELS[figure]] == PRIMARY_MARK
        assert grid.at["Big", FIGURE_LABELS[figure]] == "40"               # no change shown
    assert grid.at["Small", FIGURE_LABELS["mps_met"]].startswith("3 (")


def test_sources_table_without_details_keeps_who_how_and_when_only():
    sources = [{"name": "A", "status": "stale", "as_of": None, "errors": 2, "warnings": 0,
                "messages": ["could not read"], "where": "Pledges rows 4-5", "error": "x"}]
    full = mt.sources_table(sources)
    assert full["Details"].iloc[0] == "could not read; Errors at Pledges rows 4-5"
    assert mt.sources_table(sources, details=False).columns.tolist() == [
        "Charity", "Status", "Data as of"]


def test_trend_table_the_last_reading_of_each_day_coalition_first():
    def snap(at, n):
        return {"at": at, "coalition": {"mps_met": n * 2},
                "charities": [{"name": "A", "mps_met": n}]}
    trend = history_frame([snap("2022-04-30T08:00:00+00:00", 1), snap("2022-04-30T17:00:00+00:00", 2),
                           snap("2022-05-01T08:00:00+00:00", 3)])
    table = mt.trend_table(trend, "mps_met")
    assert table.columns.tolist() == ["Reading (UK time)", COALITION, "A"]
    assert table["Reading (UK time)"].tolist() == ["2022-04-30 18:00", "2022-05-01 09:00"]
    assert table["A"].tolist() == [2, 3] and table[COALITION].tolist() == [4, 6]


def test_short_rounds_big_numbers_for_a_projector_and_keeps_small_ones_exact():
    assert mt.short(1_730_400) == "1.73m"
    assert mt.short(250_000) == "250k"
    assert mt.short(99_999) == "99,999"
    assert mt.short(-2_500_000, sign=True) == "-2.5m"
    assert mt.short(120_000, sign=True) == "+120k"
    assert mt.short(12, sign=True) == "+12"
    assert mt.short(None) == "n/a"
