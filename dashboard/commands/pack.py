"""`python -m dashboard pack --out DIR`: the weekly meeting pack's two files."""
from __future__ import annotations

import sys
from pathlib import Path

from dashboard import clock
from dashboard.commands.stores import open_store
from dashboard.reports.files import write_atomically
from dashboard.reports.pack import build_pack, highlights_for, pack_filenames


def cmd_pack(args) -> int:
    """`python -m dashboard pack --out DIR`: read every source, write the two pack files.

    Reads sources (good reads are kept as usual) but stores no snapshot: history is
    written by `refresh` only, so making a pack twice never changes the next baseline.
    """
    from dashboard.config import load_config
    config = load_config(getattr(args, "config", None))
    out = Path(args.out).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        sys.stderr.write(f"cannot create the folder {out}: {err.strerror}\n")
        return 2
    store = open_store(config)
    if store is None:
        return 2
    from dashboard.history import seed_demo_history
    from dashboard.official.mp_map import seat_engagement
    from dashboard.official.parliament import parliament_for
    from dashboard.pipeline import load_coalition
    from dashboard.summary import build_summary
    coalition = load_coalition(config, store=store)
    summary = build_summary(coalition)
    seed_demo_history(config, store, summary)      # the demo only, on its first run
    engagement = seat_engagement(coalition, parliament_for(config.start, config.end))
    now = clock.now()
    snapshots = store.snapshots()
    # The command is the coalition's (it reads every sheet): its pack has this week's names.
    page, workbook = build_pack(summary, snapshots, config, now,
                                highlights=highlights_for(coalition, snapshots, config, now),
                                engagement=engagement)
    html_name, xlsx_name = pack_filenames(now)
    try:
        write_atomically(out / html_name, page.encode("utf-8"))
        write_atomically(out / xlsx_name, workbook)
    except OSError as err:
        sys.stderr.write(f"cannot write the pack into {out}: {err.strerror}\n")
        return 2
    sys.stdout.write(f"{out / html_name}\n{out / xlsx_name}\n")
    return 0
