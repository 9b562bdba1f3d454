"""Programme pages: the state view of each programme, a facility's standings, the form."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.urls import reverse

from srishti.programmes.models import ProgrammeRecord
from srishti.programmes.services import programme_record_save
from tests.factories import FacilityFactory


def record(facility, programme, stage, day, score=None, **kw):
    return programme_record_save(facility=facility, programme=programme, stage=stage,
                                 decided_on=day, score=score, **kw)


def test_the_kayakalp_view_shows_stages_awards_by_year_and_what_is_due(client, cast, rules):
    record(cast.f, "kayakalp", "peer", dt.date(2023, 9, 1), 85)
    record(cast.f, "kayakalp", "external", dt.date(2023, 12, 1), 91)
    record(cast.f, "kayakalp", "internal", dt.date(2024, 6, 1), 88)
    record(cast.g, "kayakalp", "peer", dt.date(2024, 9, 1), 75)
    record(cast.h, "kayakalp", "peer", dt.date(2024, 9, 1), 60)
    client.force_login(cast.state_admin)
    html = client.get(reverse("programme-overview", args=["kayakalp"]),
                      {"year": 2024}).content.decode()
    by_stage = re.search(r'id="by-stage">(.*?)</section>', html, re.S).group(1)
    assert "Peer assessment" in by_stage and "Stopped at peer assessment" in by_stage
    due = re.search(r'id="due">(.*?)</section>', html, re.S).group(1)
    assert "Facility G" in due and "External assessment due" in due
    assert "Facility F" in due and "Peer assessment due" in due
    years = re.search(r'id="years">(.*?)</section>', html, re.S).group(1)
    assert "2023-24" in years and "Facility F (DH, 91.0%)" in years


def test_a_district_user_sees_only_its_district_in_the_programme_view(client, cast, rules):
    record(cast.f, "kayakalp", "peer", dt.date(2024, 9, 1), 80)
    record(cast.h, "kayakalp", "peer", dt.date(2024, 9, 1), 80)
    client.force_login(cast.district_officer)
    html = client.get(reverse("programme-overview", args=["kayakalp"])).content.decode()
    assert "Facility F" in html and "Facility H" not in html


def test_the_laqshya_view_raises_the_maternity_ot_due(client, cast, rules):
    record(cast.f, "laqshya", "state", dt.date(2024, 3, 15),
           department_scores={"labour_room": 80})
    client.force_login(cast.state_admin)
    html = client.get(reverse("programme-overview", args=["laqshya"])).content.decode()
    due = re.search(r'id="due">(.*?)</section>', html, re.S).group(1)
    assert "Maternity OT to qualify" in due and "15 Mar 2025" in due


def test_the_facility_page_shows_its_standing_in_every_programme(client, cast, rules):
    record(cast.f, "kayakalp", "peer", dt.date(2024, 9, 1), 65)
    record(cast.f, "laqshya", "national", dt.date(2024, 3, 15),
           department_scores={"labour_room": 92, "maternity_ot": 85})
    client.force_login(cast.facility_team)
    html = client.get(reverse("facility-detail", args=[cast.f.pk])).content.decode()
    block = re.search(r'id="programme-standings">(.*?)</section>', html, re.S).group(1)
    assert "NQAS" in block and "not certified" in block
    assert "Kayakalp" in block and "Stopped at peer assessment" in block
    assert "LaQshya" in block and "Certified" in block and "Gold" in block
    assert "MusQan" in block and "no record" in block


def test_the_programme_page_of_a_facility_explains_each_decision(client, cast, rules):
    record(cast.f, "kayakalp", "peer", dt.date(2024, 9, 1), 65)
    client.force_login(cast.district_officer)
    html = client.get(reverse("programme-facility", args=[cast.f.pk])).content.decode()
    assert ("Peer assessment 65% is below 70%: the facility does not go on to external "
            "assessment.") in html
    assert "kayakalp-2021" in html


def test_a_district_officer_records_a_stage_through_the_form(client, cast, rules):
    client.force_login(cast.district_officer)
    url = reverse("programme-record-create", args=[cast.f.pk, "kayakalp"])
    page = client.get(url).content.decode()
    assert "Area H (eco-friendly) score" in page  # a district hospital, 2021 rules
    response = client.post(url, {"stage": "peer", "decided_on": "2024-09-01", "score": "72.5",
                                 "area_H": "60", "client_id": str(uuid.uuid4())})
    assert response.status_code == 302
    saved = ProgrammeRecord.objects.get()
    assert (saved.result, saved.area_scores) == ("qualified", {"H": 60.0})


def test_the_form_for_a_phc_has_no_area_h(client, cast, rules):
    phc = FacilityFactory(district=cast.x, facility_type="PHC")
    client.force_login(cast.district_officer)
    page = client.get(reverse("programme-record-create", args=[phc.pk, "kayakalp"]))
    assert "Area G score" in page.content.decode()
    assert "Area H" not in page.content.decode()


def test_a_refused_record_comes_back_with_the_reason(client, cast, rules):
    client.force_login(cast.district_officer)
    url = reverse("programme-record-create", args=[cast.f.pk, "kayakalp"])
    response = client.post(url, {"stage": "peer", "decided_on": "2012-01-01", "score": "80",
                                 "client_id": str(uuid.uuid4())})
    assert response.status_code == 422
    assert "No rules of this programme" in response.content.decode()
    assert not ProgrammeRecord.objects.exists()


def test_an_edit_corrects_the_record_and_its_decision(client, cast, rules):
    saved = record(cast.f, "kayakalp", "peer", dt.date(2024, 9, 1), 65)
    client.force_login(cast.state_admin)
    url = reverse("programme-record-edit", args=[saved.pk])
    assert 'value="65.0"' in client.get(url).content.decode()
    client.post(url, {"stage": "peer", "decided_on": "2024-09-01", "score": "75",
                      "client_id": str(uuid.uuid4())})
    saved.refresh_from_db()
    assert (saved.score, saved.result) == (75.0, "qualified")


def test_the_programme_view_runs_a_fixed_number_of_queries(client, cast, rules,
                                                           django_assert_num_queries):
    for facility in (cast.f, cast.g, cast.h, *[FacilityFactory(district=cast.x)
                                               for _ in range(5)]):
        record(facility, "kayakalp", "peer", dt.date(2024, 9, 1), 80)
    client.force_login(cast.state_admin)
    # session, user, memberships, records, facilities in scope
    with django_assert_num_queries(5):
        assert client.get(reverse("programme-overview", args=["kayakalp"])).status_code == 200
