import datetime as dt

import pytest
from django.utils import timezone

from srishti.certification.demo import DEMO_TARGET, demo_certification
from srishti.certification.models import CertificationRecord, MissionTarget
from srishti.certification.selectors import certification_alerts, target_progress
from srishti.demo.load import demo_load
from srishti.geography.models import State
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def demo(db):
    demo_load()
    demo_certification()
    state = State.objects.get(name="Bihar")
    return MembershipFactory(user=UserFactory(username="bihar_unit"), state=state,
                             role="state_quality_unit").user


def test_the_demo_sets_the_bihar_target_and_certifies_begusarai(demo):
    today = timezone.localdate()
    target = MissionTarget.objects.get(name=DEMO_TARGET)
    assert (target.state.name, target.tool.code, target.facility_types, target.criterion,
            target.count, target.start, target.deadline) == (
        "Bihar", "NQAS", [], "passes_rule_set", 10, dt.date(2022, 12, 1), dt.date(2023, 3, 31))

    state = CertificationRecord.objects.get(facility__name="District Hospital Begusarai",
                                            stage="state_certified")
    assert state.assessment.start_date == dt.date(2023, 1, 20)
    assert state.assessment.kind == "state" and state.result == "passed"
    assert state.valid_until.year == state.decided_on.year + 1
    assert state.certificate.read(5) == b"%PDF-"

    kinds = {(a.kind, a.facility.name) for a in certification_alerts(user=demo, today=today)}
    assert ("surveillance_due", "District Hospital Begusarai") in kinds
    assert {"expiring", "national_application"} <= {kind for kind, _ in kinds}

    progress = target_progress(user=demo, target=target, today=today)
    assert "District Hospital Begusarai" in {r.facility.name for r in progress.meeting}
    assert progress.close and progress.burnup[-1] == len(progress.meeting)


def test_the_demo_runs_again_without_adding_anything(demo):
    before = CertificationRecord.objects.count(), MissionTarget.objects.count()
    assert "(0 new)" in demo_certification()
    assert (CertificationRecord.objects.count(), MissionTarget.objects.count()) == before
