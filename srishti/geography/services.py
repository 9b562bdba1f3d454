"""Writes to the master data: states, districts, facilities."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from srishti.core.errors import DomainError
from srishti.core.limits import check_length, length_problem, max_length, printable

from .models import District, Facility, FacilityType, State

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


@dataclass(frozen=True)
class FacilitiesImport:
    created: int
    existing: int
    districts: int


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

    Every row is checked before anything is written; the first bad row is reported with
    its line and column, and nothing is written.
    """
    district_limit, name_limit = max_length(District, "name"), max_length(Facility, "name")
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DomainError(f"{path.name}: missing column(s) {', '.join(missing)}; "
                                  f"expected {', '.join(REQUIRED_COLUMNS)}")
            rows = []
            for line, row in enumerate(reader, start=2):
                district = printable(row["district"] or "").strip()
                name = printable(row["facility_name"] or "").strip()
                ftype = facility_type_from_label(row["facility_type"] or "")
                for column, value, limit in (("district", district, district_limit),
                                             ("facility_name", name, name_limit)):
                    if not value:
                        raise DomainError(f"{path.name}, line {line}, column {column}: empty")
                    problem = length_problem(value, limit)
                    if problem:
                        raise DomainError(f"{path.name}, line {line}, column {column}: {problem}")
                if ftype is None:
                    raise DomainError(f"{path.name}, line {line}, column facility_type: "
                                      f"unknown type {row['facility_type']!r}")
                rows.append((district, ftype, name))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DomainError(f"{path.name}: cannot read as a UTF-8 CSV file ({exc})") from exc

    state = state_get_or_create(name=state_name)
    result = facilities_create(state=state, rows=rows, progress=progress)
    from srishti.audit.models import AuditKind
    from srishti.audit.services import event_record

    event_record(kind=AuditKind.IMPORT, state_id=state.pk, summary=(
        f"facilities {path.name}: {result.created} created, {result.existing} present"))
    return result


def facilities_create(*, state: State, rows: list[tuple[str, str, str]], progress: bool = False
                      ) -> FacilitiesImport:
    """Create the (district, type, name) rows that do not exist yet, with their districts."""
    districts = {d.name: d for d in District.objects.filter(state=state)}
    for name in sorted({r[0] for r in rows} - districts.keys()):
        districts[name] = District.objects.create(state=state, name=name)
    existing = set(
        Facility.objects.filter(district__state=state)
        .values_list("district__name", "facility_type", "name")
    )
    new = []
    for d, t, n in tqdm(rows, desc="facilities", unit="row", disable=not progress):
        if (d, t, n) not in existing:
            existing.add((d, t, n))  # a row repeated in the file is created once
            new.append(Facility(district=districts[d], facility_type=t, name=n))
    Facility.objects.bulk_create(new, batch_size=1000)
    return FacilitiesImport(created=len(new), existing=len(rows) - len(new),
                            districts=len({r[0] for r in rows}))


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
