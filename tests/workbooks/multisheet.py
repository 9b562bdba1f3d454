"""Generated workbooks of several department sheets, for the parallel reading and the
streamed import. Every text is invented; each sheet's texts name it, so that a department
read into the wrong place shows."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.workbooks.builders import (
    NQAS_HEADER,
    area,
    cp,
    header_block,
    me,
    standard,
    write_workbook,
)

Row = list[object]


def department_table(tag: str, *, values: tuple[object, ...] = (2, 1, "", 0, 1)) -> list[Row]:
    """Two areas, three standards, five checkpoints, all named after `tag`."""
    v = list(values)
    return [
        NQAS_HEADER,
        area("A", f"{tag} service provision"),
        standard("A1", f"{tag} curative services", 3, 4),
        me("A1.1", f"{tag} medicine", f"{tag}: the clinic is open", v[0], "SI/OB",
           f"{tag} board", "seen"),
        cp(f"{tag}: emergency drugs are stocked", v[1], "OB", "stock register"),
        me("A1.2", f"{tag} surgery", "", ""),
        standard("A2", f"{tag} maternal services"),
        me("A2.1", f"{tag} antenatal care", f"{tag}: the antenatal clinic is open", v[2],
           "SI/RR"),
        area("B", f"{tag} patient rights"),
        standard("B1", f"{tag} information"),
        me("B1.1", f"{tag} signage", f"{tag}: signs are in the local language", v[3], "OB"),
        cp(f"{tag}: the citizen charter is displayed", v[4], "OB/PI"),
    ]


def varied_sheets() -> dict[str, list[Row]]:
    """Seven sheets: five departments (one of them hidden, see `write_varied_workbook`), an
    instruction sheet and a sheet with an area row but no standards, both skipped with a
    warning; header facts on two sheets (the first wins) and an unknown method."""
    ipd = department_table("IPD")
    ipd[4] = cp("IPD: emergency drugs are stocked", 1, "XY/OB")  # unknown method XY
    return {
        "Instructions": [["How to fill this workbook"], ["Enter 0, 1 or 2 in each cell"]],
        "OPD ": department_table("OPD", values=(2, 2, 2, 2, 2)),
        "IPD": [*header_block(hospital="Alpha Hospital"), *ipd],
        "Old Lab": department_table("Old Lab", values=("", "", "", "", "")),
        "Labour Room": [
            *header_block(hospital="Beta Hospital", assessors="A. Assessor"),
            *department_table("Labour Room", values=(0, 1, 2, "NA", 0)),
        ],
        "Draft": [NQAS_HEADER, area("A", "Draft service provision"), ["", "", "nothing"]],
        "Emergency": department_table("Emergency"),
    }


VARIED_DEPARTMENTS = ["OPD", "IPD", "Old Lab", "Labour Room", "Emergency"]


def write_varied_workbook(path: Path) -> Path:
    write_workbook(path, varied_sheets())
    book = openpyxl.load_workbook(path)
    book["Old Lab"].sheet_state = "hidden"
    book.save(path)
    return path


def write_departments(path: Path, count: int, *, bad: dict[int, tuple] | None = None) -> Path:
    """`count` department sheets D1..Dn; `bad` maps a 1-based sheet number to the values of
    its checkpoints (e.g. an out-of-level one)."""
    bad = bad or {}
    sheets = {
        f"D{n}": department_table(f"D{n}", **({"values": bad[n]} if n in bad else {}))
        for n in range(1, count + 1)
    }
    return write_workbook(path, sheets)
