"""The workbook library is pure: reading, identifying and scoring a file import neither
Django nor any of the project's Django apps (they import it, never the reverse)."""

import subprocess
import sys

from tests.workbooks.builders import small_nqas_table, write_workbook

_CHECK = """
import pkgutil, sys
import srishti.workbooks as package
for module in pkgutil.walk_packages(package.__path__, "srishti.workbooks."):
    __import__(module.name)
from srishti.workbooks.reader import read_workbook
from srishti.workbooks.scorecard import score_workbook, seed_rule_set
parsed = read_workbook(sys.argv[1])
score_workbook(parsed, rule_set=seed_rule_set(tool="NQAS", facility_type="DH"))
apps = ("django", "srishti.assessments", "srishti.checklists", "srishti.geography",
        "srishti.accounts", "srishti.reports", "srishti.core")
print(sorted(m for m in sys.modules if m.split(".")[0] == "django"
             or any(m == a or m.startswith(a + ".") for a in apps[1:])))
"""


def test_the_workbook_modules_import_no_django_app(tmp_path):
    path = write_workbook(tmp_path / "book.xlsx", {"OPD": small_nqas_table()})

    done = subprocess.run([sys.executable, "-c", _CHECK, str(path)], capture_output=True,
                          text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
