"""Writes to the checklist library."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from srishti.core.bulk import insert_new_rows, insert_rows
from srishti.core.errors import DomainError
from srishti.core.limits import check_length, length_problem, max_length
from srishti.scoring.packages import ALL, OPTIONAL_SERVICES, normalise_tag
from srishti.workbooks.parsed import ParsedDepartment, ParsedWorkbook

from .models import (
    AreaOfConcern,
    CertificationRuleSet,
    ChecklistVersion,
    Checkpoint,
    Department,
    MeasurableElement,
    Standard,
    Tool,
)

# The names are msgids: `Tool.__str__` shows them translated.
TOOL_NAMES = {
    "NQAS": gettext_noop("National Quality Assurance Standards"),
    "KAYAKALP": gettext_noop("Kayakalp"),
    "LAQSHYA": gettext_noop("LaQshya"),
    "MUSQAN": gettext_noop("MusQan"),
}


# A checklist has a handful of distinct method sets among its ~6,500 checkpoints.
@functools.cache
def _sorted_methods(methods: frozenset[str]) -> bytes:
    return " ".join(sorted(methods)).encode()


@functools.cache
def _methods_column(methods: frozenset[str]) -> str:
    """Checkpoint.methods as stored: the codes in the official order, space-separated."""
    return " ".join(m for m in ("SI", "OB", "RR", "PI") if m in methods)


class _StructureHash:
    """The structure's fingerprint (see `structure_hash`), fed one department at a time."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()

    def add(self, department: ParsedDepartment) -> None:
        # One f-string and one encode per record: the same bytes as joining encoded parts,
        # a third faster (~13,000 records in a district hospital).
        update = self._digest.update
        update(f"\x1dD{department.name}".encode())
        for area in department.areas:
            update(f"\x1dA{area.letter}\x1f{area.title}".encode())
            for standard in area.standards:
                update(f"\x1dS{standard.code}\x1f{standard.title}".encode())
                for me in standard.measurable_elements:
                    update(f"\x1dM{me.code}\x1f{me.text}".encode())
                for cp in standard.checkpoints:
                    update(f"\x1dC{cp.me_code or ''}\x1f{cp.text}\x1f".encode())
                    update(_sorted_methods(cp.methods))

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


def structure_hash(parsed: ParsedWorkbook) -> str:
    """A fingerprint of the checklist's structure: codes and texts in order, no answers."""
    fingerprint = _StructureHash()
    for department in parsed.departments:
        fingerprint.add(department)
    return fingerprint.hexdigest()


def tool_get(*, code: str) -> Tool:
    code = code.upper()
    if code not in TOOL_NAMES:
        raise DomainError(f"unknown tool {code!r}; expected one of {', '.join(TOOL_NAMES)}")
    tool, _ = Tool.objects.get_or_create(code=code, defaults={"name": TOOL_NAMES[code]})
    return tool


def rule_set_for(*, tool: Tool, facility_type: str) -> CertificationRuleSet | None:
    """The newest rule set of a tool that serves a facility type (codes sort by year)."""
    candidates = [
        rs for rs in CertificationRuleSet.objects.filter(tool=tool).order_by("-code")
        if not rs.facility_types or facility_type in rs.facility_types
    ]
    return candidates[0] if candidates else None


def checklist_version_find_identical(
    *, tool: Tool, facility_type: str, parsed: ParsedWorkbook
) -> ChecklistVersion | None:
    return (
        ChecklistVersion.objects.filter(
            tool=tool, facility_type=facility_type, structure_hash=structure_hash(parsed)
        )
        .order_by("id")
        .first()
    )


class ThemeSpec(NamedTuple):
    """A theme (AAM-SC service package) as `checklist_version_create` takes it; the
    workbook reader's ParsedTheme has the same first four fields. `services` names the
    optional packages (scoring.packages.OPTIONAL_SERVICES) behind an optional theme: it
    counts only where one of them is offered."""

    number: int
    name: str
    mandatory: bool
    measurable_elements: Sequence[str]
    services: Sequence[str] = ()


def _parsed_checkpoints(parsed_departments: Iterable[ParsedDepartment]):
    for department in parsed_departments:
        for area in department.areas:
            for standard in area.standards:
                yield from standard.checkpoints


def _groups_data(groups: Sequence[tuple[str, Sequence[str]]], *, names: set[str],
                 facility_type: str) -> list[dict[str, Any]]:
    data = []
    for name, members in groups:
        unknown = [m for m in members if m not in names]
        if unknown:
            raise DomainError(gettext("department group %(group)s names departments the "
                                      "checklist does not have: %(names)s")
                              % {"group": name, "names": ", ".join(unknown)})
        # A group named after a programme (LaQshya, MusQan) is judged by its rules.
        rule_set = None
        if name.upper() in TOOL_NAMES:
            rule_set = rule_set_for(tool=tool_get(code=name), facility_type=facility_type)
        data.append({"name": name, "departments": list(members),
                     "rule_set": rule_set.code if rule_set else None})
    return data


def _services_by_element(parsed: ParsedWorkbook, tags: list[str] | None
                         ) -> dict[str, set[str]]:
    """ME code -> the optional packages its checkpoints are tagged with."""
    found: dict[str, set[str]] = {}
    if tags is None:
        return found
    for cp, tag in zip(_parsed_checkpoints(parsed.departments), tags, strict=True):
        offered = {part for part in tag.split(" & ") if part in OPTIONAL_SERVICES}
        if cp.me_code and offered:
            found.setdefault(cp.me_code, set()).update(offered)
    return found


def _theme_services(theme: Any, services: dict[str, set[str]]) -> list[str]:
    """The packages behind an optional theme: those it names, else those its measurable
    elements' checkpoints are tagged with (an AAM-SC workbook names none)."""
    named = [normalise_tag(s) for s in getattr(theme, "services", ())]
    if named or theme.mandatory:
        return named
    found = set().union(*(services.get(str(code), set())
                          for code in theme.measurable_elements))
    return [s for s in OPTIONAL_SERVICES if s in found]


def _themes_data(themes: Sequence[Any], *, elements: set[str],
                 services: dict[str, set[str]]) -> list[dict[str, Any]]:
    data = []
    for theme in themes:
        codes = [str(code) for code in theme.measurable_elements]
        unknown = [code for code in codes if code not in elements]
        if unknown:
            raise DomainError(gettext("theme %(number)s (%(name)s) names measurable elements "
                                      "the checklist does not have: %(codes)s")
                              % {"number": theme.number, "name": theme.name,
                                 "codes": ", ".join(unknown)})
        data.append({
            "key": str(theme.number), "number": theme.number, "name": theme.name,
            "mandatory": bool(theme.mandatory), "measurable_elements": codes,
            "services": _theme_services(theme, services),
        })
    if len({t["key"] for t in data}) != len(data):
        raise DomainError(gettext("two themes have the same number"))
    return data


@transaction.atomic
def checklist_version_create(
    *,
    parsed: ParsedWorkbook,
    tool: Tool,
    facility_type: str,
    label: str,
    state_variant=None,
    source_file: str = "",
    groups: Sequence[tuple[str, Sequence[str]]] | None = None,
    themes: Sequence[Any] | None = None,
    service_tags: Sequence[str | None] | None = None,
) -> ChecklistVersion:
    """Create a checklist version and its whole hierarchy from a parsed workbook.

    `groups` are (name, department names): each group's pooled score is shown beside
    the facility's (a group named after a programme, LaQshya or MusQan, is judged by that
    programme's rule set). `themes` are ThemeSpec-like records (number, name, mandatory,
    measurable element codes; AAM-SC service packages). `service_tags` gives each
    checkpoint's service tag, in the workbook's order of checkpoints (None or "" is
    "All"); spellings are normalised (scoring.packages.normalise_tag). Each defaults to
    what the workbook itself says: its department groups, its themes and its checkpoints'
    service column. An optional theme that names no packages counts where one of the
    optional packages its checkpoints are tagged with is offered.

    Runs in one transaction: either every row is written or none is; a name or code
    longer than its column rolls back what was written (checked in Python first, so
    that SQLite refuses it as PostgreSQL does).
    """
    check_length(label, model=ChecklistVersion, field="label", where=gettext("version label"))
    check_length(source_file, model=ChecklistVersion, field="source_file",
                 where=gettext("source file name"))
    if ChecklistVersion.objects.filter(
        tool=tool, facility_type=facility_type, label=label, state_variant=state_variant
    ).exists():
        raise DomainError(
            f"{tool.code} {facility_type} version {label!r} exists already; "
            "choose another --version"
        )
    rule_set = rule_set_for(tool=tool, facility_type=facility_type)
    version = ChecklistVersion.objects.create(
        tool=tool,
        facility_type=facility_type,
        label=label,
        state_variant=state_variant,
        rule_set=rule_set,
        overall_rule=(rule_set.definition.get("overall_rule", "pooled") if rule_set else "pooled"),
        levels=list(parsed.levels),
        structure_hash="",  # known once every department has been seen
        source_file=source_file,
    )
    if groups is None:
        groups = parsed.groups
    if themes is None:
        themes = parsed.themes
    if service_tags is None and any(cp.service is not None
                                    for cp in _parsed_checkpoints(parsed.departments)):
        service_tags = [cp.service for cp in _parsed_checkpoints(parsed.departments)]
    tags = None
    if service_tags is not None:
        tags = [normalise_tag(tag) for tag in service_tags]
        count = sum(1 for _ in _parsed_checkpoints(parsed.departments))
        if len(tags) != count:
            raise DomainError(f"{len(tags)} service tags for {count} checkpoints")
    fingerprint = _StructureHash()
    for department in parsed.departments:
        _check_lengths(department, file=parsed.path)
        fingerprint.add(department)
    writer = _HierarchyWriter(version, tags)
    writer.write(parsed.departments)
    version.structure_hash = fingerprint.hexdigest()
    version.groups = _groups_data(groups, names={d.name for d in parsed.departments},
                                  facility_type=facility_type)
    version.themes = _themes_data(themes, elements={
        me.code for d in parsed.departments for a in d.areas for s in a.standards
        for me in s.measurable_elements}, services=_services_by_element(parsed, tags))
    version.service_tags = sorted({t for t in tags or () if t != ALL})
    ChecklistVersion.objects.filter(pk=version.pk).update(
        structure_hash=version.structure_hash, groups=version.groups, themes=version.themes,
        service_tags=version.service_tags)
    from srishti.audit.models import AuditKind
    from srishti.audit.services import event_record

    event_record(kind=AuditKind.IMPORT, summary=(
        f"checklist {tool.code} {facility_type} {label!r}: {writer.departments_written} "
        f"departments, {writer.checkpoints_written} checkpoints"))
    return version


def _length_limits() -> dict[str, int]:
    return {
        "department": max_length(Department, "name"),
        "letter": max_length(AreaOfConcern, "letter"),
        "title": max_length(AreaOfConcern, "title"),
        "standard": max_length(Standard, "code"),
        "element": max_length(MeasurableElement, "code"),
        "checkpoint": max_length(Checkpoint, "code"),
    }


def _check_lengths(department: ParsedDepartment, *, file: object = None) -> None:
    """Refuse a name or code of the workbook that its column cannot hold, naming the sheet
    and row: "DH.xlsx, sheet 'Emergency', row 12: area of concern title: 230 characters;
    at most 200 are allowed"."""
    limits = _length_limits()

    def check(value: str | None, limit: int, what: str, row: int | None) -> None:
        problem = length_problem(value or "", limit)
        if problem:
            where = [os.path.basename(str(file))] if file else []
            where.append(f"sheet '{department.sheet}'")
            if row is not None:
                where.append(f"row {row}")
            raise DomainError(f"{', '.join(where)}: {what}: {problem}")

    check(department.name, limits["department"], gettext("department name"), None)
    for area in department.areas:
        check(area.letter, limits["letter"], gettext("area of concern letter"), area.row)
        check(area.title, limits["title"], gettext("area of concern title"), area.row)
        for standard in area.standards:
            check(standard.code, limits["standard"], gettext("standard code"), standard.row)
            for me in standard.measurable_elements:
                check(me.code, limits["element"], gettext("measurable element code"), me.row)
            for cp in standard.checkpoints:
                check(cp.code, limits["checkpoint"], gettext("checkpoint code"), cp.row)


class _HierarchyWriter:
    """Writes departments with their areas, standards, MEs and checkpoints."""

    def __init__(self, version: ChecklistVersion, service_tags: list[str] | None = None
                 ) -> None:
        self.version = version
        self.service_tags = service_tags
        self.departments_written = 0
        self.checkpoints_written = 0

    def write(self, batch: list[ParsedDepartment]) -> None:
        if batch:
            self._write(batch)
            self.departments_written += len(batch)

    def _write(self, parsed_departments: list[ParsedDepartment]) -> None:
        # A district hospital is ~13,500 rows (18 departments, 144 areas, 1,259 standards,
        # 5,618 MEs, 6,518 checkpoints). Model instances and bulk_create's per-field
        # preparation cost ~10x the SQL itself, so every level goes in as plain tuples
        # (core.bulk), with ids reserved beforehand (core.bulk.insert_new_rows) rather
        # than read back.
        # Benchmark: bench/import_bench.py.
        version = self.version
        department_ids = insert_new_rows(
            Department, ("name", "order"),
            [(d.name, i) for i, d in enumerate(parsed_departments, start=self.departments_written)],
            version=version.pk,
        )
        area_sources = [(department_id, i, pa)
                        for department_id, pd in zip(department_ids, parsed_departments,
                                                     strict=True)
                        for i, pa in enumerate(pd.areas)]
        area_ids = insert_new_rows(
            AreaOfConcern, ("department", "letter", "title", "order"),
            [(department_id, pa.letter, pa.title, i) for department_id, i, pa in area_sources],
        )
        standard_sources = [(department_id, area_id, i, ps)
                            for area_id, (department_id, _, pa) in zip(area_ids, area_sources,
                                                                       strict=True)
                            for i, ps in enumerate(pa.standards)]
        standard_ids = insert_new_rows(
            Standard, ("area", "code", "title", "order"),
            [(area_id, ps.code, ps.title, i) for _, area_id, i, ps in standard_sources],
        )
        standards = [(department_id, pk, ps) for pk, (department_id, _, _, ps)
                     in zip(standard_ids, standard_sources, strict=True)]
        element_sources = [(standard_id, i, me)
                           for _, standard_id, ps in standards
                           for i, me in enumerate(ps.measurable_elements)]
        element_ids = insert_new_rows(
            MeasurableElement, ("standard", "code", "text", "order"),
            [(standard_id, me.code, me.text, i) for standard_id, i, me in element_sources],
        )
        # In insertion order, so a code repeated within a standard maps to its last ME, as
        # it always has.
        element_by_key = {
            (standard_id, me.code): pk
            for pk, (standard_id, _, me) in zip(element_ids, element_sources, strict=True)
        }

        checkpoint_rows = []
        order = self.checkpoints_written
        for department_id, standard_id, ps in standards:
            for cp in ps.checkpoints:
                order += 1
                checkpoint_rows.append((
                    department_id, standard_id, element_by_key.get((standard_id, cp.me_code)),
                    cp.code or "", cp.text,
                    _methods_column(cp.methods),
                    cp.means_of_verification, order, cp.row,
                    self.service_tags[order - 1] if self.service_tags else ALL,
                ))
        insert_rows(
            Checkpoint,
            ("department", "standard", "measurable_element", "code", "text", "methods",
             "means_of_verification", "order", "source_row", "service"),
            checkpoint_rows,
            version=version.pk,
        )
        self.checkpoints_written = order


def rule_sets_seed() -> int:
    """Add the built-in certification rule sets that the database does not have yet.

    Existing rule sets are never changed: a new rule is a new code, so verdicts stored
    under an old one stay explainable.
    """
    from srishti.scoring.criteria import SEED_RULE_SETS, rule_set_from_dict

    added = 0
    for data in SEED_RULE_SETS:
        rule_set_from_dict(data)  # refuse to store a definition the engine cannot read
        if CertificationRuleSet.objects.filter(code=data["code"]).exists():
            continue
        CertificationRuleSet.objects.create(
            code=data["code"], tool=tool_get(code=str(data["tool"])),
            facility_types=list(data.get("facility_types", [])), definition=dict(data),
        )
        added += 1
    return added


@transaction.atomic
def checklist_translations_save(
    *, version: ChecklistVersion, language: str, translations: dict[tuple[str, int, str], str]
) -> int:
    """Make `translations` ((kind, row id, field) -> text, from
    `checklists.translations.match_workbook` or `match_pairs`) the version's content in
    `language`, replacing what it had in that language. A version carries one second
    language. Returns the number of texts stored."""
    from .models import Translation
    from .translations import LANGUAGES

    if language not in LANGUAGES:
        raise DomainError(gettext("unknown language %(code)s; expected one of %(codes)s")
                          % {"code": language, "codes": ", ".join(LANGUAGES)})
    if version.second_language and version.second_language != language:
        raise DomainError(gettext("this checklist's second language is %(code)s already")
                          % {"code": version.second_language})
    for text in translations.values():
        problem = length_problem(text, 20_000)
        if problem:
            raise DomainError(problem)
    Translation.objects.filter(version=version, language=language).delete()
    insert_rows(Translation, ("kind", "object_id", "field", "text"),
                [(kind, pk, field, text) for (kind, pk, field), text in translations.items()],
                version=version.pk, language=language)
    if version.second_language != language:
        version.second_language = language
        # The version's hierarchy is immutable once used; its second language is not part
        # of it, so it is written without the lock ImmutableWhenUsed applies to rows.
        ChecklistVersion.objects.filter(pk=version.pk).update(second_language=language)
    from srishti.audit.models import AuditKind
    from srishti.audit.services import event_record

    event_record(kind=AuditKind.IMPORT, summary=(
        f"checklist {version} in {language}: {len(translations)} texts"))
    return len(translations)
