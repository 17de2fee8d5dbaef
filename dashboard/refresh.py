"""`python -m dashboard refresh`: read every source now, keep good reads and a snapshot.

Meant for a timer (systemd, cron), so that app viewers never trigger Google reads.
"""
from __future__ import annotations

from connectors.base import source_kind
from dashboard import clock


def refresh(config, store, *, gspread_client=None, keep_validation: bool = False):
    """One refresh: read all, store good reads, record one snapshot. Returns (coalition, summary).

    `keep_validation`: store what validating each read gave with it, so app servers in
    store mode load it instead of validating again (the command does; an app reading the
    sources itself does not need it)."""
    from dashboard.history import record_snapshot
    from dashboard.incremental import load_coalition_changes
    from dashboard.pipeline import load_coalition
    from dashboard.summary import build_summary

    if any(source_kind(c.source) == "gsheet" for c in config.charities):
        # Google sheets: ask Drive what changed and read only that (dashboard/incremental.py),
        # which needs each read's validation stored, so it is kept whatever the caller says.
        coalition = load_coalition_changes(config, store, gspread_client=gspread_client)
    else:
        coalition = load_coalition(config, store=store, gspread_client=gspread_client,
                                   write_store=True, keep_validation=keep_validation)
    summary = build_summary(coalition)
    record_snapshot(store, summary, coalition.read_at)
    return coalition, summary


def cmd_refresh(args) -> int:
    from dashboard.config import load_config
    from dashboard.store import Store

    config = load_config(args.config)
    coalition, _ = refresh(config, Store(config.storage_url), keep_validation=True)
    for c in coalition.charities:
        line = f"{c.name}: {c.status}, {c.duration_s:.1f}s, {c.api_calls} API call(s), " \
               f"{c.errors} error(s), {c.warnings} warning(s)"
        if c.checked_at is not None:
            line += f"; unchanged since {clock.iso(c.as_of)} (checked by Drive)"
        if c.status == "stale":
            line += f"; serving the read of {clock.iso(c.as_of)} because: {c.error}"
        elif c.status == "error":
            line += f"; {c.error}"
        print(line)
    if any(c.kind == "gsheet" for c in coalition.charities):
        read = sum(1 for c in coalition.charities if c.kind == "gsheet" and c.checked_at is None)
        print(f"Google: {'full read' if coalition.full_read else 'changes only'}, "
              f"{coalition.drive_calls} Drive call(s), "
              f"{sum(c.api_calls for c in coalition.charities)} Sheets call(s), "
              f"{read} sheet(s) read")
    return 0
