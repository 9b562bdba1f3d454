"""The dashboards' downloads: the district summary PDF and an Excel workbook of what the
page shows, to whoever may see it (404 for a district outside the scope)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import fetch_file

from .test_report_access import SEES_DISTRICTS, world  # noqa: F401 (a fixture)


def test_the_district_dashboard_offers_the_pdf_and_the_excel(client, world):  # noqa: F811
    client.force_login(world.district_officer)
    html = client.get(reverse("dashboard-district", args=[world.x.pk])).content.decode()
    assert reverse("report-district-pdf", args=[world.x.pk]) in html
    assert 'href="?format=xlsx"' in html


def test_the_state_dashboard_excel_ranks_districts_and_names_the_areas(client, world):  # noqa: F811
    client.force_login(world.state_admin)
    book = load_workbook(BytesIO(fetch_file(client, reverse("dashboard-state"),
                                            {"format": "xlsx"}).content))
    ranking, heat, weakest = book.worksheets
    assert {row[1] for row in ranking.iter_rows(min_row=2, values_only=True)} == {
        "Xdistrict", "Ydistrict"}
    header = [c.value for c in heat[1]]
    assert header[0] == "District" and header[1].startswith("A ") and len(header) == 9
    assert weakest.max_row > 1


def test_the_district_dashboard_excel_lists_the_districts_facilities(client, world):  # noqa: F811
    client.force_login(world.district_officer)
    book = load_workbook(BytesIO(fetch_file(client, reverse("dashboard-district",
                                                            args=[world.x.pk]),
                                            {"format": "xlsx"}).content))
    names = {row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert names == {"Facility F", "Facility G"}


@pytest.mark.parametrize("person", sorted(SEES_DISTRICTS))
def test_the_dashboard_excel_is_404_outside_the_scope(client, world, person):  # noqa: F811
    client.force_login(getattr(world, person))
    for target in "xy":
        response = client.get(reverse("dashboard-district", args=[getattr(world, target).pk]),
                              {"format": "xlsx"})
        assert response.status_code == (302 if target in SEES_DISTRICTS[person] else 404)
