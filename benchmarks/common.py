"""Shared by the benchmarks: the machine, timing, medians, the large coalition, results."""
from __future__ import annotations

import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS_TAG = "BENCH_RESULTS_JSON:"
# The large coalition of issue 7: 50 charities x (10,000 attendees, 2,000 MP meetings,
# 500 pledges, 2,000 media rows).
LARGE = dict(charities=50, attendees=10_000, meetings=2_000, pledges=500, media=2_000)
DEMO_CONFIG = ROOT / "dashboard" / "demo_data" / "coalition.toml"
SMALL_DEMO = dict(charities=7, attendees=60, meetings=25, pledges=10, media=8)


def same_allocator_for_everything() -> None:
    """Every process a benchmark starts or measures, ours and the alternative alike,
    allocates Arrow's columns as the dashboard does (dashboard/memory.py), so a comparison
    is of the work done, not of the allocator: started processes inherit the choice."""
    from dashboard.memory import prefer_c_allocator
    prefer_c_allocator()


def our_bytecode_compiled() -> None:
    """The project's modules compiled to bytecode (__pycache__), as pandas' and every
    installed library's already are: with PYTHONDONTWRITEBYTECODE set (as on some machines
    and containers) a module changed since its last compile is compiled again by every
    process that imports it, which added 0.05 s to each `summary` command measured, and
    nothing to the floor's."""
    import compileall
    for package in ("dashboard", "connectors", "benchmarks"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


def machine() -> dict:
    """nproc, memory, CPU model, Python: printed with every set of figures."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {"nproc": os.cpu_count(), "memory_gib": mem_gib, "cpu": model or "unknown",
            "python": platform.python_version(), "platform": platform.platform(),
            "load_1min": round(load, 2) if load is not None else None,
            "arrow_allocator": os.environ.get("ARROW_DEFAULT_MEMORY_POOL", "pyarrow's default")}


def machine_line(info: dict | None = None) -> str:
    m = info or machine()
    return (f"machine: {m['nproc']} CPU(s) ({m['cpu']}), {m['memory_gib']} GiB RAM, "
            f"Python {m['python']}, {m['platform']}; load average at start {m['load_1min']}; "
            f"Arrow allocator: {m.get('arrow_allocator', '?')}")


class Timer:
    """Wall-clock and this process's CPU time of a block."""

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


def median(values) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    # nearest-rank percentile
    rank = max(1, -(-95 * len(values) // 100))
    return values[rank - 1]


def children_maxrss_mib() -> float:
    """Peak resident memory of the largest child process waited for so far (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def large_coalition(data_dir: str | None) -> Path:
    """The large coalition's config: in `data_dir` if it already holds one, else generated
    there (or in a new temporary folder)."""
    from benchmarks.generate import generate

    folder = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="coalition-large-"))
    config = folder / "coalition.toml"
    if not config.exists():
        print(f"generating the large coalition in {folder} ...", flush=True)
        with Timer() as t:
            generate(folder, **LARGE)
        print(f"  generated in {t.wall:.1f} s", flush=True)
    return config


def demo_coalition() -> tuple[Path, str]:
    """The bundled demo, or (while it is missing) the generator at a small size."""
    if DEMO_CONFIG.exists():
        return DEMO_CONFIG, "bundled demo (dashboard/demo_data)"
    from benchmarks.generate import generate
    folder = Path(tempfile.mkdtemp(prefix="coalition-demo-"))
    return generate(folder, **SMALL_DEMO), "generated small coalition (bundled demo missing)"


def emit(results: dict) -> None:
    """The machine-readable line run_all.py collects."""
    print(RESULTS_TAG + " " + json.dumps(results, default=str), flush=True)


def collect(output: str) -> dict | None:
    for line in reversed(output.splitlines()):
        if line.startswith(RESULTS_TAG):
            return json.loads(line[len(RESULTS_TAG):])
    return None


def stop_process(proc: subprocess.Popen) -> None:
    """Stop a server this run started: SIGTERM (Streamlit and nginx finish cleanly on it),
    then SIGKILL if it is still there 15 s later."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
