"""Demo action plans for `srishti demo`: a few items on the latest Begusarai and Gaya
district-hospital assessments (some overdue, one verified) and on Begusarai's earlier
internal assessment, so that its latest action plan shows progress "since the last
assessment". Safe to run again: items have fixed client ids, and a replay changes nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction

from srishti.accounts.access import can_verify_action
from srishti.accounts.models import User
from srishti.assessments.models import Assessment
from srishti.assessments.selectors import assessment_gaps
from srishti.checklists.models import Checkpoint

from .models import ActionItem, ActionStatus
from .selectors import today_ist
from .services import action_item_create, action_item_update

S = ActionStatus
DEMO_NAMESPACE = uuid.UUID("6f1d3c52-8c1e-4a53-9b0e-6a4f7f1c2d10")

# (root cause, corrective action, responsible, due in days from today, final status).
# Negative days with an open or in-progress status make the item overdue.
PLANS = [
    ("Staff not trained on the triage protocol.",
     "Train all emergency staff on triage; display the protocol at the triage desk.",
     "Emergency in-charge", -20, S.IN_PROGRESS),
    ("स्टाफ़ को प्रशिक्षण नहीं मिला; रजिस्टर अधूरे हैं।",
     "Daily register check by the ward sister; weekly review by the hospital manager.",
     "Sister in-charge", -5, S.OPEN),
    ("No budget line for the item in the current year.",
     "Request funds from the district health society; procure through the state portal.",
     "Hospital manager", 14, S.OPEN),
    ("SOP exists but is not displayed or known.",
     "Display the SOP; brief every shift; record attendance of the briefing.",
     "Quality manager", 30, S.IN_PROGRESS),
    ("Equipment out of order for two months.",
     "Repair through the biomedical maintenance contract; keep a breakdown log.",
     "Biomedical engineer", -10, S.DONE),
    ("Signage missing in the department.",
     "Put up bilingual signage (Hindi and English) at the entrance and each room.",
     "Facility manager", 7, S.VERIFIED),
]
# The earlier Begusarai plan: old items, mostly finished.
EARLIER_PLANS = [
    ("Records not maintained.", "Introduce a daily record check.", "Ward sister", 30, S.VERIFIED),
    ("Staff unaware of the protocol.", "Training session for all shifts.", "Nursing superintendent",
     45, S.DONE),
    ("Supplies run out before the indent.", "Set minimum stock levels and a weekly indent.",
     "Store in-charge", 60, S.DONE),
    ("Nobody assigned to the task.", "Assign the task in the duty roster.", "Hospital manager",
     30, S.IN_PROGRESS),
]

VERIFIER_NAMES = ("begusarai", "assessor", "state", "admin")


def _latest(district: str, before: Assessment | None = None) -> Assessment | None:
    # Drafts are left to the path to certification (srishti.demo.draft).
    assessments = Assessment.objects.filter(facility__district__name=district,
                                            facility__facility_type="DH").exclude(
                                                status=Assessment.Status.DRAFT)
    if before is not None:
        assessments = assessments.filter(facility=before.facility,
                                         start_date__lt=before.start_date)
    return (assessments.select_related("facility__district__state", "version")
            .order_by("-start_date", "-id").first())


def _verifier(item: ActionItem) -> User | None:
    people = {u.username: u for u in User.objects.filter(username__in=VERIFIER_NAMES)}
    for name in VERIFIER_NAMES:
        if name in people and can_verify_action(people[name], item):
            return people[name]
    return User.objects.filter(is_superuser=True, is_active=True).first()


def _walk(item: ActionItem, target: str, verifier: User | None) -> None:
    # Along the way a real item would go, so the stored state is one the pages produce.
    path = {S.OPEN: [], S.IN_PROGRESS: [S.IN_PROGRESS], S.DONE: [S.IN_PROGRESS, S.DONE],
            S.VERIFIED: [S.IN_PROGRESS, S.DONE, S.VERIFIED]}[target]
    for status in path:
        if status == S.VERIFIED:
            if verifier is None:
                return  # no one to verify yet: the item stays done
            item = action_item_update(item=item, user=verifier, status=status,
                                      verification_remark="Checked on site; photos attached.")
        else:
            item = action_item_update(item=item, user=None, status=status)


def _plan(assessment: Assessment, plans, *, skip: int = 0, from_start: bool = False) -> int:
    """Items for the first gaps of the assessment (after `skip`); returns how many are new.
    Due dates count from today, or from the assessment's start for an old plan."""
    today = assessment.start_date if from_start else today_ist()
    checkpoint_ids = list(assessment_gaps(assessment=assessment)
                          .values_list("checkpoint_id", flat=True)[skip:skip + len(plans)])
    checkpoints = Checkpoint.objects.in_bulk(checkpoint_ids)
    made = 0
    for checkpoint_id, (cause, action, who, days, status) in zip(checkpoint_ids, plans,
                                                                 strict=False):
        client_id = uuid.uuid5(DEMO_NAMESPACE, f"{assessment.pk}-{checkpoint_id}")
        if ActionItem.objects.filter(client_id=client_id).exists():
            continue
        due = max(today + dt.timedelta(days=days), assessment.start_date)
        item = action_item_create(
            assessment=assessment, checkpoint=checkpoints[checkpoint_id], user=None,
            root_cause=cause, corrective_action=action, responsible_name=who, due_date=due,
            client_id=client_id)
        item = ActionItem.objects.select_related("facility__district").get(pk=item.pk)
        _walk(item, status, _verifier(item))
        made += 1
    return made


@transaction.atomic
def demo_action_items() -> str:
    """Create the demo action plans (call after the demo assessments and log-ins)."""
    made = 0
    begusarai = _latest("Begusarai")
    if begusarai is not None:
        made += _plan(begusarai, PLANS)
        earlier = _latest("Begusarai", before=begusarai)
        if earlier is not None:
            made += _plan(earlier, EARLIER_PLANS, skip=3, from_start=True)
    gaya = _latest("Gaya")
    if gaya is not None:
        made += _plan(gaya, PLANS[:5])
    return f"{ActionItem.objects.count()} action items ({made} new)"
