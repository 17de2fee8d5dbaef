"""Write the project's compact reference tables from the copied official files.

    python scripts/build_reference_tables.py [--shared PATH] [--out DIR]
        [--add FILE_OR_DIR --release YEAR --source URL]

Reads ../shared/data (relative to the repo, or --shared) and writes, in
dashboard/reference/ (or --out):

- placements_england.csv   England by year, every release's figure, ``preferred`` marked
- placements_la.csv        local authorities, regions and England, by year and release
- constituencies.csv       650 seats of the 2019-24 parliament and 650 of the 2024 one
- constituency_hexes.csv   each seat's hexagon in Open Innovations' hex cartograms (2010
                           boundaries for 2019-24, and the 2024 layout), by ONS code

Every row names its DfE release (or snapshot), the copied file, the filter picking the
figure out of it (``table``) and ``source`` (GitHub URL with the commit). DfE symbols
become empty values with the symbol kept in ``symbol`` - never a zero.

Next year's release: download its CSVs from explore-education-statistics, then
    python scripts/build_reference_tables.py --add path/to/data/ --release 2026 \
        --source https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions/2026
Every file in the folder is read with read_ees_csv and the campaign's measures are
picked out by their published labels; the new release becomes the preferred figure for
the years it covers, and the older releases' figures stay in the table as revisions.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from dashboard.keys import constituency_key  # noqa: E402
from dashboard.official.placements import (LONG_COLUMNS, extract_measures, mark_preferred,  # noqa: E402
                                           read_ees_csv, symbol_note, parse_value, table_spec)

DEFAULT_SHARED = REPO.parent / "shared"
DEFAULT_OUT = REPO / "dashboard" / "reference"

BEN = "BenGoodair/childrens_social_care_data"
BEN_DIR = "Raw_Data/LA_level/Children_Placement_Characteristics"
CSC = "dfe-analytical-services/CSC_outcomes_and_enablers"

# copied file -> (DfE release, repo, path in repo, commit); from shared/data/SOURCES.md
DFE_FILES: dict[str, tuple[str, str, str, str]] = {
    "ees2025_cla_number_and_rate_per_10k_children.csv":
        ("2025", CSC, "data-raw/cla_number_and_rate_per_10k_children.csv",
         "9a527ae3b5a39c8dbd822cb0597cce5b6b65df32"),
    "ees2025_la_cla_placement_stability.csv":
        ("2025", CSC, "data-raw/la_cla_placement_stability.csv",
         "9a527ae3b5a39c8dbd822cb0597cce5b6b65df32"),
    "ees2025_la_cla_during_year_new_placements.csv":
        ("2025", CSC, "data-raw/la_cla_during_year_new_placements.csv",
         "9a527ae3b5a39c8dbd822cb0597cce5b6b65df32"),
    "ees2024_cla_time_series_1994_2024.csv":
        ("2024", BEN, f"{BEN_DIR}/post_2017_updated25/data/cla_time_series_1994_2024.csv",
         "9c254614f55820cbed8fac3f980106f59a869850"),
    "ees2024_national_cla_on_31_march_by_characteristics.csv":
        ("2024", BEN,
         f"{BEN_DIR}/post_2017_updated25/data/national_cla_on_31_march_by_characteristics.csv",
         "9c254614f55820cbed8fac3f980106f59a869850"),
    "ees2024_national_reason_for_placement_change_during_year.csv":
        ("2024", BEN, f"{BEN_DIR}/post_2017_updated25/data/"
                      "national_reason_for_placement_change_during_year.csv",
         "9c254614f55820cbed8fac3f980106f59a869850"),
    "ees2022_national_reason_for_placement_change_during_year.csv":
        ("2022", BEN, f"{BEN_DIR}/post_2017/data/"
                      "national_reason_for_placement_change_during_year.csv",
         "2f4ee1e1ad96a00acd8d02e621b09e7f9732531d"),
    "ees2022_national_cla_on_31_march_by_characteristics.csv":
        ("2022", BEN, f"{BEN_DIR}/post_2017/data/national_cla_on_31_march_by_characteristics.csv",
         "2f4ee1e1ad96a00acd8d02e621b09e7f9732531d"),
    "ees2022_la_cla_at_31_march_placement_stability_indicator.csv":
        ("2022", BEN, f"{BEN_DIR}/post_2017/data/"
                      "la_cla_at_31_march_placement_stability_indicator.csv",
         "0869d2691790cc0c4206a8dafb27857ac3ae387d"),
    "ees2022_cla_2022_headline_figure.csv":
        ("2022", BEN, f"{BEN_DIR}/post_2017/data/cla_2022_headline_figure.csv",
         "2f4ee1e1ad96a00acd8d02e621b09e7f9732531d"),
    "sfr50_2017_SFR50_CLA2017.csv":
        ("2017", BEN, f"{BEN_DIR}/2017/SFR50_CLA2017.csv",
         "0869d2691790cc0c4206a8dafb27857ac3ae387d"),
}

FIRST_YEAR = 2017
# England figures: national rows of these files.
ENGLAND_FILES = (
    "sfr50_2017_SFR50_CLA2017.csv",
    "ees2022_cla_2022_headline_figure.csv",
    "ees2022_national_cla_on_31_march_by_characteristics.csv",
    "ees2022_national_reason_for_placement_change_during_year.csv",
    "ees2024_cla_time_series_1994_2024.csv",
    "ees2024_national_cla_on_31_march_by_characteristics.csv",
    "ees2024_national_reason_for_placement_change_during_year.csv",
    "ees2025_cla_number_and_rate_per_10k_children.csv",
    "ees2025_la_cla_placement_stability.csv",
    "ees2025_la_cla_during_year_new_placements.csv",
)
# Local-authority figures: every geographic level of these files.
LA_FILES = (
    "ees2022_la_cla_at_31_march_placement_stability_indicator.csv",
    "ees2025_la_cla_placement_stability.csv",
    "ees2025_cla_number_and_rate_per_10k_children.csv",
    "ees2025_la_cla_during_year_new_placements.csv",
)
LA_PLACE = ("geographic_level", "region_code", "old_la_code")
LA_COLUMNS = ("year", "geographic_level", "region", "region_code", "region_name",
              "old_la_code", "new_la_code", "la_name", "measure", "value", "symbol",
              "release", "preferred", "source_file", "table", "source")

NOTES = {
    ("sfr50_2017_SFR50_CLA2017.csv", "placement_changes"):
        "SFR50/2017 CLA_RPC_All_Place: placements that ended during the year, "
        "experimental statistics in 2017",
    ("sfr50_2017_SFR50_CLA2017.csv", "children_looked_after"):
        "SFR50/2017 CLA_Mar2017, as first published in 2017",
    ("ees2025_la_cla_during_year_new_placements.csv", "placement_changes"):
        "2025 release label: Total placements changing",
}


def github_url(repo: str, path: str, commit: str) -> str:
    return f"https://github.com/{repo}/blob/{commit}/{path}"


def dfe_source(name: str) -> tuple[str, str]:
    release, repo, path, commit = DFE_FILES[name]
    return release, github_url(repo, path, commit)


def _sfr50_england(path: Path) -> pd.DataFrame:
    """The 2017 release's old wide layout (one row per place, one column per figure)."""
    raw = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    national = raw[raw["geog_l"].str.strip() == "NATIONAL"]
    if len(national) != 1:
        raise ValueError(f"{path.name}: expected one NATIONAL row, found {len(national)}")
    release, source = dfe_source(path.name)
    rows = []
    for measure, column in (("children_looked_after", "CLA_Mar2017"),
                            ("placement_changes", "CLA_RPC_All_Place")):
        value, symbol = parse_value(national.iloc[0][column])
        rows.append({"year": 2017, "measure": measure, "value": value, "symbol": symbol,
                     "symbol_note": symbol_note(symbol), "release": release,
                     "source_file": path.name,
                     "table": table_spec({"geog_l": "NATIONAL"}, column),
                     "source": source, "note": NOTES[(path.name, measure)]})
    frame = pd.DataFrame(rows)
    frame["value"] = pd.array(frame["value"], dtype="Float64")
    return frame


def _with_notes(long: pd.DataFrame, name: str) -> pd.DataFrame:
    for (file, measure), note in NOTES.items():
        if file == name:
            long.loc[long["measure"] == measure, "note"] = note
    return long


def build_england(shared: Path, extra: list[pd.DataFrame] = ()) -> pd.DataFrame:
    folder = shared / "data" / "dfe_cla"
    parts = []
    for name in ENGLAND_FILES:
        if name.startswith("sfr50_"):
            parts.append(_sfr50_england(folder / name))
            continue
        release, source = dfe_source(name)
        frame = read_ees_csv(folder / name)
        years = range(FIRST_YEAR, 10_000)
        long = extract_measures(frame, release=release, source_file=name, source=source,
                                levels=("National",), years=years)
        if long.empty:
            raise ValueError(f"{name}: no campaign measure found")
        parts.append(_with_notes(long, name))
    parts += [e[e["geographic_level"] == "National"] for e in extra]
    england = pd.concat(parts, ignore_index=True)
    england = england[england["year"] >= FIRST_YEAR]
    dup = england.duplicated(["year", "measure", "release"], keep=False)
    if dup.any():
        clash = england[dup][["year", "measure", "release", "source_file"]]
        raise ValueError(f"one release publishes a figure twice:\n{clash}")
    england = mark_preferred(england)
    england = england.sort_values(["measure", "year", "release"],
                                  key=lambda s: s.map(_sort_key(s.name)))
    return england[list(LONG_COLUMNS)].reset_index(drop=True)


def _sort_key(column: str):
    if column == "release":
        from dashboard.official.placements import release_order
        return release_order
    return lambda v: v


def _region(name: str) -> str:
    return "London" if name in ("Inner London", "Outer London") else name


def build_la(shared: Path, extra: list[pd.DataFrame] = ()) -> pd.DataFrame:
    folder = shared / "data" / "dfe_cla"
    parts = []
    for name in LA_FILES:
        release, source = dfe_source(name)
        frame = read_ees_csv(folder / name)
        parts.append(extract_measures(frame, release=release, source_file=name, source=source))
    parts += list(extra)
    la = pd.concat(parts, ignore_index=True)
    for col in ("region_code", "region_name", "old_la_code", "new_la_code", "la_name"):
        la[col] = la[col].fillna("")
    dup = la.duplicated(["year", "measure", "release", *LA_PLACE], keep=False)
    if dup.any():
        raise ValueError(f"one release publishes a local-authority figure twice:\n"
                         f"{la[dup].head()}")
    la["region"] = la["region_name"].map(_region)
    la = mark_preferred(la, LA_PLACE)
    level = la["geographic_level"].map({"National": 0, "Regional": 1, "Local authority": 2})
    la = la.assign(_level=level).sort_values(
        ["_level", "region", "la_name", "measure", "year", "release"])
    return la[list(LA_COLUMNS)].reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Constituencies
# --------------------------------------------------------------------------------------

OI_GE = ("open-innovations/constituencies", "src/_data/sources/society/general-elections.csv",
         "d2461bf08be1f7ffde05f57c8266b432345a48d9")
OI_MEMBERS = ("open-innovations/uk-parliament-ref-data", "data/members_augmented.csv",
              "e5664bacd13c2c491ec2818980bacb8fc8922e29")
OI_HEX_2010 = ("open-innovations/constituencies", "src/_data/hexjson/constituencies.hexjson",
               "6287b92eb9c1775095b2a18b66ec5b9e15714044")
DFE_MP = ("dfe-analytical-services/mp-lookup", "mp_lookup.csv",
          "793ea661826202d050e95291e6f64021ce6c94d1")
GE2024 = ("dfe-analytical-services/mp-lookup",
          "data/candidate-level-results-general-election-04-07-2024.csv",
          "bebaa9cc1c6b16884c308bbe3c63d9fe62024179")
NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}
CONSTITUENCY_COLUMNS = ("parliament", "name", "ons_code", "region", "nation", "mp", "party",
                        "mp_as_of", "elected_mp", "elected_party", "other_mps",
                        "local_authorities", "la_codes", "old_la_codes", "source")


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _norm_region(name: str) -> str:
    # ONS / DfE spelling; the 2010-boundary hexjson writes "Yorkshire and the Humber".
    return "Yorkshire and The Humber" if name.lower() == "yorkshire and the humber" else name


def _others(*names: str, exclude: tuple[str, ...]) -> str:
    from dashboard.keys import person_key
    seen = {person_key(n) for n in exclude}
    out = []
    for n in names:
        k = person_key(n)
        if n and k not in seen:
            seen.add(k)
            out.append(n)
    return " / ".join(out)


def build_constituencies(shared: Path) -> pd.DataFrame:
    folder = shared / "data" / "parliament"
    ge = _read(folder / "oi_general_elections_2010_boundaries_2010_to_2019_plus_mp_may2024.csv")
    members = _read(folder / "oi_members_2019_parliament_aug2022.csv")
    hexes = json.loads((folder / "uk-constituencies-2010-boundaries.hexjson")
                       .read_text(encoding="utf-8-sig"))["hexes"]
    m19 = ge.merge(members, left_on="const_id", right_on="pcon19cd", how="left",
                   validate="one_to_one")
    if m19["member_name"].eq("").any() or m19["member_name"].isna().any():
        raise ValueError("a 2019-parliament seat has no member in the Aug 2022 list")
    src19 = " ; ".join(github_url(*s) for s in (OI_GE, OI_MEMBERS, OI_HEX_2010))
    rows = []
    for _, r in m19.iterrows():
        nation = NATIONS[r["const_id"][0]]
        region = _norm_region(hexes[r["const_id"]]["a"]) if nation == "England" else nation
        rows.append({
            "parliament": "2019", "name": r["const_name"], "ons_code": r["const_id"],
            "region": region, "nation": nation,
            "mp": r["member_name"], "party": r["party_name"], "mp_as_of": "2022-08",
            "elected_mp": r["GE 2019 MP"], "elected_party": r["GE 2019 party"],
            "other_mps": _others(r["Current MP"], exclude=(r["member_name"], r["GE 2019 MP"])),
            "local_authorities": "", "la_codes": "", "old_la_codes": "", "source": src19,
        })
    lookup = _read(folder / "dfe_mp_lookup_2024_parliament_current.csv")
    won = _read(folder / "parliament_ge2024_winners_official.csv")
    m24 = won.merge(lookup, left_on="constituency_code", right_on="pcon_code", how="left",
                    validate="one_to_one")
    if m24["pcon_code"].isna().any():
        raise ValueError("a 2024 seat is missing from the DfE MP lookup")
    src24 = " ; ".join([github_url(*GE2024) + " (winners, via parliament_ge2024_winners_"
                        "official.csv)", github_url(*DFE_MP)])
    for _, r in m24.iterrows():
        nation = r["country_name_x"]
        region = r["english_region_name"] if nation == "England" else nation
        elected = f"{r['mp_given_name']} {r['mp_family_name']}".strip()
        party = r["party_name"] + (f" ({r['adjunct_party_name']})"
                                   if r["adjunct_party_name"] else "")
        old = r["old_la_codes_2024"]
        rows.append({
            "parliament": "2024", "name": r["constituency_name"],
            "ons_code": r["constituency_code"], "region": region, "nation": nation,
            "mp": r["display_as"], "party": r["party_text"], "mp_as_of": "2026-06-27",
            "elected_mp": elected, "elected_party": party, "other_mps": "",
            "local_authorities": r["la_names"], "la_codes": r["new_la_codes"],
            "old_la_codes": "" if old.strip().lower() == "z" else old, "source": src24,
        })
    table = pd.DataFrame(rows, columns=list(CONSTITUENCY_COLUMNS))
    for parliament, part in table.groupby("parliament"):
        keys = part["name"].map(constituency_key)
        if len(part) != 650 or keys.duplicated().any():
            raise ValueError(f"{parliament} parliament: {len(part)} seats, "
                             f"{keys.duplicated().sum()} duplicate names")
    return table


# --------------------------------------------------------------------------------------
# Hex cartograms: one equal hexagon per seat
# --------------------------------------------------------------------------------------

OI_HEX_2024 = ("open-innovations/constituencies", "src/_data/hexjson/uk-constituencies-2024.hexjson",
               "1d43262fe30abd543075c68f67a0f0d3c5fee04b")
HEX_FILES = {"2019": ("uk-constituencies-2010-boundaries.hexjson", OI_HEX_2010),
             "2024": ("uk-constituencies-2024.hexjson", OI_HEX_2024)}
HEX_COLUMNS = ("parliament", "ons_code", "name", "q", "r", "layout", "source")


def build_hexes(shared: Path, constituencies: pd.DataFrame) -> pd.DataFrame:
    """Each seat's (q, r) in the hexjson layout of its parliament, keyed by ONS code.

    Only the coordinates are kept (the files' colours, populations and electorates are
    not ours to ship); every seat of `constituencies` must have exactly one hexagon."""
    rows = []
    for parliament, (name, origin) in HEX_FILES.items():
        data = json.loads((shared / "data" / "parliament" / name).read_text(encoding="utf-8-sig"))
        source = github_url(*origin)
        for code, cell in data["hexes"].items():
            rows.append({"parliament": parliament, "ons_code": code, "name": cell["n"],
                         "q": int(cell["q"]), "r": int(cell["r"]), "layout": data["layout"],
                         "source": source})
    table = pd.DataFrame(rows, columns=list(HEX_COLUMNS))
    for parliament, part in table.groupby("parliament"):
        seats = set(constituencies.loc[constituencies["parliament"] == parliament, "ons_code"])
        if set(part["ons_code"]) != seats or part["ons_code"].duplicated().any() \
                or part[["q", "r"]].duplicated().any():
            raise ValueError(f"{parliament} hex layout does not give each of the "
                             f"{len(seats)} seats one hexagon of its own")
    return table


# --------------------------------------------------------------------------------------

def read_added_release(path: Path, release: str, source: str) -> list[pd.DataFrame]:
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    out = []
    for f in files:
        if f.name.endswith(".meta.csv"):
            continue
        try:
            frame = read_ees_csv(f)
        except ValueError as err:
            print(f"skipped {f.name}: {err}", file=sys.stderr)
            continue
        long = extract_measures(frame, release=release, source_file=f.name, source=source)
        if long.empty:
            print(f"skipped {f.name}: no campaign measure in it", file=sys.stderr)
            continue
        for col in ("region_code", "region_name", "old_la_code", "new_la_code", "la_name"):
            if col not in long.columns:
                long[col] = ""
        print(f"added {f.name}: {len(long)} figures, release {release}")
        out.append(long)
    return out


def _value_text(value: object) -> str:
    if value is None or pd.isna(value):
        return ""
    f = float(value)
    return str(int(f)) if f.is_integer() else repr(f)


def write_tables(shared: Path, out: Path, extra: list[pd.DataFrame] = ()) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    constituencies = build_constituencies(shared)
    tables = {
        "placements_england.csv": build_england(shared, extra),
        "placements_la.csv": build_la(shared, extra),
        "constituencies.csv": constituencies,
        "constituency_hexes.csv": build_hexes(shared, constituencies),
    }
    sizes = {}
    for name, frame in tables.items():
        path = out / name
        if "value" in frame.columns:  # 1200 not 1200.0; missing stays empty
            frame = frame.assign(value=frame["value"].map(_value_text))
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        sizes[name] = len(frame)
        print(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}: "
              f"{len(frame):,} rows, {path.stat().st_size / 1024:,.0f} KB")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help=f"the shared folder holding data/ (default {DEFAULT_SHARED})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--add", type=Path, help="a newer release's EES CSV file or folder")
    parser.add_argument("--release", help="the added release's year, e.g. 2026")
    parser.add_argument("--source", help="where the added files come from (URL)")
    args = parser.parse_args(argv)
    if not (args.shared / "data" / "dfe_cla").is_dir():
        print(f"no {args.shared / 'data' / 'dfe_cla'}: pass --shared PATH", file=sys.stderr)
        return 2
    extra = []
    if args.add:
        if not (args.release and args.source):
            print("--add needs --release and --source", file=sys.stderr)
            return 2
        extra = read_added_release(args.add, args.release, args.source)
    write_tables(args.shared, args.out, extra)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
