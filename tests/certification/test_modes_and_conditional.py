"""Conditional national certification (a year) and the assessment mode (physical or
virtual), both decided by rules kept as data in certification.rules."""

from __future__ import annotations

import datetime as dt

import pytest

from srishti.assessments.models import Assessment
from srishti.certification.models import CertificationRecord
from srishti.certification.rules import conditional_applies, mode_refusal
from srishti.certification.services import (
    certification_derive_from_assessment,
    certification_record_create,
    certification_record_update,
)
from srishti.core.errors import DomainError
from tests.factories import FacilityFactory

from .conftest import assess

D = dt.date
SUBMITTED = Assessment.Status.SUBMITTED


@pytest.fixture
def sub_centre(cast):
    return FacilityFactory(district=cast.x, name="AAM-SC Ramnagar", facility_type="AAM-SC")


def national(facility, tool, **kw):
    return certification_record_create(facility=facility, tool=tool,
                                       stage="national_certified", result="full", **kw)


def test_a_sub_centre_is_certified_nationally_by_video_since_june_2024(sub_centre, nqas):
    r = national(sub_centre, nqas, decided_on=D(2024, 9, 2), mode="virtual")
    assert (r.mode, r.valid_until) == ("virtual", D(2027, 9, 2))
    r = certification_record_update(record=r, checked_on_site_on=D(2024, 11, 5))
    assert r.checked_on_site_on == D(2024, 11, 5)


@pytest.mark.parametrize(("facility_type", "stage", "day", "message"), [
    ("DH", "national_certified", D(2024, 9, 2), "facility types: AAM-SC"),
    ("AAM-SC", "state_certified", D(2024, 9, 2), "allowed only for: National certification"),
    ("AAM-SC", "national_certified", D(2024, 5, 31), "from 1 Jun 2024 on"),
])
def test_a_virtual_assessment_outside_the_rules_is_refused_saying_why(
        cast, nqas, facility_type, stage, day, message):
    facility = FacilityFactory(district=cast.x, facility_type=facility_type)
    with pytest.raises(DomainError, match=message):
        certification_record_create(facility=facility, tool=nqas, stage=stage,
                                    result="passed", decided_on=day, mode="virtual")
    assert not CertificationRecord.objects.exists()


def test_only_a_virtual_assessment_is_checked_on_site_and_not_before_it(sub_centre, nqas):
    with pytest.raises(DomainError, match="Only a virtual assessment"):
        national(sub_centre, nqas, decided_on=D(2024, 9, 2), checked_on_site_on=D(2024, 10, 1))
    with pytest.raises(DomainError, match="before the virtual assessment"):
        national(sub_centre, nqas, decided_on=D(2024, 9, 2), mode="virtual",
                 checked_on_site_on=D(2024, 8, 1))


def test_the_database_refuses_an_on_site_check_of_a_physical_assessment(sub_centre, nqas):
    from django.db import IntegrityError, transaction

    r = national(sub_centre, nqas, decided_on=D(2024, 9, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationRecord.objects.filter(pk=r.pk).update(checked_on_site_on=D(2024, 10, 1))


def test_the_modes_are_rules_that_settings_can_change(settings):
    assert mode_refusal("virtual", stage="surveillance", facility_type="AAM-SC",
                        decided_on=D(2025, 1, 1)) is None
    assert mode_refusal("physical", stage="baseline", facility_type="DH",
                        decided_on=D(2015, 1, 1)) is None
    settings.SRISHTI_CERTIFICATION_RULES = {"assessment_modes": {
        "physical": {"stages": None, "facility_types": None, "since": None},
        "virtual": {"stages": None, "facility_types": ["AAM-SC", "PHC"], "since": None}}}
    assert mode_refusal("virtual", stage="internal", facility_type="PHC",
                        decided_on=D(2020, 1, 1)) is None
    assert mode_refusal("drone", stage="internal", facility_type="PHC",
                        decided_on=D(2020, 1, 1)) == "mode"


def criterion(kind, passed):
    return {"kind": kind, "passed": passed}


@pytest.mark.parametrize(("criteria", "expected"), [
    # Five of six met, the overall among them: the example seen (85.8% overall, a year).
    ([("overall", True), ("each_department", True), ("each_area", True),
      ("critical_standards", True), ("each_standard", False), ("patient_satisfaction", True)],
     True),
    ([("overall", True), ("each_department", False), ("each_standard", False)], False),
    ([("overall", False), ("each_department", True)], False),
    ([], False),
])
def test_conditional_when_all_but_one_criterion_is_met_with_the_overall_score(criteria,
                                                                                expected):
    verdict = {"criteria": [criterion(k, p) for k, p in criteria]}
    assert conditional_applies(verdict) is expected


def test_a_failed_national_assessment_within_the_rule_is_recorded_conditional_for_a_year(
        cast, demo_version):
    from srishti.assessments.models import AssessmentScore

    a = assess(cast.f, demo_version, D(2023, 1, 20), kind="national", overall=85.8,
               passed=False, failing=[("each_standard", 50.0, 42.0)], status=SUBMITTED)
    verdict = dict(a.score.verdict)
    verdict["criteria"] = [{"kind": "overall", "passed": True}, *verdict["criteria"]]
    AssessmentScore.objects.filter(pk=a.score.pk).update(verdict=verdict)
    a.score.refresh_from_db()
    r = certification_derive_from_assessment(assessment=a)
    assert (r.stage, r.result, r.valid_until) == ("national_certified", "conditional",
                                                  D(2024, 1, 21))


def test_the_record_form_takes_the_mode(client, cast, sub_centre, nqas):
    from django.urls import reverse

    client.force_login(cast.district_officer)
    response = client.post(reverse("certification-record-create", args=[sub_centre.pk]), {
        "tool": nqas.pk, "stage": "national_certified", "result": "full",
        "decided_on": "2024-09-02", "mode": "virtual"})
    assert response.status_code == 302
    assert CertificationRecord.objects.get(facility=sub_centre).mode == "virtual"
    page = client.get(reverse("certification-pipeline", args=[sub_centre.pk])).content.decode()
    assert "virtual" in page and "not checked on site" in page

    refused = client.post(reverse("certification-record-create", args=[cast.f.pk]), {
        "tool": nqas.pk, "stage": "national_certified", "result": "full",
        "decided_on": "2024-09-02", "mode": "virtual"})
    assert "only for these facility types: AAM-SC" in refused.content.decode()
