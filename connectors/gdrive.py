"""Google Drive's change log: which spreadsheets changed since the last refresh, in one call.

Two requests, both GET on www.googleapis.com/drive/v3 with the `drive.metadata.readonly`
scope (names, times and ids only, never a cell):

- `changes/startPageToken` -> {"startPageToken": "123"}: where the log stands now. Asked
  before a full read, so anything typed while the sheets are being read is in the next
  refresh's list.
- `changes?pageToken=123&pageSize=1000&fields=...` -> {"changes": [{"fileId", "removed"}],
  "newStartPageToken"} or, when more than a page changed, "nextPageToken" (asked in turn).
  One request when up to 1000 files changed, whatever the number of sheets in the config.

Why changes.list and not files.list: files.list cannot be asked about a list of ids
(its `q` has no `id =` term) and would have to list every file the service account can
see, or compare modifiedTime with a clock of ours; the change log answers "what changed
after this point" exactly, with a token that Google keeps and we store.

Refusals become SourceErrors with the request count in `api_calls`, through the shared
retry loop (connectors/google_http.py): 429 and 5xx are retried, a refused token is
`ChangeTokenRefused` (the caller reads everything and starts a new log), and Drive not
enabled or not allowed is `DriveNotAllowed`, whose message says how to enable it.
"""
from __future__ import annotations

import logging
import random
import time
from typing import Callable

import requests

from connectors.base import SourceError, SourceForbidden, SourceUnavailable
from connectors.google_http import (
    DEFAULT_RETRY, Fault, RetryPolicy, raise_counted, send_with_retry,
)

log = logging.getLogger("connectors.gdrive")

DRIVE_API = "https://www.googleapis.com/drive/v3/"
SCOPE = "https://www.googleapis.com/auth/drive.metadata.readonly"
PAGE_SIZE = 1000                      # the most changes.list returns in one page
CHANGE_FIELDS = "nextPageToken,newStartPageToken,changes(fileId,removed)"
# Sheets kept in a shared drive are only in the log with these two set.
ALL_DRIVES = {"includeItemsFromAllDrives": "true", "supportsAllDrives": "true"}
MAX_PAGES = 50                        # 50,000 changes: past that a full read is cheaper


class DriveNotAllowed(SourceForbidden):
    """The Drive API is not enabled in the project, or the key lacks the scope (403)."""


class ChangeTokenRefused(SourceError):
    """Drive does not know the stored page token (400/404): start again from a full read."""


NOT_ALLOWED = (
    "Google Drive said no to the dashboard's question 'which sheets changed?' (403: the "
    "Google Drive API is not enabled in the dashboard's Google Cloud project, or its key "
    "lacks the drive.metadata.readonly scope). Every sheet is read in full meanwhile. To "
    "read only the sheets that changed, enable it under APIs & Services > Library > Google "
    "Drive API (see docs/google-sheets.md).")


def _fault(response: requests.Response) -> Fault:
    status = response.status_code
    what = f"Google Drive returned {status}"
    if status == 403:
        # Not enabled (SERVICE_DISABLED) or not allowed (no scope): the same fix, one message.
        return Fault(False, what, DriveNotAllowed(NOT_ALLOWED))
    if status in (400, 404, 410):
        return Fault(False, what, ChangeTokenRefused(
            f"Google Drive did not accept the stored change token ({status}); every sheet is "
            "read in full and a new token is stored."))
    if status == 401:
        return Fault(False, what, SourceForbidden(
            "Google did not accept the dashboard's credentials (401). The service-account key "
            "may have been deleted or disabled: create a new JSON key (see docs/google-sheets.md)."))
    return Fault(False, what, SourceUnavailable(
        f"Google Drive could not say which sheets changed ({status}); every sheet is read."))


def _json(response: requests.Response, calls: int) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise_counted(SourceUnavailable(
            "Google Drive's answer could not be read (not the expected JSON); every sheet "
            "is read."), calls)
    return body


def start_page_token(client, *, policy: RetryPolicy = DEFAULT_RETRY,
                     sleep: Callable[[float], None] = time.sleep,
                     rand: Callable[[], float] = random.random) -> tuple[str, int]:
    """(the token for 'changes from now on', requests made). Raises SourceError."""
    response, calls = send_with_retry(
        client, DRIVE_API + "changes/startPageToken", {"supportsAllDrives": "true"},
        fault_for_response=_fault, what="Drive's change token", policy=policy, sleep=sleep,
        rand=rand, logger=log)
    token = _json(response, calls).get("startPageToken")
    if not isinstance(token, str) or not token:
        raise_counted(SourceUnavailable("Google Drive gave no change token; every sheet is read."),
                      calls)
    return token, calls


def changed_since(client, token: str, *, policy: RetryPolicy = DEFAULT_RETRY,
                  sleep: Callable[[float], None] = time.sleep,
                  rand: Callable[[], float] = random.random) -> tuple[set[str], str, int]:
    """(ids of the files changed since `token`, the token to store for next time, requests
    made). A removed file (unshared, deleted) counts as changed: reading it says why.
    Raises SourceError (ChangeTokenRefused, DriveNotAllowed, SourceUnavailable)."""
    changed: set[str] = set()
    calls = 0
    page: str | None = token
    for _ in range(MAX_PAGES):
        params = {"pageToken": page, "pageSize": str(PAGE_SIZE), "fields": CHANGE_FIELDS,
                  "includeRemoved": "true", "spaces": "drive", **ALL_DRIVES}
        try:
            response, made = send_with_retry(
                client, DRIVE_API + "changes", params, fault_for_response=_fault,
                what="Drive's list of changes", policy=policy, sleep=sleep, rand=rand, logger=log)
        except SourceError as err:
            err.api_calls = calls + getattr(err, "api_calls", 0)
            raise
        calls += made
        body = _json(response, calls)
        changed |= {str(c["fileId"]) for c in body.get("changes") or []
                    if isinstance(c, dict) and c.get("fileId")}
        if body.get("newStartPageToken"):
            return changed, str(body["newStartPageToken"]), calls
        page = body.get("nextPageToken")
        if not page:
            break
    raise_counted(SourceUnavailable(
        "Google Drive's list of changes did not end; every sheet is read."), calls)
