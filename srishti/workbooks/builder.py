"""The one builder every layout feeds: a sheet's hierarchy as it is read, kept unique
by code (a repeated standard, ME or area is read as one and reported).

Pure Python, no Django.
"""

from __future__ import annotations

from srishti.workbooks.parsed import (
    ParsedArea,
    ParsedDepartment,
    ParsedMeasurableElement,
    ParsedStandard,
)


class Builder:
    """The sheet's hierarchy as it is read, kept unique by code."""

    __slots__ = (
        "department",
        "sheet",
        "warnings",
        "areas",
        "standards",
        "area",
        "standard",
        "mes",
        "merged",
    )

    def __init__(self, department: ParsedDepartment, sheet: str, warnings: list[str]) -> None:
        self.department = department
        self.sheet = sheet
        self.warnings = warnings
        self.areas: dict[str, ParsedArea] = {}
        self.standards: dict[str, ParsedStandard] = {}
        self.area: ParsedArea | None = None
        self.standard: ParsedStandard | None = None
        self.mes: dict[str, ParsedMeasurableElement] = {}
        self.merged = False  # the current standard repeats an earlier one

    def warn(self, index: int, message: str) -> None:
        self.warnings.append(f"sheet '{self.sheet}' row {index + 1}: {message}")

    def start_area(self, letter: str, title: str, index: int) -> None:
        area = self.areas.get(letter)
        if area is None:
            area = ParsedArea(letter=letter, title=title, row=index + 1)
            self.areas[letter] = area
            self.department.areas.append(area)
        else:
            self.warn(
                index, f"area of concern {letter} again (first at row {area.row}); read as one"
            )
        self.area = area
        self.standard = None
        self.mes = {}

    def start_standard(
        self, code: str, title: str, index: int, obtained: float | None, maximum: float | None
    ) -> ParsedStandard:
        if self.area is None:
            self.warn(index, f"standard {code} outside any area of concern; placed in {code[0]}")
            self.start_area(code[0], "", index)
        assert self.area is not None
        if code[0] != self.area.letter:
            self.warn(index, f"standard {code} is under area of concern {self.area.letter}")
        standard = self.standards.get(code)
        if standard is None:
            standard = ParsedStandard(
                code=code,
                title=title,
                row=index + 1,
                workbook_obtained=obtained,
                workbook_maximum=maximum,
            )
            self.standards[code] = standard
            self.area.standards.append(standard)
            self.mes = {}
            self.merged = False
        else:
            self.warn(
                index,
                f"standard {code} again (first at row {standard.row}); its checkpoints are "
                "added to the first",
            )
            standard.workbook_obtained = _add(standard.workbook_obtained, obtained)
            standard.workbook_maximum = _add(standard.workbook_maximum, maximum)
            self.mes = {me.code: me for me in standard.measurable_elements}
            self.merged = True
        self.standard = standard
        return standard

    def start_me(self, code: str, text: str, index: int) -> None:
        standard = self.standard
        assert standard is not None
        me = self.mes.get(code)
        if me is None:
            me = ParsedMeasurableElement(code=code, text=text, row=index + 1)
            standard.measurable_elements.append(me)
            self.mes[code] = me
            if not code.startswith(standard.code + "."):
                self.warn(index, f"ME {code} is under standard {standard.code}")
        elif not self.merged:  # a repeated standard repeats its MEs: said once already
            self.warn(
                index,
                f"ME {code} again (first at row {me.row}); its checkpoints are added to the first",
            )


def _add(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b
