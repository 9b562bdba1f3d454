"""Writes to campaigns: creating and changing one, enrolling facilities, and taking the
weekly snapshots (once per campaign and week: a snapshot, once taken, never changes)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from srishti.core.errors import DomainError
from srishti.geography.models import District, Facility, State

from .figures import figures
from .models import Campaign, CampaignSnapshot, Enrollment, Goal, SnapshotRow


def _check(*, name: str, start: dt.date, end: dt.date, goal: str,
           goal_value: float | None) -> None:
    if not name.strip():
        raise DomainError(_("Give the campaign a name."))
    if end < start:
        raise DomainError(_("The end date is before the start date."))
    if goal not in Goal.values:
        raise DomainError(_("Unknown goal."))
    if goal == Goal.CERTIFICATION_READY:
        if goal_value is not None:
            raise DomainError(_("A certification-ready goal takes no figure."))
    elif goal_value is None or not 0 <= goal_value <= 100:
        raise DomainError(_("Give the goal's figure, a percentage from 0 to 100."))


def scope_facilities(scope) -> Q:
    """A filter on facilities inside a State or District."""
    if isinstance(scope, District):
        return Q(district=scope)
    if isinstance(scope, State):
        return Q(district__state=scope)
    raise TypeError(f"not a campaign scope: {scope!r}")


@transaction.atomic
def campaign_create(*, name: str, scope, tool, start: dt.date, end: dt.date, goal: str,
                    goal_value: float | None = None, description: str = "",
                    facility_types: Iterable[str] = (), user=None,
                    client_id: uuid.UUID | None = None) -> tuple[Campaign, bool]:
    """Start a campaign for a State or District (`scope`), enrolling every facility of
    `facility_types` inside it; (campaign, created). A replay of the same `client_id`
    returns the first campaign."""
    if client_id is not None:
        done = Campaign.objects.filter(client_id=client_id).first()
        if done is not None:
            return done, False
    _check(name=name, start=start, end=end, goal=goal, goal_value=goal_value)
    campaign = Campaign(
        name=name.strip(), state=scope if isinstance(scope, State) else None,
        district=scope if isinstance(scope, District) else None, tool=tool, start=start,
        end=end, goal=goal, goal_value=goal_value, description=description.strip(),
        created_by=user)
    if client_id is not None:
        campaign.client_id = client_id
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError:
        # The same post, sent twice at once: the other one started the campaign.
        return Campaign.objects.get(client_id=client_id), False
    types = list(facility_types)
    if types:
        Enrollment.objects.bulk_create([
            Enrollment(campaign=campaign, facility=f) for f in
            Facility.objects.filter(scope_facilities(scope), facility_type__in=types)])
    return campaign, True


@transaction.atomic
def campaign_update(*, campaign: Campaign, name: str, start: dt.date, end: dt.date,
                    goal: str, goal_value: float | None = None,
                    description: str = "") -> Campaign:
    """Change a campaign's details (scope and tool stay). Snapshots already taken keep
    the figures they were taken with."""
    _check(name=name, start=start, end=end, goal=goal, goal_value=goal_value)
    campaign.name, campaign.start, campaign.end = name.strip(), start, end
    campaign.goal, campaign.goal_value = goal, goal_value
    campaign.description = description.strip()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_enrolment_set(*, campaign: Campaign, shown: Iterable[Facility],
                           enrolled: Iterable[Facility]) -> tuple[int, int]:
    """Make the enrolment of the `shown` facilities exactly `enrolled` (others are left
    alone); returns (added, removed)."""
    shown_ids = {f.pk for f in shown}
    wanted = {f.pk for f in enrolled}
    if wanted - shown_ids:
        raise DomainError(_("A facility that was not listed cannot be enrolled."))
    scope = campaign.scope
    inside = set(Facility.objects.filter(scope_facilities(scope), pk__in=shown_ids)
                 .values_list("pk", flat=True))
    if shown_ids - inside:
        raise DomainError(_("Only facilities inside the campaign's area can be enrolled."))
    current = set(Enrollment.objects.filter(campaign=campaign, facility_id__in=shown_ids)
                  .values_list("facility_id", flat=True))
    removed = current - wanted
    Enrollment.objects.filter(campaign=campaign, facility_id__in=removed).delete()
    Enrollment.objects.bulk_create(
        [Enrollment(campaign=campaign, facility_id=pk) for pk in sorted(wanted - current)],
        ignore_conflicts=True)
    return len(wanted - current), len(removed)


def campaign_snapshot_take(*, campaign: Campaign, week: int,
                           now: dt.datetime | None = None) -> tuple[CampaignSnapshot, bool]:
    """Keep the figures of a campaign week, once; (snapshot, taken now).

    A week can be kept once it has ended (from the day after its last day). Its figures
    are those of campaigns.figures as of that last day, as the data stands when taken;
    taking it again (or twice at once) returns the first snapshot unchanged.
    """
    now = now or timezone.now()
    if not 1 <= week <= campaign.weeks:
        raise DomainError(_("Week %(week)d is not a week of this campaign.") % {"week": week})
    first, last = campaign.week_dates(week)
    if timezone.localdate(now) <= last:
        raise DomainError(_("Week %(week)d has not ended yet: it ends on %(date)s.")
                          % {"week": week, "date": last})
    existing = CampaignSnapshot.objects.filter(campaign=campaign, week=week).first()
    if existing is not None:
        return existing, False
    facility_ids = list(campaign.enrollments.values_list("facility_id", flat=True))
    found = figures(campaign=campaign, facility_ids=facility_ids, as_of=last)
    try:
        with transaction.atomic():
            snapshot = CampaignSnapshot.objects.create(
                campaign=campaign, week=week, week_start=first, week_end=last, taken_at=now)
            SnapshotRow.objects.bulk_create([
                SnapshotRow(snapshot=snapshot, facility_id=pk, assessment_id_taken=f.assessment_id,
                            assessment_kind=f.assessment_kind, assessed_on=f.assessed_on,
                            answered=f.answered, checkpoints=f.checkpoints, score=f.score,
                            open_actions=f.open_actions, closed_actions=f.closed_actions,
                            ready=f.ready, points_short=f.points_short,
                            meets_goal=f.meets_goal)
                for pk, f in found.items()])
    except IntegrityError:
        # Another run took this week in the meantime: theirs stands.
        return CampaignSnapshot.objects.get(campaign=campaign, week=week), False
    return snapshot, True


def campaign_snapshots_due(*, campaign: Campaign | None = None,
                           now: dt.datetime | None = None) -> list[CampaignSnapshot]:
    """Take every ended week's snapshot not yet taken (of one campaign, or of all);
    returns the snapshots taken now. Meant for a daily or weekly scheduled run."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    campaigns = [campaign] if campaign is not None else list(
        Campaign.objects.filter(start__lte=today))
    taken = []
    for c in campaigns:
        have = set(c.snapshots.values_list("week", flat=True))
        for week in range(1, c.weeks + 1):
            if week in have or c.week_dates(week)[1] >= today:
                continue
            snapshot, created = campaign_snapshot_take(campaign=c, week=week, now=now)
            if created:
                taken.append(snapshot)
    return taken
