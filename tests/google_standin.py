"""A stand-in for Google's APIs, for tests: `FakeGoogle` is a requests transport adapter
that answers like sheets.googleapis.com (and Drive's files and changes lists): it stores whole
spreadsheets as Google's Spreadsheet JSON (every CellData with its userEnteredValue,
effectiveValue, formattedValue and formats), applies the request's `fields` mask the way
Google does (and rejects fields that do not exist), and can be scripted to fail (429, 5xx,
timeouts). Response and error bodies follow the shapes in gspread's recorded cassettes.
With it: cell builders, a charity's four tabs and a throwaway service-account key file."""
from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from connectors import gsheets
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


class Sleeps(list):
    """Records backoff waits instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)



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


# A coalition of Google sheets in the stand-in, and a refresh of it counted (the
# change-aware refresh's tests: test_incremental.py, test_stored_coalition.py).
def tabs_with(extra_attendees: int = 0) -> list:
    tabs = four_tabs()
    title, gid, rows = tabs[0]
    rows = rows + [[f"BEC-1{n:02d}", "attended", "18-21", True, dt.date(2022, 6, 2)]
                   for n in range(extra_attendees)]
    return [(title, gid, rows), *tabs[1:]]


def coalition_of(google: FakeGoogle, count: int, tmp_path):
    from dashboard.config import CharityConfig, Config
    charities = tuple(CharityConfig(f"Charity {n:03d}", f"gsheet:{google.add(f'1Key{n:03d}_abcdef', tabs_with())}")
                      for n in range(count))
    return Config(path=tmp_path / "coalition.toml", name="test", start=dt.date(2022, 5, 23),
                  end=dt.date(2022, 7, 22), charities=charities,
                  storage_url=f"sqlite:///{tmp_path / 'store.sqlite'}")


def refreshed(config, google, client, store=None):
    """One refresh; (coalition, summary, Drive requests, Sheets requests) it made."""
    from dashboard.pipeline import refresh
    from dashboard.store import Store
    before_drive, before_sheets = google.drive_calls(), google.calls()
    coalition, summary = refresh(config, store or Store(config.storage_url), gspread_client=client)
    return coalition, summary, google.drive_calls() - before_drive, google.calls() - before_sheets
