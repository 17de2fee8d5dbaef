"""Every benchmark, then one table: each figure beside the alternative a user would
otherwise pick, measured in the same run, with the goal and whether it is met.

    python benchmarks/run_all.py [--data DIR] [--repeat 3] [--viewers 30] [--skip NAME ...]
    (make bench)

NAME is one of api, summary, app, viewers. The large coalition (benchmarks/generate.py) is
generated once into DIR (or a temporary folder) and shared by the benchmarks that use it.
Nothing is hard-coded: every number in the table comes from this run's output.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (ROOT, collect, large_coalition, machine, machine_line,  # noqa: E402
                               our_bytecode_compiled, same_allocator_for_everything, Timer)

HERE = Path(__file__).resolve().parent


def run(name: str, args: list[str], timeout: int) -> tuple[str, dict | None]:
    """Run one benchmark script, echoing its output; returns (output, its results)."""
    print(f"\n=== {name}: {' '.join(args)}", flush=True)
    lines = []
    with Timer() as t:
        try:
            proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)
            for line in proc.stdout:
                lines.append(line)
                if not line.startswith("BENCH_RESULTS_JSON:"):
                    print(line, end="", flush=True)
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            print(f"  ! {name} timed out after {timeout} s")
    print(f"=== {name} took {t.wall:.0f} s (exit {proc.returncode})", flush=True)
    output = "".join(lines)
    return output, collect(output)


def api_rows(output: str) -> dict[int, dict[str, tuple[int, float]]]:
    """bench_api_calls.py's table: {sheets: {approach: (requests, per sheet)}}."""
    rows: dict[int, dict[str, tuple[int, float]]] = {}
    for line in output.splitlines():
        m = re.match(r"^(\S.*?)\s{2,}(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s*$", line)
        if m:
            rows.setdefault(int(m[2]), {})[m[1].strip()] = (int(m[3]), float(m[4]))
    return rows


def fmt_s(value) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def fmt_ms(value) -> str:
    return "n/a" if value is None else f"{value:.0f} ms"


def met(ok) -> str:
    return "n/a" if ok is None else ("yes" if ok else "NO")


def table(rows: list[tuple[str, str, str, str, str]]) -> str:
    header = ("measure", "ours", "alternative (same run)", "goal", "met?")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(5)]
    line = lambda r: " | ".join(str(v).ljust(w) for v, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(header), "-+-".join("-" * w for w in widths), *map(line, rows)])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="folder for the large coalition (reused if present)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--viewers", type=int, default=30)
    parser.add_argument("--skip", nargs="*", default=[], choices=["api", "summary", "app", "viewers"])
    args = parser.parse_args(argv)

    same_allocator_for_everything()
    our_bytecode_compiled()
    info = machine()
    print(machine_line(info))
    temp = None
    if args.data is None and not {"summary", "app"} <= set(args.skip):
        temp = tempfile.mkdtemp(prefix="coalition-large-")
    data = args.data or temp
    if data:
        large_coalition(data)
    rows: list[tuple[str, str, str, str, str]] = []
    try:
        # a. API requests per refresh: the Google Sheets connector's own benchmark.
        api_script = HERE / "bench_api_calls.py"
        if "api" not in args.skip:
            if api_script.exists():
                output, api = run("API requests per refresh", [str(api_script)], 900)
                for sheets, approaches in sorted(api_rows(output).items()):
                    ours = next((v for k, v in approaches.items() if k.startswith("connectors.gsheets")), None)
                    others = {k: v for k, v in approaches.items() if not k.startswith("connectors.gsheets")}
                    worst = max(others.items(), key=lambda kv: kv[1][0]) if others else None
                    rows.append((f"Sheets API requests per refresh, {sheets} sheets",
                                 f"{ours[0]}" if ours else "n/a",
                                 f"{worst[1][0]} ({worst[0]})" if worst else "n/a",
                                 "1 per spreadsheet", met(ours[1] <= 1.0 if ours else None)))
                for sheets, r in sorted(((api or {}).get("change_aware") or {}).items(),
                                        key=lambda kv: int(kv[0])):
                    idle, one = r["idle"], r["one_changed"]
                    rows.append((f"Drive + Sheets requests per refresh, {sheets} sheets: first / "
                                 "nothing changed / one changed",
                                 f"{sum(r['first'])} / {sum(idle)} / {sum(one)}",
                                 f"{r['st_gsheets_connection']} every time (st-gsheets-connection)",
                                 "1 idle, 1 + k for k changed",
                                 met(sum(idle) == 1 and one == [1, 1])))
                if api and "ratio" in api:
                    sizes = api["sizes"]
                    inside = api.get("new_process_refresh_ratio")
                    rows.append((f"refresh with one sheet changed, {sizes[-1]} vs {sizes[0]} sheets "
                                 "(app process / new `refresh` process / the refresh inside it)",
                                 f"{api['ratio']:.2f}x / {api['new_process_ratio']:.2f}x / "
                                 + (f"{inside:.2f}x" if inside is not None else "n/a"), "",
                                 f"<= {api['goal_ratio']}x",
                                 f"{met(api['ratio'] <= api['goal_ratio'])} / "
                                 f"{met(api['new_process_ratio'] <= api['goal_ratio'])} / "
                                 f"{met(inside <= api['goal_ratio'] if inside is not None else None)}"))
            else:
                print("\n=== API requests per refresh: benchmarks/bench_api_calls.py is not there yet")
                rows.append(("Sheets API requests per refresh", "not measured",
                             "bench_api_calls.py missing", "1 per spreadsheet", "n/a"))

        # b. summary on the large coalition vs reading the same CSV files.
        if "summary" not in args.skip:
            _, r = run("summary", [str(HERE / "bench_summary.py"), "--data", data,
                                   "--repeat", str(args.repeat)], 3600)
            if r:
                goal = r["goal_ratio"]
                ip, cmd = r["in_process"], r["command"]
                rows.append(("summary, large coalition, in-process (median)",
                             f"{fmt_s(ip['ours_s'])} ({ip['ratio']:.1f}x)",
                             f"{fmt_s(ip['floor_s'])} pd.read_csv of every file",
                             f"<= {goal:.0f}x the read", met(ip["ratio"] <= goal)))
                rows.append(("summary --json command, large coalition",
                             f"{fmt_s(cmd['ours_s'])} ({cmd['ratio']:.1f}x)",
                             f"{fmt_s(cmd['floor_s'])} python -c read_csv",
                             f"<= {goal:.0f}x the read", met(cmd["ratio"] <= goal)))
                rows.append(("peak RSS of the command", f"{cmd['ours_peak_rss_mib']:.0f} MiB",
                             f"{cmd['floor_peak_rss_mib']:.0f} MiB reading only", "report", "n/a"))
                imp = r["imports"]
                rows.append(("summary imports plotly/streamlit",
                             f"plotly {'yes' if imp['imports_plotly'] else 'no'}, "
                             f"streamlit {'yes' if imp['imports_streamlit'] else 'no'}; "
                             f"imports {imp['import_seconds']:.2f} s", "-", "neither",
                             met(not imp["imports_plotly"] and not imp["imports_streamlit"])))

        # c. pages: first render and rerun.
        if "app" not in args.skip:
            _, r = run("pages", [str(HERE / "bench_app.py"), "--data", data], 3600)
            if r:
                goal = r["goal_rerun_ms"]
                for key in ("demo", "large"):
                    if key not in r:
                        continue
                    pages = r[key]["pages"]
                    overview = next((p for p in pages if p["page"] == "Overview"), None)
                    worst = max(pages, key=lambda p: p["rerun_ms"])
                    uncached = r[key]["uncached_rerun_ms"]
                    if overview:
                        rows.append((f"Overview first render, {key} (cold: one refresh)",
                                     fmt_ms(overview["first_ms"]), "-", "report", "n/a"))
                        rows.append((f"Overview rerun, {key}", fmt_ms(overview["rerun_ms"]),
                                     f"{fmt_ms(uncached)} without the shared cache",
                                     f"< {goal} ms" if key == "demo" else "report",
                                     met(overview["rerun_ms"] < goal) if key == "demo" else "n/a"))
                    rows.append((f"slowest page rerun, {key}: {worst['page']}", fmt_ms(worst["rerun_ms"]),
                                 f"{fmt_ms(uncached)} without the shared cache",
                                 f"< {goal} ms" if key == "demo" else "report",
                                 met(worst["rerun_ms"] < goal) if key == "demo" else "n/a"))
                    rows.append((f"app peak RSS, {key}", f"{r[key]['peak_rss_mib']:.0f} MiB", "-",
                                 "report", "n/a"))

        # d. concurrent viewers.
        if "viewers" not in args.skip:
            _, r = run("viewers", [str(HERE / "bench_viewers.py"), "--viewers", str(args.viewers)], 1800)
            proto = (r or {}).get("protocol") or {}
            n = (r or {}).get("viewers", args.viewers)
            goal_p95 = (r or {}).get("goal_p95_s", 3.0)
            for key, label in (("cold", "one app process, cold cache"), ("warm", "one app process, warm cache"),
                               ("store_cold", "one app process in store mode, just started"),
                               ("two", "two app processes behind nginx, store mode")):
                p = proto.get(key)
                if not p:
                    continue
                alone = proto.get("alone_warm", {}).get("p50_s")
                rows.append((f"{n} sessions at once, server side (no browser): {label}: P50 / P95",
                             f"{fmt_s(p['p50_s'])} / {fmt_s(p['p95_s'])}",
                             f"{fmt_s(alone)} one session alone (warm)",
                             f"P95 < {goal_p95:.0f} s",
                             met(p["p95_s"] is not None and p["p95_s"] < goal_p95 and p["rendered"] == n)))
            if "two" in proto:
                reads = proto["two"]["reads"] + proto.get("store_cold", {}).get("reads", 0)
                rows.append(("source reads by app processes in store mode", f"{reads}",
                             "a refresh timer does the reading", "0", met(reads == 0)))
            if r and "cold" in r:
                cold, warm = r["cold"], r["warm"]
                floor = r.get("floor") or {}

                def floor_p(key: str) -> str:
                    f = floor.get(key)
                    return (f"floor app {fmt_s(f['p50_s'])} / {fmt_s(f['p95_s'])}; " if f else "")

                def floor_rss(key: str) -> str:
                    f = floor.get(key)
                    return f"+{f['rss_growth_mib']:.0f} MiB floor app" if f and f["rss_growth_mib"] is not None else "-"

                rows.append((f"{n} Chromium viewers at once (same 2 cores), cold: P50 / P95 to rendered Overview",
                             f"{fmt_s(cold['p50_s'])} / {fmt_s(cold['p95_s'])}",
                             f"{floor_p('cold')}{fmt_s(r['alone_cold']['p50_s'])} one viewer alone, cold",
                             f"P95 < {r['goal_p95_s']:.0f} s",
                             met(cold["p95_s"] is not None and cold["p95_s"] < r["goal_p95_s"]
                                 and cold["rendered"] == n)))
                rows.append((f"{n} Chromium viewers at once (same 2 cores), warm: P50 / P95",
                             f"{fmt_s(warm['p50_s'])} / {fmt_s(warm['p95_s'])}",
                             f"{floor_p('warm')}{fmt_s(r['alone_warm']['p50_s'])} one viewer alone, warm",
                             f"P95 < {r['goal_p95_s']:.0f} s",
                             met(warm["p95_s"] is not None and warm["p95_s"] < r["goal_p95_s"])))
                rows.append((f"server RSS growth, {n} viewers (cold server)",
                             f"+{cold['rss_growth_mib']:.0f} MiB", floor_rss("cold"), f"< {r['goal_rss_mb']} MB",
                             met(cold["rss_growth_mib"] is not None and cold["rss_growth_mib"] < r["goal_rss_mb"])))
                rows.append((f"server RSS growth, {n} more viewers (warm server)",
                             f"+{warm['rss_growth_mib']:.0f} MiB", floor_rss("warm"), f"< {r['goal_rss_mb']} MB",
                             met(warm["rss_growth_mib"] is not None and warm["rss_growth_mib"] < r["goal_rss_mb"])))
                rows.append((f"source reads for {n} viewers at once",
                             f"{cold['reads']} reads, {cold['snapshots']} snapshot",
                             f"{n * r['charities']} reads if each session read",
                             f"one refresh ({r['charities']} reads, 1 snapshot)",
                             met(cold["reads"] == r["charities"] and cold["snapshots"] == 1)))
                rows.append(("server CPU per viewer (cold / warm)",
                             f"{1000 * cold['server_cpu_s'] / n:.0f} / {1000 * warm['server_cpu_s'] / n:.0f} ms",
                             f"browsers etc. {cold['other_cpu_s']:.0f} s CPU on the same cores"
                             + (f" ({floor['cold']['other_cpu_s']:.0f} s for the floor app)"
                                if floor.get("cold") else ""),
                             "report",
                             "n/a"))
            elif r:
                rows.append(("concurrent viewers", "not measured", r.get("skipped", "?"), "P95 < 3 s", "n/a"))
    finally:
        if temp:
            shutil.rmtree(temp, ignore_errors=True)

    print("\n" + "=" * 100)
    print("RESULTS")
    print(machine_line(info))
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
