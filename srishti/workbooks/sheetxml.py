"""What the parser does not say about an xlsx sheet, read from its XML before any grid
is built: how far its cells reach, which rows are hidden, and which rows the formulas'
ranges cover.

calamine builds a dense grid from A1 to the farthest cell, so a 1.6 KB file with cells in
A1 and XFD1048576 would ask it for 549 GB. The extent is therefore measured here, from
the cells' own references (the `<dimension>` element is optional and may lie), and a
sheet beyond the limits is refused before calamine sees it. calamine does not expose row
visibility or formulas at all; both are needed for the hidden-row rule (see
`reader._apply_hidden_rows`).

The sheet XML is streamed from the zip in chunks and scanned with a few regular
expressions rather than an XML parser: only row elements, formulas and cell references
of more than one column letter or more than four row digits are matched, which keeps the
scan a small fraction of the parse, and memory flat whatever the sheet's size.
Not an xlsx (xls, ods) -> no facts; calamine's own limits apply.

Pure Python, no Django.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from bisect import bisect_right
from typing import NamedTuple
from xml.etree import ElementTree

# A district hospital's department sheet has about 1,000 rows and 12 columns; these leave
# room for any real checklist and keep calamine's grid well under 100 MB.
MAX_ROWS = 50_000
MAX_COLUMNS = 702  # "ZZ"
MAX_CELLS = 2_000_000

_CHUNK = 1 << 20
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b")
_ATTR_R_RE = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_ATTR_HIDDEN_RE = re.compile(rb"""\bhidden\s*=\s*["'](?:1|true)["']""")
# Cell references that matter for the extent: two or three column letters, or a row
# number of five digits or more. One-letter columns (A-Z) below row 10,000 cannot make
# an absurd grid on their own, and they are almost every cell: not matching them keeps
# the scan fast.
_FAR_CELL_RE = re.compile(rb"""\sr\s*=\s*["'](?:([A-Z]{2,3})(\d+)|([A-Z])(\d{5,}))["']""")
_RANGE_RE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)\s*:\s*\$?([A-Z]{1,3})\$?(\d+)")
_SINGLE_RE = re.compile(r"(?<![A-Z0-9_:$!.])\$?([A-Z]{1,3})\$?(\d+)(?![\d:(])")


class SheetFacts(NamedTuple):
    rows: int  # the farthest row a cell or row element reaches (1-based)
    columns: int  # the farthest column (1-based); at least 26 when not measured exactly
    hidden_rows: frozenset[int]
    # Formula row -> the row spans (first, last, column) its formula reads, one per range
    # or single cell reference on the same sheet (SUM(D10:D20) -> (10, 20, "D")).
    formula_spans: dict[int, tuple[tuple[int, int, str], ...]]


class ExtentError(Exception):
    """A sheet reaching absurdly far; the message says how far."""


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML, from the workbook's relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")
    }
    parts: dict[str, str] = {}
    sheets = book.find(f"{{{_MAIN_NS}}}sheets")
    for sheet in [] if sheets is None else sheets:
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"))
        name = sheet.get("name")
        if not target or name is None:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        parts[name] = part
    return parts


def scan_sheet(archive: zipfile.ZipFile, part: str) -> SheetFacts:
    """Stream one sheet's XML; raise `ExtentError` as soon as it reaches too far."""
    row_re = formula_re = None
    max_row = max_col = 0
    current_row = 0
    hidden: set[int] = set()
    spans: dict[int, list[tuple[int, int, str]]] = {}
    tail = b""
    consumed = 0  # bytes of the stream before `buffer`
    row_positions: list[int] = []  # absolute offsets of row elements, in order
    row_numbers: list[int] = []
    bare_cells = False
    cell_tag = b"<c"
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            buffer = tail + chunk
            if chunk:
                # Scan up to the last "<": every element before it is complete, and so is
                # the text of a formula whose closing tag starts there.
                cut = buffer.rfind(b"<")
                if cut <= 0:
                    tail = buffer
                    continue
                part_bytes, tail = buffer[:cut], buffer[cut:]
            else:
                part_bytes, tail = buffer, b""
            if row_re is None:
                root = _ROOT_RE.search(part_bytes)
                raw_prefix = root.group(1) if root is not None and root.group(1) else b""
                prefix = re.escape(raw_prefix)
                row_re = re.compile(b"<" + prefix + rb"row\b([^>]*)>")
                formula_re = re.compile(b"<" + prefix + rb"f\b[^>/]*>([^<]+)")
                cell_tag = b"<" + raw_prefix + b"c"
            assert formula_re is not None
            for m in row_re.finditer(part_bytes):
                attrs = m.group(1)
                r = _ATTR_R_RE.search(attrs)
                current_row = int(r.group(1)) if r else current_row + 1
                row_positions.append(consumed + m.start())
                row_numbers.append(current_row)
                if _ATTR_HIDDEN_RE.search(attrs):
                    hidden.add(current_row)
            if row_numbers:
                max_row = max(max_row, row_numbers[-1])
            for m in _FAR_CELL_RE.finditer(part_bytes):
                letters, digits = (m.group(1), m.group(2)) if m.group(1) else (m.group(3),
                                                                               m.group(4))
                max_col = max(max_col, column_number(letters.decode()))
                max_row = max(max_row, int(digits))
            if not bare_cells and (cell_tag + b">" in part_bytes or cell_tag + b"/>" in
                                   part_bytes):
                bare_cells = True  # cells without a reference: placed one after another
            _check(part, max_row, max(max_col, 26))
            for m in formula_re.finditer(part_bytes):
                at = bisect_right(row_positions, consumed + m.start()) - 1
                if at < 0:
                    continue
                found = _formula_spans(m.group(1).decode("utf-8", "replace"))
                if found:
                    spans.setdefault(row_numbers[at], []).extend(found)
            consumed += len(part_bytes)
            if not chunk:
                break
    if bare_cells:
        max_col = max(max_col, _widest_row(archive, part, cell_tag))
        _check(part, max_row, max_col)
    return SheetFacts(
        rows=max_row,
        columns=max(max_col, 26),
        hidden_rows=frozenset(hidden),
        formula_spans={row: tuple(s) for row, s in spans.items()},
    )


def _check(part: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise ExtentError(
            f"cells reach row {rows:,} and column {columns:,}, beyond what a checklist "
            f"holds (at most {MAX_ROWS:,} rows, {MAX_COLUMNS} columns, {MAX_CELLS:,} cells)"
        )


def _widest_row(archive: zipfile.ZipFile, part: str, cell_tag: bytes) -> int:
    """The most cells in one row, for sheets whose cells carry no reference (rare)."""
    cell_re = re.compile(re.escape(cell_tag) + rb"[\s/>]")
    widest = count = 0
    tail = b""
    row_re = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b")
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = tail + chunk
            cut = buffer.rfind(b"<")
            part_bytes, tail = buffer[:cut], buffer[cut:]
            last = 0
            for m in row_re.finditer(part_bytes):
                count += len(cell_re.findall(part_bytes, last, m.start()))
                widest, count, last = max(widest, count), 0, m.end()
            count += len(cell_re.findall(part_bytes, last))
            if count > MAX_COLUMNS:
                return count
    return max(widest, count)


def _formula_spans(formula: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for m in _RANGE_RE.finditer(formula):
        a, b = int(m.group(2)), int(m.group(4))
        found.append((min(a, b), max(a, b), m.group(1)))
    for m in _SINGLE_RE.finditer(_RANGE_RE.sub(" ", formula)):
        row = int(m.group(2))
        found.append((row, row, m.group(1)))
    return found


class WorkbookXml:
    """An xlsx opened for `scan_sheet`; `facts(sheet)` is None for other formats."""

    def __init__(self, path: str) -> None:
        self._archive: zipfile.ZipFile | None = None
        self._parts: dict[str, str] = {}
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError):
            return
        self._archive = archive
        self._parts = sheet_parts(archive)

    def sheet_names(self) -> list[str]:
        return list(self._parts)

    def facts(self, sheet: str) -> SheetFacts | None:
        part = self._parts.get(sheet)
        if self._archive is None or part is None:
            return None
        try:
            return scan_sheet(self._archive, part)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
            return None  # a damaged member: calamine says what is wrong with it

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None
