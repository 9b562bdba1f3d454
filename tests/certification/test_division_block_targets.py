"""Mission targets over a division or a block: what they count, who sees and sets them.

The cast (tests/conftest.py): X in division XD, Y in division YD; F in block XB of X, G in
block GB of X, H in Y in no block.
"""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from srishti.certification.models import MissionTarget
from srishti.certification.selectors import mission_target_list, target_facilities
from srishti.certification.services import mission_target_create
from srishti.core.errors import DomainError


def target(cast, nqas, name="T", **scope):
    return mission_target_create(name=name, tool=nqas, count=1, start=dt.date(2024, 1, 1),
                                 deadline=dt.date(2024, 12, 31), **scope)


def names(facilities):
    return sorted(f.name for f in facilities)


def test_a_division_target_counts_its_districts_facilities_and_a_block_target_its_own(
        cast, nqas):
    division = target(cast, nqas, division=cast.xd)
    block = target(cast, nqas, block=cast.xb)
    assert names(target_facilities(division, cast.state_admin)) == ["Facility F", "Facility G"]
    assert names(target_facilities(block, cast.state_admin)) == ["Facility F"]
    assert names(target_facilities(target(cast, nqas, division=cast.yd),
                                   cast.state_admin)) == ["Facility H"]
    assert division.scope_label == "Xdivision division"
    assert block.scope_label == "Xblock (Xdistrict)"


def test_targets_are_seen_from_inside_and_above_their_place(cast, nqas):
    for name, scope in (("state", {"state": cast.x.state}), ("xd", {"division": cast.xd}),
                        ("yd", {"division": cast.yd}), ("xb", {"block": cast.xb}),
                        ("gb", {"block": cast.gb})):
        target(cast, nqas, name=name, **scope)
    seen = {person: {t.name for t in mission_target_list(user=getattr(cast, person))}
            for person in ("state_admin", "division_officer", "district_officer",
                           "block_team", "facility_team", "outsider")}
    assert seen == {
        "state_admin": {"state", "xd", "yd", "xb", "gb"},
        "division_officer": {"state", "xd", "xb", "gb"},
        "district_officer": {"state", "xd", "xb", "gb"},
        "block_team": {"state", "xd", "xb"},
        "facility_team": {"state", "xd", "xb"},
        "outsider": set(),
    }


def test_a_target_has_exactly_one_place(cast, nqas):
    with pytest.raises(DomainError):
        target(cast, nqas, division=cast.xd, block=cast.xb)
    with transaction.atomic(), pytest.raises(IntegrityError):
        MissionTarget.objects.create(name="two", tool=nqas, count=1, division=cast.xd,
                                     block=cast.xb, start=dt.date(2024, 1, 1),
                                     deadline=dt.date(2024, 12, 31))


def form(scope, nqas):
    return {"name": "Mission 60", "scope": scope, "tool": nqas.pk, "criterion": "passes_rule_set",
            "count": 2, "start": "2024-01-01", "deadline": "2024-03-31"}


def test_a_division_officer_sets_targets_for_the_division_and_what_lies_in_it(
        client, cast, nqas):
    client.force_login(cast.division_officer)
    choices = dict(client.get(reverse("mission-target-create")).context["form"]
                   .fields["scope"].choices)
    assert set(choices) == {f"division:{cast.xd.pk}", f"district:{cast.x.pk}",
                            f"block:{cast.xb.pk}", f"block:{cast.gb.pk}"}
    response = client.post(reverse("mission-target-create"), form(f"division:{cast.xd.pk}",
                                                                  nqas))
    made = MissionTarget.objects.get()
    assert response.status_code == 302 and made.division == cast.xd
    # Another division, forged into the form, is refused.
    client.post(reverse("mission-target-create"), form(f"division:{cast.yd.pk}", nqas))
    assert MissionTarget.objects.count() == 1


def test_a_district_officer_sets_a_block_target_but_not_a_division_one(client, cast, nqas):
    client.force_login(cast.district_officer)
    client.post(reverse("mission-target-create"), form(f"division:{cast.xd.pk}", nqas))
    assert not MissionTarget.objects.exists()
    client.post(reverse("mission-target-create"), form(f"block:{cast.gb.pk}", nqas))
    assert MissionTarget.objects.get().block == cast.gb


def test_the_target_pages_name_the_division_or_block(client, cast, nqas):
    t = target(cast, nqas, name="Block push", block=cast.xb)
    client.force_login(cast.block_team)
    assert "Xblock (Xdistrict)" in client.get(reverse("mission-target-list")).content.decode()
    page = client.get(reverse("mission-target-progress", args=[t.pk]))
    assert page.status_code == 200 and "Xblock (Xdistrict)" in page.content.decode()
    client.force_login(cast.district_officer)  # a block of X: the district sees it
    assert client.get(reverse("mission-target-progress", args=[t.pk])).status_code == 200
