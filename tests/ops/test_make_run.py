"""What `make run` serves: `srishti serve` (gunicorn beside the worker) under the settings
a fresh checkout gets, with no debug switch set. A missing page is the app's own page, not
Django's debug page, and /api/docs loads Swagger UI from the app's own files (no CDN), so
it works offline."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "serve-test-pass-83"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "srishti serve stopped"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"nothing listens on port {port} after {seconds} s")


def _get(opener, url: str) -> tuple[int, str]:
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def test_srishti_serve_shows_no_debug_page_and_serves_the_api_docs_from_its_own_files(
        tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "SRISHTI_DEBUG", "DJANGO_SETTINGS_MODULE")}
    env["SRISHTI_VAR"] = str(tmp_path)
    cli = [sys.executable, "-m", "srishti.cli"]
    subprocess.run([*cli, "manage", "migrate", "--verbosity", "0"], env=env, cwd=REPO,
                   check=True, timeout=300)
    subprocess.run([*cli, "manage", "shell", "-c",
                    "from srishti.accounts.models import User; "
                    f"User.objects.create_user('served', password='{PASSWORD}')"],
                   env=env, cwd=REPO, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen([*cli, "serve", "--bind", f"127.0.0.1:{port}"], env=env,
                              cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for(port, server)
        base = f"http://127.0.0.1:{port}"
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

        status, html = _get(opener, f"{base}/no-such-page/")
        assert status == 404
        assert "Page not found" in html
        assert "URLconf" not in html and "DEBUG = True" not in html

        status, html = _get(opener, f"{base}/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "served",
                                       "password": PASSWORD}).encode()
        request = urllib.request.Request(f"{base}/accounts/login/", data=form,
                                         headers={"Referer": f"{base}/accounts/login/"})
        with opener.open(request, timeout=30) as response:
            assert "/accounts/login/" not in response.url  # logged in, sent on

        status, html = _get(opener, f"{base}/api/docs")
        assert status == 200
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert any(s.endswith("swagger-ui-bundle.js") for s in sources), sources
        assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources
        for source in sources:
            status, body = _get(opener, base + source)
            assert status == 200 and body, source
        status, schema = _get(opener, f"{base}/api/openapi.json")
        assert status == 200 and '"openapi"' in schema
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: the server and the worker stop
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
