"""Reads for the programme pages: the staff directory, trainings, the assessor register
and assessor workload. Every selector takes the requesting user and answers only about
what accounts.access lets them see (404 for a single object out of scope), in a fixed
number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import ExtractMonth

from srishti.accounts import access
from srishti.assessments.models import Assignment
from srishti.checklists.models import Department, Tool
from srishti.geography.models import District, State

from .models import Assessor, Attendance, AttendanceStatus, StaffMember, Training

# --- the staff directory -------------------------------------------------------------------


def staff_list(*, user, district_id: int | None = None, role: str = "", search: str = "",
               include_former: bool = False) -> QuerySet[StaffMember]:
    """The directory as the user sees it, filtered; each with `last_trained` (the end
    date of the last training they attended)."""
    qs = (access.visible_staff(user)
          .select_related("district", "facility", "account", "assessor")
          .annotate(last_trained=Max("attendance__training__end_date",
                                     filter=Q(attendance__status=AttendanceStatus.ATTENDED)))
          .order_by("name", "id"))
    if district_id:
        qs = qs.filter(district_id=district_id)
    if role:
        qs = qs.filter(role=role)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(name_hi__icontains=search)
                       | Q(facility__name__icontains=search))
    if not include_former:
        qs = qs.filter(active=True)
    return qs


def staff_districts(*, user) -> list[District]:
    """The districts of the directory's district filter."""
    return list(access.visible_districts(user).order_by("name"))


@dataclass
class StaffPage:
    staff: StaffMember
    attendance: list[Attendance]
    assessor: Assessor | None
    can_manage: bool


def staff_get(*, user, pk: int) -> StaffMember:
    return access.get_visible_or_404(
        access.visible_staff(user).select_related("state", "district", "facility__district",
                                                   "account"), pk=pk)


def staff_page(*, user, pk: int) -> StaffPage:
    """A person of the directory: their trainings (those the user sees), their assessor
    entry, and whether the user may change them."""
    staff = staff_get(user=user, pk=pk)
    attendance = list(Attendance.objects.filter(
        staff=staff, training__in=access.visible_trainings(user))
        .select_related("training").order_by("-training__start_date"))
    assessor = (Assessor.objects.filter(staff=staff).prefetch_related("tools").first())
    return StaffPage(staff, attendance, assessor, access.can_manage_staff(user, staff.place))


def linkable_accounts(*, user, staff: StaffMember | None = None):
    """Log-in accounts the user manages that no other staff member is linked to."""
    taken = StaffMember.objects.filter(account__isnull=False)
    if staff is not None:
        taken = taken.exclude(pk=staff.pk)
    return (access.visible_people(user).exclude(pk__in=taken.values("account_id"))
            .order_by("first_name", "last_name", "username"))


# --- trainings -----------------------------------------------------------------------------

def training_list(*, user) -> list[Training]:
    """Trainings the user sees, newest first, with their invited and attended counts."""
    return list(access.visible_trainings(user)
                .select_related("state", "district")
                .annotate(invited=Count("attendance"),
                          attended=Count("attendance", filter=Q(
                              attendance__status=AttendanceStatus.ATTENDED)))
                .order_by("-start_date", "-id"))


def training_get(*, user, pk: int) -> Training:
    return access.get_visible_or_404(
        access.visible_trainings(user).select_related("state", "district"), pk=pk)


@dataclass
class TrainingPage:
    training: Training
    rows: list[Attendance]  # the attendance of people the user sees
    hidden: int  # people on the list the user does not see (from elsewhere)
    can_organise: bool
    tools: list[Tool] = field(default_factory=list)

    @property
    def attended(self) -> int:
        return sum(1 for r in self.rows if r.status == AttendanceStatus.ATTENDED)

    @property
    def scores(self) -> list[float]:
        return [float(r.post_test_score) for r in self.rows if r.post_test_score is not None]

    @property
    def mean_score(self) -> float | None:
        scores = self.scores
        return sum(scores) / len(scores) if scores else None


def training_attendance(*, user, training: Training) -> list[Attendance]:
    """The attendance rows of people the user sees, by name."""
    return list(Attendance.objects.filter(training=training,
                                          staff__in=access.visible_staff(user))
                .select_related("staff__district", "staff__facility", "training")
                .order_by("staff__name", "id"))


def training_page(*, user, pk: int) -> TrainingPage:
    """A training the user sees (404 otherwise) with the attendance they may see."""
    training = training_get(user=user, pk=pk)
    rows = training_attendance(user=user, training=training)
    total = Attendance.objects.filter(training=training).count()
    return TrainingPage(training, rows, total - len(rows),
                        access.can_organise(user, training.scope),
                        list(training.tools.order_by("code")))


def organisable_scopes(*, user) -> list[tuple[str, str]]:
    """("state:<id>" | "district:<id>", name) of every scope the user may organise
    trainings and campaigns for; states first."""
    districts = list(access.visible_districts(user).select_related("state")
                     .order_by("state__name", "name"))
    states = sorted({d.state_id: d.state for d in districts}.values(), key=lambda s: s.name)
    return ([(f"state:{s.pk}", s.name) for s in states if access.can_organise(user, s)]
            + [(f"district:{d.pk}", d.name) for d in districts
               if access.can_organise(user, d)])


def scope_from_choice(value: str):
    """The State or District of an `organisable_scopes` choice (None if unknown)."""
    kind, _sep, pk = value.partition(":")
    model = {"state": State, "district": District}.get(kind)
    if model is None or not pk.isdigit():
        return None
    return model.objects.filter(pk=int(pk)).first()


def department_names() -> list[str]:
    """Names of the departments of published checklists, for a training's topics."""
    return sorted(set(Department.objects.filter(version__status="published")
                      .values_list("name", flat=True)))


def invitable_staff(*, user, training: Training, district_id: int | None = None):
    """People the user sees within the training's scope, not yet on its list."""
    qs = access.visible_staff(user).filter(active=True).exclude(
        attendance__training=training)
    if training.district_id:
        qs = qs.filter(district_id=training.district_id)
    else:
        qs = qs.filter(state_id=training.state_id)
    if district_id:
        qs = qs.filter(district_id=district_id)
    return qs.select_related("district", "facility").order_by("name")


# --- the assessor register ---------------------------------------------------------------

def assessor_list(*, user, level: str = "", tool_id: int | None = None,
                  district_id: int | None = None) -> list[Assessor]:
    qs = (access.visible_assessors(user)
          .select_related("staff__district", "staff__facility", "staff__account")
          .prefetch_related("tools").order_by("staff__name", "id"))
    if level:
        qs = qs.filter(level=level)
    if tool_id:
        qs = qs.filter(tools=tool_id)
    if district_id:
        qs = qs.filter(staff__district_id=district_id)
    return list(qs)


@dataclass
class WorkloadRow:
    assessor: Assessor
    months: list[tuple[int, int]]  # (assessments, departments) per month, January first
    assessments: int = 0
    departments: int = 0


@dataclass
class Workload:
    year: int
    rows: list[WorkloadRow]
    busiest: int  # the most assessments any assessor has in one month


def assessor_workload(*, user, year: int) -> Workload:
    """Per assessor the user sees, per month of `year`: how many assessments (by start
    date) they were given departments of, and how many departments. Three queries."""
    entries = assessor_list(user=user)
    accounts = {e.staff.account_id: e for e in entries if e.staff.account_id}
    counts = (Assignment.objects.filter(assessor_id__in=list(accounts),
                                        assessment__start_date__year=year)
              .annotate(month=ExtractMonth("assessment__start_date"))
              .values("assessor_id", "month")
              .annotate(assessments=Count("assessment_id", distinct=True),
                        departments=Count("id"))
              .order_by())
    grid: dict[int, list[tuple[int, int]]] = {}
    for c in counts:
        months = grid.setdefault(c["assessor_id"], [(0, 0)] * 12)
        months[c["month"] - 1] = (c["assessments"], c["departments"])
    rows, busiest = [], 0
    for e in entries:
        months = grid.get(e.staff.account_id, [(0, 0)] * 12) if e.staff.account_id else []
        row = WorkloadRow(e, months, sum(a for a, _d in months), sum(d for _a, d in months))
        busiest = max([busiest, *(a for a, _d in months)])
        rows.append(row)
    rows.sort(key=lambda r: (-r.assessments, r.assessor.staff.name.casefold()))
    return Workload(year, rows, busiest)


def workload_years(*, today: dt.date) -> list[int]:
    """The years the workload page offers: from the first assessment to this year."""
    from srishti.assessments.models import Assessment

    first = Assessment.objects.order_by("start_date").values_list("start_date", flat=True)
    start = first[0].year if first else today.year
    return list(range(today.year, start - 1, -1))
