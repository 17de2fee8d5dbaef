"""Google Sheets: a whole spreadsheet in one Sheets API call, through gspread's HTTP client.

One read = one `spreadsheets.get` request with grid data and this field mask:

    sheets(properties(sheetId,title),
           data(startRow,startColumn,
                rowData(values(effectiveValue,effectiveFormat(numberFormat(type))))))

Why this call and not `values:batchGet`: it returns every tab's title, gid (for links to
a cell) and cells in one request, where the values API needs a metadata call first to
learn the tab names (2 calls), and st-gsheets-connection style reading needs 3 per tab.
The mask keeps the payload to what we read: no formatting, no formulas, no notes.

How cells come through (the contract's cell rules in dashboard/cells.py then apply):

- Text: the cell's `stringValue`, as typed (validation trims it). An empty string is None.
- Numbers: `numberValue` as int when whole ("1,200" shown in the sheet arrives as 1200),
  else float. Never the formatted text, which depends on the sheet's number format.
- Dates: a number whose effective number format is DATE or DATE_TIME arrives as a naive
  `datetime.datetime` (Google's serial day count from 1899-12-30, so 44734 ->
  2022-06-22 00:00), exactly what openpyxl gives for a real Excel date cell. We do not
  use the formatted text because it follows the *spreadsheet's* locale: a US-locale sheet
  shows 7 June 2022 as "6/7/2022", which the contract's UK rule would read as 6 July. A
  date typed as text ("22/06/2022" in a sheet that did not recognise it) stays text and
  the contract's parser reads it day-first. A bare number in a date column (44734) stays
  a number and the contract reads it as a serial.
- Times (format TIME): "HH:MM" or "HH:MM:SS" text; they are never a valid contract value,
  and text keeps the stored copy of a read (dashboard/store.py) JSON-serialisable.
- Checkboxes / TRUE / FALSE: `bool`.
- Error cells: the error's canonical text chosen from its type ("#REF!", "#N/A",
  "#DIV/0!" ...), never Google's message (which can quote other cells) and never the
  locale-translated display text, so validation always recognises it and warns.
- Empty cells: None. Trailing empty rows and columns are dropped; leading ones are kept,
  so frame row i is sheet row i + 1.

Faults are mapped in one place, `_fault_for_response` / `_fault_for_exception`:
429, 408 and 5xx, timeouts and network errors are retried with capped exponential backoff
and jitter (RetryPolicy); 400/401/403/404 are not retried. Every request carries a timeout.
No message, log line or exception built here contains a credential, a token or a cell's
content: messages are written from status codes and the spreadsheet key only, and Google's
own error text is never passed on.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import random
import re
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import pandas as pd
import requests

from connectors.base import (
    SERIAL_EPOCH, RawTab, RawWorkbook, SourceError, SourceForbidden, SourceNotFound,
    SourceUnavailable, SourceUnreadable, machine_now,
)
from connectors.google_http import (  # noqa: F401 - RetryPolicy, DEFAULT_RETRY: part of this API
    DEFAULT_RETRY, DISABLED_REASONS, Fault as _Fault, RetryPolicy, google_error, raise_counted,
    send_with_retry,
)

log = logging.getLogger("connectors.gsheets")

SHEETS_API = "https://sheets.googleapis.com/v4/spreadsheets/"
EDIT_URL = "https://docs.google.com/spreadsheets/d/{key}/edit"
# Read-only: cells through the Sheets API, and Drive's metadata only (which files changed,
# never their content) for the change-aware refresh (connectors/gdrive.py).
SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",
          "https://www.googleapis.com/auth/drive.metadata.readonly")
SECRETS_SECTION = "gcp_service_account"

FIELDS = ("sheets(properties(sheetId,title),"
          "data(startRow,startColumn,rowData(values(effectiveValue,"
          "effectiveFormat(numberFormat(type))))))")
# The field mask alone selects grid data; includeGridData is sent too so the request
# reads the same with or without the mask.
READ_PARAMS = {"includeGridData": "true", "fields": FIELDS}

# Google's ErrorValue.type -> the text the sheet shows (en locale), which the contract
# lists as error values. LOADING is a formula still computing (IMPORTRANGE etc.): no value.
ERROR_TEXT = {
    "ERROR": "#ERROR!", "NULL_VALUE": "#NULL!", "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!", "REF": "#REF!", "NAME": "#NAME?", "NUM": "#NUM!", "N_A": "#N/A",
    "LOADING": "#N/A",
}
_SERIAL_MIN, _SERIAL_MAX = -693593, 2958465      # serials of 0001-01-01 and 9999-12-31
_EXACT_INT_LIMIT = 2 ** 53                       # floats are exact integers below this

_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
# Signed into several Google accounts, the browser shows /spreadsheets/u/1/d/<key>/edit.
_URL_KEY = re.compile(r"/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)")
_PUBLISHED = re.compile(r"/spreadsheets/(?:u/\d+/)?d/e/")




# -- sources --------------------------------------------------------------------------
def spreadsheet_key(source: str) -> str:
    """The spreadsheet key of `gsheet:<key>` or a docs.google.com/spreadsheets/d/<key> URL."""
    text = source.strip()
    if text.startswith("gsheet:"):
        key = text[len("gsheet:"):].strip()
        if _KEY.match(key):
            return key
        raise SourceUnreadable(
            f"'{source}' is not a Google Sheets source: after gsheet: put the spreadsheet key, "
            "the long code between /d/ and /edit in the sheet's address.")
    if "docs.google.com/spreadsheets/" in text and _PUBLISHED.search(text):
        raise SourceUnreadable(
            "That is a 'Publish to web' link, which the dashboard cannot read. Open the sheet "
            "and copy the address from the browser instead: "
            "https://docs.google.com/spreadsheets/d/<key>/edit.")
    match = _URL_KEY.search(text) if "docs.google.com/spreadsheets/" in text else None
    if match is None:
        raise SourceUnreadable(
            f"'{source}' is not a Google Sheets link: use gsheet:<key> or the sheet's address, "
            "https://docs.google.com/spreadsheets/d/<key>/edit.")
    return match.group(1)


def edit_url(key: str) -> str:
    return EDIT_URL.format(key=key)


# -- credentials ----------------------------------------------------------------------
_credentials_lock = threading.Lock()
_credentials_cache: dict[tuple, object] = {}


def _streamlit_secrets_files() -> list[Path]:
    # Where Streamlit looks for secrets.toml by default (global, then project).
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]


def _streamlit_service_account() -> dict | None:
    """The [gcp_service_account] table of Streamlit secrets, or None.

    Streamlit is imported only when it is already running (the app) or a secrets.toml
    exists: importing it costs about a second, which CLI commands should not pay.
    """
    if "streamlit" not in sys.modules and not any(p.is_file() for p in _streamlit_secrets_files()):
        return None
    try:
        import streamlit as st
    except ImportError:
        return None
    try:
        if SECRETS_SECTION not in st.secrets:
            return None
        return {str(k): v for k, v in st.secrets[SECRETS_SECTION].items()}
    except (FileNotFoundError, KeyError, AttributeError, TypeError):
        # Streamlit raises FileNotFoundError subclasses for missing or unparsable secrets.
        return None


def _service_account_info(key_file: str | None) -> tuple[dict, str] | None:
    """(service-account JSON as a dict, where it came from), or None when none is configured.

    `key_file` is the path the caller configured (GOOGLE_APPLICATION_CREDENTIALS in the
    dashboard); without one, Streamlit secrets are tried.

    Raises SourceForbidden when credentials are configured but unusable; the message names
    the file, never its content.
    """
    path_text = key_file
    if path_text:
        path = Path(path_text).expanduser()
        where = f"the key file {path} (GOOGLE_APPLICATION_CREDENTIALS)"
        if not path.is_file():
            raise SourceForbidden(
                f"GOOGLE_APPLICATION_CREDENTIALS names {path}, which does not exist. Point it at "
                "the service account's JSON key file (see docs/google-sheets.md).")
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            raise SourceForbidden(
                f"{where} cannot be read as JSON. Download a new JSON key for the service "
                "account (see docs/google-sheets.md).") from None
        return _checked_info(info, where), where
    info = _streamlit_service_account()
    if info is not None:
        where = f"Streamlit secrets [{SECRETS_SECTION}]"
        return _checked_info(info, where), where
    return None


def _checked_info(info: object, where: str) -> dict:
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise SourceForbidden(
            f"{where} is not a service-account key (its \"type\" must be \"service_account\"). "
            "Create a JSON key for a service account (see docs/google-sheets.md).")
    missing = [f for f in ("client_email", "private_key", "token_uri") if not info.get(f)]
    if missing:
        raise SourceForbidden(
            f"{where} lacks {', '.join(missing)}. Download a new JSON key for the service "
            "account and use the whole file.")
    return info


def service_account_email(key_file: str | None = None) -> str | None:
    """The email to share sheets with (client_email of the configured key), or None.

    Never raises: it is used inside error messages and on the setup page.
    """
    try:
        found = _service_account_info(key_file)
    except SourceError:
        return None
    return str(found[0]["client_email"]) if found else None


def _credentials(key_file: str | None):
    """Service-account credentials with the read-only Sheets scope, cached per key so a
    refresh of many sheets fetches one OAuth token, not one per sheet."""
    found = _service_account_info(key_file)
    if found is None:
        raise SourceForbidden(
            "The dashboard has no Google credentials. Set GOOGLE_APPLICATION_CREDENTIALS to the "
            "service account's JSON key file, or add a [gcp_service_account] table to "
            ".streamlit/secrets.toml (see docs/google-sheets.md).")
    info, where = found
    # The key id identifies the key without holding any secret material.
    cache_key = (where, info["client_email"], info.get("private_key_id", ""))
    with _credentials_lock:
        creds = _credentials_cache.get(cache_key)
        if creds is None:
            from google.oauth2 import service_account
            try:
                creds = service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
            except (ValueError, TypeError, KeyError):
                # The library's own message may describe the key material: never pass it on.
                raise SourceForbidden(
                    f"The private key in {where} cannot be read. Download a new JSON key for "
                    "the service account and use the whole file, unedited.") from None
            _credentials_cache[cache_key] = creds
    return creds


def default_client(key_file: str | None = None):
    """A gspread Client authorised with the service account in `key_file`, else in
    Streamlit secrets (read-only)."""
    import gspread
    return gspread.Client(auth=_credentials(key_file))


def _client_email(client, key_file: str | None) -> str | None:
    """The service-account email behind `client`, else the configured one."""
    http = getattr(client, "http_client", None)
    for creds in (getattr(http, "auth", None),
                  getattr(getattr(http, "session", None), "credentials", None)):
        email = getattr(creds, "service_account_email", None)
        if isinstance(email, str) and "@" in email:
            return email
    return service_account_email(key_file)


# -- faults: the one place where Google's answers become SourceErrors -----------------
# (quota, timeouts and server errors are retried the same way for every Google API:
# connectors/google_http.py; what follows is what a refusal means for a spreadsheet)
def _fault_for_response(response: requests.Response, key: str, client,
                        key_file: str | None = None) -> _Fault:
    status = response.status_code
    google_status, reasons = google_error(response)
    what = f"Google returned {status}"
    if status == 403 and reasons & DISABLED_REASONS:
        return _Fault(False, what, SourceForbidden(
            "The Google Sheets API is not enabled in the dashboard's Google Cloud project (403). "
            "Enable it under APIs & Services > Library > Google Sheets API, wait a minute, and "
            "try again."))
    if status == 403:
        share_with = (_client_email(client, key_file)
                      or "the dashboard's service-account email (client_email in its JSON key)")
        return _Fault(False, what, SourceForbidden(
            f"The Google Sheet {key} is not shared with the dashboard (403). Open the sheet, "
            f"click Share and add {share_with} as a Viewer."))
    if status == 401:
        return _Fault(False, what, SourceForbidden(
            "Google did not accept the dashboard's credentials (401). The service-account key "
            "may have been deleted or disabled: create a new JSON key (see docs/google-sheets.md)."))
    if status == 404:
        return _Fault(False, what, SourceNotFound(
            f"There is no Google Sheet with the key {key} (404). Check the link in the config: "
            "copy it from the browser's address bar while the sheet is open."))
    if status == 400:
        detail = (" Google says the file is not a Google Sheet: it may be an Excel file stored "
                  "in Drive (open it, choose File > Save as Google Sheets, and use the new link)."
                  if google_status == "FAILED_PRECONDITION" else "")
        return _Fault(False, what, SourceUnreadable(
            f"Google could not read the spreadsheet {key} (400).{detail} If a tab was being "
            "renamed or deleted, try again in a minute; otherwise check the link in the config."))
    return _Fault(False, what, SourceUnreadable(
        f"Google refused to read the spreadsheet {key} ({status}). Check the link in the config "
        "and that the sheet is shared with the dashboard."))


# -- reading --------------------------------------------------------------------------
def read_gsheet(source: str, *, client=None, now: dt.datetime | None = None,
                key_file: str | None = None,
                policy: RetryPolicy = DEFAULT_RETRY,
                sleep: Callable[[float], None] = time.sleep,
                rand: Callable[[], float] = random.random) -> RawWorkbook:
    """Read every tab of one Google spreadsheet in one Sheets API request.

    `client` is a gspread.Client (built from the service account in `key_file`, else in
    Streamlit secrets, when None); `now` stamps the read (the machine's clock when None);
    `sleep` and `rand` drive the backoff and are injectable so tests never wait.
    Raises SourceError; the raised error carries `api_calls`, the requests made.
    """
    own_client = client is None
    try:
        key = spreadsheet_key(source)
        if own_client:
            client = default_client(key_file)
        return _read(source, key, client, now, policy, sleep, rand, key_file)
    except SourceError as err:
        if not hasattr(err, "api_calls"):      # refused before any request was made
            err.api_calls = 0
        raise
    finally:
        if own_client and client is not None:
            client.http_client.session.close()


def _read(source, key, client, now, policy, sleep, rand, key_file=None) -> RawWorkbook:
    response, calls = send_with_retry(
        client, SHEETS_API + key, READ_PARAMS, what=f"the spreadsheet {key}",
        fault_for_response=lambda r: _fault_for_response(r, key, client, key_file),
        policy=policy, sleep=sleep, rand=rand, logger=log)
    return _workbook(source, key, response, calls, now)


_raise = raise_counted


def _workbook(source: str, key: str, response: requests.Response, calls: int,
              now: dt.datetime | None) -> RawWorkbook:
    try:
        tabs = [_tab(sheet) for sheet in response.json().get("sheets", [])]
    except (ValueError, AttributeError, TypeError):
        _raise(SourceUnavailable(
            f"Google's answer for the spreadsheet {key} could not be read (not the expected "
            "JSON). Try again later; if it persists, a proxy may be in the way."), calls)
    log.debug("gsheet %s: %d tabs in %d request(s)", key, len(tabs), calls)
    return RawWorkbook(source=source, kind="gsheet", tabs=tabs, read_at=now or machine_now(), api_calls=calls,
                       edit_url=edit_url(key))


def _tab(sheet: dict) -> RawTab:
    props = sheet.get("properties") or {}
    values: dict[tuple[int, int], object] = {}
    for block in sheet.get("data") or []:
        row0, col0 = block.get("startRow", 0), block.get("startColumn", 0)
        for i, row in enumerate(block.get("rowData") or []):
            for j, cell in enumerate(row.get("values") or []):
                value = cell_value(cell)
                if value is not None:
                    values[(row0 + i, col0 + j)] = value
    if values:
        n_rows = 1 + max(r for r, _ in values)
        n_cols = 1 + max(c for _, c in values)
        grid: list[list[object]] = [[None] * n_cols for _ in range(n_rows)]
        for (r, c), value in values.items():
            grid[r][c] = value
        cells = pd.DataFrame(grid, dtype=object)
    else:
        cells = pd.DataFrame(dtype=object)
    return RawTab(str(props.get("title", "")), cells, sheet_id=props.get("sheetId"))


def cell_value(cell: dict) -> object:
    """One CellData (as the field mask returns it) -> the raw value the contract reads."""
    value = cell.get("effectiveValue")
    if not value:
        return None
    if "errorValue" in value:
        return ERROR_TEXT.get(str((value["errorValue"] or {}).get("type")), "#ERROR!")
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "numberValue" in value:
        fmt = ((cell.get("effectiveFormat") or {}).get("numberFormat") or {}).get("type")
        return _number(value["numberValue"], fmt)
    if "stringValue" in value:
        return value["stringValue"] if value["stringValue"] != "" else None
    return None


def _number(number: float, number_format: str | None) -> object:
    if number_format in ("DATE", "DATE_TIME") and _SERIAL_MIN <= number <= _SERIAL_MAX:
        # Rounded to the second: serials are floats, and 1/86400 steps are not exact.
        return SERIAL_EPOCH + dt.timedelta(seconds=round(number * 86400))
    if number_format == "TIME" and number >= 0:
        total = round(number * 86400)
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")
    if isinstance(number, int):
        return number
    if float(number).is_integer() and abs(number) < _EXACT_INT_LIMIT:
        return int(number)
    return float(number)
