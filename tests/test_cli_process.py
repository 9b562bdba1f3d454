"""How the `srishti` console script starts and ends (`srishti.cli.run`)."""

import gc
import json
import subprocess
import sys

import pytest

from srishti import cli
from tests.workbooks.builders import small_nqas_table, write_workbook


def test_a_command_that_uses_the_database_runs_with_the_garbage_collector_on(monkeypatch):
    # `run` turns the collector off for one-shot reads of a workbook; a long-lived
    # command (the web server) must get it back, or cyclic garbage would pile up.
    monkeypatch.setattr(sys, "argv", ["srishti", "manage", "check"])
    try:
        with pytest.raises(SystemExit) as done:
            cli.run()
        assert done.value.code == 0
        assert gc.isenabled()
    finally:
        gc.enable()


def test_a_command_without_the_database_leaves_at_once_with_its_output_whole(tmp_path):
    # The scorecard ends with os._exit after flushing: the JSON must arrive whole.
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
