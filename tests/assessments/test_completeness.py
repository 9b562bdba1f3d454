"""Every score card says how many checkpoints are answered; a verdict on an incomplete
assessment is provisional; a criterion with nothing to judge is "not yet judged"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from srishti.assessments.selectors import assessment_scorecard
from srishti.assessments.services import assessment_create, responses_import
from tests.conftest import fetch_file
from tests.reports.conftest import pdf_text


@pytest.fixture
def empty(cast, demo_version):
    return assessment_create(facility=cast.f, version=demo_version,
                             start_date=dt.date(2024, 5, 1))


def answer(assessment, n: int, value: float = 2):
    ids = list(assessment.version.checkpoints.order_by("order").values_list("id", flat=True))
    responses_import(assessment=assessment,
                     answers=[(pk, value, "" if value == 2 else "gap") for pk in ids[:n]])
    return len(ids)


def test_an_assessment_with_no_answers_has_every_criterion_not_yet_judged(client, cast, empty):
    page = assessment_scorecard(user=cast.state_admin, pk=empty.pk)
    assert {c["status"] for c in page.verdict["criteria"]} == {"not_judged"}
    client.force_login(cast.state_admin)
    html = client.get(reverse("assessment-detail", args=[empty.pk])).content.decode()
    section = html[html.index('id="verdict"'):html.index("</section>", html.index('id="verdict"'))]
    assert ">met<" not in section
    assert section.count("not yet judged") == len(page.verdict["criteria"])
    assert "provisional" in section


def test_a_partly_answered_assessment_says_its_verdict_is_provisional(client, cast, empty):
    total = answer(empty, 42)
    page = assessment_scorecard(user=cast.state_admin, pk=empty.pk)
    assert (page.completeness.answered, page.completeness.total) == (42, total)
    assert page.completeness.provisional
    client.force_login(cast.state_admin)
    html = client.get(reverse("assessment-detail", args=[empty.pk])).content.decode()
    assert re.search(rf"42 of {total} checkpoints answered; {total - 42} are unanswered", html)
    assert 'id="not-counted"' in html  # in progress: counted nowhere


def test_a_fully_answered_assessment_is_not_provisional(client, cast, empty):
    total = answer(empty, 10_000)
    client.force_login(cast.state_admin)
    html = client.get(reverse("assessment-detail", args=[empty.pk])).content.decode()
    assert f"All {total} checkpoints answered." in html
    assert 'id="provisional"' not in html and "not yet judged" not in html


def test_the_score_card_pdf_says_provisional_and_not_yet_judged(client, cast, empty,
                                                                tmp_path):
    client.force_login(cast.state_admin)
    response = fetch_file(client, reverse("report-scorecard-pdf", args=[empty.pk]))
    text = pdf_text(response.content, tmp_path)
    assert "provisional" in text and "not yet judged" in text
    assert f"0 of {empty.version.checkpoints.count()} checkpoints answered" in text
