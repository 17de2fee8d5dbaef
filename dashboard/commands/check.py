"""`python -m dashboard check SOURCE`: one source's issues, for the person who keeps it."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from connectors.base import SourceError
from dashboard import sources
from dashboard.config import ConfigError, load_config
from dashboard.validate import validate_workbook

SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


def cmd_check(args) -> int:
    start: dt.date | None
    end: dt.date | None
    try:
        config = load_config(args.config)
        start, end = config.start, config.end
    except ConfigError:
        config = None
        start = end = None        # no campaign window to check against; the rest still applies
    try:
        raw = sources.read(args.source, base_dir=Path.cwd())
    except SourceError as err:
        sys.stderr.write(f"cannot read {args.source}: {err}\n")
        return 2
    data = validate_workbook(raw, Path(args.source).stem if raw.kind != "gsheet" else "this sheet",
                             start, end)
    if config is not None:        # the same extra checks as the dashboard (constituencies)
        from dashboard.pipeline import default_checks
        for extra_check in default_checks():
            extra_check(data, config)
    issues = sorted(data.issues, key=lambda i: (SEVERITY_ORDER[i.severity], i.tab or "", i.row or 0))
    counts = {s: data.count(s) for s in SEVERITY_ORDER}
    rows = {k: len(f) for k, f in data.frames.items()}
    print(f"{args.source}: {counts['error']} error(s), {counts['warning']} warning(s), "
          f"{counts['note']} note(s). Rows counted: "
          + ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in rows.items()))
    for i in issues:
        where = " / ".join(str(p) for p in (i.tab, f"row {i.row}" if i.row else None, i.column) if p)
        print(f"\n[{i.severity.upper()}] {where or 'workbook'}\n  {i.message}")
        if i.fix:
            print(f"  How to fix: {i.fix}")
        if i.link:
            print(f"  Open the cell: {i.link}")
    return 1 if counts["error"] else 0
