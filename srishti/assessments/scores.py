"""How a score card becomes stored rows: the one mapping every writer of scores uses
(rescoring after a save, the sync path, and the Bihar-scale benchmark generator)."""

from __future__ import annotations

from typing import Any

from srishti.scoring.criteria import largest_gap
from srishti.scoring.serialize import verdict_to_dict
from srishti.scoring.types import RuleSet, ScoreCard, Tally, Verdict

from .models import ScoreRow

# Columns of ScoreRow filled by `score_rows`, in order (the assessment is a constant).
SCORE_ROW_FIELDS = ("department", "level", "code", "obtained", "maximum", "scored",
                    "not_applicable", "score")


def _row(department_id: int | None, level: str, code: str, tally: Tally) -> tuple:
    return (department_id, level, code, tally.obtained, tally.maximum, tally.scored,
            tally.not_applicable, tally.score)


def score_rows(card: ScoreCard, department_ids: dict[str, int]) -> list[tuple]:
    """Every figure of a card as ScoreRow tuples: per department (the department, its
    areas and standards) and facility-wide (areas and standards, department None)."""
    rows = []
    for dep in card.departments:
        dep_id = department_ids[dep.name]
        rows.append(_row(dep_id, ScoreRow.Level.DEPARTMENT, "", dep.tally))
        rows += [_row(dep_id, ScoreRow.Level.AREA, code, t) for code, t in dep.areas.items()]
        rows += [_row(dep_id, ScoreRow.Level.STANDARD, code, t)
                 for code, t in dep.standards.items()]
    rows += [_row(None, ScoreRow.Level.AREA, code, t) for code, t in card.areas.items()]
    rows += [_row(None, ScoreRow.Level.STANDARD, code, t) for code, t in card.standards.items()]
    return rows


def score_summary(card: ScoreCard, verdict: Verdict | None, rule_set: RuleSet | None,
                  checkpoints_total: int) -> dict[str, Any]:
    """The fields of AssessmentScore for a card and its verdict."""
    return {
        "rule": card.rule.value,
        "overall": card.overall,
        "pooled": card.facility.score,
        "mean_of_departments": card.mean_of_departments,
        "obtained": card.facility.obtained,
        "maximum": card.facility.maximum,
        "checkpoints_total": checkpoints_total,
        "checkpoints_answered": card.facility.scored + card.facility.not_applicable,
        "rule_set": rule_set.code if rule_set else "",
        "passed": verdict.passed if verdict else None,
        "verdict": verdict_to_dict(verdict) if verdict else {},
        "largest_gap": largest_gap(verdict) if verdict else None,
    }
