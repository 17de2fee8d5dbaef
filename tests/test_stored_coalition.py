"""The whole coalition's stored validations in one row (store.validated_coalition) and
merging from it (dashboard/blocks.py), against the Google stand-in.

A `refresh` process is new each time: `new_process()` forgets everything this process
holds (decoded validations, the combined row, the store's engine), as a restart would.
"""
from __future__ import annotations

import dataclasses
import json
import sqlite3

import pandas as pd
import pytest
from sqlalchemy import update

from dashboard import incremental
from dashboard.blocks import Block, concat_tab_with
from dashboard.figures import concat_tab
from dashboard.pipeline import CharityResult
from dashboard.store import CheckedRead, Store, validated_coalition
from tests.fixtures import (STORE_KINDS, assert_merged_as_charity_by_charity, forget_engine,
                            make_store_url)
from tests.google_standin import coalition_of, refreshed, tabs_with


def new_process(config) -> Store:
    incremental._decoded.clear()
    incremental._held.clear()
    forget_engine(config.storage_url)
    return Store(config.storage_url)


@pytest.fixture
def one_by_one(monkeypatch):
    """The charities whose stored validation is decoded on its own (Store.checked_read)."""
    names = []
    real = Store.checked_read

    def counted(self, charity, source, fingerprint):
        names.append(charity)
        return real(self, charity, source, fingerprint)
    monkeypatch.setattr(Store, "checked_read", counted)
    return names


def test_a_new_process_takes_the_unchanged_sheets_from_the_combined_row(google, client, tmp_path,
                                                                         one_by_one):
    config = coalition_of(google, 12, tmp_path)
    _, first, _, _ = refreshed(config, google, client)
    google.edit("1Key005_abcdef", tabs_with(extra_attendees=2))
    coalition, summary, drive, sheets = refreshed(config, google, client, new_process(config))
    assert (drive, sheets) == (1, 1)
    assert one_by_one == []                                   # none decoded on its own
    assert summary["coalition"]["attendees_registered"] == first["coalition"]["attendees_registered"] + 2
    (block,) = coalition.blocks
    assert len(block.used) == 11
    assert "Charity 005" not in block.used          # its rows in the row are the old ones
    assert_merged_as_charity_by_charity(coalition)


def test_a_sequence_of_new_processes_shows_every_change_while_the_row_lags(google, client, tmp_path,
                                                                          one_by_one):
    """The row is rewritten only when enough sheets drifted from it: meanwhile a changed
    sheet comes from its own stored validation, never from the row's older copy."""
    config = coalition_of(google, 12, tmp_path)
    _, first, _, _ = refreshed(config, google, client)
    extra: dict[str, int] = {}                                # sheet -> attendees added by now
    rewrites = 0
    for n, key in enumerate(["1Key001_abcdef", "1Key007_abcdef", "1Key001_abcdef", "1Key010_abcdef",
                             "1Key002_abcdef", "1Key007_abcdef"]):
        google.edit(key, tabs_with(extra_attendees=n + 1))
        extra[key] = n + 1
        before = _members(config)
        coalition, summary, drive, sheets = refreshed(config, google, client, new_process(config))
        rewrites += before != _members(config)
        assert (drive, sheets) == (1, 1)
        assert summary["coalition"]["attendees_registered"] == \
            first["coalition"]["attendees_registered"] + sum(extra.values())
        assert_merged_as_charity_by_charity(coalition)
    assert 0 < rewrites < 6                                   # it lagged, and it caught up
    assert set(one_by_one) <= {"Charity 001", "Charity 002", "Charity 007", "Charity 010"}
    assert one_by_one                                         # a lagging sheet: from `validated`


def _members(config) -> list:
    with Store(config.storage_url).engine.connect() as conn:
        return json.loads(conn.execute(validated_coalition.select()).first().layout)["members"]


def _sabotage_format(store):
    with store.engine.begin() as conn:
        row = conn.execute(validated_coalition.select()).first()
        layout = {**json.loads(row.layout), "format": 99}
        conn.execute(update(validated_coalition).values(layout=json.dumps(layout)))


def _sabotage_bytes(store):
    with store.engine.begin() as conn:
        conn.execute(update(validated_coalition).values(frames=b"not arrow at all"))


def _sabotage_counts(store):
    with store.engine.begin() as conn:
        row = conn.execute(validated_coalition.select()).first()
        layout = json.loads(row.layout)
        layout["members"][0]["rows"][0] += 1               # rows that would belong to another
        conn.execute(update(validated_coalition).values(layout=json.dumps(layout)))


def _older_store(store):
    """A store an older version wrote: no combined table at all."""
    path = store.url.removeprefix("sqlite:///")
    forget_engine(store.url)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE validated_coalition")


@pytest.mark.parametrize("sabotage", [_sabotage_format, _sabotage_bytes, _sabotage_counts, _older_store])
def test_a_combined_row_this_version_cannot_use_falls_back_to_each_sheet(
        google, client, tmp_path, one_by_one, sabotage):
    config = coalition_of(google, 6, tmp_path)
    _, first, _, _ = refreshed(config, google, client)
    sabotage(new_process(config))
    google.edit("1Key003_abcdef", tabs_with(extra_attendees=1))
    coalition, summary, drive, sheets = refreshed(config, google, client, new_process(config))
    assert (drive, sheets) == (1, 1) and not coalition.full_read
    assert sorted(one_by_one) == [f"Charity {n:03d}" for n in (0, 1, 2, 4, 5)]
    assert summary["coalition"]["attendees_registered"] == first["coalition"]["attendees_registered"] + 1
    assert_merged_as_charity_by_charity(coalition)
    # ...and that refresh wrote a row the next process can use.
    one_by_one.clear()
    google.edit("1Key004_abcdef", tabs_with(extra_attendees=1))
    coalition, summary, drive, sheets = refreshed(config, google, client, new_process(config))
    assert one_by_one == [] and (drive, sheets) == (1, 1)
    assert summary["coalition"]["attendees_registered"] == first["coalition"]["attendees_registered"] + 2


def test_sheets_with_and_without_an_optional_column_come_back_each_as_it_was(google, client, tmp_path,
                                                                           one_by_one):
    """A sheet without the Region column has it untyped; in the row it is widened with the
    others' text, and given back to each sheet as it was (and merged charity by charity)."""
    config = coalition_of(google, 5, tmp_path)
    title, gid, rows = tabs_with()[0]
    with_region = [rows[0], [*rows[1], "Region"], *[[*r, "London"] if r else r for r in rows[2:]]]
    google.edit("1Key001_abcdef", [(title, gid, with_region), *tabs_with()[1:]])
    first, _, _, _ = refreshed(config, google, client)
    google.edit("1Key003_abcdef", tabs_with(extra_attendees=1))
    coalition, _, _, sheets = refreshed(config, google, client, new_process(config))
    assert sheets == 1 and one_by_one == []
    for c in coalition.charities:
        for tab, frame in c.frames.items():
            if c.name != "Charity 003":
                pd.testing.assert_frame_equal(frame, first.charity(c.name).frames[tab])
    assert str(coalition.charity("Charity 001").frames["attendees"]["region"].dtype) != \
        str(coalition.charity("Charity 000").frames["attendees"]["region"].dtype)
    assert "attendees" not in coalition.blocks[0].uniform
    assert_merged_as_charity_by_charity(coalition)


def test_a_sheet_that_cannot_be_read_stays_stale_from_its_last_good_read(google, client, tmp_path):
    from tests.google_standin import Fail
    config = coalition_of(google, 6, tmp_path)
    refreshed(config, google, client)
    google.edit("1Key002_abcdef", tabs_with(extra_attendees=3))
    google.script("1Key002_abcdef", Fail(404))
    coalition, summary, _, _ = refreshed(config, google, client, new_process(config))
    assert coalition.charity("Charity 002").status == "stale"
    assert "Charity 002" not in coalition.blocks[0].used
    assert_merged_as_charity_by_charity(coalition)
    coalition, _, _, sheets = refreshed(config, google, client, new_process(config))
    assert sheets == 1 and coalition.charity("Charity 002").status == "ok"
    assert len(coalition.charity("Charity 002").frames["attendees"]) == len(
        coalition.charity("Charity 001").frames["attendees"]) + 3


def _frames(n: int, text_dtype="str") -> dict[str, pd.DataFrame]:
    return {"attendees": pd.DataFrame({"ref": pd.Series([f"R{n}-{i}" for i in range(n)], dtype=text_dtype),
                                       "registered_on": pd.to_datetime(["2022-06-01"] * n).astype("datetime64[ns]"),
                                       "reach": pd.array(range(n), dtype="Int64")}),
            "media": pd.DataFrame({"outlet": pd.Series(["BBC"] * (n % 2), dtype=text_dtype)})}


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_the_combined_row_round_trips_in_every_store(kind, tmp_path):
    url, cleanup = make_store_url(kind, tmp_path)
    try:
        store = Store(url)
        members = [CheckedRead(f"C{n}", f"gsheet:K{n}", f"2022-06-23T09:1{n}:00+01:00", "fp",
                               None if n else "https://docs.google.com/x", _frames(n),
                               [{"charity": f"C{n}", "tab": "Attendees", "row": n, "column": None,
                                 "severity": "warning", "code": "c", "message": "m", "fix": "",
                                 "link": None}])
                   for n in range(4)]
        odd = dataclasses.replace(members[2], frames=_frames(2, text_dtype=object))
        members[2] = odd                                   # untyped text, as a missing column is
        other_columns = dataclasses.replace(members[0], charity="C9", frames={
            "attendees": members[0].frames["attendees"].rename(columns={"ref": "other"}),
            "media": members[0].frames["media"]})
        stored = store.save_checked_coalition([*members, other_columns])
        assert [k[0] for k in stored.keys] == ["C0", "C1", "C2", "C3"]  # other columns: not kept
        assert stored.uniform == {"media"}                 # C2's attendees widen the text column
        wanted = {m.charity: (m.source, m.read_at, m.fingerprint) for m in members}
        wanted["C1"] = ("gsheet:K1", "2022-06-23T10:00:00+01:00", "fp")  # read again since
        read = store.checked_coalition(wanted)
        assert set(read.reads) == {"C0", "C2", "C3"}
        assert read.uniform == {"media"}
        for name in ("C0", "C2", "C3"):
            original = members[int(name[1])]
            for tab, frame in original.frames.items():
                pd.testing.assert_frame_equal(read.reads[name].frames[tab], frame)
            assert read.reads[name].issues == original.issues
            assert read.reads[name].edit_url == original.edit_url
        assert store.checked_coalition({}).reads == {}
    finally:
        cleanup()


def _result(name: str, frames) -> CharityResult:
    return CharityResult(name, f"gsheet:{name}", "gsheet", "ok", None, None, frames, [])


@pytest.mark.parametrize("used, fresh", [
    ({"A", "B", "C", "D"}, {}),
    ({"A", "C", "D"}, {"B": 3}),                       # one changed in the middle
    ({"B", "C"}, {"A": 0, "D": 5}),                    # an empty frame outside the block
    (set(), {"A": 1, "B": 1, "C": 1, "D": 1}),
])
def test_merging_from_a_block_gives_what_merging_charity_by_charity_gives(used, fresh):
    names = ["A", "B", "C", "D"]
    own = {n: _frames(k) for n, k in zip(names, (2, 0, 3, 1))}
    block = Block.of([(n, "s", "t", "f") for n in names],
                     {tab: pd.concat([own[n][tab] for n in names], ignore_index=True)
                      for tab in ("attendees", "media")},
                     [[len(own[n]["attendees"]), len(own[n]["media"])] for n in names],
                     uniform={"attendees", "media"}).using(used)
    charities = [_result(n, _frames(fresh[n]) if n in fresh else own[n]) for n in names]
    charities.insert(2, _result("Local", _frames(4)))        # not in the block at all
    for tab in ("attendees", "media"):
        pd.testing.assert_frame_equal(concat_tab_with(tab, charities, [block]),
                                      concat_tab({c.name: c.frames[tab] for c in charities}))


def _block(own: dict, names: list[str], used, uniform=("attendees", "media")) -> Block:
    return Block.of([(n, "s", "t", "f") for n in names],
                    {tab: pd.concat([own[n][tab] for n in names], ignore_index=True)
                     for tab in ("attendees", "media")},
                    [[len(own[n]["attendees"]), len(own[n]["media"])] for n in names],
                    uniform=set(uniform)).using(used)


@pytest.mark.parametrize("order, used, uniform", [
    (["A", "B", "C", "D", "E"], set("ABCDE"), {"attendees", "media"}),
    (["A", "B", "C", "D", "E"], set("ABDE"), {"attendees", "media"}),    # one not used
    (["C", "A", "B", "E", "D"], set("ABCDE"), {"attendees", "media"}),   # config order differs
    (["A", "B", "C", "D", "E"], set("ABCDE"), {"media"}),                # attendees not uniform
])
def test_merging_from_several_blocks_gives_what_merging_charity_by_charity_gives(order, used,
                                                                                 uniform):
    # (blocks as the batches of a full read of local files give them: A-B-C and D-E)
    own = {n: _frames(k) for n, k in zip("ABCDE", (2, 0, 3, 1, 2))}
    blocks = [_block(own, ["A", "B", "C"], used, uniform), _block(own, ["D", "E"], used, uniform)]
    charities = [_result(n, own[n] if n in used else _frames(4)) for n in order]
    charities.insert(3, _result("Local", _frames(1)))        # not in a block at all
    for tab in ("attendees", "media"):
        pd.testing.assert_frame_equal(concat_tab_with(tab, charities, blocks),
                                      concat_tab({c.name: c.frames[tab] for c in charities}))


def test_the_combined_row_holds_no_young_persons_name(google, client, tmp_path):
    """A sheet with a column of names: the row holds the typed frames, which never have it."""
    config = coalition_of(google, 3, tmp_path)
    title, gid, rows = tabs_with()[0]
    named = [rows[0], [*rows[1], "Full name"], *[[*r, "Amelia Zyxwort"] if r else r for r in rows[2:]]]
    google.edit("1Key001_abcdef", [(title, gid, named), *tabs_with()[1:]])
    refreshed(config, google, client)
    with Store(config.storage_url).engine.connect() as conn:
        row = conn.execute(validated_coalition.select()).first()
    assert row is not None
    assert b"Zyxwort" not in row.frames and "Zyxwort" not in row.layout
