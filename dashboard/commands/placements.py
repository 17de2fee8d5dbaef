"""`python -m dashboard placements [--json]`: the official placement figures by year."""
from __future__ import annotations

import json
import sys

import pandas as pd

from dashboard.official.placements import JSON_NAMES, headline_claim, headline_sentence, placements_json


def _fmt(value: float | int | None, pct: bool = False) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{float(value):.0f}%" if pct else f"{int(value):,}"


def cmd_placements(args) -> int:
    """Handler for `python -m dashboard placements [--json]` (``args.config`` ignored)."""
    try:
        data = placements_json()
    except (FileNotFoundError, LookupError) as err:
        sys.stderr.write(f"placements: {err}\n")
        return 2
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    head = ("Year", "Release", "Looked after 31 Mar", "Placement changes", "3+ placements",
            "3+ %", "Abuse/neglect % (looked after 31 Mar)")
    lines = []
    for e in data["england"]:
        lines.append((str(e["year"]), e["release"] or "–",
                      _fmt(e["children_looked_after"]), _fmt(e["placement_changes"]),
                      _fmt(e["three_plus_placements"]),
                      _fmt(e["three_plus_placements_pct"], True),
                      _fmt(e[JSON_NAMES["abuse_or_neglect_pct"]], True)))
    widths = [max(len(x) for x in col) for col in zip(head, *lines)]
    out = ["Children looked after in England (DfE), latest release for each figure",
           "  ".join(h.ljust(w) for h, w in zip(head, widths))]
    out += ["  ".join(c.rjust(w) if i > 1 else c.ljust(w)
                      for i, (c, w) in enumerate(zip(line, widths))) for line in lines]
    out += ["", "– = not published (or suppressed) in the releases held.", "",
            "Headline: " + headline_sentence(headline_claim()), "", "Sources:"]
    out += [f"  {s['release']} release  {s['source_file']}  {s['source']}"
            for s in data["sources"]]
    sys.stdout.write("\n".join(out) + "\n")
    return 0
