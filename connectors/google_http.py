"""The one retry loop for every Google API request (Sheets and Drive).

`send_with_retry` sends one GET through a gspread HTTP client (whose session carries the
service account's token) and retries what is worth retrying: 429, 408 and 5xx, timeouts
and network errors, with capped exponential backoff and equal jitter, honouring Google's
Retry-After. What a failure means is the caller's: it passes `fault_for_response`, which
turns a refused response into a `Fault` (retry it, or raise this SourceError). Attempts,
waits and the time spent are bounded by one RetryPolicy, and every request is counted.
"""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import Callable, NoReturn

import requests

from connectors.base import SourceError, SourceForbidden, SourceUnavailable

log = logging.getLogger("connectors.google")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one request tries before its caller gives up (stale/error, or a full read).

    Worst case with the defaults: 5 requests, at most 30 s asleep, and no new attempt
    starts after 60 s, so one hanging request cannot hold a refresh for minutes.
    """
    max_attempts: int = 5
    first_delay_s: float = 1.0       # nominal waits double: 1, 2, 4, 8 s, each jittered to 50-100%
    max_delay_s: float = 16.0
    max_total_wait_s: float = 30.0   # total time asleep between attempts
    deadline_s: float = 60.0         # no new attempt once this long has passed
    timeout_s: float = 20.0          # per request (connect and read)

    def delay(self, failures: int, retry_after: float | None, rand: Callable[[], float]) -> float:
        """Backoff before the next attempt after `failures` failures: equal jitter, so
        parallel readers spread out but every wait is at least half the nominal one."""
        nominal = min(self.max_delay_s, self.first_delay_s * 2 ** (failures - 1))
        delay = nominal / 2 + rand() * nominal / 2
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_delay_s))
        return delay


DEFAULT_RETRY = RetryPolicy()


@dataclass
class Fault:
    retryable: bool
    what: str                                   # "Google returned 503", for messages and logs
    error: SourceError | None = None            # raised at once when not retryable
    retry_after: float | None = None


def google_error(response: requests.Response) -> tuple[str, set[str]]:
    """Google's error status and reasons (e.g. PERMISSION_DENIED, {SERVICE_DISABLED})."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return "", set()
    if not isinstance(error, dict):
        return "", set()
    reasons = {str(d.get("reason", "")) for d in error.get("details") or [] if isinstance(d, dict)}
    reasons |= {str(e.get("reason", "")) for e in error.get("errors") or [] if isinstance(e, dict)}
    return str(error.get("status", "")), reasons - {""}


def retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


RATE_REASONS = {"RATE_LIMIT_EXCEEDED", "rateLimitExceeded", "userRateLimitExceeded"}
DISABLED_REASONS = {"SERVICE_DISABLED", "accessNotConfigured"}


def transient_fault(response: requests.Response) -> Fault | None:
    """The retryable answers every Google API shares (quota, timeouts, server errors)."""
    status = response.status_code
    _, reasons = google_error(response)
    what = f"Google returned {status}"
    if status == 429 or (status == 403 and reasons & RATE_REASONS):
        return Fault(True, f"{what} (read quota exceeded)", retry_after=retry_after(response))
    if status in (408, 500, 502, 503, 504):
        return Fault(True, what, retry_after=retry_after(response))
    return None


def fault_for_exception(exc: Exception, timeout: object) -> Fault:
    from google.auth import exceptions as auth_errors
    if isinstance(exc, requests.Timeout):
        seconds = timeout[-1] if isinstance(timeout, tuple) else timeout
        return Fault(True, f"Google did not answer within {seconds:g} s")
    if isinstance(exc, auth_errors.RefreshError):
        # The token endpoint refused the key (deleted, disabled, wrong project).
        return Fault(False, "Google refused the service-account key", SourceForbidden(
            "Google refused the dashboard's service-account key when signing in. It may have "
            "been deleted or disabled: create a new JSON key (see docs/google-sheets.md)."))
    if isinstance(exc, (requests.RequestException, auth_errors.TransportError)):
        # Connection refused/reset, DNS, a response cut off half way: all worth a retry.
        return Fault(True, "the dashboard could not reach Google (network error)")
    if isinstance(exc, auth_errors.GoogleAuthError):
        return Fault(False, "the service-account key could not be used", SourceForbidden(
            "The dashboard's service-account key could not be used to sign in to Google. "
            "Download a new JSON key for the service account (see docs/google-sheets.md)."))
    raise exc


def raise_counted(error: SourceError, calls: int) -> NoReturn:
    error.api_calls = calls
    # `from None`: the gspread/requests exception underneath may carry Google's text.
    raise error from None


def send_with_retry(client, url: str, params: dict, *,
                    fault_for_response: Callable[[requests.Response], Fault],
                    what: str, policy: RetryPolicy = DEFAULT_RETRY,
                    sleep: Callable[[float], None] = time.sleep,
                    rand: Callable[[], float] = random.random,
                    logger: logging.Logger = log) -> tuple[requests.Response, int]:
    """GET `url` through `client.http_client` under `policy`: (the response, requests made).

    `what` names the thing asked for in messages ("the spreadsheet <key>", "Drive's list of
    changes"). Raises SourceError carrying `api_calls`.
    """
    from gspread.exceptions import APIError
    from gspread.http_client import HTTPClient

    http = client.http_client
    if http.timeout is None:
        # gspread's default is no timeout at all: a hung connection would hang the refresh.
        http.set_timeout(policy.timeout_s)
    calls, waited, started = 0, 0.0, time.monotonic()
    while True:
        calls += 1
        try:
            # The base class's request, even for a BackOffHTTPClient: RetryPolicy is the
            # only retry loop, so attempts, waits and api_calls stay bounded and counted.
            response = HTTPClient.request(http, "get", url, params=dict(params))
        except APIError as err:
            fault = transient_fault(err.response) or fault_for_response(err.response)
        except Exception as exc:   # noqa: BLE001 - classified; unknown kinds are re-raised
            fault = fault_for_exception(exc, http.timeout)
        else:
            return response, calls

        if not fault.retryable:
            assert fault.error is not None, "a fault that is not retried carries its error"
            raise_counted(fault.error, calls)
        delay = min(policy.delay(calls, fault.retry_after, rand), policy.max_total_wait_s - waited)
        out_of_time = time.monotonic() - started + max(delay, 0.0) > policy.deadline_s
        if calls >= policy.max_attempts or delay <= 0 or out_of_time:
            tries = "1 try" if calls == 1 else f"{calls} tries"
            raise_counted(SourceUnavailable(
                f"{fault.what} for {what} after {tries}. This is usually "
                "temporary: the next refresh will try again."), calls)
        logger.warning("%s: %s; retrying in %.1f s (attempt %d of %d)",
                    what, fault.what, delay, calls + 1, policy.max_attempts)
        sleep(delay)
        waited += delay
