"""How the `summary` command grows with the coalition: 7, 25, 50 and 100 charities of the
large coalition's size each (benchmarks/generate.py), against merely reading the same
files with pandas, both as new processes.

    python benchmarks/bench_growth.py [--data DIR] [--repeat 2] [--sizes 7,25,50,100]

Coalitions are generated under DIR/<n> (or a temporary folder) unless already there. For
each size, medians of `--repeat` runs, ours and the floor interleaved: wall seconds of
`python -m dashboard summary --json` and of `python -c` reading every CSV file, their
ratio, our CPU per row (user + system time of the process over its rows) and peak RSS.
"""
from __future__ import annotations

import argparse
import glob
import os
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_summary import PY, run_command  # noqa: E402
from benchmarks.common import (LARGE, ROOT, emit, machine, machine_line, median,  # noqa: E402
                               our_bytecode_compiled, same_allocator_for_everything)


def coalition(folder: Path, charities: int) -> Path:
    from benchmarks.generate import generate
    config = folder / "coalition.toml"
    if not config.exists():
        print(f"generating {charities} charities in {folder} ...", flush=True)
        generate(folder, **{**LARGE, "charities": charities})
    return config


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="summary command against the read, by size")
    parser.add_argument("--data", help="folder for the coalitions (reused if present)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--sizes", default="7,25,50,100")
    args = parser.parse_args(argv)
    same_allocator_for_everything()
    our_bytecode_compiled()
    info = machine()
    print(machine_line(info))
    root = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="coalition-growth-"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-growth-"))
    env = {**os.environ, "DASHBOARD_STORAGE_URL": f"sqlite:///{tmp / 'state.sqlite'}",
           "PYTHONPATH": str(ROOT)}
    env.pop("DASHBOARD_CONFIG", None)
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        config = coalition(root / str(n), n)
        files = sorted(glob.glob(str(config.parent / "*" / "*.csv")))
        rows = sum(max(0, sum(1 for _ in open(f, "rb")) - 1) for f in files)
        floor_cmd = [PY, "-c", "import glob, sys, pandas as pd\n"
                     "for f in sorted(glob.glob(sys.argv[1] + '/*/*.csv')): pd.read_csv(f)",
                     str(config.parent)]
        ours_cmd = [PY, "-m", "dashboard", "summary", "--json", "--config", str(config)]
        ours, floor, cpu, rss = [], [], [], []
        for _ in range(args.repeat):
            w, _, _ = run_command(floor_cmd, env, str(tmp / "floor.out"))
            floor.append(w)
            before = children_cpu()
            w, peak, _ = run_command(ours_cmd, env, str(tmp / "summary.json"))
            cpu.append(children_cpu() - before)
            ours.append(w)
            rss.append(peak)
        result = {"charities": n, "rows": rows, "ours_s": median(ours), "floor_s": median(floor),
                  "ratio": median(ours) / median(floor),
                  "cpu_us_per_row": median(cpu) / rows * 1e6, "peak_rss_mib": max(rss)}
        results.append(result)
        print(f"  {n:4d} charities, {rows:9,d} rows: summary {result['ours_s']:6.2f} s, "
              f"read {result['floor_s']:5.2f} s, ratio {result['ratio']:4.1f}x, "
              f"{result['cpu_us_per_row']:4.1f} us CPU per row, peak RSS {result['peak_rss_mib']:.0f} MiB",
              flush=True)
    emit({"machine": info, "growth": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
