"""Aggregates the pages show: pure pandas, built once per refresh from the merged frames.

Charts are drawn from these small tables, never from raw rows, so a rerun costs little
whatever the size of the coalition.
"""
from __future__ import annotations

import pandas as pd

from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.figures import COALITION


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


def source_status_table(coalition, now) -> pd.DataFrame:
    rows = []
    for c in coalition.charities:
        if c.status == "ok":
            state = freshness(c.as_of, now)
        elif c.status == "stale":
            state = f"stale since {c.as_of:%d/%m %H:%M}: {c.error}"
        else:
            state = f"not read: {c.error}"
        rows.append({"charity": c.name, "status": c.status, "freshness": state,
                     "kind": c.kind, "errors": c.errors, "warnings": c.warnings,
                     "api_calls": c.api_calls, "read_seconds": round(c.duration_s, 2)})
    return pd.DataFrame(rows)


def mp_table(coalition) -> pd.DataFrame:
    """One row per MP met (role MP or Minister) or pledged: who met them, when, pledged."""
    meetings = coalition.frame("mp_meetings")
    pledges = coalition.frame("pledges")
    mp_rows = meetings[meetings["is_mp"]]
    met = mp_rows.groupby("mp_id").agg(
        name=("name", "first"), constituency=("constituency", "first"), party=("party", "first"),
        meetings=("date", "size"), first_met=("date", "min"),
        charities=("charity", lambda s: ", ".join(sorted(set(s)))),
    )
    pledged_ids = set(pledges["mp_id"]) | set(meetings.loc[meetings["pledge_signed"], "mp_id"])
    pledge_only = pledges[~pledges["mp_id"].isin(met.index)].groupby("mp_id").agg(
        name=("mp_name", "first"), constituency=("constituency", "first"), party=("party", "first"))
    meeting_pledgers = meetings[meetings["pledge_signed"] & ~meetings["mp_id"].isin(met.index)
                                & ~meetings["mp_id"].isin(pledge_only.index)].groupby("mp_id").agg(
        name=("name", "first"), constituency=("constituency", "first"), party=("party", "first"))
    table = pd.concat([met, pledge_only, meeting_pledgers])
    table["met"] = table.index.isin(met.index)
    table["pledged"] = table.index.isin(list(pledged_ids))
    table["meetings"] = table["meetings"].fillna(0).astype(int)
    for col in ("name", "constituency", "party"):
        table[col] = table[col].fillna("")
    table["party"] = table["party"].replace("", "Unknown")
    return table.reset_index().sort_values(["met", "name"], ascending=[False, True])


def joint_meetings(coalition) -> pd.DataFrame:
    """Meetings logged by more than one charity (same date and person)."""
    meetings = coalition.frame("mp_meetings")
    grouped = meetings.groupby(["date", "mp_id"], dropna=False).agg(
        name=("name", "first"), role=("role", "first"),
        charities=("charity", lambda s: ", ".join(sorted(set(s)))),
        logged_by=("charity", "nunique"))
    return grouped[grouped["logged_by"] > 1].reset_index().sort_values("date")


def by_party(mps: pd.DataFrame) -> pd.DataFrame:
    if mps.empty:
        return pd.DataFrame(columns=["party", "met", "pledged"])
    return (mps.groupby("party").agg(met=("met", "sum"), pledged=("pledged", "sum"))
            .astype(int).reset_index().sort_values("met", ascending=False))


def media_items(coalition) -> pd.DataFrame:
    """One row per distinct piece of coverage (first logged), with the charities that logged it."""
    media = coalition.frame("media")
    if media.empty:
        return media.assign(charities=pd.Series(dtype=object))
    first = media.sort_values(["date", "charity"]).drop_duplicates("media_key").set_index("media_key")
    first["reach"] = media.groupby("media_key")["reach"].max()
    first["charities"] = _charities_by_key(media, "media_key")
    return first.reset_index()


def _charities_by_key(frame: pd.DataFrame, key: str) -> pd.Series:
    """", ".join(sorted(set(charities))) for each key: most pieces are logged by one charity,
    so only the shared ones are joined in Python (80,000 keys took 0.7 s one by one)."""
    pairs = frame[[key, "charity"]].drop_duplicates().sort_values([key, "charity"])
    shared = pairs[key].duplicated(keep=False)
    alone = pairs.loc[~shared].set_index(key)["charity"]
    joined = pairs.loc[shared].groupby(key, sort=False)["charity"].agg(", ".join)
    return pd.concat([alone, joined])


def media_over_time(items: pd.DataFrame) -> pd.DataFrame:
    dated = items.dropna(subset=["date"])
    if dated.empty:
        return pd.DataFrame(columns=["date", "pieces", "cumulative"])
    daily = dated.groupby(dated["date"].dt.normalize()).size().rename("pieces").reset_index()
    daily["cumulative"] = daily["pieces"].cumsum()
    return daily


def counts(frame: pd.DataFrame, column: str, label: str) -> pd.DataFrame:
    values = frame[column].fillna("Not given").replace("", "Not given")
    return values.value_counts().rename_axis(label).reset_index(name="count")


def attendee_breakdown(coalition, column: str) -> pd.DataFrame:
    """Young people attended, by charity and one characteristic (counts only, never refs)."""
    attendees = coalition.frame("attendees")
    attended = attendees[attendees["status"] == "attended"].drop_duplicates(["charity", "ref"])
    values = attended[column].fillna("Not given").replace("", "Not given")
    return (attended.assign(**{column: values}).groupby(["charity", column]).size()
            .unstack(fill_value=0))
