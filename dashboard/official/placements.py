"""Official placement figures (DfE "Children looked after in England") for the campaign.

The project ships its own compact tables in ``dashboard/reference/``, written by
``scripts/build_reference_tables.py`` from copies of the official files; every row names
the DfE release, the file, the filter that picks the figure out of it (``table``) and the
public source (``source``: a GitHub URL with the commit). See docs/placements-and-mps.md.

- ``read_ees_csv(path)`` reads any explore-education-statistics (EES) CSV, turning DfE
  symbols (``c``, ``z``, ``x``, ``k``, ``low``, ``u``, ``:`` ...) into missing values and
  keeping the symbol in a ``<column>_symbol`` column: a symbol never becomes a zero.
- ``extract_measures(frame, ...)`` picks the campaign's measures out of such a frame by
  label, so next year's release can be dropped in (the build script's ``--add``).
- ``england_by_year()``, ``headline_claim()`` and ``cmd_placements(args)``
  (``python -m dashboard placements [--json]``) read only the shipped tables.

No streamlit or plotly here: the command line must stay light.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
from pathlib import Path

import pandas as pd

from dashboard.official.reference_tables import REFERENCE_DIR, read_reference_csv

ENGLAND_FILE = "placements_england.csv"
LA_FILE = "placements_la.csv"

# --------------------------------------------------------------------------------------
# DfE symbols
# --------------------------------------------------------------------------------------

# From the DfE data guidance shipped with the releases (and the GSS symbol conventions
# later releases use, sometimes in square brackets: "[c]", "[low]").
SYMBOLS: dict[str, str] = {
    "c": "suppressed to protect confidentiality",
    "z": "not applicable",
    "x": "not available",
    "k": "rounds to zero, but is not zero",
    "low": "rounds to zero, but is not zero",
    "u": "low reliability",
    ":": "not available",
    "..": "not available",
    "w": "no cases (nil)",
}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# "123 [r]" / "123r": a number followed by a GSS qualifier (revised, provisional, ...).
_QUALIFIED = re.compile(r"^(?P<num>[+-]?[\d.]+)\s*\[?(?P<q>[a-z]{1,2})\]?$", re.I)
QUALIFIERS = {"r": "revised", "p": "provisional", "e": "estimate", "b": "break in series",
              "er": "estimated, revised", "f": "forecast"}


def parse_value(raw: object) -> tuple[float | None, str]:
    """One published cell -> (number or None, symbol or '').

    '1,200' -> (1200.0, ''); 'c' -> (None, 'c'); '[low]' -> (None, 'low');
    '' -> (None, ''); '120 [r]' -> (120.0, 'r'); anything else -> (None, the text).
    Never turns a symbol into 0.
    """
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None, ""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw), ""
    text = str(raw).strip()
    if text == "":
        return None, ""
    compact = text.replace(",", "").replace("%", "").replace(" ", "")
    if _NUMBER.match(compact):
        return float(compact), ""
    bare = text.strip("[]").strip().lower()
    if bare in SYMBOLS:
        return None, bare
    m = _QUALIFIED.match(text.replace(",", ""))
    if m and m.group("q").lower() in QUALIFIERS and _NUMBER.match(m.group("num")):
        return float(m.group("num")), m.group("q").lower()
    return None, text


def symbol_note(symbol: str) -> str:
    """What a symbol means, for a person ('' for no symbol)."""
    if not symbol:
        return ""
    if symbol in SYMBOLS:
        return SYMBOLS[symbol]
    if symbol in QUALIFIERS:
        return QUALIFIERS[symbol]
    return f"unrecognised value {symbol!r} in the published file"


# --------------------------------------------------------------------------------------
# Reading an explore-education-statistics CSV
# --------------------------------------------------------------------------------------

EES_GEOGRAPHY = ("time_period", "time_identifier", "geographic_level", "country_code",
                 "country_name", "region_code", "region_name", "old_la_code", "la_name",
                 "new_la_code")
_NOT_INDICATOR = re.compile(r"(_code|_name|_id|^time_period|^time_identifier|"
                            r"^geographic_level)$")


def _indicator_columns(frame: pd.DataFrame, meta_path: Path | None) -> list[str]:
    if meta_path is not None and meta_path.exists():
        meta = pd.read_csv(meta_path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        if {"col_name", "col_type"} <= set(meta.columns):
            names = meta.loc[meta["col_type"].str.strip().str.lower() == "indicator", "col_name"]
            return [c for c in names.str.strip() if c in frame.columns]
    indicators = []
    for col in frame.columns:
        if col in EES_GEOGRAPHY or _NOT_INDICATOR.search(col):
            continue
        values = [v for v in frame[col].unique() if v.strip() != ""]
        if not values:
            continue
        parsed = [parse_value(v) for v in values]
        numbers = sum(1 for n, _ in parsed if n is not None)
        known = all(n is not None or s in SYMBOLS for n, s in parsed)
        if numbers and known:
            indicators.append(col)
    return indicators


def read_ees_csv(path, indicators: list[str] | None = None) -> pd.DataFrame:
    """Read an official EES CSV (a path or an open file; UTF-8 with or without BOM,
    CRLF or LF).

    Filter and geography columns stay text ('' when blank; ``old_la_code`` keeps its
    digits as text). Indicator columns - named by ``indicators``, else by the release's
    ``<name>.meta.csv`` beside the file when present, else every non-geography column
    whose values are all numbers or DfE symbols - become floats, with a ``<col>_symbol``
    column holding the symbol ('' when the cell is a number). ``time_period`` becomes an
    integer when every value is one.
    """
    if hasattr(path, "read"):  # an open file, e.g. a Streamlit upload
        name = Path(getattr(path, "name", "uploaded.csv")).name
        meta = None
    else:
        path = Path(path)
        name = path.name
        meta = path.with_name(path.stem + ".meta.csv")
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = {"time_period", "geographic_level"} - set(frame.columns)
    if missing:
        raise ValueError(f"{name}: not an explore-education-statistics file "
                         f"(no {', '.join(sorted(missing))} column)")
    columns = indicators if indicators is not None else _indicator_columns(frame, meta)
    for col in columns:
        parsed = [parse_value(v) for v in frame[col]]
        frame[col] = pd.array([n if n is not None else None for n, _ in parsed], dtype="Float64")
        frame[col + "_symbol"] = [s for _, s in parsed]
    periods = frame["time_period"].str.strip()
    if periods.str.fullmatch(r"\d+").all():
        frame["time_period"] = periods.astype(int)
    frame.attrs["indicators"] = list(columns)
    frame.attrs["source_file"] = name
    return frame


# --------------------------------------------------------------------------------------
# Picking the campaign's measures out of a release
# --------------------------------------------------------------------------------------

MEASURES: dict[str, str] = {
    "children_looked_after": "Children looked after at 31 March",
    "children_looked_after_rate_per_10k":
        "Children looked after at 31 March per 10,000 children under 18",
    "placement_changes": "Placement changes during the year (all placements changing)",
    "placement_changes_abuse_or_neglect":
        "Placement changes during the year of children whose category of need is "
        "abuse or neglect (N1)",
    "placement_changes_abuse_or_neglect_pct":
        "% of placement changes during the year that were of children whose category "
        "of need is abuse or neglect (N1), as published",
    "three_plus_placements":
        "Children looked after at 31 March with 3 or more placements during the year",
    "three_plus_placements_pct":
        "% of children looked after at 31 March with 3 or more placements during the "
        "year, as published",
    "three_plus_placements_base":
        "Children looked after at 31 March counted for the 3+ placements measure "
        "(its denominator)",
    "placement_changes_status_only":
        "Placement changes during the year whose reason is a change in the status of the "
        "placement only (the child stays with the same carer)",
    "placement_changes_status_only_pct":
        "% of placement changes during the year that were a change in the status of the "
        "placement only, as published",
    "abuse_or_neglect":
        "Children looked after at 31 March whose category of need is abuse or neglect (N1)",
    "abuse_or_neglect_pct":
        "% of children looked after at 31 March whose category of need is abuse or "
        "neglect (N1), as published",
}

# Which column holds a figure of each role, across DfE's changing column names.
VALUE_COLUMNS = {
    "count": ("number", "children_count", "value"),
    "pct": ("percentage", "percent", "children_percent"),
    "rate": ("rate_per_10000", "rate_per_10k"),
}


def _label(text: object) -> str:
    """Labels are compared loosely: case, spacing and curly quotes do not matter."""
    s = str(text if text is not None else "").replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", s).strip().lower()


# Each rule: measure, filters (column -> published label), value role or column, and the
# columns a file must (requires) or must not (forbids) have for the rule to apply.
RULES: tuple[dict, ...] = (
    # 2025 release: cla_number_and_rate_per_10k_children
    dict(measure="children_looked_after", role="count",
         filters={"population_type": "Children looked after on 31 March each year"}),
    dict(measure="children_looked_after_rate_per_10k", role="rate",
         filters={"population_type": "Children looked after on 31 March each year"}),
    # 2024 release: cla_time_series_1994_2024
    dict(measure="children_looked_after", role="count",
         filters={"population_count": "Children looked after at 31 March"}),
    # 2022 release: cla_2022_headline_figure (one wide row per year)
    dict(measure="children_looked_after", column="cla_31_march", filters={}),
    dict(measure="children_looked_after_rate_per_10k", column="cla_march_rate", filters={}),
    # 2025 release: la_cla_placement_stability
    # (the national pl_count file has the same labels broken down by population_group)
    dict(measure="three_plus_placements", role="count", forbids=("population_group",),
         filters={"cla_group": "CLA on 31 March",
                  "placement_stability": "With 3 or more placements during the year"}),
    dict(measure="three_plus_placements_pct", role="pct", forbids=("population_group",),
         filters={"cla_group": "CLA on 31 March",
                  "placement_stability": "With 3 or more placements during the year"}),
    dict(measure="three_plus_placements_base", role="count", forbids=("population_group",),
         filters={"cla_group": "CLA on 31 March", "placement_stability": "Total children"}),
    # 2022 release: la_cla_at_31_march_placement_stability_indicator
    dict(measure="three_plus_placements", role="count",
         filters={"cla_group": "Children looked after at 31 March",
                  "characteristic": "With 3 or more placements during the year"}),
    dict(measure="three_plus_placements_pct", role="pct",
         filters={"cla_group": "Children looked after at 31 March",
                  "characteristic": "With 3 or more placements during the year"}),
    dict(measure="three_plus_placements_base", role="count",
         filters={"cla_group": "Children looked after at 31 March",
                  "characteristic": "Total children"}),
    # 2022 release: national_cla_on_31_march_by_characteristics ("Placement stability")
    dict(measure="three_plus_placements", role="count", forbids=("reason_for_change",),
         filters={"cla_group": "Placement stability",
                  "characteristic": "With 3 or more placements during the year"}),
    dict(measure="three_plus_placements_pct", role="pct", forbids=("reason_for_change",),
         filters={"cla_group": "Placement stability",
                  "characteristic": "With 3 or more placements during the year"}),
    dict(measure="three_plus_placements_base", role="count", forbids=("reason_for_change",),
         filters={"cla_group": "Placement stability", "characteristic": "Total children"}),
    # national_cla_on_31_march_by_characteristics (2022, 2024 releases): category of need
    dict(measure="abuse_or_neglect", role="count", forbids=("reason_for_change",),
         filters={"cla_group": "Category of need", "characteristic": "N1. Abuse or neglect"}),
    dict(measure="abuse_or_neglect_pct", role="pct", forbids=("reason_for_change",),
         filters={"cla_group": "Category of need", "characteristic": "N1. Abuse or neglect"}),
    # national_reason_for_placement_change_during_year (2022, 2024 releases)
    dict(measure="placement_changes", role="count",
         filters={"cla_group": "Age", "characteristic": "Total",
                  "reason_for_change": "All Placements"}),
    dict(measure="placement_changes_abuse_or_neglect", role="count",
         filters={"cla_group": "Category of need", "characteristic": "N1. Abuse or neglect",
                  "reason_for_change": "All Placements"}),
    dict(measure="placement_changes_abuse_or_neglect_pct", role="pct",
         filters={"cla_group": "Category of need", "characteristic": "N1. Abuse or neglect",
                  "reason_for_change": "All Placements"}),
    dict(measure="placement_changes_status_only", role="count",
         filters={"cla_group": "Age", "characteristic": "Total",
                  "reason_for_change": "Change in the status of a placement only"}),
    dict(measure="placement_changes_status_only_pct", role="pct",
         filters={"cla_group": "Age", "characteristic": "Total",
                  "reason_for_change": "Change in the status of a placement only"}),
    # 2025 release: la_cla_during_year_new_placements
    dict(measure="placement_changes", role="count",
         filters={"characteristic": "Reason for placement change during the year",
                  "breakdown": "Total placements changing"}),
)

GEO_COLUMNS = ("geographic_level", "region_code", "region_name", "old_la_code",
               "new_la_code", "la_name")
LONG_COLUMNS = ("year", "measure", "value", "symbol", "symbol_note", "release", "preferred",
                "source_file", "table", "source", "note")


def _rule_column(rule: dict, frame: pd.DataFrame) -> str | None:
    if "column" in rule:
        return rule["column"] if rule["column"] in frame.columns else None
    for name in VALUE_COLUMNS[rule["role"]]:
        if name in frame.columns:
            return name
    return None


def table_spec(filters: dict[str, str], column: str) -> str:
    """The ``table`` cell: the filter that picks a figure out of its file, e.g.
    'cla_group=Age; characteristic=Total; reason_for_change=All Placements; column=number'."""
    parts = [f"{k}={v}" for k, v in filters.items()] + [f"column={column}"]
    return "; ".join(parts)


def parse_table_spec(spec: str) -> tuple[dict[str, str], str]:
    """Inverse of table_spec: (filters, value column)."""
    filters = {}
    for part in spec.split("; "):
        key, _, value = part.partition("=")
        filters[key] = value
    column = filters.pop("column")
    return filters, column


def extract_measures(frame: pd.DataFrame, *, release: str, source_file: str, source: str,
                     levels: tuple[str, ...] | None = None, years: range | None = None,
                     note: str = "") -> pd.DataFrame:
    """Every campaign measure the EES frame (from read_ees_csv) publishes, in long form.

    One row per (year, geography, measure) with ``value`` (float or missing), ``symbol``,
    ``symbol_note``, the ``table`` filter, ``release``, ``source_file`` and ``source``.
    ``levels`` keeps only those geographic levels ('National', 'Regional',
    'Local authority'). A rule that matches more than one row for the same year and place
    is an error: the file's layout is not the one the rule was written for.
    """
    cols = set(frame.columns)
    if levels is not None:
        frame = frame[frame["geographic_level"].isin(levels)]
    if years is not None:
        frame = frame[frame["time_period"].isin(list(years))]
    labels = {c: frame[c].map(_label) for c in cols if frame[c].dtype == object
              or pd.api.types.is_string_dtype(frame[c])}
    out = []
    for rule in RULES:
        if not set(rule["filters"]) <= cols or set(rule.get("forbids", ())) & cols:
            continue
        column = _rule_column(rule, frame)
        if column is None:
            continue
        picked, published = _rule_rows(frame, labels, rule)
        if picked.empty:
            continue
        out.append(_rule_part(picked, rule["measure"], column, source_file)
                   .assign(table=table_spec(published, column)))
    if not out:
        return pd.DataFrame(columns=[*LONG_COLUMNS])
    long = pd.concat(out, ignore_index=True)
    long["symbol_note"] = long["symbol"].map(symbol_note)
    long["release"] = str(release)
    long["source_file"] = source_file
    long["source"] = source
    long["note"] = note
    return long


def _rule_rows(frame: pd.DataFrame, labels: dict[str, pd.Series],
               rule: dict) -> tuple[pd.DataFrame, dict[str, str]]:
    """The rows a rule's filters pick (labels compared as _label reads them), and each
    filter's value as the file spells it (the wanted one when no row has it)."""
    mask = pd.Series(True, index=frame.index)
    published = {}
    for key, wanted in rule["filters"].items():
        mask &= labels[key] == _label(wanted)
        hits = frame.loc[mask, key]
        published[key] = hits.iloc[0] if len(hits) else wanted
    return frame[mask], published


def _rule_part(picked: pd.DataFrame, measure: str, column: str, source_file: str) -> pd.DataFrame:
    """A rule's rows in long form: year, the geography columns, measure, value, symbol.
    More than one row for the same year and place is an error: the file's layout is not
    the one the rule was written for."""
    geo = [c for c in GEO_COLUMNS if c in picked.columns]
    if picked.duplicated(["time_period", *geo], keep=False).any():
        raise ValueError(f"{source_file}: {measure} matches several rows per "
                         f"year and place; the file's layout has changed")
    if column + "_symbol" in picked.columns:
        values = picked[column]
        symbols = picked[column + "_symbol"]
    else:  # a column read_ees_csv did not treat as an indicator
        parsed = [parse_value(v) for v in picked[column]]
        values = pd.array([n for n, _ in parsed], dtype="Float64")
        symbols = [s for _, s in parsed]
    return pd.DataFrame({
        "year": picked["time_period"].to_numpy(),
        **{g: picked[g].to_numpy() for g in geo},
        "measure": measure,
        "value": pd.array(values, dtype="Float64"),
        "symbol": list(symbols),
    })


def release_order(release: object) -> int:
    """'2025' -> 2025; a release is ordered by its first four-digit year."""
    m = re.search(r"\d{4}", str(release))
    return int(m.group(0)) if m else -1


def mark_preferred(long: pd.DataFrame, place: tuple[str, ...] = ()) -> pd.DataFrame:
    """preferred = the row comes from the latest release that publishes this figure
    (same year, measure and place), whether as a number or as a symbol."""
    long = long.copy()
    order = long["release"].map(release_order)
    keys = ["year", "measure", *place]
    latest = order.groupby([long[k].fillna("") for k in keys]).transform("max")
    long["preferred"] = order == latest
    return long


# --------------------------------------------------------------------------------------
# The shipped tables
# --------------------------------------------------------------------------------------

_TEXT_COLUMNS = {"symbol": str, "symbol_note": str, "release": str, "source_file": str,
                 "table": str, "source": str, "note": str, "geographic_level": str,
                 "region": str, "region_code": str, "region_name": str, "old_la_code": str,
                 "new_la_code": str, "la_name": str, "measure": str}


@functools.lru_cache(maxsize=8)
def _read_table(path: str) -> pd.DataFrame:
    frame = read_reference_csv(path, _TEXT_COLUMNS)
    frame["value"] = pd.to_numeric(frame["value"].replace("", None)).astype("Float64")
    frame["year"] = frame["year"].astype(int)
    frame["preferred"] = frame["preferred"].astype(str).str.lower() == "true"
    return frame


def load_england(directory: str | Path | None = None) -> pd.DataFrame:
    """placements_england.csv: long, every release's figure, ``preferred`` marked."""
    return _read_table(str(Path(directory or REFERENCE_DIR) / ENGLAND_FILE)).copy()


def load_la(directory: str | Path | None = None) -> pd.DataFrame:
    """placements_la.csv: local authorities (and regional/national benchmarks), long."""
    return _read_table(str(Path(directory or REFERENCE_DIR) / LA_FILE)).copy()


# The measures of the England-by-year view, in order.
ENGLAND_MEASURES = ("children_looked_after", "placement_changes", "three_plus_placements",
                    "three_plus_placements_pct", "abuse_or_neglect_pct")


def england_by_year(directory: str | Path | None = None) -> pd.DataFrame:
    """One row per year: each measure's preferred (latest-release) figure.

    Columns: year, release (the releases used, latest first, e.g. '2025, 2024'), then for
    each measure its value (Int64 for counts, Float64 for %), ``<measure>_release`` and
    ``<measure>_symbol``, and ``<measure>_note``.
    """
    long = load_england(directory)
    pref = long[long["preferred"] & long["measure"].isin(ENGLAND_MEASURES)]
    years = sorted(long["year"].unique())
    rows = []
    for year in years:
        row: dict = {"year": int(year)}
        releases = set()
        for measure in ENGLAND_MEASURES:
            hit = pref[(pref["year"] == year) & (pref["measure"] == measure)]
            if hit.empty:
                row[measure] = None
                row[f"{measure}_release"] = ""
                row[f"{measure}_symbol"] = ""
                row[f"{measure}_note"] = "not published in the releases held"
                continue
            h = hit.iloc[0]
            row[measure] = None if pd.isna(h["value"]) else float(h["value"])
            row[f"{measure}_release"] = h["release"]
            row[f"{measure}_symbol"] = h["symbol"]
            row[f"{measure}_note"] = h["symbol_note"] or h["note"]
            if row[measure] is not None or h["symbol"]:
                releases.add(h["release"])
        row["release"] = ", ".join(sorted(releases, key=release_order, reverse=True))
        rows.append(row)
    frame = pd.DataFrame(rows)
    for measure in ENGLAND_MEASURES:
        dtype = "Float64" if measure.endswith("_pct") else "Int64"
        frame[measure] = pd.array(frame[measure], dtype="Float64").round().astype(dtype) \
            if dtype == "Int64" else pd.array(frame[measure], dtype="Float64")
    front = ["year", "release", *ENGLAND_MEASURES]
    return frame[front + [c for c in frame.columns if c not in front]]


def series(measure: str, *, all_releases: bool = False,
           directory: str | Path | None = None) -> pd.DataFrame:
    """One England measure over time: the preferred figure per year, or every release's.

    Columns: year, value, symbol, symbol_note, release, preferred, source_file, table,
    source, note.
    """
    long = load_england(directory)
    rows = long[long["measure"] == measure]
    if not all_releases:
        rows = rows[rows["preferred"]]
    return rows.sort_values(["year", "release"], key=lambda s: s.map(release_order)
                            if s.name == "release" else s).reset_index(drop=True)


def sources_line(rows: pd.DataFrame) -> str:
    """'Source: DfE, Children looked after in England, 2025 release (file.csv, years
    2021-2025); ...' for a caption under a chart or table."""
    parts = []
    used = rows[rows["value"].notna() | (rows["symbol"] != "")]
    for (release, file), g in used.groupby(["release", "source_file"], sort=False):
        years = sorted(g["year"].unique())
        span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        parts.append(f"{release} release ({file}, {span})")
    order = sorted(parts, key=release_order, reverse=True)
    return ("Source: Department for Education, Children looked after in England "
            "including adoptions — " + "; ".join(order) + ". Open Government Licence.")


LA_MEASURES = ("three_plus_placements_pct", "three_plus_placements",
               "children_looked_after_rate_per_10k", "children_looked_after",
               "placement_changes")


def la_years(measure: str, directory: str | Path | None = None) -> list[int]:
    la = load_la(directory)
    hit = la[(la["measure"] == measure) & la["value"].notna()]
    return sorted(int(y) for y in hit["year"].unique())


def la_regions(directory: str | Path | None = None) -> list[str]:
    la = load_la(directory)
    names = la.loc[la["geographic_level"] == "Local authority", "region"]
    return sorted(n for n in names.unique() if n)


def la_compare(measure: str, year: int, region: str | None = None,
               directory: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Local authorities' preferred figure for one measure and year, and benchmarks.

    Returns (authorities, benchmarks). authorities: la_name, region, old_la_code,
    new_la_code, value, symbol, symbol_note, release, source_file, table, source -
    sorted by value (missing last); ``region`` None means all of England.
    benchmarks: England, and the region when one is chosen (for London also the
    published Inner / Outer London figures).
    """
    la = load_la(directory)
    rows = la[(la["measure"] == measure) & (la["year"] == int(year)) & la["preferred"]]
    authorities = rows[rows["geographic_level"] == "Local authority"]
    if region:
        authorities = authorities[authorities["region"] == region]
    authorities = authorities.assign(symbol_note=authorities["symbol"].map(symbol_note))
    authorities = authorities.sort_values(["value", "la_name"], ascending=[False, True],
                                          na_position="last")
    bench = rows[rows["geographic_level"] == "National"].assign(place="England")
    if region:
        regional = rows[(rows["geographic_level"] == "Regional")
                        & (rows["region"] == region)]
        bench = pd.concat([bench, regional.assign(place=regional["region_name"])])
    bench = bench.assign(symbol_note=bench["symbol"].map(symbol_note))
    cols = ["la_name", "region", "old_la_code", "new_la_code", "value", "symbol",
            "symbol_note", "release", "source_file", "table", "source"]
    return (authorities[cols].reset_index(drop=True),
            bench[["place", "value", "symbol", "release", "source_file"]].reset_index(drop=True))


def is_count(measure: str) -> bool:
    """A number of children or changes, not a share or a rate per 10,000."""
    return not (measure.endswith("_pct") or "_rate_" in measure)


def la_benchmarks(measure: str, year: int, region: str | None = None,
                  directory: str | Path | None = None) -> pd.DataFrame:
    """What to draw authorities against, like with like: for a share or a rate the
    published England (and region) figure; for a count the median authority of England
    (and of the region), as a national count beside a council's would squash every
    council into a sliver of the axis. Columns: place, value, symbol, release, source_file."""
    _, bench = la_compare(measure, year, region, directory)
    if not is_count(measure):
        return bench
    rows = []
    for place, where in (("England", None), *(((region, region),) if region else ())):
        authorities, _ = la_compare(measure, year, where, directory)
        values = authorities["value"].dropna()
        if len(values):
            rows.append({"place": f"Median authority, {place}", "value": float(values.median()),
                         "symbol": "", "release": ", ".join(sorted(authorities["release"].dropna().unique())),
                         "source_file": ", ".join(sorted(authorities["source_file"].dropna().unique()))})
    return pd.DataFrame(rows, columns=["place", "value", "symbol", "release", "source_file"])


# --------------------------------------------------------------------------------------
# The coalition's headline, reproduced
# --------------------------------------------------------------------------------------

HEADLINE_RELEASE = "2022"
HEADLINE_YEARS = (2018, 2019, 2020, 2021)
HEADLINE_SHARE_YEAR = 2021
JUNE_2022_RELEASE = "2021"      # DfE's release out when the campaign ran (June 2022)
CLAIMED_PER_WEEK = 1059         # the coalition's press figure, changes a week
HEADLINE_CLAIMS = {
    "total": "children's care placements have changed nearly a quarter of a million times "
             "over the last four years (more than 220,000 between 2018 and 2021)",
    "share": "64% of the changes in 2021 were of young people in care because of abuse "
             "or neglect (two in three young people moved)",
    "per_week": "the equivalent of 1,059 changes every week",
}


def _pick(long: pd.DataFrame, measure: str, year: int, release: str) -> pd.Series:
    hit = long[(long["measure"] == measure) & (long["year"] == year)
               & (long["release"] == release)]
    if len(hit) != 1 or pd.isna(hit.iloc[0]["value"]):
        raise LookupError(f"{measure} {year} from the {release} release is not in the "
                          f"shipped table; rebuild it with scripts/build_reference_tables.py")
    return hit.iloc[0]


def headline_claim(directory: str | Path | None = None) -> dict:
    """The #ItsOurCare 2022 headline, recomputed from the shipped table.

    Sums the DfE 2022 release's national "Reason for placement change during the
    year" table, row "All Placements" (cla_group Age, characteristic Total), for the
    years ending 31 March 2018, 2019, 2020 and 2021; and, for 2021, the same table's
    "All Placements" row for category of need "N1. Abuse or neglect" over the total.
    The campaign ran in 2022, so the 2022 release is used, not the later revisions.
    """
    long = load_england(directory)
    rows = [_pick(long, "placement_changes", y, HEADLINE_RELEASE) for y in HEADLINE_YEARS]
    by_year = {int(r["year"]): int(r["value"]) for r in rows}
    total = sum(by_year.values())
    abuse = {y: int(_pick(long, "placement_changes_abuse_or_neglect", y,
                          HEADLINE_RELEASE)["value"]) for y in HEADLINE_YEARS}
    status_only = {y: int(_pick(long, "placement_changes_status_only", y,
                                HEADLINE_RELEASE)["value"]) for y in HEADLINE_YEARS}
    year = HEADLINE_SHARE_YEAR
    share_row = _pick(long, "placement_changes_abuse_or_neglect_pct", year, HEADLINE_RELEASE)
    # years ending 31 March: 1 April 2017 to 31 March 2021
    days = (dt.date(HEADLINE_YEARS[-1], 3, 31) - dt.date(HEADLINE_YEARS[0] - 1, 4, 1)).days + 1
    weeks = days / 7
    later = long[(long["measure"] == "placement_changes") & long["preferred"]
                 & long["year"].isin(HEADLINE_YEARS)]
    revised = {int(r["year"]): (int(r["value"]), r["release"]) for _, r in later.iterrows()
               if not pd.isna(r["value"])}
    first = rows[0]
    return {
        "release": HEADLINE_RELEASE,
        "source_file": first["source_file"],
        "table": first["table"],
        "source": first["source"],
        "years": list(HEADLINE_YEARS),
        "placement_changes_by_year": by_year,
        "total": total,
        "quarter_million_share": total / 250_000,
        "weeks": weeks,
        "per_week": total / weeks,
        "share_year": year,
        "share_changes": abuse[year],
        "share_all_changes": by_year[year],
        "share_pct": 100 * abuse[year] / by_year[year],
        "share_pct_published": float(share_row["value"]),
        "share_table": share_row["table"],
        "abuse_or_neglect_by_year": abuse,
        "abuse_or_neglect_total": sum(abuse.values()),
        "abuse_or_neglect_total_pct": 100 * sum(abuse.values()) / total,
        # About a sixth of the changes are a change in the placement's status only: the
        # child stays with the same carer.
        "status_only_by_year": status_only,
        "status_only_total": sum(status_only.values()),
        "status_only_total_pct": 100 * sum(status_only.values()) / total,
        # In June 2022 the charities had the 2021 release (the 2022 release came out that
        # November and revised these years); it is not among the releases held. Their
        # "1,059 a week" over the same weeks is the total they worked from.
        "release_in_june_2022": JUNE_2022_RELEASE,
        "claimed_per_week": CLAIMED_PER_WEEK,
        "claimed_total": CLAIMED_PER_WEEK * weeks,
        "latest_revision_by_year": {y: v for y, (v, _) in revised.items()},
        "latest_revision_release": {y: r for y, (_, r) in revised.items()},
        "claims": dict(HEADLINE_CLAIMS),
    }


def headline_facts(h: dict) -> list[str]:
    """The headline as the data supports it, one fact a line (the Placement statistics
    page and `placements` print these; README and docs/placements-and-mps.md say the same)."""
    parts = " + ".join(f"{v:,} ({y})" for y, v in h["placement_changes_by_year"].items())
    return [
        f"{h['total']:,} placement changes in the four years ending 31 March "
        f"{h['years'][0]}–{h['years'][-1]} ({parts}) is the DfE {h['release']} release's "
        f"revision of those years ({h['source_file']}, {h['table']}): "
        f"{h['quarter_million_share']:.0%} of a quarter of a million, about "
        f"{h['per_week']:,.0f} a week.",
        f"In June 2022 the charities had the {h['release_in_june_2022']} release (the "
        f"{h['release']} release came out later that year; the {h['release_in_june_2022']} "
        f"release is not among the releases held here): their {h['claimed_per_week']:,} a "
        f"week over the same {h['weeks']:.1f} weeks is about {round(h['claimed_total'], -3):,.0f} "
        f"(\u201cmore than 220,000\u201d).",
        f"In {h['share_year']}, {h['share_changes']:,} of the {h['share_all_changes']:,} "
        f"changes ({h['share_pct']:.1f}%, published as {h['share_pct_published']:.0f}%) were "
        f"of children in care because of abuse or neglect (their category of need, not the "
        f"reason for the move); over the four years {h['abuse_or_neglect_total']:,} of "
        f"{h['total']:,} ({h['abuse_or_neglect_total_pct']:.1f}%): nearly two in three.",
        f"About a sixth of the changes ({h['status_only_total']:,} of {h['total']:,}, "
        f"{h['status_only_total_pct']:.1f}%) were a change in the status of the placement "
        f"only: the child stayed with the same carer.",
    ]


def headline_sentence(h: dict) -> str:
    """The headline in words, naming exactly what is summed."""
    return " ".join(headline_facts(h))


# -- the figures as JSON (`python -m dashboard placements --json`) ---------------------

def _num(value: float | int | None) -> int | float | None:
    if value is None or pd.isna(value):
        return None
    f = float(value)
    return int(f) if f.is_integer() else f


# Names in `placements --json` that say what a share is of: abuse_or_neglect_pct is of
# the children looked after at 31 March, not of the year's placement changes (the
# headline's 64% is of those: headline.share_pct).
JSON_NAMES = {"abuse_or_neglect_pct": "looked_after_31_march_abuse_or_neglect_pct"}


def placements_json(directory: str | Path | None = None) -> dict:
    table = england_by_year(directory)
    long = load_england(directory)
    england = []
    for _, r in table.iterrows():
        entry = {"year": int(r["year"]), "release": r["release"]}
        for m in ENGLAND_MEASURES:
            entry[m] = _num(r[m])
        entry["releases"] = {m: r[f"{m}_release"] or None for m in ENGLAND_MEASURES}
        entry["symbols"] = {m: r[f"{m}_symbol"] for m in ENGLAND_MEASURES
                            if r[f"{m}_symbol"]}
        for name, renamed in JSON_NAMES.items():
            entry[renamed] = entry.pop(name)
            for part in ("releases", "symbols"):
                if name in entry[part]:
                    entry[part][renamed] = entry[part].pop(name)
        england.append(entry)
    used = long[long["preferred"] & long["measure"].isin(ENGLAND_MEASURES)]
    headline = headline_claim(directory)
    used = pd.concat([used, long[(long["release"] == HEADLINE_RELEASE)
                                 & long["measure"].str.startswith("placement_changes")]])
    sources = (used[["release", "source_file", "source"]].drop_duplicates()
               .sort_values(["release", "source_file"], ascending=[False, True]))
    h = {k: headline[k] for k in ("release", "source_file", "table", "years", "total",
                                  "per_week", "share_year", "share_changes",
                                  "share_all_changes", "share_pct", "share_pct_published",
                                  "abuse_or_neglect_total", "abuse_or_neglect_total_pct",
                                  "status_only_total", "status_only_total_pct",
                                  "release_in_june_2022", "claimed_per_week", "claimed_total")}
    h["placement_changes_by_year"] = {str(k): v for k, v in
                                      headline["placement_changes_by_year"].items()}
    return {"england": england, "headline": h,
            "sources": sources.to_dict(orient="records")}
