"""Small synthetic checklist workbooks, written with openpyxl from a compact spec.

Every text here is invented for the tests. A sheet is a list of rows; a row is a list of
cell values from column A. The helpers below build the rows of the two table layouts:

    rows = [
        *header_block(hospital="Test Hospital"),
        NQAS_HEADER,
        area("A", "Service Provision"),
        standard("A1", "Curative services", 3, 4),
        me("A1.1", "General medicine", "Clinic is open", 2, "SI/OB"),
        cp("Drugs are stocked", 1, "OB"),
    ]
    path = write_workbook(tmp_path / "x.xlsx", {"OPD": rows})
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from openpyxl import Workbook

Row = list[object]

NQAS_HEADER: Row = [
    "Reference No.",
    "Measurable Element",
    "Checkpoint",
    "Compliance",
    "Assessment Method",
    "Means of Verification",
    "Remarks",
    "Obtained",
    "Maximum",
]

KAYAKALP_HEADER: Row = ["Reference", "Checkpoint", "Method", "Means of Verification"]


def area(letter: str, title: str, *, dash: str = " - ", column: int = 1, ref: str = "") -> Row:
    """An "Area of Concern - X title" row; the text sits in column B unless told."""
    row: Row = [ref] + [""] * 8
    row[column] = f"Area of Concern{dash}{letter} {title}"
    return row


def standard(
    code: str,
    title: str,
    obtained: object = None,
    maximum: object = None,
    *,
    ref: str | None = None,
) -> Row:
    """A standard row; `ref` overrides the reference text (e.g. "StandardD6")."""
    return [
        ref if ref is not None else f"Standard {code}",
        title,
        "",
        "",
        "",
        "",
        "",
        "" if obtained is None else obtained,
        "" if maximum is None else maximum,
    ]


def me(
    code: str,
    text: str,
    checkpoint: str = "",
    value: object = "",
    method: str = "OB",
    mov: str = "",
    remark: str = "",
    *,
    ref: str | None = None,
) -> Row:
    """A measurable-element row, with its first checkpoint when `checkpoint` is given."""
    return [
        ref if ref is not None else f"ME {code}",
        text,
        checkpoint,
        value,
        method if checkpoint else "",
        mov,
        remark,
        "",
        "",
    ]


def cp(
    text: str,
    value: object = "",
    method: str = "OB",
    mov: str = "",
    remark: str = "",
    *,
    ref: object = "",
) -> Row:
    """A continuation row: one more checkpoint of the current measurable element."""
    return [ref, "", text, value, method, mov, remark, "", ""]


def header_block(
    *,
    hospital: object = "",
    date: object = "",
    assessors: object = "",
    assessment_type: object = "",
) -> list[Row]:
    """The assessment summary block that opens NQAS department sheets."""
    return [
        ["National Quality Assurance Standards (test)", "", "", "", "", "", "", "", ""],
        ["Name of the Hospital ", "", hospital, "", "", "Date of Assessment", date, "", ""],
        ["Names of Assessors", "", assessors, "", "", "Names of Assessees", "", "", ""],
        ["Type of Assessment (Internal/External)", "", assessment_type, "", "", "", "", "", ""],
    ]


def score_card(name: str, *, scale: float = 1.0) -> list[Row]:
    """An area-of-concern score card, as the templates put above or below the table."""
    rows: list[Row] = [
        [f"{name} Score Card ", "", "", "", "", "", "", "", ""],
        ["", "Area of Concern wise Score ", "", "", "", f"{name} Score", "", "", ""],
    ]
    for letter, title in zip(
        "ABCDEFGH",
        ("Service", "Rights", "Inputs", "Support", "Care", "Infection", "Quality", "Outcome"),
        strict=True,
    ):
        rows.append([letter, f"{title} (card)", 0.5 * scale, "", "", "", "", "", ""])
    return rows


def summary(*, obtained_label: str = "Obtained", total_label: str = "Total ") -> list[Row]:
    """The Obtained / Maximum / Percent summary that follows some tables."""
    return [
        ["", obtained_label, "Maximum", "Percent", 1.0, "", "", "", ""],
        ["A", 3.0, 4.0, 0.75, "", "", "", "", ""],
        ["B", 1.0, 2.0, 0.5, "", "", "", "", ""],
        [total_label, 4.0, 6.0, 0.66, "", "", "", "", ""],
        ["", "", "Percentage of score", "", "", "", "", "", ""],
        [0.0, "", "", "", "", "", "", "", ""],
        [1.0, "", "", "", "", "", "", "", ""],
        [2.0, "", "", "", "", "", "", "", ""],
    ]


def kk_standard(code: str, title: str, *, ref: str | None = None) -> Row:
    return [ref if ref is not None else f"Standard {code}", title, "", ""]


def kk_cp(code: str, text: str, method: str = "OB", mov: str = "", *extra: object) -> Row:
    """A Kayakalp checkpoint: code, text, method, means of verification[, more columns]."""
    return [code, text, method, mov, *extra]


def small_nqas_table(*, values: Iterable[object] = (2, 1, "", 0)) -> list[Row]:
    """Two areas, three standards, four checkpoints: the smallest useful NQAS table."""
    v = list(values)
    return [
        NQAS_HEADER,
        area("A", "Service Provision"),
        standard("A1", "Curative services"),
        me("A1.1", "General medicine", "Medicine clinic is open", v[0], "SI/OB"),
        cp("Emergency drugs are stocked", v[1], "OB"),
        me("A1.2", "Surgery", "", ""),
        standard("A2", "Maternal services"),
        me("A2.1", "Antenatal care", "Antenatal clinic is open", v[2], "SI/RR"),
        area("B", "Patient Rights"),
        standard("B1", "Information"),
        me("B1.1", "Signage", "Signs are in the local language", v[3], "OB"),
    ]


def write_workbook(path: Path, sheets: Mapping[str, list[Row]]) -> Path:
    """Write one sheet per entry, rows from A1 (a row may start at a later column by
    beginning with None cells, which stay empty)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(title=name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                sheet.cell(row=r, column=c, value=value)
    book.save(path)
    return path
