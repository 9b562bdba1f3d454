"""Department groups (LaQshya, MusQan inside DH 2019), departments not present, AAM-SC
themes and the mandatory-themes criterion, on hand-computed examples."""

from __future__ import annotations

import pytest

from srishti.scoring.criteria import SEED_RULE_SETS, evaluate, rule_set_from_dict
from srishti.scoring.engine import group_card, score
from srishti.scoring.packages import (
    NotApplicable,
    ServiceProfile,
    normalise_tag,
    not_applicable_reason,
)
from srishti.scoring.planner import PlanCheckpoint, unit_keys
from srishti.scoring.serialize import scorecard_to_dict
from srishti.scoring.types import (
    CheckpointScore,
    Criterion,
    CriterionKind,
    DepartmentGroup,
    OverallRule,
    RuleSet,
    Tally,
    Theme,
)
from tests.scoring.builders import unit

POOLED = OverallRule.POOLED
MEAN = OverallRule.MEAN_OF_DEPARTMENTS
LAQSHYA = DepartmentGroup("LaQshya", ("Labour Room", "M-OT"))
MUSQAN = DepartmentGroup("MusQan", ("Paed OPD", "Paed Ward", "SNCU", "NRC"))


def _seed(code: str):
    return rule_set_from_dict(next(s for s in SEED_RULE_SETS if s["code"] == code))


def _dh():
    return (unit(30, 40, department="OPD") + unit(16, 20, department="Labour Room")
            + unit(20, 20, department="M-OT") + unit(10, 20, department="Paed OPD")
            + unit(18, 20, department="SNCU"))


# Groups


def test_a_group_pools_its_departments_checkpoints_not_their_percentages():
    card = score(unit(16, 20, department="Labour Room") + unit(38, 40, department="M-OT"),
                 rule=POOLED, groups=[LAQSHYA])

    (laqshya,) = card.groups
    assert laqshya.tally == Tally(54.0, 60.0, 30, 0)
    assert laqshya.tally.score == 90.0  # the mean of 80% and 95% would be 87.5%


def test_a_group_leaves_out_departments_of_other_groups_and_of_none():
    card = score(_dh(), rule=POOLED, groups=[LAQSHYA, MUSQAN])

    laqshya, musqan = card.groups
    assert (laqshya.tally.obtained, laqshya.tally.maximum) == (36.0, 40.0)
    assert (musqan.tally.obtained, musqan.tally.maximum) == (28.0, 40.0)
    assert card.facility.maximum == 120.0  # the groups do not change the facility


def test_a_group_with_a_department_missing_from_the_checklist_pools_the_others():
    card = score(_dh(), rule=POOLED, groups=[MUSQAN])

    assert card.groups[0].departments == ("Paed OPD", "Paed Ward", "SNCU", "NRC")
    assert card.groups[0].tally.score == 70.0


# Departments not present


def test_a_department_not_present_is_in_no_figure_rather_than_scored_zero():
    checkpoints = _dh() + unit(0, 20, department="NRC")

    present = score(checkpoints, rule=POOLED, groups=[MUSQAN])
    absent = score(checkpoints, rule=POOLED, groups=[MUSQAN], not_present={"NRC"})

    assert present.groups[0].tally.score == pytest.approx(100 * 28 / 60)
    assert absent.groups[0].tally.score == 70.0
    assert absent.groups[0].departments == ("Paed OPD", "Paed Ward", "SNCU")
    assert absent.groups[0].not_present == ("NRC",)
    assert [d.name for d in absent.departments] == [
        "OPD", "Labour Room", "M-OT", "Paed OPD", "SNCU"]
    assert absent.not_present == ("NRC",)
    assert absent.facility.maximum == 120.0
    assert absent.areas["A"].maximum == 120.0


def test_a_department_not_present_leaves_the_mean_of_departments():
    checkpoints = unit(20, 20, department="OPD") + unit(0, 20, department="NRC")

    card = score(checkpoints, rule=MEAN, not_present=["NRC"])

    assert card.mean_of_departments == 100.0
    assert card.overall == 100.0


def test_a_group_whose_departments_are_all_not_present_has_no_score():
    card = score(_dh(), rule=POOLED, groups=[LAQSHYA], not_present=["Labour Room", "M-OT"])

    assert card.groups[0].tally.score is None
    assert card.groups[0].departments == ()


def test_not_present_departments_follow_the_checklist_order():
    card = score(_dh(), rule=POOLED, department_order=["OPD", "SNCU", "Labour Room"],
                 not_present={"Labour Room", "SNCU"})

    assert card.not_present == ("SNCU", "Labour Room")


def test_a_department_not_present_fails_no_each_department_criterion():
    checkpoints = unit(16, 20, department="Paed OPD") + unit(0, 20, department="NRC")
    musqan = _seed("musqan-2021")

    with_nrc = evaluate(score(checkpoints, rule=POOLED), musqan)
    without = evaluate(score(checkpoints, rule=POOLED, not_present=["NRC"]), musqan)

    assert not with_nrc.passed
    assert without.passed


# A group judged by its programme's rule set


def test_a_group_card_is_judged_by_the_programmes_rules_with_its_badge():
    card = score(unit(17, 20, department="Labour Room") + unit(20, 20, department="M-OT")
                 + unit(0, 40, department="OPD"), rule=POOLED, groups=[LAQSHYA])

    sub = group_card(card, card.groups[0])
    verdict = evaluate(sub, _seed("laqshya-2018"))

    assert sub.facility == card.groups[0].tally
    assert [d.name for d in sub.departments] == ["Labour Room", "M-OT"]
    assert sub.standards["A1"].maximum == 40.0
    assert verdict.passed and verdict.badge == "platinum"  # 37/40 = 92.5% > 90


@pytest.mark.parametrize(("obtained", "badge"), [
    (28, "silver"), (32, "silver"), (33, "gold"), (36, "gold"), (37, "platinum"),
])
def test_laqshya_group_badges_silver_from_70_gold_above_80_platinum_above_90(obtained, badge):
    card = score(unit(obtained, 40, department="Labour Room"), rule=POOLED, groups=[LAQSHYA])

    assert evaluate(group_card(card, card.groups[0]), _seed("laqshya-2018")).badge == badge


def test_laqshya_group_below_70_gets_no_badge():
    card = score(unit(27, 40, department="Labour Room"), rule=POOLED, groups=[LAQSHYA])

    verdict = evaluate(group_card(card, card.groups[0]), _seed("laqshya-2018"))

    assert not verdict.passed and verdict.badge is None


def test_musqan_group_fails_on_its_weakest_department():
    card = score(_dh(), rule=POOLED, groups=[MUSQAN])

    verdict = evaluate(group_card(card, card.groups[0]), _seed("musqan-2021"))

    failed = {r.criterion.kind: r for r in verdict.criteria if not r.passed}
    assert set(failed) == {CriterionKind.EACH_DEPARTMENT}
    assert [s.unit for s in failed[CriterionKind.EACH_DEPARTMENT].shortfalls] == ["Paed OPD"]


# Themes

THEMES = (Theme("1", "Care in pregnancy", mandatory=True),
          Theme("7", "NCD", mandatory=True),
          Theme("8", "Eye and ENT", mandatory=False))


def _aam(values_by_theme):
    checkpoints = []
    for themes, values in values_by_theme:
        checkpoints += [CheckpointScore("Sub-centre", "A", "A1", v, 2.0, themes)
                        for v in values]
    return checkpoints


def test_a_theme_pools_the_checkpoints_of_its_measurable_elements():
    card = score(_aam([(("1",), [2, 2, 1, 0]), (("1", "7"), [2, None]), (("7",), [0, 0])]),
                 rule=POOLED, themes=THEMES)

    pregnancy, ncd, eye = card.themes
    assert pregnancy.tally == Tally(7.0, 10.0, 5, 1)
    assert ncd.tally == Tally(2.0, 6.0, 3, 1)
    assert eye.tally.score is None  # no checkpoint: no score, not 0
    assert (pregnancy.name, pregnancy.mandatory, eye.mandatory) == (
        "Care in pregnancy", True, False)
    assert card.facility.maximum == 14.0  # a checkpoint in two themes counts once here


def test_a_theme_whose_checkpoints_are_all_na_has_no_score():
    card = score(_aam([(("1",), [2]), (("8",), [None, None])]), rule=POOLED, themes=THEMES)

    assert card.themes[2].tally.score is None
    assert card.themes[2].tally.not_applicable == 2


AAM = RuleSet("t", POOLED, (Criterion(CriterionKind.MANDATORY_THEMES, 70.0),))


def test_a_mandatory_theme_below_its_threshold_is_named_in_the_verdict():
    card = score(_aam([(("1",), [2, 2, 2, 2]), (("7",), [2, 1, 0, 0]), (("8",), [0, 0])]),
                 rule=POOLED, themes=THEMES)

    verdict = evaluate(card, AAM)

    (result,) = verdict.criteria
    assert not verdict.passed
    assert [(s.unit, s.score, s.points_missing) for s in result.shortfalls] == [
        ("NCD", 37.5, 3.0)]  # 3/8; 70% of 8 is 5.6, so 3 more points


def test_an_optional_theme_below_the_threshold_does_not_fail_mandatory_themes():
    card = score(_aam([(("1",), [2, 2]), (("7",), [2, 2]), (("8",), [0, 0])]),
                 rule=POOLED, themes=THEMES)

    assert evaluate(card, AAM).passed


def test_the_aam_sc_rule_set_is_marked_unverified_and_judges_mandatory_themes():
    data = next(s for s in SEED_RULE_SETS if s["code"] == "nqas-aam-sc-2020")
    rule_set = rule_set_from_dict(data)

    assert data["verified"] is False
    assert "not verified" in str(data["source"])
    assert data["facility_types"] == ["AAM-SC"]
    assert CriterionKind.MANDATORY_THEMES in {c.kind for c in rule_set.criteria}


def test_the_planner_counts_a_checkpoint_in_its_mandatory_themes():
    keys = unit_keys(Criterion(CriterionKind.MANDATORY_THEMES, 70.0))
    checkpoint = PlanCheckpoint(1, "Sub-centre", "A", "A1", 0.0, themes=("NCD",))

    assert tuple(keys(checkpoint)) == ("NCD",)


def test_groups_themes_and_not_present_are_in_the_json_form():
    card = score(_aam([(("1",), [2, 1])]) + unit(2, 4, department="NRC"), rule=POOLED,
                 themes=THEMES[:1], groups=[DepartmentGroup("G", ("Sub-centre", "NRC"))],
                 not_present=["NRC"])

    data = scorecard_to_dict(card)

    assert data["not_present"] == ["NRC"]
    assert data["groups"] == [{"name": "G", "departments": ["Sub-centre"],
                               "not_present": ["NRC"], "obtained": 3, "maximum": 4,
                               "score": 75}]
    assert data["themes"][0]["score"] == 75


# Service packages


@pytest.mark.parametrize(("raw", "tag"), [
    ("All", "All"), ("", "All"), (None, "All"), ("Pallative", "Palliative"),
    ("Elderly & pallative", "Elderly & Palliative"), ("SC Type B", "SC Type B"),
    (" ncd ", "NCD"), ("Services Reference", "Services Reference"),
])
def test_service_tags_are_normalised_from_the_workbooks_spellings(raw, tag):
    assert normalise_tag(raw) == tag


def test_checkpoints_of_all_and_mandatory_packages_always_apply():
    profile = ServiceProfile()
    assert not_applicable_reason("All", profile) is None
    assert not_applicable_reason("NCD", profile) is None
    assert not_applicable_reason("Something new", profile) is None


def test_a_checkpoint_of_an_optional_package_not_offered_is_not_applicable():
    profile = ServiceProfile(offered=frozenset({"Eye"}))
    assert not_applicable_reason("Eye", profile) is None
    assert not_applicable_reason("ENT", profile) is NotApplicable.SERVICE_NOT_OFFERED
    assert not_applicable_reason("Mental", profile) is NotApplicable.SERVICE_NOT_OFFERED


def test_a_combined_tag_applies_when_either_package_is_offered():
    assert not_applicable_reason("Elderly & Palliative",
                                 ServiceProfile(offered=frozenset({"Palliative"}))) is None
    assert not_applicable_reason("Elderly & Palliative", ServiceProfile()) is (
        NotApplicable.SERVICE_NOT_OFFERED)


def test_type_b_checkpoints_apply_to_type_b_sub_centres_only():
    assert not_applicable_reason("SC Type B", ServiceProfile(subcentre_type="B")) is None
    assert not_applicable_reason("SC Type B", ServiceProfile(subcentre_type="A")) is (
        NotApplicable.TYPE_B_ONLY)
