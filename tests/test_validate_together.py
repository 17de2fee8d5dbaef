"""Checking several charities' sheets per tab as one body (validate.validate_workbooks, what
pipeline.load_coalition does with local files) gives each charity exactly what checking it
alone gives: its typed frames (dtypes included) and its issues, in order; the rules that
compare rows compare one charity's rows only; when checking together raises, each charity
is checked alone, so one sheet that breaks the checks still only makes its own charity an
error."""
from __future__ import annotations

import pandas as pd
import pytest

from connectors.local import read_csv_folder
from dashboard import pipeline, validate
from dashboard.config import load_config
from dashboard.contract import TABS
from dashboard.figures import concat_tab
from tests import messy_coalition as messy
from tests.csv_sources import write_config, write_csv_charity

# Two charities whose rows repeat each other's, and Refs the other also uses or spells in
# another case: none of it is an issue across charities; each one's own repeats are.
ONE = {"Attendees": [["Ref", "Status", "Region", "Notes"], ["A-1", "attended", "London", "x"],
                     ["a-1", "attended", "London", ""], ["A-2", "registered", "", ""],
                     ["A-2", "attended", "Wales", ""], ["A-3", "attended", "London", "x"],
                     ["A-3", "attended", "London", "x"], ["", "", "", "only a note"]],
       "MP meetings": [["Name", "Constituency", "Role"], ["Jane Smith", "Bristol West", ""],
                       ["Jane Smith", "Bristol West", "MP"]],
       "Media": [["Outlet", "URL", "Reach"], ["BBC", "https://bbc.co.uk/a", "1000"],
                 ["ITV", "not a link", "lots"]]}
TWO = {"Attendees": [["Ref", "Status"], ["A-1", "attended"], ["A-3", "attended"],
                     ["a-3", "registered"], ["B-1", "#REF!"], ["A-2", "registered"]],
       "MP meetings": [["Name", "Constituency", "Young people present"],
                       ["Jane Smith", "Bristol West", "3"], ["Jane Smith", "Bristol West", "3"]],
       "Media": [["Outlet", "Headline", "Reach", "Date"],
                 ["BBC", "", "1000", "31/02/2022"], ["A long note about the piece we got", "", "", ""]]}


def _books(config) -> list[tuple]:
    return [(read_csv_folder(config.base_dir / c.source, source=c.source), c.name)
            for c in config.charities]


def _assert_same(alone: validate.CharityData, together: validate.CharityData) -> None:
    assert [i.as_dict() for i in together.issues] == [i.as_dict() for i in alone.issues]
    for tab in TABS:
        pd.testing.assert_frame_equal(together.frames[tab.key], alone.frames[tab.key],
                                      check_exact=True)
        for column in alone.frames[tab.key].columns[alone.frames[tab.key].dtypes == object]:
            assert [type(v) for v in together.frames[tab.key][column]] == \
                [type(v) for v in alone.frames[tab.key][column]], (tab.key, column)


@pytest.fixture
def two_charities(tmp_path):
    write_csv_charity(tmp_path / "one", **ONE)
    write_csv_charity(tmp_path / "two", **TWO)
    return load_config(write_config(tmp_path, {"One": "one/", "Two": "two/"}))


def test_each_charity_gets_what_checking_it_alone_gives(two_charities):
    books = _books(two_charities)
    assert all(validate.combinable(raw) for raw, _ in books)
    start, end = two_charities.start, two_charities.end
    datas, whole, rows, uniform = validate.validate_workbooks(books, start, end)
    for (raw, name), together in zip(books, datas):
        _assert_same(validate.validate_workbook(raw, name, start, end), together)
    codes = {name: [i.code for i in d.issues] for (_, name), d in zip(books, datas)}
    # Repeats within a charity are found; the same rows and Refs in the other are not
    # (Two's "A-2, registered" reads as One's row 4, its are One's).
    assert codes["One"].count("duplicate_row") == 1 and codes["Two"].count("duplicate_row") == 1
    assert codes["One"].count("duplicate_ref") == 1 and "duplicate_ref" not in codes["Two"]
    assert codes["One"].count("ref_case") == 1 and codes["Two"].count("ref_case") == 1
    # The combined frame is the charities' frames one after another.
    for t, tab in enumerate(TABS):
        assert [r[t] for r in rows] == [len(d.frames[tab.key]) for d in datas]
        if tab.key in uniform:
            pd.testing.assert_frame_equal(
                whole[tab.key], pd.concat([d.frames[tab.key] for d in datas], ignore_index=True))


def test_the_messy_coalition_is_checked_together_as_alone(tmp_path):
    config = load_config(messy.build(tmp_path))
    books = [(raw, name) for raw, name in _books_readable(config) if validate.combinable(raw)]
    assert len(books) >= 4
    datas, *_ = validate.validate_workbooks(books, config.start, config.end)
    for (raw, name), together in zip(books, datas):
        _assert_same(validate.validate_workbook(raw, name, config.start, config.end), together)


def _books_readable(config):
    for c in config.charities:
        path = config.base_dir / c.source
        if path.is_dir():
            yield read_csv_folder(path, source=c.source), c.name


def test_the_coalition_merges_the_combined_frames_as_it_merges_each_charitys(two_charities):
    coalition = pipeline.load_coalition(two_charities)
    (block,) = coalition.blocks
    assert block.used == {"One", "Two"}
    for tab in TABS:
        pd.testing.assert_frame_equal(
            coalition.frame(tab.key).drop(columns=["mp_id", "person_key", "constituency_key",
                                                   "is_mp", "media_key"], errors="ignore"),
            concat_tab({c.name: c.frames[tab.key] for c in coalition.charities})
            .drop(columns=["mp_id", "person_key", "constituency_key", "is_mp", "media_key"],
                  errors="ignore"))


def test_when_checking_together_fails_each_charity_is_checked_alone(two_charities, monkeypatch):
    expected = pipeline.load_coalition(two_charities)

    def broken(*args, **kwargs):
        raise RuntimeError("a cell that breaks the combined pass")

    monkeypatch.setattr(pipeline, "validate_workbooks", broken)
    again = pipeline.load_coalition(two_charities)
    assert again.blocks == ()
    for a, b in zip(expected.charities, again.charities):
        assert b.status == "ok"
        _assert_same(validate.CharityData(a.name, a.frames, a.issues),
                     validate.CharityData(b.name, b.frames, b.issues))

    # A sheet that breaks the checks alone too only makes its own charity an error.
    real = pipeline.validate_workbook

    def breaks_on_two(raw, charity, *args):
        if charity == "Two":
            raise RuntimeError("a cell that breaks the checks")
        return real(raw, charity, *args)

    monkeypatch.setattr(pipeline, "validate_workbook", breaks_on_two)
    last = pipeline.load_coalition(two_charities)
    assert [c.status for c in last.charities] == ["ok", "error"]
    assert "RuntimeError" in last.charities[1].error


def test_batches_of_charities_give_what_one_batch_gives(tmp_path, monkeypatch):
    """Charities are read and checked in batches of about ROWS_CHECKED_TOGETHER rows (the
    memory a full read holds): the batches' results are those of one batch."""
    config = load_config(messy.build(tmp_path))
    whole = pipeline.load_coalition(config)
    monkeypatch.setattr(pipeline, "ROWS_CHECKED_TOGETHER", 1)          # one charity a batch
    alone = pipeline.load_coalition(config)
    sizes: list[int] = []
    real = pipeline.validate_workbooks
    monkeypatch.setattr(pipeline, "validate_workbooks",
                        lambda books, *a: sizes.append(len(books)) or real(books, *a))
    monkeypatch.setattr(pipeline, "ROWS_CHECKED_TOGETHER", 40)         # a few charities a batch
    some = pipeline.load_coalition(config)
    assert len(sizes) >= 2 and max(sizes) >= 2
    assert len(whole.blocks) == 1 and alone.blocks == () and len(some.blocks) >= 2
    for coalition in (alone, some):
        assert [c.status for c in coalition.charities] == [c.status for c in whole.charities]
        for a, b in zip(whole.charities, coalition.charities):
            _assert_same(validate.CharityData(a.name, a.frames, a.issues),
                         validate.CharityData(b.name, b.frames, b.issues))
        pd.testing.assert_frame_equal(coalition.figures, whole.figures)
