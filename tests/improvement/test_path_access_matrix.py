"""Who reaches the path to certification and the readiness forecast: the full cast on
every URL, in scope and out of it. Out of scope is 404; in scope, only those who work on
action plans turn a plan into items (a viewer or an assessor gets 403)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from srishti.improvement.models import ActionItem
from tests.accounts.matrix import assert_statuses, expect, matrix_world


@pytest.fixture
def world(cast, demo_version):
    return matrix_world(cast, demo_version)


READERS_OF_F = dict(anonymous=302, superuser=200, state_admin=200, district_officer=200,
                    facility_team=200, assessor=200, viewer=200)
READERS_OF_H = dict(anonymous=302, superuser=200, state_admin=200)


@pytest.mark.parametrize("name", ["certification-path", "certification-path-summary"])
def test_the_plan_pages_are_read_by_whoever_sees_the_assessment(client, world, name):
    assert_statuses(client, world, reverse(name, args=[world.a_f.pk]),
                    expect(404, **READERS_OF_F))
    assert_statuses(client, world, reverse(name, args=[world.a_h.pk]),
                    expect(404, **READERS_OF_H))
    assert_statuses(client, world, reverse(name, args=[999999]),
                    expect(404, anonymous=302))


def test_turning_a_plan_into_items_is_for_those_who_work_on_the_plan(client, world):
    data = {"client_id": str(uuid.uuid4()), "due_date": "2024-09-01"}
    url = reverse("action-items-from-plan", args=[world.a_f.pk])
    assert_statuses(client, world, url, expect(
        404, anonymous=302, superuser=302, state_admin=302, district_officer=302,
        facility_team=302, assessor=403, viewer=403), method="post", data=data)
    assert_statuses(client, world, reverse("action-items-from-plan", args=[world.a_h.pk]),
                    expect(404, anonymous=302, superuser=302, state_admin=302),
                    method="post", data=data)
    # A GET changes nothing anywhere.
    assert_statuses(client, world, url, expect(405, anonymous=302))
    assert not ActionItem.objects.exists()


def test_the_readiness_forecast_follows_the_facility_page(client, world):
    # An assessor reads assessments by assignment, not facilities: no facility page.
    assert_statuses(client, world, reverse("facility-readiness", args=[world.f.pk]), expect(
        404, anonymous=302, superuser=200, state_admin=200, district_officer=200,
        facility_team=200, viewer=200))
    assert_statuses(client, world, reverse("facility-readiness", args=[world.h.pk]),
                    expect(404, anonymous=302, superuser=200, state_admin=200))
