"""The data contract in code: one registry of tabs and columns.

Reading, validation, the template workbook, the docs (docs/data-contract.md is checked
against this by tests/test_contract.py) and the trustee-safety rules all come from here.
Section numbers refer to ../shared/spec/data-contract.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Kinds of value a column holds; each has one parser in dashboard/cells.py.
KINDS = {
    "ref": "pseudonymous reference (never a name)",
    "text": "text",
    "choice": "one of a fixed list",
    "date": "date",
    "yesno": "yes/no",
    "int": "whole number",
    "url": "http(s) link",
    "list": "comma-separated list",
}

SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class Column:
    name: str                 # header as the contract writes it
    key: str                  # column name in the typed frame
    kind: str                 # one of KINDS
    required: bool = False    # a value must be present on every row
    one_of: bool = False      # required as "one of these" with the tab's other one_of columns
    choices: tuple[str, ...] = ()
    blank_means: str | None = None   # e.g. Role: blank means MP
    free_text: bool = False   # typed by staff: never leaves the lead's view
    max_value: int | None = None     # whole numbers: the largest accepted (else cells' bound)
    example: str = ""
    help: str = ""

    def __post_init__(self):
        assert self.kind in KINDS, self.kind


@dataclass(frozen=True)
class Tab:
    name: str
    key: str
    help: str
    columns: tuple[Column, ...]
    about_people: bool = False    # rows are young people: trustee views aggregate only

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def one_of(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.one_of)

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


STATUSES = ("registered", "attended", "cancelled", "no-show")
ROLES = ("MP", "Minister", "Peer", "Official", "Other")
MP_ROLES = ("MP", "Minister")
MEETING_TYPES = ("westminster hall", "one-to-one", "roundtable", "other")
MEDIA_TYPES = ("broadcast", "print", "online", "social")
ACTIVITIES = ("rally", "westminster hall", "pledge photo", "roundtable", "media")
AGE_BANDS = ("16-17", "18-21", "22-25", "26+")
# English regions and the nations, as the constituency table spells them.
REGIONS = ("North East", "North West", "Yorkshire and The Humber", "East Midlands",
           "West Midlands", "East of England", "London", "South East", "South West",
           "Wales", "Scotland", "Northern Ireland")
# The label charts give a value outside a column's allowed set (free text typed as a
# Region, Age band, Party or Outlet): never the text itself, which may be anything.
NOT_RECOGNISED = "Not recognised"
# An outlet is a name: longer than this, or written as a sentence, it is free text.
OUTLET_MAX_CHARS, OUTLET_MAX_WORDS = 60, 8
_SENTENCE = re.compile(r"[,;!?\n]|\.\s")


def is_outlet_name(text: object) -> bool:
    """Whether an Outlet's text reads as the name of an outlet ('BBC Radio 4',
    'inews.co.uk'), not a note or a sentence typed into the column."""
    text = str(text).strip()
    return (0 < len(text) <= OUTLET_MAX_CHARS and len(text.split()) <= OUTLET_MAX_WORDS
            and not _SENTENCE.search(text))


# Bounds of whole numbers (contract decisions): larger values are typos, read as blank
# with a warning. Reach: more than the world's population is no audience estimate.
REACH_MAX = 10_000_000_000
YOUNG_PEOPLE_PRESENT_MAX = 10_000

TABS: tuple[Tab, ...] = (
    Tab(
        "Attendees", "attendees",
        "One row per young person the charity brought. No names: a pseudonymous reference only.",
        (
            Column("Ref", "ref", "ref", required=True, example="NCB-001",
                   help="your own id, unique within your charity"),
            Column("Status", "status", "choice", required=True, choices=STATUSES,
                   example="attended"),
            Column("Age band", "age_band", "choice", choices=AGE_BANDS, example="18-21"),
            Column("Region", "region", "choice", choices=REGIONS, example="North West",
                   help="English region or nation"),
            Column("Activities", "activities", "list", choices=ACTIVITIES,
                   example="rally, westminster hall"),
            Column("Media consent", "media_consent", "yesno", example="yes"),
            Column("Registered on", "registered_on", "date", example="01/06/2022"),
        ),
        about_people=True,
    ),
    Tab(
        "MP meetings", "mp_meetings",
        "One row per meeting with a decision-maker.",
        (
            Column("Name", "name", "text", required=True, example="Rt Hon Jane Smith MP",
                   help="as you would write it; titles are fine"),
            Column("Date", "date", "date", example="22/06/2022"),
            Column("Role", "role", "choice", choices=ROLES, blank_means="MP", example="MP",
                   help="blank means MP"),
            Column("Constituency", "constituency", "text", example="Bristol West",
                   help="Westminster constituency, for MPs and ministers who are MPs"),
            Column("Party", "party", "text", example="Labour"),
            Column("Meeting type", "meeting_type", "choice", choices=MEETING_TYPES,
                   example="westminster hall"),
            Column("Young people present", "young_people_present", "int", example="4",
                   max_value=YOUNG_PEOPLE_PRESENT_MAX),
            Column("Pledge signed", "pledge_signed", "yesno", example="yes"),
            Column("Follow-up", "follow_up", "text", free_text=True,
                   help="free text, never shown on trustee views"),
            Column("Notes", "notes", "text", free_text=True,
                   help="free text, never shown on trustee views"),
        ),
    ),
    Tab(
        "Pledges", "pledges",
        "One row per pledge an MP signed. Give the MP's name, constituency, or both.",
        (
            Column("MP name", "mp_name", "text", one_of=True, example="Jane Smith"),
            Column("Constituency", "constituency", "text", one_of=True, example="Bristol West"),
            Column("Date", "date", "date", example="22/06/2022"),
            Column("Party", "party", "text", example="Labour"),
            Column("Photo taken", "photo_taken", "yesno", example="yes"),
        ),
    ),
    Tab(
        "Media", "media",
        "One row per piece of coverage. Give the outlet, the link, or both.",
        (
            Column("Outlet", "outlet", "text", one_of=True, example="BBC Newsround"),
            Column("URL", "url", "url", one_of=True, example="https://www.bbc.co.uk/newsround/",
                   help="http or https only"),
            Column("Date", "date", "date", example="22/06/2022"),
            Column("Headline", "headline", "text", free_text=True,
                   help="typed by staff: never shown on trustee views"),
            Column("Type", "type", "choice", choices=MEDIA_TYPES, example="online"),
            Column("Reach", "reach", "int", example="250000", help="audience estimate",
                   max_value=REACH_MAX),
        ),
    ),
)

TABS_BY_KEY = {t.key: t for t in TABS}

# Spreadsheet error values (section 3): a warning, and the cell is treated as blank.
ERROR_VALUES = ("#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#ERROR!", "#NUM!", "#NULL!")

# The figures of section 5, in the order the summary JSON lists them.
FIGURES = (
    "attendees_registered", "attendees_attended", "meetings", "mp_meetings",
    "mps_met", "pledges", "media_mentions", "media_reach",
)
FIGURE_LABELS = {
    "attendees_registered": "Young people registered",
    "attendees_attended": "Young people attended",
    "meetings": "Meetings",
    "mp_meetings": "MP meetings",
    "mps_met": "MPs met",
    "pledges": "Pledges signed",
    "media_mentions": "Media mentions",
    "media_reach": "Media reach",
}

_SEPARATORS = re.compile(r"[\s_\-]+")


def norm_name(text: object) -> str:
    """Tab and header matching (section 2): case-insensitive, trimmed, space = _ = -."""
    return _SEPARATORS.sub(" ", str(text if text is not None else "")).strip().lower()


_TAB_BY_NORM = {norm_name(t.name): t for t in TABS}


def match_tab(title: str) -> Tab | None:
    return _TAB_BY_NORM.get(norm_name(title))


def free_text_keys(tab: Tab) -> list[str]:
    return [c.key for c in tab.columns if c.free_text]


def values_in_words(column: Column) -> str:
    """What may go in the column, in words: the template's help rows and input messages,
    and the tab tables of docs/data-contract.md."""
    parts = []
    if column.kind == "list" and column.choices:
        parts.append("comma-separated, from: " + ", ".join(column.choices))
    elif column.choices:
        parts.append("one of: " + ", ".join(column.choices))
    elif column.kind == "yesno":
        parts.append("yes or no")
    elif column.kind == "date":
        parts.append("a date, day first (e.g. 22/06/2022)")
    else:
        parts.append(KINDS[column.kind])
    if column.blank_means:
        parts.append(f"blank means {column.blank_means}")
    if column.help and column.help.lower() not in " ".join(parts).lower():
        parts.append(column.help)
    return "; ".join(parts)


# Headers in words for every column that is not a tab's own (those have the contract's
# names): the pages' tables and the export's files read this one map.
HEADERS = {
    "charity": "Charity", "charities": "Charities", "name": "Name", "role": "Role",
    "constituency": "Constituency", "ons_code": "ONS code", "mp": "MP", "party": "Party",
    "region": "Region", "nation": "Nation", "date": "Date", "meetings": "Meetings",
    "meeting_type": "Meeting type", "first_met": "First met", "met": "Met",
    "young_people_present": "Young people present", "follow_up": "Follow-up", "notes": "Notes",
    "pledged": "Pledged", "logged_by": "Logged by", "pledge_logged_by": "Pledge logged by",
    "placed": "Placed", "outlet": "Outlet",
    "headline": "Headline", "type": "Type", "reach": "Reach", "url": "Link",
    "count": "Pieces", "pieces": "Pieces", "cumulative": "Pieces so far", "group": "Group",
    "mps": "MPs", "met_pct": "% met", "pledged_pct": "% pledged",
    "la_name": "Local authority",
    # sources and issues
    "status": "Status", "freshness": "Freshness", "kind": "Source", "errors": "Errors",
    "warnings": "Warnings", "api_calls": "API calls", "read_seconds": "Read (s)",
    "tab": "Tab", "column": "Column", "severity": "Severity",
    "row": "Row", "code": "Code", "message": "Message", "fix": "How to fix",
    "link": "Link to the cell",
    # the merge's added columns
    "_row": "Sheet row", "mp_id": "MP id", "media_key": "Media key",
}
