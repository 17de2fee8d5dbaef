"""Writing a report's file whole or not at all."""
from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside `path`, then rename: a reader never sees half a file, and on a full
    disk (or any failure) neither a half-written file nor the temporary one is left.
    The file gets the default permissions (the umask), as any file a person saves."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())         # ENOSPC can surface only here, on some filesystems
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
