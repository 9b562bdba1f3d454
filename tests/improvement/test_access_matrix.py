"""Who reaches which action plan page: out of scope is 404 for every page, endpoint and
file; a person in scope who may only read gets 403 where something would change."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from srishti.improvement.models import ActionItem
from srishti.improvement.services import action_items_bulk_create, evidence_add
from tests.factories import MembershipFactory, UserFactory

from .conftest import PNG

VISIBLE = {
    "state_admin": {"f", "g", "h"},
    "division_officer": {"f", "g"},
    "district_officer": {"f", "g"},
    "block_team": {"f"},
    "facility_team": {"f"},
    "outsider": set(),
}


@pytest.fixture
def planned(world):
    """Every facility's assessment has an action plan with one evidence file."""
    for facility in (world.f, world.g, world.h):
        action_items_bulk_create(assessment=facility.assessment, user=None, area="A")
        facility.item = ActionItem.objects.filter(assessment=facility.assessment).first()
        facility.evidence = evidence_add(item=facility.item, user=None,
                                         upload=SimpleUploadedFile("p.png", PNG))
    return world


def read_urls(facility) -> dict[str, str]:
    assessment, item = facility.assessment, facility.item
    return {
        "action-plan": reverse("action-plan", args=[assessment.pk]),
        "action-plan xlsx": reverse("action-plan", args=[assessment.pk]) + "?format=xlsx",
        "action-items-from-gaps": reverse("action-items-from-gaps", args=[assessment.pk]),
        "action-item-create": reverse("action-item-create", args=[assessment.pk])
        + f"?checkpoint={item.checkpoint_id}",
        "action-item-detail": reverse("action-item-detail", args=[item.pk]),
        "facility-action-items": reverse("facility-action-items", args=[facility.pk]),
        "action-evidence-file": reverse("action-evidence-file", args=[facility.evidence.pk]),
    }


@pytest.mark.parametrize("person", sorted(VISIBLE))
@pytest.mark.parametrize("target", ["f", "g", "h"])
def test_every_action_plan_page_is_404_outside_the_scope(client, planned, person, target):
    facility = getattr(planned, target)
    client.force_login(getattr(planned, person))
    for name, url in read_urls(facility).items():
        response = client.get(url)
        if target in VISIBLE[person]:
            # The single-item page sends to the existing item; all others answer.
            assert response.status_code in (200, 302), name
        else:
            assert response.status_code == 404, name


@pytest.mark.parametrize("person", sorted(VISIBLE))
@pytest.mark.parametrize("target", ["f", "g", "h"])
def test_every_action_plan_post_is_404_outside_the_scope_and_changes_nothing(
        client, planned, person, target):
    facility = getattr(planned, target)
    item = facility.item
    client.force_login(getattr(planned, person))
    posts = {
        "status": (reverse("action-item-status", args=[item.pk]), {"status": "in_progress"}),
        "verify": (reverse("action-item-verify", args=[item.pk]), {"decision": "verify"}),
        "evidence": (reverse("action-evidence-add", args=[item.pk]),
                     {"file": SimpleUploadedFile("x.png", PNG)}),
        "detail": (reverse("action-item-detail", args=[item.pk]), {"root_cause": "x"}),
        "bulk": (reverse("action-items-from-gaps", args=[facility.assessment.pk]), {}),
    }
    for name, (url, data) in posts.items():
        response = client.post(url, data)
        if target in VISIBLE[person]:
            assert response.status_code in (200, 302), name
        else:
            assert response.status_code == 404, name
    if target not in VISIBLE[person]:
        item.refresh_from_db()
        assert (item.status, item.root_cause, item.evidence.count()) == ("open", "", 1)


def test_a_viewer_reads_the_plan_but_gets_403_on_every_change(client, planned):
    viewer = MembershipFactory(user=UserFactory(username="viewer_x"), role="viewer",
                               district=planned.x).user
    item, assessment = planned.f.item, planned.f.assessment
    client.force_login(viewer)
    assert client.get(reverse("action-plan", args=[assessment.pk])).status_code == 200
    assert client.get(reverse("action-item-detail", args=[item.pk])).status_code == 200
    assert client.get(reverse("action-evidence-file",
                              args=[planned.f.evidence.pk])).status_code == 200
    assert client.get(reverse("action-items-from-gaps",
                              args=[assessment.pk])).status_code == 403
    for url, data in [
        (reverse("action-item-status", args=[item.pk]), {"status": "in_progress"}),
        (reverse("action-item-detail", args=[item.pk]), {"root_cause": "x"}),
        (reverse("action-items-from-gaps", args=[assessment.pk]), {}),
    ]:
        assert client.post(url, data).status_code == 403
    item.refresh_from_db()
    assert (item.status, item.root_cause) == ("open", "")


def test_pages_send_an_anonymous_visitor_to_log_in(client, planned):
    for url in read_urls(planned.f).values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_missing_item_is_404_like_a_hidden_one(client, planned):
    client.force_login(planned.state_admin)
    for url in (reverse("action-item-detail", args=[999999]),
                reverse("action-plan", args=[999999]),
                reverse("action-evidence-file", args=[999999])):
        assert client.get(url).status_code == 404
