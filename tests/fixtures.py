"""Data and helpers shared by several test modules (test modules never import each other).

The history and pack tests' hand-worked data: two readings a week apart.

                      Become          Coram           Coalition
                      wk1    wk2      wk1   wk2       wk1    wk2      change
attendees_registered   10    210        5     5        15    215       +200
attendees_attended      6      3        2     2         8      5         -3
meetings                4      4        2     2         5      5          0   (one joint meeting)
mp_meetings             3      3        2     2         4      4          0
mps_met                 3      3        2     2         4      4          0
pledges                 2      4        1     1         3      5         +2
media_mentions          1      3        0     0         1      3         +2
media_reach          1200 251200        0     0      1200 251200    +250000
"""
from __future__ import annotations

import datetime as dt
import os
import random
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dashboard.config import DEMO_CONFIG, DEMO_DIR, CharityConfig, Config
from dashboard.contract import FIGURES
from dashboard.history import snapshot_from_summary

BST = dt.timezone(dt.timedelta(hours=1))
WEEK1 = dt.datetime(2022, 6, 16, 9, 0, tzinfo=BST)
WEEK2 = dt.datetime(2022, 6, 23, 9, 0, tzinfo=BST)
NOW = dt.datetime(2022, 6, 23, 9, 30, tzinfo=BST)

BECOME = {1: [10, 6, 4, 3, 3, 2, 1, 1200], 2: [210, 3, 4, 3, 3, 4, 3, 251200]}
CORAM = {1: [5, 2, 2, 2, 2, 1, 0, 0], 2: [5, 2, 2, 2, 2, 1, 0, 0]}
COALITION_FIGS = {1: [15, 8, 5, 4, 4, 3, 1, 1200], 2: [215, 5, 5, 4, 4, 5, 3, 251200]}
CHANGE = dict(zip(FIGURES, [200, -3, 0, 0, 0, 2, 2, 250000]))

CORAM_NAME = "Coram <script>alert(1)</script> & Co"   # hostile on purpose: must be escaped
SECRET_REF = "NCB-007"                                # a young person's ref in an issue message
SECRET_NOTE = "Follow up with his mum about travel"   # free text that must never leave


def figures(values):
    return dict(zip(FIGURES, values))


def make_summary(week: int, *, coram_status="ok", coram_errors=0, coram_name=CORAM_NAME) -> dict:
    at = (WEEK1 if week == 1 else WEEK2).isoformat()
    return {
        "generated_at": at,
        "coalition": figures(COALITION_FIGS[week]),
        "charities": [
            {"name": "Become", "status": "ok", "as_of": at, "errors": 0, "warnings": 1,
             **figures(BECOME[week])},
            {"name": coram_name, "status": coram_status, "as_of": WEEK1.isoformat(),
             "errors": coram_errors, "warnings": 0, **figures(CORAM[week])},
        ],
        "issues": [
            {"charity": "Become", "tab": "Attendees", "row": 4, "column": "Ref",
             "severity": "warning", "message": f"Ref {SECRET_REF} appears twice"},
            {"charity": coram_name, "tab": "MP meetings", "row": 7, "column": "Date",
             "severity": "error", "message": f"'{SECRET_NOTE}' is not a date"},
            {"charity": coram_name, "tab": "Attendees", "row": 9, "column": "Status",
             "severity": "error", "message": f"{SECRET_REF}: status 'maybe' is not allowed"},
            {"charity": coram_name, "tab": None, "row": None, "column": None,
             "severity": "error", "message": "The sheet is not shared with the dashboard"},
        ],
    }


def snap(at, week=1, sid=None) -> dict:
    """A stored-snapshot dict without a store."""
    at = at if isinstance(at, str) else at.isoformat()
    return {"id": sid or str(uuid.uuid4()), "at": at, **snapshot_from_summary(make_summary(week))}


def pg_url() -> str | None:
    return os.environ.get("DASHBOARD_TEST_PG_URL", "").strip() or None


def forget_engine(url: str) -> None:
    """Drop the store's cached engine, as a restart would."""
    from dashboard import store as store_module
    engine = store_module._engines.pop(url, None)
    if engine is not None:
        engine.dispose()


STORE_KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    pg_url() is None, reason="set DASHBOARD_TEST_PG_URL (scripts/ci_postgres.sh) to run on PostgreSQL"))]


def make_store_url(kind: str, tmp_path: Path):
    """(url, cleanup): a fresh SQLite file, or a fresh schema in the test PostgreSQL."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'state.sqlite'}"
        return url, lambda: forget_engine(url)
    from sqlalchemy import create_engine, text
    base = pg_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"

    def cleanup():
        forget_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    return url, cleanup


def write_config(path: Path, storage_url: str, *, last_meeting: str | None = None,
                 coram_name: str = "Coram") -> Path:
    meeting = f"\n[meeting]\nlast = {last_meeting}\n" if last_meeting else ""
    path.write_text(f'''
[campaign]
name = "#ItsOurCare Day of Action"
start = 2022-05-23
end = 2022-07-22

[targets]
attendees_attended = 5
mps_met = 150
pledges = 100

[storage]
url = "{storage_url}"
{meeting}
[[charity]]
name = "Become"
source = "become/"

[[charity]]
name = "{coram_name}"
source = "coram/"
''', encoding="utf-8")
    return path


# -- the pack's tests (and the MP map's section of the pack) --------------------------

def config(last_meeting=None, name="#ItsOurCare <Day> of Action") -> Config:
    return Config(path=Path("/tmp/coalition.toml"), name=name, start=dt.date(2022, 5, 23),
                  end=dt.date(2022, 7, 22),
                  charities=(CharityConfig("Become", "become/"), CharityConfig(CORAM_NAME, "coram/")),
                  targets={"attendees_attended": 5, "mps_met": 150, "pledges": 100},
                  storage_url="sqlite://", last_meeting=last_meeting)


def stored(week: int, at: dt.datetime, sid: str) -> dict:
    return {"id": sid, "at": at.isoformat(), **snapshot_from_summary(make_summary(week))}


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of every <style> element.
    Script bodies are raw text to the parser, so strings inside plotly.js are not tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: (v or "") for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


# -- the demo as a real coalition's first run ----------------------------------------

def real_copy_of_the_demo(tmp_path):
    """The demo's sheets under a config that is not marked demo (a real coalition's shape)."""
    text = DEMO_CONFIG.read_text(encoding="utf-8").replace("demo = true", "demo = false")
    for path in DEMO_DIR.glob("*.xlsx"):
        text = text.replace(f'"{path.name}"', f'"{path}"')
    config = tmp_path / "coalition.toml"
    config.write_text(text, encoding="utf-8")
    return config


def url_corpus() -> list[str]:
    """Links of every shape, random and hand-picked, for the media-key and plain-link
    shortcuts (the validation's, the figures')."""
    rng = random.Random(11)
    alphabet = [chr(c) for c in range(0x80)] + ["\u00a0", "\u200b", "é", "İ", "\ufeff"]
    bases = ["http://", "https://", "HTTPS://", "hTtp://", "http:/", "javascript:",
             "https://www.bbc.co.uk/news", "http://a", "https://x.example/", "https://a-b.c-d.e/x",
             "https://www.theguardian.com/society/2022/jun/22/care?utm_source=tw#top"]
    urls = {b + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
            for b in bases for _ in range(400)}
    urls |= {"https://www.bbc.co.uk/newsround/61890000", "http://bbc.co.uk/newsround/61890000/",
             "https://user:pw@bbc.co.uk/", "https://bbc.co.uk@evil.example/", "https://bbc..co.uk/",
             "https://-x.example/", "https://x.example:8080/a", "https://[::1]/", "HTTPS://WWW.X.EXAMPLE/",
             # queries: utm_ only (the shortcut), mixed, odd (media_url_key decides)
             "https://www.x.example/a/?utm_source=tw&UTM_Medium=social", "https://x.example/?utm_a=",
             "https://x.example/a?utm_a=b&id=7", "https://x.example/a?utm_a", "https://x.example/a?utm_a=b%20c",
             "https://x.example/a?utm_a=b&&utm_c=d", "https://x.example/a?id=1", "https://x.example/a/?utm_a=b#f"}
    return sorted(u.strip() for u in urls)


def keyable_url(url: str) -> bool:
    """Whether keys.media_url_key takes the link (urlsplit refuses some; those never reach
    the figures)."""
    from dashboard.keys import media_url_key
    try:
        media_url_key(url)
        return True
    except ValueError:
        return False


def write_workbook(path: Path, rows_by_tab: dict) -> Path:
    """An .xlsx workbook with one tab per (title, rows), rows as written."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in rows_by_tab.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def assert_merged_as_charity_by_charity(coalition) -> None:
    """What the coalition merged from its blocks (and what they worked out ahead) is what
    merging each charity's frames gives."""
    import pandas as pd

    from dashboard.contract import TABS
    from dashboard.pipeline import Coalition

    plain = Coalition(coalition.config, coalition.charities, coalition.read_at)
    for tab in TABS:
        pd.testing.assert_frame_equal(coalition.frame(tab.key), plain.frame(tab.key))
    pd.testing.assert_frame_equal(coalition.figures, plain.figures)
