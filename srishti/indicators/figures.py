"""Figures as people type them, and the words for what is wrong with them.

The same parsing and the same sentences serve the browser form, the offline API and the
Excel template, so a figure refused in one is refused, in the same words, in the others.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .formulas import Finding, Problem

# Digits with optional thousands separators (Indian 1,23,456 or 123,456), one decimal
# point, an optional minus (so that "negative" can be said instead of "not a number").
_NUMBER = re.compile(r"^-?(\d[\d,]*)?(\.\d+)?$")
MAX_TEXT = 40


class NotANumber(ValueError):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def parse_figure(raw) -> Decimal | None:
    """A typed or stored figure as a Decimal; None when blank. Raises NotANumber."""
    if raw is None:
        return None
    if isinstance(raw, bool):  # True is not 1 here
        raise NotANumber(str(raw))
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise NotANumber(str(raw))
        return Decimal(repr(raw))
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if len(text) > MAX_TEXT or not _NUMBER.match(text) or text in ("-", ".", "-."):
        raise NotANumber(str(raw).strip()[:MAX_TEXT])
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise NotANumber(text) from None


def plain(figure: Decimal) -> str:
    """A figure as people write it: 12, 12.5 (no exponent, no trailing zeros)."""
    text = format(figure.normalize(), "f")
    return text


def problem_text(finding: Finding, numerator: Decimal | None = None,
                 denominator: Decimal | None = None) -> str:
    """One sentence, in the reader's language, for a problem found by formulas.check."""
    p = finding.problem
    if p == Problem.MISSING_NUMERATOR:
        return _("Enter the numerator too, or leave both figures blank.")
    if p == Problem.MISSING_DENOMINATOR:
        return _("Enter the denominator too, or leave both figures blank.")
    if p == Problem.NEGATIVE:
        return _("A figure cannot be negative.")
    if p == Problem.TOO_LARGE:
        return _("This figure is too large.")
    if p == Problem.TOO_PRECISE:
        return _("Use at most two decimals.")
    if p == Problem.NOT_WHOLE:
        return _("This figure is a count: enter a whole number.")
    if p == Problem.NUMERATOR_ABOVE_DENOMINATOR:
        return _("The numerator (%(numerator)s) is larger than the denominator "
                 "(%(denominator)s), of which it is a part.") % {
            "numerator": plain(numerator) if numerator is not None else "",
            "denominator": plain(denominator) if denominator is not None else ""}
    if p == Problem.ZERO_DENOMINATOR:
        return _("The denominator is 0 but the numerator is not.")
    raise ValueError(p)


def not_a_number_text(text: str) -> str:
    return _("“%(text)s” is not a number.") % {"text": text}
