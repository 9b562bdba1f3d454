"""Kayakalp sheets: ``Standard G1`` rows and numbered checkpoints (``G1.1``) with their
text next to the code, then method and means of verification; no department and no ME
column. Levels are 0, 0.5 and 1; the blank tool has no compliance column, a filled one
gets it found by header or by numbers.
"""

from __future__ import annotations

from collections.abc import Collection

from srishti.workbooks.builder import Builder
from srishti.workbooks.cells import (
    AREA,
    BLANK,
    OTHER,
    STANDARD,
    BadValue,
    Rows,
    area_match,
    area_title,
    bad_value_error,
    cell_number,
    cell_text,
    classify_ref,
    column_letter,
    compliance_value,
    ends_table,
    has_text,
    is_summary_label,
    method_warning,
    parse_methods,
)
from srishti.workbooks.layouts.base import Columns, Layout, Sample, numeric_column, total_columns
from srishti.workbooks.parsed import ParsedCheckpoint, WorkbookError

NAME = "kayakalp"
LEVELS: tuple[float, ...] = (0.0, 0.5, 1.0)


def columns(sample: Sample) -> Columns:
    rows, header, method, ref = sample.rows, sample.header, sample.method, sample.ref
    area_col, width = sample.area_col, sample.width
    code_rows, standard_rows = sample.code_rows, sample.standard_rows
    # Kayakalp: code, text, method, means of verification; a compliance column only when
    # the workbook has one (named by its header, or holding numbers on checkpoint rows).
    text = header.get("text", ref + 1)
    if method is None:
        method = text + 1
    mov_default = method + 1 if method + 1 < width else None
    mov = header.get("mov", mov_default)
    remark = header.get("remark")
    compliance = header.get("compliance")
    obtained = header.get("obtained")
    maximum = header.get("maximum")
    if compliance is None:
        taken: set[int | None] = {ref, text, method, mov, remark, obtained, maximum}
        compliance = numeric_column(rows, code_rows, width, exclude=taken, only_levels=False)
    if obtained is None and maximum is None:
        last = max(c for c in (method, mov, compliance, remark) if c is not None)
        found = total_columns(rows, standard_rows, after=last)
        if len(found) >= 2:
            obtained, maximum = found[0], found[1]
    return Columns(
        layout=NAME,
        ref=ref,
        area=area_col,
        text=text,
        me_text=None,
        compliance=compliance,
        method=method,
        mov=mov,
        remark=remark,
        obtained=obtained,
        maximum=maximum,
    )


def read_table(
    file: str, rows: Rows, start: int, cols: Columns, builder: Builder, skip: Collection[int]
) -> None:
    """Fill `builder` from the table starting at row `start`, leaving out `skip`."""
    rc, tc = cols.ref, cols.text
    dc, mc, vc, gc = cols.compliance, cols.method, cols.mov, cols.remark
    hc, ic = cols.obtained, cols.maximum
    sheet = builder.sheet
    levels = LEVELS
    level_set = frozenset(levels)
    d_letter = column_letter(dc) if dc is not None else "?"
    area_cols = tuple(sorted({cols.area, tc} - {rc}))
    ended = False

    for index in range(start, len(rows)):
        if index in skip:
            continue
        row = rows[index]
        a = row[rc]
        if a.__class__ is str and a:
            kind, code, rest, _prefixed = classify_ref(a)
        else:
            kind, code, rest = BLANK, "", ""
        if kind == AREA:
            builder.start_area(code, area_title(rest, row, rc), index)
            ended = False
            continue
        if kind == STANDARD:
            builder.start_standard(
                code,
                cell_text(row[tc]) or rest,
                index,
                cell_number(row[hc]) if hc is not None else None,
                cell_number(row[ic]) if ic is not None else None,
            )
            ended = False
            continue
        if kind == OTHER:
            if not ended and ends_table(a):
                ended = True
            continue
        text_cell = row[tc]
        checkpoint_code: str | None = code
        if kind == BLANK:
            match = None
            for col in area_cols:
                match = area_match(row[col])
                if match:
                    title = area_title(match.group(2).strip(), row, col)
                    builder.start_area(match.group(1).upper(), title, index)
                    ended = False
                    break
            if match or ended or not has_text(text_cell):
                continue
            if is_summary_label(text_cell) or (mc is not None and is_summary_label(row[mc])):
                ended = True
                continue
            # An unnumbered row is a checkpoint only if it is answered or has a method.
            has_method = mc is not None and has_text(row[mc])
            has_value = dc is not None and row[dc] not in ("", None)
            if not (has_method or has_value):
                continue
            checkpoint_code = None
        else:  # a numbered checkpoint
            ended = False
            if not has_text(text_cell) and not rest:
                continue  # a number without checkpoint text is not a checkpoint
        standard = builder.standard
        if standard is None:
            raise WorkbookError(
                "checkpoint before any standard",
                file=file,
                sheet=sheet,
                row=index + 1,
                column=column_letter(rc if checkpoint_code else tc),
            )
        if checkpoint_code is not None and not checkpoint_code.startswith(standard.code + "."):
            builder.warn(index, f"checkpoint {checkpoint_code} is under standard {standard.code}")
        value = None
        if dc is not None:
            try:
                value = compliance_value(row[dc], level_set, levels)
            except BadValue as bad:
                raise bad_value_error(bad, levels, file, sheet, index, d_letter) from None
        methods, unknown = parse_methods(row[mc]) if mc is not None else (frozenset(), ())
        if unknown:
            builder.warnings.append(method_warning(sheet, index, unknown, row[mc] if mc else ""))
        standard.checkpoints.append(
            ParsedCheckpoint(
                row=index + 1,
                text=cell_text(text_cell) or rest,
                code=checkpoint_code,
                me_code=None,
                methods=methods,
                means_of_verification=cell_text(row[vc]) if vc is not None else "",
                value=value,
                remark=cell_text(row[gc]) if gc is not None else "",
            )
        )



def matches(sample: Sample) -> bool:
    """Kayakalp rows carry the method two columns right of the code ("G1.1 | text |
    OB/SI") where NQAS rows carry checkpoint text; the "ME" prefix decides a tie."""
    if sample.methods_beside != sample.texts_beside:
        return sample.methods_beside > sample.texts_beside
    return sample.bare > sample.prefixed


LAYOUT = Layout(name=NAME, levels=LEVELS, default_tool="KAYAKALP", facility_type=None,
                matches=matches, columns=columns, read_table=read_table)
