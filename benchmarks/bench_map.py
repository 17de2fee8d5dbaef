"""The hex map and the briefings: what a refresh builds once, what every rerun pays.

    python benchmarks/bench_map.py [--data DIR] [--skip-large] [--reruns 9]

Per coalition (the demo; the large one unless --skip-large), in this process:

* once per refresh: seat_engagement (each seat's met / pledged state), hex_figure
  (the unfiltered map), weekly_coverage;
* every rerun of the page: the map's JSON (st.plotly_chart serialises the cached figure
  on every run) and its size;
* on a click: the briefings of every MP not yet met (one HTML file).

Then the MP coverage page through AppTest on the demo: its rerun (median of --reruns),
and the map section's and coverage-over-time section's own share of it.
"""
from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (ROOT, demo_coalition, emit, large_coalition, machine,  # noqa: E402
                               machine_line, median, Timer)

GOAL_RERUN_MS = 150


def pieces(config_path: Path) -> dict:
    import plotly.io as pio

    from dashboard.reports import briefings
    from dashboard import clock
    from dashboard.official import mp_map
    from dashboard.config import load_config
    from dashboard.official.parliament import parliament_for
    from dashboard.pipeline import load_coalition

    config = load_config(config_path)
    coalition = load_coalition(config)
    parliament = parliament_for(config.start, config.end)
    out = {}
    with Timer() as t:
        engagement = mp_map.seat_engagement(coalition, parliament)
    out["engagement_ms"] = t.wall * 1000
    with Timer() as t:
        fig = mp_map.hex_figure(engagement)
    out["figure_ms"] = t.wall * 1000
    with Timer() as t:
        mp_map.weekly_coverage(engagement, config.start, config.end, clock.now())
    out["weekly_ms"] = t.wall * 1000
    times = []
    for _ in range(5):
        with Timer() as t:
            spec = pio.to_json(fig, validate=False)
        times.append(t.wall * 1000)
    out["json_ms"], out["json_kib"] = median(times), len(spec) / 1024
    codes = mp_map.seat_codes(engagement, ("not_met",))
    with Timer() as t:
        page = briefings.briefings_html(coalition, engagement, codes, parliament, title="bench")
    out["briefings_ms"], out["briefings_mps"] = t.wall * 1000, len(codes)
    out["briefings_kib"] = len(page.encode("utf-8")) / 1024
    return out


def page_rerun(reruns: int) -> dict:
    """The MP coverage page's rerun on the demo, and the map sections' share of it."""
    import logging

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.app import map_page

    logging.getLogger("dashboard").setLevel(logging.WARNING)
    spent: dict[str, list[float]] = {}

    def timed(name, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with Timer() as t:
                result = fn(*args, **kwargs)
            spent.setdefault(name, []).append(t.wall * 1000)
            return result
        return wrapper

    for name in ("render_map_section", "render_coverage_over_time"):
        setattr(map_page, name, timed(name, getattr(map_page, name)))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600)
    at.run()
    at.switch_page("pages/coverage.py")
    at.run()
    at.run()
    spent.clear()
    times = []
    for _ in range(reruns):
        with Timer() as t:
            at.run()
        times.append(t.wall * 1000)
    st.cache_resource.clear()
    return {"rerun_ms": median(times), "reruns_ms": times,
            **{f"{k}_ms": median(v) for k, v in spent.items()}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="hex map and briefings timings")
    parser.add_argument("--data", help="folder for the large coalition (reused if present)")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--reruns", type=int, default=9)
    args = parser.parse_args(argv)
    info = machine()
    print(machine_line(info))
    runs = {"demo": demo_coalition()[0]}
    if not args.skip_large:
        runs["large"] = large_coalition(args.data)
    out = {"machine": info, "goal_rerun_ms": GOAL_RERUN_MS}
    for key, config in runs.items():
        result = pieces(config)
        out[key] = result
        print(f"  {key}: once per refresh: seats {result['engagement_ms']:.0f} ms, map "
              f"{result['figure_ms']:.0f} ms, weekly {result['weekly_ms']:.0f} ms; every rerun: "
              f"map JSON {result['json_ms']:.0f} ms ({result['json_kib']:.0f} KiB); briefings of "
              f"{result['briefings_mps']} MPs not met: {result['briefings_ms']:.0f} ms "
              f"({result['briefings_kib']:.0f} KiB)", flush=True)
    os.environ["DASHBOARD_STORAGE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'state.sqlite'}"
    os.environ.pop("DASHBOARD_CONFIG", None)
    page = page_rerun(args.reruns)
    out["coverage_page"] = page
    print(f"  demo MP coverage page rerun: {page['rerun_ms']:.0f} ms (goal {GOAL_RERUN_MS}); of "
          f"which the map section {page.get('render_map_section_ms', float('nan')):.0f} ms and "
          f"coverage over time {page.get('render_coverage_over_time_ms', float('nan')):.0f} ms")
    emit(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
