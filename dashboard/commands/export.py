"""`python -m dashboard export --out DIR`: the validated, merged data as CSV and XLSX."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.reports.export import coalition_frames, export_frames


def cmd_export(args: argparse.Namespace) -> int:
    from dashboard.config import load_config
    from dashboard.pipeline import load_coalition
    from dashboard.store import Store

    config = load_config(args.config)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        sys.stderr.write(f"export: --out {out} is a file; give a folder\n")
        return 2
    coalition = load_coalition(config, store=Store(config.storage_url))
    try:
        paths = export_frames(coalition_frames(coalition), out)
    except OSError as err:
        sys.stderr.write(f"export: cannot write to {out}: {err.strerror or err}\n")
        return 2
    for path in paths:
        print(path)
    failed = [c.name for c in coalition.charities if c.status == "error"]
    if failed:
        sys.stderr.write(f"export: not included, their sources could not be read: {', '.join(failed)}\n")
    return 0
