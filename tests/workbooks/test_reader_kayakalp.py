"""Kayakalp sheets: numbered checkpoints, no measurable elements, levels 0 / 0.5 / 1."""

from __future__ import annotations

from srishti.workbooks.reader import read_workbook
from tests.workbooks.builders import KAYAKALP_HEADER, area, kk_cp, kk_standard, write_workbook


def kk_area(letter, title):
    return area(letter, title)[:4]


def blank_rows():
    return [
        kk_area("A", "Hospital Upkeep"),
        kk_standard("A1", "Pest control"),
        kk_cp("A1.1", "No rodents seen", "OB", "Walk the wards"),
        kk_cp("A1.2", "Pest control contract exists", "RR/SI", "Ask for the contract"),
        kk_standard("A2", "Landscaping", ref="StandardA2"),
        kk_cp("A2.1", "Lawns are trimmed", "OB", ""),
    ]


def checkpoints(parsed):
    return [
        c for d in parsed.departments for a in d.areas for s in a.standards for c in s.checkpoints
    ]


def read(tmp_path, rows, name="Kayakalp"):
    return read_workbook(write_workbook(tmp_path / "kk.xlsx", {name: rows}))


def test_a_blank_kayakalp_sheet_reads_numbered_checkpoints(tmp_path):
    parsed = read(tmp_path, blank_rows())

    assert parsed.layout == "kayakalp"
    assert parsed.levels == (0.0, 0.5, 1.0)
    department = parsed.departments[0]
    assert [s.code for a in department.areas for s in a.standards] == ["A1", "A2"]
    assert [(c.code, c.text, c.value) for c in checkpoints(parsed)] == [
        ("A1.1", "No rodents seen", None),
        ("A1.2", "Pest control contract exists", None),
        ("A2.1", "Lawns are trimmed", None),
    ]
    assert checkpoints(parsed)[1].methods == frozenset({"RR", "SI"})
    assert checkpoints(parsed)[1].means_of_verification == "Ask for the contract"
    assert all(c.me_code is None for c in checkpoints(parsed))
    assert department.columns == {"ref": "A", "text": "B", "method": "C", "mov": "D"}
    assert parsed.warnings == []


def test_a_filled_kayakalp_sheet_with_a_compliance_header_reads_its_values(tmp_path):
    values = [1, 0.5, "NA"]
    rows = [[*KAYAKALP_HEADER, "Compliance", "Remarks"]]
    for row in blank_rows():
        if row[0].startswith("A") and "." in row[0]:
            row = [*row, values.pop(0), "seen"]
        rows.append(row)

    parsed = read(tmp_path, rows)

    assert [c.value for c in checkpoints(parsed)] == [1.0, 0.5, None]
    assert [c.remark for c in checkpoints(parsed)] == ["seen"] * 3
    assert parsed.departments[0].columns["compliance"] == "E"


def test_a_filled_kayakalp_sheet_without_header_has_its_numbers_found(tmp_path):
    values = [0, 1, 0.5]
    rows = [[*row, values.pop(0)] if row[0][-2:-1] == "." else row for row in blank_rows()]

    parsed = read(tmp_path, rows)

    assert [c.value for c in checkpoints(parsed)] == [0.0, 1.0, 0.5]
    assert parsed.departments[0].columns["compliance"] == "E"


def test_a_kayakalp_compliance_column_between_text_and_method_is_found_by_header(tmp_path):
    rows = [
        ["Reference", "Checkpoint", "Score", "Method", "Means of Verification"],
        kk_area("A", "Hospital Upkeep"),
        kk_standard("A1", "Pest control"),
        ["A1.1", "No rodents seen", 0.5, "OB", "Walk the wards"],
        ["A1.2", "Contract exists", 1, "RR", "Ask"],
    ]

    parsed = read(tmp_path, rows)

    assert parsed.layout == "kayakalp"
    assert [(c.value, sorted(c.methods)) for c in checkpoints(parsed)] == [
        (0.5, ["OB"]),
        (1.0, ["RR"]),
    ]


def test_a_checkpoint_numbered_for_another_standard_is_kept_and_reported(tmp_path):
    rows = [*blank_rows(), kk_cp("A1.3", "Misnumbered checkpoint", "OB")]

    parsed = read(tmp_path, rows)

    assert checkpoints(parsed)[-1].code == "A1.3"
    assert parsed.warnings == ["sheet 'Kayakalp' row 7: checkpoint A1.3 is under standard A2"]


def test_a_number_without_checkpoint_text_is_not_a_checkpoint(tmp_path):
    rows = [*blank_rows(), ["A2.2", "", "", ""]]

    parsed = read(tmp_path, rows)

    assert len(checkpoints(parsed)) == 3
