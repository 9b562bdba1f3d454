"""Log-in with lock-out: five failures in a row lock an account for 15 minutes."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from srishti.accounts import services
from srishti.accounts.models import User
from tests.factories import UserFactory

PASSWORD = "pass-word-123"


@pytest.fixture
def person(db):
    return UserFactory(username="meera")


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def test_the_right_password_logs_in(client, person):
    response = log_in(client, "meera", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(person.pk)


def test_five_failures_in_a_row_lock_the_account_and_say_until_when_in_ist(client, person):
    for _ in range(4):
        response = log_in(client, "meera", "wrong")
        assert "locked" not in " ".join(errors(response))
    before = timezone.now()
    response = log_in(client, "meera", "wrong")
    person.refresh_from_db()
    assert person.locked_until is not None
    assert before + services.LOCKOUT_PERIOD <= person.locked_until
    ist = timezone.localtime(person.locked_until, dt.timezone(dt.timedelta(hours=5, minutes=30)))
    assert errors(response) == [
        f"Too many failed attempts: this account is locked until {ist:%H:%M} IST. Try again "
        "after that, or ask your administrator for a new password."]


def test_a_locked_account_refuses_even_the_right_password(client, person):
    person.locked_until = timezone.now() + dt.timedelta(minutes=1)
    person.save()
    response = log_in(client, "meera", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "locked until" in errors(response)[0]


def test_the_lock_ends_after_its_period_and_the_count_starts_again(client, person):
    for _ in range(5):
        log_in(client, "meera", "wrong")
    person.refresh_from_db()
    # Move the lock into the past instead of waiting 15 minutes.
    User.objects.filter(pk=person.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    response = log_in(client, "meera", PASSWORD)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.failed_logins, person.locked_until) == (0, None)


def test_a_successful_log_in_resets_the_count(client, person):
    for _ in range(4):
        log_in(client, "meera", "wrong")
    assert User.objects.get(pk=person.pk).failed_logins == 4
    assert log_in(client, "meera", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "meera", "wrong")
    person.refresh_from_db()
    assert person.locked_until is None and person.failed_logins == 4


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(client, person):
    wrong_password = log_in(client, "meera", "wrong")
    unknown = log_in(client, "nobody-here", "wrong")
    assert errors(unknown) == errors(wrong_password) == [
        "Wrong username or password. Check both and try again."]
    assert page_without_tokens(unknown).replace("nobody-here", "meera") == \
        page_without_tokens(wrong_password)


def page_without_tokens(response) -> str:
    # CSRF tokens are masked afresh on every page; everything else must be the same.
    return re.sub(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', "TOKEN",
                  response.content.decode())


def test_an_unknown_username_is_locked_like_a_real_one(client, person):
    for _ in range(5):
        real = log_in(client, "meera", "wrong")
        unknown = log_in(client, "nobody-here", "wrong")
    assert "locked until" in errors(real)[0]
    assert errors(unknown) == errors(real)


def test_login_failed_locks_at_the_fifth_failure_from_a_given_time(person):
    now = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC)
    for _ in range(4):
        services.login_failed(user=person, now=now)
    assert person.locked_until is None and person.failed_logins == 4
    services.login_failed(user=person, now=now)
    assert person.locked_until == now + dt.timedelta(minutes=15)
    assert services.is_locked(person, now + dt.timedelta(minutes=14))
    assert not services.is_locked(person, now + dt.timedelta(minutes=15))
    # Failures during the lock neither extend it nor count.
    services.login_failed(user=person, now=now + dt.timedelta(minutes=5))
    person.refresh_from_db()
    assert person.locked_until == now + dt.timedelta(minutes=15)
    assert person.failed_logins == 0


def test_the_admin_log_in_counts_failures_too(client, person):
    for _ in range(5):
        client.post("/admin/login/", {"username": "meera", "password": "wrong"})
    person.refresh_from_db()
    assert person.locked_until is not None


def test_a_capitalised_username_typed_on_a_phone_still_logs_in(client, person):
    assert log_in(client, "Meera", PASSWORD).status_code == 302


def test_a_deactivated_person_cannot_log_in(client, person):
    person.is_active = False
    person.save()
    response = log_in(client, "meera", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
