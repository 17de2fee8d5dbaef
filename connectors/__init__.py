"""Sources: each returns a charity's workbook as raw cells, exactly as the sheet holds them.

Typing and checking happen later, in dashboard/validate.py, so every kind of source goes
through the same contract. Infrastructure failures are SourceError exceptions, raised here
and caught at the boundary (dashboard/pipeline.py); data problems are never raised.
"""
from connectors.base import (  # noqa: F401
    RawTab, RawWorkbook, SourceError, SourceForbidden, SourceNotFound,
    SourceUnavailable, SourceUnreadable, read_source, source_kind,
)
