"""The indicator and programme pages read in Hindi: no catalogue string left in English,
indicator names and definitions from their Hindi columns."""

from __future__ import annotations

import datetime as dt

import polib
import pytest
from django.urls import reverse

from srishti.indicators.months import add_months, last_complete_month
from srishti.programmes.services import programme_record_save, rule_sets_seed
from tests.web.test_translations import HINDI_PO, assert_reads_in_hindi, in_hindi

from .conftest import save

LAST = last_complete_month()


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(HINDI_PO))


@pytest.fixture
def figures(cast, library):
    for i in range(13):
        save(cast.f, cast.facility_team, month=add_months(LAST, -i),
             LAMA=("3" if i else "15", "150"), BOR=("2400", "3000"))


def test_the_entry_form_reads_in_hindi(client, cast, library, catalogue):
    html = in_hindi(client, cast.facility_team).get(
        reverse("indicator-entry", args=[cast.f.pk])).content.decode()
    assert_reads_in_hindi(html, catalogue)
    assert "बिस्तर अधिभोग दर" in html and "चालू बिस्तर x महीने के दिन" in html
    assert "Bed occupancy rate" not in html


def test_the_facility_and_district_indicator_pages_read_in_hindi(client, cast, figures,
                                                                  catalogue):
    client = in_hindi(client, cast.district_officer)
    pages = {url: client.get(url).content.decode() for url in (
        reverse("indicator-facility", args=[cast.f.pk]),
        reverse("indicator-district", args=[cast.x.pk]),
        reverse("indicator-district-one", args=[cast.x.pk, "LAMA"]),
        reverse("indicator-upload", args=[cast.f.pk]))}
    for html in pages.values():
        assert_reads_in_hindi(html, catalogue)
    facility = pages[reverse("indicator-facility", args=[cast.f.pk])]
    assert "सीमा से बाहर" in facility and "मानदंड से ख़राब" in facility
    assert "सलाह के विरुद्ध छुट्टी (LAMA) दर" in facility


def test_the_programme_pages_read_in_hindi(client, cast, catalogue):
    rule_sets_seed()
    programme_record_save(facility=cast.f, programme="kayakalp", stage="peer",
                          decided_on=dt.date(2024, 9, 1), score=65)
    programme_record_save(facility=cast.f, programme="laqshya", stage="state",
                          decided_on=dt.date(2024, 3, 1),
                          department_scores={"labour_room": 80})
    client = in_hindi(client, cast.state_admin)
    for url in (reverse("programme-overview", args=["kayakalp"]),
                reverse("programme-overview", args=["laqshya"]),
                reverse("programme-facility", args=[cast.f.pk]),
                reverse("programme-record-create", args=[cast.f.pk, "kayakalp"]),
                reverse("facility-detail", args=[cast.f.pk])):
        html = client.get(url).content.decode()
        assert_reads_in_hindi(html, catalogue)
    html = client.get(reverse("programme-facility", args=[cast.f.pk])).content.decode()
    assert "सहकर्मी मूल्यांकन 65% है, 70% से कम" in html
