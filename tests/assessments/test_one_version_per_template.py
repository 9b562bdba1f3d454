"""Filled workbooks of one template go into one checklist version: assessors' edits to
texts are listed on the assessment, not made into a version per file."""

from __future__ import annotations

import datetime as dt
import itertools

from django.urls import reverse

from srishti.assessments.workbook_import import assessment_import
from srishti.checklists.models import ChecklistVersion
from srishti.demo.checklist import demo_checklist
from srishti.workbooks.reader import read_workbook
from tests.workbooks.builders import write_workbook

from .test_upload import confirm, token_of, upload, workbook_rows

DAY = dt.date(2024, 6, 10)


def edited_workbook(path, edit=None):
    """The demo DH checklist as a filled workbook, after `edit(parsed)` changed texts."""
    parsed = demo_checklist("DH")
    if edit:
        edit(parsed)
    return write_workbook(path, workbook_rows(parsed, itertools.cycle([2, 1, 0, 2, ""])))


def first_standard(parsed, department="OPD"):
    dep = next(d for d in parsed.departments if d.name == department)
    return dep.areas[0].standards[0]


def replace_a_checkpoint(parsed):
    std = first_standard(parsed)
    std.checkpoints[0] = std.checkpoints[0]._replace(text="SBA training")


def shorten_a_title_and_type_into_the_means(parsed):
    std = first_standard(parsed, "Emergency")
    std.title = std.title[:20]
    std.checkpoints[1] = std.checkpoints[1]._replace(
        means_of_verification="register seen, not updated since March")


def test_two_edited_workbooks_of_one_template_share_one_version(cast, demo_version, tmp_path):
    one = assessment_import(read_workbook(edited_workbook(tmp_path / "one.xlsx",
                                                          replace_a_checkpoint)),
                            facility=cast.f, start_date=DAY)
    two = assessment_import(read_workbook(edited_workbook(
        tmp_path / "two.xlsx", shorten_a_title_and_type_into_the_means)),
        facility=cast.g, start_date=DAY)

    assert one.version == two.version == demo_version
    assert not one.version_created and not two.version_created
    assert ChecklistVersion.objects.count() == 1
    assert (one.differences, two.differences) == (1, 2)
    listed = one.assessment.workbook_differences["listed"]
    assert [(d["sheet"], d["field"], d["workbook"]) for d in listed] == [
        ("OPD", "checkpoint", "SBA training")]
    original = first_standard(demo_checklist("DH")).checkpoints[0].text
    assert listed[0]["checklist"] == original and listed[0]["row"] > 0
    fields = sorted(d["field"] for d in two.assessment.workbook_differences["listed"])
    assert fields == ["means of verification", "standard"]
    # Every answer went in: the same 533 checkpoints, scored.
    assert one.responses == two.responses == 533
    assert one.assessment.score.checkpoints_total == 533


def test_an_identical_workbook_has_no_differences(cast, demo_version, tmp_path):
    result = assessment_import(read_workbook(edited_workbook(tmp_path / "same.xlsx")),
                               facility=cast.f, start_date=DAY)
    assert result.version == demo_version and result.differences == 0
    assert result.assessment.workbook_differences == {}


def test_another_structure_or_the_users_wish_makes_a_new_version(cast, demo_version, tmp_path):
    def add_a_checkpoint(parsed):
        std = first_standard(parsed)
        std.checkpoints.insert(1, std.checkpoints[0]._replace(text="An added checkpoint"))

    other = assessment_import(read_workbook(edited_workbook(tmp_path / "other.xlsx",
                                                            add_a_checkpoint)),
                              facility=cast.f, start_date=DAY)
    assert other.version_created and other.version != demo_version

    asked = assessment_import(read_workbook(edited_workbook(tmp_path / "asked.xlsx",
                                                            replace_a_checkpoint)),
                              facility=cast.g, start_date=DAY, new_version=True)
    assert asked.version_created and asked.differences == 0
    assert ChecklistVersion.objects.count() == 3


def test_the_upload_says_which_version_and_the_score_card_lists_the_differences(
        client, cast, demo_version, tmp_path):
    path = edited_workbook(tmp_path / "edited.xlsx", replace_a_checkpoint)
    client.force_login(cast.district_officer)
    token = token_of(upload(client, cast.f, path))
    preview = client.get(reverse("workbook-preview", args=[cast.f.pk, token]))
    assert preview.context["preview"]["version"] == demo_version
    assert preview.context["preview"]["differences"] == 1
    assert "1 text of the workbook differs from it" in preview.content.decode()
    assert 'name="tool"' in preview.content.decode()

    done = confirm(client, cast.f, token, tool="NQAS")
    card = client.get(done.url).content.decode()
    assert 'id="workbook-differences"' in card and "SBA training" in card
    assert ChecklistVersion.objects.count() == 1


def test_the_upload_takes_the_tool_the_person_chooses(client, cast, demo_version, tmp_path):
    from srishti.assessments.models import Assessment

    path = edited_workbook(tmp_path / "laqshya.xlsx")
    client.force_login(cast.district_officer)
    token = token_of(upload(client, cast.f, path))
    done = confirm(client, cast.f, token, tool="LAQSHYA")
    assessment = Assessment.objects.get(pk=int(done.url.rstrip("/").split("/")[-1]))
    assert assessment.version.tool.code == "LAQSHYA" and assessment.version != demo_version
