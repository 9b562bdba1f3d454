import pytest
from django.db import models

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


@pytest.mark.django_db
def test_the_demo_places_bihar_in_its_nine_divisions_and_its_facilities_in_blocks(client):
    from django.urls import reverse

    from srishti.geography.models import Block, District, Division

    demo_load()
    assert sorted(Division.objects.values_list("name", flat=True)) == [
        "Bhagalpur", "Darbhanga", "Kosi", "Magadh", "Munger", "Patna", "Purnia", "Saran",
        "Tirhut"]
    assert not District.objects.filter(division=None).exists()
    assert set(District.objects.filter(division__name="Munger").values_list("name", flat=True)) \
        == {"Munger", "Jamui", "Khagaria", "Lakhisarai", "Begusarai", "Sheikhpura"}
    assert 450 < Block.objects.count() < 600
    # Every PHC and CHC is in a block of its own district; hospitals and urban PHCs in none.
    assert not Facility.objects.filter(facility_type__in=["PHC", "CHC"], block=None).exists()
    assert not Facility.objects.filter(facility_type__in=["DH", "SDH", "UPHC"],
                                       block__isnull=False).exists()
    assert not Facility.objects.exclude(block=None).exclude(
        block__district=models.F("district")).exists()

    for username, page, shows in (
            ("division.munger", "dashboard-division", "Begusarai"),
            ("block.begusarai", "dashboard-block", "CHC Begusarai 01")):
        assert client.login(username=username, password="srishti-demo")
        landing = client.get(reverse("home"))
        assert landing.url.startswith(reverse(page, args=[0]).rsplit("/0/", 1)[0])
        assert shows in client.get(landing.url).content.decode()
