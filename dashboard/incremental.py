"""The change-aware refresh: ask Drive which sheets changed, read only those.

    load_coalition_changes(config, store, gspread_client=...) -> Coalition

One Drive request (connectors/gdrive.py) says which of the coalition's spreadsheets changed
since the last refresh; those are read (one Sheets request each) and validated as before;
every other Google sheet is the stored validation of its last good read (dashboard/store.py
`validated`), exactly what reading it again would give. Local files are read as before.

Never miss a change: everything is read (a *full read*) when there is no stored token,
when Drive refuses the token or fails in any way, when a sheet has no stored validation
matching the code, window and checks (new to the config, or a store that lost its state),
and at least every `[refresh] full_read_every` (6 h by default) for changes Drive does not
log (IMPORTRANGE, NOW()). A sheet that changed but could not be read stays "pending" and is
read next time. The token is taken *before* the sheets are read, so an edit made during a
refresh is in the next one's list.

The token, the time of the last full read and the pending sheets live in the store
(tables `drive_watch` and `source_checks`), shared by every `refresh` process and app
server that uses the store.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import json
import logging
import time

from sqlalchemy import Column, MetaData, String, Table, Text, and_, delete, insert, select

from connectors.base import SourceError, source_kind
from dashboard import clock
from dashboard.blocks import Block

log = logging.getLogger("dashboard.sources")

DEFAULT_FULL_READ_EVERY = dt.timedelta(hours=6)
WATCH_ID = "drive"

state_metadata = MetaData()
drive_watch = Table(
    "drive_watch", state_metadata,
    Column("id", String(20), primary_key=True),
    Column("page_token", Text),                       # Drive's change token, None = unknown
    Column("full_read_at", String(40)),               # last refresh that read every sheet
    Column("pending", Text, nullable=False),          # JSON: keys that changed but were not read
)
# When Drive last confirmed a charity's sheet unchanged (or it was read), so the Sources
# table can say "unchanged since 09:12 (checked 09:40)" in every process.
source_checks = Table(
    "source_checks", state_metadata,
    Column("charity", String(200), primary_key=True),
    Column("source", Text, nullable=False),
    Column("checked_at", String(40), nullable=False),
)

_created: set[str] = set()


def _engine(store):
    if store.url not in _created:
        state_metadata.create_all(store.engine)
        _created.add(store.url)
    return store.engine


@dataclasses.dataclass
class WatchState:
    page_token: str | None = None
    full_read_at: dt.datetime | None = None
    pending: frozenset[str] = frozenset()
    stored: dict = dataclasses.field(default_factory=dict)   # charity -> read_at of its stored validation


def read_state(store) -> WatchState:
    with _engine(store).connect() as conn:
        row = conn.execute(select(drive_watch).where(drive_watch.c.id == WATCH_ID)).first()
    if row is None:
        return WatchState()
    return WatchState(row.page_token,
                      dt.datetime.fromisoformat(row.full_read_at) if row.full_read_at else None,
                      frozenset(json.loads(row.pending or "[]")))


def write_state(store, state: WatchState) -> None:
    values = {"id": WATCH_ID, "page_token": state.page_token,
              "full_read_at": state.full_read_at.isoformat() if state.full_read_at else None,
              "pending": json.dumps(sorted(state.pending))}
    with _engine(store).begin() as conn:
        conn.execute(delete(drive_watch).where(drive_watch.c.id == WATCH_ID))
        conn.execute(insert(drive_watch).values(**values))


def forget_state(store) -> None:
    """Drop the token, so the next refresh reads every sheet (`refresh --full`)."""
    with _engine(store).begin() as conn:
        conn.execute(delete(drive_watch))


def record_checks(store, checked: dict[str, tuple[str, dt.datetime]]) -> None:
    """charity -> (source, when its sheet was last read or confirmed unchanged)."""
    if not checked:
        return
    with _engine(store).begin() as conn:
        conn.execute(delete(source_checks).where(source_checks.c.charity.in_(list(checked))))
        conn.execute(insert(source_checks), [
            {"charity": name, "source": source, "checked_at": at.isoformat()}
            for name, (source, at) in checked.items()])


def checked_times(store) -> dict[tuple[str, str], dt.datetime]:
    """(charity, source) -> when the sheet was last read or confirmed unchanged."""
    with _engine(store).connect() as conn:
        rows = conn.execute(select(source_checks)).all()
    return {(r.charity, r.source): dt.datetime.fromisoformat(r.checked_at) for r in rows}


def with_check_times(coalition, store):
    """The coalition with each charity's `checked_at` from the store (store-mode servers)."""
    try:
        times = checked_times(store)
    except Exception:   # noqa: BLE001 - a wording on the Sources table never stops a page
        log.warning("could not read the times sheets were checked", exc_info=True)
        return coalition
    for c in coalition.charities:
        at = times.get((c.name, c.source))
        if at is not None and c.status == "ok" and c.as_of is not None and at > c.as_of:
            c.checked_at = at
    return coalition


def _stored_validations(store, names_sources: dict[str, str],
                        fingerprints: dict[str, str | None]) -> dict[str, str]:
    """charity -> read_at of its last good read, for the charities whose last good read of
    their current source has a stored validation with the fingerprint of today's code,
    window and checks (one query, no frames loaded)."""
    from dashboard.store import last_good, validated
    query = (select(validated.c.charity, validated.c.source, validated.c.fingerprint,
                    validated.c.read_at)
             .join(last_good, and_(last_good.c.charity == validated.c.charity,
                                   last_good.c.read_at == validated.c.read_at,
                                   last_good.c.source == validated.c.source)))
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return {r.charity: r.read_at for r in rows if names_sources.get(r.charity) == r.source
            and fingerprints.get(r.charity) == r.fingerprint}


# The stored validations this process last used, decoded: (store url, charity, source,
# read_at, fingerprint) -> pipeline._LastGood. A long-lived process (the app, refreshing
# every minute on a live day) then decodes only what changed: 199 unchanged sheets of 200
# took 3.8 s to decode from Arrow on every refresh. Keyed by the read's time, so a new read
# (by any process) is never mistaken for the one held; kept to the last refresh's sheets.
_decoded: dict[tuple, object] = {}


# The store's combined row (store.validated_coalition) as this process last read or wrote
# it, as a blocks.Block: its members' keys, and their frames when they were decoded.
_held: dict[str, Block] = {}


def combined_is_due(members: int, drifted: int) -> bool:
    """Whether a refresh rewrites the combined row, when `drifted` of its `members` ok
    Google sheets are not in it as they are now (read since, or new). Rewriting costs
    about as much as decoding eight sheets one by one from `validated`, so a quiet day
    rewrites it every ninth change at most, and a small coalition every other one."""
    return drifted > min(8, members // 4)


# True in a process that exits after one refresh (the `refresh` command): what it loads
# from the combined row is then handed to gc.freeze, so the cycle collector, which walks
# every live object now and then, no longer walks the coalition's issues and frames while
# the changed sheets are checked (at 200 sheets: 0.08 s, a third of the difference from 7).
# Never in the app: frozen objects are never collected as cycles.
RUNS_ONCE = False


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector paused while a burst of objects is made: every few
    thousand new objects it walks all the young ones, and the combined row's issues and
    slices are hundreds of thousands (at 200 sheets the collector took 60 ms of the
    100 ms spent slicing). Nothing made here is a cycle; it runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _from_combined(store, wanted: dict[str, tuple[str, str, str]]) -> dict:
    """charity -> _LastGood, for the charities of `wanted` that the store's combined row
    holds as their stored validation (one decode per tab for all of them)."""
    from dashboard.pipeline import _LastGood
    from dashboard.store import StoreError
    from dashboard.validate import CharityData, Issue
    if not wanted:
        return {}
    with _collector_paused():
        try:
            stored = store.checked_coalition(wanted)
        except StoreError as err:
            log.warning("%s; each charity's stored validation is read instead", err)
            return {}
        _held[store.url] = Block.of(stored.keys, stored.frames, stored.rows, stored.uniform)
        loaded = {name: _LastGood(CharityData(name, read.frames, [Issue(**i) for i in read.issues]),
                                  dt.datetime.fromisoformat(read.read_at), read.edit_url)
                  for name, read in stored.reads.items()}
        del stored
        if RUNS_ONCE:
            gc.freeze()
        return loaded


def _save_combined(store, fingerprints: dict, results) -> Block | None:
    """Keep this refresh's Google charities that are ok as the store's combined row, when
    enough of them have drifted from it (combined_is_due). Returns the row as this process
    now holds it, with the members whose results carry exactly its rows as `used`."""
    from dashboard.store import CheckedRead, StoreError
    kept_now = []
    for r in results:
        if r.kind != "gsheet" or r.status != "ok" or r.as_of is None:
            continue
        fingerprint = fingerprints.get(r.name)
        if fingerprint is None:
            return None
        kept_now.append((r, (r.name, r.source, r.as_of.isoformat(), fingerprint)))
    held = _held.get(store.url)
    in_row = set(held.keys) if held is not None else set()
    if combined_is_due(len(kept_now), sum(1 for _, key in kept_now if key not in in_row)):
        members = [CheckedRead(*key, r.edit_url, r.frames, [i.as_dict() for i in r.issues])
                   for r, key in kept_now]
        try:
            stored = store.save_checked_coalition(members)
        except StoreError as err:
            log.warning("%s; the next refresh reads each charity's stored validation", err)
            return None
        held = _held[store.url] = Block.of(stored.keys, stored.frames, stored.rows, stored.uniform)
        in_row = set(held.keys)
    if held is None or not held.frames:
        return None
    return held.using(key[0] for _, key in kept_now if key in in_row)


def _unchanged(store, charity, config, checks, fingerprint, read_at_text: str | None,
               fresh: dict, combined: dict, origins: list):
    """The stored validation of a sheet Drive says is unchanged: held by this process,
    else from the store's combined row, else its own (`origins` gets which)."""
    from dashboard.pipeline import _last_good
    key = (store.url, charity.name, charity.source, read_at_text, fingerprint)
    last = _decoded.get(key) if read_at_text is not None else None
    origins.append("held")
    if last is None:
        last = combined.get(charity.name)
        origins[-1] = "row"
    keep = True
    if last is None:
        origins[-1] = "own"
        last = _last_good(store, charity, config, checks)
        if last is not None and last.read_at.isoformat() != read_at_text:
            keep = False                    # read again meanwhile: use it, do not keep it
    if last is not None and keep:
        fresh[key] = last
    return last


def full_read_reason(state: WatchState, config, store, google, checks, now,
                     fingerprints: dict | None = None) -> str | None:
    """Why this refresh must read every sheet, or None when Drive may be asked."""
    from dashboard.pipeline import validation_fingerprint
    if state.page_token is None:
        return "no Drive change token is stored yet"
    every = getattr(config, "full_read_every", DEFAULT_FULL_READ_EVERY)
    if state.full_read_at is None or now - state.full_read_at >= every:
        return f"the last full read is more than {every} old"
    if fingerprints is None:
        fingerprints = {c.name: validation_fingerprint(c, config, checks) for c in google}
    if any(f is None for f in fingerprints.values()):
        return "a check without a stable name cannot be stored"
    known = _stored_validations(store, {c.name: c.source for c in google}, fingerprints)
    state.stored = known
    # A sheet that failed since the last full read is read again anyway (pending), so one
    # sheet unshared for good does not make every refresh a full read.
    # A source that is not a sheet link at all is reported by load_charity every time; Drive
    # cannot vouch for it either way, so it does not force a full read.
    missing = [c.name for c in google if c.name not in known and _key(c.source) is not None
               and _key(c.source) not in state.pending]
    if missing:
        return (f"{len(missing)} sheet(s) have no stored read for this version of the "
                "dashboard (new to the config, or the store lost them)")
    return None


def _key(source: str) -> str | None:
    from connectors.gsheets import spreadsheet_key
    try:
        return spreadsheet_key(source)
    except SourceError:
        return None


def _client(gspread_client):
    if gspread_client is not None:
        return gspread_client
    from connectors.gsheets import default_client
    from dashboard import sources
    try:
        return default_client(sources.google_key_file())
    except SourceError:
        return None


def load_coalition_changes(config, store, *, gspread_client=None, extra_checks=None,
                           max_workers=None, drive_retry=None):
    """The coalition, reading only the Google sheets Drive says changed (see module doc).

    Returns a pipeline.Coalition whose `refresh_note` says what was decided and whose
    `drive_calls` counts Drive's requests. Without a store or a Google sheet in the
    config, or without credentials, it is `load_coalition` (a full read) as before.
    """
    from dashboard.pipeline import Coalition, default_checks, validation_fingerprint

    checks = default_checks() if extra_checks is None else extra_checks
    google = [c for c in config.charities if source_kind(c.source) == "gsheet"]
    client = _client(gspread_client) if google and store is not None else None
    if client is None:
        from dashboard.pipeline import load_coalition
        return load_coalition(config, store=store, gspread_client=gspread_client,
                              write_store=True, keep_validation=True, extra_checks=checks,
                              **({"max_workers": max_workers} if max_workers else {}))
    read_at = clock.now()
    state = read_state(store)
    fingerprints = {c.name: validation_fingerprint(c, config, checks) for c in google}
    reason = full_read_reason(state, config, store, google, checks, read_at, fingerprints)
    decision = _ask_drive(client, state, reason,
                          {"policy": drive_retry} if drive_retry is not None else {})
    refresher = _Refresher(config, store, client, checks, google, state, fingerprints, read_at,
                           decision)
    results = refresher.read_all(max_workers)
    _decoded.clear()
    _decoded.update(refresher.fresh)
    block = _save_combined(store, fingerprints, results)
    _remember(store, state, decision, refresher, results, read_at)
    return Coalition(config, results, read_at, refresh_note=decision.notice,
                     drive_calls=decision.drive_calls, full_read=decision.full,
                     blocks=(block,) if block is not None else ())


@dataclasses.dataclass
class _Decision:
    """What Drive said: read everything (`full`, and why) or the files `changed`."""
    reason: str | None
    changed: set
    new_token: str | None
    drive_calls: int
    notice: str | None          # Drive not enabled or not allowed: said once, in words

    @property
    def full(self) -> bool:
        return self.reason is not None


def _ask_drive(client, state: WatchState, reason: str | None, retry: dict) -> _Decision:
    """Drive's changes since the stored token; for a full read, a new token to start from."""
    from connectors import gdrive
    drive_calls, notice, new_token = 0, None, None
    changed: set[str] = set()
    if reason is None and state.page_token is not None:    # (no token: a full read's reason)
        try:
            changed, new_token, drive_calls = gdrive.changed_since(client, state.page_token, **retry)
        except gdrive.DriveNotAllowed as err:
            drive_calls, notice, reason = err.api_calls, str(err), "Drive is not enabled or not allowed"
        except SourceError as err:
            drive_calls, reason = err.api_calls, str(err)
    if reason is not None and notice is None:
        try:
            new_token, calls = gdrive.start_page_token(client, **retry)
            drive_calls += calls
        except gdrive.DriveNotAllowed as err:
            drive_calls, notice, new_token = drive_calls + err.api_calls, str(err), None
        except SourceError as err:
            drive_calls, new_token = drive_calls + err.api_calls, None
            log.warning("refresh: no Drive change token (%s); the next refresh reads everything", err)
    if notice:
        log.warning("refresh: %s", notice)
    return _Decision(reason, changed, new_token, drive_calls, notice)


class _Refresher:
    """One refresh's reading: each changed sheet read and validated, each unchanged one
    from this process's memory, the store's combined row or its own stored validation."""

    def __init__(self, config, store, client, checks, google, state: WatchState,
                 fingerprints: dict, read_at: dt.datetime, decision: _Decision):
        self.config, self.store, self.client, self.checks = config, store, client, checks
        self.google, self.state, self.fingerprints = google, state, fingerprints
        self.read_at = read_at
        self.keys = {c.name: _key(c.source) for c in google}  # None: load_charity reports the bad link
        self.google_names = set(self.keys)
        self.to_read = (set(self.keys.values()) if decision.full
                        else decision.changed | set(state.pending))
        self.fresh: dict[tuple, object] = {}
        self.origins: list[str] = []      # per unchanged sheet: "held", "row" or "own"
        self.combined = _from_combined(store, self._not_held())

    def _not_held(self) -> dict:
        """The unchanged sheets this process does not hold decoded (to take from the
        combined row): charity -> (source, read time, fingerprint)."""
        wanted = {}
        for c in self.google:
            read_at_text = self.state.stored.get(c.name)
            if self.keys[c.name] is None or self.keys[c.name] in self.to_read or read_at_text is None:
                continue
            fingerprint = self.fingerprints[c.name]
            if (self.store.url, c.name, c.source, read_at_text, fingerprint) not in _decoded:
                wanted[c.name] = (c.source, read_at_text, fingerprint)
        return wanted

    def read_all(self, max_workers) -> list:
        from dashboard.pipeline import MAX_CONCURRENT_READS
        reading = sum(1 for c in self.google if self.keys[c.name] in self.to_read)
        workers = max(1, min(max_workers or MAX_CONCURRENT_READS, reading))
        if workers == 1:
            return [self.one(c) for c in self.config.charities]
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="source") as pool:
            return list(pool.map(self.one, self.config.charities))

    def one(self, charity):
        from dashboard.pipeline import CharityResult, _LastGood, load_charity
        from dashboard.validate import CharityData
        key = self.keys.get(charity.name, "")
        if charity.name in self.google_names and key is not None and key not in self.to_read:
            started = time.perf_counter()
            last = _unchanged(self.store, charity, self.config, self.checks,
                              self.fingerprints[charity.name], self.state.stored.get(charity.name),
                              self.fresh, self.combined, self.origins)
            if last is not None:
                return CharityResult(charity.name, charity.source, "gsheet", "ok", last.read_at,
                                     None, last.data.frames, list(last.data.issues), 0,
                                     time.perf_counter() - started, last.edit_url,
                                     checked_at=self.read_at)
        result = load_charity(charity, self.config, store=self.store, gspread_client=self.client,
                              write_store=True, keep_validation=True, extra_checks=self.checks)
        if charity.name in self.google_names and result.status == "ok" and result.as_of is not None:
            # Kept as the next refresh would decode it from the store: no decode then.
            fingerprint = self.fingerprints[charity.name]
            self.fresh[(self.store.url, charity.name, charity.source, result.as_of.isoformat(),
                        fingerprint)] = \
                _LastGood(CharityData(charity.name, result.frames, list(result.issues)),
                          result.as_of, result.edit_url)
        return result


def _remember(store, state: WatchState, decision: _Decision, refresher: _Refresher,
              results: list, read_at: dt.datetime) -> None:
    """The token, the pending sheets and each sheet's check time, for the next refresh
    (in any process); and one log line saying what was decided."""
    keys = refresher.keys
    # Every pending sheet was in to_read: what is pending now is what failed now.
    pending = {key for r in results if (key := keys.get(r.name)) and r.status != "ok"}
    read_now = {r.name for r in results if r.name in keys and r.api_calls}
    write_state(store, WatchState(decision.new_token,
                                  read_at if decision.full else state.full_read_at,
                                  frozenset(pending)))
    record_checks(store, {r.name: (r.source, read_at) for r in results
                          if r.name in keys and r.status == "ok"})
    what = (f"full read ({decision.reason})" if decision.full
            else f"Drive: {len(decision.changed)} file(s) changed; read {len(read_now)} of "
                 f"{len(keys)} sheet(s)")
    origins = refresher.origins
    if origins:
        what += (f"; unchanged: {origins.count('held')} held by this process, "
                 f"{origins.count('row')} from the stored coalition, "
                 f"{origins.count('own')} from their own stored validation")
    log.info("refresh: %s; %d Drive request(s)", what, decision.drive_calls)
