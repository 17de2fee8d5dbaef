"""Opening the store for a command, with its trouble said once on stderr."""
from __future__ import annotations

import sys


def open_store(config, *, optional: bool = False):
    """The config's store, or None when it cannot be opened.

    `optional`: the command works without it (`summary`: only last good reads are lost),
    so any failure is a warning; otherwise (history, the pack) a StoreError is the
    command's error and anything else is a bug, raised."""
    from dashboard.store import Store, StoreError
    try:
        return Store(config.storage_url)
    except StoreError as err:
        sys.stderr.write(f"warning: {err}; no last good reads are available\n" if optional
                         else f"store error: {err}\n")
        return None
    except Exception as err:
        if not optional:
            raise
        sys.stderr.write(f"warning: the store {type(err).__name__} could not be opened; "
                         "no last good reads are available\n")
        return None
