"""Load the coalition: read every source (concurrently), validate, merge, compute figures.

This is the boundary where infrastructure failures (SourceError) are caught, one charity
at a time, so one broken sheet never stops the others. Pure of Streamlit.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import logging
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from connectors.base import RawWorkbook, SourceError, read_source, source_kind
from dashboard import clock, sources
from dashboard.blocks import Block, attendee_counts_with, concat_tab_with, media_keys_with
from dashboard.config import CharityConfig, Config
from dashboard.contract import TABS
from dashboard.memory import give_back_freed
from dashboard.figures import (COALITION, add_media_keys, attendee_counts, compute_figures,
                               place_name_only, resolve_mps)
from dashboard.validate import (CharityData, Issue, combinable, empty_frame, issues_frame,
                               validate_workbook, validate_workbooks, without_names)

log = logging.getLogger("dashboard.sources")
MAX_CONCURRENT_READS = 8       # well inside Google's 60 reads/minute with 1 call per sheet


@dataclass
class CharityResult:
    name: str
    source: str
    kind: str
    status: str                          # ok | stale | error
    as_of: dt.datetime | None            # time of the read whose data is used
    error: str | None                    # why the source could not be read now
    frames: dict[str, pd.DataFrame]
    issues: list[Issue]
    api_calls: int = 0
    duration_s: float = 0.0
    edit_url: str | None = None
    # When Drive last said the sheet is unchanged since `as_of` (dashboard/incremental.py);
    # None when it was read at `as_of` (or is not a Google sheet).
    checked_at: dt.datetime | None = None

    # Counted once: a result's issues are final when it is made, and pages, the summary
    # and the views ask for these counts many times (10,000 issues at 200 sheets).
    @cached_property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == "error")

    @cached_property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")


@dataclass
class Coalition:
    config: Config
    charities: list[CharityResult]
    read_at: dt.datetime
    ambiguous_names: set[str] = field(default_factory=set)
    # Set by the change-aware refresh (dashboard/incremental.py): a message for whoever runs
    # the dashboard (Drive not enabled), Drive requests made, and whether every sheet was read.
    refresh_note: str | None = None
    drive_calls: int = 0
    full_read: bool = True
    # Charities' frames already concatenated (dashboard/blocks.py): each batch of local
    # files checked together, or the unchanged sheets the change-aware refresh took from
    # the store's combined row. Merged in few pieces.
    blocks: tuple[Block, ...] = ()

    @cached_property
    def _merged(self) -> dict[str, pd.DataFrame]:
        frames = {t.key: concat_tab_with(t.key, self.charities, self.blocks) for t in TABS}
        meetings, pledges, ambiguous = resolve_mps(frames["mp_meetings"], frames["pledges"])
        meetings, pledges = place_name_only(meetings, pledges, self.parliament, ambiguous)
        self.ambiguous_names = ambiguous
        frames["mp_meetings"], frames["pledges"] = meetings, pledges
        keys = media_keys_with(self.charities, self.blocks)
        frames["media"] = add_media_keys(frames["media"]) if keys is None \
            else frames["media"].assign(media_key=keys)
        return frames

    @cached_property
    def parliament(self) -> str | None:
        """The parliament whose seats place the campaign's MPs; None without the official
        list (MPs are then counted by the rows' own identities only)."""
        from dashboard.official.parliament import load_constituencies, parliament_for
        try:
            load_constituencies()
        except FileNotFoundError:
            return None
        return parliament_for(self.config.start, self.config.end)

    def frame(self, tab_key: str) -> pd.DataFrame:
        """All charities' rows of one tab, with `charity` and resolved keys."""
        return self._merged[tab_key]

    @cached_property
    def figures(self) -> pd.DataFrame:
        """One row per charity (config order) plus the 'Coalition' row; columns = FIGURES."""
        return compute_figures(self._merged, [c.name for c in self.charities],
                               attendee_counts_with(self.charities, self.blocks))

    @property
    def coalition_figures(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.figures.loc[COALITION].items()}

    @cached_property
    def issues(self) -> list[Issue]:
        return [i for c in self.charities for i in c.issues]

    def issues_frame(self) -> pd.DataFrame:
        return issues_frame(self.issues)

    def charity(self, name: str) -> CharityResult:
        for c in self.charities:
            if c.name == name:
                return c
        raise KeyError(name)


def _empty_frames() -> dict[str, pd.DataFrame]:
    return {t.key: empty_frame(t) for t in TABS}


def _validated(raw: RawWorkbook, charity: CharityConfig, config: Config, extra_checks) -> CharityData:
    data = validate_workbook(raw, charity.name, config.start, config.end)
    for check in extra_checks:
        check(data, config)
    return data


CHECKOUT = Path(__file__).resolve().parents[1]


@functools.cache
def _code_digest(root: Path = CHECKOUT) -> str:
    """A digest of everything in the checkout at `root` that turns a read into typed frames
    and issues: the code, the bundled reference tables, and the pandas, pyarrow and Python
    in use."""
    import pyarrow

    digest = hashlib.sha256(f"{pd.__version__} {pyarrow.__version__} {sys.version}".encode())
    # Recursive, so a module moved into a sub-package still counts.
    files = [*root.glob("connectors/**/*.py"), *root.glob("dashboard/**/*.py"),
             *(root / "dashboard" / "reference").rglob("*")]
    for path in sorted(f for f in files if f.is_file() and "__pycache__" not in f.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def validation_fingerprint(charity: CharityConfig, config: Config, extra_checks) -> str | None:
    """What a stored validation of this charity's read depends on, besides the read: the
    code, the charity, the campaign window and the extra checks run. None (nothing is
    stored or reused) when a check has no stable name, such as a lambda."""
    names = [f"{check.__module__}.{check.__qualname__}" for check in extra_checks]
    if any("<" in name for name in names):
        return None
    parts = [_code_digest(), charity.name, charity.source, str(config.start), str(config.end),
             *names]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass
class _LastGood:
    data: CharityData
    read_at: dt.datetime
    edit_url: str | None


def _last_good(store, charity: CharityConfig, config: Config, checks) -> _LastGood | None:
    """The charity's last good read of its source, checked: what the refresh stored of
    validating it when the fingerprint (code, window, checks) still matches (a 50-charity
    coalition loads in 0.3 s instead of 2.5 s), else the stored read validated again.
    None when no good read of this source is stored."""
    fingerprint = validation_fingerprint(charity, config, checks)
    checked = store.checked_read(charity.name, charity.source, fingerprint) \
        if fingerprint is not None else None
    if checked is not None:
        read_at, edit_url, frames, issue_fields = checked
        return _LastGood(CharityData(charity.name, frames, [Issue(**i) for i in issue_fields]),
                         read_at, edit_url)
    last = store.last_good_read(charity.name, charity.source)
    if last is None:
        return None
    return _LastGood(_validated(last, charity, config, checks), last.read_at, last.edit_url)


def _unexpected(step: str, err: BaseException) -> str:
    """The reason, in words, when reading or checking a charity failed with something
    other than a SourceError: the error's kind only (its text may quote a cell)."""
    return (f"{step} the sheet failed unexpectedly ({type(err).__name__}); the details are "
            "in the dashboard's log")


def _log_unexpected(what: str, charity: CharityConfig, err: BaseException) -> None:
    """The error's kind and where it was raised, for whoever maintains the dashboard; not
    its message, which may quote a cell (the log never holds a cell's content)."""
    log.error("%s charity=%r raised %s; traceback (message left out):\n%s", what, charity.name,
              type(err).__name__, "".join(traceback.format_tb(err.__traceback__)).rstrip())


def _last_good_or_none(store, charity: CharityConfig, config: Config, checks) -> _LastGood | None:
    """_last_good, or None when even the stored read cannot be checked (logged)."""
    if store is None:
        return None
    try:
        return _last_good(store, charity, config, checks)
    except Exception as err:
        _log_unexpected("checking the last good read of", charity, err)
        return None


def _not_read_now(charity: CharityConfig, config: Config, store, checks, kind: str,
                  started: float, reason: str, outcome: str, api_calls="?") -> CharityResult:
    """The charity when its source cannot be used now: stale from its last good read, or
    an error, with `reason` in words."""
    duration = time.perf_counter() - started
    last = _last_good_or_none(store, charity, config, checks)
    log.warning("source read charity=%r kind=%s duration=%.2fs api_calls=%s outcome=%s reason=%r%s",
                charity.name, kind, duration, api_calls, outcome, reason,
                " (serving last good read)" if last else "")
    if last is not None:
        note = Issue(charity.name, None, None, None, "warning", "stale",
                     f"The source could not be read just now ({reason}). Showing the last good "
                     f"read, from {clock.iso(last.read_at)}.", "Fix the source; the next refresh picks it up.")
        return CharityResult(charity.name, charity.source, kind, "stale", last.read_at, reason,
                             last.data.frames, [note, *last.data.issues], 0, duration,
                             last.edit_url)
    issue = Issue(charity.name, None, None, None, "error", "source_unreadable",
                  f"The source could not be read: {reason}", "Fix the source or the config; "
                  "the other charities are counted meanwhile.")
    return CharityResult(charity.name, charity.source, kind, "error", None, reason,
                         _empty_frames(), [issue], 0, duration)


def load_charity(charity: CharityConfig, config: Config, *, store=None, gspread_client=None,
                 write_store: bool = False, keep_validation: bool = False,
                 extra_checks=()) -> CharityResult:
    """`keep_validation` (with `write_store`): store what validating the read gave with it,
    for app servers that load the store (the refresh timer's job).

    The boundary around one charity: whatever reading or checking its source raises makes
    this charity stale (from its last good read) or an error, never the coalition."""
    started = time.perf_counter()
    raw = _read(charity, config, store, gspread_client, extra_checks, started)
    if isinstance(raw, CharityResult):
        return raw
    return _checked(charity, config, raw, started, store=store, write_store=write_store,
                    keep_validation=keep_validation, extra_checks=extra_checks)


def _checked(charity: CharityConfig, config: Config, raw: RawWorkbook, started: float, *,
             store, write_store: bool, keep_validation: bool, extra_checks,
             data: CharityData | None = None) -> CharityResult:
    """The charity's read checked (unless `data`, its checking done already) and kept; when
    checking it raises, the charity is stale or an error, the coalition goes on."""
    if data is None:
        try:
            data = _validated(raw, charity, config, extra_checks)
        except Exception as err:
            _log_unexpected("checking", charity, err)
            return _not_read_now(charity, config, store, extra_checks, source_kind(charity.source),
                                 started, _unexpected("checking", err), type(err).__name__,
                                 raw.api_calls)
    return _read_ok(charity, config, raw, data, started, store=store, write_store=write_store,
                    keep_validation=keep_validation, extra_checks=extra_checks)


def _read(charity: CharityConfig, config: Config, store, gspread_client, extra_checks,
          started: float) -> RawWorkbook | CharityResult:
    """The charity's source read now, or the charity stale or an error when it cannot be."""
    kind = source_kind(charity.source)
    try:
        return read_source(charity.source, base_dir=config.base_dir, gspread_client=gspread_client,
                           now=clock.now(), key_file=sources.google_key_file())
    except SourceError as err:
        return _not_read_now(charity, config, store, extra_checks, kind, started, str(err),
                             type(err).__name__, getattr(err, "api_calls", "?"))
    except Exception as err:
        _log_unexpected("reading", charity, err)
        return _not_read_now(charity, config, store, extra_checks, kind, started,
                             _unexpected("reading", err), type(err).__name__)


def _read_ok(charity: CharityConfig, config: Config, raw: RawWorkbook, data: CharityData,
             started: float, *, store, write_store: bool, keep_validation: bool,
             extra_checks) -> CharityResult:
    """The charity read and checked now: its read stored (with what checking it gave, when
    `keep_validation`) as its last good."""
    kind = source_kind(charity.source)
    if write_store and store is not None:
        fingerprint = validation_fingerprint(charity, config, extra_checks) \
            if keep_validation else None
        # Never a young person's name in the store: name-like columns go first.
        store.save_good_read(charity.name, without_names(raw), None if fingerprint is None else
                             (fingerprint, data.frames, data.issues))
    duration = time.perf_counter() - started
    log.info("source read charity=%r kind=%s duration=%.2fs api_calls=%d outcome=ok",
             charity.name, kind, duration, raw.api_calls)
    return CharityResult(charity.name, charity.source, kind, "ok", raw.read_at, None,
                         data.frames, data.issues, raw.api_calls, duration, raw.edit_url)


# Rows read before they are checked together: every read of a batch is held until the
# batch is checked, so this bounds the memory a full read holds at once. On the 50-charity
# coalition (14,500 rows a charity) 75,000 rows is batches of 5 charities: the command's
# peak as charity by charity, 329 MiB (10 at a time: 344 MiB, all 50: 550 MiB), with most
# of the time saved (docs/scale.md, issue 21).
ROWS_CHECKED_TOGETHER = 75_000


def _validated_together(raws: dict[int, RawWorkbook], config: Config, extra_checks
                        ) -> tuple[dict[int, CharityData], Block | None]:
    """validate_workbooks of the charities read (by position in the config) whose reads
    are `combinable`, then the extra checks on each one's share, and the Block of their
    combined frames: the same CharityData as _validated gives one at a time. Tabs whose
    frames an extra check replaced for some charity (parties filled from the seat) are
    merged charity by charity, as before."""
    together = [i for i, raw in raws.items() if combinable(raw)]
    if len(together) < 2:
        return {}, None
    names = [config.charities[i].name for i in together]
    datas, whole, rows, uniform = validate_workbooks([(raws[i], n) for i, n in zip(together, names)],
                                                     config.start, config.end)
    # The combined frame of each uniform tab, whose slices the charities' frames are: a
    # check that judges the charities' rows as one (its `together`) takes it, and puts in
    # its place the frame its new frames are slices of. A tab whose frames a check
    # replaced otherwise is merged charity by charity, as before.
    combined = {tab: whole[tab] for tab in uniform}
    for check in extra_checks:
        checked, given = [dict(d.frames) for d in datas], dict(combined)
        joint = getattr(check, "together", None)
        if joint is not None:
            joint(datas, config, combined=combined)
        else:
            for data in datas:
                check(data, config)
        for tab in given:
            if combined[tab] is given[tab] and any(
                    data.frames[tab] is not before[tab] and len(before[tab])
                    for data, before in zip(datas, checked)):
                del combined[tab]
    keys = [(n, config.charities[i].source, clock.iso(raws[i].read_at), "")
            for i, n in zip(together, names)]
    block = Block.of(keys, {**whole, **combined}, rows, frozenset(combined)).using(names)
    return dict(zip(together, datas)), block


def default_checks():
    """Checks beyond the sheet itself: constituencies against the parliament in force."""
    from dashboard.official.parliament import check_charity_data
    return (check_charity_data,)


def load_coalition(config: Config, *, store=None, gspread_client=None, write_store: bool = False,
                   keep_validation: bool = False, max_workers: int = MAX_CONCURRENT_READS,
                   extra_checks=None) -> Coalition:
    """Read every charity's source concurrently; failures stay inside their charity.

    `write_store`: keep every good read as the charity's last good (refresh does; a plain
    `summary` only reads the store, as a fallback). `keep_validation`: keep what
    validating it gave too, for app servers in store mode (the `refresh` command does).
    """
    checks = default_checks() if extra_checks is None else extra_checks
    read_at = clock.now()
    # Threads only wait well: they overlap Google's network round trips. Reading local
    # files and checking cells is CPU work under the GIL, where threads only add switching
    # (a 50-charity CSV coalition took 25% longer with 8 threads), so a coalition with no
    # Google sheet is read one charity after another, on one thread, a batch ahead of the
    # checking (_one_ahead: Arrow parses a CSV file without the GIL).
    remote = sum(1 for c in config.charities if source_kind(c.source) == "gsheet")
    workers = max(1, min(max_workers, remote))

    def one(charity: CharityConfig) -> CharityResult:
        return load_charity(charity, config, store=store, gspread_client=gspread_client,
                            write_store=write_store, keep_validation=keep_validation,
                            extra_checks=checks)

    if workers == 1 and not remote:
        return _load_local(config, read_at, store=store, write_store=write_store,
                           keep_validation=keep_validation, extra_checks=checks)
    if workers == 1:
        results = [one(c) for c in config.charities]
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="source") as pool:
            results = list(pool.map(one, config.charities))
    return Coalition(config, results, read_at)


def _read_in_batches(config: Config, store, extra_checks, pool=None):
    """(charities by position, when each one's read started, its read or its result when it
    could not be read) for batches of charities holding about ROWS_CHECKED_TOGETHER rows,
    each batch read on a thread (`pool`'s, when given) while the one before is checked
    (_one_ahead); while the first batch is read, the checks prepare what they look up
    (_prepared)."""
    def batches():
        batch: list[tuple[int, CharityConfig]] = []
        started: dict[int, float] = {}
        outcome: dict[int, RawWorkbook | CharityResult] = {}
        rows = 0
        for i, charity in enumerate(config.charities):
            started[i] = time.perf_counter()
            outcome[i] = read = _read(charity, config, store, None, extra_checks, started[i])
            batch.append((i, charity))
            if isinstance(read, RawWorkbook):
                rows += sum(len(tab.cells) for tab in read.tabs)
            del read
            if rows >= ROWS_CHECKED_TOGETHER or i == len(config.charities) - 1:
                yield batch, started, outcome
                batch, started, outcome, rows = [], {}, {}, 0
    return _one_ahead(batches(), meanwhile=lambda: _prepared(config, extra_checks), pool=pool)


def _prepared(config: Config, extra_checks) -> None:
    """Each check's `prepare(config)`, if it has one: what it looks up read before its
    first batch (the constituency tables). A failure is logged and left to the check."""
    for check in extra_checks:
        prepare = getattr(check, "prepare", None)
        if prepare is None:
            continue
        try:
            prepare(config)
        except Exception as err:
            log.error("preparing the check %s raised %s", getattr(check, "__name__", check),
                      type(err).__name__)


_DONE = object()


def _one_ahead(items, meanwhile=None, pool: ThreadPoolExecutor | None = None):
    """The items of an iterator, each one made on a thread while the caller works on the
    one before, never more than one ahead (so at most two batches' reads are held).
    Arrow reads a CSV file without holding the interpreter's lock, so with a second core
    the next batch's files are read while this batch is checked. `meanwhile()`, if
    given, is run while the first item is made (when the caller could only wait).
    `pool`: a one-thread pool of the caller's, which may give it other work meanwhile
    (done between two items, never beside one); else one of its own."""
    if pool is None:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead") as own:
            yield from _one_ahead(items, meanwhile, own)
        return
    pending = pool.submit(next, items, _DONE)
    if meanwhile is not None:
        meanwhile()
    while True:
        item = pending.result()
        if item is _DONE:
            return
        pending = pool.submit(next, items, _DONE)
        yield item
        del item


def _load_local(config: Config, read_at: dt.datetime, *, store, write_store: bool,
                keep_validation: bool, extra_checks) -> Coalition:
    """load_coalition of local files: each charity read on its own, then checked per tab
    across a batch of charities read (validate.validate_workbooks: the fixed costs of a
    column paid once per tab and batch, not per charity); each batch hands its combined
    frames to the merge as a Block, so a tab is concatenated from a piece per batch.
    When checking them together raises, each charity is checked alone, so a sheet that
    breaks the checks still only makes its own charity stale or an error."""
    results: list[CharityResult] = []
    blocks: list[Block] = []
    # A batch's media keys and attendee counts are worked out on the read-ahead thread,
    # once it has read the next batch, while that batch is checked (_worked_out_ahead):
    # most of that work is Arrow's, which runs without the interpreter's lock (and on the
    # reading's core, not beside the reading).
    helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead")
    try:
        for batch, started, outcome in _read_in_batches(config, store, extra_checks, helper):
            raws = {i: raw for i, raw in outcome.items() if isinstance(raw, RawWorkbook)}
            try:
                datas, block = _validated_together(raws, config, extra_checks)
            except Exception as err:
                log.error("checking %d charities together raised %s; checking each alone; "
                          "traceback (message left out):\n%s", len(raws), type(err).__name__,
                          "".join(traceback.format_tb(err.__traceback__)).rstrip())
                datas, block = {}, None
            if block is not None:
                block = _worked_out_ahead(block, helper)
                blocks.append(block)
            for i, charity in batch:
                result = outcome[i]
                if isinstance(result, CharityResult):
                    results.append(result)
                    continue
                results.append(_checked(charity, config, result, started[i], store=store,
                                        write_store=write_store,
                                        keep_validation=keep_validation,
                                        extra_checks=extra_checks, data=datas.get(i)))
            del outcome, raws, result
            give_back_freed()          # (the batch's reads and working columns are freed)
    finally:
        helper.shutdown(wait=False)    # (the merge and figures wait for what they take)
    return Coalition(config, results, read_at, blocks=tuple(blocks))


def _media_key_column(media: pd.DataFrame) -> pd.Series:
    """A batch's media_key column (figures.add_media_keys), for Block.media_keys."""
    return add_media_keys(media)["media_key"]


def _member_attendee_counts(attendees: pd.DataFrame, names: list[str],
                            rows: list[int]) -> dict[str, tuple[int, int]]:
    """A batch's attendee_counts by member, for Block.attendee_counts."""
    groups = np.repeat(np.arange(len(names)), rows)
    registered, attended = attendee_counts(attendees, groups, len(names))
    return {name: (int(r), int(a)) for name, r, a in zip(names, registered, attended)}


_KEYED_MEDIA = ("url", "date", "outlet", "headline")    # what add_media_keys reads
_COUNTED_ATTENDEES = ("ref", "status")                    # what attendee_counts reads


def _worked_out_ahead(block: Block, helper: ThreadPoolExecutor) -> Block:
    """The block with its media keys and attendee counts asked of `helper` (for the tabs
    merged from the block that have the columns they read)."""
    def has(tab: str, columns) -> bool:
        frame = block.frames.get(tab)
        return tab in block.uniform and frame is not None and set(columns) <= set(frame.columns)

    if has("media", _KEYED_MEDIA):
        block = dataclasses.replace(block, media_keys=helper.submit(
            _media_key_column, _own_columns(block.frames["media"], _KEYED_MEDIA)))
    if has("attendees", _COUNTED_ATTENDEES):
        block = dataclasses.replace(block, attendee_counts=helper.submit(
            _member_attendee_counts, _own_columns(block.frames["attendees"], _COUNTED_ATTENDEES),
            [key[0] for key in block.keys], np.diff(block.starts["attendees"]).tolist()))
    return block


def _own_columns(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """A frame of its own holding the columns, for another thread: made of the columns'
    arrays, so pandas' bookkeeping of who shares the batch's frames is never changed by
    two threads at once."""
    return pd.DataFrame({column: frame[column].array for column in columns}, index=frame.index)


def load_coalition_from_store(config: Config, store, *, extra_checks=None,
                              stale_after: dt.timedelta | None = None) -> Coalition:
    """The coalition from the store's last good reads only: no source is read.

    For app servers when a timer runs `python -m dashboard refresh` (deploy/systemd): the
    timer is then the only reader of Google, however many servers and viewers there are.
    A charity no refresh has read yet is an error; one whose last good read is older than
    `stale_after` (the last refreshes could not read it) is stale.
    """
    checks = default_checks() if extra_checks is None else extra_checks
    now = clock.now()
    results = []
    for charity in config.charities:
        kind = source_kind(charity.source)
        try:
            last = _last_good(store, charity, config, checks)
            reason = "no refresh has read this source yet"
        except Exception as err:
            _log_unexpected("checking the last good read of", charity, err)
            last, reason = None, _unexpected("checking the stored read of", err)
        if last is None:
            issue = Issue(charity.name, None, None, None, "error", "source_unreadable",
                          f"The source could not be read: {reason}.",
                          "Run `python -m dashboard refresh` (the refresh timer does) and check its log.")
            results.append(CharityResult(charity.name, charity.source, kind, "error", None, reason,
                                         _empty_frames(), [issue]))
            continue
        status, error, issues = "ok", None, list(last.data.issues)
        if stale_after is not None and now - last.read_at > stale_after:
            status = "stale"
            error = "the last refreshes did not read this source"
            issues.insert(0, Issue(charity.name, None, None, None, "warning", "stale",
                                   f"The source has not been read since {clock.iso(last.read_at)}. "
                                   "Showing that read.", "Check the refresh timer's log for this source."))
        results.append(CharityResult(charity.name, charity.source, kind, status, last.read_at, error,
                                     last.data.frames, issues, 0, 0.0, last.edit_url))
    read_at = max((r.as_of for r in results if r.as_of is not None), default=now)
    return Coalition(config, results, read_at)


def refresh(config, store, *, gspread_client=None, keep_validation: bool = False):
    """One refresh: read all, store good reads, record one snapshot. Returns (coalition, summary).

    `keep_validation`: store what validating each read gave with it, so app servers in
    store mode load it instead of validating again (the command does; an app reading the
    sources itself does not need it)."""
    from dashboard.history import record_snapshot, seed_demo_history
    from dashboard.incremental import load_coalition_changes
    from dashboard.store import StoreError
    from dashboard.summary import build_summary

    if any(source_kind(c.source) == "gsheet" for c in config.charities):
        # Google sheets: ask Drive what changed and read only that (dashboard/incremental.py),
        # which needs each read's validation stored, so it is kept whatever the caller says.
        try:
            coalition = load_coalition_changes(config, store, gspread_client=gspread_client)
        except StoreError as err:
            # Without the store there is nothing to compare with: read every sheet.
            log.warning("%s; reading every sheet", err)
            coalition = load_coalition(config, store=store, gspread_client=gspread_client,
                                       write_store=True, keep_validation=keep_validation)
    else:
        coalition = load_coalition(config, store=store, gspread_client=gspread_client,
                                   write_store=True, keep_validation=keep_validation)
    # Reads stored before names were dropped (kept while a source cannot be read) lose them now.
    store.clean_last_good_reads(without_names,
                                skip=[c.name for c in coalition.charities if c.status == "ok"])
    summary = build_summary(coalition)
    seed_demo_history(config, store, summary)      # the demo only, on its first run
    record_snapshot(store, summary, coalition.read_at)
    return coalition, summary
