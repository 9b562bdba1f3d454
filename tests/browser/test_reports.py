"""Reports in the browser: the score card's PDF link, and the printed page in both languages."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from srishti.assessments.services import assessment_create, responses_import
from tests.conftest import run_jobs
from tests.factories import FacilityFactory

from .conftest import SCREENSHOTS, log_in, made_file, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scored_facility(cast, version, name: str, remarks: tuple[str, ...]):
    facility = FacilityFactory(district=cast.x, name=name)
    assessment = assessment_create(facility=facility, version=version, kind="district",
                                   start_date=dt.date(2024, 5, 1), assessor_names="Dr Rao")
    rng = random.Random(11)
    ids = version.checkpoints.order_by("order").values_list("id", flat=True)
    responses_import(assessment=assessment, answers=[
        (cid, rng.choice([0, 1, 2, 2, 2, None]), rng.choice(remarks)) for cid in ids])
    return assessment


def rasterise_first_page(pdf: bytes, name: str) -> Path:
    """Save page 1 of a PDF as docs/screenshots/<name>.png (poppler's pdftoppm)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is missing (apt-get install poppler-utils): the PDF was "
                    f"checked but {name}.png was not saved")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(source), str(SCREENSHOTS / name)], check=True)
    return SCREENSHOTS / f"{name}.png"


@pytest.fixture
def version(transactional_db):
    """The demo checklist with its certification rule set: a transactional test starts
    from an empty database, without the rule sets the migrations seeded."""
    from srishti.checklists.services import checklist_version_create, rule_sets_seed, tool_get
    from srishti.demo.checklist import demo_checklist

    rule_sets_seed()
    return checklist_version_create(parsed=demo_checklist("DH"), tool=tool_get(code="NQAS"),
                                    facility_type="DH", label="test")


def test_the_pdf_link_on_the_score_card_serves_a_pdf(new_page, cast, version):
    assessment = scored_facility(cast, version, "District Hospital Begusarai",
                                 ("", "Register not maintained"))
    page = new_page()
    log_in(page, "district_officer", next_url=f"/assessments/{assessment.pk}/")

    # The PDF is made in the background: the link leads to its job's page, which offers
    # the file once the worker made it.
    page.click("p.downloads a[href$='/scorecard.pdf']")
    page.wait_for_url("**/jobs/*/")
    run_jobs()
    page.locator("#job-file").wait_for(timeout=10_000)
    with page.expect_response(lambda r: r.url.endswith("/file")) as info:
        page.click("#job-file")
    response = info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    # Shown inline: the browser opens it in its PDF viewer, on the file's address.
    page.wait_for_url("**/file")


def test_the_printed_score_card_in_english_and_hindi(new_page, cast, version):
    english = scored_facility(cast, version, "District Hospital Begusarai",
                              ("", "Register not maintained"))
    hindi = scored_facility(cast, version, "जिला अस्पताल बेगूसराय",
                            ("", "प्रसव कक्ष में स्वच्छता की कमी"))
    page = new_page()
    log_in(page, "district_officer", next_url=f"/assessments/{english.pk}/")
    english_pdf = made_file(page, f"/reports/assessments/{english.pk}/scorecard.pdf")
    switch_language(page, "hi")
    hindi_pdf = made_file(page, f"/reports/assessments/{hindi.pk}/scorecard.pdf")

    for response in (english_pdf, hindi_pdf):
        assert response.status == 200 and response.body().startswith(b"%PDF-")
    assert hindi.score.verdict["criteria"]  # the printed page shows a verdict
    # The same download for someone outside the district is missing, not forbidden.
    other = new_page()
    from tests.factories import MembershipFactory, UserFactory

    MembershipFactory(user=UserFactory(username="officer_y"), district=cast.y)
    log_in(other, "officer_y")
    assert other.request.get(f"/reports/assessments/{hindi.pk}/scorecard.pdf").status == 404

    assert rasterise_first_page(english_pdf.body(), "scorecard-pdf-en").stat().st_size > 10_000
    assert rasterise_first_page(hindi_pdf.body(), "scorecard-pdf-hi").stat().st_size > 10_000
