"""Limits on what the programme pages and sheets accept, checked before the database sees
a value (the same answer on SQLite and PostgreSQL), each with one line a person can act on.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Control characters (a pasted Word line break is \x0b) break Excel exports and mean
# nothing in a name; tabs and line breaks are allowed only in long texts.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f]")

# Attendance sheets: the largest file, its unzipped size, and the rows read.
MAX_SHEET_BYTES = 5 * 1024 * 1024
MAX_SHEET_UNZIPPED_BYTES = 60 * 1024 * 1024
MAX_SHEET_ROWS = 2000
# Cell errors listed at once before the rest are summed up.
MAX_ERRORS_SHOWN = 20


def text_problem(value: str, *, max_length: int, multiline: bool = False) -> str | None:
    """Why `value` cannot be stored (too long, a control character), or None."""
    if len(value) > max_length:
        return _("at most %(max)d characters (this has %(count)d)") % {
            "max": max_length, "count": len(value)}
    if (_CONTROL if multiline else _CONTROL_IN_LINE).search(value):
        return _("contains a control character; type the text again instead of pasting it")
    return None


def no_control_characters(value: str) -> None:
    """Form validator for one-line text."""
    if value and _CONTROL_IN_LINE.search(value):
        raise ValidationError(_("This contains a control character; type the text again "
                                "instead of pasting it."))
