"""Who gets what on the programme pages: out of scope answers 404, for every list and
detail view (the cast of tests/accounts/matrix.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from srishti.programme.models import Attendance
from srishti.programme.services import attendance_set, training_create
from tests.accounts.matrix import assert_statuses, expect, matrix_world, statuses
from tests.factories import register_assessor

SEES_X = dict(superuser=200, state_admin=200, district_officer=200, viewer=200)
SEES_F = dict(SEES_X, facility_team=200)
ORGANISES_X = dict(superuser=200, state_admin=200, district_officer=200)


@pytest.fixture
def world(cast, demo_version, programme):
    w = matrix_world(cast, demo_version)
    w.p = programme
    w.y_training, _ = training_create(title="Y only", kind="workshop",
                                      start_date=dt.date(2024, 1, 1),
                                      end_date=dt.date(2024, 1, 1), scope=cast.y)
    attendance_set(training=w.y_training, staff=programme.cs_y, status="attended")
    w.cert_f = Attendance.objects.get(training=programme.district_training,
                                      staff=programme.sup_f)
    w.cert_y = Attendance.objects.get(training=w.y_training, staff=programme.cs_y)
    register_assessor(None, place=cast.f)
    return w


def test_lists_answer_everyone_who_logs_in_and_send_the_anonymous_to_log_in(client, world):
    for name in ("staff-list", "training-list", "coverage-overview", "assessor-list",
                 "assessor-workload", "assessor-rules"):
        assert_statuses(client, world, reverse(name), expect(200, anonymous=302))


def test_lists_show_only_what_is_in_scope(client, world):
    client.force_login(world.district_officer)
    staff = {s.name for s in client.get(reverse("staff-list")).context["page"]}
    assert staff == {"Dr. Asha Rani", "Vinod Lal", "Dr. Kamal Nath", "Dr. Shanti Devi",
                     "Someone"}
    trainings = {t.title for t in client.get(reverse("training-list")).context["trainings"]}
    assert trainings == {"Labour room protocols", "State workshop"}
    client.force_login(world.facility_team)
    staff = {s.name for s in client.get(reverse("staff-list")).context["page"]}
    assert staff == {"Dr. Asha Rani", "Dr. Kamal Nath", "Dr. Shanti Devi", "Someone"}
    client.force_login(world.outsider)
    assert not list(client.get(reverse("staff-list")).context["page"])
    assert not client.get(reverse("assessor-list")).context["assessors"]


def test_staff_pages(client, world):
    p = world.p
    assert_statuses(client, world, reverse("staff-detail", args=[p.sup_f.pk]),
                    expect(404, anonymous=302, **SEES_F))
    assert_statuses(client, world, reverse("staff-detail", args=[p.manager_g.pk]),
                    expect(404, anonymous=302, **SEES_X))
    assert_statuses(client, world, reverse("staff-detail", args=[p.cs_y.pk]),
                    expect(404, anonymous=302, superuser=200, state_admin=200))
    assert_statuses(client, world, reverse("staff-detail", args=[p.state_officer.pk]),
                    expect(404, anonymous=302, **SEES_F))
    for name in ("staff-edit", "assessor-edit"):
        assert_statuses(client, world, reverse(name, args=[p.sup_f.pk]),
                        expect(404, anonymous=302, **ORGANISES_X))
        assert_statuses(client, world, reverse(name, args=[p.cs_y.pk]),
                        expect(404, anonymous=302, superuser=200, state_admin=200))
    assert_statuses(client, world, reverse("staff-create"),
                    expect(404, anonymous=302, **ORGANISES_X))


def test_training_pages(client, world):
    p = world.p
    district, state, y = p.district_training, p.state_training, world.y_training
    for name, args in (("training-detail", []), ("training-attendance-xlsx", [])):
        assert_statuses(client, world, reverse(name, args=[district.pk, *args]),
                        expect(404, anonymous=302, **SEES_F))
        assert_statuses(client, world, reverse(name, args=[state.pk, *args]),
                        expect(404, anonymous=302, **SEES_F))
        assert_statuses(client, world, reverse(name, args=[y.pk, *args]),
                        expect(404, anonymous=302, superuser=200, state_admin=200))
    # Within the scope a certificate is queued: a redirect to its job's page.
    assert_statuses(client, world, reverse("training-certificate",
                                           args=[district.pk, world.cert_f.pk]),
                    expect(404, anonymous=302, **{k: 302 for k in SEES_F}))
    assert_statuses(client, world, reverse("training-certificate",
                                           args=[y.pk, world.cert_y.pk]),
                    expect(404, anonymous=302, superuser=302, state_admin=302))
    for name in ("training-edit", "training-attendance-import"):
        assert_statuses(client, world, reverse(name, args=[district.pk]),
                        expect(404, anonymous=302, **ORGANISES_X))
        assert_statuses(client, world, reverse(name, args=[state.pk]),
                        expect(404, anonymous=302, superuser=200, state_admin=200))
    assert_statuses(client, world, reverse("training-create"),
                    expect(404, anonymous=302, **ORGANISES_X))


def test_training_writes_answer_404_to_all_but_the_organisers(client, world):
    p = world.p
    district = p.district_training
    row = world.cert_f
    posts = [
        (reverse("training-attendance-save", args=[district.pk]),
         {f"status_{row.pk}": "absent"}),
        (reverse("training-attendance-add", args=[district.pk]),
         {"staff": p.manager_g.pk, "status": "invited"}),
        (reverse("training-attendance-remove", args=[district.pk, row.pk]), {}),
    ]
    for url, data in posts:
        assert_statuses(client, world, url,
                        expect(404, anonymous=302, superuser=302, state_admin=302,
                               district_officer=302), method="post", data=data)
    # A district officer cannot reach a row of another district's training.
    y_row = world.cert_y
    assert statuses(client, world, reverse("training-attendance-remove",
                                           args=[district.pk, y_row.pk]),
                    method="post", people=["district_officer"]) == {"district_officer": 404}


def test_coverage_of_a_district(client, world):
    assert_statuses(client, world, reverse("coverage-district", args=[world.x.pk]),
                    expect(404, anonymous=302, **SEES_F))
    assert_statuses(client, world, reverse("coverage-district", args=[world.y.pk]),
                    expect(404, anonymous=302, superuser=200, state_admin=200))
