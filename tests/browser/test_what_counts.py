"""Issue 10's must-show path: the facility team of a certified facility opens a new
assessment and answers a few checkpoints; the state dashboard, the district dashboard,
the target and the facility's standing do not move. After submitting (with the explicit
confirmation the unanswered checkpoints call for) they do, with the verdict."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from srishti.assessments.models import Assessment
from srishti.assessments.services import assessment_create, responses_import
from srishti.certification.models import CertificationRecord, MissionTarget
from srishti.checklists.models import Tool
from tests.factories import submitted

from .conftest import log_in, screenshot, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assess(facility, version, value, *, kind, day):
    assessment = assessment_create(facility=facility, version=version, kind=kind,
                                   start_date=day)
    responses_import(assessment=assessment, answers=[
        (pk, value, "" if value == 2 else "not in place")
        for pk in version.checkpoints.order_by("order").values_list("id", flat=True)])
    return submitted(assessment)


@pytest.fixture
def world(cast, demo_version):
    """F is state-certified on a full score; G, in the same district, is far from it."""
    nqas = Tool.objects.get(code="NQAS")
    state = assess(cast.f, demo_version, 2, kind="state", day=dt.date(2024, 4, 1))
    assess(cast.g, demo_version, 1, kind="internal", day=dt.date(2024, 4, 2))
    CertificationRecord.objects.create(
        facility=cast.f, tool=nqas, stage="state_certified", level="state", result="passed",
        assessment=state, decided_on=dt.date(2024, 4, 2),
        valid_until=dt.date(2024, 4, 2) + dt.timedelta(days=365))
    target = MissionTarget.objects.create(
        name="Ten facilities ready", state=cast.x.state, tool=nqas,
        criterion="passes_rule_set", count=10, start=dt.date(2024, 1, 1),
        deadline=timezone.localdate() + dt.timedelta(days=200))
    return target


def figures(page, cast, target) -> dict[str, str]:
    """What the state quality unit reads on the four pages."""
    found = {}
    page.goto("/dashboards/")
    found["state tiles"] = page.locator("#tiles .stat:not(#in-progress-tile)").all_inner_texts()
    found["state ranking"] = page.locator("#ranking").inner_text()
    found["state target"] = page.locator("#targets").inner_text()
    page.goto(f"/dashboards/districts/{cast.x.pk}/")
    found["district tiles"] = page.locator(
        "#tiles .stat:not(#in-progress-tile)").all_inner_texts()
    found["district ranking"] = page.locator("#ranking").inner_text()
    found["district target"] = page.locator("#targets").inner_text()
    page.goto(f"/certification/targets/{target.pk}/")
    found["target"] = page.locator("main").inner_text()
    page.goto(f"/facilities/{cast.f.pk}/")
    found["standing"] = page.locator("#standing").inner_text()
    return found


def test_a_draft_moves_no_figure_and_its_submission_moves_them_with_the_verdict(
        new_page, cast, demo_version, world):
    state = new_page()
    log_in(state, "state_admin", next_url="/dashboards/")
    before = figures(state, cast, world)
    assert "1 / 10" in before["state target"]
    assert "certifiable" in before["standing"] and "State" in before["standing"]

    # The facility team opens an internal assessment and answers a few checkpoints.
    team = new_page()
    log_in(team, "facility_team", next_url=f"/facilities/{cast.f.pk}/")
    team.click("text=New assessment")
    team.wait_for_load_state("networkidle")
    team.select_option("select[name=kind]", "internal")
    team.fill("input[name=start_date]", "2024-06-03")
    team.click("text=Open the assessment")
    team.wait_for_load_state("networkidle")
    draft = Assessment.objects.get(facility=cast.f, start_date=dt.date(2024, 6, 3))
    emergency = demo_version.departments.get(name="Emergency")
    team.goto(f"/assessments/{draft.pk}/departments/{emergency.pk}/")
    checkpoints = list(emergency.checkpoints.order_by("order")[:4])
    for checkpoint in checkpoints:
        card = team.locator(f"#cp-{checkpoint.pk}")
        card.locator(".cp-levels button[value='0']").click()
        expect(card.locator("textarea")).to_be_focused()
        card.locator("textarea").fill("Not in place on the day")
        card.locator(".cp-save").click()
        expect(team.locator(f"#cp-{checkpoint.pk} .cp-status")).to_have_text(
            re.compile("Saved"))
    draft.refresh_from_db()
    assert draft.score.checkpoints_answered == 4 and draft.score.overall == 0

    # Nothing the state reads has moved.
    assert figures(state, cast, world) == before
    state.goto(f"/dashboards/districts/{cast.x.pk}/")
    total = demo_version.checkpoints.count()
    expect(state.locator("#in-progress")).to_contain_text(f"4 / {total}")
    expect(state.locator("#in-progress-tile")).to_contain_text("1")
    screenshot(state, "what-counts-district-in-progress-en")
    state.goto(f"/facilities/{cast.f.pk}/")
    expect(state.locator("main")).to_contain_text("not counted until submitted")
    screenshot(state, "what-counts-facility-standing-en")

    # Submitting: the unanswered checkpoints are listed and need the box ticked.
    team.goto(f"/assessments/{draft.pk}/")
    expect(team.locator("#provisional")).to_contain_text(f"4 of {total} checkpoints answered")
    expect(team.locator("#verdict")).to_contain_text("not yet judged")
    team.click("#submit-incomplete summary")
    expect(team.locator("#unanswered-by-department")).to_contain_text(
        f"Emergency: {emergency.checkpoints.count() - 4}")
    screenshot(team, "what-counts-submit-unanswered-en")
    team.click("text=Submit with unanswered checkpoints")  # the box is required: refused
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.IN_PROGRESS
    team.check("input[name=confirm_unanswered]")
    team.click("text=Submit with unanswered checkpoints")
    team.wait_for_load_state("networkidle")
    expect(team.locator(".messages")).to_contain_text("Assessment submitted")
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.SUBMITTED

    # Now it counts everywhere, with its verdict.
    after = figures(state, cast, world)
    for key in before:
        assert after[key] != before[key], key
    assert "0 / 10" in after["state target"]
    ranked_f = [line for line in after["district ranking"].splitlines() if cast.f.name in line]
    assert ranked_f and "not certifiable" in ranked_f[0] and "provisional" in ranked_f[0]
    assert "Internal" in after["standing"] and "provisional" in after["standing"]
    state.goto(f"/dashboards/districts/{cast.x.pk}/")
    screenshot(state, "what-counts-district-submitted-en")

    # The same pages in Hindi.
    switch_language(state, "hi")
    state.goto(f"/dashboards/districts/{cast.x.pk}/")
    expect(state.locator("html")).to_have_attribute("lang", "hi")
    expect(state.locator("#ranking")).to_contain_text("अनंतिम")
    screenshot(state, "what-counts-district-submitted-hi")
    state.goto(f"/facilities/{cast.f.pk}/")
    expect(state.locator("#standing")).to_contain_text("अनंतिम")
    screenshot(state, "what-counts-facility-standing-hi")
    state.goto(f"/assessments/{draft.pk}/")
    expect(state.locator("#provisional")).to_contain_text("अनंतिम")
    screenshot(state, "what-counts-scorecard-provisional-hi")


def test_the_submit_confirmation_reads_in_hindi(new_page, cast, demo_version, world):
    draft = assessment_create(facility=cast.f, version=demo_version,
                              start_date=dt.date(2024, 6, 3))
    page = new_page(language="hi")
    log_in(page, "facility_team", next_url=f"/assessments/{draft.pk}/")
    switch_language(page, "hi")
    page.click("#submit-incomplete summary")
    expect(page.locator("#submit-incomplete")).to_contain_text("अनुत्तरित चेकपॉइंट के साथ जमा करें")
    screenshot(page, "what-counts-submit-unanswered-hi")
