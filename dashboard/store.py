"""The local store (contract section 5): last good reads, snapshots and minted links.

Any SQLAlchemy URL works; SQLite beside the config by default, PostgreSQL for several app
servers. Every write is one transaction, so concurrent refreshes neither lose nor
duplicate a row.

Trouble with the store itself (a full disk, a read-only or corrupt file, a lock held too
long, a database that cannot be reached, a URL nothing can open) is raised as StoreError,
one sentence in words; GuardedStore is the store for code that must keep going without
it (the app, a refresh it makes): it says the problem once and serves without the store.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import functools
import json
import logging
import threading
import time
import uuid

import pandas as pd
from sqlalchemy import (Column, Integer, LargeBinary, MetaData, String, Table, Text,
                        create_engine, delete, event, insert, select, update)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from connectors.base import RawTab, RawWorkbook
from dashboard import clock

log = logging.getLogger("dashboard.store")
# How long a write waits for another process's lock before the store counts as locked.
LOCK_TIMEOUT_S = 30

metadata = MetaData()

last_good = Table(
    "last_good", metadata,
    Column("charity", String(200), primary_key=True),
    Column("source", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("read_at", String(40), nullable=False),
    Column("payload", Text, nullable=False),
)

# What validating a last good read gave (typed frames and issues), written with it by the
# refresh, so that app servers reading the store (DASHBOARD_APP_READS=store) load it instead
# of validating every charity again each ttl. `fingerprint` names everything the result
# depends on besides the read (code, campaign window, checks): any change there and the
# row is ignored, and the read is validated as before.
validated = Table(
    "validated", metadata,
    Column("charity", String(200), primary_key=True),
    Column("source", Text, nullable=False),
    Column("read_at", String(40), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("layout", Text, nullable=False),          # JSON: each tab's bytes and dtypes
    Column("frames", LargeBinary, nullable=False),   # Arrow IPC streams, one per tab
    Column("issues", Text, nullable=False),          # JSON list of validate.Issue fields
)

# The stored validations of the whole coalition in one row, written by each change-aware
# refresh (dashboard/incremental.py): every member charity's rows of a tab concatenated in
# one Arrow stream, and the members in order with their row counts, read time, fingerprint
# and issues. A new `refresh` process then takes the unchanged charities from four streams
# instead of one stream per tab per charity (796 for 199 sheets, most of its time). It is a
# copy, never the truth: a member counts only while its (source, read_at, fingerprint) is
# that of the charity's row in `validated`; any other charity, and any row this version
# cannot read, is taken from `validated` as before. Typed frames only, like `validated`:
# no young person's name.
validated_coalition = Table(
    "validated_coalition", metadata,
    Column("id", String(20), primary_key=True),
    Column("layout", Text, nullable=False),          # JSON: format, tabs, members
    Column("frames", LargeBinary, nullable=False),   # Arrow IPC streams, one per tab
)
COALITION_ROW = "coalition"
COALITION_FORMAT = 1

snapshots = Table(
    "snapshots", metadata,
    Column("id", String(36), primary_key=True),      # one uuid per refresh: retries don't duplicate
    Column("seq", Integer, nullable=False),
    Column("at", String(40), nullable=False, index=True),
    Column("payload", Text, nullable=False),
)

links = Table(
    "links", metadata,
    Column("id", String(40), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("charity", String(200)),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
    Column("label", String(200)),                    # whom it was sent to, for the people managing links
)

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _engine(url: str) -> Engine:
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            kwargs = {"future": True}
            timeout = LOCK_TIMEOUT_S
            if url.startswith("sqlite"):
                kwargs["connect_args"] = {"timeout": timeout, "check_same_thread": False}
            elif url.startswith("postgresql") and "connect_timeout" not in url:
                kwargs["connect_args"] = {"connect_timeout": 10}   # not the OS's minutes
            engine = create_engine(url, **kwargs)
            if url.startswith("sqlite"):
                @event.listens_for(engine, "connect")
                def _wal(dbapi_conn, _record):  # readers don't block the writer
                    cur = dbapi_conn.cursor()
                    cur.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
                    cur.execute("PRAGMA journal_mode=WAL")
                    cur.close()
            try:
                metadata.create_all(engine)
                _add_missing_columns(engine)
            except BaseException:
                engine.dispose()      # not kept: the next use tries again, once it is fixed
                raise
            _engines[url] = engine
        return engine


class StoreError(Exception):
    """The store cannot be used just now: one sentence in words, never the password."""


def shown_url(url: str) -> str:
    """A storage URL for messages: never the password."""
    try:
        from sqlalchemy.engine import make_url
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - unparsable URL: say nothing of it
        return "the configured storage URL"


# (words in the driver's message, what it means for a person); first match wins.
_TROUBLE = (
    (("database or disk is full", "no space left", "disk full", "diskfull"),
     "is on a full disk: nothing more can be written until space is freed"),
    (("readonly database", "read-only", "read only", "permission denied"),
     "is read-only: nothing can be written to it"),
    (("not a database", "malformed", "file is encrypted", "database corrupt"),
     "is corrupt (not a readable database): restore it from a backup or move it aside"),
    (("database is locked", "lock timeout", "lock not available"),
     "is locked by another process (waited {timeout} s); try again when it finishes"),
    (("unable to open database file",),
     "cannot be opened: check that its folder exists and this user may write there"),
    (("connection refused", "could not connect", "connection failed", "timeout expired",
      "name or service not known", "could not translate host name"),
     "cannot be reached (the database server refused or did not answer)"),
    (("can't load plugin", "could not parse", "no such module"),
     "is not a database URL the dashboard can use: write sqlite:///PATH or "
     "postgresql+psycopg://USER:PASSWORD@HOST/DB"),
)


def trouble_in_words(err: BaseException, url: str) -> StoreError:
    """The StoreError a person can act on, for an exception the store raised."""
    detail = str(getattr(err, "orig", None) or err).strip()
    lowered = f"{type(err).__name__} {detail}".lower()
    for needles, meaning in _TROUBLE:
        if any(n in lowered for n in needles):
            return StoreError(f"the store at {shown_url(url)} "
                              + meaning.format(timeout=LOCK_TIMEOUT_S))
    first = detail.splitlines()[0] if detail else type(err).__name__
    return StoreError(f"the store at {shown_url(url)} cannot be used: {first[:200]}")


def _in_words(method):
    """Store trouble leaves a Store method as StoreError, in words."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except (SQLAlchemyError, OSError, MemoryError) as err:
            raise trouble_in_words(err, self.url) from None
    return wrapper


def _readable_time(text) -> dt.datetime | None:
    """A stored time, or None when it cannot be read or is outside the clock's years (an
    earlier version could store year 1, after which every reading of history broke)."""
    try:
        value = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return value if clock.in_bounds(value) else None


def _storable_time(value: dt.datetime, what: str) -> str:
    if not clock.in_bounds(value):
        raise ValueError(f"{what} {value.isoformat()} is outside the years "
                         f"{clock.FIRST_YEAR} to {clock.LAST_YEAR}; nothing was stored")
    return value.isoformat()


def _add_missing_columns(engine: Engine) -> None:
    """Columns added after a store was first made (create_all makes missing tables only):
    nullable, so the rows already there keep their meaning."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import DBAPIError

    if "label" in {c["name"] for c in inspect(engine).get_columns("links")}:
        return
    try:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE links ADD COLUMN label VARCHAR(200)"))
    except DBAPIError:
        # another process added it first
        if "label" not in {c["name"] for c in inspect(engine).get_columns("links")}:
            raise


def _encode_cell(value):
    if hasattr(value, "item"):
        value = value.item()              # numpy scalars (a datetime64 becomes a date or datetime)
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, float) and value != value:
        return None
    return value


def _decode_cell(value):
    if isinstance(value, dict):
        if "$dt" in value:
            return dt.datetime.fromisoformat(value["$dt"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
    return value


def _tab_columns(cells: pd.DataFrame) -> tuple[list[list], bool]:
    """(the tab's columns of JSON-ready cells, whether any cell is a date). A column of
    text (a CSV file's) is taken whole, as Python strings; only other columns go cell by
    cell (a 50-charity coalition has 5 million cells)."""
    columns, dated = [], False
    for _, column in cells.items():
        if isinstance(column.dtype, pd.StringDtype):
            columns.append(column.to_numpy(dtype=object, na_value=None).tolist())
            continue
        encoded = [_encode_cell(v) for v in column.astype(object)]
        dated = dated or any(isinstance(v, dict) for v in encoded)
        columns.append(encoded)
    return columns, dated


def workbook_to_json(wb: RawWorkbook) -> str:
    tabs = []
    for t in wb.tabs:
        columns, dated = _tab_columns(t.cells)
        # Stored column by column; "plain": no date cell, so nothing to decode cell by cell.
        tabs.append({"title": t.title, "sheet_id": t.sheet_id, "columns": columns, "plain": not dated})
    return json.dumps({"edit_url": wb.edit_url, "tabs": tabs})


def _tab_from_json(tab: dict) -> pd.DataFrame:
    if "columns" not in tab:        # written row by row, before the column layout
        return pd.DataFrame([[_decode_cell(v) for v in row] for row in tab["cells"]], dtype=object)
    columns = tab["columns"] if tab.get("plain") else \
        [[_decode_cell(v) for v in column] for column in tab["columns"]]
    return pd.DataFrame(dict(enumerate(columns)), dtype=object)


def workbook_from_json(text: str, *, source: str, kind: str, read_at: dt.datetime) -> RawWorkbook:
    data = json.loads(text)
    tabs = [RawTab(t["title"], _tab_from_json(t), t.get("sheet_id")) for t in data["tabs"]]
    return RawWorkbook(source=source, kind=kind, tabs=tabs, read_at=read_at,
                       edit_url=data.get("edit_url"))


def frames_to_arrow(frames: dict[str, pd.DataFrame]) -> tuple[dict, bytes] | None:
    """(layout, bytes) of typed frames as Arrow IPC streams: data only, never code (a
    pickle read back from a shared database could run anything). None when a frame
    has a column Arrow cannot hold; the caller then stores nothing."""
    import pyarrow as pa

    # zstd: a 50-charity coalition's frames take 12 MB instead of 84 MB, for 0.09 s more
    # to read them back.
    options = pa.ipc.IpcWriteOptions(
        compression="zstd" if pa.Codec.is_available("zstd") else None)
    layout, chunks, offset = {}, [], 0
    try:
        for key, frame in frames.items():
            # One chunk per column: pandas text concatenated from many frames keeps each
            # frame's chunk, and every chunk would be a record batch compressed on its own
            # (800 of them: 0.26 s to write the coalition's frames instead of 6 ms).
            table = pa.Table.from_pandas(frame, preserve_index=False).combine_chunks()
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
                writer.write_table(table)
            data = sink.getvalue().to_pybytes()
            layout[key] = {"at": offset, "size": len(data),
                           "dtypes": {str(c): str(t) for c, t in frame.dtypes.items()}}
            chunks.append(data)
            offset += len(data)
    except (pa.ArrowException, OverflowError, TypeError, ValueError):
        return None
    return layout, b"".join(chunks)


def frames_from_arrow(layout: dict, data: bytes) -> dict[str, pd.DataFrame] | None:
    """The frames frames_to_arrow stored, with the dtypes they had; None if any column
    comes back with another dtype (the caller then validates the read again)."""
    import pyarrow as pa

    frames = {}
    for key, part in layout.items():
        stream = pa.BufferReader(memoryview(data)[part["at"]:part["at"] + part["size"]])
        frame = pa.ipc.open_stream(stream).read_all().to_pandas()
        for column, dtype in part["dtypes"].items():
            if str(frame[column].dtype) == dtype:
                continue
            if dtype != "object":
                return None
            # Text in an untyped column (a party filled in from the seat) comes back as
            # pandas text; it was Python objects with None for blanks.
            frame[column] = pd.Series(frame[column].to_numpy(dtype=object, na_value=None),
                                      index=frame.index, dtype=object)
        frames[key] = frame
    return frames


@dataclasses.dataclass
class CheckedRead:
    """One charity's stored validation, as `checked_coalition` takes and gives it."""
    charity: str
    source: str
    read_at: str                      # as stored: the key that ties it to `validated`
    fingerprint: str
    edit_url: str | None
    frames: dict[str, pd.DataFrame]
    issues: list[dict]

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.charity, self.source, self.read_at, self.fingerprint)


@dataclasses.dataclass
class StoredCoalition:
    """The combined row as written or read: each member's key (charity, source, read_at,
    fingerprint) in order, its row count per tab (in the frames' tab order), the frames
    (tab -> every member's rows; empty when nothing was decoded), the tabs in which every
    member with rows has the frame's own dtypes (`uniform`: a slice of several members
    is then what concatenating theirs gives), and `reads`: the members a reader asked
    for, each with its own frames and issues."""
    keys: list[tuple[str, str, str, str]]
    rows: list[list[int]]
    frames: dict[str, pd.DataFrame]
    uniform: frozenset[str] = frozenset()
    reads: dict[str, CheckedRead] = dataclasses.field(default_factory=dict)


def _dtypes(frame: pd.DataFrame) -> dict[str, str]:
    return {str(c): str(t) for c, t in zip(frame.columns, frame.dtypes)}


def coalition_to_arrow(members: list[CheckedRead]) -> tuple[dict, bytes, StoredCoalition] | None:
    """(layout, bytes, what they hold) of the members' frames, each tab's rows
    concatenated in member order. A member whose columns differ from most members' is
    left out (it is read from `validated`); one whose dtypes differ from the
    concatenation's (an optional column it lacks is untyped) keeps its own dtypes in the
    layout, to be given back. None when nothing can be stored."""
    if not members:
        return None
    columns = [tuple((key, tuple(frame.columns)) for key, frame in m.frames.items()) for m in members]
    common = collections.Counter(columns).most_common(1)[0][0]
    kept = [m for m, c in zip(members, columns) if c == common]
    tabs = [key for key, _ in common]
    combined = {}
    for key in tabs:
        # Rows only: concatenating an empty frame could widen a dtype, as figures.concat_tab
        # (which leaves empty frames out) would not.
        with_rows = [m.frames[key] for m in kept if len(m.frames[key])]
        combined[key] = pd.concat(with_rows, ignore_index=True) if with_rows else \
            kept[0].frames[key].iloc[0:0].reset_index(drop=True)
    encoded = frames_to_arrow(combined)
    if encoded is None:
        return None
    layout_tabs, data = encoded
    wide = {key: _dtypes(combined[key]) for key in tabs}
    rows, described, uniform = [], [], set(tabs)
    for m in kept:
        own_rows = [len(m.frames[key]) for key in tabs]
        casts = {}
        for key, n in zip(tabs, own_rows):
            own = _dtypes(m.frames[key])
            if own != wide[key]:
                casts[key] = {c: t for c, t in own.items() if t != wide[key][c]}
                if n:
                    uniform.discard(key)
        rows.append(own_rows)
        described.append({"charity": m.charity, "source": m.source, "read_at": m.read_at,
                          "fingerprint": m.fingerprint, "edit_url": m.edit_url,
                          "rows": own_rows, "casts": casts, "issues": m.issues})
    layout = {"format": COALITION_FORMAT, "tabs": layout_tabs, "uniform": sorted(uniform),
              "members": described}
    return layout, data, StoredCoalition([m.key for m in kept], rows, combined, frozenset(uniform))


def _own_frame(whole: pd.DataFrame, start: int, stop: int, casts: dict) -> pd.DataFrame | None:
    """A member's rows of a tab, with its own dtypes; None if they cannot be given back."""
    own = whole.iloc[start:stop]             # (copy on write: a view until changed)
    own.index = pd.RangeIndex(stop - start)  # as the charity's own frame was
    if not casts:
        return own
    try:
        own = own.astype(casts)
    except (TypeError, ValueError):
        return None
    return own if all(str(own[c].dtype) == t for c, t in casts.items()) else None


def coalition_from_arrow(layout: dict, data: bytes,
                         wanted: dict[str, tuple[str, str, str]]) -> StoredCoalition:
    """The stored coalition, with `reads`: its members whose (source, read_at,
    fingerprint) is the one `wanted` names for them, each with its own frames (slices of
    one decode per tab). Nothing decoded when no member is wanted as it is; no member at
    all when the row does not hold together."""
    members = layout["members"]
    keys = [(m["charity"], m["source"], m["read_at"], m["fingerprint"]) for m in members]
    rows = [list(m["rows"]) for m in members]
    nothing = StoredCoalition(keys, rows, {})
    hits = [i for i, key in enumerate(keys) if wanted.get(key[0]) == key[1:]
            and _readable_time(key[2]) is not None]
    if not hits:
        return nothing
    frames = frames_from_arrow(layout["tabs"], data)
    if frames is None:
        return StoredCoalition([], [], {})
    tabs = list(layout["tabs"])
    starts = [[0] * len(tabs)]
    for r in rows:
        starts.append([at + n for at, n in zip(starts[-1], r)])
    if [len(frames[k]) for k in tabs] != starts[-1]:
        return StoredCoalition([], [], {})      # the row counts do not add up: use `validated`
    reads = {}
    for i in hits:
        m = members[i]
        own = {k: _own_frame(frames[k], a, b, m["casts"].get(k, {}))
               for k, a, b in zip(tabs, starts[i], starts[i + 1])}
        if all(f is not None for f in own.values()):
            reads[m["charity"]] = CheckedRead(*keys[i], m["edit_url"], own, m["issues"])
    return StoredCoalition(keys, rows, frames, frozenset(layout["uniform"]), reads)


class Store:
    def __init__(self, url: str):
        self.url = url
        try:
            self.engine = _engine(url)
        except (SQLAlchemyError, OSError) as err:
            raise trouble_in_words(err, url) from None

    # -- last good reads -------------------------------------------------------------
    @_in_words
    def save_good_read(self, charity: str, wb: RawWorkbook, checked=None) -> None:
        """Keep `wb` as the charity's last good read; `checked`: (fingerprint, frames,
        issues) of validating it, kept with it (in the same transaction, so the two never
        belong to different reads)."""
        row = {"charity": charity, "source": wb.source, "kind": wb.kind,
               "read_at": _storable_time(wb.read_at, "the read's time"),
               "payload": workbook_to_json(wb)}
        checked_row = None
        if checked is not None:
            fingerprint, frames, issues = checked
            encoded = frames_to_arrow(frames)
            if encoded is not None:
                layout, data = encoded
                checked_row = {"charity": charity, "source": wb.source, "read_at": row["read_at"],
                               "fingerprint": fingerprint, "frames": data,
                               "layout": json.dumps({"tabs": layout, "edit_url": wb.edit_url}),
                               "issues": json.dumps([i.as_dict() for i in issues])}
        with self.engine.begin() as conn:
            conn.execute(delete(last_good).where(last_good.c.charity == charity))
            conn.execute(delete(validated).where(validated.c.charity == charity))
            conn.execute(insert(last_good).values(**row))
            if checked_row is not None:
                conn.execute(insert(validated).values(**checked_row))

    @_in_words
    def checked_read(self, charity: str, source: str, fingerprint: str):
        """(read_at, edit_url, frames, issue dicts) of the last good read's validation,
        if it was stored for this source and fingerprint; else None."""
        query = (select(validated.c.read_at, validated.c.layout, validated.c.frames,
                        validated.c.issues)
                 .join(last_good, (last_good.c.charity == validated.c.charity)
                       & (last_good.c.read_at == validated.c.read_at)
                       & (last_good.c.source == validated.c.source))
                 .where(validated.c.charity == charity, validated.c.source == source,
                        validated.c.fingerprint == fingerprint))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None or _readable_time(row.read_at) is None:
            return None
        layout = json.loads(row.layout)
        frames = frames_from_arrow(layout["tabs"], row.frames)
        if frames is None:
            return None
        return (dt.datetime.fromisoformat(row.read_at), layout.get("edit_url"), frames,
                json.loads(row.issues))

    @_in_words
    def save_checked_coalition(self, members: list[CheckedRead]) -> StoredCoalition:
        """Keep the members' validations as the one combined row (in config order); what
        it holds (see coalition_to_arrow), with no member when none could be kept."""
        encoded = coalition_to_arrow(members)
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(validated_coalition)
                             .where(validated_coalition.c.id == COALITION_ROW))
                if encoded is None:
                    return StoredCoalition([], [], {})
                layout, data, stored = encoded
                conn.execute(insert(validated_coalition).values(
                    id=COALITION_ROW, layout=json.dumps(layout), frames=data))
        except IntegrityError:
            # Another refresh wrote its row between our delete and insert: theirs stands.
            return StoredCoalition([], [], {})
        return stored

    @_in_words
    def checked_coalition(self, wanted: dict[str, tuple[str, str, str]]) -> StoredCoalition:
        """The combined row, with `reads` for the charities of `wanted` (charity ->
        (source, read_at, fingerprint) of its stored validation) that it holds as exactly
        that. A missing row, or one this version cannot read, has no member: the caller
        then takes each charity from `validated`."""
        with self.engine.connect() as conn:
            row = conn.execute(select(validated_coalition.c.layout, validated_coalition.c.frames)
                               .where(validated_coalition.c.id == COALITION_ROW)).first()
        if row is None:
            return StoredCoalition([], [], {})
        import pyarrow as pa
        try:
            layout = json.loads(row.layout)
            if not isinstance(layout, dict) or layout.get("format") != COALITION_FORMAT:
                return StoredCoalition([], [], {})
            return coalition_from_arrow(layout, row.frames, wanted)
        except (ValueError, KeyError, TypeError, IndexError, pa.ArrowException) as err:
            log.warning("the stored coalition cannot be read (%s); each charity's stored "
                        "validation is used instead", type(err).__name__)
            return StoredCoalition([], [], {})

    @_in_words
    def last_good_read(self, charity: str, source: str | None = None) -> RawWorkbook | None:
        """The last good read of this charity, if it was of the same source."""
        with self.engine.connect() as conn:
            row = conn.execute(select(last_good).where(last_good.c.charity == charity)).first()
        if row is None or (source is not None and row.source != source):
            return None
        read_at = _readable_time(row.read_at)
        if read_at is None:
            return None
        return workbook_from_json(row.payload, source=row.source, kind=row.kind, read_at=read_at)

    @_in_words
    def clean_last_good_reads(self, clean, skip=()) -> list[str]:
        """Rewrite every stored last good read `wb` as `clean(wb)` where that changes it
        (a store written before names were dropped); returns the charities rewritten. The
        stored validation stays: it was made from the same cells. `skip`: charities whose
        read was just stored (already clean: not decoded again)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(last_good).where(last_good.c.charity.not_in(list(skip)))).all()
        rewritten = []
        for row in rows:
            wb = workbook_from_json(row.payload, source=row.source, kind=row.kind,
                                    read_at=dt.datetime.fromisoformat(row.read_at))
            cleaned = clean(wb)
            payload = row.payload if cleaned is wb else workbook_to_json(cleaned)
            if payload == row.payload or payload == workbook_to_json(wb):
                continue                  # (already clean: written once, never again)
            with self.engine.begin() as conn:
                conn.execute(update(last_good).where(last_good.c.charity == row.charity,
                                                     last_good.c.read_at == row.read_at)
                             .values(payload=payload))
            rewritten.append(row.charity)
        return rewritten

    # -- snapshots (weekly meeting history) -----------------------------------------
    @_in_words
    def add_snapshot(self, at: dt.datetime, payload: dict, snapshot_id: str | None = None) -> str:
        """Store one snapshot; writing the same id again (a retry, or two writers racing
        with the same id) leaves exactly one row and returns the id either way."""
        sid = snapshot_id or str(uuid.uuid4())
        at_text = _storable_time(at, "the snapshot's time")
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(snapshots.c.id).where(snapshots.c.id == sid)).first():
                    return sid
                seq = conn.execute(select(snapshots.c.seq).order_by(snapshots.c.seq.desc()).limit(1)).scalar()
                conn.execute(insert(snapshots).values(id=sid, seq=(seq or 0) + 1,
                                                      at=at_text, payload=json.dumps(payload)))
        except IntegrityError:
            # another writer inserted this id between our check and our insert
            with self.engine.connect() as conn:
                if conn.execute(select(snapshots.c.id).where(snapshots.c.id == sid)).first() is None:
                    raise
        return sid

    @_in_words
    def snapshots(self) -> list[dict]:
        """Oldest first: [{"id", "at", **payload}]."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(snapshots)).all()
        out, skipped = [], 0
        for r in rows:
            at = _readable_time(r.at)
            try:
                payload = json.loads(r.payload) if at is not None else None
            except ValueError:
                payload = None
            if not isinstance(payload, dict):
                skipped += 1
                continue
            out.append({"id": r.id, "at": r.at, **payload, "_at": at})
        if skipped:
            log.warning("skipped %d stored snapshot(s) whose time or figures cannot be read", skipped)
        out.sort(key=lambda s: (s["_at"], s["id"]))
        for snap in out:
            del snap["_at"]
        return out

    # -- signed links ------------------------------------------------------------------
    @_in_words
    def add_link(self, link_id: str, role: str, charity: str | None,
                 created_at: dt.datetime, expires_at: dt.datetime, label: str | None = None) -> None:
        times = {"created_at": _storable_time(created_at, "the link's creation time"),
                 "expires_at": _storable_time(expires_at, "the link's expiry")}
        with self.engine.begin() as conn:
            conn.execute(insert(links).values(id=link_id, role=role, charity=charity, label=label,
                                              **times))

    @_in_words
    def links(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(links).order_by(links.c.created_at))]

    @_in_words
    def revoke_link(self, link_id: str, at: dt.datetime) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(update(links).where(links.c.id == link_id)
                                  .values(revoked_at=at.isoformat()))
        return result.rowcount > 0

    @_in_words
    def link(self, link_id: str) -> dict | None:
        """One minted link's record (id, role, charity, created_at, expires_at, revoked_at, label)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(links).where(links.c.id == link_id)).first()
        return dict(row._mapping) if row is not None else None

    @_in_words
    def is_revoked(self, link_id: str) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(select(links.c.revoked_at).where(links.c.id == link_id)).first()
        return row is not None and row.revoked_at is not None


class GuardedStore:
    """The store for code that must keep going without it: the app, and the refresh it
    makes. Reading falls back to nothing (no last good read, no snapshots) and writing
    is skipped while the store is in trouble. The problem is logged once, and kept in
    `problem` for the app's banner until every kind of call that failed has worked
    again (a small snapshot may fit on a full disk where a sheet's read does not).
    Opening, and a kind of call that failed, is tried again at most every RETRY_S
    seconds, so an unreachable or locked store does not make every charity wait its
    timeout. Links are not guarded: a link cannot be checked without the store, so
    `link` raises StoreError and the caller refuses the link in words."""

    RETRY_S = 30.0
    _WRITES = ("save_good_read", "add_snapshot")

    def __init__(self, url: str):
        self.url = url
        self._store: Store | None = None
        self._failing: dict[str, tuple[str, float]] = {}    # call -> (problem, when)
        self._said: str | None = None
        self._lock = threading.Lock()

    @property
    def problem(self) -> str | None:
        """The store's trouble in words, None while every call works."""
        return next(iter(self._failing.values()))[0] if self._failing else None

    def _open(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = Store(self.url)     # StoreError: tried again on the next call
            return self._store

    def _guarded(self, name: str, fallback, *args, writes: bool = False):
        # Any write that failed holds back every write (a lock is waited for once, not
        # once per charity); a read that failed holds back only that read.
        recent = [when for call, (_, when) in self._failing.items()
                  if call == name or (writes and call in self._WRITES)]
        if recent and time.monotonic() - max(recent) < self.RETRY_S:
            return fallback
        try:
            result = getattr(self._open(), name)(*args)
        except StoreError as err:
            if str(err) != self._said:
                log.warning("%s; serving figures from the sources without it", err)
                self._said = str(err)
            self._failing[name] = (str(err), time.monotonic())
            return fallback
        if self._failing.pop(name, None) is not None and not self._failing:
            log.warning("the store at %s works again", shown_url(self.url))
            self._said = None
        return result

    def save_good_read(self, charity: str, wb: RawWorkbook, checked=None) -> None:
        self._guarded("save_good_read", None, charity, wb, checked, writes=True)

    def checked_read(self, charity: str, source: str, fingerprint: str):
        return self._guarded("checked_read", None, charity, source, fingerprint)

    def save_checked_coalition(self, members) -> StoredCoalition:
        # Held back while another write fails, but its own failure holds back no other
        # write: the row only saves time.
        return self._guarded("save_checked_coalition", StoredCoalition([], [], {}), members,
                             writes=True)

    def checked_coalition(self, wanted) -> StoredCoalition:
        return self._guarded("checked_coalition", StoredCoalition([], [], {}), wanted)

    def last_good_read(self, charity: str, source: str | None = None):
        return self._guarded("last_good_read", None, charity, source)

    def add_snapshot(self, at: dt.datetime, payload: dict, snapshot_id: str | None = None):
        return self._guarded("add_snapshot", None, at, payload, snapshot_id, writes=True)

    def snapshots(self) -> list[dict]:
        return self._guarded("snapshots", [])

    def clean_last_good_reads(self, clean, skip=()) -> list[str]:
        return self._guarded("clean_last_good_reads", [], clean, skip)

    def __getattr__(self, name):
        # Links and anything else: the store's own method, raising StoreError in words.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._open(), name)
