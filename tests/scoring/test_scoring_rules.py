"""One test (or a few) per scoring rule of the NQAS primer, on hand-computed examples."""

from __future__ import annotations

import pytest

from srishti.scoring.criteria import SEED_RULE_SETS, evaluate, rule_set_from_dict
from srishti.scoring.engine import score
from srishti.scoring.types import CriterionKind, OverallRule, Tally
from tests.scoring.builders import cp, unit

POOLED = OverallRule.POOLED
MEAN = OverallRule.MEAN_OF_DEPARTMENTS


# Rule 1: a checkpoint scores 0, 1 or 2 (some only 0 or 2), or NA; Kayakalp 0, 0.5 or 1.


def test_rule1_nqas_checkpoints_score_0_1_or_2_out_of_2():
    card = score([cp(0), cp(1), cp(2)], rule=POOLED)

    assert card.facility == Tally(obtained=3.0, maximum=6.0, scored=3, not_applicable=0)
    assert card.facility.score == 50.0


def test_rule1_zero_or_two_only_checkpoints_weigh_the_same_as_others():
    # A 0/2-only checkpoint still contributes 2 to the maximum: there is no partial "1"
    # to gain, but nothing about its weight changes.
    card = score([cp(0), cp(2), cp(2), cp(1)], rule=POOLED)

    assert card.facility.obtained == 5.0
    assert card.facility.maximum == 8.0
    assert card.facility.score == 62.5


def test_rule1_kayakalp_checkpoints_score_0_half_or_1_out_of_1():
    card = score([cp(0.0, full=1.0), cp(0.5, full=1.0), cp(1.0, full=1.0)], rule=POOLED)

    assert card.facility == Tally(obtained=1.5, maximum=3.0, scored=3, not_applicable=0)
    assert card.facility.score == 50.0


@pytest.mark.parametrize(
    ("value", "full"), [(3.0, 2.0), (-1.0, 2.0), (2.0, 1.0), (float("nan"), 2.0), (0.0, 0.0)]
)
def test_rule1_value_outside_zero_to_full_is_rejected(value, full):
    with pytest.raises(ValueError, match="outside 0"):
        score([cp(value, full=full)], rule=POOLED)


# Rule 2: NA counts in neither obtained nor maximum; maximum = 2 x scored checkpoints.


def test_rule2_na_counts_in_neither_obtained_nor_maximum():
    card = score([cp(2), cp(None), cp(1), cp(None)], rule=POOLED)

    assert card.facility == Tally(obtained=3.0, maximum=4.0, scored=2, not_applicable=2)
    assert card.facility.score == 75.0


def test_rule2_maximum_is_full_times_scored_checkpoints():
    nqas = score([cp(v) for v in (0, 1, 2, None, 2)], rule=POOLED)
    kayakalp = score([cp(v, full=1.0) for v in (0, 0.5, None, 1, 1)], rule=POOLED)

    assert nqas.facility.maximum == 2 * 4
    assert kayakalp.facility.maximum == 1 * 4


# Rule 3: standard, area and department scores pool checkpoints, never average percentages.


def test_rule3_area_score_pools_checkpoints_rather_than_averaging_standards():
    # A1: 0/2 = 0%; A2: 18/18 = 100%. Averaging would say 50%; pooling says 18/20.
    checkpoints = unit(0, 2, standard="A1") + unit(18, 18, standard="A2")

    card = score(checkpoints, rule=POOLED)

    assert card.standards["A1"].score == 0.0
    assert card.standards["A2"].score == 100.0
    assert card.areas["A"].score == 90.0
    assert card.departments[0].areas["A"].score == 90.0


def test_rule3_department_score_pools_checkpoints_rather_than_averaging_areas():
    # Area A 1/2 = 50%, area B 6/8 = 75%: pooled 7/10 = 70%, not the 62.5% average.
    checkpoints = unit(1, 2, area="A", standard="A1") + unit(6, 8, area="B", standard="B1")

    card = score(checkpoints, rule=POOLED)

    assert card.departments[0].tally.score == 70.0
    assert card.facility.score == 70.0


def test_rule3_standard_score_pools_one_standard_across_departments():
    # Facility-wide B5 = (1 + 9) / (2 + 18), even though OPD's B5 alone is 50%.
    checkpoints = unit(1, 2, department="OPD", area="B", standard="B5") + unit(
        9, 18, department="IPD", area="B", standard="B5"
    )

    card = score(checkpoints, rule=POOLED)

    assert card.standards["B5"] == Tally(obtained=10.0, maximum=20.0, scored=10)
    assert [d.standards["B5"].score for d in card.departments] == [50.0, 50.0]
    assert card.standards["B5"].score == 50.0


def test_rule3_facility_wide_area_pools_departments_of_unequal_size():
    # OPD area C 2/2 = 100%, IPD area C 0/18 = 0%: pooled 2/20 = 10%, not 50%.
    checkpoints = unit(2, 2, department="OPD", area="C", standard="C1") + unit(
        0, 18, department="IPD", area="C", standard="C1"
    )

    card = score(checkpoints, rule=POOLED)

    assert card.areas["C"].score == 10.0


# Rule 4: a unit whose checkpoints are all NA has no score ("not applicable"), not 0%.


def test_rule4_all_na_standard_has_no_score_rather_than_zero():
    card = score(
        [cp(2, standard="A1"), cp(None, standard="A2"), cp(None, standard="A2")], rule=POOLED
    )

    assert card.standards["A2"] == Tally(obtained=0.0, maximum=0.0, scored=0, not_applicable=2)
    assert card.standards["A2"].score is None
    assert card.standards["A1"].score == 100.0


def test_rule4_all_na_area_and_department_have_no_score():
    checkpoints = [
        cp(2, department="OPD", area="A", standard="A1"),
        cp(None, department="OPD", area="B", standard="B1"),
        cp(None, department="Mortuary", area="A", standard="A1"),
    ]

    card = score(checkpoints, rule=POOLED)

    opd, mortuary = card.departments
    assert opd.areas["B"].score is None
    assert card.areas["B"].score is None
    assert mortuary.tally.score is None
    assert mortuary.tally.not_applicable == 1
    assert card.facility.score == 100.0


def test_rule4_an_all_na_assessment_has_no_overall_score():
    card = score([cp(None), cp(None)], rule=POOLED)

    assert card.facility.score is None
    assert card.overall is None
    assert card.mean_of_departments is None


def test_rule4_no_checkpoints_at_all_gives_an_empty_card():
    card = score([], rule=MEAN)

    assert card.departments == ()
    assert card.facility == Tally()
    assert card.overall is None


# Rule 5: the overall score is pooled or the mean of department percentages, per tool
# version; the card reports which rule was used and keeps both figures.


def _two_departments():
    # OPD 1/2 = 50%; IPD 6/6 = 100%. Pooled 7/8 = 87.5%; mean (50 + 100) / 2 = 75%.
    return unit(1, 2, department="OPD") + unit(6, 6, department="IPD")


def test_rule5_pooled_rule_takes_the_facility_wide_pooled_score():
    card = score(_two_departments(), rule=POOLED)

    assert card.rule is POOLED
    assert card.overall == 87.5
    assert card.facility.score == 87.5
    assert card.mean_of_departments == 75.0


def test_rule5_mean_rule_takes_the_mean_of_department_scores():
    card = score(_two_departments(), rule=MEAN)

    assert card.rule is MEAN
    assert card.overall == 75.0
    assert card.facility.score == 87.5


def test_rule5_mean_of_departments_leaves_out_departments_with_no_score():
    checkpoints = _two_departments() + [cp(None, department="Mortuary")]

    card = score(checkpoints, rule=MEAN)

    assert [d.name for d in card.departments] == ["OPD", "IPD", "Mortuary"]
    assert card.mean_of_departments == 75.0


def test_rule5_rule_given_as_its_stored_string_is_accepted():
    card = score(_two_departments(), rule=OverallRule("mean_of_departments"))

    assert card.overall == 75.0


# Rule 6: certification criteria are data, versioned per tool and facility type.


def _seed(code):
    return rule_set_from_dict(next(s for s in SEED_RULE_SETS if s["code"] == code))


def test_rule6_the_same_card_is_judged_by_the_rule_set_of_its_facility_type():
    # Each department at 65%: below DH's 70% department threshold, above CHC's 60%.
    checkpoints = []
    for department in ("OPD", "IPD"):
        for standard, area in (("A2", "A"), ("B5", "B"), ("D10", "D"), ("F6", "F")):
            checkpoints += unit(13, 20, department=department, area=area, standard=standard)
    card = score(checkpoints, rule=POOLED)

    dh = evaluate(card, _seed("nqas-2017-dh"))
    chc = evaluate(card, _seed("nqas-2017-chc"))

    failed_dh = {r.criterion.kind for r in dh.criteria if not r.passed}
    assert CriterionKind.EACH_DEPARTMENT in failed_dh
    assert CriterionKind.OVERALL in failed_dh
    failed_chc = {r.criterion.kind for r in chc.criteria if not r.passed}
    assert CriterionKind.EACH_DEPARTMENT not in failed_chc
    assert failed_chc == {CriterionKind.OVERALL}


def test_rule6_changing_a_threshold_in_the_data_changes_the_verdict():
    card = score(unit(14, 20), rule=POOLED)
    data = {
        "code": "test",
        "overall_rule": "pooled",
        "criteria": [{"kind": "overall", "threshold": 70, "standards": []}],
    }

    assert evaluate(card, rule_set_from_dict(data)).passed
    data["criteria"] = [{"kind": "overall", "threshold": 71, "standards": []}]
    assert not evaluate(card, rule_set_from_dict(data)).passed
