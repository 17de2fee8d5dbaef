"""The weekly meeting pack: one self-contained HTML file and one XLSX workbook.

Figures go in: the coalition's and each charity's counts, statuses, and where (tab, row,
column) a source has open errors, and the map of seats (MPs are public figures). Never refs,
names of young people, notes or issue messages that could quote a cell. A coalition or lead
pack adds "This week" (new MPs met, media highlights with their headlines:
dashboard/highlights.py); without `highlights` the pack is figures only. Every piece of text
that comes from a config or a sheet is HTML-escaped. The HTML references nothing on the network:
plotly.js is inlined once, styles are inline, there are no fonts, images or links.

`pack` does not write history: `refresh` stores snapshots; the pack only reads them.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import os
from pathlib import Path

import pandas as pd

from dashboard import clock
from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.figures import COALITION
from dashboard.history import (UK, baseline, changes, daily, describe_baseline, describe_date,
                               describe_time, history_frame, last_of_each_day, pace, signed,
                               summary_as_snapshot, taken_by, uk_time, weekly, whole, wide)
from dashboard.safe import escape_text, neutralise_formula

CHANGE_FORMAT = "+#,##0;-#,##0;0"
WHOLE_FORMAT = "#,##0"
MAX_PLACES_LISTED = 10          # per charity and tab, in "where the errors are"
MAX_WEEKS = 8                   # columns in a trend table (the chart shows every day)
CHART_WIDTH, CHART_HEIGHT = 680, 250    # fits an A4 portrait page with 14 mm margins


def esc(value) -> str:
    """Our own text (labels, dates, numbers) for HTML."""
    return html.escape("" if value is None else str(value), quote=True)


def sheet_text(value) -> str:
    """Text from a config or a sheet (charity names, statuses, messages) for HTML: one
    line, every punctuation character a character reference (dashboard/safe.py)."""
    return escape_text(value)


def cell_text(value) -> str | None:
    """Text from a config or a sheet for the XLSX: never a formula (OWASP rule)."""
    return neutralise_formula(str(value)) if value is not None else None


def pack_filenames(now: dt.datetime) -> tuple[str, str]:
    day = uk_time(now).date().isoformat()
    return f"meeting-pack-{day}.html", f"meeting-pack-{day}.xlsx"


# -- what the pack says about sources --------------------------------------------------
def problem_sources(summary: dict) -> list[dict]:
    """Charities whose source is stale, unreadable, or has open errors, in summary order.

    Each: name, status, as_of, errors, warnings, where (a short text of the places
    with errors: tab, row and column only), messages (source-level messages only).
    """
    issues = summary.get("issues") or []
    out = []
    for c in summary.get("charities") or []:
        status = str(c.get("status") or "ok")
        errors = int(c.get("errors") or 0)
        if status == "ok" and errors == 0:
            continue
        mine = [i for i in issues if i.get("charity") == c.get("name") and i.get("severity") == "error"]
        places: dict[str, list[str]] = {}
        messages = []
        for issue in mine:
            tab, row, column = issue.get("tab"), issue.get("row"), issue.get("column")
            if row is None:
                # about a whole source or tab: its message names no cell, so it may be shown
                if issue.get("message"):
                    messages.append((f"{tab}: " if tab else "") + str(issue["message"]))
                continue
            where = f"row {row}" + (f" ({column})" if column else "")
            places.setdefault(str(tab or "?"), []).append(where)
        parts = []
        for tab, cells in places.items():
            shown = ", ".join(cells[:MAX_PLACES_LISTED])
            more = len(cells) - MAX_PLACES_LISTED
            parts.append(f"{tab}: {shown}" + (f" and {more} more" if more > 0 else ""))
        out.append({"name": str(c.get("name")), "status": status, "as_of": c.get("as_of"),
                    "errors": errors, "warnings": int(c.get("warnings") or 0),
                    "where": "; ".join(parts), "messages": list(dict.fromkeys(messages))})
    return out


def status_text(source: dict) -> str:
    if source["status"] == "stale":
        return "stale: could not be read now; last good read used"
    if source["status"] == "error":
        return "error: could not be read; not counted"
    return "read; has errors"


def describe_as_of(value) -> str:
    if not value:
        return "n/a"
    try:
        return describe_time(value)
    except (TypeError, ValueError):
        return str(value)


# -- the data behind the pack --------------------------------------------------------
class PackData:
    """Everything the pack shows, computed once for both files (and the Meeting page)."""

    def __init__(self, summary: dict, snapshots: list[dict], config, now: dt.datetime, *,
                 compare_with: dt.date | None = None, highlights=None,
                 engagement: pd.DataFrame | None = None):
        """`compare_with`: the chair's choice of baseline day (the last snapshot on or before
        it), in place of `[meeting] last` or a week ago. `highlights`: this week's new MPs
        and media (dashboard.highlights), for coalition and lead packs only."""
        self.summary = summary
        # each seat's met / pledged state (dashboard.official.mp_map.seat_engagement): the map
        self.engagement = engagement
        self.config = config
        self.now = clock.parse_instant(now)
        self.snapshots = taken_by(snapshots, self.now)
        self.compare_with = compare_with
        chosen = compare_with if compare_with is not None else config.last_meeting
        self.baseline = baseline(self.snapshots, self.now, chosen)
        self.baseline_text = describe_baseline(self.baseline, chosen)
        self.highlights = highlights
        self.change_note = (f"Changes are since {self.baseline_text}" if self.baseline is not None
                            else f"No changes shown: {self.baseline_text}")
        self.changes = changes(summary, self.baseline)
        self.pace = pace(summary["coalition"], config.targets, self.now, config.end)
        # one reading a day (plus the baseline itself): thousands of snapshots stay fast
        kept = last_of_each_day(self.snapshots)
        if self.baseline is not None and not any(s is self.baseline for s in kept):
            kept = sorted(kept + [self.baseline], key=lambda s: clock.parse_instant(s["at"]))
        self.history = history_frame(kept)                    # stored snapshots only
        current = summary_as_snapshot(summary, summary.get("generated_at") or self.now)
        if clock.parse_instant(current["at"]) > self.now:
            current["at"] = self.now.isoformat()
        self.trend = history_frame(kept + [current])          # ... ending with now
        self.sources = problem_sources(summary)
        self.read_at = summary.get("generated_at")

    @property
    def coalition_changes(self) -> pd.DataFrame:
        return self.changes[self.changes["charity"] == COALITION].reset_index(drop=True)

    @property
    def charity_changes(self) -> pd.DataFrame:
        return self.changes[self.changes["charity"] != COALITION].reset_index(drop=True)

    @property
    def then_header(self) -> str:
        which = ("Then" if self.compare_with is not None
                 else "Last meeting" if self.config.last_meeting is not None else "Last week")
        if self.baseline is None:
            return f"{which} (no snapshot yet)"
        t = uk_time(self.baseline["at"])
        return f"{which} ({t.day} {t:%b %Y})"


def sources_seen(sources: list[dict], issues: str, charity: str | None = None) -> list[dict]:
    """problem_sources() as one role may see them (`issues`: a scope of access.Sees).

    The status and when each source was read stay for everyone. The detail (where the
    errors are, the source's messages) stays only where the scope reaches: every
    charity's, the lead's own, or none; error and warning counts go with a scope of none.
    """
    from dashboard.access.roles import EVERY, NONE, OWN

    out = []
    for source in sources:
        if issues == EVERY or (issues == OWN and source["name"] == charity):
            out.append(source)
            continue
        plain = {**source, "where": "", "messages": []}
        if issues == NONE:
            plain.update(errors=None, warnings=None)
        out.append(plain)
    return out


def trustee_trend(trend: pd.DataFrame, young_people_figures) -> pd.DataFrame:
    """The trend as a trustee may see it: counts of young people as the coalition's line
    only (a charity's line would show its counts of 1 to 4, or let a hidden one be worked
    out from the others), without any reading of 1 to 4; other figures as they are."""
    from dashboard.access.suppression import SMALL_COUNT_LIMIT

    young = trend["figure"].isin(list(young_people_figures))
    values = trend["value"].astype("Float64")
    small = (values >= 1) & (values < SMALL_COUNT_LIMIT)
    drop = young & ((trend["charity"] != COALITION) | small.fillna(False).astype(bool))
    return trend[~drop.to_numpy()].reset_index(drop=True)


# -- charts --------------------------------------------------------------------------
NO_TREND_YET = ("Trends start once the figures have been read on two different days: the "
                "refresh timer (python -m dashboard refresh) stores a reading each time it runs.")


def trend_days(trend: pd.DataFrame) -> int:
    """The days with a reading (as daily() counts them): one day's dots make no trend."""
    return 0 if trend.empty else int(trend["at"].dt.date.nunique())


def trend_figure(trend: pd.DataFrame, figure: str, *, width: int | None = CHART_WIDTH,
                 height: int = CHART_HEIGHT):
    """A plotly line chart of one figure: the coalition (bold) and each charity, daily."""
    import plotly.graph_objects as go

    part = daily(trend[trend["figure"] == figure])
    fig = go.Figure()
    names = list(dict.fromkeys(part["charity"]))
    if COALITION in names:
        names.remove(COALITION)
        names.insert(0, COALITION)
    for name in names:
        rows = part[part["charity"] == name]
        coalition = name == COALITION
        fig.add_trace(go.Scatter(
            # UK wall-clock times: plotly.js has no time zones and would shift aware ones
            x=[t.tz_convert(UK).tz_localize(None).to_pydatetime() for t in rows["at"]],
            y=[int(v) for v in rows["value"]],
            mode="lines+markers", name=esc(name),      # plotly reads <b>, <a> in names
            line={"width": 4 if coalition else 2, **({"color": "#222222"} if coalition else {})},
            hovertemplate="%{x|%d %b %Y}: %{y:,}<extra>" + esc(name) + "</extra>",
        ))
    fig.update_layout(
        template="plotly_white", width=width, height=height, autosize=width is None,
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        yaxis={"title": {"text": esc(FIGURE_LABELS[figure])}, "rangemode": "tozero",
               "tickformat": ",d"},
        xaxis={"tickformat": "%d %b"},
    )
    return fig


# -- HTML ----------------------------------------------------------------------------
CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1b1b1b; margin: 0; background: #fff; line-height: 1.4; }
main { max-width: 760px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 0 0 8px; border-bottom: 2px solid #1b1b1b; padding-bottom: 2px; }
h3 { font-size: 1.05rem; margin: 12px 0 4px; }
.sub { color: #444; margin: 0 0 4px; }
section, header.section { margin: 0 0 28px; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
caption { text-align: left; font-size: 0.85rem; color: #444; padding-bottom: 4px; }
th, td { border-bottom: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top; }
thead th { background: #f2f2f2; }
tbody th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
.up { color: #0b6e2e; font-weight: 600; }
.down { color: #a4161a; font-weight: 600; }
.flat { color: #555; }
.bar { background: #e6e6e6; height: 0.8em; width: 60px; display: inline-block; vertical-align: middle; }
.bar > span { background: #1f5fa8; height: 100%; display: block; }
.note { color: #444; font-size: 0.88rem; }
figure.chart { margin: 0 0 16px; }
.plot { width: 680px; max-width: 100%; }
footer { color: #555; font-size: 0.8rem; border-top: 1px solid #ccc; padding-top: 8px; }
@page { size: A4 portrait; margin: 14mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  table { font-size: 8.5pt; }
  th, td { padding: 1px 4px; line-height: 1.25; }
  h3 { margin-top: 4px; }
  /* Small sections stay whole; long ones (this week, by charity) may continue on the
     next page rather than leave most of this one empty. */
  header.section, #figures, #targets, #sources, figure.chart, tr { page-break-inside: avoid; break-inside: avoid; }
  section, header.section { margin-bottom: 12px; }
  h2, h3 { page-break-after: avoid; break-after: avoid; }
  #trends.charts { page-break-before: always; break-before: page; }
  #map { page-break-before: always; break-before: page; }
  .modebar, .modebar-container { display: none !important; }
  .bar, .bar > span, thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _change(value) -> tuple[str, str]:
    """(a change as written, its class: up, down or flat)."""
    text = signed(value)
    return text, "flat" if text in ("0", "n/a") else ("down" if text.startswith("-") else "up")


def _change_cell(value) -> str:
    text, cls = _change(value)
    return f'<td class="num {cls}">{esc(text)}</td>'


_NUM_CLASS = ' class="num"'


def _col(label: str, *, num: bool = False) -> str:
    """A column's header cell, its label escaped; `num`: a column of numbers (right-aligned)."""
    return f'<th scope="col"{_NUM_CLASS if num else ""}>{esc(label)}</th>'


def _table(columns: list[str], rows: list[str], *, caption: str = "", cls: str = "") -> str:
    """A table of header cells (_col) over the rows (each a <tr>); `caption` already escaped."""
    return (("<table>" if not cls else f'<table class="{cls}">')
            + (f"<caption>{caption}</caption>" if caption else "")
            + f'<thead><tr>{"".join(columns)}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _figures_section(data: PackData) -> str:
    rows = []
    for r in data.coalition_changes.itertuples(index=False):
        rows.append(f"<tr><th scope=\"row\">{esc(r.label)}</th><td class=\"num\">{esc(whole(r.now))}</td>"
                    f"<td class=\"num\">{esc(whole(r.then))}</td>{_change_cell(r.change)}</tr>")
    return (
        '<section id="figures" class="section"><h2>Coalition figures</h2>'
        f'<p class="note">{esc(data.change_note)}.</p>'
        + _table([_col("Figure"), _col("Now", num=True), _col(data.then_header, num=True),
                  _col("Change", num=True)], rows)
        + "</section>")


def _targets_section(data: PackData) -> str:
    if data.pace.empty:
        return ('<section id="targets" class="section"><h2>Progress towards targets</h2>'
                '<p class="note">No targets are set in the config ([targets]).</p></section>')
    change = dict(zip(data.coalition_changes["figure"], data.coalition_changes["change"]))
    rows = []
    for r in data.pace.itertuples(index=False):
        pct = max(0.0, min(r.progress, 1.0)) * 100
        rows.append(
            f"<tr><th scope=\"row\">{esc(r.label)}</th><td class=\"num\">{esc(whole(r.current))}</td>"
            f"<td class=\"num\">{esc(whole(r.target))}</td>"
            f"<td class=\"num\">{r.progress * 100:.0f}% <span class=\"bar\" aria-hidden=\"true\">"
            f"<span style=\"width:{pct:.0f}%\"></span></span></td>"
            f"<td class=\"num\">{esc(whole(r.remaining))}</td>"
            f"<td class=\"num\">{esc(whole(r.per_week))}</td>{_change_cell(change.get(r.figure))}"
            f"<td>{esc(r.note)}</td></tr>")
    end = data.config.end
    return (
        '<section id="targets" class="section"><h2>Progress towards targets</h2>'
        f'<p class="note">Pace needed: what is still needed divided by the weeks left until the '
        f'campaign ends ({esc(describe_date(end))}), rounded up.</p>'
        + _table([_col("Figure"), *(_col(label, num=True) for label in (
            "Now", "Target", "Progress", "Still needed", "Needed per week", "Change")),
            _col("Pace")], rows)
        + "</section>")


def _charities_section(data: PackData) -> str:
    frame = data.charity_changes
    if frame.empty:
        return ""
    rows = []
    for name, part in frame.groupby("charity", sort=False):
        cells = []
        by_figure = {r.figure: r for r in part.itertuples(index=False)}
        for f in FIGURES:
            r = by_figure[f]
            text, cls = _change(r.change)
            cells.append(f'<td class="num">{esc(whole(r.now))}<br>'
                         f'<span class="{cls}">{esc(text)}</span></td>')
        status = part["status"].iloc[0]
        flag = "" if status == "ok" else f' <span class="note">({sheet_text(status)})</span>'
        rows.append(f'<tr><th scope="row">{sheet_text(name)}{flag}</th>{"".join(cells)}</tr>')
    return (
        '<section id="charities" class="section"><h2>By charity</h2>'
        f'<p class="note">Each cell: the figure now, and below it its change. '
        f'{esc(data.change_note)}.</p>'
        + _table([_col("Charity"), *(_col(FIGURE_LABELS[f], num=True) for f in FIGURES)], rows)
        + "</section>")


def _sources_section(data: PackData) -> str:
    if not data.sources:
        return ('<section id="sources" class="section"><h2>Sources</h2>'
                '<p>Every source was read and has no open errors.</p></section>')
    rows = []
    for s in data.sources:
        detail = [sheet_text(m) for m in s["messages"]]
        if s["where"]:
            detail.append("Errors at " + sheet_text(s["where"]))
        rows.append(
            f"<tr><th scope=\"row\">{sheet_text(s['name'])}</th><td>{sheet_text(status_text(s))}</td>"
            f"<td>{sheet_text(describe_as_of(s['as_of']))}</td><td class=\"num\">{s['errors']:,}</td>"
            f"<td class=\"num\">{s['warnings']:,}</td><td>{'<br>'.join(detail)}</td></tr>")
    return (
        '<section id="sources" class="section"><h2>Sources to look at</h2>'
        '<p class="note">Stale sources, sources that could not be read, and sources with open '
        'errors (rows with errors are not counted until they are fixed).</p>'
        + _table([_col("Charity"), _col("Status"), _col("Data as of"), _col("Errors", num=True),
                  _col("Warnings", num=True), _col("Details")], rows)
        + "</section>")


def _week_section(data: PackData) -> str:
    """New MPs met and media highlights since the baseline (names of MPs, outlets and
    headlines: coalition and lead packs only; the caller leaves `highlights` out otherwise)."""
    h = data.highlights
    if h is None:
        return ""
    span = f"after {esc(describe_date(h.since))}, up to {esc(describe_date(h.until))}"
    if h.new_mps.empty:
        mps = '<p class="note">No MP was met for the first time in these days.</p>'
    else:
        more = h.new_mps_total - len(h.new_mps)
        mps = _table([_col(label) for label in ("MP", "Constituency", "Party", "First met", "By")], [
            f"<tr><td>{sheet_text(r.name)}</td><td>{sheet_text(r.constituency)}</td>"
            f"<td>{sheet_text(r.party)}</td><td>{esc(f'{r.first_met:%d %b}')}</td>"
            f"<td>{sheet_text(r.charities)}</td></tr>" for r in h.new_mps.itertuples(index=False)]
        ) + (f'<p class="note">and {more} more (MPs & pledges page).</p>' if more > 0 else "")
    if h.media.empty:
        media = '<p class="note">No coverage is dated in these days.</p>'
    else:
        more = h.media_total - len(h.media)
        media = _table([*(_col(label) for label in ("Date", "Outlet", "Headline", "Type")),
                        _col("Reach", num=True)], [
            f"<tr><td>{esc(f'{r.date:%d %b}')}</td><td>{sheet_text(r.outlet)}</td>"
            f"<td>{sheet_text(r.headline)}</td><td>{sheet_text(r.type)}</td>"
            f"<td class=\"num\">{esc(whole(r.reach))}</td></tr>" for r in h.media.itertuples(index=False)]
        ) + (f'<p class="note">and {more} more pieces (Media page).</p>' if more > 0 else "")
    return ('<section id="week" class="section"><h2>This week</h2>'
            f'<p class="note">Days {span}.</p>'
            f'<h3>New MPs met ({h.new_mps_total:,})</h3>{mps}'
            f'<h3>Media highlights ({h.media_total:,} pieces, widest reach first)</h3>{media}'
            '</section>')


def _trend_table(data: PackData, figure: str) -> str:
    """The chart's numbers: a row per name (Coalition first), a column per week, the
    last reading of each of the last MAX_WEEKS weeks (the chart has all of them)."""
    table = weekly(data.trend[data.trend["figure"] == figure], data.now)
    grid = wide(table, figure).tail(MAX_WEEKS).T
    rows = []
    for name, values in grid.iterrows():
        cells = "".join(f'<td class="num">{esc(whole(v))}</td>' for v in values)
        rows.append(f'<tr><th scope="row">{sheet_text(name)}</th>{cells}</tr>')
    return _table([_col("Week to"), *(_col(f"{at.day} {at:%b %Y}", num=True) for at in grid.columns)],
                  rows, caption=f"{esc(FIGURE_LABELS[figure])}: the last reading of each week", cls="trend")


def _trends_section(data: PackData) -> str:
    if trend_days(data.trend) < 2:
        return f'<section id="trends"><h2>Trends</h2><p class="note">{esc(NO_TREND_YET)}</p></section>'
    parts = []
    config = {"displayModeBar": False, "responsive": False, "staticPlot": False}
    for i, figure in enumerate(FIGURES):
        fig = trend_figure(data.trend, figure)
        # plotly.js is inlined once: by the map when the pack has one, else by this chart
        div = fig.to_html(include_plotlyjs=(i == 0 and data.engagement is None),
                          full_html=False, config=config,
                          div_id=f"trend-{figure}", default_width=f"{CHART_WIDTH}px",
                          default_height=f"{CHART_HEIGHT}px")
        parts.append(f'<figure class="chart" aria-labelledby="h-{figure}">'
                     f'<h3 id="h-{figure}">{esc(FIGURE_LABELS[figure])}</h3>'
                     f'<div class="plot" role="img" aria-label="{esc(FIGURE_LABELS[figure])} over time, '
                     f'coalition and each charity; the table below holds the same figures">{div}</div>'
                     f'{_trend_table(data, figure)}</figure>')
    # Charts start a page of their own; the one-line note above does not (it left a
    # near-empty last page).
    return ('<section id="trends" class="charts"><h2>Trends</h2>'
            '<p class="note">One line per charity and a bold line for the coalition; one point '
            'per day (the last reading that day), ending with the figures in this pack.</p>'
            + "".join(parts) + "</section>")


def _map_section(data: PackData) -> str:
    """Every seat on the hex map (plotly.js inlined, nothing fetched) and its numbers:
    the same figure and counts as the MP coverage page."""
    if data.engagement is None:
        return ""
    from dashboard.official import mp_map
    from dashboard.official.parliament import PARLIAMENT_LABELS

    fig = mp_map.hex_figure(data.engagement, width=CHART_WIDTH, height=760)
    div = fig.to_html(include_plotlyjs=True, full_html=False, div_id="mp-map",
                      config={"displayModeBar": False, "responsive": False},
                      default_width=f"{CHART_WIDTH}px", default_height="760px")
    counts = mp_map.state_counts(data.engagement)
    rows = "".join(f'<tr><th scope="row">{esc(r.state)}</th><td class="num">{esc(whole(r.seats))}</td></tr>'
                   for r in counts.itertuples())
    unplaced = len(data.engagement.attrs.get("not_placed", []))
    parliament = PARLIAMENT_LABELS.get(data.engagement.attrs.get("parliament"), "")
    return ('<section id="map"><h2>MPs on the map</h2>'
            f'<p class="note">Every seat of the {esc(parliament)}, one hexagon each: met and '
            'pledged (star, cross-hatched), met (circle, striped), pledged without a meeting '
            '(diamond, dotted), not met (dash). Lines are region boundaries.</p>'
            f'<figure class="chart"><div class="plot" role="img" aria-label="Hex map of every '
            f'seat; the table below holds the same numbers">{div}</div>'
            '<table><caption>Seats by what the coalition has done</caption><tbody>'
            f'{rows}</tbody></table></figure>'
            + (f'<p class="note">{esc(unplaced)} MP(s) counted as met or pledged are not on the '
               'map: no row gives a seat of this parliament for them.</p>' if unplaced else "")
            + f'<p class="note">{esc(mp_map.HEX_SOURCE_NOTE)}</p></section>')


def build_html(data: PackData, *, trends: bool = True) -> str:
    """The pack as one HTML page; `trends=False` leaves out the trend charts and tables
    (the figures, targets, charities and sources print on at most two A4 pages)."""
    title = f"Meeting pack: {sheet_text(data.config.name)}, {esc(describe_date(data.now))}"
    read = describe_time(data.read_at) if data.read_at else "n/a"
    return (
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{title}</title><style>{CSS}</style></head><body><main>"
        f'<header class="section"><h1>{sheet_text(data.config.name)}</h1>'
        f'<p class="sub">Weekly meeting pack, {esc(describe_date(data.now))}</p>'
        f'<p class="note">Campaign {esc(describe_date(data.config.start))} to '
        f'{esc(describe_date(data.config.end))}. Figures read {esc(read)} (UK time).</p></header>'
        + _figures_section(data) + _targets_section(data) + _week_section(data)
        + _charities_section(data)
        + _sources_section(data)
        + (_map_section(data) + _trends_section(data) if trends else "")
        + (FOOTER_FIGURES if data.highlights is None else FOOTER_HIGHLIGHTS)
        + f' Made by the coalition dashboard at {esc(describe_time(data.now))}.</footer>'
          '</main></body></html>\n')


FOOTER_FIGURES = ('<footer>Figures only: this pack holds no young people\'s references, no names '
                  'other than charities\' and (on the map) MPs\', and no notes.')
FOOTER_HIGHLIGHTS = ('<footer>For the coalition and charity leads, not for trustees: this pack names '
                     'MPs, outlets and headlines; it holds no young people\'s references and no '
                     'notes.')


# -- XLSX ----------------------------------------------------------------------------
def _sheet(wb, title: str, header: list[str], rows: list[list], formats: dict[int, str] | None = None,
           widths: dict[int, int] | None = None):
    from openpyxl.styles import Font
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for row in rows:
        ws.append([None if (v is None or v is pd.NA) else cell_text(v) if isinstance(v, str) else v
                   for v in row])
    formats = formats or {}
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"        # belt and braces: openpyxl writes "=..." as a formula
            elif cell.column in formats:
                cell.number_format = formats[cell.column]
    for col, width in (widths or {}).items():
        ws.column_dimensions[ws.cell(1, col).column_letter].width = width
    ws.freeze_panes = "A2"
    return ws


def _int(v):
    return None if v is None or v is pd.NA else int(v)


def build_xlsx(data: PackData) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    wb.remove(wb.active)

    targets = {r.figure: r for r in data.pace.itertuples(index=False)}
    rows = []
    for r in data.coalition_changes.itertuples(index=False):
        t = targets.get(r.figure)
        rows.append([r.label, _int(r.now), _int(r.then), _int(r.change),
                     _int(t.target) if t else None, float(t.progress) if t else None,
                     _int(t.remaining) if t else None, _int(t.per_week) if t else None,
                     t.note if t else None])
    _sheet(wb, "Figures", ["Figure", "Now", data.then_header, "Change", "Target", "Progress",
                           "Still needed", "Needed per week", "Pace"], rows,
           {2: WHOLE_FORMAT, 3: WHOLE_FORMAT, 4: CHANGE_FORMAT, 5: WHOLE_FORMAT, 6: "0%",
            7: WHOLE_FORMAT, 8: WHOLE_FORMAT}, {1: 26, 3: 20, 9: 32})

    rows = [[r.charity, r.status, r.label, _int(r.now), _int(r.then), _int(r.change)]
            for r in data.charity_changes.itertuples(index=False)]
    _sheet(wb, "Changes per charity", ["Charity", "Status", "Figure", "Now", data.then_header,
                                       "Change"], rows,
           {4: WHOLE_FORMAT, 5: WHOLE_FORMAT, 6: CHANGE_FORMAT}, {1: 30, 3: 26, 5: 20})

    rows = [[r.at.to_pydatetime().replace(tzinfo=None), r.charity, FIGURE_LABELS[r.figure], int(r.value)]
            for r in data.history.itertuples(index=False)]
    _sheet(wb, "History", ["At (UK time)", "Charity", "Figure", "Value"], rows,
           {1: "yyyy-mm-dd hh:mm", 4: WHOLE_FORMAT}, {1: 18, 2: 30, 3: 26})

    rows = []
    for c in data.summary.get("charities") or []:
        problem = next((s for s in data.sources if s["name"] == str(c.get("name"))), None)
        detail = "" if problem is None else "; ".join(
            problem["messages"] + ([f"Errors at {problem['where']}"] if problem["where"] else []))
        rows.append([str(c.get("name")), str(c.get("status") or "ok"),
                     describe_as_of(c.get("as_of")), int(c.get("errors") or 0),
                     int(c.get("warnings") or 0), detail])
    _sheet(wb, "Sources status", ["Charity", "Status", "Data as of (UK time)", "Errors",
                                  "Warnings", "Details"], rows, None, {1: 30, 3: 24, 6: 60})

    about = [["Campaign", data.config.name],
             ["Campaign dates", f"{data.config.start.isoformat()} to {data.config.end.isoformat()}"],
             ["Pack made", describe_time(data.now)],
             ["Figures read", describe_time(data.read_at) if data.read_at else "n/a"],
             ["Changes", data.change_note],
             ["Contents", "Figures only: no young people's references, no notes."]]
    _sheet(wb, "About", ["Item", "Value"], about, None, {1: 18, 2: 60})

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def build_pack(summary: dict, snapshots: list[dict], config, now: dt.datetime, *,
               highlights=None, engagement: pd.DataFrame | None = None) -> tuple[str, bytes]:
    """The meeting pack for `summary` (contract section 6 shape) and stored `snapshots`,
    with the hex map when `engagement` (dashboard.official.mp_map.seat_engagement) is given."""
    data = PackData(summary, snapshots, config, now, highlights=highlights, engagement=engagement)
    return build_html(data), build_xlsx(data)


def highlights_since(data_baseline: dict | None, now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The days "this week" covers: after the baseline's day (or a week ago), up to today (UK)."""
    today = uk_time(now).date()
    if data_baseline is not None:
        return uk_time(data_baseline["at"]).date(), today
    return today - dt.timedelta(days=7), today


def highlights_for(coalition, snapshots: list[dict], config, now: dt.datetime, compare_with=None):
    """This week's highlights from a loaded coalition, over the pack's own baseline."""
    from dashboard import views
    from dashboard.highlights import week_highlights
    chosen = compare_with if compare_with is not None else config.last_meeting
    since, until = highlights_since(baseline(taken_by(snapshots, now), clock.parse_instant(now), chosen), now)
    return week_highlights(views.mp_table(coalition), views.media_items(coalition), since, until)


# -- the command ---------------------------------------------------------------------
def _write(path: Path, content: bytes) -> None:
    """Write beside the target, then rename: a reader never sees half a pack."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:          # default permissions (umask), unlike mkstemp
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
