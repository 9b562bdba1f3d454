"""Division and block dashboards: the state's and the district's pages over a smaller place.

The cast (tests/conftest.py): X in division XD, Y in division YD; F in block XB of X, G in
block GB of X, H in Y in no block.
"""

import datetime as dt

import pytest
from django.urls import reverse

from srishti.certification.models import MissionTarget
from srishti.checklists.models import Tool
from srishti.dashboards.selectors import district_dashboard, place_ranking, state_dashboard
from tests.accounts.matrix import assert_statuses, expect, matrix_world
from tests.dashboards.test_dashboards import assess
from tests.factories import BlockFactory, DistrictFactory, FacilityFactory


@pytest.fixture
def scores(cast, demo_version):
    assess(cast.f, demo_version, dt.date(2024, 4, 5), lambda cp: 2)
    assess(cast.g, demo_version, dt.date(2024, 4, 6), lambda cp: 1)
    assess(cast.h, demo_version, dt.date(2024, 4, 7), lambda cp: 0)
    return cast


def test_the_division_dashboard_ranks_only_the_districts_of_the_division(scores):
    # A second district in the division, with a facility, so the ranking has two rows.
    z = DistrictFactory(name="Zdistrict", division=scores.xd)
    FacilityFactory(district=z, name="Facility Z")
    board = state_dashboard(user=scores.state_admin, division=scores.xd)
    assert board.title == "Xdivision"
    assert [r.name for r in board.ranking] == ["Xdistrict", "Zdistrict"]
    assert board.ranking[0].average_score == pytest.approx(75)
    assert board.tiles.facilities == 3 and board.tiles.assessed == 2
    assert [row.name for row in board.heat] == ["Xdistrict"]


def test_the_division_officer_sees_the_same_on_the_state_dashboard(scores):
    board = state_dashboard(user=scores.division_officer)
    assert [r.name for r in board.ranking] == ["Xdistrict"]
    assert board.tiles.facilities == 2


def test_the_block_dashboard_lists_only_the_facilities_of_the_block(scores):
    FacilityFactory(district=scores.x, block=scores.xb, name="Facility F2")
    board = district_dashboard(user=scores.state_admin, district=scores.x, block=scores.xb)
    assert board.title == "Xblock"
    assert [r.name for r in board.ranking] == ["Facility F"]  # F2 has no assessment yet
    assert board.tiles.facilities == 2 and board.tiles.assessed == 1
    assert board.ranking[0].average_score == pytest.approx(100)


def test_a_block_team_sees_its_block_and_nothing_else(scores):
    board = state_dashboard(user=scores.block_team)
    assert board.tiles.facilities == 1
    board = district_dashboard(user=scores.block_team, district=scores.x)
    assert [r.name for r in board.ranking] == ["Facility F"]


def test_divisions_and_blocks_are_ranked_by_the_average_latest_score(scores):
    divisions = place_ranking(user=scores.state_admin, by="division")
    assert [(r.name, r.facilities, r.assessed) for r in divisions] == [
        ("Xdivision", 2, 2), ("Ydivision", 1, 1)]
    assert divisions[0].average_score == pytest.approx(75)
    blocks = place_ranking(user=scores.state_admin, by="block", district=scores.x)
    assert [(r.name, r.average_score) for r in blocks] == [("Xblock", pytest.approx(100)),
                                                          ("Gblock", pytest.approx(50))]
    assert place_ranking(user=scores.state_admin, by="block", district=scores.y) == []
    # Only what the person sees: the block team ranks its own block alone.
    assert [r.name for r in place_ranking(user=scores.block_team, by="block")] == ["Xblock"]
    assert [r.name for r in place_ranking(user=scores.block_team, by="division")] == [
        "Xdivision"]


def test_the_pages_show_their_place_and_rank_what_lies_below(client, scores):
    client.force_login(scores.state_admin)
    html = client.get(reverse("dashboard-division", args=[scores.xd.pk])).content.decode()
    assert "Division dashboard: Xdivision" in html
    assert reverse("dashboard-district", args=[scores.x.pk]) in html
    assert "Ydistrict" not in html
    html = client.get(reverse("dashboard-block", args=[scores.xb.pk])).content.decode()
    assert "Block dashboard: Xblock (Xdistrict)" in html
    assert "Facility F" in html and "Facility G" not in html
    html = client.get(reverse("dashboard-state")).content.decode()
    assert reverse("dashboard-division", args=[scores.xd.pk]) in html
    html = client.get(reverse("dashboard-district", args=[scores.x.pk])).content.decode()
    assert reverse("dashboard-block", args=[scores.gb.pk]) in html


def shown_targets(client, scores, targets, url):
    nqas = Tool.objects.get(code="NQAS")
    for name, scope in targets:
        MissionTarget.objects.get_or_create(
            name=name, tool=nqas, count=1, start=dt.date(2024, 1, 1),
            deadline=dt.date(2024, 12, 31), **scope)
    client.force_login(scores.state_admin)
    return {t.name for t in client.get(url).context["attention"].targets}


def test_state_and_district_targets_show_on_the_pages_of_the_places_they_cover(client, scores):
    targets = (("State target", {"state": scores.x.state}), ("X target", {"district": scores.x}),
               ("Y target", {"district": scores.y}))
    for url, expected in (
            (reverse("dashboard-division", args=[scores.xd.pk]), {"State target", "X target"}),
            (reverse("dashboard-division", args=[scores.yd.pk]), {"State target", "Y target"}),
            (reverse("dashboard-block", args=[scores.xb.pk]), {"State target", "X target"})):
        assert shown_targets(client, scores, targets, url) == expected, url


def test_division_and_block_targets_show_inside_and_above_their_place(client, scores):
    # (At most three targets show on a dashboard: three here.)
    targets = (("XD target", {"division": scores.xd}), ("XB target", {"block": scores.xb}),
               ("GB target", {"block": scores.gb}))
    for url, expected in (
            (reverse("dashboard-division", args=[scores.xd.pk]),
             {"XD target", "XB target", "GB target"}),
            (reverse("dashboard-division", args=[scores.yd.pk]), set()),
            (reverse("dashboard-district", args=[scores.x.pk]),
             {"XD target", "XB target", "GB target"}),
            (reverse("dashboard-block", args=[scores.xb.pk]), {"XD target", "XB target"}),
            (reverse("dashboard-state"), {"XD target", "XB target", "GB target"})):
        assert shown_targets(client, scores, targets, url) == expected, url


@pytest.mark.parametrize("extra", [0, 4])
def test_division_and_block_dashboards_run_a_fixed_number_of_queries(
        client, scores, demo_version, extra, django_assert_num_queries):
    for i in range(extra):
        block = BlockFactory(district=scores.x) if i % 2 else scores.xb
        assess(FacilityFactory(district=scores.x, block=block), demo_version,
               dt.date(2024, 5, 1 + i), lambda cp: 1)
    client.force_login(scores.state_admin)
    # As the state's and the district's pages (no target here: one query fewer), plus the
    # division or the block itself.
    with django_assert_num_queries(18):
        assert client.get(reverse("dashboard-division",
                                  args=[scores.xd.pk])).status_code == 200
    with django_assert_num_queries(18):
        assert client.get(reverse("dashboard-block", args=[scores.xb.pk])).status_code == 200


@pytest.fixture
def world(cast, demo_version):
    return matrix_world(cast, demo_version)


def test_division_dashboard_access(client, world):
    # Whoever sees a facility of the division opens its page (seeing only that facility).
    assert_statuses(client, world, reverse("dashboard-division", args=[world.xd.pk]),
                    expect(200, anonymous=302, assessor=404, outsider=404))
    assert_statuses(client, world, reverse("dashboard-division", args=[world.yd.pk]),
                    expect(404, anonymous=302, superuser=200, state_admin=200))
    assert_statuses(client, world, reverse("dashboard-division", args=[999999]),
                    expect(404, anonymous=302))


def test_block_dashboard_access(client, world):
    assert_statuses(client, world, reverse("dashboard-block", args=[world.xb.pk]),
                    expect(200, anonymous=302, assessor=404, outsider=404))
    # G's block: the district and the division see it, F's block team and F's team do not.
    assert_statuses(client, world, reverse("dashboard-block", args=[world.gb.pk]),
                    expect(200, anonymous=302, assessor=404, outsider=404, block_team=404,
                           facility_team=404))
    assert_statuses(client, world, reverse("dashboard-block", args=[999999]),
                    expect(404, anonymous=302))


def test_division_and_block_people_land_on_their_dashboards(client, world):
    client.force_login(world.division_officer)
    assert client.get(reverse("home")).url == reverse("dashboard-division", args=[world.xd.pk])
    client.force_login(world.block_team)
    assert client.get(reverse("home")).url == reverse("dashboard-block", args=[world.xb.pk])
    client.force_login(world.district_officer)
    assert client.get(reverse("home")).url == reverse("dashboard-district", args=[world.x.pk])



def test_the_facility_page_links_to_its_block_dashboard(client, scores):
    client.force_login(scores.block_team)
    html = client.get(reverse("facility-detail", args=[scores.f.pk])).content.decode()
    assert reverse("dashboard-block", args=[scores.xb.pk]) in html and "Xblock" in html
    client.force_login(scores.state_admin)
    html = client.get(reverse("facility-detail", args=[scores.h.pk])).content.decode()
    assert "/dashboards/blocks/" not in html  # H is in no block
