"""Value types shared by the scoring engine, the certification criteria and their callers.

Everything here is plain data: no Django, no I/O. Callers (the workbook reader, the
database fetch step) translate their own rows into `CheckpointScore` values.

Immutable named tuples: a district hospital is scored from ~6,500 `CheckpointScore`
values, built in half the time of frozen dataclasses, and the module imports without
`dataclasses` (whose import is ~6 ms of a ~0.1 s `srishti scorecard`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import NamedTuple


class CheckpointScore(NamedTuple):
    """One answered checkpoint, located in the hierarchy by codes.

    `value` is None when the checkpoint was marked not applicable (NA). `full` is the
    score a fully compliant answer earns (2 for NQAS, 1 for Kayakalp); it is the
    checkpoint's contribution to a maximum when the checkpoint is scored.
    """

    department: str
    area: str
    standard: str
    value: float | None
    full: float = 2.0
    # Keys of the themes (AAM-SC service packages) whose measurable elements hold this
    # checkpoint; empty for checklists without themes.
    themes: tuple[str, ...] = ()


class Tally(NamedTuple):
    """Pooled totals of a unit (standard, area, department or facility)."""

    obtained: float = 0.0
    maximum: float = 0.0
    scored: int = 0
    not_applicable: int = 0

    @property
    def score(self) -> float | None:
        """100 x obtained / maximum; None when nothing was scored (all NA)."""
        if self.maximum == 0:
            return None
        return 100.0 * self.obtained / self.maximum

    # Adding tallies sums them field by field (a tuple would concatenate).
    def __add__(self, other: Tally) -> Tally:  # type: ignore[override]
        return Tally(
            obtained=self.obtained + other.obtained,
            maximum=self.maximum + other.maximum,
            scored=self.scored + other.scored,
            not_applicable=self.not_applicable + other.not_applicable,
        )


class OverallRule(StrEnum):
    """How a facility's overall score is formed from its departments."""

    POOLED = "pooled"
    MEAN_OF_DEPARTMENTS = "mean_of_departments"


class DepartmentCard(NamedTuple):
    name: str
    tally: Tally
    areas: Mapping[str, Tally]
    standards: Mapping[str, Tally]


class Theme(NamedTuple):
    """A theme of a checklist (an AAM-SC service package): a set of measurable elements
    scored together. `key` is what `CheckpointScore.themes` names."""

    key: str
    name: str
    mandatory: bool = False


class ThemeCard(NamedTuple):
    key: str
    name: str
    mandatory: bool
    tally: Tally


class DepartmentGroup(NamedTuple):
    """Departments whose pooled score is a programme's score (LaQshya: labour room and
    maternity OT) inside a larger checklist."""

    name: str
    departments: tuple[str, ...]


class GroupCard(NamedTuple):
    name: str
    # The group's departments the facility has (not marked not present), in its order.
    departments: tuple[str, ...]
    tally: Tally
    not_present: tuple[str, ...] = ()


class ScoreCard(NamedTuple):
    """Scores of one assessment at every level.

    `areas` and `standards` are facility-wide: pooled across all departments.
    `overall` is the figure the rule names; both candidate figures are kept so a report
    can show the other one too.
    """

    departments: tuple[DepartmentCard, ...]
    areas: Mapping[str, Tally]
    standards: Mapping[str, Tally]
    facility: Tally
    mean_of_departments: float | None
    rule: OverallRule
    overall: float | None
    themes: tuple[ThemeCard, ...] = ()
    groups: tuple[GroupCard, ...] = ()
    # Departments the facility does not have: in no figure at all (not scored 0).
    not_present: tuple[str, ...] = ()


class CriterionKind(StrEnum):
    OVERALL = "overall"
    EACH_DEPARTMENT = "each_department"
    EACH_AREA = "each_area"
    CRITICAL_STANDARDS = "critical_standards"
    EACH_STANDARD = "each_standard"
    # Every mandatory theme (AAM-SC service package) that has a score.
    MANDATORY_THEMES = "mandatory_themes"


class Criterion(NamedTuple):
    kind: CriterionKind
    threshold: float
    standards: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        if self.kind is CriterionKind.CRITICAL_STANDARDS:
            return f"critical standards ({', '.join(self.standards)})"
        return self.kind.value.replace("_", " ")


class Badge(NamedTuple):
    """A named level reached by the overall score (LaQshya silver/gold/platinum)."""

    name: str
    threshold: float
    strictly_above: bool = False


class RuleSet(NamedTuple):
    code: str
    overall_rule: OverallRule
    criteria: tuple[Criterion, ...]
    badges: tuple[Badge, ...] = ()


class Shortfall(NamedTuple):
    """One unit that missed a criterion, with what it still lacks."""

    unit: str
    score: float
    obtained: float
    maximum: float
    points_missing: float | None


class CriterionResult(NamedTuple):
    criterion: Criterion
    value: float | None
    passed: bool
    shortfalls: tuple[Shortfall, ...] = ()


class Verdict(NamedTuple):
    rule_set: str
    passed: bool
    criteria: tuple[CriterionResult, ...]
    badge: str | None = None

    @property
    def label(self) -> str:
        if self.badge:
            return self.badge
        return "certifiable" if self.passed else "not certifiable"
