"""Access-matrix helpers shared by every test package: who gets which answer on a URL.

The cast is the `cast` fixture of tests/conftest.py (state_admin; division_officer of the
division of X; district_officer of X; block_team of F's block; facility_team of F in X;
outsider) with, added by `matrix_world`:

- an assessment of each of F, G (in X) and H (in Y): `world.a_f`, `world.a_g`, `world.a_h`;
- `assessor`: an assessor over the state, assigned one department (`world.assigned`) of
  `world.a_f` only (`world.unassigned` is another department of it);
- `viewer`: a read-only viewer of district X;
- `superuser`; and "anonymous", nobody logged in.

Use it from any test module::

    from tests.accounts.matrix import assert_statuses, expect, matrix_world

    @pytest.fixture
    def world(cast, demo_version):
        return matrix_world(cast, demo_version)

    def test_capture_page_access(client, world):
        assert_statuses(client, world, reverse("capture", args=[world.a_f.pk]),
                        expect(404, anonymous=302, superuser=200, state_admin=200, ...))

POSTs run inside a transaction rolled back after each person, so one person's success
does not change what the next one meets.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

CAST = ("anonymous", "superuser", "state_admin", "division_officer", "district_officer",
        "block_team", "facility_team", "assessor", "viewer", "outsider")

# In this world the division officer's division holds X (and no other district with a
# facility) and the block team's block holds F alone, so unless a row names them they are
# expected to get what the district officer and the facility team get. Every row still
# asks them: a scope that leaks (the division seeing Y, the block seeing G) fails it.
MIRRORS = {"division_officer": "district_officer", "block_team": "facility_team"}


def matrix_world(cast, version):
    """Complete the `cast` fixture for access matrices (see the module docstring)."""
    from srishti.assessments.models import Assignment
    from srishti.assessments.services import assessment_create
    from tests.factories import MembershipFactory, UserFactory

    world = cast
    for name in ("f", "g", "h"):
        facility = getattr(world, name)
        setattr(world, f"a_{name}", assessment_create(facility=facility, version=version,
                                                      start_date=dt.date(2024, 5, 1)))
    departments = list(version.departments.order_by("order")[:2])
    world.assigned, world.unassigned = departments
    world.assessor = MembershipFactory(user=UserFactory(username="assessor"), role="assessor",
                                       state=world.x.state).user
    Assignment.objects.create(assessment=world.a_f, department=world.assigned,
                              assessor=world.assessor)
    world.viewer = MembershipFactory(user=UserFactory(username="viewer"), role="viewer",
                                     district=world.x).user
    world.superuser = UserFactory(username="superuser", is_superuser=True, is_staff=True)
    world.anonymous = None
    return world


def expect(default: int, **statuses: int) -> dict[str, int]:
    """A full row of the matrix: `default` for everyone not named (the division officer
    and the block team: what their mirror gets, see MIRRORS, unless named)."""
    unknown = set(statuses) - set(CAST)
    if unknown:
        raise ValueError(f"not in the cast: {sorted(unknown)}")
    row = {person: statuses.get(person, default) for person in CAST}
    for person, mirror in MIRRORS.items():
        row[person] = statuses.get(person, row[mirror])
    return row


def status_of(client, user, url: str, *, method: str = "get", data=None) -> int:
    """The status one person gets (None: anonymous); writes are rolled back."""
    client.logout()
    with transaction.atomic():
        if user is not None:
            client.force_login(user)
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    client.logout()
    return response.status_code


def statuses(client, world, url: str, *, method: str = "get", data=None,
             people=CAST) -> dict[str, int]:
    return {p: status_of(client, getattr(world, p), url, method=method, data=data)
            for p in people}


def assert_statuses(client, world, url: str, expected: dict[str, int], *, method: str = "get",
                    data=None) -> None:
    """Assert every person of the cast gets the expected status on `url`; every person
    must be named, so a row cannot silently skip someone. Reports all mismatches at once."""
    missing = set(CAST) - set(expected)
    if missing:
        raise AssertionError(f"the matrix row for {url} does not say what {sorted(missing)} get")
    got = statuses(client, world, url, method=method, data=data, people=list(expected))
    wrong = {p: f"expected {expected[p]}, got {got[p]}" for p in expected
             if got[p] != expected[p]}
    assert not wrong, f"{method.upper()} {url}: {wrong}"
