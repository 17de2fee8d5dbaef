"""Who may see what: the roles, and for every page and download what each role sees there.

Three roles (docs/sharing.md says the same for people):

* coalition — everything: every charity's rows and issues, exports.
* lead      — one charity's lead: the coalition's figures and charts, plus their own
              charity's rows (free text included) and data-quality issues.
* trustee   — figures and charts only, coalition-wide and per charity, never a row, never
              free text, with counts of young people of 1 to 4 suppressed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

import pandas as pd


ROLES = ("coalition", "lead", "trustee")

# -- what each role sees ---------------------------------------------------------------
#
# One registry, SURFACES: every page and every download, and for each role that may have
# it, what that role sees there. Pages, downloads and the pack read it (through `sees`,
# `visible` and `suppressed`); PAGE_ROLES and DOWNLOAD_ROLES are read off it; the table in
# docs/sharing.md is written from it (`python -m dashboard.docs`) and a test compares them.

EVERY = "every charity"
OWN = "own charity"
NONE = "none"
COUNTS = "counts"           # issues: error and warning counts per charity, no detail

_SCOPES = (EVERY, OWN, NONE)


@dataclass(frozen=True)
class Sees:
    """What one role sees on one page or in one download.

    rows:   row-level records (attendee refs, meetings, pledges, headlines, links): whose.
    notes:  free-text columns (notes, follow-ups): whose; never wider than rows.
    issues: data-quality detail (problems, "errors at row 13", fixes): whose; COUNTS
            means per-charity error and warning counts only.
    suppressed: counts of 1-4 young people shown as "<5" (SUPPRESSION_RULE).
    commands:   command-line instructions (for whoever runs the dashboard).
    """
    rows: str = NONE
    notes: str = NONE
    issues: str = NONE
    suppressed: bool = False
    commands: bool = False

    def __post_init__(self):
        if self.rows not in _SCOPES or self.notes not in _SCOPES or self.issues not in _SCOPES + (COUNTS,):
            raise ValueError(f"unknown scope in {self!r}")
        if _SCOPES.index(self.notes) < _SCOPES.index(self.rows):
            raise ValueError(f"notes cannot reach wider than rows: {self!r}")


@dataclass(frozen=True)
class Surface:
    key: str                       # a page key (as streamlit_app.py names it) or a download kind
    kind: str                      # "page" or "download"
    title: str                     # as a person reads it (the docs' table)
    roles: Mapping[str, Sees]      # a role not listed does not get this surface at all


_FIGURES_ONLY = Sees(suppressed=True)                  # the trustee's view of any surface
_TEAM_FIGURES = {"coalition": Sees(commands=True), "lead": Sees(commands=True)}

SURFACES: tuple[Surface, ...] = (
    # pages
    Surface("overview", "page", "Overview", {
        "coalition": Sees(issues=COUNTS, commands=True), "lead": Sees(issues=COUNTS, commands=True),
        "trustee": _FIGURES_ONLY}),
    Surface("meeting", "page", "Weekly meeting", {
        "coalition": Sees(issues=EVERY, commands=True), "lead": Sees(issues=OWN, commands=True),
        "trustee": _FIGURES_ONLY}),
    Surface("charities", "page", "Charities", {
        "coalition": Sees(rows=EVERY, notes=EVERY, issues=EVERY, commands=True),
        "lead": Sees(rows=OWN, notes=OWN, issues=OWN, commands=True),
        "trustee": _FIGURES_ONLY}),
    Surface("mps", "page", "MPs & pledges", {
        "coalition": Sees(rows=EVERY), "lead": Sees(rows=OWN), "trustee": _FIGURES_ONLY}),
    Surface("coverage", "page", "MP coverage & briefings", {   # the card: follow-ups, notes
        "coalition": Sees(rows=EVERY, notes=EVERY), "lead": Sees(rows=OWN, notes=OWN)}),
    Surface("media", "page", "Media", {       # a headline is typed by staff: free text
        "coalition": Sees(rows=EVERY, notes=EVERY), "lead": Sees(rows=OWN, notes=OWN),
        "trustee": _FIGURES_ONLY}),
    Surface("placements", "page", "Placement statistics", {
        # official statistics, published (and suppressed) by DfE: the same for everyone
        "coalition": Sees(), "lead": Sees(), "trustee": Sees()}),
    Surface("quality", "page", "Data quality", {       # an issue quotes its row's cells
        "coalition": Sees(rows=EVERY, notes=EVERY, issues=EVERY, commands=True),
        "lead": Sees(rows=OWN, notes=OWN, issues=OWN, commands=True)}),
    Surface("links", "page", "Links", {"coalition": Sees(commands=True)}),
    # downloads
    Surface("figures", "download", "Figures (CSV, XLSX)", {
        "coalition": Sees(), "lead": Sees(), "trustee": _FIGURES_ONLY}),
    Surface("rows", "download", "A charity's checked rows", {
        "coalition": Sees(rows=EVERY, notes=EVERY, issues=EVERY),
        "lead": Sees(rows=OWN, notes=OWN, issues=OWN)}),
    Surface("issues", "download", "Data-quality issues (CSV)", {
        "coalition": Sees(rows=EVERY, notes=EVERY, issues=EVERY),
        "lead": Sees(rows=OWN, notes=OWN, issues=OWN)}),
    Surface("template", "download", "Blank workbook", _TEAM_FIGURES),
    Surface("export", "download", "Every charity's rows (export)", {
        "coalition": Sees(rows=EVERY, notes=EVERY, issues=EVERY)}),
    Surface("pack", "download", "Meeting pack (HTML, XLSX)", {
        "coalition": Sees(issues=EVERY), "lead": Sees(issues=OWN)}),
    Surface("not_yet_met", "download", "MPs not yet met (CSV)", {
        "coalition": Sees(), "lead": Sees()}),
    # MPs are public figures; who met them is the coalition's, young people present a count
    Surface("briefings", "download", "MP briefings to print (HTML)", {
        "coalition": Sees(), "lead": Sees(), "trustee": _FIGURES_ONLY}),
)
_BY_KEY = {s.key: s for s in SURFACES}

# Page key -> roles that may open it; download kind -> roles that may have it. Read off
# SURFACES: a page or download not listed there is shown to nobody.
PAGE_ROLES: dict[str, frozenset[str]] = {
    s.key: frozenset(s.roles) for s in SURFACES if s.kind == "page"}
DOWNLOAD_ROLES: dict[str, frozenset[str]] = {
    s.key: frozenset(s.roles) for s in SURFACES if s.kind == "download"}


class AccessDenied(Exception):
    """Refused: `reason` is one sentence (or two) for the person holding the link."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Viewer:
    role: str
    charity: str | None = None            # the lead's charity; None for the other roles
    link_id: str | None = None            # None in open mode
    expires_at: dt.datetime | None = None  # None in open mode

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; use one of {', '.join(ROLES)}")
        if (self.role == "lead") != (self.charity is not None):
            raise ValueError("a lead has exactly one charity; other roles have none")


def is_trustee(viewer: Viewer) -> bool:
    """Trustee views: figures and charts only, small counts suppressed."""
    return viewer.role == "trustee"


def can_see_rows(viewer: Viewer, charity: str) -> bool:
    """Row-level data (and its free text) of one charity."""
    return viewer.role == "coalition" or (viewer.role == "lead" and viewer.charity == charity)


def can_see_issues(viewer: Viewer, charity: str) -> bool:
    """Data-quality issues quote rows and cells, so they follow the rows."""
    return can_see_rows(viewer, charity)


def can_refresh(viewer: Viewer) -> bool:
    """'Refresh now' reads every source: for the people who look after the data."""
    return viewer.role in ("coalition", "lead")


def can_download(viewer: Viewer, what: str) -> bool:
    """May this viewer download `what` (a key of DOWNLOAD_ROLES)?

    An unknown kind raises ValueError rather than answering: a typo in a page must fail
    its tests, not silently hide (or show) a button.
    """
    if what not in DOWNLOAD_ROLES:
        raise ValueError(f"unknown download {what!r}; one of {', '.join(DOWNLOAD_ROLES)}")
    return viewer.role in DOWNLOAD_ROLES[what]


def allowed_pages(viewer: Viewer) -> list[str]:
    """The page keys this viewer may open, in PAGE_ROLES order."""
    return [page for page, roles in PAGE_ROLES.items() if viewer.role in roles]


def sees(viewer: Viewer, surface: str) -> Sees | None:
    """What `viewer` sees on `surface` (a key of SURFACES); None when it is not theirs.

    An unknown surface raises ValueError: a typo in a page must fail its tests."""
    if surface not in _BY_KEY:
        raise ValueError(f"unknown page or download {surface!r}; one of {', '.join(_BY_KEY)}")
    return _BY_KEY[surface].roles.get(viewer.role)


def suppressed(viewer: Viewer, surface: str) -> bool:
    """Counts of 1-4 young people are hidden on this surface for this viewer."""
    seen = sees(viewer, surface)
    return seen is None or seen.suppressed


def shows_commands(viewer: Viewer, surface: str) -> bool:
    """Command-line instructions (python -m dashboard …) may be shown."""
    seen = sees(viewer, surface)
    return seen is not None and seen.commands


def visible(viewer: Viewer, surface: str, frame: pd.DataFrame, what: str = "rows",
            charity_column: str = "charity") -> pd.DataFrame:
    """The part of `frame` (one line per row, note or issue) the registry lets `viewer`
    see on `surface`: `what` is "rows", "notes" or "issues".

    A charity column may hold several names joined with ", " (a meeting or a piece of
    coverage logged by more than one charity): a lead sees the line when their charity
    is one of them.
    """
    seen = sees(viewer, surface)
    scope = NONE if seen is None else getattr(seen, what)
    if scope == EVERY:
        return frame
    if scope == OWN and viewer.charity is not None:
        names = frame[charity_column].astype("string").fillna("")
        mine = names.str.split(", ").map(lambda parts: viewer.charity in parts).astype(bool)
        return frame[mine.to_numpy()]
    return frame.iloc[0:0]


def rows_visible_to(viewer: Viewer, frame: pd.DataFrame, charity_column: str = "charity") -> pd.DataFrame:
    """The rows of a merged frame this viewer may see: all, their charity's, or none."""
    if viewer.role == "coalition":
        return frame
    if viewer.role == "lead":
        return frame[frame[charity_column] == viewer.charity]
    return frame.iloc[0:0]


def issues_visible_to(viewer: Viewer, issues: pd.DataFrame) -> pd.DataFrame:
    """Data-quality issues this viewer may see (same rule as rows)."""
    return rows_visible_to(viewer, issues, "charity")
