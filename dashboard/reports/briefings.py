"""Briefings that print: one self-contained HTML file, one A4 page per MP, for the young
people going to meet them. Pure pandas, no Streamlit.

Each page: the MP, seat, party and region; who in the coalition has met them (date,
charity, meeting type, young people present); whether they pledged; and the DfE
children-looked-after figures of the local authorities the seat overlaps, with the
source line. No notes or follow-ups (free text stays in the lead's view), no young
person's ref. Every piece of sheet text is escaped; the file fetches nothing (no
scripts, fonts, images or links). With `trustee=True` a count of 1-4 young people is
shown as "<5".
"""
from __future__ import annotations

import datetime as dt
import functools
import html

import pandas as pd

from dashboard.official import parliament as parl
from dashboard.official import placements
from dashboard.access.suppression import suppress_value
from dashboard.safe import escape_text

# The figures a briefing gives for each local authority, in order.
LA_MEASURES = {
    "children_looked_after": "Children looked after (31 March)",
    "children_looked_after_rate_per_10k": "Per 10,000 children",
    "three_plus_placements_pct": "% with 3+ placements in the year",
}

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1b1b1b; margin: 0; background: #fff; line-height: 1.35; }
section.mp { max-width: 180mm; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.5rem; margin: 0 0 2px; }
h2 { font-size: 1.05rem; margin: 14px 0 4px; border-bottom: 1px solid #1b1b1b; }
.sub { color: #333; margin: 0 0 6px; }
.note { color: #444; font-size: 0.85rem; }
.pledge { font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
thead th { background: #f2f2f2; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
footer { color: #555; font-size: 0.75rem; margin-top: 12px; }
@page { size: A4 portrait; margin: 14mm; }
@media print {
  body { font-size: 10pt; }
  section.mp { max-width: none; padding: 0; page-break-after: always; break-after: page;
               page-break-inside: avoid; break-inside: avoid; }
  section.mp:last-of-type { page-break-after: auto; break-after: auto; }
  thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

MAX_MEETINGS_LISTED = 12     # more would not fit the page; the rest are counted


def _esc(value) -> str:
    """Our own text (labels, dates, numbers)."""
    return html.escape("" if value is None else str(value), quote=True)


def _day(value) -> str:
    return "date not given" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%d %b %Y}"


@functools.lru_cache(maxsize=2)
def _latest_la_figures() -> pd.DataFrame:
    """Each local authority's latest preferred published figure of each LA_MEASURES
    measure (the long placements_la.csv rows), indexed by new_la_code."""
    la = placements.load_la()
    rows = la[la["preferred"] & la["measure"].isin(list(LA_MEASURES)) & la["value"].notna()
              & (la["new_la_code"].astype(str) != "")]
    latest = rows[rows["year"] == rows.groupby(["new_la_code", "measure"])["year"].transform("max")]
    return latest.set_index(latest["new_la_code"].astype(str))


@functools.lru_cache(maxsize=2)
def _la_codes_2024() -> dict[str, str]:
    """constituency key (and its accent-free form) of each 2024 seat -> its la_codes."""
    seats = parl.load_constituencies("2024")
    return {**dict(zip(seats["folded"], seats["la_codes"])), **dict(zip(seats["key"], seats["la_codes"]))}


@functools.lru_cache(maxsize=1024)
def _la_table(la_codes: tuple[str, ...]) -> tuple[pd.DataFrame, str]:
    latest = _latest_la_figures()
    mine = latest[latest.index.isin(la_codes)]
    rows = []
    for name, g in mine.groupby("la_name", sort=True):
        row = {"la_name": name}
        for measure in LA_MEASURES:
            hit = g[g["measure"] == measure]
            row[measure] = None if hit.empty else float(hit["value"].iloc[0])
            row[f"{measure}_year"] = None if hit.empty else int(hit["year"].iloc[0])
        rows.append(row)
    return pd.DataFrame(rows), placements.sources_line(mine.reset_index(drop=True)) if len(mine) else ""


def local_authority_figures(seat: dict, parliament: str) -> tuple[pd.DataFrame, str, str]:
    """(figures, source line, note) for the local authorities a seat overlaps: one row per
    authority with each LA_MEASURES figure of its latest published year (year columns
    beside). The constituency table gives local authorities for 2024 seats; a 2019 seat
    uses the 2024 seat of the same name, and the note says so."""
    codes, note = str(seat.get("la_codes") or ""), ""
    if not codes and parliament == "2019":
        key = parl.constituency_key(seat["name"])
        later = _la_codes_2024().get(key, _la_codes_2024().get(parl._fold(key)))
        if later is not None:
            codes = str(later or "")
            note = ("Local authorities of the 2024 seat of the same name (boundaries "
                    "changed at the 2024 election).")
    la_codes = tuple(sorted({c.strip() for c in codes.split("/") if c.strip()}))
    if not la_codes:
        return pd.DataFrame(), "", note
    table, source = _la_table(la_codes)
    return table.copy(), source, note


def _number(value, measure: str) -> str:
    if value is None or pd.isna(value):
        return "n/a"
    return f"{value:.1f}" if measure.endswith("_pct") else f"{value:,.0f}"


def _la_section(seat: dict, parliament: str) -> str:
    table, source, note = local_authority_figures(seat, parliament)
    if table.empty:
        return ('<h2>Children in care in this area</h2><p class="note">No local-authority '
                "figures are linked to this seat (the DfE publishes them for England).</p>")
    head = "".join(f'<th class="num">{_esc(words)}</th>' for words in LA_MEASURES.values())
    body = ""
    for _, r in table.iterrows():
        cells = "".join(
            f'<td class="num">{_esc(_number(r[m], m))}'
            + (f' <span class="note">({int(r[m + "_year"])})</span>' if pd.notna(r[m + "_year"]) else "")
            + "</td>" for m in LA_MEASURES)
        body += f"<tr><th>{escape_text(r['la_name'])}</th>{cells}</tr>"
    return ("<h2>Children in care in this area</h2>"
            f"<table><thead><tr><th>Local authority</th>{head}</tr></thead><tbody>{body}</tbody></table>"
            f'<p class="note">{_esc(source)}{(" " + _esc(note)) if note else ""}</p>')


def _by_date(records: list[dict]) -> list[dict]:
    """Oldest first, undated last."""
    return sorted(records, key=lambda r: (r["date"] is None, r["date"] or pd.Timestamp(0)))


def _meetings_section(meetings: list[dict], trustee: bool) -> str:
    if not meetings:
        return "<h2>Who in the coalition has met them</h2><p>Not met yet by any charity in the coalition.</p>"
    rows = _by_date(meetings)
    shown = rows[:MAX_MEETINGS_LISTED]
    body = ""
    for r in shown:
        present = r["young_people_present"]
        present = "" if present is None else (suppress_value(present) if trustee else str(int(present)))
        body += (f"<tr><td>{_esc(_day(r['date']))}</td><td>{escape_text(r['charity'])}</td>"
                 f"<td>{escape_text(r['meeting_type'] or '')}</td>"
                 f'<td class="num">{_esc(present)}</td></tr>')
    more = (f'<p class="note">and {len(rows) - len(shown)} more meeting(s).</p>'
            if len(rows) > len(shown) else "")
    return ("<h2>Who in the coalition has met them</h2><table><thead><tr><th>Date</th>"
            "<th>Charity</th><th>Meeting type</th><th class=\"num\">Young people present</th>"
            f"</tr></thead><tbody>{body}</tbody></table>{more}")


def _pledge_section(pledges: list[dict]) -> str:
    if not pledges:
        return '<h2>Pledge</h2><p class="pledge">Not pledged yet.</p>'
    first = _by_date(pledges)[0]
    photo = " Photo taken." if any(r.get("photo_taken") is True for r in pledges) else ""
    who = ", ".join(escape_text(c) for c in sorted({r["charity"] for r in pledges}))
    return (f'<h2>Pledge</h2><p class="pledge">Pledged: signed {_esc(_day(first["date"]))}'
            f" (recorded by {who}).{_esc(photo)}</p>")


_MEETING_KEYS = ("date", "charity", "meeting_type", "young_people_present", "is_mp", "pledge_signed")
_PLEDGE_KEYS = ("date", "charity", "photo_taken")


def _records_by_id(frame: pd.DataFrame, keys: tuple[str, ...]) -> dict[str, list[dict]]:
    """mp_id -> its rows as plain dicts of `keys` (missing values None): pages are made
    from these, without a pandas selection per page."""
    out: dict[str, list[dict]] = {}
    if not len(frame):
        return out
    columns = [frame[k].astype(object).where(frame[k].notna(), None).tolist() for k in keys]
    for mp_id, *values in zip(frame["mp_id"].tolist(), *columns):
        out.setdefault(mp_id, []).append(dict(zip(keys, values)))
    return out


class _RowsById:
    """The MP meetings and pledges of a coalition grouped by mp_id once, for many pages."""

    def __init__(self, coalition):
        self._meetings = _records_by_id(coalition.frame("mp_meetings"), _MEETING_KEYS)
        self._pledges = _records_by_id(coalition.frame("pledges"), _PLEDGE_KEYS)

    def of(self, ids) -> tuple[list[dict], list[dict]]:
        """(meetings with an MP or Minister, pledges) of these MP ids; a meeting marked
        "Pledge signed" is a pledge."""
        theirs = [r for i in ids for r in self._meetings.get(i, ())]
        met = [r for r in theirs if r["is_mp"]]
        pledged = [r for i in ids for r in self._pledges.get(i, ())]
        pledged += [{"date": r["date"], "charity": r["charity"], "photo_taken": None}
                    for r in theirs if r["pledge_signed"]]
        return met, pledged


def briefing_rows(coalition, engagement: pd.DataFrame, ons_code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(MP meetings, pledges) of one seat as the briefing shows them: the rows of every MP
    id the map placed there, meetings only with an MP or Minister, signed meetings
    counted as pledges."""
    ids = engagement.loc[engagement["ons_code"] == ons_code, "mp_ids"].iloc[0]
    met, pledged = _RowsById(coalition).of(ids)
    return (pd.DataFrame(met, columns=list(_MEETING_KEYS)),
            pd.DataFrame(pledged, columns=list(_PLEDGE_KEYS)))


def briefing_page(coalition, engagement: pd.DataFrame, ons_code: str, parliament: str,
                  trustee: bool = False, footer: str = "", rows: _RowsById | None = None) -> str:
    seat = engagement.loc[engagement["ons_code"] == ons_code].iloc[0].to_dict()
    met, pledged = (rows or _RowsById(coalition)).of(seat["mp_ids"])
    return _page(seat, parliament, trustee, footer, met, pledged)


def _page(seat: dict, parliament: str, trustee: bool, footer: str, met: list[dict],
          pledged: list[dict]) -> str:
    where = seat["region"] if seat["region"] == seat["nation"] else f"{seat['region']}, {seat['nation']}"
    return (
        '<section class="mp">'
        f"<h1>{escape_text(seat['mp'])}</h1>"
        f'<p class="sub">MP for {escape_text(seat["name"])} ({_esc(seat["ons_code"])}) · '
        f"{escape_text(seat['party'])} · {escape_text(where)}</p>"
        f'<p class="note">{_esc(parl.PARLIAMENT_LABELS[parliament])}; MP as listed in the '
        f"project's constituency table ({_esc(seat.get('mp_as_of') or '')}).</p>"
        + _meetings_section(met, trustee) + _pledge_section(pledged)
        + _la_section(seat, parliament)
        + f'<footer>{footer}</footer></section>')


def briefings_html(coalition, engagement: pd.DataFrame, ons_codes: list[str], parliament: str,
                   *, title: str, trustee: bool = False, now: dt.datetime | None = None) -> str:
    """One HTML file with a page per seat in `ons_codes` (in that order)."""
    when = f" Made {now:%d %b %Y %H:%M}." if now is not None else ""
    footer = (f"{escape_text(title)}: briefings from the coalition dashboard.{_esc(when)} "
              "No young person's name or reference, and no notes.")
    rows = _RowsById(coalition)
    by_code = engagement.set_index("ons_code", drop=False)
    chosen = by_code.loc[[c for c in ons_codes if c in by_code.index]]
    pages = "".join(_page(seat, parliament, trustee, footer, *rows.of(seat["mp_ids"]))
                    for seat in chosen.to_dict(orient="records"))
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape_text(title)}</title><style>{CSS}</style></head><body>"
            + (pages or '<section class="mp"><p>No MPs chosen.</p></section>')
            + "</body></html>\n")


def briefings_filename(label: str) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in label.lower()).strip("-")
    while "--" in safe:
        safe = safe.replace("--", "-")
    return f"mp-briefings-{safe or 'chosen'}.html"
