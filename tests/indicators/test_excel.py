"""The Excel round trip: download the template, fill it, upload it; a bad cell is named
by sheet, row and column, and nothing is written."""

from __future__ import annotations

import io
import re
import uuid

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from srishti.indicators.excel import FIRST_MONTH_COLUMN, FIRST_ROW, HEADER_ROW
from srishti.indicators.models import IndicatorValue, MonthlyReport
from srishti.indicators.months import financial_year, last_complete_month

from .conftest import save

YEAR = 2023  # April 2023 to March 2024: long over


def download(client, facility, year=YEAR) -> openpyxl.Workbook:
    response = client.get(reverse("indicator-template", args=[facility.pk]), {"year": year})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def row_of(sheet, code, which="numerator"):
    rows = [r for r in range(FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == code]
    return rows[0] if which == "numerator" else rows[1]


def column_of(sheet, month_key):
    for c in range(FIRST_MONTH_COLUMN, sheet.max_column + 1):
        if sheet.cell(HEADER_ROW, c).value == month_key:
            return c
    raise AssertionError(month_key)


def upload(client, facility, book, name="filled.xlsx", client_id=None):
    data = io.BytesIO()
    book.save(data)
    return client.post(reverse("indicator-upload", args=[facility.pk]), {
        "file": SimpleUploadedFile(name, data.getvalue()),
        "client_id": str(client_id or uuid.uuid4())})


def put(sheet, code, month_key, numerator, denominator):
    column = column_of(sheet, month_key)
    sheet.cell(row_of(sheet, code), column, numerator)
    sheet.cell(row_of(sheet, code, "denominator"), column, denominator)


def test_the_template_has_a_sheet_per_department_and_a_column_per_month(client, cast, library):
    client.force_login(cast.facility_team)
    book = download(client, cast.f)
    assert book.sheetnames[0] == "Read me"
    assert {"IPD", "Labour Room", "Emergency", "OPD", "Laboratory"} <= set(book.sheetnames)
    ipd = book["IPD"]
    assert ipd["B2"].value == cast.f.pk and ipd["B3"].value == "IPD"
    months = [ipd.cell(HEADER_ROW, c).value for c in range(FIRST_MONTH_COLUMN,
                                                             FIRST_MONTH_COLUMN + 12)]
    assert months[0] == "2023-04" and months[-1] == "2024-03"
    assert row_of(ipd, "BOR", "denominator") == row_of(ipd, "BOR") + 1
    assert "Functional beds" in ipd.cell(row_of(ipd, "BOR", "denominator"), 3).value


def test_a_filled_template_round_trips(client, cast, library):
    client.force_login(cast.facility_team)
    book = download(client, cast.f)
    put(book["IPD"], "LAMA", "2023-04", 3, 150)
    put(book["IPD"], "LAMA", "2023-05", 4, 160)
    put(book["Labour Room"], "NND", "2023-04", 3, 400)
    put(book["Laboratory"], "LAB-TAT", "2023-04", 12.5, 4)
    response = upload(client, cast.f, book)
    assert response.status_code == 302
    values = {(v.indicator.code, f"{v.month:%Y-%m}"): v.value
              for v in IndicatorValue.objects.select_related("indicator")}
    assert values == {("LAMA", "2023-04"): 2.0, ("LAMA", "2023-05"): 2.5,
                      ("NND", "2023-04"): 7.5, ("LAB-TAT", "2023-04"): 3.125}
    assert MonthlyReport.objects.count() == 4  # IPD April and May, Labour Room, Laboratory
    # Downloaded again, the stored figures are in their cells.
    again = download(client, cast.f)["IPD"]
    assert again.cell(row_of(again, "LAMA"), column_of(again, "2023-05")).value == 4


def test_a_bad_cell_is_named_and_nothing_is_written(client, cast, library):
    client.force_login(cast.facility_team)
    book = download(client, cast.f)
    ipd = book["IPD"]
    put(ipd, "LAMA", "2023-04", 3, 150)  # good
    put(ipd, "LAMA", "2023-06", 151, 150)  # numerator above its denominator
    response = upload(client, cast.f, book)
    assert response.status_code == 422
    html = response.content.decode()
    row, column = row_of(ipd, "LAMA"), "F"  # D is April, F June
    assert (f"Sheet “IPD”, row {row}, column {column}: The numerator (151) is larger than "
            "the denominator (150), of which it is a part.") in html
    assert "Nothing was stored" in html
    assert not IndicatorValue.objects.exists() and not MonthlyReport.objects.exists()


def test_every_kind_of_bad_cell_is_reported_with_its_place(client, cast, library):
    client.force_login(cast.facility_team)
    book = download(client, cast.f)
    ipd = book["IPD"]
    put(ipd, "BOR", "2023-04", 12.5, 3000)  # a count with a fraction
    put(ipd, "ALOS", "2023-04", "many", 10)  # not a number
    put(ipd, "IPD-REF", "2023-04", 2, None)  # numerator without denominator
    put(ipd, "PSS-IPD", "2023-04", -1, 50)  # negative
    response = upload(client, cast.f, book)
    errors = re.findall(r"<li>(Sheet .*?)</li>", response.content.decode())
    assert len(errors) == 4
    bor, alos = row_of(ipd, "BOR"), row_of(ipd, "ALOS")
    assert f"Sheet “IPD”, row {bor}, column D: This figure is a count" in errors[0]
    assert f"row {alos}, column D: “many” is not a number" in errors[1]
    assert f"row {row_of(ipd, 'IPD-REF', 'denominator')}, column D: Enter the denominator" \
        in errors[2]
    assert "cannot be negative" in errors[3]
    assert not IndicatorValue.objects.exists()


def test_a_month_not_yet_over_is_refused_by_its_column(client, cast, library):
    client.force_login(cast.facility_team)
    year = financial_year(last_complete_month())
    book = download(client, cast.f, year=year)
    ipd = book["IPD"]
    last_column = FIRST_MONTH_COLUMN + 11  # March of next year: never over yet
    key = ipd.cell(HEADER_ROW, last_column).value
    put(ipd, "LAMA", key, 1, 10)
    response = upload(client, cast.f, book)
    assert response.status_code == 422
    assert f"row {HEADER_ROW}, column O: figures for {key} cannot be taken" in \
        response.content.decode()


def test_another_facilitys_template_is_refused(client, cast, library):
    client.force_login(cast.state_admin)
    book = download(client, cast.g)
    put(book["IPD"], "LAMA", "2023-04", 3, 150)
    response = upload(client, cast.f, book)
    assert "row 2, column B: this sheet is for another facility" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_blank_cells_leave_stored_figures_alone(client, cast, library):
    from srishti.indicators.months import parse_month

    save(cast.f, cast.facility_team, month=parse_month("2023-04"), LAMA=("3", "150"))
    client.force_login(cast.facility_team)
    source = download(client, cast.f)  # the April figure is in it; remove it by hand
    ipd = source["IPD"]
    ipd.cell(row_of(ipd, "LAMA"), column_of(ipd, "2023-04")).value = None
    ipd.cell(row_of(ipd, "LAMA", "denominator"), column_of(ipd, "2023-04")).value = None
    put(ipd, "BOR", "2023-05", 2400, 3000)
    assert upload(client, cast.f, source).status_code == 302
    assert IndicatorValue.objects.get(indicator__code="LAMA").numerator == 3


def test_the_same_upload_posted_twice_is_stored_once(client, cast, library):
    client.force_login(cast.facility_team)
    book = download(client, cast.f)
    put(book["IPD"], "LAMA", "2023-04", 3, 150)
    key = uuid.uuid4()
    assert upload(client, cast.f, book, client_id=key).status_code == 302
    put(book["IPD"], "LAMA", "2023-04", 4, 150)
    assert upload(client, cast.f, book, client_id=key).status_code == 302  # replayed
    assert IndicatorValue.objects.get().numerator == 3


@pytest.mark.parametrize("content,message", [
    (b"not a workbook at all", "not an Excel (.xlsx) file"),
    (b"", "Choose the filled template"),
])
def test_files_that_are_not_templates_get_one_line(client, cast, library, content, message):
    client.force_login(cast.facility_team)
    data = {"client_id": str(uuid.uuid4())}
    if content:
        data["file"] = SimpleUploadedFile("x.xlsx", content)
    response = client.post(reverse("indicator-upload", args=[cast.f.pk]), data)
    assert response.status_code == 422
    assert message in response.content.decode()


def test_a_sheet_reaching_far_beyond_the_template_is_refused_without_reading_it(
        client, cast, library):
    client.force_login(cast.facility_team)
    book = download(client, cast.f)
    book["IPD"]["XFD1048576"] = 1  # a 1.6 KB file that declares a grid of 17 billion cells
    response = upload(client, cast.f, book)
    assert response.status_code == 422
    assert "Sheet “IPD” reaches row 1048576, column XFD" in response.content.decode()


def test_a_formula_without_a_computed_value_is_named(client, cast, library):
    client.force_login(cast.facility_team)
    book = download(client, cast.f)
    ipd = book["IPD"]
    column = column_of(ipd, "2023-04")
    ipd.cell(row_of(ipd, "LAMA"), column, "=1+2")  # openpyxl stores no cached value
    ipd.cell(row_of(ipd, "LAMA", "denominator"), column, 150)
    response = upload(client, cast.f, book)
    assert f"row {row_of(ipd, 'LAMA')}, column D: a formula without a computed value" in \
        response.content.decode()
