"""The engine's ordering, input handling and speed."""

from __future__ import annotations

import math

from srishti.scoring.engine import mean_of_department_scores, natural_key, score
from srishti.scoring.types import OverallRule
from tests.scoring.builders import cp, unit

POOLED = OverallRule.POOLED


def test_departments_come_in_first_seen_order_without_an_order():
    checkpoints = [cp(2, department=d) for d in ("IPD", "OPD", "IPD", "Labour Room")]

    card = score(checkpoints, rule=POOLED)

    assert [d.name for d in card.departments] == ["IPD", "OPD", "Labour Room"]


def test_departments_follow_the_given_order_with_unknown_ones_appended_first_seen():
    checkpoints = [cp(2, department=d) for d in ("Pharmacy", "IPD", "OPD", "Mortuary")]

    card = score(checkpoints, rule=POOLED, department_order=["OPD", "Emergency", "IPD"])

    # Emergency has no checkpoints, so it has no card; Pharmacy and Mortuary are not in
    # the order and follow in the order they were met.
    assert [d.name for d in card.departments] == ["OPD", "IPD", "Pharmacy", "Mortuary"]


def test_standards_are_in_natural_order_and_areas_alphabetical():
    codes = ["B1", "A10", "A2", "H1", "A1", "C3", "B12", "B2"]
    checkpoints = [cp(2, area=code[0], standard=code) for code in codes]

    card = score(checkpoints, rule=POOLED)

    expected = ["A1", "A2", "A10", "B1", "B2", "B12", "C3", "H1"]
    assert list(card.standards) == expected
    assert list(card.departments[0].standards) == expected
    assert list(card.areas) == ["A", "B", "C", "H"]
    assert list(card.departments[0].areas) == ["A", "B", "C", "H"]


def test_natural_key_orders_numbers_by_value_inside_codes():
    codes = ["ME A1.10", "ME A1.2", "ME A10.1", "ME A2.1"]

    assert sorted(codes, key=natural_key) == ["ME A1.2", "ME A1.10", "ME A2.1", "ME A10.1"]


def test_score_accepts_any_iterable_of_checkpoints_once():
    card = score((cp(v) for v in (0, 2)), rule=POOLED)

    assert card.facility.score == 50.0


def test_mean_of_department_scores_stays_within_its_inputs_despite_rounding():
    # Three departments at 2/18 each: fsum(3 x 11.11111111111111) / 3 is one ulp lower.
    checkpoints = [c for d in ("X", "Y", "Z") for c in unit(2, 18, department=d)]

    card = score(checkpoints, rule=OverallRule.MEAN_OF_DEPARTMENTS)

    scores = [d.tally.score for d in card.departments]
    assert math.fsum(scores) / 3 < scores[0]  # the rounding this test is about
    assert card.mean_of_departments == scores[0]
    assert mean_of_department_scores(card.departments) == scores[0]
