"""The dashboard's way into connectors/: its clock and its settings passed in.

connectors/ reads no setting and no clock of its own (it imports nothing from dashboard),
so every read the dashboard makes goes through here and is stamped with DASHBOARD_NOW
when set, and authorised with GOOGLE_APPLICATION_CREDENTIALS."""
from __future__ import annotations

from pathlib import Path

from connectors.base import RawWorkbook, read_source
from dashboard import clock, settings


def google_key_file() -> str | None:
    """The service account's JSON key file the dashboard is configured with, or None."""
    return settings.value("GOOGLE_APPLICATION_CREDENTIALS")


def read(source: str, *, base_dir: Path | None = None, gspread_client=None) -> RawWorkbook:
    """One source read now, by the dashboard's clock, with the dashboard's credentials."""
    return read_source(source, base_dir=base_dir, gspread_client=gspread_client,
                       now=clock.now(), key_file=google_key_file())


def google_client():
    """A gspread client authorised with the dashboard's credentials. Raises SourceError."""
    from connectors.gsheets import default_client
    return default_client(google_key_file())
