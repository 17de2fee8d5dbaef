"""Several charities' frames already concatenated, for merging a coalition in few pieces.

A change-aware refresh (dashboard/incremental.py) takes the sheets that did not change from
the store's combined row (dashboard/store.py `validated_coalition`): one frame per tab that
holds them all. Merging the coalition charity by charity would cut that frame into 200
slices and concatenate them again (pandas pays per frame: 0.3 s at 200 sheets, more than
the rest of the refresh); `concat_tab_with` takes runs of consecutive members from the
block in one slice instead, and gives exactly what figures.concat_tab gives. A full read
of local files hands over a block per batch of charities checked together
(pipeline._load_local), so a tab is concatenated from a piece per batch.
Pure pandas.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from concurrent.futures import Future

import numpy as np
import pandas as pd

from dashboard.figures import charity_column, concat_tab


@dataclasses.dataclass(frozen=True)
class Block:
    """Member charities' frames concatenated in member order: tab -> frame, and for each
    tab the row where each member starts (and, last, the frame's length). `keys`: each
    member's (charity, source, read_at, fingerprint), the stored validation it holds.
    `uniform`: the tabs whose every member with rows has the frame's dtypes, the only
    ones merged from the block (a slice of several members is then exactly what
    concatenating their frames gives). `used`: the members whose results in this
    coalition carry exactly these rows; the others' rows are left out of the merge."""
    keys: tuple[tuple[str, str, str, str], ...]
    frames: dict[str, pd.DataFrame]
    starts: dict[str, list[int]]
    uniform: frozenset[str] = frozenset()
    used: frozenset[str] = frozenset()
    # The media_key of each row of frames["media"] (a pandas text Series), being worked
    # out on another thread while the next batch is checked (pipeline._load_local): a
    # Future, or None when nobody works it out ahead.
    media_keys: Future | None = None
    # Each member's (attendees registered, attended) (figures.attendee_counts) of the rows
    # of frames["attendees"], being counted the same way: a Future of a dict by name.
    attendee_counts: Future | None = None

    @classmethod
    def of(cls, keys, frames: dict[str, pd.DataFrame], rows: list[list[int]],
           uniform=frozenset()) -> Block:
        """`rows`: each member's row count per tab, in the frames' tab order."""
        starts = {}
        for t, tab in enumerate(frames):
            starts[tab] = np.concatenate([[0], np.cumsum([r[t] for r in rows], dtype=int)]).tolist()
        return cls(tuple(tuple(k) for k in keys), frames, starts, frozenset(uniform))

    def using(self, names) -> Block:
        return dataclasses.replace(self, used=frozenset(names))


def concat_tab_with(tab: str, charities, blocks: Sequence[Block] = ()) -> pd.DataFrame:
    """figures.concat_tab of the charities' frames of `tab` (config order), taking runs of
    a block's used members, in the block's order, as one slice each (each member in one
    block at most)."""
    pieces, owners = _pieces(tab, charities, blocks)
    if not pieces:
        return concat_tab({c.name: c.frames[tab] for c in charities})
    merged = pd.concat([frame for frame, _, _ in pieces], ignore_index=True)
    merged["charity"] = charity_column([name for name, _ in owners], [rows for _, rows in owners])
    return merged


def media_keys_with(charities, blocks: Sequence[Block] = ()) -> pd.Series | None:
    """The media_key column (figures.add_media_keys) of concat_tab_with("media", ...),
    made of the keys its blocks worked out ahead (Block.media_keys), when every piece of
    it is rows of such a block; None otherwise (the merge then keys the merged frame)."""
    pieces, _ = _pieces("media", charities, blocks)
    ahead = [None if b is None else blocks[b].media_keys for _, b, _ in pieces]
    if not pieces or any(keys is None for keys in ahead):
        return None
    try:
        parts = [keys.result().iloc[rows] for keys, (_, _, rows) in zip(ahead, pieces)
                 if keys is not None]
    except Exception:           # (the merge keys the merged frame itself: the same keys)
        return None
    return pd.concat(parts, ignore_index=True)


def attendee_counts_with(charities, blocks: Sequence[Block] = ()
                         ) -> dict[str, tuple[int, int]] | None:
    """Each charity's attendee_counts as its block counted them ahead
    (Block.attendee_counts), when every charity with attendee rows is a used member of
    a block that merges its attendees and has them; None otherwise (the figures count)."""
    counted: dict[str, tuple[int, int]] = {}
    try:
        for block in blocks:
            if block.attendee_counts is not None and "attendees" in block.uniform:
                counts = block.attendee_counts.result()
                counted.update((name, counts[name]) for name in block.used if name in counts)
    except Exception:           # (the figures count them from the merged rows: the same)
        return None
    if any(len(c.frames["attendees"]) and c.name not in counted for c in charities):
        return None
    return counted


def _pieces(tab: str, charities, blocks: Sequence[Block]
            ) -> tuple[list[tuple[pd.DataFrame, int | None, slice]], list[tuple[str, int]]]:
    """concat_tab_with's pieces, in order: (frame, the block it is a slice of or None,
    the slice), and each charity's (name, rows); no pieces when no block holds the tab."""
    where: dict[str, tuple[int, int]] = {}    # charity -> (block, member)
    for b, block in enumerate(blocks):
        if tab in block.uniform:
            where.update((key[0], (b, i)) for i, key in enumerate(block.keys)
                         if key[0] in block.used)
    pieces: list[tuple[pd.DataFrame, int | None, slice]] = []
    owners: list[tuple[str, int]] = []
    if not where:
        return pieces, owners
    run: list[int] = []                       # [block, first member, last member] of a run

    def close_run() -> None:
        if run:
            b, first, last = run
            block = blocks[b]
            starts = block.starts[tab]
            if starts[last + 1] > starts[first]:
                rows = slice(starts[first], starts[last + 1])
                pieces.append((block.frames[tab].iloc[rows], b, rows))
            owners.extend((block.keys[i][0], starts[i + 1] - starts[i])
                          for i in range(first, last + 1))
            run.clear()

    for c in charities:
        at = where.get(c.name)
        if at is not None and run and at[0] == run[0] and at[1] == run[2] + 1:
            run[2] = at[1]
            continue
        close_run()
        if at is not None:
            run.extend([at[0], at[1], at[1]])
        elif len(c.frames[tab]):
            pieces.append((c.frames[tab], None, slice(0, len(c.frames[tab]))))
            owners.append((c.name, len(c.frames[tab])))
    close_run()
    return pieces, owners
