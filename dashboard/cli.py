"""`python -m dashboard COMMAND` (contract section 7).

Each command's handler lives in its own module of dashboard/commands/ and is imported only
when that command runs, so `summary` never pays for plotly or the export libraries.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sys

from dashboard import settings
from dashboard.config import ConfigError
from dashboard.memory import prefer_c_allocator

# command -> "module:function"; each function takes the parsed args and returns the exit code.
HANDLERS = {
    "summary": "dashboard.commands.summary:cmd_summary",
    "check": "dashboard.commands.check:cmd_check",
    "refresh": "dashboard.commands.refresh:cmd_refresh",
    "history": "dashboard.commands.history:cmd_history",
    "export": "dashboard.commands.export:cmd_export",
    "pack": "dashboard.commands.pack:cmd_pack",
    "link": "dashboard.commands.link:cmd_link",
    "template": "dashboard.commands.template:cmd_template",
    "placements": "dashboard.commands.placements:cmd_placements",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line a person can act on, exit 2
        sys.stderr.write(f"{self.prog}: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m dashboard", description="The coalition dashboard.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE",
                        help="coalition config (default: $DASHBOARD_CONFIG, else the bundled demo)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("summary", parents=[common], help="the coalition figures")
    p.add_argument("--json", action="store_true", help="one JSON object (contract section 6)")

    p = sub.add_parser("check", parents=[common], help="one source's issues, for a person")
    p.add_argument("source", help="a workbook, a CSV folder, gsheet:<key> or a Google Sheets URL")

    sub.add_parser("refresh", parents=[common],
                   help="read the sources now (Google sheets: only those that changed) and store them")

    p = sub.add_parser("history", parents=[common], help="stored snapshots, oldest first")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", parents=[common], help="validated, merged data as CSV and XLSX")
    p.add_argument("--out", required=True, metavar="DIR")

    p = sub.add_parser("pack", parents=[common], help="the weekly meeting pack (HTML and XLSX)")
    p.add_argument("--out", required=True, metavar="DIR")

    p = sub.add_parser("link", parents=[common], help="mint, list or revoke signed links")
    p.add_argument("action", nargs="?", choices=["list", "revoke"],
                   help="list the links minted, or revoke one by its id or label")
    p.add_argument("link_id", nargs="?", metavar="ID")
    p.add_argument("--role", choices=["trustee", "lead", "coalition"])
    p.add_argument("--charity", metavar="NAME")
    p.add_argument("--expires", metavar="DURATION", help="e.g. 30d, 12h")
    p.add_argument("--base-url", metavar="URL",
                   help="the dashboard's address (default: [access] base_url in the config)")
    p.add_argument("--label", metavar="TEXT", help="whom the link is for, shown by `link list`")

    p = sub.add_parser("template", parents=[common], help="the blank workbook a charity starts from")
    p.add_argument("--out", required=True, metavar="FILE.xlsx")

    p = sub.add_parser("placements", parents=[common], help="official placement figures by year")
    p.add_argument("--json", action="store_true")
    return parser


def collect_less() -> None:
    """The cycle collector's settings for a process that runs one command and exits.
    What exists before the command starts lives until the exit, so it is frozen out of
    every collection, and young objects are collected in larger steps: a 50-charity
    `summary` makes 25,000 issues and thousands of frames and arrays, which took 481
    collections and 0.2 s of its time (for 1,300 objects of cyclic garbage); now 80
    collections and 0.06 s, the same peak memory (docs/scale.md). Never in the app or a
    test run, which live on."""
    gc.freeze()
    gc.set_threshold(5000, 10, 10)


def done_collecting() -> None:
    """At the end of a process's one command: everything left (the libraries the command
    imported, its caches) lives until the exit, so it is frozen too. The interpreter's
    exit otherwise collects the whole heap once more, 0.08-0.12 s after a 50-charity
    `summary` (pandas' 67,000 objects), only to free what the exit frees anyway. Python
    never promised to finalize objects still alive at exit; files and stores are closed
    by the code that opened them, and the exit still flushes stdout and runs atexit."""
    gc.freeze()


def main(argv: list[str] | None = None, *, runs_once: bool = False) -> int:
    """`runs_once`: this process exits when the command is done (`python -m dashboard`)."""
    args = build_parser().parse_args(argv)
    try:
        settings.check_environment()       # a mistyped variable stops here, before any read
    except settings.SettingError as err:
        sys.stderr.write(f"setting error: {err}\n")
        return 2
    prefer_c_allocator()
    # One line per source read goes to stderr: shown for refresh (a timer's log), quiet otherwise.
    default = "INFO" if args.command == "refresh" else "WARNING"
    logging.basicConfig(level=settings.choice("DASHBOARD_LOG_LEVEL", default).upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    module_name, func_name = HANDLERS[args.command].split(":")
    handler = getattr(importlib.import_module(module_name), func_name)
    if runs_once:
        collect_less()
    try:
        return handler(args)
    except ConfigError as err:
        sys.stderr.write(f"config error: {err}\n")
        return 2
    except Exception as err:
        from dashboard.store import StoreError   # imported only now: `summary` stays light
        if not isinstance(err, StoreError):
            raise
        sys.stderr.write(f"store error: {err}\n")
        return 2
    except BrokenPipeError:
        return 0
    finally:
        if runs_once:
            done_collecting()
