"""Reads of action plans for pages and exports: scoped to the requesting user (through
accounts.access), each in a fixed number of queries whatever the number of items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srishti.accounts.access import (
    can_verify_action,
    can_work_on_actions,
    get_visible_or_404,
    visible_action_items,
    visible_facilities,
)
from srishti.assessments.models import Assessment, Response
from srishti.assessments.selectors import assessment_gaps, assessment_get

from .models import ActionItem, ActionStatus, Evidence
from .services import TRANSITIONS

S = ActionStatus
IST = ZoneInfo("Asia/Kolkata")
# The status filter of the action plan page: "" is everything.
STATUS_FILTERS = ("", S.OPEN, S.IN_PROGRESS, S.DONE, S.VERIFIED, "overdue")


def today_ist() -> dt.date:
    """Today's date in India, whatever zone the server runs in: an item due today is
    overdue from tomorrow morning in India, not from 05:30 IST."""
    return timezone.localdate(timezone=IST)


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """Items past their due date and not yet done (through `prefix`, e.g. "action_items__")."""
    return Q(**{f"{prefix}due_date__lt": today, f"{prefix}status__in": ActionItem.PENDING})


def with_overdue(items: QuerySet[ActionItem], today: dt.date) -> QuerySet[ActionItem]:
    """Annotate each item with `overdue` (a boolean computed by the database)."""
    return items.annotate(overdue=Case(When(overdue_q(today), then=Value(True)),
                                       default=Value(False), output_field=BooleanField()))


def _response_value(assessment_ref: str = "assessment_id") -> Subquery:
    return Subquery(Response.objects.filter(
        assessment_id=OuterRef(assessment_ref), checkpoint_id=OuterRef("checkpoint_id"),
    ).values("value")[:1])


def _evidence_count() -> Coalesce:
    counts = (Evidence.objects.filter(action_item=OuterRef("pk")).order_by()
              .values("action_item").annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def status_choices(item: ActionItem, *, can_work: bool) -> list[tuple[str, str]]:
    """The statuses offered in an item's inline status menu, current one first.

    Verifying needs a remark, so it is done in the verification form, never inline; a
    verified item is changed only by taking the verification back in that form.
    """
    if not can_work or item.status == S.VERIFIED:
        return []
    allowed = TRANSITIONS[item.status] - {S.VERIFIED}
    return [(s.value, s.label) for s in S if s == item.status or s in allowed]


@dataclass
class ActionRow:
    item: ActionItem
    choices: list[tuple[str, str]]
    today: dt.date

    @property
    def days_overdue(self) -> int:
        return (self.today - self.item.due_date).days if self.item.overdue else 0


@dataclass
class StatusCounts:
    total: int = 0
    open: int = 0
    in_progress: int = 0
    done: int = 0
    verified: int = 0
    overdue: int = 0


class Outcome(models.TextChoices):
    IMPROVED = "improved", _("Improved")
    SAME = "same", _("Same")
    WORSE = "worse", _("Worse")
    # No answer in the later assessment, or not applicable there: nothing to compare.
    NOT_ANSWERED = "not_answered", _("Not answered")


@dataclass
class ImprovementRow:
    item: ActionItem
    then: Decimal | None
    now: Decimal | None
    outcome: str

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)


@dataclass
class SinceSection:
    previous: Assessment
    rows: list[ImprovementRow]
    tally: dict[str, int] = field(default_factory=dict)


@dataclass
class ActionPlanPage:
    assessment: Assessment
    rows: list[ActionRow]
    counts: StatusCounts  # of the department chosen (or all), whatever the status filter
    status: str
    can_work: bool
    can_verify: bool
    today: dt.date
    since: SinceSection | None = None
    department_id: int = 0
    departments: list[tuple[int, str]] = field(default_factory=list)
    page_number: int = 1
    num_pages: int = 1

    @property
    def shown_total(self) -> int:
        """How many items the filters select (over all pages)."""
        return getattr(self.counts, self.status) if self.status else self.counts.total


def _outcome(then: Decimal | None, now: Decimal | None) -> str:
    if then is None or now is None:
        return Outcome.NOT_ANSWERED
    if now > then:
        return Outcome.IMPROVED
    if now < then:
        return Outcome.WORSE
    return Outcome.SAME


def improvement_since(previous: Assessment, next: Assessment) -> list[ImprovementRow]:  # noqa: A002
    """For each action item of `previous`, its checkpoint's score then and in `next`.

    One query. The caller has checked that the user may see both assessments. When the
    two use different checklist versions the checkpoint is matched by department name
    and checkpoint text, which is how a revised checklist keeps an unchanged checkpoint.
    """
    if previous.version_id == next.version_id:
        later = Response.objects.filter(assessment_id=next.pk,
                                        checkpoint_id=OuterRef("checkpoint_id"))
    else:
        later = Response.objects.filter(
            assessment_id=next.pk,
            checkpoint__department__name=OuterRef("checkpoint__department__name"),
            checkpoint__text=OuterRef("checkpoint__text"))
    items = (ActionItem.objects.filter(assessment_id=previous.pk)
             .select_related("checkpoint__department", "checkpoint__standard")
             .annotate(then_value=_response_value(), now_value=Subquery(later.values("value")[:1]))
             .order_by("checkpoint__order", "id"))
    return [ImprovementRow(item, item.then_value, item.now_value,
                           _outcome(item.then_value, item.now_value)) for item in items]


def previous_assessment_with_actions(assessment: Assessment) -> Assessment | None:
    """The facility's latest earlier assessment with the same tool that has action items
    (one query); its action items are what `assessment` can show progress on."""
    return (Assessment.objects
            .filter(facility_id=assessment.facility_id,
                    version__tool_id=assessment.version.tool_id)
            .filter(Q(start_date__lt=assessment.start_date)
                    | Q(start_date=assessment.start_date, id__lt=assessment.pk))
            .filter(Exists(ActionItem.objects.filter(assessment=OuterRef("pk"))))
            .select_related("version")
            .order_by("-start_date", "-id").first())


def since_last(assessment: Assessment) -> SinceSection | None:
    """The "since the last assessment" section for an assessment (two queries)."""
    previous = previous_assessment_with_actions(assessment)
    if previous is None:
        return None
    rows = improvement_since(previous, assessment)
    tally = {o.value: 0 for o in Outcome}
    for row in rows:
        tally[row.outcome] += 1
    return SinceSection(previous, rows, tally)


def plan_items(assessment: Assessment, *, status: str = "", today: dt.date | None = None,
               department_id: int = 0) -> QuerySet[ActionItem]:
    """The action items of an assessment the caller may see, in checklist order, with
    everything a row shows: gap text and codes, the score, evidence count, `overdue`."""
    today = today or today_ist()
    items = with_overdue(
        ActionItem.objects.filter(assessment_id=assessment.pk), today,
    ).select_related(
        "checkpoint__department", "checkpoint__standard__area", "checkpoint__measurable_element",
        "responsible_user", "verified_by",
    ).annotate(
        gap_value=_response_value(), evidence_count=_evidence_count(),
    ).order_by("checkpoint__order", "id")
    if department_id:
        items = items.filter(checkpoint__department_id=department_id)
    if status == "overdue":
        items = items.filter(overdue_q(today))
    elif status in S.values:
        items = items.filter(status=status)
    return items


def status_counts(items: QuerySet[ActionItem], today: dt.date) -> StatusCounts:
    """How many items are in each status and overdue (one query)."""
    figures = items.aggregate(
        total=Count("id"),
        **{s.value: Count("id", filter=Q(status=s)) for s in S},
        overdue=Count("id", filter=overdue_q(today)),
    )
    return StatusCounts(**figures)


PLAN_PAGE_SIZE = 100


def action_plan(*, user, pk: int, status: str = "", department_id: int = 0,
                page: int | None = 1, page_size: int = PLAN_PAGE_SIZE) -> ActionPlanPage:
    """The action plan of an assessment the user may see (404 otherwise), filtered by
    status ("" for all, a status, or "overdue") and department (0 for all), one page of
    rows at a time (`page=None`: every row, for exports), with the section on progress
    since the facility's previous assessment that had an action plan."""
    assessment = assessment_get(user=user, pk=pk)
    today = today_ist()
    status = status if status in STATUS_FILTERS else ""
    departments = list(assessment.version.departments.order_by("order")
                       .values_list("id", "name"))
    if department_id not in {d for d, _name in departments}:
        department_id = 0
    can_work = can_work_on_actions(user, assessment.facility)
    can_verify = _can_verify_at(user, assessment)
    everything = ActionItem.objects.filter(assessment_id=assessment.pk)
    if department_id:
        everything = everything.filter(checkpoint__department_id=department_id)
    counts = status_counts(everything, today)
    items = plan_items(assessment, status=status, today=today, department_id=department_id)
    plan = ActionPlanPage(assessment, [], counts, status, can_work, can_verify, today,
                          since_last(assessment), department_id, departments)
    if page is not None:
        # The counts already say how many rows match: no separate COUNT for the pager.
        plan.num_pages = max(1, -(-plan.shown_total // page_size))
        plan.page_number = min(max(page, 1), plan.num_pages)
        start = (plan.page_number - 1) * page_size
        items = items[start:start + page_size]
    plan.rows = [ActionRow(item, status_choices(item, can_work=can_work), today)
                 for item in items]
    return plan


def _can_verify_at(user, assessment: Assessment) -> bool:
    # Verification rights depend on the facility and the assessment only, so an unsaved
    # item of the assessment stands for all of its items.
    return can_verify_action(user, ActionItem(facility=assessment.facility,
                                              assessment=assessment))


def action_row(*, user, item: ActionItem) -> ActionRow:
    """One row of the action plan, re-read after an inline change."""
    today = today_ist()
    fresh = plan_items(item.assessment, today=today).get(pk=item.pk)
    fresh.facility = item.facility
    return ActionRow(fresh, status_choices(fresh, can_work=can_work_on_actions(user,
                                                                                item.facility)),
                     today)


def action_item_get(*, user, pk: int) -> ActionItem:
    """An action item the user may see (404 otherwise), with its assessment, facility and
    checkpoint, annotated with `overdue`."""
    return get_visible_or_404(
        with_overdue(visible_action_items(user), today_ist()).select_related(
            "assessment__facility__district", "assessment__version", "facility__district",
            "checkpoint__department", "checkpoint__standard__area",
            "checkpoint__measurable_element", "responsible_user", "verified_by", "created_by",
        ).annotate(gap_value=_response_value()),
        pk=pk,
    )


@dataclass
class ItemPage:
    item: ActionItem
    remark: str  # the assessor's remark on the gap
    evidence: list[Evidence]
    can_work: bool
    can_verify: bool
    choices: list[tuple[str, str]]
    people: list  # who may be named responsible: users whose scope covers the facility
    today: dt.date


def action_item_page(*, user, pk: int) -> ItemPage:
    """An action item with its evidence, for its own page (a fixed few queries)."""
    item = action_item_get(user=user, pk=pk)
    remark = (Response.objects.filter(assessment_id=item.assessment_id,
                                      checkpoint_id=item.checkpoint_id)
              .values_list("remark", flat=True).first() or "")
    evidence = list(item.evidence.select_related("uploaded_by"))
    can_work = can_work_on_actions(user, item.facility)
    can_verify = can_verify_action(user, item)
    return ItemPage(item, remark, evidence, can_work, can_verify,
                    status_choices(item, can_work=can_work), facility_people(item.facility),
                    today_ist())


def facility_people(facility) -> list:
    """Who can be named responsible for a facility's action items: active users with a
    membership over the facility or its district (one query; the state level is left
    out to keep the list short)."""
    from srishti.accounts.models import User

    return list(User.objects.filter(is_active=True).filter(
        Q(memberships__facility_id=facility.pk)
        | Q(memberships__district_id=facility.district_id)).distinct().order_by("username"))


def evidence_get(*, user, pk: int) -> Evidence:
    """An evidence file's record, if the user may see its facility (404 otherwise)."""
    return get_visible_or_404(
        Evidence.objects.filter(action_item__in=visible_action_items(user)), pk=pk)


@dataclass
class GapPreview:
    total: int  # gaps matching the filters
    planned: int  # of which already have an action item
    sample: list[dict]

    @property
    def to_create(self) -> int:
        return self.total - self.planned


def gaps_to_plan(*, assessment: Assessment, department_id: int | None = None,
                 area: str = "", standard: str = "", sample: int = 10) -> GapPreview:
    """What bulk creation would do with these filters: counts and the first gaps (two
    queries). The caller has checked that the user may see the assessment."""
    gaps = assessment_gaps(assessment=assessment, department_id=department_id, area=area,
                           standard=standard)
    planned = ActionItem.objects.filter(assessment_id=assessment.pk).values("checkpoint_id")
    figures = gaps.aggregate(total=Count("id"),
                             planned=Count("id", filter=Q(checkpoint_id__in=planned)))
    return GapPreview(figures["total"], figures["planned"], list(gaps[:sample]))


def facility_open_items(*, user, facility_pk: int) -> QuerySet[ActionItem]:
    """The open and in-progress action items of a facility the user may see, across its
    assessments, soonest due first (undated last), annotated with `overdue`."""
    items = visible_action_items(user).filter(facility_id=facility_pk,
                                              status__in=ActionItem.PENDING)
    return with_overdue(items, today_ist()).select_related(
        "assessment", "checkpoint__department", "checkpoint__standard",
        "responsible_user",
    ).order_by(models.F("due_date").asc(nulls_last=True), "assessment_id", "checkpoint__order")


def action_item_counts(*, user, district_id: int | None = None,
                       facility_id: int | None = None, division_id: int | None = None,
                       block_id: int | None = None) -> StatusCounts:
    """Counts of action items by status and overdue over everything the user may see,
    or one division, district, block or facility of it (one query; for dashboards)."""
    items = visible_action_items(user)
    if district_id:
        items = items.filter(facility__district_id=district_id)
    if division_id:
        items = items.filter(facility__district__division_id=division_id)
    if block_id:
        items = items.filter(facility__block_id=block_id)
    if facility_id:
        items = items.filter(facility_id=facility_id)
    return status_counts(items, today_ist())


def facility_get(*, user, pk: int):
    """A facility the user may see (404 otherwise)."""
    return get_visible_or_404(visible_facilities(user).select_related("district"), pk=pk)


# ---------------------------------------------------------------------------------------
# The work list: every action item of the user's scope, across facilities.

# Status filters of the work list: "" is what is still to do (open and in progress).
WORK_STATUSES = ("", S.OPEN, S.IN_PROGRESS, S.DONE, S.VERIFIED, "all")


@dataclass
class WorkListFilters:
    district: int = 0
    facility: int = 0
    owner: int = 0  # the responsible user's id
    status: str = ""
    overdue: bool = False

    def as_params(self) -> dict:
        """The filters as plain values (for a query string or a background job)."""
        return {k: v for k, v in self.__dict__.items() if v}


@dataclass
class WorkListChoices:
    districts: list[tuple[int, str]]
    facilities: list[tuple[int, str]]
    owners: list[tuple[int, str]]


def work_list(*, user, filters: WorkListFilters, today: dt.date | None = None
              ) -> QuerySet[ActionItem]:
    """The action items of every facility the user may see (an assessor: of the assigned
    assessments), filtered, overdue first then soonest due, annotated with `overdue`.
    One query for a page whatever its length."""
    today = today or today_ist()
    items = visible_action_items(user)
    f = filters
    if f.district:
        items = items.filter(facility__district_id=f.district)
    if f.facility:
        items = items.filter(facility_id=f.facility)
    if f.owner:
        items = items.filter(responsible_user_id=f.owner)
    if f.status == "":
        items = items.filter(status__in=ActionItem.PENDING)
    elif f.status != "all":
        items = items.filter(status=f.status)
    if f.overdue:
        items = items.filter(overdue_q(today))
    return with_overdue(items, today).select_related(
        "facility__district", "assessment__version__tool", "checkpoint__department",
        "checkpoint__standard", "responsible_user",
    ).order_by("-overdue", models.F("due_date").asc(nulls_last=True), "facility__name",
               "assessment_id", "checkpoint__order")


def work_list_choices(*, user, district: int = 0) -> WorkListChoices:
    """What the work list can be filtered by, from the items the user sees (3 queries):
    districts, facilities (of the chosen district when one is), responsible people."""
    from srishti.accounts.models import User
    from srishti.geography.models import District, Facility

    items = visible_action_items(user)
    in_district = items.filter(facility__district_id=district) if district else items
    owners = User.objects.filter(pk__in=items.values("responsible_user_id")).order_by(
        "first_name", "username")
    return WorkListChoices(
        list(District.objects.filter(pk__in=items.values("facility__district_id"))
             .order_by("name").values_list("id", "name")),
        list(Facility.objects.filter(pk__in=in_district.values("facility_id"))
             .order_by("name").values_list("id", "name")[:300]),
        [(u.pk, u.get_full_name() or u.username) for u in owners],
    )
