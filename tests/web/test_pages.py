import datetime as dt
import random

import pytest
from django.urls import reverse

from srishti.assessments.models import AssessmentScore
from srishti.assessments.services import assessment_create, responses_import
from srishti.reports.selectors import CRITERION_LABELS
from tests.factories import FacilityFactory, submitted


@pytest.fixture
def scored(cast, demo_version):
    rng = random.Random(3)
    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 5, 1))
    ids = demo_version.checkpoints.values_list("id", flat=True)
    responses_import(assessment=assessment,
                     answers=[(cid, rng.choice([0, 1, 2, 2, 2, None]), "") for cid in ids])
    return assessment


def test_the_score_card_shows_stored_figures_and_the_verdict(client, cast, scored):
    client.force_login(cast.district_officer)
    response = client.get(reverse("assessment-detail", args=[scored.pk]))
    page = response.context["page"]
    html = response.content.decode()

    assert [d.name for d in page.departments] == ["Emergency", "OPD", "Labour Room", "IPD",
                                                  "Laboratory"]
    assert [a.code for a in page.areas] == list("ABCDEFGH")
    stored = AssessmentScore.objects.get(assessment=scored)
    assert f"{stored.overall:.2f}%" in html
    assert page.verdict["rule_set"] == "nqas-2017-dh"
    # Each criterion is named on the page by its kind, in the reader's language.
    for criterion in page.verdict["criteria"]:
        assert str(CRITERION_LABELS[criterion["kind"]]) in html
    assert page.thresholds["each_area"] == 70


def test_the_score_card_runs_a_fixed_number_of_queries(client, cast, scored,
                                                        django_assert_max_num_queries):
    client.force_login(cast.state_admin)
    # Two of them count the unanswered checkpoints per department, shown before submitting.
    with django_assert_max_num_queries(10):
        client.get(reverse("assessment-detail", args=[scored.pk]))


@pytest.mark.parametrize("extra", [0, 30])
def test_the_facility_list_query_count_does_not_grow_with_rows(
    client, cast, scored, extra, django_assert_num_queries
):
    for _ in range(extra):
        FacilityFactory(district=cast.x)
    client.force_login(cast.state_admin)
    with django_assert_num_queries(6):
        response = client.get(reverse("facility-list"))
    assert response.status_code == 200


def test_the_facility_list_filters_by_type_and_name(client, cast):
    FacilityFactory(district=cast.x, name="Rampur PHC", facility_type="PHC")
    client.force_login(cast.state_admin)
    by_type = client.get(reverse("facility-list"), {"type": "PHC"}).context["page"]
    by_name = client.get(reverse("facility-list"), {"q": "rampur"}).context["page"]
    assert [f.name for f in by_type] == [f.name for f in by_name] == ["Rampur PHC"]


def test_pages_switch_to_hindi(client, cast):
    client.force_login(cast.state_admin)
    client.post(reverse("set_language"), {"language": "hi", "next": "/"})
    html = client.get(reverse("facility-list")).content.decode()
    assert 'lang="hi"' in html and "सुविधाएँ" in html


def test_the_facility_list_sorts_by_score_and_marks_the_unassessed(client, cast, scored):
    from srishti.assessments.models import AssessmentScore

    other = assessment_create(facility=cast.g, version=scored.version,
                              start_date=dt.date(2024, 6, 1))
    AssessmentScore.objects.filter(assessment=scored).update(overall=55)
    AssessmentScore.objects.filter(assessment=other).update(overall=80)
    submitted(scored), submitted(other)  # what counts: submitted assessments
    client.force_login(cast.state_admin)
    best = client.get(reverse("facility-list"), {"sort": "-score"})
    worst = client.get(reverse("facility-list"), {"sort": "score"})
    # Facility H was never assessed: last either way, and said so.
    assert [f.name for f in best.context["page"]] == ["Facility G", "Facility F", "Facility H"]
    assert [f.name for f in worst.context["page"]] == ["Facility F", "Facility G", "Facility H"]
    assert "Not assessed" in best.content.decode()
    # Sorting keeps the filters and cannot widen the scope.
    client.force_login(cast.district_officer)
    mine = client.get(reverse("facility-list"), {"sort": "-score", "district": cast.y.pk})
    assert list(mine.context["page"]) == []
