"""The certification pages over the named cast: who sees and changes what, out of scope 404."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from srishti.assessments.models import Assessment
from srishti.certification.models import CertificationRecord, MissionTarget
from srishti.certification.rules import add_months
from srishti.certification.services import certification_record_create, mission_target_create
from tests.factories import FacilityFactory, MembershipFactory, UserFactory

from .conftest import assess

D = dt.date
PDF = b"%PDF-1.4\n% the certificate\n"


def get(client, user, url, **kw):
    client.force_login(user)
    return client.get(url, **kw)


def post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


@pytest.fixture
def certified(cast, nqas):
    """A state certification with its certificate for each of F, G (district X) and H (Y)."""
    records = {}
    for name in ("f", "g", "h"):
        records[name] = certification_record_create(
            facility=getattr(cast, name), tool=nqas, stage="state_certified", result="passed",
            decided_on=add_months(timezone.localdate(), -11),
            certificate=SimpleUploadedFile("c.pdf", PDF))
    cast.records = records
    return cast


VISIBLE = {
    "state_admin": {"f", "g", "h"},
    "division_officer": {"f", "g"},
    "district_officer": {"f", "g"},
    "block_team": {"f"},
    "facility_team": {"f"},
    "outsider": set(),
}


@pytest.mark.parametrize("person", sorted(VISIBLE))
@pytest.mark.parametrize("where", ["f", "g", "h"])
def test_pipeline_and_certificate_answer_404_outside_the_scope(client, certified, person,
                                                               where):
    expected = 200 if where in VISIBLE[person] else 404
    user = getattr(certified, person)
    facility = getattr(certified, where)
    assert get(client, user, reverse("certification-pipeline",
                                     args=[facility.pk])).status_code == expected
    response = get(client, user, reverse("certification-certificate",
                                         args=[certified.records[where].pk]))
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/pdf"


def test_a_district_officer_of_another_district_gets_404(client, certified):
    officer_y = MembershipFactory(user=UserFactory(username="officer_y"), district=certified.y,
                                  role="district_quality_unit").user
    f_record = certified.records["f"]
    assert get(client, officer_y, reverse("certification-pipeline",
                                          args=[certified.f.pk])).status_code == 404
    assert get(client, officer_y, reverse("certification-certificate",
                                          args=[f_record.pk])).status_code == 404
    assert get(client, officer_y, reverse("certification-record-edit",
                                          args=[f_record.pk])).status_code == 404


def test_a_record_without_certificate_or_a_missing_one_is_404(client, certified, nqas):
    bare = certification_record_create(facility=certified.f, tool=nqas, stage="internal",
                                       result="passed", decided_on=D(2023, 1, 1))
    assert get(client, certified.state_admin, reverse("certification-certificate",
                                                      args=[bare.pk])).status_code == 404
    assert get(client, certified.state_admin, reverse("certification-certificate",
                                                      args=[999999])).status_code == 404


def test_pages_send_an_anonymous_visitor_to_log_in(client, certified):
    for url in (reverse("certification-pipeline", args=[certified.f.pk]),
                reverse("certification-certificate", args=[certified.records["f"].pk]),
                reverse("certification-alerts"), reverse("mission-target-list")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_pipeline_page_shows_the_timeline_records_and_next_step(client, certified):
    response = get(client, certified.district_officer,
                   reverse("certification-pipeline", args=[certified.f.pk]))
    html = response.content.decode()
    assert 'aria-current="step"' in html
    assert "Apply for national certification" in html
    assert reverse("certification-certificate", args=[certified.records["f"].pk]) in html
    assert reverse("certification-record-create", args=[certified.f.pk]) in html


def test_the_facility_team_reads_the_pipeline_but_cannot_change_it(client, certified):
    team, f = certified.facility_team, certified.f
    html = get(client, team, reverse("certification-pipeline", args=[f.pk])).content.decode()
    assert reverse("certification-record-create", args=[f.pk]) not in html
    assert get(client, team, reverse("certification-record-create",
                                     args=[f.pk])).status_code == 404
    assert get(client, team, reverse("certification-record-edit",
                                     args=[certified.records["f"].pk])).status_code == 404
    assert post(client, team, reverse("certification-derive", args=[f.pk]),
                {}).status_code == 404


def record_form(nqas, **kw):
    return {"tool": nqas.pk, "stage": "national_certified", "result": "full",
            "decided_on": "2024-03-01", "valid_until": "", "national_applied_on": "",
            "level": "", "notes": "NHSRC letter 12/2024", **kw}


def test_a_district_officer_adds_a_record_with_its_certificate(client, cast, nqas,
                                                               media_root):
    data = record_form(nqas, certificate=SimpleUploadedFile("letter.pdf", PDF))
    response = post(client, cast.district_officer,
                    reverse("certification-record-create", args=[cast.f.pk]), data)
    assert response.status_code == 302
    r = CertificationRecord.objects.get()
    assert (r.facility, r.stage, r.result, r.valid_until) == (cast.f, "national_certified",
                                                              "full", D(2027, 3, 1))
    assert (media_root / r.certificate.name).read_bytes() == PDF


def test_a_wrong_file_is_refused_with_a_message_and_nothing_is_saved(client, cast, nqas):
    data = record_form(nqas, certificate=SimpleUploadedFile("letter.pdf", b"GIF89a"))
    response = post(client, cast.district_officer,
                    reverse("certification-record-create", args=[cast.f.pk]), data)
    assert response.status_code == 200
    assert "PDF, PNG or JPEG" in response.content.decode()
    assert not CertificationRecord.objects.exists()


def test_editing_a_record_makes_it_conditional_and_rederives_validity(client, certified, nqas):
    r = certification_record_create(facility=certified.f, tool=nqas,
                                    stage="national_certified", result="full",
                                    decided_on=D(2024, 3, 1))
    data = record_form(nqas, result="conditional")
    del data["tool"]
    response = post(client, certified.state_admin,
                    reverse("certification-record-edit", args=[r.pk]), data)
    assert response.status_code == 302
    r.refresh_from_db()
    assert (r.result, r.valid_until) == ("conditional", D(2025, 3, 1))


def test_removing_a_certificate(client, certified, nqas):
    r = certified.records["f"]
    data = record_form(nqas, stage="state_certified", result="passed",
                       decided_on=r.decided_on.isoformat(), remove_certificate="on")
    del data["tool"]
    assert post(client, certified.state_admin, reverse("certification-record-edit",
                                                       args=[r.pk]), data).status_code == 302
    r.refresh_from_db()
    assert not r.certificate


def test_recording_the_submitted_assessments_of_a_facility(client, cast, demo_version):
    assess(cast.f, demo_version, D(2023, 1, 20), kind="state", passed=True,
           status=Assessment.Status.SUBMITTED)
    url = reverse("certification-pipeline", args=[cast.f.pk])
    assert "Record 1 submitted assessment" in get(client, cast.state_admin, url).content.decode()
    response = post(client, cast.state_admin, reverse("certification-derive", args=[cast.f.pk]),
                    {})
    assert response.status_code == 302
    assert CertificationRecord.objects.get().stage == "state_certified"
    html = get(client, cast.state_admin, url).content.decode()
    assert "1 record made from a submitted assessment." in html
    assert "Record 1 submitted assessment" not in html


def test_the_alerts_page_lists_what_is_due_in_scope(client, certified):
    html = get(client, certified.district_officer,
               reverse("certification-alerts")).content.decode()
    assert html.count('class="alert-national_application"') == 2  # F and G, not H
    html = get(client, certified.district_officer, reverse("certification-alerts"),
               data={"kind": "expiring"}).content.decode()
    assert "alert-national_application" not in html and "alert-expiring" in html


@pytest.fixture
def targets(cast, nqas):
    cast.state_target = mission_target_create(
        name="Bihar ten", state=cast.x.state, tool=nqas, count=10, start=D(2022, 12, 1),
        deadline=D(2023, 3, 31))
    cast.y_target = mission_target_create(
        name="Y five", district=cast.y, tool=nqas, count=5, start=D(2022, 12, 1),
        deadline=D(2023, 3, 31))
    return cast


@pytest.mark.parametrize(("person", "seen"), [
    ("state_admin", ["Bihar ten", "Y five"]),
    ("district_officer", ["Bihar ten"]),
    ("outsider", []),
])
def test_the_target_list_shows_the_targets_in_scope(client, targets, person, seen):
    response = get(client, getattr(targets, person), reverse("mission-target-list"))
    assert [t.name for t in response.context["targets"]] == seen


def test_the_target_progress_page_draws_the_burn_up_and_the_groups(client, targets,
                                                                  demo_version):
    assess(targets.f, demo_version, D(2023, 1, 10), overall=88, passed=True)
    response = get(client, targets.state_admin,
                   reverse("mission-target-progress", args=[targets.state_target.pk]))
    html = response.content.decode()
    assert html.count("<svg") == 1 and "Target: 10" in html
    assert 'id="meeting"' in html and "Facility F" in html
    assert "1 / 10" in html


@pytest.mark.parametrize("person", ["district_officer", "facility_team", "outsider"])
def test_a_target_out_of_scope_is_404(client, targets, person):
    assert get(client, getattr(targets, person), reverse(
        "mission-target-progress", args=[targets.y_target.pk])).status_code == 404


def target_form(scope, nqas, **kw):
    return {"name": "Five ready", "scope": scope, "tool": nqas.pk, "facility_types": ["DH"],
            "criterion": "score_at_least", "min_score": "75", "count": "5",
            "start": "2025-01-01", "deadline": "2025-12-31", **kw}


def test_the_state_quality_unit_sets_a_state_target(client, cast, nqas):
    response = post(client, cast.state_admin, reverse("mission-target-create"),
                    target_form(f"state:{cast.x.state_id}", nqas))
    t = MissionTarget.objects.get()
    assert response.url == reverse("mission-target-progress", args=[t.pk])
    assert (t.state, t.min_score, t.facility_types, t.count) == (cast.x.state, 75, ["DH"], 5)


def test_a_district_officer_sets_targets_for_the_district_only(client, cast, nqas):
    response = get(client, cast.district_officer, reverse("mission-target-create"))
    assert response.context["form"].fields["scope"].choices == [
        (f"district:{cast.x.pk}", f"{cast.x.name} ({cast.x.state.name})"),
        (f"block:{cast.gb.pk}", "Gblock (Xdistrict)"),
        (f"block:{cast.xb.pk}", "Xblock (Xdistrict)")]
    response = post(client, cast.district_officer, reverse("mission-target-create"),
                    target_form(f"state:{cast.x.state_id}", nqas))
    assert response.status_code == 200 and not MissionTarget.objects.exists()
    post(client, cast.district_officer, reverse("mission-target-create"),
         target_form(f"district:{cast.x.pk}", nqas))
    assert MissionTarget.objects.get().district == cast.x


def test_a_score_target_needs_its_minimum(client, cast, nqas):
    response = post(client, cast.state_admin, reverse("mission-target-create"),
                    target_form(f"state:{cast.x.state_id}", nqas, min_score=""))
    assert response.status_code == 200 and not MissionTarget.objects.exists()


@pytest.mark.parametrize("person", ["facility_team", "block_team", "outsider"])
def test_people_without_a_quality_unit_role_cannot_set_targets(client, cast, nqas, person):
    user = getattr(cast, person)
    assert get(client, user, reverse("mission-target-create")).status_code == 404
    assert "mission-target-create" not in get(client, user, reverse(
        "mission-target-list")).content.decode()


def test_the_facility_page_links_to_the_certification_pipeline(client, cast):
    html = get(client, cast.facility_team, reverse("facility-detail",
                                                   args=[cast.f.pk])).content.decode()
    assert reverse("certification-pipeline", args=[cast.f.pk]) in html


def queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_run_a_fixed_number_of_queries(client, targets, nqas, demo_version):
    urls = [reverse("certification-pipeline", args=[targets.f.pk]),
            reverse("certification-alerts"),
            reverse("mission-target-progress", args=[targets.state_target.pk]),
            reverse("mission-target-list")]

    def add(n: int) -> None:
        for _ in range(n):
            facility = FacilityFactory(district=targets.x)
            assess(facility, demo_version, D(2022, 12, 1), overall=80, passed=True)
            assess(facility, demo_version, D(2023, 1, 10), overall=60, passed=False,
                   failing=[("each_area", 70.0, 65.0)])
            for f in (facility, targets.f):
                certification_record_create(facility=f, tool=nqas, stage="state_certified",
                                            result="passed",
                                            decided_on=add_months(timezone.localdate(), -11))

    add(1)
    before = [queries(client, targets.state_admin, u) for u in urls]
    add(4)
    assert [queries(client, targets.state_admin, u) for u in urls] == before
