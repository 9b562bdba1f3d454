"""Reads of assessments for pages: everything from stored scores, in a fixed few queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from srishti.accounts.access import get_visible_or_404, visible_assessments
from srishti.checklists.models import AreaOfConcern, Standard

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


def natural_key(code: str) -> tuple[str, int]:
    letters = code.rstrip("0123456789")
    digits = code[len(letters):]
    return letters, int(digits) if digits else 0


def assessment_get(*, user, pk: int) -> Assessment:
    return get_visible_or_404(
        visible_assessments(user).select_related("facility__district", "version__tool", "score"),
        pk=pk,
    )


def assessment_scorecard(*, user, pk: int) -> ScorecardPage:
    """The stored score card of an assessment the user may see (404 otherwise)."""
    assessment = assessment_get(user=user, pk=pk)
    version_id = assessment.version_id
    area_titles = dict(
        AreaOfConcern.objects.filter(department__version_id=version_id)
        .order_by("-department__order").values_list("letter", "title")
    )
    standard_titles = dict(
        Standard.objects.filter(area__department__version_id=version_id)
        .order_by("-area__department__order").values_list("code", "title")
    )
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
    verdict = assessment.score.verdict if hasattr(assessment, "score") else {}
    thresholds = {c["kind"]: c["threshold"] for c in verdict.get("criteria", [])}
    return ScorecardPage(assessment, areas, standards, ordered, verdict, thresholds)
