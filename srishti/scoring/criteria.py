"""Certification criteria: judging a score card against a versioned rule set.

Rule sets are data (NHSRC changes thresholds between tool versions), so this module also
reads and writes them as JSON-friendly dicts and holds the seed data a migration loads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum

from srishti.scoring.types import (
    Badge,
    Criterion,
    CriterionKind,
    CriterionResult,
    OverallRule,
    RuleSet,
    ScoreCard,
    Shortfall,
    Tally,
    Verdict,
)

__all__ = [
    "METADATA_KEYS",
    "SEED_RULE_SETS",
    "evaluate",
    "largest_gap",
    "point_step",
    "meets",
    "rule_set_from_dict",
    "rule_set_to_dict",
]

# Sums of 0/0.5/1/2 are exact in binary floating point, so the slack only matters for
# odd `full` values or thresholds such as 33.3; it is far below any real score step
# (one point in 10,000 checkpoints is 5e-5 of the maximum).
_RELATIVE_SLACK = 1e-9

FACILITY = "facility"


def meets(obtained: float, maximum: float, threshold: float, *, strictly: bool = False) -> bool:
    """Whether obtained/maximum reaches `threshold` percent, compared without division.

    `100 * obtained >= threshold * maximum` (or `>` when `strictly`), with a relative slack
    of 1e-9 so a figure that is exactly the threshold on paper (70.0%) is never failed
    over a rounding error in the last bit.
    """
    have = 100.0 * obtained
    need = threshold * maximum
    slack = _RELATIVE_SLACK * max(abs(need), abs(have), 1.0)
    if strictly:
        return have > need + slack
    return have >= need - slack


def _points_missing(obtained: float, maximum: float, threshold: float, step: float) -> float:
    # Exact rational arithmetic on the floats' own values, because ceil() on a float
    # quotient turns 3.0000000000000004 into 4 steps. Integer ratios rather than
    # `fractions.Fraction`: the same exactness without its import, which would cost
    # `srishti scorecard` about 5 ms.
    tn, td = threshold.as_integer_ratio()
    mn, md = maximum.as_integer_ratio()
    on, od = obtained.as_integer_ratio()
    sn, sd = step.as_integer_ratio()
    # steps = ceil((threshold * maximum / 100 - obtained) / step)
    numerator = (tn * mn * od - 100 * td * md * on) * sd
    denominator = 100 * td * md * od * sn
    steps = -(-numerator // denominator)
    # A unit failed by `meets` lacks at least one step, even when the gap is a rounding
    # sliver; zero "points missing" beside a failed criterion would read as a bug.
    return max(steps, 1) * float(step)


def _judge(
    criterion: Criterion,
    units: Iterable[tuple[str, Tally]],
    step: float,
) -> CriterionResult:
    checked: list[float] = []
    shortfalls: list[Shortfall] = []
    for unit, tally in units:
        figure = tally.score
        if figure is None:
            continue
        checked.append(figure)
        if not meets(tally.obtained, tally.maximum, criterion.threshold):
            shortfalls.append(
                Shortfall(
                    unit=unit,
                    score=figure,
                    obtained=tally.obtained,
                    maximum=tally.maximum,
                    points_missing=_points_missing(
                        tally.obtained, tally.maximum, criterion.threshold, step
                    ),
                )
            )
    # Stable sort: units with equal scores keep the card's order.
    shortfalls.sort(key=lambda s: s.score)
    return CriterionResult(
        criterion=criterion,
        value=min(checked) if checked else None,
        passed=not shortfalls,
        shortfalls=tuple(shortfalls),
    )


def _judge_overall(criterion: Criterion, card: ScoreCard, step: float) -> CriterionResult:
    if card.rule == OverallRule.POOLED:
        result = _judge(criterion, [(FACILITY, card.facility)], step)
    else:
        mean = card.mean_of_departments
        result = CriterionResult(criterion=criterion, value=mean, passed=True)
        if mean is not None and not meets(mean, 100.0, criterion.threshold):
            # A mean of percentages has no points behind it: it is reported out of 100,
            # and no number of points "missing" can be named honestly.
            shortfall = Shortfall(
                unit=FACILITY, score=mean, obtained=mean, maximum=100.0, points_missing=None
            )
            result = CriterionResult(
                criterion=criterion, value=mean, passed=False, shortfalls=(shortfall,)
            )
    if result.value is None:
        # Nothing at all was scored. Skipping would certify an empty assessment, so the
        # overall criterion is the one unit that fails for want of a figure.
        return CriterionResult(criterion=criterion, value=None, passed=False)
    return result


def _units(criterion: Criterion, card: ScoreCard) -> Iterable[tuple[str, Tally]]:
    kind = criterion.kind
    if kind == CriterionKind.EACH_DEPARTMENT:
        return [(d.name, d.tally) for d in card.departments]
    if kind == CriterionKind.EACH_AREA:
        return card.areas.items()
    if kind == CriterionKind.EACH_STANDARD:
        return card.standards.items()
    if kind == CriterionKind.CRITICAL_STANDARDS:
        # A critical standard absent from the card (not in this checklist, or no
        # department assessed it) has nothing to judge, like an all-NA one.
        standards = card.standards
        return [(code, standards[code]) for code in criterion.standards if code in standards]
    if kind == CriterionKind.MANDATORY_THEMES:
        # Named by the theme's name, so the verdict says which service package failed.
        return [(theme.name, theme.tally) for theme in card.themes if theme.mandatory]
    raise ValueError(f"unknown criterion kind {kind!r}")


def _reaches(card: ScoreCard, badge: Badge) -> bool:
    if card.rule == OverallRule.POOLED:
        obtained, maximum = card.facility.obtained, card.facility.maximum
        if maximum == 0:
            return False
    else:
        if card.mean_of_departments is None:
            return False
        obtained, maximum = card.mean_of_departments, 100.0
    return meets(obtained, maximum, badge.threshold, strictly=badge.strictly_above)


def evaluate(card: ScoreCard, rule_set: RuleSet, *, point_step: float = 1.0) -> Verdict:
    """Judge a score card against every criterion of a rule set.

    Each criterion is checked on its units (the facility, every department, every
    facility-wide area or standard, or the listed critical standards). Units without a
    score (all NA, or a critical standard the card does not have) are skipped, never
    failed; the one exception is an overall criterion on a card where nothing was scored
    at all, which fails with value None so an empty assessment is never certifiable.

    A pooled unit passes when `100 * obtained >= threshold * maximum`. Each failing unit is
    listed, worst first, with the points it still needs at the same maximum, rounded up to
    a multiple of `point_step` (1 for NQAS's 0/1/2 scale, 0.5 for Kayakalp's 0/0.5/1).

    The badge is the highest one the overall figure reaches, and only when every
    criterion passed.

    Raises ValueError when `point_step` is not positive, or when the card was scored with
    an overall rule other than the rule set's: judging a mean against a pooled rule would
    quietly certify on the wrong figure.
    """
    if not point_step > 0:
        raise ValueError(f"point_step must be positive, got {point_step!r}")
    if card.rule != rule_set.overall_rule:
        raise ValueError(
            f"score card uses the {str(card.rule)!r} overall rule but rule set "
            f"{rule_set.code!r} requires {str(rule_set.overall_rule)!r}; score again with "
            f"rule={str(rule_set.overall_rule)!r}"
        )
    results = tuple(
        _judge_overall(c, card, point_step)
        if c.kind == CriterionKind.OVERALL
        else _judge(c, _units(c, card), point_step)
        for c in rule_set.criteria
    )
    passed = all(r.passed for r in results)
    badge: str | None = None
    if passed:
        # Equal thresholds: the strict badge is the harder one to reach, so it ranks higher.
        for candidate in sorted(rule_set.badges, key=lambda b: (b.threshold, b.strictly_above)):
            if _reaches(card, candidate):
                badge = candidate.name
    return Verdict(rule_set=rule_set.code, passed=passed, criteria=results, badge=badge)


# ---------------------------------------------------------------------------------------
# Rule sets as data

# Keys a seed or stored rule set may carry for the code that files it (which tool and
# facility types it serves, the scoring step, where it came from); they do not change
# how a card is judged, so `rule_set_from_dict` accepts and ignores them.
METADATA_KEYS = frozenset({"tool", "facility_types", "point_step", "source", "verified"})

_RULE_SET_KEYS = frozenset({"code", "overall_rule", "criteria", "badges"})
_CRITERION_KEYS = frozenset({"kind", "threshold", "standards"})
_BADGE_KEYS = frozenset({"name", "threshold", "strictly_above"})


def _choices(members: Iterable[StrEnum]) -> str:
    return ", ".join(repr(member.value) for member in members)


def _check_keys(data: Mapping[str, object], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise ValueError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
            f"expected {', '.join(map(repr, sorted(allowed)))}"
        )


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def _list(value: object, where: str) -> Sequence[object]:
    # A string is a Sequence too, and "A2, B5" as a list of characters would be nonsense.
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ValueError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: expected a non-empty string, got {value!r}")
    return value


def _threshold(value: object, where: str) -> float:
    # bool is an int subclass; `True` as a threshold is a typo, not 1%.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: threshold must be a number, got {value!r}")
    if not 0 <= value <= 100:
        raise ValueError(f"{where}: threshold must be between 0 and 100, got {value!r}")
    return float(value)


def _criterion(data: object, where: str) -> Criterion:
    item = _mapping(data, where)
    _check_keys(item, _CRITERION_KEYS, where)
    if "kind" not in item:
        raise ValueError(f"{where}: missing 'kind'")
    try:
        kind = CriterionKind(str(item["kind"]))
    except ValueError:
        raise ValueError(
            f"{where}: unknown kind {item['kind']!r}; expected one of {_choices(CriterionKind)}"
        ) from None
    where = f"{where} ({kind.value})"
    if "threshold" not in item:
        raise ValueError(f"{where}: missing 'threshold'")
    threshold = _threshold(item["threshold"], where)
    codes = tuple(
        _text(code, f"{where}: standards[{i}]")
        for i, code in enumerate(_list(item.get("standards", []), f"{where}: standards"))
    )
    if kind == CriterionKind.CRITICAL_STANDARDS:
        if not codes:
            raise ValueError(f"{where}: critical_standards needs a non-empty 'standards' list")
        if len(set(codes)) != len(codes):
            raise ValueError(f"{where}: standards listed twice in {list(codes)!r}")
    elif codes:
        raise ValueError(
            f"{where}: only critical_standards takes 'standards'; {kind.value} judges "
            f"every unit, got {list(codes)!r}"
        )
    return Criterion(kind=kind, threshold=threshold, standards=codes)


def _badge(data: object, where: str) -> Badge:
    item = _mapping(data, where)
    _check_keys(item, _BADGE_KEYS, where)
    for key in ("name", "threshold"):
        if key not in item:
            raise ValueError(f"{where}: missing {key!r}")
    strictly = item.get("strictly_above", False)
    if not isinstance(strictly, bool):
        raise ValueError(f"{where}: strictly_above must be true or false, got {strictly!r}")
    return Badge(
        name=_text(item["name"], f"{where}: name"),
        threshold=_threshold(item["threshold"], where),
        strictly_above=strictly,
    )


def rule_set_from_dict(data: Mapping[str, object]) -> RuleSet:
    """Build a RuleSet from its JSON-friendly form (the inverse of `rule_set_to_dict`).

    Keys in METADATA_KEYS ("tool", "facility_types", ...) are ignored; any other unknown
    key is an error, since a misspelt "badges" would otherwise drop the badges silently.
    Raises ValueError naming the rule set and the offending entry for an unknown kind or
    overall rule, a threshold outside 0-100, critical_standards without standards, a
    duplicated badge name, or a missing or mistyped field.
    """
    top = _mapping(data, "rule set")
    code_value = top.get("code")
    where = f"rule set {code_value!r}" if isinstance(code_value, str) else "rule set"
    _check_keys(top, _RULE_SET_KEYS | METADATA_KEYS, where)
    for key in ("code", "overall_rule", "criteria"):
        if key not in top:
            raise ValueError(f"{where}: missing {key!r}")
    code = _text(code_value, f"{where}: code")
    try:
        overall_rule = OverallRule(str(top["overall_rule"]))
    except ValueError:
        raise ValueError(
            f"{where}: unknown overall_rule {top['overall_rule']!r}; "
            f"expected one of {_choices(OverallRule)}"
        ) from None
    criteria = tuple(
        _criterion(item, f"{where}: criteria[{i}]")
        for i, item in enumerate(_list(top["criteria"], f"{where}: criteria"))
    )
    if not criteria:
        raise ValueError(f"{where}: needs at least one criterion")
    badges = tuple(
        _badge(item, f"{where}: badges[{i}]")
        for i, item in enumerate(_list(top.get("badges", []), f"{where}: badges"))
    )
    names = [b.name for b in badges]
    if len(set(names)) != len(names):
        raise ValueError(f"{where}: badge names must be unique, got {names!r}")
    return RuleSet(code=code, overall_rule=overall_rule, criteria=criteria, badges=badges)


def rule_set_to_dict(rule_set: RuleSet) -> dict[str, object]:
    """The JSON-friendly form of a rule set, as stored and as `rule_set_from_dict` reads."""
    return {
        "code": rule_set.code,
        "overall_rule": rule_set.overall_rule.value,
        "criteria": [
            {"kind": c.kind.value, "threshold": c.threshold, "standards": list(c.standards)}
            for c in rule_set.criteria
        ],
        "badges": [
            {"name": b.name, "threshold": b.threshold, "strictly_above": b.strictly_above}
            for b in rule_set.badges
        ],
    }


def _nqas_2017(
    facility_type: str,
    *,
    department: float,
    area: float,
    critical: tuple[str, str, str],
    critical_threshold: float,
    also_for: tuple[str, ...] = (),
) -> dict[str, object]:
    return {
        "code": f"nqas-2017-{facility_type.lower()}",
        "tool": "NQAS",
        "facility_types": [facility_type, *also_for],
        "point_step": 1.0,
        "source": "NHSRC Gunak app, certification criteria table (2017)",
        "overall_rule": OverallRule.POOLED.value,
        "criteria": [
            {"kind": CriterionKind.OVERALL.value, "threshold": 70.0, "standards": []},
            {"kind": CriterionKind.EACH_DEPARTMENT.value, "threshold": department, "standards": []},
            {"kind": CriterionKind.EACH_AREA.value, "threshold": area, "standards": []},
            {
                "kind": CriterionKind.CRITICAL_STANDARDS.value,
                "threshold": critical_threshold,
                "standards": list(critical),
            },
            {"kind": CriterionKind.EACH_STANDARD.value, "threshold": 50.0, "standards": []},
        ],
        "badges": [],
    }


# What the seed-data migration loads. Only the 2017 Gunak table is machine-readable; later
# NQAS versions (a patient-satisfaction criterion, six criteria in 2024) belong in new
# rule sets with new codes once their thresholds are verified, never in edits to these.
SEED_RULE_SETS: tuple[dict[str, object], ...] = (
    # Sub-divisional hospitals are assessed with the district-hospital checklist.
    _nqas_2017(
        "DH", department=70.0, area=70.0, critical=("A2", "B5", "D10"), critical_threshold=70.0,
        also_for=("SDH",),
    ),
    _nqas_2017(
        "PHC", department=70.0, area=70.0, critical=("A2", "B5", "D8"), critical_threshold=60.0
    ),
    _nqas_2017(
        "CHC", department=60.0, area=60.0, critical=("A2", "B5", "F6"), critical_threshold=60.0
    ),
    _nqas_2017(
        "UPHC", department=60.0, area=60.0, critical=("A2", "B5", "F6"), critical_threshold=60.0
    ),
    {
        "code": "laqshya-2018",
        "tool": "LaQshya",
        # LaQshya covers the labour rooms and maternity OTs of district hospitals and
        # their equivalents, and of FRU CHCs; the 2018 workbook is one checklist for all.
        "facility_types": ["DH", "SDH", "CHC"],
        "point_step": 1.0,
        "source": "LaQshya labour-room workbook (2018); badge levels from the LaQshya guideline",
        "overall_rule": OverallRule.POOLED.value,
        "criteria": [{"kind": CriterionKind.OVERALL.value, "threshold": 70.0, "standards": []}],
        "badges": [
            {"name": "silver", "threshold": 70.0, "strictly_above": False},
            {"name": "gold", "threshold": 80.0, "strictly_above": True},
            {"name": "platinum", "threshold": 90.0, "strictly_above": True},
        ],
    },
    {
        "code": "kayakalp-2017",
        "tool": "Kayakalp",
        # The facility types of the 2017 DH/SDH/CHC Kayakalp workbook; PHC and UPHC use a
        # different Kayakalp checklist and get their own rule set when it is added.
        "facility_types": ["DH", "SDH", "CHC"],
        # Kayakalp checkpoints score 0, 0.5 or 1, so a shortfall is counted in half points.
        "point_step": 0.5,
        "source": "Kayakalp DH/SDH/CHC workbook (2017); 70% qualifies for external assessment",
        "overall_rule": OverallRule.POOLED.value,
        "criteria": [{"kind": CriterionKind.OVERALL.value, "threshold": 70.0, "standards": []}],
        "badges": [],
    },
)


# AAM-SC (the sub-centre Ayushman Arogya Mandir, formerly HWC-SC). What is known with
# confidence: the seven mandatory service packages must be offered (NHSRC, "Certification
# process under NQAS" for HWCs). The thresholds below follow the NQAS pattern of the other
# primary-care tools and are NOT verified against a published AAM-SC table: "verified"
# says so, and pages show it. A verified set gets a new code, never an edit of this one.
SEED_RULE_SETS += (
    {
        "code": "nqas-aam-sc-2020",
        "tool": "NQAS",
        "facility_types": ["AAM-SC"],
        "point_step": 1.0,
        "source": "NHSRC NQAS checklist for HWC-SC (Ayushman Arogya Mandir sub-centre): "
                  "7 mandatory service packages of 12; thresholds assumed (70% overall, "
                  "per area of concern and per mandatory package; 50% per standard), "
                  "not verified",
        "verified": False,
        "overall_rule": OverallRule.POOLED.value,
        "criteria": [
            {"kind": CriterionKind.OVERALL.value, "threshold": 70.0, "standards": []},
            {"kind": CriterionKind.EACH_AREA.value, "threshold": 70.0, "standards": []},
            {"kind": CriterionKind.MANDATORY_THEMES.value, "threshold": 70.0, "standards": []},
            {"kind": CriterionKind.EACH_STANDARD.value, "threshold": 50.0, "standards": []},
        ],
        "badges": [],
    },
    {
        "code": "musqan-2021",
        "tool": "MusQan",
        # The MusQan departments of a district hospital's NQAS checklist, judged together.
        "facility_types": ["DH", "SDH", "CHC"],
        "point_step": 1.0,
        "source": "MusQan guideline (MoHFW, 2021): 70% overall and in each department "
                  "(thresholds not verified)",
        "verified": False,
        "overall_rule": OverallRule.POOLED.value,
        "criteria": [
            {"kind": CriterionKind.OVERALL.value, "threshold": 70.0, "standards": []},
            {"kind": CriterionKind.EACH_DEPARTMENT.value, "threshold": 70.0, "standards": []},
        ],
        "badges": [],
    },
)


def largest_gap(verdict: Verdict) -> float | None:
    """How far the verdict is from passing, in percentage points: the largest distance
    between a failed criterion's threshold and its lowest figure.

    None when every criterion passed. A failed criterion with no figure at all (nothing
    scored) counts as its whole threshold. Stored with each score so that "close to
    certification" is a comparison in the database, not a walk through every verdict.
    """
    gaps = [
        result.criterion.threshold - (result.value if result.value is not None else 0.0)
        for result in verdict.criteria
        if not result.passed
    ]
    return max(gaps) if gaps else None


def point_step(levels: Iterable[float]) -> float:
    """The smallest gain a checkpoint's answer can make (1 for 0/1/2, 0.5 for Kayakalp's
    0/0.5/1): what "points missing" are counted in."""
    return min((float(v) for v in levels if float(v) > 0), default=1.0)
