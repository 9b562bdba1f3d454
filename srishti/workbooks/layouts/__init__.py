"""The workbook layouts, one module per family; each owns its detection, column
inference, score levels and default tool, and feeds the one builder (`builder.Builder`).

A new layout is one module exporting `LAYOUT` (`base.Layout`) and its tests, listed here
before the layouts it is more specific than: the first whose `matches` accepts a table's
sample reads it, and `nqas` takes whatever no other claims.
"""

from __future__ import annotations

from srishti.workbooks.cells import Rows
from srishti.workbooks.layouts import aamsc, kayakalp, nqas
from srishti.workbooks.layouts.base import Columns, Layout, sample

LAYOUTS: tuple[Layout, ...] = (aamsc.LAYOUT, kayakalp.LAYOUT, nqas.LAYOUT)
BY_NAME = {layout.name: layout for layout in LAYOUTS}


def infer(rows: Rows, area_index: int, area_col: int, width: int) -> tuple[Layout, Columns] | None:
    """The layout of the table whose first area row is `area_index`, and its columns;
    None when no "Standard" row follows."""
    found = sample(rows, area_index, area_col, width)
    if found is None:
        return None
    layout = next(layout for layout in LAYOUTS if layout.matches(found))
    return layout, layout.columns(found)
