"""Reads of assessments for pages: everything from stored scores, in a fixed few queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from srishti.accounts.access import get_visible_or_404, visible_assessments
from srishti.checklists.models import AreaOfConcern, Standard, Translation
from srishti.checklists.translations import Texts, texts_for
from srishti.scoring.standing import Completeness, criterion_status

from .models import Assessment, ScoreRow


@dataclass
class Figure:
    code: str
    title: str
    obtained: float
    maximum: float
    score: float | None
    scored: int = 0
    not_applicable: int = 0


@dataclass
class DepartmentFigures:
    name: str
    total: Figure
    areas: list[Figure] = field(default_factory=list)
    standards: list[Figure] = field(default_factory=list)


@dataclass
class ScorecardPage:
    assessment: Assessment
    areas: list[Figure]
    standards: list[Figure]
    departments: list[DepartmentFigures]
    verdict: dict
    # Thresholds by criterion kind ("each_area": 70.0, ...) for the charts' marker lines.
    thresholds: dict[str, float] = field(default_factory=dict)
    # Checkpoints answered of the checklist's: a verdict with any unanswered is provisional.
    completeness: Completeness = Completeness(0, 0)
    # Programme scores inside the assessment (LaQshya, MusQan), as stored.
    groups: list[dict] = field(default_factory=list)
    # AAM-SC themes, as stored, named in the reader's language (name) and the other.
    themes: list[dict] = field(default_factory=list)
    not_present: list[str] = field(default_factory=list)
    # False when the rule set's thresholds are marked as not verified.
    rule_set_verified: bool = True
    rule_set_source: str = ""
    other_language: str = ""


def natural_key(code: str) -> tuple[str, int]:
    letters = code.rstrip("0123456789")
    digits = code[len(letters):]
    return letters, int(digits) if digits else 0


def assessment_get(*, user, pk: int) -> Assessment:
    return get_visible_or_404(
        visible_assessments(user).select_related("facility__district", "version__tool",
                                                 "version__rule_set", "score"),
        pk=pk,
    )


def assessment_scorecard(*, user, pk: int) -> ScorecardPage:
    """The stored score card of an assessment the user may see (404 otherwise)."""
    assessment = assessment_get(user=user, pk=pk)
    version_id = assessment.version_id
    version = assessment.version
    texts = texts_for(version) if version.second_language else None
    area_titles = _titles(AreaOfConcern.objects.filter(department__version_id=version_id)
                          .order_by("-department__order").values_list("id", "letter", "title"),
                          texts, Translation.Kind.AREA)
    standard_titles = _titles(Standard.objects.filter(area__department__version_id=version_id)
                              .order_by("-area__department__order")
                              .values_list("id", "code", "title"),
                              texts, Translation.Kind.STANDARD)
    rows = ScoreRow.objects.filter(assessment=assessment).values_list(
        "department__name", "department__order", "level", "code", "obtained", "maximum",
        "score", "scored", "not_applicable",
    )
    areas, standards = [], []
    departments: dict[str, tuple[int, DepartmentFigures]] = {}
    for dep, order, level, code, obtained, maximum, score, scored, na in rows:
        title = (area_titles if level == ScoreRow.Level.AREA else standard_titles).get(code, "")
        figure = Figure(code, title if level != ScoreRow.Level.DEPARTMENT else dep,
                        obtained, maximum, score, scored, na)
        if dep is None:
            (areas if level == ScoreRow.Level.AREA else standards).append(figure)
            continue
        if dep not in departments:
            departments[dep] = (order, DepartmentFigures(dep, Figure(dep, dep, 0, 0, None)))
        holder = departments[dep][1]
        if level == ScoreRow.Level.DEPARTMENT:
            holder.total = figure
        elif level == ScoreRow.Level.AREA:
            holder.areas.append(figure)
        else:
            holder.standards.append(figure)
    for _, holder in departments.values():
        holder.areas.sort(key=lambda f: f.code)
        holder.standards.sort(key=lambda f: natural_key(f.code))
    areas.sort(key=lambda f: f.code)
    standards.sort(key=lambda f: natural_key(f.code))
    ordered = [d for _, d in sorted(departments.values(), key=lambda pair: pair[0])]
    stored = getattr(assessment, "score", None)
    verdict = dict(stored.verdict) if stored is not None else {}
    if verdict:
        # Each criterion says whether it is met, not met or not yet judged (no unit with a
        # score), so no page shows "met" for a criterion nobody has answered.
        verdict["criteria"] = [{**c, "status": str(criterion_status(c))}
                               for c in verdict.get("criteria", [])]
    thresholds = {c["kind"]: c["threshold"] for c in verdict.get("criteria", [])}
    completeness = (Completeness(stored.checkpoints_answered, stored.checkpoints_total)
                    if stored is not None else Completeness(0, 0))
    themes = [dict(theme) for theme in (stored.themes if stored is not None else [])]
    for theme in themes:
        theme["other"] = ""
        if texts is not None:
            english = theme["name"]
            theme["name"] = texts.primary(Translation.Kind.THEME, theme["number"], "name", english)
            theme["other"] = texts.other(Translation.Kind.THEME, theme["number"], "name",
                                         english) or ""
    definition = version.rule_set.definition if version.rule_set_id else {}
    return ScorecardPage(
        assessment, areas, standards, ordered, verdict, thresholds, completeness,
        groups=stored.groups if stored is not None else [], themes=themes,
        not_present=list(assessment.not_present),
        rule_set_verified=definition.get("verified", True) is not False,
        rule_set_source=definition.get("source", ""),
        other_language=texts.other_language if texts else "",
    )


def _titles(rows, texts: Texts | None, kind: str) -> dict[str, str]:
    """Code -> title in the reader's language; rows (id, code, title) in reverse order, so
    the first department's title wins, as the checklist's own order has it."""
    if texts is None:
        return {code: title for _pk, code, title in rows}
    return {code: texts.primary(kind, pk, "title", title) for pk, code, title in rows}


# ---------------------------------------------------------------------------------------
# The gap list (views/gaps.py): every answered checkpoint below full score.

def counted_responses(assessment: Assessment):
    """The assessment's answers that count in its figures: not those of a department the
    facility does not have, nor those a sub-centre's service profile makes NA."""
    from .models import Response
    from .services import services_not_offered

    rows = Response.objects.filter(assessment=assessment)
    if assessment.not_present:
        rows = rows.exclude(checkpoint__department__name__in=assessment.not_present)
    not_offered = services_not_offered(assessment)
    if not_offered:
        rows = rows.exclude(checkpoint__service__in=list(not_offered))
    return rows


GAP_FIELDS = (
    "id", "value", "remark",
    "checkpoint__department__name", "checkpoint__standard__area__letter",
    "checkpoint__standard__area__title", "checkpoint__standard__code",
    "checkpoint__standard__title", "checkpoint__measurable_element__code",
    "checkpoint__measurable_element__text", "checkpoint__text", "checkpoint__methods",
    "checkpoint__means_of_verification",
)


@dataclass
class GapFilterChoices:
    departments: list[tuple[int, str]]
    areas: list[tuple[str, str]]
    standards: list[str]


def assessment_gaps(*, assessment: Assessment, department_id: int | None = None,
                    area: str = "", standard: str = ""):
    """The gaps of an assessment the caller already may see: answers scored below the
    checkpoint's full score (0 or 1 of 2; 0 or 0.5 of 1), NA excluded, in checklist order,
    as one query of plain rows (keys: GAP_FIELDS)."""
    rows = counted_responses(assessment).filter(value__lt=assessment.version.full_score)
    if department_id:
        rows = rows.filter(checkpoint__department_id=department_id)
    if area:
        rows = rows.filter(checkpoint__standard__area__letter=area)
    if standard:
        rows = rows.filter(checkpoint__standard__code=standard)
    return rows.order_by("checkpoint__order").values(*GAP_FIELDS)


def gap_filter_choices(*, assessment: Assessment) -> GapFilterChoices:
    """What the gap list can be filtered by, from the assessment's checklist (3 queries)."""
    from srishti.checklists.models import Department

    version_id = assessment.version_id
    departments = list(Department.objects.filter(version_id=version_id)
                       .order_by("order").values_list("id", "name"))
    # Area titles repeat in every department; the first one found names the letter.
    areas: dict[str, str] = {}
    for letter, title in (AreaOfConcern.objects.filter(department__version_id=version_id)
                          .order_by("letter", "department__order").values_list("letter", "title")):
        areas.setdefault(letter, title)
    codes = set(Standard.objects.filter(area__department__version_id=version_id)
                .values_list("code", flat=True).distinct())
    return GapFilterChoices(departments, sorted(areas.items()), sorted(codes, key=natural_key))


# ---------------------------------------------------------------------------------------
# An assessor's work: the departments assigned to them and what is still to answer.

@dataclass
class AssignedWork:
    assessment: Assessment
    departments: list[str]
    answered: int
    total: int
    due: object  # the assessment's end date, or None
    overdue: bool

    @property
    def remaining(self) -> int:
        return self.total - self.answered


def assessor_work(*, user, today) -> list[AssignedWork]:
    """The assessments assigned to the user (as assessor), open ones first, soonest due
    first: the assigned departments and how many of their checkpoints are answered. An
    open assessment past its end date is overdue. Four queries whatever the number."""
    from django.db.models import Count

    from srishti.checklists.models import Checkpoint

    from .models import Assignment, Response

    assignments = list(
        Assignment.objects.filter(assessor_id=user.pk,
                                  assessment__in=visible_assessments(user))
        .select_related("assessment__facility__district", "assessment__version__tool",
                        "department")
        .order_by("assessment_id", "department__order"))
    if not assignments:
        return []
    department_ids = {a.department_id for a in assignments}
    totals = dict(Checkpoint.objects.filter(department_id__in=department_ids).order_by()
                  .values("department_id").annotate(n=Count("id"))
                  .values_list("department_id", "n"))
    answered = {(r["assessment_id"], r["checkpoint__department_id"]): r["n"]
                for r in Response.objects.filter(
                    assessment_id__in={a.assessment_id for a in assignments},
                    checkpoint__department_id__in=department_ids).order_by()
                .values("assessment_id", "checkpoint__department_id").annotate(n=Count("id"))}
    work: dict[int, AssignedWork] = {}
    for a in assignments:
        assessment = a.assessment
        row = work.get(assessment.pk)
        if row is None:
            is_open = assessment.status != Assessment.Status.SUBMITTED
            row = work[assessment.pk] = AssignedWork(
                assessment, [], 0, 0, assessment.end_date,
                bool(is_open and assessment.end_date and assessment.end_date < today))
        row.departments.append(a.department.name)
        row.total += totals.get(a.department_id, 0)
        row.answered += answered.get((assessment.pk, a.department_id), 0)
    return sorted(work.values(), key=lambda w: (
        w.assessment.status == Assessment.Status.SUBMITTED, w.due is None,
        w.due or w.assessment.start_date, w.assessment.pk))


# ---------------------------------------------------------------------------------------
# The assessment list: filters, search and sorting over what the user may see.

@dataclass
class AssessmentFilters:
    district: int = 0
    facility: int = 0
    tool: str = ""
    kind: str = ""
    status: str = ""
    since: object = None  # a date or None
    until: object = None
    q: str = ""
    sort: str = "-date"


# Sort keys offered on the page -> the order they give (newest first by default).
ASSESSMENT_SORTS = {
    "-date": ("-start_date", "-id"),
    "date": ("start_date", "id"),
    "facility": ("facility__name", "-start_date", "-id"),
    "-score": ("-score__overall", "-start_date", "-id"),
    "score": ("score__overall", "-start_date", "-id"),
}


def assessment_list(*, user, filters: AssessmentFilters):
    """The assessments the user may see (an assessor: the assigned ones), filtered by
    district, facility, tool, type, status and date range, searched by facility name,
    NIN, assessors or series, in the chosen order (unscored last when sorting by score).
    One query for a page whatever its length."""
    from django.db.models import F, Q

    qs = (visible_assessments(user)
          .select_related("facility__district", "version__tool", "score"))
    f = filters
    if f.district:
        qs = qs.filter(facility__district_id=f.district)
    if f.facility:
        qs = qs.filter(facility_id=f.facility)
    if f.tool:
        qs = qs.filter(version__tool__code=f.tool)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.since:
        qs = qs.filter(start_date__gte=f.since)
    if f.until:
        qs = qs.filter(start_date__lte=f.until)
    if f.q:
        qs = qs.filter(Q(facility__name__icontains=f.q) | Q(facility__nin=f.q)
                       | Q(assessor_names__icontains=f.q) | Q(series__icontains=f.q))
    order = list(ASSESSMENT_SORTS.get(f.sort, ASSESSMENT_SORTS["-date"]))
    if order[0].endswith("score__overall"):
        field_ = F("score__overall")
        order[0] = (field_.desc(nulls_last=True) if order[0].startswith("-")
                    else field_.asc(nulls_last=True))
    return qs.order_by(*order)


# Without a district chosen, the facility menu lists at most this many (a state has
# thousands; the district menu narrows it).
FACILITY_CHOICES_MAX = 300


def assessment_filter_choices(*, user, district: int = 0) -> dict:
    """Districts, facilities and tools the user's assessments fall in (three queries).
    Facilities are offered for the chosen district, or for all when there are few."""
    from srishti.checklists.models import Tool
    from srishti.geography.models import District, Facility

    seen = visible_assessments(user)
    if district:
        seen_in = seen.filter(facility__district_id=district)
    facilities = (Facility.objects.filter(pk__in=(seen_in if district else seen)
                                          .values("facility_id"))
                  .order_by("name").only("id", "name"))
    return {
        "districts": District.objects.filter(
            pk__in=seen.values("facility__district_id")).order_by("name"),
        "facilities": facilities if district else facilities[:FACILITY_CHOICES_MAX],
        "tools": Tool.objects.filter(
            pk__in=seen.values("version__tool_id")).order_by("code"),
    }
