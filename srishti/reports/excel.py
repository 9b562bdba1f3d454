"""A dashboard as an Excel workbook: the ranking, the heat map by area of concern (named)
and the weakest standards, as the page shows them to the person who asked."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from srishti.dashboards.selectors import AREAS, Dashboard

HEADER_FILL = PatternFill("solid", fgColor="0B6E4F")


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list], widths: list[int],
           *, first: bool = False):
    sheet = book.active if first else book.create_sheet()
    sheet.title = title[:31]
    sheet.append(header)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    return sheet


def _round(value, digits: int = 1):
    return round(value, digits) if value is not None else None


def dashboard_workbook(dashboard: Dashboard, *, level: str, area_titles: dict[str, str]
                       ) -> bytes:
    """Three sheets: the ranking (districts on the state dashboard, facilities on a
    district's), percent of points per area of concern, and the weakest standards."""
    book = Workbook()
    if level == "state":
        _sheet(book, _("Districts ranked"),
               ["#", _("District"), _("Facilities"), _("Assessed"), _("Average score"),
                _("Ready")],
               [[n, r.name, r.facilities, r.assessed, _round(r.average_score), r.ready]
                for n, r in enumerate(dashboard.ranking, start=1)],
               [5, 24, 11, 11, 14, 9], first=True)
    else:
        _sheet(book, _("Facilities ranked"),
               ["#", _("Facility"), _("Type"), _("Latest score"), _("Verdict"),
                _("Assessed on")],
               [[n, r.name, r.extra.get("type", ""), _round(r.average_score),
                 (_("certifiable") if r.extra.get("passed")
                  else _("not certifiable") if r.extra.get("passed") is False else ""),
                 r.extra.get("date")]
                for n, r in enumerate(dashboard.ranking, start=1)],
               [5, 32, 8, 13, 16, 13], first=True)
        for cell in book.active["F"][1:]:
            cell.number_format = "DD-MM-YYYY"
    heat_names = [f"{a} {area_titles.get(a, '')}".strip() for a in AREAS]
    _sheet(book, _("By area of concern"),
           [_("District") if level == "state" else _("Facility"), *heat_names],
           [[row.name, *(_round(v) for v in row.cells)] for row in dashboard.heat],
           [28, *([16] * len(AREAS))])
    _sheet(book, _("Weakest standards"), [_("Standard"), _("Score"), _("Facilities")],
           [[w.code, _round(w.score), w.facilities] for w in dashboard.weakest], [12, 10, 12])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
