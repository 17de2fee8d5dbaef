"""First render and rerun of every page, on the demo and on the large coalition.

    python benchmarks/bench_app.py [--data DIR] [--reruns 5] [--skip-large]

Each coalition runs in its own process (fresh Streamlit caches, its own peak memory),
through streamlit.testing.v1.AppTest: the entry script, then `switch_page` to each page
listed in streamlit_app.py. DASHBOARD_CONFIG names the coalition and DASHBOARD_STORAGE_URL
a new SQLite file. Timed per page:

* first render: the page's first run in the session; the Overview's includes the one
  refresh that reads every source (cold cache), later pages read the shared cache;
* rerun: the page run again (what a click on a widget costs), median of `--reruns`.

The alternative is the same app without the shared cache: what every rerun would cost if
each one read and checked the sheets again (load_coalition + build_summary + the pages'
tables), measured in the same process.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (ROOT, collect, demo_coalition, emit, large_coalition,  # noqa: E402
                               machine, machine_line, median,
                               our_bytecode_compiled, same_allocator_for_everything, Timer)

GOAL_RERUN_MS = 150
ENTRY = ROOT / "streamlit_app.py"


def pages() -> list[tuple[str, str]]:
    """(path, title) of every page the entry script registers, in its order."""
    text = ENTRY.read_text(encoding="utf-8")
    found = re.findall(r'st\.Page\(\s*"([^"]+)"\s*,\s*title="([^"]+)"', text)
    return [(path, title) for path, title in found if (ROOT / path).exists()]


def uncached_work(config_path: str) -> float:
    """Seconds one rerun would take without the shared cache."""
    from dashboard import views
    from dashboard.config import load_config
    from dashboard.pipeline import load_coalition
    from dashboard.summary import build_summary

    with Timer() as t:
        coalition = load_coalition(load_config(config_path))
        build_summary(coalition)
        mps = views.mp_table(coalition)
        media = views.media_items(coalition)
        views.by_party(mps), views.joint_meetings(coalition), views.media_over_time(media)
        views.charity_table(coalition), coalition.issues_frame()
    return t.wall


def one_coalition(config_path: str, reruns: int) -> dict:
    """Runs in its own process: every page's first render and reruns."""
    import logging

    from streamlit.testing.v1 import AppTest

    logging.getLogger("dashboard").setLevel(logging.WARNING)
    results = {"pages": []}
    at = AppTest.from_file(str(ENTRY), default_timeout=1800)
    for i, (path, title) in enumerate(pages()):
        with Timer() as t:
            if i:
                at.switch_page(path)
            at.run()
        problems = [str(e.value)[:200] for e in at.exception]
        times = []
        for _ in range(reruns):
            with Timer() as r:
                at.run()
            times.append(r.wall * 1000)
        problems += [str(e.value)[:200] for e in at.exception]
        results["pages"].append({"page": title, "path": path, "first_ms": t.wall * 1000,
                                 "rerun_ms": median(times), "reruns_ms": times,
                                 "errors": problems})
        print(f"    {title:28s} first {t.wall * 1000:8.0f} ms   rerun {median(times):7.0f} ms"
              + (f"   ERROR {problems[0]}" if problems else ""), flush=True)
    results["uncached_rerun_ms"] = uncached_work(config_path) * 1000
    results["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return results


def run_child(label: str, config: Path, reruns: int) -> dict | None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-app-"))
    env = {**os.environ, "DASHBOARD_CONFIG": str(config),
           "DASHBOARD_STORAGE_URL": f"sqlite:///{tmp / 'state.sqlite'}", "PYTHONPATH": str(ROOT)}
    print(f"  {label}: {config}", flush=True)
    proc = subprocess.run([sys.executable, __file__, "--child", str(config), "--reruns", str(reruns)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
    for line in proc.stdout.splitlines():
        if line.startswith("    "):
            print(line)
    result = collect(proc.stdout)
    if result is None:
        print(f"  ! {label} failed (exit {proc.returncode}): {proc.stderr.strip()[-1500:]}")
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="page render and rerun times")
    parser.add_argument("--data", help="folder for the large coalition (reused if present)")
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        emit(one_coalition(args.child, args.reruns))
        return 0

    same_allocator_for_everything()
    our_bytecode_compiled()
    info = machine()
    print(machine_line(info))
    demo, demo_label = demo_coalition()
    runs = {"demo": (demo, demo_label)}
    if not args.skip_large:
        runs["large"] = (large_coalition(args.data), "large coalition (50 charities, 725,000 rows)")
    out = {"machine": info, "goal_rerun_ms": GOAL_RERUN_MS}
    for key, (config, label) in runs.items():
        result = run_child(f"{key}: {label}", config, args.reruns)
        if result is None:
            continue
        result["label"] = label
        out[key] = result
        worst = max(result["pages"], key=lambda p: p["rerun_ms"]) if result["pages"] else None
        print(f"  {key}: slowest rerun {worst['page'] if worst else '-'} "
              f"{worst['rerun_ms'] if worst else float('nan'):.0f} ms; without the shared cache every rerun "
              f"would take {result['uncached_rerun_ms']:.0f} ms; peak RSS {result['peak_rss_mib']:.0f} MiB")
    emit(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
