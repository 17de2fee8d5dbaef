"""Screenshot the MP coverage page's hex map on the demo, for the docs.

    python scripts/screenshot_map.py [--out docs/img/coverage-map.png]

Serves the app (`streamlit run`, the bundled demo, a throwaway store) and opens the MP
coverage page in Debian's Chromium. tests/test_browser_map.py drives the same page with
the same function, so the picture in the docs is what the test saw.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MAP_SELECTOR = '[data-testid="stPlotlyChart"]:has-text("Every seat")'


def open_coverage_map(page, url: str):
    """Open the MP coverage page and wait until the map is drawn; the map's element."""
    page.goto(f"{url}/coverage", wait_until="domcontentloaded", timeout=90_000)
    page.get_by_role("heading", name="The campaign on a map").wait_for(timeout=90_000)
    chart = page.locator(MAP_SELECTOR).first
    chart.locator("path.point").first.wait_for(timeout=90_000)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        timeout=90_000)
    return chart


def shoot(page, url: str, out: Path) -> Path:
    """The map (with its numbers beside it) as a small PNG."""
    from PIL import Image

    chart = open_coverage_map(page, url)
    chart.scroll_into_view_if_needed()
    page.mouse.move(0, 0)                       # no hover label in the picture
    page.wait_for_timeout(500)
    box = chart.bounding_box()
    row = page.locator('[data-testid="stHorizontalBlock"]:has([data-testid="stPlotlyChart"])').first
    wide = row.bounding_box() or box
    raw = out.with_suffix(".raw.png")
    page.screenshot(path=str(raw), clip={"x": wide["x"], "y": box["y"], "width": wide["width"],
                                         "height": box["height"]})
    image = Image.open(raw).convert("RGB")
    image.thumbnail((900, 900))
    image.quantize(colors=64).save(out, optimize=True)
    raw.unlink()
    return out


def _serve(port: int, storage: str):
    env = {**os.environ, "DASHBOARD_STORAGE_URL": storage}
    env.pop("DASHBOARD_CONFIG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("streamlit did not start")


def main(argv=None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img" / "coverage-map.png")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        proc = _serve(port, f"sqlite:///{Path(tmp) / 'state.sqlite'}")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, headless=True,
                                            args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": 1300, "height": 1100})
                    out = shoot(page, f"http://127.0.0.1:{port}", args.out)
                finally:
                    browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
