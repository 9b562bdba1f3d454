"""Writes to action plans: action items, their status and verification, and evidence.

A `user` of None is a trusted caller inside the system (the demo loader, the CLI), for
which the permission checks are skipped; every request from a person passes the person.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from srishti.accounts.access import can_verify_action, can_work_on_actions, visible_facilities
from srishti.assessments.models import Assessment
from srishti.assessments.selectors import assessment_gaps
from srishti.checklists.models import Checkpoint
from srishti.core.errors import DomainError
from srishti.core.limits import printable

from .models import ActionItem, ActionStatus, Evidence, EvidenceType

S = ActionStatus

# Where an item may go from each status. Verification (to or from VERIFIED) is further
# limited to verifiers (accounts.access.can_verify_action).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.IN_PROGRESS, S.DONE}),
    S.IN_PROGRESS: frozenset({S.OPEN, S.DONE}),
    S.DONE: frozenset({S.OPEN, S.IN_PROGRESS, S.VERIFIED}),
    # Taking a verification back: the work was not good enough after all.
    S.VERIFIED: frozenset({S.DONE, S.IN_PROGRESS}),
}

# Magic numbers of the evidence types accepted; the file's own bytes decide its type,
# whatever its name says.
EXTENSIONS = {
    EvidenceType.JPEG: ".jpg", EvidenceType.PNG: ".png", EvidenceType.WEBP: ".webp",
    EvidenceType.PDF: ".pdf",
}
ALLOWED_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".pdf"})

_UNSET: object = object()


def sniff_evidence_type(head: bytes) -> str | None:
    """The evidence type the first bytes of a file show, or None if not an allowed one."""
    if head.startswith(b"\xff\xd8\xff"):
        return EvidenceType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return EvidenceType.PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return EvidenceType.WEBP
    if head.startswith(b"%PDF-"):
        return EvidenceType.PDF
    return None


def _require_worker(user, facility) -> None:
    if user is not None and not can_work_on_actions(user, facility):
        raise PermissionDenied(_("You may not change the action plan of this facility."))


def _refuse_if_verified(item: ActionItem) -> None:
    if item.status == S.VERIFIED:
        raise DomainError(_("This action item has been verified. Ask a verifier to take the "
                            "verification back before changing it."))


def _check_plan(*, assessment: Assessment, responsible_user, due_date: dt.date | None) -> None:
    if due_date is not None and due_date < assessment.start_date:
        raise DomainError(_("The due date is before the assessment started (%(date)s). "
                            "Choose a later date.") % {"date": assessment.start_date})
    if responsible_user is not None and not visible_facilities(responsible_user).filter(
            pk=assessment.facility_id).exists():
        raise DomainError(_("%(name)s does not work at this facility or over it; choose "
                            "someone whose scope includes it.") % {"name": responsible_user})


@transaction.atomic
def action_item_create(
    *,
    assessment: Assessment,
    checkpoint: Checkpoint,
    user,
    root_cause: str = "",
    corrective_action: str = "",
    responsible_name: str = "",
    responsible_user=None,
    due_date: dt.date | None = None,
    client_id: uuid.UUID | None = None,
) -> ActionItem:
    """Plan the closing of one gap. Idempotent by `client_id`: sending the same id again
    returns the item made the first time and changes nothing."""
    if client_id is not None:
        existing = ActionItem.objects.filter(client_id=client_id).first()
        if existing is not None:
            if (existing.assessment_id, existing.checkpoint_id) != (assessment.pk,
                                                                    checkpoint.pk):
                raise DomainError(_("This request was already used for another action item; "
                                    "reload the page and try again."))
            return existing
    _require_worker(user, assessment.facility)
    if checkpoint.version_id != assessment.version_id:
        raise DomainError(_("This checkpoint is not part of the assessment's checklist."))
    _check_plan(assessment=assessment, responsible_user=responsible_user, due_date=due_date)
    if ActionItem.objects.filter(assessment=assessment, checkpoint=checkpoint).exists():
        raise DomainError(_("This gap already has an action item."))
    item = ActionItem(
        assessment=assessment, checkpoint=checkpoint, facility_id=assessment.facility_id,
        root_cause=printable(root_cause).strip(),
        corrective_action=printable(corrective_action).strip(),
        responsible_name=printable(responsible_name).strip()[:200],
        responsible_user=responsible_user,
        due_date=due_date, created_by=user, client_id=client_id or uuid.uuid4(),
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # Someone created the same item a moment ago (a double tap, a second tab).
        raced = ActionItem.objects.filter(client_id=item.client_id).first()
        if raced is not None:
            return raced
        raise DomainError(_("This gap already has an action item.")) from None
    return item


@dataclass(frozen=True)
class BulkResult:
    created: int
    skipped: int  # gaps that already had an action item


@transaction.atomic
def action_items_bulk_create(
    *,
    assessment: Assessment,
    user,
    department_id: int | None = None,
    area: str = "",
    standard: str = "",
    responsible_name: str = "",
    responsible_user=None,
    due_date: dt.date | None = None,
) -> BulkResult:
    """Create one action item for every gap of the assessment that matches the filters
    (those of the gap list: department id, area letter, standard code) and has none yet.

    Running it again creates nothing, so a repeated form submission is harmless.
    """
    _require_worker(user, assessment.facility)
    _check_plan(assessment=assessment, responsible_user=responsible_user, due_date=due_date)
    # Two people pressing the button at once would both see the same missing items;
    # the row lock makes the second wait and then find them made (a no-op on SQLite,
    # whose writers are serialised already).
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    gap_checkpoints = list(
        assessment_gaps(assessment=assessment, department_id=department_id, area=area,
                        standard=standard).values_list("checkpoint_id", flat=True))
    existing = set(ActionItem.objects.filter(assessment=assessment)
                   .values_list("checkpoint_id", flat=True))
    new = [
        ActionItem(assessment=assessment, checkpoint_id=checkpoint_id,
                   facility_id=assessment.facility_id,
                   responsible_name=responsible_name.strip()[:200],
                   responsible_user=responsible_user, due_date=due_date, created_by=user)
        for checkpoint_id in gap_checkpoints if checkpoint_id not in existing
    ]
    ActionItem.objects.bulk_create(new, batch_size=500)
    return BulkResult(created=len(new), skipped=len(gap_checkpoints) - len(new))


# Request ids of "plan to action items" name each item they make: uuid5(request, checkpoint).
def _plan_item_id(client_id: uuid.UUID, checkpoint_id: int) -> uuid.UUID:
    return uuid.uuid5(client_id, str(checkpoint_id))


def action_items_from_plan(
    *,
    assessment: Assessment,
    user,
    responsible_name: str = "",
    responsible_user=None,
    due_date: dt.date | None = None,
    client_id: uuid.UUID | None = None,
) -> BulkResult:
    """Turn the assessment's path to certification into action items in one step: one
    item per checkpoint of the plan, aiming at the plan's score for it, for every one
    that has no item yet.

    Idempotent twice over: a second click creates nothing (one item per gap), and a
    replay of the same request (`client_id`, from the form) answers what the first
    answered and changes nothing. Raises DomainError when there is no verified plan.
    """
    from .selectors_path import plan_for

    _require_worker(user, assessment.facility)
    _check_plan(assessment=assessment, responsible_user=responsible_user, due_date=due_date)
    # Solved before taking the lock: answers saved meanwhile may change the plan, but not
    # the rule that each checkpoint gets one item.
    _planning, plan = plan_for(assessment)
    if plan is None or not plan.shown:
        raise DomainError(_("There is no verified path to certification to turn into "
                            "action items."))
    targets = {r.key: r.new for r in plan.raises}
    with transaction.atomic():
        # Two people pressing the button at once: the second waits here, then finds the
        # items made (SQLite serialises writers already).
        Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
        if client_id is not None:
            replayed = ActionItem.objects.filter(client_id__in=[
                _plan_item_id(client_id, checkpoint_id) for checkpoint_id in targets
            ]).count()
            if replayed:
                return BulkResult(created=replayed, skipped=len(targets) - replayed)
        existing = set(ActionItem.objects.filter(assessment=assessment,
                                                 checkpoint_id__in=list(targets))
                       .values_list("checkpoint_id", flat=True))
        new = [
            ActionItem(assessment=assessment, checkpoint_id=checkpoint_id,
                       facility_id=assessment.facility_id,
                       responsible_name=responsible_name.strip()[:200],
                       responsible_user=responsible_user, due_date=due_date,
                       target_value=Decimal(str(target)), created_by=user,
                       client_id=(_plan_item_id(client_id, checkpoint_id) if client_id
                                  else uuid.uuid4()))
            for checkpoint_id, target in targets.items() if checkpoint_id not in existing
        ]
        ActionItem.objects.bulk_create(new, batch_size=500)
    return BulkResult(created=len(new), skipped=len(targets) - len(new))


@transaction.atomic
def action_item_update(
    *,
    item: ActionItem,
    user,
    status: str | None = None,
    root_cause: str | None = None,
    corrective_action: str | None = None,
    responsible_name: str | None = None,
    responsible_user=_UNSET,
    due_date=_UNSET,
    verification_remark: str | None = None,
) -> ActionItem:
    """Change an action item; arguments left out stay as they are.

    Status moves along `TRANSITIONS`. Only a verifier marks an item verified (it must be
    done first), takes a verification back or writes the verification remark; a verified
    item is otherwise frozen.
    Setting the status it already has changes nothing, so a replay is harmless.
    """
    item = (ActionItem.objects.select_for_update(of=("self",))
            .select_related("facility__district", "assessment").get(pk=item.pk))
    may_work = user is None or can_work_on_actions(user, item.facility)
    may_verify = user is not None and can_verify_action(user, item)
    if not (may_work or may_verify):
        raise PermissionDenied(_("You may not change the action plan of this facility."))
    not_verifier = PermissionDenied(_("Only an assessor or a quality unit may verify action "
                                      "items."))

    fields: dict[str, object] = {}
    for name, value in (("root_cause", root_cause), ("corrective_action", corrective_action)):
        if value is not None and printable(value).strip() != getattr(item, name):
            fields[name] = printable(value).strip()
    if responsible_name is not None:
        responsible_name = printable(responsible_name).strip()[:200]
        if responsible_name != item.responsible_name:
            fields["responsible_name"] = responsible_name
    if responsible_user is not _UNSET and responsible_user != item.responsible_user:
        fields["responsible_user"] = responsible_user
    if due_date is not _UNSET and due_date != item.due_date:
        fields["due_date"] = due_date
    if fields:
        if not may_work:
            raise PermissionDenied(_("You may not change the action plan of this facility."))
        _refuse_if_verified(item)
        _check_plan(assessment=item.assessment,
                    responsible_user=fields.get("responsible_user"),
                    due_date=fields.get("due_date"))

    remark = None if verification_remark is None else printable(verification_remark).strip()
    if status is not None and status != item.status:
        if status not in S.values:
            raise DomainError(_("Unknown status."))
        if status == S.VERIFIED and item.status != S.DONE:
            raise DomainError(_("Only a done item can be verified; mark it done first."))
        if status not in TRANSITIONS[item.status]:
            raise DomainError(_("An item that is “%(old)s” cannot become “%(new)s”.") % {
                "old": S(item.status).label, "new": S(status).label})
        if S.VERIFIED in (status, item.status):
            if not may_verify:
                raise not_verifier
        elif not may_work and not (may_verify and item.status == S.DONE and remark):
            # A verifier who does not work on the plan may still send a done item back,
            # saying what is missing.
            raise PermissionDenied(_("You may not change the action plan of this facility."))
        if status == S.VERIFIED:
            fields.update(verified_by=user, verified_at=timezone.now(),
                          verification_remark=remark or "")
        elif item.status == S.VERIFIED:
            # The remark says why the verification was taken back.
            fields.update(verified_by=None, verified_at=None, verification_remark=remark or "")
        fields["status"] = status
    if "verification_remark" not in fields and remark is not None \
            and remark != item.verification_remark:
        # The verifier's word, e.g. what is still missing when sending a done item back.
        if not may_verify:
            raise not_verifier
        fields["verification_remark"] = remark

    for name, value in fields.items():
        setattr(item, name, value)
    if fields:
        item.save(update_fields=[*fields, "updated_at"])
    return item


@transaction.atomic
def evidence_add(*, item: ActionItem, user, upload) -> Evidence:
    """Attach a photo (JPEG, PNG, WebP) or a PDF to an action item.

    The type is read from the file's first bytes, not trusted from its name; files over
    `SRISHTI_MAX_EVIDENCE_BYTES` are refused. The stored name is random, so nothing the
    uploader chose ends up in a path.
    """
    # Read afresh and locked: a verification a moment ago must close the item to evidence.
    item = (ActionItem.objects.select_for_update(of=("self",))
            .select_related("facility__district").get(pk=item.pk))
    _require_worker(user, item.facility)
    _refuse_if_verified(item)
    name = os.path.basename((upload.name or "").replace("\\", "/"))[:255] or "evidence"
    limit = settings.SRISHTI_MAX_EVIDENCE_BYTES
    if not upload.size:
        raise DomainError(_("“%(name)s” is empty. Choose the file again.") % {"name": name})
    if upload.size > limit:
        raise DomainError(
            _("“%(name)s” is %(size)s; files up to %(limit)s are accepted. Take the photo at "
              "a lower resolution or split the PDF.")
            % {"name": name, "size": filesizeformat(upload.size),
               "limit": filesizeformat(limit)})
    upload.seek(0)
    kind = sniff_evidence_type(upload.read(16))
    upload.seek(0)
    extension = os.path.splitext(name)[1].lower()
    if kind is None or extension not in ALLOWED_EXTENSIONS:
        raise DomainError(_("“%(name)s” is not a JPEG, PNG or WebP photo or a PDF document. "
                            "Only these types are accepted.") % {"name": name})
    evidence = Evidence(action_item=item, original_name=name, content_type=kind,
                        size=upload.size, uploaded_by=user)
    evidence.file.save(f"{uuid.uuid4().hex}{EXTENSIONS[kind]}", upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence
