import json

import pytest
from django.core.exceptions import ValidationError

from srishti.assessments.services import assessment_create
from srishti.checklists.models import ChecklistVersion, Checkpoint
from srishti.cli import main
from tests.factories import FacilityFactory

DH_BLANK = "NQAS-DH-2016-blank.xlsx"


@pytest.mark.django_db
def test_dry_run_reports_the_dh_structure_and_writes_nothing(reference_workbook, capsys):
    path = reference_workbook(DH_BLANK)
    status = main(["checklist", "import", str(path), "--dry-run", "--format", "json"])
    report = json.loads(capsys.readouterr().out)

    assert status == 0
    assert len(report["departments"]) == 18
    assert {d["standards"] for d in report["departments"]} == {70}
    assert sum(d["checkpoints"] for d in report["departments"]) == 6534
    assert all(d["name"] == d["name"].strip() for d in report["departments"])
    assert "SNCU" in [d["name"] for d in report["departments"]]
    assert ChecklistVersion.objects.count() == 0


@pytest.mark.django_db
def test_import_creates_the_version_with_its_rule_set(reference_workbook, capsys):
    path = reference_workbook(DH_BLANK)
    assert main(["checklist", "import", str(path), "--version", "2016"]) == 0

    version = ChecklistVersion.objects.get()
    assert (version.tool.code, version.facility_type, version.label) == ("NQAS", "DH", "2016")
    assert version.rule_set.code == "nqas-2017-dh"
    assert version.checkpoints.count() == 6534
    assert version.departments.count() == 18
    cp = Checkpoint.objects.filter(version=version).order_by("order").first()
    assert cp.text and cp.standard.code == "A1" and cp.measurable_element is not None


@pytest.mark.django_db
def test_importing_the_same_label_twice_is_refused_and_changes_nothing(reference_workbook, capsys):
    path = reference_workbook("LaQshya-LabourRoom-2018-blank.xlsx")
    assert main(["checklist", "import", str(path), "--tool", "LAQSHYA", "--version", "v1"]) == 0
    before = Checkpoint.objects.count()
    assert main(["checklist", "import", str(path), "--tool", "LAQSHYA", "--version", "v1"]) == 2
    assert "exists already" in capsys.readouterr().err
    assert Checkpoint.objects.count() == before
    assert ChecklistVersion.objects.get().rule_set.code == "laqshya-2018"


@pytest.mark.django_db
def test_a_version_used_by_an_assessment_cannot_be_edited(demo_version):
    import datetime as dt

    checkpoint = demo_version.checkpoints.first()
    checkpoint.text = "changed before use"
    checkpoint.save()  # allowed: nobody uses the version yet
    assessment_create(facility=FacilityFactory(), version=demo_version,
                      start_date=dt.date(2024, 1, 1))
    checkpoint.text = "changed after use"
    with pytest.raises(ValidationError):
        checkpoint.save()


@pytest.mark.django_db
def test_the_aam_sc_import_keeps_its_service_tags_and_themes(reference_workbook, capsys):
    path = reference_workbook("NQAS-AAM-SC-blank.xlsx")
    assert main(["checklist", "import", str(path)]) == 0
    version = ChecklistVersion.objects.get()
    assert (version.facility_type, version.label) == ("AAM-SC", "NQAS AAM-SC")
    assert Checkpoint.objects.filter(version=version, service="All").count() == 451
    assert {"NCD", "Eye", "ENT", "Oral", "Mental", "Palliative", "SC Type B"} <= set(
        version.service_tags)
    themes = {t["number"]: t for t in version.themes}
    assert len(themes) == 12 and sum(t["mandatory"] for t in themes.values()) == 7
    # An optional theme counts where a package its checkpoints are tagged with is offered.
    assert themes[7]["services"] == ["Eye", "ENT"]
    assert themes[9]["services"] == ["Elderly", "Palliative"]
    assert themes[10]["services"] == ["Emergency"]
    assert themes[1]["services"] == []  # mandatory: counts everywhere


@pytest.mark.django_db
def test_the_dh_2019_import_keeps_its_laqshya_and_musqan_groups(reference_workbook, capsys):
    path = reference_workbook("NQAS-DH-2019-blank.xlsx")
    assert main(["checklist", "import", str(path)]) == 0
    version = ChecklistVersion.objects.get()
    assert version.label == "NQAS DH 2019 Rev-02"
    groups = {g["name"]: g for g in version.groups}
    assert sorted(groups) == ["LaQshya", "MusQan"]
    assert len(groups["LaQshya"]["departments"]) == 2
    assert len(groups["MusQan"]["departments"]) == 4
    assert all(g["rule_set"] for g in groups.values())
