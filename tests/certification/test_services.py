import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from srishti.assessments.models import Assessment
from srishti.certification.models import CertificationRecord, MissionTarget
from srishti.certification.services import (
    certification_derive_for_facility,
    certification_derive_from_assessment,
    certification_record_create,
    certification_record_update,
    mission_target_create,
)
from srishti.core.errors import DomainError

from .conftest import assess

D = dt.date
PDF = b"%PDF-1.4\n% a certificate\n"
SUBMITTED = Assessment.Status.SUBMITTED
DECIDED = D(2023, 1, 22)


@pytest.fixture
def f(cast):
    return cast.f


def record(f, tool, stage, result="", decided_on=DECIDED, **kw):
    return certification_record_create(facility=f, tool=tool, stage=stage, result=result,
                                       decided_on=decided_on, **kw)


@pytest.mark.parametrize(("stage", "result", "valid_until", "level"), [
    ("baseline", "failed", None, ""),
    ("internal", "passed", None, ""),
    ("district", "passed", None, ""),
    ("state_certified", "passed", D(2024, 1, 22), "state"),
    ("state_certified", "failed", None, "state"),
    ("national_certified", "full", D(2026, 1, 22), "national"),
    ("national_certified", "conditional", D(2024, 1, 22), "national"),
    ("national_certified", "failed", None, "national"),
    ("surveillance", "passed", None, "national"),
])
def test_a_new_record_gets_its_validity_and_level_from_stage_and_result(
        f, nqas, stage, result, valid_until, level):
    r = record(f, nqas, stage, result)
    r.refresh_from_db()
    assert (r.valid_until, r.level) == (valid_until, level)


def test_a_date_printed_on_the_certificate_wins_over_the_rule(f, nqas):
    r = record(f, nqas, "state_certified", "passed", valid_until=D(2023, 12, 31))
    assert r.valid_until == D(2023, 12, 31)


def test_a_national_certification_is_full_not_passed(f, nqas):
    assert record(f, nqas, "national_certified", "passed").result == "full"


@pytest.mark.parametrize("stage", ["state_certified", "internal", "surveillance"])
def test_full_and_conditional_belong_to_national_certification_only(f, nqas, stage):
    with pytest.raises(DomainError):
        record(f, nqas, stage, "conditional")
    with pytest.raises(IntegrityError):
        CertificationRecord.objects.create(facility=f, tool=nqas, stage=stage, result="full",
                                           decided_on=D(2023, 1, 1))


def test_the_national_application_date_goes_on_a_state_certification(f, nqas):
    with pytest.raises(DomainError):
        record(f, nqas, "internal", "passed", national_applied_on=D(2023, 6, 1))
    with pytest.raises(DomainError):
        record(f, nqas, "state_certified", "passed", national_applied_on=D(2022, 6, 1))
    r = record(f, nqas, "state_certified", "passed", national_applied_on=D(2023, 6, 1))
    assert r.national_applied_on == D(2023, 6, 1)


def test_a_certificate_cannot_end_before_it_was_decided(f, nqas):
    with pytest.raises(DomainError):
        record(f, nqas, "state_certified", "passed", valid_until=D(2022, 1, 1))


def test_a_person_turning_a_national_certification_conditional_shortens_it_to_a_year(f, nqas):
    r = record(f, nqas, "national_certified", "full")
    assert r.valid_until == D(2026, 1, 22)
    certification_record_update(record=r, result="conditional")
    r.refresh_from_db()
    assert (r.result, r.valid_until) == ("conditional", D(2024, 1, 22))


def test_update_refuses_fields_that_are_not_editable(f, nqas):
    r = record(f, nqas, "internal", "passed")
    with pytest.raises(TypeError):
        certification_record_update(record=r, facility=f)


def test_a_pdf_certificate_is_stored_under_the_media_root_with_a_random_name(f, nqas,
                                                                              media_root):
    upload = SimpleUploadedFile("Dr Sharma certificate.PDF", PDF)
    r = record(f, nqas, "state_certified", "passed", certificate=upload)
    assert r.certificate.name.startswith(f"certificates/{f.pk}/")
    assert "Sharma" not in r.certificate.name and r.certificate.name.endswith(".pdf")
    assert (media_root / r.certificate.name).read_bytes() == PDF


@pytest.mark.parametrize(("name", "content"), [
    ("certificate.exe", b"MZ\x90\x00"),
    ("certificate.pdf", b"<html>not a pdf</html>"),
    ("certificate.png", PDF),
    ("certificate", PDF),
])
def test_a_certificate_of_the_wrong_type_is_refused_and_nothing_is_written(f, nqas, name,
                                                                           content):
    with pytest.raises(DomainError):
        record(f, nqas, "state_certified", "passed",
               certificate=SimpleUploadedFile(name, content))
    assert not CertificationRecord.objects.exists()


def test_a_certificate_over_ten_megabytes_is_refused(f, nqas):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError, match="10 MB"):
        record(f, nqas, "state_certified", "passed", certificate=big)


def test_replacing_a_certificate_deletes_the_old_file_after_commit(
        f, nqas, media_root, django_capture_on_commit_callbacks):
    r = record(f, nqas, "state_certified", "passed",
               certificate=SimpleUploadedFile("a.pdf", PDF))
    old = media_root / r.certificate.name
    with django_capture_on_commit_callbacks(execute=True):
        certification_record_update(record=r, certificate=SimpleUploadedFile("b.pdf", PDF))
    assert not old.exists()
    assert (media_root / r.certificate.name).exists()


# --- derivation from assessments -----------------------------------------------------------

@pytest.mark.parametrize(("kind", "passed", "stage", "result", "years"), [
    ("baseline", False, "baseline", "failed", None),
    ("internal", True, "internal", "passed", None),
    ("internal", False, "internal", "failed", None),
    ("district", True, "district", "passed", None),
    ("state", True, "state_certified", "passed", 1),
    ("state", False, "state_certified", "failed", None),
    ("national", True, "national_certified", "full", 3),
    ("national", False, "national_certified", "failed", None),
    ("surveillance", True, "surveillance", "passed", None),
])
def test_a_submitted_assessment_gives_the_record_of_its_stage(f, demo_version, kind, passed,
                                                              stage, result, years):
    a = assess(f, demo_version, D(2023, 1, 20), kind=kind, overall=80, passed=passed,
               status=SUBMITTED)
    r = certification_derive_from_assessment(assessment=a)
    assert (r.stage, r.result, r.assessment_id, r.facility_id) == (stage, result, a.pk, f.pk)
    # Dated on the assessment's last day.
    assert r.decided_on == D(2023, 1, 21)
    assert r.valid_until == (D(2023 + years, 1, 21) if years else None)


def test_an_assessment_without_a_verdict_gives_a_record_without_result(f, demo_version):
    a = assess(f, demo_version, D(2023, 1, 20), kind="internal", status=SUBMITTED)
    assert certification_derive_from_assessment(assessment=a).result == ""


def test_a_peer_assessment_is_not_a_step(f, demo_version):
    a = assess(f, demo_version, D(2023, 1, 20), kind="peer", passed=True, status=SUBMITTED)
    assert certification_derive_from_assessment(assessment=a) is None
    assert not CertificationRecord.objects.exists()


def test_an_assessment_not_yet_submitted_gives_no_record(f, demo_version):
    a = assess(f, demo_version, D(2023, 1, 20), kind="state", passed=True,
               status=Assessment.Status.IN_PROGRESS)
    with pytest.raises(DomainError):
        certification_derive_from_assessment(assessment=a)
    assert not CertificationRecord.objects.exists()


def test_deriving_twice_gives_the_same_record_and_keeps_a_persons_changes(f, demo_version):
    a = assess(f, demo_version, D(2023, 1, 20), kind="national", passed=True, status=SUBMITTED)
    first = certification_derive_from_assessment(assessment=a)
    certification_record_update(record=first, result="conditional")
    again = certification_derive_from_assessment(assessment=a)
    assert again.pk == first.pk and again.result == "conditional"
    assert CertificationRecord.objects.count() == 1


def test_one_record_per_assessment_is_enforced_by_the_database(f, nqas, demo_version):
    a = assess(f, demo_version, D(2023, 1, 20), kind="state", passed=True, status=SUBMITTED)
    certification_derive_from_assessment(assessment=a)
    with pytest.raises(DomainError):
        record(f, nqas, "state_certified", "passed", assessment=a)


def test_deriving_for_a_facility_records_each_submitted_assessment_once(cast, demo_version):
    done = [assess(cast.f, demo_version, D(2022, m, 1), kind=k, passed=True, status=SUBMITTED)
            for m, k in ((3, "baseline"), (6, "internal"), (9, "district"))]
    assess(cast.f, demo_version, D(2022, 11, 1), kind="state", passed=True,
           status=Assessment.Status.IN_PROGRESS)
    assess(cast.g, demo_version, D(2022, 11, 1), kind="state", passed=True, status=SUBMITTED)
    made = certification_derive_for_facility(facility=cast.f)
    assert [r.assessment_id for r in made] == [a.pk for a in done]
    assert certification_derive_for_facility(facility=cast.f) == []


# --- mission targets -----------------------------------------------------------------------

def target(**kw):
    args = {"name": "Ten ready", "count": 10, "start": D(2022, 12, 1),
            "deadline": D(2023, 3, 31)}
    return mission_target_create(**{**args, **kw})


def test_a_target_is_set_for_a_state(cast, nqas):
    t = target(state=cast.x.state, tool=nqas, facility_types=["PHC", "DH", "DH"])
    assert (t.state, t.district, t.facility_types, t.min_score) == (cast.x.state, None,
                                                                    ["DH", "PHC"], None)


@pytest.mark.parametrize("bad", [
    {"state": None, "district": None},
    {"district": "x"},
    {"criterion": "score_at_least"},
    {"criterion": "score_at_least", "min_score": 120},
    {"deadline": D(2022, 11, 30)},
    {"count": 0},
    {"facility_types": ["XYZ"]},
    {"name": "  "},
])
def test_an_inconsistent_target_is_refused(cast, nqas, bad):
    args = {"state": cast.x.state, "tool": nqas, **bad}
    if args.get("district") == "x":
        args["district"] = cast.x
    with pytest.raises(DomainError):
        target(**args)
    assert not MissionTarget.objects.exists()


@pytest.mark.parametrize("scope", [{}, {"both": True}])
def test_the_database_wants_exactly_one_scope(cast, nqas, scope):
    places = {"state": cast.x.state, "district": cast.x} if scope else {}
    with pytest.raises(IntegrityError):
        MissionTarget.objects.create(name="t", tool=nqas, count=1, start=D(2023, 1, 1),
                                     deadline=D(2023, 2, 1), **places)
