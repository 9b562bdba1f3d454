"""Sparse workbooks whose cells reach absurdly far are refused before any grid is built.

calamine builds a dense grid from A1 to the farthest cell: two cells, A1 and XFD1048576,
in a 5 KB file would ask for 549 GB. Each case runs the real command in a child process
under an address-space limit, so a regression ends in a failed test, not a dead machine,
and the child's peak memory is measured.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from srishti.workbooks.parsed import WorkbookError
from srishti.workbooks.reader import read_workbook
from srishti.workbooks.sheetxml import MAX_ROWS, WorkbookXml
from tests.workbooks.builders import small_nqas_table, write_workbook

MEMORY_LIMIT_MB = 300

# Runs the command in a grandchild limited to 2 GB of address space and prints its exit
# status and peak resident memory (kB), so the measure is that command's alone.
_MEASURE = """
import resource, subprocess, sys
limit = 2 * 1024 ** 3
done = subprocess.run(
    [sys.executable, "-m", "srishti.cli", *sys.argv[1:]], capture_output=True, text=True,
    preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)))
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(done.returncode, peak)
print(done.stderr, end="")
"""


def far_workbook(path: Path, far_cell: str, sheet: str = "Labour Room") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws["A1"] = "Area of Concern - A Service Provision"
    ws[far_cell] = 1
    book.save(path)
    return path


def run_measured(*args: str) -> tuple[int, int, str]:
    done = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True,
                          text=True, timeout=120)
    first, _, stderr = done.stdout.partition("\n")
    status, peak_kb = map(int, first.split())
    return status, peak_kb, stderr


@pytest.mark.parametrize("far_cell", ["XFD1048576", "ZZ200000", "A99999", "XFD1"])
def test_a_sparse_workbook_reaching_too_far_ends_with_one_line_and_little_memory(
    tmp_path, far_cell
):
    path = far_workbook(tmp_path / "sparse.xlsx", far_cell)
    assert path.stat().st_size < 10_000

    for command in (["checklist", "import", str(path), "--dry-run"],
                    ["scorecard", str(path)]):
        status, peak_kb, stderr = run_measured(*command)

        assert status == 2, stderr
        lines = stderr.strip().splitlines()
        assert len(lines) == 1, stderr
        assert "sheet 'Labour Room'" in lines[0]
        assert "beyond what a checklist holds" in lines[0]
        assert peak_kb < MEMORY_LIMIT_MB * 1024


def test_the_extent_is_measured_from_the_cells_not_from_a_dimension_that_lies(tmp_path):
    # A <dimension> claiming A1:A1 over a cell in XFD1048576: the cells decide.
    source = far_workbook(tmp_path / "far.xlsx", "XFD1048576")
    lying = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', data)
            z.writestr(info, data)

    with pytest.raises(WorkbookError, match="row 1,048,576 and column 16,384"):
        read_workbook(lying)


def test_cells_without_references_count_by_their_place_in_the_row(tmp_path):
    # Cells may omit their reference: they then sit one after another. A row of 20,000
    # bare cells reaches column 20,000.
    path = tmp_path / "bare.xlsx"
    write_workbook(path, {"OPD": small_nqas_table()})
    with zipfile.ZipFile(path) as zin:
        members = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    sheet = next(n for n in members if n.startswith("xl/worksheets/sheet"))
    members[sheet] = members[sheet].replace(
        b"</sheetData>", b'<row r="900">' + b"<c/>" * 20_000 + b"</row></sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)

    with pytest.raises(WorkbookError, match="column 20,000"):
        read_workbook(path)


def test_an_ordinary_workbook_is_measured_without_refusal(tmp_path):
    path = write_workbook(tmp_path / "book.xlsx", {"OPD": small_nqas_table()})

    facts = WorkbookXml(str(path)).facts("OPD")

    assert facts is not None
    assert facts.rows < MAX_ROWS
    assert facts.hidden_rows == frozenset()
    assert read_workbook(path).departments[0].name == "OPD"


def test_the_limits_leave_room_for_the_largest_real_sheet(reference_workbook):
    path = reference_workbook("NQAS-DH-2016-filled-DH-Anuppur.xlsx")
    xml = WorkbookXml(str(path))
    facts = [xml.facts(name) for name in xml.sheet_names()]

    assert len(facts) == 18
    assert all(f is not None and f.rows * f.columns < 100_000 for f in facts)
