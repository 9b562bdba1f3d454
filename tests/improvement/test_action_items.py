"""Action items: creation (single, bulk from the gap list's filters), status, verification."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from srishti.assessments.selectors import assessment_gaps
from srishti.core.errors import DomainError
from srishti.improvement.models import ActionItem
from srishti.improvement.selectors import plan_items, with_overdue
from srishti.improvement.services import (
    action_item_create,
    action_item_update,
    action_items_bulk_create,
)
from tests.factories import MembershipFactory, UserFactory

S = ActionItem.Status


def gap_checkpoints(assessment, **filters):
    return list(assessment_gaps(assessment=assessment, **filters)
                .values_list("checkpoint_id", flat=True))


def first_department(assessment):
    return assessment.version.departments.order_by("order").first()


def test_bulk_creation_makes_one_item_per_gap_of_the_department_and_a_replay_makes_none(world):
    assessment = world.f.assessment
    department = first_department(assessment)
    gaps = gap_checkpoints(assessment, department_id=department.pk)
    assert 10 < len(gaps) < assessment.version.checkpoints.count()

    first = action_items_bulk_create(assessment=assessment, user=world.district_officer,
                                     department_id=department.pk, responsible_name="Sister",
                                     due_date=dt.date(2024, 7, 1))
    again = action_items_bulk_create(assessment=assessment, user=world.district_officer,
                                     department_id=department.pk)

    assert (first.created, first.skipped) == (len(gaps), 0)
    assert (again.created, again.skipped) == (0, len(gaps))
    items = ActionItem.objects.filter(assessment=assessment)
    assert sorted(items.values_list("checkpoint_id", flat=True)) == sorted(gaps)
    assert set(items.values_list("facility_id", "responsible_name", "due_date", "status")) == {
        (world.f.pk, "Sister", dt.date(2024, 7, 1), S.OPEN)}
    assert items.values("client_id").distinct().count() == len(gaps)


def test_bulk_creation_takes_the_area_and_standard_filters_and_skips_planned_gaps(world):
    assessment = world.f.assessment
    gaps = gap_checkpoints(assessment, area="A", standard="A1")
    assert gaps
    action_item_create(assessment=assessment, checkpoint=assessment.version.checkpoints.get(
        pk=gaps[0]), user=world.facility_team)

    result = action_items_bulk_create(assessment=assessment, user=world.facility_team,
                                      area="A", standard="A1")

    assert (result.created, result.skipped) == (len(gaps) - 1, 1)
    codes = set(ActionItem.objects.filter(assessment=assessment)
                .values_list("checkpoint__standard__code", flat=True))
    assert codes == {"A1"}


def test_bulk_creation_refuses_a_due_date_before_the_assessment(world):
    with pytest.raises(DomainError, match="before the assessment"):
        action_items_bulk_create(assessment=world.f.assessment, user=world.district_officer,
                                 due_date=dt.date(2024, 4, 30))
    assert not ActionItem.objects.exists()


def test_a_read_only_viewer_and_an_outsider_cannot_create_items(world):
    viewer = MembershipFactory(user=UserFactory(username="viewer_x"), role="viewer",
                               district=world.x).user
    for person in (viewer, world.outsider):
        with pytest.raises(PermissionDenied):
            action_items_bulk_create(assessment=world.f.assessment, user=person)
    assert not ActionItem.objects.exists()


def test_creating_twice_with_the_same_client_id_creates_once(world):
    assessment = world.f.assessment
    checkpoint = assessment.version.checkpoints.get(pk=gap_checkpoints(assessment)[0])
    client_id = uuid.uuid4()
    first = action_item_create(assessment=assessment, checkpoint=checkpoint,
                               user=world.facility_team, root_cause="no register",
                               client_id=client_id)
    second = action_item_create(assessment=assessment, checkpoint=checkpoint,
                                user=world.facility_team, root_cause="changed", client_id=client_id)
    assert first.pk == second.pk and second.root_cause == "no register"
    assert ActionItem.objects.count() == 1
    with pytest.raises(DomainError, match="already has an action item"):
        action_item_create(assessment=assessment, checkpoint=checkpoint, user=world.facility_team)


def test_an_item_needs_a_checkpoint_of_the_assessments_checklist(world, demo_version):
    from srishti.checklists.services import checklist_version_create, tool_get
    from srishti.demo.checklist import demo_checklist

    other = checklist_version_create(parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"),
                                     facility_type="DH", label="other")
    with pytest.raises(DomainError, match="not part of the assessment"):
        action_item_create(assessment=world.f.assessment, checkpoint=other.checkpoints.first(),
                           user=world.district_officer)


def test_the_database_refuses_a_second_item_for_the_same_gap(world):
    assessment = world.f.assessment
    checkpoint_id = gap_checkpoints(assessment)[0]
    ActionItem.objects.create(assessment=assessment, checkpoint_id=checkpoint_id,
                              facility=world.f)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.create(assessment=assessment, checkpoint_id=checkpoint_id,
                                  facility=world.f)


def test_the_database_refuses_a_verified_item_without_a_date(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.create(assessment=world.f.assessment, facility=world.f,
                                  checkpoint_id=gap_checkpoints(world.f.assessment)[0],
                                  status=S.VERIFIED)


@pytest.fixture
def item(world):
    assessment = world.f.assessment
    checkpoint = assessment.version.checkpoints.get(pk=gap_checkpoints(assessment)[0])
    return action_item_create(assessment=assessment, checkpoint=checkpoint,
                              user=world.facility_team, due_date=dt.date(2024, 6, 1))


def test_the_facility_team_works_an_item_through_to_done_and_a_district_officer_verifies_it(
        world, item):
    item = action_item_update(item=item, user=world.facility_team, status=S.IN_PROGRESS,
                              root_cause="No register kept", corrective_action="Open one")
    item = action_item_update(item=item, user=world.facility_team, status=S.DONE)
    with pytest.raises(PermissionDenied):
        action_item_update(item=item, user=world.facility_team, status=S.VERIFIED)

    item = action_item_update(item=item, user=world.district_officer, status=S.VERIFIED,
                              verification_remark="Register seen")

    item.refresh_from_db()
    assert item.status == S.VERIFIED and item.verified_by == world.district_officer
    assert item.verified_at is not None and item.verification_remark == "Register seen"
    assert (item.root_cause, item.corrective_action) == ("No register kept", "Open one")


@pytest.mark.parametrize("role", ["state_quality_unit", "district_quality_unit"])
def test_quality_units_in_scope_may_verify(world, item, role):
    scope = {"state": world.x.state} if role == "state_quality_unit" else {"district": world.x}
    verifier = MembershipFactory(user=UserFactory(username=f"v_{role}"), role=role, **scope).user
    action_item_update(item=item, user=world.facility_team, status=S.DONE)
    assert action_item_update(item=item, user=verifier, status=S.VERIFIED).status == S.VERIFIED


def test_an_assessor_verifies_items_of_an_assigned_assessment_but_does_not_plan_them(world,
                                                                                     item):
    from srishti.assessments.models import Assignment

    assessor = MembershipFactory(user=UserFactory(username="assessor"), role="assessor",
                                 state=world.x.state).user
    action_item_update(item=item, user=world.facility_team, status=S.DONE)
    with pytest.raises(PermissionDenied):
        action_item_update(item=item, user=assessor, status=S.VERIFIED)
    Assignment.objects.create(assessment=world.f.assessment, assessor=assessor,
                              department=item.checkpoint.department)
    assessor = type(assessor).objects.get(pk=assessor.pk)  # a new request: no cached access

    with pytest.raises(PermissionDenied):
        action_item_update(item=item, user=assessor, root_cause="assessor's idea")
    sent_back = action_item_update(item=item, user=assessor, status=S.IN_PROGRESS,
                                   verification_remark="No photo of the register")
    assert (sent_back.status, sent_back.verification_remark) == (
        S.IN_PROGRESS, "No photo of the register")
    with pytest.raises(PermissionDenied):
        action_item_update(item=item, user=assessor, status=S.DONE)
    action_item_update(item=item, user=world.facility_team, status=S.DONE)
    assert action_item_update(item=item, user=assessor, status=S.VERIFIED).verified_by == assessor


def test_a_quality_unit_of_another_district_may_not_verify(world, item):
    other = MembershipFactory(user=UserFactory(username="officer_y"), district=world.y).user
    action_item_update(item=item, user=world.facility_team, status=S.DONE)
    with pytest.raises(PermissionDenied):
        action_item_update(item=item, user=other, status=S.VERIFIED)


def test_only_a_done_item_can_be_verified(world, item):
    with pytest.raises(DomainError, match="mark it done first"):
        action_item_update(item=item, user=world.district_officer, status=S.VERIFIED)
    assert ActionItem.objects.get(pk=item.pk).status == S.OPEN


def test_a_verified_item_is_frozen_until_a_verifier_takes_the_verification_back(world, item):
    action_item_update(item=item, user=world.facility_team, status=S.DONE)
    action_item_update(item=item, user=world.district_officer, status=S.VERIFIED)
    with pytest.raises(DomainError, match="verified"):
        action_item_update(item=item, user=world.district_officer, root_cause="late edit")
    with pytest.raises(PermissionDenied):
        action_item_update(item=item, user=world.facility_team, status=S.IN_PROGRESS)

    back = action_item_update(item=item, user=world.district_officer, status=S.IN_PROGRESS,
                              verification_remark="Register not signed")

    assert back.status == S.IN_PROGRESS and back.verified_at is None
    assert back.verified_by is None and back.verification_remark == "Register not signed"


def test_an_unknown_move_is_refused_and_setting_the_same_status_changes_nothing(world, item):
    with pytest.raises(DomainError):
        action_item_update(item=item, user=world.facility_team, status="closed")
    before = ActionItem.objects.get(pk=item.pk).updated_at
    action_item_update(item=item, user=world.facility_team, status=S.OPEN)
    assert ActionItem.objects.get(pk=item.pk).updated_at == before


def test_sending_a_done_item_back_with_a_remark_is_for_verifiers(world, item):
    action_item_update(item=item, user=world.facility_team, status=S.DONE)
    with pytest.raises(PermissionDenied):
        action_item_update(item=item, user=world.facility_team, status=S.IN_PROGRESS,
                           verification_remark="self-assessed")
    back = action_item_update(item=item, user=world.district_officer, status=S.IN_PROGRESS,
                              verification_remark="Photo missing")
    assert (back.status, back.verification_remark) == (S.IN_PROGRESS, "Photo missing")


@pytest.mark.parametrize(("status", "due", "overdue"), [
    (S.OPEN, dt.date(2024, 6, 9), True),
    (S.IN_PROGRESS, dt.date(2024, 6, 9), True),
    (S.OPEN, dt.date(2024, 6, 10), False),  # due today: not yet overdue
    (S.DONE, dt.date(2024, 6, 1), False),
    (S.OPEN, None, False),
])
def test_an_item_is_overdue_when_past_due_and_not_done(world, item, status, due, overdue):
    today = dt.date(2024, 6, 10)
    ActionItem.objects.filter(pk=item.pk).update(status=status, due_date=due)
    item.refresh_from_db()
    assert item.is_overdue(today) is overdue
    assert with_overdue(ActionItem.objects.filter(pk=item.pk), today).get().overdue is overdue
    assert plan_items(world.f.assessment, status="overdue", today=today).exists() is overdue
