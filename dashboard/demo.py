"""The bundled demo coalition: synthetic workbooks for the seven #ItsOurCare charities.

    python -m dashboard.demo [--out DIR] [--seed N]      (default DIR: dashboard/demo_data)

writes `coalition.toml` and one workbook `<slug>.xlsx` per charity, one tab per contract tab
(contract section 2). Everything comes from `random.Random(seed)`, so the same seed gives the
same cells, and the workbooks are packed with fixed timestamps so the bytes repeat too.

What is real and what is not:
- Young people: none. Every attendee is a made-up pseudonymous reference ("NCB-0042").
- MPs: real names and constituencies of MPs sitting in June 2022 (see MPS below), so the
  dashboard's constituency checks have real data to work on. Every meeting, pledge and
  quote attached to them here is INVENTED.
- Coverage: outlet names are real, the articles, links and reach figures are invented.

The workbooks are deliberately messy in the ways real charity sheets are (docs/demo.md lists
every planted mistake, with its sheet row; `build(seed).planted` holds the same list).
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from connectors.base import SERIAL_EPOCH
from dashboard.config import DEMO_DIR
from dashboard.contract import ACTIVITIES, AGE_BANDS, TABS, TABS_BY_KEY, Tab

DEFAULT_SEED = 2022
CAMPAIGN_NAME = "#ItsOurCare Day of Action (DEMO: synthetic data)"
START = dt.date(2022, 5, 23)
END = dt.date(2022, 7, 22)
DAY_OF_ACTION = dt.date(2022, 6, 22)
TARGETS = {"attendees_attended": 100, "mps_met": 150, "pledges": 100, "media_mentions": 25}
# Each charity's own share of the coalition's goals (the demo's [[charity]] targets).
CHARITY_TARGETS = {
    "ncb": {"mps_met": 20, "pledges": 12}, "action-for-children": {"mps_met": 25, "pledges": 15},
    "become": {"mps_met": 15, "pledges": 10}, "barnardos": {"mps_met": 30, "pledges": 20},
    "coram": {"mps_met": 15, "pledges": 10}, "childrens-society": {"mps_met": 20, "pledges": 12},
    "nspcc": {"mps_met": 30, "pledges": 20},
}
# Workbook properties and zip entries carry this time, so regenerating gives identical bytes.
FIXED_TIME = dt.datetime(2022, 7, 22, 9, 0, 0)
# Where the demo's clock stands: the Thursday two weeks after the Day of Action, inside the
# campaign, so the Weekly meeting has a last week to compare with and weeks left to pace.
DEMO_NOW = dt.datetime(2022, 7, 7, 9, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))

REGIONS = ("North East", "North West", "Yorkshire and the Humber", "East Midlands",
           "West Midlands", "East of England", "London", "South East", "South West",
           "Wales", "Scotland", "Northern Ireland")
PARTY_SHORT = {"Conservative": "Con", "Labour": "Lab", "Liberal Democrat": "LD", "SNP": "SNP",
               "Plaid Cymru": "PC", "DUP": "DUP", "Green": "Green"}
HONOURS = ("Sir ", "Dame ", "Dr ")

# Staff-style free text for meetings: bland, about the meeting, never about a young person.
FOLLOW_UPS = (
    "Send thank-you letter", "Thank-you letter sent", "Send briefing on care leavers",
    "Share pledge photo with MP's office", "Invite to visit a local service",
    "Ask office about a written question", "Chase for pledge signature",
    "Add to campaign newsletter list", "Offer a call with our policy team", "",
)
NOTES = (
    "Very engaged; asked about staying put", "Already supportive of the campaign",
    "Asked for local figures on care leavers", "Short meeting between votes",
    "Interested in the care review response", "Stayed for the photo at the pledge wall",
    "Parliamentary assistant took notes", "Keen to raise the issues in the chamber",
    "Met with our regional team", "",
)
INTERNAL_NOTES = ("Logged by policy team", "Entered from the paper sign-in sheet",
                  "Comms to confirm photo", "", "")


@dataclass(frozen=True)
class Profile:
    """One charity's workbook and its habits (how its staff write things)."""
    name: str
    slug: str
    prefix: str                         # attendee refs: "<prefix>-0042"
    attendees: int
    first_ref: int
    regions: tuple[tuple[str, int], ...]   # (region, weight)
    dates: str = "cell"                 # "cell" real date cells, "text" UK strings, "serial" numbers
    yes: str = "yes"
    no: str = "no"
    name_style: str = "plain"           # how MP names are written, see mp_name()
    party_short: bool = False           # "Con" rather than "Conservative"
    mp_role: str = ""                   # Role written for MPs ("" = blank, which means MP)
    title_case: bool = False            # "Attended", "Westminster Hall"
    ampersand: bool = False             # "Brighton, Kemptown & ..." written with '&'
    reach_text: bool = False            # Reach typed as text "1,200"
    meeting_weight: float = 1.0
    # Layout quirks (tab key -> ...). Tabs and columns otherwise follow the contract.
    sheet_titles: dict = field(default_factory=dict)
    column_order: dict = field(default_factory=dict)
    extra_columns: dict = field(default_factory=dict)
    omit_columns: dict = field(default_factory=dict)
    omit_tabs: tuple = ()
    extra_tabs: tuple = ()
    title_rows: bool = False


NATIONWIDE = tuple((r, 10) for r in REGIONS[:9]) + (("Wales", 4), ("Scotland", 2),
                                                     ("Northern Ireland", 2))

PROFILES: tuple[Profile, ...] = (
    Profile("National Children's Bureau", "ncb", "NCB", 48, 0,
            (("London", 30), ("South East", 12), ("East of England", 10), ("West Midlands", 8),
             ("North West", 8), ("Yorkshire and the Humber", 6), ("South West", 5)),
            name_style="formal", title_rows=True),
    Profile("Action for Children", "action-for-children", "AFC", 62, 100, NATIONWIDE,
            yes="Yes", no="No", meeting_weight=1.2,
            sheet_titles={"attendees": "attendees", "mp_meetings": "mp_meetings",
                          "pledges": "pledges", "media": " Media "}),
    Profile("Become", "become", "BEC", 35, 0,
            (("London", 25), ("South East", 15), ("East of England", 8), ("South West", 6),
             ("East Midlands", 5), ("North West", 5)),
            dates="text", reach_text=True, meeting_weight=0.8),
    Profile("Barnardo's", "barnardos", "BAR", 70, 1200, NATIONWIDE + (("Northern Ireland", 6),),
            dates="serial", yes="Y", no="N", name_style="formal", party_short=True,
            mp_role="MP", title_case=True, meeting_weight=1.2,
            column_order={
                "attendees": ("ref", "registered_on", "status", "region", "age_band",
                              "media_consent", "activities"),
                "mp_meetings": ("date", "name", "role", "constituency", "party", "meeting_type",
                                "pledge_signed", "young_people_present", "follow_up", "notes"),
            }),
    Profile("Coram", "coram", "COR", 31, 0,
            (("London", 30), ("East of England", 10), ("South East", 8), ("East Midlands", 4)),
            name_style="lower", ampersand=True, meeting_weight=0.7,
            omit_columns={"pledges": ("photo_taken",)}, omit_tabs=("media",)),
    Profile("The Children's Society", "childrens-society", "TCS", 55, 400,
            (("North West", 18), ("West Midlands", 15), ("Yorkshire and the Humber", 10),
             ("London", 10), ("North East", 8), ("East Midlands", 6), ("South West", 5)),
            reach_text=True, extra_columns={"mp_meetings": ("Internal notes",)}),
    Profile("NSPCC", "nspcc", "NSP", 58, 0, NATIONWIDE + (("Wales", 4),),
            yes="y", no="n", name_style="formal", mp_role="MP", meeting_weight=1.1,
            extra_tabs=("Dropdowns",)),
)


@dataclass
class Sheet:
    """One tab: title rows, a header and data rows (dicts by column key; None = blank row)."""
    title: str
    tab: Tab | None                     # None for an extra, non-contract tab
    columns: list[tuple[str, str]]      # (header text, key)
    rows: list[dict | None] = field(default_factory=list)
    above: list[list] = field(default_factory=list)    # rows above the header

    @property
    def header_row(self) -> int:
        return len(self.above) + 1

    def row_number(self, row: dict) -> int:
        """The row a person sees in the sheet (header included) for this data row."""
        for i, r in enumerate(self.rows):
            if r is row:
                return self.header_row + 1 + i
        raise ValueError("row not in sheet")

    def data_rows(self) -> list[dict]:
        return [r for r in self.rows if r is not None]

    def values(self) -> list[list]:
        out = [list(r) for r in self.above]
        out.append([h for h, _ in self.columns])
        for r in self.rows:
            out.append([None] * len(self.columns) if r is None
                       else [r.get(k) for _, k in self.columns])
        return out


@dataclass
class Planted:
    """A deliberate mistake or quirk, where a person would find it."""
    charity: str
    tab: str                 # contract tab name (or the extra tab's title)
    sheet: str               # the tab's title in the workbook
    row: int | None          # sheet row, header included; None for tab/column-level quirks
    column: str | None
    value: object
    what: str
    severity: str            # error | warning | note | none (read without an issue)


@dataclass
class Demo:
    profiles: tuple[Profile, ...]
    sheets: dict[str, list[Sheet]]      # slug -> sheets in workbook order
    planted: list[Planted]
    truth: dict                         # what was generated, by identity (for tests and docs)

    def sheet(self, slug: str, tab_key: str) -> Sheet:
        for s in self.sheets[slug]:
            if s.tab is not None and s.tab.key == tab_key:
                return s
        raise KeyError((slug, tab_key))


# ---------------------------------------------------------------------------- cell writing

def write_date(p: Profile, rng: random.Random, day: dt.date | None):
    if day is None:
        return None
    if p.dates == "serial":
        return (day - SERIAL_EPOCH.date()).days
    if p.dates == "text":
        forms = (f"{day:%d/%m/%Y}", f"{day.day} {day:%B %Y}", f"{day.day}/{day.month}/{day:%y}",
                 f"{day:%d/%m/%Y}")
        return rng.choice(forms)
    return day


def write_yesno(p: Profile, value: bool | None):
    return None if value is None else (p.yes if value else p.no)


def write_choice(p: Profile, value: str | None):
    """'westminster hall' -> 'Westminster Hall', 'no-show' -> 'No-show' for title-case writers."""
    if not value:
        return None
    return " ".join(w.capitalize() for w in value.split(" ")) if p.title_case else value


def write_party(p: Profile, party: str) -> str:
    return PARTY_SHORT.get(party, party) if p.party_short else party


def write_constituency(p: Profile, name: str) -> str:
    return name.replace(" and ", " & ") if p.ampersand else name


def write_reach(p: Profile, reach: int | None):
    if reach is None:
        return None
    return f"{reach:,}" if p.reach_text else reach


def bare_name(name: str) -> str:
    for h in HONOURS:
        if name.startswith(h):
            return name[len(h):]
    return name


def mp_name(name: str, style: str) -> str:
    """An MP's name as a member of staff might type it; all forms share one person key."""
    if style == "formal":
        return f"{name} MP"
    if style == "rt hon":
        return f"Rt Hon {name} MP"
    if style == "lower":
        return bare_name(name).lower()
    if style == "spaced":
        return bare_name(name).replace(" ", "  ", 1)
    return name


def weekday_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    days = [first + dt.timedelta(d) for d in range((last - first).days + 1)]
    return rng.choice([d for d in days if d.weekday() < 5])


# ---------------------------------------------------------------------------- attendees

def make_attendees(rng: random.Random, p: Profile) -> list[dict]:
    rows, number = [], p.first_ref
    regions, weights = zip(*p.regions)
    for _ in range(p.attendees):
        number += rng.choice((1, 1, 1, 1, 2, 3))      # gaps: rows deleted over time
        status = rng.choices(("registered", "attended", "cancelled", "no-show"),
                             weights=(5, 80, 8, 7))[0]
        consent = rng.random() < 0.7
        acts = []
        if status == "attended":
            acts = [a for a, chance in zip(ACTIVITIES, (0.85, 0.75, 0.45, 0.06, 0.12))
                    if rng.random() < chance and (a != "media" or consent)]
            acts = acts or ["rally"]
        age = rng.choices(AGE_BANDS + (None,), weights=(25, 45, 20, 7, 3))[0]
        region = rng.choices(regions, weights)[0] if rng.random() > 0.04 else None
        registered = START + dt.timedelta(days=rng.randrange(0, 29))    # by 20 June
        rows.append({
            "ref": f"{p.prefix}-{number:04d}",
            "status": write_choice(p, status),
            "age_band": age,
            "region": region,
            "activities": ", ".join(acts) or None,
            "media_consent": write_yesno(p, consent),
            "registered_on": write_date(p, rng, registered),
        })
    return rows


# ---------------------------------------------------------------------------- meetings, pledges

@dataclass
class Meeting:
    """One meeting as it happened (before a charity writes it down)."""
    who: tuple[str, str, str] | None     # (constituency, name, party) for MPs and ministers
    name: str                            # for non-MPs: as written
    date: dt.date
    role: str                            # MP, Minister, Peer, Official, Other
    meeting_type: str
    pledge: bool | None
    charities: list[str]                 # slugs; more than one = a joint meeting


MINISTERS = (   # ministers on 22 June 2022, as MPs (public record)
    ("Colchester", "Will Quince", "Conservative"),     # Under-Secretary, Children and Families
    ("Worcester", "Robin Walker", "Conservative"),     # Minister of State, School Standards
)
N_MET = 118             # distinct MPs met (before ministers)
N_JOINT = 12            # MP meetings logged by two or three charities
N_PLEDGE_ONLY = 14      # MPs who signed the pledge without a logged meeting


def plan_meetings(rng: random.Random) -> tuple[list[Meeting], list[dict]]:
    """The coalition's meetings and pledges, with who logged what."""
    slugs = [p.slug for p in PROFILES]
    weights = [p.meeting_weight for p in PROFILES]
    pool = list(MPS)
    rng.shuffle(pool)
    met, pledge_only = pool[:N_MET], pool[N_MET:N_MET + N_PLEDGE_ONLY]

    meetings: list[Meeting] = []
    for mp in met:
        when = rng.random()
        if when < 0.72:
            date, kind = DAY_OF_ACTION, ("westminster hall" if rng.random() < 0.85 else "one-to-one")
        elif when < 0.86:
            date, kind = weekday_between(rng, dt.date(2022, 5, 25), dt.date(2022, 6, 17)), \
                rng.choice(("one-to-one", "one-to-one", "other"))
        else:
            date, kind = weekday_between(rng, dt.date(2022, 6, 27), dt.date(2022, 7, 21)), "one-to-one"
        meetings.append(Meeting(mp, mp[1], date, "MP", kind, None,
                                [rng.choices(slugs, weights)[0]]))

    # Joint meetings on the day: the same MP logged by two or three charities.
    on_the_day = [m for m in meetings if m.date == DAY_OF_ACTION and m.meeting_type == "westminster hall"]
    for m in rng.sample(on_the_day, N_JOINT):
        others = [s for s in slugs if s not in m.charities]
        m.charities += rng.sample(others, rng.choice((1, 1, 2)))

    # Some MPs met again later by another charity (two meetings, one MP).
    for m in rng.sample([m for m in meetings if len(m.charities) == 1], 4):
        other = rng.choice([s for s in slugs if s != m.charities[0]])
        meetings.append(Meeting(m.who, m.name, weekday_between(rng, dt.date(2022, 6, 27), dt.date(2022, 7, 15)),
                                "MP", "one-to-one", None, [other]))

    # The roundtable and the other decision-makers.
    q, w = MINISTERS
    meetings += [
        Meeting(q, q[1], DAY_OF_ACTION, "Minister", "roundtable", None, ["ncb", "become", "childrens-society"]),
        Meeting(w, w[1], DAY_OF_ACTION, "Minister", "roundtable", None, ["ncb", "nspcc"]),
        Meeting(None, "Children's Commissioner", DAY_OF_ACTION, "Other", "roundtable", None,
                ["ncb", "barnardos", "become"]),
        Meeting(None, "DfE children's social care officials", DAY_OF_ACTION, "Official", "roundtable",
                None, ["ncb"]),
        Meeting(None, "Baroness Thornfield", DAY_OF_ACTION, "Peer", "westminster hall", None,
                ["action-for-children"]),
        Meeting(None, "Department for Education officials", dt.date(2022, 7, 12), "Official",
                "one-to-one", None, ["action-for-children"]),
    ]

    # Pledges: about half of the MPs met, recorded in different ways, plus some never met.
    pledges: list[dict] = []
    first_meeting = {}
    for m in meetings:
        if m.role == "MP":
            first_meeting.setdefault(m.who, m)
    for mp in met:
        m = first_meeting[mp]
        if rng.random() >= 0.55:
            m.pledge = False if rng.random() < 0.6 else None
            continue
        how = rng.choice(("meeting", "meeting", "both", "both", "both", "constituency", "name"))
        m.pledge = True if how in ("meeting", "both") else None
        if how != "meeting":
            pledges.append({"mp": mp, "slug": m.charities[0], "date": m.date, "form": how})
    for mp in pledge_only:
        form = rng.choices(("both", "constituency", "name"), weights=(60, 25, 15))[0]
        pledges.append({"mp": mp, "slug": rng.choices(slugs, weights)[0],
                        "date": DAY_OF_ACTION, "form": form})
    return meetings, pledges


def meeting_rows(rng: random.Random, p: Profile, meetings: list[Meeting]) -> list[dict]:
    mine = [m for m in meetings if p.slug in m.charities]
    mine.sort(key=lambda m: m.date)
    rows = []
    for m in mine:
        lead = m.charities[0] == p.slug
        if m.who is not None:
            constituency, name, party = m.who
            # Another charity at the same meeting writes the name differently from the lead.
            lead_style = next(q.name_style for q in PROFILES if q.slug == m.charities[0])
            style = p.name_style if lead else rng.choice(
                [s for s in ("rt hon", "lower", "plain", "spaced") if s != lead_style])
            name = mp_name(name, style)
            # A joint meeting's constituency is on the lead charity's row only.
            show_seat = lead and rng.random() < 0.92
            constituency = write_constituency(p, constituency) if show_seat else None
            party = write_party(p, party) if (show_seat and rng.random() < 0.85) else None
        else:
            name, constituency, party = m.name, None, None
            if m.name == "Children's Commissioner" and not lead:
                name = {"barnardos": "The Children's Commissioner"}.get(p.slug, "children's commissioner")
        role = p.mp_role if m.role == "MP" else m.role
        if m.meeting_type == "roundtable":
            young = rng.randint(2, 5)
        elif m.meeting_type == "westminster hall":
            young = rng.randint(2, 9)
        else:
            young = rng.randint(1, 4)
        notes = rng.choice(NOTES)
        if len(m.charities) > 1:
            others = [q.name for q in PROFILES if q.slug in m.charities and q.slug != p.slug]
            notes = "Joint meeting with " + " and ".join(others)
        row = {
            "name": name,
            "date": write_date(p, rng, m.date),
            "role": role or None,
            "constituency": constituency,
            "party": party,
            "meeting_type": write_choice(p, m.meeting_type),
            "young_people_present": young if rng.random() > 0.05 else None,
            "pledge_signed": write_yesno(p, m.pledge),
            "follow_up": rng.choice(FOLLOW_UPS) or None,
            "notes": notes or None,
        }
        for extra in p.extra_columns.get("mp_meetings", ()):
            row[extra] = rng.choice(INTERNAL_NOTES) or None
        rows.append(row)
    return rows


def pledge_rows(rng: random.Random, p: Profile, pledges: list[dict]) -> list[dict]:
    rows = []
    for pl in sorted((x for x in pledges if x["slug"] == p.slug), key=lambda x: x["date"]):
        constituency, name, party = pl["mp"]
        rows.append({
            "mp_name": None if pl["form"] == "constituency" else mp_name(name, "plain"),
            "constituency": None if pl["form"] == "name" else write_constituency(p, constituency),
            "date": write_date(p, rng, pl["date"]) if rng.random() > 0.1 else None,
            "party": write_party(p, party) if rng.random() < 0.7 else None,
            "photo_taken": write_yesno(p, rng.random() < 0.6),
        })
    return rows


# ---------------------------------------------------------------------------- media

# Shared and regional coverage: (outlet, url, date, headline, type, reach, logged by).
# The outlets are real; these articles, links and reach figures are invented.
PRESS = (
    ("BBC Newsround", "https://www.bbc.co.uk/newsround/61894512", DAY_OF_ACTION,
     "Young people in care take their message to Parliament", "online", 450000, ("ncb", "become")),
    ("Children & Young People Now",
     "https://www.cypnow.co.uk/news/article/care-experienced-young-people-urge-mps-to-back-pledge",
     DAY_OF_ACTION, "Care-experienced young people urge MPs to back pledge", "online", 38000,
     ("ncb", "barnardos", "childrens-society")),
    ("Community Care", "https://www.communitycare.co.uk/2022/06/23/young-people-in-care-lobby-parliament/",
     dt.date(2022, 6, 23), "Young people in care lobby Parliament on day of action", "online", 60000,
     ("action-for-children", "nspcc")),
    ("BBC Radio Manchester", None, DAY_OF_ACTION, "Breakfast show interview about the day of action",
     "broadcast", 120000, ("action-for-children", "childrens-society")),
    ("ITV News Central", "https://www.itv.com/news/central/2022-06-22/young-people-in-care-head-to-westminster",
     DAY_OF_ACTION, "Young people in care head to Westminster", "broadcast", 300000, ("barnardos",)),
    ("Manchester Evening News",
     "https://www.manchestereveningnews.co.uk/news/greater-manchester-news/care-leavers-take-campaign-parliament-24301122",
     dt.date(2022, 6, 23), "Care leavers take their campaign to Parliament", "print", 85000,
     ("childrens-society",)),
    ("Yorkshire Post", "https://www.yorkshirepost.co.uk/news/people/care-experienced-campaigners-meet-mps-3741852",
     dt.date(2022, 6, 24), "Care-experienced campaigners meet MPs", "print", 40000, ("nspcc",)),
    ("WalesOnline", "https://www.walesonline.co.uk/news/wales-news/young-people-care-westminster-24298310",
     DAY_OF_ACTION, "Welsh young people join care day of action", "online", 25000, ("barnardos",)),
    ("Third Sector", "https://www.thirdsector.co.uk/charities-join-forces-care-day-action/article/1790133",
     dt.date(2022, 6, 21), "Charities join forces for care day of action", "online", 15000, ("ncb",)),
    ("BBC Newsround", "https://www.bbc.co.uk/newsround/61901877", dt.date(2022, 6, 28),
     "What is it like growing up in care? Your questions answered", "online", 250000, ("nspcc",)),
    ("Birmingham Mail", "https://www.birminghammail.co.uk/news/midlands-news/young-people-care-parliament-24299001",
     DAY_OF_ACTION, "Midlands young people in care speak to MPs", "online", 30000, ("childrens-society",)),
    ("BBC Radio London", None, dt.date(2022, 6, 21), "Preview of the day of action", "broadcast", 90000,
     ("become",)),
    ("Hampshire Chronicle", "https://www.hampshirechronicle.co.uk/news/20091734.young-people-care-parliament/",
     dt.date(2022, 6, 27), "Local young people in care visit Parliament", "print", 12000,
     ("action-for-children",)),
)
# How a second or third charity wrote the same link (the media key is the same).
URL_VARIANTS = {
    ("https://www.bbc.co.uk/newsround/61894512", 1):
        "http://bbc.co.uk/newsround/61894512/?utm_source=twitter&utm_medium=social",
    ("https://www.cypnow.co.uk/news/article/care-experienced-young-people-urge-mps-to-back-pledge", 1):
        "https://cypnow.co.uk/news/article/care-experienced-young-people-urge-mps-to-back-pledge/",
    ("https://www.cypnow.co.uk/news/article/care-experienced-young-people-urge-mps-to-back-pledge", 2):
        "http://www.cypnow.co.uk/news/article/care-experienced-young-people-urge-mps-to-back-pledge?utm_campaign=itsourcare",
    ("https://www.communitycare.co.uk/2022/06/23/young-people-in-care-lobby-parliament/", 1):
        "https://communitycare.co.uk/2022/06/23/young-people-in-care-lobby-parliament",
}
SOCIAL = {   # the charity's own channels: (platform, url prefix)
    "ncb": (("Twitter", "https://twitter.com/ncbtweets/status/"),
            ("LinkedIn", "https://www.linkedin.com/feed/update/urn:li:activity:")),
    "action-for-children": (("Twitter", "https://twitter.com/actnforchildren/status/"),
                            ("Instagram", "https://www.instagram.com/p/")),
    "become": (("Twitter", "https://twitter.com/BecomeCharity/status/"),
               ("Instagram", "https://www.instagram.com/p/")),
    "barnardos": (("Twitter", "https://twitter.com/barnardos/status/"),
                  ("Facebook", "https://www.facebook.com/barnardos/posts/")),
    "childrens-society": (("Twitter", "https://twitter.com/childrensociety/status/"),
                          ("LinkedIn", "https://www.linkedin.com/feed/update/urn:li:activity:")),
    "nspcc": (("Twitter", "https://twitter.com/NSPCC/status/"),
              ("Instagram", "https://www.instagram.com/p/")),
}
SOCIAL_POSTS = (   # (headline, days after the Day of Action)
    ("Tomorrow our young campaigners head to Parliament #ItsOurCare", -1),
    ("Our young campaigners are in Parliament today #ItsOurCare", 0),
    ("Thank you to every MP who signed the pledge #ItsOurCare", 0),
    ("Photos from the #ItsOurCare Day of Action", 1),
    ("One week on from the Day of Action: what happens next", 7),
)
INSTAGRAM_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz0123456789_-"


def media_rows(rng: random.Random, p: Profile) -> list[dict]:
    items = []
    for outlet, url, date, headline, kind, reach, slugs in PRESS:
        if p.slug in slugs:
            nth = slugs.index(p.slug)
            items.append((date, outlet, URL_VARIANTS.get((url, nth), url), headline, kind,
                          reach if nth == 0 or rng.random() < 0.5 else None))
    for headline, days in SOCIAL_POSTS[:rng.randint(3, 5)]:
        platform, prefix = rng.choice(SOCIAL[p.slug])
        if platform == "Instagram":
            post = "".join(rng.choice(INSTAGRAM_CHARS) for _ in range(11)) + "/"
        else:
            post = str(rng.randrange(10**18, 10**19)) + ("" if platform == "Twitter" else "/")
        items.append((DAY_OF_ACTION + dt.timedelta(days=days), platform, prefix + post,
                      headline, "social", rng.randrange(8, 250) * 100))
    items.sort(key=lambda x: x[0])
    return [{"outlet": outlet, "url": url, "date": write_date(p, rng, date), "headline": headline,
             "type": kind, "reach": write_reach(p, reach)}
            for date, outlet, url, headline, kind, reach in items]


# ---------------------------------------------------------------------------- assembling

def make_sheet(p: Profile, tab: Tab, rows: list[dict]) -> Sheet:
    keys = list(p.column_order.get(tab.key, [c.key for c in tab.columns]))
    keys = [k for k in keys if k not in p.omit_columns.get(tab.key, ())]
    columns = [(tab.column(k).name, k) for k in keys]
    columns += [(extra, extra) for extra in p.extra_columns.get(tab.key, ())]
    above = []
    if p.title_rows:
        above = [[f"{p.name}: #ItsOurCare Day of Action tracker ({tab.name})"], []]
    return Sheet(p.sheet_titles.get(tab.key, tab.name), tab, columns, rows, above)


def dropdowns_sheet() -> Sheet:
    """The helper tab a Google Sheet keeps its drop-down lists in (not a contract tab)."""
    lists = {"Status": ("registered", "attended", "cancelled", "no-show"),
             "Age band": AGE_BANDS, "Activities": ACTIVITIES, "Yes/no": ("y", "n")}
    columns = [(h, h) for h in lists]
    rows = [{h: (v[i] if i < len(v) else None) for h, v in lists.items()}
            for i in range(max(len(v) for v in lists.values()))]
    return Sheet("Dropdowns", None, columns, rows)


def plant(demo: Demo, slug: str, tab_key: str, index: int, key: str, value, what: str,
          severity: str) -> None:
    """Overwrite one cell of the index-th data row and record it."""
    sheet = demo.sheet(slug, tab_key)
    row = sheet.data_rows()[index]
    row[key] = value
    demo.planted.append(Planted(_name(slug), sheet.tab.name, sheet.title, sheet.row_number(row),
                                sheet.tab.column(key).name, value, what, severity))


def _name(slug: str) -> str:
    return next(p.name for p in PROFILES if p.slug == slug)


def plant_mistakes(demo: Demo) -> None:
    """The deliberate mistakes (docs/demo.md lists them; tests check they are there)."""
    # Layout quirks, read without complaint or with a note.
    for p in PROFILES:
        for s in demo.sheets[p.slug]:
            if s.tab is None:
                demo.planted.append(Planted(p.name, s.title, s.title, None, None, None,
                                            "extra tab (drop-down lists)", "note"))
                continue
            if s.above:
                demo.planted.append(Planted(p.name, s.tab.name, s.title, 1, None, s.above[0][0],
                                            f"title row above the header (header on row {s.header_row})",
                                            "none"))
            if s.title != s.tab.name:
                demo.planted.append(Planted(p.name, s.tab.name, s.title, None, None, None,
                                            f"tab named {s.title!r}", "none"))
            if s.tab.key in p.column_order:
                demo.planted.append(Planted(p.name, s.tab.name, s.title, s.header_row, None, None,
                                            "columns in a different order", "none"))
            for extra in p.extra_columns.get(s.tab.key, ()):
                demo.planted.append(Planted(p.name, s.tab.name, s.title, s.header_row, extra, None,
                                            f"extra column {extra!r}", "note"))
            for key in p.omit_columns.get(s.tab.key, ()):
                demo.planted.append(Planted(p.name, s.tab.name, s.title, s.header_row,
                                            s.tab.column(key).name, None,
                                            "optional column left out", "none"))
        for key in p.omit_tabs:
            demo.planted.append(Planted(p.name, TABS_BY_KEY[key].name, "", None, None, None,
                                        "no such tab (optional tab missing)", "note"))

    # A meeting logged twice by copy and paste: an exact duplicate row.
    sheet = demo.sheet("coram", "mp_meetings")
    original = sheet.data_rows()[4]
    copy = dict(original)
    sheet.rows.insert(sheet.rows.index(original) + 1, copy)
    demo.planted.append(Planted("Coram", sheet.tab.name, sheet.title, sheet.row_number(copy), None,
                                None, f"exact copy of row {sheet.row_number(original)}", "warning"))

    # A follow-up meeting after the campaign window (serial date 44776 = 3 August 2022).
    sheet = demo.sheet("barnardos", "mp_meetings")
    base = next(r for r in sheet.data_rows() if r["constituency"] and r["meeting_type"] == "Westminster Hall")
    late = dict(base, date=(dt.date(2022, 8, 3) - SERIAL_EPOCH.date()).days, meeting_type="One-to-one",
                young_people_present=2, pledge_signed=None, follow_up="Send thank-you letter",
                notes="Follow-up meeting in the constituency office")
    sheet.rows.append(late)
    demo.planted.append(Planted("Barnardo's", sheet.tab.name, sheet.title, sheet.row_number(late),
                                "Date", late["date"], "meeting dated 3 August 2022, after the campaign "
                                "window (still counted)", "warning"))

    # Fully blank rows in the middle of a tab (skipped silently).
    sheet = demo.sheet("nspcc", "attendees")
    for index in (40, 20):
        sheet.rows.insert(index, None)
    for i, r in enumerate(sheet.rows):
        if r is None:
            demo.planted.append(Planted("NSPCC", sheet.tab.name, sheet.title, sheet.header_row + 1 + i,
                                        None, None, "fully blank row", "none"))

    # Cell-level mistakes.
    plant(demo, "nspcc", "attendees", 11, "status", None, "Status left blank", "error")
    plant(demo, "become", "attendees", 7, "registered_on", "31/02/2022",
          "impossible date 31/02/2022", "warning")
    plant(demo, "childrens-society", "mp_meetings", 5, "young_people_present", "#REF!",
          "spreadsheet error value #REF!", "warning")
    plant(demo, "nspcc", "mp_meetings", 3, "pledge_signed", "maybe",
          "yes/no cell says 'maybe' (treated as no)", "warning")
    social = [i for i, r in enumerate(demo.sheet("action-for-children", "media").data_rows())
              if r["type"] == "social"]
    plant(demo, "action-for-children", "media", social[1], "url", "javascript:alert(1)",
          "not an http(s) link (treated as blank; the Outlet keeps the row)", "warning")


def build(seed: int = DEFAULT_SEED) -> Demo:
    """The whole demo in memory: every workbook's sheets, the planted mistakes and the truth."""
    rng = random.Random(seed)
    attendees = {p.slug: make_attendees(rng, p) for p in PROFILES}
    meetings, pledges = plan_meetings(rng)
    sheets: dict[str, list[Sheet]] = {}
    for p in PROFILES:
        rows = {
            "attendees": attendees[p.slug],
            "mp_meetings": meeting_rows(rng, p, meetings),
            "pledges": pledge_rows(rng, p, pledges),
            "media": [] if "media" in p.omit_tabs else media_rows(rng, p),
        }
        sheets[p.slug] = [make_sheet(p, tab, rows[tab.key]) for tab in TABS
                          if tab.key not in p.omit_tabs]
        if "Dropdowns" in p.extra_tabs:
            sheets[p.slug].append(dropdowns_sheet())

    pledged = {m.who for m in meetings if m.pledge and m.role == "MP"} | {pl["mp"] for pl in pledges}
    truth = {
        "young_people": sum(p.attendees for p in PROFILES),
        "meeting_rows": sum(len(m.charities) for m in meetings),
        "meetings": len(meetings),
        "joint_meetings": sum(1 for m in meetings if len(m.charities) > 1),
        "mps_met": len({m.who for m in meetings if m.role in ("MP", "Minister")}),
        "pledges": len(pledged),
        "pledges_via_meeting_only": len({m.who for m in meetings if m.pledge}
                                        - {pl["mp"] for pl in pledges}),
        "pledges_by_constituency_only": sum(1 for pl in pledges if pl["form"] == "constituency"),
    }
    demo = Demo(PROFILES, sheets, [], truth)
    plant_mistakes(demo)
    truth["meeting_rows"] += 1          # the late Barnardo's follow-up (the Coram copy is a duplicate)
    truth["meetings"] += 1
    truth["media_rows"] = sum(len(demo.sheet(p.slug, "media").data_rows())
                              for p in PROFILES if "media" not in p.omit_tabs)
    truth["attended"] = sum(1 for p in PROFILES for r in demo.sheet(p.slug, "attendees").data_rows()
                            if str(r["status"]).lower() == "attended")
    return demo


# ---------------------------------------------------------------------------- writing files

def config_text(seed: int) -> str:
    lines = [
        "# SYNTHETIC DEMO DATA: generated by `python -m dashboard.demo` "
        f"(seed {seed}); do not edit by hand.",
        "# No real young people: every attendee is an invented pseudonymous reference.",
        "# MP names and constituencies are real (June 2022), but every meeting, pledge and",
        "# piece of coverage in these workbooks is invented. Never quote these figures.",
        "",
        "[campaign]",
        f'name = "{CAMPAIGN_NAME}"',
        f"start = {START.isoformat()}",
        f"end = {END.isoformat()}",
        "demo = true",
        "",
        "[targets]",
        *(f"{k} = {v}" for k, v in TARGETS.items()),
        "",
        "[demo]                      # the demo's clock (DASHBOARD_NOW overrides it)",
        f"now = {DEMO_NOW.isoformat()}",
    ]
    for p in PROFILES:
        lines += ["", "[[charity]]", f'name = "{p.name}"', f'source = "{p.slug}.xlsx"']
        if p.slug in CHARITY_TARGETS:
            lines.append("targets = { " + ", ".join(f"{k} = {v}" for k, v in
                                                    CHARITY_TARGETS[p.slug].items()) + " }")
    return "\n".join(lines) + "\n"


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for s in sheets:
        ws = wb.create_sheet(s.title)
        for values in s.values():
            ws.append(values)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, (dt.date, dt.datetime)):
                    cell.number_format = "dd/mm/yyyy"
        ws.freeze_panes = ws.cell(row=s.header_row + 1, column=1)
    wb.properties.creator = "dashboard.demo"
    wb.properties.title = "Synthetic demo data"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()       # not save_workbook(): that stamps "modified" now
    # Re-pack with a fixed timestamp on every entry, so the same cells give the same bytes.
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def generate(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write coalition.toml and the seven workbooks into out_dir; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    demo = build(seed)
    config = out_dir / "coalition.toml"
    config.write_text(config_text(seed), encoding="utf-8")
    paths = [config]
    for p in PROFILES:
        path = out_dir / f"{p.slug}.xlsx"
        path.write_bytes(workbook_bytes(demo.sheets[p.slug]))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.demo",
                                     description="Write the synthetic demo coalition.")
    parser.add_argument("--out", metavar="DIR", default=str(DEMO_DIR),
                        help=f"folder to write into (default: {DEMO_DIR})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in generate(Path(args.out), args.seed):
        print(path)
    return 0


# MPs sitting for these Westminster constituencies (2010 boundaries) on 22 June 2022:
# (constituency, MP, party). Public facts about office-holders, taken from the Open Innovations
# list of members of the 2019 Parliament (August 2022, from the UK Parliament Members API),
# with the ONS 2010-boundary constituency names; every third seat, alphabetically, after
# leaving out seats whose MP no longer sat for the party elected in 2019 (by-election gains such
# as Wakefield and Tiverton and Honiton, both vacant on 22 June 2022, and MPs sitting as
# independents), Cabinet ministers and party leaders of June 2022 (a demo should not show them
# signing an invented pledge) and the two ministers in MINISTERS. Mr/Mrs/Ms/Miss are dropped.
MPS: tuple[tuple[str, str, str], ...] = (
    ('Aberavon', 'Stephen Kinnock', 'Labour'),
    ('Aberdeen South', 'Stephen Flynn', 'SNP'),
    ('Aldridge-Brownhills', 'Wendy Morton', 'Conservative'),
    ('Amber Valley', 'Nigel Mills', 'Conservative'),
    ('Argyll and Bute', "Brendan O'Hara", 'SNP'),
    ('Ashford', 'Damian Green', 'Conservative'),
    ('Banbury', 'Victoria Prentis', 'Conservative'),
    ('Barnsley Central', 'Dan Jarvis', 'Labour'),
    ('Basildon and Billericay', 'John Baron', 'Conservative'),
    ('Bath', 'Wera Hobhouse', 'Liberal Democrat'),
    ('Beaconsfield', 'Joy Morrissey', 'Conservative'),
    ('Belfast East', 'Gavin Robinson', 'DUP'),
    ('Bethnal Green and Bow', 'Rushanara Ali', 'Labour'),
    ('Bexleyheath and Crayford', 'Sir David Evennett', 'Conservative'),
    ('Birmingham, Erdington', 'Paulette Hamilton', 'Labour'),
    ('Birmingham, Ladywood', 'Shabana Mahmood', 'Labour'),
    ('Birmingham, Selly Oak', 'Steve McCabe', 'Labour'),
    ('Blackburn', 'Kate Hollern', 'Labour'),
    ('Blackpool South', 'Scott Benton', 'Conservative'),
    ('Blyth Valley', 'Ian Levy', 'Conservative'),
    ('Bolton North East', 'Mark Logan', 'Conservative'),
    ('Bootle', 'Peter Dowd', 'Labour'),
    ('Bournemouth West', 'Conor Burns', 'Conservative'),
    ('Bradford South', 'Judith Cummins', 'Labour'),
    ('Brecon and Radnorshire', 'Fay Jones', 'Conservative'),
    ('Brentford and Isleworth', 'Ruth Cadbury', 'Labour'),
    ('Bridgwater and West Somerset', 'Ian Liddell-Grainger', 'Conservative'),
    ('Brighton, Pavilion', 'Caroline Lucas', 'Green'),
    ('Bristol South', 'Karin Smyth', 'Labour'),
    ('Bromley and Chislehurst', 'Sir Robert Neill', 'Conservative'),
    ('Buckingham', 'Greg Smith', 'Conservative'),
    ('Bury North', 'James Daly', 'Conservative'),
    ('Caithness, Sutherland and Easter Ross', 'Jamie Stone', 'Liberal Democrat'),
    ('Cambridge', 'Daniel Zeichner', 'Labour'),
    ('Cardiff Central', 'Jo Stevens', 'Labour'),
    ('Cardiff West', 'Kevin Brennan', 'Labour'),
    ('Castle Point', 'Rebecca Harris', 'Conservative'),
    ('Central Suffolk and North Ipswich', 'Dr Dan Poulter', 'Conservative'),
    ('Chatham and Aylesford', 'Tracey Crouch', 'Conservative'),
    ('Chelsea and Fulham', 'Greg Hands', 'Conservative'),
    ('Chichester', 'Gillian Keegan', 'Conservative'),
    ('Chipping Barnet', 'Theresa Villiers', 'Conservative'),
    ('City of Chester', 'Christian Matheson', 'Labour'),
    ('Cleethorpes', 'Martin Vickers', 'Conservative'),
    ('Coatbridge, Chryston and Bellshill', 'Steven Bonnar', 'SNP'),
    ('Copeland', 'Trudy Harrison', 'Conservative'),
    ('Coventry North West', 'Taiwo Owatemi', 'Labour'),
    ('Crewe and Nantwich', 'Dr Kieran Mullan', 'Conservative'),
    ('Croydon South', 'Chris Philp', 'Conservative'),
    ('Dagenham and Rainham', 'Jon Cruddas', 'Labour'),
    ('Denton and Reddish', 'Andrew Gwynne', 'Labour'),
    ('Derbyshire Dales', 'Sarah Dines', 'Conservative'),
    ('Don Valley', 'Nick Fletcher', 'Conservative'),
    ('Dover', 'Natalie Elphicke', 'Conservative'),
    ('Dulwich and West Norwood', 'Helen Hayes', 'Labour'),
    ('Dundee West', 'Chris Law', 'SNP'),
    ('Ealing Central and Acton', 'Dr Rupa Huq', 'Labour'),
    ('Easington', 'Grahame Morris', 'Labour'),
    ('East Dunbartonshire', 'Amy Callaghan', 'SNP'),
    ('East Kilbride, Strathaven and Lesmahagow', 'Dr Lisa Cameron', 'SNP'),
    ('East Surrey', 'Claire Coutinho', 'Conservative'),
    ('Eastbourne', 'Caroline Ansell', 'Conservative'),
    ('Edinburgh East', 'Tommy Sheppard', 'SNP'),
    ('Edinburgh South West', 'Joanna Cherry', 'SNP'),
    ('Ellesmere Port and Neston', 'Justin Madders', 'Labour'),
    ('Enfield North', 'Feryal Clark', 'Labour'),
    ('Epsom and Ewell', 'Chris Grayling', 'Conservative'),
    ('Exeter', 'Ben Bradshaw', 'Labour'),
    ('Feltham and Heston', 'Seema Malhotra', 'Labour'),
    ('Folkestone and Hythe', 'Damian Collins', 'Conservative'),
    ('Fylde', 'Mark Menzies', 'Conservative'),
    ('Gateshead', 'Ian Mearns', 'Labour'),
    ('Glasgow Central', 'Alison Thewliss', 'SNP'),
    ('Glasgow North West', 'Carol Monaghan', 'SNP'),
    ('Glenrothes', 'Peter Grant', 'SNP'),
    ('Gosport', 'Dame Caroline Dinenage', 'Conservative'),
    ('Gravesham', 'Adam Holloway', 'Conservative'),
    ('Guildford', 'Angela Richardson', 'Conservative'),
    ('Halesowen and Rowley Regis', 'James Morris', 'Conservative'),
    ('Halton', 'Derek Twigg', 'Labour'),
    ('Harborough', "Neil O'Brien", 'Conservative'),
    ('Harrow East', 'Bob Blackman', 'Conservative'),
    ('Hastings and Rye', 'Sally-Ann Hart', 'Conservative'),
    ('Hazel Grove', 'William Wragg', 'Conservative'),
    ('Hendon', 'Dr Matthew Offord', 'Conservative'),
    ('Hertford and Stortford', 'Julie Marson', 'Conservative'),
    ('High Peak', 'Robert Largan', 'Conservative'),
    ('Hornsey and Wood Green', 'Catherine West', 'Labour'),
    ('Hove', 'Peter Kyle', 'Labour'),
    ('Hyndburn', 'Sara Britcliffe', 'Conservative'),
    ('Inverclyde', 'Ronnie Cowan', 'SNP'),
    ('Isle of Wight', 'Bob Seely', 'Conservative'),
    ('Jarrow', 'Kate Osborne', 'Labour'),
    ('Kensington', 'Felicity Buchan', 'Conservative'),
    ('Kingston upon Hull East', 'Karl Turner', 'Labour'),
    ('Kingswood', 'Chris Skidmore', 'Conservative'),
    ('Lancaster and Fleetwood', 'Cat Smith', 'Labour'),
    ('Leeds North East', 'Fabian Hamilton', 'Labour'),
    ('Leicester South', 'Jonathan Ashworth', 'Labour'),
    ('Lewes', 'Maria Caulfield', 'Conservative'),
    ('Lewisham, Deptford', 'Vicky Foxcroft', 'Labour'),
    ('Lincoln', 'Karl McCartney', 'Conservative'),
    ('Liverpool, Walton', 'Dan Carden', 'Labour'),
    ('Livingston', 'Hannah Bardell', 'SNP'),
    ('Louth and Horncastle', 'Victoria Atkins', 'Conservative'),
    ('Luton South', 'Rachel Hopkins', 'Labour'),
    ('Maidstone and The Weald', 'Helen Grant', 'Conservative'),
    ('Manchester Central', 'Lucy Powell', 'Labour'),
    ('Mansfield', 'Ben Bradley', 'Conservative'),
    ('Merthyr Tydfil and Rhymney', 'Gerald Jones', 'Labour'),
    ('Mid Norfolk', 'George Freeman', 'Conservative'),
    ('Middlesbrough', 'Andy McDonald', 'Labour'),
    ('Milton Keynes South', 'Iain Stewart', 'Conservative'),
    ('Monmouth', 'David T C Davies', 'Conservative'),
    ('Morecambe and Lunesdale', 'David Morris', 'Conservative'),
    ('Na h-Eileanan an Iar', 'Angus Brendan MacNeil', 'SNP'),
    ('New Forest West', 'Sir Desmond Swayne', 'Conservative'),
    ('Newcastle upon Tyne Central', 'Chi Onwurah', 'Labour'),
    ('Newcastle-under-Lyme', 'Aaron Bell', 'Conservative'),
    ('Newton Abbot', 'Anne Marie Morris', 'Conservative'),
    ('North Ayrshire and Arran', 'Patricia Gibson', 'SNP'),
    ('North Dorset', 'Simon Hoare', 'Conservative'),
    ('North East Bedfordshire', 'Richard Fuller', 'Conservative'),
    ('North East Hampshire', 'Ranil Jayawardena', 'Conservative'),
    ('North Norfolk', 'Duncan Baker', 'Conservative'),
    ('North Thanet', 'Sir Roger Gale', 'Conservative'),
    ('North West Cambridgeshire', 'Shailesh Vara', 'Conservative'),
    ('North West Norfolk', 'James Wild', 'Conservative'),
    ('Northampton South', 'Andrew Lewer', 'Conservative'),
    ('Nottingham East', 'Nadia Whittome', 'Labour'),
    ('Nuneaton', 'Marcus Jones', 'Conservative'),
    ('Old Bexley and Sidcup', 'Louie French', 'Conservative'),
    ('Orkney and Shetland', 'Alistair Carmichael', 'Liberal Democrat'),
    ('Oxford West and Abingdon', 'Layla Moran', 'Liberal Democrat'),
    ('Pendle', 'Andrew Stephenson', 'Conservative'),
    ('Perth and North Perthshire', 'Pete Wishart', 'SNP'),
    ('Plymouth, Sutton and Devonport', 'Luke Pollard', 'Labour'),
    ('Poplar and Limehouse', 'Apsana Begum', 'Labour'),
    ('Preseli Pembrokeshire', 'Stephen Crabb', 'Conservative'),
    ('Putney', 'Fleur Anderson', 'Labour'),
    ('Redcar', 'Jacob Young', 'Conservative'),
    ('Rhondda', 'Chris Bryant', 'Labour'),
    ('Rochdale', 'Tony Lloyd', 'Labour'),
    ('Romford', 'Andrew Rosindell', 'Conservative'),
    ('Rother Valley', 'Alexander Stafford', 'Conservative'),
    ('Ruislip, Northwood and Pinner', 'David Simmonds', 'Conservative'),
    ('Rutland and Melton', 'Alicia Kearns', 'Conservative'),
    ('Salisbury', 'John Glen', 'Conservative'),
    ('Sedgefield', 'Paul Howell', 'Conservative'),
    ('Sheffield Central', 'Paul Blomfield', 'Labour'),
    ('Sheffield, Hallam', 'Olivia Blake', 'Labour'),
    ('Shrewsbury and Atcham', 'Daniel Kawczynski', 'Conservative'),
    ('Sleaford and North Hykeham', 'Dr Caroline Johnson', 'Conservative'),
    ('South Antrim', 'Paul Girvan', 'DUP'),
    ('South Derbyshire', 'Heather Wheeler', 'Conservative'),
    ('South East Cornwall', 'Sheryll Murray', 'Conservative'),
    ('South Norfolk', 'Richard Bacon', 'Conservative'),
    ('South Shields', 'Emma Lewell-Buck', 'Labour'),
    ('South Swindon', 'Sir Robert Buckland', 'Conservative'),
    ('South West Devon', 'Sir Gary Streeter', 'Conservative'),
    ('South West Wiltshire', 'Dr Andrew Murrison', 'Conservative'),
    ('Southend West', 'Anna Firth', 'Conservative'),
    ('St Austell and Newquay', 'Steve Double', 'Conservative'),
    ('St Ives', 'Derek Thomas', 'Conservative'),
    ('Stalybridge and Hyde', 'Jonathan Reynolds', 'Labour'),
    ('Stockport', 'Navendu Mishra', 'Labour'),
    ('Stoke-on-Trent Central', 'Jo Gideon', 'Conservative'),
    ('Stone', 'Sir William Cash', 'Conservative'),
    ('Streatham', 'Bell Ribeiro-Addy', 'Labour'),
    ('Sunderland Central', 'Julie Elliott', 'Labour'),
    ('Swansea East', 'Carolyn Harris', 'Labour'),
    ('Taunton Deane', 'Rebecca Pow', 'Conservative'),
    ('The Cotswolds', 'Sir Geoffrey Clifton-Brown', 'Conservative'),
    ('Thornbury and Yate', 'Luke Hall', 'Conservative'),
    ('Tooting', 'Dr Rosena Allin-Khan', 'Labour'),
    ('Torridge and West Devon', 'Sir Geoffrey Cox', 'Conservative'),
    ('Truro and Falmouth', 'Cherilyn Mackrory', 'Conservative'),
    ('Tynemouth', 'Sir Alan Campbell', 'Labour'),
    ('Vale of Glamorgan', 'Alun Cairns', 'Conservative'),
    ('Walsall North', 'Eddie Hughes', 'Conservative'),
    ('Wansbeck', 'Ian Lavery', 'Labour'),
    ('Warrington North', 'Charlotte Nichols', 'Labour'),
    ('Washington and Sunderland West', 'Sharon Hodgson', 'Labour'),
    ('Wealden', 'Nusrat Ghani', 'Conservative'),
    ('Wells', 'James Heappey', 'Conservative'),
    ('West Bromwich East', 'Nicola Richards', 'Conservative'),
    ('West Dunbartonshire', 'Martin Docherty-Hughes', 'SNP'),
    ('West Suffolk', 'Matt Hancock', 'Conservative'),
    ('Westmorland and Lonsdale', 'Tim Farron', 'Liberal Democrat'),
    ('Wimbledon', 'Stephen Hammond', 'Conservative'),
    ('Wirral South', 'Alison McGovern', 'Labour'),
    ('Woking', 'Jonathan Lord', 'Conservative'),
    ('Wolverhampton South East', 'Pat McFadden', 'Labour'),
    ('Worsley and Eccles South', 'Barbara Keeley', 'Labour'),
    ('Wycombe', 'Steve Baker', 'Conservative'),
    ('Yeovil', 'Marcus Fysh', 'Conservative'),
    ('York Outer', 'Julian Sturdy', 'Conservative'),
)


if __name__ == "__main__":
    sys.exit(main())
