"""`python -m dashboard template --out FILE.xlsx`: the blank workbook a charity starts from."""
from __future__ import annotations

import sys
from pathlib import Path

from dashboard.reports.files import write_atomically
from dashboard.reports.template import build_template, workbook_bytes


def cmd_template(args) -> int:
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".xlsx":
        sys.stderr.write(f"template: {out} must end in .xlsx (the template is an Excel workbook)\n")
        return 2
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(out, workbook_bytes(build_template()))
    except OSError as err:
        sys.stderr.write(f"template: cannot write {out}: {err.strerror or err}\n")
        return 2
    print(out.resolve())
    return 0
