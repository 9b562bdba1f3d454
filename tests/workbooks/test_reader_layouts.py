"""The reader on synthetic workbooks: where the table is and how its rows are read."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from srishti.workbooks.reader import read_workbook
from tests.workbooks.builders import (
    NQAS_HEADER,
    area,
    cp,
    header_block,
    me,
    score_card,
    small_nqas_table,
    standard,
    summary,
    write_workbook,
)


def all_standards(parsed):
    return [s for d in parsed.departments for a in d.areas for s in a.standards]


def all_checkpoints(parsed):
    return [c for s in all_standards(parsed) for c in s.checkpoints]


def read(tmp_path, sheets, **kwargs):
    return read_workbook(write_workbook(tmp_path / "book.xlsx", sheets), **kwargs)


def test_a_one_sheet_workbook_is_one_department_with_its_hierarchy(tmp_path):
    parsed = read(tmp_path, {"OPD": small_nqas_table()})

    assert [d.name for d in parsed.departments] == ["OPD"]
    department = parsed.departments[0]
    assert [a.letter for a in department.areas] == ["A", "B"]
    assert [a.title for a in department.areas] == ["Service Provision", "Patient Rights"]
    assert [s.code for s in all_standards(parsed)] == ["A1", "A2", "B1"]
    a1 = all_standards(parsed)[0]
    assert a1.title == "Curative services"
    assert [m.code for m in a1.measurable_elements] == ["A1.1", "A1.2"]
    assert [m.text for m in a1.measurable_elements] == ["General medicine", "Surgery"]
    assert [c.text for c in a1.checkpoints] == [
        "Medicine clinic is open",
        "Emergency drugs are stocked",
    ]
    assert parsed.warnings == []


def test_continuation_rows_belong_to_the_measurable_element_above(tmp_path):
    parsed = read(tmp_path, {"OPD": small_nqas_table()})

    cps = all_checkpoints(parsed)
    assert [(c.me_code, c.row) for c in cps] == [
        ("A1.1", 4),
        ("A1.1", 5),
        ("A2.1", 8),
        ("B1.1", 11),
    ]
    assert all(c.code is None for c in cps)


def test_department_name_is_the_sheet_name_without_surrounding_spaces(tmp_path):
    parsed = read(tmp_path, {" Labour Room ": small_nqas_table(), "OPD": small_nqas_table()})

    assert [(d.name, d.sheet) for d in parsed.departments] == [
        ("Labour Room", " Labour Room "),
        ("OPD", "OPD"),
    ]


@pytest.mark.parametrize(
    "dash",
    [" - ", " \u2013 ", "\u2013", " ", "   ", ":", " \u2014 ", "-"],
    ids=["hyphen", "en-dash", "en-dash-tight", "none", "spaces", "colon", "em-dash", "tight"],
)
def test_area_rows_are_found_whatever_the_dash_and_spacing(tmp_path, dash):
    rows = small_nqas_table()
    rows[1] = area("A", "Service Provision", dash=dash)

    parsed = read(tmp_path, {"OPD": rows})

    areas = parsed.departments[0].areas
    assert [a.letter for a in areas] == ["A", "B"]
    assert areas[0].title == "Service Provision"


def test_area_rows_are_found_in_column_a_b_or_c(tmp_path):
    rows = [
        NQAS_HEADER,
        area("A", "Service Provision", column=2, ref="."),
        standard("A1", "Curative services"),
        me("A1.1", "Medicine", "Clinic open", 2),
        area("B", "Patient Rights", column=0),
        standard("B1", "Information"),
        me("B1.1", "Signage", "Signs shown", 1),
        area("C", "Inputs", column=1, ref="."),
        standard("C1", "Infrastructure"),
        me("C1.1", "Space", "Enough space", 0),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    assert [a.letter for a in parsed.departments[0].areas] == ["A", "B", "C"]
    assert len(all_checkpoints(parsed)) == 3


def test_a_table_without_a_header_row_is_read(tmp_path):
    rows = small_nqas_table()[1:]  # no header row at all

    parsed = read(tmp_path, {"OPD": rows})

    assert len(all_checkpoints(parsed)) == 4
    assert parsed.departments[0].columns["compliance"] == "D"


@pytest.mark.parametrize("label", ["Reference No.", "Reference no", "Reference", "Ref"])
def test_header_text_variants_do_not_matter(tmp_path, label):
    rows = small_nqas_table()
    rows[0] = [label, *NQAS_HEADER[1:]]

    parsed = read(tmp_path, {"OPD": rows})

    assert len(all_checkpoints(parsed)) == 4


def test_columns_are_found_by_content_when_a_serial_column_comes_first(tmp_path):
    rows = [[i if i > 1 else "", *row] for i, row in enumerate(small_nqas_table()[1:])]

    parsed = read(tmp_path, {"OPD": rows})

    department = parsed.departments[0]
    assert department.columns["ref"] == "B"
    assert department.columns["text"] == "D"
    assert department.columns["compliance"] == "E"
    assert department.columns["method"] == "F"
    assert [c.value for c in all_checkpoints(parsed)] == [2.0, 1.0, None, 0.0]
    assert all(c.methods for c in all_checkpoints(parsed))


def test_columns_in_another_order_are_found_from_the_header(tmp_path):
    order = [0, 1, 2, 4, 3, 5, 6, 7, 8]  # method before compliance
    rows = [[row[i] for i in order] for row in small_nqas_table()]

    parsed = read(tmp_path, {"OPD": rows})

    assert parsed.departments[0].columns["compliance"] == "E"
    assert [c.value for c in all_checkpoints(parsed)] == [2.0, 1.0, None, 0.0]
    assert [sorted(c.methods) for c in all_checkpoints(parsed)][0] == ["OB", "SI"]


@pytest.mark.parametrize(
    ("reference", "code"),
    [
        ("Standard G 5", "G5"),
        ("StandardD6", "D6"),
        ("Standard H1 .", "H1"),
        ("Standard A1.", "A1"),
        ("standard a1", "A1"),
        ("  Standard A1  ", "A1"),
        ("Standard A 10", "A10"),
    ],
)
def test_standard_reference_spellings(tmp_path, reference, code):
    rows = [
        area(code[0], "Some Area"),
        standard(code, "Title", ref=reference),
        me(f"{code}.1", "Text", "A checkpoint", 1),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    assert [s.code for s in all_standards(parsed)] == [code]


@pytest.mark.parametrize(
    ("reference", "code"),
    [
        ("ME A1.1.", "A1.1"),
        ("ME A 1.1", "A1.1"),
        ("me a1.1", "A1.1"),
        (".ME A1.1.", "A1.1"),
        ("ME A1..1", "A1.1"),
        ("ME A1,1", "A1.1"),
        ("MEA1.1", "A1.1"),
        ("ME A1.10-", "A1.10"),
        ("A 1.1", "A1.1"),
    ],
)
def test_measurable_element_reference_spellings(tmp_path, reference, code):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "Title"),
        me(code, "Text", "A checkpoint", 1, ref=reference),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    assert [m.code for m in all_standards(parsed)[0].measurable_elements] == [code]
    assert all_checkpoints(parsed)[0].me_code == code
    assert parsed.warnings == []


def test_a_dot_alone_in_the_reference_column_is_a_continuation_row(tmp_path):
    rows = [
        area("A", "Service Provision", ref="."),
        standard("A1", "Title"),
        me("A1.1", "Text", "First", 1),
        cp("Second", 2, ref="."),
        cp("Third", 0, ref=" . "),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    assert [(c.text, c.me_code) for c in all_checkpoints(parsed)] == [
        ("First", "A1.1"),
        ("Second", "A1.1"),
        ("Third", "A1.1"),
    ]
    assert parsed.warnings == []


def test_a_row_without_checkpoint_text_is_not_a_checkpoint_whatever_its_compliance(tmp_path):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "Title"),
        me("A1.1", "No checkpoints here", "", 1),  # template pre-fill on an ME row
        me("A1.2", "Nor here", "", 7),  # not even a level: still ignored
        cp("", 2),
        cp("   ", 1),
        me("A1.3", "Text", "The one checkpoint", 2),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    assert [c.text for c in all_checkpoints(parsed)] == ["The one checkpoint"]
    assert [m.code for m in all_standards(parsed)[0].measurable_elements] == [
        "A1.1",
        "A1.2",
        "A1.3",
    ]
    assert parsed.warnings == []


def test_score_card_above_the_table_is_ignored(tmp_path):
    rows = [*header_block(), *score_card("OPD"), [""], *small_nqas_table()]

    parsed = read(tmp_path, {"OPD": rows})

    assert len(all_checkpoints(parsed)) == 4
    assert [a.letter for a in parsed.departments[0].areas] == ["A", "B"]


def test_a_score_card_that_names_areas_of_concern_is_not_taken_for_the_table(tmp_path):
    card = [["Score Card"]] + [
        ["", f"Area of Concern - {letter} Something", 0.5] for letter in "ABCDEFGH"
    ]
    rows = [*card, [""], *small_nqas_table()]

    parsed = read(tmp_path, {"OPD": rows})

    assert [a.row for a in parsed.departments[0].areas] == [12, 19]
    assert parsed.departments[0].columns["compliance"] == "D"
    assert parsed.warnings == []


@pytest.mark.parametrize("label", ["Obtained ", "Obtaned", "Obtatained ", "obtained marks"])
def test_summary_and_score_card_after_the_table_add_nothing(tmp_path, label):
    rows = [
        *small_nqas_table(),
        [""],
        *score_card("OPD", scale=100),
        *summary(obtained_label=label),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    assert [c.text for c in all_checkpoints(parsed)] == [
        c.text for c in all_checkpoints(read(tmp_path, {"OPD": small_nqas_table()}))
    ]
    assert [s.code for s in all_standards(parsed)] == ["A1", "A2", "B1"]
    assert parsed.warnings == []


@pytest.mark.parametrize("label", ["Obtaned", "Obtained Marks", "Total"])
def test_summary_rows_directly_after_the_last_checkpoint_are_not_checkpoints(tmp_path, label):
    rows = [*small_nqas_table(), *summary(obtained_label=label)]

    parsed = read(tmp_path, {"OPD": rows})

    assert len(all_checkpoints(parsed)) == 4
    assert parsed.warnings == []


def test_a_score_card_with_text_cells_after_the_table_adds_nothing(tmp_path):
    card = [
        ["Department Score Card", "", "", "", "", "", "", "", ""],
        ["A", "Service Provision", "50%", "", "", "", "", "", ""],
        ["B", "Patient Rights", "n/a", "", "", "", "", "", ""],
    ]
    rows = [*small_nqas_table(), [""], *card]

    parsed = read(tmp_path, {"OPD": rows})

    assert len(all_checkpoints(parsed)) == 4
    assert parsed.warnings == []


def test_a_standard_after_a_summary_row_resumes_the_table(tmp_path):
    rows = [
        *small_nqas_table(),
        ["", "Total", "Maximum", "", "", "", "", "", ""],
        standard("B2", "Resumed"),
        me("B2.1", "Text", "Checkpoint after the pause", 1),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    assert [s.code for s in all_standards(parsed)][-1] == "B2"
    assert all_checkpoints(parsed)[-1].text == "Checkpoint after the pause"


def test_instruction_sheets_are_skipped_with_a_warning(tmp_path):
    sheets = {
        "Instructions": [["How to fill this workbook"], ["Score 0, 1 or 2 in column D"]],
        "OPD": small_nqas_table(),
    }

    parsed = read(tmp_path, sheets)

    assert [d.name for d in parsed.departments] == ["OPD"]
    assert len(parsed.warnings) == 1
    assert "'Instructions'" in parsed.warnings[0] and "skipped" in parsed.warnings[0]


def test_standard_totals_are_the_workbooks_own_figures(tmp_path):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "One", 3, 4),
        me("A1.1", "Text", "A checkpoint", 2),
        standard("A2", "Two", "#DIV/0!", "#DIV/0!"),
        me("A2.1", "Text", "Another", 1),
        standard("A3", "Three"),
        me("A3.1", "Text", "Third", 0),
        standard("A4", "Four", "5", " 6 "),
        me("A4.1", "Text", "Fourth", 0),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    assert [(s.workbook_obtained, s.workbook_maximum) for s in all_standards(parsed)] == [
        (3.0, 4.0),
        (None, None),
        (None, None),
        (5.0, 6.0),
    ]


def test_header_facts_come_from_the_first_sheet_that_has_them(tmp_path):
    empty = [*header_block(), *small_nqas_table()]
    filled = [
        *header_block(
            hospital="Test District Hospital",
            date=dt.date(2024, 3, 5),
            assessors="A. Assessor, B. Assessor",
            assessment_type="Internal",
        ),
        *small_nqas_table(),
    ]
    other = [*header_block(hospital="Another Hospital"), *small_nqas_table()]

    parsed = read(tmp_path, {"OPD": empty, "IPD": filled, "Lab": other})

    assert parsed.header == {
        "hospital": "Test District Hospital",
        "date_of_assessment": "2024-03-05",
        "assessors": "A. Assessor, B. Assessor",
        "assessment_type": "Internal",
    }


def test_a_date_time_of_assessment_at_midnight_is_read_as_a_date(tmp_path):
    midnight = dt.datetime(2024, 3, 5)  # noqa: DTZ001 - Excel date-times have no zone
    rows = [*header_block(date=midnight), *small_nqas_table()]

    parsed = read(tmp_path, {"OPD": rows})

    assert parsed.header["date_of_assessment"] == "2024-03-05"


def test_a_hidden_department_sheet_is_read_and_reported(tmp_path):
    path = write_workbook(
        tmp_path / "book.xlsx", {"OPD": small_nqas_table(), "Old": small_nqas_table()}
    )
    book = openpyxl.load_workbook(path)
    book["Old"].sheet_state = "hidden"
    book.save(path)

    parsed = read_workbook(path)

    assert [d.name for d in parsed.departments] == ["OPD", "Old"]
    assert parsed.warnings == ["sheet 'Old': the sheet is hidden in the workbook"]


def test_header_label_with_its_value_in_the_same_cell(tmp_path):
    rows = [["Name of the Hospital: Test CHC"], [""], *small_nqas_table()]

    parsed = read(tmp_path, {"OPD": rows})

    assert parsed.header == {"hospital": "Test CHC"}


def test_rows_are_numbered_as_excel_shows_them_even_when_the_sheet_starts_low(tmp_path):
    rows = [[""], [""], [""], *[[None, None, *r] for r in small_nqas_table()]]

    parsed = read(tmp_path, {"OPD": rows})

    cps = all_checkpoints(parsed)
    assert [c.row for c in cps] == [7, 8, 11, 14]
    assert parsed.departments[0].columns["ref"] == "C"


def test_a_repeated_standard_is_read_once_and_reported(tmp_path):
    rows = [
        area("A", "Service Provision"),
        standard("A5", "Old copy"),
        me("A5.1", "Diet", "Diet served", 1),
        standard("A5", "New copy", 2, 4),
        me("A5.1", "Diet", "Diet served on time", 2),
        me("A5.2", "Laundry", "Linen washed", 0),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    (a5,) = all_standards(parsed)
    assert [m.code for m in a5.measurable_elements] == ["A5.1", "A5.2"]
    assert len(a5.checkpoints) == 3
    assert (a5.workbook_obtained, a5.workbook_maximum) == (2.0, 4.0)
    assert parsed.warnings == [
        "sheet 'OPD' row 4: standard A5 again (first at row 2); "
        "its checkpoints are added to the first"
    ]


def test_a_repeated_measurable_element_is_read_once_and_reported(tmp_path):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "Title"),
        me("A1.1", "Text", "First", 1),
        me("A1.2", "Text", "Second", 1),
        me("A1.1", "Typo", "Third", 1),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    assert [m.code for m in all_standards(parsed)[0].measurable_elements] == ["A1.1", "A1.2"]
    assert [c.me_code for c in all_checkpoints(parsed)] == ["A1.1", "A1.2", "A1.1"]
    assert parsed.warnings == [
        "sheet 'OPD' row 5: ME A1.1 again (first at row 3); its checkpoints are added to the first"
    ]


def test_a_measurable_element_of_another_standard_is_reported(tmp_path):
    rows = [
        area("D", "Support Services"),
        standard("D5", "Water"),
        me("D5.1", "Text", "Water available", 2),
        me("D6.2", "Text", "", ""),  # the template lost the "Standard D6" row
    ]

    parsed = read(tmp_path, {"OPD": rows})

    assert parsed.warnings == ["sheet 'OPD' row 4: ME D6.2 is under standard D5"]


def test_an_unrecognised_reference_on_a_checkpoint_row_is_kept_and_reported(tmp_path):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "Title"),
        me("A1.1", "Text", "First", 1),
        cp("Second", 2, ref="Maternal Health"),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    assert [c.me_code for c in all_checkpoints(parsed)] == ["A1.1", "A1.1"]
    assert len(parsed.warnings) == 1
    assert "row 4" in parsed.warnings[0] and "'Maternal Health'" in parsed.warnings[0]


def test_numbers_in_the_reference_column_do_not_break_continuation_rows(tmp_path):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "Title"),
        me("A1.1", "Text", "First", 1),
        cp("Second", 2, ref=2),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    assert [c.text for c in all_checkpoints(parsed)] == ["First", "Second"]


def test_checkpoint_fields_are_stripped(tmp_path):
    rows = [
        area("A", "Service Provision"),
        standard("A1", "  Title  "),
        me("A1.1", " Text ", "  Clinic open  ", 2, " SI/OB ", " Look at it ", " fine "),
    ]

    parsed = read(tmp_path, {"OPD": rows})

    (c,) = all_checkpoints(parsed)
    assert (c.text, c.means_of_verification, c.remark) == ("Clinic open", "Look at it", "fine")
    assert all_standards(parsed)[0].title == "Title"
    assert all_standards(parsed)[0].measurable_elements[0].text == "Text"
