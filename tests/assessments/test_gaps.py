"""The gap list: every checkpoint scored below full, filtered, paged and exported."""

from __future__ import annotations

import datetime as dt
import itertools
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from srishti.accounts.models import User
from srishti.assessments.models import Response
from srishti.assessments.services import assessment_create, responses_import
from srishti.checklists.models import Department
from tests.conftest import fetch_file


def answer(assessment, values, remark=lambda i, v: f"remark {i}" if v != 2 else ""):
    """Answer the first len(values) checkpoints in checklist order."""
    ids = assessment.version.checkpoints.order_by("order").values_list("id", flat=True)
    responses_import(assessment=assessment, answers=[
        (cid, v, remark(i, v)) for i, (cid, v) in enumerate(zip(ids, values, strict=False))])


@pytest.fixture
def assessment(cast, demo_version):
    a = assessment_create(facility=cast.f, version=demo_version, start_date=dt.date(2024, 5, 1))
    # Every checkpoint answered: 0, 1, 2, NA in turn; 533 checkpoints -> 134 zeros, 133 ones.
    answer(a, list(itertools.islice(itertools.cycle([0, 1, 2, None]), 533)))
    return a


def gaps_url(assessment, **params):
    from urllib.parse import urlencode

    url = reverse("assessment-gaps", args=[assessment.pk])
    return f"{url}?{urlencode(params)}" if params else url


def expected_gaps(assessment, **lookup):
    return list(Response.objects.filter(assessment=assessment, value__in=[0, 1], **lookup)
                .order_by("checkpoint__order").values_list("checkpoint__text", flat=True))


def listed(response) -> list[str]:
    return [row["checkpoint__text"] for row in response.context["page"].object_list]


def all_listed(client, assessment, **params) -> list[str]:
    texts, page = [], 1
    while True:
        response = client.get(gaps_url(assessment, page=page, **params))
        texts += listed(response)
        if not response.context["page"].has_next():
            return texts
        page += 1


def test_the_gap_list_holds_every_checkpoint_scored_0_or_1_and_nothing_else(client, cast,
                                                                           assessment):
    client.force_login(cast.facility_team)
    response = client.get(gaps_url(assessment))
    assert response.context["page"].paginator.count == 267
    assert all_listed(client, assessment) == expected_gaps(assessment)
    values = {row["value"] for row in response.context["page"].object_list}
    assert values == {0, 1}


def test_each_gap_shows_its_remark_checkpoint_method_and_means_of_verification(client, cast,
                                                                               assessment):
    first = (Response.objects.filter(assessment=assessment, value=0)
             .select_related("checkpoint__standard", "checkpoint__measurable_element")
             .order_by("checkpoint__order").first())
    client.force_login(cast.facility_team)
    html = client.get(gaps_url(assessment)).content.decode()
    cp = first.checkpoint
    for text in (first.remark, cp.text, cp.methods, cp.means_of_verification, cp.standard.code,
                 f"ME {cp.measurable_element.code}"):
        assert text and text in html


@pytest.mark.parametrize("filters", [
    {"department": "Labour Room"},
    {"area": "B"},
    {"standard": "D10"},
    {"department": "OPD", "area": "F", "standard": "F6"},
])
def test_the_gap_list_filters_by_department_area_and_standard(client, cast, assessment,
                                                              filters):
    lookup, params = {}, {}
    if "department" in filters:
        dep = Department.objects.get(version=assessment.version, name=filters["department"])
        lookup["checkpoint__department"] = dep
        params["department"] = dep.pk
    if "area" in filters:
        lookup["checkpoint__standard__area__letter"] = params["area"] = filters["area"]
    if "standard" in filters:
        lookup["checkpoint__standard__code"] = params["standard"] = filters["standard"]
    expected = expected_gaps(assessment, **lookup)
    client.force_login(cast.district_officer)

    assert expected and all_listed(client, assessment, **params) == expected
    assert len(expected) < 267


def test_an_unknown_filter_value_is_ignored_rather_than_failing(client, cast, assessment):
    client.force_login(cast.district_officer)
    response = client.get(gaps_url(assessment, department="x", area="Z", standard="Q99"))
    assert response.status_code == 200
    assert response.context["selected"] == {"department": 0, "area": "", "standard": ""}
    assert response.context["page"].paginator.count == 267


def test_full_scores_and_not_applicable_answers_are_not_gaps(client, cast, demo_version):
    a = assessment_create(facility=cast.f, version=demo_version, start_date=dt.date(2024, 6, 1))
    answer(a, [2, None, 2, None])
    client.force_login(cast.facility_team)
    response = client.get(gaps_url(a))
    assert response.context["page"].paginator.count == 0
    assert "No gaps here" in response.content.decode()


@pytest.mark.parametrize("answered", [8, 533])
def test_the_gap_list_runs_a_fixed_number_of_queries(client, cast, demo_version, answered,
                                                     django_assert_num_queries):
    a = assessment_create(facility=cast.f, version=demo_version, start_date=dt.date(2024, 6, 1))
    answer(a, list(itertools.islice(itertools.cycle([0, 1]), answered)))
    client.force_login(cast.district_officer)
    # session, user, memberships, assessment, departments, areas, standards, count, rows
    with django_assert_num_queries(9):
        response = client.get(gaps_url(a, area="A"))
    assert response.status_code == 200


def test_the_excel_export_holds_the_filtered_gaps_in_a_real_workbook(client, cast, assessment):
    dep = Department.objects.get(version=assessment.version, name="Emergency")
    client.force_login(cast.district_officer)
    response = fetch_file(client, gaps_url(assessment, department=dep.pk, area="C",
                                           format="xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="gaps-facility-f-2024-05-01.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    expected = list(Response.objects.filter(
        assessment=assessment, value__in=[0, 1], checkpoint__department=dep,
        checkpoint__standard__area__letter="C").order_by("checkpoint__order").select_related(
        "checkpoint__standard__area", "checkpoint__measurable_element"))

    assert rows[0][:7] == ("Department", "Area of concern", "Standard", "Measurable element",
                           "Checkpoint", "Score", "Remark")
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width == 50
    assert len(rows) == 1 + len(expected) and len(expected) > 3
    first, r = expected[0], rows[1]
    cp = first.checkpoint
    assert r[0] == "Emergency"
    assert r[1] == f"C {cp.standard.area.title}"
    assert r[2] == f"{cp.standard.code} {cp.standard.title}"
    assert r[3] == f"{cp.measurable_element.code} {cp.measurable_element.text}"
    assert r[4] == cp.text and r[5] == float(first.value) and r[6] == first.remark
    assert [row[4] for row in rows[1:]] == [e.checkpoint.text for e in expected]


def test_a_remark_that_looks_like_a_formula_stays_text_in_the_export(client, cast, demo_version):
    a = assessment_create(facility=cast.f, version=demo_version, start_date=dt.date(2024, 6, 1))
    answer(a, [0], remark=lambda i, v: "=HYPERLINK(\"http://x\")")
    client.force_login(cast.facility_team)
    response = fetch_file(client, gaps_url(a, format="xlsx"))
    cell = load_workbook(BytesIO(response.content)).active["G2"]
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def test_the_gap_list_is_paged_and_pages_keep_the_filters(client, cast, assessment,
                                                          monkeypatch):
    client.force_login(cast.facility_team)
    total = client.get(gaps_url(assessment)).context["page"]
    assert total.paginator.num_pages == 3 and len(total.object_list) == 100

    monkeypatch.setattr("srishti.assessments.views.gaps.PAGE_SIZE", 10)
    first = client.get(gaps_url(assessment, area="A"))
    assert first.context["page"].has_next()
    assert "area=A&amp;page=2" in first.content.decode()
    second = client.get(gaps_url(assessment, area="A", page=2))
    assert listed(second) == expected_gaps(
        assessment, checkpoint__standard__area__letter="A")[10:20]


VISIBLE = {
    "state_admin": {"f", "h"},
    "district_officer": {"f"},
    "facility_team": {"f"},
    "outsider": set(),
}


@pytest.mark.parametrize("person", sorted(VISIBLE))
@pytest.mark.parametrize("target", ["f", "h"])
def test_the_gap_list_and_its_export_answer_404_outside_the_scope(client, cast, demo_version,
                                                                  person, target):
    a = assessment_create(facility=getattr(cast, target), version=demo_version,
                          start_date=dt.date(2024, 6, 1))
    client.force_login(User.objects.get(username=person))
    expected = 200 if target in VISIBLE[person] else 404
    assert client.get(gaps_url(a)).status_code == expected
    # Within the scope the export is queued (a redirect to its job's page).
    assert client.get(gaps_url(a, format="xlsx")).status_code == (
        302 if expected == 200 else 404)
