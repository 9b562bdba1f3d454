"""Who gets which answer on every indicator page (outside scope: 404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.matrix import assert_statuses, expect, matrix_world


@pytest.fixture
def world(cast, demo_version, library):
    return matrix_world(cast, demo_version)


READ_F = expect(404, anonymous=302, superuser=200, state_admin=200, district_officer=200,
                facility_team=200, viewer=200)
ENTER_F = expect(404, anonymous=302, superuser=200, state_admin=200, district_officer=200,
                 facility_team=200)
STATE_ONLY = expect(404, anonymous=302, superuser=200, state_admin=200)


def test_the_indicator_landing_page(client, world):
    # A person seeing one facility lands on it; the others get their districts.
    assert_statuses(client, world, reverse("indicator-overview"),
                    expect(200, anonymous=302, facility_team=302))


@pytest.mark.parametrize("name", ["indicator-facility"])
def test_a_facilitys_indicator_page(client, world, name):
    assert_statuses(client, world, reverse(name, args=[world.f.pk]), READ_F)
    assert_statuses(client, world, reverse(name, args=[world.h.pk]), STATE_ONLY)


@pytest.mark.parametrize("name", ["indicator-entry", "indicator-template", "indicator-upload"])
def test_entering_figures_is_for_the_facility_team_and_the_quality_units(client, world, name):
    assert_statuses(client, world, reverse(name, args=[world.f.pk]), ENTER_F)
    assert_statuses(client, world, reverse(name, args=[world.h.pk]), STATE_ONLY)


def test_saving_figures_is_for_the_facility_team_and_the_quality_units(client, world):
    from srishti.indicators.months import last_complete_month

    data = {"department": "IPD", "month": f"{last_complete_month():%Y-%m}",
            "base_revision": 0, "n-LAMA": "1", "d-LAMA": "10"}
    assert_statuses(client, world, reverse("indicator-entry", args=[world.f.pk]),
                    expect(404, anonymous=302, superuser=302, state_admin=302,
                           district_officer=302, facility_team=302),
                    method="post", data=data)


def test_a_districts_indicator_pages(client, world):
    for url in (reverse("indicator-district", args=[world.x.pk]),
                reverse("indicator-district-one", args=[world.x.pk, "LAMA"])):
        assert_statuses(client, world, url, READ_F)
    assert_statuses(client, world, reverse("indicator-district", args=[world.y.pk]),
                    STATE_ONLY)


def test_the_figures_beside_area_h_follow_the_capture_pages_access(client, world):
    assigned = reverse("indicator-capture", args=[world.a_f.pk, world.assigned.pk])
    unassigned = reverse("indicator-capture", args=[world.a_f.pk, world.unassigned.pk])
    assert_statuses(client, world, assigned, expect(
        404, anonymous=302, superuser=200, state_admin=200, district_officer=200,
        facility_team=200, viewer=200, assessor=200))
    assert_statuses(client, world, unassigned, READ_F)
    assert_statuses(client, world, reverse("indicator-capture",
                                           args=[world.a_h.pk, world.unassigned.pk]),
                    STATE_ONLY)
