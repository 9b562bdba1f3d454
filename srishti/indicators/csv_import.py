"""The indicator library as CSV: export it, change or extend it, import it back.

An import checks every row first: any problem (named by file, row and column) and
nothing is written. A known code is updated (stored values follow a changed
multiplier); a new code is added. Codes absent from the file are left alone.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from srishti.core.errors import DomainError
from srishti.geography.models import FacilityType

from .formulas import MULTIPLIERS
from .models import Indicator

COLUMNS = [
    "code", "name_en", "name_hi", "unit_en", "unit_hi", "departments", "facility_types",
    "numerator_en", "numerator_hi", "denominator_en", "denominator_hi", "multiplier",
    "direction", "benchmark", "benchmark_source", "standard", "measurable_element",
    "numerator_le_denominator", "numerator_whole", "denominator_whole", "source", "order",
    "active",
]
REQUIRED = ["code", "name_en", "name_hi", "departments", "numerator_en", "numerator_hi",
            "denominator_en", "denominator_hi", "multiplier", "direction"]
BOOLEANS = {"numerator_le_denominator": True, "numerator_whole": True,
            "denominator_whole": True, "active": True}
MULTIPLIER_WORDS = {"lakh": 100_000, "perlakh": 100_000, "per lakh": 100_000}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2_000


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def export_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for indicator in Indicator.objects.order_by("order", "code"):
        row = []
        for name in COLUMNS:
            value = getattr(indicator, name)
            if name in ("departments", "facility_types"):
                value = ";".join(value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            elif value is None:
                value = ""
            row.append(value)
        writer.writerow(row)
    return out.getvalue()


def _multiplier(text: str) -> int | None:
    key = text.strip().lower().lstrip("x×").strip()
    if key in MULTIPLIER_WORDS:
        return MULTIPLIER_WORDS[key]
    try:
        number = int(key.replace(",", ""))
    except ValueError:
        return None
    return number if number in MULTIPLIERS else None


def _boolean(text: str) -> bool | None:
    key = text.strip().lower()
    if key in ("yes", "y", "true", "1"):
        return True
    if key in ("no", "n", "false", "0"):
        return False
    return None


def _row(data: dict[str, str], where) -> dict:
    """A CSV row as model fields; raises DomainError naming the column."""
    values: dict = {}
    for name in REQUIRED:
        if not (data.get(name) or "").strip():
            raise DomainError(where(name, "is empty; it is required"))
    for name in COLUMNS:
        text = (data.get(name) or "").strip()
        if any(ord(ch) < 32 for ch in text):
            raise DomainError(where(name, "holds a control character"))
        if name == "multiplier":
            values[name] = _multiplier(text)
            if values[name] is None:
                raise DomainError(where(name, f"{text!r} is not one of 1, 100, 1000, 100000 "
                                              "(per lakh)"))
        elif name == "direction":
            if text.lower() not in ("higher", "lower"):
                raise DomainError(where(name, f"{text!r} is neither higher nor lower"))
            values[name] = text.lower()
        elif name == "benchmark":
            try:
                values[name] = float(text.replace(",", "")) if text else None
            except ValueError:
                raise DomainError(where(name, f"{text!r} is not a number")) from None
        elif name == "order":
            if text and not text.isdigit():
                raise DomainError(where(name, f"{text!r} is not a whole number"))
            values[name] = int(text) if text else 0
        elif name in BOOLEANS:
            flag = _boolean(text) if text else BOOLEANS[name]
            if flag is None:
                raise DomainError(where(name, f"{text!r} is neither yes nor no"))
            values[name] = flag
        elif name in ("departments", "facility_types"):
            items = [part.strip() for part in text.split(";") if part.strip()]
            if name == "facility_types":
                unknown = [t for t in items if t not in FacilityType.values]
                if unknown:
                    raise DomainError(where(name, f"unknown facility type {unknown[0]!r}; "
                                                  f"expected {', '.join(FacilityType.values)}"))
            elif any(len(item) > 100 for item in items):
                raise DomainError(where(name, "a department name is longer than 100 "
                                              "characters"))
            values[name] = items
        else:
            limit = Indicator._meta.get_field(name).max_length
            if limit and len(text) > limit:
                raise DomainError(where(name, f"is longer than {limit} characters"))
            values[name] = text
    return values


def read_csv(path: Path) -> list[dict]:
    """Every row of the file as model fields; DomainError on the first problem."""
    name = path.name
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DomainError(f"{name}: larger than 5 MB; an indicator library is far smaller")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(f"{name}: not UTF-8 text; save the CSV as UTF-8") from None
    except OSError as exc:
        raise DomainError(f"{name}: {exc.strerror}") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise DomainError(f"{name}, row 1: missing column(s) {', '.join(missing)}; "
                          f"the columns are: {', '.join(COLUMNS)}")
    rows, seen = [], {}
    for number, data in enumerate(reader, start=2):
        if number > MAX_ROWS:
            raise DomainError(f"{name}: more than {MAX_ROWS} rows")

        def where(column: str, problem: str, number=number) -> str:
            return f"{name}, row {number}, column {column}: {problem}"

        values = _row(data, where)
        if values["code"] in seen:
            raise DomainError(where("code", f"{values['code']!r} is already on row "
                                            f"{seen[values['code']]}"))
        seen[values["code"]] = number
        rows.append(values)
    return rows


def indicators_import(path: Path, *, dry_run: bool = False) -> ImportSummary:
    """Create or update library rows from a CSV file, in one transaction."""
    from .services import indicator_save

    rows = read_csv(path)
    summary = ImportSummary()
    existing = {i.code: i for i in Indicator.objects.filter(code__in=[r["code"] for r in rows])}
    with transaction.atomic():
        for values in rows:
            indicator = existing.get(values["code"])
            if indicator is None:
                summary.created.append(values["code"])
                indicator = Indicator(**values)
            else:
                if all(getattr(indicator, k) == v for k, v in values.items()):
                    summary.unchanged.append(values["code"])
                    continue
                summary.updated.append(values["code"])
                for key, value in values.items():
                    setattr(indicator, key, value)
            try:
                indicator_save(indicator=indicator)
            except ValidationError as exc:
                raise DomainError(f"{path.name}: indicator {values['code']}: "
                                  f"{'; '.join(exc.messages)}") from None
        if dry_run:
            transaction.set_rollback(True)
    return summary
