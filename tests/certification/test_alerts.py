import datetime as dt

import pytest

from srishti.accounts.access import forget
from srishti.certification.rules import add_months
from srishti.certification.selectors import certification_alerts, current_certifications
from srishti.certification.services import certification_record_create

from .conftest import TODAY

D = dt.date


def record(facility, tool, stage, result, decided_on, **kw):
    return certification_record_create(facility=facility, tool=tool, stage=stage,
                                       result=result, decided_on=decided_on, **kw)


def kinds(user, today=TODAY):
    return sorted((a.kind, a.facility.name) for a in certification_alerts(user=user,
                                                                         today=today))


def certified_ending_in(facility, tool, days):
    """A state certification (applied for national, so only expiry alerts) ending `days`
    from TODAY."""
    end = TODAY + dt.timedelta(days=days)
    return record(facility, tool, "state_certified", "passed", end - dt.timedelta(days=200),
                  valid_until=end, national_applied_on=end - dt.timedelta(days=100))


@pytest.mark.parametrize(("days", "alerted"), [(0, True), (1, True), (89, True), (90, True),
                                               (91, False), (365, False)])
def test_a_certification_is_expiring_within_90_days_inclusive(cast, nqas, days, alerted):
    certified_ending_in(cast.f, nqas, days)
    assert kinds(cast.state_admin) == ([("expiring", "Facility F")] if alerted else [])


def test_the_expiring_alert_says_when_and_in_how_many_days(cast, nqas):
    r = certified_ending_in(cast.f, nqas, 30)
    [alert] = certification_alerts(user=cast.state_admin, today=TODAY)
    # Alerts carry the record's figures (plain values), not the model instance.
    assert (alert.record.pk, alert.due, alert.days, alert.tool.pk) == (
        r.pk, r.valid_until, 30, nqas.pk)


def test_the_day_after_its_last_valid_day_a_certification_is_expired(cast, nqas):
    certified_ending_in(cast.f, nqas, -1)
    [alert] = certification_alerts(user=cast.state_admin, today=TODAY)
    assert (alert.kind, alert.days) == ("expired", -1)
    standing = current_certifications(user=cast.state_admin)[(cast.f.pk, nqas.pk)]
    assert standing.is_expired(TODAY) and not standing.is_valid(TODAY)
    assert not standing.is_expired(TODAY - dt.timedelta(days=1))


def test_a_record_marking_the_certification_expired_ends_it_early(cast, nqas):
    certified_ending_in(cast.f, nqas, 200)
    record(cast.f, nqas, "expired", "", TODAY)  # decided the same day, entered later
    assert kinds(cast.state_admin) == [("expired", "Facility F")]


def test_a_newer_certification_replaces_the_expiring_one(cast, nqas):
    state = certified_ending_in(cast.f, nqas, 10)
    record(cast.f, nqas, "national_certified", "full", state.decided_on + dt.timedelta(days=150))
    assert kinds(cast.state_admin) == []


def test_a_failed_national_assessment_leaves_the_state_certificate_in_force(cast, nqas):
    certified_ending_in(cast.f, nqas, 10)
    record(cast.f, nqas, "national_certified", "failed", TODAY - dt.timedelta(days=5))
    assert kinds(cast.state_admin) == [("expiring", "Facility F")]


@pytest.mark.parametrize(("months", "days", "alerted"), [
    (11, 0, True), (11, -1, False), (11, 1, True), (10, 0, False)])
def test_a_state_certification_11_months_old_without_national_application_alerts(
        cast, nqas, months, days, alerted):
    # decided `months` months (and `days` days more) before TODAY
    decided = add_months(TODAY, -months) - dt.timedelta(days=days)
    record(cast.f, nqas, "state_certified", "passed", decided)
    found = [a for a in certification_alerts(user=cast.state_admin, today=TODAY)
             if a.kind == "national_application"]
    assert bool(found) is alerted
    if alerted:
        assert found[0].due == add_months(decided, 11)


def test_a_national_application_silences_the_alert(cast, nqas):
    decided = add_months(TODAY, -11)
    record(cast.f, nqas, "state_certified", "passed", decided,
           national_applied_on=decided + dt.timedelta(days=30))
    assert [a.kind for a in certification_alerts(user=cast.state_admin, today=TODAY)
            if a.kind == "national_application"] == []


@pytest.mark.parametrize(("decided_months_ago", "extra_days", "due"), [
    (12, 0, True), (12, -1, False), (13, 0, True), (6, 0, False)])
def test_surveillance_is_due_a_year_after_national_certification(
        cast, nqas, decided_months_ago, extra_days, due):
    decided = add_months(TODAY, -decided_months_ago) - dt.timedelta(days=extra_days)
    record(cast.f, nqas, "national_certified", "full", decided)
    assert kinds(cast.state_admin) == ([("surveillance_due", "Facility F")] if due else [])


@pytest.mark.parametrize(("surveyed_months_ago", "due"), [(6, False), (11, False), (12, True)])
def test_surveillance_is_due_a_year_after_the_last_surveillance(cast, nqas,
                                                                 surveyed_months_ago, due):
    record(cast.f, nqas, "national_certified", "full", add_months(TODAY, -30))
    record(cast.f, nqas, "surveillance", "passed", add_months(TODAY, -surveyed_months_ago))
    found = [a for a in certification_alerts(user=cast.state_admin, today=TODAY)
             if a.kind == "surveillance_due"]
    assert bool(found) is due


def test_alerts_come_soonest_first(cast, nqas):
    certified_ending_in(cast.f, nqas, 60)
    certified_ending_in(cast.g, nqas, 5)
    alerts = certification_alerts(user=cast.state_admin, today=TODAY)
    assert [a.facility.pk for a in alerts] == [cast.g.pk, cast.f.pk]


@pytest.mark.parametrize(("person", "seen"), [
    ("state_admin", {"Facility F", "Facility G", "Facility H"}),
    ("district_officer", {"Facility F", "Facility G"}),
    ("facility_team", {"Facility F"}),
    ("outsider", set()),
])
def test_alerts_show_only_the_facilities_in_scope(cast, nqas, person, seen):
    for facility in (cast.f, cast.g, cast.h):
        certified_ending_in(facility, nqas, 30)
    assert {name for _, name in kinds(getattr(cast, person))} == seen


def test_alerts_can_be_narrowed_to_a_district(cast, nqas):
    for facility in (cast.f, cast.h):
        certified_ending_in(facility, nqas, 30)
    alerts = certification_alerts(user=cast.state_admin, today=TODAY, district_id=cast.y.pk)
    assert [a.facility.pk for a in alerts] == [cast.h.pk]


def test_alerts_take_two_queries_however_many_records(cast, nqas, django_assert_num_queries):
    certified_ending_in(cast.f, nqas, 30)
    with django_assert_num_queries(2):  # memberships, records
        assert len(certification_alerts(user=cast.state_admin, today=TODAY)) == 1
    for facility in (cast.g, cast.h):
        record(facility, nqas, "internal", "passed", add_months(TODAY, -30))
        record(facility, nqas, "national_certified", "full", add_months(TODAY, -20))
    forget(cast.state_admin)  # memberships are kept on the user object: read them again
    with django_assert_num_queries(2):
        alerts = certification_alerts(user=cast.state_admin, today=TODAY)
    assert {a.kind for a in alerts} == {"expiring", "surveillance_due"}
