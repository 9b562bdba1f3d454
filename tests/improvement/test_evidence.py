"""Evidence files: type by magic bytes, size limit, storage, and download only in scope."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from srishti.assessments.selectors import assessment_gaps
from srishti.core.errors import DomainError
from srishti.improvement.models import ActionItem, Evidence
from srishti.improvement.services import action_item_create, action_item_update, evidence_add
from tests.factories import MembershipFactory, UserFactory

from .conftest import PNG, image_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def item(world):
    assessment = world.f.assessment
    checkpoint_id = assessment_gaps(assessment=assessment).values_list(
        "checkpoint_id", flat=True)[0]
    return action_item_create(assessment=assessment,
                              checkpoint=assessment.version.checkpoints.get(pk=checkpoint_id),
                              user=world.facility_team)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("ward.png", PNG, "image/png"),
    ("ward.jpg", image_bytes("JPEG"), "image/jpeg"),
    ("ward.jpeg", image_bytes("JPEG"), "image/jpeg"),
    ("ward.webp", image_bytes("WEBP"), "image/webp"),
    ("register.pdf", PDF, "application/pdf"),
    # A phone that names a PNG ".jpg": the bytes decide, and it is served as a PNG.
    ("photo.jpg", PNG, "image/png"),
])
def test_photos_and_pdfs_are_accepted_with_the_type_their_bytes_show(world, item, media_root,
                                                                     name, content, kind):
    evidence = evidence_add(item=item, user=world.facility_team, upload=upload(name, content))
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        name, kind, len(content))
    stored = media_root / evidence.file.name
    assert stored.read_bytes() == content
    assert evidence.file.name.startswith("evidence/") and name not in evidence.file.name


@pytest.mark.parametrize(("name", "content"), [
    ("ward.png", b"this is text pretending to be a picture"),
    ("ward.pdf", b"<html><script>alert(1)</script></html>"),
    ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
    ("ward.exe", PNG),  # right bytes, wrong name: refused too
])
def test_a_file_that_is_not_really_an_allowed_type_is_refused(world, item, media_root, name,
                                                              content):
    with pytest.raises(DomainError) as refused:
        evidence_add(item=item, user=world.facility_team, upload=upload(name, content))
    assert name in str(refused.value) and "JPEG, PNG or WebP" in str(refused.value)
    assert not Evidence.objects.exists()
    assert not (media_root / "evidence").exists()


def test_the_size_limit_comes_from_the_setting(world, item, settings):
    settings.SRISHTI_MAX_EVIDENCE_BYTES = len(PNG) + 10
    evidence_add(item=item, user=world.facility_team, upload=upload("ok.png", PNG + b"\0" * 10))
    with pytest.raises(DomainError, match="files up to"):
        evidence_add(item=item, user=world.facility_team,
                     upload=upload("big.png", PNG + b"\0" * 11))
    with pytest.raises(DomainError, match="empty"):
        evidence_add(item=item, user=world.facility_team, upload=upload("none.png", b""))
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["ok.png"]


def test_the_default_limit_is_five_megabytes(settings):
    assert settings.SRISHTI_MAX_EVIDENCE_BYTES == 5 * 1024 * 1024


def test_a_verified_item_takes_no_more_evidence(world, item):
    action_item_update(item=item, user=world.facility_team, status=ActionItem.Status.DONE)
    action_item_update(item=item, user=world.district_officer,
                       status=ActionItem.Status.VERIFIED)
    with pytest.raises(DomainError, match="verified"):
        evidence_add(item=item, user=world.facility_team, upload=upload("late.png", PNG))


@pytest.fixture
def evidence(world, item):
    return evidence_add(item=item, user=world.facility_team, upload=upload("ward 1.png", PNG))


def test_the_facility_team_downloads_evidence_inline_with_its_type(client, world, evidence):
    client.force_login(world.facility_team)
    response = client.get(reverse("action-evidence-file", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert "ward 1.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG


@pytest.mark.parametrize("person", ["other_officer", "outsider"])
def test_evidence_is_404_outside_the_scope(client, world, evidence, person):
    if person == "other_officer":
        user = MembershipFactory(user=UserFactory(username="officer_y"), district=world.y).user
    else:
        user = world.outsider
    client.force_login(user)
    assert client.get(reverse("action-evidence-file", args=[evidence.pk])).status_code == 404


def test_evidence_needs_a_log_in_and_has_no_public_media_url(client, world, evidence):
    response = client.get(reverse("action-evidence-file", args=[evidence.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(world.state_admin)
    assert client.get(f"/media/{evidence.file.name}").status_code == 404
    assert client.get(f"/{evidence.file.name}").status_code == 404


def test_uploading_through_the_page_stores_the_file_and_shows_it(client, world, item):
    client.force_login(world.facility_team)
    response = client.post(reverse("action-evidence-add", args=[item.pk]),
                           {"file": upload("after.png", PNG)}, follow=True)
    assert response.status_code == 200
    assert "after.png" in response.content.decode()
    assert Evidence.objects.get().action_item_id == item.pk


def test_uploading_a_fake_png_through_the_page_says_why(client, world, item):
    client.force_login(world.facility_team)
    response = client.post(reverse("action-evidence-add", args=[item.pk]),
                           {"file": upload("fake.png", b"plain text")}, follow=True)
    assert "not a JPEG, PNG or WebP photo or a PDF" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_viewer_cannot_upload(client, world, item):
    viewer = MembershipFactory(user=UserFactory(username="viewer_x"), role="viewer",
                               district=world.x).user
    client.force_login(viewer)
    response = client.post(reverse("action-evidence-add", args=[item.pk]),
                           {"file": upload("after.png", PNG)})
    assert response.status_code == 403
    assert not Evidence.objects.exists()
