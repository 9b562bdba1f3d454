"""Uploading a filled workbook through the web: preview first, write only on confirm."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from srishti.accounts.models import User
from srishti.assessments.models import Assessment, Response
from srishti.checklists.models import ChecklistVersion, Checkpoint, Department, Tool
from srishti.demo.checklist import demo_checklist
from srishti.workbooks.parsed import ParsedWorkbook
from tests.factories import MembershipFactory, UserFactory
from tests.workbooks.builders import (
    NQAS_HEADER,
    area,
    cp,
    header_block,
    me,
    small_nqas_table,
    standard,
    write_workbook,
)


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.SRISHTI_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def workbook_rows(parsed: ParsedWorkbook, values) -> dict[str, list[list[object]]]:
    """Sheets in the official layout holding `parsed`'s structure; `values` yields each
    checkpoint's compliance cell in order ("" = NA)."""
    sheets = {}
    for dep in parsed.departments:
        rows = [*header_block(hospital="Test Hospital", date="2024-06-10",
                              assessors="A. Sharma, B. Devi", assessment_type="Internal"),
                NQAS_HEADER]
        for a in dep.areas:
            rows.append(area(a.letter, a.title))
            for s in a.standards:
                rows.append(standard(s.code, s.title))
                by_me = {m.code: [c for c in s.checkpoints if c.me_code == m.code]
                         for m in s.measurable_elements}
                for m in s.measurable_elements:
                    checkpoints = by_me[m.code]
                    if not checkpoints:
                        rows.append(me(m.code, m.text))
                        continue
                    first, *rest = checkpoints
                    v = next(values)
                    rows.append(me(m.code, m.text, first.text, v, " ".join(sorted(first.methods)),
                                   first.means_of_verification, "" if v == 2 else "seen"))
                    for c in rest:
                        v = next(values)
                        rows.append(cp(c.text, v, " ".join(sorted(c.methods)),
                                       c.means_of_verification, "" if v == 2 else "seen"))
        sheets[dep.name] = rows
    return sheets


def demo_workbook(path: Path, facility_type: str = "DH") -> Path:
    """The demo checklist as a filled official workbook (scores cycle 2, 1, 0, 2, NA)."""
    return write_workbook(path, workbook_rows(demo_checklist(facility_type),
                                              itertools.cycle([2, 1, 0, 2, ""])))


def small_workbook(path: Path, *, values=(2, 1, "", 0)) -> Path:
    return write_workbook(path, {
        "OPD": [*header_block(hospital="Test Hospital", date="2024-06-10",
                              assessment_type="Internal"), *small_nqas_table(values=values)],
        "Emergency": small_nqas_table(values=(0, 2, 2, 1)),
    })


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Assessment, Response, ChecklistVersion, Department, Checkpoint, Tool)}


def upload(client, facility, path: Path, name: str | None = None):
    file = SimpleUploadedFile(name or path.name, path.read_bytes(),
                              content_type="application/octet-stream")
    return client.post(reverse("workbook-upload", args=[facility.pk]), {"workbook": file})


def token_of(response) -> str:
    match = re.search(r"/upload/\d+/([\w-]+)/$", response.url)
    assert match, response.url
    return match.group(1)


def confirm(client, facility, token, **data):
    return client.post(reverse("workbook-preview", args=[facility.pk, token]),
                       {"kind": "internal", "start_date": "2024-06-10", **data})


def test_the_upload_page_offers_the_form_to_those_who_may_create(client, cast):
    client.force_login(cast.facility_team)
    response = client.get(reverse("workbook-upload", args=[cast.f.pk]))
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_the_preview_shows_what_would_be_created_and_writes_nothing(client, cast, tmp_path,
                                                                    upload_dir):
    path = small_workbook(tmp_path / "opd.xlsx")
    client.force_login(cast.district_officer)
    before = counts()

    response = upload(client, cast.f, path)
    assert response.status_code == 302
    preview = client.get(response.url)

    assert preview.status_code == 200
    assert counts() == before
    p = preview.context["preview"]
    assert p["version"] is None  # no stored checklist has this structure: a new one
    assert [(d["name"], d["checkpoints"]) for d in p["departments"]] == [("OPD", 4),
                                                                         ("Emergency", 4)]
    # OPD 2+1+0 of 6 (one NA), Emergency 0+2+2+1 of 8: pooled 8/14.
    assert p["card"]["facility"]["obtained"] == 8 and p["card"]["facility"]["maximum"] == 14
    html = preview.content.decode()
    assert "OPD" in html and "Emergency" in html and "57.14%" in html
    assert "new NQAS DH checklist version" in html
    assert preview.context["form"]["start_date"].initial.isoformat() == "2024-06-10"
    # "Test Hospital" is not "Facility F": the person is asked to check the file.
    assert p["hospital_differs"] and 'id="hospital-differs"' in html
    # The file waits in the upload folder for the confirm, nowhere else.
    assert sorted(p.suffix for p in upload_dir.iterdir()) == [".json", ".xlsx"]


def test_confirming_creates_exactly_one_assessment_even_when_posted_twice(client, cast,
                                                                          tmp_path):
    path = small_workbook(tmp_path / "opd.xlsx")
    client.force_login(cast.facility_team)
    token = token_of(upload(client, cast.f, path))

    first = confirm(client, cast.f, token)
    second = confirm(client, cast.f, token)

    assessment = Assessment.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("assessment-detail", args=[assessment.pk])
    assert assessment.facility == cast.f and assessment.responses.count() == 8
    assert assessment.score.obtained == 8 and assessment.score.maximum == 14
    assert ChecklistVersion.objects.count() == 1
    # Opening the preview again also leads to the assessment instead of a second import.
    again = client.get(reverse("workbook-preview", args=[cast.f.pk, token]))
    assert again.url == first.url and Assessment.objects.count() == 1


def test_a_second_workbook_of_the_same_checklist_reuses_the_version(client, cast, tmp_path):
    client.force_login(cast.state_admin)
    confirm(client, cast.f, token_of(upload(client, cast.f, small_workbook(tmp_path / "a.xlsx"))))
    version = ChecklistVersion.objects.get()

    response = upload(client, cast.g, small_workbook(tmp_path / "b.xlsx", values=(0, 0, 0, 0)))
    preview = client.get(response.url)

    assert preview.context["preview"]["version"] == version
    assert "it will be reused" in preview.content.decode()
    confirm(client, cast.g, token_of(response))
    assert ChecklistVersion.objects.count() == 1 and Assessment.objects.count() == 2


def test_a_demo_shaped_workbook_reuses_the_stored_demo_checklist(client, cast, demo_version,
                                                                 tmp_path):
    client.force_login(cast.facility_team)
    preview = client.get(upload(client, cast.f, demo_workbook(tmp_path / "demo.xlsx")).url)
    p = preview.context["preview"]
    assert p["version"] == demo_version
    assert p["checkpoints"] == demo_version.checkpoints.count() == 533
    assert p["rule_set"] == demo_version.rule_set and p["card"]["certification"] is not None


def test_a_workbook_naming_the_facility_raises_no_doubt(client, cast, tmp_path):
    rows = [*header_block(hospital="facility f, Xdistrict"), *small_nqas_table()]
    client.force_login(cast.facility_team)
    preview = client.get(upload(client, cast.f, write_workbook(tmp_path / "f.xlsx",
                                                               {"OPD": rows})).url)
    assert not preview.context["preview"]["hospital_differs"]
    assert "hospital-differs" not in preview.content.decode()


def test_a_corrupt_file_shows_the_problem_and_writes_nothing(client, cast, tmp_path, upload_dir):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a real workbook" * 20)
    client.force_login(cast.facility_team)
    before = counts()

    preview = client.get(upload(client, cast.f, broken).url)

    assert preview.status_code == 200
    assert preview.context["error"]["message"].startswith("not an Excel workbook")
    assert "This workbook cannot be read" in preview.content.decode()
    assert counts() == before
    assert list(upload_dir.iterdir()) == []  # the unreadable file is not kept


def test_a_sparse_workbook_reaching_too_far_shows_one_line_and_is_not_kept(
        client, cast, tmp_path, upload_dir):
    # Two cells, A1 and XFD1048576: the grid they span would need 549 GB.
    from tests.workbooks.test_extents import far_workbook

    path = far_workbook(tmp_path / "sparse.xlsx", "XFD1048576", sheet="OPD")
    client.force_login(cast.facility_team)
    before = counts()

    preview = client.get(upload(client, cast.f, path).url)

    assert preview.status_code == 200
    assert preview.context["error"]["sheet"] == "OPD"
    assert "beyond what a checklist holds" in preview.context["error"]["message"]
    assert counts() == before
    assert list(upload_dir.iterdir()) == []


def test_an_out_of_level_value_is_located_by_sheet_row_and_column_and_writes_nothing(
        client, cast, tmp_path):
    path = small_workbook(tmp_path / "bad.xlsx", values=(2, 5, "", 0))
    client.force_login(cast.facility_team)
    before = counts()

    response = upload(client, cast.f, path)
    preview = client.get(response.url)

    error = preview.context["error"]
    # Four header rows, the table header, area, standard, the ME row: the 5 is on row 9.
    assert (error["sheet"], error["row"], error["column"]) == ("OPD", 9, "D")
    assert "compliance value 5" in error["message"]
    html = preview.content.decode()
    assert "<dd>OPD</dd>" in html and "<dd>9</dd>" in html and "<dd>D</dd>" in html
    # A confirm of the refused upload finds nothing to import.
    assert confirm(client, cast.f, token_of(response)).status_code == 404
    assert counts() == before


@pytest.mark.parametrize("name", ["scores.xls", "scores.csv", "scores.pdf"])
def test_only_xlsx_and_xlsm_files_are_accepted(client, cast, tmp_path, name, upload_dir):
    path = small_workbook(tmp_path / "x.xlsx")
    client.force_login(cast.facility_team)
    response = upload(client, cast.f, path, name=name)
    assert response.status_code == 200
    assert ".xlsx or .xlsm" in response.content.decode()
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_an_xlsm_file_is_accepted(client, cast, tmp_path):
    client.force_login(cast.facility_team)
    response = upload(client, cast.f, small_workbook(tmp_path / "x.xlsx"), name="scores.xlsm")
    assert response.status_code == 302
    assert client.get(response.url).context["preview"]["checkpoints"] == 8


def test_a_file_over_the_size_limit_is_refused(client, cast, tmp_path, settings, upload_dir):
    path = small_workbook(tmp_path / "x.xlsx")
    settings.SRISHTI_MAX_WORKBOOK_BYTES = path.stat().st_size - 1
    client.force_login(cast.facility_team)
    response = upload(client, cast.f, path)
    assert response.status_code == 200
    assert "the largest workbook accepted" in response.content.decode()
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_a_file_over_the_limit_is_never_stored_even_briefly(client, cast, tmp_path, settings,
                                                             upload_dir):
    path = small_workbook(tmp_path / "x.xlsx")
    settings.SRISHTI_MAX_WORKBOOK_BYTES = 1000  # smaller than any workbook
    client.force_login(cast.facility_team)
    response = upload(client, cast.f, path)
    assert "larger than 1000" in response.content.decode()
    assert response.context["problem"]
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_the_upload_still_checks_the_csrf_token(cast, tmp_path):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.facility_team)
    assert upload(client, cast.f, small_workbook(tmp_path / "x.xlsx")).status_code == 403


def test_an_upload_belongs_to_its_uploader_and_facility(client, cast, tmp_path):
    client.force_login(cast.state_admin)
    token = token_of(upload(client, cast.f, small_workbook(tmp_path / "x.xlsx")))
    # The same person under another facility's address: missing.
    assert client.get(reverse("workbook-preview", args=[cast.g.pk, token])).status_code == 404
    # Another person who may upload for F: missing too, and cannot confirm it.
    client.force_login(cast.district_officer)
    assert client.get(reverse("workbook-preview", args=[cast.f.pk, token])).status_code == 404
    assert confirm(client, cast.f, token).status_code == 404
    assert Assessment.objects.count() == 0


def test_a_viewer_of_the_facility_cannot_upload(client, cast, tmp_path):
    viewer = MembershipFactory(user=UserFactory(username="viewer_f"), role="viewer",
                               facility=cast.f).user
    client.force_login(viewer)
    assert client.get(reverse("workbook-upload", args=[cast.f.pk])).status_code == 404
    assert upload(client, cast.f, small_workbook(tmp_path / "x.xlsx")).status_code == 404


CREATORS = {
    "state_admin": {"f", "h"},
    "district_officer": {"f"},
    "facility_team": {"f"},
    "outsider": set(),
}


@pytest.mark.parametrize("person", sorted(CREATORS))
@pytest.mark.parametrize("target", ["f", "h"])
def test_upload_pages_answer_404_outside_the_scope(client, cast, tmp_path, person, target):
    facility = getattr(cast, target)
    client.force_login(User.objects.get(username=person))
    allowed = target in CREATORS[person]
    assert client.get(reverse("workbook-upload", args=[facility.pk])).status_code == (
        200 if allowed else 404)
    response = upload(client, facility, small_workbook(tmp_path / "x.xlsx"))
    assert response.status_code == (302 if allowed else 404)


def test_anonymous_visitors_are_sent_to_log_in(client, cast):
    response = client.get(reverse("workbook-upload", args=[cast.f.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.reference
def test_the_reference_workbook_uploads_end_to_end(client, cast, reference_workbook):
    path = reference_workbook("NQAS-DH-2016-filled-DH-Anuppur.xlsx")
    client.force_login(cast.state_admin)
    response = upload(client, cast.f, path)
    preview = client.get(response.url)
    assert preview.status_code == 200, preview.context.get("error")
    p = preview.context["preview"]
    assert p["card"]["facility"]["pooled"] == 38.08
    assert Assessment.objects.count() == 0

    confirm(client, cast.f, token_of(response))
    confirm(client, cast.f, token_of(response))

    assessment = Assessment.objects.get()
    assert round(assessment.score.pooled, 2) == 38.08
    assert assessment.responses.count() == p["checkpoints"]


def test_the_upload_form_itself_refuses_a_file_over_the_limit(settings):
    from srishti.assessments.forms import WorkbookUploadForm

    settings.SRISHTI_MAX_WORKBOOK_BYTES = 10
    form = WorkbookUploadForm(files={"workbook": SimpleUploadedFile("a.xlsx", b"x" * 11)})
    assert not form.is_valid()
    assert "the largest workbook accepted is 10" in form.errors["workbook"][0]
