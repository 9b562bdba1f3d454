"""Bring official workbooks into the database: checklist versions and filled assessments."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from srishti.assessments.models import Assessment
from srishti.assessments.services import assessment_create, responses_import
from srishti.checklists.models import ChecklistVersion
from srishti.checklists.services import (
    checklist_version_create,
    checklist_version_find_identical,
    tool_get,
)
from srishti.geography.models import Facility

from .identity import default_tool
from .parsed import ParsedWorkbook, structure_summary
from .reader import WorkbookReading


def checklist_import(
    workbook: ParsedWorkbook | WorkbookReading,
    *,
    tool: str | None,
    facility_type: str,
    label: str,
    dry_run: bool = False,
) -> tuple[dict[str, Any], ChecklistVersion | None]:
    """Create a checklist version from a blank (or filled) workbook; nothing on dry run.

    A `WorkbookReading` (a workbook still being read) is written department by
    department as its sheets are parsed, in the same transaction.
    """
    if isinstance(workbook, ParsedWorkbook):
        parsed, departments, more_at_hand = workbook, None, None
    else:
        parsed, departments, more_at_hand = workbook.parsed, iter(workbook), workbook.ready
        if dry_run:
            for _ in departments:
                pass
        else:
            # The first department settles the layout: the default tool and the levels.
            departments = itertools.chain([next(departments)], departments)
    if dry_run:
        return structure_summary(parsed), None
    version = checklist_version_create(
        parsed=parsed, tool=tool_get(code=tool or default_tool(parsed)),
        facility_type=facility_type, label=label, source_file=Path(parsed.path).name,
        departments=departments, more_at_hand=more_at_hand,
    )
    return structure_summary(parsed), version


@dataclass(frozen=True)
class AssessmentImport:
    assessment: Assessment
    version: ChecklistVersion
    version_created: bool
    responses: int


@transaction.atomic
def assessment_import(
    parsed: ParsedWorkbook,
    *,
    facility: Facility,
    tool: str | None = None,
    kind: str = Assessment.Kind.INTERNAL,
    start_date: dt.date,
    label: str | None = None,
) -> AssessmentImport:
    """Create an assessment with every response of a filled workbook, in one transaction.

    The checklist version is reused when one of identical structure exists for the
    facility's type; otherwise it is created from the workbook.
    """
    tool_row = tool_get(code=tool or default_tool(parsed))
    version = checklist_version_find_identical(
        tool=tool_row, facility_type=facility.facility_type, parsed=parsed
    )
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
    return AssessmentImport(assessment, version, created, count)


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
