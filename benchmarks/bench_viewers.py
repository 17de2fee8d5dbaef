"""Thirty people open the Overview at once: time to a rendered page, server memory, reads.

    python benchmarks/bench_viewers.py [--viewers 30] [--browsers 3] [--data DIR | --large]

Starts one `streamlit run streamlit_app.py` on a free loopback port (DASHBOARD_CONFIG: the
demo, or the large coalition with --large; DASHBOARD_STORAGE_URL: a new SQLite file), then
opens the Overview in `--viewers` headless Chromium sessions at the same moment (separate
browser contexts spread over `--browsers` browsers, so each is its own Streamlit session).
A page counts as rendered when its title "Overview" and its first metric are on screen.

Reported: P50/P95 seconds to the rendered Overview, server RSS (VmRSS) before and with
every viewer connected, and how many source reads the server made (its log has one line
per read, logger "dashboard.sources") and how many snapshots it stored: one refresh for
all viewers means one read per charity and one snapshot.

The alternative: the same viewers opening the page one after another, each on a cold
server-side cache, is what an app without a shared cache costs per viewer; here the
first viewer's time (the cold read) stands for it, measured in the same run.

Only 127.0.0.1 is contacted; every wait is bounded; the server is stopped at the end.
Needs /usr/bin/chromium (Debian: apt-get install chromium) and the playwright package.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (ROOT, demo_coalition, emit, large_coalition, machine,  # noqa: E402
                               machine_line, median, p95)

GOAL_P95_S = 3.0
GOAL_RSS_MB = 100
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-extensions", "--mute-audio"]
PAGE_TIMEOUT_S = 180
SERVER_START_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vm_rss_mib(pid: int) -> float | None:
    """VmRSS of the server process (and its children, if any) in MiB."""
    total = 0.0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total or None


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def wait_healthy(port: int, proc: subprocess.Popen) -> float:
    started = time.monotonic()
    while time.monotonic() - started < SERVER_START_TIMEOUT_S:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError("the server did not answer /_stcore/health in time")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


async def open_overviews(url: str, viewers: int, browsers: int) -> tuple[list[float], list[str]]:
    from playwright.async_api import async_playwright

    times: list[float] = []
    failures: list[str] = []
    async with async_playwright() as p:
        launched = [await p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
                    for _ in range(max(1, browsers))]
        try:
            contexts = [await launched[i % len(launched)].new_context(viewport={"width": 1280, "height": 900})
                        for i in range(viewers)]
            pages = [await c.new_page() for c in contexts]
            start = asyncio.Event()

            async def one(page) -> None:
                await start.wait()
                t0 = time.perf_counter()
                try:
                    await page.goto(url, wait_until="domcontentloaded", timeout=PAGE_TIMEOUT_S * 1000)
                    await page.get_by_role("heading", name="Overview").first.wait_for(
                        timeout=PAGE_TIMEOUT_S * 1000)
                    await page.locator('[data-testid="stMetric"]').first.wait_for(
                        timeout=PAGE_TIMEOUT_S * 1000)
                    times.append(time.perf_counter() - t0)
                except Exception as err:  # a viewer that never saw the page is reported, not hidden
                    failures.append(f"{type(err).__name__}: {str(err).splitlines()[0][:160]}")

            tasks = [asyncio.create_task(one(pg)) for pg in pages]
            await asyncio.sleep(0.1)
            start.set()
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=PAGE_TIMEOUT_S + 60)
            return times, failures
        finally:
            for b in launched:
                await b.close()


def count_reads(log_text: str) -> int:
    return len(re.findall(r"dashboard\.sources: source read ", log_text))


def count_snapshots(db: Path) -> int | None:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("select count(*) from snapshots").fetchone()[0]
    except sqlite3.Error:
        return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="concurrent viewers of the Overview")
    parser.add_argument("--viewers", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=3)
    parser.add_argument("--large", action="store_true", help="serve the large coalition")
    parser.add_argument("--data", help="folder of the large coalition (with --large)")
    args = parser.parse_args(argv)
    info = machine()
    print(machine_line(info))
    if not Path(CHROMIUM).exists():
        print(f"  ! {CHROMIUM} is missing: apt-get install chromium")
        emit({"machine": info, "skipped": f"{CHROMIUM} missing"})
        return 0
    if args.large:
        config, label = large_coalition(args.data), "large coalition"
    else:
        config, label = demo_coalition()
    n_charities = sum(1 for line in config.read_text().splitlines() if line.strip() == "[[charity]]")
    tmp = Path(tempfile.mkdtemp(prefix="bench-viewers-"))
    db = tmp / "state.sqlite"
    port = free_port()
    env = {**os.environ, "DASHBOARD_CONFIG": str(config), "DASHBOARD_STORAGE_URL": f"sqlite:///{db}",
           "PYTHONPATH": str(ROOT)}
    log_path = tmp / "server.log"
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
           "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    print(f"  {label}: {config} ({n_charities} charities); server on 127.0.0.1:{port}", flush=True)
    with open(log_path, "wb") as log:
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        startup = wait_healthy(port, server)
        time.sleep(1.0)
        rss_before = vm_rss_mib(server.pid)
        url = f"http://127.0.0.1:{port}/"
        times, failures = asyncio.run(open_overviews(url, args.viewers, args.browsers))
        time.sleep(0.5)
        rss_after = vm_rss_mib(server.pid)

        # The alternative: one viewer on a cold cache. Clear the server's caches by starting a
        # second server process on the same data, measured the same way with one browser.
        port2 = free_port()
        db2 = tmp / "state-cold.sqlite"
        env2 = {**env, "DASHBOARD_STORAGE_URL": f"sqlite:///{db2}"}
        cmd2 = [*cmd[:cmd.index("--server.port") + 1], str(port2), *cmd[cmd.index("--server.port") + 2:]]
        with open(tmp / "server-cold.log", "wb") as log2:
            cold = subprocess.Popen(cmd2, cwd=ROOT, env=env2, stdout=log2, stderr=subprocess.STDOUT)
        try:
            wait_healthy(port2, cold)
            cold_times, cold_fail = asyncio.run(open_overviews(f"http://127.0.0.1:{port2}/", 1, 1))
            warm_times, warm_fail = asyncio.run(open_overviews(f"http://127.0.0.1:{port2}/", 1, 1))
        finally:
            stop(cold)
    finally:
        stop(server)
    log_text = log_path.read_text(errors="replace")
    reads = count_reads(log_text)
    snapshots = count_snapshots(db)
    growth = (rss_after - rss_before) if rss_before and rss_after else None
    one_cold = cold_times[0] if cold_times else None
    one_warm = warm_times[0] if warm_times else None

    print(f"  server ready in {startup:.1f} s")
    print(f"  {len(times)} of {args.viewers} viewers saw the rendered Overview"
          + (f"; {len(failures)} failed: {failures[:3]}" if failures else ""))
    if times:
        print(f"  time to rendered Overview: P50 {median(times):.2f} s, P95 {p95(times):.2f} s, "
              f"max {max(times):.2f} s (goal P95 < {GOAL_P95_S:.0f} s)")
    print(f"  one viewer alone: cold cache {one_cold if one_cold is None else round(one_cold, 2)} s,"
          f" warm cache {one_warm if one_warm is None else round(one_warm, 2)} s")
    print(f"  server RSS: {rss_before:.0f} MiB idle -> {rss_after:.0f} MiB with {args.viewers} viewers "
          f"connected: +{growth:.0f} MiB (goal < {GOAL_RSS_MB} MB)" if growth is not None else
          "  server RSS: not measured")
    print(f"  source reads logged: {reads} for {n_charities} charities; snapshots stored: {snapshots} "
          f"(one refresh = {n_charities} reads and 1 snapshot)")
    emit({"machine": info, "label": label, "viewers": args.viewers, "browsers": args.browsers,
          "rendered": len(times), "failures": failures, "times_s": sorted(times),
          "p50_s": median(times) if times else None, "p95_s": p95(times) if times else None,
          "rss_before_mib": rss_before, "rss_after_mib": rss_after, "rss_growth_mib": growth,
          "source_reads": reads, "charities": n_charities, "snapshots": snapshots,
          "one_viewer_cold_s": one_cold, "one_viewer_warm_s": one_warm,
          "goal_p95_s": GOAL_P95_S, "goal_rss_mb": GOAL_RSS_MB, "server_start_s": startup})
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
