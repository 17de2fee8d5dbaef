"""The Weekly meeting page's tables (pure pandas, no Streamlit), built from the same
PackData the meeting pack prints (dashboard/reports/pack.py).

Suppression is decided by the page (which counts a viewer may see) and passed in as
`secret` flags and change texts, so these tables only lay out what they are given.
"""
from __future__ import annotations

import pandas as pd

from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.access.suppression import PRIMARY_MARK, SECONDARY_MARK
from dashboard.history import daily, signed, uk_time, whole, wide
from dashboard.reports.pack import describe_as_of, status_text


def short(n, sign: bool = False) -> str:
    """Big numbers for a projector: 1,730,400 -> 1.73m, 250,000 -> 250k (exact below 100,000)."""
    if pd.isna(n) or abs(int(n)) < 100_000:
        return signed(n) if sign else whole(n)
    n = int(n)
    text = f"{abs(n) / 1e6:.3g}m" if abs(n) >= 1_000_000 else f"{abs(n) / 1e3:.3g}k"
    return ("-" if n < 0 else "+" if sign else "") + text


def pace_table(pace: pd.DataFrame, change_text: list[str | None],
               secret: list[bool] | None = None) -> pd.DataFrame:
    """Progress towards each target (PackData.pace) with its change as shown on the page
    (`change_text`, None for none). `secret`: per target, whether its count is hidden
    from this viewer (None: no suppression on this view); a hidden count hides what it
    can be worked out from (progress, still needed, pace), and then every count is text."""
    table = pd.DataFrame({
        "Figure": pace["label"], "Now": pace["current"], "Target": pace["target"],
        # The bar stops at 100%: past its maximum Streamlit's grid draws it red, as if a met
        # target were a fault. The figure itself is in "% of target".
        "Progress": (pace["progress"] * 100).clip(lower=0, upper=100),
        "% of target": [f"{p * 100:.0f}%" for p in pace["progress"]],
        "Still needed": pace["remaining"],
        # (as the pack writes it: 'n/a' once the campaign has ended, not an empty 'None')
        "Needed per week": [whole(n) for n in pace["per_week"]],
        "Change": [c or "n/a" for c in change_text],
        "Pace": pace["note"],
    })
    if secret is not None:
        table["Now"] = [PRIMARY_MARK if h else whole(n) for h, n in zip(secret, pace["current"])]
        table["Still needed"] = [SECONDARY_MARK if h else whole(n)
                                 for h, n in zip(secret, pace["remaining"])]
        table.loc[secret, ["Progress"]] = None
        table.loc[secret, ["Needed per week", "Pace"]] = SECONDARY_MARK
    return table


def charity_targets_table(own_targets: pd.DataFrame) -> pd.DataFrame:
    """Each charity's own targets (views.charity_progress) with a progress bar's value."""
    return pd.DataFrame({
        "Charity": own_targets["charity"], "Figure": own_targets["label"],
        "Now": own_targets["now"], "Target": own_targets["target"],
        # The bar stops at its maximum, as above; the figure itself is in "% of target".
        "Progress": (own_targets["progress"] * 100).clip(lower=0, upper=100),
        "% of target": ["" if p != p else f"{p * 100:.0f}%" for p in own_targets["progress"]],
    })


def charity_change_grid(by_charity: pd.DataFrame, suppressed: pd.DataFrame | None = None,
                        young_people_figures=()) -> pd.DataFrame:
    """A row per charity (PackData.charity_changes), its status and a column per figure,
    each cell "now (change)". `suppressed` (the trustees' charity table, a row per charity):
    the `young_people_figures` cells are taken from it as they stand, with no change that
    could give a hidden count away."""
    cells = by_charity.assign(cell=[f"{whole(n)} ({signed(c)})" for n, c in
                                    zip(by_charity["now"], by_charity["change"])])
    if suppressed is not None:
        table = suppressed.set_index("charity")
        young = cells["figure"].isin(young_people_figures)
        cells.loc[young, "cell"] = [table.at[c, f] for c, f in
                                    zip(cells.loc[young, "charity"], cells.loc[young, "figure"])]
    grid = cells.pivot(index="charity", columns="label", values="cell")
    grid = grid.reindex(index=list(dict.fromkeys(by_charity["charity"])),
                        columns=[FIGURE_LABELS[f] for f in FIGURES])
    status = by_charity.drop_duplicates("charity").set_index("charity")["status"]
    grid.insert(0, "Status", status.reindex(grid.index))
    return grid.rename_axis("Charity").reset_index()


def sources_table(sources: list[dict], details: bool = True) -> pd.DataFrame:
    """The sources to look at (PackData.sources); without `details` only who, how and
    as of when (a view without data-quality detail)."""
    table = pd.DataFrame([{
        "Charity": s["name"], "Status": status_text(s), "Data as of": describe_as_of(s["as_of"]),
        "Errors": s["errors"], "Warnings": s["warnings"],
        "Details": "; ".join(s["messages"] + ([f"Errors at {s['where']}"] if s["where"] else [])),
    } for s in sources])
    return table if details else table[["Charity", "Status", "Data as of"]]


def trend_table(trend: pd.DataFrame, figure: str) -> pd.DataFrame:
    """One figure's trend (PackData.trend) as the table beside its chart: the last reading
    of each day, a column per charity (the coalition first), read at UK time."""
    table = wide(daily(trend[trend["figure"] == figure]), figure)
    table.index = [f"{uk_time(t):%Y-%m-%d %H:%M}" for t in table.index]
    return table.rename_axis("Reading (UK time)").reset_index()
