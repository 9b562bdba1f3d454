"""The facility score-card PDF: what it says, in which language, and with which fonts."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

import pytest
from django.conf import settings
from django.urls import reverse

from srishti.assessments.models import Response
from srishti.assessments.services import assessment_create, responses_import
from srishti.reports.pdf import html_to_pdf
from srishti.reports.selectors import scorecard_report, top_gaps
from tests.conftest import fetch_file
from tests.factories import FacilityFactory

from .conftest import HINDI_FACILITY, HINDI_REMARK, give_answers, pdf_fonts, pdf_text


def get_pdf(client, user, assessment, language: str = "en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return fetch_file(client, reverse("report-scorecard-pdf", args=[assessment.pk]))


def test_the_score_card_is_a_pdf_shown_inline(client, cast, scored):
    response = get_pdf(client, cast.district_officer, scored)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("inline;")
    assert "private" in response["Cache-Control"]


def test_the_score_card_names_the_facility_the_score_and_the_verdict(client, cast, scored,
                                                                     tmp_path):
    text = pdf_text(get_pdf(client, cast.district_officer, scored).content, tmp_path)

    assert "Facility F" in text and "Xdistrict" in text
    assert "Certification" in text and "not certifiable" in text
    assert f"{scored.score.overall:.2f}%" in text
    assert "pooled over all checkpoints" in text
    assert f"{scored.score.mean_of_departments:.2f}%" in text  # the other figure
    assert "Dr Rao, Ms Kumari" in text
    assert "Page 1 / " in text


def test_every_criterion_is_listed_with_threshold_figure_and_failing_units(client, cast, scored,
                                                                           tmp_path):
    text = pdf_text(get_pdf(client, cast.district_officer, scored).content, tmp_path)

    criteria = scored.score.verdict["criteria"]
    for label in ("Overall score", "Every department", "Every area of concern",
                  "Critical standards (A2, B5, D10)", "Every standard"):
        assert label in text
    failing = [c for c in criteria if not c["passed"]]
    assert failing
    for criterion in failing:
        assert f"{criterion['value']:.1f}%" in text
        for shortfall in criterion["shortfalls"][:3]:
            # Each failing unit is named with the points it still needs.
            unit = shortfall["unit"]
            assert (unit if criterion["kind"] != "overall" else "Facility") in text
            if shortfall["points_missing"] is not None:
                assert f"{shortfall['obtained']:g} / {shortfall['maximum']:g}" in text


def test_a_certifiable_assessment_says_so(client, cast, demo_version, tmp_path):
    perfect = give_answers(assessment_create(facility=cast.g, version=demo_version,
                                             start_date=dt.date(2024, 6, 1)),
                           seed=1, weights=(0, 0, 1, 0))
    assert perfect.score.passed

    text = pdf_text(get_pdf(client, cast.district_officer, perfect).content, tmp_path)

    assert "certifiable" in text and "not certifiable" not in text
    assert "No checkpoint is scored below full." in text


def test_top_gaps_put_non_compliant_first_in_standard_order_then_partial(scored):
    gaps, counts = top_gaps(scored, limit=600)

    below = Response.objects.filter(assessment=scored, value__lt=2)
    assert counts["total"] == below.count() == len(gaps)
    assert counts["zero"] == below.filter(value=0).count()
    values = [g.value for g in gaps]
    assert values == sorted(values) and set(values) == {0.0, 1.0}
    zeros = [g for g in gaps if g.value == 0]
    keys = [(g.area, len(g.standard), g.standard) for g in zeros]
    assert keys == sorted(keys)
    assert any(g.standard == "D10" for g in zeros)
    assert [g.standard for g in zeros].index("D8") < [g.standard for g in zeros].index("D10")


def test_the_score_card_shows_at_most_25_gaps_with_their_remarks(client, cast, scored,
                                                                 tmp_path):
    report = scorecard_report(user=cast.district_officer, pk=scored.pk)
    assert len(report.gaps) == 25 and report.gaps_total > 25
    remarked = next(g for g in report.gaps if g.remark == "Register not maintained")

    text = pdf_text(get_pdf(client, cast.district_officer, scored).content, tmp_path)

    assert f"25 of {report.gaps_total} gaps" in text
    assert "Register not maintained" in text
    assert remarked.checkpoint[:30] in text


@pytest.fixture
def hindi(cast, demo_version):
    facility = FacilityFactory(district=cast.x, name=HINDI_FACILITY)
    assessment = assessment_create(facility=facility, version=demo_version,
                                   start_date=dt.date(2024, 5, 1))
    return give_answers(assessment, seed=4, weights=(3, 1, 1, 0), remarks=(HINDI_REMARK,))


def test_a_hindi_score_card_carries_the_devanagari_name_and_font(client, cast, hindi,
                                                                 tmp_path):
    response = get_pdf(client, cast.district_officer, hindi, language="hi")

    text = pdf_text(response.content, tmp_path)
    assert HINDI_FACILITY in text
    assert "मई 2024" in text  # the date is printed in Hindi: the report follows the language
    fonts = pdf_fonts(response.content, tmp_path)
    assert any("Devanagari" in name for name in fonts), fonts


def test_an_english_request_prints_english_dates(client, cast, hindi, tmp_path):
    text = pdf_text(get_pdf(client, cast.district_officer, hindi, language="en").content,
                    tmp_path)

    assert "1 May 2024" in text and "मई" not in text


def test_the_score_card_reads_a_fixed_number_of_queries(cast, scored,
                                                        django_assert_num_queries):
    # memberships, assessment, area titles, standard titles, score rows, gap counts, gaps
    with django_assert_num_queries(7):
        scorecard_report(user=cast.district_officer, pk=scored.pk)



def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def test_a_report_never_reads_local_files_or_urls(tmp_path):
    image = tmp_path / "secret.png"
    image.write_bytes(tiny_png())
    html = f'<p>x</p><img src="{image.as_uri()}"><img src="http://127.0.0.1:9/x.png">'

    from weasyprint import HTML

    assert b"/Subtype /Image" in HTML(string=html).write_pdf()  # WeasyPrint's default would
    assert b"/Subtype /Image" not in html_to_pdf(html)


def test_a_partly_answered_score_card_prints_departments_without_some_areas(client, cast,
                                                                          demo_version,
                                                                          tmp_path):
    # Two departments answered in different areas: the departments-by-area table has
    # cells with no score row behind them.
    assessment = assessment_create(facility=cast.f, version=demo_version, kind="internal",
                                   start_date=dt.date(2024, 5, 1))
    first, second = demo_version.departments.order_by("order")[:2]
    in_a = first.checkpoints.filter(standard__area__letter="A").order_by("order")[:3]
    in_b = second.checkpoints.filter(standard__area__letter="B").order_by("order")[:2]
    responses_import(assessment=assessment, answers=[
        *((cp.pk, 1, "partly") for cp in in_a), *((cp.pk, 2, "") for cp in in_b)])

    response = get_pdf(client, cast.district_officer, assessment)

    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    text = pdf_text(response.content, tmp_path)
    assert "Departments by area of concern" in text
    assert f"5 / {demo_version.checkpoints.count()} Checkpoints answered" in text
    assert first.name in text and second.name in text
