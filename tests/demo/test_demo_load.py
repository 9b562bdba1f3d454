import pytest

from srishti.accounts.models import User
from srishti.assessments.models import Assessment, Assignment
from srishti.demo.load import demo_load
from srishti.geography.models import Facility


@pytest.mark.django_db
def test_the_demo_loads_once_and_a_second_run_adds_nothing():
    first = demo_load()
    counts = (Facility.objects.count(), Assessment.objects.count(), Assignment.objects.count())
    second = demo_load()

    assert "(0 new)" not in first.split(";")[0]
    assert second.count("(0 new)") == 4
    assert counts == (Facility.objects.count(), Assessment.objects.count(),
                      Assignment.objects.count())
    # 12 demo assessments and the DH Begusarai draft (srishti.demo.draft).
    assert 1900 < counts[0] < 2100 and counts[1] == 13
    assessor = User.objects.get(username="assessor")
    assert {a.department.name for a in Assignment.objects.filter(assessor=assessor)} == {
        "Emergency", "Labour Room"}
    passing = Assessment.objects.filter(score__passed=True).values_list(
        "facility__name", flat=True)
    assert "District Hospital Begusarai" in passing
