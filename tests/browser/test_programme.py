"""The programme in a real Chromium: a district officer registers a training with its
attendance sheet and prints a certificate; assigns assessors, where one the rules turn
away is not offered and the page says why; opens a campaign's weekly page. Screenshots of
the new pages, in English and Hindi, from the demo."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from srishti.assessments.models import Assignment
from srishti.assessments.services import assessment_create
from srishti.programme.models import Attendance, StaffMember, Training
from tests.factories import MembershipFactory, UserFactory, register_assessor
from tests.reports.conftest import pdf_text

from .conftest import PHONE, log_in, made_file, screenshot, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def district(cast):
    """District X with a few people of its directory; the seeded rules and key roles
    (a transactional test starts without the data migrations' rows)."""
    from srishti.checklists.services import tool_get
    from srishti.programme.services import programme_rules_seed, staff_member_create

    programme_rules_seed()
    tool_get(code="NQAS")
    for name, role, place in (("Dr. Kamal Nath", "civil_surgeon", cast.x),
                              ("Dr. Asha Rani", "hospital_superintendent", cast.f),
                              ("Vinod Lal", "hospital_manager", cast.f)):
        staff_member_create(name=name, role=role, place=place)
    return cast


def test_a_district_officer_registers_a_training_with_attendance_and_prints_a_certificate(
        new_page, district, tmp_path):
    page = new_page()
    log_in(page, "district_officer", next_url="/programme/trainings/")
    page.click("text=Register a training")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=title]", "Labour room protocols")
    page.select_option("select[name=kind]", "workshop")
    page.fill("input[name=start_date]", "2025-02-10")
    page.fill("input[name=end_date]", "2025-02-11")
    page.fill("input[name=venue]", "Sadar Hospital")
    page.fill("input[name=organiser]", "District Quality Assurance Unit")
    page.fill("input[name=trainers]", "Dr Rao")
    page.locator("fieldset", has_text="Tools covered").locator("label",
                                                               has_text="National").click()
    page.click("button:has-text('Register the training')")
    page.wait_for_load_state("networkidle")
    training = Training.objects.get()
    assert training.district == district.x
    assert "Training registered" in page.locator(".messages").inner_text()

    # Invite the superintendent on the page, then fill the sheet for the rest.
    page.select_option("select[name=staff]",
                       str(StaffMember.objects.get(name="Dr. Asha Rani").pk))
    page.click("text=Add to the list")
    page.wait_for_load_state("networkidle")
    with page.expect_download() as download:
        page.click("text=Attendance sheet (Excel)")
    path = tmp_path / "attendance.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.cell(row=2, column=2).value == "Dr. Asha Rani"
    sheet.cell(row=2, column=9, value="Attended")
    sheet.cell(row=2, column=10, value=86)
    sheet.append([None, "Geeta Kumari", "गीता कुमारी", "Labour-room in-charge", None,
                  "Xdistrict", "Facility F", None, "Attended", 74])
    book.save(path)

    page.click("text=Import an attendance sheet")
    page.wait_for_load_state("networkidle")
    page.set_input_files("input[type=file]", str(path))
    page.click("text=Upload and import")
    page.wait_for_load_state("networkidle")
    assert "2 people on the sheet, 1 of them new" in page.locator(".messages").inner_text()
    assert StaffMember.objects.filter(name="Geeta Kumari", facility=district.f).exists()
    assert page.locator("table.attendance tbody tr").count() == 2
    screenshot(page, "training-detail-en")

    geeta = Attendance.objects.get(staff__name="Geeta Kumari")
    link = page.locator(f"#attendance-{geeta.pk} a", has_text="PDF")
    response = made_file(page, link.get_attribute("href"))  # printed by the worker
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body(), tmp_path)
    assert "Geeta Kumari" in text and "Certificate of participation" in text
    assert "74%" in text

    switch_language(page, "hi")
    assert "प्रशिक्षण" in page.locator("h1").inner_text() or page.locator(
        "table.attendance").is_visible()
    screenshot(page, "training-detail-hi")


def test_an_assessor_the_rules_turn_away_is_not_offered_and_the_page_says_why(
        new_page, district, demo_version):
    cast = district
    asha = MembershipFactory(user=UserFactory(username="asha", first_name="Asha",
                                              last_name="Kumari"),
                             role="assessor", district=cast.x).user
    sita = MembershipFactory(user=UserFactory(username="sita", first_name="Sita",
                                              last_name="Devi"),
                             role="assessor", state=cast.x.state).user
    register_assessor(asha, place=cast.x, level="district")
    register_assessor(sita, place=cast.y, level="state")
    assessment = assessment_create(facility=cast.f, version=demo_version, kind="state",
                                   start_date=dt.date(2025, 3, 3))
    opd = demo_version.departments.get(name="OPD")

    page = new_page()
    log_in(page, "state_admin", next_url=f"/assessments/{assessment.pk}/assign/")
    fieldset = page.locator(f"#department-{opd.pk}")
    assert fieldset.locator("label", has_text="Sita Devi").count() == 1
    assert fieldset.locator("label", has_text="Asha Kumari").count() == 0
    refused = page.locator("#not-offered li", has_text="Asha Kumari").inner_text()
    assert "from the same district (Xdistrict)" in refused
    assert "State assessment needs State level or above" in refused
    assert "source: Srishti default" in page.locator("#assessor-rules").inner_text()
    screenshot(page, "assign-assessors-en")
    fieldset.locator("label", has_text="Sita Devi").locator("input").check()
    page.click("text=Save assignments")
    page.wait_for_load_state("networkidle")
    assert list(Assignment.objects.values_list("department__name", "assessor__username")) == [
        ("OPD", "sita")]

    page.goto(f"/assessments/{assessment.pk}/assign/")
    switch_language(page, "hi")
    assert "उसी ज़िले से (Xdistrict)" in page.locator("#not-offered").inner_text()
    screenshot(page, "assign-assessors-hi")


@pytest.fixture
def demo(db):
    from srishti.demo.load import demo_load

    demo_load()


def test_the_district_officer_opens_a_campaigns_weekly_page(new_page, demo):
    page = new_page()
    log_in(page, "begusarai", password="srishti-demo", next_url="/")
    page.click("header >> text=Campaigns")
    page.wait_for_load_state("networkidle")
    page.click("text=Mission 60 days")
    page.wait_for_load_state("networkidle")
    assert page.locator("svg.chart").count() == 2
    page.click("#week-links >> text=Week 5")
    page.wait_for_load_state("networkidle")
    assert "Week 5: 16 Jan – 22 Jan 2023" in page.locator("#week h2").inner_text()
    assert "Snapshot: the figures as of 22 Jan 2023" in \
        page.locator("#figures-source").inner_text()
    # DH Begusarai's state assessment of 20 Jan is new that week; the hospital was ready
    # already after its internal assessment of October.
    row = page.locator("#week-table tbody tr")
    assert "20 Jan 2023" in row.inner_text() and "new" in row.inner_text()
    assert "94.5%" in row.inner_text() and "ready" in row.inner_text()
    # A district officer sees the district's own hospital, not the other nine.
    assert row.count() == 1

    # The running Begusarai campaign: its week in progress is live.
    page.goto("/campaigns/")
    page.click("text=Begusarai CHCs")
    page.wait_for_load_state("networkidle")
    assert page.locator("#figures-source").inner_text().startswith("Live:")
    screenshot(page, "campaign-live-en")
    switch_language(page, "hi")
    assert page.locator("#figures-source").inner_text().startswith("लाइव:")
    screenshot(page, "campaign-live-hi")


PAGES = [
    ("staff-list", "/programme/staff/"),
    ("coverage-overview", "/programme/coverage/"),
    ("assessor-register", "/programme/assessors/"),
    ("assessor-workload", "/programme/assessors/workload/?year=2023"),
    ("assessor-rules", "/programme/assessors/rules/"),
    ("training-list", "/programme/trainings/"),
    ("training-new", "/programme/trainings/add/"),
    ("campaign-list", "/campaigns/"),
]


def test_the_new_pages_in_english_and_hindi(new_page, demo):
    from srishti.campaigns.models import Campaign
    from srishti.geography.models import District
    from srishti.programme.models import StaffMember as Staff

    begusarai = District.objects.get(name="Begusarai").pk
    workshop = Training.objects.get(title="State workshop on NQAS for district hospitals").pk
    person = Staff.objects.get(account__username="begusarai").pk
    pages = [*PAGES, ("coverage-district", f"/programme/coverage/{begusarai}/"),
             ("workshop", f"/programme/trainings/{workshop}/"),
             ("staff-detail", f"/programme/staff/{person}/"),
             ("campaign-week", f"/campaigns/{Campaign.objects.get(name='Mission 60 days').pk}"
                               "/weeks/5/")]
    page = new_page()
    log_in(page, "begusarai", password="srishti-demo", next_url="/")
    for language in ("en", "hi"):
        if language == "hi":
            switch_language(page, "hi")
        for name, url in pages:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert page.locator("h1").count() == 1, url
            screenshot(page, f"{name}-{language}")
    # The directory on a phone.
    phone = new_page(viewport=PHONE, language="hi")
    log_in(phone, "begusarai", password="srishti-demo", next_url="/programme/staff/")
    switch_language(phone, "hi")
    screenshot(phone, "staff-list-hi-phone", full_page=False)


def test_the_certificate_pdf_prints_in_both_languages(new_page, demo, tmp_path):
    page = new_page()
    log_in(page, "begusarai", password="srishti-demo", next_url="/")
    workshop = Training.objects.get(title="State workshop on NQAS for district hospitals")
    row = Attendance.objects.filter(training=workshop, status="attended",
                                    staff__district__name="Begusarai").first()
    response = made_file(page, f"/programme/trainings/{workshop.pk}/certificates/{row.pk}.pdf")
    assert response.status == 200
    path = tmp_path / "certificate.pdf"
    path.write_bytes(response.body())
    # Rendered as an image for the docs, like the other printed reports.
    import shutil
    import subprocess

    from .conftest import SCREENSHOTS

    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path),
                        str(SCREENSHOTS / "certificate-pdf")], check=True)
    text = pdf_text(io.BytesIO(response.body()).getvalue(), tmp_path)
    assert "Certificate of participation" in text and "प्रमाण पत्र" in text
