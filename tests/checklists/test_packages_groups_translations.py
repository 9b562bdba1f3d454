"""Department groups, AAM-SC service packages and themes, departments not present and
checklist content in Hindi, through the services and the database."""

from __future__ import annotations

import datetime as dt

import pytest

from srishti.assessments.models import Response
from srishti.assessments.services import (
    assessment_create,
    department_presence_set,
    responses_import,
    services_not_offered,
)
from srishti.checklists.models import Translation
from srishti.checklists.services import (
    checklist_translations_save,
    checklist_version_create,
    rule_sets_seed,
    tool_get,
)
from srishti.checklists.translations import (
    TranslationMismatch,
    match_pairs,
    match_workbook,
    read_pairs,
    texts_for,
)
from srishti.cli import main
from srishti.core.errors import DomainError
from srishti.demo.aam_sc import demo_aam_sc, demo_service_tags, demo_themes
from srishti.demo.checklist import demo_checklist
from srishti.geography.models import Facility
from srishti.geography.services import facilities_create, facility_service_profile_set
from tests.factories import StateFactory

pytestmark = pytest.mark.django_db
DATE = dt.date(2025, 1, 10)


@pytest.fixture
def state():
    rule_sets_seed()
    return StateFactory(name="Bihar")


def _facility(state, ftype, name):
    facilities_create(state=state, rows=[("Begusarai", ftype, name)])
    return Facility.objects.get(name=name)


@pytest.fixture
def aam_version(state):
    return checklist_version_create(
        parsed=demo_aam_sc("en"), tool=tool_get(code="NQAS"), facility_type="AAM-SC",
        label="AAM test", themes=demo_themes("en"), service_tags=demo_service_tags())


def _answer_all(assessment, value=2):
    ids = assessment.version.checkpoints.order_by("order").values_list("id", flat=True)
    responses_import(assessment=assessment, answers=[(pk, value, "") for pk in ids])
    assessment.refresh_from_db()
    return assessment.score


# Service tags and profile


def test_checkpoints_keep_their_normalised_service_tag(aam_version):
    tags = list(aam_version.checkpoints.order_by("order").values_list("service", flat=True))

    assert tags == [t if t != "Elderly & pallative" else "Elderly & Palliative"
                    for t in demo_service_tags()]
    assert "Elderly & Palliative" in aam_version.service_tags
    assert "All" not in aam_version.service_tags


def test_service_tags_must_match_the_checkpoints_in_number(state):
    with pytest.raises(DomainError, match="service tags"):
        checklist_version_create(parsed=demo_aam_sc("en"), tool=tool_get(code="NQAS"),
                                 facility_type="AAM-SC", label="x", service_tags=["All"])


def test_packages_the_sub_centre_does_not_offer_are_not_applicable_whatever_the_answer(
        state, aam_version):
    facility = _facility(state, "AAM-SC", "SC 1")
    facility_service_profile_set(facility=facility, services=["Eye"], subcentre_type="A")
    assessment = assessment_create(facility=facility, version=aam_version, start_date=DATE)

    stored = _answer_all(assessment, value=0)

    tags = list(aam_version.checkpoints.values_list("service", flat=True))
    not_offered = [t for t in tags if t in {"ENT", "Oral", "Elderly", "Palliative",
                                              "Emergency", "Mental", "Elderly & Palliative",
                                              "SC Type B"}]
    assert stored.maximum == 2 * (len(tags) - len(not_offered))
    assert stored.checkpoints_answered == stored.checkpoints_total == len(tags)
    assert services_not_offered(assessment) == {
        **{t: "service_not_offered" for t in ("ENT", "Oral", "Elderly", "Palliative",
                                              "Emergency", "Mental", "Elderly & Palliative")},
        "SC Type B": "type_b_only"}


def test_unanswered_checkpoints_of_packages_not_offered_count_as_answered_na(
        state, aam_version):
    facility = _facility(state, "AAM-SC", "SC 1")
    assessment = assessment_create(facility=facility, version=aam_version, start_date=DATE)

    assessment.refresh_from_db()
    optional = aam_version.checkpoints.exclude(service__in=["All", "NCD"]).count()
    assert assessment.score.checkpoints_answered == optional
    assert assessment.score.maximum == 0


def test_changing_the_profile_rescores_open_assessments(state, aam_version):
    facility = _facility(state, "AAM-SC", "SC 1")
    assessment = assessment_create(facility=facility, version=aam_version, start_date=DATE)
    before = _answer_all(assessment).maximum

    facility_service_profile_set(facility=facility, services=list(
        ("Eye", "ENT", "Oral", "Elderly", "Palliative", "Emergency", "Mental")),
        subcentre_type="B")

    assessment.refresh_from_db()
    assert assessment.score.maximum == 2 * aam_version.checkpoints.count() > before


def test_an_unknown_package_in_a_profile_is_refused(state):
    facility = _facility(state, "AAM-SC", "SC 1")
    with pytest.raises(DomainError, match="Dental"):
        facility_service_profile_set(facility=facility, services=["Dental"], subcentre_type="A")


# Themes


def test_themes_are_stored_and_scored_with_mandatory_ones_in_the_verdict(state, aam_version):
    facility = _facility(state, "AAM-SC", "SC 1")
    assessment = assessment_create(facility=facility, version=aam_version, start_date=DATE)
    ids = dict(aam_version.checkpoints.values_list("id", "measurable_element__code"))
    # Everything compliant except the NCD elements of theme 7.
    answers = [(pk, 0 if code in {"A1.4", "E1.6", "H1.1"} else 2, "") for pk, code in ids.items()]
    responses_import(assessment=assessment, answers=answers)
    assessment.refresh_from_db()

    themes = {t["number"]: t for t in assessment.score.themes}
    assert len(themes) == 12
    assert sum(t["mandatory"] for t in themes.values()) == 7
    assert themes[1]["score"] == 100
    assert themes[7]["score"] < 70
    assert themes[8]["offered"] is False and themes[8]["score"] is None
    criteria = {c["kind"]: c for c in assessment.score.verdict["criteria"]}
    assert [s["unit"] for s in criteria["mandatory_themes"]["shortfalls"]] == [
        "Non-communicable diseases"]
    assert assessment.score.rule_set == "nqas-aam-sc-2020"


def test_a_theme_naming_an_unknown_measurable_element_is_refused(state):
    themes = demo_themes("en")
    themes[0] = themes[0]._replace(measurable_elements=["Z9.9"])
    with pytest.raises(DomainError, match="Z9.9"):
        checklist_version_create(parsed=demo_aam_sc("en"), tool=tool_get(code="NQAS"),
                                 facility_type="AAM-SC", label="x", themes=themes)


# Department groups and departments not present


@pytest.fixture
def dh_version(state):
    return checklist_version_create(
        parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"), facility_type="DH",
        label="DH groups", groups=[("LaQshya", ["Labour Room"]),
                                   ("MusQan", ["Emergency", "OPD"])])


def test_groups_are_stored_with_their_programmes_rule_sets(dh_version):
    assert dh_version.groups == [
        {"name": "LaQshya", "departments": ["Labour Room"], "rule_set": "laqshya-2018"},
        {"name": "MusQan", "departments": ["Emergency", "OPD"], "rule_set": "musqan-2021"},
    ]


def test_a_group_naming_an_unknown_department_is_refused(state):
    with pytest.raises(DomainError, match="SNCU"):
        checklist_version_create(parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"),
                                 facility_type="DH", label="x", groups=[("MusQan", ["SNCU"])])


def test_group_scores_and_badges_are_stored_beside_the_facility_score(state, dh_version):
    facility = _facility(state, "DH", "DH 1")
    assessment = assessment_create(facility=facility, version=dh_version, start_date=DATE)

    stored = _answer_all(assessment)

    laqshya, musqan = stored.groups
    assert (laqshya["name"], laqshya["score"], laqshya["badge"], laqshya["passed"]) == (
        "LaQshya", 100, "platinum", True)
    assert musqan["passed"] is True and musqan["badge"] is None


def test_a_department_not_present_is_excluded_not_scored_zero(state, dh_version):
    facility = _facility(state, "DH", "DH 1")
    assessment = assessment_create(facility=facility, version=dh_version, start_date=DATE)
    ids = dh_version.checkpoints.values_list("id", "department__name")
    responses_import(assessment=assessment, answers=[
        (pk, 0 if name == "Emergency" else 2, "") for pk, name in ids])
    assessment.refresh_from_db()
    opd = dh_version.checkpoints.filter(department__name="OPD").count()
    emergency = dh_version.checkpoints.filter(department__name="Emergency").count()
    pooled = round(100 * opd / (opd + emergency), 2)
    assert assessment.score.groups[1]["score"] == pooled

    department_presence_set(assessment=assessment, department_name="Emergency",
                            present=False)

    assessment.refresh_from_db()
    assert assessment.not_present == ["Emergency"]
    assert assessment.score.overall == 100
    assert assessment.score.groups[1]["score"] == 100
    assert assessment.score.groups[1]["not_present"] == ["Emergency"]
    assert assessment.score.checkpoints_total == assessment.score.checkpoints_answered
    assert not assessment.score_rows.filter(department__name="Emergency").exists()
    assert Response.objects.filter(assessment=assessment,
                                   checkpoint__department__name="Emergency").count() > 0

    department_presence_set(assessment=assessment, department_name="Emergency", present=True)
    assessment.refresh_from_db()
    assert assessment.score.groups[1]["score"] == pooled


# Hindi content


def test_a_translated_workbook_of_the_same_structure_gives_every_text(aam_version):
    match = match_workbook(aam_version, demo_aam_sc("hi"), themes=demo_themes("hi"))

    assert match.mismatches == []
    saved = checklist_translations_save(version=aam_version, language="hi",
                                        translations=match.translations)
    aam_version.refresh_from_db()
    assert aam_version.second_language == "hi"
    checkpoint = aam_version.checkpoints.order_by("order").first()
    texts = texts_for(aam_version, language="hi")
    assert texts.primary("checkpoint", checkpoint.pk, "text", checkpoint.text) == (
        "प्रसव-पूर्व जाँच में वज़न और रक्तचाप दर्ज किया जाता है।")
    assert texts.other("checkpoint", checkpoint.pk, "text", checkpoint.text) == checkpoint.text
    english = texts_for(aam_version, language="en")
    assert english.primary("checkpoint", checkpoint.pk, "text", checkpoint.text) == (
        checkpoint.text)
    assert english.other_language == "हिन्दी"
    assert texts_for(aam_version, language="hi").primary("theme", 7, "name", "x") == (
        "गैर-संचारी रोग")
    assert saved == Translation.objects.filter(version=aam_version).count()


def test_a_workbook_whose_structure_differs_is_listed_and_nothing_written(aam_version):
    parsed = demo_aam_sc("hi")
    standard = parsed.departments[0].areas[2].standards[0]
    standard.checkpoints.pop()
    parsed.departments[0].areas[1].standards[0].code = "B9"

    match = match_workbook(aam_version, parsed)

    assert len(match.mismatches) == 2
    assert "B9" in match.mismatches[0]
    assert "C1" in match.mismatches[1]


def test_a_two_column_file_translates_by_text_and_lists_unknown_texts(aam_version):
    pairs = read_pairs("t.csv", (
        "English,Hindi\n"
        "Soap is at the wash basin.,वॉश बेसिन पर साबुन है।\n"
        "\n"
        "Look at the basin,बेसिन देखें\n").encode())
    match = match_pairs(aam_version, pairs)
    assert match.mismatches == []
    assert len(match.translations) == 2

    bad = match_pairs(aam_version, pairs + [(5, "Not a checklist text", "कुछ")])
    assert bad.mismatches == ["row 5: 'Not a checklist text' is not a text of the checklist"]


def test_a_file_with_three_columns_is_refused_with_its_row(aam_version):
    with pytest.raises(DomainError, match="row 2"):
        read_pairs("t.csv", b"a,b\nc,d,e\n")


def test_the_translate_command_writes_nothing_on_a_mismatch(aam_version, tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text("Soap is at the wash basin.,वॉश बेसिन पर साबुन है।\nNo such text,कुछ\n",
                    encoding="utf-8")

    assert main(["checklist", "translate", str(aam_version.pk), str(path)]) == 2
    assert "No such text" in capsys.readouterr().err
    assert not Translation.objects.exists()

    path.write_text("Soap is at the wash basin.,वॉश बेसिन पर साबुन है।\n", encoding="utf-8")
    assert main(["checklist", "translate", str(aam_version.pk), str(path)]) == 0
    assert Translation.objects.get().text == "वॉश बेसिन पर साबुन है।"
    assert isinstance(TranslationMismatch([]), DomainError)
