"""The next assessment shows, per action item of the previous one, whether its checkpoint
improved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from srishti.assessments.services import assessment_create, responses_import
from srishti.improvement.selectors import Outcome, improvement_since
from srishti.improvement.services import action_item_create


def assess(facility, version, answers: dict, start: dt.date):
    assessment = assessment_create(facility=facility, version=version, start_date=start)
    responses_import(assessment=assessment,
                     answers=[(cid, value, "") for cid, value in answers.items()])
    return assessment


@pytest.fixture
def checkpoints(demo_version):
    return list(demo_version.checkpoints.order_by("order")[:5])


def plan(assessment, checkpoints, user):
    return [action_item_create(assessment=assessment, checkpoint=c, user=user)
            for c in checkpoints]


def test_each_item_is_marked_improved_same_worse_or_not_answered(cast, demo_version,
                                                                 checkpoints,
                                                                 django_assert_num_queries):
    a, b, c, d, e = (cp.pk for cp in checkpoints)
    before = assess(cast.f, demo_version, {a: 0, b: 1, c: 1, d: 0, e: 1}, dt.date(2024, 1, 10))
    after = assess(cast.f, demo_version, {a: 2, b: 1, c: 0, d: None}, dt.date(2024, 6, 10))
    plan(before, checkpoints, cast.facility_team)

    with django_assert_num_queries(1):
        rows = improvement_since(before, after)

    assert [(r.item.checkpoint_id, r.then, r.now, r.outcome) for r in rows] == [
        (a, 0, 2, Outcome.IMPROVED),
        (b, 1, 1, Outcome.SAME),
        (c, 1, 0, Outcome.WORSE),
        (d, 0, None, Outcome.NOT_ANSWERED),  # NA now: nothing to compare
        (e, 1, None, Outcome.NOT_ANSWERED),  # not answered now
    ]
    assert rows[0].outcome_label == "Improved"


def test_a_revised_checklist_is_matched_by_department_and_checkpoint_text(cast, demo_version,
                                                                         checkpoints):
    from srishti.checklists.services import checklist_version_create, tool_get
    from srishti.demo.checklist import demo_checklist

    revised = checklist_version_create(parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"),
                                       facility_type="DH", label="revised")
    same_text = {c.pk: revised.checkpoints.get(department__name=c.department.name,
                                               text=c.text).pk for c in checkpoints[:2]}
    a, b = (c.pk for c in checkpoints[:2])
    before = assess(cast.f, demo_version, {a: 0, b: 2}, dt.date(2024, 1, 10))
    after = assess(cast.f, revised, {same_text[a]: 1, same_text[b]: 1}, dt.date(2024, 6, 10))
    plan(before, checkpoints[:2], cast.facility_team)

    assert [r.outcome for r in improvement_since(before, after)] == [Outcome.IMPROVED,
                                                                     Outcome.WORSE]


def test_the_next_action_plan_page_shows_the_progress_since_the_last_one(client, cast,
                                                                        demo_version,
                                                                        checkpoints):
    a, b = (c.pk for c in checkpoints[:2])
    before = assess(cast.f, demo_version, {a: 0, b: 1}, dt.date(2024, 1, 10))
    assess(cast.f, demo_version, {a: 2}, dt.date(2024, 3, 10))  # no plan: skipped over
    after = assess(cast.f, demo_version, {a: 2, b: 0}, dt.date(2024, 6, 10))
    plan(before, checkpoints[:2], cast.facility_team)
    # Another facility's plan is never "the last one" of F.
    other = assess(cast.g, demo_version, {a: 0}, dt.date(2024, 5, 1))
    plan(other, checkpoints[:1], cast.district_officer)

    client.force_login(cast.facility_team)
    response = client.get(reverse("action-plan", args=[after.pk]))
    since = response.context["page"].since
    html = response.content.decode()

    assert since.previous == before
    assert since.tally == {"improved": 1, "same": 0, "worse": 1, "not_answered": 0}
    assert 'id="since-last"' in html and "▲ Improved" in html and "▼ Worse" in html
    # The earlier plan itself has nothing earlier to compare with.
    assert client.get(reverse("action-plan", args=[before.pk])).context["page"].since is None
