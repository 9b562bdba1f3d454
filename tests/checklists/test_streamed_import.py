"""A checklist imported while its workbook is still being read (streamed, in batches, with
child processes parsing sheets) is row for row the one imported from a whole reading."""

from __future__ import annotations

import pytest

from srishti.checklists import services
from srishti.checklists.models import (
    AreaOfConcern,
    ChecklistVersion,
    Checkpoint,
    Department,
    MeasurableElement,
    Standard,
)
from srishti.cli import main
from srishti.workbooks import forked, reader
from srishti.workbooks.forked import can_fork
from srishti.workbooks.importers import checklist_import
from srishti.workbooks.parsed import WorkbookError
from srishti.workbooks.reader import open_workbook, read_workbook
from tests.workbooks.multisheet import (
    VARIED_DEPARTMENTS,
    write_departments,
    write_varied_workbook,
)

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not can_fork(), reason="needs os.fork")]

DH_BLANK = "NQAS-DH-2016-blank.xlsx"
BAD_VALUES = (2, 3, "", 0, 1)  # an out-of-level 3 at row 5, column D


@pytest.fixture
def fork_always(monkeypatch):
    """Generated workbooks are tiny: let them be shared between processes all the same."""
    monkeypatch.setattr(reader, "FORK_FROM_BYTES", 0)


def hierarchy(version: ChecklistVersion) -> dict[str, list[tuple]]:
    """Every row of a version, by value, in order (ids left out)."""
    return {
        "departments": list(Department.objects.filter(version=version)
                            .order_by("order").values_list("name", "order")),
        "areas": list(AreaOfConcern.objects.filter(department__version=version)
                      .order_by("department__order", "order")
                      .values_list("department__name", "department__order", "letter",
                                   "title", "order")),
        "standards": list(Standard.objects.filter(area__department__version=version)
                          .order_by("area__department__order", "area__order", "order")
                          .values_list("area__department__order", "area__letter", "code",
                                       "title", "order")),
        "measurable_elements": list(
            MeasurableElement.objects.filter(standard__area__department__version=version)
            .order_by("standard__area__department__order", "standard__area__order",
                      "standard__order", "order")
            .values_list("standard__area__department__order", "standard__code", "code",
                         "text", "order")),
        "checkpoints": list(Checkpoint.objects.filter(version=version).order_by("order")
                            .values_list("department__name", "department__order",
                                         "standard__code", "standard__area__letter",
                                         "measurable_element__code", "code", "text",
                                         "methods", "means_of_verification", "order",
                                         "source_row", "levels")),
    }


def import_whole(path, label: str = "p") -> ChecklistVersion:
    _, version = checklist_import(read_workbook(path), tool=None, facility_type="DH",
                                  label=label)
    return version


def import_streamed(path, label: str = "s", *, processes: int = 2,
                    parent_weight: float = 0.5) -> tuple[dict, ChecklistVersion]:
    with open_workbook(path, processes=processes, parent_weight=parent_weight) as reading:
        assert reading._forked.children == min(processes - 1, len(reading.sheets) - 1)
        return checklist_import(reading, tool=None, facility_type="DH", label=label)


def assert_same_version(streamed: ChecklistVersion, whole: ChecklistVersion) -> None:
    assert streamed.pk != whole.pk
    streamed.refresh_from_db()
    whole.refresh_from_db()
    assert streamed.structure_hash == whole.structure_hash != ""
    assert (streamed.tool_id, streamed.facility_type, streamed.levels, streamed.rule_set_id,
            streamed.overall_rule, streamed.source_file) == (
        whole.tool_id, whole.facility_type, whole.levels, whole.rule_set_id,
        whole.overall_rule, whole.source_file)
    assert hierarchy(streamed) == hierarchy(whole)


@pytest.mark.reference
@pytest.mark.parametrize("batch", [None, 5])
def test_the_dh_workbook_imported_streamed_equals_the_whole_import(
    reference_workbook, monkeypatch, batch
):
    path = reference_workbook(DH_BLANK)
    if batch is not None:
        monkeypatch.setattr(services, "STREAMED_BATCH", batch)

    summary, streamed = import_streamed(path)
    whole = import_whole(path)

    assert_same_version(streamed, whole)
    assert streamed.departments.count() == 18
    assert streamed.checkpoints.count() == sum(d["checkpoints"] for d in summary["departments"])


@pytest.mark.parametrize("batch", [1, 2, 5, 100])
@pytest.mark.parametrize(("processes", "parent_weight"), [(1, 1.0), (2, 0.5), (4, 0), (4, 1)])
def test_a_generated_workbook_imported_streamed_equals_the_whole_import(
    tmp_path, fork_always, monkeypatch, batch, processes, parent_weight
):
    monkeypatch.setattr(services, "STREAMED_BATCH", batch)
    path = write_varied_workbook(tmp_path / "book.xlsx")

    summary, streamed = import_streamed(path, processes=processes, parent_weight=parent_weight)
    whole = import_whole(path)

    assert_same_version(streamed, whole)
    assert [d.name for d in streamed.departments.order_by("order")] == VARIED_DEPARTMENTS
    assert streamed.checkpoints.count() == 5 * 5
    assert summary["warnings"] == read_workbook(path).warnings


def test_the_streamed_summary_equals_the_whole_one(tmp_path, fork_always):
    path = write_varied_workbook(tmp_path / "book.xlsx")

    streamed_summary, _ = import_streamed(path, processes=3)
    whole_summary, _ = checklist_import(read_workbook(path), tool=None, facility_type="DH",
                                        label="p")

    assert streamed_summary == whole_summary


def test_a_streamed_dry_run_writes_nothing_and_reports_the_same(tmp_path, fork_always):
    path = write_varied_workbook(tmp_path / "book.xlsx")

    with open_workbook(path, processes=3, parent_weight=0.5) as reading:
        summary, version = checklist_import(reading, tool=None, facility_type="DH",
                                            label="d", dry_run=True)

    assert version is None
    assert ChecklistVersion.objects.count() == 0
    assert summary == checklist_import(read_workbook(path), tool=None, facility_type="DH",
                                       label="d", dry_run=True)[0]


@pytest.mark.parametrize(("processes", "parent_weight"), [(1, 1.0), (2, 0.5), (3, 0)])
def test_a_bad_late_sheet_rolls_back_the_batches_already_written(
    tmp_path, fork_always, monkeypatch, processes, parent_weight
):
    monkeypatch.setattr(services, "STREAMED_BATCH", 2)
    path = write_departments(tmp_path / "book.xlsx", 7, bad={6: BAD_VALUES})
    written: list[str] = []
    real_insert_new_rows = services.insert_new_rows

    def recording_insert_new_rows(model, names, rows, **constants):
        if model is Department:
            written.extend(row[names.index("name")] for row in rows)
        return real_insert_new_rows(model, names, rows, **constants)

    monkeypatch.setattr(services, "insert_new_rows", recording_insert_new_rows)

    with pytest.raises(WorkbookError) as caught:
        import_streamed(path, processes=processes, parent_weight=parent_weight)

    assert (caught.value.sheet, caught.value.row, caught.value.column) == ("D6", 5, "D")
    # At least D1-D4 (two full batches) were written before D6 failed; all rolled back.
    assert written[:4] == ["D1", "D2", "D3", "D4"]
    assert ChecklistVersion.objects.count() == 0
    assert Department.objects.count() == 0
    assert AreaOfConcern.objects.count() == 0
    assert Standard.objects.count() == 0
    assert MeasurableElement.objects.count() == 0
    assert Checkpoint.objects.count() == 0


def test_the_cli_import_streams_the_same_checkpoints_as_the_service(
    tmp_path, fork_always, monkeypatch, capsys
):
    monkeypatch.setattr(forked, "usable_cpus", lambda: 3)  # fork on a one-CPU machine too
    path = write_varied_workbook(tmp_path / "book.xlsx")

    assert main(["checklist", "import", str(path), "--version", "x"]) == 0
    assert "OPD" in capsys.readouterr().out

    streamed = ChecklistVersion.objects.get(label="x")
    assert_same_version(streamed, import_whole(path))


def test_the_cli_import_of_a_bad_workbook_reports_the_first_bad_sheet_and_writes_nothing(
    tmp_path, fork_always, monkeypatch, capsys
):
    monkeypatch.setattr(services, "STREAMED_BATCH", 1)
    path = write_departments(tmp_path / "book.xlsx", 6, bad={4: BAD_VALUES, 6: BAD_VALUES})

    assert main(["checklist", "import", str(path), "--version", "x"]) == 2

    assert capsys.readouterr().err.strip() == (
        f"srishti: {path}, sheet 'D4', row 5, column D: compliance value 3 is not one of "
        "0, 1, 2 (blank or NA = not applicable)")
    assert ChecklistVersion.objects.count() == 0
    assert Department.objects.count() == 0
    assert Checkpoint.objects.count() == 0
