"""The app's one shared cache: every session reads the same loaded coalition.

One cached inner function with an explicit ttl (the config's `[cache] ttl`, 10 minutes by
default). Streamlit's `refresh_mode="background"` lets viewers keep the last value while a
single refresh runs, so any number of viewers within the ttl cause no extra reads of
Google. Pages call these functions and nothing else to get data.
"""
from __future__ import annotations

import datetime as dt
import itertools
import logging
import runpy
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from pathlib import Path

import streamlit as st

from dashboard import clock, settings
from dashboard.config import Config, load_config


# The server's log gets one line per source read (never a credential or a cell's content).
_source_log = logging.getLogger("dashboard")
if not _source_log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _source_log.addHandler(_handler)
    _source_log.setLevel(logging.INFO)
    _source_log.propagate = False

ENTRY_SCRIPT = Path(__file__).resolve().parents[2] / "streamlit_app.py"
ATTENDEE_FIGURES = ["attendees_registered", "attendees_attended"]


_load_numbers = itertools.count(1)


class ReadLimit:
    """At most one read of the sources per `gap_s` seconds in this process, whichever
    session asks: ten clicks of "Refresh now" in a minute (by one lead or by several)
    make one read, within Google's 60 reads a minute for the whole coalition."""

    def __init__(self, gap_s: float = 60.0, monotonic=time.monotonic):
        self.gap_s = gap_s
        self._monotonic = monotonic
        self._last: float | None = None
        self._lock = threading.Lock()

    def started(self) -> None:
        """A read of the sources starts now."""
        with self._lock:
            self._last = self._monotonic()

    def wait_s(self) -> float:
        """Seconds until the next read may start (0: now)."""
        if self._last is None:
            return 0.0
        return max(0.0, self._last + self.gap_s - self._monotonic())

    def claim(self) -> float:
        """0 and the read is this caller's to make; else the seconds to wait."""
        with self._lock:
            wait = self.wait_s()
            if wait <= 0:
                self._last = self._monotonic()
            return wait


READ_LIMIT = ReadLimit()


@dataclass
class Loaded:
    coalition: object          # dashboard.pipeline.Coalition
    summary: dict
    loaded_at: dt.datetime
    views: dict
    # Names this load in this process (loaded_at can repeat under a fixed DASHBOARD_NOW):
    # pages key what they build from it on this number.
    number: int = field(default_factory=lambda: next(_load_numbers))


def get_config() -> Config:
    return _config()


@st.cache_resource(show_spinner=False)
def _config() -> Config:
    return load_config()


@st.cache_resource(show_spinner=False)
def get_store():
    """The process's store, guarded: a full, read-only, corrupt, locked or unreachable
    store never stops a page (see dashboard.store.GuardedStore)."""
    from dashboard.store import GuardedStore
    return GuardedStore(get_config().storage_url)


def get_snapshots() -> list[dict]:
    """The store's snapshots (the Weekly meeting's history), oldest first."""
    return _snapshots(get_store().url)


@st.cache_resource(ttl=60, show_spinner=False)
def _snapshots(url: str) -> list[dict]:
    """Read-only and shared: thousands of snapshots parse once a minute, not every rerun."""
    return get_store().snapshots()


APP_READS_ENV = "DASHBOARD_APP_READS"


def reads_store_only() -> bool:
    """DASHBOARD_APP_READS=store: the app never reads a source itself; it shows the last
    good reads a `refresh` timer stored (the default, "sources", reads them every ttl)."""
    return settings.choice(APP_READS_ENV, "sources") == "store"


def _read_everything(config_path: str) -> Loaded:
    from dashboard.app import overview_parts
    from dashboard import views
    from dashboard.pipeline import refresh

    config = get_config()
    if reads_store_only():
        # A timer runs `python -m dashboard refresh`; this server only reads what it stored.
        from dashboard.pipeline import load_coalition_from_store
        from dashboard.summary import build_summary

        from dashboard.incremental import with_check_times

        coalition = with_check_times(load_coalition_from_store(
            config, get_store(), stale_after=dt.timedelta(seconds=2 * config.cache_ttl_seconds + 300)),
            get_store())
        summary = build_summary(coalition)
        if get_store().problem:
            # The store cannot be read: the figures come from the sources instead.
            READ_LIMIT.started()
            coalition, summary = refresh(config, get_store(), gspread_client=_gspread_client())
    else:
        READ_LIMIT.started()
        coalition, summary = refresh(config, get_store(), gspread_client=_gspread_client())
    # Aggregates built once per refresh, not once per rerun.
    mps = views.mp_table(coalition)
    media = views.media_items(coalition)
    from dashboard.access.suppression import suppress_counts

    charities = views.charity_table(coalition)
    built = {
        "charities": charities,
        # Trustee views read every charity's young-people counts from this one table, so a
        # count hidden on one page cannot be worked out from another.
        "charities_suppressed": suppress_counts(charities, ATTENDEE_FIGURES),
        "mps": mps,
        "by_party": views.by_party(mps),
        "joint": views.joint_meetings(coalition),
        "media": media,
        "media_over_time": views.media_over_time(media),
        "issues": coalition.issues_frame(),
        # The Overview's charts of young people attended: grouped over every attendee row,
        # so built here once, not on every rerun of every session.
        **{f"attended_by_{column}": table for column, table in views.attendee_breakdowns(
            coalition, [column for column, *_ in overview_parts.ATTENDED_BY]).items()},
    }
    # The Overview's charts and tables, the same for every session of this refresh.
    built["overview"] = overview_parts.build(coalition, config.targets, built)
    return Loaded(coalition, summary, clock.now(), built)


_loaders: dict[int, Any] = {}      # ttl -> the cached loader (has .clear())


def _loader(ttl: int):
    # The ttl comes from the config, so the cached function is made once per ttl value.
    if ttl not in _loaders:
        _loaders[ttl] = st.cache_resource(ttl=ttl, show_spinner=False, refresh_mode="background")(
            _read_everything)
    return _loaders[ttl]


def live_seconds(config: Config | None = None) -> int | None:
    """Seconds between the live pages' own updates when today (UK date) is in the
    config's `[live]` window, else None: pages then wait for a click as usual."""
    config = config or get_config()
    live = getattr(config, "live", None)
    if live is None:
        return None
    from dashboard.history import uk_time
    return int(live.every.total_seconds()) if live.on(uk_time(clock.now()).date()) else None


def cache_seconds(config: Config) -> int:
    """How long every viewer shares one read: `[cache] ttl`, or the live interval on a
    live day (so a page that updates itself every minute shows a read at most a minute
    old; with Google sheets a read is then one Drive call when nothing changed)."""
    live = live_seconds(config)
    return min(config.cache_ttl_seconds, live) if live else config.cache_ttl_seconds


def live_fragment(body) -> None:
    """Run `body` (a page's figures) as a fragment that reruns itself every live interval
    on a live day; on other days, once. Each rerun asks get_loaded(), the one shared read."""
    every = live_seconds()
    if every:
        st.fragment(run_every=every)(body)()
    else:
        body()


def get_loaded() -> Loaded:
    config = get_config()
    loader = _loader(cache_seconds(config))
    with st.spinner(f"Reading the {len(config.charities)} charities' sheets…"):
        loaded = loader(str(config.path))
    store_banner()
    return loaded


def store_banner() -> None:
    """The store's trouble, in words, for leads and the coalition (a trustee sees
    aggregates only and can do nothing about it). Pages call get_loaded once, so it
    is said once a page."""
    problem = get_store().problem
    viewer = st.session_state.get("_viewer")
    if problem and getattr(viewer, "role", None) != "trustee":
        from dashboard.safe import md_escape
        st.warning(md_escape(f"The dashboard's store cannot be used just now: {problem}. "
                             "Figures are read from the charities' sheets meanwhile; history, "
                             "last good reads and links are not updated until it is fixed."),
                   icon="⚠️")


def get_coalition():
    return get_loaded().coalition


def get_summary() -> dict:
    return get_loaded().summary


def refresh_now() -> None:
    """Drop the shared cache so the next run reads every source (unlimited: for tests
    and for request_refresh, which limits it)."""
    for loader in _loaders.values():
        loader.clear()


def request_refresh() -> str | None:
    """A lead's "Refresh now": None when the shared cache was dropped (the next run
    reads every source), else a sentence saying when the next read is possible."""
    wait = READ_LIMIT.claim()
    if wait <= 0:
        refresh_now()
        return None
    seconds = max(1, round(wait))
    at = clock.now() + dt.timedelta(seconds=seconds)
    return (f"The sheets were read less than a minute ago, so they are read at most once a "
            f"minute: the next read is possible at {at:%H:%M:%S} (in {seconds} s).")


def _gspread_client():
    """A gspread client only when some source is a Google sheet and credentials exist."""
    config = get_config()
    if not any(c.source.startswith("gsheet:") or "docs.google.com" in c.source for c in config.charities):
        return None
    from connectors.base import SourceError
    from dashboard.sources import google_client
    try:
        return google_client()
    except SourceError:
        return None      # each Google source then reports the missing credentials itself


def get_viewer():
    """Who is looking, from the link's token (or the open mode), checked on every run.

    The token is kept for the browser session and put back in the address whenever a run
    finds it missing (st.navigation's page switches drop query parameters), so a reload,
    a bookmark or a new tab of any page still carries the link. It is verified in full on
    every run (signature against the secrets configured now, the store's record,
    revocation, expiry): a revoked link, or one whose secret was rotated out, closes tabs
    that are already open at their next interaction.
    """
    from dashboard.access.roles import AccessDenied
    from dashboard.access.links import resolve_viewer

    token = st.query_params.get("token")
    kept = st.session_state.get("_viewer_token")
    if not token and kept:
        token = kept
        st.query_params["token"] = kept
    result = resolve_viewer(get_config(), {"token": token} if token else {}, get_store())
    if isinstance(result, AccessDenied):
        st.session_state.pop("_viewer_token", None)
        st.session_state.pop("_viewer", None)
        return result
    st.session_state["_viewer_token"] = token
    st.session_state["_viewer"] = result         # this run's checked viewer (store_banner)
    return result


def require_viewer(page_key: str):
    """The gate every page passes, not only the entry script.

    Streamlit runs a file in `pages/` directly (its older multipage mode) on the first run
    after a restart or when a URL names the page, without the entry script. So each page
    checks the link and its own role here, and stops before reading any data.
    """
    from streamlit.runtime.pages_manager import PagesManager

    from dashboard.access.roles import AccessDenied, allowed_pages
    from dashboard.app.ui import access_denied

    if PagesManager.uses_pages_directory:
        # Streamlit ran this file in its older multipage mode (a `pages/` folder, no
        # st.navigation yet in this process), without the entry script. Switch that mode
        # off and run the entry script in this same run (as Streamlit does for "/"): its
        # navigation, banner and role-filtered menu come first and run this page again.
        # The same run, not a rerun, so the widget event that started it is not lost.
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(ENTRY_SCRIPT), run_name="__main__")
        st.stop()
    viewer = get_viewer()
    if isinstance(viewer, AccessDenied):
        access_denied(viewer.reason)
        st.stop()
    if page_key not in allowed_pages(viewer):
        st.title("Not part of your view")
        st.write("This page is not shared with your link. Use the pages in the menu.")
        st.stop()
    return viewer
