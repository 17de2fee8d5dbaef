"""`python -m dashboard refresh`: read every source now, keep good reads and a snapshot.

Meant for a timer (systemd, cron), so that app viewers never trigger Google reads.
"""
from __future__ import annotations

from dashboard import clock


def refresh(config, store, *, gspread_client=None, keep_validation: bool = False):
    """One refresh: read all, store good reads, record one snapshot. Returns (coalition, summary).

    `keep_validation`: store what validating each read gave with it, so app servers in
    store mode load it instead of validating again (the command does; an app reading the
    sources itself does not need it)."""
    from dashboard.history import record_snapshot, seed_demo_history
    from dashboard.pipeline import load_coalition
    from dashboard.summary import build_summary

    coalition = load_coalition(config, store=store, gspread_client=gspread_client, write_store=True,
                               keep_validation=keep_validation)
    summary = build_summary(coalition)
    seed_demo_history(config, store, summary)      # the demo only, on its first run
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
        if c.status == "stale":
            line += f"; serving the read of {clock.iso(c.as_of)} because: {c.error}"
        elif c.status == "error":
            line += f"; {c.error}"
        print(line)
    return 0
