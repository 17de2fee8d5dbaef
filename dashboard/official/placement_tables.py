"""The official placement figures as the pages show them: tables, captions and the words
under each chart (pure pandas, no Streamlit; the charts are dashboard/app/charts.py's).

The Placements page shows the headline, England over time and the local authorities
compared; the MP briefing card (Coverage page) shows its seat's local authorities.
"""
from __future__ import annotations

import pandas as pd

from dashboard.official import parliament as parl
from dashboard.official import placements as pl

# (measure, chart title, y-axis label, is a percentage): England over time, in page order.
CHARTS = (
    ("children_looked_after", "Children looked after at 31 March", "children", False),
    ("placement_changes", "Placement changes during the year", "placement changes", False),
    ("three_plus_placements", "Children with 3+ placements in the year", "children", False),
    ("three_plus_placements_pct", "3+ placements in the year, % of children",
     "% of children looked after at 31 March", True),
    ("abuse_or_neglect_pct", "In care because of abuse or neglect, %",
     "% of children looked after at 31 March", True),
)
LA_CHART_MAX = 40   # more authorities than this: chart the 15 highest and 15 lowest
LA_LABELS = {
    "three_plus_placements_pct": "3 or more placements in the year (% of children looked after)",
    "three_plus_placements": "Children with 3 or more placements in the year",
    "children_looked_after_rate_per_10k": "Children looked after per 10,000 children",
    "children_looked_after": "Children looked after at 31 March",
    "placement_changes": "Placement changes during the year",
}
# The briefing card's figures for a seat's local authorities.
SEAT_LA_MEASURES = ["three_plus_placements_pct", "children_looked_after",
                    "children_looked_after_rate_per_10k"]
FIRST_YEAR = 2017       # the first year of the releases held: a year after it not published is a gap


def fmt(value, pct: bool = False) -> str:
    """A published figure in words: 1,234 or 12%; missing is 'not published'."""
    if value is None or pd.isna(value):
        return "not published"
    return f"{float(value):.0f}%" if pct else f"{int(value):,}"


def table_for(rows: pd.DataFrame, pct: bool, every_release: bool) -> pd.DataFrame:
    """One England series (placements.series) as the table beside its chart: a figure or
    its symbol, the release and file it comes from, and any note."""
    shown = pd.DataFrame({
        "Year": rows["year"].astype(str),
        "Figure": [fmt(v, pct) if pd.notna(v) else (s or "–") for v, s in
                   zip(rows["value"], rows["symbol"])],
        "Release": rows["release"],
        "File": rows["source_file"],
    })
    if every_release:
        shown.insert(3, "Latest?", ["yes" if p else "revised later" for p in rows["preferred"]])
    notes = [n or s for n, s in zip(rows["note"], rows["symbol_note"])]
    if any(notes):
        shown["Note"] = notes
    return shown


def series_summary(rows: pd.DataFrame, title: str, pct: bool) -> str:
    """The chart's alternative text: its first and last latest figures."""
    latest = rows[rows["preferred"] & rows["value"].notna()].sort_values("year")
    if not len(latest):
        return title
    return (f"{title}, England, {int(latest['year'].iloc[0])} to "
            f"{int(latest['year'].iloc[-1])}: from {fmt(latest['value'].iloc[0], pct)} "
            f"to {fmt(latest['value'].iloc[-1], pct)}.")


def series_caption(rows: pd.DataFrame, last_year: int) -> str:
    """Under the chart: its sources, the years no release held publishes, and its notes."""
    missing = sorted(set(range(FIRST_YEAR, last_year + 1))
                     - set(int(y) for y in rows.loc[rows["value"].notna(), "year"]))
    gap = (f" Not published in the releases held: {', '.join(map(str, missing))}."
           if missing else "")
    notes = sorted({n for n in rows["note"] if n})
    return pl.sources_line(rows) + gap + (" " + " ".join(notes) if notes else "")


def headline_table(headline: dict) -> pd.DataFrame:
    """The headline's figures by year (placements.headline_claim), with later revisions."""
    revised = headline["latest_revision_by_year"]
    return pd.DataFrame({
        "Year": [str(y) for y in headline["years"]],
        f"Placement changes ({headline['release']} release)":
            [f"{v:,}" for v in headline["placement_changes_by_year"].values()],
        "Of which abuse or neglect":
            [f"{v:,}" for v in headline["abuse_or_neglect_by_year"].values()],
        "Of which status change only":
            [f"{v:,}" for v in headline["status_only_by_year"].values()],
        "Latest revision": [f"{revised[y]:,} ({headline['latest_revision_release'][y]} release)"
                            if y in revised else "–" for y in headline["years"]],
    })


def la_chart_rows(authorities: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """The authorities the bar chart draws, lowest first, and whether it was cut to the 15
    highest and 15 lowest (more than LA_CHART_MAX with a figure)."""
    shown = authorities.dropna(subset=["value"]).sort_values("value")
    cut = len(shown) > LA_CHART_MAX
    if cut:
        shown = pd.concat([shown.head(15), shown.tail(15)])
    return shown, cut


def la_table(authorities: pd.DataFrame, pct: bool) -> pd.DataFrame:
    """Every authority's figure (placements.la_compare), a missing one with its reason."""
    return pd.DataFrame({
        "Local authority": authorities["la_name"],
        "Region": authorities["region"],
        "Figure": [fmt(v, pct) if pd.notna(v) else f"not published ({n or s})"
                   for v, s, n in zip(authorities["value"], authorities["symbol"],
                                      authorities["symbol_note"])],
        "Release": authorities["release"],
    })


def la_caption(authorities: pd.DataFrame, bench: pd.DataFrame, measure: str, year: int,
               la: pd.DataFrame) -> str:
    """Under the authorities' table: the benchmarks, how a count is drawn, the authorities
    not published, and the sources of `la` (placements.load_la) for this measure and year."""
    pct = measure.endswith("_pct")
    bench_text = "; ".join(f"{b.place}: {fmt(b.value, pct)}" for b in bench.itertuples())
    suppressed = int(authorities["value"].isna().sum())
    return (
        (f"Benchmarks — {bench_text}. " if bench_text else "") +
        ("A count is drawn against the median authority, not England's total. "
         if pl.is_count(measure) else "") +
        (f"{suppressed} authorit{'y' if suppressed == 1 else 'ies'} not published "
         f"(c = suppressed, z = not applicable), shown in the table, not as zero. "
         if suppressed else "") +
        pl.sources_line(la[(la["measure"] == measure) & (la["year"] == int(year))
                           & la["preferred"]]))


def seat_la_codes(seat, parliament: str) -> tuple[list[str], str]:
    """The local-authority codes a seat overlaps, and a note when they are borrowed: they
    are published for 2024 seats, so a 2019 seat uses the 2024 seat of the same name."""
    codes = str(seat.get("la_codes") or "")
    note = ""
    if not codes and parliament == "2019":
        later, _ = parl.match_constituency(seat["name"], "2024")
        if later is not None:
            codes = str(later.get("la_codes") or "")
            note = ("Local authorities are those of the 2024 seat of the same name; "
                    "boundaries changed at the 2024 election.")
    return [c.strip() for c in codes.split("/") if c.strip()], note


def seat_la_figures(la: pd.DataFrame, la_codes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The briefing card's table: one row per local authority of `la_codes`, one column per
    SEAT_LA_MEASURES figure, in the latest year published; and the rows it was read from
    (for the sources line)."""
    mine = la[la["new_la_code"].astype(str).isin(la_codes) & la["preferred"]
              & la["measure"].isin(SEAT_LA_MEASURES)]
    latest = mine[mine["year"] == mine["year"].max()]
    table = latest.pivot_table(index="la_name", columns="measure", values="value",
                               aggfunc="first").reset_index()
    return table, latest
