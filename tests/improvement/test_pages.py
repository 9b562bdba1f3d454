"""The action plan pages: bulk creation, inline status, verification, exports, queries."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import uuid
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from srishti.assessments.selectors import assessment_gaps
from srishti.improvement.models import ActionItem
from srishti.improvement.selectors import today_ist
from srishti.improvement.services import action_item_update, action_items_bulk_create
from tests.conftest import fetch_file

from .conftest import scored_assessment

S = ActionItem.Status
REPO_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def department_of(assessment, position: int = 0):
    return assessment.version.departments.order_by("order")[position]


def test_the_bulk_page_previews_the_filtered_gaps_and_creates_their_items(client, world):
    assessment = world.f.assessment
    department = department_of(assessment)
    gaps = assessment_gaps(assessment=assessment, department_id=department.pk).count()
    url = reverse("action-items-from-gaps", args=[assessment.pk])
    client.force_login(world.district_officer)

    preview = client.get(url, {"department": department.pk})
    assert preview.context["preview"].total == gaps
    assert f"Create {gaps} action items" in preview.content.decode()

    response = client.post(url, {"department": department.pk, "area": "", "standard": "",
                                 "responsible_name": "Ward sister", "due_date": "2024-08-01"},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("action-plan", args=[assessment.pk])
    assert f"{gaps} action items created." in response.content.decode()
    assert ActionItem.objects.filter(assessment=assessment,
                                     checkpoint__department=department).count() == gaps

    again = client.post(url, {"department": department.pk}, follow=True)
    assert f"0 action items created. {gaps} gaps already had one." in again.content.decode()
    assert ActionItem.objects.count() == gaps


def test_the_bulk_page_ignores_filters_that_name_nothing(client, world):
    client.force_login(world.district_officer)
    response = client.get(reverse("action-items-from-gaps", args=[world.f.assessment.pk]),
                          {"department": "999999", "area": "Z", "standard": "<b>"})
    assert response.context["selected"] == {"department": 0, "area": "", "standard": ""}
    assert response.context["preview"].total == assessment_gaps(
        assessment=world.f.assessment).count()


def test_the_single_item_page_creates_once_even_when_submitted_twice(client, world):
    assessment = world.f.assessment
    checkpoint_id = assessment_gaps(assessment=assessment).values_list("checkpoint_id",
                                                                       flat=True)[0]
    url = reverse("action-item-create", args=[assessment.pk]) + f"?checkpoint={checkpoint_id}"
    client.force_login(world.facility_team)
    assert client.get(url).status_code == 200
    data = {"client_id": str(uuid.uuid4()), "root_cause": "No SOP", "corrective_action": "Write",
            "responsible_name": "Matron", "due_date": "2024-06-30"}
    first = client.post(url, data)
    second = client.post(url, data)
    item = ActionItem.objects.get()
    assert first.url == second.url == reverse("action-item-detail", args=[item.pk])
    assert (item.root_cause, item.responsible_name, item.created_by) == (
        "No SOP", "Matron", world.facility_team)
    # Asking again for the same gap leads to the item, not to a second form.
    assert client.get(url).url == reverse("action-item-detail", args=[item.pk])


@pytest.fixture
def planned(world):
    assessment = world.f.assessment
    action_items_bulk_create(assessment=assessment, user=None,
                             department_id=department_of(assessment).pk,
                             due_date=dt.date(2024, 6, 1))
    return world


def test_the_action_plan_lists_items_and_marks_overdue_rows_with_words(client, planned):
    assessment = planned.f.assessment
    items = ActionItem.objects.filter(assessment=assessment).order_by("checkpoint__order")
    late = items[0]
    items.exclude(pk=late.pk).update(due_date=None)
    client.force_login(planned.district_officer)
    response = client.get(reverse("action-plan", args=[assessment.pk]))
    html = response.content.decode()
    page = response.context["page"]
    assert len(page.rows) == items.count() and page.counts.overdue == 1
    days = (today_ist() - dt.date(2024, 6, 1)).days
    assert f"Overdue by {days} days" in html
    assert html.count('class="ap-overdue"') == 1

    overdue_only = client.get(reverse("action-plan", args=[assessment.pk]), {"status": "overdue"})
    assert [r.item.pk for r in overdue_only.context["page"].rows] == [late.pk]


def test_the_status_filter_shows_only_that_status(client, planned):
    assessment = planned.f.assessment
    item = ActionItem.objects.filter(assessment=assessment).first()
    action_item_update(item=item, user=None, status=S.IN_PROGRESS)
    client.force_login(planned.facility_team)
    response = client.get(reverse("action-plan", args=[assessment.pk]), {"status": "in_progress"})
    assert [r.item.pk for r in response.context["page"].rows] == [item.pk]


@pytest.mark.parametrize("extra_department", [False, True])
def test_the_action_plan_runs_a_fixed_number_of_queries(client, planned, extra_department,
                                                        django_assert_num_queries):
    assessment = planned.f.assessment
    if extra_department:  # many more items, evidence-less and with evidence alike
        action_items_bulk_create(assessment=assessment, user=None,
                                 department_id=department_of(assessment, 1).pk)
    later = scored_assessment(planned.f, planned.version, seed=11, start=dt.date(2024, 9, 1))
    client.force_login(planned.state_admin)
    # session, user, memberships (read once per request), assessment, departments,
    # status counts, one page of items with their checkpoint, score and evidence count,
    # the previous assessment with an action plan (none here) ...
    with django_assert_num_queries(8):
        response = client.get(reverse("action-plan", args=[assessment.pk]))
    assert response.status_code == 200 and response.context["page"].since is None
    # ... and for the later assessment, one more: its checkpoints then and now.
    with django_assert_num_queries(9):
        response = client.get(reverse("action-plan", args=[later.pk]))
    assert response.context["page"].since.previous == assessment


def test_an_htmx_status_change_returns_the_row_and_the_counts(client, planned):
    item = ActionItem.objects.filter(assessment=planned.f.assessment).first()
    client.force_login(planned.facility_team)
    response = client.post(reverse("action-item-status", args=[item.pk]),
                           {"status": "in_progress", "filter": ""}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="item-{item.pk}"')
    assert '<option value="in_progress" selected>' in html
    assert 'id="status-nav"' in html and 'hx-swap-oob="true"' in html
    assert ActionItem.objects.get(pk=item.pk).status == S.IN_PROGRESS


def test_a_status_change_without_htmx_returns_to_the_plan_with_a_message(client, planned):
    item = ActionItem.objects.filter(assessment=planned.f.assessment).first()
    plan = reverse("action-plan", args=[planned.f.assessment.pk])
    client.force_login(planned.facility_team)
    response = client.post(reverse("action-item-status", args=[item.pk]),
                           {"status": "done", "back": "status=open&page=2&next=//evil.example/"})
    assert response.url == plan + "?status=open&page=2"
    assert client.post(reverse("action-item-status", args=[item.pk]),
                       {"status": "done", "back": "https://evil.example/"}).url == plan
    assert client.post(reverse("action-item-status", args=[item.pk]),
                       {"status": "in_progress", "back": "item"}).url == reverse(
        "action-item-detail", args=[item.pk])
    message = client.get(plan).content.decode()
    assert "Status changed to “In progress”." in message
    refused = client.post(reverse("action-item-status", args=[item.pk]),
                          {"status": "verified"}, follow=True)
    assert "Only a done item can be verified" in refused.content.decode()
    client.post(reverse("action-item-status", args=[item.pk]), {"status": "done"})
    assert client.post(reverse("action-item-status", args=[item.pk]),
                       {"status": "verified"}).status_code == 403
    assert ActionItem.objects.get(pk=item.pk).status == S.DONE


def test_the_verify_form_verifies_for_a_district_officer_and_not_for_the_facility_team(
        client, planned):
    item = ActionItem.objects.filter(assessment=planned.f.assessment).first()
    action_item_update(item=item, user=None, status=S.DONE)
    url = reverse("action-item-verify", args=[item.pk])
    client.force_login(planned.facility_team)
    assert client.post(url, {"decision": "verify", "remark": "ok"}).status_code == 403
    detail = client.get(reverse("action-item-detail", args=[item.pk])).content.decode()
    assert "Record the verification" not in detail

    client.force_login(planned.district_officer)
    assert "Record the verification" in client.get(
        reverse("action-item-detail", args=[item.pk])).content.decode()
    client.post(url, {"decision": "verify", "remark": "Seen on the ward, रजिस्टर पूरा है"})
    item.refresh_from_db()
    assert item.status == S.VERIFIED and item.verified_by == planned.district_officer
    assert item.verification_remark == "Seen on the ward, रजिस्टर पूरा है"


def test_sending_back_needs_a_remark(client, planned):
    item = ActionItem.objects.filter(assessment=planned.f.assessment).first()
    action_item_update(item=item, user=None, status=S.DONE)
    client.force_login(planned.district_officer)
    response = client.post(reverse("action-item-verify", args=[item.pk]),
                           {"decision": "send_back", "remark": " "}, follow=True)
    assert "Say what is still missing" in response.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == S.DONE


def test_the_item_page_saves_the_plan(client, planned):
    item = ActionItem.objects.filter(assessment=planned.f.assessment).first()
    client.force_login(planned.facility_team)
    response = client.post(reverse("action-item-detail", args=[item.pk]), {
        "root_cause": "Register not supplied", "corrective_action": "Indent registers",
        "responsible_name": "Store in-charge", "responsible_user": planned.facility_team.pk,
        "due_date": "2024-07-15"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.root_cause, item.corrective_action, item.responsible_name,
            item.responsible_user, item.due_date) == (
        "Register not supplied", "Indent registers", "Store in-charge", planned.facility_team,
        dt.date(2024, 7, 15))


def test_the_item_page_refuses_someone_outside_the_facility_as_responsible(client, planned):
    item = ActionItem.objects.filter(assessment=planned.f.assessment).first()
    client.force_login(planned.facility_team)
    response = client.post(reverse("action-item-detail", args=[item.pk]),
                           {"responsible_user": planned.outsider.pk})
    assert response.status_code == 200 and response.context["form"].errors
    assert ActionItem.objects.get(pk=item.pk).responsible_user is None


@pytest.fixture
def hindi_plan(planned):
    items = list(ActionItem.objects.filter(assessment=planned.f.assessment)
                 .order_by("checkpoint__order"))
    action_item_update(item=items[0], user=None, root_cause="स्टाफ़ को प्रशिक्षण नहीं मिला",
                       corrective_action="=train all staff", responsible_name="मेट्रन")
    action_item_update(item=items[1], user=None, status=S.DONE)
    action_item_update(item=items[1], user=planned.district_officer, status=S.VERIFIED,
                       verification_remark="रजिस्टर पूरा है")
    return planned, items


def test_the_excel_export_has_the_usual_columns_and_every_item(client, hindi_plan):
    world, items = hindi_plan
    client.force_login(world.district_officer)
    response = fetch_file(client, reverse("action-plan", args=[world.f.assessment.pk]),
                          {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="action-plan-')
    sheet = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header == ["No.", "Department", "Standard", "Gap", "Score", "Root cause",
                      "Corrective action", "Responsibility", "Timeline", "Status",
                      "Verification"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.column_dimensions["D"].width == 50
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(items)
    first = rows[0]
    assert first[3] == items[0].checkpoint.text
    assert first[5] == "स्टाफ़ को प्रशिक्षण नहीं मिला"
    assert first[6] == "=train all staff"  # text, not a formula
    assert first[7] == "मेट्रन"
    assert first[8].date() == dt.date(2024, 6, 1)
    assert first[9].startswith("Open — overdue by")
    assert rows[1][9] == "Verified" and "रजिस्टर पूरा है" in rows[1][10]


def pdf_objects(pdf: bytes) -> bytes:
    """Every stream of a PDF, inflated where compressed, joined: enough to look for names."""
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return b"\n".join(out)


def test_the_pdf_export_is_a_real_pdf_that_renders_hindi(client, hindi_plan, tmp_path):
    world, items = hindi_plan
    client.force_login(world.district_officer)
    response = fetch_file(client, reverse("action-plan", args=[world.f.assessment.pk]),
                          {"format": "pdf"})
    pdf = response.content
    assert response["Content-Type"] == "application/pdf"
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 20_000
    # The Devanagari font is embedded (its descriptor sits in a compressed object stream):
    # the Hindi was set in a font that has it, not dropped or boxed.
    objects = pdf_objects(pdf)
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+Noto-?Sans-?Devanagari", objects)
    # 39 items do not fit on one A4 page: WeasyPrint laid out several.
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", objects)) >= 2
    if shutil.which("pdftoppm"):
        # Rasterise the first page so a person can look at the Hindi (docs/screenshots).
        REPO_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        source = tmp_path / "action-plan.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(source), str(REPO_SCREENSHOTS / "action-plan-pdf")], check=True)
        assert (REPO_SCREENSHOTS / "action-plan-pdf.png").stat().st_size > 10_000


def test_the_facility_page_lists_open_items_soonest_first(client, planned):
    items = list(ActionItem.objects.filter(assessment=planned.f.assessment)
                 .order_by("checkpoint__order")[:3])
    ActionItem.objects.update(due_date=None)
    ActionItem.objects.filter(pk=items[0].pk).update(due_date=dt.date(2024, 9, 1))
    ActionItem.objects.filter(pk=items[1].pk).update(due_date=dt.date(2024, 5, 20))
    action_item_update(item=items[2], user=None, status=S.DONE)
    client.force_login(planned.district_officer)
    shown = client.get(reverse("facility-action-items", args=[planned.f.pk])).context["items"]
    assert [i.pk for i in shown[:2]] == [items[1].pk, items[0].pk]  # undated ones last
    assert shown[0].overdue and not shown[2].overdue
    assert items[2].pk not in {i.pk for i in shown}


def test_the_plan_pages_its_rows_and_filters_by_department(client, world, settings):
    assessment = world.f.assessment
    action_items_bulk_create(assessment=assessment, user=None)
    total = ActionItem.objects.filter(assessment=assessment).count()
    assert total > 100
    url = reverse("action-plan", args=[assessment.pk])
    client.force_login(world.district_officer)

    first = client.get(url).context["page"]
    last = client.get(url, {"page": 999}).context["page"]
    assert (first.num_pages, len(first.rows)) == (-(-total // 100), 100)
    assert last.page_number == last.num_pages and len(last.rows) == total - 100 * (
        last.num_pages - 1)
    assert {r.item.pk for r in first.rows}.isdisjoint({r.item.pk for r in last.rows})

    department = department_of(assessment, 2)
    response = client.get(url, {"department": department.pk, "status": "open"})
    page = response.context["page"]
    in_department = ActionItem.objects.filter(assessment=assessment,
                                              checkpoint__department=department).count()
    assert page.counts.total == page.shown_total == len(page.rows) == in_department
    assert {r.item.checkpoint.department_id for r in page.rows} == {department.pk}
    html = response.content.decode()
    assert f"?status=open&amp;department={department.pk}&amp;format=xlsx" in html
    assert f'name="back" value="status=open&amp;department={department.pk}"' in html

    # Exports take every row of the selection, not one page.
    sheet = load_workbook(BytesIO(fetch_file(client, url, {"format": "xlsx"}).content)).active
    assert sheet.max_row == total + 1
