"""`python -m dashboard link`: mint, list or revoke signed links."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from dashboard import clock
from dashboard.config import load_config, parse_duration
from dashboard.access.links import (LinkSecretError, base_url_for_links, find_link, link_status,
                                     link_url, mint_link)


def _fail(message: str, code: int = 2) -> int:
    sys.stderr.write(f"link: {message}\n")
    return code


def _short_time(text: str | None) -> str:
    if not text:
        return ""
    return clock.iso(dt.datetime.fromisoformat(text)) or ""


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows)


def cmd_link(args: argparse.Namespace) -> int:
    """`python -m dashboard link …`: mint (default), `list` or `revoke ID`."""
    from dashboard.store import Store

    config = load_config(args.config)
    store = Store(config.storage_url)
    action = getattr(args, "action", None)
    link_id = getattr(args, "link_id", None)
    if action == "list":
        return _fail("`link list` takes no ID") if link_id else _list(store)
    if action == "revoke":
        return _revoke(store, link_id)
    if link_id:
        return _fail(f"unexpected '{link_id}': use `link list`, `link revoke ID`, or "
                     "`link --role ROLE --expires DURATION`")
    return _mint(args, config, store)


def _list(store) -> int:
    """Every link minted, one line each, with whether it still works."""
    records = store.links()
    if not records:
        print("No links have been minted for this dashboard.")
        return 0
    now = clock.now()
    rows = [["id", "label", "role", "charity", "created", "expires", "status"]]
    rows += [[r["id"], r.get("label") or "", r["role"], r["charity"] or "",
              _short_time(r["created_at"]), _short_time(r["expires_at"]), link_status(r, now)]
             for r in records]
    print(_table(rows))
    return 0


def _revoke(store, link_id: str | None) -> int:
    """Revoke the link with this id or label (once: a second time says when it was)."""
    if not link_id:
        return _fail("give the id or label to revoke: python -m dashboard link revoke ID "
                     "(python -m dashboard link list shows them)")
    try:
        record = find_link(store, link_id)
    except ValueError as err:
        return _fail(str(err), 1)
    if record is None:
        return _fail(f"no link has the id or label '{link_id}'; python -m dashboard link "
                     "list shows them", 1)
    link_id = record["id"]
    if record["revoked_at"]:
        print(f"Link {link_id} was already revoked at {_short_time(record['revoked_at'])}.")
        return 0
    store.revoke_link(link_id, clock.now())
    who = record["role"] + (f" for {record['charity']}" if record["charity"] else "") \
        + (f", '{record['label']}'" if record.get("label") else "")
    print(f"Revoked link {link_id} ({who}). It no longer opens the dashboard.")
    return 0


def _mint(args: argparse.Namespace, config, store) -> int:
    """Mint a link: its address on stdout (nothing else, for scripts), what it opens and
    until when on stderr."""
    if not args.role:
        return _fail("give --role trustee, lead or coalition and --expires (e.g. 30d); "
                     "or use `link list` / `link revoke ID`")
    if not args.expires:
        return _fail("give --expires, how long the link works: e.g. 30d, 12h")
    try:
        lifetime = parse_duration(args.expires)
        base_url = base_url_for_links(config, args.base_url)   # before anything is recorded
        link = mint_link(store, config, args.role, lifetime, args.charity, label=args.label)
    except (ValueError, LinkSecretError) as err:
        return _fail(str(err))
    print(link_url(base_url, link.token))
    who = link.role + (f" for {link.charity}" if link.charity else "")
    sys.stderr.write(f"Link {link.link_id} ({who}) works until {clock.iso(link.expires_at)}. Send it "
                     "privately: anyone who has it can open the dashboard as this role until then. "
                     f"Withdraw it with: python -m dashboard link revoke {link.link_id}\n")
    if config.access_mode == "open":
        sys.stderr.write('note: [access] mode is "open" in the config, so anyone with the '
                         "dashboard's address sees everything without a link. Set "
                         '[access] mode = "links" to require one.\n')
    return 0
