"""Official placement figures: shipped tables, symbols, the headline, the CLI and the page."""
from __future__ import annotations

import csv
import filecmp
import importlib.util
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard.official import placements as pl
from dashboard.cli import main

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DFE = SHARED / "data" / "dfe_cla"
REFERENCE = REPO / "dashboard" / "reference"
needs_shared = pytest.mark.skipif(
    not DFE.is_dir(),
    reason=f"{DFE} is absent: the official DfE copies live outside the project "
           f"(../shared/data); the shipped tables are tested without them elsewhere")


def _script():
    spec = importlib.util.spec_from_file_location(
        "build_reference_tables", REPO / "scripts" / "build_reference_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _raw_rows(name: str) -> list[dict]:
    """The shipped CSV read with the csv module only (independent of the loaders)."""
    with open(REFERENCE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --------------------------------------------------------------------------------------
# Shipped tables against the official files
# --------------------------------------------------------------------------------------

@needs_shared
def test_shipped_tables_are_what_the_script_writes_from_the_official_files(tmp_path):
    _script().write_tables(SHARED, tmp_path)
    for name in ("placements_england.csv", "placements_la.csv", "constituencies.csv"):
        assert filecmp.cmp(tmp_path / name, REFERENCE / name, shallow=False), \
            f"{name} is stale: run python scripts/build_reference_tables.py"


def _check_rows_against_source(rows: list[dict], geo: tuple[str, ...]):
    """Every shipped figure is the cell its `table` filter picks out of its file."""
    by_source: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        by_source.setdefault((r["source_file"], r["table"]), []).append(r)
    checked = 0
    for (file, spec), group in by_source.items():
        raw = pd.read_csv(DFE / file, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        filters, column = pl.parse_table_spec(spec)
        picked = raw
        for key, value in filters.items():
            picked = picked[picked[key].str.strip() == value]
        assert len(picked), (file, spec)
        for r in group:
            hit = picked
            if "time_period" in hit.columns:
                hit = hit[hit["time_period"] == r["year"]]
            for g in geo:
                if g in hit.columns:
                    hit = hit[hit[g] == r.get(g, "National" if g == "geographic_level" else "")]
            assert len(hit) == 1, (file, spec, r["year"], [r.get(g) for g in geo])
            published = hit.iloc[0][column].strip()
            if re.fullmatch(r"[\d.]+", published):
                assert r["symbol"] == ""
                assert float(r["value"]) == float(published), (file, spec, r["year"])
            else:
                assert r["value"] == "", (file, spec, r["year"], published)
                assert r["symbol"] == published
            checked += 1
    return checked


@needs_shared
def test_every_england_figure_is_the_published_cell():
    rows = _raw_rows("placements_england.csv")
    assert _check_rows_against_source(rows, ("geographic_level",)) == len(rows)


@needs_shared
def test_every_local_authority_figure_is_the_published_cell():
    rows = _raw_rows("placements_la.csv")
    geo = ("geographic_level", "region_code", "old_la_code", "new_la_code")
    assert _check_rows_against_source(rows, geo) == len(rows)


@needs_shared
def test_la_table_holds_every_authority_of_its_sources():
    la = pl.load_la()
    stability = pd.read_csv(DFE / "ees2025_la_cla_placement_stability.csv",
                            encoding="utf-8-sig", dtype=str, keep_default_na=False)
    published = stability[(stability["geographic_level"] == "Local authority")
                          & (stability["placement_stability"]
                             == "With 3 or more placements during the year")
                          & (stability["cla_group"] == "CLA on 31 March")]
    ours = la[(la["source_file"] == "ees2025_la_cla_placement_stability.csv")
              & (la["measure"] == "three_plus_placements")
              & (la["geographic_level"] == "Local authority")]
    assert len(ours) == len(published)
    assert set(zip(ours["year"].astype(str), ours["old_la_code"])) == \
        set(zip(published["time_period"], published["old_la_code"]))


@needs_shared
def test_agrees_with_the_derived_national_summary():
    """Cross-check against shared/data's DERIVED national summary, release by release."""
    names = {
        "cla_at_31_march": ("children_looked_after", None),
        "placement_changes_during_year": ("placement_changes", None),
        "cla_at_31_march_with_3plus_placements_in_year":
            ("three_plus_placements", "three_plus_placements_pct"),
        "cla_at_31_march_category_of_need_abuse_or_neglect":
            ("abuse_or_neglect", "abuse_or_neglect_pct"),
        "placement_changes_during_year_child_in_care_for_abuse_or_neglect":
            ("placement_changes_abuse_or_neglect", "placement_changes_abuse_or_neglect_pct"),
        "cla_at_31_march_rate_per_10000_children": ("children_looked_after_rate_per_10k", None),
    }
    derived = pd.read_csv(DFE / "national_summary_2017_2025_derived.csv", dtype=str,
                          keep_default_na=False)
    england = pl.load_england()
    compared = 0
    for _, d in derived[derived["measure"].isin(names)].iterrows():
        release = re.match(r"\d{4}", d["dfe_release"]).group(0)
        for measure, column in zip(names[d["measure"]], ("number", "percent")):
            if measure is None or d[column] == "":
                continue
            hit = england[(england["measure"] == measure) & (england["release"] == release)
                          & (england["year"] == int(d["time_period"]))]
            assert len(hit) == 1, (d["measure"], d["time_period"], release)
            assert float(hit["value"].iloc[0]) == float(d[column])
            assert hit["source_file"].iloc[0] == d["copied_file"]
            assert hit["source"].iloc[0] == (f"https://github.com/{d['source_repo']}/blob/"
                                             f"{d['source_commit']}/{d['source_path']}")
            compared += 1
    assert compared >= 60


@needs_shared
def test_headline_matches_the_claim_files_dfe_basis():
    claims = pd.read_csv(DFE / "itsourcare_2022_placement_moves_claim.csv", dtype=str,
                         keep_default_na=False).set_index("claim_id")
    basis = claims.loc["dfe_basis_2018_2021", "figure"]
    stated = {int(y): int(v.replace(",", "")) for y, v in
              re.findall(r"(\d{4}): ([\d,]+)", basis)}
    stated_sum = int(re.search(r"sum ([\d,]+)", basis).group(1).replace(",", ""))
    h = pl.headline_claim()
    assert h["placement_changes_by_year"] == stated
    assert h["total"] == stated_sum
    pct = int(claims.loc["pa_64pct_abuse_neglect_2021", "figure"].rstrip("%"))
    assert round(h["share_pct"]) == pct == h["share_pct_published"]


# --------------------------------------------------------------------------------------
# Shipped tables on their own
# --------------------------------------------------------------------------------------

def test_every_row_names_release_file_filter_and_source():
    for name in ("placements_england.csv", "placements_la.csv"):
        for r in _raw_rows(name):
            assert re.fullmatch(r"\d{4}", r["release"]), r
            assert r["source_file"].endswith(".csv")
            assert "column=" in r["table"]
            assert r["source"].startswith("https://")
            if r["source"].startswith("https://github.com/"):   # pinned to a commit
                assert re.match(r"https://github\.com/[^/]+/[^/]+/blob/[0-9a-f]{40}/",
                                r["source"])


def test_one_preferred_row_per_figure_and_it_is_the_latest_release():
    england = pl.load_england()
    for (year, measure), g in england.groupby(["year", "measure"]):
        assert g["preferred"].sum() == 1, (year, measure)
        latest = max(g["release"], key=pl.release_order)
        assert g.loc[g["preferred"], "release"].iloc[0] == latest
    la = pl.load_la()
    keys = ["year", "measure", "geographic_level", "region_code", "old_la_code"]
    assert (la.groupby(keys)["preferred"].sum() == 1).all()


def test_revisions_stay_visible():
    england = pl.load_england()
    several = england.groupby(["year", "measure"])["release"].nunique()
    assert (several > 1).any()
    # where releases disagree, both figures are kept
    values = england.groupby(["year", "measure"])["value"].nunique()
    assert (values > 1).any()


def test_dfe_symbols_never_become_zeros():
    for name in ("placements_england.csv", "placements_la.csv"):
        rows = _raw_rows(name)
        for r in rows:
            if r["symbol"] and r["symbol"] not in pl.QUALIFIERS:
                assert r["value"] == "", r
    la = pl.load_la()
    symbolled = la[la["symbol"] != ""]
    assert len(symbolled) > 0  # the LA table does hold suppressed (c) and n/a (z) cells
    assert symbolled["value"].isna().all()
    assert set(symbolled["symbol"]) <= set(pl.SYMBOLS)


def test_national_rows_agree_between_the_two_tables():
    """The LA table's England rows and the England table, same release, same figure."""
    la = pl.load_la()
    england = pl.load_england()
    nat = la[la["geographic_level"] == "National"]
    merged = nat.merge(england, on=["year", "measure", "release"], suffixes=("_la", "_en"))
    assert len(merged) > 0
    assert (merged["value_la"] == merged["value_en"]).all()


def test_la_table_is_compact():
    assert (REFERENCE / "placements_la.csv").stat().st_size < 4_000_000


# --------------------------------------------------------------------------------------
# read_ees_csv, extract_measures, preferred
# --------------------------------------------------------------------------------------

EES_SAMPLE = (
    "\ufefftime_period,time_identifier,geographic_level,country_code,country_name,"
    "region_code,region_name,old_la_code,la_name,new_la_code,cla_group,"
    "placement_stability,children_count,children_percent\r\n"
    "2026,Reporting year,National,E92000001,England,,,,,,CLA on 31 March,"
    "With 3 or more placements during the year,\"1,234\",10\r\n"
    "2026,Reporting year,National,E92000001,England,,,,,,CLA on 31 March,"
    "Total children,12340,100\r\n"
    "2026,Reporting year,Local authority,E92000001,England,E12000001,North East,"
    "841,Darlington,E06000005,CLA on 31 March,With 3 or more placements during the year,"
    "c,c\r\n"
    "2026,Reporting year,Local authority,E92000001,England,E12000001,North East,"
    "841,Darlington,E06000005,CLA on 31 March,Total children,z,z\r\n"
    "2026,Reporting year,Local authority,E92000001,England,E12000007,London,"
    "201,City of London,E09000001,CLA on 31 March,With 3 or more placements during the year,"
    "0,k\r\n"
    "2026,Reporting year,Local authority,E92000001,England,E12000007,London,"
    "202,Camden,E09000007,CLA on 31 March,With 3 or more placements during the year,"
    "[low],:\r\n"
    "2026,Reporting year,Local authority,E92000001,England,E12000007,London,"
    "203,Greenwich,E09000011,CLA on 31 March,With 3 or more placements during the year,"
    "x,u\r\n"
)


def test_read_ees_csv_turns_symbols_into_missing_with_reason(tmp_path):
    path = tmp_path / "la_cla_placement_stability.csv"
    path.write_bytes(EES_SAMPLE.encode("utf-8"))
    frame = pl.read_ees_csv(path)
    assert frame.attrs["indicators"] == ["children_count", "children_percent"]
    assert frame["time_period"].tolist() == [2026] * 7
    assert frame["old_la_code"].tolist()[2:] == ["841", "841", "201", "202", "203"]
    assert frame["children_count"].iloc[0] == 1234          # "1,234"
    assert frame["children_count"].iloc[4] == 0             # a real published zero
    assert frame["children_count_symbol"].tolist() == ["", "", "c", "z", "", "low", "x"]
    assert frame["children_percent_symbol"].tolist() == ["", "", "c", "z", "k", ":", "u"]
    suppressed = frame[frame["children_count_symbol"] != ""]
    assert suppressed["children_count"].isna().all()        # never 0
    assert pl.symbol_note("c").startswith("suppressed")


def test_read_ees_csv_uses_the_meta_file_when_present(tmp_path):
    (tmp_path / "tiny.csv").write_text(
        "time_period,geographic_level,age,number\n2026,National,16,c\n2026,National,17,5\n",
        encoding="utf-8")
    (tmp_path / "tiny.meta.csv").write_text(
        "col_name,col_type,label\nage,Filter,Age\nnumber,Indicator,Number\n",
        encoding="utf-8")
    frame = pl.read_ees_csv(tmp_path / "tiny.csv")
    assert frame.attrs["indicators"] == ["number"]
    assert frame["age"].tolist() == ["16", "17"]            # a filter stays text
    assert frame["number"].isna().tolist() == [True, False]
    assert frame["number_symbol"].tolist() == ["c", ""]


def test_read_ees_csv_rejects_a_file_that_is_not_ees(tmp_path):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not an explore-education-statistics file"):
        pl.read_ees_csv(tmp_path / "x.csv")


@pytest.mark.parametrize("raw, expected", [
    ("1,200", (1200.0, "")), ("c", (None, "c")), ("[c]", (None, "c")), ("low", (None, "low")),
    ("", (None, "")), ("0", (0.0, "")), ("12.5", (12.5, "")), ("120 [r]", (120.0, "r")),
    ("n/a?", (None, "n/a?")),
])
def test_parse_value(raw, expected):
    assert pl.parse_value(raw) == expected


def test_extract_measures_picks_the_campaign_figures_by_label(tmp_path):
    path = tmp_path / "la_cla_placement_stability.csv"
    path.write_bytes(EES_SAMPLE.encode("utf-8"))
    long = pl.extract_measures(pl.read_ees_csv(path), release="2026",
                               source_file=path.name, source="hand-made")
    nat = long[long["geographic_level"] == "National"].set_index("measure")
    assert nat.loc["three_plus_placements", "value"] == 1234
    assert nat.loc["three_plus_placements_pct", "value"] == 10
    assert nat.loc["three_plus_placements_base", "value"] == 12340
    darlington = long[long["la_name"] == "Darlington"].set_index("measure")
    assert darlington.loc["three_plus_placements", "symbol"] == "c"
    assert pd.isna(darlington.loc["three_plus_placements", "value"])
    assert darlington.loc["three_plus_placements_base", "symbol_note"] == "not applicable"
    assert (long["release"] == "2026").all()
    filters, column = pl.parse_table_spec(nat.loc["three_plus_placements", "table"])
    assert filters == {"cla_group": "CLA on 31 March",
                       "placement_stability": "With 3 or more placements during the year"}
    assert column == "children_count"


def test_extract_measures_refuses_an_ambiguous_layout(tmp_path):
    doubled = EES_SAMPLE + EES_SAMPLE.splitlines()[1] + "\r\n"
    path = tmp_path / "twice.csv"
    path.write_bytes(doubled.encode("utf-8"))
    with pytest.raises(ValueError, match="several rows"):
        pl.extract_measures(pl.read_ees_csv(path), release="2026", source_file=path.name,
                            source="hand-made")


def test_a_newer_release_becomes_preferred_and_the_old_figure_stays():
    long = pd.DataFrame({"year": [2025, 2025, 2024], "measure": ["m", "m", "m"],
                         "release": ["2025", "2026", "2025"], "value": [1.0, 2.0, 3.0]})
    marked = pl.mark_preferred(long)
    assert marked["preferred"].tolist() == [False, True, True]


@needs_shared
def test_dropping_in_next_years_release(tmp_path):
    """--add: a hand-made 2026 file revises 2025 and adds 2026; old figures kept."""
    script = _script()
    new = tmp_path / "release"
    new.mkdir()
    sample = EES_SAMPLE.replace("2026,Reporting year", "2025,Reporting year", 2)
    (new / "la_cla_placement_stability.csv").write_bytes(sample.encode("utf-8"))
    extra = script.read_added_release(new, "2026", "https://example.org/2026")
    out = tmp_path / "out"
    script.write_tables(SHARED, out, extra)
    england = pl.load_england(out)
    rows = england[(england["measure"] == "three_plus_placements") & (england["year"] == 2025)]
    assert set(rows["release"]) == {"2025", "2026"}
    assert rows.loc[rows["preferred"], "release"].tolist() == ["2026"]
    assert rows.loc[rows["preferred"], "value"].tolist() == [1234]
    by_year = pl.england_by_year(out).set_index("year")
    assert by_year.loc[2025, "three_plus_placements"] == 1234
    assert by_year.loc[2025, "three_plus_placements_release"] == "2026"


# --------------------------------------------------------------------------------------
# England by year and the headline
# --------------------------------------------------------------------------------------

def test_england_by_year_is_the_preferred_figure_per_year():
    table = pl.england_by_year()
    assert table["year"].is_unique
    assert table["year"].tolist() == list(range(table["year"].min(), table["year"].max() + 1))
    assert table["year"].min() == 2017
    preferred = {(int(r["year"]), r["measure"]): r for r in _raw_rows("placements_england.csv")
                 if r["preferred"] == "True"}
    for _, row in table.iterrows():
        for m in pl.ENGLAND_MEASURES:
            r = preferred.get((int(row["year"]), m))
            if r is None or r["value"] == "":
                assert pd.isna(row[m])
            else:
                assert float(row[m]) == float(r["value"])
                assert row[f"{m}_release"] == r["release"]
                assert r["release"] in row["release"]


def test_headline_sums_the_2022_release_all_placements_rows():
    rows = [r for r in _raw_rows("placements_england.csv")
            if r["measure"] == "placement_changes" and r["release"] == "2022"
            and 2018 <= int(r["year"]) <= 2021]
    assert len(rows) == 4
    assert all("reason_for_change=All Placements" in r["table"] for r in rows)
    expected = sum(int(r["value"]) for r in rows)
    h = pl.headline_claim()
    assert h["total"] == expected
    assert h["years"] == [2018, 2019, 2020, 2021]
    assert h["release"] == "2022"
    # "more than 220,000" and "nearly a quarter of a million"
    assert 220_000 < h["total"] < 250_000
    assert h["per_week"] == pytest.approx(expected / (1461 / 7))


def test_headline_share_is_abuse_or_neglect_over_all_changes_2021():
    rows = {r["measure"]: r for r in _raw_rows("placements_england.csv")
            if r["release"] == "2022" and r["year"] == "2021"}
    changes = int(rows["placement_changes"]["value"])
    abuse = int(rows["placement_changes_abuse_or_neglect"]["value"])
    h = pl.headline_claim()
    assert (h["share_changes"], h["share_all_changes"]) == (abuse, changes)
    assert h["share_pct"] == pytest.approx(100 * abuse / changes)
    assert round(h["share_pct"]) == h["share_pct_published"] == \
        float(rows["placement_changes_abuse_or_neglect_pct"]["value"])
    sentence = pl.headline_sentence(h)
    assert f"{h['total']:,}" in sentence and "All Placements" in sentence


def test_headline_says_what_the_data_supports():
    """Nearly two in three over the four years, about a sixth status changes with the same
    carer, each computed from the shipped table's 2022-release rows; and the June 2022
    figure worked from the charities' own 1,059 a week (the 2021 release is not held)."""
    rows = [r for r in _raw_rows("placements_england.csv")
            if r["release"] == "2022" and 2018 <= int(r["year"]) <= 2021]
    total = sum(int(r["value"]) for r in rows if r["measure"] == "placement_changes")
    abuse = sum(int(r["value"]) for r in rows if r["measure"] == "placement_changes_abuse_or_neglect")
    status = sum(int(r["value"]) for r in rows if r["measure"] == "placement_changes_status_only")
    assert all("Change in the status of a placement only" in r["table"] for r in rows
               if r["measure"] == "placement_changes_status_only")
    h = pl.headline_claim()
    assert (h["abuse_or_neglect_total"], h["status_only_total"]) == (abuse, status)
    assert h["abuse_or_neglect_total_pct"] == pytest.approx(100 * abuse / total)
    assert 60 < h["abuse_or_neglect_total_pct"] < 200 / 3          # nearly two in three
    assert 100 / 7 < h["status_only_total_pct"] < 100 / 5           # about a sixth
    assert "2021" not in set(pl.load_england()["release"])          # not held: worked from the claim
    assert h["claimed_total"] == pytest.approx(1059 * h["weeks"])
    assert 215_000 < h["claimed_total"] < h["total"]
    facts = " ".join(pl.headline_facts(h))
    for text in (f"{h['total']:,}", "2022 release's revision", "2021 release",
                 f"{h['abuse_or_neglect_total_pct']:.1f}%", "nearly two in three",
                 "About a sixth", "same carer"):
        assert text in facts, text


@pytest.mark.parametrize("measure", pl.LA_MEASURES)
def test_local_authorities_are_drawn_against_like_with_like(measure):
    """A count is drawn against the median authority (England's total would squash every
    council); a share or rate against England's published figure."""
    year = max(pl.la_years(measure))
    authorities, published = pl.la_compare(measure, year, "North East")
    bench = pl.la_benchmarks(measure, year, "North East")
    if pl.is_count(measure):
        assert bench["place"].tolist() == ["Median authority, England", "Median authority, North East"]
        assert bench["value"].iloc[1] == pytest.approx(authorities["value"].dropna().median())
        largest = authorities["value"].max()
        assert (bench["value"] <= largest).all()                    # on the councils' scale
    else:
        pd.testing.assert_frame_equal(bench, published)


def test_headline_fails_loudly_without_its_rows(tmp_path):
    england = pl.load_england()
    england = england[england["release"] != "2022"]
    england.to_csv(tmp_path / "placements_england.csv", index=False)
    with pytest.raises(LookupError, match="2022 release"):
        pl.headline_claim(tmp_path)


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------

def test_placements_json(capsys):
    assert main(["placements", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"england", "sources"}
    keys = {"year", "release", "children_looked_after", "placement_changes",
            "three_plus_placements", "three_plus_placements_pct",
            "looked_after_31_march_abuse_or_neglect_pct"}
    table = pl.england_by_year()
    assert [e["year"] for e in data["england"]] == table["year"].tolist()
    for entry, (_, row) in zip(data["england"], table.iterrows()):
        assert keys <= set(entry)
        assert isinstance(entry["year"], int)
        assert "abuse_or_neglect_pct" not in entry     # a share of what? its name says
        for m in pl.ENGLAND_MEASURES:
            key = pl.JSON_NAMES.get(m, m)
            if pd.isna(row[m]):
                assert entry[key] is None
            else:
                assert entry[key] == row[m]
                assert isinstance(entry[key], int)
    # not in the 2025 files held
    assert data["england"][-1]["looked_after_31_march_abuse_or_neglect_pct"] is None
    assert data["headline"]["total"] == pl.headline_claim()["total"]
    for s in data["sources"]:
        assert s["source"].startswith("https://github.com/") and s["release"]


def test_placements_human_table(capsys):
    assert main(["placements"]) == 0
    out = capsys.readouterr().out
    assert "Year" in out and "Placement changes" in out
    assert f"{pl.headline_claim()['total']:,}" in out
    assert "ees2022_national_reason_for_placement_change_during_year.csv" in out


def test_placements_module_stays_light():
    import subprocess
    import sys
    code = ("import sys, dashboard.official.placements, dashboard.official.parliament; "
            "print(any(m in sys.modules for m in ('streamlit', 'plotly')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "False"


# --------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------

def test_page_renders_with_the_headline():
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(REPO / "pages" / "placements.py"), default_timeout=60).run()
    assert not at.exception
    total = f"{pl.headline_claim()['total']:,}"
    assert any(m.value == total for m in at.metric)
    assert any(total in md.value for md in at.markdown)
    sources = [c.value for c in at.caption if "Source: Department for Education" in c.value]
    # the headline, every England chart and the local-authority chart name their release
    assert len(sources) == 1 + len(pl.ENGLAND_MEASURES) + 1
    assert all(re.search(r"20\d\d release", c) for c in sources)
    # every chart has its table
    assert len(at.dataframe) >= len(pl.ENGLAND_MEASURES) + 1


def test_page_region_filter_and_revisions():
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(REPO / "pages" / "placements.py"), default_timeout=60).run()
    region = next(s for s in at.selectbox if s.label == "Region")
    region.select("North East").run()
    assert not at.exception
    table = at.dataframe[-1].value
    expected = pl.la_compare(pl.LA_MEASURES[0], max(pl.la_years(pl.LA_MEASURES[0])),
                             "North East")[0]
    assert sorted(table["Local authority"]) == sorted(expected["la_name"])
    assert set(table["Region"]) == {"North East"}
    at.checkbox[0].check().run()
    assert not at.exception
