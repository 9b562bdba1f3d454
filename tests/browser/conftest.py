"""Playwright driving Debian's chromium against a live server.

`make test` installs chromium when it is missing; without it these tests fail saying how
to install it (they are not skipped, so a green run always includes the browser).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary blocking calls, which Django must be told to allow.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SRISHTI_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
PASSWORD = "pass-word-123"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium "
                    "(apt-get install chromium), or run `make test`, which does")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic",
        ])
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh contexts (separate cookies), closed after the test."""
    contexts = []

    def make(viewport=LAPTOP, language="en"):
        context = browser.new_context(viewport=viewport, base_url=live_server.url,
                                      locale="hi-IN" if language == "hi" else "en-IN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, username: str, password: str = PASSWORD, next_url: str = "/") -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button.primary")
    page.wait_for_load_state("networkidle")


def switch_language(page, code: str) -> None:
    page.click(f"form.lang button[value={code}]")
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def capture_world(cast, demo_version):
    """An assessment of facility F whose Emergency department is assigned to `assessor`,
    the set-up of the capture and offline browser tests."""
    from types import SimpleNamespace

    from srishti.assessments.models import Assignment
    from srishti.assessments.services import assessment_create
    from srishti.checklists.models import Checkpoint
    from tests.factories import MembershipFactory, UserFactory

    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 5, 1))
    emergency = demo_version.departments.get(name="Emergency")
    assessor = MembershipFactory(user=UserFactory(username="assessor"), role="assessor",
                                 facility=cast.f).user
    Assignment.objects.create(assessment=assessment, department=emergency, assessor=assessor)
    return SimpleNamespace(
        cast=cast, assessment=assessment, emergency=emergency, assessor=assessor,
        overview=f"/assessments/{assessment.pk}/capture/",
        url=f"/assessments/{assessment.pk}/departments/{emergency.pk}/",
        checkpoints=list(Checkpoint.objects.filter(department=emergency).order_by("order")),
    )


def made_file(page, url: str):
    """Ask for a file as a link does, let the worker make it, and fetch it."""
    from tests.conftest import run_jobs

    job = page.request.get(url)  # redirected to the job's page
    assert "/jobs/" in job.url
    run_jobs()
    return page.request.get(job.url + "file")
