"""`srishti scorecard` run as a real process, as a user runs it."""

import json
import subprocess
import sys

import pytest

ANUPPUR = "NQAS-DH-2016-filled-DH-Anuppur.xlsx"


def run(*args):
    return subprocess.run([sys.executable, "-m", "srishti.cli", "scorecard", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def anuppur_json(request):
    from tests.conftest import REFERENCE_WORKBOOKS

    path = REFERENCE_WORKBOOKS / ANUPPUR
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    done = run(str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_labour_room_scores_294_of_788(anuppur_json):
    labour = next(d for d in anuppur_json["departments"] if d["name"] == "Labour Room")
    assert (labour["obtained"], labour["maximum"]) == (294, 788)
    assert labour["score"] == round(100 * 294 / 788, 2)


def test_facility_is_pooled_with_the_mean_of_departments_beside_it(anuppur_json):
    facility = anuppur_json["facility"]
    assert facility["rule"] == "pooled"
    assert facility["score"] == 38.08
    assert facility["mean_of_departments"] == 37.18


def test_the_workbook_formula_slips_are_listed(anuppur_json):
    slips = {(s["department"], s["standard"]) for s in anuppur_json["workbook_slips"]}
    expected = {("OPD", "F4"), ("OPD", "E23"), ("IPD", "G4"), ("Labour Room", "E7"),
                ("NRC", "C6")}
    assert expected <= slips
    opd_f4 = next(s for s in anuppur_json["workbook_slips"]
                  if (s["department"], s["standard"]) == ("OPD", "F4"))
    assert opd_f4["workbook"] != opd_f4["computed"]


def test_the_verdict_lists_every_criterion_with_its_figure(anuppur_json):
    cert = anuppur_json["certification"]
    assert cert["rule_set"] == "nqas-2017-dh" and cert["verdict"] == "not certifiable"
    names = [c["name"] for c in cert["criteria"]]
    assert len(names) == 5
    overall = cert["criteria"][0]
    assert (overall["threshold"], overall["value"], overall["passed"]) == (70, 38.08, False)
    assert overall["shortfalls"][0]["points_missing"] > 0


def test_the_table_format_is_a_readable_summary(reference_workbook):
    done = run(str(reference_workbook(ANUPPUR)))
    assert done.returncode == 0
    assert "Labour Room" in done.stdout and "38.08%" in done.stdout
    assert "NOT CERTIFIABLE" in done.stdout


@pytest.mark.parametrize("content,expected", [
    (b"this is not a spreadsheet", "not"),
    (b"PK\x03\x04broken zip", "not"),
])
def test_a_file_that_is_not_a_workbook_exits_2_with_one_line(tmp_path, content, expected):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    done = run(str(path))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.xlsx" in lines[0] and expected in lines[0].lower()
    assert done.stdout == ""


def test_a_missing_file_exits_2(tmp_path):
    done = run(str(tmp_path / "absent.xlsx"))
    assert done.returncode == 2 and "absent.xlsx" in done.stderr
