"""connectors/gsheets.py through gspread's and requests' real HTTP layers.

`FakeGoogle` is a requests transport adapter that answers like sheets.googleapis.com:
it stores whole spreadsheets as Google's Spreadsheet JSON (every CellData with its
userEnteredValue, effectiveValue, formattedValue and formats), applies the request's
`fields` mask the way Google does (and rejects fields that do not exist), and can be
scripted to fail (429, 5xx, timeouts). Response and error bodies follow the shapes in
gspread's recorded cassettes. Nothing here needs the network or ../shared.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import re
import threading
import traceback
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

import gspread
import openpyxl
import pandas as pd
import pytest
import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.structures import CaseInsensitiveDict

from connectors import gsheets
from connectors.base import (
    SourceForbidden, SourceNotFound, SourceUnavailable, SourceUnreadable, read_source,
)
from dashboard import cells

NOW = dt.datetime(2022, 6, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
SA_EMAIL = "coalition-dashboard@itsourcare-2022.iam.gserviceaccount.com"

# -- Google's Spreadsheet JSON, cell by cell ------------------------------------------
DEFAULT_FORMAT = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM", "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {"foregroundColor": {}, "fontFamily": "arial,sans,sans-serif", "fontSize": 10,
                   "bold": False, "italic": False, "strikethrough": False, "underline": False},
}


def _placeholder_pem(body: str, *, escaped: bool = False) -> str:
    """A PEM-shaped placeholder built at run time, so no key-like block is committed."""
    kind = "PRIVATE " + "KEY"
    newline = "\\n" if escaped else "\n"
    return f"-----BEGIN {kind}-----{newline}{body}{newline}-----END {kind}-----{newline}"


def _cell(effective: dict | None, shown: str | None, entered: dict | None = None,
          number_format: dict | None = None) -> dict:
    cell: dict = {"effectiveFormat": dict(DEFAULT_FORMAT)}
    if number_format:
        cell["userEnteredFormat"] = {"numberFormat": number_format}
        cell["effectiveFormat"]["numberFormat"] = number_format
    if effective is not None:
        cell["userEnteredValue"] = entered or effective
        cell["effectiveValue"] = effective
    if shown is not None:
        cell["formattedValue"] = shown
    return cell


def text(value: str) -> dict:
    return _cell({"stringValue": value}, value)


def number(value: float, shown: str | None = None, pattern: str | None = None,
           kind: str = "NUMBER") -> dict:
    fmt = {"type": kind, "pattern": pattern} if pattern else None
    return _cell({"numberValue": value}, shown if shown is not None else f"{value:g}", number_format=fmt)


def serial(day: dt.date | dt.datetime) -> float:
    delta = (day if isinstance(day, dt.datetime) else dt.datetime(day.year, day.month, day.day)) \
        - dt.datetime(1899, 12, 30)
    value = delta.total_seconds() / 86400
    return int(value) if value.is_integer() else value


def date(day: dt.date, pattern: str = "dd/mm/yyyy") -> dict:
    shown = (f"{day.month}/{day.day}/{day.year}" if pattern == "M/d/yyyy"
             else f"{day.day:02d}/{day.month:02d}/{day.year}")
    return _cell({"numberValue": serial(day)}, shown,
                 number_format={"type": "DATE", "pattern": pattern})


def error(kind: str, shown: str, formula: str = "=VLOOKUP(A2,Lists!A:B,2,FALSE)") -> dict:
    effective = {"errorValue": {"type": kind, "message": "Did not find value 'Jane Smith' in lookup."}}
    return _cell(effective, shown, entered={"formulaValue": formula})


def checkbox(value: bool) -> dict:
    return _cell({"boolValue": value}, "TRUE" if value else "FALSE")


BLANK: dict = {"effectiveFormat": dict(DEFAULT_FORMAT)}        # formatted but empty


def as_cell(value) -> dict:
    """A Python value as Google would hold it after a person typed it."""
    if value is None:
        return BLANK
    if isinstance(value, dict):
        return value
    if isinstance(value, bool):
        return checkbox(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return date(value)
    if isinstance(value, (int, float)):
        return number(value)
    if value in cells.ERROR_VALUES:
        kinds = {"#REF!": "REF", "#N/A": "N_A", "#VALUE!": "VALUE", "#DIV/0!": "DIVIDE_BY_ZERO",
                 "#NAME?": "NAME", "#ERROR!": "ERROR", "#NUM!": "NUM", "#NULL!": "NULL_VALUE"}
        return error(kinds[value], value)
    return text(value)


def sheet(title: str, gid: int, rows: list[list], index: int = 0) -> dict:
    return {
        "properties": {"sheetId": gid, "title": title, "index": index, "sheetType": "GRID",
                       "gridProperties": {"rowCount": 1000, "columnCount": 26}},
        "data": [{"rowData": [{"values": [as_cell(v) for v in row]} if row else {} for row in rows],
                  "rowMetadata": [{"pixelSize": 21} for _ in rows],
                  "columnMetadata": [{"pixelSize": 100} for _ in range(26)]}],
        "merges": [], "conditionalFormats": [],
    }


def spreadsheet(key: str, tabs: list[tuple[str, int, list[list]]]) -> dict:
    return {
        "spreadsheetId": key,
        "properties": {"title": f"Coalition data {key}", "locale": "en_GB",
                       "autoRecalc": "ON_CHANGE", "timeZone": "Europe/London",
                       "defaultFormat": DEFAULT_FORMAT},
        "sheets": [sheet(t, gid, rows, i) for i, (t, gid, rows) in enumerate(tabs)],
        "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{key}/edit",
    }


# -- field masks, as Google applies them -----------------------------------------------
# The parts of Google's Spreadsheet schema a read can select; None = a leaf (or a type
# this fake does not model further). A mask naming anything else gets Google's 400.
SCHEMA: dict[str, dict[str, str | None]] = {
    "Spreadsheet": {"spreadsheetId": None, "properties": "SpreadsheetProperties",
                    "sheets": "Sheet", "namedRanges": None, "spreadsheetUrl": None,
                    "developerMetadata": None, "dataSources": None},
    "SpreadsheetProperties": dict.fromkeys(["title", "locale", "autoRecalc", "timeZone",
                                            "defaultFormat", "spreadsheetTheme"]),
    "Sheet": {"properties": "SheetProperties", "data": "GridData", "merges": None,
              "conditionalFormats": None, "filterViews": None, "protectedRanges": None,
              "basicFilter": None, "charts": None, "bandedRanges": None},
    "SheetProperties": dict.fromkeys(["sheetId", "title", "index", "sheetType",
                                      "gridProperties", "hidden", "tabColor", "rightToLeft"]),
    "GridData": {"startRow": None, "startColumn": None, "rowData": "RowData",
                 "rowMetadata": None, "columnMetadata": None},
    "RowData": {"values": "CellData"},
    "CellData": {"userEnteredValue": "ExtendedValue", "effectiveValue": "ExtendedValue",
                 "formattedValue": None, "userEnteredFormat": "CellFormat",
                 "effectiveFormat": "CellFormat", "hyperlink": None, "note": None,
                 "textFormatRuns": None, "dataValidation": None, "pivotTable": None},
    "ExtendedValue": dict.fromkeys(["numberValue", "stringValue", "boolValue", "formulaValue",
                                    "errorValue"]),
    "CellFormat": {"numberFormat": "NumberFormat", "backgroundColor": None, "padding": None,
                   "borders": None, "verticalAlignment": None, "horizontalAlignment": None,
                   "wrapStrategy": None, "textFormat": None, "textDirection": None},
    "NumberFormat": dict.fromkeys(["type", "pattern"]),
}


def parse_mask(mask: str) -> dict:
    """'a(b,c.d),e' -> {'a': {'b': {}, 'c': {'d': {}}}, 'e': {}}; {} selects everything."""
    pos = 0

    def fields() -> dict:
        nonlocal pos
        tree: dict = {}
        while True:
            m = re.compile(r"[A-Za-z_]+(?:\.[A-Za-z_]+)*").match(mask, pos)
            if not m:
                raise ValueError(f"bad field mask at {pos}")
            pos = m.end()
            sub: dict = {}
            if pos < len(mask) and mask[pos] == "(":
                pos += 1
                sub = fields()
                if pos >= len(mask) or mask[pos] != ")":
                    raise ValueError("unbalanced field mask")
                pos += 1
            node = tree
            *parents, leaf = m.group(0).split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node.setdefault(leaf, {}).update(sub)
            if pos < len(mask) and mask[pos] == ",":
                pos += 1
                continue
            return tree

    tree = fields()
    if pos != len(mask):
        raise ValueError("trailing characters in field mask")
    return tree


def check_mask(tree: dict, type_name: str | None = "Spreadsheet", schema: dict | None = None) -> None:
    schema = SCHEMA if schema is None else schema
    known = schema.get(type_name or "")
    for name, sub in tree.items():
        if known is not None and name not in known:
            raise ValueError(name)
        check_mask(sub, known.get(name) if known else None, schema)


def apply_mask(obj, tree: dict):
    if not tree:
        return obj
    if isinstance(obj, list):
        return [apply_mask(item, tree) for item in obj]
    if isinstance(obj, dict):
        return {k: apply_mask(v, tree[k]) for k, v in obj.items() if k in tree}
    return obj


# -- the fake service ----------------------------------------------------------------
GOOGLE_ERRORS = {
    400: ("This operation is not supported for this document", "FAILED_PRECONDITION"),
    401: ("Request had invalid authentication credentials.", "UNAUTHENTICATED"),
    403: ("The caller does not have permission", "PERMISSION_DENIED"),
    404: ("Requested entity was not found.", "NOT_FOUND"),
    429: ("Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute "
          "per user' of service 'sheets.googleapis.com' for consumer 'project_number:1234'.",
          "RESOURCE_EXHAUSTED"),
    500: ("Internal error encountered.", "INTERNAL"),
    503: ("The service is currently unavailable.", "UNAVAILABLE"),
}
REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
           404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
           503: "Service Unavailable"}


@dataclass
class Seen:
    method: str
    host: str
    path: str
    params: dict
    timeout: object
    headers: CaseInsensitiveDict
    status: int = 0
    body_bytes: int = 0


@dataclass
class Fail:
    """A scripted failure: an HTTP status (with optional headers/details) or an exception."""
    status: int = 0
    exception: Exception | None = None
    headers: dict = field(default_factory=dict)
    details: list = field(default_factory=list)
    raw_body: bytes | None = None       # sent as is with `status` (e.g. a proxy's HTML page)


# Drive v3 resources, the parts the stand-in holds (a mask naming anything else gets 400).
DRIVE_SCHEMA: dict[str, dict[str, str | None]] = {
    "ChangeList": {"kind": None, "nextPageToken": None, "newStartPageToken": None,
                   "changes": "Change"},
    "Change": {"kind": None, "removed": None, "file": "File", "fileId": None, "time": None,
               "driveId": None, "changeType": None},
    "FileList": {"kind": None, "nextPageToken": None, "incompleteSearch": None, "files": "File"},
    "File": dict.fromkeys(["kind", "id", "name", "mimeType", "modifiedTime", "version",
                           "trashed"]),
}
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
_Q_TERM = re.compile(r"^\s*(mimeType|modifiedTime|trashed)\s*(=|!=|>|>=|<|<=)\s*"
                     r"('(?:[^'\\]|\\.)*'|true|false)\s*$")


class FakeGoogle(BaseAdapter):
    """sheets.googleapis.com, and www.googleapis.com/drive/v3's changes and files:
    changes/startPageToken, changes (pageToken, pageSize, fields; nextPageToken, then
    newStartPageToken), files (q on mimeType, modifiedTime and trashed; fields).

    Every `add` or `edit` of a spreadsheet is one entry in Drive's change log, as a person's
    edit is; a page token is the position in that log. `expire_tokens()` makes Google
    refuse every token handed out so far; `drive_enabled = False` answers Drive with the
    403 of an API not enabled in the project."""
    TOKEN_HOST = "oauth2.googleapis.com"
    IAM_HOST = "iamcredentials.googleapis.com"
    DRIVE_HOST = "www.googleapis.com"

    def __init__(self, token: str = "ya29.test-token"):
        super().__init__()
        self.books: dict[str, dict] = {}
        self.scripts: dict[str, object] = {}
        self.seen: list[Seen] = []
        self.token = token
        self.change_log: list[tuple[str, str]] = []        # (fileId, time), oldest first
        self.modified: dict[str, str] = {}
        self.token_base = 0            # page token = token_base + position in the log
        self.drive_enabled = True
        self.clock = dt.datetime(2022, 6, 23, 8, 0, tzinfo=dt.timezone.utc)

    def add(self, key: str, tabs: list[tuple[str, int, list[list]]]) -> str:
        self.books[key] = spreadsheet(key, tabs)
        self._changed(key)
        return key

    def edit(self, key: str, tabs: list[tuple[str, int, list[list]]]) -> None:
        """A person edits the sheet: new cells, and an entry in Drive's change log."""
        assert key in self.books
        self.books[key] = spreadsheet(key, tabs)
        self._changed(key)

    def touch(self, key: str) -> None:
        """A change Drive logs without new values (a comment, a rename)."""
        self._changed(key)

    def _changed(self, key: str) -> None:
        self.clock += dt.timedelta(seconds=1)
        at = self.clock.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        self.change_log.append((key, at))
        self.modified[key] = at

    def expire_tokens(self) -> None:
        """Google stops accepting every page token handed out so far."""
        self.token_base += 10_000_000

    def drive_calls(self) -> int:
        return sum(1 for s in self.seen if s.host == self.DRIVE_HOST)

    def state(self) -> dict:
        """Everything a new process needs to answer as this one would (tests that run
        `python -m dashboard` as a subprocess)."""
        return {"books": self.books, "change_log": self.change_log, "modified": self.modified,
                "token_base": self.token_base, "drive_enabled": self.drive_enabled}

    @classmethod
    def from_state(cls, state: dict) -> "FakeGoogle":
        fake = cls()
        fake.books, fake.modified = state["books"], state["modified"]
        fake.change_log = [tuple(c) for c in state["change_log"]]
        fake.token_base, fake.drive_enabled = state["token_base"], state["drive_enabled"]
        return fake

    def script(self, key: str, *steps: Fail | int, forever: bool = False) -> None:
        steps = [Fail(s) if isinstance(s, int) else s for s in steps]
        self.scripts[key] = itertools.cycle(steps) if forever else iter(steps)

    def calls(self, key: str | None = None) -> int:
        return sum(1 for s in self.seen if s.host == "sheets.googleapis.com"
                   and (key is None or s.path.rstrip("/").split("/")[3] == key))

    # requests calls this for every request the session sends
    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        url = urlsplit(request.url)
        seen = Seen(request.method, url.netloc, unquote(url.path), parse_qs(url.query), timeout,
                    CaseInsensitiveDict(request.headers))
        self.seen.append(seen)
        if url.netloc == self.TOKEN_HOST:
            return self._reply(request, seen, 200, {"access_token": self.token,
                                                    "expires_in": 3599, "token_type": "Bearer"})
        if url.netloc == self.IAM_HOST:
            # google-auth's own background "regional access boundary" lookup: not a Sheets
            # call, not ours; answered so it never reaches the network.
            return self._error(request, seen, 404)
        if url.netloc == self.DRIVE_HOST and seen.path.startswith("/drive/v3/"):
            return self._drive(request, seen)
        match = re.fullmatch(r"/v4/spreadsheets/([^/]+)", seen.path)
        assert url.netloc == "sheets.googleapis.com" and match, request.url
        key = match.group(1)
        step = next(self.scripts.get(key, iter(())), None)
        if step is not None:
            if step.exception is not None:
                raise step.exception
            if step.raw_body is not None:
                response = self._reply(request, seen, step.status, {})
                response._content = step.raw_body
                response.headers["Content-Type"] = "text/html; charset=UTF-8"
                return response
            return self._error(request, seen, step.status, step.headers, step.details)
        if key not in self.books:
            return self._error(request, seen, 404)
        book = self.books[key]
        if "fields" in seen.params:
            try:
                tree = parse_mask(seen.params["fields"][0])
                check_mask(tree)
            except ValueError as bad:
                return self._error(request, seen, 400, details=[], message=f"Invalid field selection {bad}",
                                   status_text="INVALID_ARGUMENT")
            return self._reply(request, seen, 200, apply_mask(book, tree))
        if seen.params.get("includeGridData", ["false"])[0] != "true":
            book = {k: v for k, v in book.items() if k != "sheets"} | {
                "sheets": [{"properties": s["properties"]} for s in book["sheets"]]}
        return self._reply(request, seen, 200, book)

    def close(self):
        pass

    # -- Drive v3 -------------------------------------------------------------------
    def _drive(self, request, seen):
        if not self.drive_enabled:
            return self._error(request, seen, 403, message=(
                "Google Drive API has not been used in project 1234 before or it is disabled."),
                details=[{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                          "reason": "SERVICE_DISABLED", "domain": "googleapis.com"}])
        params = {k: v[0] for k, v in seen.params.items()}
        step = next(self.scripts.get("drive", iter(())), None)
        if step is not None:
            return self._error(request, seen, step.status, step.headers, step.details)
        if seen.path == "/drive/v3/changes/startPageToken":
            return self._reply(request, seen, 200, {"kind": "drive#startPageToken",
                                                    "startPageToken": self._token(len(self.change_log))})
        if seen.path == "/drive/v3/changes":
            token = params.get("pageToken", "")
            if not token.isdigit() or not 1 <= int(token) - self.token_base <= len(self.change_log) + 1:
                return self._error(request, seen, 400, message="Invalid Value",
                                   status_text="INVALID_ARGUMENT")
            size = int(params.get("pageSize", "100"))
            if not 1 <= size <= 1000:
                return self._error(request, seen, 400, message="Invalid Value",
                                   status_text="INVALID_ARGUMENT")
            start = int(token) - self.token_base - 1
            page = self.change_log[start:start + size]
            body = {"kind": "drive#changeList", "changes": [
                {"kind": "drive#change", "changeType": "file", "removed": False, "fileId": key,
                 "time": at, "file": self._file(key)} for key, at in page]}
            if start + size < len(self.change_log):
                body["nextPageToken"] = self._token(start + size)
            else:
                body["newStartPageToken"] = self._token(len(self.change_log))
            return self._drive_reply(request, seen, body, "ChangeList", params)
        if seen.path == "/drive/v3/files":
            try:
                keep = self._query(params.get("q", ""))
            except ValueError:
                return self._error(request, seen, 400, message="Invalid Value",
                                   status_text="INVALID_ARGUMENT")
            files = [self._file(k) for k in self.books if keep(self._file(k))]
            return self._drive_reply(request, seen, {"kind": "drive#fileList", "files": files,
                                                     "incompleteSearch": False}, "FileList", params)
        return self._error(request, seen, 404)

    def _token(self, changes_before: int) -> str:
        return str(self.token_base + changes_before + 1)

    def _file(self, key: str) -> dict:
        return {"kind": "drive#file", "id": key, "name": self.books[key]["properties"]["title"],
                "mimeType": SPREADSHEET_MIME, "modifiedTime": self.modified[key],
                "version": str(sum(1 for k, _ in self.change_log if k == key)), "trashed": False}

    @staticmethod
    def _query(q: str):
        """files.list's q, for the terms the stand-in knows, joined by 'and'."""
        tests = []
        for term in filter(None, (t.strip() for t in re.split(r"\s+and\s+", q))):
            m = _Q_TERM.match(term)
            if not m:
                raise ValueError(term)
            field_name, op, literal = m.groups()
            value = literal in ("true",) if literal in ("true", "false") else literal[1:-1]
            compare = {"=": lambda a, b: a == b, "!=": lambda a, b: a != b,
                       ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
                       "<": lambda a, b: a < b, "<=": lambda a, b: a <= b}[op]
            if field_name == "modifiedTime":
                value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
                tests.append(lambda f, c=compare, v=value: c(
                    dt.datetime.fromisoformat(f["modifiedTime"].replace("Z", "+00:00")), v))
            else:
                tests.append(lambda f, c=compare, v=value, n=field_name: c(f[n], v))
        return lambda f: all(t(f) for t in tests)

    def _drive_reply(self, request, seen, body, type_name, params):
        if "fields" not in params:
            return self._reply(request, seen, 200, body)
        try:
            tree = parse_mask(params["fields"])
            check_mask(tree, type_name, DRIVE_SCHEMA)
        except ValueError as bad:
            return self._error(request, seen, 400, message=f"Invalid field selection {bad}",
                               status_text="INVALID_ARGUMENT")
        return self._reply(request, seen, 200, apply_mask(body, tree))

    def _error(self, request, seen, status, headers=None, details=None, message=None,
               status_text=None):
        default_message, default_status = GOOGLE_ERRORS[status]
        error = {"code": status, "message": message or default_message,
                 "status": status_text or default_status}
        if details:
            error["details"] = details
        return self._reply(request, seen, status, {"error": error}, headers)

    @staticmethod
    def _reply(request, seen, status, body, headers=None):
        response = requests.Response()
        response.status_code = status
        response.reason = REASONS[status]
        response._content = json.dumps(body).encode("utf-8")
        response.headers = CaseInsensitiveDict(
            {"Content-Type": "application/json; charset=UTF-8", **(headers or {})})
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        seen.status, seen.body_bytes = status, len(response._content)
        return response


@pytest.fixture
def google() -> FakeGoogle:
    return FakeGoogle()


@pytest.fixture
def client(google):
    session = requests.Session()
    session.mount("https://", google)
    return gspread.Client(auth=None, session=session)


class Sleeps(list):
    """Records backoff waits instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def read(client, source, sleeps=None, **kwargs):
    return gsheets.read_gsheet(source, client=client, now=NOW, sleep=sleeps if sleeps is not None
                               else Sleeps(), **kwargs)


# -- a charity's four tabs ------------------------------------------------------------
def four_tabs(titles=("Attendees", "MP meetings", "Pledges", "Media")) -> list:
    attendees, meetings, pledges, media = titles
    return [
        (attendees, 0, [
            ["Become attendees - do not share"],                               # row 1: title
            ["Ref", "Status", "Age band", "Media consent", "Registered on"],   # row 2: header
            ["BEC-001", "attended", "18-21", True, dt.date(2022, 6, 1)],       # row 3
            [],                                                                # row 4: blank
            ["BEC-002", "registered", None, False, "06/07/2022"],              # row 5
        ]),
        (meetings, 1_204_567_891, [
            ["Name", "Date", "Role", "Young people present", "Pledge signed"],
            ["Rt Hon Jane Smith MP", dt.date(2022, 6, 22), "MP", 4, "yes"],
        ]),
        (pledges, 42, [["MP name", "Constituency"], ["Jane Smith", "Bristol West"]]),
        (media, 7, [["Outlet", "URL", "Reach"],
                    ["BBC Newsround", "https://www.bbc.co.uk/newsround/", 1_200_000]]),
    ]


# -- the good read -----------------------------------------------------------------------
def test_a_whole_spreadsheet_is_one_request(google, client):
    key = google.add("1BecomeKeyAbc_-9", four_tabs())
    raw = read(client, f"gsheet:{key}")

    assert raw.kind == "gsheet" and raw.source == f"gsheet:{key}"
    assert [t.title for t in raw.tabs] == ["Attendees", "MP meetings", "Pledges", "Media"]
    assert [t.sheet_id for t in raw.tabs] == [0, 1_204_567_891, 42, 7]
    assert raw.api_calls == 1 and google.calls(key) == 1
    assert raw.edit_url == f"https://docs.google.com/spreadsheets/d/{key}/edit"
    assert raw.read_at == NOW

    (request,) = google.seen
    assert request.method == "GET" and request.path == f"/v4/spreadsheets/{key}"
    assert request.params["fields"] == [gsheets.FIELDS]
    assert request.params["includeGridData"] == ["true"]
    assert request.timeout == 20          # gspread would otherwise send no timeout at all


def test_cells_keep_their_sheet_rows_and_blanks_are_none(google, client):
    key = google.add("key-rows", four_tabs())
    attendees = read(client, f"gsheet:{key}").tabs[0].cells

    assert isinstance(attendees.index, pd.RangeIndex) and list(attendees.columns) == [0, 1, 2, 3, 4]
    assert all(dtype == object for dtype in attendees.dtypes)
    assert attendees.shape == (5, 5)                     # trailing formatted-but-empty rows dropped
    assert attendees.iloc[0].tolist() == ["Become attendees - do not share", None, None, None, None]
    assert attendees.iloc[1].tolist() == ["Ref", "Status", "Age band", "Media consent", "Registered on"]
    assert attendees.iloc[2].tolist() == ["BEC-001", "attended", "18-21", True, dt.datetime(2022, 6, 1)]
    assert attendees.iloc[3].tolist() == [None] * 5      # sheet row 4 is blank: kept, all None
    assert attendees.iloc[4].tolist() == ["BEC-002", "registered", None, False, "06/07/2022"]


def _leaves(tree: dict, prefix: str = "") -> set[str]:
    return set().union(*(_leaves(sub, f"{prefix}{name}.") if sub else {prefix + name}
                         for name, sub in tree.items()))


def test_the_read_asks_for_values_and_number_format_types_only():
    """The mask names each field the reader uses and nothing else: no formatted text (it
    follows the sheet's locale), no formulas, notes, colours or fonts."""
    assert _leaves(parse_mask(gsheets.READ_PARAMS["fields"])) == {
        "sheets.properties.sheetId", "sheets.properties.title", "sheets.data.startRow",
        "sheets.data.startColumn", "sheets.data.rowData.values.effectiveValue",
        "sheets.data.rowData.values.effectiveFormat.numberFormat.type"}


def test_tab_names_in_other_case_and_spacing_come_back_as_written(google, client):
    titles = (" ATTENDEES ", "mp_meetings", "pledges", "Media-")
    key = google.add("key-titles", four_tabs(titles) + [("Notes (ignore)", 99, [["anything"]])])
    raw = read(client, f"gsheet:{key}")
    assert [t.title for t in raw.tabs] == [*titles, "Notes (ignore)"]


@pytest.mark.parametrize("address", [
    "https://docs.google.com/spreadsheets/d/{key}/edit#gid=1204567891",
    "https://docs.google.com/spreadsheets/u/1/d/{key}/edit?usp=sharing",   # several accounts
])
def test_a_browser_link_and_read_source_reach_the_same_sheet(google, client, address):
    key = google.add("1LinkKey_abc-XYZ", four_tabs())
    url = address.format(key=key)
    raw = read_source(url, gspread_client=client, now=NOW)
    assert raw.kind == "gsheet" and raw.source == url and raw.api_calls == 1
    assert raw.edit_url == f"https://docs.google.com/spreadsheets/d/{key}/edit"
    assert raw.cell_link(raw.tabs[1], 2, 1) == f"{raw.edit_url}#gid=1204567891&range=B2"


@pytest.mark.parametrize("source", [
    "gsheet:", "gsheet:not a key", "https://example.org/spreadsheets/d/abc",
    "https://docs.google.com/spreadsheets/d/e/2PACX-1vQabc/pubhtml",
    "https://docs.google.com/spreadsheets/u/0/d/e/2PACX-1vQabc/pubhtml",
])
def test_sources_that_are_not_sheet_links_are_refused_without_a_request(google, client, source):
    with pytest.raises(SourceUnreadable) as err:
        read(client, source)
    assert google.seen == [] and err.value.api_calls == 0
    assert "docs.google.com/spreadsheets/d/" in str(err.value) or "gsheet:" in str(err.value)


# -- dates, numbers, yes/no and error values ------------------------------------------------
def test_dates_numbers_and_errors_come_through_as_designed(google, client):
    june22 = dt.date(2022, 6, 22)
    row = [
        date(june22),                                                 # A: UK-formatted date
        date(dt.date(2022, 6, 7), pattern="M/d/yyyy"),                # B: US sheet shows 6/7/2022
        _cell({"numberValue": serial(dt.datetime(2022, 6, 22, 14, 30))}, "22/06/2022 14:30:00",
              number_format={"type": "DATE_TIME", "pattern": "dd/mm/yyyy hh:mm:ss"}),  # C
        number(44734),                                                # D: a serial typed as a number
        number(1200, "1,200", "#,##0"),                               # E: whole number, grouped
        number(12.5),                                                 # F
        text("22/06/2022"),                                           # G: a date the sheet kept as text
        error("REF", "#REF!"),                                        # H
        error("REF", "#BEZUG!"),                                      # I: German-locale display text
        error("N_A", "#N/A"), error("DIVIDE_BY_ZERO", "#DIV/0!"),     # J, K
        checkbox(True),                                               # L
        number(0.5, "12:00:00", "hh:mm:ss", kind="TIME"),             # M
        _cell({"stringValue": ""}, ""),                               # N: formula giving ""
        number(0.25, "25%", "0%", kind="PERCENT"),                    # O
        text("  1 200  "),                                            # P: spaces kept for validation
    ]
    key = google.add("key-cells", [("Values", 0, [row])])
    values = read(client, f"gsheet:{key}").tabs[0].cells.iloc[0].tolist()

    assert values == [
        dt.datetime(2022, 6, 22), dt.datetime(2022, 6, 7), dt.datetime(2022, 6, 22, 14, 30),
        44734, 1200, 12.5, "22/06/2022", "#REF!", "#REF!", "#N/A", "#DIV/0!", True,
        "12:00", None, 0.25, "  1 200  ",
    ]
    assert type(values[3]) is int and type(values[4]) is int
    # ...and the contract's cell rules read them as intended.
    assert [cells.parse_date(v)[0] for v in values[:4]] == [june22, dt.date(2022, 6, 7), june22, june22]
    assert cells.parse_date(values[6]) == (june22, None)
    assert cells.parse_int(values[4]) == (1200, None) and cells.parse_int(values[15]) == (1200, None)
    assert all(cells.is_error_value(v) for v in values[7:11])
    assert cells.parse_yesno(values[11]) == (True, None)


def test_an_error_cell_from_google_is_a_validation_warning(google, client):
    from dashboard import validate

    key = google.add("key-errors", [("MP meetings", 5, [
        ["Name", "Date", "Young people present"],
        ["Jane Smith", error("REF", "#REF!"), 3],
        ["Bob Jones", dt.date(2022, 6, 22), error("DIVIDE_BY_ZERO", "#DIV/0!")],
    ])])
    data = validate.validate_workbook(read(client, f"gsheet:{key}"), "Become")
    warnings = {(i.row, i.column) for i in data.issues if i.code == "error_value"}
    assert warnings == {(2, "Date"), (3, "Young people present")}
    link = next(i.link for i in data.issues if i.code == "error_value" and i.row == 2)
    assert link.endswith("#gid=5&range=B2")
    assert data.frames["mp_meetings"]["date"].isna().tolist() == [True, False]


# -- faults --------------------------------------------------------------------------------
def test_429_is_retried_and_both_requests_are_counted(google, client, sleeps, caplog):
    key = google.add("key-429", four_tabs())
    google.script(key, 429)
    with caplog.at_level(logging.WARNING, logger="connectors.gsheets"):
        raw = read(client, f"gsheet:{key}", sleeps, rand=lambda: 0.5)
    assert raw.api_calls == 2 and google.calls(key) == 2
    assert len(raw.tabs) == 4
    assert sleeps == [0.75]                  # first backoff: 1 s nominal, equal jitter
    assert "429" in caplog.text and "attempt 2 of 5" in caplog.text


def test_retry_after_from_google_is_honoured(google, client, sleeps):
    key = google.add("key-retry-after", four_tabs())
    google.script(key, Fail(429, headers={"Retry-After": "7"}))
    assert read(client, f"gsheet:{key}", sleeps).api_calls == 2
    assert sleeps == [7.0]


def test_a_quota_403_is_retried_like_a_429(google, client, sleeps):
    key = google.add("key-quota-403", four_tabs())
    google.script(key, Fail(403, details=[{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                           "reason": "RATE_LIMIT_EXCEEDED"}]))
    assert read(client, f"gsheet:{key}", sleeps).api_calls == 2


def test_500_forever_gives_up_after_bounded_attempts(google, client, sleeps):
    google.script("key-500", 500, forever=True)
    with pytest.raises(SourceUnavailable) as err:
        read(client, "gsheet:key-500", sleeps, rand=lambda: 0.999)
    assert google.calls("key-500") == 5 and err.value.api_calls == 5
    assert "Google returned 500" in str(err.value) and "after 5 tries" in str(err.value)
    assert len(sleeps) == 4
    assert sleeps == pytest.approx([1, 2, 4, 8], abs=0.01)          # doubling, capped jitter
    assert sum(sleeps) <= gsheets.DEFAULT_RETRY.max_total_wait_s


def test_total_backoff_is_capped(google, client, sleeps):
    google.script("key-503", 503, forever=True)
    policy = gsheets.RetryPolicy(max_attempts=10, max_total_wait_s=5.0)
    with pytest.raises(SourceUnavailable) as err:
        read(client, "gsheet:key-503", sleeps, policy=policy, rand=lambda: 0.999)
    assert sum(sleeps) <= 5.0 + 1e-9
    assert google.calls("key-503") == err.value.api_calls < 10
    assert "Google returned 503" in str(err.value)


def test_a_hang_times_out_on_every_request(google, client, sleeps):
    google.script("key-hang", Fail(exception=requests.ReadTimeout("read timed out")), forever=True)
    with pytest.raises(SourceUnavailable) as err:
        read(client, "gsheet:key-hang", sleeps)
    assert "did not answer within 20 s" in str(err.value) and "after 5 tries" in str(err.value)
    assert [s.timeout for s in google.seen] == [20] * 5


def test_a_timeout_already_set_on_the_client_is_kept(google, client):
    key = google.add("key-timeout", four_tabs())
    client.set_timeout((3.05, 9))
    read(client, f"gsheet:{key}")
    assert google.seen[0].timeout == (3.05, 9)


def test_a_dropped_connection_then_success(google, client, sleeps):
    key = google.add("key-reset", four_tabs())
    google.script(key, Fail(exception=requests.ConnectionError("connection reset by peer")))
    raw = read(client, f"gsheet:{key}", sleeps)
    assert raw.api_calls == 2 and len(sleeps) == 1


def test_a_page_that_is_not_googles_json_is_unavailable_not_a_crash(google, client):
    google.script("key-portal", Fail(200, raw_body=b"<html><body>Sign in to the Wi-Fi</body></html>"))
    with pytest.raises(SourceUnavailable) as err:
        read(client, "gsheet:key-portal")
    assert "could not be read" in str(err.value) and "Wi-Fi" not in str(err.value)
    assert err.value.api_calls == 1


def test_403_names_the_service_account_to_share_with(google, client, sleeps, monkeypatch, tmp_path):
    key_file = tmp_path / "sa.json"
    key_file.write_text(json.dumps({
        "type": "service_account", "client_email": SA_EMAIL, "private_key_id": "abc123",
        "private_key": _placeholder_pem("not-used-here"),
        "token_uri": "https://oauth2.googleapis.com/token"}))
    google.script("key-private", 403)
    with pytest.raises(SourceForbidden) as err:
        read(client, "gsheet:key-private", sleeps, key_file=str(key_file))
    assert SA_EMAIL in str(err.value) and "Viewer" in str(err.value) and "key-private" in str(err.value)
    assert google.calls() == 1 and sleeps == [] and err.value.api_calls == 1
    assert gsheets.service_account_email(str(key_file)) == SA_EMAIL


def test_403_without_known_credentials_says_where_to_find_the_email(google, client):
    google.script("key-private", 403)
    with pytest.raises(SourceForbidden) as err:
        read(client, "gsheet:key-private")
    assert "client_email" in str(err.value)


def test_403_because_the_api_is_not_enabled(google, client):
    google.script("key-disabled", Fail(403, details=[
        {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED"}]))
    with pytest.raises(SourceForbidden) as err:
        read(client, "gsheet:key-disabled")
    assert "Google Sheets API is not enabled" in str(err.value) and google.calls() == 1


def test_404_is_not_found(google, client, sleeps):
    with pytest.raises(SourceNotFound) as err:
        read(client, "gsheet:no-such-sheet", sleeps)
    assert "no-such-sheet" in str(err.value) and google.calls() == 1 and sleeps == []


def test_400_is_unreadable_and_not_retried(google, client, sleeps):
    google.script("key-xlsx", 400)
    with pytest.raises(SourceUnreadable) as err:
        read(client, "gsheet:key-xlsx", sleeps)
    message = str(err.value)
    assert "(400)" in message and "Save as Google Sheets" in message and "renamed" in message
    assert google.calls() == 1 and sleeps == []


def test_401_is_forbidden(google, client):
    google.script("key-401", 401)
    with pytest.raises(SourceForbidden) as err:
        read(client, "gsheet:key-401")
    assert "(401)" in str(err.value)


# -- credentials -------------------------------------------------------------------------
def test_no_credentials_is_a_clear_forbidden_without_any_request(google, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourceForbidden) as err:
        gsheets.read_gsheet("gsheet:any-key", now=NOW)
    assert "GOOGLE_APPLICATION_CREDENTIALS" in str(err.value) and "secrets.toml" in str(err.value)
    assert gsheets.service_account_email() is None
    assert google.seen == []


@pytest.mark.parametrize("content, expected", [
    (None, "does not exist"),
    ("{not json", "cannot be read as JSON"),
    (json.dumps({"type": "authorized_user", "client_id": "x", "refresh_token": "1//secret-refresh"}),
     "not a service-account key"),
    (json.dumps({"type": "service_account", "client_email": SA_EMAIL}), "lacks private_key, token_uri"),
])
def test_unusable_credential_files_are_explained(monkeypatch, tmp_path, content, expected):
    path = tmp_path / "key.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(SourceForbidden) as err:
        gsheets.read_gsheet("gsheet:any-key", now=NOW, key_file=str(path))
    assert expected in str(err.value)
    assert "1//secret-refresh" not in str(err.value)


def test_the_dashboard_passes_its_key_file_and_clock_to_the_connectors(monkeypatch, tmp_path):
    """connectors/ reads no settings: GOOGLE_APPLICATION_CREDENTIALS and DASHBOARD_NOW
    reach a read because dashboard.sources (and the pipeline through it) pass them in."""
    from dashboard import clock, pipeline, sources
    from dashboard.config import load_config
    from tests.conftest import ROOT

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "no-such-key.json"
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(missing))
    with pytest.raises(SourceForbidden) as err:
        sources.read("gsheet:any-key")
    assert str(missing) in str(err.value) and "does not exist" in str(err.value)
    with pytest.raises(SourceForbidden):
        sources.google_client()

    frozen = "2022-06-23T09:30:00+01:00"
    monkeypatch.setenv("DASHBOARD_NOW", frozen)
    workbook = ROOT / "dashboard" / "demo_data" / "become.xlsx"
    assert sources.read(str(workbook)).read_at == clock.parse_instant(frozen)
    config = load_config(ROOT / "dashboard" / "demo_data" / "coalition.toml")
    assert pipeline.load_charity(config.charities[0], config).as_of == clock.parse_instant(frozen)


def _service_account_file(tmp_path) -> tuple[dict, object]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    info = {"type": "service_account", "project_id": "itsourcare-2022",
            "private_key_id": uuid.uuid4().hex, "private_key": pem, "client_email": SA_EMAIL,
            "client_id": "109876543210", "token_uri": "https://oauth2.googleapis.com/token"}
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(info))
    return info, path


def test_credentials_never_reach_messages_or_logs(monkeypatch, tmp_path, caplog):
    """The real google-auth path: a service-account key signs a JWT, the (fake) token
    endpoint returns a bearer token, the token is sent to Sheets; then every failure."""
    info, path = _service_account_file(tmp_path)
    google = FakeGoogle(token="ya29.c.SECRET-" + uuid.uuid4().hex)
    # Every requests session in the process (gspread's AuthorizedSession and google-auth's
    # token session) now talks to the fake instead of the network.
    monkeypatch.setattr(HTTPAdapter, "send", lambda self, request, **kw: google.send(request, **kw))
    google.add("key-ok", four_tabs())
    google.script("key-403", 403)
    google.script("key-500", 500, forever=True)
    google.script("key-hang", Fail(exception=requests.ReadTimeout("timed out")), forever=True)
    google.script("key-400", 400)

    with caplog.at_level(logging.DEBUG):
        raw = gsheets.read_gsheet("gsheet:key-ok", now=NOW, sleep=Sleeps(), key_file=str(path))
        failures = []
        for key in ("key-403", "key-500", "key-hang", "key-400", "key-missing"):
            with pytest.raises(gsheets.SourceError) as err:
                gsheets.read_gsheet(f"gsheet:{key}", now=NOW, sleep=Sleeps(), key_file=str(path))
            failures.append(err.value)
        # google-auth starts a background lookup on first use; let it finish while the
        # network is still the fake.
        for thread in threading.enumerate():
            if "RegionalAccessBoundary" in type(thread).__name__:
                thread.join(timeout=5)

    assert raw.api_calls == 1 and len(raw.tabs) == 4
    sheet_requests = [s for s in google.seen if s.host == "sheets.googleapis.com"]
    assert sheet_requests[0].headers["Authorization"] == f"Bearer {google.token}"
    # One token for six reads: the credentials are cached, not re-signed per spreadsheet.
    assert sum(s.host == FakeGoogle.TOKEN_HOST for s in google.seen) == 1
    ours = [s for s in google.seen if s.host in ("sheets.googleapis.com", FakeGoogle.TOKEN_HOST)]
    assert {s.timeout for s in ours} == {20}                 # the token request included
    assert SA_EMAIL in str(failures[0])            # the 403 names the key's email
    secrets = [google.token, info["private_key_id"], "PRIVATE KEY",
               *[line for line in info["private_key"].splitlines() if len(line) > 20]]
    for failure in failures:
        shown = "".join(traceback.format_exception(failure)) + repr(failure)
        for secret in secrets:
            assert secret not in shown
    for secret in secrets:
        assert secret not in caplog.text
    # cell content never appears either
    assert "BEC-001" not in caplog.text and not any("BEC-001" in str(f) for f in failures)


def test_streamlit_secrets_are_used_when_there_is_no_key_file(monkeypatch, tmp_path):
    # Streamlit caches parsed secrets per process; a fresh Secrets object reads this folder.
    st_secrets = pytest.importorskip("streamlit.runtime.secrets")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        "[gcp_service_account]\n"
        'type = "service_account"\n'
        f'client_email = "{SA_EMAIL}"\n'
        f'private_key = "{_placeholder_pem("not-a-real-key", escaped=True)}"\n'
        'token_uri = "https://oauth2.googleapis.com/token"\n')
    import streamlit
    # No polling threads watching this temporary folder after the test.
    monkeypatch.setattr(st_secrets.Secrets, "_maybe_install_file_watchers", lambda self: None)
    monkeypatch.setattr(streamlit, "secrets", st_secrets.Secrets())
    assert gsheets.service_account_email() == SA_EMAIL
    with pytest.raises(SourceForbidden) as err:        # the key itself is not a real key
        gsheets.read_gsheet("gsheet:any-key", now=NOW)
    assert "Streamlit secrets" in str(err.value) and "not-a-real-key" not in str(err.value)


# -- the same data from Google and from a local .xlsx gives the same figures ---------------
COALITION_ROWS = {
    "Attendees": [
        ["Ref", "Status", "Age band", "Media consent", "Registered on", "Activities"],
        ["BEC-001", "attended", "18-21", "yes", dt.datetime(2022, 6, 1), "rally, media"],
        ["BEC-002", "Attended", "16-17", True, 44713, "rally"],
        ["BEC-003", "registered", None, "no", "06/07/2022", None],
        ["BEC-003", "registered", None, "no", "06/07/2022", None],          # duplicate row
        ["BEC-004", "#REF!", None, None, None, None],                       # error in required
        ["BEC-005", "no-show", "26+", "maybe", dt.datetime(2022, 6, 2), None],
    ],
    "MP meetings": [
        ["Name", "Date", "Role", "Constituency", "Meeting type", "Young people present",
         "Pledge signed"],
        ["Rt Hon Jane Smith MP", dt.datetime(2022, 6, 22), None, "Bristol West", "westminster hall", 4, "yes"],
        ["jane smith", dt.datetime(2022, 6, 22), "MP", None, "roundtable", 2, False],
        ["Bob Jones", "22 June 2022", "Minister", "Leeds North", "one-to-one", "1,200", True],
        ["Lord Peer", "31/02/2022", "Peer", None, None, "#N/A", "no"],
    ],
    "Pledges": [
        ["MP name", "Constituency", "Date", "Photo taken"],
        ["Bob Jones", None, dt.datetime(2022, 6, 22), "y"],
        [None, "Bristol West", 44734, "x"],
    ],
    "Media": [
        ["Outlet", "URL", "Date", "Type", "Reach"],
        ["BBC Newsround", "https://www.bbc.co.uk/newsround/1?utm_source=x", dt.datetime(2022, 6, 22),
         "broadcast", 1_200_000],
        ["Local Paper", "javascript:alert(1)", "22/06/2022", "print", "25,000"],
        ["The Guardian", "https://www.theguardian.com/a", dt.datetime(2022, 6, 23), "online", 300],
    ],
}


def test_figures_from_google_equal_figures_from_the_same_xlsx(google, client, tmp_path):
    from dashboard import pipeline
    from dashboard.config import CharityConfig, Config

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in COALITION_ROWS.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(tmp_path / "become.xlsx")
    key = google.add("1SameDataKey", [(t, 100 + i, rows) for i, (t, rows) in enumerate(COALITION_ROWS.items())])

    config = Config(path=tmp_path / "coalition.toml", name="test", start=dt.date(2022, 5, 23),
                    end=dt.date(2022, 7, 22), charities=(
                        CharityConfig("From Excel", "become.xlsx"),
                        CharityConfig("From Google", f"gsheet:{key}")))
    coalition = pipeline.load_coalition(config, gspread_client=client, extra_checks=(), max_workers=1)

    excel, sheets = coalition.charity("From Excel"), coalition.charity("From Google")
    assert excel.status == sheets.status == "ok" and sheets.api_calls == 1
    figures = coalition.figures
    assert figures.loc["From Google"].tolist() == figures.loc["From Excel"].tolist()
    assert figures.loc["From Google", "attendees_registered"] == 4      # sanity: data was read
    for tab_key in excel.frames:
        pd.testing.assert_frame_equal(sheets.frames[tab_key], excel.frames[tab_key])

    def issue_keys(result):
        return sorted((i.tab or "", i.row or 0, i.column or "", i.severity, i.code) for i in result.issues)
    assert issue_keys(sheets) == issue_keys(excel)
    assert any(i.code == "error_value" for i in sheets.issues)
    assert all(i.link is None for i in excel.issues)
    assert any(i.link and f"/d/{key}/edit#gid=" in i.link for i in sheets.issues)
