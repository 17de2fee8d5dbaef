"""`python -m dashboard refresh`: read the sources now, keep good reads and a snapshot.

Meant for a timer (systemd, cron), so that app viewers never trigger Google reads.
"""
from __future__ import annotations

import sys

from dashboard import clock
from dashboard.pipeline import refresh



def cmd_refresh(args) -> int:
    from dashboard.config import load_config
    from dashboard import incremental
    from dashboard.store import GuardedStore

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
