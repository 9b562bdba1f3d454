"""What every layout shares: the columns of a table, a sample of its first rows (the
facts each layout's detection and column inference look at), and the `Layout` record a
layout module exports.

Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import NamedTuple

from srishti.workbooks.builder import Builder
from srishti.workbooks.cells import (
    BLANK,
    CODE,
    METHOD_CELL_RE,
    NA_WORDS,
    NON_WORD_RE,
    STANDARD,
    Rows,
    cell_number,
    classify_ref,
    column_letter,
    has_text,
)
from srishti.workbooks.parsed import ParsedDepartment
from srishti.workbooks.sheetxml import SheetFacts

ROLES = ("service", "ref", "me_text", "text", "compliance", "method", "mov", "remark",
          "obtained", "maximum")


class Columns(NamedTuple):
    layout: str
    ref: int
    area: int
    text: int
    me_text: int | None
    compliance: int | None
    method: int | None
    mov: int | None
    remark: int | None
    obtained: int | None
    maximum: int | None
    # AAM-SC: the service package of each checkpoint ("All", "NCD", "SC Type B").
    service: int | None = None

    def letters(self) -> dict[str, str]:
        out = {}
        for role in ROLES:
            index = getattr(self, role)
            if index is not None:
                out[role] = column_letter(index)
        return out

    def highest(self) -> int:
        return max(getattr(self, role) or 0 for role in (*ROLES, "area"))



# Header keywords -> column role (first match wins, checked in this order).
HEADER_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("service", ("service",)),
    ("obtained", ("obtain", "obtaned", "obtatined")),
    ("maximum", ("maximum", "max marks", "max. marks", "max score")),
    ("compliance", ("complian", "score", "marks")),
    ("method", ("method",)),
    ("mov", ("verification", "means of", "audit support", "evidence")),
    ("remark", ("remark", "observation", "comment")),
    ("me_text", ("measurable", "me statement", "me text")),
    ("text", ("checkpoint", "check point", "check-point", "criteria", "criterion")),
    ("ref", ("reference", "ref no", "ref.", "standard", "s.no", "sl no", "sr no")),
)



SAMPLE_ROWS = 120


def header_roles(rows: Rows, area_index: int) -> dict[str, int]:
    """Column roles named by a header row just above the first area row, if any."""
    for index in range(area_index - 1, max(-1, area_index - 4), -1):
        roles: dict[str, int] = {}
        for col, cell in enumerate(rows[index][:16]):
            if cell.__class__ is not str or len(cell) > 60:
                continue
            low = " ".join(cell.lower().split())
            for role, keys in HEADER_ROLES:
                if role not in roles and any(k in low for k in keys):
                    roles[role] = col
                    break
        if len(roles) >= 3:
            return roles
    return {}



class Sample(NamedTuple):
    """The first rows of a table, classified: what detection and inference look at."""

    rows: Rows
    area_index: int  # the first "Area of Concern" row (0-based)
    area_col: int
    width: int
    ref: int  # the reference column: the first "Standard X1" cell
    code_rows: list[int]  # rows whose reference is a code ("ME A1.1", "G1.1")
    standard_rows: list[int]
    continuation_rows: list[int]  # rows with a blank reference
    prefixed: int  # codes written with "ME"
    bare: int  # codes without
    methods_beside: int  # code rows with a method two columns right of the reference
    texts_beside: int  # code rows with text there
    header: dict[str, int]  # roles named by a header row
    method: int | None  # the assessment-method column, by header or by content


def sample(rows: Rows, area_index: int, area_col: int, width: int) -> Sample | None:
    """Classify the table's first rows; None when no "Standard" row follows the area."""
    # The reference column holds the first "Standard X1" cell (A in every known variant;
    # B or C when a serial-number or service column comes first).
    first_cols = min(width, 4)
    ref = first_standard = -1
    for index in range(area_index, len(rows)):
        row = rows[index]
        for col in range(min(first_cols, len(row))):
            cell = row[col]
            if cell.__class__ is str and cell and classify_ref(cell)[0] == STANDARD:
                ref, first_standard = col, index
                break
        if ref >= 0:
            break
    if ref < 0:
        return None
    end = min(len(rows), first_standard + SAMPLE_ROWS)

    prefixed = bare = 0
    code_rows: list[int] = []
    standard_rows: list[int] = []
    continuation_rows: list[int] = []
    for index in range(area_index, end):
        row = rows[index]
        cell = row[ref] if ref < len(row) else ""
        if cell.__class__ is not str or not cell:
            continuation_rows.append(index)
            continue
        kind, _code, _rest, had_prefix = classify_ref(cell)
        if kind == CODE:
            code_rows.append(index)
            if had_prefix:
                prefixed += 1
            else:
                bare += 1
        elif kind == STANDARD:
            standard_rows.append(index)
        elif kind == BLANK:
            continuation_rows.append(index)
    beside = ref + 2
    methods_beside = texts_beside = 0
    for index in code_rows:
        cell = rows[index][beside] if beside < len(rows[index]) else ""
        if isinstance(cell, str) and has_text(cell):
            if len(cell) < 24 and METHOD_CELL_RE.match(cell):
                methods_beside += 1
            else:
                texts_beside += 1
    header = header_roles(rows, area_index)

    # Assessment methods are recognisable by content: the column where most cells read
    # like "SI/OB" on the table's rows.
    method_hits: dict[int, int] = {}
    for index in range(area_index, end):
        row = rows[index]
        for col in range(ref + 1, len(row)):
            cell = row[col]
            if cell.__class__ is str and 1 < len(cell) < 24 and METHOD_CELL_RE.match(cell):
                method_hits[col] = method_hits.get(col, 0) + 1
    by_content = max(method_hits, key=method_hits.__getitem__) if method_hits else None
    if by_content is not None and method_hits[by_content] < 3:
        by_content = None
    method = header.get("method")
    if method is None or (
        by_content is not None and method_hits.get(method, 0) == 0 and method_hits[by_content] >= 5
    ):
        method = by_content
    return Sample(rows, area_index, area_col, width, ref, code_rows, standard_rows,
                  continuation_rows, prefixed, bare, methods_beside, texts_beside, header,
                  method)


def text_column(
    rows: Rows, continuation_rows: list[int], first: int, stop: int, default: int
) -> int:
    """The checkpoint column: where continuation rows (blank reference) hold their text."""
    best, best_hits = default, 0
    for col in range(first, stop):
        hits = sum(1 for i in continuation_rows if col < len(rows[i]) and has_text(rows[i][col]))
        if hits > best_hits:
            best, best_hits = col, hits
    return best if best_hits >= 3 else default


def total_columns(rows: Rows, standard_rows: list[int], *, after: int) -> list[int]:
    """Columns right of `after` that hold numbers on standard rows (obtained, maximum)."""
    hits: dict[int, int] = {}
    for index in standard_rows:
        row = rows[index]
        for col in range(after + 1, len(row)):
            if cell_number(row[col]) is not None:
                hits[col] = hits.get(col, 0) + 1
    return sorted(hits)[:2]


def numeric_column(
    rows: Rows,
    code_rows: list[int],
    width: int,
    *,
    exclude: Collection[int | None],
    only_levels: bool,
) -> int | None:
    """The column that holds numbers (or NA) on checkpoint rows, if any."""
    best: int | None = None
    best_hits = 0
    for col in range(width):
        if col in exclude:
            continue
        hits = bad = 0
        for index in code_rows:
            row = rows[index]
            cell = row[col] if col < len(row) else ""
            if cell == "" or cell is None:
                continue
            number = cell_number(cell)
            if number is not None:
                if only_levels and number not in (0.0, 1.0, 2.0):
                    bad += 1
                else:
                    hits += 1
            elif cell.__class__ is str and NON_WORD_RE.sub("", cell.lower()) in NA_WORDS:
                hits += 1
            else:
                bad += 1
        if hits > best_hits and hits >= bad * 4:
            best, best_hits = col, hits
    return best



# read_table(file, rows, start, columns, builder, skip): fills the builder from the table.
ReadTable = Callable[[str, Rows, int, "Columns", Builder, Collection[int]], None]


class Layout(NamedTuple):
    """One family of workbook tables: what a layout module exports as `LAYOUT`."""

    name: str  # ParsedWorkbook.layout: "nqas", "kayakalp", "aam-sc"
    levels: tuple[float, ...]  # allowed compliance values
    default_tool: str  # the tool a table of this layout is, unless the content says more
    facility_type: str | None  # the facility type it implies, if any
    matches: Callable[[Sample], bool]
    columns: Callable[[Sample], Columns]
    read_table: ReadTable
    # The themes (AAM-SC service packages) below the table: [number, name, [ME codes]].
    themes: Callable[[Rows, ParsedDepartment, SheetFacts], list[list[object]]] | None = None
