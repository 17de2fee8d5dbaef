"""The shipped deployment files in deploy/, checked with the real tools on every `make test`.

docs/deploying.md lists checks once done by hand (nginx -t, the app behind nginx over
HTTPS, systemd-analyze verify, caddy validate). Here they run on the files as shipped,
rewritten only where a test machine must differ from a server (certificate, cache and
webroot paths, ports, the install folder and user), each rewrite asserted to match
exactly once so that a change to the shipped file is noticed instead of silently not
tested. A missing tool skips its tests and says which tool.

Only 127.0.0.1 is contacted; every subprocess has a timeout; every server started here is
stopped, also when a test fails.
"""
from __future__ import annotations

import base64
import datetime as dt
import grp
import hashlib
import http.client
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.common import stop_process
from dashboard import settings
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
NGINX_SITE = DEPLOY / "nginx" / "coalition-dashboard.conf"
CADDYFILE = DEPLOY / "caddy" / "Caddyfile"
SYSTEMD = DEPLOY / "systemd"
UNIT_FILES = ["coalition-dashboard.service", "coalition-refresh.service", "coalition-refresh.timer"]
ENV_EXAMPLE = DEPLOY / "coalition-dashboard.env.example"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

SERVER_NAME = "dashboard.example.org"     # the name in the shipped files
APP_PORT = 8501                           # where the unit runs the app and both proxies send it
APP_START_TIMEOUT_S = 60
TOOL_TIMEOUT_S = 60


def _tool(name: str) -> str | None:
    """The tool's path; /usr/sbin is not on a non-root user's PATH on Debian."""
    found = shutil.which(name)
    if found:
        return found
    for folder in ("/usr/sbin", "/usr/bin", "/sbin"):
        if os.access(f"{folder}/{name}", os.X_OK):
            return f"{folder}/{name}"
    return None


NGINX = _tool("nginx")
OPENSSL = _tool("openssl")
SYSTEMD_ANALYZE = _tool("systemd-analyze")
CADDY = _tool("caddy")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rewrite(text: str, substitutions: list[tuple[str, str]], what: str) -> str:
    """Apply (regex, replacement) pairs, each of which must match exactly once.

    A pattern that no longer matches means the shipped file changed under this test: the
    test fails naming the pattern rather than checking a file that differs from the one
    shipped in some untested way."""
    for pattern, replacement in substitutions:
        text, count = re.subn(pattern, lambda _m, r=replacement: r, text, flags=re.MULTILINE)
        if count != 1:
            pytest.fail(f"{what}: the pattern {pattern!r} matched {count} times, not once; "
                        f"the shipped file changed: update this test's rewrite to follow it")
    return text


# -- nginx ---------------------------------------------------------------------------------

def _nginx_site(tmp: Path, cert: Path, key: Path, http_port: int, https_port: int,
                app_port: int) -> Path:
    """deploy/nginx/coalition-dashboard.conf with only the machine-specific parts changed."""
    site = rewrite(NGINX_SITE.read_text(), [
        (r"^(\s*)listen 80;$", f"    listen 127.0.0.1:{http_port};"),
        (r"^\s*listen \[::\]:80;\n", ""),                   # IPv4 loopback only in the test
        (r"^(\s*)listen 443 ssl http2;$", f"    listen 127.0.0.1:{https_port} ssl http2;"),
        (r"^\s*listen \[::\]:443 ssl http2;\n", ""),
        (re.escape(f"/etc/letsencrypt/live/{SERVER_NAME}/fullchain.pem"), str(cert)),
        (re.escape(f"/etc/letsencrypt/live/{SERVER_NAME}/privkey.pem"), str(key)),
        (r"/var/cache/nginx/coalition-static(?= )", str(tmp / "cache" / "coalition-static")),
        (r"root /var/www/html;", f"root {tmp / 'webroot'};"),
        (r"^(\s*)server 127\.0\.0\.1:8501;", f"    server 127.0.0.1:{app_port};"),
    ], NGINX_SITE.name)
    (tmp / "webroot").mkdir(exist_ok=True)
    (tmp / "cache").mkdir(exist_ok=True)           # as /var/cache/nginx is on a server
    path = tmp / NGINX_SITE.name
    path.write_text(site)
    return path


def _nginx_main_conf(tmp: Path, site: Path) -> Path:
    """A main nginx.conf of the test's own around the shipped site file (as Debian's
    /etc/nginx/nginx.conf includes sites-enabled/ inside http {}), with every file it
    writes in tmp so that it runs without root."""
    # As root, nginx's workers would switch to `nobody`, which cannot enter pytest's
    # private tmp folders (cache, certificate); the site file has no `user` of its own.
    user = ""
    if os.geteuid() == 0:
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name};"
    conf = tmp / "nginx.conf"
    conf.write_text(f"""{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {site};
}}
""")
    return conf


def _nginx(conf: Path, *args: str) -> subprocess.CompletedProcess:
    # -e: without it nginx opens its compiled-in error log before reading the config.
    return subprocess.run([NGINX, "-c", str(conf), "-e", str(conf.parent / "error.log"), *args],
                          capture_output=True, text=True, timeout=TOOL_TIMEOUT_S)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for dashboard.example.org, standing in for Let's Encrypt's."""
    if OPENSSL is None:
        pytest.skip("openssl is not installed: no certificate for nginx's TLS (apt-get install openssl)")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", f"/CN={SERVER_NAME}", "-addext", f"subjectAltName=DNS:{SERVER_NAME}",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=TOOL_TIMEOUT_S)
    return cert, key


@pytest.fixture(scope="module")
def nginx() -> str:
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return NGINX


def test_nginx_accepts_the_shipped_site(nginx, certificate, tmp_path):
    """`nginx -t` as in the install steps: the shipped file is valid nginx, inside an
    http {} block, with no warnings (a warning there is one every server's log gets)."""
    cert, key = certificate
    site = _nginx_site(tmp_path, cert, key, _free_port(), _free_port(), _free_port())
    result = _nginx(_nginx_main_conf(tmp_path, site), "-t")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "test is successful" in output, output
    # nginx 1.25.1 and later deprecate `listen ... http2` in favour of `http2 on;`, which
    # Debian 12's nginx 1.22 does not know: the shipped file keeps the form both accept.
    warnings = [line for line in output.splitlines()
                if re.search(r"\[(warn|emerg|alert|crit)\]", line)
                and "the \"listen ... http2\" directive is deprecated" not in line]
    assert not warnings, output


def _wait_for(what: str, ready, timeout_s: float, alive=lambda: True, log: Path | None = None):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not alive():
            break
        if ready():
            return
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"{what} did not come up within {timeout_s:.0f} s\n{tail}")


def _healthy(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)   # no http_proxy on the way
    try:
        conn.request("GET", "/_stcore/health")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def app(nginx, certificate, tmp_path_factory) -> int:
    """`streamlit run streamlit_app.py` on the bundled demo, as the unit runs it, on a free
    loopback port, with its store in a temporary folder (not the repository's demo_data).
    Started only to be proxied: it asks for nginx and the certificate first, to skip
    before starting anything when either is missing."""
    tmp = tmp_path_factory.mktemp("app")
    port = _free_port()
    # Every dashboard setting left out (the registry names them), as tests/conftest.py does.
    env = {k: v for k, v in os.environ.items()
           if k not in settings.BY_NAME or k == "ARROW_DEFAULT_MEMORY_POOL"}
    env["DASHBOARD_STORAGE_URL"] = f"sqlite:///{tmp / 'state.sqlite'}"
    log = tmp / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
             "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for("streamlit", lambda: _healthy(port),
                  APP_START_TIMEOUT_S, alive=lambda: proc.poll() is None, log=log)
        yield port
    finally:
        stop_process(proc)


class Proxy:
    """Where the test's nginx listens, and how to reach it as a browser of
    https://dashboard.example.org would (name in SNI and Host, certificate verified)."""

    def __init__(self, http_port: int, https_port: int, cert: Path, webroot: Path):
        self.http_port, self.https_port, self.webroot = http_port, https_port, webroot
        self.tls = ssl.create_default_context(cafile=str(cert))

    def tls_socket(self) -> ssl.SSLSocket:
        raw = socket.create_connection(("127.0.0.1", self.https_port), timeout=10)
        return self.tls.wrap_socket(raw, server_hostname=SERVER_NAME)

    def https(self, path: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPSConnection(SERVER_NAME, self.https_port, context=self.tls, timeout=10)
        conn.sock = self.tls_socket()       # the name is example.org; the server is loopback
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def http(self, path: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        try:
            conn.request("GET", path, headers={"Host": SERVER_NAME})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def proxy(app, certificate, tmp_path_factory) -> Proxy:
    """nginx running the shipped site file in front of the app."""
    tmp = tmp_path_factory.mktemp("nginx")
    cert, key = certificate
    http_port, https_port = _free_port(), _free_port()
    conf = _nginx_main_conf(tmp, _nginx_site(tmp, cert, key, http_port, https_port, app))
    started = _nginx(conf)
    if started.returncode != 0:
        error_log = tmp / "error.log"
        pytest.fail(f"nginx did not start: {started.stderr}\n"
                    f"{error_log.read_text(errors='replace') if error_log.exists() else ''}")
    pid_file = tmp / "nginx.pid"
    try:
        _wait_for("nginx", lambda: pid_file.exists() and _listens(https_port), 15,
                  log=tmp / "error.log")
        yield Proxy(http_port, https_port, cert, tmp / "webroot")
    finally:
        pid = int(pid_file.read_text()) if pid_file.exists() else None
        _nginx(conf, "-s", "quit")
        deadline = time.monotonic() + 15
        while pid and time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.1)
        if pid and Path(f"/proc/{pid}").exists():       # the master this fixture started
            os.kill(pid, signal.SIGTERM)                # nginx's fast stop: workers too
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
                time.sleep(0.1)


def test_port_80_redirects_to_https(proxy):
    status, headers, _ = proxy.http("/overview?token=abc")
    assert status == 301
    assert headers["Location"] == f"https://{SERVER_NAME}/overview?token=abc"


def test_port_80_serves_certbot_webroot_renewals(proxy):
    """certbot --webroot renews by putting a file under .well-known/acme-challenge/: it must
    be served over plain HTTP from the webroot, not redirected."""
    challenge = proxy.webroot / ".well-known" / "acme-challenge"
    challenge.mkdir(parents=True, exist_ok=True)
    (challenge / "test-token").write_text("test-token.key-authorization")
    status, _, body = proxy.http("/.well-known/acme-challenge/test-token")
    assert status == 200
    assert body == b"test-token.key-authorization"


SECURITY_HEADERS = {"Strict-Transport-Security": "max-age=31536000",
                    "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin"}


def test_https_page_is_the_app_with_security_headers(proxy):
    status, headers, body = proxy.https("/")
    assert status == 200
    assert b"/static/" in body                    # Streamlit's index page, from the app
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name


def test_https_health_reaches_the_app(proxy):
    status, _, body = proxy.https("/_stcore/health")
    assert (status, body) == (200, b"ok")


def test_static_files_come_from_nginx_cache_with_security_headers(proxy):
    """Streamlit's hashed JavaScript is fetched from the app once, then served by nginx.
    Its responses carry the same security headers as the page (nosniff matters most for
    scripts)."""
    _, _, index = proxy.https("/")
    script = re.search(rb'(/static/[^"\'?#]+\.js)', index)
    assert script, "no /static/...js in the app's index page"
    path = script.group(1).decode()
    first_status, first, first_body = proxy.https(path)
    second_status, second, second_body = proxy.https(path)
    assert (first_status, second_status) == (200, 200)
    assert first["X-Cache-Status"] == "MISS"      # each run's cache starts empty
    assert second["X-Cache-Status"] == "HIT"
    assert second_body == first_body and len(first_body) > 1000
    for name, value in SECURITY_HEADERS.items():
        assert second[name] == value, name


def _ws_frame(payload: bytes, opcode: int) -> bytes:
    """One client-to-server websocket frame (FIN set, masked as RFC 6455 requires)."""
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        length = bytes([0x80 | n])
    elif n < 1 << 16:
        length = bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        length = bytes([0x80 | 127]) + n.to_bytes(8, "big")
    return bytes([0x80 | opcode]) + length + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class _Incoming:
    """What the server sends on the socket, read in whole pieces (HTTP head, frames)."""

    def __init__(self, sock: ssl.SSLSocket):
        self.sock, self.buffer = sock, b""

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the websocket was closed")
        self.buffer += chunk

    def exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self._fill()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def head(self) -> bytes:
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        return head

    def still_open_after(self, seconds: float) -> bool:
        """False if the server ends the stream within `seconds`; data arriving is kept."""
        self.sock.settimeout(seconds)
        try:
            self._fill()
        except (socket.timeout, ssl.SSLWantReadError):
            pass
        except ConnectionError:
            return False
        return True

    def frame(self) -> tuple[int, bytes]:
        """One server-to-client frame (unmasked, unfragmented: what Streamlit sends)."""
        first, second = self.exactly(2)
        n = second & 0x7F
        if n == 126:
            n = int.from_bytes(self.exactly(2), "big")
        elif n == 127:
            n = int.from_bytes(self.exactly(8), "big")
        return first & 0x0F, self.exactly(n)


# A browser names the port in Host and Origin when it is not 443 (an IT volunteer's
# https://dashboard.example.org:8443); Streamlit refuses a websocket whose Origin is not
# the Host it is given, so the proxy must pass the Host on with its port.
@pytest.mark.parametrize("site", [SERVER_NAME, f"{SERVER_NAME}:8443"],
                         ids=["default-port", "explicit-port"])
def test_websocket_is_upgraded_and_carries_a_page_run(proxy, site):
    """The handshake a browser on https://dashboard.example.org makes (Origin, Streamlit's
    subprotocol) is upgraded through nginx (101), the socket stays open, and a request to
    run the Overview comes back as the page's elements: the proxied websocket works both
    ways, which is all a Streamlit page lives on."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    key = base64.b64encode(os.urandom(16)).decode()
    sock = proxy.tls_socket()
    try:
        sock.sendall((f"GET /_stcore/stream HTTP/1.1\r\nHost: {site}\r\n"
                      f"Origin: https://{site}\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                      f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n").encode())
        incoming = _Incoming(sock)
        head = incoming.head()
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in
                   (line.partition(":") for line in header_lines if line)}
        assert status_line.startswith("HTTP/1.1 101"), head.decode("latin-1")
        assert headers.get("upgrade", "").lower() == "websocket"
        accept = base64.b64encode(hashlib.sha1(
            (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
        assert headers.get("sec-websocket-accept") == accept
        assert headers.get("sec-websocket-protocol") == "streamlit"

        # Open, not closed by nginx or the app: for a second either nothing arrives or data
        # does; an end of stream is the failure.
        assert incoming.still_open_after(1.0), "the websocket was closed at once"

        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        rerun.rerun_script.page_script_hash = ""          # the default page: the Overview
        sock.settimeout(30)
        sock.sendall(_ws_frame(rerun.SerializeToString(), opcode=2))
        kinds, elements = [], []
        deadline = time.monotonic() + 30
        while "script_finished" not in kinds and time.monotonic() < deadline:
            opcode, payload = incoming.frame()
            assert opcode != 8, f"the websocket was closed: {payload!r}"
            if opcode != 2:           # pings and the like
                continue
            message = ForwardMsg()
            message.ParseFromString(payload)
            kinds.append(message.WhichOneof("type"))
            if kinds[-1] == "delta" and message.delta.WhichOneof("type") == "new_element":
                elements.append(message.delta.new_element.WhichOneof("type"))
        assert "new_session" in kinds and "script_finished" in kinds, kinds
        assert "metric" in elements, elements
        assert "exception" not in elements
        sock.sendall(_ws_frame(b"\x03\xe8", opcode=8))   # close, 1000: normal
    finally:
        sock.close()


# -- systemd -------------------------------------------------------------------------------

def _unit_entries(path: Path) -> list[tuple[str, str, str]]:
    """(section, key, value) of a unit file, continuation lines joined, comments dropped."""
    entries, section, pending = [], "", ""
    for line in path.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith(("#", ";"))):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        if line.startswith("["):
            section = line.strip().strip("[]")
        else:
            key, _, value = line.partition("=")
            entries.append((section, key.strip(), value.strip()))
    return entries


def _unit_value(path: Path, section: str, key: str) -> str:
    values = [v for s, k, v in _unit_entries(path) if (s, k) == (section, key)]
    assert len(values) == 1, f"{path.name}: [{section}] {key}= set {len(values)} times"
    return values[0]


def _units_for_this_machine(tmp: Path) -> Path:
    """The three unit files, in one folder (the timer names its service), with the install
    folder, the env file and the user rewritten to ones that exist here."""
    env_file = tmp / "env"
    env_file.write_text(ENV_EXAMPLE.read_text())
    user = pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(os.getegid()).gr_name
    service_rewrites = [
        (r"^WorkingDirectory=/opt/coalition-dashboard$", f"WorkingDirectory={ROOT}"),
        (r"^ExecStart=/opt/coalition-dashboard/\.venv/bin/python ", f"ExecStart={VENV_PYTHON} "),
        (r"^EnvironmentFile=/etc/coalition-dashboard/env$", f"EnvironmentFile={env_file}"),
        (r"^User=coalition$", f"User={user}"),
        (r"^Group=coalition$", f"Group={group}"),
    ]
    units = tmp / "units"
    units.mkdir()
    for name in UNIT_FILES:
        text = (SYSTEMD / name).read_text()
        if name.endswith(".service"):
            text = rewrite(text, service_rewrites, name)
        # Documentation=file:///opt/... stays: verify checks only that it is a URL.
        (units / name).write_text(text)
    return units


def test_systemd_analyze_verify_finds_nothing_wrong_in_the_units(tmp_path):
    """What `systemd-analyze verify` says about the units themselves: an unknown or
    misspelt key, a value it cannot parse, an ExecStart that is not executable. It works
    without a running systemd (it loads the files, it does not start them): in this
    container, whose PID 1 is not systemd, it prints nothing at all for the shipped files.
    Lines about other units (a dependency's own file on some host) are that host's, not
    ours, and do not fail the test; a line naming one of our units does, as does a
    non-zero exit."""
    if SYSTEMD_ANALYZE is None:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd)")
    if not VENV_PYTHON.exists():
        pytest.skip(f"{VENV_PYTHON} is missing: the units' ExecStart would point at nothing "
                    "(make test builds it)")
    units = _units_for_this_machine(tmp_path)
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", *(str(units / n) for n in UNIT_FILES)],
                            capture_output=True, text=True, timeout=TOOL_TIMEOUT_S, cwd=units)
    output = (result.stdout + result.stderr).strip()
    ours = [line for line in output.splitlines()
            if str(units) in line or any(name in line for name in UNIT_FILES)]
    assert result.returncode == 0, output
    assert not ours, output
    if output:
        print(f"systemd-analyze verify, about other units than ours:\n{output}")


def test_timer_runs_every_ten_minutes(tmp_path):
    """The timer's OnCalendar parses, and its next three elapses are ten minutes apart,
    as the timer's description and docs/deploying.md say."""
    if SYSTEMD_ANALYZE is None:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd)")
    timer = SYSTEMD / "coalition-refresh.timer"
    on_calendar = _unit_value(timer, "Timer", "OnCalendar")
    result = subprocess.run([SYSTEMD_ANALYZE, "calendar", "--iterations", "3", on_calendar],
                            capture_output=True, text=True, timeout=TOOL_TIMEOUT_S,
                            env={**os.environ, "TZ": "UTC", "LC_ALL": "C"})
    assert result.returncode == 0, result.stdout + result.stderr
    elapses = [dt.datetime.fromisoformat(m) for m in re.findall(
        r"^\s*(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)",
        result.stdout, flags=re.MULTILINE)]
    assert len(elapses) == 3, result.stdout
    assert {(b - a).total_seconds() for a, b in zip(elapses, elapses[1:])} == {600}
    assert "10 minutes" in _unit_value(timer, "Unit", "Description")


def test_timer_starts_the_shipped_refresh_service():
    timer = SYSTEMD / "coalition-refresh.timer"
    unit = _unit_value(timer, "Timer", "Unit")
    assert unit == "coalition-refresh.service"
    assert (SYSTEMD / unit).is_file()
    assert _unit_value(timer, "Install", "WantedBy") == "timers.target"


def _exec_start(name: str) -> list[str]:
    path = SYSTEMD / name
    assert _unit_value(path, "Service", "WorkingDirectory") == "/opt/coalition-dashboard"
    argv = shlex.split(_unit_value(path, "Service", "ExecStart"))
    assert argv[0] == "/opt/coalition-dashboard/.venv/bin/python", argv
    return argv[1:]


def _option(argv: list[str], name: str) -> str:
    assert argv.count(name) == 1, f"{name} in {argv}"
    return argv[argv.index(name) + 1]


def test_app_unit_runs_the_app_where_the_proxies_send_it():
    """The app unit runs the repository's streamlit_app.py (relative to WorkingDirectory,
    the code folder) on 127.0.0.1:8501, the address nginx and Caddy proxy to."""
    argv = _exec_start("coalition-dashboard.service")
    assert argv[:4] == ["-m", "streamlit", "run", "streamlit_app.py"], argv
    assert (ROOT / "streamlit_app.py").is_file()
    assert _option(argv, "--server.address") == "127.0.0.1"
    assert int(_option(argv, "--server.port")) == APP_PORT
    assert _option(argv, "--server.headless") == "true"
    assert re.search(rf"^\s*server 127\.0\.0\.1:{APP_PORT};", NGINX_SITE.read_text(), re.MULTILINE)
    assert re.search(rf"^\s*reverse_proxy 127\.0\.0\.1:{APP_PORT} ", CADDYFILE.read_text(), re.MULTILINE)


def test_refresh_unit_runs_the_refresh_command():
    argv = _exec_start("coalition-refresh.service")
    assert argv == ["-m", "dashboard", "refresh"]
    python = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable
    result = subprocess.run([python, "-m", "dashboard", "refresh", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=TOOL_TIMEOUT_S)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "refresh" in result.stdout


# -- Caddy ---------------------------------------------------------------------------------

def _caddy(*args: str, home: Path) -> subprocess.CompletedProcess:
    # Caddy keeps state under $HOME and the XDG folders (it makes ~/.step even for
    # `validate`): a temporary home keeps the test from writing into the real one.
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config")}
    return subprocess.run([CADDY, *args], capture_output=True, text=True,
                          timeout=TOOL_TIMEOUT_S, env=env)


def test_caddy_validates_the_shipped_caddyfile(tmp_path):
    """`caddy validate` loads and provisions the config without starting it: it asks for
    no certificate and needs no network (checked on Caddy 2.6.2 with networking removed),
    so it runs here as in the install steps."""
    if CADDY is None:
        pytest.skip("caddy is not installed (apt-get install caddy)")
    result = _caddy("validate", "--config", str(CADDYFILE), "--adapter", "caddyfile", home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def _handlers(node):
    """Every handler object in Caddy's JSON config, however deeply routes are nested."""
    if isinstance(node, dict):
        if "handler" in node:
            yield node
        for value in node.values():
            yield from _handlers(value)
    elif isinstance(node, list):
        for value in node:
            yield from _handlers(value)


def test_caddyfile_proxies_to_the_app_with_affinity_and_security_headers(tmp_path):
    if CADDY is None:
        pytest.skip("caddy is not installed (apt-get install caddy)")
    result = _caddy("adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile", home=tmp_path)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    servers = config["apps"]["http"]["servers"]
    hosts = [h for s in servers.values() for r in s["routes"] for m in r.get("match", [])
             for h in m.get("host", [])]
    assert hosts == [SERVER_NAME]
    handlers = list(_handlers(config))
    proxies = [h for h in handlers if h["handler"] == "reverse_proxy"]
    assert len(proxies) == 1
    assert [u["dial"] for u in proxies[0]["upstreams"]] == [f"127.0.0.1:{APP_PORT}"]
    assert proxies[0]["load_balancing"]["selection_policy"]["policy"] == "ip_hash"
    assert proxies[0].get("flush_interval") == -1          # websocket frames go out at once
    headers = [h for h in handlers if h["handler"] == "headers"]
    assert len(headers) == 1
    assert headers[0]["response"]["set"] == {k: [v] for k, v in SECURITY_HEADERS.items()}


# -- the env file --------------------------------------------------------------------------

def test_env_example_sets_only_documented_variables_and_store_mode():
    """Every variable the example env file sets is one the README documents, and app
    processes only read the store (the refresh timer is the one reader of the sources)."""
    lines = [line.strip() for line in ENV_EXAMPLE.read_text().splitlines()]
    settings = [line for line in lines if line and not line.startswith("#")]
    assignments = dict(line.split("=", 1) for line in settings if re.match(r"^[A-Z][A-Z0-9_]*=", line))
    assert len(assignments) == len(settings), "a line is neither a comment nor NAME=value"

    readme = (ROOT / "README.md").read_text().splitlines()
    start = next(i for i, line in enumerate(readme) if line.startswith("| environment variable |"))
    table = []
    for line in readme[start + 2:]:
        if not line.startswith("|"):
            break
        table.append(line)
    documented = {m.group(1) for line in table if (m := re.match(r"^\| `([A-Z][A-Z0-9_]*)` \|", line))}
    assert documented, "the README's environment table was not found"
    assert set(assignments) <= documented, set(assignments) - documented
    assert assignments["DASHBOARD_APP_READS"] == "store"
