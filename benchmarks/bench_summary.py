"""The `summary` on a large coalition against the floor: merely reading the same CSV files.

    python benchmarks/bench_summary.py [--data DIR] [--repeat 3]

The coalition is benchmarks/generate.py's: 50 charities, each a folder of four CSV files
(10,000 attendees, 2,000 MP meetings, 500 pledges, 2,000 media rows, with the contract's
mess), generated into DIR (or a temporary folder) unless DIR already holds it.

Measured in this run, each `--repeat` times, ours and the floor interleaved, medians shown:

* in-process: dashboard.pipeline.load_coalition + dashboard.summary.build_summary (every
  check the CLI runs) against `pandas.read_csv(file)` of every file, defaults, one by one;
* as a command: `python -m dashboard summary --json` against `python -c` reading every file
  with pandas, both new processes (so both pay their imports), with each one's peak RSS;
* one run of each under tracemalloc (peak Python allocations);
* where the time goes (read, validate, extra checks, merge and figures, JSON);
* `python -X importtime -m dashboard summary --json` on the demo: import time, and that
  neither plotly nor streamlit is imported by the command line.
"""
from __future__ import annotations

import argparse
import gc
import glob
import os
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (ROOT, demo_coalition, emit, large_coalition, machine,  # noqa: E402
                               machine_line, median, same_allocator_for_everything,
                               Timer)

PY = sys.executable
GOAL_RATIO = 2.0


def csv_files(config: Path) -> list[str]:
    return sorted(glob.glob(str(config.parent / "*" / "*.csv")))


def floor_in_process(files: list[str]) -> None:
    import pandas as pd
    for f in files:
        pd.read_csv(f)


def forget_remembered_values() -> None:
    """Empty every memo of values read from the sheets (parsed texts, constituency
    verdicts, person keys), so a repeat pays what a new process pays for them. The
    reference tables stay loaded: they do not depend on the sheets."""
    from dashboard import keys, validate
    from dashboard.official import parliament

    validate._TEXT_PARSERS.clear()
    parliament._judge.cache_clear()
    parliament._forget_verdicts()
    parliament._seat_named.cache_clear()
    keys.person_key.cache_clear()


def ours_in_process(config_path: Path) -> dict:
    from dashboard.config import load_config
    from dashboard.pipeline import load_coalition
    from dashboard.summary import build_summary

    forget_remembered_values()
    config = load_config(config_path)
    summary = build_summary(load_coalition(config))
    return summary


def breakdown(config_path: Path) -> dict:
    """Sequential, one charity after another, so each stage is timed on its own."""
    from connectors.base import read_source
    from dashboard import validate
    from dashboard.config import load_config
    from dashboard.pipeline import ROWS_CHECKED_TOGETHER, Coalition, CharityResult, default_checks
    from dashboard.summary import build_summary

    forget_remembered_values()
    config = load_config(config_path)
    out = {}
    with Timer() as t:
        raws = [read_source(c.source, base_dir=config.base_dir) for c in config.charities]
    out["read CSV (connectors.local)"] = t.wall
    with Timer() as t:
        # (in batches of about ROWS_CHECKED_TOGETHER rows, each tab checked across the
        # batch, as pipeline.load_coalition checks local files)
        batches, batch, rows = [], [], 0
        for raw, c in zip(raws, config.charities):
            batch.append((raw, c.name))
            rows += sum(len(tab.cells) for tab in raw.tabs)
            if rows >= ROWS_CHECKED_TOGETHER or c is config.charities[-1]:
                batches.append(validate.validate_workbooks(batch, config.start, config.end)[0])
                batch, rows = [], 0
        datas = [d for checked in batches for d in checked]
    out["validate (contract sections 2-3)"] = t.wall
    with Timer() as t:
        for checked in batches:               # (each batch's rows judged together)
            for check in default_checks():
                check.together(checked, config)
    out["extra checks (parliament.check_charities_data)"] = t.wall
    coalition = Coalition(config, [
        CharityResult(c.name, c.source, "csv", "ok", r.read_at, None, d.frames, d.issues)
        for c, r, d in zip(config.charities, raws, datas)], raws[0].read_at)
    with Timer() as t:
        coalition.figures
    out["merge, identities, figures (figures.py)"] = t.wall
    with Timer() as t:
        build_summary(coalition)
    out["summary dict"] = t.wall
    return out


# Runs the command and reports its wall time and peak RSS. A child's ru_maxrss starts at
# its parent's resident size when it was forked (Linux keeps the high-water mark across
# exec), so the command is started from this small process, not from the benchmark's, whose
# in-process runs hold the whole coalition: the benchmark's own peak was reported for ours
# and the floor alike.
_LAUNCHER = """import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:])
wall = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(f"\\nLAUNCHER {wall} {peak}\\n")
sys.exit(code)
"""


def run_command(args: list[str], env: dict, stdout_path: str) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of one new process."""
    with open(stdout_path, "wb") as out:
        proc = subprocess.run([PY, "-c", _LAUNCHER, *args], cwd=ROOT, env=env, stdout=out,
                              stderr=subprocess.PIPE)
    err = proc.stderr.decode(errors="replace")
    tail = err.rsplit("\nLAUNCHER ", 1)
    wall, peak_kib = (float(x) for x in tail[1].split()) if len(tail) == 2 else (float("nan"),) * 2
    if proc.returncode != 0:
        print(f"  ! {' '.join(args[:4])} ... exited {proc.returncode}: {tail[0].strip()[-300:]}")
    return wall, peak_kib / 1024, proc.returncode


def import_check(env: dict) -> dict:
    """`python -X importtime -m dashboard summary --json` on the demo."""
    demo, _ = demo_coalition()
    proc = subprocess.run([PY, "-X", "importtime", "-m", "dashboard", "summary", "--json",
                           "--config", str(demo)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = [p.strip() for p in line[len("import time:"):].split("|")]
        if not parts[0].isdigit():
            continue
        rows.append((int(parts[0]), int(parts[1]), parts[2]))
    names = {name.strip() for _, _, name in rows}
    top = sorted((r for r in rows if not r[2].startswith(" ")), key=lambda r: -r[1])[:6]
    return {
        "exit_code": proc.returncode,
        "import_seconds": sum(s for s, _, _ in rows) / 1e6,
        "imports_plotly": any(n == "plotly" or n.startswith("plotly.") for n in names),
        "imports_streamlit": any(n == "streamlit" or n.startswith("streamlit.") for n in names),
        "top_level": [(name, round(cum / 1e6, 3)) for _, cum, name in top],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="summary vs reading the CSV files")
    parser.add_argument("--data", help="folder for the large coalition (reused if present)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    same_allocator_for_everything()
    info = machine()
    print(machine_line(info))
    config = large_coalition(args.data)
    files = csv_files(config)
    size_mb = sum(os.path.getsize(f) for f in files) / 1e6
    print(f"large coalition: {config}  ({len(files)} CSV files, {size_mb:.0f} MB)")

    tmp = Path(tempfile.mkdtemp(prefix="bench-summary-"))
    env = {**os.environ, "DASHBOARD_STORAGE_URL": f"sqlite:///{tmp / 'state.sqlite'}",
           "PYTHONPATH": str(ROOT)}
    env.pop("DASHBOARD_CONFIG", None)
    floor_cmd = [PY, "-c", "import glob, sys, pandas as pd\n"
                 "for f in sorted(glob.glob(sys.argv[1] + '/*/*.csv')): pd.read_csv(f)",
                 str(config.parent)]
    ours_cmd = [PY, "-m", "dashboard", "summary", "--json", "--config", str(config)]

    floor_wall, floor_cpu, ours_wall, ours_cpu = [], [], [], []
    cli_wall, cli_rss, floor_cmd_wall, floor_cmd_rss = [], [], [], []
    summary = None
    for i in range(args.repeat):
        gc.collect()
        with Timer() as t:
            floor_in_process(files)
        floor_wall.append(t.wall)
        floor_cpu.append(t.cpu)
        gc.collect()
        with Timer() as t:
            summary = ours_in_process(config)
        ours_wall.append(t.wall)
        ours_cpu.append(t.cpu)
        w, rss, _ = run_command(floor_cmd, env, str(tmp / "floor.out"))
        floor_cmd_wall.append(w)
        floor_cmd_rss.append(rss)
        w, rss, code = run_command(ours_cmd, env, str(tmp / "summary.json"))
        cli_wall.append(w)
        cli_rss.append(rss)
        print(f"  repeat {i + 1}: in-process ours {ours_wall[-1]:.2f} s vs floor {floor_wall[-1]:.2f} s;"
              f" command ours {cli_wall[-1]:.2f} s vs floor {floor_cmd_wall[-1]:.2f} s", flush=True)

    stages = breakdown(config)

    gc.collect()
    tracemalloc.start()
    floor_in_process(files)
    floor_traced = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()
    gc.collect()
    tracemalloc.start()
    ours_in_process(config)
    ours_traced = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()

    imports = import_check(env)
    coalition = summary["coalition"] if summary else {}

    ratio = median(ours_wall) / median(floor_wall)
    cli_ratio = median(cli_wall) / median(floor_cmd_wall)
    print()
    print(f"summary of the large coalition (median of {args.repeat}):")
    print(f"  in-process  ours {median(ours_wall):6.2f} s (CPU {median(ours_cpu):.2f} s)   "
          f"floor pd.read_csv of every file {median(floor_wall):6.2f} s (CPU {median(floor_cpu):.2f} s)"
          f"   ratio {ratio:.1f}x (goal <= {GOAL_RATIO:.0f}x)")
    print(f"  command     ours {median(cli_wall):6.2f} s, peak RSS {max(cli_rss):.0f} MiB   "
          f"floor python -c read_csv {median(floor_cmd_wall):6.2f} s, peak RSS {max(floor_cmd_rss):.0f} MiB"
          f"   ratio {cli_ratio:.1f}x")
    print(f"  tracemalloc peak: ours {ours_traced:.0f} MiB, floor {floor_traced:.0f} MiB")
    print("  where the time goes (one sequential run):")
    for name, seconds in stages.items():
        print(f"    {name:48s} {seconds:6.2f} s")
    print(f"  figures: {coalition}")
    print(f"  issues listed: {len(summary['issues']) if summary else '?'}")
    print(f"  CLI imports (demo, -X importtime): {imports['import_seconds']:.2f} s of imports; "
          f"plotly imported: {imports['imports_plotly']}; streamlit imported: {imports['imports_streamlit']}")
    print(f"    largest top-level imports (cumulative s): {imports['top_level']}")

    emit({
        "machine": info,
        "in_process": {"ours_s": median(ours_wall), "floor_s": median(floor_wall),
                       "ours_cpu_s": median(ours_cpu), "floor_cpu_s": median(floor_cpu),
                       "ratio": ratio, "runs_ours": ours_wall, "runs_floor": floor_wall},
        "command": {"ours_s": median(cli_wall), "floor_s": median(floor_cmd_wall), "ratio": cli_ratio,
                    "ours_peak_rss_mib": max(cli_rss), "floor_peak_rss_mib": max(floor_cmd_rss)},
        "tracemalloc_peak_mib": {"ours": ours_traced, "floor": floor_traced},
        "stages_s": stages, "imports": imports, "goal_ratio": GOAL_RATIO,
        "csv_files": len(files), "csv_mb": size_mb,
    })
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
