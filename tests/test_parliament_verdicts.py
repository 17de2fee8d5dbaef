"""The constituency check judges each normalised (seat, role, person, party) combination
once per process and shares the verdict between charities (issue 21). These tests hold it
to the rule written row by row (parliament._judge): the same issues, with each row's own
text quoted, and the same parties filled, whichever charity's spelling was judged first."""
import itertools

import pandas as pd
import pytest

from dashboard.official import parliament as parl


def _seat(parliament: str, name: str) -> dict:
    seat, _ = parl.match_constituency(name, parliament)
    assert seat is not None, name
    return seat


def _frame(seat_texts, roles, names, parties) -> pd.DataFrame:
    rows = list(itertools.product(seat_texts, roles, names, parties))
    frame = pd.DataFrame(rows, columns=["constituency", "role", "name", "party"]).astype("str")
    frame["_row"] = range(2, len(frame) + 2)
    return frame


def _by_the_row_rule(frame: pd.DataFrame, parliament: str):
    """(issues, parties) from _judge on each row's own values, one row at a time."""
    issues, parties = [], []
    for seat, role, name, party, row in frame.astype(object).where(frame.notna(), None) \
            .itertuples(index=False):
        verdict = parl._judge(seat, role, name, party, parliament, "name")
        if verdict.issue is not None:
            issues.append((row, verdict.issue))
        parties.append(verdict.seat["party"] if verdict.fill_party else party)
    return issues, parties


def _values(column: pd.Series) -> list:
    """The column's values, None where missing (whatever the column's type)."""
    return [None if pd.isna(v) else v for v in column]


def _variants(parliament: str):
    home = "Bristol West" if parliament == "2019" else "Bristol Central"
    west = _seat(parliament, home)
    leeds = _seat(parliament, "Leeds East")
    seats = [home, f" {home.lower().replace(' ', '  ')} ", home.upper(), west["ons_code"],
             "Bristol West", "Bristol Central",        # one of them is the other parliament's
             "Bristol North West", "Leeds Centrall", "Leeds East", None, ""]
    roles = ["", "MP", " minister", "Peer", None]
    names = [west["mp"], f"Rt Hon {west['mp']} MP", west["mp"].upper(), leeds["mp"], "", None]
    parties = ["", "Labour", "lab", " LABOUR ", "Conservative", "Green Party", None]
    return seats, roles, names, parties


@pytest.mark.parametrize("parliament", ["2019", "2024"])
def test_shared_verdicts_give_what_the_row_rule_gives(parliament):
    seats, roles, names, parties = _variants(parliament)
    parl._forget_verdicts()
    # Another charity first, with other spellings of the same seats, MPs and parties, so
    # the second frame's rows mostly take verdicts judged on someone else's text.
    first = _frame(seats[::-1], roles[::-1], names[::-1], parties[::-1])
    second = _frame(seats, roles, names, parties)
    for frame in (first, second):
        issues, party = parl._check_seats(frame, "MP meetings", parliament, "Coram")
        expected_issues, expected_parties = _by_the_row_rule(frame, parliament)
        row_issues = [(i["row"], (i["column"], i["severity"], i["code"], i["message"], i["fix"]))
                      for i in issues if i["code"] != "filled_from_constituency"]
        assert row_issues == expected_issues
        assert _values(party) == expected_parties


def test_each_flagged_row_quotes_its_own_text():
    parl._forget_verdicts()
    frame = _frame(["Leeds Centrall", " LEEDS CENTRALL"], ["MP"], ["Someone Else"], ["Labour"])
    issues, _ = parl._check_seats(frame, "Pledges", "2019", "NSPCC")
    messages = [i["message"] for i in issues if i["code"] == "unknown_constituency"]
    assert len(messages) == 2
    assert "“Leeds Centrall”" in messages[0] and "“ LEEDS CENTRALL”" in messages[1]


def test_check_rows_fills_what_check_charity_data_fills():
    seats, roles, names, parties = _variants("2019")
    frame = _frame(seats, roles, names, parties)
    issues, filled = parl.check_rows(frame, "MP meetings", "2019", "Become")
    lean_issues, party = parl._check_seats(frame, "MP meetings", "2019", "Become")
    assert issues == lean_issues
    assert _values(filled["party"]) == _values(party)


def test_memos_start_again_past_their_limit_and_verdicts_stay_right(monkeypatch):
    seats, roles, names, parties = _variants("2019")
    frame = _frame(seats, roles, names, parties)
    parl._forget_verdicts()
    elsewhere = [f"Nowhere {i}" for i in range(30)]
    parl._check_seats(_frame(elsewhere + seats, roles, names, parties), "Pledges", "2019", "Become")
    remembered = parl._NORMALISED[("seat", "2019")][0]
    assert "Nowhere 7" in remembered
    monkeypatch.setattr(parl, "_MEMO_LIMIT", len(remembered))   # the next check is past it
    issues, party = parl._check_seats(frame, "MP meetings", "2019", "Coram")
    assert "Nowhere 7" not in parl._NORMALISED[("seat", "2019")][0]      # started again
    expected_issues, expected_parties = _by_the_row_rule(frame, "2019")
    assert [(i["row"], (i["column"], i["severity"], i["code"], i["message"], i["fix"]))
            for i in issues if i["code"] != "filled_from_constituency"] == expected_issues
    assert _values(party) == expected_parties


def test_combinations_past_the_packed_bits_get_the_verdicts_of_packed_ones(monkeypatch):
    """Rows take their verdict by a number packing their ids (_packed); ids too large for
    its bits (a check meeting a million new values) are numbered by _combinations: the
    same verdicts."""
    seats, roles, names, parties = _variants("2019")
    first = _frame(seats[::-1], roles[::-1], names[::-1], parties[::-1])
    second = _frame(seats, roles, names, parties)
    packed = []
    parl._forget_verdicts()
    for frame in (first, second):
        packed.append(parl._check_seats(frame, "MP meetings", "2019", "Coram"))
    monkeypatch.setattr(parl, "_ID_BITS", (1, 1, 1, 1))
    parl._forget_verdicts()
    for frame, expected in zip((first, second), packed):
        issues, party = parl._check_seats(frame, "MP meetings", "2019", "Coram")
        assert issues == expected[0]
        assert _values(party) == _values(expected[1])
        assert issues and any(i["code"] == "filled_from_constituency" for i in issues)


# Cells as sheets give them: spacing, Unicode whitespace (no-break, ideographic, em
# spaces), error values, blanks and missing cells; misspelt MPs without a seat, and parties
# no table knows.
EDGE_SEATS = ["Bristol West", " bristol  west\u00a0", "\u3000", "#REF!", "Leeds Centrall",
              "Leeds East", "Bristol Central", "", None]
EDGE_ROLES = ["MP", "", None, "Peer", " minister", "\u2003", "Minister"]
EDGE_NAMES = ["Thangam Debbonaire", "Karl Tuner", " Keir Starmr\u00a0", "Richard Burgon",
              "#N/A", "\u3000", "", None]
EDGE_PARTIES = ["", "Labour", " lab ", "Monster Raving Loony", "#REF!", "\t", None]


def _edge_frame(dtype, name_col: str = "name", turn: int = 0) -> pd.DataFrame:
    seats = EDGE_SEATS[turn:] + EDGE_SEATS[:turn]
    rows = list(itertools.product(seats, EDGE_ROLES, EDGE_NAMES, EDGE_PARTIES))
    frame = pd.DataFrame(rows, columns=["constituency", "role", name_col, "party"], dtype=object)
    frame = frame.astype(dtype) if dtype is not None else frame
    frame["_row"] = range(2, len(frame) + 2)
    return frame


@pytest.mark.parametrize("dtype", ["str", "string", None])
def test_mp_names_and_parties_are_judged_as_row_by_row(dtype):
    """check_mp_names and check_parties look each distinct name and party up once: the
    issues the rule written row by row gives, in row order."""
    from dashboard.contract import NOT_RECOGNISED

    frame = _edge_frame(dtype)
    expected_names, expected_parties = [], []
    for seat, role, name, party, row in frame.astype(object).where(frame.notna(), None) \
            .itertuples(index=False):
        if parl._blank(seat) and not parl._blank(name) and (role in ("MP", "Minister")
                                                            or parl._blank(role)):
            if parl.suggest_mp(str(name).strip(), "2019") is not None:
                expected_names.append(row)
        if not parl._blank(party) and parl.party_label(party) == NOT_RECOGNISED:
            expected_parties.append(row)
    parl._forget_verdicts()
    names = parl.check_mp_names(frame, "MP meetings", "2019", "Coram")
    parties = parl.check_parties(frame, "MP meetings", "Coram")
    assert [i["row"] for i in names] == expected_names and expected_names
    assert [i["row"] for i in parties] == expected_parties and expected_parties
    assert all(f"“{str(frame['name'].iloc[i['row'] - 2]).strip()}”" in i["message"]
               for i in names)


def _config(parliament: str):
    import datetime as dt
    import types

    day = dt.date(2022, 6, 1) if parliament == "2019" else dt.date(2024, 9, 1)
    return types.SimpleNamespace(start=day, end=day)


def _charities(dtype) -> list:
    """Charities as a batch holds them: tabs with either name column, one whose party
    column has another type than the rest, an empty tab, a tab without constituencies."""
    from dashboard.validate import CharityData

    other = "str" if dtype is None else None
    return [CharityData("One", {"mp_meetings": _edge_frame(dtype),
                                "pledges": _edge_frame(dtype, "mp_name", 3)}),
            CharityData("Two", {"mp_meetings": _edge_frame(dtype, turn=5)}),
            CharityData("Three", {"mp_meetings": _edge_frame(dtype, turn=2).astype(
                {"party": other or object}), "pledges": _edge_frame(dtype, "mp_name").iloc[:0]}),
            CharityData("Four", {"mp_meetings": _edge_frame(dtype).drop(columns="constituency"),
                                 "pledges": _edge_frame(dtype, "mp_name", 7)})]


def _assert_same_data(got, expected) -> None:
    assert [i.as_dict() for i in got.issues] == [i.as_dict() for i in expected.issues]
    assert got.frames.keys() == expected.frames.keys()
    for key, frame in expected.frames.items():
        pd.testing.assert_frame_equal(got.frames[key], frame, check_exact=True)
        for column in frame.columns[frame.dtypes == object]:
            assert [type(v) for v in got.frames[key][column]] == \
                [type(v) for v in frame[column]], (key, column)


@pytest.mark.parametrize("parliament", ["2019", "2024"])
@pytest.mark.parametrize("dtype", ["str", "string", None])
def test_charities_checked_together_get_what_each_gets_alone(parliament, dtype):
    """check_charities_data judges a batch's tab as one frame and fills its parties at
    once: each charity gets the issues, in order, and the frames checking it alone gives."""
    import copy

    together, alone = _charities(dtype), _charities(dtype)
    parl._forget_verdicts()
    for data in alone:
        parl.check_charity_data(data, _config(parliament))
    parl._forget_verdicts()
    parl.check_charities_data(together, _config(parliament))
    for got, expected in zip(together, alone):
        _assert_same_data(got, expected)
    codes = {i.code for data in alone for i in data.issues}
    assert {"unknown_constituency", "mp_not_for_constituency", "party_differs",
            "filled_from_constituency", "mp_name_unknown", "party_not_recognised"} <= codes
    # one charity on its own in a batch
    one, expected = _charities(dtype)[:1], copy.deepcopy(alone[:1])
    parl.check_charities_data(one, _config(parliament))
    _assert_same_data(one[0], expected[0])
