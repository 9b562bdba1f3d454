"""AAM-SC (Ayushman Arogya Mandir sub-centre, the former HWC-SC) checklists: the NQAS
table with a service column in front (A tag, B reference, C area and standard, D ME, E
checkpoint, F means of verification, G method, H compliance, I remarks, J/K obtained
and maximum). Each checkpoint carries its service package ("All", "NCD", "ENT", "SC
Type B", ...); the theme table below the checklist pools chosen measurable elements per
service package.
"""

from __future__ import annotations

from srishti.workbooks.cells import Rows, cell_number, cell_text, has_text
from srishti.workbooks.layouts import nqas
from srishti.workbooks.layouts.base import Columns, Layout, Sample
from srishti.workbooks.parsed import ParsedDepartment
from srishti.workbooks.sheetxml import SheetFacts

NAME = "aam-sc"


def matches(sample: Sample) -> bool:
    return _service_column(sample, nqas.columns(sample).text) is not None


def columns(sample: Sample) -> Columns:
    found = nqas.columns(sample)
    return found._replace(layout=NAME, service=_service_column(sample, found.text))


def _service_column(sample: Sample, text: int) -> int | None:
    """The service-package column left of the reference (AAM-SC), if the sheet has one:
    named "Service..." by the header, or holding a short tag on most checkpoint rows."""
    rows, ref = sample.rows, sample.ref
    table_rows = sample.continuation_rows + sample.code_rows
    named = sample.header.get("service")
    if named is not None and named < ref:
        return named
    checkpoint_rows = [i for i in table_rows if text < len(rows[i]) and has_text(rows[i][text])]
    if len(checkpoint_rows) < 10:
        return None
    for col in range(ref):
        tags = [rows[i][col] for i in checkpoint_rows]
        short = sum(1 for t in tags if t.__class__ is str and has_text(t) and len(t) <= 30)
        if short >= 0.8 * len(checkpoint_rows):
            return col
    return None


def themes(
    rows: Rows, department: ParsedDepartment, facts: SheetFacts
) -> list[list[object]]:
    """The theme scores below an AAM-SC table: numbered rows whose formula pools chosen
    parts of the checklist (`(J15+J499+...)/(K15+K499+...)`). [number, name, [ME codes]].

    A formula names the totals of a standard row (all its measurable elements), of an ME
    row, or of a single checkpoint row (the measurable element it belongs to).
    """
    me_rows: dict[int, list[str]] = {}
    for a in department.areas:
        for s in a.standards:
            me_rows[s.row] = [me.code for me in s.measurable_elements]
            for me in s.measurable_elements:
                me_rows[me.row] = [me.code]
            for c in s.checkpoints:
                if c.me_code is not None:
                    me_rows.setdefault(c.row, [c.me_code])
    last = max(me_rows, default=0)
    # Only the totals count: a theme's formula may also read a switch cell elsewhere.
    totals = {department.columns.get("obtained"), department.columns.get("maximum")}
    themes: list[list[object]] = []
    for formula_row in sorted(facts.formula_spans):
        if formula_row <= last or formula_row > len(rows):
            continue
        codes: list[str] = []
        for first, end, column in facts.formula_spans[formula_row]:
            if column not in totals:
                continue
            for r in range(first, min(end, first + 400) + 1):
                codes.extend(c for c in me_rows.get(r, ()) if c not in codes)
        if not codes:
            continue
        row = rows[formula_row - 1]
        cells = [c for c in row[:8] if c != "" and c is not None]
        number = next((cell_number(c) for c in cells if cell_number(c) is not None), None)
        name = next((" ".join(cell_text(c).split()) for c in cells if has_text(c)), "")
        if number is None or not number.is_integer() or not name:
            continue
        themes.append([int(number), name, codes])
    return themes if len(themes) >= 2 else []



LAYOUT = Layout(name=NAME, levels=nqas.LEVELS, default_tool="NQAS", facility_type="AAM-SC",
                matches=matches, columns=columns, read_table=nqas.read_table, themes=themes)
