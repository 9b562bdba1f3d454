"""Bad input gives a WorkbookError with a one-line message saying where, never a traceback."""

from __future__ import annotations

import pytest

from srishti.workbooks.parsed import WorkbookError
from srishti.workbooks.reader import read_workbook
from tests.workbooks.builders import (
    KAYAKALP_HEADER,
    area,
    cp,
    kk_cp,
    kk_standard,
    me,
    small_nqas_table,
    standard,
    write_workbook,
)


def error_of(path, **kwargs) -> WorkbookError:
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return caught.value


@pytest.mark.parametrize("bad", [3, 1.5, -1, "3", "yes", "x"])
def test_an_out_of_level_compliance_names_file_sheet_row_and_column(tmp_path, bad):
    rows = small_nqas_table(values=(2, bad, "", 0))
    path = write_workbook(tmp_path / "book.xlsx", {"Labour Room ": rows})

    error = error_of(path)

    assert (error.sheet, error.row, error.column) == ("Labour Room ", 5, "D")
    assert str(error).startswith(f"{path}, sheet 'Labour Room ', row 5, column D: ")
    assert "0, 1, 2" in error.message


def test_the_error_names_the_column_where_compliance_was_found(tmp_path):
    order = [0, 1, 2, 4, 3, 5, 6, 7, 8]  # compliance in E
    rows = [[row[i] for i in order] for row in small_nqas_table(values=(2, 1, 4, 0))]
    path = write_workbook(tmp_path / "book.xlsx", {"OPD": rows})

    error = error_of(path)

    assert (error.row, error.column) == (8, "E")


def test_a_kayakalp_value_outside_0_half_1_is_an_error(tmp_path):
    rows = [
        [*KAYAKALP_HEADER, "Compliance"],
        area("A", "Hospital Upkeep")[:4],
        kk_standard("A1", "Pest control"),
        kk_cp("A1.1", "No rodents seen", "OB", "Look around", 0.5),
        kk_cp("A1.2", "No stray animals", "OB", "Look around", 2),
    ]
    path = write_workbook(tmp_path / "book.xlsx", {"Kayakalp": rows})

    error = error_of(path)

    assert (error.sheet, error.row, error.column) == ("Kayakalp", 5, "E")
    assert "0, 0.5, 1" in error.message


def test_a_checkpoint_before_any_standard_is_an_error(tmp_path):
    rows = [
        area("A", "Service Provision"),
        me("A1.1", "Text", "Orphan checkpoint", 1),
        standard("A1", "Title"),
    ]
    path = write_workbook(tmp_path / "book.xlsx", {"OPD": rows})

    error = error_of(path)

    assert (error.sheet, error.row, error.column) == ("OPD", 2, "C")
    assert "before any standard" in error.message


def test_a_checkpoint_after_a_new_area_but_before_its_standard_is_an_error(tmp_path):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "Title"),
        me("A1.1", "Text", "Fine", 1),
        area("B", "Patient Rights"),
        cp("Orphan continuation", 1),
    ]
    path = write_workbook(tmp_path / "book.xlsx", {"OPD": rows})

    error = error_of(path)

    assert (error.row, error.column) == (5, "C")


def test_a_workbook_without_any_checklist_table_has_an_unknown_layout(tmp_path):
    path = write_workbook(
        tmp_path / "book.xlsx", {"Notes": [["Some notes"]], "Data": [[1, 2, 3], [4, 5, 6]]}
    )

    error = error_of(path)

    assert error.message.startswith("unknown layout")
    assert error.sheet is None


def test_an_area_row_without_standards_is_not_a_table(tmp_path):
    rows = [area("A", "Service Provision"), ["", "just text", "more text"]]
    path = write_workbook(tmp_path / "book.xlsx", {"OPD": rows})

    assert error_of(path).message.startswith("unknown layout")


def test_nqas_and_kayakalp_sheets_in_one_workbook_are_refused(tmp_path):
    kayakalp = [
        area("G", "Beyond Hospital Boundary")[:4],
        kk_standard("G1", "Surroundings"),
        kk_cp("G1.1", "Area is clean", "OB"),
        kk_cp("G1.2", "Drains are covered", "OB"),
    ]
    path = write_workbook(tmp_path / "book.xlsx", {"OPD": small_nqas_table(), "KK": kayakalp})

    error = error_of(path)

    assert error.sheet == "KK"
    assert error.message.startswith("unknown layout")


def test_a_missing_file(tmp_path):
    path = tmp_path / "nowhere.xlsx"

    error = error_of(path)

    assert str(error) == f"{path}: file not found"


def test_a_directory_is_not_a_workbook(tmp_path):
    assert error_of(tmp_path).message == "not a file"


def test_a_text_file_is_not_an_excel_workbook(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("Reference,Checkpoint\n")

    assert error_of(path).message.startswith("not an Excel workbook or the file is corrupt")


def test_a_file_of_unknown_type_is_not_an_excel_workbook(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")

    assert error_of(path).message.startswith("not an Excel workbook")


def test_a_truncated_workbook_is_reported_as_corrupt(tmp_path):
    whole = write_workbook(tmp_path / "whole.xlsx", {"OPD": small_nqas_table()})
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])

    assert "corrupt" in error_of(broken).message


def test_an_empty_file_is_not_a_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")

    assert error_of(path).message.startswith("not an Excel workbook")


def test_a_file_larger_than_the_limit_is_refused_before_opening(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"x" * 5000)  # would be "corrupt" if it were opened

    error = error_of(path, max_bytes=4096)

    assert error.message == "file is 5,000 bytes, larger than the limit of 4,096 bytes"


def test_a_workbook_that_unzips_far_beyond_the_limit_is_refused(tmp_path):
    rows = small_nqas_table() + [["", "", "x" * 30000] for _ in range(40)]
    path = write_workbook(tmp_path / "book.xlsx", {"OPD": rows})
    limit = path.stat().st_size + 1  # the file itself passes

    error = error_of(path, max_bytes=limit)

    assert "when unzipped" in error.message


def test_errors_use_the_given_display_name(tmp_path):
    error = error_of(tmp_path / "tmp123.xlsx", name="upload.xlsx")

    assert str(error) == "upload.xlsx: file not found"
