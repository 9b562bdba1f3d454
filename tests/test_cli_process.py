"""How the `srishti` console script ends: its output whole, its exit status."""

import json
import subprocess
import sys

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
