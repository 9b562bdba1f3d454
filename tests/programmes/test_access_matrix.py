"""Who gets which answer on every programme page (outside scope: 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from srishti.programmes.services import programme_record_save
from tests.accounts.matrix import assert_statuses, expect, matrix_world


@pytest.fixture
def world(cast, demo_version, rules):
    return matrix_world(cast, demo_version)


READ_F = expect(404, anonymous=302, superuser=200, state_admin=200, district_officer=200,
                facility_team=200, viewer=200)
MANAGE_F = expect(404, anonymous=302, superuser=200, state_admin=200, district_officer=200)
STATE_ONLY = expect(404, anonymous=302, superuser=200, state_admin=200)


def test_the_programme_views_are_scoped_lists(client, world):
    assert_statuses(client, world, reverse("programmes"), expect(302))
    for programme in ("kayakalp", "laqshya", "musqan"):
        assert_statuses(client, world, reverse("programme-overview", args=[programme]),
                        expect(200, anonymous=302))
    assert_statuses(client, world, reverse("programme-overview", args=["nqas"]),
                    expect(404, anonymous=302))


def test_a_facilitys_programme_page(client, world):
    assert_statuses(client, world, reverse("programme-facility", args=[world.f.pk]), READ_F)
    assert_statuses(client, world, reverse("programme-facility", args=[world.h.pk]),
                    STATE_ONLY)


def test_recording_is_for_the_state_and_district_quality_units(client, world):
    url = reverse("programme-record-create", args=[world.f.pk, "kayakalp"])
    assert_statuses(client, world, url, MANAGE_F)
    assert_statuses(client, world, reverse("programme-record-create",
                                           args=[world.h.pk, "laqshya"]), STATE_ONLY)
    assert_statuses(client, world, url, expect(404, anonymous=302, superuser=302,
                                               state_admin=302, district_officer=302),
                    method="post", data={"stage": "peer", "decided_on": "2024-09-01",
                                         "score": "80"})


def test_correcting_a_record_is_for_the_quality_units_in_scope(client, world):
    in_x = programme_record_save(facility=world.f, programme="kayakalp", stage="peer",
                                 decided_on=dt.date(2024, 9, 1), score=80)
    in_y = programme_record_save(facility=world.h, programme="kayakalp", stage="peer",
                                 decided_on=dt.date(2024, 9, 1), score=80)
    assert_statuses(client, world, reverse("programme-record-edit", args=[in_x.pk]), MANAGE_F)
    assert_statuses(client, world, reverse("programme-record-edit", args=[in_y.pk]),
                    STATE_ONLY)
