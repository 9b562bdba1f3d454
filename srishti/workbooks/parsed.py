"""What the workbook reader returns: a checklist's structure with any answers in it.

Plain data, independent of the database, so the reader can be tested and benchmarked
alone and `srishti scorecard` can score a file without touching the database.
Row numbers are 1-based as Excel shows them; columns are letters.

Named tuples and small slotted classes rather than dataclasses: `srishti scorecard` is a
whole process of ~0.1 s, and importing `dataclasses` (which imports `inspect`) and
building the classes would be ~8 ms of it.
"""

from __future__ import annotations

import functools
from typing import NamedTuple


class WorkbookError(Exception):
    """A workbook that cannot be read, located as precisely as possible."""

    def __init__(
        self,
        message: str,
        *,
        file: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class ParsedCheckpoint(NamedTuple):
    row: int
    text: str
    # Kayakalp numbers its checkpoints ("G1.1"); NQAS sheets do not (None).
    code: str | None
    me_code: str | None
    methods: frozenset[str]
    means_of_verification: str
    # None = blank cell = not applicable. Only meaningful for filled workbooks.
    value: float | None
    remark: str
    # The service package the checkpoint belongs to, where the layout has a service
    # column (AAM-SC: "All", "NCD", "ENT", "SC Type B", ...); None elsewhere.
    service: str | None = None


class ParsedMeasurableElement(NamedTuple):
    code: str  # "A1.1"
    text: str
    row: int


# A checkpoint or ME from a tuple of its fields in order, without the Python-level
# `__new__` of a named tuple: ~13,000 of them per district hospital, read and sent.
make_checkpoint = functools.partial(tuple.__new__, ParsedCheckpoint)
make_element = functools.partial(tuple.__new__, ParsedMeasurableElement)


class ParsedTheme(NamedTuple):
    """A theme (AAM-SC service package) scored over chosen measurable elements."""

    number: int
    name: str
    mandatory: bool
    measurable_elements: tuple[str, ...]  # ME codes, "A1.1"


class _Record:
    """Equality and repr over `__slots__`, for the records the reader fills in as it goes."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # mutable

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{self.__class__.__name__}({fields})"


class ParsedStandard(_Record):
    __slots__ = ("code", "title", "row", "measurable_elements", "checkpoints",
                 "workbook_obtained", "workbook_maximum")

    def __init__(
        self,
        code: str,  # "A1"
        title: str,
        row: int,
        measurable_elements: list[ParsedMeasurableElement] | None = None,
        checkpoints: list[ParsedCheckpoint] | None = None,
        # The totals the workbook's own formulas show on the standard's row (None if
        # absent).
        workbook_obtained: float | None = None,
        workbook_maximum: float | None = None,
    ) -> None:
        self.code = code
        self.title = title
        self.row = row
        self.measurable_elements = [] if measurable_elements is None else measurable_elements
        self.checkpoints = [] if checkpoints is None else checkpoints
        self.workbook_obtained = workbook_obtained
        self.workbook_maximum = workbook_maximum


class ParsedArea(_Record):
    __slots__ = ("letter", "title", "row", "standards")

    def __init__(
        self, letter: str, title: str, row: int, standards: list[ParsedStandard] | None = None
    ) -> None:
        self.letter = letter  # "A".."H"
        self.title = title
        self.row = row
        self.standards = [] if standards is None else standards


class ParsedDepartment(_Record):
    __slots__ = ("name", "sheet", "areas", "columns", "not_present")

    def __init__(
        self,
        name: str,  # the sheet's name without surrounding spaces
        sheet: str,  # the sheet's name as it is in the file
        areas: list[ParsedArea] | None = None,
        # Where the reader found each column of the table: role -> letter, e.g. {"text":
        # "C", "compliance": "D"}; roles are ref, me_text, text, compliance, method, mov,
        # remark, obtained, maximum (absent when the sheet has no such column).
        columns: dict[str, str] | None = None,
        # The sheet's "NA switch" says the facility has no such department: excluded
        # from scores, not scored 0.
        not_present: bool = False,
    ) -> None:
        self.name = name
        self.sheet = sheet
        self.areas = [] if areas is None else areas
        self.columns = {} if columns is None else columns
        self.not_present = not_present


class ParsedWorkbook(_Record):
    __slots__ = ("path", "layout", "departments", "levels", "warnings", "header", "tool",
                 "facility_type", "version_name", "groups", "themes")

    def __init__(
        self,
        path: str,
        layout: str,  # "nqas" or "kayakalp"
        departments: list[ParsedDepartment] | None = None,
        # Allowed compliance values; NQAS (0, 1, 2), Kayakalp (0, 0.5, 1).
        levels: tuple[float, ...] = (0.0, 1.0, 2.0),
        warnings: list[str] | None = None,
        # Header facts when the sheets carry them (hospital name, date, assessment type).
        header: dict[str, str] | None = None,
        # What the workbook says it is, from its own title rows and sheets (see
        # `identity`): tool code ("NQAS", "LAQSHYA", "MUSQAN", "KAYAKALP"), facility type
        # ("DH", "CHC", "PHC", "UPHC", "SDH", "AAM-SC") and version ("NQAS DH 2019
        # Rev-02"); None where the workbook does not say.
        tool: str | None = None,
        facility_type: str | None = None,
        version_name: str | None = None,
        # Department groups scored together inside one assessment, e.g. ("LaQshya",
        # ["Labour Room (LaQshya)", "M-OT (LaQshya)"]); department names as in
        # `departments`.
        groups: list[tuple[str, list[str]]] | None = None,
        themes: list[ParsedTheme] | None = None,
    ) -> None:
        self.path = path
        self.layout = layout
        self.departments = [] if departments is None else departments
        self.levels = levels
        self.warnings = [] if warnings is None else warnings
        self.header = {} if header is None else header
        self.tool = tool
        self.facility_type = facility_type
        self.version_name = version_name
        self.groups = [] if groups is None else groups
        self.themes = [] if themes is None else themes


def structure_summary(parsed: ParsedWorkbook) -> dict[str, object]:
    """Counts per department, as `srishti checklist import --format json` prints them.

    Per department: name, areas, standards, measurable_elements, checkpoints, and where
    the layout has them `checkpoints_by_service` (tag -> count, AAM-SC) and `themes`
    (those pooled over the department's measurable elements); `not_present` when its NA
    switch is off.
    """
    departments: list[dict[str, object]] = []
    for dep in parsed.departments:
        standards = [s for a in dep.areas for s in a.standards]
        checkpoints = [c for s in standards for c in s.checkpoints]
        entry: dict[str, object] = {
            "name": dep.name,
            "areas": len(dep.areas),
            "standards": len(standards),
            "measurable_elements": sum(len(s.measurable_elements) for s in standards),
            "checkpoints": len(checkpoints),
        }
        if dep.not_present:
            entry["not_present"] = True
        services: dict[str, int] = {}
        for c in checkpoints:
            if c.service is not None:
                services[c.service] = services.get(c.service, 0) + 1
        if services:
            entry["checkpoints_by_service"] = services
        codes = {me.code for s in standards for me in s.measurable_elements}
        themes = [t for t in parsed.themes if set(t.measurable_elements) <= codes]
        if themes:
            entry["themes"] = [
                {"number": t.number, "name": t.name, "mandatory": t.mandatory,
                 "measurable_elements": len(t.measurable_elements)}
                for t in themes
            ]
        departments.append(entry)
    return {
        "layout": parsed.layout,
        "tool": parsed.tool,
        "facility_type": parsed.facility_type,
        "version_name": parsed.version_name,
        "departments": departments,
        "groups": [{"name": name, "departments": list(members)}
                   for name, members in parsed.groups],
        "checkpoints": sum(int(d["checkpoints"]) for d in departments),  # type: ignore[call-overload]
        "warnings": list(parsed.warnings),
    }


# Plain tuples for sending a department between processes (see `forked`): marshal takes
# them several times faster than pickle takes the classes. Checkpoints and MEs are named
# tuples already: `tuple()` strips the class and `make_checkpoint`/`make_element`
# restore it.


def department_to_plain(d: ParsedDepartment) -> tuple:
    return (d.name, d.sheet, d.columns, d.not_present, [
        (a.letter, a.title, a.row, [
            (s.code, s.title, s.row, s.workbook_obtained, s.workbook_maximum,
             list(map(tuple, s.measurable_elements)), list(map(tuple, s.checkpoints)))
            for s in a.standards])
        for a in d.areas])


def department_from_plain(plain: tuple) -> ParsedDepartment:
    name, sheet, columns, not_present, areas = plain
    return ParsedDepartment(name=name, sheet=sheet, columns=columns, not_present=not_present,
                            areas=[
        ParsedArea(letter=letter, title=title, row=row, standards=[
            ParsedStandard(code=code, title=s_title, row=s_row, workbook_obtained=obtained,
                           workbook_maximum=maximum,
                           measurable_elements=list(map(make_element, mes)),
                           checkpoints=list(map(make_checkpoint, cps)))
            for code, s_title, s_row, obtained, maximum, mes, cps in standards])
        for letter, title, row, standards in areas])


def error_to_plain(e: WorkbookError) -> tuple:
    return (e.message, e.file, e.sheet, e.row, e.column)


def error_from_plain(plain: tuple) -> WorkbookError:
    message, file, sheet, row, column = plain
    return WorkbookError(message, file=file, sheet=sheet, row=row, column=column)
