"""One clock for the whole product: DASHBOARD_NOW (ISO 8601) stands in for it everywhere.

Times are bounded to the years FIRST_YEAR..LAST_YEAR: a time near year 1 or 9999 cannot
take an offset or a week's arithmetic without OverflowError, and one stored would break
every later reading of history.

Without DASHBOARD_NOW, a demo coalition's clock stands at its `[demo] now` (set by
load_config through `stand_at`), inside its campaign, so its pace and changes read as
a campaign in progress; a real coalition's clock is the real one.
"""
from __future__ import annotations

import datetime as dt

from dashboard import settings


FIRST_YEAR, LAST_YEAR = 2000, 2100


def in_bounds(value: dt.datetime | dt.date) -> bool:
    """Whether a time is one the dashboard can compute with and store."""
    return FIRST_YEAR <= value.year <= LAST_YEAR


# (where the clock was set to stand, the real time then): the demo's clock then moves on
# from there at the real pace, so what waits a minute ("Refresh now") still waits a minute.
_standing: tuple[dt.datetime, dt.datetime] | None = None


def stand_at(moment: dt.datetime | None) -> None:
    """Make `now()` start again from `moment` (None: the real time again) unless
    DASHBOARD_NOW is set. Setting the same moment again keeps the clock running."""
    global _standing
    if moment is None:
        _standing = None
    elif _standing is None or _standing[0] != moment:
        _standing = (moment, dt.datetime.now(dt.timezone.utc))


def now() -> dt.datetime:
    fixed = settings.value("DASHBOARD_NOW")
    if fixed:
        return parse_instant(fixed)
    if _standing is not None:
        moment, set_at = _standing
        return moment + (dt.datetime.now(dt.timezone.utc) - set_at)
    return dt.datetime.now(dt.timezone.utc).astimezone()


def parse_instant(value) -> dt.datetime:
    """An instant as an aware datetime: an ISO 8601 text ('Z' allowed), a datetime or a
    pandas Timestamp; no offset means UTC. ValueError when it is not one, or is outside
    the years FIRST_YEAR to LAST_YEAR. The one time parser: settings, history, the pack."""
    if hasattr(value, "to_pydatetime"):                  # a pandas Timestamp
        value = value.to_pydatetime()
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    if not in_bounds(value):
        raise ValueError(f"{value.isoformat()!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None
