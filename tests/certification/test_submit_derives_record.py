import datetime as dt

from srishti.assessments.services import assessment_create, assessment_submit, responses_import
from srishti.certification.models import CertificationRecord


def test_submitting_a_state_assessment_records_the_state_certification(cast, demo_version):
    assessment = assessment_create(facility=cast.f, version=demo_version, kind="state",
                                   start_date=dt.date(2024, 2, 1), end_date=dt.date(2024, 2, 2))
    ids = demo_version.checkpoints.values_list("id", flat=True)
    responses_import(assessment=assessment, answers=[(cid, 2, "") for cid in ids])

    assessment_submit(assessment=assessment, user=cast.state_admin)

    record = CertificationRecord.objects.get(assessment=assessment)
    assert record.stage == "state_certified" and record.result == "passed"
    assert record.valid_until > dt.date(2025, 1, 1)
