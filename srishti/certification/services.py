"""Writes to certification records and mission targets.

Who may call these is decided by accounts.access before they are called; the services
enforce the rules that hold whoever asks (valid stage/result pairs, derived validity,
certificate file type and size, one record per assessment).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from srishti.assessments.models import Assessment
from srishti.checklists.models import Tool
from srishti.core.errors import DomainError
from srishti.geography.models import Block, District, Division, Facility, FacilityType, State

from .models import CertificationRecord, Level, MissionTarget, Mode, Result, Stage
from .rules import conditional_applies, mode_refusal, rules, validity_end

# Certificates are scanned letters or photographs of them.
CERTIFICATE_TYPES = {
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}
MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024

# The stage each assessment type leads to; a peer assessment is practice, not a step.
STAGE_OF_KIND = {
    Assessment.Kind.BASELINE: Stage.BASELINE,
    Assessment.Kind.INTERNAL: Stage.INTERNAL,
    Assessment.Kind.DISTRICT: Stage.DISTRICT,
    Assessment.Kind.STATE: Stage.STATE_CERTIFIED,
    Assessment.Kind.NATIONAL: Stage.NATIONAL_CERTIFIED,
    Assessment.Kind.SURVEILLANCE: Stage.SURVEILLANCE,
}

# The level a stage belongs to, filled in when the caller gives none.
LEVEL_OF_STAGE = {
    Stage.STATE_CERTIFIED: Level.STATE,
    Stage.NATIONAL_CERTIFIED: Level.NATIONAL,
    Stage.SURVEILLANCE: Level.NATIONAL,
}


def _check_certificate(upload: UploadedFile) -> None:
    name = (upload.name or "").lower()
    suffix = name[name.rfind("."):] if "." in name else ""
    magic = CERTIFICATE_TYPES.get(suffix)
    if magic is None:
        raise DomainError(_("The certificate must be a PDF, PNG or JPEG file."))
    if upload.size is not None and upload.size > MAX_CERTIFICATE_BYTES:
        raise DomainError(_("The certificate file is larger than 10 MB; scan it at a lower "
                            "resolution and upload it again."))
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise DomainError(_("The certificate file is not the type its name says; upload the "
                            "PDF, PNG or JPEG file itself."))


def _settle(record: CertificationRecord, *, valid_until: dt.date | None) -> None:
    """Check the record's fields together and derive what is derived."""
    if record.stage not in Stage.values:
        raise DomainError(_("Unknown certification stage."))
    if record.result and record.result not in Result.values:
        raise DomainError(_("Unknown certification result."))
    if (record.result in (Result.FULL, Result.CONDITIONAL)
            and record.stage != Stage.NATIONAL_CERTIFIED):
        raise DomainError(_("Full and conditional are results of a national certification "
                            "only."))
    if record.stage == Stage.NATIONAL_CERTIFIED and record.result == Result.PASSED:
        # A national certification is granted in full or conditionally, never "passed".
        record.result = Result.FULL
    if not record.level:
        record.level = LEVEL_OF_STAGE.get(record.stage, "")
    if record.national_applied_on and record.stage != Stage.STATE_CERTIFIED:
        raise DomainError(_("The national application date belongs on a state "
                            "certification record."))
    if record.national_applied_on and record.national_applied_on < record.decided_on:
        raise DomainError(_("The national application date is before the state "
                          "certification."))
    if record.mode not in Mode.values:
        raise DomainError(_("Unknown assessment mode."))
    refusal = mode_refusal(record.mode, stage=record.stage,
                           facility_type=record.facility.facility_type,
                           decided_on=record.decided_on)
    if refusal is not None:
        rule = rules()["assessment_modes"].get(record.mode, {})
        mode = Mode(record.mode).label
        if refusal == "stage":
            raise DomainError(_("Assessment mode “%(mode)s” is allowed only for: %(stages)s.") % {
                "mode": mode, "stages": ", ".join(str(Stage(s).label) for s in rule["stages"])})
        if refusal == "facility_type":
            raise DomainError(_("Assessment mode “%(mode)s” is allowed only for these "
                                "facility types: %(types)s.") % {
                "mode": mode, "types": ", ".join(rule["facility_types"])})
        raise DomainError(_("Assessment mode “%(mode)s” is allowed from %(date)s on.") % {
            "mode": mode, "date": date_format(rule["since"])})
    if record.checked_on_site_on is not None:
        if record.mode != Mode.VIRTUAL:
            raise DomainError(_("Only a virtual assessment is checked on site afterwards."))
        if record.checked_on_site_on < record.decided_on:
            raise DomainError(_("The on-site check is dated before the virtual assessment."))
    # An explicit end date (printed on the certificate) wins over the rule of thumb.
    record.valid_until = valid_until or validity_end(record.stage, record.result,
                                                     record.decided_on)
    if record.valid_until and record.valid_until < record.decided_on:
        raise DomainError(_("The certificate cannot end before it was decided."))


@transaction.atomic
def certification_record_create(
    *,
    facility: Facility,
    tool: Tool,
    stage: str,
    decided_on: dt.date,
    result: str = "",
    level: str = "",
    valid_until: dt.date | None = None,
    national_applied_on: dt.date | None = None,
    assessment: Assessment | None = None,
    certificate: UploadedFile | None = None,
    notes: str = "",
    mode: str = Mode.PHYSICAL,
    checked_on_site_on: dt.date | None = None,
) -> CertificationRecord:
    """Record one step of a facility's certification for a tool.

    `valid_until` is derived from stage, result and date (certification.rules) unless
    given, e.g. from the certificate. The certificate file must be a PDF, PNG or JPEG of
    at most 10 MB. A virtual assessment (`mode`) must be allowed by the rules for the
    stage, the facility type and the date; only a virtual one carries the date it was
    checked on site. Raises DomainError, with a message for the user, on anything
    inconsistent.
    """
    if assessment is not None and (assessment.facility_id != facility.pk
                                   or assessment.version.tool_id != tool.pk):
        raise DomainError(_("The assessment belongs to another facility or tool."))
    record = CertificationRecord(
        facility=facility, tool=tool, stage=stage, result=result, level=level,
        decided_on=decided_on, national_applied_on=national_applied_on,
        assessment=assessment, notes=notes.strip(), mode=mode,
        checked_on_site_on=checked_on_site_on,
    )
    _settle(record, valid_until=valid_until)
    if certificate is not None:
        _check_certificate(certificate)
        record.certificate.save(certificate.name, certificate, save=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise DomainError(_("This assessment already has a certification record.")) from None
    return record


_EDITABLE = ("stage", "result", "level", "decided_on", "national_applied_on", "notes", "mode",
             "checked_on_site_on")


@transaction.atomic
def certification_record_update(
    *,
    record: CertificationRecord,
    valid_until: dt.date | None = None,
    certificate: UploadedFile | None = None,
    remove_certificate: bool = False,
    **changes,
) -> CertificationRecord:
    """Change a record (e.g. a national certification found conditional, the date of the
    national application, a certificate uploaded). Validity is derived again unless
    `valid_until` is given."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise TypeError(f"cannot change {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(record, name, value.strip() if name == "notes" else value)
    if "level" in changes and not changes["level"]:
        record.level = ""
    _settle(record, valid_until=valid_until)
    old_file = record.certificate.name if record.certificate else ""
    if certificate is not None:
        _check_certificate(certificate)
        record.certificate.save(certificate.name, certificate, save=False)
    elif remove_certificate:
        record.certificate = ""
    record.save()
    if old_file and old_file != (record.certificate.name or ""):
        # Deleted only once the row no longer points at it; a failure leaves a stray file,
        # never a record without its file.
        storage = record.certificate.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return record


@transaction.atomic
def certification_derive_from_assessment(*, assessment: Assessment) -> CertificationRecord | None:
    """The certification record a submitted assessment stands for, created once.

    Baseline, internal and district assessments give the matching stage, passed or
    failed by the stored verdict (no verdict: no result). A state assessment gives a state
    certification, valid a year when passed; a national one a national certification,
    full when passed, conditional (a year) when it failed within the rule for that
    (certification.rules; a person can still change it to what NHSRC decided); a
    surveillance assessment a surveillance record. The record is dated on the
    assessment's last day. A peer assessment gives nothing (None).

    Idempotent: a second call returns the record made the first time, unchanged (it may
    have been edited by a person since). Raises DomainError for an assessment not yet
    submitted.
    """
    existing = CertificationRecord.objects.filter(assessment=assessment).first()
    if existing is not None:
        return existing
    if assessment.status != Assessment.Status.SUBMITTED:
        raise DomainError(_("Only a submitted assessment gives a certification record."))
    return _record_from_assessment(assessment)


def _record_from_assessment(assessment: Assessment) -> CertificationRecord | None:
    stage = STAGE_OF_KIND.get(assessment.kind)
    if stage is None:
        return None
    score = getattr(assessment, "score", None)
    passed = score.passed if score is not None else None
    if passed is None:
        result = ""
    elif not passed:
        result = (Result.CONDITIONAL if stage == Stage.NATIONAL_CERTIFIED
                  and conditional_applies(score.verdict) else Result.FAILED)
    elif stage != Stage.NATIONAL_CERTIFIED:
        result = Result.PASSED
    else:
        result = Result.FULL
    return certification_record_create(
        facility=assessment.facility, tool=assessment.version.tool, stage=stage,
        result=result, decided_on=assessment.end_date or assessment.start_date,
        assessment=assessment,
    )


def certification_derive_for_facility(*, facility: Facility) -> list[CertificationRecord]:
    """Records for every submitted assessment of the facility that has none yet."""
    pending = (Assessment.objects
               .filter(facility=facility, status=Assessment.Status.SUBMITTED,
                       kind__in=list(STAGE_OF_KIND), certification_record__isnull=True)
               .select_related("facility", "version__tool", "score")
               .order_by("start_date", "id"))
    made = []
    for assessment in pending:
        record = certification_derive_from_assessment(assessment=assessment)
        if record is not None:
            made.append(record)
    return made


@transaction.atomic
def mission_target_create(
    *,
    name: str,
    tool: Tool,
    count: int,
    start: dt.date,
    deadline: dt.date,
    state: State | None = None,
    district: District | None = None,
    division: Division | None = None,
    block: Block | None = None,
    facility_types: list[str] | None = None,
    criterion: str = MissionTarget.Criterion.PASSES_RULE_SET,
    min_score: float | None = None,
) -> MissionTarget:
    """Set a target: at least `count` facilities of the scope (a state, a division, a
    district or a block) meeting `criterion` with their latest assessment of `tool` by
    `deadline`."""
    if sum(scope is not None for scope in (state, division, district, block)) != 1:
        raise DomainError(_("A target is set for one place: a state, a division, a "
                            "district or a block."))
    if not name.strip():
        raise DomainError(_("Give the target a name."))
    if count < 1:
        raise DomainError(_("The number of facilities must be at least 1."))
    if deadline < start:
        raise DomainError(_("The deadline is before the start date."))
    types = sorted(set(facility_types or []))
    if any(t not in FacilityType.values for t in types):
        raise DomainError(_("Unknown facility type."))
    if criterion not in MissionTarget.Criterion.values:
        raise DomainError(_("Unknown target criterion."))
    if criterion == MissionTarget.Criterion.SCORE_AT_LEAST:
        if min_score is None or not 0 <= min_score <= 100:
            raise DomainError(_("Give the minimum score, between 0 and 100."))
    else:
        min_score = None
    return MissionTarget.objects.create(
        name=name.strip(), state=state, division=division, district=district, block=block,
        tool=tool, facility_types=types,
        criterion=criterion, min_score=min_score, count=count, start=start, deadline=deadline,
    )


def record_submitted_assessment(sender, *, assessment: Assessment, **kwargs) -> None:
    """Receiver of `assessment_submitted`: the pipeline follows submissions by itself."""
    certification_derive_from_assessment(assessment=assessment)
