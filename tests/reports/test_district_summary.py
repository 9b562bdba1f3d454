"""The district summary PDF: facilities ranked, counts per type, pooled area figures,
weakest standards; scoped to what the person may see, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from srishti.assessments.models import ScoreRow
from srishti.assessments.services import assessment_create
from srishti.reports.selectors import district_summary
from tests.conftest import fetch_file
from tests.factories import FacilityFactory, submitted

from .conftest import give_answers, pdf_text


def assess(facility, version, *, seed: int, start: dt.date, weights=(1, 1, 3, 1)):
    assessment = assessment_create(facility=facility, version=version, start_date=start)
    return submitted(give_answers(assessment, seed=seed, weights=weights))


@pytest.fixture
def district(cast, demo_version):
    """F assessed twice (the newer counts), G once and better; an unassessed CHC in X."""
    old = assess(cast.f, demo_version, seed=1, start=dt.date(2023, 1, 1), weights=(0, 0, 1, 0))
    newer = assess(cast.f, demo_version, seed=2, start=dt.date(2024, 1, 1), weights=(3, 1, 1, 1))
    g = assess(cast.g, demo_version, seed=3, start=dt.date(2024, 2, 1), weights=(1, 1, 4, 1))
    chc = FacilityFactory(district=cast.x, name="CHC Nowhere", facility_type="CHC")
    assess(cast.h, demo_version, seed=4, start=dt.date(2024, 3, 1))  # another district
    return {"old": old, "f": newer, "g": g, "chc": chc}


def test_facilities_are_ranked_by_their_latest_assessment(cast, district):
    report = district_summary(user=cast.district_officer, pk=cast.x.pk)

    names = [f.name for f in report.facilities]
    assert names == ["Facility G", "Facility F", "CHC Nowhere"]
    g, f, chc = report.facilities
    assert (g.rank, f.rank, chc.rank) == (1, 2, None)
    assert f.assessment_id == district["f"].pk  # the newer one, not the perfect old one
    assert f.score == pytest.approx(district["f"].score.overall)
    assert f.passed is False and chc.assessment_id is None
    assert f.date == dt.date(2024, 1, 1)


def test_counts_per_facility_type(cast, district):
    report = district_summary(user=cast.district_officer, pk=cast.x.pk)

    counts = {t.code: (t.facilities, t.assessed, t.certifiable) for t in report.types}
    assert counts == {"DH": (2, 2, 0), "CHC": (1, 0, 0)}


def test_area_figures_pool_points_over_the_latest_assessments(cast, district):
    report = district_summary(user=cast.district_officer, pk=cast.x.pk)

    latest = [district["f"].pk, district["g"].pk]
    for figure in report.areas:
        rows = ScoreRow.objects.filter(assessment_id__in=latest, department__isnull=True,
                                       level="area", code=figure.code)
        obtained = sum(r.obtained for r in rows)
        maximum = sum(r.maximum for r in rows)
        assert figure.score == pytest.approx(100 * obtained / maximum)
    assert [f.code for f in report.areas] == list("ABCDEFGH")
    assert report.areas[0].title == "Service Provision"


def test_the_weakest_standards_come_first(cast, district):
    report = district_summary(user=cast.district_officer, pk=cast.x.pk)

    scores = [w.score for w in report.weakest]
    assert len(scores) == 10 and scores == sorted(scores)
    assert all(w.title and w.facilities == 2 for w in report.weakest)


def test_a_facility_team_sees_only_its_own_facility_in_the_district(cast, district):
    report = district_summary(user=cast.facility_team, pk=cast.x.pk)

    assert [f.name for f in report.facilities] == ["Facility F"]
    f_rows = ScoreRow.objects.filter(assessment=district["f"], department__isnull=True,
                                     level="area", code="A").get()
    assert report.areas[0].score == pytest.approx(f_rows.score)


def queries_for(client, user, pk) -> int:
    # The PDF is made by a background job (srishti.jobs.kinds): count what it reads.
    from srishti.accounts.models import User
    from srishti.jobs.kinds import district_pdf

    user = User.objects.get(pk=user.pk)  # as the worker loads the job's owner
    with CaptureQueriesContext(connection) as captured:
        made = district_pdf(user, {"district": pk}, lambda done, total: None)
    assert made.content.startswith(b"%PDF-")
    return len(captured)


def test_the_summary_reads_a_fixed_number_of_queries(client, cast, district, demo_version):
    few = queries_for(client, cast.district_officer, cast.x.pk)
    for n in range(4):
        facility = FacilityFactory(district=cast.x, name=f"More {n}")
        assess(facility, demo_version, seed=10 + n, start=dt.date(2024, 4, 1))
    assert queries_for(client, cast.district_officer, cast.x.pk) == few


def test_the_summary_selector_runs_seven_queries(cast, district, django_assert_num_queries):
    # memberships, district, ranked facilities, area rows, area titles, standard rows,
    # standard titles
    with django_assert_num_queries(7):
        district_summary(user=cast.district_officer, pk=cast.x.pk)


def test_the_summary_pdf_names_the_district_and_its_facilities(client, cast, district, tmp_path):
    client.force_login(cast.district_officer)
    response = fetch_file(client, reverse("report-district-pdf", args=[cast.x.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content, tmp_path)
    assert "Xdistrict" in text and "Facility G" in text and "CHC Nowhere" in text
    assert "Facility H" not in text
    assert "not assessed" in text and "Weakest standards across the district" in text


def test_an_empty_district_still_prints(client, cast, tmp_path):
    client.force_login(cast.district_officer)
    response = fetch_file(client, reverse("report-district-pdf", args=[cast.x.pk]))

    assert response.status_code == 200
    assert "not assessed" in pdf_text(response.content, tmp_path)


# --- the same summary over a division or a block ----------------------------------------------

def test_a_division_summary_covers_its_districts_and_a_block_summary_its_facilities(
        cast, district):
    report = district_summary(user=cast.state_admin, division=cast.xd.pk)
    assert report.kind == "division" and report.title == "Xdivision division"
    assert {f.name for f in report.facilities} == {"Facility F", "Facility G", "CHC Nowhere"}
    report = district_summary(user=cast.state_admin, block=cast.xb.pk)
    assert (report.kind, report.title, report.where) == ("block", "Xblock",
                                                         "Xdistrict · Bihar")
    assert [f.name for f in report.facilities] == ["Facility F"]
    assert report.areas and report.weakest


@pytest.mark.parametrize(("person", "scope", "seen"), [
    ("block_team", "block", True), ("facility_team", "block", True),
    ("block_team", "other block", False), ("division_officer", "other division", False),
    ("outsider", "block", False)])
def test_a_summary_outside_the_scope_is_404(cast, district, person, scope, seen):
    from django.http import Http404

    place = {"block": {"block": cast.xb.pk}, "other block": {"block": cast.gb.pk},
             "other division": {"division": cast.yd.pk}}[scope]
    if seen:
        assert district_summary(user=getattr(cast, person), **place).facilities
    else:
        with pytest.raises(Http404):
            district_summary(user=getattr(cast, person), **place)


def test_the_block_and_division_pdfs_name_their_place(client, cast, district, tmp_path):
    client.force_login(cast.division_officer)
    text = pdf_text(fetch_file(client, reverse("report-division-pdf",
                                               args=[cast.xd.pk])).content, tmp_path)
    assert "Division summary" in text and "Xdivision division" in text
    assert "Facility G" in text and "Facility H" not in text
    client.force_login(cast.block_team)
    response = fetch_file(client, reverse("report-block-pdf", args=[cast.xb.pk]))
    assert "block-Xblock-" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "Block summary" in text and "Xblock" in text and "Facility F" in text
    assert "Facility G" not in text and "Weakest standards across its facilities" in text
    assert client.get(reverse("report-block-pdf", args=[cast.gb.pk])).status_code == 404
    assert client.get(reverse("report-division-pdf", args=[cast.yd.pk])).status_code == 404
