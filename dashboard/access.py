"""Who may see what: roles, signed links, and small-number suppression for trustees.

Three roles (docs/sharing.md says the same for people):

* coalition — everything: every charity's rows and issues, exports.
* lead      — one charity's lead: the coalition's figures and charts, plus their own
              charity's rows (free text included) and data-quality issues.
* trustee   — figures and charts only, coalition-wide and per charity, never a row, never
              free text, with counts of young people of 1 to 4 suppressed.

A link carries a token signed with itsdangerous: {id, role, charity, exp}. The secret
never leaves the server; every minted link is recorded in the store (never the token),
so a link can be listed and revoked by its id, and a token that is not on the list is
refused even if its signature is good (see `verify_token`).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import logging
import re
import secrets as _random
import sys
from dataclasses import dataclass
from typing import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import pandas as pd
from itsdangerous import BadData, URLSafeSerializer

from dashboard import clock, settings
from dashboard.config import Config, load_config, parse_duration
from dashboard.safe import safe_url

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


# -- secrets ----------------------------------------------------------------------------

LINK_SALT = "coalition-link"
SECRET_ENV = "DASHBOARD_LINK_SECRET"
STREAMLIT_SECRET_KEY = "link_secret"
MIN_SECRET_LENGTH = 32
MAX_LINK_LIFETIME = dt.timedelta(days=365)
MAX_TOKEN_LENGTH = 1000      # a real token is ~150 characters
_MAKE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


class LinkSecretError(Exception):
    """No usable signing secret: links can be neither minted nor checked."""


def _streamlit_link_secret():
    """st.secrets["link_secret"] when the app (or the CLI run beside .streamlit/) has one.

    Imported lazily so the CLI does not load Streamlit when the environment has the secret.
    """
    try:
        import streamlit as st
    except ImportError:
        return None
    if not st.secrets.load_if_toml_exists():
        return None
    return st.secrets.get(STREAMLIT_SECRET_KEY)


def link_secrets() -> list[str]:
    """The signing secrets, newest first: the first signs, every one verifies.

    From DASHBOARD_LINK_SECRET (several separated by commas or whitespace), else from
    Streamlit secrets' `link_secret` (a string in the same form, or a list). Raises
    LinkSecretError with a message that never contains a secret.
    """
    raw = settings.value(SECRET_ENV)
    where = SECRET_ENV
    if not raw.strip():
        raw = _streamlit_link_secret() or ""
        where = f'Streamlit secrets "{STREAMLIT_SECRET_KEY}"'
    if isinstance(raw, str):
        keys = [k for k in re.split(r"[\s,]+", raw.strip()) if k]
    else:
        keys = [str(k).strip() for k in raw if str(k).strip()]
    if not keys:
        raise LinkSecretError(
            f"no link secret is set: put one in {SECRET_ENV} (or link_secret in "
            f".streamlit/secrets.toml); make one with {_MAKE_SECRET}")
    for number, key in enumerate(keys, 1):
        if len(key) < MIN_SECRET_LENGTH:
            raise LinkSecretError(
                f"{where}: secret number {number} is {len(key)} characters; each must be at "
                f"least {MIN_SECRET_LENGTH}. Make one with {_MAKE_SECRET}")
    return keys


def _serializer(keys_newest_first: list[str]) -> URLSafeSerializer:
    # itsdangerous takes keys oldest to newest and signs with the last one.
    return URLSafeSerializer(list(reversed(keys_newest_first)), salt=LINK_SALT,
                             signer_kwargs={"digest_method": hashlib.sha256})


# -- minting ----------------------------------------------------------------------------

def mint_token(link_id: str, role: str, charity: str | None, expires_at: dt.datetime,
               keys: list[str] | None = None) -> str:
    """A signed token; `keys` newest first (default: link_secrets())."""
    keys = keys if keys is not None else link_secrets()
    payload = {"id": link_id, "role": role, "charity": charity, "exp": int(expires_at.timestamp())}
    return _serializer(keys).dumps(payload)


MAX_LABEL_LENGTH = 200


@dataclass(frozen=True)
class MintedLink:
    link_id: str
    token: str
    role: str
    charity: str | None
    expires_at: dt.datetime
    label: str | None = None


def clean_label(label: str | None) -> str | None:
    """Whom a link was sent to, as one line of text (None when not given); ValueError when too long."""
    text = " ".join(str(label or "").split())
    if len(text) > MAX_LABEL_LENGTH:
        raise ValueError(f"--label can be at most {MAX_LABEL_LENGTH} characters")
    return text or None


def mint_link(store, config: Config, role: str, lifetime: dt.timedelta, charity: str | None = None,
              *, keys: list[str] | None = None, label: str | None = None) -> MintedLink:
    """Record a new link in the store and sign its token.

    `label` says whom it is for ("Chair of trustees"), so a list of links can be read by
    a person. Raises ValueError (a sentence for the person minting) for a bad role,
    charity, label or lifetime, and LinkSecretError without a secret. Nothing is recorded
    if either fails.
    """
    label = clean_label(label)
    if role not in ROLES:
        raise ValueError(f"--role must be one of {', '.join(ROLES)}, not '{role}'")
    if role == "lead":
        charity = _config_charity(config, charity)
    elif charity:
        raise ValueError(f"a {role} link shows every charity; --charity is only for --role lead")
    else:
        charity = None
    if lifetime <= dt.timedelta(0):
        raise ValueError("--expires must be longer than 0")
    if lifetime > MAX_LINK_LIFETIME:
        raise ValueError(f"--expires can be at most {MAX_LINK_LIFETIME.days}d; mint a new link when it runs out")
    keys = keys if keys is not None else link_secrets()
    created = clock.now().replace(microsecond=0)
    expires_at = created + lifetime
    link_id = _random.token_hex(5)
    token = mint_token(link_id, role, charity, expires_at, keys)
    store.add_link(link_id, role, charity, created, expires_at, label)
    return MintedLink(link_id, token, role, charity, expires_at, label)


def _config_charity(config: Config, charity: str | None) -> str:
    names = [c.name for c in config.charities]
    shown = ", ".join(f"'{n}'" for n in names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
    if not charity or not charity.strip():
        raise ValueError(f"a lead link needs --charity, one of {shown}")
    for name in names:
        if name.casefold() == charity.strip().casefold():
            return name
    raise ValueError(f"'{charity}' is not a charity in {config.path.name}; the charities are {shown}")


def check_base_url(base_url: str) -> str:
    """The dashboard's address for links: an http(s) URL with a host, else ValueError."""
    url = safe_url(base_url)
    if url is None:
        raise ValueError(f"--base-url must be an http(s) address with a host, not '{base_url}'")
    return url


def base_url_for_links(config: Config, given: str | None = None) -> str:
    """The address links start with: `given` (--base-url), else the config's
    `[access] base_url`. Never a guess: a link to the wrong address reaches nobody."""
    url = (given or "").strip() or config.base_url
    if not url:
        raise ValueError(f"give --base-url, the dashboard's address as its viewers open it "
                         f"(e.g. https://dashboard.example.org/), or set [access] base_url in "
                         f"{config.path.name}")
    return check_base_url(url)


def find_link(store, id_or_label: str) -> dict | None:
    """The link with this id, else the one link with this label (case ignored); None
    when there is none. ValueError when several links carry the label."""
    record = store.link(id_or_label)
    if record is not None:
        return record
    wanted = " ".join(id_or_label.split()).casefold()
    matches = [r for r in store.links() if (r.get("label") or "").casefold() == wanted]
    if len(matches) > 1:
        raise ValueError(f"{len(matches)} links are labelled '{id_or_label}': give the id "
                         f"({', '.join(r['id'] for r in matches)})")
    return matches[0] if matches else None


def link_url(base_url: str, token: str) -> str:
    """`base_url` with token=… added to its query (any other parameters kept)."""
    parts = urlsplit(check_base_url(base_url))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "token"]
    query.append(("token", token))
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


# -- checking ---------------------------------------------------------------------------

_ASK = "Ask the coalition's data lead for a new link."


def _when(moment: dt.datetime) -> str:
    return f"{moment:%d %B %Y at %H:%M} ({moment.tzname() or moment.strftime('%z')})"


def verify_token(token: str, store, config: Config | None = None, *,
                 keys: list[str] | None = None) -> Viewer:
    """The Viewer a token stands for, or AccessDenied saying why not.

    Checked in order: signature (with every secret, so rotation keeps old links working),
    the payload's shape and role, that the store knows the link (a wiped or different
    store must not bring revoked links back to life), revocation, expiry against
    dashboard.clock.now(), and for a lead that the charity is still in the config.
    """
    if keys is None:
        try:
            keys = link_secrets()
        except LinkSecretError:
            raise AccessDenied("This dashboard cannot check links because no link secret is set "
                               "up on it. Tell the coalition's data lead.") from None
    tampered = AccessDenied("This link is not valid: it may have been cut short or changed when "
                            "it was copied. Open the exact link you were sent, or ask the "
                            "coalition's data lead for a new one.")
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise tampered
    try:
        payload = _serializer(keys).loads(token)
    except BadData:
        raise tampered from None
    if (not isinstance(payload, dict) or set(payload) != {"id", "role", "charity", "exp"}
            or not isinstance(payload["id"], str) or not isinstance(payload["exp"], int)
            or not (payload["charity"] is None or isinstance(payload["charity"], str))):
        raise tampered
    role, charity = payload["role"], payload["charity"]
    if role not in ROLES or (role == "lead") != (charity is not None):
        raise AccessDenied(f"This link is for a kind of access this dashboard does not know "
                           f"('{role}'). {_ASK}")
    record = _stored_link(store, payload["id"])
    if record is None or record["role"] != role or record["charity"] != charity:
        raise AccessDenied("This link is not on this dashboard's list of shared links (it may have "
                           f"been made for another copy of the dashboard). {_ASK}")
    now = clock.now()
    if record["revoked_at"] is not None:
        raise AccessDenied(f"This link was withdrawn by the coalition's data lead. {_ASK}")
    expires_at = dt.datetime.fromtimestamp(payload["exp"], tz=now.tzinfo)
    if now >= expires_at:
        raise AccessDenied(f"This link expired on {_when(expires_at)}. {_ASK}")
    if role == "lead" and config is not None and charity not in {c.name for c in config.charities}:
        raise AccessDenied(f"This link is for {charity}, which is no longer part of this "
                           f"dashboard's coalition. {_ASK}")
    return Viewer(role, charity, payload["id"], expires_at)


def _stored_link(store, link_id: str) -> dict | None:
    """The store's record of a link. With the store in trouble a link cannot be checked
    for revocation, so it is refused (in words) rather than trusted."""
    from dashboard.store import StoreError
    try:
        return store.link(link_id)
    except StoreError as err:
        logging.getLogger("dashboard.access").warning("link not checked: %s", err)
        raise AccessDenied("This dashboard cannot check links just now: its store cannot be "
                           "read. Try again in a few minutes, and tell the coalition's data "
                           "lead if it lasts.") from None


def resolve_viewer(config: Config, query_params: Mapping, store, *,
                   keys: list[str] | None = None) -> Viewer | AccessDenied:
    """Who is looking: from `?token=` if there is one, else by the config's access mode.

    A token, when present, is always checked and always applies, also in "open" mode:
    a trustee link then shows the trustee view it promises, and a broken link says so.
    Without a token, "open" mode is the coalition view and "links" mode is refused.
    Returns AccessDenied rather than raising it, so the app's gate is one isinstance.
    """
    token = query_params.get("token") if query_params is not None else None
    if isinstance(token, (list, tuple)):
        token = token[-1] if token else None
    token = token.strip() if isinstance(token, str) else ""
    if not token:
        if config.access_mode == "open":
            return Viewer("coalition")
        return AccessDenied("This dashboard opens only from a link the coalition's data lead "
                            "sends you. Open that link, or ask them for one.")
    try:
        return verify_token(token, store, config, keys=keys)
    except AccessDenied as denied:
        return denied


def recheck_viewer(viewer: Viewer, store) -> Viewer | AccessDenied:
    """For a viewer kept in the session: still unexpired and not revoked?

    One small query, cheap enough to run on every rerun, so revoking a link closes
    tabs that are already open, not only new visits.
    """
    if viewer.link_id is None:
        return viewer
    try:
        record = _stored_link(store, viewer.link_id)
    except AccessDenied as denied:
        return denied
    if record is None or record["revoked_at"] is not None:
        return AccessDenied(f"This link was withdrawn by the coalition's data lead. {_ASK}")
    if viewer.expires_at is not None and clock.now() >= viewer.expires_at:
        return AccessDenied(f"This link expired on {_when(viewer.expires_at)}. {_ASK}")
    return viewer


def link_status(record: Mapping, now: dt.datetime) -> str:
    """'revoked', 'expired' or 'active' for a row of Store.links()."""
    if record.get("revoked_at"):
        return "revoked"
    if now >= dt.datetime.fromisoformat(record["expires_at"]):
        return "expired"
    return "active"


# -- the `link` command -----------------------------------------------------------------

def _fail(message: str, code: int = 2) -> int:
    sys.stderr.write(f"link: {message}\n")
    return code


def _short_time(text: str | None) -> str:
    if not text:
        return ""
    return clock.iso(dt.datetime.fromisoformat(text)) or ""


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows)


def cmd_link(args: argparse.Namespace) -> int:
    """`python -m dashboard link …`: mint (default), `list` or `revoke ID`."""
    from dashboard.store import Store

    config = load_config(args.config)
    store = Store(config.storage_url)
    action = getattr(args, "action", None)
    link_id = getattr(args, "link_id", None)

    if action == "list":
        if link_id:
            return _fail("`link list` takes no ID")
        records = store.links()
        if not records:
            print("No links have been minted for this dashboard.")
            return 0
        now = clock.now()
        rows = [["id", "label", "role", "charity", "created", "expires", "status"]]
        rows += [[r["id"], r.get("label") or "", r["role"], r["charity"] or "",
                  _short_time(r["created_at"]), _short_time(r["expires_at"]), link_status(r, now)]
                 for r in records]
        print(_table(rows))
        return 0

    if action == "revoke":
        if not link_id:
            return _fail("give the id or label to revoke: python -m dashboard link revoke ID "
                         "(python -m dashboard link list shows them)")
        try:
            record = find_link(store, link_id)
        except ValueError as err:
            return _fail(str(err), 1)
        if record is None:
            return _fail(f"no link has the id or label '{link_id}'; python -m dashboard link "
                         "list shows them", 1)
        link_id = record["id"]
        if record["revoked_at"]:
            print(f"Link {link_id} was already revoked at {_short_time(record['revoked_at'])}.")
            return 0
        store.revoke_link(link_id, clock.now())
        who = record["role"] + (f" for {record['charity']}" if record["charity"] else "") \
            + (f", '{record['label']}'" if record.get("label") else "")
        print(f"Revoked link {link_id} ({who}). It no longer opens the dashboard.")
        return 0

    if link_id:
        return _fail(f"unexpected '{link_id}': use `link list`, `link revoke ID`, or "
                     "`link --role ROLE --expires DURATION`")
    if not args.role:
        return _fail("give --role trustee, lead or coalition and --expires (e.g. 30d); "
                     "or use `link list` / `link revoke ID`")
    if not args.expires:
        return _fail("give --expires, how long the link works: e.g. 30d, 12h")
    try:
        lifetime = parse_duration(args.expires)
        base_url = base_url_for_links(config, args.base_url)   # before anything is recorded
        link = mint_link(store, config, args.role, lifetime, args.charity, label=args.label)
    except (ValueError, LinkSecretError) as err:
        return _fail(str(err))
    print(link_url(base_url, link.token))
    who = link.role + (f" for {link.charity}" if link.charity else "")
    sys.stderr.write(f"Link {link.link_id} ({who}) works until {clock.iso(link.expires_at)}. Send it "
                     "privately: anyone who has it can open the dashboard as this role until then. "
                     f"Withdraw it with: python -m dashboard link revoke {link.link_id}\n")
    if config.access_mode == "open":
        sys.stderr.write('note: [access] mode is "open" in the config, so anyone with the '
                         "dashboard's address sees everything without a link. Set "
                         '[access] mode = "links" to require one.\n')
    return 0


# -- small-number suppression (trustee views) -------------------------------------------

SMALL_COUNT_LIMIT = 5          # counts 1 .. SMALL_COUNT_LIMIT-1 are suppressed
PRIMARY_MARK = "<5"
SECONDARY_MARK = "[c]"
SUPPRESSION_RULE = (
    "To protect the young people's privacy, a count of 1 to 4 young people is shown as "
    f"\"{PRIMARY_MARK}\", and 0 is shown as 0. Where a \"{PRIMARY_MARK}\" could be worked out "
    "by taking the other numbers from a total, one more count is hidden too, shown as "
    f"\"{SECONDARY_MARK}\" (it may be any number, including 0). Totals are the true totals, "
    f"themselves shown as \"{PRIMARY_MARK}\" when 1 to 4."
)


def suppress_value(count) -> str:
    """One count of young people for a trustee view: '<5' for 1-4, else the number.

    For a figure shown on its own (a metric card). A count that is part of a table with a
    published total must go through suppress_counts, or it can give a hidden cell away.
    """
    if count is None or pd.isna(count):
        return ""
    count = int(count)
    return PRIMARY_MARK if 1 <= count < SMALL_COUNT_LIMIT else str(count)


def suppress_change(change) -> str | None:
    """A change in a count of young people for a trustee view: '+<5' / '-<5' for a change
    of 1 to 4 (it counts that many young people), else signed; None when there is none."""
    if change is None or pd.isna(change):
        return None
    change = int(change)
    if 1 <= abs(change) < SMALL_COUNT_LIMIT:
        return ("+" if change > 0 else "-") + PRIMARY_MARK
    return "0" if change == 0 else f"{change:+,}"


def suppress_counts(frame: pd.DataFrame, count_cols: Iterable[str], *, across_rows: bool = False,
                    across_columns: bool = True, add_totals: bool = False,
                    total_label: str = "Total") -> pd.DataFrame:
    """A display copy of `frame` with counts of young people suppressed (SUPPRESSION_RULE).

    `count_cols` hold whole-number counts of young people (missing = not given, shown
    blank). Other columns are returned unchanged. The count columns become strings.

    Primary: 1-4 -> "<5". Secondary: every line whose total is published gets either no
    hidden cell or at least two, so no hidden cell equals "total minus the rest"; the
    extra cell hidden is the line's smallest visible one (zeros and blanks first, then
    the first in order), repeated until nothing changes. Lines are:
      * each count column down the rows (`across_columns`, default): the rows add up to a
        published total, e.g. charities adding up to the coalition figure;
      * each row across the count columns (`across_rows`): only when the columns split a
        whole, e.g. age bands adding up to a charity's total. Off by default because
        columns like "registered" and "attended" are different measures, not parts.
    A line whose total is itself 1-4 is shown as "<5" and needs no further hiding.
    `add_totals` appends the true totals of the protected lines (a total row when
    `across_columns`, a total column when `across_rows`), shown by the primary rule.
    """
    count_cols = list(count_cols)
    out = frame.copy()
    if not count_cols:
        return out
    numbers = frame[count_cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    missing = np.isnan(numbers)
    values = np.where(missing, 0.0, numbers)
    if (values < 0).any() or (values != np.round(values)).any():
        raise ValueError(f"suppress_counts: {', '.join(count_cols)} must hold whole counts, "
                         "not negative or fractional numbers")
    n_rows, n_cols = values.shape
    primary = (values >= 1) & (values < SMALL_COUNT_LIMIT)
    hidden = primary.copy()

    def small(total: float) -> bool:
        return 1 <= total < SMALL_COUNT_LIMIT

    # Each line: the cells (as (row, col) index arrays) that add up to a published total.
    lines: list[tuple[np.ndarray, np.ndarray]] = []
    if across_columns and n_rows >= 2:
        for j in range(n_cols):
            if not small(values[:, j].sum()):
                lines.append((np.arange(n_rows), np.full(n_rows, j)))
    if across_rows and n_cols >= 2:
        for i in range(n_rows):
            if not small(values[i, :].sum()):
                lines.append((np.full(n_cols, i), np.arange(n_cols)))

    changed = True
    while changed:
        changed = False
        for rows, cols in lines:
            line_hidden = hidden[rows, cols]
            if line_hidden.sum() != 1:
                continue
            candidates = np.flatnonzero(~line_hidden)
            # smallest value first; np.argmin keeps the first of equals, i.e. line order
            pick = candidates[np.argmin(values[rows[candidates], cols[candidates]])]
            hidden[rows[pick], cols[pick]] = True
            changed = True

    def shown(i: int, j: int) -> str:
        if primary[i, j]:
            return PRIMARY_MARK
        if hidden[i, j]:
            return SECONDARY_MARK
        return "" if missing[i, j] else str(int(values[i, j]))

    for j, column in enumerate(count_cols):
        out[column] = pd.Series([shown(i, j) for i in range(n_rows)], index=out.index, dtype=object)

    # Only the totals that secondary suppression protected are added: a total row when
    # the rows were protected (`across_columns`), a total column when the columns were.
    row_totals = add_totals and across_rows and n_cols >= 2
    if row_totals:
        out[total_label] = [suppress_value(t) for t in values.sum(axis=1)]
    if add_totals and across_columns:
        total_row = {c: pd.NA for c in out.columns}
        for j, column in enumerate(count_cols):
            total_row[column] = suppress_value(values[:, j].sum())
        if row_totals:
            total_row[total_label] = suppress_value(values.sum())
        labels = [c for c in out.columns if c not in count_cols and c != total_label
                  and (pd.api.types.is_object_dtype(out[c]) or pd.api.types.is_string_dtype(out[c]))]
        if labels:
            total_row[labels[0]] = total_label
        total_frame = pd.DataFrame([total_row], index=[total_label], columns=out.columns)
        out = pd.concat([out.astype(object), total_frame.astype(object)])
    return out
