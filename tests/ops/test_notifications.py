"""Notifications on the queue: assessments assigned, overdue action items, certifications
about to expire, surveillance due; each person chooses topics and channels; nothing
secret reaches a log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from srishti.assessments.models import Assignment
from srishti.assessments.services import assessment_create
from srishti.certification.rules import add_months
from srishti.certification.services import certification_record_create
from srishti.checklists.services import tool_get
from srishti.notifications.models import Notification, Topic
from srishti.notifications.services import notifications_collect, preference_save
from srishti.notifications.sms import LoggingSmsBackend
from tests.conftest import run_jobs
from tests.factories import MembershipFactory, UserFactory

TODAY = dt.date(2025, 6, 15)


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    LoggingSmsBackend.sent.clear()


@pytest.fixture
def with_email(cast):
    for person in (cast.state_admin, cast.district_officer, cast.facility_team):
        person.email = f"{person.username}@example.org"
        person.save(update_fields=["email"])
    return cast


def test_an_assessor_assigned_hears_of_it_once_by_email(with_email, demo_version,
                                                        django_capture_on_commit_callbacks):
    assessor = MembershipFactory(user=UserFactory(username="rao", email="rao@example.org"),
                                 role="assessor", facility=with_email.f).user
    assessment = assessment_create(facility=with_email.f, version=demo_version,
                                   start_date=dt.date(2025, 7, 1))
    department = demo_version.departments.order_by("order").first()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = Assignment.objects.create(assessment=assessment, department=department,
                                               assessor=assessor)
    assert not mail.outbox  # queued, not sent inside the request
    run_jobs()
    [message] = mail.outbox
    assert message.to == ["rao@example.org"]
    assert department.name in message.subject and "Facility F" in message.subject
    assert f"/assessments/{assessment.pk}/capture/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assignment.save()  # saved again: no news
    run_jobs()
    assert len(mail.outbox) == 1


def test_overdue_action_items_are_a_weekly_reminder_to_the_facility_team(with_email,
                                                                        demo_version):
    from srishti.improvement.services import action_items_bulk_create
    from tests.improvement.conftest import scored_assessment

    wednesday = dt.date(2025, 6, 11)
    assessment = scored_assessment(with_email.f, demo_version)
    action_items_bulk_create(assessment=assessment, user=None, area="A",
                             due_date=wednesday - dt.timedelta(days=3))
    assert notifications_collect(today=wednesday) > 0
    assert notifications_collect(today=wednesday + dt.timedelta(days=1)) == 0  # same week
    run_jobs()
    reminders = [m for m in mail.outbox if m.to == ["facility_team@example.org"]]
    assert reminders and all("Overdue" in m.subject for m in reminders)
    assert "8 Jun 2025" in reminders[0].body
    assert notifications_collect(today=wednesday + dt.timedelta(days=7)) > 0  # next week


def test_expiring_certifications_and_surveillance_due_reach_the_quality_units(with_email):
    nqas = tool_get(code="NQAS")
    end = TODAY + dt.timedelta(days=30)
    certification_record_create(facility=with_email.f, tool=nqas, stage="state_certified",
                                result="passed", decided_on=end - dt.timedelta(days=200),
                                valid_until=end,
                                national_applied_on=end - dt.timedelta(days=100))
    certification_record_create(facility=with_email.g, tool=nqas, stage="national_certified",
                                result="full", decided_on=add_months(TODAY, -13))
    notifications_collect(today=TODAY)
    topics = set(Notification.objects.filter(user=with_email.state_admin)
                 .values_list("topic", flat=True))
    assert topics == {Topic.EXPIRING_CERTIFICATIONS, Topic.SURVEILLANCE_DUE}
    assert notifications_collect(today=TODAY) == 0  # once each
    run_jobs()
    assert any("Facility F" in m.subject for m in mail.outbox
               if m.to == ["district_officer@example.org"])


def test_a_person_who_turned_a_topic_off_hears_nothing_of_it(with_email):
    preference_save(user=with_email.state_admin, topics=[Topic.OVERDUE_ACTIONS],
                    by_email=True, by_sms=False, phone="", language="en")
    nqas = tool_get(code="NQAS")
    certification_record_create(facility=with_email.g, tool=nqas, stage="national_certified",
                                result="full", decided_on=add_months(TODAY, -13))
    notifications_collect(today=TODAY)
    assert not Notification.objects.filter(user=with_email.state_admin).exists()
    assert Notification.objects.filter(user=with_email.district_officer).exists()


def test_sms_goes_through_the_gateway_interface_with_the_number_masked_in_the_log(
        with_email, caplog):
    preference_save(user=with_email.district_officer, topics=list(Topic.values),
                    by_email=False, by_sms=True, phone="+91 98765 43210", language="hi")
    nqas = tool_get(code="NQAS")
    certification_record_create(facility=with_email.g, tool=nqas, stage="national_certified",
                                result="full", decided_on=add_months(TODAY, -13))
    notifications_collect(today=TODAY)
    with caplog.at_level("INFO", logger="srishti.sms"):
        run_jobs()
    [(phone, text)] = LoggingSmsBackend.sent
    assert phone == "+919876543210" and "Facility G" in text
    assert "3210" in caplog.text and "98765" not in caplog.text


def test_the_preferences_page_saves_choices_in_the_pages_language(client, cast):
    client.force_login(cast.facility_team)
    page = client.get(reverse("notification-preferences")).content.decode()
    assert "Overdue action items" in page and "no e-mail address" in page
    response = client.post(reverse("notification-preferences"), {
        "topics": ["overdue_actions"], "by_sms": "on", "phone": ""})
    assert "Give a mobile number to receive SMS." in response.content.decode()
    client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    client.post(reverse("notification-preferences"), {
        "topics": ["overdue_actions", "assessment_assigned"], "by_email": "on",
        "phone": "9876543210", "by_sms": "on"})
    preference = cast.facility_team.notification_preference
    assert preference.topics == ["overdue_actions", "assessment_assigned"]
    assert preference.by_sms and preference.phone == "9876543210"
    assert preference.language == "hi"


def test_the_preferences_page_needs_a_log_in(client, db):
    response = client.get(reverse("notification-preferences"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_block_team_hears_of_its_blocks_overdue_items_and_expiring_certifications(
        cast, demo_version):
    from srishti.improvement.services import action_items_bulk_create
    from tests.improvement.conftest import scored_assessment

    for person in (cast.block_team, cast.division_officer):
        person.email = f"{person.username}@example.org"
        person.save(update_fields=["email"])
    wednesday = dt.date(2025, 6, 11)
    for facility in (cast.f, cast.g):  # F is in the team's block, G in another
        action_items_bulk_create(assessment=scored_assessment(facility, demo_version),
                                 user=None, area="A", due_date=wednesday - dt.timedelta(days=3))
    nqas = tool_get(code="NQAS")
    for facility in (cast.f, cast.g):
        certification_record_create(
            facility=facility, tool=nqas, stage="state_certified", result="passed",
            decided_on=wednesday - dt.timedelta(days=300),
            valid_until=wednesday + dt.timedelta(days=30),
            national_applied_on=wednesday - dt.timedelta(days=100))
    notifications_collect(today=wednesday)
    heard = Notification.objects.filter(user=cast.block_team)
    overdue = heard.filter(topic=Topic.OVERDUE_ACTIONS)
    assert overdue.exists()
    from srishti.improvement.models import ActionItem

    items = {int(k.split(":")[1]) for k in overdue.values_list("key", flat=True)}
    assert set(ActionItem.objects.filter(pk__in=items).values_list("facility", flat=True)) \
        == {cast.f.pk}
    assert heard.filter(topic=Topic.EXPIRING_CERTIFICATIONS).count() == 1
    # The division's quality unit hears of both certifications.
    assert Notification.objects.filter(user=cast.division_officer,
                                       topic=Topic.EXPIRING_CERTIFICATIONS).count() == 2
