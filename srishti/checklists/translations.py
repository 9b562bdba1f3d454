"""A checklist version's content in a second language: matching a translated workbook or
a two-column file to the version's rows, and reading the translations for a page.

Matching writes nothing; `checklists.services.checklist_translations_save` writes what a
match returns. A match either covers the file completely or lists every mismatch.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from django.utils.translation import get_language, gettext

from srishti.core.errors import DomainError
from srishti.workbooks.parsed import ParsedWorkbook

from .models import (
    AreaOfConcern,
    ChecklistVersion,
    Checkpoint,
    MeasurableElement,
    Standard,
    Translation,
)

Kind = Translation.Kind

# Languages a checklist may carry beside its own (the interface's languages).
LANGUAGES = {"hi": "हिन्दी", "en": "English"}

# Most rows a two-column file may have: a district hospital has ~14,000 texts.
MAX_PAIRS = 50_000


class Entry(NamedTuple):
    """One translatable text of a version: the row and column it belongs to."""

    kind: str
    object_id: int
    field: str
    text: str


class Match(NamedTuple):
    """What a file gives: translations by entry, and the mismatches that stop it."""

    translations: dict[tuple[str, int, str], str]
    mismatches: list[str]
    entries: int


class TranslationMismatch(DomainError):
    """The file does not fit the checklist; nothing was written."""

    def __init__(self, mismatches: list[str]) -> None:
        self.mismatches = mismatches
        shown = mismatches[:20]
        more = len(mismatches) - len(shown)
        lines = [gettext("the file does not match the checklist; nothing was written:")]
        lines += [f"  {m}" for m in shown]
        if more:
            lines.append(gettext("  ... and %(count)d more") % {"count": more})
        super().__init__("\n".join(lines))


def entries(version: ChecklistVersion) -> list[Entry]:
    """Every translatable text of a version, in checklist order (five queries)."""
    result: list[Entry] = []
    for pk, name in version.departments.order_by("order").values_list("id", "name"):
        result.append(Entry(Kind.DEPARTMENT, pk, "name", name))
    for pk, title in (AreaOfConcern.objects.filter(department__version=version)
                      .order_by("department__order", "order").values_list("id", "title")):
        result.append(Entry(Kind.AREA, pk, "title", title))
    for pk, title in (Standard.objects.filter(area__department__version=version)
                      .order_by("area__department__order", "area__order", "order")
                      .values_list("id", "title")):
        result.append(Entry(Kind.STANDARD, pk, "title", title))
    for pk, text in (MeasurableElement.objects.filter(standard__area__department__version=version)
                     .order_by("standard__area__department__order", "standard__area__order",
                               "standard__order", "order").values_list("id", "text")):
        result.append(Entry(Kind.ELEMENT, pk, "text", text))
    for pk, text, means in (Checkpoint.objects.filter(version=version).order_by("order")
                            .values_list("id", "text", "means_of_verification")):
        result.append(Entry(Kind.CHECKPOINT, pk, "text", text))
        if means:
            result.append(Entry(Kind.CHECKPOINT, pk, "means_of_verification", means))
    result += [Entry(Kind.THEME, int(t["number"]), "name", t["name"]) for t in version.themes]
    return result


def match_workbook(version: ChecklistVersion, parsed: ParsedWorkbook,
                   themes: Sequence[Any] | None = None) -> Match:
    """Match a workbook of the same structure in another language by its codes and order:
    departments in order, each department's areas (letters), standards (codes), measurable
    elements (codes) and its checkpoints per measurable element. Every difference is a
    mismatch naming the sheet and row; texts are taken only when there is none. Themes
    (the workbook's own, or `themes`: records with number and name) match by number."""
    mismatches: list[str] = []
    translations: dict[tuple[str, int, str], str] = {}
    their_themes = {int(t.number): t.name for t in (
        themes if themes is not None else getattr(parsed, "themes", None) or ())}
    for theme in version.themes:
        number = int(theme["number"])
        if their_themes and number not in their_themes:
            mismatches.append(gettext("theme %(number)d is not in the file")
                              % {"number": number})
        elif number in their_themes:
            translations[(Kind.THEME, number, "name")] = their_themes[number]
    departments = list(version.departments.order_by("order").prefetch_related(
        "areas__standards__measurable_elements", "areas__standards__checkpoints"))
    if len(departments) != len(parsed.departments):
        mismatches.append(gettext("%(file)d departments in the file, %(version)d in the "
                                  "checklist") % {"file": len(parsed.departments),
                                                  "version": len(departments)})
    for department, theirs in zip(departments, parsed.departments, strict=False):
        where = gettext("sheet %(sheet)s") % {"sheet": repr(theirs.sheet)}
        translations[(Kind.DEPARTMENT, department.pk, "name")] = theirs.name
        areas = list(department.areas.all())
        if [a.letter for a in areas] != [a.letter for a in theirs.areas]:
            mismatches.append(gettext("%(where)s: areas of concern %(file)s, the checklist "
                                      "has %(version)s") % {
                "where": where, "file": "".join(a.letter for a in theirs.areas),
                "version": "".join(a.letter for a in areas)})
            continue
        for area, their_area in zip(areas, theirs.areas, strict=True):
            translations[(Kind.AREA, area.pk, "title")] = their_area.title
            standards = list(area.standards.all())
            if [s.code for s in standards] != [s.code for s in their_area.standards]:
                mismatches.append(gettext("%(where)s, row %(row)d: standards %(file)s, the "
                                          "checklist has %(version)s") % {
                    "where": where, "row": their_area.row,
                    "file": ", ".join(s.code for s in their_area.standards),
                    "version": ", ".join(s.code for s in standards)})
                continue
            for standard, their_standard in zip(standards, their_area.standards, strict=True):
                _match_standard(standard, their_standard, where, translations, mismatches)
    return Match(translations, mismatches, len(translations))


def _match_standard(standard, theirs, where, translations, mismatches) -> None:
    row = gettext("%(where)s, row %(row)d") % {"where": where, "row": theirs.row}
    translations[(Kind.STANDARD, standard.pk, "title")] = theirs.title
    elements = list(standard.measurable_elements.all())
    if [e.code for e in elements] != [e.code for e in theirs.measurable_elements]:
        mismatches.append(gettext("%(row)s: standard %(code)s has measurable elements "
                                  "%(file)s, the checklist %(version)s") % {
            "row": row, "code": standard.code,
            "file": ", ".join(e.code for e in theirs.measurable_elements) or "-",
            "version": ", ".join(e.code for e in elements) or "-"})
        return
    for element, their_element in zip(elements, theirs.measurable_elements, strict=True):
        translations[(Kind.ELEMENT, element.pk, "text")] = their_element.text
    checkpoints = sorted(standard.checkpoints.all(), key=lambda c: c.order)
    element_codes = {e.pk: e.code for e in elements}
    mine = [element_codes.get(c.measurable_element_id) for c in checkpoints]
    if len(checkpoints) != len(theirs.checkpoints):
        mismatches.append(gettext("%(row)s: standard %(code)s has %(file)d checkpoints, the "
                                  "checklist %(version)d") % {
            "row": row, "code": standard.code, "file": len(theirs.checkpoints),
            "version": len(checkpoints)})
        return
    if mine != [c.me_code for c in theirs.checkpoints]:
        mismatches.append(gettext("%(row)s: standard %(code)s has its checkpoints under other "
                                  "measurable elements than the checklist") % {
            "row": row, "code": standard.code})
        return
    for checkpoint, their_checkpoint in zip(checkpoints, theirs.checkpoints, strict=True):
        translations[(Kind.CHECKPOINT, checkpoint.pk, "text")] = their_checkpoint.text
        if checkpoint.means_of_verification and their_checkpoint.means_of_verification:
            translations[(Kind.CHECKPOINT, checkpoint.pk, "means_of_verification")] = (
                their_checkpoint.means_of_verification)


def read_pairs(name: str, content: bytes) -> list[tuple[int, str, str]]:
    """The rows of a two-column CSV file in UTF-8: (row number, text in the checklist's
    language, its translation). A first row naming the columns is skipped when its first
    cell is no text of the checklist (see match_pairs); blank rows are skipped."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(gettext("%(name)s is not UTF-8 text; save it as CSV UTF-8")
                          % {"name": name}) from None
    pairs = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 2 or any(cells[2:]):
            raise DomainError(gettext("%(name)s, row %(row)d: expected two columns (the text "
                                      "and its translation)") % {"name": name, "row": number})
        pairs.append((number, cells[0], cells[1]))
        if len(pairs) > MAX_PAIRS:
            raise DomainError(gettext("%(name)s has more than %(count)d rows")
                              % {"name": name, "count": MAX_PAIRS})
    return pairs


def match_pairs(version: ChecklistVersion, pairs: list[tuple[int, str, str]]) -> Match:
    """Match (text, translation) rows to the version's texts, by the text itself (every
    row carrying that text gets the translation). A text the checklist does not have, a
    text translated two different ways, or an empty translation is a mismatch."""
    by_text: dict[str, list[Entry]] = {}
    for entry in entries(version):
        by_text.setdefault(" ".join(entry.text.split()), []).append(entry)
    mismatches: list[str] = []
    seen: dict[str, tuple[int, str]] = {}
    translations: dict[tuple[str, int, str], str] = {}
    for number, source, target in pairs:
        key = " ".join(source.split())
        where = gettext("row %(row)d") % {"row": number}
        if key not in by_text:
            if number == 1 and not seen:
                continue  # a heading row
            mismatches.append(gettext("%(where)s: %(text)s is not a text of the checklist")
                              % {"where": where, "text": repr(source[:80])})
            continue
        if not target:
            mismatches.append(gettext("%(where)s: no translation") % {"where": where})
            continue
        if key in seen and seen[key][1] != target:
            mismatches.append(gettext("%(where)s: translated differently in row %(other)d")
                              % {"where": where, "other": seen[key][0]})
            continue
        seen[key] = (number, target)
        for entry in by_text[key]:
            translations[(entry.kind, entry.object_id, entry.field)] = target
    return Match(translations, mismatches, len(translations))


class Texts:
    """A page's checklist texts in the reader's language, with the other a tap away.

    `primary(kind, id, field, text)` is what the page shows, `other(...)` the text in the
    other language (None when the version has no translation of it)."""

    def __init__(self, version: ChecklistVersion, translations: dict[tuple[str, int, str], str],
                 language: str | None = None) -> None:
        self.second = version.second_language
        self.translations = translations
        language = (language or get_language() or "en").split("-")[0]
        self.translated_first = bool(self.second) and language == self.second

    @property
    def other_language(self) -> str:
        """The name of the language a tap shows."""
        return LANGUAGES["en"] if self.translated_first else LANGUAGES.get(self.second, "")

    def _pair(self, kind: str, object_id: int, field: str, text: str) -> tuple[str, str | None]:
        translated = self.translations.get((kind, object_id, field))
        if translated is None:
            return text, None
        return (translated, text) if self.translated_first else (text, translated)

    def primary(self, kind: str, object_id: int, field: str, text: str) -> str:
        return self._pair(kind, object_id, field, text)[0]

    def other(self, kind: str, object_id: int, field: str, text: str) -> str | None:
        return self._pair(kind, object_id, field, text)[1]


def texts_for(version: ChecklistVersion, *, kinds: Iterable[str] | None = None,
              object_ids: Iterable[int] | None = None, language: str | None = None) -> Texts:
    """The translations a page needs (one query; none when the version has none)."""
    found: dict[tuple[str, int, str], str] = {}
    if version.second_language:
        rows = Translation.objects.filter(version=version, language=version.second_language)
        if kinds is not None:
            rows = rows.filter(kind__in=list(kinds))
        if object_ids is not None:
            rows = rows.filter(object_id__in=list(object_ids))
        found = {(k, i, f): t for k, i, f, t in
                 rows.order_by().values_list("kind", "object_id", "field", "text")}
    return Texts(version, found, language)


def iter_missing(version: ChecklistVersion, match: Match) -> Iterator[Entry]:
    """The version's texts a match leaves untranslated (reported, not refused)."""
    for entry in entries(version):
        if (entry.kind, entry.object_id, entry.field) not in match.translations:
            yield entry
