"""The pages of running the service, in English and Hindi, in a real browser: a file made in
the background (progress, then the file), the audit log, notification choices, password
reset, and the 404 and 500 pages. No page breaks the Content-Security-Policy."""

from __future__ import annotations

import datetime as dt

import pytest

from srishti.assessments.services import assessment_create
from tests.conftest import run_jobs
from tests.factories import UserFactory

from .conftest import LAPTOP, PHONE, log_in, screenshot, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_watch(page) -> list[str]:
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text)
            if "Content Security Policy" in m.text else None)
    return seen


@pytest.fixture
def world(cast, demo_version, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cast.assessment = assessment_create(facility=cast.f, version=demo_version,
                                        start_date=dt.date(2024, 5, 1))
    return cast


@pytest.mark.parametrize("language", ["en", "hi"])
def test_a_file_is_made_in_the_background_and_offered_when_ready(new_page, world, language):
    page = new_page(viewport=LAPTOP)
    violations = csp_watch(page)
    log_in(page, "district_officer", next_url=f"/assessments/{world.assessment.pk}/")
    if language == "hi":
        switch_language(page, "hi")
    page.click("a[href$='/workbook.xlsx']")
    page.wait_for_url("**/jobs/*/")
    page.locator("progress").wait_for()
    screenshot(page, f"job-waiting-{language}")
    run_jobs()  # what `srishti worker` does; the page polls and notices
    page.locator("#job-file").wait_for(timeout=10_000)
    assert page.locator("progress").count() == 0
    screenshot(page, f"job-ready-{language}")
    with page.expect_download() as download:
        page.click("#job-file")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto("/jobs/")
    assert page.locator("#jobs tbody tr").count() == 1
    screenshot(page, f"my-files-{language}")
    assert violations == []


@pytest.mark.parametrize("language", ["en", "hi"])
def test_the_state_administrator_reads_the_audit_log(new_page, world, language):
    other = new_page()
    log_in(other, "district_officer", password="wrong-password")
    log_in(other, "district_officer")
    page = new_page(viewport=LAPTOP)
    violations = csp_watch(page)
    log_in(page, "state_admin", next_url="/audit/")
    if language == "hi":
        switch_language(page, "hi")
    rows = page.locator("#audit tbody tr").all_inner_texts()
    assert any("district_officer" in r for r in rows)
    assert page.locator("tr.audit-login_failed").count() == 1
    screenshot(page, f"audit-log-{language}")
    assert violations == []


@pytest.mark.parametrize("language", ["en", "hi"])
def test_a_person_chooses_their_notifications_on_a_phone(new_page, world, language):
    page = new_page(viewport=PHONE)
    violations = csp_watch(page)
    log_in(page, "facility_team", next_url="/notifications/")
    if language == "hi":
        switch_language(page, "hi")
    page.uncheck("input[value=expiring_certifications]")
    page.check("input[name=by_sms]")
    page.fill("input[name=phone]", "98765 43210")
    page.click("form button.primary")
    page.wait_for_load_state("networkidle")
    assert not page.is_checked("input[value=expiring_certifications]")
    assert page.input_value("input[name=phone]") == "9876543210"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, f"notification-preferences-{language}")
    assert violations == []


@pytest.mark.parametrize("language", ["en", "hi"])
def test_password_reset_pages_are_the_apps_own(new_page, db, settings, language):
    settings.SRISHTI_PASSWORD_RESET_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    UserFactory(username="meera", email="meera@example.org")
    page = new_page(viewport=PHONE, language=language)
    violations = csp_watch(page)
    page.goto("/accounts/login/")
    if language == "hi":
        switch_language(page, "hi")
    page.click("a[href='/accounts/password_reset/']")
    screenshot(page, f"password-reset-{language}")
    page.fill("input[name=email]", "meera@example.org")
    page.click("form button.primary")
    page.wait_for_url("**/password_reset/done/")
    screenshot(page, f"password-reset-sent-{language}")
    from django.core import mail

    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    page.goto(link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    page.locator("input[name=new_password1]").wait_for()
    screenshot(page, f"password-reset-choose-{language}")
    assert violations == []


@pytest.mark.parametrize("language", ["en", "hi"])
def test_the_error_pages_are_the_apps_own(new_page, world, language, monkeypatch):
    page = new_page(viewport=PHONE)
    log_in(page, "state_admin")
    if language == "hi":
        switch_language(page, "hi")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    screenshot(page, f"error-404-{language}")

    from srishti.geography import views

    def broken(*args, **kwargs):
        raise RuntimeError("a fault in the code")

    monkeypatch.setattr(views, "facility_list", broken)
    response = page.goto("/facilities/")
    assert response.status == 500
    assert "a fault in the code" not in page.content()
    screenshot(page, f"error-500-{language}")
