"""Limits checked before the database sees a value (DESIGN habit 13).

SQLite stores a string beyond its column's max_length and raises OverflowError for an
integer beyond 64 bits, where PostgreSQL refuses both: checking here first makes both
databases answer the same, with one line a person can act on.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Model
from django.utils.translation import gettext as _

from .errors import DomainError

# The largest id a BigAutoField (or SQLite's INTEGER) holds.
MAX_ID = 2**63 - 1

# C0 control characters except tab, line feed and carriage return, and DEL. Excel files
# cannot hold them (openpyxl raises IllegalCharacterError) and they mean nothing on a page.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# What Word pastes as a line break (vertical tab) and a page break (form feed).
_BREAKS = re.compile("[\x0b\x0c]")


def query_id(value: object) -> int | None:
    """A row id from a query string: a positive whole number a database can hold, else
    None (the filter is then ignored rather than failing)."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def query_date(value: object) -> dt.date | None:
    """A date (YYYY-MM-DD, as a date input sends it) from a query string, else None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def printable(text: str) -> str:
    """`text` without control characters; pasted line breaks become real ones."""
    if not text:
        return text
    return _CONTROL.sub("", _BREAKS.sub("\n", text))


def max_length(model: type[Model], field: str) -> int:
    length = model._meta.get_field(field).max_length
    assert length is not None, f"{model.__name__}.{field} has no max_length"
    return length


def length_problem(value: str, limit: int) -> str | None:
    """The words for a value over `limit` characters, or None when it fits."""
    if len(value) <= limit:
        return None
    return _("%(length)d characters; at most %(limit)d are allowed") % {
        "length": len(value), "limit": limit}


def check_length(value: str, *, model: type[Model], field: str, where: str) -> None:
    """Refuse `value` when longer than the model field allows: "<where>: N characters;
    at most M are allowed"."""
    problem = length_problem(value, max_length(model, field))
    if problem:
        raise DomainError(f"{where}: {problem}")
