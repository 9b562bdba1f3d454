"""Programme records: stored with the decision of the rules in force on their date."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from srishti.core.errors import DomainError
from srishti.programmes.models import ProgrammeRecord
from srishti.programmes.services import programme_record_save
from tests.factories import FacilityFactory


def kayakalp(facility, stage, score, year=2024, day=None, **kw):
    day = day or dt.date(year, 10, 1)
    return programme_record_save(facility=facility, programme="kayakalp", stage=stage,
                                 decided_on=day, score=score, **kw)


def test_below_70_in_peer_assessment_stops_and_is_recorded_so(cast, rules):
    kayakalp(cast.f, "internal", 75.0)
    record = kayakalp(cast.f, "peer", 68.0)
    assert record.result == "stopped_at_peer"
    assert record.reasons[0] == {"code": "peer_below_threshold", "score": 68.0,
                                 "threshold": 70.0}
    assert record.cycle == 2024 and record.rule_set.code == "kayakalp-2021"


def test_a_past_winner_with_4_points_more_gets_a_commendation_only(cast, rules):
    kayakalp(cast.f, "peer", 85.0, year=2023)
    last = kayakalp(cast.f, "external", 84.0, year=2023)
    assert (last.result, last.rank) == ("award", 1)
    kayakalp(cast.f, "peer", 86.0)
    this = kayakalp(cast.f, "external", 88.0)
    assert this.result == "commendation"
    assert [r["code"] for r in this.reasons] == ["peer_qualifies",
                                                 "past_winner_needs_improvement",
                                                 "commendation"]


def test_awards_are_places_in_the_cohort_and_move_when_a_better_score_arrives(cast, rules):
    # District hospitals compete state-wide with two award places.
    others = [FacilityFactory(district=cast.x), FacilityFactory(district=cast.y)]
    for facility, score in zip([cast.f, *others], [80.0, 85.0, 90.0], strict=True):
        kayakalp(facility, "peer", 80.0)
        kayakalp(facility, "external", score)
    results = {r.facility_id: (r.result, r.rank) for r in
               ProgrammeRecord.objects.filter(stage="external")}
    assert results == {others[1].pk: ("award", 1), others[0].pk: ("award", 2),
                       cast.f.pk: ("commendation", 3)}


def test_a_corrected_score_decides_the_year_again_and_the_next(cast, rules):
    kayakalp(cast.f, "peer", 85.0, year=2023)
    kayakalp(cast.f, "external", 84.0, year=2023)
    kayakalp(cast.f, "peer", 86.0)
    kayakalp(cast.f, "external", 88.0)
    # Last year's figure was a typing slip: the facility was not an award winner then.
    kayakalp(cast.f, "peer", 60.0, year=2023)
    this = ProgrammeRecord.objects.get(cycle=2024, stage="external")
    assert this.result == "award"


def test_area_h_is_taken_for_a_district_hospital_and_refused_for_a_phc(cast, rules):
    record = kayakalp(cast.f, "internal", 80.0, area_scores={"A": 80, "H": 72})
    assert record.area_scores == {"A": 80.0, "H": 72.0}
    phc = FacilityFactory(district=cast.x, facility_type="PHC")
    with pytest.raises(DomainError, match="Area H is not assessed in a PHC"):
        kayakalp(phc, "internal", 80.0, area_scores={"H": 72})
    with pytest.raises(DomainError, match="Area H is not assessed in a DH"):
        kayakalp(cast.f, "internal", 80.0, day=dt.date(2019, 6, 1),  # 2015 rules: no H
                 area_scores={"H": 72})


def test_laqshya_provisional_with_the_ot_due_and_certified_with_a_badge(cast, rules):
    first = programme_record_save(facility=cast.f, programme="laqshya", stage="state",
                                  decided_on=dt.date(2024, 3, 15),
                                  department_scores={"labour_room": 82.0})
    assert (first.result, first.due_on) == ("provisional", dt.date(2025, 3, 15))
    second = programme_record_save(facility=cast.f, programme="laqshya", stage="national",
                                   decided_on=dt.date(2024, 11, 5),
                                   department_scores={"labour_room": 93.0,
                                                      "maternity_ot": 91.0})
    assert (second.result, second.badge, second.score) == ("certified", "platinum", 91.0)


def test_musqan_departments_follow_the_facility_type(cast, rules):
    with pytest.raises(DomainError, match="NBSU is not a department"):
        programme_record_save(facility=cast.f, programme="musqan", stage="state",
                              decided_on=dt.date(2024, 3, 1), score=80,
                              department_scores={"NBSU": 80})
    record = programme_record_save(
        facility=cast.f, programme="musqan", stage="state", decided_on=dt.date(2024, 3, 1),
        score=80, department_scores={"Paediatric OPD": 80, "Paediatric Ward": 75,
                                     "SNCU": 71, "NRC": 90})
    assert record.result == "certified"


@pytest.mark.parametrize("kwargs,message", [
    ({"score": 101}, "between 0 and 100"),
    ({"score": -1}, "between 0 and 100"),
    ({"stage": "national"}, "not a stage of this programme"),
    ({"decided_on": dt.date(2010, 1, 1)}, "No rules of this programme"),
])
def test_records_outside_the_rules_are_refused(cast, rules, kwargs, message):
    data = {"facility": cast.f, "programme": "kayakalp", "stage": "peer",
            "decided_on": dt.date(2024, 6, 1), "score": 80, **kwargs}
    with pytest.raises(DomainError, match=message):
        programme_record_save(**data)
    assert not ProgrammeRecord.objects.exists()


def test_the_same_client_id_again_records_once(cast, rules):
    key = uuid.uuid4()
    first = kayakalp(cast.f, "peer", 80.0, client_id=key)
    again = kayakalp(cast.f, "peer", 90.0, client_id=key)
    assert again.pk == first.pk and again.score == 80.0
    assert ProgrammeRecord.objects.count() == 1


def test_recording_a_stage_again_corrects_it(cast, rules):
    kayakalp(cast.f, "peer", 60.0)
    record = kayakalp(cast.f, "peer", 80.0)
    assert record.result == "qualified"
    assert ProgrammeRecord.objects.count() == 1
