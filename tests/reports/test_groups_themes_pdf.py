"""The score-card PDF shows programme scores beside the NQAS score and AAM-SC themes, in
the reader's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from srishti.accounts.models import User
from srishti.assessments.models import Assessment
from srishti.assessments.services import assessment_create, responses_import
from srishti.checklists.services import checklist_version_create, rule_sets_seed, tool_get
from srishti.demo.checklist import demo_checklist
from srishti.demo.load import _demo_aam_sc
from srishti.geography.models import Facility
from srishti.geography.services import facilities_create
from tests.conftest import fetch_file
from tests.factories import StateFactory

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def _pdf(client, assessment, language, tmp_path):
    client.force_login(User.objects.create_superuser("root", "", "pw-for-tests-only"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = fetch_file(client, reverse("report-scorecard-pdf", args=[assessment.pk]))
    return pdf_text(response.content, tmp_path)


@pytest.fixture
def sub_centre():
    rule_sets_seed()
    _demo_aam_sc(StateFactory(name="Bihar"))
    return Assessment.objects.get(facility__name="AAM Sub-centre Begusarai 02")


def test_the_pdf_lists_the_themes_and_the_unverified_rule_set(client, sub_centre, tmp_path):
    text = _pdf(client, sub_centre, "en", tmp_path)

    assert "Service packages (themes)" in text
    assert "Non-communicable diseases" in text
    assert "Every mandatory service package" in text
    assert "thresholds not verified" in text


def test_the_hindi_pdf_names_the_themes_in_hindi_with_english_beside(client, sub_centre,
                                                                       tmp_path):
    text = _pdf(client, sub_centre, "hi", tmp_path)

    assert "गैर-संचारी रोग" in text
    assert "Non-communicable diseases" in text


def test_the_pdf_shows_programme_scores_beside_the_nqas_score(client, tmp_path):
    rule_sets_seed()
    facilities_create(state=StateFactory(name="Bihar"), rows=[("Patna", "DH", "DH Patna")])
    version = checklist_version_create(
        parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"), facility_type="DH",
        label="groups", groups=[("LaQshya", ["Labour Room"]), ("MusQan", ["OPD", "IPD"])])
    assessment = assessment_create(facility=Facility.objects.get(), version=version,
                                   start_date=dt.date(2025, 1, 1))
    responses_import(assessment=assessment, answers=[
        (pk, 2 if name != "IPD" else 0, "")
        for pk, name in version.checkpoints.values_list("id", "department__name")])

    text = _pdf(client, assessment, "en", tmp_path)

    assert "LaQshya · Platinum" in text
    assert "MusQan · below threshold" in text
