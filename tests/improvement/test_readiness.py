"""The readiness forecast on the facility page: when the facility would pass if its open
action items were done by their due dates."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from srishti.improvement.models import ActionItem
from srishti.improvement.selectors_path import facility_readiness, plan_for
from srishti.improvement.services import action_item_update, action_items_from_plan

TODAY = dt.date(2024, 6, 1)


def _spread_due_dates(assessment, start=dt.date(2024, 7, 1)) -> list[ActionItem]:
    """Give the assessment's items due dates a week apart, in checklist order."""
    items = list(ActionItem.objects.filter(assessment=assessment).order_by("checkpoint__order"))
    for n, item in enumerate(items):
        item.due_date = start + dt.timedelta(weeks=n)
        item.save(update_fields=["due_date"])
    return items


def test_a_plan_done_on_time_passes_on_the_due_date_of_its_last_item(world):
    assessment = world.f.assessment
    _planning, plan = plan_for(assessment)
    action_items_from_plan(assessment=assessment, user=None)
    items = _spread_due_dates(assessment)

    readiness = facility_readiness(facility=world.f, today=TODAY)
    # The plan is the least: every one of its items is needed, so the day is the last.
    assert readiness.assessment == assessment and readiness.counted == len(plan.raises)
    assert readiness.forecast.day == items[-1].due_date
    assert readiness.forecast.needed == len(items) and readiness.failing == []


def test_done_items_count_from_today_overdue_ones_too_and_undated_ones_not_at_all(world):
    assessment = world.f.assessment
    action_items_from_plan(assessment=assessment, user=None)
    items = _spread_due_dates(assessment)
    last = items[-1]
    # The last item is done already: the day moves to the one before it.
    action_item_update(item=last, user=None, status="done")
    assert facility_readiness(facility=world.f, today=TODAY).forecast.day == items[-2].due_date

    # An overdue item counts from today: asked late, the facility passes today at best.
    late = facility_readiness(facility=world.f, today=items[-2].due_date + dt.timedelta(days=3))
    assert late.forecast.day == items[-2].due_date + dt.timedelta(days=3)
    assert late.overdue == len(items) - 1

    # An item without a due date is left out: the plan is then one short, never passes.
    ActionItem.objects.filter(pk=items[0].pk).update(due_date=None)
    short = facility_readiness(facility=world.f, today=TODAY)
    assert short.undated == 1 and short.forecast.day is None and short.failing


def test_items_from_the_gap_list_aim_at_full_compliance(world):
    from srishti.improvement.services import action_items_bulk_create

    assessment = world.f.assessment
    action_items_bulk_create(assessment=assessment, user=None, due_date=dt.date(2024, 8, 1))
    readiness = facility_readiness(facility=world.f, today=TODAY)
    # Every gap closed (every answer at 2, unanswered none): the facility passes on that day.
    assert readiness.forecast.day == dt.date(2024, 8, 1) and readiness.undated == 0


def test_without_open_items_there_is_nothing_to_forecast(client, world):
    client.force_login(world.facility_team)
    page = client.get(reverse("facility-detail", args=[world.f.pk])).content.decode()
    url = reverse("facility-readiness", args=[world.f.pk])
    assert f'hx-get="{url}"' in page
    assert "No open action items" in client.get(url).content.decode()


def test_the_fragment_says_when_the_facility_would_pass(client, world):
    assessment = world.f.assessment
    action_items_from_plan(assessment=assessment, user=None)
    items = _spread_due_dates(assessment, start=dt.date(2099, 1, 1))
    client.force_login(world.district_officer)
    html = client.get(reverse("facility-readiness", args=[world.f.pk])).content.decode()
    assert f"Would pass every criterion on {items[-1].due_date:%-d %b %Y}" in html
    assert reverse("action-plan", args=[assessment.pk]) in html
