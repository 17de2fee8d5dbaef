"""The benchmarks' pieces stay usable, and the fast paths agree with the rules they skip.

No timings here: benchmarks/run_all.py measures; these only check that the large-coalition
generator still makes a coalition the summary reads, that the command line stays light,
and that each shortcut taken for speed gives exactly what the slow rule gives.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from benchmarks.generate import generate
from connectors.local import _read_csv_fast
from dashboard.config import load_config
from dashboard.figures import media_url_keys
from dashboard.keys import media_url_key
from dashboard.pipeline import load_coalition
from dashboard.safe import safe_url
from dashboard.summary import build_summary
from dashboard.validate import _plain_urls
from tests.conftest import ROOT
from tests.fixtures import keyable_url, url_corpus

TINY = dict(charities=3, attendees=40, meetings=15, pledges=6, media=12)


def test_generator_makes_a_coalition_the_summary_reads(tmp_path):
    config = generate(tmp_path / "a", **TINY, seed=7)
    summary = build_summary(load_coalition(load_config(config)))
    assert [c["name"] for c in summary["charities"]] == ["Charity 001", "Charity 002", "Charity 003"]
    assert {c["status"] for c in summary["charities"]} == {"ok"}
    figures = summary["coalition"]
    assert 0 < figures["attendees_attended"] <= figures["attendees_registered"] <= 3 * 40
    assert 0 < figures["mp_meetings"] <= figures["meetings"] <= 3 * 15
    assert figures["media_mentions"] > 0 and figures["pledges"] > 0
    assert "warning" in {i["severity"] for i in summary["issues"]}     # its mess is reported


def test_generator_is_deterministic(tmp_path):
    a = generate(tmp_path / "a", **TINY, seed=3)
    b = generate(tmp_path / "b", **TINY, seed=3)
    files = sorted(p.relative_to(a.parent) for p in a.parent.rglob("*.csv"))
    assert files == sorted(p.relative_to(b.parent) for p in b.parent.rglob("*.csv"))
    assert all((a.parent / f).read_bytes() == (b.parent / f).read_bytes() for f in files)


def test_summary_command_imports_neither_plotly_nor_streamlit(tmp_path):
    config = generate(tmp_path / "c", **TINY)
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "dashboard", "summary", "--json",
                           "--config", str(config)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["coalition"]
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
                if line.startswith("import time:")}
    heavy = sorted(m for m in imported if m.split(".")[0] in ("plotly", "streamlit"))
    assert not heavy, heavy


def test_the_summary_benchmark_tells_a_changed_output(tmp_path, monkeypatch):
    """bench_summary compares the command's JSON with the output recorded before the
    speed-ups: the same bytes pass, one changed byte or another input does not."""
    from benchmarks import bench_summary as bench

    config = generate(tmp_path / "d", **TINY, seed=5)
    output = tmp_path / "summary.json"
    output.write_text('{"coalition": {"meetings": 12}}\n', encoding="utf-8")
    folder = config.parent
    recorded = {"input": bench.digest([*sorted(folder.glob("*/*.csv")), config], folder),
                "output": bench.sha256_of(output)}
    monkeypatch.setattr(bench, "EXPECTED", recorded)
    assert bench.same_output(config, output).startswith("the same")
    output.write_text('{"coalition": {"meetings": 13}}\n', encoding="utf-8")
    assert bench.same_output(config, output).startswith("DIFFERENT")
    next(folder.glob("*/*.csv")).write_text("Ref\n", encoding="utf-8")
    assert bench.same_output(config, output).startswith("not comparable")


def test_floor_app_renders_what_the_viewers_wait_for():
    """bench_viewers.py counts a page as rendered at the title "Overview" and a metric;
    the floor app it serves beside ours must show both, with no error."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "benchmarks" / "floor_app.py"), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Overview"]
    assert [m.value for m in at.metric] == ["100"]
    assert len(at.dataframe) == 1


def test_plain_link_shortcut_agrees_with_safe_url():
    urls = url_corpus()
    plain = _plain_urls(pd.Series(urls, dtype=object).to_numpy())
    assert plain.any() and not plain.all()
    assert [u for u, p in zip(urls, plain) if p and safe_url(u) != u] == []


def test_media_key_shortcut_agrees_with_media_url_key():
    urls = [u for u in url_corpus() if u and keyable_url(u)]
    assert media_url_keys(urls) == [media_url_key(u) for u in urls]


CSV_CASES = {
    "bom": "\ufeffRef,Status\nA1,attended\n".encode(),
    "crlf": b"Ref,Status\r\nA1,attended\r\n",
    "no final newline": b"Ref,Status\nA1,attended",
    "blank lines": b"Ref,Status\n\nA1,attended\n\n",
    "ragged": b"Ref,Status,Region\nA1,attended\n",
    "quoted newline": b'Ref,Notes\nA1,"line1\nline2"\nA2,x\n',
    "quotes": b'Ref,Notes\nA1,ab"c"d\nA2,"say ""hi"""\n',
    "spaces": b" Ref , Status \n A1 , attended \n",
    "one column blank line": b"Ref\n\nA1\n",
    "empty": b"",
    "latin-1": "Ref,Name\nA1,Caf\xe9\n".encode("latin-1"),
    "numbers and NA": b"a,b\n007,NA\n1e5,#N/A\n",
    "open quote": b'a,b\n1,"2\n3,4\n',
    "open quote, no newline": b'a,b\n1,"2',
    "two BOMs": "\ufeff\ufeffa,b\n1,2\n".encode(),
    # (larger than Arrow's 1 MB block: its columns come in several chunks)
    "many rows": b"Ref,Notes\n" + b"".join(b"A%d, note \xc3\xa9 %d\n" % (i, i) for i in range(80_000)),
    "cr in the last row": b'Ref,Notes\nA1,x\nA2,"a\rb"\n',
}


# Well-formed files the fast reader must take (else it would save nothing); the others it
# may refuse, and then pandas reads them.
FAST_CSV_CASES = {"bom", "crlf", "no final newline", "blank lines", "quoted newline", "quotes",
                  "spaces", "numbers and NA", "many rows"}


def _pandas_cells(path):
    """What pandas' reader gives for one CSV tab; None when it refuses the file."""
    try:
        expected = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, na_filter=False,
                               encoding="utf-8-sig", skip_blank_lines=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError):
        return None
    expected.columns = range(expected.shape[1])
    return expected


@pytest.mark.parametrize("name", sorted(CSV_CASES))
def test_fast_csv_reader_reads_what_pandas_reads(tmp_path, name):
    """The fast reader gives pandas' cells or refuses; it takes every well-formed case."""
    path = tmp_path / "tab.csv"
    path.write_bytes(CSV_CASES[name])
    expected = _pandas_cells(path)
    fast = _read_csv_fast(path)
    if name in FAST_CSV_CASES:
        assert fast is not None, "a well-formed file must take the fast path"
    if fast is not None:
        assert expected is not None, "the fast reader must refuse what pandas refuses"
        cells, coded = fast
        pd.testing.assert_frame_equal(cells, expected)
        # each column's codes give back its cells
        assert [column.dictionary.take(column.indices).to_pylist() for column in coded] == \
            [list(cells[pos]) for pos in cells.columns]


@pytest.mark.parametrize("name", sorted(CSV_CASES))
def test_the_csv_connector_gives_pandas_cells_whichever_reader_ran(tmp_path, name):
    """Fast path or not, a CSV tab reads as pandas reads it (an empty file as no cells) and a
    file pandas refuses is unreadable."""
    from connectors.base import SourceUnreadable
    from connectors.local import read_csv_folder

    (tmp_path / "tab.csv").write_bytes(CSV_CASES[name])
    expected = _pandas_cells(tmp_path / "tab.csv")
    if name == "empty":
        expected = pd.DataFrame(dtype=object)
        expected.columns = range(0)
    if expected is None:
        with pytest.raises(SourceUnreadable):
            read_csv_folder(tmp_path, source="folder")
        return
    cells = read_csv_folder(tmp_path, source="folder").tabs[0].cells
    pd.testing.assert_frame_equal(cells, expected)
