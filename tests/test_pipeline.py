"""pipeline's read-ahead: the next batch of local files is read on a thread while the one
before is checked, never more than one batch ahead, with the same batches in the same order."""
from __future__ import annotations

import threading

import pandas as pd
import pytest

from dashboard import pipeline
from dashboard.config import load_config
from dashboard.blocks import attendee_counts_with, media_keys_with
from dashboard.pipeline import _one_ahead, load_coalition
from dashboard.summary import build_summary
from tests.fixtures import assert_merged_as_charity_by_charity


def test_items_come_in_order_each_made_on_another_thread():
    made_on = []

    def items():
        for i in range(5):
            made_on.append(threading.current_thread().name)
            yield i

    assert list(_one_ahead(items())) == [0, 1, 2, 3, 4]
    assert made_on and all(name.startswith("read-ahead") for name in made_on)


def test_never_more_than_one_item_ahead_of_the_caller():
    made = []
    taken = []
    ahead = []

    def items():
        for i in range(6):
            made.append(i)
            yield i

    for item in _one_ahead(items()):
        taken.append(item)
        # (the next one may be being made meanwhile, never the one after)
        threading.Event().wait(0.02)
        ahead.append(len(made) - len(taken))
    assert taken == list(range(6))
    assert max(ahead) <= 1


def test_what_making_an_item_raises_reaches_the_caller():
    def items():
        yield 1
        raise RuntimeError("disk gone")

    got = []
    with pytest.raises(RuntimeError, match="disk gone"):
        for item in _one_ahead(items()):
            got.append(item)
    assert got == [1]


def test_meanwhile_runs_on_the_callers_thread_while_the_first_item_is_made():
    """What the caller would otherwise wait through: the first item is made while
    `meanwhile` runs (the first item here waits for it), and only once."""
    ran, first_saw = [], []
    started = threading.Event()

    def meanwhile():
        ran.append(threading.current_thread().name)
        started.set()

    def items():
        first_saw.append(started.wait(5))
        yield 0
        yield 1

    assert list(_one_ahead(items(), meanwhile=meanwhile)) == [0, 1]
    assert ran == [threading.current_thread().name] and first_saw == [True]


def test_a_check_whose_preparing_raises_still_checks(tmp_path, monkeypatch):
    """A check's `prepare` is asked once, before the first batch; when it raises, the
    load goes on and the check still runs on every charity."""
    from benchmarks.generate import generate

    monkeypatch.setenv("DASHBOARD_NOW", "2022-07-25T12:00:00+00:00")
    config = load_config(generate(tmp_path / "c", charities=3, attendees=20, meetings=10,
                                  pledges=5, media=5, seed=3))
    prepared, checked = [], []

    def check(data, config):
        checked.append(data.charity)

    def prepare(config):
        prepared.append(config)
        raise RuntimeError("no tables")

    check.prepare = prepare
    coalition = load_coalition(config, extra_checks=(check,))
    assert prepared == [config]
    assert sorted(checked) == sorted(c.name for c in config.charities)
    assert all(c.status == "ok" for c in coalition.charities)


def test_work_given_to_the_callers_pool_runs_between_items_never_beside_one():
    """With the caller's one-thread pool, work the caller submits while it holds an item
    runs on that thread after the next item is made, and the items still come in order."""
    from concurrent.futures import ThreadPoolExecutor

    log: list[str] = []

    def items():
        for i in range(3):
            log.append(f"make {i}")
            yield i

    pool = ThreadPoolExecutor(max_workers=1)
    done = []
    try:
        for item in _one_ahead(items(), pool=pool):
            done.append(pool.submit(log.append, f"work after {item}"))
    finally:
        pool.shutdown(wait=True)
    assert [f.result() for f in done] == [None] * 3
    assert log == ["make 0", "make 1", "work after 0", "make 2", "work after 1", "work after 2"]


def test_a_caller_that_stops_early_is_not_kept_waiting():
    def items():
        i = 0
        while True:
            yield i
            i += 1

    for item in _one_ahead(items()):
        if item == 3:
            break
    # (the thread finishes the item it was making and the pool closes)


def test_several_batches_read_ahead_give_what_one_batch_gives(tmp_path, monkeypatch):
    from benchmarks.generate import generate

    monkeypatch.setenv("DASHBOARD_NOW", "2022-07-25T12:00:00+00:00")
    config = load_config(generate(tmp_path / "c", charities=5, attendees=60, meetings=30,
                                  pledges=10, media=20, seed=11))
    monkeypatch.setattr(pipeline, "ROWS_CHECKED_TOGETHER", 10 ** 9)
    whole = build_summary(load_coalition(config))
    monkeypatch.setattr(pipeline, "ROWS_CHECKED_TOGETHER", 100)     # a charity or two a batch
    threads = []
    original = pipeline._read

    def read(*args):
        threads.append(threading.current_thread().name)
        return original(*args)

    monkeypatch.setattr(pipeline, "_read", read)
    assert build_summary(load_coalition(config)) == whole
    assert len(threads) == 5 and all(name.startswith("read-ahead") for name in threads)


def test_a_batchs_checked_meetings_and_pledges_are_merged_from_its_block(tmp_path, monkeypatch):
    """The constituency check fills a batch's parties in its combined frames, so the merge
    takes the batch's meetings and pledges in one piece: what merging each charity's
    frames gives."""
    from benchmarks.generate import generate

    monkeypatch.setenv("DASHBOARD_NOW", "2022-07-25T12:00:00+00:00")
    config = load_config(generate(tmp_path / "c", charities=5, attendees=60, meetings=80,
                                  pledges=30, media=20, seed=11))
    monkeypatch.setattr(pipeline, "ROWS_CHECKED_TOGETHER", 400)
    coalition = load_coalition(config)
    assert len(coalition.blocks) > 1
    assert all({"mp_meetings", "pledges"} <= block.uniform for block in coalition.blocks)
    assert any(i.code == "filled_from_constituency" for i in coalition.issues)
    # each batch's media keys and attendee counts were worked out ahead, and were taken
    assert all(block.media_keys is not None and block.attendee_counts is not None
               for block in coalition.blocks)
    assert media_keys_with(coalition.charities, coalition.blocks) is not None
    assert attendee_counts_with(coalition.charities, coalition.blocks) is not None
    assert_merged_as_charity_by_charity(coalition)


def test_work_done_ahead_is_taken_only_when_every_piece_has_it(tmp_path, monkeypatch):
    """The merge takes the batches' media keys when every piece of the merged media is
    rows of a batch that has them, and the figures the batches' attendee counts when
    every charity with attendees has them; a batch without them, or whose working out
    raised, leaves the merge and the figures to work them out: the same either way."""
    import dataclasses
    from concurrent.futures import Future

    from benchmarks.generate import generate
    from dashboard.pipeline import Coalition

    monkeypatch.setenv("DASHBOARD_NOW", "2022-07-25T12:00:00+00:00")
    config = load_config(generate(tmp_path / "c", charities=4, attendees=20, meetings=10,
                                  pledges=5, media=40, seed=5))
    monkeypatch.setattr(pipeline, "ROWS_CHECKED_TOGETHER", 150)
    coalition = load_coalition(config)
    blocks = coalition.blocks
    assert len(blocks) == 2
    ahead = media_keys_with(coalition.charities, blocks)
    expected = pipeline.add_media_keys(Coalition(config, coalition.charities,
                                                 coalition.read_at).frame("media"))["media_key"]
    pd.testing.assert_series_equal(ahead, expected, check_names=False)
    counted = attendee_counts_with(coalition.charities, blocks)
    figures = coalition.figures
    assert counted == {name: (figures.at[name, "attendees_registered"],
                              figures.at[name, "attendees_attended"]) for name in counted}
    assert sorted(counted) == sorted(c.name for c in config.charities)
    failed: Future = Future()
    failed.set_exception(RuntimeError("keys"))
    for other in (None, failed):
        mixed = (blocks[0], dataclasses.replace(blocks[1], media_keys=other,
                                                attendee_counts=other))
        assert media_keys_with(coalition.charities, mixed) is None
        assert attendee_counts_with(coalition.charities, mixed) is None
        assert_merged_as_charity_by_charity(Coalition(config, coalition.charities,
                                                      coalition.read_at, blocks=mixed))
