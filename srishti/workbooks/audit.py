"""Where a workbook's own totals disagree with its compliance cells.

The official workbooks compute each standard's obtained and maximum marks with formulas,
and some of those formulas are wrong (COUNT where SUM was meant, SUM*2 as the maximum, a
range one row too long or too short). Srishti never uses those totals; it recomputes them
from the compliance cells and reports every standard where the two disagree, so that a
state team can see why its spreadsheet and Srishti differ. Pure Python, no Django.
"""

from __future__ import annotations

from typing import NamedTuple

from srishti.workbooks.parsed import ParsedStandard, ParsedWorkbook

__all__ = ["WorkbookSlip", "standard_full_score", "standard_totals", "workbook_slips"]

# Totals are sums of small numbers (0, 0.5, 1, 2); anything closer than this is equal.
_TOLERANCE = 1e-6


class WorkbookSlip(NamedTuple):
    """A standard whose workbook totals differ from those recomputed from its checkpoints."""

    department: str
    standard: str
    workbook_obtained: float | None
    workbook_maximum: float | None
    computed_obtained: float
    computed_maximum: float
    # Excel row of the standard (where the faulty formulas are); 0 when unknown.
    row: int = 0
    sheet: str = ""

    def __str__(self) -> str:
        return (
            f"{self.department} {self.standard} (row {self.row}): workbook "
            f"{_fmt(self.workbook_obtained)}/{_fmt(self.workbook_maximum)}, checkpoints "
            f"{_fmt(self.computed_obtained)}/{_fmt(self.computed_maximum)}"
        )


def standard_full_score(parsed: ParsedWorkbook) -> float:
    """What a fully compliant checkpoint earns: 2 for NQAS and LaQshya, 1 for Kayakalp."""
    return max(parsed.levels)


def standard_totals(standard: ParsedStandard, full_score: float) -> tuple[float, float]:
    """(obtained, maximum) of one standard, pooled over its scored (non-NA) checkpoints."""
    obtained = 0.0
    scored = 0
    for checkpoint in standard.checkpoints:
        if checkpoint.value is not None:
            obtained += checkpoint.value
            scored += 1
    return obtained, full_score * scored


def workbook_slips(parsed: ParsedWorkbook) -> list[WorkbookSlip]:
    """Every standard whose workbook totals exist and disagree with the recomputed ones.

    A total the workbook leaves blank or shows as an error (#DIV/0!) is not compared; a
    standard is a slip when either of its present totals differs.
    """
    full = standard_full_score(parsed)
    slips: list[WorkbookSlip] = []
    for department in parsed.departments:
        for area in department.areas:
            for standard in area.standards:
                wb_obtained = standard.workbook_obtained
                wb_maximum = standard.workbook_maximum
                if wb_obtained is None and wb_maximum is None:
                    continue
                obtained, maximum = standard_totals(standard, full)
                if (wb_obtained is not None and abs(wb_obtained - obtained) > _TOLERANCE) or (
                    wb_maximum is not None and abs(wb_maximum - maximum) > _TOLERANCE
                ):
                    slips.append(
                        WorkbookSlip(
                            department=department.name,
                            standard=standard.code,
                            workbook_obtained=wb_obtained,
                            workbook_maximum=wb_maximum,
                            computed_obtained=obtained,
                            computed_maximum=maximum,
                            row=standard.row,
                            sheet=department.sheet,
                        )
                    )
    return slips


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
