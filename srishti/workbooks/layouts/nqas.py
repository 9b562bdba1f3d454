"""NQAS department sheets (NQAS, LaQshya, MusQan; DH, CHC, PHC, UPHC; 2016 on).

Reference (``Standard A1``, ``ME A1.1``), measurable element, checkpoint, compliance
(0/1/2, blank = NA), method, means of verification, remarks, obtained, maximum. A row
with checkpoint text is a checkpoint, whatever else it holds; a row without is not,
whatever its compliance cell holds. Continuation rows leave the reference blank (or
".") and belong to the current measurable element. The fallback layout: any table with
standards that no other layout claims.
"""

from __future__ import annotations

from collections.abc import Collection

from srishti.workbooks.builder import Builder
from srishti.workbooks.cells import (
    AREA,
    BLANK,
    CODE,
    METHOD_CACHE,
    REF_CACHE,
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
    service_tag,
)
from srishti.workbooks.layouts.base import (
    Columns,
    Layout,
    Sample,
    numeric_column,
    text_column,
    total_columns,
)
from srishti.workbooks.parsed import ParsedCheckpoint, ParsedStandard, WorkbookError

NAME = "nqas"
LEVELS: tuple[float, ...] = (0.0, 1.0, 2.0)


def columns(sample: Sample) -> Columns:
    """Checkpoint text two columns right of the reference, then compliance, method,
    means of verification, remarks, obtained and maximum; the header row's names win,
    then what the cells hold, then the official positions."""
    rows, header, method, ref = sample.rows, sample.header, sample.method, sample.ref
    area_col, width = sample.area_col, sample.width
    continuation_rows, code_rows = sample.continuation_rows, sample.code_rows
    standard_rows = sample.standard_rows
    shift = 0 if method is None else method - (ref + 4)
    if method is None:
        method = ref + 4
    me_text = header.get("me_text", ref + 1)
    text = header.get("text")
    if text is None:
        text = text_column(rows, continuation_rows, ref + 1, method, ref + 2 + shift)
    taken = {ref, me_text, text, method}
    compliance = header.get("compliance")
    if compliance is None:
        compliance = numeric_column(rows, code_rows, width, exclude=taken, only_levels=True)
        if compliance is None:
            compliance = method - 1 if method - 1 not in taken else text + 1
    mov = header.get("mov", method + 1)
    remark = header.get("remark", max(mov, method) + 1)
    obtained = header.get("obtained")
    maximum = header.get("maximum")
    if obtained is None or maximum is None:
        last = max(remark, mov, method, compliance)
        found = total_columns(rows, standard_rows, after=last)
        if len(found) < 2:
            found = [last + 1, last + 2]
        if obtained is None:
            obtained = found[0] if maximum is None or found[0] != maximum else found[1]
        if maximum is None:
            maximum = found[1] if found[1] != obtained else obtained + 1
    return Columns(
        layout=NAME,
        ref=ref,
        area=area_col,
        text=text,
        me_text=me_text,
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
    bc = cols.me_text if cols.me_text is not None else rc + 1
    dc, mc, vc, gc = cols.compliance, cols.method, cols.mov, cols.remark
    hc, ic = cols.obtained, cols.maximum
    sc = cols.service
    sheet = builder.sheet
    levels = LEVELS
    level_set = frozenset(levels)
    d_letter = column_letter(dc) if dc is not None else "?"
    t_letter = column_letter(tc)
    area_cols = tuple(sorted({cols.area, bc, tc} - {rc}))
    warnings = builder.warnings
    standard: ParsedStandard | None = None
    me_code: str | None = None
    ended = False  # inside a score summary that follows the table
    cached_ref = REF_CACHE.get
    cached_methods = METHOD_CACHE.get

    for index in range(start, len(rows)):
        if index in skip:
            continue
        row = rows[index]
        a = row[rc]
        if a.__class__ is str and a:
            info = cached_ref(a) or classify_ref(a)
            kind = info[0]
        else:
            kind = BLANK  # blank or a number (serial numbers, the summary's 0/1/2 list)
        c = row[tc]
        if not (c.__class__ is str and c and (len(c) > 2 and not c.isspace() or has_text(c))):
            # No checkpoint text: structure, an ME without checkpoints, or noise.
            if kind == CODE:
                if builder.standard is None:
                    builder.warn(index, f"ME {info[1]} before any standard; ignored")
                    continue
                builder.start_me(info[1], cell_text(row[bc]) or info[2], index)
                me_code = info[1]
                ended = False
            elif kind == STANDARD:
                standard = builder.start_standard(
                    info[1],
                    cell_text(row[bc]) or info[2],
                    index,
                    cell_number(row[hc]) if hc is not None else None,
                    cell_number(row[ic]) if ic is not None else None,
                )
                me_code = None
                ended = False
            elif kind == AREA:
                builder.start_area(info[1], area_title(info[2], row, rc), index)
                standard = me_code = None
                ended = False
            else:  # an area row with its title further right, a summary row, or noise
                for col in area_cols:
                    match = area_match(row[col])
                    if match:
                        title = area_title(match.group(2).strip(), row, col)
                        builder.start_area(match.group(1).upper(), title, index)
                        standard = me_code = None
                        ended = False
                        break
                else:
                    if not ended and (
                        is_summary_label(row[bc]) if kind == BLANK else ends_table(a)
                    ):
                        ended = True
            continue

        # Checkpoint text. Structure on the same row comes first.
        if kind == CODE:
            if standard is None:
                raise WorkbookError(
                    "checkpoint before any standard",
                    file=file,
                    sheet=sheet,
                    row=index + 1,
                    column=t_letter,
                )
            builder.start_me(info[1], cell_text(row[bc]) or info[2], index)
            me_code = info[1]
            ended = False
        elif kind == BLANK:
            if "oncern" in c:
                match = area_match(c)
                if match:  # an area row whose title sits in the checkpoint column
                    builder.start_area(match.group(1).upper(), match.group(2).strip(), index)
                    standard = me_code = None
                    ended = False
                    continue
            if ended:
                continue
            if len(c) < 25 and (is_summary_label(c) or is_summary_label(row[bc])):
                ended = True  # "Obtained | Maximum | Percent" below the table
                continue
        elif kind == STANDARD:
            standard = builder.start_standard(
                info[1],
                cell_text(row[bc]) or info[2],
                index,
                cell_number(row[hc]) if hc is not None else None,
                cell_number(row[ic]) if ic is not None else None,
            )
            me_code = None
            ended = False
        elif kind == AREA:
            builder.start_area(info[1], info[2], index)
            standard = me_code = None
            ended = False
            continue
        else:  # unrecognised text in the reference column
            if ended:
                continue
            if ends_table(a) or is_summary_label(c) or is_summary_label(row[bc]):
                ended = True
                continue
            builder.warn(
                index,
                f"unrecognised reference {cell_text(a)!r} in column {column_letter(rc)}; "
                "read as a continuation row",
            )
        if standard is None:
            raise WorkbookError(
                "checkpoint before any standard",
                file=file,
                sheet=sheet,
                row=index + 1,
                column=t_letter,
            )

        value = None
        if dc is not None:
            d = row[dc]
            if d.__class__ is float and d in level_set:
                value = d
            elif d != "":
                try:
                    value = compliance_value(d, level_set, levels)
                except BadValue as bad:
                    raise bad_value_error(bad, levels, file, sheet, index, d_letter) from None
        m = row[mc] if mc is not None else ""
        methods = cached_methods(m) if m.__class__ is str else None
        if methods is None:
            methods = parse_methods(m)
        if methods[1]:
            warnings.append(method_warning(sheet, index, methods[1], m))
        mov = row[vc] if vc is not None else ""
        remark = row[gc] if gc is not None else ""
        standard.checkpoints.append(
            ParsedCheckpoint(
                row=index + 1,
                text=c.strip(),
                code=None,
                me_code=me_code,
                methods=methods[0],
                means_of_verification=mov.strip() if mov.__class__ is str else cell_text(mov),
                value=value,
                remark=remark.strip() if remark.__class__ is str else cell_text(remark),
                service=None if sc is None else service_tag(row[sc]),
            )
        )



def matches(sample: Sample) -> bool:
    return True


LAYOUT = Layout(name=NAME, levels=LEVELS, default_tool="NQAS", facility_type=None,
                matches=matches, columns=columns, read_table=read_table)
