"""`python -m dashboard refresh`: read every source now, keep good reads and a snapshot.

Meant for a timer (systemd, cron), so that app viewers never trigger Google reads.
"""
from __future__ import annotations

import logging
import sys

from connectors.base import source_kind
from dashboard import clock

log = logging.getLogger("dashboard.refresh")


def refresh(config, store, *, gspread_client=None, keep_validation: bool = False):
    """One refresh: read all, store good reads, record one snapshot. Returns (coalition, summary).

    `keep_validation`: store what validating each read gave with it, so app servers in
    store mode load it instead of validating again (the command does; an app reading the
    sources itself does not need it)."""
    from dashboard.history import record_snapshot, seed_demo_history
    from dashboard.incremental import load_coalition_changes
    from dashboard.pipeline import load_coalition
    from dashboard.store import StoreError
    from dashboard.summary import build_summary
    from dashboard.validate import without_names

    if any(source_kind(c.source) == "gsheet" for c in config.charities):
        # Google sheets: ask Drive what changed and read only that (dashboard/incremental.py),
        # which needs each read's validation stored, so it is kept whatever the caller says.
        try:
            coalition = load_coalition_changes(config, store, gspread_client=gspread_client)
        except StoreError as err:
            # Without the store there is nothing to compare with: read every sheet.
            log.warning("%s; reading every sheet", err)
            coalition = load_coalition(config, store=store, gspread_client=gspread_client,
                                       write_store=True, keep_validation=keep_validation)
    else:
        coalition = load_coalition(config, store=store, gspread_client=gspread_client,
                                   write_store=True, keep_validation=keep_validation)
    # Reads stored before names were dropped (kept while a source cannot be read) lose them now.
    store.clean_last_good_reads(without_names,
                                skip=[c.name for c in coalition.charities if c.status == "ok"])
    summary = build_summary(coalition)
    seed_demo_history(config, store, summary)      # the demo only, on its first run
    record_snapshot(store, summary, coalition.read_at)
    return coalition, summary


def cmd_refresh(args) -> int:
    from dashboard.config import load_config
    from dashboard.store import GuardedStore

    from dashboard import incremental

    config = load_config(args.config)
    incremental.RUNS_ONCE = True          # this process exits after this one refresh
    # Guarded: with the store in trouble the sources are still read and reported, and
    # the trouble is said once at the end.
    store = GuardedStore(config.storage_url)
    coalition, _ = refresh(config, store, keep_validation=True)
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
    if store.problem:
        sys.stderr.write(f"store error: {store.problem}; the reads above were not all stored\n")
        return 2
    return 0
