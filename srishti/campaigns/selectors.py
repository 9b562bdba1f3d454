"""Reads for the campaign pages, scoped through accounts.access.

A campaign page shows, week by week, the figures of its enrolled facilities that the
user sees. An ended week shows its snapshot (as taken, never recomputed); the week in
progress shows live figures (campaigns.figures as of today); an ended week whose
snapshot was never taken says so instead of recomputing history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from srishti.accounts import access
from srishti.geography.models import Facility

from .figures import Figures, figures
from .models import Campaign, CampaignSnapshot, SnapshotRow

SNAPSHOT, LIVE, MISSING, FUTURE = "snapshot", "live", "missing", "future"


def campaign_list(*, user) -> list[Campaign]:
    return list(access.visible_campaigns(user).select_related("state", "district", "tool")
                .order_by("-start", "name"))


def campaign_get(*, user, pk: int) -> Campaign:
    return access.get_visible_or_404(
        access.visible_campaigns(user).select_related("state", "district__state", "tool"),
        pk=pk)


def _from_row(row: SnapshotRow) -> Figures:
    return Figures(row.assessment_id_taken, row.assessment_kind, row.assessed_on,
                   row.answered, row.checkpoints, row.score, row.open_actions,
                   row.closed_actions, row.ready, row.points_short, row.meets_goal)


@dataclass
class Week:
    number: int
    start: dt.date
    end: dt.date
    source: str  # SNAPSHOT, LIVE, MISSING or FUTURE
    taken_at: dt.datetime | None = None
    by_facility: dict[int, Figures] = field(default_factory=dict)

    @property
    def has_figures(self) -> bool:
        return self.source in (SNAPSHOT, LIVE)

    @property
    def meeting(self) -> int:
        return sum(1 for f in self.by_facility.values() if f.meets_goal)

    @property
    def ready(self) -> int:
        return sum(1 for f in self.by_facility.values() if f.ready)

    @property
    def mean_score(self) -> float | None:
        scores = [f.score for f in self.by_facility.values() if f.score is not None]
        return sum(scores) / len(scores) if scores else None

    @property
    def answered(self) -> int:
        return sum(f.answered for f in self.by_facility.values())

    @property
    def open_actions(self) -> int:
        return sum(f.open_actions for f in self.by_facility.values())

    @property
    def closed_actions(self) -> int:
        return sum(f.closed_actions for f in self.by_facility.values())


@dataclass
class Change:
    """One facility's figures in the chosen week beside the week before."""

    facility: Facility
    now: Figures | None
    before: Figures | None

    def _delta(self, name: str):
        if self.now is None or self.before is None:
            return None
        a, b = getattr(self.now, name), getattr(self.before, name)
        return None if a is None or b is None else a - b

    @property
    def answered(self):
        return self._delta("answered")

    @property
    def score(self):
        return self._delta("score")

    @property
    def open_actions(self):
        return self._delta("open_actions")

    @property
    def closed_actions(self):
        return self._delta("closed_actions")

    @property
    def became_ready(self) -> bool:
        return bool(self.now and self.now.ready and self.before and not self.before.ready)

    @property
    def no_longer_ready(self) -> bool:
        return bool(self.now and not self.now.ready and self.before and self.before.ready)

    @property
    def new_assessment(self) -> bool:
        return bool(self.now and self.before and self.now.assessment_id
                    and self.now.assessment_id != self.before.assessment_id)


@dataclass
class CampaignPage:
    campaign: Campaign
    facilities: list[Facility]
    hidden: int  # enrolled facilities the user does not see
    weeks: list[Week]
    week: Week | None  # the chosen week
    previous: Week | None  # the week before it
    changes: list[Change]
    can_organise: bool
    current_week: int  # 0 before the start; the last week number after the end

    @property
    def became_ready(self) -> list[Facility]:
        return [c.facility for c in self.changes if c.became_ready]

    @property
    def no_longer_ready(self) -> list[Facility]:
        return [c.facility for c in self.changes if c.no_longer_ready]


def campaign_page(*, user, pk: int, today: dt.date, week: int | None = None) -> CampaignPage:
    """A campaign the user sees (404 otherwise), its weeks, and the chosen week's figures
    with the changes since the week before (by default the latest week with figures).
    A fixed number of queries: the snapshots, their rows, and the live figures."""
    campaign = campaign_get(user=user, pk=pk)
    facilities = list(access.visible_facilities(user).filter(
        pk__in=campaign.enrollments.values("facility_id")).select_related("district")
        .order_by("district__name", "name"))
    ids = [f.pk for f in facilities]
    hidden = campaign.enrollments.count() - len(ids)
    snapshots = {s.week: s for s in CampaignSnapshot.objects.filter(campaign=campaign)}
    rows: dict[int, dict[int, Figures]] = {}
    for row in SnapshotRow.objects.filter(snapshot__campaign=campaign, facility_id__in=ids):
        rows.setdefault(row.snapshot_id, {})[row.facility_id] = _from_row(row)
    running = campaign.start <= today <= campaign.end
    current = campaign.week_of(today)
    weeks = []
    for number in range(1, campaign.weeks + 1):
        start, end = campaign.week_dates(number)
        snap = snapshots.get(number)
        if snap is not None:
            weeks.append(Week(number, start, end, SNAPSHOT, snap.taken_at,
                              rows.get(snap.pk, {})))
        elif running and number == current:
            weeks.append(Week(number, start, end, LIVE, None,
                              figures(campaign=campaign, facility_ids=ids, as_of=today)))
        elif end < today:
            weeks.append(Week(number, start, end, MISSING))
        else:
            weeks.append(Week(number, start, end, FUTURE))
    with_figures = [w for w in weeks if w.has_figures]
    chosen = None
    if week is not None and 1 <= week <= len(weeks):
        chosen = weeks[week - 1]
    elif with_figures:
        chosen = with_figures[-1]
    previous = weeks[chosen.number - 2] if chosen and chosen.number > 1 else None
    changes = []
    if chosen is not None:
        for f in facilities:
            now = chosen.by_facility.get(f.pk)
            before = previous.by_facility.get(f.pk) if previous else None
            changes.append(Change(f, now, before))
    return CampaignPage(campaign, facilities, hidden, weeks, chosen, previous, changes,
                        access.can_organise(user, campaign.scope), current)


def enrolment_choices(*, user, campaign: Campaign, district_id: int | None = None,
                      facility_type: str = "") -> tuple[list[Facility], set[int]]:
    """Facilities inside the campaign's area that the user sees (filtered), and the ids of
    those enrolled; for the enrolment page."""
    from .services import scope_facilities

    qs = (access.visible_facilities(user).filter(scope_facilities(campaign.scope))
          .select_related("district").order_by("district__name", "facility_type", "name"))
    if district_id:
        qs = qs.filter(district_id=district_id)
    if facility_type:
        qs = qs.filter(facility_type=facility_type)
    shown = list(qs[:500])
    enrolled = set(campaign.enrollments.filter(facility_id__in=[f.pk for f in shown])
                   .values_list("facility_id", flat=True))
    return shown, enrolled
