"""Demo certification data: the Bihar mission target, records derived from the demo
assessments, and a few records dated from today so the alerts always have something.

Called by srishti.demo.load after the demo assessments exist. Safe to run again: it adds
only what is missing (records dated from today keep the day of their first run).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from srishti.assessments.models import Assessment
from srishti.checklists.models import Tool
from srishti.geography.models import Facility, State

from .models import CertificationRecord, MissionTarget, Result, Stage
from .rules import add_months
from .services import (
    _record_from_assessment,
    certification_record_create,
    certification_record_update,
    mission_target_create,
)

DEMO_TARGET = "At least 10 facilities NQAS-ready by 31 March 2023"
# Marks the records the demo writes by hand (not derived from an assessment).
DEMO_NOTE = "Demo record."


@transaction.atomic
def demo_certification(*, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    state = State.objects.get(name="Bihar")
    nqas = Tool.objects.get(code="NQAS")
    target = MissionTarget.objects.filter(name=DEMO_TARGET, state=state).first()
    if target is None:
        mission_target_create(
            name=DEMO_TARGET, state=state, tool=nqas, count=10, facility_types=[],
            criterion=MissionTarget.Criterion.PASSES_RULE_SET,
            start=dt.date(2022, 12, 1), deadline=dt.date(2023, 3, 31))

    from srishti.demo.load import DEMO_ASSESSMENTS  # here: load.py calls this module

    made = 0
    # The demo assessments are history (2022-23): every one stands for a step taken,
    # submitted or not, so each gets the record its submission would have given.
    for district, ftype, number, series in DEMO_ASSESSMENTS:
        facility = _facility(district, ftype, number)
        if facility is None:
            continue
        days = [dt.date.fromisoformat(date) for date, _kind, _maturity in series]
        pending = (Assessment.objects
                   .filter(facility=facility, start_date__in=days, version__tool=nqas,
                           certification_record__isnull=True)
                   .select_related("facility", "version__tool", "score")
                   .order_by("start_date", "id"))
        for assessment in pending:
            if _record_from_assessment(assessment) is not None:
                made += 1

    begusarai = _facility("Begusarai", "DH")
    saran_phc = _facility("Saran", "PHC", 2)
    if begusarai is not None:
        state_record = (CertificationRecord.objects
                        .filter(facility=begusarai, tool=nqas, stage=Stage.STATE_CERTIFIED,
                                result=Result.PASSED).order_by("decided_on").first())
        if state_record is not None and not state_record.national_applied_on:
            certification_record_update(record=state_record,
                                        national_applied_on=dt.date(2023, 11, 15))
        if state_record is not None and not state_record.certificate:
            state_record.certificate.save("certificate.pdf", ContentFile(_certificate_pdf(
                f"State NQAS certificate - {begusarai.name} - {state_record.decided_on}")))
        # Nationally certified fourteen months ago and no surveillance since: due.
        made += _by_hand(begusarai, nqas, Stage.NATIONAL_CERTIFIED, Result.FULL,
                         add_months(today, -14))
    if saran_phc is not None:
        # State-certified a little over eleven months ago, no national application: the
        # certificate ends within the month, and the application alert is raised.
        made += _by_hand(saran_phc, nqas, Stage.STATE_CERTIFIED, Result.PASSED,
                         add_months(today, -11) - dt.timedelta(days=10))
    return (f"certification: {CertificationRecord.objects.count()} records ({made} new), "
            f"{MissionTarget.objects.count()} targets")


def _facility(district: str, ftype: str, number: int | None = None) -> Facility | None:
    qs = Facility.objects.filter(district__name=district, facility_type=ftype).order_by("name")
    return qs[number - 1:number].first() if number else qs.first()


def _by_hand(facility, tool, stage, result, decided_on) -> int:
    if CertificationRecord.objects.filter(facility=facility, tool=tool, stage=stage,
                                          notes=DEMO_NOTE).exists():
        return 0
    certification_record_create(facility=facility, tool=tool, stage=stage, result=result,
                                 decided_on=decided_on, notes=DEMO_NOTE)
    return 1


def _certificate_pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (ASCII), small enough to build by hand."""
    safe = text.encode("ascii", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(") \
        .replace(b")", b"\\)")
    stream = b"BT /F1 16 Tf 60 760 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
