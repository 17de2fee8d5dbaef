"""The Placements page's and the briefing card's tables and words
(dashboard/official/placement_tables.py), on the shipped reference tables and small frames."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.official import parliament as parl
from dashboard.official import placement_tables as pt
from dashboard.official import placements as pl


def _series(values, *, symbols=None, notes=None, releases=None, preferred=None):
    n = len(values)
    return pd.DataFrame({
        "year": list(range(2018, 2018 + n)),
        "value": pd.array(values, dtype="Float64"),
        "symbol": symbols or [""] * n,
        "symbol_note": ["suppressed" if s == "c" else "" for s in (symbols or [""] * n)],
        "release": releases or ["2022"] * n,
        "preferred": preferred or [True] * n,
        "source_file": ["f.csv"] * n,
        "note": notes or [""] * n,
        "source": ["https://example.org/f.csv"] * n,
        "table": ["column=number"] * n,
        "measure": ["placement_changes"] * n,
    })


def test_fmt_counts_with_separators_percentages_rounded_and_missing_in_words():
    assert pt.fmt(53750.0) == "53,750"
    assert pt.fmt(10.6, pct=True) == "11%"
    assert pt.fmt(None) == pt.fmt(float("nan")) == pt.fmt(pd.NA) == "not published"


def test_table_for_shows_a_symbol_where_no_figure_is_published_and_notes_only_when_any():
    rows = _series([100, None, 300], symbols=["", "c", ""])
    table = pt.table_for(rows, pct=False, every_release=False)
    assert table["Figure"].tolist() == ["100", "c", "300"]
    assert table.columns.tolist() == ["Year", "Figure", "Release", "File", "Note"]
    assert table["Note"].tolist() == ["", "suppressed", ""]
    plain = pt.table_for(_series([1, 2]), pct=True, every_release=False)
    assert "Note" not in plain.columns and plain["Figure"].tolist() == ["1%", "2%"]


def test_table_for_every_release_says_which_figure_was_revised_later():
    rows = _series([100, 110], releases=["2021", "2022"], preferred=[False, True])
    table = pt.table_for(rows, pct=False, every_release=True)
    assert table.columns[3] == "Latest?"
    assert table["Latest?"].tolist() == ["revised later", "yes"]


def test_series_summary_reads_the_first_and_last_latest_figures():
    rows = _series([100, 200, 300], preferred=[True, False, True])
    assert pt.series_summary(rows, "Changes", pct=False) == (
        "Changes, England, 2018 to 2020: from 100 to 300.")
    assert pt.series_summary(_series([None]), "Changes", pct=False) == "Changes"


def test_series_caption_names_the_years_no_release_publishes_and_each_note_once():
    rows = _series([100, None, 300], notes=["n1", "", "n1"])        # 2018-2020
    caption = pt.series_caption(rows, last_year=2021)
    assert "Not published in the releases held: 2017, 2019, 2021." in caption
    assert caption.count("n1") == 1
    assert caption.startswith(pl.sources_line(rows))


def test_headline_table_has_a_row_per_headline_year_from_the_shipped_tables():
    headline = pl.headline_claim()
    table = pt.headline_table(headline)
    assert table["Year"].tolist() == [str(y) for y in headline["years"]]
    first = headline["years"][0]
    column = f"Placement changes ({headline['release']} release)"
    assert table[column].iloc[0] == f"{headline['placement_changes_by_year'][first]:,}"


def _authorities(n, missing=0):
    values = [float(i) for i in range(n - missing)] + [None] * missing
    return pd.DataFrame({
        "la_name": [f"LA {i}" for i in range(n)], "region": ["London"] * n,
        "value": pd.array(values, dtype="Float64"),
        "symbol": [""] * (n - missing) + ["c"] * missing,
        "symbol_note": [""] * (n - missing) + ["suppressed"] * missing,
        "release": ["2025"] * n,
    })


def test_la_chart_rows_cut_to_the_15_lowest_and_15_highest_past_the_maximum():
    shown, cut = pt.la_chart_rows(_authorities(pt.LA_CHART_MAX + 1))
    assert cut and len(shown) == 30
    assert shown["value"].tolist() == [*range(15), *range(pt.LA_CHART_MAX - 14, pt.LA_CHART_MAX + 1)]
    whole, cut = pt.la_chart_rows(_authorities(pt.LA_CHART_MAX, missing=3))
    assert not cut and len(whole) == pt.LA_CHART_MAX - 3      # the unpublished are not drawn


def test_la_table_gives_an_unpublished_figure_its_reason_and_the_caption_counts_them():
    authorities = _authorities(5, missing=2)
    table = pt.la_table(authorities, pct=True)
    assert table["Figure"].tolist()[-2:] == ["not published (suppressed)"] * 2
    assert table["Figure"].tolist()[0] == "0%"
    bench = pd.DataFrame({"place": ["England"], "value": [11.0]})
    la = pl.load_la()
    caption = pt.la_caption(authorities, bench, "three_plus_placements_pct", 2023, la)
    assert caption.startswith("Benchmarks — England: 11%. ")
    assert "2 authorities not published" in caption
    assert "median authority" not in caption
    counted = pt.la_caption(_authorities(3), bench.iloc[0:0], "three_plus_placements", 2023, la)
    assert counted.startswith("A count is drawn against the median authority")
    assert "not published" not in counted


def test_seat_la_codes_split_and_a_2019_seat_borrows_the_2024_seat_of_its_name():
    assert pt.seat_la_codes({"name": "x", "la_codes": "E1 / E2/"}, "2024") == (["E1", "E2"], "")
    assert pt.seat_la_codes({"name": "x", "la_codes": ""}, "2024") == ([], "")
    later, _ = parl.match_constituency("Bristol East", "2024")
    codes, note = pt.seat_la_codes({"name": "Bristol East", "la_codes": ""}, "2019")
    assert codes == [c.strip() for c in later["la_codes"].split("/")] and codes
    assert "2024 seat of the same name" in note


def test_seat_la_figures_one_row_per_authority_in_the_latest_year():
    la = pl.load_la()
    codes = ["E06000023", "E09000029"]          # Bristol, Sutton
    table, latest = pt.seat_la_figures(la, codes)
    assert sorted(table["la_name"]) == sorted(latest["la_name"].unique()) and len(table) == 2
    assert set(latest["year"]) == {la.loc[la["new_la_code"].isin(codes), "year"].max()}
    assert set(table.columns) - {"la_name"} <= set(pt.SEAT_LA_MEASURES)
    assert "three_plus_placements_pct" in table.columns
    bristol = latest[(latest["la_name"] == table["la_name"].iloc[0])
                     & (latest["measure"] == "three_plus_placements_pct")]["value"].iloc[0]
    assert table["three_plus_placements_pct"].iloc[0] == pytest.approx(bristol)
    empty, _ = pt.seat_la_figures(la, ["nowhere"])
    assert empty.empty
