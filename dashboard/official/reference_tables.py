"""The project's shipped reference tables (dashboard/reference/), built by
scripts/build_reference_tables.py; one reader for all of them."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reference"


def read_reference_csv(path: str | Path, dtype) -> pd.DataFrame:
    """A shipped table as written (blank cells stay ""), or a FileNotFoundError saying how
    to rebuild it."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p} is missing: run `python scripts/build_reference_tables.py`")
    return pd.read_csv(p, encoding="utf-8", dtype=dtype, keep_default_na=False)
