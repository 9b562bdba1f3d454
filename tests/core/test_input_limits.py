"""Input that once ended in a 500 or a traceback: out-of-range numbers, control characters,
over-long names and labels, oversized or malformed request bodies. Each limit is checked
before the database sees the value, with one line a user understands, the same on SQLite
and PostgreSQL (DESIGN habit 13)."""

from __future__ import annotations

import copy
import datetime as dt
import os
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from srishti.checklists.models import ChecklistVersion
from srishti.checklists.services import checklist_version_create, tool_get
from srishti.core.errors import DomainError
from srishti.demo.checklist import demo_checklist
from srishti.geography.models import Facility
from srishti.geography.services import facilities_import_csv
from tests.conftest import fetch_file

HUGE = "99999999999999999999"


@pytest.mark.parametrize("url_name", ["facility-list", "people-list"])
@pytest.mark.parametrize("value", [HUGE, "-5", "1e3", "٣"])
def test_a_district_filter_out_of_range_lists_nothing_instead_of_failing(
        client, cast, url_name, value):
    client.force_login(cast.state_admin)
    response = client.get(reverse(url_name), {"district": value})
    assert response.status_code == 200


@pytest.mark.parametrize("path", [f"/facilities/{HUGE}/", f"/people/{HUGE}/",
                                  f"/assessments/{HUGE}/"])
def test_an_object_number_out_of_range_is_not_found(client, cast, path):
    client.force_login(cast.state_admin)
    assert client.get(path).status_code == 404


def test_the_action_plan_excel_export_survives_a_pasted_control_character(world_planned):
    from srishti.improvement.exports import action_plan_xlsx
    from srishti.improvement.models import ActionItem
    from srishti.improvement.selectors import action_plan

    world = world_planned
    item = ActionItem.objects.filter(assessment=world.f.assessment).order_by("pk").first()
    # Stored before input was cleaned: the export must still work.
    ActionItem.objects.filter(pk=item.pk).update(root_cause="line one\x0bline two\x07")
    page = action_plan(user=world.district_officer, pk=world.f.assessment.pk, page=None)
    sheet = load_workbook(BytesIO(action_plan_xlsx(page))).active
    causes = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "line one\nline two" in causes


def test_a_root_cause_with_a_control_character_is_stored_without_it(world_planned):
    from srishti.improvement.models import ActionItem
    from srishti.improvement.services import action_item_update

    item = ActionItem.objects.filter(assessment=world_planned.f.assessment).first()
    action_item_update(item=item, user=None, root_cause="no\x0bregister\x00",
                       corrective_action="buy\x1b one")
    item.refresh_from_db()
    assert item.root_cause == "no\nregister"
    assert item.corrective_action == "buy one"


def test_the_gaps_excel_export_survives_a_control_character_in_a_remark(client, world_planned):
    from srishti.assessments.models import Response

    assessment = world_planned.f.assessment
    Response.objects.filter(assessment=assessment, value=0).update(remark="torn\x0bpage")
    client.force_login(world_planned.district_officer)
    response = fetch_file(client, reverse("assessment-gaps", args=[assessment.pk]),
                          {"format": "xlsx"})
    load_workbook(BytesIO(response.content))


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "facilities.csv"
    path.write_text("district,facility_type,facility_name\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return path


def test_a_facility_name_longer_than_the_limit_is_refused_with_its_line(db, tmp_path):
    path = _csv(tmp_path, ["Patna,DH,DH Patna", "Patna,PHC," + "x" * 201])
    with pytest.raises(DomainError) as error:
        facilities_import_csv(path=path, state_name="Bihar")
    assert str(error.value) == ("facilities.csv, line 3, column facility_name: 201 characters; "
                                "at most 200 are allowed")
    assert not Facility.objects.exists()


def test_a_district_name_longer_than_the_limit_is_refused_with_its_line(db, tmp_path):
    path = _csv(tmp_path, ["D" * 101 + ",DH,DH Somewhere"])
    with pytest.raises(DomainError, match="line 2, column district: 101 characters"):
        facilities_import_csv(path=path, state_name="Bihar")


def _with_long_area_title(parsed):
    parsed = copy.deepcopy(parsed)
    parsed.departments[1].areas[0].title = "T" * 230
    return parsed


def test_an_area_title_longer_than_200_characters_is_refused_before_writing(demo_version):
    parsed = _with_long_area_title(demo_checklist("DH"))
    department = parsed.departments[1]
    before = ChecklistVersion.objects.count()
    with pytest.raises(DomainError) as error:
        checklist_version_create(parsed=parsed, tool=tool_get(code="NQAS"),
                                 facility_type="DH", label="long title")
    message = str(error.value)
    assert f"sheet '{department.sheet}'" in message
    assert f"row {department.areas[0].row}" in message
    assert "area of concern title: 230 characters; at most 200 are allowed" in message
    assert ChecklistVersion.objects.count() == before


def test_a_version_label_longer_than_50_characters_is_refused(demo_version):
    with pytest.raises(DomainError, match="version label: 51 characters; at most 50"):
        checklist_version_create(parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"),
                                 facility_type="DH", label="L" * 51)
    assert not ChecklistVersion.objects.filter(label__startswith="LLL").exists()


def test_a_dead_import_leaves_no_lock_behind(tmp_path, settings):
    """The confirm lock is held by the process: when it dies (killed, out of memory), the
    next confirm proceeds at once instead of waiting ten minutes."""
    from srishti.assessments.views.upload import Upload

    settings.SRISHTI_UPLOAD_DIR = str(tmp_path)
    item = Upload("token", {"suffix": ".xlsx", "name": "w.xlsx"})
    pid = os.fork()
    if pid == 0:  # the child takes the lock and dies without releasing it
        item.lock()
        os._exit(0)
    os.waitpid(pid, 0)
    assert item.lock_path.exists()
    assert item.lock() is True
    # ...while a live holder still keeps a second confirm out.
    other = Upload("token", {"suffix": ".xlsx", "name": "w.xlsx"})
    assert other.lock() is False
    item.unlock()
    assert other.lock() is True
    other.unlock()


@pytest.fixture
def photo(cast, demo_version, settings, tmp_path):
    import uuid

    from srishti.assessments.services import assessment_create

    settings.MEDIA_ROOT = tmp_path
    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 6, 1))
    checkpoint = assessment.version.checkpoints.order_by("order").first()
    client_id = uuid.uuid4()
    return assessment, checkpoint, client_id


def test_a_photo_chunk_over_the_request_limit_is_refused_with_413(client, cast, photo):
    assessment, checkpoint, client_id = photo
    client.force_login(cast.facility_team)
    client.post(f"/api/sync/assessments/{assessment.pk}/photos", {
        "client_id": str(client_id), "checkpoint_id": checkpoint.pk, "size": 4_000_000,
        "content_type": "image/jpeg"}, content_type="application/json")
    response = client.put(f"/api/sync/photos/{client_id}/chunks?offset=0",
                          b"\xff" * (11 * 1024 * 1024), content_type="application/octet-stream")
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_a_multipart_body_without_boundary_is_a_400_not_a_500(client, cast):
    client.force_login(cast.facility_team)
    response = client.post(reverse("workbook-upload", args=[cast.f.pk]), b"--x\r\n",
                           content_type="multipart/form-data")
    assert response.status_code == 400
    response = client.post(f"/api/sync/photos/{'0' * 8}-0000-0000-0000-{'0' * 12}/complete",
                           b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code in (400, 404)


@pytest.fixture
def world_planned(cast, demo_version, settings, tmp_path):
    from srishti.improvement.services import action_items_bulk_create
    from tests.improvement.conftest import scored_assessment

    settings.MEDIA_ROOT = tmp_path
    cast.f.assessment = scored_assessment(cast.f, demo_version)
    department = cast.f.assessment.version.departments.order_by("order").first()
    action_items_bulk_create(assessment=cast.f.assessment, user=None,
                             department_id=department.pk, due_date=dt.date(2024, 6, 1))
    return cast
