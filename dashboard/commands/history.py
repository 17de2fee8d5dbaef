"""`python -m dashboard history`: the stored snapshots, oldest first."""
from __future__ import annotations

import json
import sys

from dashboard.history import history_table
from dashboard.commands.stores import open_store


def cmd_history(args) -> int:
    """`python -m dashboard history [--config F] [--json]`: stored snapshots, oldest first."""
    from dashboard.config import load_config
    config = load_config(getattr(args, "config", None))
    store = open_store(config)
    if store is None:
        return 2
    snaps = store.snapshots()
    if getattr(args, "json", False):
        out = {"snapshots": [{"id": s["id"], "at": s["at"],
                              "coalition": s.get("coalition", {}),
                              "charities": s.get("charities", [])} for s in snaps]}
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
        return 0
    if not snaps:
        sys.stdout.write("No snapshots yet: `python -m dashboard refresh` stores one each time it runs.\n")
        return 0
    sys.stdout.write(f"{len(snaps)} snapshot{'s' if len(snaps) != 1 else ''} of {config.name}, "
                     "oldest first (coalition figures):\n")
    sys.stdout.write(history_table(snaps) + "\n")
    synthetic = sum(1 for s in snaps if s.get("demo"))
    if synthetic:
        sys.stdout.write(f"{synthetic} of these are the demo's synthetic history, made on its first "
                         "run: not readings of any sheet.\n")
    return 0
