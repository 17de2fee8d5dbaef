"""The local store (contract section 5): last good reads, snapshots and minted links.

Any SQLAlchemy URL works; SQLite beside the config by default, PostgreSQL for several app
servers. Every write is one transaction, so concurrent refreshes neither lose nor
duplicate a row.
"""
from __future__ import annotations

import datetime as dt
import json
import threading
import uuid

import pandas as pd
from sqlalchemy import (Column, Integer, LargeBinary, MetaData, String, Table, Text,
                        create_engine, delete, event, insert, select, update)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from connectors.base import RawTab, RawWorkbook

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
)

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _engine(url: str) -> Engine:
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            kwargs = {"future": True}
            if url.startswith("sqlite"):
                kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
            engine = create_engine(url, **kwargs)
            if url.startswith("sqlite"):
                @event.listens_for(engine, "connect")
                def _wal(dbapi_conn, _record):  # readers don't block the writer
                    cur = dbapi_conn.cursor()
                    cur.execute("PRAGMA journal_mode=WAL")
                    cur.execute("PRAGMA busy_timeout=30000")
                    cur.close()
            metadata.create_all(engine)
            _engines[url] = engine
        return engine


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
            table = pa.Table.from_pandas(frame, preserve_index=False)
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


class Store:
    def __init__(self, url: str):
        self.url = url
        self.engine = _engine(url)

    # -- last good reads -------------------------------------------------------------
    def save_good_read(self, charity: str, wb: RawWorkbook, checked=None) -> None:
        """Keep `wb` as the charity's last good read; `checked`: (fingerprint, frames,
        issues) of validating it, kept with it (in the same transaction, so the two never
        belong to different reads)."""
        row = {"charity": charity, "source": wb.source, "kind": wb.kind,
               "read_at": wb.read_at.isoformat(), "payload": workbook_to_json(wb)}
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
        if row is None:
            return None
        layout = json.loads(row.layout)
        frames = frames_from_arrow(layout["tabs"], row.frames)
        if frames is None:
            return None
        return (dt.datetime.fromisoformat(row.read_at), layout.get("edit_url"), frames,
                json.loads(row.issues))

    def last_good_read(self, charity: str, source: str | None = None) -> RawWorkbook | None:
        """The last good read of this charity, if it was of the same source."""
        with self.engine.connect() as conn:
            row = conn.execute(select(last_good).where(last_good.c.charity == charity)).first()
        if row is None or (source is not None and row.source != source):
            return None
        return workbook_from_json(row.payload, source=row.source, kind=row.kind,
                                  read_at=dt.datetime.fromisoformat(row.read_at))

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
    def add_snapshot(self, at: dt.datetime, payload: dict, snapshot_id: str | None = None) -> str:
        """Store one snapshot; writing the same id again (a retry, or two writers racing
        with the same id) leaves exactly one row and returns the id either way."""
        sid = snapshot_id or str(uuid.uuid4())
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(snapshots.c.id).where(snapshots.c.id == sid)).first():
                    return sid
                seq = conn.execute(select(snapshots.c.seq).order_by(snapshots.c.seq.desc()).limit(1)).scalar()
                conn.execute(insert(snapshots).values(id=sid, seq=(seq or 0) + 1,
                                                      at=at.isoformat(), payload=json.dumps(payload)))
        except IntegrityError:
            # another writer inserted this id between our check and our insert
            with self.engine.connect() as conn:
                if conn.execute(select(snapshots.c.id).where(snapshots.c.id == sid)).first() is None:
                    raise
        return sid

    def snapshots(self) -> list[dict]:
        """Oldest first: [{"id", "at", **payload}]."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(snapshots)).all()
        out = [{"id": r.id, "at": r.at, **json.loads(r.payload)} for r in rows]
        out.sort(key=lambda s: (dt.datetime.fromisoformat(s["at"]), s["id"]))
        return out

    # -- signed links ------------------------------------------------------------------
    def add_link(self, link_id: str, role: str, charity: str | None,
                 created_at: dt.datetime, expires_at: dt.datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(links).values(id=link_id, role=role, charity=charity,
                                              created_at=created_at.isoformat(),
                                              expires_at=expires_at.isoformat()))

    def links(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(links).order_by(links.c.created_at))]

    def revoke_link(self, link_id: str, at: dt.datetime) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(update(links).where(links.c.id == link_id)
                                  .values(revoked_at=at.isoformat()))
        return result.rowcount > 0

    def link(self, link_id: str) -> dict | None:
        """One minted link's record (id, role, charity, created_at, expires_at, revoked_at)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(links).where(links.c.id == link_id)).first()
        return dict(row._mapping) if row is not None else None

    def is_revoked(self, link_id: str) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(select(links.c.revoked_at).where(links.c.id == link_id)).first()
        return row is not None and row.revoked_at is not None
