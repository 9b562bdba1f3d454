import datetime as dt
import uuid

import pytest

from srishti.assessments.models import Assignment, Response, ResponseChange
from srishti.assessments.services import assessment_create
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def assessment(cast, demo_version):
    return assessment_create(facility=cast.f, version=demo_version,
                             start_date=dt.date(2024, 6, 1))


@pytest.fixture
def checkpoint_ids(assessment):
    return list(assessment.version.checkpoints.order_by("order").values_list("id", flat=True))


def change(cid, value=2, remark="", base=0, client_id=None):
    return {"client_id": str(client_id or uuid.uuid4()), "checkpoint_id": cid, "value": value,
            "remark": remark, "base_revision": base}


def post(client, assessment, changes, key=None):
    return client.post(f"/api/sync/assessments/{assessment.pk}/batches",
                       {"key": str(key or uuid.uuid4()), "changes": changes},
                       content_type="application/json")


def test_a_batch_applies_each_answer_once(client, cast, assessment, checkpoint_ids):
    client.force_login(cast.facility_team)
    changes = [change(checkpoint_ids[0], 2), change(checkpoint_ids[1], None),
               change(checkpoint_ids[2], 1, "register missing")]
    response = post(client, assessment, changes)
    body = response.json()

    assert response.status_code == 200
    assert [r["status"] for r in body["results"]] == ["applied"] * 3
    assert body["score"]["answered"] == 3
    assert Response.objects.filter(assessment=assessment).count() == 3
    assert Response.objects.get(checkpoint_id=checkpoint_ids[1]).value is None


def test_replaying_a_batch_changes_nothing_and_answers_the_same(client, cast, assessment,
                                                               checkpoint_ids):
    client.force_login(cast.facility_team)
    key = uuid.uuid4()
    changes = [change(cid) for cid in checkpoint_ids[:5]]
    first = post(client, assessment, changes, key).json()
    history = ResponseChange.objects.count()
    again = post(client, assessment, changes, key).json()

    assert again["replayed"] is True
    assert again["results"] == first["results"]
    assert ResponseChange.objects.count() == history


def test_a_key_reused_for_other_content_is_refused(client, cast, assessment, checkpoint_ids):
    client.force_login(cast.facility_team)
    key = uuid.uuid4()
    post(client, assessment, [change(checkpoint_ids[0])], key)
    response = post(client, assessment, [change(checkpoint_ids[1])], key)
    assert response.status_code == 409
    assert not Response.objects.filter(checkpoint_id=checkpoint_ids[1]).exists()


def test_a_batch_cut_off_halfway_resumes_without_duplicates(client, cast, assessment,
                                                            checkpoint_ids):
    client.force_login(cast.facility_team)
    changes = [change(cid, 2 if i % 2 else 1, "partly") for i, cid in
               enumerate(checkpoint_ids[:20])]
    post(client, assessment, changes[:10])  # the first half arrived, its answer was lost
    retry = post(client, assessment, changes).json()  # the device sends everything again

    statuses = [r["status"] for r in retry["results"]]
    assert statuses == ["replayed"] * 10 + ["applied"] * 10
    assert Response.objects.filter(assessment=assessment).count() == 20
    assert ResponseChange.objects.filter(response__assessment=assessment).count() == 20


def test_a_stale_change_is_returned_as_a_conflict_and_both_values_are_kept(
        client, cast, assessment, checkpoint_ids):
    cid = checkpoint_ids[0]
    client.force_login(cast.facility_team)
    post(client, assessment, [change(cid, 2)])  # device A
    client.force_login(cast.district_officer)
    body = post(client, assessment, [change(cid, 0, "no soap")]).json()  # device B saw nothing

    result = body["results"][0]
    assert result["status"] == "conflict"
    assert (result["value"], result["revision"], result["updated_by"]) == (2, 1, "facility_team")
    assert Response.objects.get(checkpoint_id=cid).value == 2
    # B chooses its own value knowing revision 1: now it applies, and history has both.
    body = post(client, assessment, [change(cid, 0, "no soap", base=1)]).json()
    assert body["results"][0]["status"] == "applied"
    values = list(ResponseChange.objects.filter(response__checkpoint_id=cid)
                  .order_by("revision").values_list("new_value", flat=True))
    assert values == [2, 0]


def test_invalid_answers_are_rejected_one_by_one(client, cast, assessment, checkpoint_ids):
    client.force_login(cast.facility_team)
    body = post(client, assessment, [change(checkpoint_ids[0], 3),
                                     change(checkpoint_ids[1], 0, ""),
                                     change(checkpoint_ids[2], 2)]).json()
    assert [r["status"] for r in body["results"]] == ["rejected", "rejected", "applied"]
    assert "remark" in body["results"][1]["message"]


def test_a_client_id_used_for_another_checkpoint_is_rejected_not_taken_for_a_replay(
        client, cast, assessment, checkpoint_ids):
    client.force_login(cast.facility_team)
    used = uuid.uuid4()
    post(client, assessment, [change(checkpoint_ids[0], client_id=used)])
    body = post(client, assessment, [change(checkpoint_ids[1], client_id=used)]).json()

    result = body["results"][0]
    assert result["status"] == "rejected" and "already used" in result["message"]
    assert not Response.objects.filter(checkpoint_id=checkpoint_ids[1]).exists()


def test_a_batch_replaying_an_answer_first_saved_on_the_capture_page_changes_nothing(
        client, cast, assessment, checkpoint_ids):
    client.force_login(cast.facility_team)
    used = uuid.uuid4()
    saved = client.post(f"/assessments/{assessment.pk}/checkpoints/{checkpoint_ids[0]}/save/",
                        {"value": "2", "remark": "", "base_revision": "0",
                         "client_id": str(used)}, HTTP_HX_REQUEST="true")
    body = post(client, assessment, [change(checkpoint_ids[0], 2, client_id=used)]).json()

    assert saved.status_code == 200
    assert body["results"][0]["status"] == "replayed" and body["results"][0]["revision"] == 1
    assert ResponseChange.objects.filter(response__assessment=assessment).count() == 1


def test_a_batch_for_a_submitted_assessment_is_refused_whole(client, cast, assessment,
                                                             checkpoint_ids):
    from srishti.assessments.services import assessment_submit

    client.force_login(cast.facility_team)
    assessment_submit(assessment=assessment, user=cast.facility_team)
    response = post(client, assessment, [change(checkpoint_ids[0])])

    assert response.status_code == 409 and response.json()["code"] == "refused"
    assert "submitted" in response.json()["detail"]
    assert not Response.objects.filter(assessment=assessment).exists()


@pytest.mark.parametrize("person", ["outsider", "viewer_y", "district_officer_y"])
def test_people_outside_the_scope_get_404(client, cast, assessment, checkpoint_ids, person):
    users = {
        "outsider": cast.outsider,
        "viewer_y": MembershipFactory(user=UserFactory(username="viewer_y"), role="viewer",
                                      district=cast.y).user,
        "district_officer_y": MembershipFactory(user=UserFactory(username="officer_y"),
                                                district=cast.y).user,
    }
    client.force_login(users[person])
    assert post(client, assessment, [change(checkpoint_ids[0])]).status_code == 404
    assert client.get(f"/api/sync/assessments/{assessment.pk}/package").status_code == 404
    assert not Response.objects.exists()


def test_a_viewer_in_scope_reads_the_package_but_cannot_write(client, cast, assessment,
                                                              checkpoint_ids):
    viewer = MembershipFactory(user=UserFactory(username="viewer_x"), role="viewer",
                               district=cast.x).user
    client.force_login(viewer)
    package = client.get(f"/api/sync/assessments/{assessment.pk}/package").json()
    assert len(package["checkpoints"]) == 533 and package["editable_departments"] == []
    assert post(client, assessment, [change(checkpoint_ids[0])]).status_code == 404


def test_an_assessor_writes_only_the_assigned_department(client, cast, assessment):
    assessor = MembershipFactory(user=UserFactory(username="assessor1"), role="assessor",
                                 state=cast.x.state).user
    first, second = assessment.version.departments.order_by("order")[:2]
    Assignment.objects.create(assessment=assessment, department=first, assessor=assessor)
    mine = first.checkpoints.order_by("order").first().pk
    theirs = second.checkpoints.order_by("order").first().pk
    client.force_login(assessor)
    body = post(client, assessment, [change(mine), change(theirs)]).json()
    assert {r["checkpoint_id"]: r["status"] for r in body["results"]} == {
        mine: "applied", theirs: "rejected"}


def test_the_api_needs_a_session_and_a_csrf_token(cast, assessment, checkpoint_ids):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post(strict, assessment, [change(checkpoint_ids[0])]).status_code in (401, 403)
    strict.force_login(cast.facility_team)
    assert post(strict, assessment, [change(checkpoint_ids[0])]).status_code == 403


def test_a_boolean_where_a_number_belongs_is_refused_whole(client, cast, assessment,
                                                           checkpoint_ids):
    client.force_login(cast.facility_team)
    response = post(client, assessment, [change(checkpoint_ids[0], True)])
    assert response.status_code == 422
    assert not Response.objects.exists()


@pytest.mark.parametrize("assessment_id", [0, 2**70])
def test_an_impossible_assessment_id_is_404_not_a_crash(client, cast, assessment_id):
    client.force_login(cast.facility_team)
    response = client.get(f"/api/sync/assessments/{assessment_id}/package")
    assert response.status_code == 404
