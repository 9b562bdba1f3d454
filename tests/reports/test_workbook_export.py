"""Export to the official workbook layout, and back: the answers survive unchanged."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict

import openpyxl
import pytest

from srishti.assessments.models import Response
from srishti.assessments.services import assessment_create, responses_import
from srishti.assessments.workbook_import import assessment_import
from srishti.checklists.services import checklist_version_create, tool_get
from srishti.reports.workbook import assessment_workbook
from srishti.workbooks.audit import workbook_slips
from srishti.workbooks.reader import read_workbook
from tests.factories import FacilityFactory

ANUPPUR = "NQAS-DH-2016-filled-DH-Anuppur.xlsx"
KAYAKALP_BLANK = "Kayakalp-DH-SDH-CHC-2017-blank.xlsx"

REMARKS = ["", "", "Register not maintained", "प्रसव कक्ष में स्वच्छता की कमी",
           "=1+1 looks like a formula", "two\nlines"]


def answered(assessment, *, seed: int = 7, levels=(0, 1, 2, None)):
    """Give every checkpoint a varied answer (NA included) and a varied remark."""
    rng = random.Random(seed)
    ids = list(assessment.version.checkpoints.order_by("order").values_list("id", flat=True))
    responses_import(assessment=assessment, answers=[
        (cid, rng.choice(levels), rng.choice(REMARKS)) for cid in ids])
    assessment.refresh_from_db()
    return assessment


def answers(assessment) -> dict[tuple[str, str, int], tuple[object, str]]:
    """{(department, standard, position in the standard): (value, remark)}."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    out = {}
    for dep, std, value, remark in (Response.objects.filter(assessment=assessment)
                                    .order_by("checkpoint__order")
                                    .values_list("checkpoint__department__name",
                                                 "checkpoint__standard__code", "value", "remark")):
        seen[dep, std] += 1
        out[dep, std, seen[dep, std]] = (None if value is None else float(value), remark)
    return out


def export_and_read(assessment, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(assessment_workbook(assessment))
    return path, read_workbook(path)


def reimport(parsed, district, facility_type="DH"):
    facility = FacilityFactory(district=district, facility_type=facility_type,
                               name="Round trip hospital")
    return assessment_import(parsed, facility=facility, start_date=dt.date(2024, 6, 1))


@pytest.fixture
def varied(cast, demo_version):
    assessment = assessment_create(facility=cast.f, version=demo_version, kind="district",
                                   start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 5, 3),
                                   assessor_names="Dr Rao, Ms Kumari")
    return answered(assessment)


def test_export_then_import_gives_identical_answers_and_remarks(varied, cast, tmp_path):
    _, parsed = export_and_read(varied, tmp_path)

    result = reimport(parsed, cast.x)

    original = answers(varied)
    assert len(original) == varied.version.checkpoints.count() == 533
    assert answers(result.assessment) == original
    # The same structure comes back, so the import reuses the same checklist version.
    assert result.version == varied.version and not result.version_created
    assert result.assessment.score.overall == varied.score.overall


def test_the_export_spans_all_levels_na_and_remarks(varied):
    values = {v for v, _ in answers(varied).values()}
    remarks = {r for _, r in answers(varied).values()}
    assert values == {0.0, 1.0, 2.0, None}
    assert "प्रसव कक्ष में स्वच्छता की कमी" in remarks and "=1+1 looks like a formula" in remarks


def test_the_exported_totals_agree_with_the_answers(varied, tmp_path):
    _, parsed = export_and_read(varied, tmp_path)

    standards = [s for d in parsed.departments for a in d.areas for s in a.standards]
    # Every standard carries its totals (the formulas' values), so "no slips" means
    # they were compared and agree, not that nothing was there to compare.
    assert standards and all(s.workbook_obtained is not None and s.workbook_maximum is not None
                             for s in standards)
    assert workbook_slips(parsed) == []
    assert not [w for w in parsed.warnings if "unrecognised" in w or "unknown" in w]


def test_the_export_has_one_sheet_per_department_with_the_header_block(varied, tmp_path):
    path, parsed = export_and_read(varied, tmp_path)

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(varied.version.departments.order_by("order")
                                   .values_list("name", flat=True))
    assert parsed.header["hospital"] == "Facility F"
    assert parsed.header["assessors"] == "Dr Rao, Ms Kumari"
    assert parsed.header["date_of_assessment"].startswith("2024-05-01")
    assert parsed.header["assessment_type"] == "District"
    assert [d.columns for d in parsed.departments][0] == {
        "ref": "A", "me_text": "B", "text": "C", "compliance": "D", "method": "E", "mov": "F",
        "remark": "G", "obtained": "H", "maximum": "I"}


def test_a_remark_that_looks_like_a_formula_stays_text(varied, tmp_path):
    path, _ = export_and_read(varied, tmp_path)

    sheet = openpyxl.load_workbook(path).worksheets[0]
    remarks = [row[6] for row in sheet.iter_rows(values_only=True)]
    assert "=1+1 looks like a formula" in remarks


def _cell(sheet, ref: str):
    return sheet[ref].value


def _evaluate(sheet, formula: str) -> float | str:
    """Evaluate the few formula shapes the export writes (SUM, COUNT*n, IF(..=0,"NA",a/b))."""
    def values(span: str) -> list[float]:
        out = []
        for part in span.split(","):
            if ":" in part:
                rows = sheet[part]
                cells = [c for row in rows for c in row]
            else:
                cells = [sheet[part]]
            for c in cells:
                v = c.value
                if c.data_type == "f":
                    v = _evaluate(sheet, v[1:])
                if isinstance(v, int | float):
                    out.append(float(v))
        return out

    if m := re.fullmatch(r"SUM\(([^()]*)\)", formula):
        return sum(values(m.group(1)))
    if m := re.fullmatch(r"COUNT\(([^()]*)\)\*([\d.]+)", formula):
        return len(values(m.group(1))) * float(m.group(2))
    if m := re.fullmatch(r"[A-Z]+\d+", formula):
        return values(formula)[0]
    if m := re.fullmatch(r'IF\((.+)=0,"NA",(.+)/(.+)\)', formula):
        total = _evaluate(sheet, m.group(3))
        return "NA" if total == 0 else _evaluate(sheet, m.group(2)) / total
    raise AssertionError(f"unexpected formula {formula}")


def test_every_formula_computes_the_value_written_beside_it(varied, tmp_path):
    path, _ = export_and_read(varied, tmp_path)

    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    checked = 0
    for sheet in formulas.worksheets:
        cached = values[sheet.title]
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    expected = cached[cell.coordinate].value
                    got = _evaluate(sheet, cell.value[1:])
                    assert got == pytest.approx(expected), (sheet.title, cell.coordinate)
                    checked += 1
    assert checked > 100


def test_the_department_score_on_the_sheet_is_the_stored_one(varied, tmp_path):
    path, _ = export_and_read(varied, tmp_path)

    sheet = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    department = varied.version.departments.order_by("order").first()
    stored = varied.score_rows.get(department=department, level="department").score
    assert sheet["F10"].value * 100 == pytest.approx(stored)


@pytest.mark.reference
def test_the_anuppur_workbook_survives_export_and_import(reference_workbook, cast, tmp_path):
    imported = assessment_import(read_workbook(reference_workbook(ANUPPUR)), facility=cast.f,
                                 start_date=dt.date(2023, 3, 1)).assessment
    _, parsed = export_and_read(imported, tmp_path)

    assert workbook_slips(parsed) == []
    again = reimport(parsed, cast.x)
    original = answers(imported)
    assert len(original) > 1000
    assert answers(again.assessment) == original
    assert again.version == imported.version
    assert again.assessment.score.pooled == pytest.approx(38.08, abs=0.005)


@pytest.mark.reference
def test_a_kayakalp_assessment_exports_in_the_kayakalp_layout(reference_workbook, cast,
                                                              tmp_path):
    version = checklist_version_create(parsed=read_workbook(reference_workbook(KAYAKALP_BLANK)),
                                       tool=tool_get(code="KAYAKALP"), facility_type="DH",
                                       label="2017")
    assessment = answered(assessment_create(facility=cast.f, version=version,
                                            start_date=dt.date(2024, 5, 1)),
                          levels=(0, 0.5, 1, None))
    _, parsed = export_and_read(assessment, tmp_path)

    assert parsed.layout == "kayakalp"
    assert workbook_slips(parsed) == []
    again = assessment_import(parsed, facility=FacilityFactory(district=cast.x),
                              start_date=dt.date(2024, 6, 1))
    assert answers(again.assessment) == answers(assessment)
    assert again.version == version
