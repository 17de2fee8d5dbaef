"""`python -m dashboard summary [--json]`: the coalition's figures, for a person or a program."""
from __future__ import annotations

import sys

from dashboard.contract import FIGURE_LABELS, FIGURES
from dashboard.summary import build_summary, summary_json_parts
from dashboard.commands.stores import open_store


class StoreOnDemand:
    """The store as `summary` uses it: opened the first time a source cannot be read (its
    last good read is then served). A summary whose every source reads neither imports
    SQLAlchemy nor touches the database (about 0.1 s and 18 MiB of the command's time and
    peak memory on the large coalition). Only the two reads the fallback makes are
    offered: `summary` never writes."""

    def __init__(self, config):
        import threading

        self._config, self._store, self._opened = config, None, False
        self._lock = threading.Lock()          # Google sources are read on threads

    def _open(self):
        with self._lock:
            if not self._opened:
                self._store, self._opened = open_store(self._config, optional=True), True
        return self._store

    def checked_read(self, *args):
        return self._read("checked_read", *args)

    def last_good_read(self, *args):
        return self._read("last_good_read", *args)

    def _read(self, name: str, *args):
        from dashboard.store import StoreError
        store = self._open()
        try:
            return None if store is None else getattr(store, name)(*args)
        except StoreError as err:   # e.g. corrupt: the source's error is shown instead
            sys.stderr.write(f"warning: {err}; no last good read is available\n")
            return None


def format_table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(v).rjust(w) if i else str(v).ljust(w)  # noqa: E731
                               for i, (v, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def human_summary(summary: dict, campaign: str) -> str:
    out = [f"{campaign}: figures at {summary['generated_at']}", ""]
    coalition = summary["coalition"]
    out += [f"  {FIGURE_LABELS[k]:<26}{coalition[k]:>10,}" for k in FIGURES]
    out.append("")
    header = ["charity", "status", "errors", "warnings", *[k.replace("attendees_", "") for k in FIGURES]]
    rows = [[c["name"], c["status"], c["errors"], c["warnings"], *[f"{c[k]:,}" for k in FIGURES]]
            for c in summary["charities"]]
    out.append(format_table(rows, header))
    stale = [c for c in summary["charities"] if c["status"] != "ok"]
    # Why, in words: the issue saying the source could not be read (the first of its charity's).
    why: dict[str, str] = {}
    for issue in summary["issues"]:
        if issue["row"] is None and issue["tab"] is None:
            why.setdefault(issue["charity"], issue["message"])
    for c in stale:
        out.append(f"  ! {c['name']}: {c['status']}" + (f" (data as of {c['as_of']})" if c["as_of"] else "")
                   + (f": {why[c['name']]}" if c["name"] in why else ""))
    return "\n".join(out)


WRITTEN_AT_ONCE = 1 << 16          # characters


def write_in_pieces(stream, parts, size: int = WRITTEN_AT_ONCE) -> None:
    """`parts` written to `stream` joined into pieces of about `size` characters. An
    unbuffered stdout (PYTHONUNBUFFERED, set in many containers) makes every write a
    system call: 25,500 of them, 0.03 s, for the issues of a 50-charity summary written
    one at a time; the whole text at once would be 6 MB more memory."""
    piece: list[str] = []
    held = 0
    for part in parts:
        piece.append(part)
        held += len(part)
        if held >= size:
            stream.write("".join(piece))
            piece, held = [], 0
    if piece:
        stream.write("".join(piece))


def cmd_summary(args) -> int:
    from dashboard.config import load_config
    from dashboard.pipeline import load_coalition

    config = load_config(args.config)
    coalition = load_coalition(config, store=StoreOnDemand(config))
    summary = build_summary(coalition)
    # The typed frames (most of the memory) are not needed for writing the summary out.
    del coalition
    if args.json:
        write_in_pieces(sys.stdout, summary_json_parts(summary))
        sys.stdout.write("\n")
    else:
        print(human_summary(summary, config.name))
    return 0
