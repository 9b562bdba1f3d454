"""Programme decisions, as pure functions over data (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from srishti.programmes.decisions import (
    AWARD,
    CERTIFIED,
    COMMENDATION,
    NOT_AWARDED,
    NOT_CERTIFIED,
    PENDING,
    PROVISIONAL,
    QUALIFIED,
    STOPPED_AT_PEER,
    KayakalpEntry,
    award_cohort,
    badge_for,
    kayakalp_areas,
    kayakalp_decide,
    laqshya_decide,
    musqan_decide,
    rule_set_for,
)
from srishti.programmes.rules_data import SEED_RULE_SETS

RULES = {r["code"]: r for r in SEED_RULE_SETS}
K = RULES["kayakalp-2021"]
L = RULES["laqshya-2017"]
M = RULES["musqan-2021"]


def entry(key, peer=None, external=None, last=None, ftype="DH", cohort="Bihar", internal=80.0):
    return KayakalpEntry(key=key, facility_type=ftype, cohort=cohort, internal=internal,
                         peer=peer, external=external, last_award_score=last)


def decide(*entries):
    return kayakalp_decide(K, entries)


# --- Kayakalp ---------------------------------------------------------------------------

def test_below_70_in_peer_assessment_stops_the_facility():
    decision = decide(entry("a", peer=69.9))["a"]
    assert decision.result == STOPPED_AT_PEER
    assert not decision.goes_to_external
    assert decision.reasons[0].code == "peer_below_threshold"
    assert decision.reasons[0].figures == {"score": 69.9, "threshold": 70.0}


def test_exactly_70_in_peer_assessment_goes_on():
    decision = decide(entry("a", peer=70.0))["a"]
    assert decision.result == QUALIFIED and decision.goes_to_external


def test_an_external_score_after_a_failed_peer_assessment_counts_for_nothing():
    decision = decide(entry("a", peer=65.0, external=95.0))["a"]
    assert decision.result == STOPPED_AT_PEER
    assert [r.code for r in decision.reasons] == ["peer_below_threshold",
                                                  "external_without_qualifying_peer"]


def test_a_past_winner_with_4_points_more_gets_a_commendation_only():
    decisions = decide(entry("winner", peer=85, external=88.0, last=84.0))
    decision = decisions["winner"]
    assert decision.result == COMMENDATION
    codes = [r.code for r in decision.reasons]
    assert "past_winner_needs_improvement" in codes and "commendation" in codes
    why = next(r for r in decision.reasons if r.code == "past_winner_needs_improvement")
    assert why.figures["needed"] == 89.0


def test_a_past_winner_with_5_points_more_can_win_again():
    assert decide(entry("winner", peer=85, external=89.0, last=84.0))["winner"].result == AWARD


def test_a_past_winner_short_of_the_improvement_leaves_the_award_to_the_next():
    decisions = decide(entry("winner", peer=90, external=96.0, last=93.0),
                       entry("b", peer=85, external=90.0), entry("c", peer=85, external=88.0),
                       entry("d", peer=85, external=80.0))
    assert decisions["winner"].result == COMMENDATION  # the highest score, but +3 only
    assert (decisions["b"].result, decisions["b"].rank) == (AWARD, 1)
    assert (decisions["c"].result, decisions["c"].rank) == (AWARD, 2)  # DH: two places
    assert decisions["d"].result == COMMENDATION


def test_commendation_is_for_an_external_score_above_70():
    decisions = decide(entry("a", peer=80, external=99.0), entry("b", peer=80, external=98.0),
                       entry("c", peer=80, external=70.0), entry("d", peer=80, external=70.5))
    assert decisions["c"].result == NOT_AWARDED  # 70 is not above 70
    assert decisions["d"].result == COMMENDATION


def test_awards_are_decided_within_each_cohort():
    decisions = kayakalp_decide(K, [
        entry("patna-phc", peer=80, external=75.0, ftype="PHC", cohort="Patna"),
        entry("gaya-phc", peer=80, external=72.0, ftype="PHC", cohort="Gaya"),
        entry("gaya-phc2", peer=80, external=71.0, ftype="PHC", cohort="Gaya"),
    ])
    assert decisions["patna-phc"].result == AWARD
    assert decisions["gaya-phc"].result == AWARD
    assert decisions["gaya-phc2"].result == COMMENDATION  # PHC: one place per district


def test_equal_scores_share_a_place():
    decisions = kayakalp_decide(K, [entry("a", peer=80, external=90.0, ftype="CHC"),
                                    entry("b", peer=80, external=90.0, ftype="CHC"),
                                    entry("c", peer=80, external=85.0, ftype="CHC")])
    assert [decisions[k].rank for k in "abc"] == [1, 1, 3]
    assert [decisions[k].result for k in "abc"] == [AWARD, AWARD, COMMENDATION]


def test_nothing_yet_beyond_internal_is_pending():
    assert decide(entry("a"))["a"].result == PENDING
    assert decide(entry("a"))["a"].stage == "internal"


def test_area_h_eco_friendly_is_assessed_in_dh_sdh_chc_from_2021():
    assert kayakalp_areas(K, "DH") == "ABCDEFGH"
    assert kayakalp_areas(K, "CHC") == "ABCDEFGH"
    assert kayakalp_areas(K, "PHC") == "ABCDEFG"
    assert kayakalp_areas(RULES["kayakalp-2015"], "DH") == "ABCDEFG"


def test_the_rules_in_force_are_chosen_by_date_and_carry_their_source():
    assert rule_set_for(SEED_RULE_SETS, "kayakalp", dt.date(2019, 6, 1))["code"] == \
        "kayakalp-2015"
    assert rule_set_for(SEED_RULE_SETS, "kayakalp", dt.date(2024, 6, 1))["code"] == \
        "kayakalp-2021"
    assert rule_set_for(SEED_RULE_SETS, "laqshya", dt.date(2010, 1, 1)) is None
    assert all(r["source"] for r in SEED_RULE_SETS)


def test_the_award_cohort_follows_the_scope_of_the_type():
    assert award_cohort(K, "DH", state=1, district=7) == (1, "DH")
    assert award_cohort(K, "PHC", state=1, district=7) == (7, "PHC")


# --- LaQshya ----------------------------------------------------------------------------

DAY = dt.date(2024, 3, 15)


@pytest.mark.parametrize("score,badge", [
    (69.9, ""), (70.0, "silver"), (80.0, "silver"), (80.1, "gold"), (90.0, "gold"),
    (90.1, "platinum"), (100.0, "platinum"),
])
def test_laqshya_badges_silver_from_70_gold_above_80_platinum_above_90(score, badge):
    assert badge_for(L, score) == badge


def test_laqshya_certifies_with_both_departments_and_the_badge_of_the_lower():
    decision = laqshya_decide(L, labour_room=92.0, maternity_ot=84.0, decided_on=DAY)
    assert (decision.result, decision.badge) == (CERTIFIED, "gold")
    assert decision.maternity_ot_due is None


def test_laqshya_is_provisional_with_the_labour_room_alone_and_the_ot_due_in_a_year():
    decision = laqshya_decide(L, labour_room=78.0, maternity_ot=None, decided_on=DAY)
    assert (decision.result, decision.badge) == (PROVISIONAL, "")
    assert decision.maternity_ot_due == dt.date(2025, 3, 15)
    failing_ot = laqshya_decide(L, labour_room=78.0, maternity_ot=60.0, decided_on=DAY)
    assert failing_ot.result == PROVISIONAL
    assert any(r.code == "department_below_threshold" for r in failing_ot.reasons)


def test_laqshya_without_a_qualifying_labour_room_is_not_certified():
    decision = laqshya_decide(L, labour_room=65.0, maternity_ot=90.0, decided_on=DAY)
    assert decision.result == NOT_CERTIFIED
    assert [r.code for r in decision.reasons] == ["department_below_threshold",
                                                  "labour_room_required"]
    assert laqshya_decide(L, labour_room=None, maternity_ot=90.0,
                          decided_on=DAY).result == PENDING


def test_laqshya_provisional_due_date_stays_inside_a_short_month():
    decision = laqshya_decide(L, labour_room=75.0, maternity_ot=None,
                              decided_on=dt.date(2024, 2, 29))
    assert decision.maternity_ot_due == dt.date(2025, 2, 28)


# --- MusQan -----------------------------------------------------------------------------

DH_DEPARTMENTS = {"Paediatric OPD": 80.0, "Paediatric Ward": 75.0, "SNCU": 90.0, "NRC": 71.0}


def test_musqan_certifies_when_every_department_and_the_overall_reach_70():
    assert musqan_decide(M, facility_type="DH", overall=79.0,
                         departments=DH_DEPARTMENTS).result == CERTIFIED


def test_musqan_names_each_department_below_the_threshold():
    decision = musqan_decide(M, facility_type="DH", overall=76.0,
                             departments={**DH_DEPARTMENTS, "NRC": 60.0})
    assert decision.result == NOT_CERTIFIED
    assert [r.figures.get("department") for r in decision.reasons] == ["NRC"]


def test_musqan_waits_for_every_department_of_the_facility_type():
    decision = musqan_decide(M, facility_type="DH", overall=80.0,
                             departments={"Paediatric OPD": 80.0})
    assert decision.result == PENDING
    assert {r.figures["department"] for r in decision.reasons} == {"Paediatric Ward", "SNCU",
                                                                   "NRC"}
    chc = musqan_decide(M, facility_type="CHC", overall=80.0, departments={
        "Paediatric OPD": 80.0, "Paediatric Ward": 80.0, "NBSU": 80.0})
    assert chc.result == CERTIFIED
