"""Evidence photos uploaded from a device in chunks: resumable, idempotent by client id,
seen only by whoever sees the checkpoint's answers."""

import datetime as dt
import io
import uuid

import pytest
from PIL import Image

from srishti.assessments.models import Assessment, Assignment
from srishti.assessments.services import assessment_create
from srishti.sync.models import ResponsePhoto
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def assessment(cast, demo_version):
    return assessment_create(facility=cast.f, version=demo_version,
                             start_date=dt.date(2024, 6, 1))


@pytest.fixture
def checkpoint(assessment):
    return assessment.version.checkpoints.order_by("order").first()


def jpeg(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 30).convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def start(client, assessment, checkpoint, data, client_id=None, content_type="image/jpeg"):
    return client.post(f"/api/sync/assessments/{assessment.pk}/photos", {
        "client_id": str(client_id or uuid.uuid4()), "checkpoint_id": checkpoint.pk,
        "size": len(data), "content_type": content_type}, content_type="application/json")


def chunk(client, client_id, offset, data):
    return client.put(f"/api/sync/photos/{client_id}/chunks?offset={offset}", data,
                      content_type="application/octet-stream")


def complete(client, client_id):
    return client.post(f"/api/sync/photos/{client_id}/complete")


def upload(client, assessment, checkpoint, data, client_id=None, size=50_000):
    client_id = client_id or uuid.uuid4()
    assert start(client, assessment, checkpoint, data, client_id).status_code == 200
    for offset in range(0, len(data), size):
        assert chunk(client, client_id, offset, data[offset:offset + size]).status_code == 200
    return client_id, complete(client, client_id)


def test_a_photo_sent_in_chunks_is_kept_and_shown_to_readers(client, cast, assessment,
                                                             checkpoint):
    client.force_login(cast.facility_team)
    data = jpeg()
    client_id, done = upload(client, assessment, checkpoint, data)

    body = done.json()
    assert done.status_code == 200 and body["complete"] is True
    assert body["received"] == body["size"] == len(data)
    assert body["uploaded_by"] == "facility_team"
    shown = client.get(body["url"])
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert b"".join(shown.streaming_content) == data
    listed = client.get(f"/api/sync/assessments/{assessment.pk}/photos").json()
    assert [p["client_id"] for p in listed] == [str(client_id)]


def test_announcing_the_same_photo_again_answers_where_to_resume(client, cast, assessment,
                                                                 checkpoint):
    client.force_login(cast.facility_team)
    data, client_id = jpeg(), uuid.uuid4()
    start(client, assessment, checkpoint, data, client_id)
    chunk(client, client_id, 0, data[:1000])

    again = start(client, assessment, checkpoint, data, client_id)
    status = client.get(f"/api/sync/photos/{client_id}")

    assert again.status_code == 200 and again.json()["received"] == 1000
    assert status.json()["received"] == 1000 and status.json()["complete"] is False
    assert ResponsePhoto.objects.count() == 1


def test_a_chunk_sent_twice_changes_nothing(client, cast, assessment, checkpoint):
    client.force_login(cast.facility_team)
    data, client_id = jpeg(), uuid.uuid4()
    start(client, assessment, checkpoint, data, client_id)
    chunk(client, client_id, 0, data[:1000])
    chunk(client, client_id, 1000, data[1000:2000])

    resent = chunk(client, client_id, 0, data[:1000])  # its answer was lost: sent again
    overlapping = chunk(client, client_id, 500, data[500:3000])  # partly new bytes

    assert resent.json()["received"] == 2000
    assert overlapping.json()["received"] == 3000
    for offset in range(3000, len(data), 4000):
        chunk(client, client_id, offset, data[offset:offset + 4000])
    body = complete(client, client_id).json()
    photo = ResponsePhoto.objects.get()
    assert body["complete"] and photo.file.read() == data


def test_a_chunk_beyond_the_bytes_received_says_where_to_resume(client, cast, assessment,
                                                                checkpoint):
    client.force_login(cast.facility_team)
    data, client_id = jpeg(), uuid.uuid4()
    start(client, assessment, checkpoint, data, client_id)
    chunk(client, client_id, 0, data[:1000])

    gap = chunk(client, client_id, 2000, data[2000:3000])

    assert gap.status_code == 409 and gap.json()["received"] == 1000
    assert ResponsePhoto.objects.get().received == 1000


def test_completing_before_every_byte_arrived_is_refused(client, cast, assessment,
                                                         checkpoint):
    client.force_login(cast.facility_team)
    data, client_id = jpeg(), uuid.uuid4()
    start(client, assessment, checkpoint, data, client_id)
    chunk(client, client_id, 0, data[:1000])

    early = complete(client, client_id)

    assert early.status_code == 409 and early.json()["received"] == 1000
    assert not ResponsePhoto.objects.get().complete


def test_completing_twice_answers_the_same(client, cast, assessment, checkpoint):
    client.force_login(cast.facility_team)
    client_id, first = upload(client, assessment, checkpoint, jpeg())
    again = complete(client, client_id)
    assert again.status_code == 200 and again.json() == first.json()


def test_bytes_that_are_not_the_announced_image_are_refused_and_start_over(
        client, cast, assessment, checkpoint):
    client.force_login(cast.facility_team)
    client_id, done = upload(client, assessment, checkpoint, b"%PDF-1.4 not a photo" * 10)

    assert done.status_code == 415
    photo = ResponsePhoto.objects.get(client_id=client_id)
    assert (photo.received, photo.complete) == (0, False)
    assert client.get(f"/sync/photos/{client_id}/").status_code == 404


def test_more_bytes_than_announced_are_refused(client, cast, assessment, checkpoint):
    client.force_login(cast.facility_team)
    data, client_id = jpeg(), uuid.uuid4()
    start(client, assessment, checkpoint, data, client_id)
    assert chunk(client, client_id, 0, data + b"extra").status_code == 413


@pytest.mark.parametrize(("size", "content_type"), [
    (5 * 1024 * 1024 + 1, "image/jpeg"), (1000, "image/gif")])
def test_too_large_or_another_type_is_refused_at_once(client, cast, assessment, checkpoint,
                                                      size, content_type):
    client.force_login(cast.facility_team)
    response = client.post(f"/api/sync/assessments/{assessment.pk}/photos", {
        "client_id": str(uuid.uuid4()), "checkpoint_id": checkpoint.pk, "size": size,
        "content_type": content_type}, content_type="application/json")
    assert response.status_code in (409, 422)
    assert not ResponsePhoto.objects.exists()


def test_an_upload_id_used_for_another_checkpoint_is_refused(client, cast, assessment,
                                                             checkpoint):
    client.force_login(cast.facility_team)
    data, client_id = jpeg(), uuid.uuid4()
    start(client, assessment, checkpoint, data, client_id)
    other = assessment.version.checkpoints.order_by("order")[1]
    assert start(client, assessment, other, data, client_id).status_code == 409


def test_a_submitted_assessment_takes_no_photos(client, cast, assessment, checkpoint):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    client.force_login(cast.facility_team)
    assert start(client, assessment, checkpoint, jpeg()).status_code == 409


def test_an_incomplete_photo_is_neither_listed_nor_shown(client, cast, assessment, checkpoint):
    client.force_login(cast.facility_team)
    data, client_id = jpeg(), uuid.uuid4()
    start(client, assessment, checkpoint, data, client_id)
    chunk(client, client_id, 0, data)
    assert client.get(f"/api/sync/assessments/{assessment.pk}/photos").json() == []
    assert client.get(f"/sync/photos/{client_id}/").status_code == 404


@pytest.mark.parametrize("person", ["outsider", "officer_y"])
def test_people_outside_the_scope_get_404_at_every_step(client, cast, assessment, checkpoint,
                                                        person):
    client.force_login(cast.facility_team)
    client_id, _done = upload(client, assessment, checkpoint, jpeg())
    users = {"outsider": cast.outsider,
             "officer_y": MembershipFactory(user=UserFactory(username="officer_y"),
                                            role="district_quality_unit", district=cast.y).user}
    client.force_login(users[person])

    assert start(client, assessment, checkpoint, jpeg()).status_code == 404
    assert client.get(f"/api/sync/photos/{client_id}").status_code == 404
    assert chunk(client, client_id, 0, b"x").status_code == 404
    assert complete(client, client_id).status_code == 404
    assert client.get(f"/api/sync/assessments/{assessment.pk}/photos").status_code == 404
    assert client.get(f"/sync/photos/{client_id}/").status_code == 404


def test_an_assessor_adds_photos_only_to_the_assigned_department_and_sees_only_those(
        client, cast, assessment):
    emergency, opd = assessment.version.departments.order_by("order")[:2]
    in_emergency = emergency.checkpoints.order_by("order").first()
    in_opd = opd.checkpoints.order_by("order").first()
    client.force_login(cast.facility_team)
    opd_photo, _ = upload(client, assessment, in_opd, jpeg())
    assessor = MembershipFactory(user=UserFactory(username="assessor"), role="assessor",
                                 facility=cast.f).user
    Assignment.objects.create(assessment=assessment, department=emergency, assessor=assessor)
    client.force_login(assessor)

    assert start(client, assessment, in_opd, jpeg()).status_code == 404
    mine, done = upload(client, assessment, in_emergency, jpeg())
    assert done.status_code == 200
    listed = client.get(f"/api/sync/assessments/{assessment.pk}/photos").json()
    assert [p["client_id"] for p in listed] == [str(mine)]
    assert client.get(f"/sync/photos/{opd_photo}/").status_code == 404
    assert client.get(f"/sync/photos/{mine}/").status_code == 200


def test_a_viewer_in_scope_sees_photos_but_cannot_add_any(client, cast, assessment,
                                                          checkpoint):
    client.force_login(cast.facility_team)
    client_id, _ = upload(client, assessment, checkpoint, jpeg())
    viewer = MembershipFactory(user=UserFactory(username="viewer_x"), role="viewer",
                               district=cast.x).user
    client.force_login(viewer)

    assert client.get(f"/sync/photos/{client_id}/").status_code == 200
    assert start(client, assessment, checkpoint, jpeg()).status_code == 404
    assert chunk(client, client_id, 0, b"x").status_code == 404


def test_the_list_is_filtered_by_department(client, cast, assessment):
    emergency, opd = assessment.version.departments.order_by("order")[:2]
    client.force_login(cast.facility_team)
    upload(client, assessment, emergency.checkpoints.first(), jpeg())
    in_opd, _ = upload(client, assessment, opd.checkpoints.first(), jpeg())
    listed = client.get(f"/api/sync/assessments/{assessment.pk}/photos",
                        {"department_id": opd.pk}).json()
    assert [p["client_id"] for p in listed] == [str(in_opd)]


def test_an_anonymous_visitor_gets_no_photo(client, cast, assessment, checkpoint):
    client.force_login(cast.facility_team)
    client_id, _ = upload(client, assessment, checkpoint, jpeg())
    client.logout()
    assert client.get(f"/sync/photos/{client_id}/").status_code == 302
    assert client.get(f"/api/sync/photos/{client_id}").status_code == 401


def test_uploads_left_unfinished_for_a_week_are_pruned_with_their_partial_files(
    client, cast, assessment, checkpoint, media
):
    from django.core.management import call_command
    from django.utils import timezone

    client.force_login(cast.facility_team)
    data = jpeg()
    stale_id, fresh_id = uuid.uuid4(), uuid.uuid4()
    for client_id in (stale_id, fresh_id):
        assert start(client, assessment, checkpoint, data, client_id).status_code == 200
        assert chunk(client, client_id, 0, data[:1000]).status_code == 200
    done_id, done = upload(client, assessment, checkpoint, data)
    assert done.status_code == 200
    eight_days_ago = timezone.now() - dt.timedelta(days=8)
    ResponsePhoto.objects.filter(client_id__in=[stale_id, done_id]).update(
        updated_at=eight_days_ago)
    partials = {p.stem: p for p in (media / "sync" / "partial").glob("*.part")}
    assert set(partials) == {str(stale_id), str(fresh_id)}

    out = io.StringIO()
    call_command("prune_photo_uploads", stdout=out)

    assert "1 unfinished" in out.getvalue()
    assert set(ResponsePhoto.objects.values_list("client_id", flat=True)) == {fresh_id, done_id}
    assert not partials[str(stale_id)].exists()
    assert partials[str(fresh_id)].exists()
    call_command("prune_photo_uploads", stdout=io.StringIO())  # again: nothing more goes
    assert ResponsePhoto.objects.count() == 2
