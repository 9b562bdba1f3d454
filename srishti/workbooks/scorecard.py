"""Score a parsed workbook without the database (`srishti scorecard`)."""

from __future__ import annotations

from typing import Any

from srishti.scoring.criteria import SEED_RULE_SETS, evaluate, point_step, rule_set_from_dict
from srishti.scoring.engine import score
from srishti.scoring.serialize import number, scorecard_to_dict, verdict_to_dict
from srishti.scoring.types import CheckpointScore, OverallRule, RuleSet

from .audit import workbook_slips
from .parsed import ParsedWorkbook


def checkpoint_scores(parsed: ParsedWorkbook) -> list[CheckpointScore]:
    """The answered checkpoints of a filled workbook as scoring input (blank = NA)."""
    full = max(parsed.levels)
    return [
        CheckpointScore(department=dep.name, area=area.letter, standard=std.code,
                        value=cp.value, full=full)
        for dep in parsed.departments
        for area in dep.areas
        for std in area.standards
        for cp in std.checkpoints
    ]


def seed_rule_set(*, tool: str, facility_type: str) -> RuleSet | None:
    """The newest built-in rule set for a tool and facility type, if there is one."""
    matches = [
        data for data in SEED_RULE_SETS
        if str(data.get("tool", "")).upper() == tool.upper()
        and facility_type in data.get("facility_types", [facility_type])  # type: ignore[operator]
    ]
    if not matches:
        return None
    return rule_set_from_dict(sorted(matches, key=lambda d: str(d["code"]))[-1])


def score_workbook(parsed: ParsedWorkbook, *, rule_set: RuleSet | None) -> dict[str, Any]:
    """The whole score card of a filled workbook as a JSON-friendly dict."""
    rule = rule_set.overall_rule if rule_set else OverallRule.POOLED
    card = score(checkpoint_scores(parsed), rule=rule,
                 department_order=[d.name for d in parsed.departments])
    result = scorecard_to_dict(card)
    result["certification"] = (
        verdict_to_dict(evaluate(card, rule_set, point_step=point_step(parsed.levels)))
        if rule_set else None
    )
    result["workbook_slips"] = [
        {
            "department": slip.department,
            "standard": slip.standard,
            "workbook": {"obtained": number(slip.workbook_obtained),
                         "maximum": number(slip.workbook_maximum)},
            "computed": {"obtained": number(slip.computed_obtained),
                         "maximum": number(slip.computed_maximum)},
        }
        for slip in workbook_slips(parsed)
    ]
    result["warnings"] = list(parsed.warnings)
    return result
