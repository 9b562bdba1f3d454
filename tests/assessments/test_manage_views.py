"""Opening an assessment, assigning departments, submitting and reopening, in the browser's
terms: posts, redirects and what the pages then say."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from srishti.accounts.models import User
from srishti.assessments.models import Assessment, AssessmentEvent, Assignment
from srishti.assessments.services import (
    assessment_create,
    assessment_submit,
    assignment_set,
    assignments_replace,
    eligible_assessors,
    response_save,
    responses_import,
)
from srishti.checklists.models import ChecklistVersion
from srishti.core.errors import DomainError
from tests.factories import MembershipFactory, StateFactory, UserFactory, register_assessor

# The explicit second step for an assessment with unanswered checkpoints.
CONFIRM = {"confirm_unanswered": "on"}


def bare_version(demo_version, *, label, facility_type="DH", status="published",
                 state_variant=None):
    """A listed-only checklist version (no hierarchy) beside the demo one."""
    return ChecklistVersion.objects.create(
        tool=demo_version.tool, facility_type=facility_type, label=label, status=status,
        state_variant=state_variant, levels=[0, 1, 2], structure_hash=label)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def new_url(facility):
    return reverse("assessment-new", args=[facility.pk])


def form_data(version, **extra):
    return {"version": version.pk, "kind": "internal", "start_date": "2024-07-01",
            "end_date": "2024-07-03", "series": "Q2 2024-25", **extra}


@pytest.fixture
def people(cast):
    """Assessors around the cast: who may be given departments of F's assessments."""
    cast.asha = MembershipFactory(user=UserFactory(username="asha", first_name="Asha",
                                                   last_name="Kumari"),
                                  role="assessor", district=cast.x).user
    cast.ravi = MembershipFactory(user=UserFactory(username="ravi", first_name="Ravi"),
                                  role="assessor", facility=cast.f).user
    cast.far = MembershipFactory(user=UserFactory(username="far"), role="assessor",
                                 district=cast.y).user
    cast.viewer = MembershipFactory(user=UserFactory(username="viewer"), role="viewer",
                                    facility=cast.f).user
    cast.gone = MembershipFactory(user=UserFactory(username="gone", is_active=False),
                                  role="assessor", facility=cast.f).user
    # Asha assesses for district X, Ravi is an internal assessor of F.
    register_assessor(cast.asha, place=cast.x, level="district")
    register_assessor(cast.ravi, place=cast.f, level="internal")
    return cast


@pytest.fixture
def assessment(cast, demo_version):
    return assessment_create(facility=cast.f, version=demo_version,
                             start_date=dt.date(2024, 5, 1))


# --- creating ------------------------------------------------------------------------------

def test_the_new_assessment_form_offers_only_published_versions_of_the_type_and_state(
        client, cast, demo_version):
    other_state = StateFactory(name="Assam", code="AS")
    offered = {
        demo_version,
        bare_version(demo_version, label="Bihar 2025", state_variant=cast.x.state),
    }
    bare_version(demo_version, label="draft", status="draft")
    bare_version(demo_version, label="old", status="retired")
    bare_version(demo_version, label="chc", facility_type="CHC")
    bare_version(demo_version, label="Assam 2025", state_variant=other_state)
    client.force_login(cast.district_officer)

    response = client.get(new_url(cast.f))

    assert response.status_code == 200
    assert set(response.context["form"].fields["version"].queryset) == offered
    html = response.content.decode()
    assert "Bihar 2025" in html and "Assam 2025" not in html and "draft" not in html


def test_creating_an_assessment_opens_it_and_goes_on_to_assignments(client, cast,
                                                                    demo_version):
    client.force_login(cast.facility_team)
    response = client.post(new_url(cast.f), form_data(demo_version))
    a = Assessment.objects.get()
    assert response.status_code == 302 and response.url == reverse("assessment-assign",
                                                                   args=[a.pk])
    assert (a.facility, a.version, a.kind, a.series) == (cast.f, demo_version, "internal",
                                                         "Q2 2024-25")
    assert (a.start_date, a.end_date) == (dt.date(2024, 7, 1), dt.date(2024, 7, 3))
    assert a.score.checkpoints_total == 533  # scored (empty) at once, so pages have figures


def test_posting_the_same_form_twice_creates_one_assessment(client, cast, demo_version):
    client.force_login(cast.district_officer)
    first = client.post(new_url(cast.f), form_data(demo_version))
    second = client.post(new_url(cast.f), form_data(demo_version), follow=True)
    assert Assessment.objects.count() == 1
    assert second.redirect_chain[0][0] == first.url
    assert "already open; nothing new was created" in " ".join(messages_of(second))
    # Different details are a different assessment.
    client.post(new_url(cast.f), form_data(demo_version, series="Q3 2024-25"))
    assert Assessment.objects.count() == 2


def test_a_version_that_is_not_offered_is_refused(client, cast, demo_version):
    chc = bare_version(demo_version, label="chc", facility_type="CHC")
    client.force_login(cast.state_admin)
    response = client.post(new_url(cast.f), form_data(chc))
    assert response.status_code == 200 and response.context["form"].errors["version"]
    assert Assessment.objects.count() == 0


def test_an_end_date_before_the_start_is_refused(client, cast, demo_version):
    client.force_login(cast.state_admin)
    response = client.post(new_url(cast.f), form_data(demo_version, end_date="2024-06-01"))
    assert "The end date is before the start date." in response.context["form"].errors[
        "end_date"]
    assert Assessment.objects.count() == 0


def test_without_a_matching_checklist_the_page_says_so(client, cast):
    client.force_login(cast.facility_team)
    response = client.get(new_url(cast.f))
    assert "No published checklist exists" in response.content.decode()


def test_the_facility_page_offers_new_assessment_only_to_those_who_may_create(client, people):
    url = reverse("facility-detail", args=[people.f.pk])
    for person, shown in ((people.facility_team, True), (people.district_officer, True),
                          (people.viewer, False)):
        client.force_login(person)
        html = client.get(url).content.decode()
        assert (new_url(people.f) in html) is shown, person
        assert (reverse("workbook-upload", args=[people.f.pk]) in html) is shown, person


# --- assigning -----------------------------------------------------------------------------

def test_only_people_with_a_scoring_role_over_the_facility_are_eligible(people):
    eligible = {u.username for u in eligible_assessors(facility=people.f)}
    # state, district and facility roles over F; not the other district's assessor, not a
    # read-only viewer, not a deactivated account, not someone without any role.
    assert eligible == {"asha", "ravi", "state_admin", "district_officer", "facility_team"}


def test_the_assignment_page_offers_only_eligible_people_and_saves_choices(client, people,
                                                                           assessment):
    deps = dict(assessment.version.departments.values_list("name", "id"))
    url = reverse("assessment-assign", args=[assessment.pk])
    client.force_login(people.district_officer)

    page = client.get(url)
    offered = {label for _, label in page.context["form"].fields[
        f"department_{deps['OPD']}"].choices}
    # An internal assessment: the register's assessors trained for the tool, its own
    # internal assessor included; the quality units' accounts are not on the register.
    assert offered == {"Asha Kumari", "Ravi"}
    not_offered = {n.name: n.reasons for n in page.context["choices"].not_offered}
    assert not_offered == {name: ["not in the assessor register"]
                           for name in ("state_admin", "district_officer", "facility_team")}

    response = client.post(url, {f"department_{deps['OPD']}": [people.asha.pk, people.ravi.pk],
                                 f"department_{deps['Emergency']}": [people.asha.pk]})
    assert response.status_code == 302
    assert set(Assignment.objects.values_list("department__name", "assessor__username")) == {
        ("OPD", "asha"), ("OPD", "ravi"), ("Emergency", "asha")}

    # The page shows the current choices, and a new post replaces them.
    page = client.get(url)
    assert set(page.context["form"][f"department_{deps['OPD']}"].initial) == {
        str(people.asha.pk), str(people.ravi.pk)}
    client.post(url, {f"department_{deps['OPD']}": [people.ravi.pk]})
    assert set(Assignment.objects.values_list("department__name", "assessor__username")) == {
        ("OPD", "ravi")}


def test_posting_an_ineligible_person_changes_nothing(client, people, assessment):
    dep = assessment.version.departments.get(name="OPD")
    client.force_login(people.district_officer)
    response = client.post(reverse("assessment-assign", args=[assessment.pk]),
                           {f"department_{dep.pk}": [people.far.pk]})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Assignment.objects.exists()


def test_the_services_refuse_ineligible_people_and_foreign_departments(people, assessment,
                                                                       demo_version):
    opd = assessment.version.departments.get(name="OPD")
    for person in (people.far, people.viewer, people.gone, people.outsider):
        with pytest.raises(DomainError, match="Only people with an assessor"):
            assignment_set(assessment=assessment, department_id=opd.pk,
                           assessor_ids=[person.pk])
    with pytest.raises(DomainError, match="not part of this assessment"):
        assignments_replace(assessment=assessment,
                            assessors_by_department={10**9: [people.asha.pk]})
    assert not Assignment.objects.exists()


def test_assignment_set_changes_one_department_and_leaves_the_others(people, assessment):
    deps = dict(assessment.version.departments.values_list("name", "id"))
    assignments_replace(assessment=assessment, assessors_by_department={
        deps["OPD"]: [people.asha.pk], deps["IPD"]: [people.ravi.pk]})
    added, removed = assignment_set(assessment=assessment, department_id=deps["OPD"],
                                    assessor_ids=[people.ravi.pk])
    assert (added, removed) == (1, 1)
    assert set(Assignment.objects.values_list("department__name", "assessor__username")) == {
        ("OPD", "ravi"), ("IPD", "ravi")}


def test_an_assigned_assessor_can_open_the_assessment_but_not_manage_it(client, people,
                                                                        assessment):
    opd = assessment.version.departments.get(name="OPD")
    assignment_set(assessment=assessment, department_id=opd.pk, assessor_ids=[people.asha.pk])
    client.force_login(people.asha)
    assert client.get(reverse("assessment-detail", args=[assessment.pk])).status_code == 200
    assert client.get(reverse("assessment-gaps", args=[assessment.pk])).status_code == 200
    assert client.get(reverse("assessment-assign", args=[assessment.pk])).status_code == 404
    # Submitting closes every department: not an assessor of one of them.
    assert client.post(reverse("assessment-submit", args=[assessment.pk])).status_code == 404
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS


# --- submitting and reopening --------------------------------------------------------------

def test_submitting_locks_the_assessment_and_a_later_answer_is_refused(client, cast,
                                                                       assessment):
    client.force_login(cast.facility_team)
    response = client.post(reverse("assessment-submit", args=[assessment.pk]), CONFIRM, follow=True)

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert "Assessment submitted" in " ".join(messages_of(response))
    html = response.content.decode()
    assert "this assessment is locked" in html
    event = AssessmentEvent.objects.get(assessment=assessment)
    assert (event.kind, event.user) == ("submitted", cast.facility_team)
    assert 'id="assessment-events"' in html and "facility_team" in html

    checkpoint = assessment.version.checkpoints.first()
    with pytest.raises(DomainError, match="has been submitted and can no longer be changed"):
        response_save(assessment=assessment, checkpoint=checkpoint, value=Decimal(2),
                      remark="", base_revision=0, user=cast.facility_team)
    assert not assessment.responses.exists()


def test_submitting_with_unanswered_checkpoints_needs_the_box_ticked(client, cast,
                                                                       assessment):
    client.force_login(cast.facility_team)
    page = client.get(reverse("assessment-detail", args=[assessment.pk])).content.decode()
    total = assessment.version.checkpoints.count()
    assert 'id="unanswered-by-department"' in page
    assert f"{total} checkpoints are still unanswered" in page
    for department in assessment.version.departments.all():
        assert f"{department.name}: {department.checkpoints.count()}" in page
    assert 'name="confirm_unanswered" required' in page

    refused = client.post(reverse("assessment-submit", args=[assessment.pk]), follow=True)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS
    assert f"{total} checkpoints are unanswered" in " ".join(messages_of(refused))
    assert not AssessmentEvent.objects.filter(assessment=assessment).exists()

    client.post(reverse("assessment-submit", args=[assessment.pk]), CONFIRM)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_a_fully_answered_assessment_is_submitted_without_the_box(client, cast, assessment):
    answers = [(cp, 2) for cp in assessment.version.checkpoints.values_list("id", flat=True)]
    responses_import(assessment=assessment, answers=[(cp, v, "") for cp, v in answers])
    client.force_login(cast.facility_team)
    page = client.get(reverse("assessment-detail", args=[assessment.pk])).content.decode()
    assert "confirm_unanswered" not in page
    client.post(reverse("assessment-submit", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_a_second_submit_is_refused_with_a_message(client, cast, assessment):
    client.force_login(cast.facility_team)
    client.post(reverse("assessment-submit", args=[assessment.pk]), CONFIRM)
    response = client.post(reverse("assessment-submit", args=[assessment.pk]), CONFIRM, follow=True)
    assert "This assessment has already been submitted." in messages_of(response)
    assert AssessmentEvent.objects.filter(assessment=assessment).count() == 1


def test_assignments_of_a_submitted_assessment_are_refused_with_a_message(client, people,
                                                                          assessment):
    assessment_submit(assessment=assessment, user=people.facility_team, unanswered_confirmed=True)
    dep = assessment.version.departments.get(name="OPD")
    client.force_login(people.state_admin)
    response = client.post(reverse("assessment-assign", args=[assessment.pk]),
                           {f"department_{dep.pk}": [people.asha.pk]})
    assert any("reopen it before changing" in m for m in messages_of(response))
    assert not Assignment.objects.exists()


def test_reopening_requires_a_reason(client, cast, assessment):
    assessment_submit(assessment=assessment, user=cast.facility_team, unanswered_confirmed=True)
    url = reverse("assessment-reopen", args=[assessment.pk])
    client.force_login(cast.state_admin)

    refused = client.post(url, {"reason": "   "}, follow=True)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert "Give the reason for reopening." in messages_of(refused)

    done = client.post(url, {"reason": "Labour room scores were entered twice"}, follow=True)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS
    event = AssessmentEvent.objects.get(assessment=assessment, kind="reopened")
    assert (event.user, event.reason) == (cast.state_admin,
                                          "Labour room scores were entered twice")
    html = done.content.decode()
    assert "Labour room scores were entered twice" in html and "state_admin" in html


def test_a_district_officer_cannot_reopen_and_gets_404(client, cast, assessment):
    assessment_submit(assessment=assessment, user=cast.facility_team, unanswered_confirmed=True)
    client.force_login(cast.district_officer)
    page = client.get(reverse("assessment-detail", args=[assessment.pk])).content.decode()
    assert reverse("assessment-reopen", args=[assessment.pk]) not in page
    response = client.post(reverse("assessment-reopen", args=[assessment.pk]),
                           {"reason": "because"})
    assert response.status_code == 404
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_the_score_card_shows_each_person_only_the_actions_they_may_take(client, cast,
                                                                         assessment):
    submit = reverse("assessment-submit", args=[assessment.pk])
    reopen = reverse("assessment-reopen", args=[assessment.pk])
    gaps = reverse("assessment-gaps", args=[assessment.pk])
    detail = reverse("assessment-detail", args=[assessment.pk])

    client.force_login(cast.facility_team)
    html = client.get(detail).content.decode()
    assert submit in html and reopen not in html and gaps in html

    assessment_submit(assessment=assessment, user=cast.facility_team, unanswered_confirmed=True)
    html = client.get(detail).content.decode()
    assert submit not in html and reopen not in html

    client.force_login(cast.state_admin)
    html = client.get(detail).content.decode()
    assert reopen in html
    assert re.search(r'<textarea name="reason"[^>]* required', html)


def test_the_score_card_with_actions_and_history_keeps_a_fixed_query_count(
        client, cast, assessment, django_assert_max_num_queries):
    assessment_submit(assessment=assessment, user=cast.facility_team, unanswered_confirmed=True)
    client.force_login(cast.state_admin)
    with django_assert_max_num_queries(10):
        client.get(reverse("assessment-detail", args=[assessment.pk]))


# --- who may do what -----------------------------------------------------------------------

CREATORS = {
    "state_admin": {"f", "h"},
    "division_officer": {"f"},
    "district_officer": {"f"},
    "block_team": {"f"},
    "facility_team": {"f"},
    "outsider": set(),
}
REOPENERS = {"state_admin": {"f", "h"}}


@pytest.mark.parametrize("person", sorted(CREATORS))
@pytest.mark.parametrize("target", ["f", "h"])
def test_management_pages_answer_404_outside_the_scope(client, cast, demo_version, person,
                                                       target):
    facility = getattr(cast, target)
    a = assessment_create(facility=facility, version=demo_version,
                          start_date=dt.date(2024, 5, 1))
    client.force_login(User.objects.get(username=person))
    may = target in CREATORS[person]

    assert client.get(new_url(facility)).status_code == (200 if may else 404)
    assert client.post(new_url(facility), form_data(demo_version)).status_code == (
        302 if may else 404)
    assert client.get(reverse("assessment-assign", args=[a.pk])).status_code == (
        200 if may else 404)
    assert client.post(reverse("assessment-submit", args=[a.pk]), CONFIRM).status_code == (
        302 if may else 404)
    a.refresh_from_db()
    assert (a.status == "submitted") is may
    reopen = client.post(reverse("assessment-reopen", args=[a.pk]), {"reason": "typo"})
    assert reopen.status_code == (302 if target in REOPENERS.get(person, ()) else 404)


def test_submit_and_reopen_refuse_a_get(client, cast, assessment):
    client.force_login(cast.state_admin)
    assert client.get(reverse("assessment-submit", args=[assessment.pk])).status_code == 405
    assert client.get(reverse("assessment-reopen", args=[assessment.pk])).status_code == 405


def test_management_pages_send_anonymous_visitors_to_log_in(client, cast, assessment):
    for url in (new_url(cast.f), reverse("assessment-assign", args=[assessment.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(reverse("assessment-submit", args=[assessment.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
