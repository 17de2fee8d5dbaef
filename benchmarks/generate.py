"""A large, messy, deterministic coalition for the benchmarks: one folder of CSV files per
charity and a coalition.toml naming them.

    python benchmarks/generate.py OUT_DIR [--charities 50] [--attendees 10000]
        [--meetings 2000] [--pledges 500] [--media 2000] [--seed 2022]

Everything comes from one random.Random(seed): the same arguments give byte-identical
files. The mess is the contract's (section 3 and 4): title rows above the header, tab and
header names in other cases and spellings, columns in another order, extra columns,
exact duplicate rows, fully blank rows, UK and ISO dates, Sheets serial numbers,
"1,200" numbers, spreadsheet error values, bad links, unreadable statuses and missing
required values (error rows), honorifics on MP names, and MPs and pieces of coverage
shared between charities (joint meetings, the same story logged twice with different
tracking parameters).

All young people are invented pseudonymous refs; MP names and constituencies come from
the bundled reference table (real, June 2022) but every meeting is invented.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "dashboard" / "reference" / "constituencies.csv"

START, END = dt.date(2022, 5, 23), dt.date(2022, 7, 22)
STATUSES = ["attended"] * 6 + ["registered"] * 2 + ["cancelled", "no-show", "Attended", "NO-SHOW"]
AGE_BANDS = ["16-17", "18-21", "22-25", "26+", ""]
REGIONS = ["North East", "North West", "Yorkshire and The Humber", "East Midlands",
           "West Midlands", "East of England", "London", "South East", "South West",
           "Wales", "Scotland", "Northern Ireland", ""]
ACTIVITIES = ["rally", "westminster hall", "pledge photo", "roundtable", "media"]
YES = ["yes", "Yes", "y", "TRUE", "✓", "x"]
NO = ["no", "No", "n", "FALSE", "", ""]
ROLES = ["", "", "MP", "MP", "MP", "Minister", "Peer", "Official", "Other"]
MEETING_TYPES = ["westminster hall", "one-to-one", "roundtable", "other", ""]
OUTLETS = ["BBC Newsround", "BBC News", "The Guardian", "The Independent", "ITV News",
           "Sky News", "Children & Young People Now", "Manchester Evening News",
           "Yorkshire Post", "Bristol Post", "Community Care", "The Mirror", "LBC",
           "BBC Radio 5 Live", "Wales Online", "The Scotsman", "Belfast Telegraph"]
HOSTS = {"BBC Newsround": "bbc.co.uk/newsround", "BBC News": "bbc.co.uk/news",
         "The Guardian": "theguardian.com/society", "The Independent": "independent.co.uk/news",
         "ITV News": "itv.com/news", "Sky News": "news.sky.com/story",
         "Children & Young People Now": "cypnow.co.uk/news",
         "Manchester Evening News": "manchestereveningnews.co.uk/news",
         "Yorkshire Post": "yorkshirepost.co.uk/news", "Bristol Post": "bristolpost.co.uk/news",
         "Community Care": "communitycare.co.uk/2022", "The Mirror": "mirror.co.uk/news",
         "LBC": "lbc.co.uk/news", "BBC Radio 5 Live": "bbc.co.uk/programmes",
         "Wales Online": "walesonline.co.uk/news", "The Scotsman": "scotsman.com/news",
         "Belfast Telegraph": "belfasttelegraph.co.uk/news"}
MEDIA_TYPES = ["broadcast", "print", "online", "online", "social", ""]
WORDS = ["care", "young people", "placements", "moves", "MPs", "Westminster", "pledge",
         "children", "stability", "campaign", "lobby", "day of action", "voices", "homes"]
ERROR_VALUES = ["#REF!", "#N/A", "#VALUE!"]


def _mps() -> list[tuple[str, str, str]]:
    """(name, constituency, party) of the 2019 parliament's MPs."""
    if REFERENCE.exists():
        with open(REFERENCE, encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if r["parliament"] == "2019" and r["mp"]]
        if rows:
            return [(r["mp"], r["name"], r["party"]) for r in rows]
    return [(f"Member {i} Smith", f"Seat {i}", "Independent") for i in range(650)]


def _date_text(rng: random.Random, day: dt.date) -> str:
    """One day written the way a charity might: mostly UK day-first, some of each other way."""
    r = rng.random()
    if r < 0.55:
        return day.strftime("%d/%m/%Y")
    if r < 0.75:
        return day.isoformat()
    if r < 0.85:
        return f"{day.day}/{day.month}/{day.strftime('%y')}"
    if r < 0.93:
        return f"{day.day} {day.strftime('%B %Y')}"
    if r < 0.98:
        return str((day - dt.date(1899, 12, 30)).days)          # a Sheets serial number
    return rng.choice(["TBC", "31/02/2022", "#REF!"])             # unreadable


def _day(rng: random.Random, spread_days: int = 0) -> dt.date:
    span = (END - START).days + 2 * spread_days
    return START - dt.timedelta(days=spread_days) + dt.timedelta(days=rng.randrange(span + 1))


def _grouped(n: int, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.4:
        return f"{n:,}"
    if r < 0.5:
        return f"{n:,}".replace(",", " ")
    if r < 0.55:
        return f"{n}.0"
    return str(n)


def _with_mess(rng: random.Random, header: list[str], rows: list[list[str]], *,
               title: str | None, dup_rate=0.005, blank_rate=0.002) -> list[list[str]]:
    """Add exact duplicate rows and blank rows; put a title and an instruction row on top."""
    out: list[list[str]] = []
    if title:
        out.append([title] + [""] * (len(header) - 1))
        out.append(["Please fill in one row per line; see the template."] + [""] * (len(header) - 1))
    out.append(header)
    for row in rows:
        out.append(row)
        if rng.random() < dup_rate:
            out.append(list(row))
        if rng.random() < blank_rate:
            out.append([""] * len(header))
    return out


def _shuffle_columns(rng: random.Random, header: list[str], rows: list[list[str]]):
    order = list(range(len(header)))
    rng.shuffle(order)
    return [header[i] for i in order], [[r[i] for i in order] for r in rows]


def _write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def _attendees(rng: random.Random, prefix: str, n: int) -> tuple[list[str], list[list[str]]]:
    header = ["Ref", "Status", "Age band", "Region", "Activities", "Media consent", "Registered on"]
    rows = []
    for i in range(1, n + 1):
        ref = f"{prefix}-{i:05d}"
        status = rng.choice(STATUSES)
        r = rng.random()
        if r < 0.0008:
            status = rng.choice(["maybe", "tbc"])       # unreadable status: an error row
        elif r < 0.0012:
            status = ""                                  # missing required value: an error row
        elif r < 0.0020:
            ref = f"{prefix}-{max(1, i - 7):05d}"        # the same ref on another row
        acts = ", ".join(rng.sample(ACTIVITIES, rng.randint(0, 3)))
        if rng.random() < 0.3:
            acts = acts.title().replace(", ", ";")
        consent = rng.choice(YES + NO)
        if rng.random() < 0.001:
            consent = "maybe"
        registered = _date_text(rng, _day(rng, 20 if rng.random() < 0.03 else 0)) \
            if rng.random() < 0.9 else ""
        rows.append([ref, status, rng.choice(AGE_BANDS), rng.choice(REGIONS), acts, consent,
                     registered])
    return header, rows


def _honorific(rng: random.Random, name: str) -> str:
    r = rng.random()
    if r < 0.15:
        return f"Rt Hon {name} MP"
    if r < 0.30:
        return f"{name} MP"
    if r < 0.35:
        return f"  {name.lower()}  "
    if r < 0.40:
        return f"Dr {name}"
    return name


def _meetings(rng: random.Random, mps, n: int, shared_days: list[dt.date]):
    header = ["Name", "Date", "Role", "Constituency", "Party", "Meeting type",
              "Young people present", "Pledge signed", "Follow-up", "Notes"]
    rows = []
    for _ in range(n):
        name, seat, party = rng.choice(mps)
        role = rng.choice(ROLES)
        if role in ("Peer", "Official", "Other"):
            name = rng.choice(["Baroness Young", "Lord Patel", "Ms Official", "Dr Adviser",
                               "Lord Bird", "Sam Civil-Servant"])
            seat, party = "", ""
        # Joint meetings: most meetings happen on a few shared days of action, so the same
        # MP on the same day is logged by several charities.
        day = rng.choice(shared_days) if rng.random() < 0.7 else _day(rng, 1)
        r = rng.random()
        if r < 0.25:
            seat_text = ""                                  # joined by name to another row's seat
        elif r < 0.30:
            seat_text = seat.upper().replace(" and ", " & ")
        else:
            seat_text = seat
        present = _grouped(rng.randint(0, 12), rng) if rng.random() < 0.8 else ""
        if rng.random() < 0.001:
            present = rng.choice(["a few", "#N/A"])
        rows.append([_honorific(rng, name) if rng.random() > 0.001 else "",
                     _date_text(rng, day), role, seat_text,
                     party if rng.random() < 0.6 else "",
                     rng.choice(MEETING_TYPES), present,
                     rng.choice(YES[:3] + NO) if role in ("", "MP", "Minister") else "no",
                     rng.choice(["", "", "send briefing", "chase pledge photo"]),
                     rng.choice(["", "", "", "met at WH, very supportive"])])
    return header, rows


def _pledges(rng: random.Random, mps, n: int):
    header = ["MP name", "Constituency", "Date", "Party", "Photo taken"]
    rows = []
    for _ in range(n):
        name, seat, party = rng.choice(mps)
        r = rng.random()
        if r < 0.2:
            name_text, seat_text = "", seat
        elif r < 0.4:
            name_text, seat_text = _honorific(rng, name), ""
        elif r < 0.401:
            name_text, seat_text = "", ""                   # neither: an error row
        else:
            name_text, seat_text = _honorific(rng, name), seat
        rows.append([name_text, seat_text, _date_text(rng, _day(rng)), party if rng.random() < 0.5 else "",
                     rng.choice(YES + NO)])
    return header, rows


def _story(rng: random.Random, k: int) -> tuple[str, str, str, dt.date]:
    outlet = rng.choice(OUTLETS)
    headline = " ".join(rng.sample(WORDS, 4)).capitalize()
    url = f"https://www.{HOSTS[outlet]}/story-{k:06d}"
    return outlet, url, headline, _day(rng)


def _media(rng: random.Random, n: int, shared: list, own_start: int):
    header = ["Outlet", "URL", "Date", "Headline", "Type", "Reach"]
    rows = []
    for j in range(n):
        if rng.random() < 0.2:
            outlet, url, headline, day = rng.choice(shared)     # a story another charity logged too
        else:
            outlet, url, headline, day = _story(rng, own_start + j)
        r = rng.random()
        if r < 0.1:
            url = url.replace("https://www.", "http://") + "/"
        elif r < 0.2:
            url += "?utm_source=twitter&utm_medium=social"
        elif r < 0.25:
            url = ""                                             # keyed by date, outlet, headline
        elif r < 0.252:
            url = "javascript:alert(1)"                          # never a link: a warning
        reach = _grouped(rng.choice([500, 5000, 25000, 120000, 1200000, 4500000]), rng) \
            if rng.random() < 0.85 else ""
        if rng.random() < 0.001:
            reach = rng.choice(["lots", "#VALUE!"])
        rows.append([outlet if rng.random() > 0.002 else "", url, _date_text(rng, day), headline,
                     rng.choice(MEDIA_TYPES), reach])
    return header, rows


TAB_SPELLINGS = {
    "attendees": ["Attendees", "attendees", "ATTENDEES", " Attendees "],
    "mp_meetings": ["MP meetings", "mp_meetings", "MP-Meetings", "Mp Meetings"],
    "pledges": ["Pledges", "pledges"],
    "media": ["Media", "MEDIA", "media"],
}


def generate(out: Path, *, charities: int = 50, attendees: int = 10_000, meetings: int = 2_000,
             pledges: int = 500, media: int = 2_000, seed: int = 2022) -> Path:
    """Write the coalition under `out` (created); returns the path of its coalition.toml."""
    rng = random.Random(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    mps = _mps()
    shared_days = sorted({_day(rng) for _ in range(6)})
    shared_stories = [_story(rng, k) for k in range(300)]
    lines = [
        "# SYNTHETIC BENCHMARK DATA: generated by benchmarks/generate.py; no real young people.",
        "[campaign]",
        'name = "Benchmark coalition (synthetic)"',
        f"start = {START.isoformat()}",
        f"end = {END.isoformat()}",
        "",
        "[targets]",
        f"attendees_attended = {charities * attendees // 2}",
        "mps_met = 650",
        "pledges = 400",
        f"media_mentions = {charities * media // 2}",
        "",
    ]
    for c in range(1, charities + 1):
        name = f"Charity {c:03d}"
        folder = out / f"c{c:03d}"
        folder.mkdir(exist_ok=True)
        prefix = f"C{c:03d}"
        title = f"{name}: campaign tracker (do not share)" if rng.random() < 0.3 else None

        header, rows = _attendees(rng, prefix, attendees)
        if rng.random() < 0.3:
            header, rows = _shuffle_columns(rng, header, rows)
        if rng.random() < 0.2:
            header = header + ["Internal notes"]
            rows = [r + [rng.choice(["", "", "lift needed"])] for r in rows]
        if rng.random() < 0.5:
            header = [h.lower().replace(" ", rng.choice([" ", "_", "-"])) for h in header]
        _write(folder / f"{rng.choice(TAB_SPELLINGS['attendees'])}.csv",
               _with_mess(rng, header, rows, title=title))

        header, rows = _meetings(rng, mps, meetings, shared_days)
        if rng.random() < 0.3:
            header, rows = _shuffle_columns(rng, header, rows)
        _write(folder / f"{rng.choice(TAB_SPELLINGS['mp_meetings'])}.csv",
               _with_mess(rng, header, rows, title=title))

        header, rows = _pledges(rng, mps, pledges)
        _write(folder / f"{rng.choice(TAB_SPELLINGS['pledges'])}.csv",
               _with_mess(rng, header, rows, title=None))

        header, rows = _media(rng, media, shared_stories, own_start=1000 + c * media)
        _write(folder / f"{rng.choice(TAB_SPELLINGS['media'])}.csv",
               _with_mess(rng, header, rows, title=title))

        lines += ["[[charity]]", f'name = "{name}"', f'source = "{folder.name}/"', ""]
    config = out / "coalition.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def csv_files(config: Path) -> list[Path]:
    """Every CSV file of a generated coalition (for the read-only floor)."""
    return sorted(Path(config).parent.glob("c*/*.csv"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--charities", type=int, default=50)
    parser.add_argument("--attendees", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=2_000)
    parser.add_argument("--pledges", type=int, default=500)
    parser.add_argument("--media", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2022)
    a = parser.parse_args(argv)
    config = generate(Path(a.out), charities=a.charities, attendees=a.attendees,
                      meetings=a.meetings, pledges=a.pledges, media=a.media, seed=a.seed)
    print(config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
