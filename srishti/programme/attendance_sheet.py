"""A training's attendance sheet in Excel: exported with who was invited, filled in at the
venue, imported back.

Reading streams the rows (openpyxl read-only) and stops at MAX_SHEET_ROWS, after checking
the file's size, what it unzips to and the extent the sheet declares: a small file
claiming a million rows is refused in one line, never expanded into memory. Every
problem is reported with its sheet, row and column, and nothing is written unless the
whole sheet is right (attendance_import runs in one transaction).

Headers and values are understood in English and in Hindi, whichever the sheet was
exported in.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from srishti.accounts import access
from srishti.geography.models import District, Facility, State

from .limits import MAX_SHEET_ROWS, MAX_SHEET_UNZIPPED_BYTES, text_problem
from .models import Attendance, AttendanceStatus, StaffMember, StaffRole, Training

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="0B6E4F")

# (key, header, width, longest text accepted); the headers are translated at use.
COLUMNS = [
    ("id", "ID", 8, 0),
    ("name", "Name", 28, 200),
    ("name_hi", "Name in Hindi", 24, 200),
    ("role", "Role", 28, 0),
    ("designation", "Designation", 22, 200),
    ("district", "District", 16, 0),
    ("facility", "Facility", 30, 0),
    ("phone", "Phone", 14, 20),
    ("status", "Attendance", 14, 0),
    ("score", "Post-test score (%)", 12, 0),
]
REQUIRED = ("name", "role")
# Where the header row may be: exported sheets have it in row 1; a sheet typed by hand
# may carry a title above it.
HEADER_SEARCH_ROWS = 10


def _headers() -> dict[str, str]:
    """{key: header in the active language}; marked for translation here."""
    labels = {
        "id": _("ID"), "name": _("Name"), "name_hi": _("Name in Hindi"), "role": _("Role"),
        "designation": _("Designation"), "district": _("District"),
        "facility": _("Facility"), "phone": _("Phone"), "status": _("Attendance"),
        "score": _("Post-test score (%)"),
    }
    return labels


def _fold(value) -> str:
    return " ".join(str(value).split()).casefold().rstrip(" *:")


def _in_both_languages(make) -> list[str]:
    found = []
    for code in ("en", "hi"):
        with translation.override(code):
            found.append(make())
    return found


def _header_keys() -> dict[str, str]:
    """{folded header text, English or Hindi: key}."""
    keys = {}
    for key, *_rest in COLUMNS:
        for text in _in_both_languages(lambda key=key: _headers()[key]):
            keys[_fold(text)] = key
    return keys


def _role_values() -> dict[str, str]:
    values = {}
    for role in StaffRole:
        values[_fold(role.value)] = role.value
        for label in _in_both_languages(lambda role=role: str(role.label)):
            values[_fold(label)] = role.value
    return values


# Attendance as people write it on a sheet, besides the status names themselves.
STATUS_WORDS = {
    "attended": ("yes", "y", "present", "p", "1", "✓", "✔", "हाँ", "हां", "उपस्थित"),
    "absent": ("no", "n", "a", "0", "✗", "नहीं", "अनुपस्थित"),
    "invited": (),
}


def _status_values() -> dict[str, str]:
    values = {}
    for status in AttendanceStatus:
        values[_fold(status.value)] = status.value
        for label in _in_both_languages(lambda status=status: str(status.label)):
            values[_fold(label)] = status.value
        for word in STATUS_WORDS[status.value]:
            values[_fold(word)] = status.value
    return values


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str  # the column's letter
    header: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return _("Sheet “%(sheet)s”: %(message)s") % {"sheet": self.sheet,
                                                          "message": self.message}
        return _("Sheet “%(sheet)s”, row %(row)d, column %(column)s (%(header)s): "
                 "%(message)s") % {"sheet": self.sheet, "row": self.row,
                                   "column": self.column, "header": self.header,
                                   "message": self.message}


class SheetError(Exception):
    """The sheet cannot be imported; `errors` says where and why (one line each)."""

    def __init__(self, errors: list[CellError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class Line:
    """One row of the sheet, checked and resolved."""

    row: int
    staff: StaffMember | None = None  # an existing person (by ID or by name and place)
    name: str = ""
    name_hi: str = ""
    role: str = ""
    designation: str = ""
    phone: str = ""
    place: object = None  # State, District or Facility of a new person
    status: str = AttendanceStatus.INVITED
    score: Decimal | None = None


@dataclass
class ParsedSheet:
    sheet: str
    lines: list[Line] = field(default_factory=list)

    @property
    def new_people(self) -> int:
        return sum(1 for line in self.lines if line.staff is None)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _rows(source, name: str):
    """(book, sheet title, row iterator of value tuples) of the first sheet, bounded.
    `source` is a path or a seekable file."""
    try:
        with zipfile.ZipFile(source) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise SheetError([CellError(name, 0, "", "", _(
            "this is not an Excel workbook (.xlsx); save the sheet as .xlsx and upload "
            "it again"))]) from None
    if unzipped > MAX_SHEET_UNZIPPED_BYTES:
        raise SheetError([CellError(name, 0, "", "", _(
            "the workbook unpacks to more than %(mb)d MB; an attendance sheet is far "
            "smaller. Copy the list into a new workbook and upload that.")
            % {"mb": MAX_SHEET_UNZIPPED_BYTES // (1024 * 1024)})])
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise SheetError([CellError(name, 0, "", "", _(
            "this workbook cannot be read; open it in Excel, save it as .xlsx and upload "
            "it again"))]) from None
    sheet = book.worksheets[0]
    declared = sheet.max_row or 0
    if declared > MAX_SHEET_ROWS + HEADER_SEARCH_ROWS:
        book.close()
        raise SheetError([CellError(sheet.title, 0, "", "", _(
            "the sheet's used range runs to row %(rows)d; an attendance sheet has at most "
            "%(max)d people. Delete the empty rows below the list (or copy the list into "
            "a new workbook) and upload it again.")
            % {"rows": declared, "max": MAX_SHEET_ROWS})])
    return book, sheet.title, sheet.iter_rows(max_col=len(COLUMNS) + 10, values_only=True)


def read_sheet(source, *, name: str, training: Training, user) -> ParsedSheet:
    """Read and check an attendance sheet for `training`, as `user` imports it.

    Raises SheetError naming every problem's sheet, row and column (at most a screenful).
    Rows are matched to people by their ID (a person the user sees), or else by name,
    role and place; a row matching nobody is a new person, whom the user must be allowed
    to record at that place.
    """
    from .limits import MAX_ERRORS_SHOWN

    book, title, rows = _rows(source, name)
    errors: list[CellError] = []
    try:
        header_row, columns, raw = _find_header(rows, title)
        if header_row == 0:
            raise SheetError([CellError(title, 0, "", "", _(
                "no header row with the columns “%(name)s” and “%(role)s” in the first "
                "%(rows)d rows; start from the exported sheet")
                % {"name": _headers()["name"], "role": _headers()["role"],
                   "rows": HEADER_SEARCH_ROWS})])
        lines = []
        row_number = header_row
        for values in raw:
            row_number += 1
            if row_number - header_row > MAX_SHEET_ROWS:
                # Rows are only yielded up to the last one the sheet holds: this one
                # exists, so the sheet is longer than any attendance list.
                raise SheetError([CellError(title, 0, "", "", _(
                    "the sheet runs past row %(row)d; an attendance sheet has at most "
                    "%(max)d people. Delete the rows below the list, or split it.")
                    % {"row": row_number - 1, "max": MAX_SHEET_ROWS})])
            cells = {key: (values[i] if i < len(values) else None)
                     for key, i in columns.items()}
            if not any(_cell_text(v) for v in cells.values()):
                continue
            lines.append((row_number, cells))
    finally:
        book.close()
    if not lines:
        raise SheetError([CellError(title, 0, "", "", _("the sheet lists nobody"))])
    parsed = ParsedSheet(title)
    _Resolver(training, user, title, columns, errors).resolve(lines, parsed)
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > len(shown):
            shown.append(CellError(title, 0, "", "", _("and %(count)d more problems")
                                   % {"count": len(errors) - len(shown)}))
        raise SheetError(shown)
    return parsed


def _find_header(rows, title: str):
    """(header row number, {key: column index}, the remaining rows); (0, {}, rows) when
    no header is found in the first rows."""
    keys = _header_keys()
    for number in range(1, HEADER_SEARCH_ROWS + 1):
        values = next(rows, None)
        if values is None:
            break
        columns = {}
        for index, value in enumerate(values):
            key = keys.get(_fold(value)) if value is not None else None
            if key and key not in columns:
                columns[key] = index
        if all(k in columns for k in REQUIRED):
            return number, columns, rows
    return 0, {}, rows


class _Resolver:
    """Checks each row's cells and finds the people and places they name (a fixed number
    of queries for the whole sheet)."""

    def __init__(self, training: Training, user, title: str, columns: dict[str, int],
                 errors: list[CellError]):
        self.training, self.user, self.title = training, user, title
        self.columns, self.errors = columns, errors
        self.headers = _headers()
        self.roles = _role_values()
        self.statuses = _status_values()

    def error(self, row: int, key: str, message: str) -> None:
        column = get_column_letter(self.columns[key] + 1) if key in self.columns else ""
        self.errors.append(CellError(self.title, row, column, self.headers[key], message))

    def resolve(self, lines: list[tuple[int, dict]], parsed: ParsedSheet) -> None:
        training = self.training
        state = State.objects.get(pk=training.state_id)
        districts = {_fold(d.name): d for d in District.objects.filter(state=state)}
        facility_names = {_fold(_cell_text(cells.get("facility"))) for _row, cells in lines}
        facilities: dict[tuple[int, str], list[Facility]] = {}
        wanted = [n for n in facility_names if n]
        if wanted:
            for f in Facility.objects.filter(district__state=state).select_related("district"):
                key = _fold(f.name)
                if key in facility_names:
                    facilities.setdefault((f.district_id, key), []).append(f)
        ids = set()
        for _row, cells in lines:
            text = _cell_text(cells.get("id"))
            if text.isdigit():
                ids.add(int(text))
        visible = {s.pk: s for s in access.visible_staff(self.user).filter(pk__in=ids)} \
            if ids else {}
        # Existing people who might be named without an ID: those of the same names.
        names = {_fold(_cell_text(cells.get("name"))) for _row, cells in lines}
        known: dict[tuple, StaffMember] = {}
        for s in access.visible_staff(self.user).filter(state=state).only(
                "id", "name", "role", "state_id", "district_id", "facility_id"):
            if _fold(s.name) in names:
                known.setdefault((_fold(s.name), s.role, s.district_id, s.facility_id), s)
        seen_staff: dict[int, int] = {}
        for row, cells in lines:
            line = self._line(row, cells, districts, facilities, visible, known)
            if line is None:
                continue
            if line.staff is not None:
                first = seen_staff.setdefault(line.staff.pk, row)
                if first != row:
                    self.error(row, "name", _("the same person as in row %(row)d")
                               % {"row": first})
                    continue
            parsed.lines.append(line)

    def _text(self, row: int, cells: dict, key: str, max_length: int) -> str | None:
        text = _cell_text(cells.get(key))
        problem = text_problem(text, max_length=max_length)
        if problem:
            self.error(row, key, problem)
            return None
        return text

    def _line(self, row, cells, districts, facilities, visible, known) -> Line | None:
        before = len(self.errors)
        line = Line(row)
        id_text = _cell_text(cells.get("id"))
        if id_text:
            staff = visible.get(int(id_text)) if id_text.isdigit() else None
            if staff is None:
                self.error(row, "id", _("no person with ID %(id)s among the people you "
                                        "see; leave it empty for someone new")
                           % {"id": id_text})
            line.staff = staff
        name_ok = True
        for key, _header, _width, longest in COLUMNS:
            if longest:
                value = self._text(row, cells, key, longest)
                if value is not None:
                    setattr(line, key, value)
                elif key == "name":
                    name_ok = False
        role_text = _cell_text(cells.get("role"))
        line.role = self.roles.get(_fold(role_text), "") if role_text else ""
        if name_ok and not line.name and line.staff is None:
            self.error(row, "name", _("the name is empty"))
        if not line.role and line.staff is None:
            self.error(row, "role", _("“%(value)s” is not a role; use one of the roles of "
                                      "the exported sheet") % {"value": role_text}
                       if role_text else _("the role is empty"))
        status_text = _cell_text(cells.get("status"))
        status = self.statuses.get(_fold(status_text)) if status_text else "invited"
        if status is None:
            self.error(row, "status", _("“%(value)s” is not an attendance; write "
                                        "“%(attended)s” or “%(absent)s”, or leave it empty "
                                        "for invited") % {
                "value": status_text, "attended": AttendanceStatus.ATTENDED.label,
                "absent": AttendanceStatus.ABSENT.label})
        else:
            line.status = status
        line.score = self._score(row, cells, line.status)
        if line.staff is None:
            line.place = self._place(row, cells, districts, facilities)
            if line.place is not None and line.name and line.role:
                line.staff = known.get((_fold(line.name), line.role,
                                        *self._place_ids(line.place)))
                if line.staff is None and not access.can_manage_staff(self.user, line.place):
                    self.error(row, "name", _("a new person at %(place)s, where you may not "
                                              "record people") % {"place": line.place})
        return line if len(self.errors) == before else None

    @staticmethod
    def _place_ids(place) -> tuple[int | None, int | None]:
        if isinstance(place, Facility):
            return place.district_id, place.pk
        if isinstance(place, District):
            return place.pk, None
        return None, None

    def _score(self, row: int, cells: dict, status: str) -> Decimal | None:
        value = cells.get("score")
        text = _cell_text(value).rstrip("%").strip()
        if not text:
            return None
        try:
            score = Decimal(text).quantize(Decimal("0.1"))
        except InvalidOperation:
            self.error(row, "score", _("“%(value)s” is not a number") % {"value": text})
            return None
        if isinstance(value, float) and 0 < value < 1:
            # A cell formatted as a percentage holds 0.85 for 85%.
            score = (Decimal(str(value)) * 100).quantize(Decimal("0.1"))
        if not Decimal(0) <= score <= Decimal(100):
            self.error(row, "score", _("a score is a percentage from 0 to 100"))
            return None
        if status != AttendanceStatus.ATTENDED:
            self.error(row, "score", _("a score is given, but the person is not marked as "
                                       "attended"))
            return None
        return score

    def _place(self, row, cells, districts, facilities):
        training = self.training
        district_text = _cell_text(cells.get("district"))
        facility_text = _cell_text(cells.get("facility"))
        district = None
        if district_text:
            district = districts.get(_fold(district_text))
            if district is None:
                self.error(row, "district", _("no district “%(name)s” in %(state)s")
                           % {"name": district_text, "state": training.state})
                return None
        elif training.district_id:
            # A district's training: people are of that district unless said otherwise.
            district = training.district
        if not facility_text:
            return district or State.objects.get(pk=training.state_id)
        if district is None:
            self.error(row, "district", _("give the district of the facility"))
            return None
        found = facilities.get((district.pk, _fold(facility_text)), [])
        if len(found) != 1:
            self.error(row, "facility", (_("no facility “%(name)s” in %(district)s")
                       if not found else _("more than one facility “%(name)s” in "
                                           "%(district)s"))
                       % {"name": facility_text, "district": district.name})
            return None
        return found[0]


@transaction.atomic
def attendance_import(*, training: Training, parsed: ParsedSheet) -> tuple[int, int]:
    """Write a checked sheet: new people recorded, every listed person's attendance set.

    People not on the sheet keep their attendance. Returns (people added, rows written).
    Imports of one state run one at a time (its row is locked), so two imports naming
    the same new person record them once.
    """
    from .services import place_columns

    State.objects.select_for_update().filter(pk=training.state_id).first()
    added = 0
    for line in parsed.lines:
        staff = line.staff
        if staff is None:
            columns = place_columns(line.place)
            staff = (StaffMember.objects.filter(
                name__iexact=line.name, role=line.role, district=columns["district"],
                facility=columns["facility"], state=columns["state"]).first())
            if staff is None:
                staff = StaffMember.objects.create(
                    name=line.name, name_hi=line.name_hi, role=line.role,
                    designation=line.designation, phone=line.phone, **columns)
                added += 1
        Attendance.objects.update_or_create(
            training=training, staff=staff,
            defaults={"status": line.status, "post_test_score": line.score})
    return added, len(parsed.lines)


def _safe(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def attendance_xlsx(training: Training, rows: list[Attendance]) -> bytes:
    """The training's attendance as a sheet to print, fill in and import again, in the
    language of the request: one row per person, ID first (keep it to match people)."""
    headers = _headers()
    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "", _("Attendance"))[:31]
    sheet.append([headers[key] for key, *_rest in COLUMNS])
    for index, (_key, _header, width, _longest) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    for number, a in enumerate(rows, start=2):
        s = a.staff
        values = [s.pk, s.name, s.name_hi, str(s.get_role_display()), s.designation,
                  s.district.name if s.district_id else "",
                  s.facility.name if s.facility_id else "", s.phone,
                  str(a.get_status_display()),
                  float(a.post_test_score) if a.post_test_score is not None else None]
        sheet.append([_safe(v) for v in values])
        for index, value in enumerate(values, start=1):
            if isinstance(value, str):
                sheet.cell(row=number, column=index).data_type = "s"  # "=x" stays text
    # Drop-down lists for the role and the attendance, on a hidden sheet.
    lists = book.create_sheet("lists")
    roles = [str(r.label) for r in StaffRole]
    statuses = [str(s.label) for s in AttendanceStatus]
    for i, label in enumerate(roles, start=1):
        lists.cell(row=i, column=1, value=label)
    for i, label in enumerate(statuses, start=1):
        lists.cell(row=i, column=2, value=label)
    lists.sheet_state = "hidden"
    last = max(len(rows) + 1, MAX_SHEET_ROWS // 4)
    for column_key, source in (("role", f"lists!$A$1:$A${len(roles)}"),
                               ("status", f"lists!$B$1:$B${len(statuses)}")):
        letter = get_column_letter([k for k, *_r in COLUMNS].index(column_key) + 1)
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "B2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.center.text = _safe(f"{training.title}, {date_format(training.start_date)}")
    book.properties.title = _safe(training.title)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
