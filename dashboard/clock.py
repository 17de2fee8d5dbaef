"""One clock for the whole product: DASHBOARD_NOW (ISO 8601) stands in for it everywhere."""
from __future__ import annotations

import datetime as dt

from dashboard import settings


def now() -> dt.datetime:
    fixed = settings.value("DASHBOARD_NOW")
    if fixed:
        return parse_instant(fixed)
    return dt.datetime.now(dt.timezone.utc).astimezone()


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 time ('Z' allowed; no offset means UTC). ValueError when it is not one."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None
