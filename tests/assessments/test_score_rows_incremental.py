"""A rescore writes only the score rows that changed, and ends where a full rewrite would."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from srishti.assessments.models import Response, ScoreRow
from srishti.assessments.services import (
    SCORE_ROW_FIELDS,
    assessment_create,
    assessment_rescore,
    response_save,
    responses_import,
)
from tests.factories import FacilityFactory, UserFactory


@pytest.fixture
def assessment(demo_version):
    assessment = assessment_create(facility=FacilityFactory(), version=demo_version,
                                   start_date=dt.date(2024, 3, 1))
    rng = random.Random(3)
    ids = demo_version.checkpoints.order_by("order").values_list("id", flat=True)
    responses_import(assessment=assessment, answers=[
        (cid, rng.choice([0, 1, 2, 2, None]), "") for cid in ids])
    return assessment


def stored_rows(assessment):
    return sorted(ScoreRow.objects.filter(assessment=assessment)
                  .values_list(*SCORE_ROW_FIELDS), key=repr)


def rows_from_scratch(assessment):
    ScoreRow.objects.filter(assessment=assessment).delete()
    assessment_rescore(assessment=assessment)
    return stored_rows(assessment)


def test_saving_one_answer_updates_its_rows_and_leaves_the_others_untouched(assessment):
    before = dict(ScoreRow.objects.filter(assessment=assessment)
                  .values_list("id", "obtained"))
    response = Response.objects.filter(assessment=assessment, value=2).first()

    response_save(assessment=assessment, checkpoint=response.checkpoint, value=Decimal(0),
                  remark="torn register", base_revision=response.revision,
                  user=UserFactory())

    after = dict(ScoreRow.objects.filter(assessment=assessment)
                 .values_list("id", "obtained"))
    assert set(after) == set(before)  # no row was deleted and written again
    changed = {pk for pk in after if after[pk] != before[pk]}
    # Its standard, area and department in the department, its standard and area
    # facility-wide: five rows move, by two points each.
    assert len(changed) == 5
    assert all(before[pk] - after[pk] == 2 for pk in changed)
    assert stored_rows(assessment) == rows_from_scratch(assessment)


def test_changing_many_answers_at_once_ends_with_the_same_rows_as_a_full_rewrite(assessment):
    Response.objects.filter(assessment=assessment, value=2).update(value=1)

    assessment_rescore(assessment=assessment)

    assert stored_rows(assessment) == rows_from_scratch(assessment)


def test_rows_of_units_left_without_answers_are_removed(assessment):
    department = assessment.version.departments.order_by("order").first()
    Response.objects.filter(assessment=assessment,
                            checkpoint__department=department).delete()

    assessment_rescore(assessment=assessment)

    assert not ScoreRow.objects.filter(assessment=assessment, department=department).exists()
    assert stored_rows(assessment) == rows_from_scratch(assessment)
