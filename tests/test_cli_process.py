"""How the `srishti` console script ends: its output whole, its exit status."""

import json
import subprocess
import sys

import pytest

from tests.workbooks.builders import small_nqas_table, write_workbook


def test_a_command_without_the_database_gives_its_output_whole_and_its_status(tmp_path):
    path = write_workbook(tmp_path / "book.xlsx", {"OPD": small_nqas_table()})
    done = subprocess.run(
        [sys.executable, "-m", "srishti.cli", "scorecard", str(path), "--format", "json"],
        capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["departments"][0]["name"] == "OPD"
    missing = subprocess.run(
        [sys.executable, "-m", "srishti.cli", "scorecard", str(tmp_path / "none.xlsx")],
        capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2
    assert missing.stderr.startswith("srishti: ") and "file not found" in missing.stderr


@pytest.mark.parametrize("command", [
    ["scorecard"], ["checklist", "import", "--dry-run"], ["checklist", "import"],
    ["assessment", "import", "--facility", "Facility F"],
])
def test_a_file_that_is_no_workbook_is_refused_in_words_a_user_knows(tmp_path, command):
    path = tmp_path / "scores.xlsx"
    path.write_text("Reference,Checkpoint,Compliance\nA1.1,Signage,2\n")  # a CSV, renamed
    done = subprocess.run([sys.executable, "-m", "srishti.cli", *command, str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr == (
        f"srishti: {path}: This file is not an Excel workbook (.xlsx), or it is damaged. "
        "Open it in Excel, choose File > Save As > Excel Workbook (.xlsx), and try again "
        "with the saved file.\n")
