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
