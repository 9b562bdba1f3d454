"""Writes to assessments, their responses and their stored scores."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from srishti.checklists.models import CertificationRuleSet, ChecklistVersion, Checkpoint
from srishti.core.bulk import insert_rows
from srishti.core.errors import DomainError
from srishti.geography.models import Facility
from srishti.scoring.criteria import evaluate, point_step
from srishti.scoring.engine import group_card, score
from srishti.scoring.packages import not_applicable_reason
from srishti.scoring.serialize import tally_to_dict, verdict_to_dict
from srishti.scoring.types import (
    CheckpointScore,
    DepartmentGroup,
    OverallRule,
    ScoreCard,
    Theme,
)

from .models import (
    Assessment,
    AssessmentEvent,
    AssessmentScore,
    Response,
    ResponseChange,
    ScoreRow,
)
from .scores import SCORE_ROW_FIELDS, score_rows, score_summary
from .signals import assessment_reopened, assessment_submitted


def assessment_create(
    *,
    facility: Facility,
    version: ChecklistVersion,
    kind: str = Assessment.Kind.INTERNAL,
    start_date: dt.date,
    end_date: dt.date | None = None,
    assessor_names: str = "",
    series: str = "",
    source_file: str = "",
) -> Assessment:
    """Open an assessment of a facility against a published checklist of its type."""
    if version.facility_type != facility.facility_type:
        raise DomainError(
            f"checklist {version} is for {version.facility_type} facilities, "
            f"but {facility.name} is a {facility.facility_type}"
        )
    if kind not in Assessment.Kind.values:
        raise DomainError(f"unknown assessment type {kind!r}; expected one of "
                          f"{', '.join(Assessment.Kind.values)}")
    if end_date and end_date < start_date:
        raise DomainError("the end date is before the start date")
    assessment = Assessment.objects.create(
        facility=facility, version=version, kind=kind, start_date=start_date,
        end_date=end_date, assessor_names=assessor_names, series=series,
        source_file=source_file,
    )
    assessment_rescore(assessment=assessment)
    return assessment


@transaction.atomic
def responses_import(
    *, assessment: Assessment, answers: Iterable[tuple[int, float | None, str]]
) -> int:
    """Write (checkpoint id, value or None for NA, remark) answers in bulk, then rescore.

    Meant for whole-workbook imports into a new assessment; the capture pages write one
    response at a time with their own revision checks.
    """
    levels = {Decimal(str(v)) for v in assessment.version.levels}
    # Plain rows through core.bulk.insert_rows: ~6,500 answers per district hospital,
    # where model instances would cost more than the INSERT. Each distinct value (a
    # handful of levels) is prepared for the database once.
    value_field = Response._meta.get_field("value")
    prepared: dict[object, object] = {None: None}
    rows = []
    for checkpoint_id, value, remark in answers:
        db_value = prepared.get(value, prepared)
        if db_value is prepared:
            decimal_value = Decimal(str(value))
            if decimal_value not in levels:
                raise DomainError(f"score {value} is not one of the allowed levels")
            db_value = prepared[value] = value_field.get_db_prep_save(decimal_value, connection)
        rows.append((checkpoint_id, db_value, remark))
    insert_rows(Response, ("checkpoint", "value", "remark"), rows, assessment=assessment.pk)
    assessment_rescore(assessment=assessment)
    return len(rows)


def fetch_checkpoint_scores(assessment: Assessment) -> tuple[list[CheckpointScore], list[str]]:
    """Load an assessment's answers as scoring input: two queries, no per-row work.

    A checklist with service packages (AAM-SC) reads each checkpoint's service too: a
    checkpoint the facility's service profile does not cover is NA whatever its answer,
    and counts as NA unanswered as well (one more query), so that the score and the
    count of answered checkpoints both follow the profile. A checklist with themes adds
    each checkpoint's themes, from its measurable element.
    """
    version = assessment.version
    full = version.full_score
    departments = list(version.departments.order_by("order").values_list("name", flat=True))
    # The database hands back floats (no Decimal per row), in checklist order (which
    # keeps each standard's checkpoints together, the engine's fast path) without the
    # join to the assessment that Response's default ordering would add.
    columns = [Cast("value", FloatField()), "checkpoint__department__name",
               "checkpoint__standard__area__letter", "checkpoint__standard__code"]
    rows = Response.objects.filter(assessment=assessment).order_by("checkpoint__order")
    if not version.service_tags and not version.themes:
        return ([CheckpointScore(dept, area, std, value, full)
                 for value, dept, area, std in rows.values_list(*columns)], departments)

    themes_of = _themes_by_element(version.themes)
    not_offered = _services_not_offered(version, assessment.facility)
    scores = []
    for value, dept, area, std, service, element in rows.values_list(
            *columns, "checkpoint__service", "checkpoint__measurable_element__code"):
        if service in not_offered:
            value = None
        scores.append(CheckpointScore(dept, area, std, value, full,
                                      themes_of.get(element, ())))
    if not_offered:
        unanswered = (Checkpoint.objects.filter(version=version, service__in=not_offered)
                      .exclude(responses__assessment=assessment).order_by("order")
                      .values_list("department__name", "standard__area__letter",
                                   "standard__code", "measurable_element__code"))
        scores += [CheckpointScore(dept, area, std, None, full, themes_of.get(element, ()))
                   for dept, area, std, element in unanswered]
    return scores, departments


def _themes_by_element(themes: list[dict]) -> dict[str, tuple[str, ...]]:
    by_element: dict[str, list[str]] = {}
    for theme in themes:
        for code in theme["measurable_elements"]:
            by_element.setdefault(code, []).append(theme["key"])
    return {code: tuple(keys) for code, keys in by_element.items()}


def _services_not_offered(version: ChecklistVersion, facility: Facility) -> dict[str, str]:
    """The version's service tags that do not apply to the facility, with the reason
    (scoring.packages.NotApplicable)."""
    profile = facility.service_profile()
    reasons = {tag: not_applicable_reason(tag, profile) for tag in version.service_tags}
    return {tag: str(reason) for tag, reason in reasons.items() if reason is not None}


def services_not_offered(assessment: Assessment) -> dict[str, str]:
    """Service tag -> why its checkpoints are not applicable at this assessment's
    facility (empty for checklists without service packages)."""
    if not assessment.version.service_tags:
        return {}
    return _services_not_offered(assessment.version, assessment.facility)


def _theme_offered(theme: dict, offered: frozenset[str]) -> bool:
    return theme["mandatory"] or not theme.get("services") or any(
        service in offered for service in theme["services"])


def assessment_scorecard(assessment: Assessment) -> ScoreCard:
    scores, departments = fetch_checkpoint_scores(assessment)
    version = assessment.version
    offered = frozenset(assessment.facility.services) if version.themes else frozenset()
    return score(
        scores, rule=OverallRule(version.overall_rule), department_order=departments,
        themes=[Theme(t["key"], t["name"], t["mandatory"]) for t in version.themes
                if _theme_offered(t, offered)],
        groups=[DepartmentGroup(g["name"], tuple(g["departments"])) for g in version.groups],
        not_present=assessment.not_present,
    )


def _group_results(version: ChecklistVersion, card: ScoreCard) -> list[dict[str, Any]]:
    """Each department group's figure and, when a programme's rule set judges it, the
    verdict and badge (stored so pages and dashboards never recompute)."""
    codes = {g["name"]: g.get("rule_set") for g in version.groups}
    rule_sets = {rs.code: rs for rs in CertificationRuleSet.objects.filter(
        code__in=[c for c in codes.values() if c])}
    results = []
    for group in card.groups:
        stored = rule_sets.get(codes.get(group.name) or "")
        verdict = None
        if stored is not None and group.tally.score is not None:
            verdict = evaluate(group_card(card, group), stored.as_rule_set(),
                               point_step=point_step(version.levels))
        results.append({
            "name": group.name, **tally_to_dict(group.tally),
            "departments": list(group.departments), "not_present": list(group.not_present),
            "rule_set": stored.code if stored else None,
            "passed": verdict.passed if verdict else None,
            "badge": verdict.badge if verdict else None,
            "verdict": verdict_to_dict(verdict) if verdict else {},
        })
    return results


def _theme_results(version: ChecklistVersion, card: ScoreCard) -> list[dict[str, Any]]:
    scored = {t.key: t for t in card.themes}
    results = []
    for theme in version.themes:
        figure = scored.get(theme["key"])
        results.append({
            "key": theme["key"], "number": theme["number"], "name": theme["name"],
            "mandatory": theme["mandatory"], "offered": figure is not None,
            **(tally_to_dict(figure.tally) if figure else
               {"obtained": None, "maximum": None, "score": None}),
        })
    return results


@transaction.atomic
def assessment_rescore(*, assessment: Assessment) -> AssessmentScore:
    """Score an assessment from its responses and store every figure pages read."""
    version = assessment.version
    card = assessment_scorecard(assessment)
    rule_set = version.rule_set.as_rule_set() if version.rule_set_id else None
    verdict = (evaluate(card, rule_set, point_step=point_step(version.levels))
               if rule_set else None)

    department_ids = dict(version.departments.values_list("name", "id"))
    _store_score_rows(assessment, score_rows(card, department_ids))
    checkpoints = Checkpoint.objects.filter(version=version)
    if assessment.not_present:
        checkpoints = checkpoints.exclude(department__name__in=assessment.not_present)
    total = checkpoints.count()
    summary = score_summary(card, verdict, rule_set, total)
    if version.groups:
        summary["groups"] = _group_results(version, card)
    if version.themes:
        summary["themes"] = _theme_results(version, card)
    stored, _ = AssessmentScore.objects.update_or_create(
        assessment=assessment, defaults=summary)
    assessment.score = stored  # callers holding the assessment see the new figures
    return stored


@transaction.atomic
def department_presence_set(*, assessment: Assessment, department_name: str,
                            present: bool) -> Assessment:
    """Mark a department of the checklist as one the facility does not have (or has
    after all). A department not present is in no figure, its answers are kept."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == Assessment.Status.SUBMITTED:
        raise DomainError(_("This assessment has been submitted; reopen it to change it."))
    if not assessment.version.departments.filter(name=department_name).exists():
        raise DomainError(_("The checklist has no department %(name)s.")
                          % {"name": department_name})
    absent = [name for name in assessment.not_present if name != department_name]
    if not present:
        absent.append(department_name)
    assessment.not_present = absent
    assessment.save(update_fields=["not_present", "updated_at"])
    assessment_rescore(assessment=assessment)
    return assessment


# Past this many changed rows, deleting and inserting them beats one UPDATE with a CASE
# per column (whose cost grows with rows x rows).
SCORE_ROWS_UPDATED_IN_PLACE = 50


def _store_score_rows(assessment: Assessment, rows: list[tuple]) -> None:
    """Make the assessment's stored score rows equal `rows`, writing only differences.

    A saved answer moves a handful of figures (its standard, area and department, in the
    department and facility-wide); rewriting all ~1,200 rows on every save would cost
    most of the rescore and, on PostgreSQL, leave as many dead rows to vacuum.
    """
    wanted = {row[:3]: row[3:] for row in rows}
    stored = {
        (department, level, code): (pk, tuple(figures))
        for pk, department, level, code, *figures in ScoreRow.objects.filter(
            assessment=assessment).order_by().values_list("id", *SCORE_ROW_FIELDS)
    }
    gone = [pk for key, (pk, _figures) in stored.items() if key not in wanted]
    new = [key + figures for key, figures in wanted.items() if key not in stored]
    changed = [(stored[key][0], key, figures) for key, figures in wanted.items()
               if key in stored and stored[key][1] != figures]
    if len(changed) > SCORE_ROWS_UPDATED_IN_PLACE:
        gone += [pk for pk, _key, _figures in changed]
        new += [key + figures for _pk, key, figures in changed]
        changed = []
    if gone:
        ScoreRow.objects.filter(pk__in=gone).delete()
    if changed:  # one UPDATE ... CASE statement
        figure_fields = SCORE_ROW_FIELDS[3:]
        ScoreRow.objects.bulk_update(
            [ScoreRow(pk=pk, **dict(zip(figure_fields, figures, strict=True)))
             for pk, _key, figures in changed],
            figure_fields,
        )
    insert_rows(ScoreRow, SCORE_ROW_FIELDS, new, assessment=assessment.pk)


# ---------------------------------------------------------------------------------------
# The one write path for answers: the capture page saves one (`response_save`), an offline
# device sends thousands in a batch (sync.services.sync_batch); both go through
# `responses_write`, under the same lock and the same rules.

# Ids per lookup and rows per INSERT/UPDATE: a batch of up to 10,000 answers is written in
# statements of bounded size on both databases (SQLite counts the parameters of a
# statement; an UPDATE ... CASE grows with rows x rows).
WRITE_CHUNK = 500


@dataclass(frozen=True)
class Change:
    """One answer sent by a client: value None is NA; `base_revision` is the revision the
    client last saw (0: it saw no answer); `client_id` makes a replay harmless."""

    client_id: uuid.UUID | None
    checkpoint_id: int
    value: Decimal | None
    remark: str
    base_revision: int


@dataclass(frozen=True)
class ChangeResult:
    """What became of one change: applied | unchanged | replayed | conflict | rejected.

    The figures are the answer as it stood right after this change (later changes of the
    same batch may move it on); `response` is the stored answer itself, None if there is
    none. On conflict nothing was written and they show the answer someone else saved."""

    client_id: uuid.UUID | None
    checkpoint_id: int
    status: str
    revision: int = 0
    value: Decimal | None = None
    remark: str = ""
    updated_by: str = ""
    message: str = ""
    response: Response | None = field(default=None, compare=False, repr=False)


def _result(change: Change, status: str, response: Response | None, message: str = ""
            ) -> ChangeResult:
    if response is None:
        return ChangeResult(change.client_id, change.checkpoint_id, status, message=message)
    return ChangeResult(
        change.client_id, change.checkpoint_id, status, response.revision, response.value,
        response.remark, response.updated_by.get_username() if response.updated_by else "",
        message, response,
    )


def assessment_lock(assessment: Assessment) -> None:
    """Lock the assessment's row until the transaction ends and re-read its status.

    Every writer of its answers, and submitting and reopening, takes this lock first, so
    they run one at a time per assessment: each rewrites the stored score rows, and two
    interleaved rescorings (PostgreSQL, READ COMMITTED) would collide on their unique
    constraint or leave figures missing the other's answers; a writer that locked answers
    before the assessment would deadlock with one that did the opposite; and the status
    read under the lock is the one that counts, so a write racing a submission lands
    before it or is refused. (SQLite ignores FOR UPDATE; its IMMEDIATE transactions,
    settings.base.sqlite_database, already serialise writers.)
    """
    assessment.status = (Assessment.objects.select_for_update()
                         .values_list("status", flat=True).get(pk=assessment.pk))


def _refuse_if_submitted(assessment: Assessment) -> None:
    if assessment.status == Assessment.Status.SUBMITTED:
        raise DomainError(_("This assessment has been submitted and can no longer be changed."))


def _check_answer(assessment: Assessment, checkpoint: Checkpoint, value: Decimal | None,
                  remark: str) -> None:
    levels = [Decimal(str(v)) for v in (checkpoint.levels or assessment.version.levels)]
    if value is None:
        if not checkpoint.na_allowed:
            raise DomainError(_("This checkpoint cannot be marked not applicable."))
        return
    if value not in levels:
        raise DomainError(_("%(value)s is not an allowed score here.") % {"value": value})
    if value < max(levels) and not remark.strip():
        raise DomainError(_("Write a remark: it is required for a score below full."))


def _chunks(items: list, size: int = WRITE_CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


@transaction.atomic
def responses_write(*, assessment: Assessment, changes: Sequence[Change], user,
                    source: str, checkpoints: Iterable[Checkpoint] = ()
                    ) -> list[ChangeResult]:
    """Apply answers to one assessment; each is applied, refused as a conflict, or
    rejected on its own, and the stored scores are rewritten once at the end.

    Under the assessment's lock (`assessment_lock`): a submitted assessment refuses the
    whole call (DomainError). Then, change by change: a client id seen before for the same
    checkpoint is a replay (nothing written, the current answer returned); one used for
    another checkpoint, or another assessment, is rejected; a checkpoint outside the
    checklist, a value outside its levels, an NA where none is allowed or a missing remark
    under full score is rejected; the same answer as stored is unchanged; a
    `base_revision` other than the stored one is a conflict (nothing overwritten). Every
    applied change is appended to the history. A constant number of queries per
    `WRITE_CHUNK` changes; the rescoring reads every answer once. `checkpoints` the
    caller already holds are not read again.
    """
    assessment_lock(assessment)
    _refuse_if_submitted(assessment)
    known = {cp.pk: cp for cp in checkpoints if cp.version_id == assessment.version_id}
    checkpoint_ids = list({c.checkpoint_id for c in changes})
    client_ids = list({c.client_id for c in changes if c.client_id is not None})
    current: dict[int, Response] = {}
    used: dict[uuid.UUID, tuple[int, int]] = {}
    for ids in _chunks(checkpoint_ids):
        missing = [pk for pk in ids if pk not in known]
        if missing:
            known.update(Checkpoint.objects.filter(version_id=assessment.version_id)
                         .in_bulk(missing))
        current.update((r.checkpoint_id, r) for r in Response.objects.select_related(
            "updated_by").filter(assessment=assessment, checkpoint_id__in=ids))
    for ids in _chunks(client_ids):
        used.update((client, (assessment_id, checkpoint_id))
                    for client, assessment_id, checkpoint_id in ResponseChange.objects.filter(
                        client_id__in=ids).values_list(
                            "client_id", "response__assessment_id", "response__checkpoint_id"))

    results, new, updated, history = [], [], {}, []
    for change in changes:
        response = current.get(change.checkpoint_id)
        if change.client_id is not None:
            before = used.get(change.client_id)
            if before == (assessment.pk, change.checkpoint_id):
                results.append(_result(change, "replayed", response))
                continue
            if before is not None:
                # Never answer with another checkpoint's (or assessment's) response: the
                # client would take an unsaved answer for a saved one.
                results.append(_result(change, "rejected", None, _(
                    "This request was already used for another answer; reload the page.")))
                continue
            used[change.client_id] = (assessment.pk, change.checkpoint_id)
        checkpoint = known.get(change.checkpoint_id)
        remark = change.remark.strip()
        try:
            if checkpoint is None:
                raise DomainError(_("This checkpoint is not part of the assessment's "
                                    "checklist."))
            _check_answer(assessment, checkpoint, change.value, remark)
        except DomainError as exc:
            results.append(_result(change, "rejected", response, str(exc)))
            continue
        if response is None:
            if change.base_revision != 0:
                results.append(_result(change, "rejected", None, _(
                    "The answer you changed no longer exists; reload the page.")))
                continue
            response = Response(assessment=assessment, checkpoint=checkpoint,
                                value=change.value, remark=remark, revision=1, updated_by=user)
            current[change.checkpoint_id] = response
            new.append(response)
            history.append(ResponseChange(
                response=response, user=user, revision=1, had_old=False,
                new_value=change.value, new_remark=remark, source=source,
                client_id=change.client_id))
            results.append(_result(change, "applied", response))
            continue
        if response.value == change.value and response.remark == remark:
            results.append(_result(change, "unchanged", response))
            continue
        if response.revision != change.base_revision:
            results.append(_result(change, "conflict", response))
            continue
        history.append(ResponseChange(
            response=response, user=user, revision=response.revision + 1,
            old_value=response.value, new_value=change.value, old_remark=response.remark,
            new_remark=remark, source=source, client_id=change.client_id))
        response.value, response.remark = change.value, remark
        response.revision += 1
        response.updated_by = user
        response.updated_at = timezone.now()  # bulk_update skips auto_now
        if response.pk is not None:
            updated[response.pk] = response
        results.append(_result(change, "applied", response))

    if not history:
        return results
    Response.objects.bulk_create(new, batch_size=WRITE_CHUNK)
    Response.objects.bulk_update(list(updated.values()),
                                 ["value", "remark", "revision", "updated_by", "updated_at"],
                                 batch_size=WRITE_CHUNK)
    for item in history:
        item.response_id = item.response.pk  # new responses got their keys just above
    try:
        with transaction.atomic():
            ResponseChange.objects.bulk_create(history, batch_size=WRITE_CHUNK)
    except IntegrityError:
        # A client id being used at this moment by a write to another assessment (which
        # holds another lock): refuse the whole call rather than fail.
        raise DomainError(_("This request was already used for another answer; "
                            "reload the page.")) from None
    if assessment.status == Assessment.Status.DRAFT:
        assessment.status = Assessment.Status.IN_PROGRESS
        assessment.save(update_fields=["status", "updated_at"])
    assessment_rescore(assessment=assessment)
    return results


@dataclass(frozen=True)
class SaveResult:
    """What became of one answer. On conflict nothing was written and `response` holds
    the answer someone else saved since the client last looked."""

    response: Response
    conflict: bool = False
    replayed: bool = False
    changed: bool = True


def response_save(
    *,
    assessment: Assessment,
    checkpoint: Checkpoint,
    value: Decimal | None,
    remark: str,
    base_revision: int,
    user,
    client_id: uuid.UUID | None = None,
    source: str = "web",
) -> SaveResult:
    """Save one answer (value None = NA) if nobody changed it since `base_revision`:
    `responses_write` with one change. A refused answer raises DomainError with the
    reason; a stale one comes back as a conflict with the current answer; a request
    replayed with the same `client_id` changes nothing and answers the same."""
    (result,) = responses_write(
        assessment=assessment, user=user, source=source, checkpoints=[checkpoint],
        changes=[Change(client_id, checkpoint.pk, value, remark, base_revision)])
    if result.status == "rejected":
        raise DomainError(result.message)
    assert result.response is not None  # every other status has a stored answer
    return SaveResult(response=result.response, conflict=result.status == "conflict",
                      replayed=result.status == "replayed",
                      changed=result.status == "applied")


def unanswered_by_department(assessment: Assessment) -> list[tuple[str, int]]:
    """(department, checkpoints without an answer) for each department with any, in
    checklist order; two queries."""
    from django.db.models import Count

    answered = dict(Response.objects.filter(assessment=assessment).order_by()
                    .values_list("checkpoint__department_id")
                    .annotate(n=Count("id")).values_list("checkpoint__department_id", "n"))
    totals = (Checkpoint.objects.filter(version_id=assessment.version_id).order_by()
              .values_list("department_id", "department__name", "department__order")
              .annotate(n=Count("id")))
    found = sorted((order, name, total - answered.get(pk, 0))
                   for pk, name, order, total in totals)
    return [(name, missing) for _order, name, missing in found if missing > 0]


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user,
                      unanswered_confirmed: bool = False) -> Assessment:
    """Lock an assessment: later edits are refused until a state admin reopens it.

    An assessment with unanswered checkpoints is submitted only when the person confirmed
    it (`unanswered_confirmed`): its verdict is then provisional, and it counts.
    """
    assessment_lock(assessment)  # a batch being written finishes first, then is refused
    if assessment.status == Assessment.Status.SUBMITTED:
        raise DomainError(_("This assessment has already been submitted."))
    if not unanswered_confirmed:
        missing = sum(n for _name, n in unanswered_by_department(assessment))
        if missing:
            raise DomainError(ngettext(
                "%(count)d checkpoint is unanswered. Tick the box to confirm that you "
                "submit it unanswered, or answer it first.",
                "%(count)d checkpoints are unanswered. Tick the box to confirm that you "
                "submit them unanswered, or answer them first.", missing) % {"count": missing})
    assessment.status = Assessment.Status.SUBMITTED
    assessment.save(update_fields=["status", "updated_at"])
    AssessmentEvent.objects.create(assessment=assessment, kind=AssessmentEvent.Kind.SUBMITTED,
                                   user=user)
    assessment_submitted.send(sender=Assessment, assessment=assessment, user=user)
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, user, reason: str) -> Assessment:
    """Reopen a submitted assessment; the reason is kept with who and when.

    Whether `user` may reopen is decided by accounts.access before this is called.
    """
    assessment_lock(assessment)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise DomainError(_("Only a submitted assessment can be reopened."))
    if not reason.strip():
        raise DomainError(_("Give the reason for reopening."))
    assessment.status = Assessment.Status.IN_PROGRESS
    assessment.save(update_fields=["status", "updated_at"])
    AssessmentEvent.objects.create(assessment=assessment, kind=AssessmentEvent.Kind.REOPENED,
                                   user=user, reason=reason.strip())
    assessment_reopened.send(sender=Assessment, assessment=assessment, user=user)
    return assessment


# ---------------------------------------------------------------------------------------
# Opening assessments from the web pages and assigning their departments to assessors
# (used by views/manage.py). Kept together: other blocks of this module belong to others.
# Imports are local so this block stays one piece.

# Roles that may be given departments to score. A read-only viewer may not; everyone else
# holding one of these over a scope that covers the facility may, because that same
# membership is what lets them open the assessment at all.
ASSESSOR_ROLES = (
    "assessor",
    "facility_quality_team",
    "district_quality_unit",
    "state_quality_unit",
)


def checklist_versions_for(*, facility: Facility):
    """The checklist versions an assessment of `facility` may use: published, of the
    facility's type, and national or the variant of the facility's own state."""
    from django.db.models import Q

    return (
        ChecklistVersion.objects.filter(
            status=ChecklistVersion.Status.PUBLISHED, facility_type=facility.facility_type)
        .filter(Q(state_variant__isnull=True) | Q(state_variant__districts=facility.district_id))
        .select_related("tool", "state_variant")
        .order_by("tool__code", "-created_at", "-id")
    )


def eligible_assessors(*, facility: Facility, assessment: Assessment | None = None):
    """Active people who may be assigned departments of an assessment of `facility`: they
    hold an assessor, quality-team or quality-unit membership whose scope covers it; and,
    given the `assessment`, the assessor rules in force let them score it (the register
    and the rules of srishti.programme.eligibility)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from srishti.accounts.models import Membership

    covering = Membership.objects.filter(role__in=ASSESSOR_ROLES).filter(
        Q(facility_id=facility.pk) | Q(district_id=facility.district_id)
        | Q(state__districts=facility.district_id)
    )
    people = (get_user_model().objects.filter(is_active=True,
                                              id__in=covering.values("user_id"))
              .order_by("first_name", "last_name", "username"))
    if assessment is None:
        return people
    from srishti.programme.eligibility import eligible_user_ids

    ids = eligible_user_ids(assessment=assessment,
                            user_ids=list(people.values_list("id", flat=True)))
    return people.filter(id__in=ids)


def assessment_get_or_create(
    *,
    facility: Facility,
    version: ChecklistVersion,
    kind: str = Assessment.Kind.INTERNAL,
    start_date: dt.date,
    end_date: dt.date | None = None,
    series: str = "",
) -> tuple[Assessment, bool]:
    """Open an assessment unless an identical one (facility, checklist, type, start date,
    series) exists; returns it and whether it was created.

    This is what makes the "new assessment" form safe to submit twice: the facility row is
    locked (on SQLite the IMMEDIATE transaction already serialises writers), so two posts
    of the same form yield one assessment.
    """
    if not checklist_versions_for(facility=facility).filter(pk=version.pk).exists():
        raise DomainError(_("This checklist cannot be used for this facility: it must be "
                            "published, of the facility's type, and national or of its "
                            "state."))
    series = series.strip()
    with transaction.atomic():
        Facility.objects.select_for_update().filter(pk=facility.pk).first()
        existing = (Assessment.objects.filter(
            facility=facility, version=version, kind=kind, start_date=start_date, series=series)
            .order_by("id").first())
        if existing is not None:
            return existing, False
        return assessment_create(facility=facility, version=version, kind=kind,
                                 start_date=start_date, end_date=end_date, series=series), True


def _assignments_write(assessment: Assessment, wanted: dict[int, set[int]]) -> tuple[int, int]:
    """Make the assignments of the departments in `wanted` exactly those given."""
    from django.db.models import Q

    from .models import Assignment

    if assessment.status == Assessment.Status.SUBMITTED:
        raise DomainError(_("This assessment has been submitted; reopen it before changing "
                            "who scores which department."))
    known = set(assessment.version.departments.values_list("id", flat=True))
    if set(wanted) - known:
        raise DomainError(_("A department is not part of this assessment's checklist."))
    people = set().union(*wanted.values()) if wanted else set()
    eligible = set(eligible_assessors(facility=assessment.facility, assessment=assessment)
                   .filter(id__in=people).values_list("id", flat=True))
    if people - eligible:
        raise DomainError(_("Only people with an assessor or quality role over this facility "
                            "who meet the assessor rules can be assigned."))
    current = set(Assignment.objects.filter(assessment=assessment, department_id__in=wanted)
                  .values_list("department_id", "assessor_id"))
    target = {(dep, person) for dep, persons in wanted.items() for person in persons}
    removed = current - target
    if removed:
        gone = Q(pk__in=[])
        for dep, person in removed:
            gone |= Q(department_id=dep, assessor_id=person)
        Assignment.objects.filter(gone, assessment=assessment).delete()
    Assignment.objects.bulk_create(
        [Assignment(assessment=assessment, department_id=dep, assessor_id=person)
         for dep, person in sorted(target - current)])
    return len(target - current), len(removed)


@transaction.atomic
def assignment_set(*, assessment: Assessment, department_id: int,
                   assessor_ids: Iterable[int]) -> tuple[int, int]:
    """Make exactly these people the assessors of one department; (added, removed)."""
    return _assignments_write(assessment, {department_id: set(assessor_ids)})


@transaction.atomic
def assignments_replace(*, assessment: Assessment,
                        assessors_by_department: dict[int, Iterable[int]]) -> tuple[int, int]:
    """Set who scores every department at once: a department left out of the mapping
    loses its assessors. Returns (added, removed)."""
    departments = assessment.version.departments.values_list("id", flat=True)
    wanted = {dep: set(assessors_by_department.get(dep, ())) for dep in departments}
    unknown = set(assessors_by_department) - set(wanted)
    if unknown:
        raise DomainError(_("A department is not part of this assessment's checklist."))
    return _assignments_write(assessment, wanted)
