"""The demo checklist has the NQAS shape the rest of the product expects."""

from __future__ import annotations

import pytest

from srishti.demo.checklist import DEMO_VERSION_LABEL, demo_checklist

DEPARTMENTS = {
    "DH": ["Emergency", "OPD", "Labour Room", "IPD", "Laboratory"],
    "CHC": ["Emergency", "OPD", "Labour Room", "IPD"],
    "PHC": ["OPD", "Labour Room", "General Administration"],
}
STANDARDS = {
    "A": ["A1", "A2", "A3"],
    "B": ["B1", "B2", "B5"],
    "C": ["C1", "C2", "C3"],
    "D": ["D1", "D2", "D8", "D10"],
    "E": ["E1", "E2", "E3"],
    "F": ["F1", "F2", "F6"],
    "G": ["G1", "G2"],
    "H": ["H1", "H2"],
}
AREA_TITLES = [
    "Service Provision", "Patient Rights", "Inputs", "Support Services",
    "Clinical Services", "Infection Control", "Quality Management", "Outcome",
]
CRITICAL = {"DH": {"A2", "B5", "D10"}, "PHC": {"A2", "B5", "D8"}, "CHC": {"A2", "B5", "F6"}}
METHODS = {"SI", "OB", "RR", "PI"}
TYPES = sorted(DEPARTMENTS)


def _checkpoints(department):
    return [cp for area in department.areas for st in area.standards for cp in st.checkpoints]


def test_version_label():
    assert DEMO_VERSION_LABEL == "Demo 2025"


@pytest.mark.parametrize("ftype", TYPES)
def test_workbook_header_fields(ftype):
    wb = demo_checklist(ftype)
    assert wb.path == f"demo:{ftype}"
    assert wb.layout == "nqas"
    assert wb.levels == (0.0, 1.0, 2.0)
    assert wb.warnings == []


@pytest.mark.parametrize("ftype", TYPES)
def test_departments_in_order(ftype):
    wb = demo_checklist(ftype)
    assert [d.name for d in wb.departments] == DEPARTMENTS[ftype]
    assert [d.sheet for d in wb.departments] == DEPARTMENTS[ftype]


@pytest.mark.parametrize("ftype", TYPES)
def test_areas_and_standards(ftype):
    for department in demo_checklist(ftype).departments:
        assert [a.letter for a in department.areas] == list("ABCDEFGH")
        assert [a.title for a in department.areas] == AREA_TITLES
        for area in department.areas:
            assert [s.code for s in area.standards] == STANDARDS[area.letter]
            for standard in area.standards:
                assert standard.title.strip()


@pytest.mark.parametrize("ftype", TYPES)
def test_measurable_elements_and_checkpoints(ftype):
    for department in demo_checklist(ftype).departments:
        for area in department.areas:
            for standard in area.standards:
                mes = standard.measurable_elements
                assert [me.code for me in mes] == [f"{standard.code}.1", f"{standard.code}.2"]
                assert all(me.text.strip() for me in mes)
                for me in mes:
                    cps = [cp for cp in standard.checkpoints if cp.me_code == me.code]
                    assert 2 <= len(cps) <= 3, (department.name, me.code)
                assert {cp.me_code for cp in standard.checkpoints} == {me.code for me in mes}


@pytest.mark.parametrize("ftype", TYPES)
def test_checkpoint_fields(ftype):
    for department in demo_checklist(ftype).departments:
        checkpoints = _checkpoints(department)
        texts = [cp.text for cp in checkpoints]
        assert len(texts) == len(set(texts)), department.name
        assert 90 <= len(checkpoints) <= 130, (department.name, len(checkpoints))
        for cp in checkpoints:
            assert cp.methods and cp.methods <= METHODS, cp.text
            assert 1 <= len(cp.methods) <= 3
            assert cp.means_of_verification.strip()
            assert cp.code is None
            assert cp.value is None
            assert cp.remark == ""


@pytest.mark.parametrize("ftype", TYPES)
def test_rows_increase_from_one(ftype):
    for department in demo_checklist(ftype).departments:
        rows = []
        for area in department.areas:
            rows.append(area.row)
            for standard in area.standards:
                rows.append(standard.row)
                for me in standard.measurable_elements:
                    rows.append(me.row)
                    rows.extend(cp.row for cp in standard.checkpoints if cp.me_code == me.code)
        assert rows == list(range(1, len(rows) + 1)), department.name


@pytest.mark.parametrize("ftype", TYPES)
def test_critical_standards_present(ftype):
    for department in demo_checklist(ftype).departments:
        codes = {s.code for a in department.areas for s in a.standards}
        assert CRITICAL[ftype] <= codes


def test_department_specific_text():
    labour = demo_checklist("DH").departments[2]
    assert any("partograph" in cp.text for cp in _checkpoints(labour))


@pytest.mark.parametrize("ftype", ["SDH", "dh", "", "AAM"])
def test_unsupported_type(ftype):
    with pytest.raises(ValueError):
        demo_checklist(ftype)


@pytest.mark.parametrize("ftype", TYPES)
def test_deterministic_and_independent(ftype):
    first = demo_checklist(ftype)
    assert first == demo_checklist(ftype)
    # Mutating one result must not leak into the next call.
    checkpoints = first.departments[0].areas[0].standards[0].checkpoints
    checkpoints[0] = checkpoints[0]._replace(value=2.0)
    assert demo_checklist(ftype).departments[0].areas[0].standards[0].checkpoints[0].value is None
