"""The capture pages: answering checkpoints one at a time, safely, and fast."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from srishti.assessments.models import (
    Assessment,
    Assignment,
    Response,
    ResponseChange,
    ScoreRow,
)
from srishti.assessments.services import (
    assessment_create,
    assessment_submit,
    response_save,
    responses_import,
)
from srishti.checklists.models import Checkpoint
from srishti.core.errors import DomainError
from tests.factories import MembershipFactory, UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(cast, demo_version):
    """An assessment of facility F; an assessor assigned to Emergency only, another
    assessor of F assigned to nothing, a viewer of F, an officer of district Y."""
    w = cast
    w.assessment = assessment_create(facility=cast.f, version=demo_version,
                                     start_date=dt.date(2024, 5, 1))
    departments = {d.name: d for d in demo_version.departments.all()}
    w.emergency, w.opd = departments["Emergency"], departments["OPD"]
    w.assessor = MembershipFactory(user=UserFactory(username="assessor"), role="assessor",
                                   facility=cast.f).user
    Assignment.objects.create(assessment=w.assessment, department=w.emergency,
                              assessor=w.assessor)
    w.unassigned = MembershipFactory(user=UserFactory(username="unassigned"), role="assessor",
                                     facility=cast.f).user
    w.viewer = MembershipFactory(user=UserFactory(username="viewer"), role="viewer",
                                 facility=cast.f).user
    w.officer_y = MembershipFactory(user=UserFactory(username="officer_y"),
                                    role="district_quality_unit", district=cast.y).user
    w.checkpoints = list(Checkpoint.objects.filter(department=w.emergency).order_by("order"))
    return w


def page_url(w, department=None):
    return reverse("capture-department", args=[w.assessment.pk, (department or w.emergency).pk])


def save_url(w, checkpoint):
    return reverse("capture-save", args=[w.assessment.pk, checkpoint.pk])


def post(client, w, checkpoint, value, remark="", base=0, client_id=None, **extra):
    data = {"value": value, "remark": remark, "base_revision": base}
    if client_id is not None:
        data["client_id"] = str(client_id)
    return client.post(save_url(w, checkpoint), data, **{**HTMX, **extra})


def article(html: str, checkpoint) -> str:
    match = re.search(rf'<article id="cp-{checkpoint.pk}".*?</article>', html, re.S)
    assert match, f"checkpoint {checkpoint.pk} is not on the page"
    return match.group(0)


def pressed(fragment: str) -> list[str]:
    return re.findall(r'value="([^"]*)" aria-pressed="true"', fragment)


# --- saving ----------------------------------------------------------------------------

def test_an_answer_saves_through_its_endpoint_and_is_there_after_reload(client, world):
    cp = world.checkpoints[0]
    client.force_login(world.assessor)

    response = post(client, world, cp, "2", client_id=uuid.uuid4())

    assert response.status_code == 200
    assert "✓ Saved" in article(response.content.decode(), cp)
    stored = Response.objects.get(assessment=world.assessment, checkpoint=cp)
    assert (stored.value, stored.revision, stored.updated_by) == (Decimal("2"), 1, world.assessor)
    reloaded = article(client.get(page_url(world)).content.decode(), cp)
    assert pressed(reloaded) == ["2"]
    assert 'name="base_revision" value="1"' in reloaded


def test_a_save_answers_out_of_band_progress_and_the_stored_department_score(client, world):
    client.force_login(world.assessor)
    post(client, world, world.checkpoints[0], "2")
    html = post(client, world, world.checkpoints[1], "1", "half done").content.decode()

    summary = re.search(r'<div id="capture-summary"[^>]*hx-swap-oob="true".*?</div>', html, re.S)
    assert summary and f"<b>2</b> / {len(world.checkpoints)}" in summary.group(0)
    row = ScoreRow.objects.get(assessment=world.assessment, department=world.emergency,
                               level="department")
    assert row.score == 75.0
    assert '<b id="dept-score">75.0%</b>' in html
    assert 'id="capture-score-areas" class="bars" hx-swap-oob="innerHTML"' in html
    assert re.search(r'<span id="count-gaps" hx-swap-oob="true">1</span>', html)
    unanswered = len(world.checkpoints) - 2
    assert f'<span id="count-unanswered" hx-swap-oob="true">{unanswered}</span>' in html


@pytest.mark.parametrize("value", ["0", "1"])
def test_a_score_below_full_needs_a_remark_and_without_one_nothing_is_saved(client, world,
                                                                             value):
    cp = world.checkpoints[0]
    client.force_login(world.assessor)

    refused = post(client, world, cp, value, remark="   ")

    assert refused.status_code == 422
    fragment = article(refused.content.decode(), cp)
    assert "Write a remark" in fragment
    assert pressed(fragment) == [value]  # the attempt stays on screen, to be completed
    assert not Response.objects.filter(checkpoint=cp).exists()

    accepted = post(client, world, cp, value, remark="Register not maintained")
    assert accepted.status_code == 200
    assert Response.objects.get(checkpoint=cp).remark == "Register not maintained"


def test_na_is_offered_and_saved_only_where_the_checkpoint_allows_it(client, world):
    allowed, not_allowed = world.checkpoints[0], world.checkpoints[1]
    Checkpoint.objects.filter(pk=not_allowed.pk).update(na_allowed=False)
    client.force_login(world.assessor)

    html = client.get(page_url(world)).content.decode()
    assert 'value="na"' in article(html, allowed)
    assert 'value="na"' not in article(html, not_allowed)

    assert post(client, world, allowed, "na").status_code == 200
    assert Response.objects.get(checkpoint=allowed).value is None
    refused = post(client, world, not_allowed, "na")
    assert refused.status_code == 422
    assert "cannot be marked not applicable" in refused.content.decode()
    assert not Response.objects.filter(checkpoint=not_allowed).exists()


def test_a_checkpoint_scored_0_or_2_offers_and_accepts_only_those(client, world):
    cp = world.checkpoints[0]
    Checkpoint.objects.filter(pk=cp.pk).update(levels=[0, 2])
    client.force_login(world.assessor)

    fragment = article(client.get(page_url(world)).content.decode(), cp)
    assert re.findall(r'name="value" value="([^"]*)" aria-pressed', fragment) == ["0", "2", "na"]
    assert post(client, world, cp, "1", "partly").status_code == 422
    assert not Response.objects.filter(checkpoint=cp).exists()


def test_kayakalp_levels_are_0_half_and_1_and_half_needs_a_remark(client, cast):
    from srishti.checklists.services import checklist_version_create, tool_get
    from srishti.demo.checklist import demo_checklist

    parsed = demo_checklist("DH")
    parsed.levels = (0.0, 0.5, 1.0)
    version = checklist_version_create(parsed=parsed, tool=tool_get(code="NQAS"),
                                       facility_type="DH", label="halves")
    assessment = assessment_create(facility=cast.f, version=version,
                                   start_date=dt.date(2024, 5, 1))
    cp = version.checkpoints.order_by("order").first()
    client.force_login(cast.facility_team)
    url = reverse("capture-save", args=[assessment.pk, cp.pk])

    html = client.get(reverse("capture-department",
                              args=[assessment.pk, cp.department_id])).content.decode()
    assert 'data-full="1"' in article(html, cp)
    assert client.post(url, {"value": "0.5", "base_revision": 0}, **HTMX).status_code == 422
    assert client.post(url, {"value": "0.5", "remark": "r", "base_revision": 0},
                       **HTMX).status_code == 200
    assert Response.objects.get(checkpoint=cp).value == Decimal("0.5")


def test_a_stale_revision_gets_the_conflict_fragment_and_nothing_is_overwritten(client, world):
    cp = world.checkpoints[0]
    response_save(assessment=world.assessment, checkpoint=cp, value=Decimal(2), remark="",
                  base_revision=0, user=world.district_officer)
    client.force_login(world.assessor)

    response = post(client, world, cp, "1", "Only half the rooms", base=0)

    assert response.status_code == 409
    fragment = article(response.content.decode(), cp)
    assert "Someone else changed this answer" in fragment
    assert "district_officer" in fragment and "Only half the rooms" in fragment
    assert "Keep theirs" in fragment and "Use mine" in fragment
    # "Use mine" resubmits against the revision now stored.
    assert 'name="base_revision" value="1"' in fragment
    stored = Response.objects.get(checkpoint=cp)
    assert (stored.value, stored.remark, stored.revision) == (Decimal(2), "", 1)
    assert ResponseChange.objects.filter(response=stored).count() == 1


def test_use_mine_after_a_conflict_saves_and_the_history_keeps_both(client, world):
    cp = world.checkpoints[0]
    response_save(assessment=world.assessment, checkpoint=cp, value=Decimal(2), remark="",
                  base_revision=0, user=world.district_officer)
    client.force_login(world.assessor)
    assert post(client, world, cp, "1", "Only half", base=0).status_code == 409

    assert post(client, world, cp, "1", "Only half", base=1).status_code == 200

    history = client.get(reverse("capture-history", args=[world.assessment.pk, cp.pk]))
    text = history.content.decode()
    assert "district_officer" in text and "assessor" in text and "Only half" in text
    assert list(ResponseChange.objects.filter(response__checkpoint=cp)
                .values_list("new_value", flat=True)) == [Decimal(2), Decimal(1)]


def test_keep_theirs_shows_the_stored_answer_ready_to_edit(client, world):
    cp = world.checkpoints[0]
    response_save(assessment=world.assessment, checkpoint=cp, value=Decimal(2), remark="",
                  base_revision=0, user=world.district_officer)
    client.force_login(world.assessor)

    response = client.get(reverse("capture-checkpoint", args=[world.assessment.pk, cp.pk]),
                          **HTMX)

    fragment = article(response.content.decode(), cp)
    assert pressed(fragment) == ["2"] and 'name="base_revision" value="1"' in fragment


def test_replaying_the_same_client_id_changes_nothing(client, world):
    cp = world.checkpoints[0]
    client.force_login(world.assessor)
    client_id = uuid.uuid4()
    first = post(client, world, cp, "1", "half", client_id=client_id)

    again = post(client, world, cp, "1", "half", client_id=client_id)
    # Even a replay that arrives after a newer answer leaves that answer alone.
    post(client, world, cp, "2", base=1)
    late = post(client, world, cp, "1", "half", client_id=client_id)

    assert first.status_code == again.status_code == late.status_code == 200
    stored = Response.objects.get(checkpoint=cp)
    assert (stored.value, stored.revision) == (Decimal(2), 2)
    assert ResponseChange.objects.filter(response=stored).count() == 2


def test_a_client_id_of_another_checkpoint_is_refused_not_answered_with_its_response(world):
    first, second = world.checkpoints[:2]
    client_id = uuid.uuid4()
    response_save(assessment=world.assessment, checkpoint=first, value=Decimal(2), remark="",
                  base_revision=0, user=world.assessor, client_id=client_id)
    with pytest.raises(DomainError, match="already used"):
        response_save(assessment=world.assessment, checkpoint=second, value=Decimal(2),
                      remark="", base_revision=0, user=world.assessor, client_id=client_id)
    assert not Response.objects.filter(checkpoint=second).exists()


def test_a_submitted_assessment_refuses_saves_with_a_message_and_shows_no_buttons(client,
                                                                                  world):
    cp = world.checkpoints[0]
    assessment_submit(assessment=world.assessment, user=world.district_officer,
                      unanswered_confirmed=True)
    client.force_login(world.assessor)

    refused = post(client, world, cp, "2")
    assert refused.status_code == 422
    assert "has been submitted" in refused.content.decode()
    assert not Response.objects.filter(checkpoint=cp).exists()
    html = client.get(page_url(world)).content.decode()
    assert "locked" in html and 'name="value"' not in html


def test_a_save_racing_a_submission_is_refused_even_with_a_stale_assessment_object(world):
    stale = Assessment.objects.get(pk=world.assessment.pk)
    Assessment.objects.filter(pk=stale.pk).update(status=Assessment.Status.SUBMITTED)
    with pytest.raises(DomainError, match="submitted"):
        response_save(assessment=stale, checkpoint=world.checkpoints[0], value=Decimal(2),
                      remark="", base_revision=0, user=world.assessor)


def test_without_htmx_a_save_returns_to_the_page_at_the_checkpoint(client, world):
    cp = world.checkpoints[0]
    client.force_login(world.assessor)
    response = client.post(save_url(world, cp), {"value": "2", "base_revision": 0})
    assert response.status_code == 302
    assert response.url == f"{page_url(world)}#cp-{cp.pk}"
    assert Response.objects.filter(checkpoint=cp).exists()


def test_a_missing_value_or_revision_is_refused_without_a_write(client, world):
    cp = world.checkpoints[0]
    client.force_login(world.assessor)
    assert post(client, world, cp, "").status_code == 422
    assert client.post(save_url(world, cp), {"value": "2", "base_revision": "x"},
                       **HTMX).status_code == 422
    assert not Response.objects.filter(checkpoint=cp).exists()


# --- history ---------------------------------------------------------------------------

def test_the_history_lists_who_when_and_the_old_and_new_answers(client, world):
    cp = world.checkpoints[0]
    client.force_login(world.assessor)
    post(client, world, cp, "1", "half")
    post(client, world, cp, "na", "", base=1)

    html = client.get(reverse("capture-history", args=[world.assessment.pk, cp.pk])).content
    items = re.findall(r"<li>.*?</li>", html.decode(), re.S)
    assert len(items) == 2
    assert "assessor" in items[0] and re.search(r"1</span> → <span class=\"cp-value\">NA",
                                                items[0])
    assert "<del>half</del>" in items[0]
    assert re.search(r'<span class="cp-value">1</span>', items[1]) and "→" not in items[1]
    assert "<time datetime=" in items[1]


# --- filters and overview ---------------------------------------------------------------

def test_the_filters_list_only_unanswered_checkpoints_or_only_gaps(client, world):
    first, second, third = world.checkpoints[:3]
    client.force_login(world.assessor)
    post(client, world, first, "2")
    post(client, world, second, "0", "missing")
    post(client, world, third, "na")

    def listed(show):
        html = client.get(page_url(world), {"show": show}).content.decode()
        return {int(i) for i in re.findall(r'<article id="cp-(\d+)"', html)}

    everything = {cp.pk for cp in world.checkpoints}
    assert listed("all") == everything
    assert listed("unanswered") == everything - {first.pk, second.pk, third.pk}
    assert listed("gaps") == {second.pk}
    assert listed("nonsense") == everything


def test_the_overview_shows_progress_assessors_and_links_only_to_readable_departments(
        client, world):
    client.force_login(world.assessor)
    post(client, world, world.checkpoints[0], "2")

    response = client.get(reverse("assessment-capture", args=[world.assessment.pk]))

    assert response.status_code == 200
    lines = {d.name: d for d in response.context["departments"]}
    assert lines["Emergency"].answered == 1
    assert lines["Emergency"].total == len(world.checkpoints)
    assert lines["Emergency"].assessors == ["assessor"]
    assert lines["Emergency"].score.score == 100.0
    html = response.content.decode()
    assert page_url(world) in html
    assert page_url(world, world.opd) not in html  # an assessor reads only their own


def test_a_district_officer_may_score_every_department(client, world):
    client.force_login(world.district_officer)
    response = client.get(reverse("assessment-capture", args=[world.assessment.pk]))
    assert all(d.can_write for d in response.context["departments"])
    opd_cp = Checkpoint.objects.filter(department=world.opd).first()
    assert post(client, world, opd_cp, "2").status_code == 200


# --- access ------------------------------------------------------------------------------

def endpoints(w):
    cp = w.checkpoints[0]
    a = w.assessment.pk
    return {
        "overview": ("get", reverse("assessment-capture", args=[a])),
        "page": ("get", page_url(w)),
        "fragment": ("get", reverse("capture-checkpoint", args=[a, cp.pk])),
        "history": ("get", reverse("capture-history", args=[a, cp.pk])),
        "save": ("post", save_url(w, cp)),
    }


@pytest.mark.parametrize("person", ["unassigned", "officer_y", "outsider"])
@pytest.mark.parametrize("endpoint", ["overview", "page", "fragment", "history", "save"])
def test_people_out_of_scope_get_404_everywhere(client, world, person, endpoint):
    response_save(assessment=world.assessment, checkpoint=world.checkpoints[0],
                  value=Decimal(2), remark="", base_revision=0, user=world.district_officer)
    client.force_login(getattr(world, person))
    method, url = endpoints(world)[endpoint]
    response = getattr(client, method)(url, {"value": "1", "remark": "x", "base_revision": 1}
                                       if method == "post" else {}, **HTMX)
    assert response.status_code == 404
    assert Response.objects.get(checkpoint=world.checkpoints[0]).value == Decimal(2)


@pytest.mark.parametrize("endpoint", ["page", "fragment", "history", "save"])
def test_an_assessor_gets_404_for_a_department_not_assigned_to_them(client, world, endpoint):
    opd_cp = Checkpoint.objects.filter(department=world.opd).first()
    a = world.assessment.pk
    method, url = {
        "page": ("get", page_url(world, world.opd)),
        "fragment": ("get", reverse("capture-checkpoint", args=[a, opd_cp.pk])),
        "history": ("get", reverse("capture-history", args=[a, opd_cp.pk])),
        "save": ("post", save_url(world, opd_cp)),
    }[endpoint]
    client.force_login(world.assessor)
    data = {"value": "2", "base_revision": 0} if method == "post" else {}
    assert getattr(client, method)(url, data, **HTMX).status_code == 404
    assert not Response.objects.filter(checkpoint=opd_cp).exists()


def test_a_viewer_reads_the_page_without_buttons_and_cannot_write(client, world):
    cp = world.checkpoints[0]
    response_save(assessment=world.assessment, checkpoint=cp, value=Decimal(1), remark="half",
                  base_revision=0, user=world.district_officer)
    client.force_login(world.viewer)

    page = client.get(page_url(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<form" not in article(html, cp) and 'name="value"' not in html
    assert "half" in article(html, cp)
    assert client.get(reverse("capture-history",
                              args=[world.assessment.pk, cp.pk])).status_code == 200
    assert post(client, world, cp, "2", base=1).status_code == 404
    assert Response.objects.get(checkpoint=cp).value == Decimal(1)


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    for method, url in endpoints(world).values():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_checkpoint_of_another_checklist_is_404(client, world, demo_version):
    from srishti.checklists.services import checklist_version_create, tool_get
    from srishti.demo.checklist import demo_checklist

    other = checklist_version_create(parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"),
                                     facility_type="DH", label="other")
    foreign = other.checkpoints.first()
    client.force_login(world.district_officer)
    assert post(client, world, foreign, "2").status_code == 404
    assert client.get(reverse("capture-department",
                              args=[world.assessment.pk, foreign.department_id])).status_code == 404


# --- queries -----------------------------------------------------------------------------

def big_version(checkpoints: int, label: str = "big"):
    """A DH checklist whose Emergency department holds `checkpoints` checkpoints: the demo
    department with each checkpoint repeated in place. Returns (version, department)."""
    import math

    from srishti.checklists.services import checklist_version_create, tool_get
    from srishti.demo.checklist import demo_checklist

    parsed = demo_checklist("DH")
    department = parsed.departments[0]
    standards = [std for area in department.areas for std in area.standards]
    times = math.ceil(checkpoints / sum(len(std.checkpoints) for std in standards))
    left = checkpoints
    for std in standards:
        grown = [cp if i == 0 else cp._replace(text=f"{cp.text} ({i + 1})")
                 for cp in std.checkpoints for i in range(times)]
        std.checkpoints = grown[:left]
        left -= len(std.checkpoints)
    version = checklist_version_create(parsed=parsed, tool=tool_get(code="NQAS"),
                                       facility_type="DH", label=label)
    return version, version.departments.get(name=department.name)


def answer_all(assessment, department):
    ids = Checkpoint.objects.filter(department=department).values_list("id", flat=True)
    responses_import(assessment=assessment,
                     answers=[(cid, [0, 1, 2, None][i % 4], "r") for i, cid in enumerate(ids)])


# Session, user, assessment, memberships, editable departments (quality roles) or
# assignments (assessors), department, checkpoints, answers, assessors, score rows.
PAGE_QUERIES = {"assessor": 10, "district_officer": 10, "viewer": 9}


@pytest.mark.parametrize("person", sorted(PAGE_QUERIES))
def test_the_department_page_runs_the_same_queries_for_100_or_600_checkpoints(
        client, world, person, django_assert_num_queries):
    version, big = big_version(600)
    large = assessment_create(facility=world.f, version=version,
                              start_date=dt.date(2024, 6, 1))
    Assignment.objects.create(assessment=large, department=big, assessor=world.assessor)
    answer_all(world.assessment, world.emergency)
    answer_all(large, big)
    client.force_login(getattr(world, person))

    for assessment, department, size in ((world.assessment, world.emergency,
                                          len(world.checkpoints)), (large, big, 600)):
        url = reverse("capture-department", args=[assessment.pk, department.pk])
        with django_assert_num_queries(PAGE_QUERIES[person]):
            response = client.get(url)
        assert response.content.decode().count('<article id="cp-') == size


def test_a_save_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.assessor)
    answer_all(world.assessment, world.emergency)
    cp = world.checkpoints[0]
    current = Response.objects.get(checkpoint=cp)
    with django_assert_max_num_queries(30):
        response = post(client, world, cp, "2", base=current.revision)
    assert response.status_code == 200


# --- concurrency (PostgreSQL: SQLite serialises writers by itself) ------------------------

@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_one_assessment_all_land_and_the_stored_score_counts_them(
        demo_version):
    import threading

    from django.db import connection

    from srishti.assessments.services import assessment_scorecard
    from tests.factories import FacilityFactory

    if connection.vendor != "postgresql":
        pytest.skip("needs a server database: SQLite in memory cannot be shared by threads")
    assessment = assessment_create(facility=FacilityFactory(), version=demo_version,
                                   start_date=dt.date(2024, 1, 1))
    user = UserFactory()
    targets = list(demo_version.checkpoints.order_by("order")[:40])
    errors: list[str] = []
    start = threading.Barrier(4)

    def save(chunk):
        from django.db import connection as own

        try:
            start.wait()
            for cp in chunk:
                response_save(assessment=Assessment.objects.get(pk=assessment.pk),
                              checkpoint=cp, value=Decimal(2), remark="", base_revision=0,
                              user=user)
        except Exception as error:  # collected, asserted below
            errors.append(repr(error))
        finally:
            own.close()

    threads = [threading.Thread(target=save, args=(targets[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Response.objects.filter(assessment=assessment).count() == 40
    engine = next(d for d in assessment_scorecard(assessment).departments
                  if d.name == "Emergency")
    stored = ScoreRow.objects.get(assessment=assessment, level="department",
                                  department__name="Emergency")
    assert (stored.obtained, stored.maximum) == (engine.tally.obtained, engine.tally.maximum)
