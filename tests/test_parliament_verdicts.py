"""The constituency check judges each normalised (seat, role, person, party) combination
once per process and shares the verdict between charities (issue 21). These tests hold it
to the rule written row by row (parliament._judge): the same issues, with each row's own
text quoted, and the same parties filled, whichever charity's spelling was judged first."""
import itertools

import numpy as np
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


def _check_seats(frame: pd.DataFrame, label: str, parliament: str, charity: str):
    """(check_rows' issues, as dicts, and the party column) of check_charity_data on the
    frame as the charity's tab `label`: the name and party checks' issues left out."""
    from dashboard.validate import CharityData

    key = {"MP meetings": "mp_meetings", "Pledges": "pledges"}[label]
    data = CharityData(charity, {key: frame})
    parl.check_charity_data(data, _config(parliament))
    fields = ("charity", "tab", "row", "column", "severity", "code", "message", "fix")
    issues = [{f: getattr(i, f) for f in fields} for i in data.issues
              if i.code not in ("mp_name_unknown", "party_not_recognised")]
    return issues, data.frames[key]["party"]


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
        issues, party = _check_seats(frame, "MP meetings", parliament, "Coram")
        expected_issues, expected_parties = _by_the_row_rule(frame, parliament)
        row_issues = [(i["row"], (i["column"], i["severity"], i["code"], i["message"], i["fix"]))
                      for i in issues if i["code"] != "filled_from_constituency"]
        assert row_issues == expected_issues
        assert _values(party) == expected_parties


def test_each_flagged_row_quotes_its_own_text():
    parl._forget_verdicts()
    frame = _frame(["Leeds Centrall", " LEEDS CENTRALL"], ["MP"], ["Someone Else"], ["Labour"])
    issues, _ = _check_seats(frame, "Pledges", "2019", "NSPCC")
    messages = [i["message"] for i in issues if i["code"] == "unknown_constituency"]
    assert len(messages) == 2
    assert "“Leeds Centrall”" in messages[0] and "“ LEEDS CENTRALL”" in messages[1]


def test_check_rows_fills_what_check_charity_data_fills():
    seats, roles, names, parties = _variants("2019")
    frame = _frame(seats, roles, names, parties)
    issues, filled = parl.check_rows(frame, "MP meetings", "2019", "Become")
    lean_issues, party = _check_seats(frame, "MP meetings", "2019", "Become")
    assert issues == lean_issues
    assert _values(filled["party"]) == _values(party)


def test_memos_start_again_past_their_limit_and_verdicts_stay_right(monkeypatch):
    seats, roles, names, parties = _variants("2019")
    frame = _frame(seats, roles, names, parties)
    parl._forget_verdicts()
    elsewhere = [f"Nowhere {i}" for i in range(30)]
    _check_seats(_frame(elsewhere + seats, roles, names, parties), "Pledges", "2019", "Become")
    remembered = parl._NORMALISED[("seat", "2019")][0]
    assert "Nowhere 7" in remembered
    monkeypatch.setattr(parl, "_MEMO_LIMIT", len(remembered))   # the next check is past it
    issues, party = _check_seats(frame, "MP meetings", "2019", "Coram")
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
        packed.append(_check_seats(frame, "MP meetings", "2019", "Coram"))
    monkeypatch.setattr(parl, "_ID_BITS", (1, 1, 1, 1))
    parl._forget_verdicts()
    for frame, expected in zip((first, second), packed):
        issues, party = _check_seats(frame, "MP meetings", "2019", "Coram")
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


@pytest.mark.parametrize("dtype", ["str", None])
def test_a_batch_judged_as_its_combined_frame_gets_what_concatenating_gives(dtype):
    """Given the batch's combined frame (the charities' frames are its slices), the check
    judges it instead of concatenating them: the same issues and frames for each charity,
    and the combined frame replaced by the filled one, whose slices are the new frames."""
    from dashboard.validate import CharityData

    def batch():
        parts = [_edge_frame(dtype), _edge_frame(dtype).iloc[:0], _edge_frame(dtype, turn=5)]
        whole = pd.concat(parts, ignore_index=True)
        starts = np.cumsum([0, *map(len, parts)])
        return whole, [CharityData(name, {"mp_meetings": whole.iloc[a:b].reset_index(drop=True)})
                       for name, a, b in zip(["One", "Two", "Three"], starts[:-1], starts[1:])]

    whole, given = batch()
    _, concatenated = batch()
    combined = {"mp_meetings": whole}
    parl._forget_verdicts()
    parl.check_charities_data(given, _config("2019"), combined=combined)
    parl._forget_verdicts()
    parl.check_charities_data(concatenated, _config("2019"))
    for got, expected in zip(given, concatenated):
        _assert_same_data(got, expected)
    filled = combined["mp_meetings"]
    assert filled is not whole and filled["party"].notna().sum() > whole["party"].notna().sum()
    pd.testing.assert_frame_equal(
        pd.concat([d.frames["mp_meetings"] for d in given], ignore_index=True), filled,
        check_exact=True)


# -- one charity: its reads of every kind, against the rule written row by row ----------
MEETINGS = [["Name", "Constituency", "Role", "Party"],
            ["Thangam Debbonaire", "Bristol West", "MP", None],           # party filled
            ["Karl Tuner", None, "MP", "Labour"],                         # no MP of that name
            ["Someone Else", "Bristol West", "MP", None],                 # not the seat's MP
            ["Lord Someone", "Bristol West", "Peer", None],
            ["Richard Burgon", " leeds  east\u00a0", None, "lab"],
            ["Jo Bloggs", "Leeds Centrall", "", "Monster Raving Loony"],  # no such seat
            ["Amy Ng", "\u3000", None, "#REF!"],
            ["Dan Jarvis", "Barnsley Central", "\u2003", "Conservative"]]   # another party
PLEDGES = [["MP name", "Constituency", "Party"], ["Richard Burgon", "Leeds East", None],
           ["Keir Starmr", None, None], [None, "E14000601", "Green"], ["Alyn Smith", "", ""]]
# Nothing to fill, nothing to say: the tabs' frames are still new frames, as when filled.
QUIET_MEETINGS = [["Name", "Constituency", "Role", "Party"], ["Lord Someone", "Leeds East", "Peer", None]]
QUIET_PLEDGES = [["MP name", "Constituency", "Party"], ["Richard Burgon", "Leeds East", "Labour"]]
OTHER_TABS = {"Attendees": [["Ref", "Status"], ["A-1", "attended"]],
              "Media": [["Outlet", "URL"], ["BBC", "https://bbc.co.uk/a"]]}


def _read(kind: str, tabs: dict[str, list[list]], tmp_path, google, client):
    from connectors.base import read_source
    from tests.csv_sources import write_csv_charity
    from tests.fixtures import write_workbook
    from tests.google_standin import read

    if kind == "csv":
        write_csv_charity(tmp_path / "charity", **tabs)
        return read_source("charity/", base_dir=tmp_path)
    if kind == "xlsx":
        write_workbook(tmp_path / "charity.xlsx", tabs)
        return read_source("charity.xlsx", base_dir=tmp_path)
    key = google.add("1CharityKey_abc", [(title, gid, rows) for gid, (title, rows)
                                          in enumerate(tabs.items())])
    return read(client, f"gsheet:{key}")


def _by_the_rows(data, parliament: str) -> tuple[dict, list[tuple]]:
    """(frames, issues as tuples) check_charity_data gives by the rules row by row: _judge
    on each row's own values, the note counting the filled parties and regions, then
    check_mp_names' and check_parties' rules."""
    from dashboard.contract import NOT_RECOGNISED

    frames, issues = dict(data.frames), []
    for key, label in parl.CHECKED_TABS:
        frame = data.frames[key]
        if not len(frame) or "constituency" not in frame.columns:
            continue
        name_col = "name" if "name" in frame.columns else "mp_name"
        cells = frame.astype(object).where(frame.notna(), None)
        parties, names, odd, filled_party, filled_region = [], [], [], 0, 0
        for _, row in cells.iterrows():
            seat, role, name, party = (row.get(c) for c in ("constituency", "role", name_col,
                                                            "party"))
            verdict = parl._judge(seat, role, name, party, parliament, name_col)
            if verdict.issue is not None:
                issues.append((data.charity, label, row["_row"], *verdict.issue))
            parties.append(verdict.seat["party"] if verdict.fill_party else party)
            filled_party += verdict.fill_party
            filled_region += "region" in frame.columns and verdict.fill \
                and parl._blank(row["region"])
            if parl._blank(seat) and not parl._blank(name) \
                    and (role in ("MP", "Minister") or parl._blank(role)) \
                    and parl.suggest_mp(str(name).strip(), parliament) is not None:
                names.append(row["_row"])
            if not parl._blank(party) and parl.party_label(party) == NOT_RECOGNISED:
                odd.append(row["_row"])
        issues += [tuple(i.values()) for i in parl._filled_note(data.charity, label,
                                                                filled_party, filled_region)]
        issues += [(data.charity, label, row, "mp_name_unknown") for row in names]
        issues += [(data.charity, label, row, "party_not_recognised") for row in odd]
        party = pd.Series(parties, index=frame.index, dtype=object).astype(frame["party"].dtype)
        frames[key] = frame.assign(party=party)
    return frames, issues


@pytest.mark.parametrize("kind", ["csv", "xlsx", "google"])
@pytest.mark.parametrize("quiet", [False, True], ids=["to fill", "quiet"])
def test_one_charitys_check_of_each_kind_of_read_is_the_row_rule(kind, quiet, tmp_path, google,
                                                                  client):
    """check_charity_data (a batch of one) on a CSV folder's, a workbook's and a Google
    sheet's typed frames: the frames (dtypes and None objects included) and issues the
    rules row by row give; every other tab's frame is the same object."""
    import datetime as dt

    from dashboard.validate import validate_workbook

    tabs = {**OTHER_TABS, "MP meetings": QUIET_MEETINGS if quiet else MEETINGS,
            "Pledges": QUIET_PLEDGES if quiet else PLEDGES}
    data = validate_workbook(_read(kind, tabs, tmp_path, google, client), "Coram",
                             dt.date(2022, 5, 23), dt.date(2022, 7, 22))
    before, issues_before = dict(data.frames), len(data.issues)
    parl._forget_verdicts()
    expected_frames, expected_issues = _by_the_rows(data, "2019")
    parl.check_charity_data(data, _config("2019"))
    got = [(i.charity, i.tab, i.row, i.column, i.severity, i.code, i.message, i.fix)
           if i.code not in ("mp_name_unknown", "party_not_recognised")
           else (i.charity, i.tab, i.row, i.code) for i in data.issues[issues_before:]]
    assert got == expected_issues
    assert bool(got) != quiet
    for key, frame in expected_frames.items():
        pd.testing.assert_frame_equal(data.frames[key], frame, check_exact=True)
        for column in frame.columns[frame.dtypes == object]:
            assert [type(v) for v in data.frames[key][column]] == \
                [type(v) for v in frame[column]], (key, column)
        assert (data.frames[key] is before[key]) == (key not in ("mp_meetings", "pledges"))


def test_without_the_constituency_list_each_charity_gets_a_note(monkeypatch):
    """A missing reference table is a note on the first tab each charity would have had
    checked (its tabs left as they are), whether checked alone or in a batch."""
    from dashboard.validate import CharityData

    def missing(*args):
        raise FileNotFoundError("constituencies.csv")

    def charities() -> list:
        return [CharityData("One", {"mp_meetings": _edge_frame("str"),
                                    "pledges": _edge_frame("str", "mp_name")}),
                CharityData("Two", {"mp_meetings": _edge_frame("str").iloc[:0],
                                    "pledges": _edge_frame("str", "mp_name")})]

    monkeypatch.setattr(parl, "_seat_named", missing)
    for check in (lambda datas: [parl.check_charity_data(d, _config("2019")) for d in datas],
                  lambda datas: parl.check_charities_data(datas, _config("2019"))):
        parl._forget_verdicts()
        datas = charities()
        before = [dict(d.frames) for d in datas]
        check(datas)
        assert [[(i.tab, i.code) for i in d.issues] for d in datas] == [
            [("MP meetings", "constituency_list_missing")],
            [("Pledges", "constituency_list_missing")]]
        assert "constituencies.csv" in datas[0].issues[0].message
        assert all(d.frames[k] is b[k] for d, b in zip(datas, before) for k in b)


@pytest.mark.parametrize("parliament", ["2019", "2024"])
def test_preparing_reads_the_tables_the_first_check_would_read(parliament, monkeypatch):
    """prepare_checks (run while the first batch is read) makes the lookups the checks and
    the merge use, so the first check finds them made; without the list it is quiet."""
    cached = (parl._read, parl._index, parl._seat_fields, parl._party_names, parl._mp_names,
              parl._by_person)
    for function in cached:
        function.cache_clear()
    parl.prepare_checks(_config(parliament))
    assert [f.cache_info().currsize for f in cached] == [1, 2, 1, 1, 1, 1]
    for function in cached:
        function.cache_clear()

    def missing(*args):
        raise FileNotFoundError("constituencies.csv")

    monkeypatch.setattr(parl, "read_reference_csv", missing)
    parl.prepare_checks(_config(parliament))
    assert parl._index.cache_info().currsize == 0


def _same_records(fast: list[dict], slow: list[dict]) -> None:
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow):
        assert list(a) == list(b)
        for key in a:
            missing = a[key] != a[key]
            assert type(a[key]) is type(b[key]) and (missing or a[key] == b[key]), (key, a[key], b[key])
            assert missing == (b[key] != b[key])


def test_records_are_pandas_records_for_the_seat_tables():
    for parliament in (None, *parl.PARLIAMENTS):
        seats = parl.load_constituencies(parliament)
        _same_records(parl._records(seats), seats.to_dict(orient="records"))
        _same_records(parl._records(seats[["name", "mp"]]), seats[["name", "mp"]].to_dict(orient="records"))


def test_records_keep_missing_cells_odd_text_and_other_dtypes():
    texts = pd.DataFrame({"name": ["Ynys Môn", None, "\u00a0", "", "#REF!"],
                          "mp": ["A\u3000B", "x", None, "—", "e"]}).astype("str")
    assert texts["name"].isna().sum() == 1
    _same_records(parl._records(texts), texts.to_dict(orient="records"))
    mixed = texts.assign(number=[1, 2, 3, 4, 5], date=pd.to_datetime(["2024-07-04"] * 5))
    _same_records(parl._records(mixed), mixed.to_dict(orient="records"))
    assert parl._records(texts.iloc[0:0]) == []


def _filled_by_pandas(party: pd.Series, fill: np.ndarray, seat: np.ndarray, parliament: str) -> pd.Series:
    """The blanks filled as pandas sets cells: the rule _filled_party keeps."""
    rows = np.flatnonzero(fill)
    if not rows.size:
        return party
    party = party.copy()
    party.iloc[rows] = parl._seat_fields(parliament)[1]["party"][seat[rows]]
    return party


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "string[python]", "object"])
@pytest.mark.parametrize("share", ["some", "all", "none", "chunked"])
def test_filled_party_is_pandas_setting_the_cells(dtype, share):
    texts = np.array(["Labour", None, "", " ", "\u00a0", "\u3000", "#REF!", "Reform UK", "Plaid Cymru"],
                     dtype=object)
    rng = np.random.default_rng(7)
    n = 500
    party = pd.Series(rng.choice(texts, n), name="party", index=pd.RangeIndex(3, n + 3)).astype(dtype)
    if share == "chunked":       # (an Arrow column of several chunks, as a concatenation gives)
        party = pd.concat([party.iloc[:200], party.iloc[200:]])
    fill = {"all": np.ones(n, dtype=bool), "none": np.zeros(n, dtype=bool)}.get(
        share, rng.random(n) < 0.3)
    seat = rng.integers(0, 650, n)
    for parliament in parl.PARLIAMENTS:
        filled = parl._filled_party(party, fill, seat, parliament)
        expected = _filled_by_pandas(party, fill, seat, parliament)
        pd.testing.assert_series_equal(filled, expected)
        assert filled.dtype == expected.dtype
        assert filled.isna().tolist() == expected.isna().tolist()
    assert party.isna().any()


def _names_by_the_row_rule(frame: pd.DataFrame, parliament: str) -> list[tuple[int, str]]:
    """(sheet row, suggestion) of each mp_name_unknown, suggest_mp asked row by row."""
    expected = []
    for seat, role, name, _, row in frame.astype(object).where(frame.notna(), None) \
            .itertuples(index=False):
        if parl._blank(seat) and not parl._blank(name) and (role in ("MP", "Minister")
                                                            or parl._blank(role)):
            suggestion = parl.suggest_mp(str(name).strip(), parliament)
            if suggestion is not None:
                expected.append((row, suggestion))
    return expected


def test_mp_name_suggestions_kept_by_person_key_serve_every_spelling_and_parliament():
    """Each person key is asked once per parliament and process: later checks, with other
    spellings of the same names and new ones, in either parliament, still get what
    asking row by row gives, each quoting its own text."""
    spellings = [lambda n: n, lambda n: f"  {n.upper()} ", lambda n: f"Mr {n}\u00a0MP",
                 lambda n: n.replace(" ", "\u3000  ")]
    parl._forget_verdicts()
    checked = 0
    for turn, (parliament, spell) in enumerate(itertools.product(["2019", "2024"], spellings)):
        frame = _edge_frame("str", turn=turn % len(EDGE_SEATS))
        frame["name"] = frame["name"].map(lambda n: spell(n) if isinstance(n, str) and n.strip()
                                          else n).astype("str")
        frame.loc[frame.index % 3 == 0, "name"] = frame["name"] + " Jr"   # some keys new
        expected = _names_by_the_row_rule(frame, parliament)
        issues = parl.check_mp_names(frame, "MP meetings", parliament, "Coram")
        assert [(i["row"], i["fix"]) for i in issues] == [
            (row, f"Did you mean {s}? Correct the name or add the constituency.")
            for row, s in expected]
        assert all(f"“{str(frame['name'].iloc[i['row'] - 2]).strip()}”" in i["message"]
                   for i in issues)
        checked += len(issues)
    assert checked


def test_checks_on_threads_at_once_get_what_checks_in_turn_get():
    """Google sheets are checked on threads of their own (and Streamlit runs each session
    on one), all sharing the process's memos: checks at once give what checks in turn
    give. Without the memos' lock two threads numbered the same new combinations twice,
    and a charity's check raised."""
    import sys
    import threading

    alone = _charities("str")
    parl._forget_verdicts()
    for data in alone:
        parl.check_charity_data(data, _config("2024"))
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)               # (threads take turns as often as they can)
    try:
        for _ in range(4):
            parl._forget_verdicts()
            batches = [_charities("str") for _ in range(6)]
            start = threading.Barrier(len(batches))
            errors: list[BaseException] = []

            def check(batch):
                start.wait()
                try:
                    for data in batch:
                        parl.check_charity_data(data, _config("2024"))
                except BaseException as err:
                    errors.append(err)

            threads = [threading.Thread(target=check, args=(batch,)) for batch in batches]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert errors == []
            for batch in batches:
                for got, expected in zip(batch, alone):
                    _assert_same_data(got, expected)
    finally:
        sys.setswitchinterval(interval)
