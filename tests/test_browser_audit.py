"""Every page of the demo, as every role, in headless Chromium (Debian's): no request leaves
for another origin than the server, no Deploy button, and axe-core (the engine behind
Lighthouse's accessibility checks) finds no serious or critical violation, nor a heading
that skips a level."""
from __future__ import annotations

import datetime as dt
import os
import re
from urllib.parse import urlsplit

import pytest

from dashboard.access import links, roles
from dashboard.config import DEMO_DIR, load_config
from dashboard.store import Store
from tests.browser import CHROMIUM, chromium, start_app, stop_app

pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="Debian's chromium is not installed (.ci/run installs it)")
SECRET = "browser-audit-secret-" + "x" * 32
# Page keys -> the URL path Streamlit gives each st.Page (from its file name).
PATHS = {"overview": "", "meeting": "meeting", "charities": "charities", "mps": "mps",
         "coverage": "coverage", "media": "media", "placements": "placements",
         "quality": "quality", "links": "links"}
BLOCKING = {"serious", "critical"}
# Moderate in axe, but a screen reader's list of headings then skips a level under every
# page title: held to as well.
ALSO_BLOCKING = {"heading-order"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The demo behind signed links, served; a token for each role, minted into its store."""
    tmp = tmp_path_factory.mktemp("audit")
    text = (DEMO_DIR / "coalition.toml").read_text(encoding="utf-8")
    text = re.sub(r'source = "([^"]+)"', lambda m: f'source = "{(DEMO_DIR / m[1]).as_posix()}"', text)
    config_path = tmp / "coalition.toml"
    config_path.write_text(text + '\n[access]\nmode = "links"\n', encoding="utf-8")
    storage = f"sqlite:///{tmp / 'state.sqlite'}"
    env = {**os.environ, "DASHBOARD_CONFIG": str(config_path), "DASHBOARD_STORAGE_URL": storage,
           links.SECRET_ENV: SECRET}
    old = {k: os.environ.get(k) for k in ("DASHBOARD_CONFIG", "DASHBOARD_STORAGE_URL", links.SECRET_ENV)}
    os.environ.update({k: env[k] for k in old})
    try:
        config = load_config(config_path)
        store = Store(config.storage_url)
        tokens = {role: links.mint_link(store, config, role, dt.timedelta(days=30),
                                         config.charities[0].name if role == "lead" else None).token
                  for role in roles.ROLES}
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    log = tmp / "streamlit.log"
    # As `make run` starts it: the project's .streamlit/config.toml decides the rest.
    proc, url = start_app(env, log, as_make_run=True)
    yield url, tokens, log
    stop_app(proc)


def _visit_every_page(served, role: str, audit: bool):
    """(requests to another origin, axe's blocking violations, Deploy buttons seen) over
    every page this role may open."""
    url, tokens, _log = served
    server = urlsplit(url)
    elsewhere, violations, deploy = [], [], 0
    pages = roles.allowed_pages(roles.Viewer(role, "x" if role == "lead" else None))
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda r: elsewhere.append(r.url) if urlsplit(r.url).scheme not in
                ("data", "blob", "about") and urlsplit(r.url).netloc != server.netloc else None)
        page.on("websocket", lambda ws: elsewhere.append(ws.url)
                if urlsplit(ws.url).netloc != server.netloc else None)
        for key in pages:
            page.goto(f"{url}/{PATHS[key]}?token={tokens[role]}", wait_until="domcontentloaded",
                      timeout=60_000)
            page.locator("h1").first.wait_for(timeout=60_000)
            page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
                timeout=60_000)
            page.wait_for_timeout(1500)         # charts and icons drawn after the run
            assert page.locator('[data-testid="stException"]').count() == 0, key
            deploy += page.get_by_role("button", name="Deploy").count()
            if audit:
                from axe_playwright_python.sync_playwright import Axe
                result = Axe().run(page)
                for v in result.response["violations"]:
                    if v["impact"] in BLOCKING or v["id"] in ALSO_BLOCKING:
                        violations.append((key, v["id"], v["impact"], v["help"],
                                           [n["target"] for n in v["nodes"]][:3],
                                           [n.get("failureSummary", "")[:200] for n in v["nodes"]][:2]))
    return elsewhere, violations, deploy


@pytest.mark.parametrize("role", roles.ROLES)
def test_every_page_stays_on_the_server_and_passes_axe(served, role):
    elsewhere, violations, deploy = _visit_every_page(served, role, audit=True)
    assert elsewhere == [], f"requests to another origin: {sorted(set(elsewhere))}"
    assert deploy == 0, "Streamlit's Deploy button is shown"
    assert violations == [], "\n".join(map(str, violations))
