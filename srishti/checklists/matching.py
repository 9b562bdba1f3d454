"""One checklist version per template, not per file.

Assessors edit the workbooks they fill: a standard's title shortened, a checkpoint's text
replaced, remarks typed into the means-of-verification column. A filled workbook is
therefore matched to an existing version by its *shape*: the checkpoints in order, each
placed by department, area letter, standard code and measurable element code. Texts do
not count. Answers map one to one onto a version of the same shape (both are in checklist
order), and the workbook's differing texts are kept as a list on the assessment.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_noop

from srishti.workbooks.parsed import ParsedWorkbook

from .models import ChecklistVersion, Checkpoint, Tool

# More differences than this are counted, not listed: a workbook that far from its
# checklist is better imported as a version of its own (the assessment says so).
DIFFERENCES_LISTED = 200

# The fields compared, as the assessment's page names them (translated there).
AREA, STANDARD, ELEMENT, CHECKPOINT, MEANS = (
    gettext_noop("area of concern"), gettext_noop("standard"),
    gettext_noop("measurable element"), gettext_noop("checkpoint"),
    gettext_noop("means of verification"))

_FIELDS = ("department__name", "standard__area__letter", "standard__code",
           "measurable_element__code", "standard__area__title", "standard__title",
           "measurable_element__text", "text", "means_of_verification")


def _parsed_rows(parsed: ParsedWorkbook) -> Iterator[tuple[Any, ...]]:
    """The workbook's checkpoints as `_FIELDS` rows, plus the sheet and row."""
    for department in parsed.departments:
        for area in department.areas:
            for standard in area.standards:
                elements = {me.code: me.text for me in standard.measurable_elements}
                for cp in standard.checkpoints:
                    # As the checklist writer links them: an unknown ME code links none.
                    me = cp.me_code if cp.me_code in elements else None
                    yield (department.name, area.letter, standard.code, me, area.title,
                           standard.title, elements.get(me) if me else None, cp.text,
                           cp.means_of_verification, department.sheet, cp.row)


def _version_rows(version: ChecklistVersion) -> list[tuple[Any, ...]]:
    return list(Checkpoint.objects.filter(version=version).order_by("order")
                .values_list(*_FIELDS))


def _same_shape(version_rows: list[tuple[Any, ...]], parsed_rows: list[tuple[Any, ...]]
                ) -> bool:
    return len(version_rows) == len(parsed_rows) and all(
        v[:4] == p[:4] for v, p in zip(version_rows, parsed_rows, strict=True))


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _differences(version_rows: list[tuple[Any, ...]], parsed_rows: list[tuple[Any, ...]]
                 ) -> tuple[list[dict[str, Any]], int]:
    """Where the workbook's text differs from the checklist's (spacing aside), each area,
    standard and element once: ([{sheet, row, code, field, checklist, workbook}], count)."""
    listed: list[dict[str, Any]] = []
    count = 0
    seen: set[tuple[str, str, str]] = set()
    for v, p in zip(version_rows, parsed_rows, strict=True):
        department, letter, code, me = p[:4]
        sheet, row = p[9], p[10]
        for field, key, at in ((AREA, (department, "A", letter), 4),
                               (STANDARD, (department, "S", code), 5),
                               (ELEMENT, (department, "M", f"{code}/{me}"), 6),
                               (CHECKPOINT, None, 7),
                               (MEANS, None, 8)):
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            if _norm(v[at]) == _norm(p[at]):
                continue
            count += 1
            if len(listed) < DIFFERENCES_LISTED:
                listed.append({"sheet": sheet, "row": row, "field": field,
                               "code": letter if field == AREA else me or code,
                               "checklist": v[at] or "", "workbook": p[at] or ""})
    return listed, count


def checklist_version_match(*, tool: Tool, facility_type: str, parsed: ParsedWorkbook
                            ) -> tuple[ChecklistVersion, list[dict[str, Any]], int] | None:
    """The oldest version of the tool and facility type with the workbook's shape, with
    the workbook's text differences from it (listed, counted); None when none has it."""
    parsed_rows = list(_parsed_rows(parsed))
    candidates = (ChecklistVersion.objects.filter(tool=tool, facility_type=facility_type)
                  .annotate(n=Count("checkpoints")).filter(n=len(parsed_rows)).order_by("id"))
    for version in candidates:
        version_rows = _version_rows(version)
        if _same_shape(version_rows, parsed_rows):
            listed, count = _differences(version_rows, parsed_rows)
            return version, listed, count
    return None
