"""Where a workbook's own standard totals disagree with its compliance cells."""

from __future__ import annotations

import pytest

from srishti.workbooks.audit import (
    WorkbookSlip,
    standard_full_score,
    standard_totals,
    workbook_slips,
)
from srishti.workbooks.reader import read_workbook
from tests.workbooks.builders import area, cp, kk_cp, kk_standard, me, standard, write_workbook


def read(tmp_path, rows, name="OPD"):
    return read_workbook(write_workbook(tmp_path / "book.xlsx", {name: rows}))


def test_totals_that_match_the_checkpoints_are_not_slips(tmp_path):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "Title", 3, 6),
        me("A1.1", "Text", "One", 2),
        cp("Two", 1),
        cp("Three", 0),
        cp("Not applicable", ""),
    ]

    assert workbook_slips(read(tmp_path, rows)) == []


def test_count_instead_of_sum_is_a_slip(tmp_path):
    rows = [
        area("F", "Infection Control"),
        standard("F4", "Title", 3, 6),  # COUNT(D) = 3 answers, not their sum
        me("F4.1", "Text", "One", 2),
        cp("Two", 2),
        cp("Three", 2),
    ]

    slips = workbook_slips(read(tmp_path, rows))

    assert slips == [
        WorkbookSlip(
            department="OPD",
            standard="F4",
            workbook_obtained=3.0,
            workbook_maximum=6.0,
            computed_obtained=6.0,
            computed_maximum=6.0,
            row=2,
            sheet="OPD",
        )
    ]


def test_sum_times_two_as_maximum_is_a_slip(tmp_path):
    rows = [
        area("E", "Clinical Services"),
        standard("E23", "Title", 2, 4),  # SUM(D)*2 = 4 as maximum; 3 answers make 6
        me("E23.1", "Text", "One", 2),
        cp("Two", 0),
        cp("Three", 0),
    ]

    (slip,) = workbook_slips(read(tmp_path, rows))

    assert (slip.standard, slip.computed_obtained, slip.computed_maximum) == ("E23", 2.0, 6.0)


def test_not_applicable_checkpoints_count_in_neither_total(tmp_path):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "Title", 2, 6),  # a range that counted the NA row as scored
        me("A1.1", "Text", "One", 2),
        cp("Two", "NA"),
        cp("Three", 0),
    ]
    parsed = read(tmp_path, rows)

    (slip,) = workbook_slips(parsed)

    assert (slip.computed_obtained, slip.computed_maximum) == (2.0, 4.0)
    std = parsed.departments[0].areas[0].standards[0]
    assert standard_totals(std, 2.0) == (2.0, 4.0)


def test_blank_or_error_totals_are_not_compared(tmp_path):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "Blank totals"),
        me("A1.1", "Text", "One", 2),
        standard("A2", "Error totals", "#DIV/0!", "#DIV/0!"),
        me("A2.1", "Text", "One", 2),
    ]

    assert workbook_slips(read(tmp_path, rows)) == []


def test_one_present_total_that_disagrees_is_a_slip(tmp_path):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "Title", "#DIV/0!", 2),
        me("A1.1", "Text", "One", 2),
        cp("Two", 1),
    ]

    (slip,) = workbook_slips(read(tmp_path, rows))

    assert (slip.workbook_obtained, slip.workbook_maximum) == (None, 2.0)
    assert (slip.computed_obtained, slip.computed_maximum) == (3.0, 4.0)
    assert str(slip) == "OPD A1 (row 2): workbook -/2, checkpoints 3/4"


def test_kayakalp_full_score_is_one(tmp_path):
    rows = [
        ["Reference", "Checkpoint", "Method", "Means of Verification", "Compliance"],
        area("A", "Hospital Upkeep")[:4],
        [*kk_standard("A1", "Pest control"), "", 1.5, 2],
        kk_cp("A1.1", "No rodents", "OB", "", 1),
        kk_cp("A1.2", "Contract", "RR", "", 0.5),
    ]
    parsed = read(tmp_path, rows, name="Kayakalp")

    assert standard_full_score(parsed) == 1.0
    assert workbook_slips(parsed) == []
    std = parsed.departments[0].areas[0].standards[0]
    assert (std.workbook_obtained, std.workbook_maximum) == (1.5, 2.0)


def test_nqas_full_score_is_two(tmp_path):
    parsed = read(tmp_path, [area("A", "X"), standard("A1", "T"), me("A1.1", "T", "C", 1)])

    assert standard_full_score(parsed) == 2.0


def test_slips_are_frozen():
    slip = WorkbookSlip("OPD", "A1", 1.0, 2.0, 2.0, 2.0)

    with pytest.raises(AttributeError):
        slip.standard = "A2"  # type: ignore[misc]
