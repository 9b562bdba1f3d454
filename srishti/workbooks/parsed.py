"""What the workbook reader returns: a checklist's structure with any answers in it.

Plain data, independent of the database, so the reader can be tested and benchmarked
alone and `srishti scorecard` can score a file without touching the database.
Row numbers are 1-based as Excel shows them; columns are letters.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass(slots=True)
class ParsedCheckpoint:
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


@dataclass(slots=True)
class ParsedMeasurableElement:
    code: str  # "A1.1"
    text: str
    row: int


@dataclass(slots=True)
class ParsedStandard:
    code: str  # "A1"
    title: str
    row: int
    measurable_elements: list[ParsedMeasurableElement] = field(default_factory=list)
    checkpoints: list[ParsedCheckpoint] = field(default_factory=list)
    # The totals the workbook's own formulas show on the standard's row (None if absent).
    workbook_obtained: float | None = None
    workbook_maximum: float | None = None


@dataclass(slots=True)
class ParsedArea:
    letter: str  # "A".."H"
    title: str
    row: int
    standards: list[ParsedStandard] = field(default_factory=list)


@dataclass(slots=True)
class ParsedDepartment:
    name: str  # the sheet's name without surrounding spaces
    sheet: str  # the sheet's name as it is in the file
    areas: list[ParsedArea] = field(default_factory=list)
    # Where the reader found each column of the table: role -> letter, e.g. {"text": "C",
    # "compliance": "D"}; roles are ref, me_text, text, compliance, method, mov, remark,
    # obtained, maximum (absent when the sheet has no such column).
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ParsedWorkbook:
    path: str
    layout: str  # "nqas" or "kayakalp"
    departments: list[ParsedDepartment] = field(default_factory=list)
    # Allowed compliance values; NQAS (0, 1, 2), Kayakalp (0, 0.5, 1).
    levels: tuple[float, ...] = (0.0, 1.0, 2.0)
    warnings: list[str] = field(default_factory=list)
    # Header facts when the sheets carry them (hospital name, date, assessment type).
    header: dict[str, str] = field(default_factory=dict)
