"""Session expiry: after 2 hours without activity, and 12 hours after log-in whatever."""

import time

from django.urls import reverse

from srishti.accounts.middleware import SEEN, STARTED


def shift_session(client, *, started_ago: int, seen_ago: int) -> None:
    session = client.session
    now = int(time.time())
    session[STARTED], session[SEEN] = now - started_ago, now - seen_ago
    session.save()


def test_a_session_idle_for_over_two_hours_is_logged_out(client, cast):
    client.force_login(cast.district_officer)
    shift_session(client, started_ago=3 * 3600, seen_ago=2 * 3600 + 5)
    response = client.get(reverse("facility-list"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "2 hours without activity" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_within_two_hours_keeps_the_session_and_moves_the_idle_clock(client, cast):
    client.force_login(cast.district_officer)
    shift_session(client, started_ago=5 * 3600, seen_ago=2 * 3600 - 60)
    assert client.get(reverse("facility-list")).status_code == 200
    assert int(time.time()) - client.session[SEEN] < 5


def test_a_session_ends_12_hours_after_log_in_even_when_active(client, cast):
    client.force_login(cast.district_officer)
    shift_session(client, started_ago=12 * 3600 + 5, seen_ago=10)
    response = client.get(reverse("facility-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_logging_in_starts_both_clocks(client, cast):
    client.force_login(cast.district_officer)
    now = int(time.time())
    assert now - client.session[STARTED] < 5 and now - client.session[SEEN] < 5
