"""Screenshots of every page of the demo, as each role sees it, in Debian's Chromium.

usage: .venv/bin/python scripts/screenshots.py OUT_DIR [--roles coalition,lead,trustee]
           [--pages overview,meeting,...] [--width 1440]

The app is served from this checkout on a free port, with a fresh store in a temporary
folder; a signed link is minted for each role (a lead of Barnardo's), and each page is
opened through that link, waited for until Streamlit has finished running it, and saved
whole as OUT_DIR/ROLE-PAGE.png. Used for the before/after pictures in issue notes and for
looking at the product as its users do; nothing here is checked (the browser tests are).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("overview", "meeting", "charities", "mps", "coverage", "media", "placements", "quality",
         "links")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--roles", default="coalition,lead,trustee")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--width", type=int, default=1440)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    env = {**os.environ, "DASHBOARD_STORAGE_URL": f"sqlite:///{tmp / 'state.sqlite'}",
           "DASHBOARD_LINK_SECRET": "screenshots-only-" + "s" * 40}
    env.pop("DASHBOARD_CONFIG", None)
    os.environ.update({k: env[k] for k in ("DASHBOARD_STORAGE_URL", "DASHBOARD_LINK_SECRET")})
    sys.path.insert(0, str(ROOT))
    from dashboard.access import links
    from dashboard.config import load_config
    from dashboard.store import Store

    config = load_config()
    store = Store(config.storage_url)
    tokens = {role: links.mint_link(store, config, role, dt.timedelta(days=1),
                                     "Barnardo's" if role == "lead" else None).token
              for role in args.roles.split(",")}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp / "streamlit.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": 1000})
            for role, token in tokens.items():
                for name in args.pages.split(","):
                    path = "" if name == "overview" else name
                    page.goto(f"{url}/{path}?token={token}", timeout=120_000)
                    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
                        timeout=120_000)
                    time.sleep(4)          # charts and tables draw after the run
                    # Streamlit scrolls inside its main block, not the page: make the window
                    # as tall as that block so the picture holds the whole page.
                    tall = page.evaluate(
                        "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
                    page.set_viewport_size({"width": args.width, "height": max(1000, int(tall))})
                    time.sleep(2)
                    page.screenshot(path=str(out / f"{role}-{name}.png"), full_page=True)
                    page.set_viewport_size({"width": args.width, "height": 1000})
                    print(out / f"{role}-{name}.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
