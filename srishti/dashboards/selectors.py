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
from srishti.geography.models import Block, District, Division, Facility

AREAS = "ABCDEFGH"


def latest_assessment_ids(facilities: QuerySet[Facility], tool: str = "NQAS") -> list[int]:
    """The assessment each facility stands on for a tool (its current standing: the
    latest SUBMITTED one, see certification.standing), in one query.

    Read once and passed as a list, so each aggregate of the page filters on ids.
    """
    return list(current_standings(facilities, tool_code=tool)
                .values_list("assessment_id", flat=True))


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
class ProgrammeTile:
    """A programme scored inside the NQAS assessments (LaQshya, MusQan departments of a
    DH 2019 checklist), pooled over the latest assessments that have it."""

    name: str
    obtained: float = 0.0
    maximum: float = 0.0
    facilities: int = 0
    badges: dict[str, int] = field(default_factory=dict)

    @property
    def score(self) -> float | None:
        return pooled(self.obtained, self.maximum)


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
    programmes: list[ProgrammeTile] = field(default_factory=list)


def pooled(obtained, maximum) -> float | None:
    """Percent of points obtained; None when nothing was scored."""
    return 100.0 * obtained / maximum if maximum else None


def _tiles(facilities: QuerySet[Facility], tool: str) -> Tiles:
    scores = current_standings(facilities, tool_code=tool).aggregate(
        assessed=Count("id"), average=Avg("overall"), ready=Count("id", filter=Q(passed=True)))
    return Tiles(facilities=facilities.count(), assessed=scores["assessed"],
                 average_score=scores["average"], ready=scores["ready"],
                 in_progress=open_assessments(facilities, tool_code=tool).count())


def _programmes(latest) -> list[ProgrammeTile]:
    """Group scores stored on the latest assessments, pooled by programme (one query;
    assessments whose checklist has no groups store none)."""
    tiles: dict[str, ProgrammeTile] = {}
    for groups in (AssessmentScore.objects.filter(assessment_id__in=latest)
                   .exclude(groups=[]).values_list("groups", flat=True)):
        for group in groups:
            tile = tiles.setdefault(group["name"], ProgrammeTile(group["name"]))
            if group.get("maximum"):
                tile.obtained += group["obtained"]
                tile.maximum += group["maximum"]
                tile.facilities += 1
            if group.get("badge"):
                tile.badges[group["badge"]] = tile.badges.get(group["badge"], 0) + 1
    return list(tiles.values())


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
        title=division.name if division else "", tiles=_tiles(facilities, tool),
        ranking=ranking, heat=_heat(latest, "assessment__facility__district_id", districts),
        trend_labels=labels, trend=trend, weakest=weakest_standards(latest),
        programmes=_programmes(latest),
    )


def district_dashboard(*, user, district: District, tool: str = "NQAS",
                       block: Block | None = None) -> Dashboard:
    """The district's facilities the user may see, ranked by their current standing (the
    latest submitted assessment); one still being filled in is shown beside it as "in
    progress" with its completion, and counts nowhere. With `block` (of that district),
    only the block's facilities (the block dashboard)."""
    facilities = visible_facilities(user).filter(district=district)
    if block is not None:
        facilities = facilities.filter(block=block)
    standing = list(current_standings(facilities, tool_code=tool)
                    .values_list("facility_id", "facility__name", "facility__facility_type",
                                 "assessment_id", "overall", "passed", "assessed_on",
                                 "checkpoints_answered", "checkpoints_total"))
    latest = [row[3] for row in standing]
    groups = dict(AssessmentScore.objects.filter(assessment_id__in=latest)
                  .values_list("assessment_id", "groups"))
    ranking = [
        RankRow(fid, name, facilities=1, assessed=1, average_score=overall,
                ready=int(bool(passed)),
                extra={"type": ftype, "assessment_id": aid, "date": date, "passed": passed,
                       "provisional": answered < total,
                       "groups": groups.get(aid) or []})
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
        title=block.name if block else district.name, tiles=_tiles(facilities, tool),
        ranking=ranking,
        heat=_heat(latest, "assessment__facility_id", names),
        trend_labels=labels, trend=trend, weakest=weakest_standards(latest),
        in_progress=in_progress,
        programmes=_programmes(latest),
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


def area_titles(*, tool: str = "NQAS") -> dict[str, str]:
    """The name of each area of concern (A-H) of the tool, from its newest checklist
    version: the legend of the heat map's columns (one query)."""
    from srishti.checklists.models import AreaOfConcern

    titles: dict[str, str] = {}
    for letter, title in (AreaOfConcern.objects.filter(department__version__tool__code=tool)
                          .order_by("-department__version_id", "department__order")
                          .values_list("letter", "title")):
        titles.setdefault(letter, title)
    return titles
