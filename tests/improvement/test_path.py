"""The path to certification from the database: the demo draft's plan passes when applied,
the page groups it, and it turns into action items once, however often it is asked."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from srishti.assessments.models import Assessment, Response
from srishti.assessments.services import assessment_create, assessment_rescore
from srishti.core.errors import DomainError
from srishti.demo.draft import DRAFT_DATE
from srishti.improvement.models import ActionItem
from srishti.improvement.selectors_path import plan_for, planning_input
from srishti.improvement.services import action_items_from_plan
from srishti.scoring.criteria import evaluate
from srishti.scoring.engine import score
from srishti.scoring.planner import PlanStatus, apply_raises
from srishti.scoring.types import OverallRule

from .conftest import scored_assessment

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_draft(db):
    from srishti.demo.load import demo_load

    demo_load()
    return Assessment.objects.select_related("version__rule_set", "facility__district").get(
        facility__name="District Hospital Begusarai", start_date=DRAFT_DATE)


def test_the_plan_for_the_demo_draft_applied_through_the_engine_passes_every_criterion(
        demo_draft):
    planning, plan = plan_for(demo_draft)
    assert demo_draft.status == Assessment.Status.DRAFT and planning.unanswered > 0
    assert plan.status is PlanStatus.OPTIMAL and plan.raises and plan.gap == 0

    # In memory: the engine and the rule set of the version, on the improved answers.
    rule_set = demo_draft.version.rule_set.as_rule_set()
    card = score(apply_raises(planning.checkpoints, plan.raises), rule=rule_set.overall_rule)
    verdict = evaluate(card, rule_set)
    assert verdict.passed and all(c.passed for c in verdict.criteria)
    # The plan is the least: without any one of its raises some criterion fails.
    for dropped in plan.raises:
        rest = [r for r in plan.raises if r is not dropped]
        card = score(apply_raises(planning.checkpoints, rest), rule=rule_set.overall_rule)
        assert not evaluate(card, rule_set).passed

    # In the database: answer the raised checkpoints as planned and every unanswered one
    # as 0, rescore, and the stored verdict passes on a complete assessment.
    raised = {r.key: r.new for r in plan.raises}
    answered = set(Response.objects.filter(assessment=demo_draft)
                   .values_list("checkpoint_id", flat=True))
    for cp in planning.checkpoints:
        if cp.key in raised or cp.key not in answered:
            Response.objects.update_or_create(
                assessment=demo_draft, checkpoint_id=cp.key,
                defaults={"value": Decimal(str(raised.get(cp.key, 0)))})
    stored = assessment_rescore(assessment=demo_draft)
    assert stored.checkpoints_answered == stored.checkpoints_total
    assert stored.passed is True
    # ... and with one raise fewer, it does not.
    first = plan.raises[0]
    Response.objects.filter(assessment=demo_draft, checkpoint_id=first.key).update(
        value=Decimal(str(first.old)))
    assert assessment_rescore(assessment=demo_draft).passed is False


def test_unanswered_checkpoints_count_as_0_and_na_stays_na(demo_version, cast):
    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 5, 1))
    checkpoints = list(demo_version.checkpoints.order_by("department__order", "order")[:3])
    Response.objects.create(assessment=assessment, checkpoint=checkpoints[0], value=None)
    Response.objects.create(assessment=assessment, checkpoint=checkpoints[1], value=1)

    planning = planning_input(assessment)
    first = planning.checkpoints[:3]
    assert [(c.key, c.value, c.answered) for c in first] == [
        (checkpoints[0].pk, None, True), (checkpoints[1].pk, 1.0, True),
        (checkpoints[2].pk, 0.0, False)]
    assert planning.unanswered == demo_version.checkpoints.count() - 2
    assert planning.rule_set.code == "nqas-2017-dh"


def test_a_checkpoint_without_a_partial_score_is_planned_on_its_own_levels(demo_version, cast):
    from srishti.checklists.models import Checkpoint

    only_full = demo_version.checkpoints.order_by("order").first()
    Checkpoint.objects.filter(pk=only_full.pk).update(levels=[0, 2])
    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 5, 1))
    planning = planning_input(assessment)
    assert planning.checkpoints[planning.position[only_full.pk]].levels == (0.0, 2.0)
    # An imported partial answer there (imports check the version's levels only) is
    # planned from where it stands instead of failing the page.
    Response.objects.create(assessment=assessment, checkpoint=only_full, value=1)
    planning, plan = plan_for(assessment)
    assert planning.checkpoints[planning.position[only_full.pk]].levels == (0.0, 1.0, 2.0)
    assert plan.status is PlanStatus.OPTIMAL


def test_the_page_groups_the_plan_by_department_and_by_standard(client, world,
                                                                django_assert_max_num_queries):
    assessment = world.f.assessment
    client.force_login(world.district_officer)
    url = reverse("certification-path", args=[assessment.pk])

    with django_assert_max_num_queries(16):
        response = client.get(url)
    page = response.context["page"]
    assert page.plan.status is PlanStatus.OPTIMAL
    html = response.content.decode()
    assert (f"{page.checkpoints} checkpoints to raise in {page.departments} departments to "
            "pass everything") in html
    rows = sum(len(inner.rows) for g in page.groups for inner in g.groups)
    assert rows == page.checkpoints == len(page.plan.raises)
    names = [g.name for g in page.groups]
    assert names == [d for d in assessment.version.departments.order_by("order")
                     .values_list("name", flat=True) if d in names]

    by_standard = client.get(url, {"group": "standard"}, headers={"HX-Request": "true"})
    fragment = by_standard.content.decode()
    assert fragment.lstrip().startswith('<section class="card" id="path-groups">')
    assert fragment.count('<details class="path-group"') == page.standards
    assert "<html" not in fragment


def test_the_score_card_loads_the_summary_and_the_summary_names_the_plan(client, world):
    assessment = world.f.assessment
    client.force_login(world.facility_team)
    card = client.get(reverse("assessment-detail", args=[assessment.pk])).content.decode()
    summary_url = reverse("certification-path-summary", args=[assessment.pk])
    assert f'hx-get="{summary_url}"' in card

    summary = client.get(summary_url, headers={"HX-Request": "true"})
    page = summary.context["page"]
    assert f"{page.checkpoints} checkpoints to raise in" in summary.content.decode()


def test_a_passing_assessment_has_nothing_to_raise(client, world, demo_version):
    passing = scored_assessment(world.f, demo_version, values=(2,), start=dt.date(2024, 6, 1))
    client.force_login(world.district_officer)
    html = client.get(reverse("certification-path-summary", args=[passing.pk])).content.decode()
    assert "Every criterion passes: there is nothing to raise." in html


def test_the_plan_becomes_action_items_once_however_often_it_is_sent(world):
    assessment = world.f.assessment
    _planning, plan = plan_for(assessment)
    request = uuid.uuid4()

    first = action_items_from_plan(assessment=assessment, user=world.district_officer,
                                   responsible_name="Matron", due_date=dt.date(2024, 9, 30),
                                   client_id=request)
    assert (first.created, first.skipped) == (len(plan.raises), 0)
    items = {i.checkpoint_id: i for i in ActionItem.objects.filter(assessment=assessment)}
    assert {k: float(i.target_value) for k, i in items.items()} == {
        r.key: r.new for r in plan.raises}
    assert {(i.responsible_name, i.due_date, i.status) for i in items.values()} == {
        ("Matron", dt.date(2024, 9, 30), "open")}

    replay = action_items_from_plan(assessment=assessment, user=world.district_officer,
                                    client_id=request)
    assert replay == first  # the same answer, nothing new
    second = action_items_from_plan(assessment=assessment, user=world.district_officer,
                                    client_id=uuid.uuid4())
    assert (second.created, second.skipped) == (0, len(plan.raises))
    assert ActionItem.objects.filter(assessment=assessment).count() == len(plan.raises)


def test_a_plan_checkpoint_with_an_item_from_the_gap_list_keeps_it(world):
    from srishti.improvement.services import action_item_create

    assessment = world.f.assessment
    _planning, plan = plan_for(assessment)
    from srishti.checklists.models import Checkpoint

    existing = action_item_create(assessment=assessment, user=None,
                                  checkpoint=Checkpoint.objects.get(pk=plan.raises[0].key),
                                  root_cause="Known already")
    result = action_items_from_plan(assessment=assessment, user=None)
    assert (result.created, result.skipped) == (len(plan.raises) - 1, 1)
    existing.refresh_from_db()
    assert existing.root_cause == "Known already" and existing.target_value is None


def test_a_due_date_before_the_assessment_is_refused_and_nothing_is_written(world):
    with pytest.raises(DomainError, match="due date is before"):
        action_items_from_plan(assessment=world.f.assessment, user=None,
                               due_date=dt.date(2020, 1, 1))
    assert not ActionItem.objects.exists()


def test_a_checklist_without_rules_has_no_plan_to_turn_into_items(world):
    version = world.f.assessment.version
    version.rule_set = None
    version.save(update_fields=["rule_set"])
    assessment = Assessment.objects.get(pk=world.f.assessment.pk)
    assert plan_for(assessment)[1] is None
    with pytest.raises(DomainError, match="no verified path"):
        action_items_from_plan(assessment=assessment, user=None)


def test_the_form_posts_through_htmx_and_answers_with_the_result(client, world):
    assessment = world.f.assessment
    client.force_login(world.facility_team)
    page = client.get(reverse("certification-path", args=[assessment.pk]))
    count = page.context["page"].without_item
    assert f"Create {count} action items" in page.content.decode()

    url = reverse("action-items-from-plan", args=[assessment.pk])
    data = {"client_id": str(uuid.uuid4()), "responsible_name": "", "due_date": "2024-10-01"}
    first = client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    again = client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert f"{count} action items created." in first and first == again
    assert ActionItem.objects.filter(assessment=assessment).count() == count

    bad = client.post(url, {**data, "client_id": str(uuid.uuid4()), "due_date": "2001-01-01"},
                      headers={"HX-Request": "true"}).content.decode()
    assert "The due date is before the assessment started" in bad and 'id="plan-form"' not in bad


@pytest.mark.django_db(transaction=True)
def test_two_people_turning_the_plan_into_items_at_once_make_each_item_once_on_postgresql(
        cast, demo_version):
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite run is the next test (threads need a database file)")
    assessment = scored_assessment(cast.f, demo_version)
    _planning, plan = plan_for(assessment)
    start = threading.Barrier(3)
    results, errors = [], []

    def press():
        from django.db import connection as own

        try:
            start.wait()
            results.append(action_items_from_plan(
                assessment=Assessment.objects.select_related("facility__district")
                .get(pk=assessment.pk), user=cast.district_officer, client_id=uuid.uuid4()))
        except Exception as error:  # collected and asserted below
            errors.append(repr(error))
        finally:
            own.close()

    threads = [threading.Thread(target=press) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(r.created for r in results) == [0, 0, len(plan.raises)]
    assert ActionItem.objects.filter(assessment=assessment).count() == len(plan.raises)


def test_two_people_turning_the_plan_into_items_at_once_make_each_item_once_on_sqlite(
        tmp_path):
    """In a process of its own, on a SQLite file with the app's settings: the suite's
    SQLite test database lives in memory, where threads cannot share it."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SRISHTI_VAR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "tests.improvement.concurrent_plan_items"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == [] and result["planned"] > 0
    assert result["created"] == [0, 0, result["planned"]] and result["items"] == result["planned"]


def test_the_mean_of_departments_rule_is_planned_too(world):
    version = world.f.assessment.version
    rule_set = version.rule_set
    definition = dict(rule_set.definition, overall_rule=OverallRule.MEAN_OF_DEPARTMENTS.value)
    rule_set.definition = definition
    rule_set.save(update_fields=["definition"])
    version.overall_rule = OverallRule.MEAN_OF_DEPARTMENTS.value
    version.save(update_fields=["overall_rule"])
    assessment = Assessment.objects.get(pk=world.f.assessment.pk)
    planning, plan = plan_for(assessment)
    assert plan.status is PlanStatus.OPTIMAL
    card = score(apply_raises(planning.checkpoints, plan.raises),
                 rule=OverallRule.MEAN_OF_DEPARTMENTS)
    assert evaluate(card, planning.rule_set).passed


def test_the_path_page_reads_in_hindi(client, world):
    client.force_login(world.district_officer)
    client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    html = client.get(reverse("certification-path", args=[world.f.assessment.pk])).content.decode()
    assert "प्रमाणन" in html and "checkpoints to raise" not in html
