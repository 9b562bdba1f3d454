"""The demo's DH Begusarai draft: an internal assessment after the state certification,
answered in part and not submitted, so that the path to certification and the readiness
forecast have a draft to work on (`srishti demo`; safe to run again)."""

from __future__ import annotations

import datetime as dt
import random

from srishti.assessments.models import Assessment
from srishti.assessments.services import assessment_create, responses_import
from srishti.checklists.models import ChecklistVersion
from srishti.geography.models import Facility

from .checklist import DEMO_VERSION_LABEL

DRAFT_DATE = dt.date(2023, 3, 6)
# The assessors have been through most of the hospital: about one checkpoint in ten is
# still unanswered, and most of what they saw is in place.
ANSWERED = 0.9
MATURITY = 0.7


def demo_draft() -> Assessment | None:
    """Create the draft once (returns None when it exists or Begusarai's DH is missing)."""
    facility = (Facility.objects.filter(district__name="Begusarai", facility_type="DH")
                .order_by("name").first())
    version = ChecklistVersion.objects.filter(facility_type="DH", label=DEMO_VERSION_LABEL,
                                              tool__code="NQAS").first()
    if facility is None or version is None or Assessment.objects.filter(
            facility=facility, start_date=DRAFT_DATE).exists():
        return None
    rng = random.Random(f"{facility.name}-draft-{DRAFT_DATE}")
    assessment = assessment_create(facility=facility, version=version,
                                   kind=Assessment.Kind.INTERNAL, start_date=DRAFT_DATE,
                                   assessor_names="Quality team, DH Begusarai",
                                   series=f"{facility.name} {DRAFT_DATE.year}")
    answers = []
    for checkpoint_id in version.checkpoints.order_by("order").values_list("id", flat=True):
        if rng.random() >= ANSWERED:
            continue
        draw = rng.random()
        if draw < 0.04:
            answers.append((checkpoint_id, None, ""))
        elif draw < 0.04 + MATURITY * 0.96:
            answers.append((checkpoint_id, 2, ""))
        else:
            answers.append((checkpoint_id, rng.choice([0, 1]), "Seen on the round"))
    responses_import(assessment=assessment, answers=answers)
    # Not submitted: a draft, which the pipeline and the targets do not count.
    assessment.status = Assessment.Status.DRAFT
    assessment.save(update_fields=["status", "updated_at"])
    return assessment
