"""Writes to the master data: states, divisions, districts, blocks, facilities."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from srishti.core.errors import DomainError
from srishti.core.limits import check_length, length_problem, max_length, printable

from .models import Block, District, Division, Facility, FacilityType, State

# The type names used in published facility lists, mapped to ours.
TYPE_ALIASES = {
    "district hospital": FacilityType.DH,
    "dh": FacilityType.DH,
    "sub-divisional/taluka hospital": FacilityType.SDH,
    "sub-divisional hospital": FacilityType.SDH,
    "sub divisional hospital": FacilityType.SDH,
    "sdh": FacilityType.SDH,
    "community health center": FacilityType.CHC,
    "community health centre": FacilityType.CHC,
    "chc": FacilityType.CHC,
    "primary health center": FacilityType.PHC,
    "primary health centre": FacilityType.PHC,
    "phc": FacilityType.PHC,
    "urban primary health center": FacilityType.UPHC,
    "urban primary health centre": FacilityType.UPHC,
    "uphc": FacilityType.UPHC,
    "sub centre": FacilityType.AAM_SC,
    "sub center": FacilityType.AAM_SC,
    "aam-sc": FacilityType.AAM_SC,
    "hwc-sc": FacilityType.AAM_SC,
}
REQUIRED_COLUMNS = ("district", "facility_type", "facility_name")
# Optional: a list may place districts in divisions and facilities in blocks.
OPTIONAL_COLUMNS = ("division", "block")


class FacilityRow(NamedTuple):
    """One facility of a list; `division` and `block` are "" when the list has none."""

    district: str
    facility_type: str
    name: str
    division: str = ""
    block: str = ""


@dataclass(frozen=True)
class FacilitiesImport:
    created: int
    existing: int
    districts: int
    divisions: int = 0
    blocks: int = 0


def state_get_or_create(*, name: str) -> State:
    check_length(name, model=State, field="name", where="state name")
    code = "".join(w[0] for w in name.split()).upper()[:10] or name[:2].upper()
    state, _ = State.objects.get_or_create(name=name, defaults={"code": code})
    return state


def facility_type_from_label(label: str) -> str | None:
    key = " ".join(label.strip().lower().split())
    if key.upper() in FacilityType.values:
        return key.upper()
    return TYPE_ALIASES.get(key)


@transaction.atomic
def facilities_import_csv(*, path: Path, state_name: str, progress: bool = False
                          ) -> FacilitiesImport:
    """Load facilities from a CSV list; existing ones are left alone (idempotent).

    Columns district, facility_type and facility_name are required; division and block
    are optional (created when new; a district or facility without one gets it, one
    already placed elsewhere is an error). Every row is checked before anything is
    written; the first bad row is reported with its line and column, and nothing is
    written.
    """
    limits = {"district": max_length(District, "name"),
              "facility_name": max_length(Facility, "name"),
              "division": max_length(Division, "name"), "block": max_length(Block, "name")}
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            columns = reader.fieldnames or []
            missing = [c for c in REQUIRED_COLUMNS if c not in columns]
            if missing:
                raise DomainError(f"{path.name}: missing column(s) {', '.join(missing)}; "
                                  f"expected {', '.join(REQUIRED_COLUMNS)} (and optionally "
                                  f"{', '.join(OPTIONAL_COLUMNS)})")
            optional = [c for c in OPTIONAL_COLUMNS if c in columns]
            rows: list[FacilityRow] = []
            lines: list[int] = []
            for line, row in enumerate(reader, start=2):
                values = {c: printable(row[c] or "").strip()
                          for c in ("district", "facility_name", *optional)}
                for column, value in values.items():
                    if not value and column in REQUIRED_COLUMNS:
                        raise DomainError(f"{path.name}, line {line}, column {column}: empty")
                    problem = length_problem(value, limits[column])
                    if problem:
                        raise DomainError(f"{path.name}, line {line}, column {column}: {problem}")
                ftype = facility_type_from_label(row["facility_type"] or "")
                if ftype is None:
                    raise DomainError(f"{path.name}, line {line}, column facility_type: "
                                      f"unknown type {row['facility_type']!r}")
                rows.append(FacilityRow(values["district"], ftype, values["facility_name"],
                                        values.get("division", ""), values.get("block", "")))
                lines.append(line)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DomainError(f"{path.name}: cannot read as a UTF-8 CSV file ({exc})") from exc

    state = state_get_or_create(name=state_name)
    result = facilities_create(state=state, rows=rows, progress=progress,
                               where=lambda i: f"{path.name}, line {lines[i]}")
    from srishti.audit.models import AuditKind
    from srishti.audit.services import event_record

    event_record(kind=AuditKind.IMPORT, state_id=state.pk, summary=(
        f"facilities {path.name}: {result.created} created, {result.existing} present"))
    return result


def _placement_check(rows: Sequence[FacilityRow], where: Callable[[int], str]) -> None:
    """Refuse a list that puts one district in two divisions or one facility in two
    blocks (the later row is named)."""
    division_of: dict[str, str] = {}
    block_of: dict[tuple[str, str, str], str] = {}
    for i, r in enumerate(rows):
        if r.division:
            first = division_of.setdefault(r.district, r.division)
            if first != r.division:
                raise DomainError(f"{where(i)}, column division: district {r.district} is "
                                  f"in division {first} on an earlier line")
        if r.block:
            first = block_of.setdefault((r.district, r.facility_type, r.name), r.block)
            if first != r.block:
                raise DomainError(f"{where(i)}, column block: {r.name} is in block {first} "
                                  f"on an earlier line")


def facilities_create(*, state: State, rows: Sequence[tuple[str, ...]], progress: bool = False,
                      where: Callable[[int], str] | None = None) -> FacilitiesImport:
    """Create the facilities of `rows` (FacilityRow, or plain (district, type, name)
    tuples) that do not exist yet, with their districts, divisions and blocks.

    A division or block given for a district or facility that has none is filled in; one
    that contradicts what is stored is refused, naming the row (`where(i)` says where row
    i came from). Call it inside a transaction: a refusal may come after some writes.
    """
    facility_rows = [FacilityRow(*r) for r in rows]
    where = where or (lambda i: f"row {i + 1}")
    _placement_check(facility_rows, where)

    divisions = {d.name: d for d in Division.objects.filter(state=state)}
    for name in sorted({r.division for r in facility_rows if r.division} - divisions.keys()):
        divisions[name] = Division.objects.create(state=state, name=name)
    districts = {d.name: d for d in District.objects.filter(state=state)}
    for name in sorted({r.district for r in facility_rows} - districts.keys()):
        districts[name] = District.objects.create(state=state, name=name)
    placed: set[str] = set()
    for i, r in enumerate(facility_rows):
        if not r.division or r.district in placed:
            continue
        placed.add(r.district)
        district, division = districts[r.district], divisions[r.division]
        if district.division_id is None:
            district.division = division
            district.save(update_fields=["division", "updated_at"])
        elif district.division_id != division.pk:
            raise DomainError(f"{where(i)}, column division: district {r.district} is already "
                              f"in another division")

    blocks = {(b.district_id, b.name): b
              for b in Block.objects.filter(district__state=state)}
    for district_name, name in sorted({(r.district, r.block) for r in facility_rows if r.block}):
        key = (districts[district_name].pk, name)
        if key not in blocks:
            blocks[key] = Block.objects.create(district=districts[district_name], name=name)

    existing = {
        (d, t, n): (pk, block_id) for pk, d, t, n, block_id in
        Facility.objects.filter(district__state=state)
        .values_list("pk", "district__name", "facility_type", "name", "block_id")
    }
    new, to_place = [], {}
    for i, r in enumerate(tqdm(facility_rows, desc="facilities", unit="row",
                               disable=not progress)):
        key = (r.district, r.facility_type, r.name)
        block = blocks[(districts[r.district].pk, r.block)] if r.block else None
        if key not in existing:
            existing[key] = (None, block.pk if block else None)  # repeated rows: created once
            new.append(Facility(district=districts[r.district], facility_type=r.facility_type,
                                name=r.name, block=block))
        elif block is not None:
            pk, block_id = existing[key]
            if block_id is None and pk is not None:
                to_place[pk] = block.pk
                existing[key] = (pk, block.pk)
            elif block_id != block.pk and block_id is not None:
                raise DomainError(f"{where(i)}, column block: {r.name} is already in another "
                                  f"block")
    Facility.objects.bulk_create(new, batch_size=1000)
    for block_id in set(to_place.values()):
        Facility.objects.filter(pk__in=[pk for pk, b in to_place.items() if b == block_id]
                                ).update(block_id=block_id, updated_at=timezone.now())
    return FacilitiesImport(
        created=len(new), existing=len(facility_rows) - len(new),
        districts=len({r.district for r in facility_rows}),
        divisions=len({r.division for r in facility_rows if r.division}),
        blocks=len({(r.district, r.block) for r in facility_rows if r.block}))


def facility_service_profile_set(*, facility: Facility, services: list[str],
                                 subcentre_type: str) -> Facility:
    """Set a sub-centre's service profile: the optional service packages it offers (names
    of scoring.packages.OPTIONAL_SERVICES) and its type, A or B. Checkpoints of packages
    it does not offer are then not applicable in its open assessments, which are rescored
    (a submitted assessment keeps the figures it was submitted with until reopened)."""
    from srishti.assessments.models import Assessment
    from srishti.assessments.services import assessment_rescore
    from srishti.scoring.packages import OPTIONAL_SERVICES

    unknown = [s for s in services if s not in OPTIONAL_SERVICES]
    if unknown:
        raise DomainError(_("unknown service package(s) %(names)s; expected some of %(known)s")
                          % {"names": ", ".join(unknown), "known": ", ".join(OPTIONAL_SERVICES)})
    if subcentre_type not in {"A", "B"}:
        raise DomainError(_("the sub-centre type is A or B"))
    with transaction.atomic():
        facility.services = [s for s in OPTIONAL_SERVICES if s in services]
        facility.subcentre_type = subcentre_type
        facility.save(update_fields=["services", "subcentre_type", "updated_at"])
        for assessment in (Assessment.objects.filter(facility=facility)
                           .exclude(status=Assessment.Status.SUBMITTED)
                           .exclude(version__service_tags=[]).select_related("version")):
            assessment.facility = facility
            assessment_rescore(assessment=assessment)
    return facility
