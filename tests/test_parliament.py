"""Constituencies and MPs: the shipped table, matching, the parliament rule, row checks."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard.official import parliament as parl
from dashboard.keys import constituency_key, person_key

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PARLIAMENT_DATA = SHARED / "data" / "parliament"
needs_shared = pytest.mark.skipif(
    not PARLIAMENT_DATA.is_dir(),
    reason=f"{PARLIAMENT_DATA} is absent: the official copies live outside the project "
           f"(../shared/data); the shipped table is tested without them elsewhere")


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(PARLIAMENT_DATA / name, encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)


def seat(name: str, parliament: str) -> dict:
    row, _ = parl.match_constituency(name, parliament)
    assert row is not None, name
    return row


# --------------------------------------------------------------------------------------
# The shipped table against the official files
# --------------------------------------------------------------------------------------

@needs_shared
def test_2019_parliament_rows_come_from_the_2010_boundary_files():
    table = parl.load_constituencies("2019").set_index("ons_code")
    ge = _read("oi_general_elections_2010_boundaries_2010_to_2019_plus_mp_may2024.csv")
    members = _read("oi_members_2019_parliament_aug2022.csv").set_index("pcon19cd")
    hexes = json.loads((PARLIAMENT_DATA / "uk-constituencies-2010-boundaries.hexjson")
                       .read_text(encoding="utf-8-sig"))["hexes"]
    assert set(table.index) == set(ge["const_id"]) == set(members.index)
    for _, r in ge.iterrows():
        ours = table.loc[r["const_id"]]
        assert ours["name"] == r["const_name"]
        assert ours["mp"] == members.loc[r["const_id"], "member_name"]
        assert ours["party"] == members.loc[r["const_id"], "party_name"]
        assert ours["elected_mp"] == r["GE 2019 MP"]
        assert ours["region"].lower() == hexes[r["const_id"]]["a"].lower()


@needs_shared
def test_2024_parliament_rows_come_from_the_official_winners_and_dfe_lookup():
    table = parl.load_constituencies("2024").set_index("ons_code")
    won = _read("parliament_ge2024_winners_official.csv").set_index("constituency_code")
    lookup = _read("dfe_mp_lookup_2024_parliament_current.csv").set_index("pcon_code")
    assert set(table.index) == set(won.index) == set(lookup.index)
    for code, ours in table.iterrows():
        assert ours["name"] == won.loc[code, "constituency_name"]
        assert ours["mp"] == lookup.loc[code, "display_as"]
        assert ours["party"] == lookup.loc[code, "party_text"]
        assert ours["local_authorities"] == lookup.loc[code, "la_names"]
        assert ours["la_codes"] == lookup.loc[code, "new_la_codes"]
        assert ours["elected_mp"] == \
            f"{won.loc[code, 'mp_given_name']} {won.loc[code, 'mp_family_name']}"
        assert ours["region"] == (won.loc[code, "english_region_name"]
                                  or won.loc[code, "country_name"])
    elected = table["elected_party"].str.replace(r" \(.*\)$", "", regex=True).value_counts()
    assert elected.to_dict() == won["party_name"].value_counts().to_dict()


# --------------------------------------------------------------------------------------
# The shipped table on its own
# --------------------------------------------------------------------------------------

def test_650_seats_in_each_parliament_with_unique_names_and_codes():
    table = parl.load_constituencies()
    for p in parl.PARLIAMENTS:
        part = table[table["parliament"] == p]
        assert len(part) == 650
        assert part["key"].is_unique and part["ons_code"].is_unique
        assert (part["mp"] != "").all() and (part["party"] != "").all()
        assert (part["source"].str.contains("https://github.com/")).all()
        assert part["nation"].value_counts().sum() == 650
    english = table[table["nation"] == "England"]
    assert english["region"].nunique() == 9
    elsewhere = table[table["nation"] != "England"]
    assert (elsewhere["region"] == elsewhere["nation"]).all()
    assert (table.loc[table["parliament"] == "2024", "local_authorities"] != "").all()


# --------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "Bristol North West", "bristol north west", "BRISTOL NORTH WEST", "Bristol  North   West",
    " Bristol North-West ", "Bristol North West.", "bristol_north_west",
])
def test_matching_tolerates_case_punctuation_and_spacing(written):
    for p in parl.PARLIAMENTS:
        row, suggestions = parl.match_constituency(written, p)
        assert row is not None and row["name"] == "Bristol North West"
        assert suggestions == []


def test_matching_tolerates_ampersand_and_accents():
    official = seat("Brighton Kemptown and Peacehaven", "2024")
    assert seat("Brighton Kemptown & Peacehaven", "2024")["ons_code"] == official["ons_code"]
    assert seat("brighton kemptown&peacehaven", "2024")["ons_code"] == official["ons_code"]
    accented = parl.load_constituencies("2019")
    accented = accented[accented["name"].str.contains("ô|â|ŵ")]
    for name in accented["name"]:
        plain = name.replace("ô", "o").replace("â", "a").replace("ŵ", "w")
        assert seat(plain, "2019")["name"] == name


def test_matching_by_ons_code():
    row = seat("Bristol North West", "2019")
    assert seat(row["ons_code"].lower(), "2019")["name"] == "Bristol North West"


def test_a_different_seat_is_never_matched():
    north_west = seat("Bristol North West", "2019")
    west = seat("Bristol West", "2019")
    assert north_west["ons_code"] != west["ons_code"]
    row, suggestions = parl.match_constituency("Bristol Nth West", "2019")
    assert row is None
    assert suggestions[0] == "Bristol North West"
    # Bristol West was abolished in 2024: no silent match to a neighbour
    row, suggestions = parl.match_constituency("Bristol West", "2024")
    assert row is None
    assert "Bristol North West" in suggestions


def test_unknown_and_blank_names():
    assert parl.match_constituency("", "2024") == (None, [])
    assert parl.match_constituency(None, "2024") == (None, [])
    row, suggestions = parl.match_constituency("Atlantis", "2024")
    assert row is None and suggestions == []
    with pytest.raises(ValueError):
        parl.match_constituency("Bristol West", "2017")


# --------------------------------------------------------------------------------------
# Which parliament
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("start, end, expected", [
    ("2022-05-23", "2022-07-22", "2019"),                 # the 2022 Day of Action
    (dt.date(2024, 5, 1), dt.date(2024, 5, 29), "2019"),  # before dissolution
    ("2024-05-30", "2024-07-03", "2024"),                 # dissolution to the election
    ("2024-07-05", "2024-09-30", "2024"),
    ("2024-04-01", "2024-06-30", "2019"),                 # 59 days before, 32 after
    ("2024-05-15", "2024-07-31", "2024"),                 # 15 days before, 63 after
    ("2024-05-29", "2024-05-30", "2024"),                 # a tie goes to the later one
    ("2018-06-01", "2018-06-30", "2019"),                 # same 2010 boundaries
])
def test_parliament_for_campaign_dates(start, end, expected):
    assert parl.parliament_for(start, end) == expected


def test_parliament_for_rejects_a_backwards_window():
    with pytest.raises(ValueError):
        parl.parliament_for("2022-07-22", "2022-05-23")
    assert parl.parliament_for(dt.datetime(2025, 1, 1, 12, 0)) == "2024"


# --------------------------------------------------------------------------------------
# Checking rows
# --------------------------------------------------------------------------------------

def _meetings(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["_row"] = range(2, 2 + len(frame))
    return frame


def test_check_rows_warns_on_unknown_seat_and_wrong_mp_and_fills_party():
    west = seat("Bristol West", "2019")
    north_west = seat("Bristol North West", "2019")
    frame = _meetings([
        {"name": f"Rt Hon {west['mp']} MP", "constituency": "bristol west", "role": None,
         "party": None},
        {"name": north_west["mp"], "constituency": "Bristol West", "role": "MP",
         "party": north_west["party"]},
        {"name": "Someone", "constituency": "Bristol Nth West", "role": "MP", "party": None},
        {"name": "A Peer", "constituency": "Bristol West", "role": "Peer", "party": None},
        {"name": west["mp"].upper(), "constituency": "Bristol West", "role": "Minister",
         "party": "Some Other Party"},
    ])
    issues, filled = parl.check_rows(frame, "MP meetings", "2019", "Become")
    codes = [(i["row"], i["code"], i["severity"]) for i in issues]
    assert (3, "mp_not_for_constituency", "warning") in codes
    assert (4, "unknown_constituency", "warning") in codes
    assert (6, "party_differs", "note") in codes
    assert not any(r == 2 for r, _, _ in codes)                    # right MP, any spelling
    assert not any(r == 5 for r, _, _ in codes)                    # a peer is not checked
    unknown = next(i for i in issues if i["code"] == "unknown_constituency")
    assert "Bristol North West" in unknown["fix"]
    for i in issues:
        assert set(i) == {"charity", "tab", "row", "column", "severity", "code", "message",
                          "fix"}
        assert i["charity"] == "Become" and i["tab"] == "MP meetings"
    assert filled.loc[0, "party"] == west["party"]                 # blank filled
    assert filled.loc[0, "region"] == west["region"]
    assert filled.loc[1, "party"] == north_west["party"]           # given, kept
    assert pd.isna(filled.loc[1, "region"])                        # wrong MP: nothing filled
    assert filled.loc[4, "party"] == "Some Other Party"            # never overwritten
    assert pd.isna(filled.loc[3, "party"])                         # a peer: not the MP's party
    assert pd.isna(filled.loc[2, "constituency_name"])
    assert filled.loc[0, "constituency_name"] == "Bristol West"
    assert frame["party"].isna().sum() == 3                        # input untouched


def test_check_rows_says_when_a_seat_is_from_the_other_parliament():
    abolished = parl.load_constituencies("2019")
    current = set(parl.load_constituencies("2024")["key"])
    gone = abolished[~abolished["key"].isin(current)].iloc[0]
    frame = _meetings([{"mp_name": gone["mp"], "constituency": gone["name"]}])
    issues, _ = parl.check_rows(frame, "Pledges", "2024", "NSPCC")
    assert [i["code"] for i in issues] == ["unknown_constituency"]
    assert "2019–24 parliament" in issues[0]["message"]


def test_same_person_is_loose_only_on_first_names():
    assert parl.same_person("Rt Hon Jane Smith MP", "jane  smith")
    assert parl.same_person("Josh Dean", "Joshua Robert Abraham Dean")
    assert parl.same_person("Emma Lewell", "Emma Lewell-Buck")
    assert not parl.same_person("John Smith", "Jane Doe")
    assert not parl.same_person("Mark Smith", "Jane Smith")
    assert not parl.same_person("", "Jane Smith")


def test_each_seats_elected_and_current_mp_pass_the_check_with_titles():
    for p in parl.PARLIAMENTS:
        seats = parl.load_constituencies(p)
        frame = _meetings([{"name": f"Rt Hon {r['elected_mp']} MP", "constituency": r["name"]}
                           for _, r in seats.iterrows()]
                          + [{"name": r["mp"], "constituency": r["name"].upper()}
                             for _, r in seats.iterrows()])
        issues, filled = parl.check_rows(frame, "MP meetings", p, "Coram")
        assert [i["code"] for i in issues] == ["filled_from_constituency"]
        assert filled["party"].notna().all() and filled["region"].notna().all()


# --------------------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------------------

def test_coverage_shares_by_party_region_and_nation():
    seats = parl.load_constituencies("2024")
    wales = seats[seats["nation"] == "Wales"]
    met = [constituency_key(n) for n in wales["name"].iloc[:3]]
    pledged = met[:1]
    out = parl.coverage(met + ["not a seat"], pledged, "2024")
    every = out[out["dimension"] == "all"].iloc[0]
    assert (every["mps"], every["met"], every["pledged"]) == (650, 3, 1)
    assert every["met_pct"] == pytest.approx(100 * 3 / 650)
    nation = out[(out["dimension"] == "nation") & (out["group"] == "Wales")].iloc[0]
    assert (nation["mps"], nation["met"]) == (len(wales), 3)
    assert nation["met_pct"] == pytest.approx(100 * 3 / len(wales))
    for dimension in ("party", "region", "nation"):
        part = out[out["dimension"] == dimension]
        assert part["mps"].sum() == 650 and part["met"].sum() == 3
    assert out.attrs["unmatched"] == ["not a seat"]
    assert "Labour (Co-op)" not in set(out.loc[out["dimension"] == "party", "group"])


def test_not_yet_met():
    seats = parl.load_constituencies("2019")
    met = [constituency_key(n) for n in seats["name"].iloc[:10]]
    rest = parl.not_yet_met(met, "2019")
    assert len(rest) == 640
    assert not {r["constituency"] for r in rest} & set(seats["name"].iloc[:10])
    scotland = parl.not_yet_met([], "2019", nation="Scotland")
    assert len(scotland) == (seats["nation"] == "Scotland").sum()
    assert {r["region"] for r in scotland} == {"Scotland"}


def test_pipeline_hook_adds_issues_and_fills_only_party():
    import types

    from dashboard.contract import TABS_BY_KEY
    from dashboard.validate import CharityData, Issue, empty_frame

    west = seat("Bristol West", "2019")
    meetings = empty_frame(TABS_BY_KEY["mp_meetings"])
    meetings = pd.concat([meetings, pd.DataFrame({
        "name": [west["mp"], "Someone Else"], "constituency": ["Bristol West", "Bristol West"],
        "role": [None, "MP"], "party": [None, None], "_row": [2, 3]})], ignore_index=True)
    columns = list(meetings.columns)
    data = CharityData("Barnardo's", {"mp_meetings": meetings,
                                      "pledges": empty_frame(TABS_BY_KEY["pledges"])})
    config = types.SimpleNamespace(start=dt.date(2022, 5, 23), end=dt.date(2022, 7, 22))
    parl.check_charity_data(data, config)
    assert list(data.frames["mp_meetings"].columns) == columns     # contract columns only
    # the row whose name is not the seat's MP gets no party: which of the two is wrong?
    assert data.frames["mp_meetings"]["party"].tolist()[0] == west["party"]
    assert pd.isna(data.frames["mp_meetings"]["party"].tolist()[1])
    assert all(isinstance(i, Issue) for i in data.issues)
    codes = sorted((i.row, i.code) for i in data.issues if i.row is not None)
    assert codes == [(3, "mp_not_for_constituency")]
    note = next(i for i in data.issues if i.code == "filled_from_constituency")
    assert "party on 1 row(s)" in note.message and "region" not in note.message


def test_coverage_takes_the_pipelines_mp_ids():
    seats = parl.load_constituencies("2019")
    first, second = seats.iloc[0], seats.iloc[1]
    ids = [f"c:{first['key']}", f"p:{person_key(second['mp'])}", "p:nobody at all"]
    out = parl.coverage(ids, [], "2019")
    every = out[out["dimension"] == "all"].iloc[0]
    assert every["met"] == 2
    assert out.attrs["unmatched"] == ["p:nobody at all"]
    assert parl.resolve_id(f"c:{first['key']}", "2019")["ons_code"] == first["ons_code"]


@pytest.mark.parametrize("written, name", [
    ("Con", "Conservative"), (" conservative ", "Conservative"), ("Tory", "Conservative"),
    ("Lab Co-op", "Labour"), ("Labour (Co-op)", "Labour"), ("SNP", "Scottish National Party"),
    ("Lib Dem", "Liberal Democrat"), ("Sinn Fein", "Sinn Féin"), ("DUP", "Democratic Unionist Party"),
    ("Reform", "Reform UK"), ("Monster Raving Loony", "Monster Raving Loony"), (None, ""), ("  ", ""),
])
def test_party_name_gives_the_official_tables_name_for_short_forms(written, name):
    assert parl.party_name(written) == name
