"""The production settings: `check --deploy` clean, no demo, no published password, a first
administrator made from a typed password; and the pages every set-up serves."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from srishti.accounts.models import User
from srishti.core.errors import DomainError

REPO = Path(__file__).resolve().parents[2]
SRISHTI = str(Path(sys.executable).with_name("srishti"))


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SRISHTI_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update({
        "DJANGO_SETTINGS_MODULE": "srishti.config.settings.production",
        "SRISHTI_SECRET_KEY": secrets.token_urlsafe(50),
        "SRISHTI_ALLOWED_HOSTS": "srishti.example.org",
        "SRISHTI_VAR": str(tmp_path / "var"),
        **extra,
    })
    return env


def run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([SRISHTI, *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=300, cwd=REPO)


def test_check_deploy_is_clean_under_the_production_settings(tmp_path):
    env = production_env(tmp_path)
    assert run(["manage", "migrate", "--verbosity", "0"], env).returncode == 0
    result = run(["manage", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_demo_refuses_the_production_settings_and_createadmin_makes_the_first_admin(
        tmp_path):
    env = production_env(tmp_path)
    assert run(["manage", "migrate", "--verbosity", "0"], env).returncode == 0
    demo = run(["demo"], env)
    assert demo.returncode == 2
    assert "cannot be loaded with the production settings" in demo.stderr
    weak = run(["createadmin", "chief"], env, stdin="12345678901\n")
    assert weak.returncode == 2 and "entirely numeric" in weak.stderr
    made = run(["createadmin", "chief", "--email", "chief@example.org"], env,
               stdin="kosi-river-1987\n")
    assert made.returncode == 0, made.stderr
    assert "kosi-river-1987" not in made.stdout + made.stderr
    check = run(["manage", "shell", "-c",
                 "from srishti.accounts.models import User; u = User.objects.get();"
                 "print(u.username, u.is_superuser, u.must_change_password,"
                 " u.check_password('kosi-river-1987'))"], env)
    assert check.stdout.splitlines()[-1].split() == ["chief", "True", "True", "True"]


def test_an_account_with_the_demo_password_fails_the_deploy_check(tmp_path):
    env = production_env(tmp_path)
    assert run(["manage", "migrate", "--verbosity", "0"], env).returncode == 0
    run(["manage", "shell", "-c", "from srishti.accounts.models import User;"
         "User.objects.create_superuser('admin', '', 'srishti-demo')"], env)
    result = run(["manage", "check", "--deploy"], env)
    assert result.returncode != 0
    assert "srishti.E001" in result.stderr and "'admin'" in result.stderr


def test_the_demo_password_does_not_log_in_under_the_production_settings(client, settings, db):
    settings.SRISHTI_PRODUCTION = True
    User.objects.create_superuser("admin", "", "srishti-demo")
    client.post(reverse("login"), {"username": "admin", "password": "srishti-demo"})
    assert "_auth_user_id" not in client.session


def test_demo_load_refuses_with_production_settings(settings, db):
    from srishti.demo.load import demo_load

    settings.SRISHTI_PRODUCTION = True
    with pytest.raises(DomainError):
        demo_load()
    assert not User.objects.exists()


@pytest.mark.parametrize("password,rule", [
    ("12345678", "too short"), ("1234567890123", "entirely numeric"),
    ("password123", "too common"), ("ravikumar-99", "too similar"),
])
def test_weak_passwords_are_refused(client, cast, password, rule):
    ravi = User.objects.create_user("ravikumar", password="old-pass-word-77")
    client.force_login(ravi)
    response = client.post(reverse("password-change"), {
        "old_password": "old-pass-word-77", "new_password1": password,
        "new_password2": password})
    assert response.status_code == 200
    assert rule in response.content.decode()


def test_the_username_error_repeats_the_rule_of_the_help_text(client, cast):
    client.force_login(cast.state_admin)
    page = client.get(reverse("person-create")).content.decode()
    assert "Letters, digits and . - _ only" in page
    response = client.post(reverse("person-create"), {
        "username": "ram kumar", "name": "Ram", "password1": "x", "password2": "x"})
    assert "A username may hold only letters, digits and . - _" in (
        response.content.decode())


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        handlers = [name for name in attrs if name.startswith("on")]
        if handlers:
            self.inline.append(f"<{tag} {handlers[0]}=...>")
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.inline.append("<script> without src")
        for name in ("href", "src", "action"):
            if (attrs.get(name) or "").strip().lower().startswith("javascript:"):
                self.inline.append(f"{name}=javascript:")


def inline_scripts(html: str) -> list[str]:
    parser = _Scripts()
    parser.feed(html)
    return parser.inline


def test_the_inline_script_finder_finds_them():
    assert inline_scripts('<button onclick="x()">') == ["<button onclick=...>"]
    assert inline_scripts("<script>alert(1)</script>") == ["<script> without src"]
    assert inline_scripts('<script type="application/json">{}</script>') == []


def test_pages_carry_a_csp_without_inline_scripts_and_have_none(client, cast, demo_version):
    import datetime as dt

    from srishti.assessments.services import assessment_create

    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 5, 1))
    department = demo_version.departments.order_by("order").first()
    anonymous = ["/accounts/login/", "/accounts/password_reset/", "/offline/"]
    pages = ["/", "/dashboards/", "/facilities/", f"/facilities/{cast.f.pk}/",
             "/assessments/", f"/assessments/{assessment.pk}/",
             f"/assessments/{assessment.pk}/capture/",
             f"/assessments/{assessment.pk}/departments/{department.pk}/",
             f"/assessments/{assessment.pk}/gaps/", f"/actions/assessments/{assessment.pk}/",
             "/people/", f"/people/{cast.district_officer.pk}/", "/people/add/",
             "/certification/alerts/", "/certification/targets/", "/api/docs",
             "/no-such-page/"]
    found = {}
    for url in anonymous:
        response = client.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"]
        found[url] = inline_scripts(response.content.decode())
    client.force_login(cast.state_admin)
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split(
            "style-src-attr")[0]
        found[url] = inline_scripts(response.content.decode())
    assert {url: bad for url, bad in found.items() if bad} == {}


def test_a_missing_page_is_the_apps_own_translated_page(client, cast):
    client.force_login(cast.state_admin)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'class="topbar"' in html
    assert "URLconf" not in html  # not Django's debug page
    client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    assert "पेज नहीं मिला" in client.get("/no-such-page/").content.decode()


def test_a_server_error_is_the_apps_own_page(client, cast, monkeypatch):
    from srishti.geography import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "facility_list", broken)
    client.raise_request_exception = False
    client.force_login(cast.state_admin)
    response = client.get("/facilities/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "boom" not in html and "Traceback" not in html


def test_api_docs_need_a_log_in_and_load_swagger_from_this_site(client, cast):
    assert client.get("/api/docs").status_code == 302
    client.force_login(cast.state_admin)
    html = client.get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert all(s.startswith("/") for s in sources), sources  # no CDN
    assert client.get(next(s for s in sources if s.endswith(".js"))).status_code == 200
