"""Which sheets are departments, and which rows are checkpoints: summaries, reference
lists and hidden rows."""

from __future__ import annotations

from openpyxl import load_workbook

from srishti.workbooks.reader import read_workbook
from tests.workbooks.builders import (
    NQAS_HEADER,
    area,
    cp,
    me,
    small_nqas_table,
    standard,
    write_workbook,
)


def codes(department):
    return [s.code for a in department.areas for s in a.standards]


def count(department):
    return sum(len(s.checkpoints) for a in department.areas for s in a.standards)


def summary_sheet():
    """A hospital score card: areas and standards with their scores, no ME at all."""
    return [
        ["Hospital Score Card"],
        ["Reference No", "Area of Concern & Standards", "NQAS Score", "LaQshya Score"],
        area("A", "Service Provision", column=0),
        ["Standard A1.", "Curative services", 1, 1],
        ["Standard A2", "Maternal services", 1, "NA"],
    ]


def reference_sheet():
    """The checklist again with notes where answers would be (AAM-SC `HWC-HSC_ME`)."""
    return [
        NQAS_HEADER,
        area("A", "Service Provision"),
        standard("A1", "Curative services"),
        me("A1.1", "General medicine", "Medicine clinic is open", "CAC guideline", ""),
        cp("Emergency drugs are stocked", "If SC type B", ""),
        me("A1.2", "Surgery", "Theatre is clean", "", ""),
    ]


def test_a_score_card_sheet_is_skipped_with_a_warning_naming_it(tmp_path):
    path = write_workbook(tmp_path / "b.xlsx", {"Department Wise": summary_sheet(),
                                               "OPD": small_nqas_table()})

    parsed = read_workbook(path)

    assert [d.name for d in parsed.departments] == ["OPD"]
    assert any("sheet 'Department Wise': a score card or summary" in w for w in parsed.warnings)


def test_a_reference_list_is_skipped_and_its_notes_are_no_reason_to_refuse(tmp_path):
    path = write_workbook(tmp_path / "b.xlsx", {"OPD": small_nqas_table(),
                                               "OPD_ME": reference_sheet()})

    parsed = read_workbook(path)

    assert [d.name for d in parsed.departments] == ["OPD"]
    assert any("sheet 'OPD_ME': a reference list" in w for w in parsed.warnings)


def test_a_bad_compliance_value_on_a_real_checklist_is_still_refused(tmp_path):
    import pytest

    from srishti.workbooks.parsed import WorkbookError

    path = write_workbook(tmp_path / "b.xlsx", {"OPD": small_nqas_table(values=(2, 5, "", 0))})

    with pytest.raises(WorkbookError, match="compliance value 5"):
        read_workbook(path)


def test_standards_in_the_plural_is_a_standard(tmp_path):
    rows = [
        NQAS_HEADER,
        area("G", "Quality Management"),
        standard("G9", "Risk management"),
        me("G9.1", "Risk register", "Risk register is kept", 2, "RR"),
        standard("G10", "Incidents", ref="Standards G10"),
        me("G10.1", "Incident reporting", "Incidents are reported", 1, "SI", ref="G10.1"),
    ]
    parsed = read_workbook(write_workbook(tmp_path / "b.xlsx", {"OPD": rows}))

    department = parsed.departments[0]
    assert codes(department) == ["G9", "G10"]
    assert count(department) == 2
    assert not any("under standard G9" in w for w in parsed.warnings)


def hidden_rows_workbook(tmp_path):
    """Standard A1 counts rows 4-6 by formula; row 5 is hidden (an assessor's), rows 8-10
    are a hidden leftover standard no formula counts, before the live A2 at row 11."""
    rows = [
        NQAS_HEADER,
        area("A", "Service Provision"),
        standard("A1", "Curative services"),
        me("A1.1", "General medicine", "Medicine clinic is open", 2, "SI"),
        cp("Emergency drugs are stocked", 1, "OB"),
        cp("Crash cart is checked", 0, "OB"),
        standard("A2", "Old maternal services"),
        me("A2.1", "Antenatal care", "Old checkpoint one", 1, "SI"),
        cp("Old checkpoint two", 1, "SI"),
        standard("A2", "Maternal services"),
        me("A2.1", "Antenatal care", "Antenatal clinic is open", 2, "SI"),
    ]
    path = write_workbook(tmp_path / "hidden.xlsx", {"OPD": rows})
    book = load_workbook(path)
    sheet = book["OPD"]
    sheet["H3"] = "=SUM(D4:D6)"
    sheet["I3"] = "=COUNT(D4:D6)*2"
    sheet["H10"] = "=SUM(D11)"
    for row in (5, 7, 8, 9):
        sheet.row_dimensions[row].hidden = True
    book.save(path)
    return path


def test_a_hidden_row_inside_a_standards_formula_range_is_counted_and_named(tmp_path):
    parsed = read_workbook(hidden_rows_workbook(tmp_path))

    a1 = parsed.departments[0].areas[0].standards[0]
    assert [c.row for c in a1.checkpoints] == [4, 5, 6]
    assert any("hidden rows 5 are counted by their standard's formula" in w
               for w in parsed.warnings)


def test_a_hidden_leftover_no_formula_counts_is_no_checkpoint(tmp_path):
    parsed = read_workbook(hidden_rows_workbook(tmp_path))

    department = parsed.departments[0]
    assert codes(department) == ["A1", "A2"]
    a2 = department.areas[0].standards[1]
    assert a2.row == 10
    assert [c.text for c in a2.checkpoints] == ["Antenatal clinic is open"]
    assert any("hidden rows 7-9 are outside every standard's formula range" in w
               for w in parsed.warnings)
    assert not any("again" in w for w in parsed.warnings)
