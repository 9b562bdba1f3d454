"""Facts the reader must reproduce on the official workbooks (skipped when absent)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from srishti.workbooks.audit import standard_totals, workbook_slips
from srishti.workbooks.parsed import ParsedDepartment, ParsedWorkbook
from srishti.workbooks.reader import read_workbook

pytestmark = pytest.mark.reference

DH_BLANK = "NQAS-DH-2016-blank.xlsx"
ANUPPUR = "NQAS-DH-2016-filled-DH-Anuppur.xlsx"
CHC_BLANK = "NQAS-CHC-2016-blank.xlsx"
LAQSHYA_BLANK = "LaQshya-LabourRoom-2018-blank.xlsx"
KAYAKALP_BLANK = "Kayakalp-DH-SDH-CHC-2017-blank.xlsx"
# Standards per department of the CHC 2016 tool, in sheet order.
CHC_STANDARDS = (47, 51, 50, 55, 45, 45, 42, 36, 35, 36, 30, 53)


def standards(department: ParsedDepartment):
    return [s for a in department.areas for s in a.standards]


def checkpoints(parsed: ParsedWorkbook):
    return [
        c for d in parsed.departments for a in d.areas for s in a.standards for c in s.checkpoints
    ]


def department_totals(parsed: ParsedWorkbook, department: ParsedDepartment):
    full = max(parsed.levels)
    pairs = [standard_totals(s, full) for s in standards(department)]
    return sum(o for o, _ in pairs), sum(m for _, m in pairs)


@functools.cache
def _read_once(path: Path) -> ParsedWorkbook:
    return read_workbook(path)


@pytest.fixture
def anuppur(reference_workbook) -> ParsedWorkbook:
    return _read_once(reference_workbook(ANUPPUR))


def test_dh_blank_has_18_departments_of_70_standards_and_6534_checkpoints(reference_workbook):
    parsed = read_workbook(reference_workbook(DH_BLANK))

    assert parsed.layout == "nqas"
    assert parsed.levels == (0.0, 1.0, 2.0)
    assert len(parsed.departments) == 18
    assert [len(standards(d)) for d in parsed.departments] == [70] * 18
    assert len(checkpoints(parsed)) == 6534
    assert parsed.warnings == []


def test_dh_blank_department_names_lose_the_spaces_of_their_sheet_names(reference_workbook):
    parsed = read_workbook(reference_workbook(DH_BLANK))

    assert all(d.name == d.name.strip() for d in parsed.departments)
    assert any(d.sheet != d.name for d in parsed.departments)  # "SNCU " and others
    assert "SNCU" in [d.name for d in parsed.departments]


def test_dh_blank_every_checkpoint_has_text_a_method_and_an_allowed_value(reference_workbook):
    parsed = read_workbook(reference_workbook(DH_BLANK))

    cps = checkpoints(parsed)
    assert all(c.text for c in cps)
    assert all(c.value in (None, 0.0, 1.0, 2.0) for c in cps)
    assert sum(1 for c in cps if c.methods) > 6400
    assert all(c.me_code is not None and c.code is None for c in cps)


def test_anuppur_labour_room_scores_294_of_788(anuppur):
    labour = next(d for d in anuppur.departments if d.name == "Labour Room")

    assert department_totals(anuppur, labour) == (294.0, 788.0)


def test_anuppur_pooled_score_is_38_08_and_mean_of_departments_is_37_18(anuppur):
    totals = [department_totals(anuppur, d) for d in anuppur.departments]
    obtained = sum(o for o, _ in totals)
    maximum = sum(m for _, m in totals)
    mean = sum(100 * o / m for o, m in totals) / len(totals)

    assert len(totals) == 18
    assert round(100 * obtained / maximum, 2) == 38.08
    assert round(mean, 2) == 37.18


def test_anuppur_slips_are_the_known_template_formula_errors(anuppur):
    slips = {(s.department, s.standard): s for s in workbook_slips(anuppur)}

    expected = {("OPD", "F4"), ("OPD", "E23"), ("IPD", "G4"), ("Labour Room", "E7"), ("NRC", "C6")}
    assert expected <= set(slips)
    # COUNT where SUM was meant: the workbook "obtained" counts the answers.
    assert slips[("IPD", "G4")].computed_obtained == 0
    assert slips[("IPD", "G4")].workbook_obtained == slips[("IPD", "G4")].workbook_maximum / 2
    # SUM*2 as the maximum of OPD E23: the obtained figures agree, the maximum does not.
    e23 = slips[("OPD", "E23")]
    assert e23.workbook_obtained == e23.computed_obtained
    assert e23.workbook_maximum == 2 * e23.workbook_obtained != e23.computed_maximum
    # NRC C6 stops one checkpoint short: one answer fewer in the workbook's maximum.
    c6 = slips[("NRC", "C6")]
    assert c6.computed_maximum - c6.workbook_maximum == 2
    # The sixth: Labour Room D7 counts a pre-filled 1 on a (hidden) ME row without text.
    assert set(slips) == expected | {("Labour Room", "D7")}


def test_anuppur_header_facts_are_read_from_the_first_sheet_that_has_them(anuppur):
    assert anuppur.header.get("hospital")
    assert anuppur.header.get("assessors")
    assert anuppur.header.get("assessment_type")
    date = anuppur.header.get("date_of_assessment", "")
    assert len(date) == 10 and date[4] == "-" and date[7] == "-"


def test_anuppur_opd_lacks_the_standard_d6_row_and_says_so(anuppur):
    opd = next(d for d in anuppur.departments if d.name == "OPD")

    assert len(standards(opd)) == 69
    assert "D6" not in [s.code for s in standards(opd)]
    assert any("'OPD'" in w and "ME D6.2" in w for w in anuppur.warnings)


def test_chc_blank_reads_with_its_score_card_below_the_table(reference_workbook):
    parsed = read_workbook(reference_workbook(CHC_BLANK))

    assert len(parsed.departments) == 12
    assert [len(standards(d)) for d in parsed.departments] == list(CHC_STANDARDS)
    cps = checkpoints(parsed)
    assert len(cps) == 3741  # 3748 less the hidden superseded Standard A5 (7 rows)
    summary_words = {"obtained", "maximum", "percent", "total"}
    assert not any(c.text.strip().lower() in summary_words for c in cps)
    # Areas found whether their title sits in column A, B or C.
    assert all([a.letter for a in d.areas] == list("ABCDEFGH") for d in parsed.departments)


def test_chc_blank_hidden_superseded_standard_is_no_checkpoint_and_is_reported(
    reference_workbook,
):
    parsed = read_workbook(reference_workbook(CHC_BLANK))
    admin = parsed.departments[-1]

    assert admin.name == "General Administration"
    codes = [s.code for s in standards(admin)]
    assert len(codes) == len(set(codes))
    assert sum(len(s.checkpoints) for s in standards(admin)) == 515
    a5 = next(s for s in standards(admin) if s.code == "A5")
    assert a5.row == 42  # the visible copy, not the hidden one at row 34
    assert not any("standard A5 again" in w for w in parsed.warnings)
    assert any("'General Administration': hidden rows 34-41 are outside" in w
               for w in parsed.warnings)


def test_laqshya_blank_reads_as_one_department(reference_workbook):
    parsed = read_workbook(reference_workbook(LAQSHYA_BLANK))

    assert parsed.layout == "nqas"
    assert len(parsed.departments) == 1
    assert len(standards(parsed.departments[0])) == 70
    # 310 rows with checkpoint text, 10 of them hidden template leftovers no standard counts
    assert len(checkpoints(parsed)) == 300
    assert any("hidden rows 176-180, 569, 583-585, 592 are outside" in w
               for w in parsed.warnings)


def test_kayakalp_blank_reads_numbered_checkpoints_without_answers(reference_workbook):
    parsed = read_workbook(reference_workbook(KAYAKALP_BLANK))

    assert parsed.layout == "kayakalp"
    assert parsed.levels == (0.0, 0.5, 1.0)
    assert len(parsed.departments) == 1
    department = parsed.departments[0]
    assert [a.letter for a in department.areas] == ["G"]
    assert len(standards(department)) == 10
    cps = checkpoints(parsed)
    assert len(cps) == 50
    assert all(c.code and c.value is None and c.me_code is None for c in cps)
    assert all(c.methods for c in cps)
    assert "compliance" not in department.columns
    assert all(not s.measurable_elements for s in standards(department))


DH_2019_BLANK = "NQAS-DH-2019-blank.xlsx"
AAM_SC_BLANK = "NQAS-AAM-SC-blank.xlsx"


def test_dh_2019_blank_has_20_departments_of_74_standards_and_7464_checkpoints(
    reference_workbook,
):
    parsed = read_workbook(reference_workbook(DH_2019_BLANK))

    assert len(parsed.departments) == 20
    assert [len(standards(d)) for d in parsed.departments] == [74] * 20
    assert len(checkpoints(parsed)) == 7464
    assert "Department Wise" not in [d.name for d in parsed.departments]
    assert any("sheet 'Department Wise': a score card" in w for w in parsed.warnings)
    # "Standards G10" is a standard: its measurable elements are not under G9.
    assert not any("under standard G9" in w for w in parsed.warnings)


def test_aam_sc_blank_is_one_checklist_of_50_standards_and_582_checkpoints(reference_workbook):
    parsed = read_workbook(reference_workbook(AAM_SC_BLANK))

    assert [d.name for d in parsed.departments] == ["HWC-HSC"]
    assert len(standards(parsed.departments[0])) == 50
    assert len(checkpoints(parsed)) == 582
    # The ME reference sheet with its notes ("CAC guideline") is named and skipped.
    assert any("sheet 'HWC-HSC_ME': a reference list" in w for w in parsed.warnings)
