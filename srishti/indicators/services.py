"""Writes: the indicator library, and the monthly figures of a facility's department.

`monthly_report_save` is the one path for figures, whether they come from the browser
form, the offline API or an Excel upload: the same parsing, checks, locking, revision
and idempotency rules. Who may call it is decided by accounts.access beforehand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from srishti.core.errors import DomainError
from srishti.geography.models import Facility

from . import formulas
from .figures import NotANumber, not_a_number_text, parse_figure, plain, problem_text
from .library import SEED_INDICATORS
from .library_reads import canonical_department, indicators_for
from .models import Indicator, IndicatorValue, MonthlyReport, ReportWrite
from .months import month_key, reportable


def indicators_seed() -> int:
    """Load the starting library where a code is missing (tests that flush the database,
    the demo); returns how many were added. Existing rows are left as the state set them."""
    added = 0
    for row in SEED_INDICATORS:
        data = dict(row)
        _obj, created = Indicator.objects.get_or_create(code=data.pop("code"), defaults=data)
        added += created
    return added


@transaction.atomic
def indicator_values_recompute(*, indicator: Indicator) -> int:
    """Rewrite the stored values of an indicator (after its multiplier changed)."""
    rows = list(IndicatorValue.objects.filter(indicator=indicator)
                .only("id", "numerator", "denominator"))
    for row in rows:
        row.value = formulas.value(indicator.multiplier, row.numerator, row.denominator)
    IndicatorValue.objects.bulk_update(rows, ["value"], batch_size=1000)
    return len(rows)


@transaction.atomic
def indicator_save(*, indicator: Indicator) -> Indicator:
    """Create or change a library row; stored values follow a changed multiplier."""
    before = (Indicator.objects.filter(pk=indicator.pk).values_list("multiplier", flat=True)
              .first() if indicator.pk else None)
    indicator.full_clean()
    indicator.save()
    if before is not None and before != indicator.multiplier:
        indicator_values_recompute(indicator=indicator)
    return indicator


# ---------------------------------------------------------------------------------------
# Monthly figures.

class KeyReused(DomainError):
    """The client id names a different write: the client must make a new id."""


@dataclass
class SaveResult:
    """What became of a write. `status`: applied, unchanged, replayed, conflict or invalid.

    `errors` ({indicator code: {"numerator" | "denominator" | "indicator": message}})
    explain an invalid write; a conflict carries the report as it is now. Nothing is
    written unless the status is applied.
    """

    status: str
    answer: dict[str, Any]
    errors: dict[str, dict[str, str]] = field(default_factory=dict)
    report: MonthlyReport | None = None

    @property
    def written(self) -> bool:
        return self.status == "applied"


Figures = Mapping[str, tuple[Any, Any]]


@dataclass
class _Checked:
    indicator: Indicator
    numerator: Decimal | None
    denominator: Decimal | None


def _check_figures(indicators: dict[str, Indicator], figures: Figures
                   ) -> tuple[list[_Checked], dict[str, dict[str, str]]]:
    checked, errors = [], {}
    for code, (raw_num, raw_den) in figures.items():
        indicator = indicators.get(code)
        if indicator is None:
            errors[code] = {"indicator": _("No indicator %(code)s for this department and "
                                           "facility type.") % {"code": code}}
            continue
        parsed: dict[str, Decimal | None] = {}
        for name, raw in (("numerator", raw_num), ("denominator", raw_den)):
            try:
                parsed[name] = parse_figure(raw)
            except NotANumber as exc:
                errors.setdefault(code, {})[name] = not_a_number_text(exc.text)
        if code in errors:
            continue
        num, den = parsed["numerator"], parsed["denominator"]
        for finding in formulas.check(indicator.rules, num, den):
            errors.setdefault(code, {}).setdefault(
                finding.field, problem_text(finding, num, den))
        checked.append(_Checked(indicator, num, den))
    return checked, errors


def request_hash(facility_id: int, department: str, month: dt.date, base_revision,
                 figures: Figures) -> str:
    canonical = json.dumps([facility_id, department, month_key(month), base_revision,
                            sorted([code, str(n), str(d)] for code, (n, d) in figures.items())],
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def report_answer(report: MonthlyReport | None, *, facility: Facility, department: str,
                  month: dt.date, status: str) -> dict[str, Any]:
    """The JSON answer to a write: the report's figures as they now stand."""
    values = [] if report is None else [
        {"indicator": v.indicator.code, "numerator": plain(v.numerator),
         "denominator": plain(v.denominator), "value": v.value}
        for v in report.values.select_related("indicator").order_by("indicator__order",
                                                                    "indicator__code")]
    return {"status": status, "facility_id": facility.pk, "department": department,
            "month": month_key(month), "revision": report.revision if report else 0,
            "values": values}


def _replayed(done: ReportWrite, user, facility: Facility, digest: str) -> SaveResult:
    if (done.user_id, done.facility_id, done.request_hash) != (user.pk, facility.pk, digest):
        raise KeyReused(_("This write id was already used for different figures; send them "
                          "again under a new id."))
    return SaveResult("replayed", {**done.answer, "status": "replayed"})


def _locked_report(facility: Facility, department: str, month: dt.date, user, now
                   ) -> tuple[MonthlyReport, bool]:
    """The department-month's report, locked for this transaction; created if missing.

    Two writers creating it at once: one insert fails on the unique constraint (inside a
    savepoint, so the transaction goes on) and that writer takes the other's row.
    """
    lookup = {"facility": facility, "department": department, "month": month}
    report = MonthlyReport.objects.select_for_update().filter(**lookup).first()
    if report is not None:
        return report, False
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(**lookup, revision=0, first_submitted_at=now,
                                                updated_by=user), True
    except IntegrityError:
        return MonthlyReport.objects.select_for_update().get(**lookup), False


def _apply(report: MonthlyReport, checked: Iterable[_Checked], month: dt.date) -> bool:
    """Write the checked figures into the report; whether anything changed."""
    existing = {v.indicator_id: v for v in report.values.all()}
    changed = False
    for item in checked:
        current = existing.get(item.indicator.pk)
        if item.numerator is None:  # both blank: the figure is taken back
            if current is not None:
                current.delete()
                changed = True
            continue
        value = formulas.value(item.indicator.multiplier, item.numerator, item.denominator)
        if current is None:
            IndicatorValue.objects.create(report=report, indicator=item.indicator,
                                          facility_id=report.facility_id,
                                          department=report.department, month=month,
                                          numerator=item.numerator,
                                          denominator=item.denominator, value=value)
            changed = True
        elif (current.numerator, current.denominator) != (item.numerator, item.denominator):
            current.numerator, current.denominator, current.value = (
                item.numerator, item.denominator, value)
            current.save(update_fields=["numerator", "denominator", "value"])
            changed = True
    return changed


def monthly_report_save(*, facility: Facility, department: str, month: dt.date,
                        figures: Figures, user, client_id: uuid.UUID | None = None,
                        base_revision: int | None = None, today: dt.date | None = None
                        ) -> SaveResult:
    """Store a department's figures for a month, all or nothing.

    `figures`: {indicator code: (numerator, denominator)} as typed (text, numbers or
    None); both blank takes a figure back; indicators not named are left as they are.
    `base_revision`: the report revision the person or device saw (0: none yet); another
    revision is a conflict and nothing is written. None (an Excel upload) overwrites.
    `client_id`: the same id again answers as the first time and changes nothing.
    Raises DomainError for a department or month that takes no figures, KeyReused for a
    client id already used for other figures.
    """
    canonical = canonical_department(facility.facility_type, department)
    if canonical is None:
        raise DomainError(_("%(department)s has no indicators for a facility of this type.")
                          % {"department": department})
    if not reportable(month, today):
        raise DomainError(_("Figures for %(month)s cannot be reported: the month has not "
                            "ended yet, or is too long ago.") % {"month": month_key(month)})
    department = canonical
    digest = request_hash(facility.pk, department, month, base_revision, figures)
    if client_id is not None:
        done = ReportWrite.objects.filter(client_id=client_id).first()
        if done is not None:
            return _replayed(done, user, facility, digest)
    indicators = {i.code: i for i in indicators_for(facility.facility_type, department)}
    checked, errors = _check_figures(indicators, figures)
    if errors:
        answer = report_answer(None, facility=facility, department=department, month=month,
                               status="invalid")
        return SaveResult("invalid", {**answer, "errors": errors}, errors=errors)
    try:
        with transaction.atomic():
            now = timezone.now()
            report, created = _locked_report(facility, department, month, user, now)
            if client_id is not None and not created:
                # The same write may have been applied while this one waited for the lock.
                done = ReportWrite.objects.filter(client_id=client_id).first()
                if done is not None:
                    return _replayed(done, user, facility, digest)
            seen = 0 if created else report.revision
            if base_revision is not None and base_revision != seen:
                current = None if created else report
                answer = report_answer(current, facility=facility, department=department,
                                       month=month, status="conflict")
                # Nothing written (a report created just now goes with the rollback).
                transaction.set_rollback(True)
                return SaveResult("conflict", answer, report=current)
            changed = _apply(report, checked, month)
            if changed:
                report.revision = seen + 1
                report.updated_by = user
                report.save(update_fields=["revision", "updated_by", "updated_at"])
            status = "applied" if changed else "unchanged"
            if created and not changed:
                # A first write that stores nothing (every figure blank) leaves no report.
                answer = report_answer(None, facility=facility, department=department,
                                       month=month, status=status)
                transaction.set_rollback(True)
                return SaveResult(status, answer)
            answer = report_answer(report, facility=facility, department=department,
                                   month=month, status=status)
            if client_id is not None and changed:
                ReportWrite.objects.create(client_id=client_id, user=user, facility=facility,
                                           request_hash=digest, answer=answer)
    except IntegrityError:
        # The same write arrived twice at once; the other request stored the answer.
        if client_id is None:
            raise
        return _replayed(ReportWrite.objects.get(client_id=client_id), user, facility, digest)
    return SaveResult(status, answer, report=report)


# ---------------------------------------------------------------------------------------
# An Excel upload: many department-months at once, all or nothing.

@dataclass
class ImportResult:
    """`errors`: the cells that are wrong (nothing was written); else how many
    department-months were changed and how many were already as uploaded."""

    errors: list = field(default_factory=list)
    changed: int = 0
    unchanged: int = 0
    replayed: bool = False


def _import_errors(facility: Facility, read, library: list[Indicator], today) -> list:
    from .excel import HEADER_ROW, MAX_ERRORS, CellError

    errors = list(read.errors)
    for column in read.columns:
        if not reportable(column.month, today):
            errors.append(CellError(column.sheet, HEADER_ROW, column.column, _(
                "figures for %(month)s cannot be taken: the month has not ended yet, or is "
                "too long ago.") % {"month": month_key(column.month)}))
            continue
        indicators = {i.code: i for i in indicators_for(facility.facility_type,
                                                        column.department, library)}
        _checked, problems = _check_figures(indicators, column.figures)
        for code, fields in problems.items():
            numerator_row, denominator_row = column.rows.get(code, (0, 0))
            for name, message in fields.items():
                row = denominator_row if name == "denominator" else numerator_row
                errors.append(CellError(column.sheet, row, column.column, message))
    errors.sort(key=lambda e: (e.sheet, e.row, e.column))
    return errors[:MAX_ERRORS]


def monthly_reports_import(*, facility: Facility, read, user, client_id: uuid.UUID,
                           today: dt.date | None = None) -> ImportResult:
    """Store every department-month of a read template (excel.read_template) in one
    transaction, or nothing when any cell is wrong (`errors`, sheet/row/column each).

    Uploaded figures overwrite stored ones; blank cells leave them as they are. The same
    `client_id` again (the form posted twice) changes nothing.
    """
    from .library_reads import active_indicators

    done = ReportWrite.objects.filter(client_id=client_id).first()
    if done is not None:
        if (done.user_id, done.facility_id) != (user.pk, facility.pk):
            raise KeyReused(_("This upload id was already used; upload the file again."))
        return ImportResult(changed=done.answer.get("changed", 0),
                            unchanged=done.answer.get("unchanged", 0), replayed=True)
    library = active_indicators()
    errors = _import_errors(facility, read, library, today)
    if errors:
        return ImportResult(errors=errors)
    result = ImportResult()
    try:
        with transaction.atomic():
            # Sorted, so that two uploads lock the same reports in the same order.
            for column in sorted(read.columns, key=lambda c: (c.department, c.month)):
                saved = monthly_report_save(facility=facility, department=column.department,
                                            month=column.month, figures=column.figures,
                                            user=user, today=today)
                if saved.status == "applied":
                    result.changed += 1
                elif saved.status == "unchanged":
                    result.unchanged += 1
                else:  # checked above; a rule changed in between
                    raise DomainError(_("The figures could not be stored; upload the file "
                                        "again."))
            ReportWrite.objects.create(
                client_id=client_id, user=user, facility=facility, request_hash="upload",
                answer={"changed": result.changed, "unchanged": result.unchanged})
    except IntegrityError:
        return ImportResult(replayed=True)
    return result


# ---------------------------------------------------------------------------------------
# Generated figures (the demo, the benchmarks): many reports at once.

@dataclass
class LoadRow:
    facility_id: int
    department: str
    month: dt.date
    figures: dict[str, tuple[Decimal, Decimal]]
    submitted_at: dt.datetime


@transaction.atomic
def monthly_reports_load(*, rows: list[LoadRow], library: list[Indicator], user=None) -> int:
    """Insert generated department-months in bulk, checked by the same rules as a typed
    report; a department-month already stored is left alone. Returns reports added."""
    by_code = {i.code: i for i in library}
    existing = set(MonthlyReport.objects.filter(
        facility_id__in={r.facility_id for r in rows}).values_list(
        "facility_id", "department", "month"))
    fresh = [r for r in rows if (r.facility_id, r.department, r.month) not in existing]
    for row in fresh:
        for code, (num, den) in row.figures.items():
            problems = formulas.check(by_code[code].rules, num, den)
            if problems:
                raise DomainError(f"{code} {month_key(row.month)}: {problems[0].problem}")
    reports = MonthlyReport.objects.bulk_create(
        [MonthlyReport(facility_id=r.facility_id, department=r.department, month=r.month,
                       revision=1, first_submitted_at=r.submitted_at, updated_by=user)
         for r in fresh], batch_size=1000)
    values = [IndicatorValue(report=report, indicator=by_code[code],
                             facility_id=row.facility_id, department=row.department,
                             month=row.month, numerator=num,
                             denominator=den,
                             value=formulas.value(by_code[code].multiplier, num, den))
              for report, row in zip(reports, fresh, strict=True)
              for code, (num, den) in row.figures.items()]
    IndicatorValue.objects.bulk_create(values, batch_size=2000)
    return len(reports)
