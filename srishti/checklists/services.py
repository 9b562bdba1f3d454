"""Writes to the checklist library."""

from __future__ import annotations

import hashlib

from django.db import transaction

from srishti.core.errors import DomainError
from srishti.workbooks.parsed import ParsedWorkbook

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

TOOL_NAMES = {
    "NQAS": "National Quality Assurance Standards",
    "KAYAKALP": "Kayakalp",
    "LAQSHYA": "LaQshya",
    "MUSQAN": "MusQan",
}


def structure_hash(parsed: ParsedWorkbook) -> str:
    """A fingerprint of the checklist's structure: codes and texts in order, no answers."""
    digest = hashlib.sha256()
    for department in parsed.departments:
        digest.update(b"\x1dD" + department.name.encode())
        for area in department.areas:
            digest.update(b"\x1dA" + area.letter.encode() + b"\x1f" + area.title.encode())
            for standard in area.standards:
                digest.update(b"\x1dS" + standard.code.encode() + b"\x1f" + standard.title.encode())
                for me in standard.measurable_elements:
                    digest.update(b"\x1dM" + me.code.encode() + b"\x1f" + me.text.encode())
                for cp in standard.checkpoints:
                    digest.update(
                        b"\x1dC" + (cp.me_code or "").encode() + b"\x1f" + cp.text.encode()
                        + b"\x1f" + " ".join(sorted(cp.methods)).encode()
                    )
    return digest.hexdigest()


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


@transaction.atomic
def checklist_version_create(
    *,
    parsed: ParsedWorkbook,
    tool: Tool,
    facility_type: str,
    label: str,
    state_variant=None,
    source_file: str = "",
) -> ChecklistVersion:
    """Create a checklist version and its whole hierarchy from a parsed workbook.

    Runs in one transaction: either every row is written or none is.
    """
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
        structure_hash=structure_hash(parsed),
        source_file=source_file,
    )
    _create_hierarchy(version, parsed)
    return version


def _create_hierarchy(version: ChecklistVersion, parsed: ParsedWorkbook) -> None:
    # Bulk inserts level by level: five INSERT batches for a whole district hospital
    # instead of one statement per row.
    departments = Department.objects.bulk_create(
        Department(version=version, name=d.name, order=i)
        for i, d in enumerate(parsed.departments)
    )
    areas, area_sources = [], []
    for department, pd in zip(departments, parsed.departments, strict=True):
        for i, pa in enumerate(pd.areas):
            areas.append(AreaOfConcern(department=department, letter=pa.letter,
                                       title=pa.title, order=i))
            area_sources.append(pa)
    AreaOfConcern.objects.bulk_create(areas)

    standards, standard_sources = [], []
    for area, pa in zip(areas, area_sources, strict=True):
        for i, ps in enumerate(pa.standards):
            standards.append(Standard(area=area, code=ps.code, title=ps.title, order=i))
            standard_sources.append((area.department, ps))
    Standard.objects.bulk_create(standards, batch_size=2000)

    elements, element_keys = [], []
    for standard, (_, ps) in zip(standards, standard_sources, strict=True):
        for i, me in enumerate(ps.measurable_elements):
            elements.append(MeasurableElement(standard=standard, code=me.code,
                                              text=me.text, order=i))
            element_keys.append((standard.pk, me.code))
    MeasurableElement.objects.bulk_create(elements, batch_size=2000)
    element_by_key = {key: el for key, el in zip(element_keys, elements, strict=True)}

    checkpoints = []
    order = 0
    for standard, (department, ps) in zip(standards, standard_sources, strict=True):
        for cp in ps.checkpoints:
            order += 1
            checkpoints.append(
                Checkpoint(
                    version=version,
                    department=department,
                    standard=standard,
                    measurable_element=element_by_key.get((standard.pk, cp.me_code)),
                    code=cp.code or "",
                    text=cp.text,
                    methods=" ".join(m for m in ("SI", "OB", "RR", "PI") if m in cp.methods),
                    means_of_verification=cp.means_of_verification,
                    order=order,
                    source_row=cp.row,
                )
            )
    Checkpoint.objects.bulk_create(checkpoints, batch_size=2000)


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
