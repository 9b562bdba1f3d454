"""What the printed reports show, read from stored scores in a fixed number of queries.

Every report goes through srishti.accounts.access: an assessment the person may not see,
or a district without a facility they may see, is missing (404), whatever the file type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from srishti.accounts.access import get_visible_or_404, visible_districts, visible_facilities
from srishti.assessments.models import Assessment, ScoreRow
from srishti.assessments.selectors import (
    Figure,
    ScorecardPage,
    assessment_scorecard,
    counted_responses,
)
from srishti.certification.models import FacilityStanding
from srishti.checklists.models import AreaOfConcern, Standard, Translation
from srishti.checklists.translations import texts_for
from srishti.dashboards.selectors import WeakStandard, pooled, weakest_standards
from srishti.geography.models import Block, District, Division, FacilityType

TOP_GAPS = 25
WEAKEST_STANDARDS = 10

# Criterion names are stored in English inside the verdict; the report names them by kind.
CRITERION_LABELS = {
    "overall": _("Overall score"),
    "each_department": _("Every department"),
    "each_area": _("Every area of concern"),
    "critical_standards": _("Critical standards"),
    "each_standard": _("Every standard"),
    "mandatory_themes": _("Every mandatory service package"),
}
_CODES_IN_NAME = re.compile(r"\(([^)]*)\)")


@dataclass
class Shortfall:
    unit: str
    score: float | None
    obtained: float | None
    maximum: float | None
    points_missing: float | None


@dataclass
class CriterionLine:
    kind: str
    label: str
    threshold: float
    value: float | None
    passed: bool
    shortfalls: list[Shortfall] = field(default_factory=list)
    status: str = ""  # scoring.standing.CriterionStatus: met, not_met, not_judged


@dataclass
class Gap:
    department: str
    area: str
    standard: str
    measurable_element: str
    checkpoint: str
    value: float
    remark: str


@dataclass
class MatrixRow:
    name: str
    total: Figure
    cells: list[Figure | None]


@dataclass
class ScorecardReport:
    page: ScorecardPage
    criteria: list[CriterionLine]
    gaps: list[Gap]
    gaps_total: int
    gaps_zero: int
    gaps_partial: int
    matrix: list[MatrixRow]
    full_score: float

    @property
    def assessment(self) -> Assessment:
        return self.page.assessment


def _criterion_label(item: dict) -> str:
    kind = item.get("kind", "")
    label = CRITERION_LABELS.get(kind)
    if label is None:
        return str(item.get("name", kind))
    if kind == "critical_standards":
        codes = _CODES_IN_NAME.search(item.get("name", ""))
        if codes:
            return f"{label} ({codes.group(1)})"
    return str(label)


def _criteria(page: ScorecardPage) -> list[CriterionLine]:
    area_titles = {f.code: f.title for f in page.areas}
    standard_titles = {f.code: f.title for f in page.standards}
    lines = []
    for item in page.verdict.get("criteria", []):
        kind = item.get("kind", "")
        shortfalls = []
        for s in item.get("shortfalls", []):
            unit = s.get("unit", "")
            if kind == "overall":
                unit = str(_("Facility"))
            elif kind == "each_area" and area_titles.get(unit):
                unit = f"{unit} {area_titles[unit]}"
            elif kind in ("each_standard", "critical_standards") and standard_titles.get(unit):
                unit = f"{unit} {standard_titles[unit]}"
            shortfalls.append(Shortfall(unit, s.get("score"), s.get("obtained"),
                                        s.get("maximum"), s.get("points_missing")))
        lines.append(CriterionLine(kind, _criterion_label(item), item.get("threshold"),
                                   item.get("value"), bool(item.get("passed")), shortfalls,
                                   item.get("status", "")))
    return lines


def _matrix(page: ScorecardPage) -> list[MatrixRow]:
    """Departments x areas of concern, in the card's order."""
    letters = [f.code for f in page.areas]
    rows = []
    for department in page.departments:
        by_code = {f.code: f for f in department.areas}
        rows.append(MatrixRow(department.name, department.total,
                              [by_code.get(code) for code in letters]))
    return rows


def top_gaps(assessment: Assessment, *, limit: int = TOP_GAPS) -> tuple[list[Gap], dict]:
    """The worst answers first (0, then partial), by standard in natural order (A2 before
    A10), then department and checklist order; with the counts of all gaps. Two queries."""
    full = assessment.version.full_score
    below = counted_responses(assessment).filter(value__lt=full)
    counts = below.aggregate(total=Count("id"), zero=Count("id", filter=Q(value=0)))
    rows = (below.order_by("value", "checkpoint__standard__area__letter",
                           Length("checkpoint__standard__code"), "checkpoint__standard__code",
                           "checkpoint__department__order", "checkpoint__order")
            .values_list("checkpoint__department__name", "checkpoint__standard__area__letter",
                         "checkpoint__standard__code", "checkpoint__measurable_element__code",
                         "checkpoint__text", "value", "remark", "checkpoint_id")[:limit])
    version = assessment.version
    texts = (texts_for(version, kinds=[Translation.Kind.CHECKPOINT],
                       object_ids=[row[-1] for row in rows])
             if version.second_language else None)
    gaps = [Gap(dep, area, std, me or "",
                texts.primary(Translation.Kind.CHECKPOINT, pk, "text", text) if texts else text,
                float(value), remark)
            for dep, area, std, me, text, value, remark, pk in rows]
    return gaps, counts


def scorecard_report(*, user, pk: int) -> ScorecardReport:
    """The score card of an assessment the user may see (404 otherwise), for printing."""
    page = assessment_scorecard(user=user, pk=pk)
    gaps, counts = top_gaps(page.assessment)
    return ScorecardReport(
        page=page, criteria=_criteria(page), gaps=gaps, gaps_total=counts["total"],
        gaps_zero=counts["zero"], gaps_partial=counts["total"] - counts["zero"],
        matrix=_matrix(page), full_score=page.assessment.version.full_score,
    )


# --------------------------------------------------------------------------- district
@dataclass
class FacilityLine:
    pk: int
    name: str
    facility_type: str
    type_label: str
    assessment_id: int | None
    kind: str
    date: object
    score: float | None
    passed: bool | None
    rank: int | None = None


@dataclass
class TypeCount:
    code: str
    label: str
    facilities: int = 0
    assessed: int = 0
    certifiable: int = 0


@dataclass
class DistrictReport:
    """The summary of a district, or of a division or a block (`place`; `district` is
    the block's district, None for a division)."""

    district: District | None
    tool: str
    facilities: list[FacilityLine]
    types: list[TypeCount]
    areas: list[Figure]
    weakest: list[WeakStandard]
    place: District | Division | Block | None = None

    @property
    def kind(self) -> str:
        """"district", "division" or "block"."""
        return type(self.place or self.district).__name__.lower()

    @property
    def heading(self) -> str:
        return str({"district": _("District summary"), "division": _("Division summary"),
                    "block": _("Block summary")}[self.kind])

    @property
    def title(self) -> str:
        place = self.place or self.district
        if isinstance(place, Division):
            return str(_("%(name)s division") % {"name": place.name})
        return place.name

    @property
    def where(self) -> str:
        """The place above: the state of a district or division, the district of a block."""
        place = self.place or self.district
        if isinstance(place, Block):
            return f"{place.district.name} · {place.district.state.name}"
        return place.state.name

    @property
    def assessed(self) -> int:
        return sum(1 for f in self.facilities if f.assessment_id)

    @property
    def certifiable(self) -> int:
        return sum(1 for f in self.facilities if f.passed)


def district_summary(*, user, pk: int | None = None, tool: str = "NQAS",
                     division: int | None = None, block: int | None = None) -> DistrictReport:
    """A district's (`pk`), a division's or a block's facilities the user may see, ranked
    by their latest submitted assessment (their current standing; assessments in progress
    count nowhere); 404 when the user sees none of them.

    Area and standard figures pool the facility-wide score rows of those latest
    assessments (sum obtained / sum maximum), never averaging percentages. A fixed number
    of queries, whatever the number of facilities.
    """
    facilities = visible_facilities(user)
    district = None
    if division is not None:
        place = get_visible_or_404(
            Division.objects.filter(districts__facilities__in=facilities)
            .select_related("state").distinct(), pk=division)
        facilities = facilities.filter(district__division=place)
    elif block is not None:
        place = get_visible_or_404(Block.objects.filter(facilities__in=facilities)
                                   .select_related("district__state").distinct(), pk=block)
        district = place.district
        facilities = facilities.filter(block=place)
    else:
        place = district = get_visible_or_404(visible_districts(user).select_related("state"),
                                              pk=pk)
        facilities = facilities.filter(district=district)
    # What counts: each facility's current standing (its latest submitted assessment).
    standing = (FacilityStanding.objects
                .filter(facility=OuterRef("pk"), current=True, tool__code=tool))
    rows = (facilities
            .annotate(latest_id=Subquery(standing.values("assessment_id")[:1]),
                      version_id=Subquery(standing.values("assessment__version_id")[:1]),
                      kind=Subquery(standing.values("kind")[:1]),
                      date=Subquery(standing.values("assessed_on")[:1]),
                      score=Subquery(standing.values("overall")[:1]),
                      passed=Subquery(standing.values("passed")[:1]))
            .values_list("id", "name", "facility_type", "latest_id", "version_id", "kind",
                         "date", "score", "passed"))
    type_labels = dict(FacilityType.choices)
    kind_labels = dict(Assessment.Kind.choices)
    lines, latest, versions = [], [], set()
    for pk_, name, ftype, latest_id, version_id, kind, date, score, passed in rows:
        lines.append(FacilityLine(pk_, name, ftype, str(type_labels.get(ftype, ftype)),
                                  latest_id, str(kind_labels.get(kind, "")) if kind else "",
                                  date, score, passed))
        if latest_id:
            latest.append(latest_id)
            versions.add(version_id)
    lines.sort(key=lambda f: (f.score is None, -(f.score or 0), f.name))
    for rank, line in enumerate((f for f in lines if f.score is not None), start=1):
        line.rank = rank

    types: dict[str, TypeCount] = {}
    for code, label in FacilityType.choices:
        types[code] = TypeCount(code, str(label))
    for line in lines:
        count = types[line.facility_type]
        count.facilities += 1
        count.assessed += bool(line.assessment_id)
        count.certifiable += bool(line.passed)

    facility_wide = ScoreRow.objects.filter(assessment_id__in=latest, department__isnull=True)
    area_rows = (facility_wide.filter(level=ScoreRow.Level.AREA).values_list("code")
                 .annotate(obtained=Sum("obtained"), maximum=Sum("maximum"),
                           scored=Sum("scored"), na=Sum("not_applicable")))
    area_titles: dict[str, str] = {}
    standard_titles: dict[str, str] = {}
    areas: list[Figure] = []
    weakest: list[WeakStandard] = []
    if latest:
        for letter, title in (AreaOfConcern.objects.filter(department__version_id__in=versions)
                              .order_by("department__order").values_list("letter", "title")):
            area_titles.setdefault(letter, title)
        areas = [Figure(code, area_titles.get(code, ""), obtained, maximum,
                        pooled(obtained, maximum), scored, na)
                 for code, obtained, maximum, scored, na in area_rows]
        areas.sort(key=lambda f: f.code)
        weakest = weakest_standards(latest, WEAKEST_STANDARDS)
        for code, title in (Standard.objects
                            .filter(area__department__version_id__in=versions,
                                    code__in=[w.code for w in weakest])
                            .order_by("area__department__order").values_list("code", "title")):
            standard_titles.setdefault(code, title)
        for w in weakest:
            w.title = standard_titles.get(w.code, "")
    shown_types = [t for t in types.values() if t.facilities]
    return DistrictReport(district, tool, lines, shown_types, areas, weakest, place)
