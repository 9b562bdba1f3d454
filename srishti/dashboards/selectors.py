"""Dashboard figures, read from stored scores only, in a fixed number of queries.

Every figure is scoped through accounts.access: a person sees the facilities they may
see, whatever page they open. Aggregates across facilities pool points (sum obtained /
sum maximum), as the scoring rules require, rather than averaging percentages; the
"average score" tile is the one deliberate mean (of facilities' overall scores).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import RowNumber, TruncQuarter

from srishti.accounts.access import visible_facilities
from srishti.assessments.models import Assessment, AssessmentScore, ScoreRow
from srishti.assessments.selectors import natural_key
from srishti.geography.models import Block, District, Division, Facility

AREAS = "ABCDEFGH"


def latest_assessment_ids(facilities: QuerySet[Facility], tool: str = "NQAS") -> list[int]:
    """The newest assessment of each facility for a tool, in one query.

    Read once and passed as a list: as a correlated subquery it was evaluated again in
    every aggregate of the page (four times ~90 ms at Bihar scale on PostgreSQL).
    """
    ranked = (Assessment.objects.filter(facility__in=facilities, version__tool__code=tool)
              .annotate(rank=Window(RowNumber(), partition_by=F("facility_id"),
                                    order_by=[F("start_date").desc(), F("id").desc()])))
    return list(ranked.filter(rank=1).values_list("id", flat=True))


@dataclass
class Tiles:
    facilities: int = 0
    assessed: int = 0
    average_score: float | None = None
    ready: int = 0


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
class Dashboard:
    title: str
    tiles: Tiles
    ranking: list[RankRow]
    heat: list[HeatRow]
    trend_labels: list[str]
    trend: list[float | None]
    weakest: list[WeakStandard]


def pooled(obtained, maximum) -> float | None:
    """Percent of points obtained; None when nothing was scored."""
    return 100.0 * obtained / maximum if maximum else None


def _tiles(facilities: QuerySet[Facility], latest) -> Tiles:
    scores = AssessmentScore.objects.filter(assessment_id__in=latest).aggregate(
        assessed=Count("id"), average=Avg("overall"), ready=Count("id", filter=Q(passed=True)))
    return Tiles(facilities=facilities.count(), assessed=scores["assessed"],
                 average_score=scores["average"], ready=scores["ready"])


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
                      # DISTINCT the database may hash instead of sorting.
                      facilities=Count("id")))
    found = [WeakStandard(r["code"], r["obtained"], r["maximum"], r["facilities"]) for r in rows]
    found.sort(key=lambda w: (w.score, natural_key(w.code)))
    return found[:limit]


def _trend(facilities: QuerySet[Facility], tool: str) -> tuple[list[str], list[float | None]]:
    """Average overall score of the assessments done in each quarter."""
    rows = (AssessmentScore.objects
            .filter(assessment__facility__in=facilities, assessment__version__tool__code=tool,
                    overall__isnull=False)
            .annotate(quarter=TruncQuarter("assessment__start_date"))
            .values("quarter").annotate(average=Avg("overall")).order_by("quarter"))
    labels, values = [], []
    for r in rows:
        quarter = r["quarter"]
        labels.append(f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}")
        values.append(round(r["average"], 1))
    return labels, values


def state_dashboard(*, user, tool: str = "NQAS", division: Division | None = None
                    ) -> Dashboard:
    """All facilities the user may see, ranked by district; with `division`, only those of
    the division's districts (the division dashboard)."""
    facilities = visible_facilities(user)
    if division is not None:
        facilities = facilities.filter(district__division=division)
    latest = latest_assessment_ids(facilities, tool)
    districts = dict(District.objects.filter(facilities__in=facilities).distinct()
                     .values_list("id", "name"))
    per_district = (AssessmentScore.objects.filter(assessment_id__in=latest)
                    .values(district_id=F("assessment__facility__district_id"))
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
        title=division.name if division else "", tiles=_tiles(facilities, latest),
        ranking=ranking, heat=_heat(latest, "assessment__facility__district_id", districts),
        trend_labels=labels, trend=trend, weakest=weakest_standards(latest),
    )


def district_dashboard(*, user, district: District, tool: str = "NQAS",
                       block: Block | None = None) -> Dashboard:
    """The district's facilities the user may see, ranked by their latest score; with
    `block` (of that district), only the block's facilities (the block dashboard)."""
    facilities = visible_facilities(user).filter(district=district)
    if block is not None:
        facilities = facilities.filter(block=block)
    latest = latest_assessment_ids(facilities, tool)
    newest = (Assessment.objects.filter(facility=OuterRef("pk"), version__tool__code=tool)
              .order_by("-start_date", "-id"))
    ranked = (facilities.filter(assessments__version__tool__code=tool).distinct()
              .annotate(latest_id=Subquery(newest.values("id")[:1]),
                        score=Subquery(newest.values("score__overall")[:1]),
                        passed=Subquery(newest.values("score__passed")[:1]),
                        date=Subquery(newest.values("start_date")[:1]))
              .values("id", "name", "facility_type", "latest_id", "score", "passed", "date"))
    ranking = [
        RankRow(r["id"], r["name"], facilities=1, assessed=1, average_score=r["score"],
                ready=int(bool(r["passed"])),
                extra={"type": r["facility_type"], "assessment_id": r["latest_id"],
                       "date": r["date"], "passed": r["passed"]})
        for r in ranked
    ]
    ranking.sort(key=lambda r: (r.average_score is None, -(r.average_score or 0), r.name))
    names = {r.pk: r.name for r in ranking}
    labels, trend = _trend(facilities, tool)
    return Dashboard(
        title=block.name if block else district.name, tiles=_tiles(facilities, latest),
        ranking=ranking,
        heat=_heat(latest, "assessment__facility_id", names),
        trend_labels=labels, trend=trend, weakest=weakest_standards(latest),
    )


def place_ranking(*, user, by: str, tool: str = "NQAS", district: District | None = None
                  ) -> list[RankRow]:
    """The divisions (`by="division"`) or blocks (`by="block"`, of `district` when given)
    holding facilities the user sees, ranked by the average latest score of those
    facilities; places with none assessed come last. Four queries."""
    field, model = {"division": ("district__division", Division),
                    "block": ("block", Block)}[by]
    facilities = visible_facilities(user).filter(**{f"{field}__isnull": False})
    if district is not None:
        facilities = facilities.filter(district=district)
    latest = latest_assessment_ids(facilities, tool)
    names = dict(model.objects.filter(pk__in=facilities.values(field)).values_list("id", "name"))
    stats = {r["group"]: r for r in
             AssessmentScore.objects.filter(assessment_id__in=latest)
             .values(group=F(f"assessment__facility__{field}"))
             .annotate(assessed=Count("id"), average=Avg("overall"),
                       ready=Count("id", filter=Q(passed=True)))}
    totals = dict(facilities.order_by().values(field).annotate(n=Count("id"))
                  .values_list(field, "n"))
    ranking = [RankRow(pk, name, facilities=totals.get(pk, 0),
                       assessed=stats.get(pk, {}).get("assessed", 0),
                       average_score=stats.get(pk, {}).get("average"),
                       ready=stats.get(pk, {}).get("ready", 0))
               for pk, name in names.items()]
    ranking.sort(key=lambda r: (r.average_score is None, -(r.average_score or 0), r.name))
    return ranking


def visible_district_or_none(*, user, pk: int) -> District | None:
    """The district if the user may see at least one of its facilities."""
    return (District.objects.filter(pk=pk, facilities__in=visible_facilities(user))
            .distinct().first())


def visible_division_or_none(*, user, pk: int) -> Division | None:
    """The division if the user may see at least one facility of its districts."""
    return (Division.objects.filter(pk=pk, districts__facilities__in=visible_facilities(user))
            .distinct().first())


def visible_block_or_none(*, user, pk: int) -> Block | None:
    """The block (with its district) if the user may see at least one of its facilities."""
    return (Block.objects.filter(pk=pk, facilities__in=visible_facilities(user))
            .select_related("district__division").distinct().first())


def _target_in_view(target, *, district, division, block) -> bool:
    """Whether a dashboard's page shows the target: one whose place covers the page's or
    lies inside it (a state's target everywhere; on a division's page its districts' and
    blocks' targets too; on a block's page those of its district and division)."""
    if target.state_id:
        return True
    if division is not None:
        return division.pk in (target.division_id,
                               target.district.division_id if target.district_id else None,
                               target.block.district.division_id if target.block_id else None)
    if block is not None:
        district = block.district
        return (target.block_id == block.pk or target.district_id == district.pk
                or (target.division_id is not None and target.division_id == district.division_id))
    if district is not None:
        return (target.district_id == district.pk
                or (target.block_id is not None and target.block.district_id == district.pk)
                or (target.division_id is not None and target.division_id == district.division_id))
    return True


def home_dashboard(*, user) -> tuple[str, int] | None:
    """(URL name, pk) of the dashboard a person whose roles all lie over one division, or
    all over one block, starts on; None for everyone else."""
    from srishti.accounts.access import memberships

    places = {(m.division_id, m.block_id) for m in memberships(user)}
    if len(places) != 1 or user.is_superuser:
        return None
    division_id, block_id = places.pop()
    if division_id:
        return "dashboard-division", division_id
    if block_id:
        return "dashboard-block", block_id
    return None


@dataclass
class TargetSummary:
    pk: int
    name: str
    deadline: object
    count: int
    meeting: int
    close: int


@dataclass
class Attention:
    """The parts of a dashboard that come from certification and action plans."""

    certified: int
    expiring: int
    alerts: list
    actions_open: int
    actions_overdue: int
    targets: list[TargetSummary]


def dashboard_attention(*, user, today, district: District | None = None,
                        division: Division | None = None, block: Block | None = None
                        ) -> Attention:
    """Certified and expiring facilities, alerts, open and overdue action items, and the
    progress of the targets in view (of a district, a division or a block when given);
    a fixed number of queries whatever the data."""
    from srishti.certification.selectors import (
        certification_alerts,
        current_certifications,
        mission_target_list,
        target_counts,
    )
    from srishti.improvement.selectors import action_item_counts

    district_id = district.pk if district else None
    place = {"district_id": district_id, "division_id": division.pk if division else None,
             "block_id": block.pk if block else None}
    standings = current_certifications(user=user, **place)
    alerts = certification_alerts(user=user, today=today, district_id=district_id,
                                  standings=standings)
    actions = action_item_counts(user=user, **place)
    targets = [t for t in mission_target_list(user=user)
               if _target_in_view(t, district=district, division=division, block=block)]
    summaries = []
    for target in targets[:3]:
        meeting, close = target_counts(user=user, target=target)
        summaries.append(TargetSummary(target.pk, target.name, target.deadline, target.count,
                                       meeting, close))
    return Attention(
        certified=len({facility for (facility, _tool), s in standings.items()
                       if s.is_valid(today)}),
        expiring=sum(1 for a in alerts if a.kind == "expiring"),
        alerts=alerts[:10],
        actions_open=actions.open + actions.in_progress,
        actions_overdue=actions.overdue,
        targets=summaries,
    )
