"""Dashboard figures, read from stored scores only, in a fixed number of queries.

Every figure is scoped through accounts.access: a person sees the facilities they may
see, whatever page they open. Aggregates across facilities pool points (sum obtained /
sum maximum), as the scoring rules require, rather than averaging percentages; the
"average score" tile is the one deliberate mean (of facilities' overall scores).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncQuarter

from srishti.accounts.access import visible_facilities
from srishti.assessments.models import Assessment, AssessmentScore, ScoreRow
from srishti.assessments.selectors import natural_key
from srishti.certification.standing import current_standings, open_assessments
from srishti.geography.models import District, Facility

AREAS = "ABCDEFGH"


def counted_assessments(facilities: QuerySet[Facility], tool: str = "NQAS") -> QuerySet:
    """The ids of the assessments these facilities stand on for a tool (their current
    standings: the latest SUBMITTED ones, see certification.standing), as a subquery.

    A subquery over the stored standings (one indexed row per facility) is planned and
    joined faster than a list of thousands of ids (measured at Bihar scale: the heat map
    query 95 -> 40 ms, the weakest standards 85 -> 66 ms).
    """
    return current_standings(facilities, tool_code=tool).values("assessment_id")


@dataclass
class Tiles:
    facilities: int = 0
    assessed: int = 0
    average_score: float | None = None
    ready: int = 0
    # Assessments being filled in: shown, never counted in the figures above.
    in_progress: int = 0


@dataclass
class RankRow:
    pk: int
    name: str
    facilities: int = 0
    assessed: int = 0
    average_score: float | None = None
    ready: int = 0
    extra: dict = field(default_factory=dict)


@dataclass
class HeatRow:
    pk: int
    name: str
    cells: list[float | None]


@dataclass
class WeakStandard:
    code: str
    obtained: float
    maximum: float
    facilities: int
    title: str = ""

    @property
    def score(self) -> float | None:
        return 100.0 * self.obtained / self.maximum if self.maximum else None


@dataclass
class InProgress:
    """An assessment still being filled in: shown with its completion, never counted."""

    pk: int
    facility_id: int
    facility: str
    kind: str
    started: object
    answered: int
    total: int

    @property
    def kind_label(self) -> str:
        return str(Assessment.Kind(self.kind).label)


@dataclass
class Dashboard:
    title: str
    tiles: Tiles
    ranking: list[RankRow]
    heat: list[HeatRow]
    trend_labels: list[str]
    trend: list[float | None]
    weakest: list[WeakStandard]
    in_progress: list[InProgress] = field(default_factory=list)


def pooled(obtained, maximum) -> float | None:
    """Percent of points obtained; None when nothing was scored."""
    return 100.0 * obtained / maximum if maximum else None


def _tiles(facilities: QuerySet[Facility], tool: str) -> Tiles:
    scores = current_standings(facilities, tool_code=tool).aggregate(
        assessed=Count("id"), average=Avg("overall"), ready=Count("id", filter=Q(passed=True)))
    return Tiles(facilities=facilities.count(), assessed=scores["assessed"],
                 average_score=scores["average"], ready=scores["ready"],
                 in_progress=open_assessments(facilities, tool_code=tool).count())


def _heat(latest, group: str, names: dict[int, str]) -> list[HeatRow]:
    """Pooled area-of-concern scores per group (district or facility)."""
    rows = (ScoreRow.objects.filter(assessment_id__in=latest, department__isnull=True,
                                    level=ScoreRow.Level.AREA)
            .order_by().values(group_id=F(group), area=F("code"))
            .annotate(obtained=Sum("obtained"), maximum=Sum("maximum")))
    grid: dict[int, dict[str, float | None]] = defaultdict(dict)
    for r in rows:
        grid[r["group_id"]][r["area"]] = pooled(r["obtained"], r["maximum"])
    return [HeatRow(pk, names[pk], [grid[pk].get(a) for a in AREAS])
            for pk in sorted(grid, key=lambda k: names.get(k, ""))]


def weakest_standards(latest, limit: int = 10) -> list[WeakStandard]:
    """The standards with the lowest pooled score over the given (latest) assessments."""
    rows = (ScoreRow.objects.filter(assessment_id__in=latest, department__isnull=True,
                                    level=ScoreRow.Level.STANDARD, maximum__gt=0)
            .order_by().values("code")
            .annotate(obtained=Sum("obtained"), maximum=Sum("maximum"),
                      # One facility-wide row per assessment and code (a unique
                      # constraint), so counting rows counts facilities, and without
                      # DISTINCT the database may hash instead of sorting. Counting the
                      # code (never null) rather than the id lets PostgreSQL answer from
                      # the covering index alone (halves the query at Bihar scale).
                      facilities=Count("code")))
    found = [WeakStandard(r["code"], r["obtained"], r["maximum"], r["facilities"]) for r in rows]
    found.sort(key=lambda w: (w.score, natural_key(w.code)))
    return found[:limit]


def _trend(facilities: QuerySet[Facility], tool: str) -> tuple[list[str], list[float | None]]:
    """Average overall score of the submitted assessments done in each quarter."""
    rows = (AssessmentScore.objects
            .filter(assessment__facility__in=facilities, assessment__version__tool__code=tool,
                    assessment__status=Assessment.Status.SUBMITTED, overall__isnull=False)
            .annotate(quarter=TruncQuarter("assessment__start_date"))
            .values("quarter").annotate(average=Avg("overall")).order_by("quarter"))
    labels, values = [], []
    for r in rows:
        quarter = r["quarter"]
        labels.append(f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}")
        values.append(round(r["average"], 1))
    return labels, values


def state_dashboard(*, user, tool: str = "NQAS") -> Dashboard:
    """All facilities the user may see, ranked by district."""
    facilities = visible_facilities(user)
    latest = counted_assessments(facilities, tool)
    districts = dict(District.objects.filter(facilities__in=facilities).distinct()
                     .values_list("id", "name"))
    per_district = (current_standings(facilities, tool_code=tool)
                    .values(district_id=F("facility__district_id"))
                    .annotate(assessed=Count("id"), average=Avg("overall"),
                              ready=Count("id", filter=Q(passed=True))))
    totals = dict(facilities.values("district_id").annotate(n=Count("id"))
                  .values_list("district_id", "n"))
    stats = {r["district_id"]: r for r in per_district}
    ranking = [
        RankRow(pk, name, facilities=totals.get(pk, 0),
                assessed=stats.get(pk, {}).get("assessed", 0),
                average_score=stats.get(pk, {}).get("average"),
                ready=stats.get(pk, {}).get("ready", 0))
        for pk, name in districts.items()
    ]
    ranking.sort(key=lambda r: (-(r.average_score or -1), r.name))
    labels, trend = _trend(facilities, tool)
    return Dashboard(
        title="", tiles=_tiles(facilities, tool), ranking=ranking,
        heat=_heat(latest, "assessment__facility__district_id", districts),
        trend_labels=labels, trend=trend, weakest=weakest_standards(latest),
    )


def district_dashboard(*, user, district: District, tool: str = "NQAS") -> Dashboard:
    """The district's facilities the user may see, ranked by their current standing (the
    latest submitted assessment); one still being filled in is shown beside it as "in
    progress" with its completion, and counts nowhere."""
    facilities = visible_facilities(user).filter(district=district)
    standing = list(current_standings(facilities, tool_code=tool)
                    .values_list("facility_id", "facility__name", "facility__facility_type",
                                 "assessment_id", "overall", "passed", "assessed_on",
                                 "checkpoints_answered", "checkpoints_total"))
    latest = [row[3] for row in standing]
    ranking = [
        RankRow(fid, name, facilities=1, assessed=1, average_score=overall,
                ready=int(bool(passed)),
                extra={"type": ftype, "assessment_id": aid, "date": date, "passed": passed,
                       "provisional": answered < total})
        for fid, name, ftype, aid, overall, passed, date, answered, total in standing
    ]
    ranking.sort(key=lambda r: (r.average_score is None, -(r.average_score or 0), r.name))
    names = {r.pk: r.name for r in ranking}
    in_progress = [
        InProgress(pk, fid, name, kind, date, answered or 0, total or 0)
        for pk, fid, name, kind, date, answered, total in
        open_assessments(facilities, tool_code=tool)
        .order_by("facility__name", "-start_date", "-id")
        .values_list("id", "facility_id", "facility__name", "kind", "start_date",
                     "score__checkpoints_answered", "score__checkpoints_total")]
    labels, trend = _trend(facilities, tool)
    return Dashboard(
        title=district.name, tiles=_tiles(facilities, tool), ranking=ranking,
        heat=_heat(latest, "assessment__facility_id", names),
        trend_labels=labels, trend=trend, weakest=weakest_standards(latest),
        in_progress=in_progress,
    )


def visible_district_or_none(*, user, pk: int) -> District | None:
    """The district if the user may see at least one of its facilities."""
    return (District.objects.filter(pk=pk, facilities__in=visible_facilities(user))
            .distinct().first())


@dataclass
class TargetSummary:
    pk: int
    name: str
    deadline: object
    count: int
    meeting: int
    close: int
    # On a district page, a target set over the whole state: the figures are the
    # district's share of it (its facilities only), and say so.
    share_of: str = ""


@dataclass
class Attention:
    """The parts of a dashboard that come from certification and action plans."""

    certified: int
    expiring: int
    alerts: list
    actions_open: int
    actions_overdue: int
    targets: list[TargetSummary]


def dashboard_attention(*, user, today, district: District | None = None) -> Attention:
    """Certified and expiring facilities, alerts, open and overdue action items, and the
    progress of the targets in view; a fixed number of queries whatever the data."""
    from srishti.certification.selectors import (
        certification_alerts,
        current_certifications,
        mission_target_list,
        target_counts,
    )
    from srishti.improvement.selectors import action_item_counts

    district_id = district.pk if district else None
    standings = current_certifications(user=user, district_id=district_id)
    alerts = certification_alerts(user=user, today=today, district_id=district_id,
                                  standings=standings)
    actions = action_item_counts(user=user, district_id=district_id)
    targets = [t for t in mission_target_list(user=user)
               if district is None or t.district_id in (None, district.pk)]
    summaries = []
    for target in targets[:3]:
        # One progress per scope: a district page counts the district's facilities only,
        # whoever looks at it (the state sees them all, and so does the district).
        meeting, close = target_counts(user=user, target=target, district=district)
        share_of = target.state.name if district is not None and target.district_id is None \
            else ""
        summaries.append(TargetSummary(target.pk, target.name, target.deadline, target.count,
                                       meeting, close, share_of))
    return Attention(
        certified=len({facility for (facility, _tool), s in standings.items()
                       if s.is_valid(today)}),
        expiring=sum(1 for a in alerts if a.kind == "expiring"),
        alerts=alerts[:10],
        actions_open=actions.open + actions.in_progress,
        actions_overdue=actions.overdue,
        targets=summaries,
    )
