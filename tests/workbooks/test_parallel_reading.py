"""Reading with several processes gives exactly what one process gives: the same
departments, warnings, header, layout and levels, and the same first error."""

from __future__ import annotations

import marshal
import os

import pytest

from srishti.workbooks import reader
from srishti.workbooks.forked import can_fork
from srishti.workbooks.parsed import (
    WorkbookError,
    department_from_plain,
    department_to_plain,
    error_from_plain,
    error_to_plain,
)
from srishti.workbooks.reader import open_workbook, read_workbook
from tests.conftest import REFERENCE_NAMES
from tests.workbooks.builders import (
    KAYAKALP_HEADER,
    area,
    kk_cp,
    kk_standard,
    me,
    standard,
    write_workbook,
)
from tests.workbooks.multisheet import (
    VARIED_DEPARTMENTS,
    department_table,
    write_departments,
    write_varied_workbook,
)

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs os.fork")

BAD_VALUES = (2, 3, "", 0, 1)  # an out-of-level 3 at row 5, column D


@pytest.fixture
def fork_always(monkeypatch):
    """Generated workbooks are tiny: let them be shared between processes all the same."""
    monkeypatch.setattr(reader, "FORK_FROM_BYTES", 0)


def children_of(reading) -> int:
    # Not part of the interface: only to make sure a test that means to fork does fork.
    return reading._forked.children


def read_in_parts(path, *, processes, parent_weight=1.0, **kwargs):
    """open_workbook as the import uses it: the departments as yielded, and the whole."""
    with open_workbook(path, processes=processes, parent_weight=parent_weight,
                       **kwargs) as reading:
        assert children_of(reading) == min(processes - 1, len(reading.sheets) - 1)
        yielded = list(reading)
    return yielded, reading.parsed


def error_facts(error: WorkbookError) -> tuple:
    return (error.__class__, str(error), error.message, error.file, error.sheet, error.row,
            error.column)


def error_of(path, **kwargs) -> WorkbookError:
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path, **kwargs)
    return caught.value


def error_in_parts(path, **kwargs) -> tuple[list, WorkbookError]:
    yielded = []
    with pytest.raises(WorkbookError) as caught, open_workbook(path, **kwargs) as reading:
        for department in reading:
            yielded.append(department)
    return yielded, caught.value


# ------------------------------------------------------------------ reference workbooks
@pytest.mark.reference
@pytest.mark.parametrize("processes", [2, 3])
@pytest.mark.parametrize("name", REFERENCE_NAMES)
def test_a_reference_workbook_reads_the_same_with_several_processes(
    reference_workbook, monkeypatch, name, processes
):
    path = reference_workbook(name)
    alone = read_workbook(path)
    monkeypatch.setattr(reader, "FORK_FROM_BYTES", 0)  # the small ones share their sheets too

    shared = read_workbook(path, processes=processes)

    assert shared == alone
    assert [d.name for d in shared.departments] == [d.name for d in alone.departments]
    assert (shared.warnings, shared.header, shared.layout, shared.levels) == (
        alone.warnings, alone.header, alone.layout, alone.levels)


@pytest.mark.reference
def test_the_district_hospital_workbook_is_big_enough_to_be_shared(reference_workbook):
    path = reference_workbook("NQAS-DH-2016-blank.xlsx")

    with open_workbook(path, processes=3, parent_weight=0.5) as reading:
        assert children_of(reading) == 2
        yielded = list(reading)

    assert len(yielded) == 18
    assert reading.parsed == read_workbook(path)


@pytest.mark.reference
@pytest.mark.parametrize("name", ["NQAS-DH-2016-filled-DH-Anuppur.xlsx",
                                  "Kayakalp-DH-SDH-CHC-2017-blank.xlsx"])
def test_departments_survive_the_trip_between_processes(reference_workbook, name):
    parsed = read_workbook(reference_workbook(name))
    assert parsed.departments

    for department in parsed.departments:
        plain = marshal.loads(marshal.dumps(department_to_plain(department)))
        assert department_from_plain(plain) == department


def test_a_generated_department_survives_the_trip_between_processes(tmp_path):
    parsed = read_workbook(write_varied_workbook(tmp_path / "book.xlsx"))
    assert [d.name for d in parsed.departments] == VARIED_DEPARTMENTS

    for department in parsed.departments:
        plain = marshal.loads(marshal.dumps(department_to_plain(department)))
        back = department_from_plain(plain)
        assert back == department
        assert back.columns == department.columns and back.sheet == department.sheet


def test_an_error_survives_the_trip_between_processes():
    error = WorkbookError("compliance value 3 is not one of 0, 1, 2", file="a.xlsx",
                          sheet="OPD ", row=5, column="D")

    back = error_from_plain(marshal.loads(marshal.dumps(error_to_plain(error))))

    assert error_facts(back) == error_facts(error)


# ------------------------------------------------------------------- generated workbooks
def test_the_varied_workbook_reads_as_intended(tmp_path):
    parsed = read_workbook(write_varied_workbook(tmp_path / "book.xlsx"))

    assert [d.name for d in parsed.departments] == VARIED_DEPARTMENTS
    assert parsed.header == {"hospital": "Alpha Hospital", "assessors": "A. Assessor"}
    assert len(parsed.warnings) == 4
    assert "'Instructions'" in parsed.warnings[0] and "skipped" in parsed.warnings[0]
    assert "XY" in parsed.warnings[1]
    assert parsed.warnings[2] == "sheet 'Old Lab': the sheet is hidden in the workbook"
    assert "'Draft'" in parsed.warnings[3] and "skipped" in parsed.warnings[3]


@pytest.mark.parametrize("parent_weight", [0, 0.5, 1])
@pytest.mark.parametrize("processes", [1, 2, 4])
def test_a_multi_sheet_workbook_reads_the_same_whatever_the_processes(
    tmp_path, fork_always, processes, parent_weight
):
    path = write_varied_workbook(tmp_path / "book.xlsx")
    alone = read_workbook(path)

    yielded, whole = read_in_parts(path, processes=processes, parent_weight=parent_weight)

    assert whole == alone
    assert yielded == alone.departments
    assert [d.name for d in yielded] == VARIED_DEPARTMENTS


@pytest.mark.parametrize("processes", [2, 8])
def test_read_workbook_with_processes_equals_one_process(tmp_path, fork_always, processes):
    path = write_varied_workbook(tmp_path / "book.xlsx")

    assert read_workbook(path, processes=processes) == read_workbook(path)


def test_each_department_is_yielded_while_the_parsed_workbook_grows(tmp_path, fork_always):
    path = write_varied_workbook(tmp_path / "book.xlsx")

    with open_workbook(path, processes=3, parent_weight=0.5) as reading:
        for count, department in enumerate(reading, start=1):
            assert reading.parsed.departments[-1] is department
            assert len(reading.parsed.departments) == count


def test_a_workbook_below_the_threshold_is_read_in_one_process(tmp_path):
    path = write_varied_workbook(tmp_path / "book.xlsx")

    with open_workbook(path, processes=4) as reading:
        assert children_of(reading) == 0
        assert list(reading) == read_workbook(path).departments


def test_a_one_sheet_workbook_is_read_by_the_parent_and_idle_children_leave(
    tmp_path, fork_always
):
    # Processes fork before the file is opened, so children may find nothing to do.
    path = write_workbook(tmp_path / "book.xlsx", {"OPD": department_table("OPD")})

    with open_workbook(path, processes=4) as reading:
        child_pids = [lane.pid for lane in reading._forked.lanes.values()]
        assert [d.name for d in reading] == ["OPD"]
        assert reading._forked.owners == [0]
    assert len(child_pids) == 3
    for pid in child_pids:  # reaped: no such process any more
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


# ---------------------------------------------------------------------------- errors
@pytest.mark.parametrize("parent_weight", [0, 0.5, 1])
@pytest.mark.parametrize("processes", [2, 3, 5])
def test_the_first_failing_sheet_wins_whatever_the_processes(
    tmp_path, fork_always, processes, parent_weight
):
    late = list(BAD_VALUES)
    late[3] = 7
    path = write_departments(tmp_path / "book.xlsx", 5, bad={2: BAD_VALUES, 4: tuple(late)})
    alone = error_of(path, name="upload.xlsx")
    assert (alone.sheet, alone.row, alone.column, alone.file) == ("D2", 5, "D", "upload.xlsx")

    yielded, shared = error_in_parts(path, processes=processes, parent_weight=parent_weight,
                                     name="upload.xlsx")

    assert error_facts(shared) == error_facts(alone)
    assert [d.name for d in yielded] == ["D1"]
    assert error_facts(error_of(path, name="upload.xlsx", processes=processes)) == (
        error_facts(alone))


@pytest.mark.parametrize("parent_weight", [0, 0.5, 1])
@pytest.mark.parametrize("processes", [1, 3])
def test_an_error_on_the_last_sheet_comes_after_every_department_before_it(
    tmp_path, fork_always, processes, parent_weight
):
    path = write_departments(tmp_path / "book.xlsx", 5, bad={5: BAD_VALUES})

    yielded, error = error_in_parts(path, processes=processes, parent_weight=parent_weight)

    assert [d.name for d in yielded] == ["D1", "D2", "D3", "D4"]
    assert (error.sheet, error.row, error.column) == ("D5", 5, "D")


@pytest.mark.parametrize("processes", [2, 3])
def test_a_checkpoint_before_any_standard_is_the_same_error_in_a_child(
    tmp_path, fork_always, processes
):
    orphan = [area("A", "Service Provision"), me("A1.1", "Text", "Orphan checkpoint", 1),
              standard("A1", "Title")]
    sheets = {"D1": department_table("D1"), "D2": department_table("D2"), "D3": orphan,
              "D4": department_table("D4", values=BAD_VALUES)}
    path = write_workbook(tmp_path / "book.xlsx", sheets)

    assert error_facts(error_of(path, processes=processes)) == error_facts(error_of(path))
    assert error_of(path).sheet == "D3"


@pytest.mark.parametrize("processes", [2, 3])
def test_a_sheet_of_another_layout_is_the_same_error_with_several_processes(
    tmp_path, fork_always, processes
):
    kayakalp = [
        KAYAKALP_HEADER,
        area("A", "Hospital Upkeep")[:4],
        kk_standard("A1", "Pest control"),
        kk_cp("A1.1", "No rodents seen", "OB", "Look around"),
        kk_cp("A1.2", "No stray animals", "OB", "Look around"),
    ]
    sheets = {"D1": department_table("D1"), "D2": department_table("D2"), "K": kayakalp,
              "D4": department_table("D4", values=BAD_VALUES)}
    path = write_workbook(tmp_path / "book.xlsx", sheets)
    alone = error_of(path)
    assert (alone.sheet, "unknown layout" in alone.message) == ("K", True)

    assert error_facts(error_of(path, processes=processes)) == error_facts(alone)


@pytest.mark.parametrize("processes", [1, 3])
def test_a_workbook_without_any_checklist_is_the_same_error_with_several_processes(
    tmp_path, fork_always, processes
):
    sheets = {"Notes": [["nothing here"]], "More": [["or here"]], "Still": [[1, 2, 3]]}
    path = write_workbook(tmp_path / "book.xlsx", sheets)

    error = error_of(path, processes=processes)

    assert error_facts(error) == error_facts(error_of(path))
    assert error.sheet is None and "unknown layout" in error.message


def test_iterating_outside_with_is_refused(tmp_path):
    path = write_varied_workbook(tmp_path / "book.xlsx")

    with pytest.raises(RuntimeError):
        list(open_workbook(path))
