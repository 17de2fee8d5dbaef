"""One clock for the whole product: DASHBOARD_NOW (ISO 8601) stands in for it everywhere."""
from __future__ import annotations

import datetime as dt

from dashboard import settings


def now() -> dt.datetime:
    fixed = settings.value("DASHBOARD_NOW")
    if fixed:
        value = dt.datetime.fromisoformat(fixed.replace("Z", "+00:00"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value
    return dt.datetime.now(dt.timezone.utc).astimezone()


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None
