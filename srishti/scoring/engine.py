"""The scoring engine: pooled tallies at every level of one assessment.

A pure function of its inputs, no Django, no I/O. Scores always pool checkpoints
(sum obtained / sum maximum) because that is what NHSRC's rules say; averaging
percentages would let a three-checkpoint standard weigh as much as a sixty-checkpoint one.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Collection, Iterable, Sequence

from srishti.scoring.types import (
    CheckpointScore,
    DepartmentCard,
    DepartmentGroup,
    GroupCard,
    OverallRule,
    ScoreCard,
    Tally,
    Theme,
    ThemeCard,
)

__all__ = ["group_card", "mean_of_department_scores", "natural_key", "score"]

_DIGITS = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=8192)
def natural_key(code: str) -> tuple[tuple[int | str, ...], str]:
    """Sort key putting "A2" before "A10" (and "ME A1.2" before "ME A1.10").

    The raw code is the tie-breaker so that codes equal up to leading zeros ("A01", "A1")
    still sort deterministically.
    """
    parts = _DIGITS.split(code)
    # re.split with a capturing group alternates text and digits, text first, so two
    # keys never compare an int with a str at the same position.
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts)), code


def _tally(acc: list[float]) -> Tally:
    return Tally(acc[0], acc[1], int(acc[2]), int(acc[3]))


def _sum_into(target: list[float], acc: list[float]) -> None:
    target[0] += acc[0]
    target[1] += acc[1]
    target[2] += acc[2]
    target[3] += acc[3]


def _add(into: dict[str, list[float]], key: str, acc: list[float]) -> None:
    target = into.get(key)
    if target is None:
        # A copy, because `acc` goes on to be added into other units too.
        into[key] = acc.copy()
    else:
        _sum_into(target, acc)


def _tallies(into: dict[str, list[float]]) -> dict[str, Tally]:
    return {key: _tally(into[key]) for key in sorted(into, key=natural_key)}


def score(
    checkpoints: Iterable[CheckpointScore],
    *,
    rule: OverallRule,
    department_order: Sequence[str] | None = None,
    themes: Sequence[Theme] = (),
    groups: Sequence[DepartmentGroup] = (),
    not_present: Collection[str] = (),
) -> ScoreCard:
    """Score one assessment at standard, area, department and facility level.

    NA checkpoints (value None) count in neither obtained nor maximum; a scored checkpoint
    adds its value to obtained and its `full` to maximum. Every figure pools checkpoints.
    A unit whose checkpoints are all NA keeps a Tally whose `score` is None.

    Departments come in `department_order` when given (departments it does not name are
    appended in first-seen order; names it lists that have no checkpoints are left out),
    otherwise in first-seen order. Areas and standards are in natural order (A2 < A10).
    `overall` is the facility's pooled score or the mean of department scores, as `rule`
    says; both figures are on the card either way.

    Departments in `not_present` (the facility has no such department: the workbook's
    "NA switch") are left out of every figure, as if they were not in the checklist, and
    listed on the card's `not_present`. A theme pools the checkpoints that name its key
    in `CheckpointScore.themes`; a group pools its departments that are present (all of
    them absent, or all NA: no score). Themes and groups come in the order given.

    Raises ValueError for a checkpoint whose `full` is not positive or whose value lies
    outside 0..full: such a value would push scores outside 0-100 without anyone noticing.
    """
    rule = OverallRule(rule)
    # One dict update per checkpoint, keyed by the finest unit; every coarser figure is
    # rolled up from these few hundred cells afterwards. Each cell is
    # [obtained, maximum, scored, not_applicable].
    cells: dict[tuple[str, str, str], list[float]] = {}
    last_key: tuple[str, str, str] | None = None
    cell: list[float] = []
    absent = frozenset(not_present)
    theme_cells: dict[str, list[float]] = {theme.key: [0.0, 0.0, 0, 0] for theme in themes}
    for cp in checkpoints:
        if absent and cp.department in absent:
            continue
        key = (cp.department, cp.area, cp.standard)
        # Checklists list a standard's checkpoints together, so the previous cell is
        # almost always the right one and the dict lookup can be skipped.
        if key != last_key:
            found = cells.get(key)
            if found is None:
                found = cells[key] = [0.0, 0.0, 0, 0]
            cell = found
            last_key = key
        value = cp.value
        if value is None:
            cell[3] += 1
        else:
            full = cp.full
            if not 0 <= value <= full or full <= 0:
                raise ValueError(
                    f"checkpoint in {cp.department!r} standard {cp.standard!r} has value "
                    f"{value!r} outside 0..{full!r} (full must be positive)"
                )
            cell[0] += value
            cell[1] += full
            cell[2] += 1
        if cp.themes:
            for theme_key in cp.themes:
                theme_cell = theme_cells.get(theme_key)
                if theme_cell is None:
                    continue  # a theme the caller did not ask about
                if value is None:
                    theme_cell[3] += 1
                else:
                    theme_cell[0] += value
                    theme_cell[1] += cp.full
                    theme_cell[2] += 1

    # Roll up in steps, each from the level below, so each level reads a few hundred cells
    # at most rather than every checkpoint again.
    dept_standards: dict[str, dict[str, list[float]]] = {}
    dept_areas: dict[str, dict[str, list[float]]] = {}
    for (department, area, standard), acc in cells.items():
        in_standards = dept_standards.get(department)
        if in_standards is None:
            in_standards = dept_standards[department] = {}
            dept_areas[department] = {}
        _add(in_standards, standard, acc)
        _add(dept_areas[department], area, acc)

    areas: dict[str, list[float]] = {}
    standards: dict[str, list[float]] = {}
    dept_acc: dict[str, list[float]] = {}
    for department, in_areas in dept_areas.items():
        total = [0.0, 0.0, 0, 0]
        for area, acc in in_areas.items():
            _add(areas, area, acc)
            _sum_into(total, acc)
        dept_acc[department] = total
        for standard, acc in dept_standards[department].items():
            _add(standards, standard, acc)
    facility = [0.0, 0.0, 0, 0]
    for acc in dept_acc.values():
        _sum_into(facility, acc)

    names: list[str] = list(dept_acc)
    if department_order is not None:
        known = [name for name in dict.fromkeys(department_order) if name in dept_acc]
        listed = set(known)
        names = known + [name for name in names if name not in listed]

    departments = tuple(
        DepartmentCard(
            name=name,
            tally=_tally(dept_acc[name]),
            areas=_tallies(dept_areas[name]),
            standards=_tallies(dept_standards[name]),
        )
        for name in names
    )
    facility_tally = _tally(facility)
    mean = mean_of_department_scores(departments)
    group_cards = []
    for group in groups:
        members = tuple(name for name in dict.fromkeys(group.departments)
                        if name not in absent)
        total = [0.0, 0.0, 0, 0]
        for name in members:
            if name in dept_acc:
                _sum_into(total, dept_acc[name])
        group_cards.append(GroupCard(
            name=group.name, departments=members, tally=_tally(total),
            not_present=tuple(name for name in dict.fromkeys(group.departments)
                              if name in absent)))
    order = list(department_order or ())
    order += sorted(absent - set(order))
    return ScoreCard(
        departments=departments,
        areas=_tallies(areas),
        standards=_tallies(standards),
        facility=facility_tally,
        mean_of_departments=mean,
        rule=rule,
        overall=facility_tally.score if rule is OverallRule.POOLED else mean,
        themes=tuple(ThemeCard(t.key, t.name, t.mandatory, _tally(theme_cells[t.key]))
                     for t in themes),
        groups=tuple(group_cards),
        not_present=tuple(name for name in dict.fromkeys(order) if name in absent),
    )


def group_card(card: ScoreCard, group: GroupCard) -> ScoreCard:
    """The score card of one group's departments alone, as if they were the whole
    checklist: what a programme's rule set (LaQshya, MusQan) judges. Rolled up from the
    departments' figures, so it agrees with the card to the last bit."""
    members = set(group.departments)
    departments = tuple(d for d in card.departments if d.name in members)
    areas: dict[str, list[float]] = {}
    standards: dict[str, list[float]] = {}
    facility = [0.0, 0.0, 0, 0]
    for department in departments:
        for code, tally in department.areas.items():
            _add(areas, code, list(tally))
        for code, tally in department.standards.items():
            _add(standards, code, list(tally))
        _sum_into(facility, list(department.tally))
    tally = _tally(facility)
    mean = mean_of_department_scores(departments)
    return ScoreCard(
        departments=departments,
        areas=_tallies(areas),
        standards=_tallies(standards),
        facility=tally,
        mean_of_departments=mean,
        rule=card.rule,
        overall=tally.score if card.rule is OverallRule.POOLED else mean,
        not_present=group.not_present,
    )


def mean_of_department_scores(departments: Iterable[DepartmentCard]) -> float | None:
    """Arithmetic mean of the departments' pooled scores, leaving out all-NA departments.

    None when no department has a score. This is the overall figure of NHSRC's Gunak app.
    """
    scores = [s for s in (d.tally.score for d in departments) if s is not None]
    if not scores:
        return None
    mean = math.fsum(scores) / len(scores)
    # The division can round one ulp past the extremes (three equal thirds, say); a mean
    # outside its own inputs would be reported as a contradiction, so clamp it.
    return min(max(mean, min(scores)), max(scores))
