"""JSON-friendly forms of score cards and verdicts, shared by the CLI, the API and storage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .types import CriterionResult, ScoreCard, Tally, Verdict


def number(value: float | None) -> float | int | None:
    """Whole numbers as ints (294, not 294.0); others rounded to two decimals."""
    if value is None:
        return None
    if float(value).is_integer():
        return int(value)
    return round(value, 2)


def tally_to_dict(tally: Tally) -> dict[str, Any]:
    return {
        "obtained": number(tally.obtained),
        "maximum": number(tally.maximum),
        "score": number(tally.score),
    }


def tallies_to_dict(tallies: Mapping[str, Tally]) -> dict[str, dict[str, Any]]:
    return {code: tally_to_dict(t) for code, t in tallies.items()}


def scorecard_to_dict(card: ScoreCard) -> dict[str, Any]:
    return {
        "departments": [
            {
                "name": dep.name,
                "checkpoints_scored": dep.tally.scored,
                "checkpoints_not_applicable": dep.tally.not_applicable,
                **tally_to_dict(dep.tally),
                "areas": tallies_to_dict(dep.areas),
                "standards": tallies_to_dict(dep.standards),
            }
            for dep in card.departments
        ],
        "areas": tallies_to_dict(card.areas),
        "standards": tallies_to_dict(card.standards),
        "facility": {
            "obtained": number(card.facility.obtained),
            "maximum": number(card.facility.maximum),
            "score": number(card.overall),
            "rule": card.rule.value,
            "pooled": number(card.facility.score),
            "mean_of_departments": number(card.mean_of_departments),
            "checkpoints_scored": card.facility.scored,
            "checkpoints_not_applicable": card.facility.not_applicable,
        },
        "not_present": list(card.not_present),
        "groups": [{"name": g.name, "departments": list(g.departments),
                    "not_present": list(g.not_present), **tally_to_dict(g.tally)}
                   for g in card.groups],
        "themes": [{"key": t.key, "name": t.name, "mandatory": t.mandatory,
                    **tally_to_dict(t.tally)} for t in card.themes],
    }


def criterion_to_dict(result: CriterionResult) -> dict[str, Any]:
    return {
        "name": result.criterion.name,
        "kind": result.criterion.kind.value,
        "threshold": number(result.criterion.threshold),
        "value": number(result.value),
        "passed": result.passed,
        "shortfalls": [
            {
                "unit": s.unit,
                "score": number(s.score),
                "obtained": number(s.obtained),
                "maximum": number(s.maximum),
                "points_missing": number(s.points_missing),
            }
            for s in result.shortfalls
        ],
    }


def verdict_to_dict(verdict: Verdict) -> dict[str, Any]:
    return {
        "rule_set": verdict.rule_set,
        "verdict": verdict.label,
        "passed": verdict.passed,
        "badge": verdict.badge,
        "criteria": [criterion_to_dict(c) for c in verdict.criteria],
    }
