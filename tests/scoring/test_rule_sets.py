"""Rule sets as data: reading, writing, validating, and the seed sets."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srishti.scoring.criteria import (
    METADATA_KEYS,
    SEED_RULE_SETS,
    evaluate,
    rule_set_from_dict,
    rule_set_to_dict,
)
from srishti.scoring.engine import score
from srishti.scoring.types import (
    Badge,
    Criterion,
    CriterionKind,
    OverallRule,
    RuleSet,
)
from tests.scoring.builders import unit

SEED_CODES = [s["code"] for s in SEED_RULE_SETS]


def _seed(code: str) -> dict[str, object]:
    return next(s for s in SEED_RULE_SETS if s["code"] == code)


def _valid() -> dict[str, object]:
    return {
        "code": "test-1",
        "overall_rule": "pooled",
        "criteria": [
            {"kind": "overall", "threshold": 70, "standards": []},
            {"kind": "critical_standards", "threshold": 60, "standards": ["A2", "B5"]},
        ],
        "badges": [{"name": "silver", "threshold": 70, "strictly_above": False}],
    }


# Round trips


def test_from_dict_reads_the_documented_format():
    rs = rule_set_from_dict(_valid())

    assert rs == RuleSet(
        code="test-1",
        overall_rule=OverallRule.POOLED,
        criteria=(
            Criterion(CriterionKind.OVERALL, 70.0),
            Criterion(CriterionKind.CRITICAL_STANDARDS, 60.0, ("A2", "B5")),
        ),
        badges=(Badge("silver", 70.0),),
    )


def test_optional_keys_take_their_defaults():
    rs = rule_set_from_dict(
        {
            "code": "x",
            "overall_rule": "mean_of_departments",
            "criteria": [{"kind": "each_area", "threshold": 60}],
        }
    )

    assert rs.criteria == (Criterion(CriterionKind.EACH_AREA, 60.0),)
    assert rs.badges == ()


@pytest.mark.parametrize("code", SEED_CODES)
def test_every_seed_set_parses_and_round_trips_without_its_metadata(code):
    data = _seed(code)

    rs = rule_set_from_dict(data)

    assert rs.code == code
    without_metadata = {k: v for k, v in data.items() if k not in METADATA_KEYS}
    assert rule_set_to_dict(rs) == without_metadata
    assert rule_set_from_dict(rule_set_to_dict(rs)) == rs


@pytest.mark.parametrize("code", SEED_CODES)
def test_every_seed_set_is_json_and_survives_a_json_round_trip(code):
    data = _seed(code)

    assert rule_set_from_dict(json.loads(json.dumps(data))) == rule_set_from_dict(data)


thresholds = st.integers(0, 1000).map(lambda n: n / 10)
codes = st.from_regex(r"[A-H][1-9][0-9]?", fullmatch=True)
criteria_strategy = st.one_of(
    st.builds(
        Criterion,
        kind=st.sampled_from(
            [k for k in CriterionKind if k is not CriterionKind.CRITICAL_STANDARDS]
        ),
        threshold=thresholds,
        standards=st.just(()),  # builds() fills a named tuple's defaulted fields too
    ),
    st.builds(
        Criterion,
        kind=st.just(CriterionKind.CRITICAL_STANDARDS),
        threshold=thresholds,
        standards=st.lists(codes, min_size=1, max_size=4, unique=True).map(tuple),
    ),
)
rule_sets = st.builds(
    RuleSet,
    code=st.text(min_size=1).filter(str.strip),
    overall_rule=st.sampled_from(list(OverallRule)),
    criteria=st.lists(criteria_strategy, min_size=1, max_size=6).map(tuple),
    badges=st.lists(
        st.builds(
            Badge,
            name=st.text(min_size=1).filter(str.strip),
            threshold=thresholds,
            strictly_above=st.booleans(),
        ),
        max_size=3,
        unique_by=lambda b: b.name,
    ).map(tuple),
)


@given(rule_sets)
def test_any_rule_set_survives_to_dict_and_back_through_json(rs):
    assert rule_set_from_dict(json.loads(json.dumps(rule_set_to_dict(rs)))) == rs


# Validation


def _with(path: tuple[object, ...], value: object) -> dict[str, object]:
    data = copy.deepcopy(_valid())
    target: object = data
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _with(("criteria", 0, "kind"), "each_dept"),
            r"rule set 'test-1': criteria\[0\]: unknown kind 'each_dept'; expected one of "
            r"'overall', 'each_department'",
        ),
        (
            _with(("criteria", 0, "threshold"), 101),
            r"criteria\[0\] \(overall\): threshold must be between 0 and 100, got 101",
        ),
        (_with(("criteria", 0, "threshold"), -0.5), "between 0 and 100, got -0.5"),
        (_with(("criteria", 0, "threshold"), "70"), "threshold must be a number, got '70'"),
        (_with(("criteria", 0, "threshold"), True), "threshold must be a number, got True"),
        (
            _with(("criteria", 1, "standards"), []),
            r"criteria\[1\] \(critical_standards\): critical_standards needs a non-empty "
            r"'standards' list",
        ),
        (
            {k: v for k, v in _valid().items() if k != "criteria"}
            | {"criteria": [{"kind": "critical_standards", "threshold": 60}]},
            "critical_standards needs a non-empty 'standards' list",
        ),
        (_with(("criteria", 1, "standards"), "A2, B5"), "standards: expected a list, got str"),
        (_with(("criteria", 1, "standards"), ["A2", "A2"]), "standards listed twice"),
        (
            _with(("criteria", 0, "standards"), ["A2"]),
            "only critical_standards takes 'standards'",
        ),
        (_with(("criteria", 0, "threshhold"), 70), "unknown key"),
        (_with(("criteria",), []), "needs at least one criterion"),
        (_with(("overall_rule",), "average"), "unknown overall_rule 'average'; expected one of"),
        (_with(("badge",), []), r"rule set 'test-1': unknown key\(s\) 'badge'"),
        (_with(("badges", 0, "threshold"), 120), r"badges\[0\]: threshold must be between"),
        (_with(("badges", 0, "strictly_above"), "yes"), "strictly_above must be true or false"),
        (
            _with(("badges",), [{"name": "gold", "threshold": 80}] * 2),
            "badge names must be unique",
        ),
        (_with(("code",), ""), "code: expected a non-empty string"),
        ({"overall_rule": "pooled", "criteria": []}, "rule set: missing 'code'"),
        (_with(("criteria", 0), 70), r"criteria\[0\]: expected a mapping, got int"),
    ],
)
def test_invalid_rule_sets_raise_a_value_error_saying_what_is_wrong(data, message):
    with pytest.raises(ValueError, match=message):
        rule_set_from_dict(data)


def test_metadata_keys_are_accepted_and_ignored():
    data = _valid() | {"tool": "NQAS", "facility_types": ["DH"], "point_step": 1.0}

    assert rule_set_from_dict(data) == rule_set_from_dict(_valid())


# The seed data


def _criteria_table(code: str) -> list[tuple[str, float, tuple[str, ...]]]:
    return [
        (c.kind.value, c.threshold, c.standards) for c in rule_set_from_dict(_seed(code)).criteria
    ]


@pytest.mark.parametrize(
    ("code", "department", "area", "critical", "critical_threshold"),
    [
        ("nqas-2017-dh", 70, 70, ("A2", "B5", "D10"), 70),
        ("nqas-2017-phc", 70, 70, ("A2", "B5", "D8"), 60),
        ("nqas-2017-chc", 60, 60, ("A2", "B5", "F6"), 60),
        ("nqas-2017-uphc", 60, 60, ("A2", "B5", "F6"), 60),
    ],
)
def test_nqas_2017_seed_sets_match_the_gunak_table(
    code, department, area, critical, critical_threshold
):
    assert _criteria_table(code) == [
        ("overall", 70, ()),
        ("each_department", department, ()),
        ("each_area", area, ()),
        ("critical_standards", critical_threshold, critical),
        ("each_standard", 50, ()),
    ]
    assert rule_set_from_dict(_seed(code)).overall_rule is OverallRule.POOLED


def test_laqshya_seed_has_the_three_badges():
    rs = rule_set_from_dict(_seed("laqshya-2018"))

    assert _criteria_table("laqshya-2018") == [("overall", 70, ())]
    assert rs.badges == (
        Badge("silver", 70.0),
        Badge("gold", 80.0, strictly_above=True),
        Badge("platinum", 90.0, strictly_above=True),
    )


def test_kayakalp_seed_needs_70_overall_counted_in_half_points():
    data = _seed("kayakalp-2017")

    assert _criteria_table("kayakalp-2017") == [("overall", 70, ())]
    assert data["point_step"] == 0.5


def test_seed_sets_have_unique_codes_and_name_their_tool_and_facility_types():
    assert len(set(SEED_CODES)) == len(SEED_CODES)
    for data in SEED_RULE_SETS:
        assert data["tool"] in {"NQAS", "LaQshya", "Kayakalp", "MusQan"}
        assert data["facility_types"]
        assert data["point_step"] in {0.5, 1.0}
    nqas_types = [t for s in SEED_RULE_SETS if s["tool"] == "NQAS" for t in s["facility_types"]]
    assert sorted(nqas_types) == ["AAM-SC", "CHC", "DH", "PHC", "SDH", "UPHC"]


@pytest.mark.parametrize("code", SEED_CODES)
def test_every_seed_set_can_judge_a_card(code):
    rs = rule_set_from_dict(_seed(code))
    checkpoints = [
        c
        for area, standard in (("A", "A2"), ("B", "B5"), ("D", "D8"), ("D", "D10"), ("F", "F6"))
        for c in unit(19, 20, area=area, standard=standard)
    ]
    card = score(checkpoints, rule=rs.overall_rule)

    verdict = evaluate(card, rs, point_step=float(_seed(code)["point_step"]))

    assert verdict.passed
    assert len(verdict.criteria) == len(rs.criteria)
    assert verdict.badge == ("platinum" if code == "laqshya-2018" else None)
