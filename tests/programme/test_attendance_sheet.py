"""Attendance sheets in Excel: exported, filled in, imported back. Every problem names its
sheet, row and column; nothing is written unless the whole sheet is right; absurd sheets
are refused before they are expanded."""

from __future__ import annotations

import io
import re
import threading
import zipfile

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from srishti.programme import attendance_sheet
from srishti.programme.attendance_sheet import (
    SheetError,
    attendance_import,
    attendance_xlsx,
    read_sheet,
)
from srishti.programme.models import Attendance, StaffMember
from srishti.programme.selectors import training_attendance


def exported(training, user, language="en") -> Workbook:
    with translation.override(language):
        data = attendance_xlsx(training, training_attendance(user=user, training=training))
    return load_workbook(io.BytesIO(data))


def as_file(book: Workbook) -> io.BytesIO:
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def import_book(book, training, user):
    parsed = read_sheet(as_file(book), name="attendance.xlsx", training=training, user=user)
    return attendance_import(training=training, parsed=parsed)


def row_of(sheet, name: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=2).value == name:
            return row
    raise AssertionError(name)


def test_the_exported_sheet_lists_the_people_with_their_ids_and_a_header(cast, programme):
    book = exported(programme.district_training, cast.district_officer)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "ID", "Name", "Name in Hindi", "Role", "Designation", "District", "Facility", "Phone",
        "Attendance", "Post-test score (%)"]
    assert [sheet.cell(row=r, column=2).value for r in (2, 3)] == ["Dr. Asha Rani",
                                                                   "Dr. Kamal Nath"]
    assert sheet.cell(row=2, column=1).value == programme.sup_f.pk
    assert sheet.cell(row=2, column=9).value == "Attended"
    assert book["lists"].sheet_state == "hidden"  # the drop-down choices


def test_a_filled_sheet_round_trips_and_adds_new_people_once(cast, programme):
    training = programme.district_training
    book = exported(training, cast.district_officer)
    sheet = book.worksheets[0]
    sheet.cell(row=row_of(sheet, "Dr. Asha Rani"), column=10, value=91)
    sheet.cell(row=row_of(sheet, "Dr. Kamal Nath"), column=9, value="absent")
    sheet.append([None, "Geeta Kumari", "गीता कुमारी", "Labour-room in-charge", None,
                  "Xdistrict", "Facility G", "9000000001", "yes", 0.78])
    sheet.append([None, "Mohan Lal", None, "district_programme_manager", None, None, None,
                  None, None, None])

    added, written = import_book(book, training, cast.district_officer)

    assert (added, written) == (2, 4)
    geeta = StaffMember.objects.get(name="Geeta Kumari")
    assert (geeta.facility, geeta.role, geeta.name_hi) == (cast.g, "labour_room_in_charge",
                                                           "गीता कुमारी")
    # No district given at a district's training: the person is of that district.
    mohan = StaffMember.objects.get(name="Mohan Lal")
    assert (mohan.district, mohan.facility) == (cast.x, None)
    statuses = {a.staff.name: (a.status, a.post_test_score and float(a.post_test_score))
                for a in Attendance.objects.filter(training=training)}
    assert statuses == {"Dr. Asha Rani": ("attended", 91.0), "Dr. Kamal Nath": ("absent", None),
                        "Geeta Kumari": ("attended", 78.0), "Mohan Lal": ("invited", None)}

    # The same sheet again: the new people are found by name, role and place.
    assert import_book(book, training, cast.district_officer) == (0, 4)
    assert StaffMember.objects.filter(name="Geeta Kumari").count() == 1


def test_a_sheet_exported_in_hindi_is_read_back(cast, programme):
    training = programme.district_training
    book = exported(training, cast.district_officer, language="hi")
    sheet = book.worksheets[0]
    assert sheet.cell(row=1, column=2).value != "Name"  # the header is in Hindi
    sheet.cell(row=row_of(sheet, "Dr. Kamal Nath"), column=10, value="75")
    import_book(book, training, cast.district_officer)
    row = Attendance.objects.get(training=training, staff=programme.cs_x)
    assert (row.status, float(row.post_test_score)) == ("attended", 75.0)


def test_every_bad_cell_is_named_and_nothing_is_written(cast, programme):
    training = programme.district_training
    book = exported(training, cast.district_officer)
    sheet = book.worksheets[0]
    sheet.title = "Day 1"
    sheet.cell(row=row_of(sheet, "Dr. Asha Rani"), column=10, value=120)
    sheet.cell(row=row_of(sheet, "Dr. Kamal Nath"), column=9, value="maybe")
    sheet.append([None, "Geeta Kumari", None, "Matron", None, "Xdistrict", "Facility G"])
    sheet.append([None, "Hari", None, "Hospital manager", None, "Nowhere"])
    sheet.append([None, "Uma", None, "Hospital manager", None, "Xdistrict", "Facility Z"])
    sheet.append([987654, "Ghost", None, "Hospital manager"])
    sheet.append([None, "Far Away", None, "Civil surgeon", None, "Ydistrict"])
    sheet.append([None, "N" * 201, None, "Civil surgeon"])
    before = list(Attendance.objects.values_list("id", "status", "post_test_score"))

    with pytest.raises(SheetError) as caught:
        import_book(book, training, cast.district_officer)

    assert [str(e) for e in caught.value.errors] == [
        "Sheet “Day 1”, row 2, column J (Post-test score (%)): a score is a percentage from 0 "
        "to 100",
        "Sheet “Day 1”, row 3, column I (Attendance): “maybe” is not an attendance; write "
        "“Attended” or “Absent”, or leave it empty for invited",
        "Sheet “Day 1”, row 4, column D (Role): “Matron” is not a role; use one of the roles "
        "of the exported sheet",
        "Sheet “Day 1”, row 5, column F (District): no district “Nowhere” in Bihar",
        "Sheet “Day 1”, row 6, column G (Facility): no facility “Facility Z” in Xdistrict",
        "Sheet “Day 1”, row 7, column A (ID): no person with ID 987654 among the people you "
        "see; leave it empty for someone new",
        "Sheet “Day 1”, row 8, column B (Name): a new person at Ydistrict, where you may not "
        "record people",
        "Sheet “Day 1”, row 9, column B (Name): at most 200 characters (this has 201)",
    ]
    assert list(Attendance.objects.values_list("id", "status", "post_test_score")) == before
    assert not StaffMember.objects.filter(name__in=["Geeta Kumari", "Hari", "Uma"]).exists()


def test_text_with_a_control_character_is_refused():
    from srishti.programme.limits import text_problem

    # Excel escapes control characters and openpyxl reads the escape as text, so a sheet
    # cannot carry one today; the check stands for any other way in.
    assert "control character" in text_problem("Bad\x0bName", max_length=200)
    assert text_problem("line\nbreak", max_length=200, multiline=True) is None
    assert text_problem("Sushila Kumari", max_length=200) is None


def test_the_same_person_twice_is_refused(cast, programme):
    book = exported(programme.district_training, cast.district_officer)
    sheet = book.worksheets[0]
    sheet.append(list(sheet.iter_rows(min_row=2, max_row=2, values_only=True))[0])
    with pytest.raises(SheetError, match=r"row 4, column B \(Name\): the same person as in "
                                         r"row 2"):
        import_book(book, programme.district_training, cast.district_officer)


def test_a_sheet_without_the_header_says_what_is_missing(cast, programme):
    book = Workbook()
    book.active.append(["Sr", "Naam", "Pad"])
    book.active.append([1, "Asha", "Nurse"])
    with pytest.raises(SheetError, match="no header row with the columns “Name” and “Role”"):
        import_book(book, programme.district_training, cast.district_officer)


def test_a_tiny_file_claiming_a_million_rows_is_refused_before_it_is_read(cast, programme):
    book = Workbook()
    book.active.append(["ID", "Name", "Role"])
    book.active["XFD1048576"] = "x"
    data = as_file(book).getvalue()
    assert len(data) < 10_000
    with pytest.raises(SheetError, match="used range runs to row 1048576; an attendance "
                                         "sheet has at most 2000 people"):
        read_sheet(io.BytesIO(data), name="a.xlsx", training=programme.district_training,
                   user=cast.district_officer)


def test_a_sheet_without_a_declared_extent_is_read_no_further_than_the_limit(
        cast, programme, monkeypatch):
    monkeypatch.setattr(attendance_sheet, "MAX_SHEET_ROWS", 50)
    book = Workbook()
    book.active.append(["ID", "Name", "Role"])
    book.active["A100000"] = "x"
    source = io.BytesIO()
    with zipfile.ZipFile(as_file(book)) as original, zipfile.ZipFile(source, "w") as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            copy.writestr(info, data)
    with pytest.raises(SheetError, match="the sheet runs past row 51"):
        read_sheet(source, name="a.xlsx", training=programme.district_training,
                   user=cast.district_officer)


def test_a_file_that_unpacks_to_too_much_is_refused(cast, programme, monkeypatch):
    monkeypatch.setattr(attendance_sheet, "MAX_SHEET_UNZIPPED_BYTES", 1000)
    book = exported(programme.district_training, cast.district_officer)
    with pytest.raises(SheetError, match="unpacks to more than"):
        import_book(book, programme.district_training, cast.district_officer)


def test_a_file_that_is_not_a_workbook_is_refused_in_one_line(cast, programme):
    with pytest.raises(SheetError, match="this is not an Excel workbook"):
        read_sheet(io.BytesIO(b"Name,Role\nAsha,Nurse\n"), name="a.xlsx",
                   training=programme.district_training, user=cast.district_officer)


def test_the_upload_page_lists_the_errors_and_writes_nothing(client, cast, programme):
    training = programme.district_training
    book = exported(training, cast.district_officer)
    book.worksheets[0].append([None, "Hari", None, "Hospital manager", None, "Nowhere"])
    upload = as_file(book)
    upload.name = "attendance.xlsx"
    client.force_login(cast.district_officer)
    url = reverse("training-attendance-import", args=[training.pk])
    response = client.post(url, {"sheet": upload})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="sheet-errors"' in html
    assert "row 4, column F (District): no district “Nowhere” in Bihar" in html
    assert not StaffMember.objects.filter(name="Hari").exists()

    book.worksheets[0].delete_rows(4)
    upload = as_file(book)
    upload.name = "attendance.xlsx"
    response = client.post(url, {"sheet": upload}, follow=True)
    assert "Attendance imported: 2 people on the sheet, 0 of them new" in \
        response.content.decode()


def test_an_oversized_upload_is_dropped_before_it_is_stored(client, cast, programme,
                                                            monkeypatch):
    from srishti.programme.views import trainings

    monkeypatch.setattr(trainings, "MAX_SHEET_BYTES", 100)
    upload = as_file(exported(programme.district_training, cast.district_officer))
    upload.name = "attendance.xlsx"
    client.force_login(cast.district_officer)
    response = client.post(reverse("training-attendance-import",
                                   args=[programme.district_training.pk]), {"sheet": upload})
    assert "This file is too large for an attendance sheet." in response.content.decode()


def test_the_import_page_is_for_the_organisers_only(client, cast, programme):
    client.force_login(cast.facility_team)
    assert client.get(reverse("training-attendance-import",
                              args=[programme.district_training.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_sheet_at_once_record_each_new_person_once(cast, programme):
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database: SQLite in memory cannot be shared by threads")
    training = programme.district_training
    book = exported(training, cast.district_officer)
    for i in range(10):
        book.worksheets[0].append([None, f"New nurse {i}", None, "Nursing in-charge", None,
                                   "Xdistrict", "Facility G", None, "yes", 80])
    data = as_file(book).getvalue()
    start, errors = threading.Barrier(3), []

    def run():
        from django.db import connection as own

        try:
            start.wait()
            import_book(load_workbook(io.BytesIO(data)), training, cast.district_officer)
        except Exception as error:  # collected, asserted below
            errors.append(repr(error))
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert StaffMember.objects.filter(name__startswith="New nurse").count() == 10
    assert Attendance.objects.filter(training=training).count() == 12
