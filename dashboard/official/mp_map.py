"""The campaign on a hex map: every seat of the parliament, one equal hexagon each, shaded
by what the coalition has done with its MP. Pure pandas and plotly, no Streamlit.

Which MPs are met and pledged comes from dashboard.figures (mps_met_ids, pledged_mp_ids):
the map shades exactly the MPs the summary counts. An MP the figures count but who is
not a seat of the parliament (a name no seat's MP has, a misspelt constituency) is listed
as "not placed", never guessed onto a hexagon.

The hexagons are Open Innovations' layouts (dashboard/reference/constituency_hexes.csv,
made by scripts/build_reference_tables.py), "odd-r": pointy-topped, odd rows shifted half
a hexagon right, r growing northwards.
"""
from __future__ import annotations

import functools
import html
import math
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.official import parliament as parl
from dashboard.figures import mps_met_ids, pledged_mp_ids
from dashboard.official.reference_tables import REFERENCE_DIR, read_reference_csv

HEXES_FILE = "constituency_hexes.csv"
HEX_SOURCE_NOTE = ("Hex layout: Open Innovations (open-innovations/constituencies), one hexagon "
                   "per seat; seats and MPs: the project's constituency table.")

# (state, words, marker symbol, fill pattern, colour). Each state differs in symbol and
# pattern as well as colour, so the map reads in greyscale and for colour-blind readers.
STATES = (
    ("met_pledged", "Met and pledged", "star", "x", "#1b7837"),
    ("met", "Met, not pledged", "circle", "/", "#2166ac"),
    ("pledged", "Pledged, not met", "diamond", ".", "#b35806"),
    ("not_met", "Not met", "line-ew", "", "#d9d9d9"),
)
STATE_LABELS = {state: words for state, words, *_ in STATES}
OUTSIDE_FILTER_COLOUR = "#f4f4f4"
_ROOT3 = math.sqrt(3)


# --------------------------------------------------------------------------------------
# The layout
# --------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=2)
def _read_hexes(path: str) -> pd.DataFrame:
    frame = read_reference_csv(path, str)
    return frame.astype({"q": int, "r": int})


def load_hexes(parliament: str | None = None, directory: str | Path | None = None) -> pd.DataFrame:
    """The shipped hex layouts (both parliaments, or one): parliament, ons_code, name,
    q, r, layout, source."""
    frame = _read_hexes(str(Path(directory or REFERENCE_DIR) / HEXES_FILE))
    if parliament is not None:
        frame = frame[frame["parliament"] == parliament]
    return frame.copy()


@functools.lru_cache(maxsize=2)
def seat_layout(parliament: str) -> pd.DataFrame:
    """Every seat of the parliament with its MP, party, region, nation and the centre
    (x, y) of its hexagon; a seat without a hexagon (or the reverse) is an error."""
    seats = parl.load_constituencies(parliament)
    hexes = load_hexes(parliament)[["ons_code", "q", "r"]]
    joined = seats.merge(hexes, on="ons_code", how="outer", validate="one_to_one", indicator=True)
    if (joined["_merge"] != "both").any():
        raise ValueError(f"{parliament} parliament: seats and hexagons do not join by ONS code")
    joined = joined.drop(columns=["_merge", "folded"])
    joined["x"] = joined["q"] + 0.5 * (joined["r"] % 2)
    joined["y"] = joined["r"] * _ROOT3 / 2
    joined["party_group"] = joined["party"].map(parl.party_name)
    return joined.sort_values("ons_code").reset_index(drop=True)


def hexagon(x: float, y: float, size: float = 1 / _ROOT3) -> list[tuple[float, float]]:
    """The corners of a pointy-topped hexagon one unit wide centred on (x, y), closed."""
    points = [(x + size * math.cos(math.radians(90 + 60 * k)),
               y + size * math.sin(math.radians(90 + 60 * k))) for k in range(6)]
    return points + points[:1]


@functools.lru_cache(maxsize=2)
def region_outlines(parliament: str) -> tuple[list, list]:
    """(xs, ys) of the line segments between seats of different regions (and round the
    edge of the map), None between segments: one trace draws them all."""
    layout = seat_layout(parliament)
    edges: dict[tuple, list[str]] = {}
    for x, y, region in zip(layout["x"], layout["y"], layout["region"]):
        corners = [(round(a, 3), round(b, 3)) for a, b in hexagon(x, y)]
        for a, b in zip(corners, corners[1:]):
            edges.setdefault(tuple(sorted((a, b))), []).append(region)
    xs, ys = [], []
    for (a, b), regions in edges.items():
        if len(regions) == 1 or regions[0] != regions[1]:
            xs += [a[0], b[0], None]
            ys += [a[1], b[1], None]
    return xs, ys


# --------------------------------------------------------------------------------------
# What the coalition has done, seat by seat
# --------------------------------------------------------------------------------------

def _state(met: bool, pledged: bool) -> str:
    return "met_pledged" if met and pledged else "met" if met else \
        "pledged" if pledged else "not_met"


def _day(value) -> str:
    return "" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%d/%m/%Y}"


def seat_engagement(coalition, parliament: str) -> pd.DataFrame:
    """One row per seat of the parliament (seat_layout's columns) plus: met, pledged,
    state, met_by (who in the coalition met the MP and when, in words), pledge (in words),
    met_charities, pledged_charities (tuples, for the charity filter), mp_ids.

    `attrs["not_placed"]`: the MPs the figures count as met or pledged that are no seat
    of this parliament (mp_id, name, met, pledged)."""
    meetings, pledges = coalition.frame("mp_meetings"), coalition.frame("pledges")
    met_ids, pledged_ids = mps_met_ids(meetings), pledged_mp_ids(meetings, pledges)
    layout = seat_layout(parliament)
    seat_of: dict[str, str] = {}
    not_placed = []
    names = dict(zip(pledges["mp_id"], pledges["mp_name"]))
    names.update(zip(meetings["mp_id"], meetings["name"]))
    for mp_id in sorted(met_ids | pledged_ids):
        seat = parl.resolve_id(mp_id, parliament)
        if seat is None:
            not_placed.append({"mp_id": mp_id, "name": names.get(mp_id, ""),
                               "met": mp_id in met_ids, "pledged": mp_id in pledged_ids})
        else:
            seat_of[mp_id] = seat["ons_code"]

    met_rows = meetings[meetings["is_mp"].to_numpy(dtype=bool)]
    met_rows = met_rows.assign(seat=met_rows["mp_id"].map(seat_of)).dropna(subset=["seat"])
    signed = meetings[meetings["pledge_signed"].to_numpy(dtype=bool)][["mp_id", "date", "charity"]]
    pledge_rows = pd.concat([pledges[["mp_id", "date", "charity"]], signed], ignore_index=True)
    pledge_rows = pledge_rows.assign(seat=pledge_rows["mp_id"].map(seat_of)).dropna(subset=["seat"])

    met_by, met_charities = {}, {}
    for seat, rows in met_rows.sort_values("date", na_position="last").groupby("seat", sort=False):
        parts = [f"{charity} ({_day(date) or 'date not given'})"
                 for charity, date in dict.fromkeys(zip(rows["charity"], rows["date"]))]
        met_by[seat] = "; ".join(parts)
        met_charities[seat] = tuple(sorted(set(rows["charity"])))
    pledge, pledged_charities = {}, {}
    for seat, rows in pledge_rows.sort_values("date", na_position="last").groupby("seat", sort=False):
        first = rows.iloc[0]
        pledge[seat] = f"Signed {_day(first['date']) or '(date not given)'} ({first['charity']})"
        pledged_charities[seat] = tuple(sorted(set(rows["charity"])))

    out = layout.copy()
    met_seats = {seat_of[i] for i in met_ids if i in seat_of}
    pledged_seats = {seat_of[i] for i in pledged_ids if i in seat_of}
    out["met"] = out["ons_code"].isin(met_seats)
    out["pledged"] = out["ons_code"].isin(pledged_seats)
    out["state"] = [_state(m, p) for m, p in zip(out["met"], out["pledged"])]
    # (looked up per seat, "" where none: an empty dict maps every seat to a float NaN)
    out["met_by"] = [met_by.get(seat, "") for seat in out["ons_code"]]
    out["pledge"] = [pledge.get(seat, "") for seat in out["ons_code"]]
    out["met_charities"] = out["ons_code"].map(met_charities).apply(
        lambda v: v if isinstance(v, tuple) else ())
    out["pledged_charities"] = out["ons_code"].map(pledged_charities).apply(
        lambda v: v if isinstance(v, tuple) else ())
    ids_by_seat: dict[str, list[str]] = {}
    for mp_id, seat_code in seat_of.items():
        ids_by_seat.setdefault(seat_code, []).append(mp_id)
    out["mp_ids"] = out["ons_code"].map(lambda s: tuple(ids_by_seat.get(s, ())))
    out["hover"] = [_hover(row) for row in out.to_dict(orient="records")]
    # The first dated meeting and pledge of each seat counted (NaT: met or pledged, no date).
    # (mapped through a dict and made dates again: pandas cannot map by an empty Series
    # of dates, which a coalition with no pledge, or no dated one, gives)
    out["first_met"] = pd.to_datetime(
        out["ons_code"].map(met_rows.groupby("seat")["date"].min().to_dict()))
    out["first_pledged"] = pd.to_datetime(
        out["ons_code"].map(pledge_rows.groupby("seat")["date"].min().to_dict()))
    out.attrs["not_placed"] = not_placed
    out.attrs["parliament"] = parliament
    return out


def states_for(engagement: pd.DataFrame, charity: str | None = None) -> pd.Series:
    """Each seat's state for the whole coalition (None) or for one charity's own
    meetings and pledges."""
    if charity is None:
        return engagement["state"]
    met = engagement["met_charities"].map(lambda cs: charity in cs)
    pledged = engagement["pledged_charities"].map(lambda cs: charity in cs)
    return pd.Series([_state(m, p) for m, p in zip(met, pledged)], index=engagement.index)


def in_filter(engagement: pd.DataFrame, *, party: str | None = None, region: str | None = None,
              nation: str | None = None) -> pd.Series:
    """Which seats the party / region / nation filters keep (None keeps all)."""
    keep = pd.Series(True, index=engagement.index)
    if party:
        keep &= engagement["party_group"] == party
    if region:
        keep &= engagement["region"] == region
    if nation:
        keep &= engagement["nation"] == nation
    return keep


def state_counts(engagement: pd.DataFrame, *, charity: str | None = None, **filters) -> pd.DataFrame:
    """The map's numbers: seats in each state among the seats the filters keep."""
    states = states_for(engagement, charity)[in_filter(engagement, **filters)]
    counts = states.value_counts()
    rows = [{"state": words, "seats": int(counts.get(state, 0))} for state, words, *_ in STATES]
    rows.append({"state": "All seats shown", "seats": int(len(states))})
    return pd.DataFrame(rows)


def _hover(row) -> str:
    esc = lambda v: html.escape(str(v), quote=True)  # noqa: E731  (sheet and table text)
    lines = [f"<b>{esc(row['name'])}</b>", f"{esc(row['mp'])} ({esc(row['party'])})",
             esc(row["region"]),
             f"Met by: {esc(row['met_by'])}" if row["met_by"] else "Not met by the coalition",
             f"Pledge: {esc(row['pledge'])}" if row["pledge"] else "No pledge"]
    return "<br>".join(lines)


# --------------------------------------------------------------------------------------
# The figure
# --------------------------------------------------------------------------------------

# A hexagon's corners around its centre (closed, then a gap): slightly smaller than the
# tiling so a hairline separates neighbouring seats.
_CORNERS = np.array(hexagon(0.0, 0.0, size=0.95 / _ROOT3) + [(np.nan, np.nan)])


def _polygons(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """xs, ys of every row's hexagon, a gap (NaN, drawn as a break) between them: one
    filled trace. Arrays, not lists: plotly checks and writes them whole, not per value."""
    xs = (rows["x"].to_numpy(dtype=float)[:, None] + _CORNERS[:, 0]).ravel()
    ys = (rows["y"].to_numpy(dtype=float)[:, None] + _CORNERS[:, 1]).ravel()
    return xs.astype(np.float32), ys.astype(np.float32)

def hex_figure(engagement: pd.DataFrame, *, charity: str | None = None, party: str | None = None,
               region: str | None = None, nation: str | None = None,
               height: int = 860, width: int | None = None):
    """The hex map: per state one trace of filled hexagons (colour and pattern) and one
    of markers at their centres (symbol; the markers carry the hover and the seat's ONS
    code as customdata for selections); seats outside the filters in pale grey; region
    outlines on top. Ten traces whatever the number of seats."""
    import plotly.graph_objects as go

    states = states_for(engagement, charity)
    keep = in_filter(engagement, party=party, region=region, nation=nation)
    fig = go.Figure()

    outside = engagement[~keep]
    if len(outside):
        xs, ys = _polygons(outside)
        fig.add_trace(go.Scatter(x=xs, y=ys, fill="toself", fillcolor=OUTSIDE_FILTER_COLOUR,
                                 mode="lines", line={"width": 0}, hoverinfo="skip",
                                 name="Outside the filters", showlegend=True))
    for state, words, symbol, pattern, colour in STATES:
        rows = engagement[keep & (states == state)]
        xs, ys = _polygons(rows)
        fig.add_trace(go.Scatter(
            x=xs, y=ys, fill="toself", fillcolor=colour, mode="lines", line={"width": 0},
            fillpattern={"shape": pattern, "fgcolor": "#ffffff", "size": 5, "solidity": 0.3}
            if pattern else None,
            hoverinfo="skip", legendgroup=state, showlegend=False))
        fig.add_trace(go.Scatter(
            x=rows["x"], y=rows["y"], mode="markers", name=f"{words} ({len(rows)})",
            legendgroup=state,
            marker={"symbol": symbol, "size": 6, "color": "#ffffff" if state != "not_met" else "#8c8c8c",
                    "line": {"width": 1, "color": "#1b1b1b" if state != "not_met" else "#8c8c8c"}},
            customdata=rows["ons_code"], text=rows["hover"],
            hovertemplate="%{text}<extra></extra>"))
    xs, ys = (np.array(v, dtype=np.float32) for v in region_outlines(engagement.attrs["parliament"]))
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"width": 1.2, "color": "#333333"},
                             hoverinfo="skip", name="Region boundaries"))
    fig.update_layout(
        template="plotly_white", height=height, width=width, autosize=width is None,
        title={"text": "Every seat: met and pledged"},
        # (no dragmode: Streamlit then pans on drag and selects a seat on a click)
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        legend={"orientation": "v", "yanchor": "top", "y": 0.99, "xanchor": "left", "x": 0.0,
                "bgcolor": "rgba(255,255,255,0.85)"},
        hoverlabel={"namelength": -1},
        xaxis={"visible": False, "fixedrange": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1},
    )
    return fig


def shaded_seats(fig) -> dict[str, set[str]]:
    """The ONS codes the figure marks in each state (from its marker traces), by state:
    what a reader of the map sees, for tests and the pack's table."""
    by_words = {f"{words} (": state for state, words, *_ in STATES}
    out: dict[str, set[str]] = {state: set() for state, *_ in STATES}
    for trace in fig.data:
        name = trace.name or ""
        for prefix, state in by_words.items():
            if name.startswith(prefix) and trace.customdata is not None:
                out[state] |= {str(c) for c in trace.customdata}
    return out


def seat_codes(engagement: pd.DataFrame, states: tuple[str, ...] = (), *, charity=None,
               **filters) -> list[str]:
    """ONS codes of the seats the filters keep in any of `states` (all states when
    empty), by region then seat name: the set a briefing file is made for."""
    keep = in_filter(engagement, **filters)
    if states:
        keep &= states_for(engagement, charity).isin(states)
    chosen = engagement[keep].sort_values(["region", "name"])
    return chosen["ons_code"].tolist()


# --------------------------------------------------------------------------------------
# Coverage over time
# --------------------------------------------------------------------------------------

def weekly_coverage(engagement: pd.DataFrame, start, end, now) -> pd.DataFrame:
    """Seats met and pledged so far, per region, at the end of each campaign week.

    Weeks run from the campaign's first day; the last row is the week holding the
    earlier of the campaign's last day and `now`. A seat counts from the date of its
    first meeting (pledge) in the sheets; a seat met (pledged) on an undated row counts
    only in the last week, so the last week always equals the map. Columns:
    week_ending, region, seats, met, pledged (whole numbers)."""
    start, today = pd.Timestamp(start).normalize(), pd.Timestamp(now)
    if today.tzinfo is not None:
        today = today.tz_localize(None)
    last = max(min(pd.Timestamp(end).normalize(), today.normalize()), start)
    ends = list(pd.date_range(start + pd.Timedelta(days=6), last, freq="7D"))
    if not ends or ends[-1] < last:
        ends.append(last)
    regions = engagement.groupby("region")["ons_code"].size()
    rows = []
    for i, week_end in enumerate(ends):
        final = i == len(ends) - 1
        met = engagement["met"] & ((engagement["first_met"] <= week_end)
                                   | (final & engagement["first_met"].isna()))
        pledged = engagement["pledged"] & ((engagement["first_pledged"] <= week_end)
                                           | (final & engagement["first_pledged"].isna()))
        if final:    # everything dated after the last day shown counts there too
            met, pledged = engagement["met"], engagement["pledged"]
        by_region = pd.DataFrame({"region": engagement["region"], "met": met, "pledged": pledged}) \
            .groupby("region")[["met", "pledged"]].sum()
        for region, seats in regions.items():
            rows.append({"week_ending": week_end.date(), "region": region, "seats": int(seats),
                         "met": int(by_region.at[region, "met"]),
                         "pledged": int(by_region.at[region, "pledged"])})
    return pd.DataFrame(rows, columns=["week_ending", "region", "seats", "met", "pledged"])


def weekly_coverage_figure(weekly: pd.DataFrame, measure: str = "met"):
    """Small lines: one per region, seats `measure` ("met" or "pledged") by week."""
    import plotly.graph_objects as go

    fig = go.Figure()
    symbols = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star",
               "triangle-down", "pentagon", "hexagon", "hourglass", "bowtie"]
    for i, (region, rows) in enumerate(weekly.groupby("region", sort=True)):
        fig.add_trace(go.Scatter(
            x=[pd.Timestamp(d) for d in rows["week_ending"]], y=rows[measure],
            mode="lines+markers", name=html.escape(str(region)),
            marker={"symbol": symbols[i % len(symbols)], "size": 7},
            hovertemplate="%{x|%d %b %Y}: %{y} seats<extra>" + html.escape(str(region)) + "</extra>"))
    fig.update_layout(template="plotly_white", height=380, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      title=f"Seats {'met' if measure == 'met' else 'pledged'} so far, by region",
                      yaxis={"title": "Seats", "rangemode": "tozero"},
                      xaxis={"title": "Week ending", "tickformat": "%d %b"},
                      hoverlabel={"namelength": -1})
    return fig
