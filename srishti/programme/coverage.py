"""Training coverage: for each district and facility, whether the holders of the key
posts (KeyRole) are trained, since when, and who is overdue for a refresher.

A person counts as trained from the last day of the last training they attended; a
refresher falls due `refresher_months` later (data, per key role). A post with nobody in
the directory is "not recorded": the directory, not the post, is what is missing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max

from srishti.accounts import access
from srishti.certification.rules import add_months

from .models import Attendance, AttendanceStatus, KeyRole, StaffMember

CURRENT, OVERDUE, NEVER, MISSING = "current", "overdue", "never", "missing"


@dataclass
class Holder:
    staff: StaffMember
    last_trained: dt.date | None
    due: dt.date | None  # when a refresher falls due
    status: str  # CURRENT, OVERDUE or NEVER


@dataclass
class Post:
    """One key post at one place, and the people holding it."""

    key_role: KeyRole
    holders: list[Holder] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The best of the holders': one trained holder keeps the post covered."""
        if not self.holders:
            return MISSING
        order = [CURRENT, OVERDUE, NEVER]
        return min((h.status for h in self.holders), key=order.index)


@dataclass
class Counts:
    current: int = 0
    overdue: int = 0
    never: int = 0
    missing: int = 0

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    @property
    def posts(self) -> int:
        return self.current + self.overdue + self.never + self.missing

    @property
    def percent_current(self) -> float | None:
        return 100 * self.current / self.posts if self.posts else None


def _key_roles() -> tuple[list[KeyRole], list[KeyRole]]:
    roles = list(KeyRole.objects.order_by("order", "role"))
    return ([r for r in roles if r.level == KeyRole.Level.DISTRICT],
            [r for r in roles if r.level == KeyRole.Level.FACILITY])


def _holders(staff_qs, today: dt.date, months: dict[str, int]) -> list[Holder]:
    staff = list(staff_qs)
    last = dict(Attendance.objects.filter(
        staff__in=[s.pk for s in staff], status=AttendanceStatus.ATTENDED,
        training__end_date__lte=today).values("staff_id")
        .annotate(last=Max("training__end_date")).values_list("staff_id", "last"))
    holders = []
    for s in staff:
        trained = last.get(s.pk)
        if trained is None:
            holders.append(Holder(s, None, None, NEVER))
            continue
        due = add_months(trained, months[s.role])
        holders.append(Holder(s, trained, due, CURRENT if due >= today else OVERDUE))
    return holders


@dataclass
class FacilityRow:
    facility: object
    cells: list[Post | None]  # per facility key role column; None where it does not apply


@dataclass
class DistrictCoverage:
    district: object
    district_posts: list[Post]
    facility_roles: list[KeyRole]
    rows: list[FacilityRow]  # facilities with someone recorded in a key post
    unrecorded: list  # facilities with nobody recorded in any key post
    counts: Counts
    due_now: list[tuple[Holder, KeyRole]]  # overdue or never trained, most overdue first


def district_coverage(*, user, pk: int, today: dt.date) -> DistrictCoverage:
    """The coverage of a district the user sees into (404 otherwise): its district posts,
    each facility the user sees with its posts, and the people due for training.
    Five queries."""
    district = access.get_visible_or_404(
        access.visible_districts(user).select_related("state"), pk=pk)
    district_roles, facility_roles = _key_roles()
    types = {t for r in facility_roles for t in r.facility_types}
    facilities = list(access.visible_facilities(user).filter(
        district=district, facility_type__in=types).order_by("facility_type", "name"))
    months = {r.role: r.refresher_months for r in district_roles + facility_roles}
    key_role_names = list(months)
    staff = (access.visible_staff(user).filter(district=district, active=True,
                                                role__in=key_role_names)
             .select_related("facility"))
    holders = _holders(staff, today, months)
    at_district: dict[str, list[Holder]] = defaultdict(list)
    at_facility: dict[tuple[int, str], list[Holder]] = defaultdict(list)
    for h in holders:
        if h.staff.facility_id is None:
            at_district[h.staff.role].append(h)
        else:
            at_facility[(h.staff.facility_id, h.staff.role)].append(h)
    counts = Counts()
    due_now: list[tuple[Holder, KeyRole]] = []

    def post(role: KeyRole, found: list[Holder]) -> Post:
        p = Post(role, sorted(found, key=lambda h: h.staff.name))
        counts.add(p.status)
        due_now.extend((h, role) for h in p.holders if h.status != CURRENT)
        return p

    district_posts = [post(r, at_district.get(r.role, [])) for r in district_roles]
    rows = []
    for f in facilities:
        cells = [post(r, at_facility.get((f.pk, r.role), []))
                 if f.facility_type in r.facility_types else None for r in facility_roles]
        rows.append(FacilityRow(f, cells))
    # Never trained first, then the longest overdue.
    due_now.sort(key=lambda pair: (pair[0].due is not None, pair[0].due or today,
                                   pair[0].staff.name))
    # A facility with nobody recorded in any key post is listed apart, by name: the
    # directory is what is missing there, and a row of empty cells says nothing more.
    unrecorded = [row.facility for row in rows
                  if all(cell is None or cell.status == MISSING for cell in row.cells)]
    rows = [row for row in rows if row.facility not in unrecorded]
    used = [i for i, r in enumerate(facility_roles) if any(row.cells[i] for row in rows)]
    for row in rows:
        row.cells = [row.cells[i] for i in used]
    return DistrictCoverage(district, district_posts, [facility_roles[i] for i in used], rows,
                            unrecorded, counts, due_now)


@dataclass
class DistrictSummary:
    district: object
    counts: Counts


def coverage_overview(*, user, today: dt.date) -> list[DistrictSummary]:
    """Per district the user sees into: how many key posts are covered, overdue, never
    trained and not recorded (the user's facilities only). Five queries."""
    district_roles, facility_roles = _key_roles()
    districts = list(access.visible_districts(user).order_by("name"))
    months = {r.role: r.refresher_months for r in district_roles + facility_roles}
    facilities = list(access.visible_facilities(user).filter(
        facility_type__in={t for r in facility_roles for t in r.facility_types})
        .values_list("id", "district_id", "facility_type"))
    staff = (access.visible_staff(user).filter(district__in=districts, active=True,
                                                role__in=list(months))
             .only("id", "name", "role", "district_id", "facility_id"))
    holders = _holders(staff, today, months)
    best: dict[tuple, str] = {}
    order = [CURRENT, OVERDUE, NEVER]
    for h in holders:
        key = (h.staff.district_id, h.staff.facility_id, h.staff.role)
        if key not in best or order.index(h.status) < order.index(best[key]):
            best[key] = h.status
    summary = {d.pk: DistrictSummary(d, Counts()) for d in districts}
    for d in districts:
        for r in district_roles:
            summary[d.pk].counts.add(best.get((d.pk, None, r.role), MISSING))
    for facility_id, district_id, ftype in facilities:
        for r in facility_roles:
            if ftype in r.facility_types:
                summary[district_id].counts.add(best.get((district_id, facility_id, r.role),
                                                         MISSING))
    return list(summary.values())
