"""Aggregates the pages show: pure pandas, built once per refresh from the merged frames.

Charts are drawn from these small tables, never from raw rows, so a rerun costs little
whatever the size of the coalition.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.contract import (AGE_BANDS, FIGURE_LABELS, FIGURES, MEDIA_TYPES, NOT_RECOGNISED,
                                REGIONS, is_outlet_name)
from dashboard import figures
from dashboard.figures import COALITION
from dashboard.keys import constituency_key
from dashboard.official.parliament import not_yet_met, region_name

NOT_GIVEN = "Not given"
# What a chart may use as a label, per column: anything else a sheet holds there is
# counted as NOT_RECOGNISED (free text never becomes a label on any view, trustees' too).
_LABELS = {
    "region": frozenset(REGIONS).__contains__,
    "age_band": frozenset(AGE_BANDS).__contains__,
    "type": frozenset(MEDIA_TYPES).__contains__,
    "outlet": is_outlet_name,
}


def chart_labels(values: pd.Series, column: str) -> pd.Series:
    """The labels charts give `values` of `column`: blanks as NOT_GIVEN, values outside
    the column's allowed set (a Region, Age band, media Type or Outlet typed as free text)
    as NOT_RECOGNISED, each distinct value judged once."""
    values = values.astype(object).where(values.notna(), NOT_GIVEN).replace("", NOT_GIVEN)
    allowed = _LABELS.get(column)
    if allowed is None:
        return values
    verdict = {v: v if v == NOT_GIVEN or allowed(v) else NOT_RECOGNISED for v in pd.unique(values)}
    return values.map(verdict)


def progress_table(figures: pd.DataFrame, targets: dict[str, int]) -> pd.DataFrame:
    rows = []
    for key in FIGURES:
        value = int(figures.at[COALITION, key])
        target = targets.get(key)
        rows.append({"figure": FIGURE_LABELS[key], "key": key, "value": value, "target": target,
                     "progress_pct": round(100 * value / target) if target else None})
    return pd.DataFrame(rows)


def charity_table(coalition) -> pd.DataFrame:
    figures = coalition.figures
    rows = []
    for c in coalition.charities:
        rows.append({"charity": c.name, "status": c.status, "as_of": c.as_of,
                     "errors": c.errors, "warnings": c.warnings,
                     **{k: int(figures.at[c.name, k]) for k in FIGURES}})
    return pd.DataFrame(rows)


def window_caption(config) -> str:
    """The campaign window as every page states it. Rows dated outside it are counted
    (the coalition's contract: kept, shown, flagged as a warning, still counted), so the
    window is not called a counting window."""
    return (f"campaign {config.start:%d %B %Y} to {config.end:%d %B %Y} (rows dated outside "
            "it are still counted, each with a warning on Data quality)")


def freshness(as_of, now) -> str:
    """'read 4 min ago' style wording for a source's time of reading."""
    if as_of is None:
        return "never read"
    seconds = max(0, int((now - as_of).total_seconds()))
    if seconds < 60:
        return "read just now"
    if seconds < 3600:
        return f"read {seconds // 60} min ago"
    if seconds < 86400:
        return f"read {seconds // 3600} h ago"
    return f"read {seconds // 86400} days ago"


def clock_time(at, now) -> str:
    """'09:40' on the day of `now` (UK time), else '22/06 09:40'."""
    from dashboard.history import uk_time
    at_uk = uk_time(at)
    return f"{at_uk:%H:%M}" if at_uk.date() == uk_time(now).date() else f"{at_uk:%d/%m %H:%M}"


def read_or_checked(c, now) -> str:
    """What a lead needs to know about a source that could be read: "read 09:40", or, when
    Drive said it had not changed (dashboard/incremental.py), "unchanged since 09:12
    (checked 09:40)"."""
    if c.as_of is None:
        return "never read"
    if c.checked_at is not None:
        return f"unchanged since {clock_time(c.as_of, now)} (checked {clock_time(c.checked_at, now)})"
    return f"read {clock_time(c.as_of, now)}"


def source_status(charity) -> str:
    """A source's status as shown: "ok" only for a source read now without errors; a source
    read with errors says so (its read status, ok, is the summary's)."""
    if charity.status == "ok" and charity.errors:
        return "with errors"
    return charity.status


def errors_note(errors: int) -> str:
    """Why a source read with errors is not ok (for leads and the coalition: data-quality
    detail, never a trustee's)."""
    return (f"{errors:,} error{'s leave' if errors != 1 else ' leaves'} rows out of the "
            "figures (see Data quality)")


def source_status_table(coalition, now) -> pd.DataFrame:
    rows = []
    for c in coalition.charities:
        if c.status == "ok":
            state = read_or_checked(c, now)
        elif c.status == "stale":
            state = f"stale since {c.as_of:%d/%m %H:%M}: {c.error}"
        else:
            state = f"not read: {c.error}"
        rows.append({"charity": c.name, "status": source_status(c), "freshness": state,
                     "kind": c.kind, "errors": c.errors, "warnings": c.warnings,
                     "api_calls": c.api_calls, "read_seconds": round(c.duration_s, 2)})
    return pd.DataFrame(rows)


def mp_table(coalition) -> pd.DataFrame:
    """figures.mp_table of the coalition: one row per MP the summary counts."""
    return figures.mp_table(coalition.frame("mp_meetings"), coalition.frame("pledges"),
                            getattr(coalition, "parliament", None))


def joint_meetings(coalition) -> pd.DataFrame:
    """Meetings logged by more than one charity (same date and person)."""
    meetings = coalition.frame("mp_meetings")
    # Most meetings are logged by one charity: only the (date, person) pairs logged by more
    # than one are kept for grouping. Dropping whole groups leaves the others' first values
    # as they were.
    logged_by = meetings.groupby(["date", "mp_id"], dropna=False)["charity"].transform("nunique")
    meetings = meetings[logged_by.to_numpy() > 1]
    groups = meetings.groupby(["date", "mp_id"], dropna=False)
    grouped = groups.agg(name=("name", "first"), role=("role", "first"),
                         logged_by=("charity", "nunique"))
    # ngroup numbers the groups in the order agg lists them.
    by_group = _charities_by_key(pd.DataFrame({"group": groups.ngroup().to_numpy(),
                                               "charity": meetings["charity"].array}), "group")
    grouped.insert(2, "charities", by_group.reindex(range(len(grouped))).array)
    return grouped[grouped["logged_by"] > 1].reset_index().sort_values("date")


def by_party(mps: pd.DataFrame) -> pd.DataFrame:
    """MPs met and pledged by party (the official list's for a placed MP), the MPs the list
    cannot place in one group: figures.mp_breakdown."""
    return figures.mp_breakdown(mps, "party").rename(columns={"group": "party"})[
        ["party", "met", "pledged"]]


def media_items(coalition) -> pd.DataFrame:
    """One row per distinct piece of coverage (first logged), with the charities that logged it."""
    media = coalition.frame("media")
    if media.empty:
        return media.assign(charities=pd.Series(dtype=object))
    first = media.sort_values(["date", "charity"]).drop_duplicates("media_key").set_index("media_key")
    first["reach"] = media.groupby("media_key")["reach"].max()
    first["charities"] = _charities_by_key(media, "media_key")
    return first.reset_index()


# Above this many charities a set of them no longer fits in one 64-bit mask.
_MASK_BITS = 64


def _charities_by_key(frame: pd.DataFrame, key: str) -> pd.Series:
    """", ".join(sorted(set(charities))) for each value of `key` (a missing key is a value
    of its own), indexed by the key.

    Joining names per key in Python took 0.7 s for 80,000 media keys. Instead each charity
    is one bit, in name order; a key's charities are the OR of its rows' bits (numpy), and
    only the few distinct sets of charities are joined in Python."""
    key_codes, key_values = pd.factorize(frame[key], use_na_sentinel=False)
    name_codes, names = pd.factorize(frame["charity"], sort=True)     # codes in name order
    if len(names) > _MASK_BITS:
        return _charities_by_key_joined(frame, key)
    if not len(key_codes):
        return pd.Series([], index=key_values[:0], dtype=frame["charity"].dtype)
    bits = np.left_shift(np.uint64(1), name_codes.astype(np.uint64))
    order = np.argsort(key_codes, kind="stable")
    sorted_keys = key_codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    masks = np.bitwise_or.reduceat(bits[order], starts)
    distinct, which = np.unique(masks, return_inverse=True)
    # Row j of `members`: which names are in distinct set j (bit i of the mask is name i).
    members = np.unpackbits(distinct.astype("<u8").view(np.uint8).reshape(-1, 8),
                            axis=1, bitorder="little")[:, :len(names)].astype(bool)
    names = np.asarray(names, dtype=object)
    texts = np.array([", ".join(names[row]) for row in members], dtype=object)
    return pd.Series(texts[which], index=key_values.take(sorted_keys[starts]), dtype="str")


def _charities_by_key_joined(frame: pd.DataFrame, key: str) -> pd.Series:
    """The same, joined per shared key in Python: for coalitions of more than 64."""
    pairs = frame[[key, "charity"]].drop_duplicates().sort_values([key, "charity"])
    shared = pairs[key].duplicated(keep=False)
    alone = pairs.loc[~shared].set_index(key)["charity"]
    joined = pairs.loc[shared].groupby(key, sort=False, dropna=False)["charity"].agg(", ".join)
    return pd.concat([alone, joined]).astype("str")


def media_over_time(items: pd.DataFrame) -> pd.DataFrame:
    dated = items.dropna(subset=["date"])
    if dated.empty:
        return pd.DataFrame(columns=["date", "pieces", "cumulative"])
    daily = dated.groupby(dated["date"].dt.normalize()).size().rename("pieces").reset_index()
    daily["cumulative"] = daily["pieces"].cumsum()
    return daily


def counts(frame: pd.DataFrame, column: str, label: str) -> pd.DataFrame:
    values = chart_labels(frame[column], column)
    return values.value_counts().rename_axis(label).reset_index(name="count")


def attendee_breakdowns(coalition, columns) -> dict[str, pd.DataFrame]:
    """attendee_breakdown for each of `columns`, finding who attended once for them all."""
    attended = _attended_once(coalition)
    return {column: attendee_breakdown(coalition, column, attended) for column in columns}


def _attended_once(coalition) -> pd.DataFrame:
    attendees = coalition.frame("attendees")
    return attendees[attendees["status"] == "attended"].drop_duplicates(["charity", "ref"])


def attendee_breakdown(coalition, column: str, attended: pd.DataFrame | None = None) -> pd.DataFrame:
    """Young people attended, by charity and one characteristic (counts only, never refs).
    A region is spelt as the official tables spell it, whatever its case in the sheet."""
    if attended is None:
        attended = _attended_once(coalition)
    values = attended[column]
    if column == "region":
        values = values.map(region_name, na_action="ignore")
    values = chart_labels(values, column)
    return (attended.assign(**{column: values}).groupby(["charity", column]).size()
            .unstack(fill_value=0))


def charity_progress(summary: dict, charities, figures=None) -> pd.DataFrame:
    """Each charity's progress towards its own targets (`[[charity]] targets`): one row per
    charity and target, in config order: charity, figure, label, now, target, progress
    (now / target; 1.0 for a target of 0). `now` is missing for a charity whose source could
    not be read. `figures` limits the figures (a trustee's view leaves out young people)."""
    from dashboard.contract import FIGURE_LABELS

    current = {c.get("name"): c for c in summary.get("charities") or []}
    rows = []
    for charity in charities:
        block = current.get(charity.name, {})
        for figure, target in charity.targets:
            if figures is not None and figure not in figures:
                continue
            now = None if block.get("status") == "error" or figure not in block else int(block[figure])
            progress = None if now is None else (1.0 if target == 0 else now / target)
            rows.append((charity.name, figure, FIGURE_LABELS[figure], now, target, progress))
    frame = pd.DataFrame(rows, columns=["charity", "figure", "label", "now", "target", "progress"])
    frame["now"] = pd.array(frame["now"].tolist(), dtype="Int64")
    frame["progress"] = pd.to_numeric(frame["progress"], errors="coerce").astype(float)
    return frame


def merged_media(coalition) -> pd.DataFrame:
    """The media rows counted once because another row is the same piece (same link, or same
    date, outlet and headline): every row of each such piece, grouped, with how many rows
    each piece had. Columns: piece (1, 2, … in date order), rows, charity, row (as seen in
    the sheet), date, outlet, headline, url."""
    media = coalition.frame("media")
    columns = ["piece", "rows", "charity", "row", "date", "outlet", "headline", "url"]
    if media.empty:
        return pd.DataFrame(columns=columns)
    rows = media.groupby("media_key")["media_key"].transform("size")
    merged = media[rows.to_numpy() > 1].assign(rows=rows[rows > 1])
    if merged.empty:
        return pd.DataFrame(columns=columns)
    first = merged.groupby("media_key")["date"].transform("min")
    merged = merged.assign(_first=first).sort_values(["_first", "media_key", "charity", "_row"],
                                                     na_position="last", kind="stable")
    merged["piece"] = pd.factorize(merged["media_key"])[0] + 1
    return merged.rename(columns={"_row": "row"})[columns].reset_index(drop=True)


def filter_media(items: pd.DataFrame, media_rows: pd.DataFrame | None = None, *, charities=(),
                 types=(), start=None, end=None) -> pd.DataFrame:
    """Pieces of coverage (media_items) logged by any of `charities` (found in `media_rows`,
    the coalition's media frame), of any of `types`, dated from `start` to `end` (inclusive;
    an undated piece drops out once a date is chosen)."""
    shown = items
    if charities:
        assert media_rows is not None, "choosing charities needs the coalition's media rows"
        keys = media_rows.loc[media_rows["charity"].isin(list(charities)), "media_key"]
        shown = shown[shown["media_key"].isin(keys)]
    if types:
        shown = shown[shown["type"].isin(list(types))]
    if start is not None or end is not None:
        day = pd.to_datetime(shown["date"], errors="coerce").dt.date
        keep = day.notna()
        if start is not None:
            keep &= day >= start
        if end is not None:
            keep &= day <= end
        shown = shown[keep.to_numpy()]
    return shown


def search_mps(mps: pd.DataFrame, text: str) -> pd.DataFrame:
    """MPs whose name or constituency contains `text` (any case, extra spaces ignored)."""
    needle = " ".join(str(text or "").split()).casefold()
    if not needle:
        return mps
    hay = (mps["name"].astype(str) + "\n" + mps["constituency"].astype(str)).str.casefold()
    return mps[hay.str.contains(needle, regex=False).to_numpy()]


NOT_YET_MET_COLUMNS = ["constituency", "ons_code", "mp", "party", "region", "nation"]


def mps_not_yet_met(met_keys: set[str], pledged_keys: set[str], parliament: str, *,
                    party: str | None = None, region: str | None = None,
                    only_unpledged: bool = False) -> pd.DataFrame:
    """The seats of `parliament` whose MP no charity has met (figures.seat_keys), for one
    party or region if given, by region then seat, the MP's name as shown;
    `only_unpledged` leaves out those who pledged without a meeting."""
    left = pd.DataFrame(not_yet_met(sorted(met_keys), parliament, party=party, region=region),
                        columns=NOT_YET_MET_COLUMNS)
    left["mp"] = left["mp"].map(figures.display_name)
    if only_unpledged and len(left):
        left = left[~left["constituency"].map(constituency_key).isin(pledged_keys)]
    return left
