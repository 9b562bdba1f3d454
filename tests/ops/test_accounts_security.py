"""Rate limits and a lock-out that cannot keep a person out of their own account; the
audit log and who reads it; password reset by e-mail, through a real SMTP server."""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from srishti.accounts.models import User
from srishti.audit.models import AuditEvent
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "pass-word-123"


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def log_in(client, username, password, address="10.1.1.1"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_an_attacker_cannot_keep_a_person_out_of_their_own_browser(client, db):
    meera = UserFactory(username="meera")
    own = client.__class__()
    assert log_in(own, "meera", PASSWORD, "10.0.0.5").status_code == 302  # her usual browser
    own.post(reverse("logout"))
    for _ in range(5):
        log_in(client, "meera", "guess", "10.9.9.9")  # someone else, elsewhere
    meera.refresh_from_db()
    assert meera.locked_until is not None
    # The attacker is locked out, even with the right password...
    assert "_auth_user_id" not in log_in(client, "meera", PASSWORD, "10.9.9.9").wsgi_request.session
    # ...while her own browser still logs in.
    response = log_in(own, "meera", PASSWORD, "10.0.0.5")
    assert response.status_code == 302 and own.session["_auth_user_id"] == str(meera.pk)


def test_an_address_failing_too_often_is_refused_whatever_the_username(client, db, settings):
    settings.SRISHTI_LOGIN_FAILURES_PER_ADDRESS = 6
    UserFactory(username="ravi")
    for n in range(6):
        log_in(client, f"name{n}", "guess", "10.7.7.7")
    response = log_in(client, "ravi", PASSWORD, "10.7.7.7")
    assert "_auth_user_id" not in client.session
    assert "Too many failed log-ins from your network" in response.content.decode()
    assert AuditEvent.objects.filter(kind="login_throttled", address="10.7.7.7").exists()
    # Another address is not affected.
    assert log_in(client, "ravi", PASSWORD, "10.7.7.8").status_code == 302


def test_the_api_answers_429_beyond_the_calls_per_account(client, cast, settings):
    settings.SRISHTI_API_CALLS_PER_ACCOUNT = 5
    client.force_login(cast.facility_team)
    codes = [client.get("/api/sync/assessments/999/package").status_code for _ in range(7)]
    assert codes[:5] == [404] * 5 and codes[5:] == [429, 429]
    refused = client.get("/api/sync/assessments/999/package")
    assert int(refused["Retry-After"]) > 0 and "Too many requests" in refused.json()["detail"]


def test_the_api_answers_429_beyond_the_calls_per_address(client, db, settings):
    settings.SRISHTI_API_CALLS_PER_ADDRESS = 3
    codes = [client.get("/api/sync/assessments/1/package", REMOTE_ADDR="10.3.3.3").status_code
             for _ in range(4)]
    assert codes[-1] == 429 and 429 not in codes[:3]


def test_log_ins_failures_and_role_changes_are_in_the_audit_log(client, cast):
    log_in(client, "state_admin", "wrong", "10.2.2.2")
    log_in(client, "state_admin", PASSWORD, "10.2.2.2")
    client.post(reverse("membership-add", args=[cast.facility_team.pk]), {
        "role": "viewer", "district": cast.x.pk, "state": cast.x.state.pk})
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", "username", "address"))
    assert ("login_failed", "state_admin", "10.2.2.2") in kinds
    assert ("login", "state_admin", "10.2.2.2") in kinds
    added = AuditEvent.objects.get(kind="role_added")
    assert added.username == "state_admin" and "facility_team" in added.summary
    assert added.state_id == cast.x.state_id


def test_no_password_is_ever_written_to_the_audit_log_or_the_logs(client, cast, caplog):
    secret = "Tulsi-Temporary-4417"
    log_in(client, "state_admin", secret, "10.4.4.4")
    client.force_login(cast.state_admin)
    client.post(reverse("person-password-reset", args=[cast.district_officer.pk]), {
        "new_password1": secret, "new_password2": secret})
    client.post(reverse("person-create"), {
        "username": "newperson", "name": "New", "password1": secret, "password2": secret,
        "role": "viewer", "state": cast.x.state.pk, "district": cast.x.pk})
    assert User.objects.filter(username="newperson").exists()
    stored = " ".join(" ".join(map(str, row)) for row in AuditEvent.objects.values_list(
        "username", "summary"))
    assert secret not in stored and secret not in caplog.text


@pytest.mark.parametrize("person,status", [("state_admin", 200), ("district_officer", 404),
                                           ("facility_team", 404), ("outsider", 404)])
def test_the_audit_log_is_for_the_state_administrators_only(client, cast, person, status):
    client.force_login(getattr(cast, person))
    assert client.get(reverse("audit-log")).status_code == status


def test_the_audit_log_shows_only_the_states_own_events(client, cast):
    from tests.factories import DistrictFactory, StateFactory

    other = DistrictFactory(state=StateFactory(name="Jharkhand", code="JH"))
    stranger = MembershipFactory(user=UserFactory(username="ranchi"),
                                 role="district_quality_unit", district=other).user
    log_in(client, "ranchi", PASSWORD)
    log_in(client, "district_officer", PASSWORD)
    client.force_login(cast.state_admin)
    shown = {e.username for e in client.get(reverse("audit-log")).context["page"]}
    assert "district_officer" in shown and stranger.username not in shown


# --- password reset ------------------------------------------------------------------------

def test_the_reset_pages_are_the_apps_own_and_mail_a_working_link(client, db, settings):
    settings.SRISHTI_PASSWORD_RESET_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    meera = UserFactory(username="meera", email="meera@example.org", must_change_password=True)
    page = client.get(reverse("password_reset")).content.decode()
    assert "Django site admin" not in page and 'class="topbar"' in page
    response = client.post(reverse("password_reset"), {"email": "meera@example.org"})
    assert response.status_code == 302
    [message] = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    assert "meera" in message.body
    form = client.get(link, follow=True)
    new = "Gandak-bridge-2025"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    meera.refresh_from_db()
    assert meera.check_password(new) and not meera.must_change_password
    assert client.get(link).context["validlink"] is False  # used once only


def test_the_reset_email_is_in_hindi_for_a_hindi_page(client, db, settings):
    settings.SRISHTI_PASSWORD_RESET_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    UserFactory(username="meera", email="meera@example.org")
    client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    client.post(reverse("password_reset"), {"email": "meera@example.org"})
    assert re.search(r"[\u0900-\u097F]", mail.outbox[0].subject + mail.outbox[0].body)


def test_without_email_the_reset_page_says_whom_to_ask(client, db, settings):
    settings.SRISHTI_PASSWORD_RESET_BY_EMAIL = False
    page = client.get(reverse("password_reset")).content.decode()
    assert "This server does not send e-mail" in page
    assert client.post(reverse("password_reset"), {"email": "a@b.org"}).status_code == 404


def free_port() -> int:
    for port in range(8390, 8400):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8390-8399")


def test_the_reset_mail_goes_through_a_real_smtp_server(client, db, settings):
    from aiosmtpd.controller import Controller

    received = []
    arrived = threading.Event()

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            arrived.set()
            return "250 OK"

    port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.SRISHTI_PASSWORD_RESET_BY_EMAIL = True
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        UserFactory(username="meera", email="meera@example.org")
        assert client.post(reverse("password_reset"),
                           {"email": "meera@example.org"}).status_code == 302
        assert arrived.wait(10)
    finally:
        controller.stop()
    [envelope] = received
    assert envelope.rcpt_tos == ["meera@example.org"]
    body = envelope.content.decode()
    assert "/accounts/reset/" in body and "Srishti" in body
    assert AuditEvent.objects.filter(kind="password_reset_mail").exists()


def test_reset_requests_are_limited_per_address(client, db, settings):
    settings.SRISHTI_PASSWORD_RESETS_PER_HOUR = 5
    settings.SRISHTI_PASSWORD_RESET_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    codes = [client.post(reverse("password_reset"), {"email": "x@example.org"}).status_code
             for _ in range(6)]
    assert codes[:5] == [302] * 5 and codes[5] == 200


def test_a_lock_in_the_past_is_no_lock(db):
    from srishti.accounts import services

    person = UserFactory(username="late")
    person.locked_until = timezone.now() - dt.timedelta(seconds=1)
    assert not services.is_locked(person)
