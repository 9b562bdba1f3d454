"""Bring a filled official workbook into the database as an assessment (read by
`srishti.workbooks.reader`, which knows nothing of the database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from srishti.assessments.models import Assessment
from srishti.assessments.services import assessment_create, responses_import
from srishti.checklists.matching import checklist_version_match
from srishti.checklists.models import ChecklistVersion
from srishti.checklists.services import (
    checklist_version_create,
    checklist_version_find_identical,
    tool_get,
)
from srishti.geography.models import Facility
from srishti.workbooks.identity import default_tool
from srishti.workbooks.parsed import ParsedWorkbook


@dataclass(frozen=True)
class AssessmentImport:
    assessment: Assessment
    version: ChecklistVersion
    version_created: bool
    responses: int
    # Texts of the workbook that differ from the checklist version it was matched to.
    differences: int = 0


@transaction.atomic
def assessment_import(
    parsed: ParsedWorkbook,
    *,
    facility: Facility,
    tool: str | None = None,
    kind: str = Assessment.Kind.INTERNAL,
    start_date: dt.date,
    label: str | None = None,
    new_version: bool = False,
) -> AssessmentImport:
    """Create an assessment with every response of a filled workbook, in one transaction.

    The checklist version is the facility type's version identical to the workbook, else
    the oldest of the same shape (checklists.matching: assessors edit texts of the
    workbooks they fill), whose differing texts are kept on the assessment; a new version
    is created from the workbook only when none matches or `new_version` asks for one.
    Departments switched off by the workbook's NA switch are not present.
    """
    tool_row = tool_get(code=tool or default_tool(parsed))
    version, differences = None, {}
    if not new_version:
        version = checklist_version_find_identical(
            tool=tool_row, facility_type=facility.facility_type, parsed=parsed)
        if version is None:
            match = checklist_version_match(tool=tool_row, facility_type=facility.facility_type,
                                            parsed=parsed)
            if match is not None:
                version, listed, count = match
                differences = {"listed": listed, "count": count} if count else {}
    created = version is None
    if version is None:
        version = checklist_version_create(
            parsed=parsed, tool=tool_row, facility_type=facility.facility_type,
            label=label or _free_label(tool_row, facility.facility_type, Path(parsed.path).stem),
            source_file=Path(parsed.path).name,
        )
    assessment = assessment_create(
        facility=facility, version=version, kind=kind, start_date=start_date,
        assessor_names=parsed.header.get("assessors", "")[:500],
        source_file=Path(parsed.path).name,
    )
    not_present = [d.name for d in parsed.departments if d.not_present]
    if differences or not_present:
        assessment.workbook_differences = differences
        assessment.not_present = not_present
        assessment.save(update_fields=["workbook_differences", "not_present", "updated_at"])
    checkpoint_ids = list(version.checkpoints.order_by("order").values_list("id", flat=True))
    answers = [
        (cp.value, cp.remark)
        for dep in parsed.departments
        for area in dep.areas
        for std in area.standards
        for cp in std.checkpoints
    ]
    count = responses_import(
        assessment=assessment,
        answers=[(cid, value, remark) for cid, (value, remark)
                 in zip(checkpoint_ids, answers, strict=True)],
    )
    return AssessmentImport(assessment, version, created, count,
                            differences.get("count", 0))


def _free_label(tool, facility_type: str, stem: str) -> str:
    label = stem[:40]
    taken = set(ChecklistVersion.objects.filter(
        tool=tool, facility_type=facility_type, label__startswith=label
    ).values_list("label", flat=True))
    n = 1
    candidate = label
    while candidate in taken:
        n += 1
        candidate = f"{label}-{n}"
    return candidate
