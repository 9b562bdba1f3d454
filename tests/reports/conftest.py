from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess

import pytest

from srishti.assessments.services import assessment_create, responses_import

HINDI_FACILITY = "जिला अस्पताल अनूपपुर"
HINDI_REMARK = "प्रसव कक्ष में स्वच्छता की कमी"


def give_answers(assessment, *, seed: int, weights=(1, 1, 3, 1), remarks=("", "r")):
    """Answer every checkpoint: 0, 1, 2 or NA with the given weights."""
    rng = random.Random(seed)
    ids = list(assessment.version.checkpoints.order_by("order").values_list("id", flat=True))
    responses_import(assessment=assessment, answers=[
        (cid, rng.choices([0, 1, 2, None], weights=weights)[0], rng.choice(remarks))
        for cid in ids])
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def scored(cast, demo_version):
    """An assessment of facility F with every kind of answer; not certifiable."""
    assessment = assessment_create(facility=cast.f, version=demo_version, kind="internal",
                                   start_date=dt.date(2024, 5, 1),
                                   assessor_names="Dr Rao, Ms Kumari")
    return give_answers(assessment, seed=3, remarks=("", "Register not maintained",
                                                     HINDI_REMARK))


def pdf_text(data: bytes, tmp_path) -> str:
    """The PDF's text as poppler's pdftotext reads it, runs of white space made one space
    (a table cell's text wraps onto several lines). Skips when poppler is missing."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing: apt-get install poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return " ".join(text.split())


def pdf_fonts(data: bytes, tmp_path) -> list[str]:
    """Names of the fonts embedded in the PDF, from poppler's pdffonts."""
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts is missing: apt-get install poppler-utils")
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    # "ABCDEF+Noto-Sans-Devanagari  CID TrueType  Identity-H  yes yes yes  24  0"
    return [line.split()[0].split("+")[-1] for line in lines if line.strip()]
