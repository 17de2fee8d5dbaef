"""The bundled demo coalition (dashboard/demo.py, dashboard/demo_data/, docs/demo.md)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dashboard import demo
from dashboard.config import DEMO_CONFIG, DEMO_DIR, load_config
from dashboard.contract import ACTIVITIES, AGE_BANDS, STATUSES, TABS_BY_KEY, match_tab, norm_name
from dashboard.keys import constituency_key, person_key

ROOT = Path(__file__).resolve().parents[1]
REF = re.compile(r"^[A-Z]{3}-\d{4}$")
SLUGS = [p.slug for p in demo.PROFILES]


def cells(path: Path) -> dict[str, list[tuple]]:
    """Every tab's cell values, as a person sees them, in workbook order."""
    wb = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def contract_tabs(path: Path) -> dict[str, tuple[list[str], list[tuple], int]]:
    """tab key -> (normalised headers, data rows, sheet row of the first data row)."""
    out = {}
    for title, rows in cells(path).items():
        tab = match_tab(title)
        if tab is None:
            continue
        wanted = [norm_name(c.name) for c in (tab.required or tab.one_of)]
        for i, row in enumerate(rows[:10]):
            names = [norm_name(v) for v in row]
            if any(w in names for w in wanted):
                out[tab.key] = (names, rows[i + 1:], i + 2)
                break
    return out


def records(path: Path, tab_key: str) -> list[dict]:
    """Non-blank data rows of one tab as {normalised header: value}, with '_row'."""
    tabs = contract_tabs(path)
    if tab_key not in tabs:
        return []
    names, rows, first = tabs[tab_key]
    out = []
    for n, row in enumerate(rows, first):
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        out.append(dict(zip(names, row), _row=n))
    return out


def as_date(value) -> dt.date | None:
    """The demo's date spellings: date cells, serial numbers, 22/06/2022, 22/6/22, 22 June 2022."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, int):
        return dt.date(1899, 12, 30) + dt.timedelta(days=value)
    if value is None:
        return None
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(str(value), fmt).date()
        except ValueError:
            pass
    return None


@pytest.fixture(scope="module")
def built() -> demo.Demo:
    return demo.build()


def test_committed_demo_matches_the_generator(tmp_path):
    written = demo.generate(tmp_path)
    assert sorted(p.name for p in written) == sorted(
        ["coalition.toml"] + [f"{s}.xlsx" for s in SLUGS])
    committed = sorted(p.name for p in DEMO_DIR.iterdir() if p.suffix in (".toml", ".xlsx"))
    assert committed == sorted(p.name for p in written), "regenerate: python -m dashboard.demo"
    assert (tmp_path / "coalition.toml").read_text() == DEMO_CONFIG.read_text()
    for slug in SLUGS:
        assert cells(tmp_path / f"{slug}.xlsx") == cells(DEMO_DIR / f"{slug}.xlsx"), slug


def test_generation_is_deterministic_to_the_byte(tmp_path):
    first = demo.generate(tmp_path / "a")
    second = demo.generate(tmp_path / "b")
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert cells(first[1]) != cells(demo.generate(tmp_path / "c", seed=7)[1])


def test_config_lists_the_seven_charities():
    cfg = load_config(DEMO_CONFIG)
    assert [c.name for c in cfg.charities] == [
        "National Children's Bureau", "Action for Children", "Become", "Barnardo's", "Coram",
        "The Children's Society", "NSPCC"]
    assert cfg.demo is True and "DEMO" in cfg.name
    assert (cfg.start, cfg.end) == (dt.date(2022, 5, 23), dt.date(2022, 7, 22))
    assert cfg.targets == {"attendees_attended": 100, "mps_met": 150, "pledges": 100,
                           "media_mentions": 25}
    for c in cfg.charities:
        assert (cfg.base_dir / c.source).is_file()
    assert DEMO_CONFIG.read_text().startswith("# SYNTHETIC DEMO DATA")


def _attendee_cell_ok(header: str, value) -> bool:
    if value is None or isinstance(value, (int, dt.datetime)):
        return True            # dates as cells or serial numbers
    text = str(value).strip()
    if header == "ref":
        return bool(REF.match(text))
    if header == "status":
        return text.lower() in STATUSES
    if header == "age band":
        return text in AGE_BANDS
    if header == "region":
        return text in demo.REGIONS
    if header == "activities":
        return all(a.strip() in ACTIVITIES for a in text.split(","))
    if header == "media consent":
        return text.lower() in ("yes", "no", "y", "n")
    if header == "registered on":
        return bool(re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2} [A-Z][a-z]+ \d{4}", text))
    return False


def test_no_attendee_cell_could_be_a_name():
    for slug in SLUGS:
        rows = records(DEMO_DIR / f"{slug}.xlsx", "attendees")
        assert rows, slug
        refs = [r["ref"] for r in rows]
        assert len(refs) == len(set(refs)), f"{slug}: refs unique within the charity"
        for r in rows:
            for header, value in r.items():
                if header != "_row":
                    assert _attendee_cell_ok(header, value), (slug, r["_row"], header, value)


def test_sizes_are_realistic(built):
    attendees = {s: len(records(DEMO_DIR / f"{s}.xlsx", "attendees")) for s in SLUGS}
    assert all(30 <= n <= 70 for n in attendees.values()), attendees
    assert 250 <= sum(attendees.values()) <= 450
    meeting_rows = sum(len(records(DEMO_DIR / f"{s}.xlsx", "mp_meetings")) for s in SLUGS)
    assert 130 <= meeting_rows <= 170
    media_rows = sum(len(records(DEMO_DIR / f"{s}.xlsx", "media")) for s in SLUGS)
    assert 35 <= media_rows <= 45
    t = built.truth
    assert t["young_people"] == sum(attendees.values())
    assert 100 <= t["mps_met"] <= 150
    assert 60 <= t["pledges"] <= 90
    assert t["joint_meetings"] >= 10
    assert t["pledges_via_meeting_only"] >= 5 and t["pledges_by_constituency_only"] >= 5
    assert t["attended"] > 100


def test_dates_read_and_fall_in_the_window_except_where_planted(built):
    cfg = load_config(DEMO_CONFIG)
    planted = {(p.charity, p.tab, p.row) for p in built.planted}
    dated = {"attendees": "registered on", "mp_meetings": "date", "pledges": "date", "media": "date"}
    seen = 0
    for profile in demo.PROFILES:
        for key, column in dated.items():
            for r in records(DEMO_DIR / f"{profile.slug}.xlsx", key):
                if r.get(column) is None or (profile.name, TABS_BY_KEY[key].name, r["_row"]) in planted:
                    continue
                day = as_date(r[column])
                assert day and cfg.start <= day <= cfg.end, (profile.slug, key, r["_row"], r[column])
                seen += 1
    assert seen > 500


def test_every_mp_row_names_the_mp_who_sat_for_that_seat():
    sitting = {constituency_key(c): person_key(n) for c, n, _ in demo.MPS + demo.MINISTERS}
    assert len(sitting) == len(demo.MPS) + len(demo.MINISTERS)
    checked = 0
    for slug in SLUGS:
        path = DEMO_DIR / f"{slug}.xlsx"
        rows = [(r["name"], r.get("constituency")) for r in records(path, "mp_meetings")
                if str(r.get("role") or "MP").lower() in ("mp", "minister")]
        rows += [(r.get("mp name"), r.get("constituency")) for r in records(path, "pledges")]
        for name, seat in rows:
            if name and seat:
                assert sitting[constituency_key(seat)] == person_key(name), (slug, name, seat)
                checked += 1
    assert checked > 100


def test_joint_meetings_are_written_differently_with_one_constituency():
    by_meeting: dict[tuple, list[tuple]] = {}
    for slug in SLUGS:
        for r in records(DEMO_DIR / f"{slug}.xlsx", "mp_meetings"):
            by_meeting.setdefault((as_date(r["date"]), person_key(r["name"])), []).append(
                (slug, r["name"], r.get("constituency")))
    joint = {k: v for k, v in by_meeting.items() if len({s for s, _, _ in v}) > 1}
    assert len(joint) >= 10
    for rows in joint.values():
        assert sum(1 for _, _, seat in rows if seat) <= 1, rows
    assert sum(1 for rows in joint.values() if len({n for _, n, _ in rows}) > 1) >= 10


def test_free_text_is_bland_staff_notes():
    allowed = set(demo.NOTES + demo.FOLLOW_UPS + demo.INTERNAL_NOTES) | {
        "Follow-up meeting in the constituency office"}
    for slug in SLUGS:
        for r in records(DEMO_DIR / f"{slug}.xlsx", "mp_meetings"):
            for col in ("notes", "follow up", "internal notes"):
                text = r.get(col)
                if text:
                    assert text in allowed or text.startswith("Joint meeting with "), text


def test_the_planted_mistakes_are_there(built):
    book = {s: cells(DEMO_DIR / f"{s}.xlsx") for s in SLUGS}
    slug_of = {p.name: p.slug for p in demo.PROFILES}
    for p in built.planted:
        if p.row is None or p.column is None or p.value is None:
            continue
        rows = book[slug_of[p.charity]][p.sheet]
        header = next(r for r in rows[:10] if p.column in r)
        assert rows[p.row - 1][header.index(p.column)] == p.value, p
    severities = sorted(p.severity for p in built.planted if p.severity in ("error", "warning"))
    assert severities.count("error") == 1 and severities.count("warning") == 6

    def find(slug, value):
        return [(t, i + 1) for t, rows in book[slug].items() for i, r in enumerate(rows) if value in r]

    assert find("become", "31/02/2022")
    assert find("childrens-society", "#REF!")
    assert find("nspcc", "maybe")
    assert find("action-for-children", "javascript:alert(1)")
    assert find("barnardos", 44734) and find("barnardos", 44776)          # serial dates
    assert find("become", "22/06/2022") and find("become", "22 June 2022")
    assert any(isinstance(v, dt.datetime) for r in book["ncb"]["MP meetings"] for v in r)
    assert any(isinstance(v, str) and re.fullmatch(r"\d{1,3}(,\d{3})+", v)
               for r in book["childrens-society"]["Media"] for v in r)     # "1,200"
    assert "Internal notes" in book["childrens-society"]["MP meetings"][0]
    assert [match_tab(t).key for t in book["coram"]] == ["attendees", "mp_meetings", "pledges"]
    assert list(book["action-for-children"]) == ["attendees", "mp_meetings", "pledges", " Media "]
    assert book["ncb"]["Attendees"][0][0].startswith("National Children's Bureau")
    assert book["barnardos"]["MP meetings"][0][:2] == ("Date", "Name")
    assert "Dropdowns" in book["nspcc"]

    coram = book["coram"]["MP meetings"]
    dup = next(p for p in built.planted if p.charity == "Coram" and p.severity == "warning")
    assert coram[dup.row - 1] == coram[dup.row - 2]
    nspcc = book["nspcc"]["Attendees"]
    blanks = [p.row for p in built.planted if p.what == "fully blank row"]
    assert len(blanks) == 2 and all(set(nspcc[r - 1]) == {None} for r in blanks)
    no_status = next(p for p in built.planted if p.severity == "error")
    assert REF.match(nspcc[no_status.row - 1][0]) and nspcc[no_status.row - 1][1] is None


def test_media_has_shared_articles_and_a_piece_without_url():
    rows = {s: records(DEMO_DIR / f"{s}.xlsx", "media") for s in SLUGS}
    newsround = [s for s, rs in rows.items() for r in rs if r["outlet"] == "BBC Newsround"
                 and "61894512" in str(r["url"])]
    assert len(newsround) == 2
    urls = [r["url"] for rs in rows.values() for r in rs if "61894512" in str(r["url"])]
    assert any(u.startswith("https://www.") for u in urls)
    assert any(u.startswith("http://") and "utm_source" in u and "/?" in u for u in urls)
    assert any(r["url"] is None for rs in rows.values() for r in rs)


def test_docs_list_every_planted_issue(built):
    text = (ROOT / "docs" / "demo.md").read_text(encoding="utf-8")
    for p in built.planted:
        if p.severity in ("error", "warning") and p.row is not None:
            line = next((ln for ln in text.splitlines()
                         if ln.startswith(f"| {p.charity} |") and f"| {p.row} |" in ln
                         and p.severity in ln), None)
            assert line, f"docs/demo.md lacks {p.charity} row {p.row} ({p.what})"


def test_reading_the_demo_finds_exactly_the_planted_errors_and_warnings(built):
    """No more and no fewer. A blank cell beside real dates became NaT (Series.map), and
    the 1950-2099 year check added later read NaT as a date outside it: five warnings
    nobody planted, until the fix."""
    from dashboard.config import load_config
    from dashboard.pipeline import load_coalition

    coalition = load_coalition(load_config(DEMO_DIR / "coalition.toml"))
    found = sorted((i.charity, i.tab, i.row, i.severity) for i in coalition.issues
                   if i.severity in ("error", "warning"))
    planted = sorted((p.charity, p.tab, p.row, p.severity) for p in built.planted
                     if p.severity in ("error", "warning"))
    assert found == planted
