"""How many Google Sheets API requests a full refresh costs: our connector vs the usual ways.

    python benchmarks/bench_api_calls.py            (--quick: the change-aware part only)

Builds 7 and 50 spreadsheets of 4 tabs each and reads every tab of every spreadsheet
three ways, through the same fake Sheets API mounted on a requests session under gspread's
real HTTP client, counting the HTTP requests that reach it:

1. connectors.gsheets.read_gsheet: one spreadsheets.get with grid data per spreadsheet.
2. st-gsheets-connection: `conn.read(spreadsheet=url, worksheet=tab)` per tab, which
   (GSheetsServiceAccountClient.read -> _select_worksheet -> get_as_dataframe) does
   client.open_by_url(url) (fetches metadata), spreadsheet.worksheet(tab) (fetches
   metadata again), then gspread_dataframe's values_get of the whole tab. Replayed here
   with the same gspread calls; its st.cache_data is cold on a refresh, as ours is.
3. gspread used carefully by hand: open_by_key once, worksheets(), get_all_values per tab.

Nothing is hard-coded: every number printed is a count of requests the fake answered,
and each approach must have read every row of every tab for its count to be printed.
The quota figure uses Google's default of 60 read requests per minute per user.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import gspread
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.gsheets import read_gsheet  # noqa: E402
from dashboard.contract import TABS  # noqa: E402

READS_PER_MINUTE = 60
SIZES = (7, 50, 200)
TIMED_EDITS = 5                     # one-changed refreshes timed per size (median reported)
SERIAL_EPOCH = dt.date(1899, 12, 30)
ROWS_PER_TAB = {"attendees": 40, "mp_meetings": 15, "pledges": 10, "media": 12}


# -- the spreadsheets -----------------------------------------------------------------
def _value(column, rng: random.Random, row: int):
    """A plausible typed cell: ('number', n, is_date) or ('string', s)."""
    if column.kind == "date":
        return ("number", (dt.date(2022, 6, 1) + dt.timedelta(days=rng.randrange(40))
                           - SERIAL_EPOCH).days, True)
    if column.kind == "int":
        return ("number", rng.randrange(1, 5000), False)
    if column.kind == "yesno":
        return ("string", rng.choice(["yes", "no"]))
    if column.choices:
        return ("string", rng.choice(column.choices))
    if column.kind == "url":
        return ("string", f"https://news.example.org/story/{row}")
    return ("string", f"{column.name} {row}")


def build_books(count: int, seed: int = 2022) -> dict[str, list[tuple[str, int, list[list]]]]:
    rng = random.Random(seed)
    books = {}
    for n in range(count):
        key = f"1Bench{n:03d}Key_{'x' * 20}"
        tabs = []
        for gid, tab in enumerate(TABS):
            header = [("string", c.name) for c in tab.columns]
            rows = [[_value(c, rng, r) for c in tab.columns] for r in range(ROWS_PER_TAB[tab.key])]
            tabs.append((tab.name, 1000 + gid, [header, *rows]))
        books[key] = tabs
    return books


# -- a fake Sheets API that answers the three request shapes the approaches make ---------
def _formatted(cell) -> str:
    if cell[0] == "number" and cell[2]:
        day = SERIAL_EPOCH + dt.timedelta(days=cell[1])
        return f"{day:%d/%m/%Y}"
    return str(cell[1])


class FakeSheetsAPI(BaseAdapter):
    def __init__(self, books):
        super().__init__()
        self.books = books
        self.requests: Counter = Counter()          # spreadsheet key -> requests answered

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        url = urlsplit(request.url)
        params = parse_qs(url.query)
        if url.netloc == "www.googleapis.com":
            return self._reply(request, self._drive(unquote(url.path), params))
        match = re.fullmatch(r"/v4/spreadsheets/([^/]+)(?:/values/(.+))?", unquote(url.path))
        key, value_range = match.group(1), match.group(2)
        self.requests[key] += 1
        tabs = self.books[key]
        if value_range is not None:
            body = self._values(tabs, value_range, params)
        elif "fields" in params:
            body = self._grid(tabs)
        else:
            body = self._metadata(key, tabs)
        return self._reply(request, body)

    # Drive v3's change log, as connectors/gdrive.py asks it (tests/test_gsheets.py has
    # the stand-in that checks masks and error shapes; this one only counts).
    drive_requests = 0
    change_log: list = []

    def edit(self, key: str) -> None:
        """Someone adds a row to the sheet's first tab: new cells, one logged change."""
        title, gid, rows = self.books[key][0]
        new_row = [("string", f"EDIT-{len(self.change_log):04d}"), *rows[-1][1:]]
        self.books[key][0] = (title, gid, [*rows, new_row])
        self.change_log = [*self.change_log, key]

    def _drive(self, path: str, params: dict) -> dict:
        self.drive_requests += 1
        if path.endswith("/changes/startPageToken"):
            return {"startPageToken": str(len(self.change_log) + 1)}
        start = int(params["pageToken"][0]) - 1
        return {"changes": [{"fileId": k, "removed": False} for k in self.change_log[start:]],
                "newStartPageToken": str(len(self.change_log) + 1)}

    @staticmethod
    def _reply(request, body):
        response = requests.Response()
        response.status_code, response.reason = 200, "OK"
        response._content = json.dumps(body).encode()
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json; charset=UTF-8"})
        response.encoding, response.url, response.request = "utf-8", request.url, request
        return response

    def close(self):
        pass

    @staticmethod
    def _metadata(key, tabs):
        return {"spreadsheetId": key, "properties": {"title": key, "locale": "en_GB"},
                "sheets": [{"properties": {"sheetId": gid, "title": title, "index": i,
                                           "sheetType": "GRID",
                                           "gridProperties": {"rowCount": 1000, "columnCount": 26}}}
                           for i, (title, gid, _) in enumerate(tabs)]}

    @staticmethod
    def _grid(tabs):
        # What Google returns for connectors.gsheets.FIELDS: values and number-format types.
        def cell(c):
            if c[0] == "string":
                return {"effectiveValue": {"stringValue": c[1]}}
            fmt = {"numberFormat": {"type": "DATE" if c[2] else "NUMBER"}}
            return {"effectiveValue": {"numberValue": c[1]}, "effectiveFormat": fmt}
        return {"sheets": [{"properties": {"sheetId": gid, "title": title},
                            "data": [{"rowData": [{"values": [cell(c) for c in row]} for row in rows]}]}
                           for title, gid, rows in tabs]}

    @staticmethod
    def _values(tabs, value_range, params):
        title = value_range.split("!")[0]
        if title.startswith("'"):
            title = title[1:-1].replace("''", "'")
        rows = next(rows for t, _, rows in tabs if t == title)
        unformatted = params.get("valueRenderOption", ["FORMATTED_VALUE"])[0] == "UNFORMATTED_VALUE"
        serial_dates = params.get("dateTimeRenderOption", ["SERIAL_NUMBER"])[0] == "SERIAL_NUMBER"
        values = [[c[1] if unformatted and c[0] == "number" and (serial_dates or not c[2])
                   else _formatted(c) for c in row] for row in rows]
        return {"range": f"'{title}'!A1:Z{len(rows)}", "majorDimension": "ROWS", "values": values}


# -- the three ways of reading a coalition ----------------------------------------------
def read_with_connector(client, books) -> int:
    rows = 0
    for key in books:
        raw = read_gsheet(f"gsheet:{key}", client=client, now=dt.datetime(2022, 6, 23))
        rows += sum(len(tab.cells) for tab in raw.tabs)
    return rows


def read_like_st_gsheets_connection(client, books) -> int:
    rows = 0
    for key, tabs in books.items():
        url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
        for title, _, _ in tabs:                           # one conn.read(...) per tab
            spreadsheet = client.open_by_url(url)          # _open_spreadsheet
            worksheet = spreadsheet.worksheet(title)       # _select_worksheet
            quoted = "'" + worksheet.title.replace("'", "''") + "'"
            data = worksheet.spreadsheet.values_get(       # gspread_dataframe._get_all_values
                quoted, params={"valueRenderOption": "UNFORMATTED_VALUE",
                                "dateTimeRenderOption": "FORMATTED_STRING"})
            rows += len(data.get("values", []))
    return rows


def read_with_gspread_by_hand(client, books) -> int:
    rows = 0
    for key in books:
        spreadsheet = client.open_by_key(key)
        for worksheet in spreadsheet.worksheets():
            rows += len(worksheet.get_all_values())
    return rows


APPROACHES = (
    ("connectors.gsheets (1 spreadsheets.get)", read_with_connector),
    ("st-gsheets-connection, conn.read per tab", read_like_st_gsheets_connection),
    ("gspread by hand, opened once", read_with_gspread_by_hand),
)


def measure(count: int) -> list[tuple[str, int]]:
    books = build_books(count)
    expected_rows = sum(len(rows) for tabs in books.values() for _, _, rows in tabs)
    results = []
    for name, approach in APPROACHES:
        api = FakeSheetsAPI(books)
        session = requests.Session()
        session.mount("https://", api)
        rows = approach(gspread.Client(auth=None, session=session), books)
        if rows != expected_rows:
            raise SystemExit(f"{name} read {rows} rows of {expected_rows}: the benchmark is broken")
        if set(api.requests) != set(books):
            raise SystemExit(f"{name} did not read every spreadsheet")
        results.append((name, sum(api.requests.values())))
    return results


# -- the change-aware refresh (dashboard/incremental.py) --------------------------------
def bench_config(count: int, keys, workdir: Path):
    from dashboard.config import CharityConfig, Config
    return Config(path=workdir / f"coalition-{count}.toml", name=f"bench {count}",
                  start=dt.date(2022, 5, 23), end=dt.date(2022, 7, 22),
                  charities=tuple(CharityConfig(f"Charity {n:03d}", f"gsheet:{key}")
                                  for n, key in enumerate(keys)),
                  storage_url=f"sqlite:///{workdir / f'store-{count}.sqlite'}")


def refresh_in_new_process(count: int, api: FakeSheetsAPI, workdir: Path) -> dict:
    """One refresh as the `refresh` command runs it, in a process of its own: the books
    and Drive's change log as they are now, answered by the same fake in the child.
    Returns the child's requests, the time of the whole process (start to exit) and of
    the refresh within it, and the coalition's figures."""
    import subprocess
    import time

    state = workdir / f"books-{count}.json"
    state.write_text(json.dumps({"books": api.books, "change_log": api.change_log}))
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--refresh-once", str(count), str(workdir)],
                          capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"the refresh process failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return {**result, "process_s": elapsed}


def refresh_once(count: int, workdir: Path) -> int:
    """The child of refresh_in_new_process: one refresh, its figures as one JSON line."""
    import time
    started = time.perf_counter()
    from dashboard import incremental
    from dashboard.pipeline import refresh
    from dashboard.store import Store

    incremental.RUNS_ONCE = True          # as cmd_refresh says of its process
    state = json.loads((workdir / f"books-{count}.json").read_text())
    api = FakeSheetsAPI(state["books"])
    api.change_log = state["change_log"]
    session = requests.Session()
    session.mount("https://", api)
    config = bench_config(count, list(api.books), workdir)
    before, cpu = time.perf_counter(), time.process_time()
    _, summary = refresh(config, Store(config.storage_url),
                         gspread_client=gspread.Client(auth=None, session=session))
    done, cpu = time.perf_counter(), time.process_time() - cpu
    print(json.dumps({"drive": api.drive_requests, "sheets": sum(api.requests.values()),
                      "refresh_s": done - before, "refresh_cpu_s": cpu,
                      "imports_s": before - started,
                      "coalition": summary["coalition"]}))
    return 0


def measure_change_aware(count: int, workdir: Path) -> dict:
    """Requests of `refresh` (the command's function) for a coalition of `count` sheets:
    the first read, a refresh with nothing changed, one with one sheet changed; and the
    median time of TIMED_EDITS refreshes with one sheet changed each in this process."""
    import time

    from dashboard.pipeline import refresh
    from dashboard.store import Store

    books = build_books(count)
    api = FakeSheetsAPI(books)
    session = requests.Session()
    session.mount("https://", api)
    client = gspread.Client(auth=None, session=session)
    config = bench_config(count, list(books), workdir)
    store = Store(config.storage_url)

    def one_refresh() -> tuple[int, int, float, dict]:
        drive, sheets = api.drive_requests, sum(api.requests.values())
        started = time.perf_counter()
        _, summary = refresh(config, store, gspread_client=client)
        elapsed = time.perf_counter() - started
        return (api.drive_requests - drive, sum(api.requests.values()) - sheets, elapsed,
                summary["coalition"])

    keys = list(books)
    first = one_refresh()
    idle = one_refresh()
    if idle[3] != first[3]:
        raise SystemExit("an idle refresh changed the figures: the benchmark is broken")
    timings, changed = [], None
    for n in range(TIMED_EDITS):
        api.edit(keys[(7 * n + 3) % count])
        changed = one_refresh()
        if changed[3]["attendees_registered"] != first[3]["attendees_registered"] + n + 1:
            raise SystemExit("a changed sheet's new row is not in the figures: the benchmark is broken")
        timings.append(changed[2])
    return {"sheets": count, "first": first[:2], "idle": idle[:2], "one_changed": changed[:2],
            "one_changed_s": sorted(timings)[len(timings) // 2], "first_s": first[2],
            "_api": api, "_expected": first[3]["attendees_registered"] + TIMED_EDITS}


def measure_new_processes(runs: dict, workdir: Path) -> None:
    """TIMED_EDITS refreshes with one sheet changed, each in a new process (the `refresh`
    command's way: nothing kept from the last one but the store), for every size in turn
    (7, 50, 200, 7, 50, 200...), so that the sizes compared share the machine's load."""
    processes: dict[int, list] = {count: [] for count in runs}
    for n in range(TIMED_EDITS):
        for count, r in runs.items():
            api = r["_api"]
            api.edit(list(api.books)[(7 * n + 5) % count])
            child = refresh_in_new_process(count, api, workdir)
            if (child["drive"], child["sheets"]) != (1, 1):
                raise SystemExit(f"a refresh process with one sheet changed made {child['drive']} + "
                                 f"{child['sheets']} requests: the benchmark is broken")
            if child["coalition"]["attendees_registered"] != r["_expected"] + n + 1:
                raise SystemExit("a refresh process missed a changed sheet's new row: the benchmark is broken")
            processes[count].append(child)
    for count, r in runs.items():
        for key in ("process_s", "refresh_s", "refresh_cpu_s", "imports_s"):
            values = sorted(p[key] for p in processes[count])
            r[f"new_{key}"] = values[len(values) // 2]
        del r["_api"], r["_expected"]


def main(quick: bool = False) -> int:
    tabs = len(TABS)
    if not quick:
        print(f"Sheets API requests for one full refresh ({tabs} tabs per spreadsheet, "
              f"counted at the HTTP layer)\n")
        header = (f"{'approach':<42} {'sheets':>6} {'requests':>8} {'per sheet':>9} "
                  f"{'quota-minutes':>13}")
        print(header)
        print("-" * len(header))
        for count in SIZES:
            for name, calls in measure(count):
                # Minutes of Google's 60 reads/min/user quota one refresh consumes.
                print(f"{name:<42} {count:>6} {calls:>8} {calls / count:>9.1f} "
                      f"{calls / READS_PER_MINUTE:>13.2f}")
            print()
        print("quota-minutes > 1 means a refresh cannot finish inside one minute's quota: "
              "Google answers 429 and the reader has to wait.")

    import tempfile
    from benchmarks.common import emit

    print("\nThe change-aware refresh (dashboard.pipeline.refresh, as the app and the `refresh` "
          "command call it): Drive + Sheets requests per refresh\n(st-gsheets-connection makes "
          "its full-refresh count on every ttl, changed or not)\n")
    print(f"{'sheets':>6}  {'first read':<16} {'nothing changed':<16} {'one changed':<16} "
          f"{'st-gsheets-connection':<22}")
    results = {}
    with tempfile.TemporaryDirectory() as work:
        for count in SIZES:
            r = measure_change_aware(count, Path(work))
            theirs = count * tabs * 3
            r["st_gsheets_connection"] = theirs
            results[count] = r

            def cell(pair):
                return f"{pair[0]} + {pair[1]}"
            print(f"{count:>6}  {cell(r['first']):<16} {cell(r['idle']):<16} "
                  f"{cell(r['one_changed']):<16} {theirs} every time")
        measure_new_processes(results, Path(work))
    small, large = results[SIZES[0]], results[SIZES[-1]]
    big, little = SIZES[-1], SIZES[0]

    def line(what: str, key: str) -> float:
        ratio = large[key] / small[key]
        print(f"  {what:<58} {large[key]:>6.2f} s {small[key]:>6.2f} s {ratio:>6.2f}x")
        return ratio
    print(f"\nrefresh with one sheet changed, median of {TIMED_EDITS} "
          f"(goal: {big} sheets <= 1.5x {little} sheets)")
    print(f"  {'':<58} {big:>4} sheets {little:>2} sheets  ratio")
    ratio = line("in a process that keeps running (the app, a live day)", "one_changed_s")
    process_ratio = line("a new process each time (the `refresh` command), start to exit",
                         "new_process_s")
    refresh_ratio = line("  of which the refresh itself (after Python and imports)",
                         "new_refresh_s")
    cpu_ratio = line("  the same in CPU seconds (less moved by other work)", "new_refresh_cpu_s")
    print(f"first full read of {big} sheets: {large['first_s']:.2f} s")
    emit({"change_aware": {str(k): v for k, v in results.items()}, "ratio": ratio,
          "new_process_ratio": process_ratio, "new_process_refresh_ratio": refresh_ratio,
          "new_process_refresh_cpu_ratio": cpu_ratio,
          "goal_ratio": 1.5, "sizes": list(SIZES)})
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--refresh-once"]:
        raise SystemExit(refresh_once(int(sys.argv[2]), Path(sys.argv[3])))
    raise SystemExit(main(quick="--quick" in sys.argv[1:]))
