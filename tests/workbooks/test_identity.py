"""What a workbook says it is, told from its own content: tool, facility type, version,
department groups, NA switches, service tags and themes."""

from __future__ import annotations

import json
import subprocess
import sys

from openpyxl import load_workbook

from srishti.workbooks.reader import read_workbook
from tests.workbooks.builders import NQAS_HEADER, area, cp, me, standard, write_workbook


def department(title: str, *, version: str = "", switch: object = None) -> list[list[object]]:
    top: list[object] = ["National Quality Assurance Standards for District Hospitals",
                         "", "", "", "", "", version]
    second: list[object] = [f"Checklist for {title}"]
    if switch is not None:
        second = [f"Checklist for {title}", "", "", "", "", "", "NA Switch", switch]
    return [
        top,
        second,
        NQAS_HEADER,
        area("A", "Service Provision"),
        standard("A1", "Curative services"),
        me("A1.1", "General medicine", "Clinic is open", 1, "SI/OB"),
        cp("Drugs are stocked", 1, "OB"),
    ]


def test_a_dh_2019_workbook_names_its_version_and_its_programme_groups(tmp_path):
    version = "Version: DH/02/19-\nRev -02"
    path = write_workbook(tmp_path / "dh.xlsx", {
        "OPD": department("OPD", version=version),
        "Labour Room (LaQshya)": department("Labour Room", version=version),
        "M-OT (LaQshya)": department("Maternity OT", version=version),
        "SNCU_MusQan": department("SNCU", version=version),
    })

    parsed = read_workbook(path)

    assert parsed.tool == "NQAS"
    assert parsed.facility_type == "DH"
    assert parsed.version_name == "NQAS DH 2019 Rev-02"
    assert parsed.groups == [("LaQshya", ["Labour Room (LaQshya)", "M-OT (LaQshya)"]),
                             ("MusQan", ["SNCU_MusQan"])]


def test_a_workbook_of_labour_room_and_maternity_ot_only_is_laqshya(tmp_path):
    path = write_workbook(tmp_path / "lr.xlsx", {
        "Labour Room": department("Labour Room"),
        "Maternity OT": department("Maternity OT"),
    })

    parsed = read_workbook(path)

    assert parsed.tool == "LAQSHYA"
    assert parsed.groups == []  # the whole workbook is the programme
    assert parsed.version_name == "LaQshya"


def test_a_district_hospital_workbook_with_a_labour_room_is_nqas(tmp_path):
    path = write_workbook(tmp_path / "dh.xlsx", {"OPD": department("OPD"),
                                                 "Labour Room": department("Labour Room")})

    parsed = read_workbook(path)

    assert (parsed.tool, parsed.facility_type, parsed.version_name) == ("NQAS", "DH", "NQAS DH")


def test_the_na_switch_marks_a_department_not_present_and_says_so(tmp_path):
    path = write_workbook(tmp_path / "dh.xlsx", {"OPD": department("OPD", switch=1),
                                                 "NRC": department("NRC", switch="NA")})

    parsed = read_workbook(path)

    assert [(d.name, d.not_present) for d in parsed.departments] == [("OPD", False),
                                                                     ("NRC", True)]
    assert any("sheet 'NRC': its NA switch" in w for w in parsed.warnings)


def aam_sc_rows() -> list[list[object]]:
    header = ["Services Reference", "Reference No", "Area of Concern & Standards",
              "Measurable Element", "Checkpoints", "Means of Verification",
              "Assessment Method", "Compliance", "Remarks", "", ""]
    rows: list[list[object]] = [
        ["", "National Quality Assurance Standards"],
        ["", "Health & Wellness Centre - Sub Centre"],
        header,
        ["All", "", "", "Area of Concern A: Service Provision"],
        ["All", "Standard A1", "Services are available"],
    ]
    tags = ["All", "All", "NCD", "SC Type B", "All", "Eye"]
    for n in range(1, 13):
        rows.append([tags[n % 6], f"ME A1.{n}", "", f"Package {n} is offered",
                     f"Checkpoint {n}", "Records", "SI/RR", 2])
    rows.append(["All", "Standard A2", "Drugs are available"])
    rows.append(["All", "ME A2.1", "", "Drugs", "Essential drugs are stocked", "", "OB", 1])
    rows.append([])
    # The theme table: number, name, a score pooling chosen elements (formulas below).
    rows.append(["", 1, "Care in pregnancy & Childbirth"])
    rows.append(["", 2, "Oral health care"])
    rows.append(["", 3, "Drugs & Diagnostics"])
    return rows


def general_details() -> list[list[object]]:
    return [
        ["", "National Quality Assurance Standards"],
        ["", 1, "Care in pregnancy & Childbirth", "Mandatory", 2, "Oral health care."],
    ]


def aam_sc_workbook(tmp_path):
    path = write_workbook(tmp_path / "sc.xlsx", {"General Details": general_details(),
                                                 "HWC-HSC": aam_sc_rows()})
    book = load_workbook(path)
    sheet = book["HWC-HSC"]
    # Theme 1 pools ME A1.1 (row 6) and A1.3 (row 8); theme 2 ME A1.2 (row 7); theme 3
    # all of standard A2 (row 18).
    sheet["D21"] = "=(J6+J8)/(K6+K8)"
    sheet["D22"] = "=IF(G5=0,0,J7/K7)"
    sheet["D23"] = "=J18/K18"
    book.save(path)
    return path


def test_an_aam_sc_table_carries_a_service_tag_on_each_checkpoint(tmp_path):
    parsed = read_workbook(aam_sc_workbook(tmp_path))

    assert parsed.layout == "aam-sc"
    assert (parsed.tool, parsed.facility_type) == ("NQAS", "AAM-SC")
    [dep] = parsed.departments
    assert dep.columns["service"] == "A"
    checkpoints = [c for a in dep.areas for s in a.standards for c in s.checkpoints]
    assert [c.service for c in checkpoints[:4]] == ["All", "NCD", "SC Type B", "All"]
    assert sum(c.service == "All" for c in checkpoints) == 7


def test_aam_sc_themes_pool_the_elements_their_formulas_name_and_say_if_mandatory(tmp_path):
    parsed = read_workbook(aam_sc_workbook(tmp_path))

    assert [(t.number, t.name, t.mandatory, t.measurable_elements) for t in parsed.themes] == [
        (1, "Care in pregnancy & Childbirth", True, ("A1.1", "A1.3")),
        (2, "Oral health care", False, ("A1.2",)),
        # Not in the package list: no reason to call it optional.
        (3, "Drugs & Diagnostics", True, ("A2.1",)),
    ]


def dry_run(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "srishti.cli", "checklist", "import", *args, "--dry-run",
         "--format", "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_dry_run_json_gives_services_and_themes_per_department(tmp_path):
    summary = dry_run(str(aam_sc_workbook(tmp_path)))

    [dep] = summary["departments"]
    assert dep["checkpoints_by_service"] == {"All": 7, "NCD": 2, "SC Type B": 2, "Eye": 2}
    assert dep["checkpoints"] == 13
    assert [t["number"] for t in dep["themes"]] == [1, 2, 3]
    assert dep["themes"][1] == {"number": 2, "name": "Oral health care", "mandatory": False,
                                "measurable_elements": 1}
    assert summary["facility_type"] == "AAM-SC"


def test_the_tool_named_on_the_command_line_overrides_the_workbook(tmp_path):
    path = write_workbook(tmp_path / "lr.xlsx", {"Labour Room": department("Labour Room")})

    assert dry_run(str(path))["tool"] == "LAQSHYA"
    assert dry_run(str(path), "--tool", "nqas")["tool"] == "NQAS"


def test_dh_2019_dry_run_json(reference_workbook):
    summary = dry_run(str(reference_workbook("NQAS-DH-2019-blank.xlsx")))

    assert len(summary["departments"]) == 20
    assert {d["standards"] for d in summary["departments"]} == {74}
    assert summary["checkpoints"] == 7464
    assert summary["version_name"] == "NQAS DH 2019 Rev-02"
    assert [g["name"] for g in summary["groups"]] == ["LaQshya", "MusQan"]
    assert len(summary["groups"][1]["departments"]) == 4


def test_aam_sc_dry_run_json(reference_workbook):
    summary = dry_run(str(reference_workbook("NQAS-AAM-SC-blank.xlsx")))

    [dep] = summary["departments"]
    assert (dep["standards"], dep["checkpoints"]) == (50, 582)
    assert dep["checkpoints_by_service"]["All"] == 451
    assert len(dep["themes"]) == 12
    assert sum(t["mandatory"] for t in dep["themes"]) == 7


def test_dh_2016_dry_run_json_is_unchanged(reference_workbook):
    summary = dry_run(str(reference_workbook("NQAS-DH-2016-blank.xlsx")))

    assert len(summary["departments"]) == 18
    assert summary["checkpoints"] == 6534
    assert summary["warnings"] == []
    assert summary["groups"] == []
