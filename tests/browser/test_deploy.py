"""docs/deploy.md followed on this machine: PostgreSQL, the production settings, gunicorn,
the worker and nginx in front with a self-signed certificate; then a browser logs in over
HTTPS, changes the first administrator's password and gets a PDF made by the worker.

Skipped without nginx (`make test` installs it when run as root) or without PostgreSQL
(the PostgreSQL pass of CI runs it). Ports: 8310 (gunicorn), 8380 (http), 8443 (https).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import screenshot

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GUNICORN, HTTP, HTTPS = 8310, 8380, 8443
ADMIN_PASSWORD = "Ganga-ghat-2024"
NEW_PASSWORD = "Sone-river-bridge-77"

pytestmark = pytest.mark.browser

NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
{user}
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{http};
        server_name localhost;
        return 301 https://$host:{https}$request_uri;
    }}
    server {{
        listen 127.0.0.1:{https} ssl http2;
        server_name localhost;
        ssl_certificate     {tmp}/cert.pem;
        ssl_certificate_key {tmp}/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        client_max_body_size 60m;
        location / {{
            proxy_pass http://127.0.0.1:{gunicorn};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_read_timeout 90s;
        }}
    }}
}}
"""

SEED = """
import datetime as dt
from srishti.checklists.services import checklist_version_create, rule_sets_seed, tool_get
from srishti.demo.checklist import demo_checklist
from srishti.geography.services import facilities_create, state_get_or_create
from srishti.geography.models import Facility
from srishti.assessments.services import assessment_create, responses_import
rule_sets_seed()
facilities_create(state=state_get_or_create(name="Bihar"),
                  rows=[("Saran", "DH", "District Hospital Saran")])
version = checklist_version_create(parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"),
                                   facility_type="DH", label="deploy test")
assessment = assessment_create(facility=Facility.objects.get(), version=version,
                               start_date=dt.date(2026, 11, 2))
ids = version.checkpoints.order_by("order").values_list("id", flat=True)
responses_import(assessment=assessment, answers=[(i, 2 if i % 3 else 1, "seen") for i in ids])
print(assessment.pk)
"""


def _postgres() -> dict | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    return {"url": urlparse(url)}


def _wait_for(url: str, seconds: float = 30) -> None:
    import ssl

    context = ssl._create_unverified_context()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2, context=context)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light; make test does)")
    pg = _postgres()
    if pg is None:
        pytest.skip("the deployment runs on PostgreSQL: run with DATABASE_URL=postgres://...")
    tmp = tmp_path_factory.mktemp("deploy")
    # A database of its own, named after the test run's (never another's).
    base = pg["url"].path.lstrip("/") or "srishti"
    name = f"{base}_deploy"
    admin = pg["url"]._replace(path="/postgres").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SRISHTI_", "DJANGO_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "srishti.config.settings.production",
        "SRISHTI_SECRET_KEY": secrets.token_urlsafe(50),
        "SRISHTI_ALLOWED_HOSTS": "localhost",
        "SRISHTI_ORIGINS": f"https://localhost:{HTTPS}",
        "SRISHTI_SITE_URL": f"https://localhost:{HTTPS}",
        "SRISHTI_VAR": str(tmp / "var"),
        "DATABASE_URL": pg["url"]._replace(path=f"/{name}").geturl(),
    })
    srishti = str(BIN / "srishti")

    def run(*args: str, stdin: str = "") -> str:
        result = subprocess.run([srishti, *args], env=env, input=stdin, text=True,
                                capture_output=True, cwd=REPO, timeout=600)
        assert result.returncode == 0, result.stderr
        return result.stdout

    # docs/deploy.md, section 5.
    run("manage", "migrate", "--verbosity", "0")
    run("manage", "compile_translations")
    run("manage", "collectstatic", "--noinput", "--verbosity", "0")
    run("createadmin", "chief", "--email", "chief@example.org", stdin=ADMIN_PASSWORD + "\n")
    assert "no issues" in run("manage", "check", "--deploy")
    assessment_id = int(run("manage", "shell", "-c", SEED).strip().splitlines()[-1])

    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-keyout", str(tmp / "key.pem"),
                    "-out", str(tmp / "cert.pem")], check=True, capture_output=True)
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(
        tmp=tmp, http=HTTP, https=HTTPS, gunicorn=GUNICORN,
        user="user root;" if os.geteuid() == 0 else ""))
    logs = contextlib.ExitStack()
    commands = {
        "gunicorn": ([str(BIN / "gunicorn"), "srishti.config.wsgi", "--bind",
                      f"127.0.0.1:{GUNICORN}", "--workers", "2", "--threads", "2",
                      "--access-logfile", str(tmp / "access.log")], env),
        "worker": ([srishti, "worker"], env),
        "nginx": ([nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp), "-g", "daemon off;"],
                  None),
    }
    processes = [
        subprocess.Popen(command, env=environment, cwd=REPO,
                         # closed by the ExitStack, after the processes end
                         stderr=logs.enter_context(open(tmp / f"{name}.log", "w")))  # noqa: SIM115
        for name, (command, environment) in commands.items()
    ]
    try:
        _wait_for(f"http://127.0.0.1:{GUNICORN}/accounts/login/")
        _wait_for(f"https://localhost:{HTTPS}/accounts/login/")
        yield {"assessment": assessment_id, "tmp": tmp, "run": run}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        logs.close()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_documented_deployment_serves_https_and_makes_files_in_the_background(
        browser, deployment):
    base = f"https://localhost:{HTTPS}"
    context = browser.new_context(ignore_https_errors=True, base_url=base,
                                  viewport={"width": 1280, "height": 800})
    context.set_default_timeout(20_000)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    try:
        # Plain http is sent to https by the proxy.
        response = page.goto(f"http://localhost:{HTTP}/accounts/login/")
        assert page.url.startswith(f"{base}/accounts/login/")
        headers = response.headers
        assert "max-age=31536000" in headers["strict-transport-security"]
        assert "script-src 'self'" in headers["content-security-policy"]
        # Static files come from the app, named by their content, with a long lifetime.
        css = page.locator("link[rel=stylesheet]").first.get_attribute("href")
        assert css.startswith("/static/css/srishti.") and css.endswith(".css")
        static = page.request.get(base + css)
        assert static.status == 200 and "max-age=315360000" in static.headers["cache-control"]
        assert page.request.get(base + "/sw.js").status == 200  # the offline shell

        # The first administrator logs in with the typed password and must change it: a
        # form posted over HTTPS through the proxy passes the CSRF origin check.
        page.fill("input[name=username]", "chief")
        page.fill("input[name=password]", ADMIN_PASSWORD)
        page.click("form button.primary")
        page.wait_for_url("**/people/password/**")
        page.fill("input[name=new_password1]", NEW_PASSWORD)
        page.fill("input[name=new_password2]", NEW_PASSWORD)
        page.click("form button.primary")
        page.wait_for_load_state("networkidle")
        assert "/people/password/" not in page.url

        # A score card PDF: queued, made by the worker, offered when ready.
        page.goto(f"/assessments/{deployment['assessment']}/")
        page.click("a[href$='/scorecard.pdf']")
        page.wait_for_url("**/jobs/*/")
        page.locator("#job-file").wait_for(timeout=60_000)
        screenshot(page, "deploy-https-job-ready")
        link = page.locator("#job-file").get_attribute("href")
        pdf = page.request.get(base + link)
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")

        # The audit log saw the log-in and the export, with the person's address.
        page.goto("/audit/")
        rows = page.locator("#audit tbody tr").all_inner_texts()
        assert any("Logged in" in r and "127.0.0.1" in r for r in rows)
        assert any("Exported" in r for r in rows)
        assert violations == []
    finally:
        context.close()
