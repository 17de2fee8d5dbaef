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

The alternatives, measured in the same run:
* the same viewers opening the page one after another, each on a cold server-side cache,
  is what an app without a shared cache costs per viewer; here the first viewer's time
  (the cold read) stands for it;
* the floor: the same viewers, browsers and server settings opening
  benchmarks/floor_app.py, the smallest dashboard on this stack (one metric, one plotly
  chart, one table of seven rows). What it costs is what Streamlit, pandas, plotly and
  Chromium cost on this machine before any of the dashboard's own work.

Only 127.0.0.1 is contacted; every wait is bounded; the server is stopped at the end.
Needs /usr/bin/chromium (Debian: apt-get install chromium) and the playwright package.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
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
                               machine_line, median, p95, our_bytecode_compiled, same_allocator_for_everything,
                               stop_process)

GOAL_P95_S = 3.0
GOAL_RSS_MB = 100
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def machine_cpu_seconds() -> float:
    """CPU time used by everything on the machine (all cores) so far."""
    first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    busy = sum(int(v) for i, v in enumerate(first) if i not in (3, 4))   # not idle, iowait
    return busy / os.sysconf("SC_CLK_TCK")


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


# -- the same sessions without a browser: Streamlit's own protocol -----------------------
# A browser spends about a second of CPU running Streamlit's JavaScript; thirty of them on
# this machine's cores swamp the server being measured. This client opens the websocket a
# browser opens, asks for the default page (the Overview) and waits until the server says
# the run is finished, checking that the Overview's metrics were sent: the server's time
# to a complete page, which is what a viewer on their own computer waits for, plus the
# browser's own drawing time.
async def protocol_session(port: int, local_ip: str | None = None) -> float:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.perf_counter()
    extra = {"local_addr": (local_ip, 0)} if local_ip else {}
    async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=PAGE_TIMEOUT_S, **extra) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""          # the default page: Overview
        await ws.send(msg.SerializeToString())
        metrics = []
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(ws.recv(), PAGE_TIMEOUT_S))
            kind = fwd.WhichOneof("type")
            if (kind == "delta" and fwd.delta.WhichOneof("type") == "new_element"
                    and fwd.delta.new_element.WhichOneof("type") == "metric"):
                metrics.append(fwd.delta.new_element.metric.label)
            if kind == "script_finished":
                break
    if "Young people attended" not in metrics:
        raise RuntimeError(f"the Overview's metrics were not sent (got {metrics[:3]})")
    return time.perf_counter() - t0


async def protocol_herd_async(port: int, viewers: int, spread_ips: bool) -> tuple[list[float], list[str]]:
    # Clients from different /24s of 127.0.0.0/8 (all loopback), so nginx's ip_hash, which
    # keys on the first three octets, spreads them as it would spread real visitors.
    ips = [f"127.0.{10 + i}.1" for i in range(viewers)] if spread_ips else [None] * viewers
    results = await asyncio.gather(*[protocol_session(port, ip) for ip in ips], return_exceptions=True)
    times = sorted(r for r in results if isinstance(r, float))
    failures = [f"{type(r).__name__}: {str(r)[:120]}" for r in results if not isinstance(r, float)]
    return times, failures


def protocol_herd(servers: list["Server"], port: int, viewers: int, spread_ips: bool = False) -> dict:
    cpu_before = sum(s.cpu() for s in servers)
    rss_before = sum(s.rss() or 0 for s in servers)
    wall = time.perf_counter()
    times, failures = asyncio.run(asyncio.wait_for(protocol_herd_async(port, viewers, spread_ips),
                                                   PAGE_TIMEOUT_S + 60))
    wall = time.perf_counter() - wall
    return {"times_s": times, "failures": failures, "rendered": len(times),
            "p50_s": median(times) if times else None, "p95_s": p95(times) if times else None,
            "max_s": max(times) if times else None, "wall_s": wall,
            "server_cpu_s": sum(s.cpu() for s in servers) - cpu_before,
            "rss_growth_mib": sum(s.rss() or 0 for s in servers) - rss_before,
            "per_server_cpu_s": [round(s.cpu(), 2) for s in servers]}


NGINX_TEST_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/ngx-body;
    proxy_temp_path {tmp}/ngx-proxy;
    fastcgi_temp_path {tmp}/ngx-fastcgi;
    uwsgi_temp_path {tmp}/ngx-uwsgi;
    scgi_temp_path {tmp}/ngx-scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream coalition_dashboard {{
        ip_hash;
        {servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location /_stcore/stream {{
            proxy_pass http://coalition_dashboard;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 3600s;
            proxy_buffering off;
        }}
        location / {{
            proxy_pass http://coalition_dashboard;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
        }}
    }}
}}
"""


class Nginx:
    """nginx on a loopback port in front of `ports`, as deploy/nginx does (ip_hash, websocket)."""

    def __init__(self, tmp: Path, ports: list[int]):
        self.port = free_port()
        self.conf = tmp / "nginx-test.conf"
        self.conf.write_text(NGINX_TEST_CONF.format(
            tmp=tmp, port=self.port, servers="\n        ".join(f"server 127.0.0.1:{p};" for p in ports)))

    def __enter__(self):
        subprocess.run(["nginx", "-c", str(self.conf)], check=True, timeout=30, capture_output=True)
        time.sleep(0.5)
        return self

    def __exit__(self, *exc):
        subprocess.run(["nginx", "-c", str(self.conf), "-s", "quit"], timeout=30, capture_output=True)


def count_reads(log_text: str) -> int:
    return len(re.findall(r"dashboard\.sources: source read ", log_text))


def count_snapshots(db: Path) -> int | None:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("select count(*) from snapshots").fetchone()[0]
    except sqlite3.Error:
        return None


class Server:
    """One `streamlit run` on a free loopback port, stopped on exit."""

    def __init__(self, config: Path, tmp: Path, name: str, db: Path | None = None,
                 env: dict | None = None, script: Path = ROOT / "streamlit_app.py"):
        self.db = db or tmp / f"{name}.sqlite"
        self.log = tmp / f"{name}.log"
        self.port = free_port()
        self.env = {**os.environ, "DASHBOARD_CONFIG": str(config),
                    "DASHBOARD_STORAGE_URL": f"sqlite:///{self.db}", "PYTHONPATH": str(ROOT),
                    **(env or {})}
        self.cmd = [sys.executable, "-m", "streamlit", "run", str(script),
                    "--server.headless", "true", "--server.port", str(self.port),
                    "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                    "--server.fileWatcherType", "none"]
        self.url = f"http://127.0.0.1:{self.port}/"

    def __enter__(self):
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=log,
                                         stderr=subprocess.STDOUT)
        try:
            self.startup_s = wait_healthy(self.port, self.proc)
        except BaseException:
            stop_process(self.proc)
            raise
        time.sleep(1.0)
        return self

    def __exit__(self, *exc):
        stop_process(self.proc)

    def rss(self) -> float | None:
        return vm_rss_mib(self.proc.pid)

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def reads(self) -> int:
        return count_reads(self.log.read_text(errors="replace"))

    def snapshots(self) -> int | None:
        return count_snapshots(self.db)


def herd(server: Server, viewers: int, browsers: int) -> dict:
    """`viewers` sessions open the Overview at once; times, memory and CPU around it."""
    rss_before, cpu_before, machine_before = server.rss(), server.cpu(), machine_cpu_seconds()
    wall = time.perf_counter()
    times, failures = asyncio.run(open_overviews(server.url, viewers, browsers))
    wall = time.perf_counter() - wall
    time.sleep(0.5)
    rss_after = server.rss()
    server_cpu = server.cpu() - cpu_before
    machine_cpu = machine_cpu_seconds() - machine_before
    return {"times_s": sorted(times), "failures": failures, "rendered": len(times),
            "p50_s": median(times) if times else None, "p95_s": p95(times) if times else None,
            "max_s": max(times) if times else None, "rss_before_mib": rss_before,
            "rss_after_mib": rss_after,
            "rss_growth_mib": (rss_after - rss_before) if rss_before and rss_after else None,
            "server_cpu_s": server_cpu, "other_cpu_s": machine_cpu - server_cpu, "wall_s": wall}


def describe(name: str, r: dict, viewers: int) -> None:
    print(f"  {name}: {r['rendered']} of {viewers} saw the rendered Overview"
          + (f"; {len(r['failures'])} failed: {r['failures'][:2]}" if r["failures"] else ""))
    if r["times_s"]:
        print(f"    time to rendered Overview: P50 {r['p50_s']:.2f} s, P95 {r['p95_s']:.2f} s, "
              f"max {r['max_s']:.2f} s")
    if r["rss_growth_mib"] is not None:
        print(f"    server RSS {r['rss_before_mib']:.0f} -> {r['rss_after_mib']:.0f} MiB "
              f"(+{r['rss_growth_mib']:.0f} MiB)")
    print(f"    CPU while they loaded: server {r['server_cpu_s']:.1f} s "
          f"({1000 * r['server_cpu_s'] / max(1, viewers):.0f} ms per viewer), browsers and the "
          f"rest of the machine {r['other_cpu_s']:.1f} s, over {r['wall_s']:.1f} s on "
          f"{os.cpu_count()} cores")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="concurrent viewers of the Overview")
    parser.add_argument("--viewers", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=3)
    parser.add_argument("--large", action="store_true", help="serve the large coalition")
    parser.add_argument("--data", help="folder of the large coalition (with --large)")
    parser.add_argument("--no-browsers", action="store_true",
                        help="only the protocol-level measurements (no Chromium)")
    parser.add_argument("--no-floor", action="store_true",
                        help="skip the floor (benchmarks/floor_app.py under the same viewers)")
    args = parser.parse_args(argv)
    same_allocator_for_everything()
    our_bytecode_compiled()
    info = machine()
    print(machine_line(info))
    if not args.no_browsers and not Path(CHROMIUM).exists():
        print(f"  ! {CHROMIUM} is missing: apt-get install chromium")
        emit({"machine": info, "skipped": f"{CHROMIUM} missing"})
        return 0
    if args.large:
        config, label = large_coalition(args.data), "large coalition"
    else:
        config, label = demo_coalition()
    n_charities = sum(1 for line in config.read_text().splitlines() if line.strip() == "[[charity]]")
    tmp = Path(tempfile.mkdtemp(prefix="bench-viewers-"))
    print(f"  {label}: {config} ({n_charities} charities)", flush=True)
    proto: dict = {}
    try:
        # A. Without browsers (Streamlit's protocol): the server's own time to a full page.
        with Server(config, tmp, "proto") as server:
            proto["cold"] = protocol_herd([server], server.port, args.viewers)
            proto["cold"].update(reads=server.reads(), snapshots=server.snapshots())
            proto["warm"] = protocol_herd([server], server.port, args.viewers)
            proto["alone_warm"] = protocol_herd([server], server.port, 1)
        # B. Two app processes behind nginx (ip_hash, as deploy/nginx), reading only the
        #    store a `refresh` filled (DASHBOARD_APP_READS=store): the scale-out design.
        if shutil.which("nginx"):
            shared = tmp / "shared.sqlite"
            env = {**os.environ, "DASHBOARD_CONFIG": str(config), "PYTHONPATH": str(ROOT),
                   "DASHBOARD_STORAGE_URL": f"sqlite:///{shared}"}
            subprocess.run([sys.executable, "-m", "dashboard", "refresh"], cwd=ROOT, env=env,
                           check=True, capture_output=True, timeout=1800)
            store_env = {"DASHBOARD_APP_READS": "store"}
            with Server(config, tmp, "app1", db=shared, env=store_env) as a, \
                    Server(config, tmp, "app2", db=shared, env=store_env) as b:
                # A store-mode process just started (a deploy, a restart): every viewer
                # arrives before it has loaded the store.
                proto["store_cold"] = protocol_herd([a], a.port, args.viewers)
                proto["store_cold"].update(reads=a.reads())
                protocol_herd([b], b.port, 1)           # each process loads the store once
                with Nginx(tmp, [a.port, b.port]) as proxy:
                    proto["two"] = protocol_herd([a, b], proxy.port, args.viewers, spread_ips=True)
                proto["two"].update(reads=a.reads() + b.reads())
        cold = warm = alone_cold = alone_warm = floor = None
        if not args.no_browsers:
            # 1. Cold: every viewer arrives before anything is cached; one refresh serves all.
            with Server(config, tmp, "cold") as server:
                cold = herd(server, args.viewers, args.browsers)
                cold.update(reads=server.reads(), snapshots=server.snapshots(), startup_s=server.startup_s)
            # 2. Warm: one viewer first (alone, cold: what every viewer would wait without the
            #    shared cache), one more (alone, warm), then all of them at once.
            with Server(config, tmp, "warm") as server:
                alone_cold = herd(server, 1, 1)
                alone_warm = herd(server, 1, 1)
                warm = herd(server, args.viewers, args.browsers)
                warm.update(reads=server.reads(), snapshots=server.snapshots())
            # 3. The floor: the same herds against the smallest dashboard on this stack.
            if not args.no_floor:
                with Server(config, tmp, "floor", script=FLOOR_APP) as server:
                    floor = {"cold": herd(server, args.viewers, args.browsers),
                             "warm": herd(server, args.viewers, args.browsers)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def line(name: str, r: dict) -> None:
        print(f"  {name}: {r['rendered']} of {args.viewers} complete"
              + (f" ({len(r['failures'])} failed: {r['failures'][:2]})" if r["failures"] else "")
              + (f"; P50 {r['p50_s']:.2f} s, P95 {r['p95_s']:.2f} s" if r["times_s"] else "")
              + f"; server CPU {1000 * r['server_cpu_s'] / max(1, len(r['times_s']) or 1):.0f} ms per session")

    print(f"  server side ({args.viewers} sessions at once through Streamlit's protocol, no browser):")
    line("one process, cold cache", proto["cold"])
    print(f"    source reads logged: {proto['cold']['reads']}; snapshots: {proto['cold']['snapshots']}")
    line("one process, warm cache", proto["warm"])
    line("one session alone, warm", proto["alone_warm"])
    if "store_cold" in proto:
        line("one process in store mode, just started", proto["store_cold"])
        print(f"    source reads by it: {proto['store_cold']['reads']}")
    if "two" in proto:
        line("two processes behind nginx (ip_hash), store mode", proto["two"])
        print(f"    per-process CPU so far: {proto['two']['per_server_cpu_s']} s; "
              f"source reads by the app processes: {proto['two']['reads']}")
    if cold is None:
        emit({"machine": info, "label": label, "viewers": args.viewers, "charities": n_charities,
              "protocol": proto, "goal_p95_s": GOAL_P95_S, "goal_rss_mb": GOAL_RSS_MB})
        return 0
    print(f"  {args.viewers} Chromium viewers at once, cold server-side cache:")
    describe("cold", cold, args.viewers)
    print(f"    source reads logged: {cold['reads']} for {n_charities} charities; snapshots stored: "
          f"{cold['snapshots']} (one refresh = {n_charities} reads and 1 snapshot)")
    print(f"  one viewer alone: cold cache {alone_cold['p50_s']:.2f} s, warm cache {alone_warm['p50_s']:.2f} s")
    print(f"  {args.viewers} viewers at once after the first (warm cache):")
    describe("warm", warm, args.viewers)
    print(f"    source reads logged in all: {warm['reads']}; snapshots: {warm['snapshots']}")
    if floor:
        print(f"  the floor, {FLOOR_APP.name} (one metric, one plotly chart, one table of 7 rows), "
              f"the same {args.viewers} viewers:")
        describe("floor, cold server", floor["cold"], args.viewers)
        describe("floor, warm server", floor["warm"], args.viewers)
    emit({"machine": info, "label": label, "viewers": args.viewers, "browsers": args.browsers,
          "charities": n_charities, "cold": cold, "warm": warm, "alone_cold": alone_cold,
          "alone_warm": alone_warm, "floor": floor, "protocol": proto, "goal_p95_s": GOAL_P95_S,
          "goal_rss_mb": GOAL_RSS_MB})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
