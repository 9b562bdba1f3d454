"""`srishti demo`: Bihar's divisions and districts, a generated facility list in blocks,
the demo checklists and a handful of assessments with varied scores. Safe to run again: it
adds only what is missing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from srishti.accounts.models import User
from srishti.assessments.models import Assessment
from srishti.assessments.services import assessment_create, responses_import
from srishti.campaigns.demo import demo_campaigns
from srishti.certification.demo import demo_certification
from srishti.certification.standing import standings_rebuild
from srishti.checklists.models import ChecklistVersion
from srishti.checklists.services import checklist_version_create, rule_sets_seed, tool_get
from srishti.core.errors import DomainError
from srishti.geography.models import Block, Facility
from srishti.geography.services import facilities_create, state_get_or_create
from srishti.improvement.demo import demo_action_items
from srishti.programme.demo import demo_programme

from .checklist import DEMO_VERSION_LABEL, demo_checklist
from .draft import demo_draft
from .facilities import generated_facilities

DEMO_PASSWORD = "srishti-demo"
DEMO_TYPES = ("DH", "CHC", "PHC")

# (district, type, facility number or None for the DH, [(date, kind, maturity)]): maturity
# is the chance a checkpoint is fully compliant, so scores rise over a facility's series.
DEMO_ASSESSMENTS = [
    ("Begusarai", "DH", None, [("2022-06-10", "baseline", .55), ("2022-10-14", "internal", .78),
                               ("2023-01-20", "state", .93)]),
    ("Patna", "DH", None, [("2022-07-05", "baseline", .5), ("2023-02-02", "internal", .74)]),
    ("Gaya", "DH", None, [("2022-08-18", "baseline", .35), ("2023-01-11", "internal", .58)]),
    ("Nalanda", "DH", None, [("2022-11-03", "internal", .66)]),
    ("Muzaffarpur", "DH", None, [("2022-09-22", "baseline", .28)]),
    ("Begusarai", "CHC", 1, [("2022-12-01", "internal", .7)]),
    ("Patna", "PHC", 1, [("2022-12-12", "internal", .62)]),
    ("Saran", "PHC", 2, [("2023-01-05", "internal", .85)]),
]
# The demo assessments are history and were submitted, except the one the demo assessor
# is still scoring (see _demo_assignment): it is "in progress" and counts nowhere.
STILL_OPEN = {("Patna", "DH", "2023-02-02")}


DEMO_LOGINS = [
    ("admin", "superuser and master-data administrator; sees and does everything"),
    ("state", "state quality unit, Bihar: sees and scores all of Bihar, manages its "
              "people, reopens submitted assessments"),
    ("division.munger", "division (regional) quality unit, Munger: sees and scores the "
                        "facilities of its six districts, ranks them, manages their people"),
    ("begusarai", "district quality unit, Begusarai: sees and scores its facilities, "
                  "manages its people"),
    ("block.begusarai", "block health team, Begusarai Block 01: sees and scores the PHC and "
                        "CHC of its block"),
    ("dh.begusarai", "facility quality team, District Hospital Begusarai: opens and "
                     "scores its assessments"),
    ("assessor", "assessor: scores the Emergency and Labour Room assigned to them at Patna DH"),
    ("viewer", "read-only viewer, Bihar: sees all of Bihar, changes nothing"),
]

# username -> (full name, role, ("state" | "division" | "district" | "block" | "facility",
# name)); a block's name is "<district>/<block>".
DEMO_PEOPLE = {
    "state": ("State Quality Unit Bihar", "state_quality_unit", ("state", "Bihar")),
    "division.munger": ("Regional Deputy Director Munger", "division_quality_unit",
                        ("division", "Munger")),
    "begusarai": ("District Quality Unit Begusarai", "district_quality_unit",
                  ("district", "Begusarai")),
    "block.begusarai": ("Block Health Team Begusarai 01", "block_health_team",
                        ("block", "Begusarai/Begusarai Block 01")),
    "dh.begusarai": ("Quality Team DH Begusarai", "facility_quality_team",
                     ("facility", "District Hospital Begusarai")),
    "assessor": ("Demo Assessor", "assessor", ("state", "Bihar")),
    "viewer": ("Demo Viewer", "viewer", ("state", "Bihar")),
}


def demo_logins() -> str:
    """The demo log-ins, as `make run` prints them."""
    lines = [f"Demo log-ins (password for each: {DEMO_PASSWORD}):"]
    lines += [f"  {username:<15} {what}" for username, what in DEMO_LOGINS]
    return "\n".join(lines)


@transaction.atomic
def demo_load(*, progress: bool = False) -> str:
    if settings.SRISHTI_PRODUCTION:
        # Its accounts share one published password: never on a real server.
        raise DomainError(_("The demo cannot be loaded with the production settings: its "
                            "log-ins share a published password. Create the first "
                            "administrator with `srishti createadmin`."))
    state = state_get_or_create(name="Bihar")
    rule_sets_seed()
    created = facilities_create(state=state, rows=generated_facilities(), progress=progress)
    tool = tool_get(code="NQAS")
    versions = {}
    for ftype in DEMO_TYPES:
        version = ChecklistVersion.objects.filter(
            tool=tool, facility_type=ftype, label=DEMO_VERSION_LABEL, state_variant=None
        ).first()
        versions[ftype] = version or checklist_version_create(
            parsed=demo_checklist(ftype), tool=tool, facility_type=ftype,
            label=DEMO_VERSION_LABEL, source_file="demo",
        )
    made = 0
    for district, ftype, number, series in tqdm(DEMO_ASSESSMENTS, desc="demo assessments",
                                                disable=not progress):
        facility = _demo_facility(district, ftype, number)
        for date, kind, maturity in series:
            start = dt.date.fromisoformat(date)
            if Assessment.objects.filter(facility=facility, start_date=start, kind=kind).exists():
                continue
            _demo_assessment(facility, versions[ftype], start, kind, maturity,
                             submitted=(district, ftype, date) not in STILL_OPEN)
            made += 1
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "", DEMO_PASSWORD)
    _demo_people(state)
    _demo_assignment()
    actions = demo_action_items()
    certification = demo_certification()
    made += demo_draft() is not None
    made += _demo_aam_sc(state)
    standings_rebuild()
    outcomes = _demo_outcomes()
    programme = demo_programme()
    campaigns = demo_campaigns()
    return (f"demo: {Facility.objects.count()} facilities ({created.created} new), "
            f"{Assessment.objects.count()} assessments ({made} new); {certification}; {actions}"
            f"; {outcomes}; {programme}; {campaigns}")


# (district, name, sub-centre type, optional packages offered, [(date, kind, maturity)])
DEMO_SUBCENTRES = [
    ("Begusarai", "AAM Sub-centre Begusarai 01", "A", ["Eye", "ENT", "Oral"],
     [("2023-01-18", "internal", .72)]),
    ("Begusarai", "AAM Sub-centre Begusarai 02", "B",
     ["Eye", "ENT", "Oral", "Elderly", "Palliative", "Emergency", "Mental"],
     [("2023-02-08", "internal", .86)]),
]


def _demo_aam_sc(state) -> int:
    """Two AAM sub-centres with service profiles, the demo AAM-SC checklist in English
    with its Hindi text, service tags and themes, and an assessment of each."""
    from srishti.checklists.services import checklist_translations_save
    from srishti.checklists.translations import match_workbook
    from srishti.geography.services import facility_service_profile_set

    from .aam_sc import AAM_SC_VERSION_LABEL, demo_aam_sc, demo_service_tags, demo_themes

    tool = tool_get(code="NQAS")
    version = ChecklistVersion.objects.filter(
        tool=tool, facility_type="AAM-SC", label=AAM_SC_VERSION_LABEL, state_variant=None
    ).first()
    if version is None:
        version = checklist_version_create(
            parsed=demo_aam_sc("en"), tool=tool, facility_type="AAM-SC",
            label=AAM_SC_VERSION_LABEL, source_file="demo", themes=demo_themes("en"),
            service_tags=demo_service_tags())
        match = match_workbook(version, demo_aam_sc("hi"), themes=demo_themes("hi"))
        assert not match.mismatches, match.mismatches  # the two are built from one table
        checklist_translations_save(version=version, language="hi",
                                    translations=match.translations)
    facilities_create(state=state, rows=[(district, "AAM-SC", name)
                                         for district, name, *_ in DEMO_SUBCENTRES])
    made = 0
    for district, name, subcentre_type, services, series in DEMO_SUBCENTRES:
        facility = Facility.objects.get(district__name=district, facility_type="AAM-SC",
                                        name=name)
        if not facility.services:
            facility_service_profile_set(facility=facility, services=services,
                                         subcentre_type=subcentre_type)
        for date, kind, maturity in series:
            start = dt.date.fromisoformat(date)
            if not Assessment.objects.filter(facility=facility, start_date=start).exists():
                _demo_assessment(facility, version, start, kind, maturity, submitted=True)
                made += 1
    return made


def _demo_outcomes() -> str:
    """Monthly indicator figures and programme records (srishti.indicators, .programmes)."""
    from srishti.indicators.demo import demo_indicators
    from srishti.programmes.demo import demo_programmes

    return f"{demo_indicators()}; {demo_programmes()}"


def _demo_assignment() -> None:
    """Give the demo assessor work: the Emergency and Labour Room of Patna's latest
    district-hospital assessment, so that logging in as `assessor` shows something."""
    from srishti.assessments.models import Assignment

    assessor = User.objects.get(username="assessor")
    latest = (Assessment.objects.filter(facility__district__name="Patna",
                                        facility__facility_type="DH")
              .order_by("-start_date").first())
    for department in latest.version.departments.filter(name__in=["Emergency", "Labour Room"]):
        Assignment.objects.get_or_create(assessment=latest, department=department,
                                         assessor=assessor)


def _demo_people(state) -> None:
    """The demo log-ins and their roles; an existing user keeps their password and roles."""
    from srishti.accounts.models import Membership

    for username, (name, role, (kind, place)) in DEMO_PEOPLE.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=name)
            user.set_password(DEMO_PASSWORD)
            user.save()
        if kind == "state":
            scope = {"state": state}
        elif kind == "division":
            scope = {"division": state.divisions.get(name=place)}
        elif kind == "district":
            scope = {"district": state.districts.get(name=place)}
        elif kind == "block":
            district, block = place.split("/")
            scope = {"block": Block.objects.get(district__state=state, district__name=district,
                                                name=block)}
        else:
            scope = {"facility": Facility.objects.get(district__state=state, name=place)}
        Membership.objects.get_or_create(user=user, role=role, **scope)


def _demo_facility(district: str, ftype: str, number: int | None) -> Facility:
    qs = Facility.objects.filter(district__name=district, facility_type=ftype).order_by("name")
    facility = qs[(number or 1) - 1] if number else qs.first()
    return facility


def _demo_assessment(facility, version, start, kind, maturity, *, submitted: bool
                     ) -> Assessment:
    # Seeded by facility name and date (not by database ids, which differ between
    # databases and runs) so the same demo is produced everywhere.
    rng = random.Random(f"{facility.name}-{start}")
    assessment = assessment_create(
        facility=facility, version=version, kind=kind, start_date=start,
        end_date=start + dt.timedelta(days=2), assessor_names="Demo assessors",
        series=f"{facility.name} {start.year}",
    )
    answers = []
    for checkpoint_id in version.checkpoints.order_by("order").values_list("id", flat=True):
        draw = rng.random()
        if draw < 0.04:
            answers.append((checkpoint_id, None, ""))
        elif draw < 0.04 + maturity * 0.96:
            answers.append((checkpoint_id, 2, ""))
        elif rng.random() < 0.5:
            answers.append((checkpoint_id, 1, "Partly in place; records incomplete"))
        else:
            answers.append((checkpoint_id, 0, "Not in place at the time of assessment"))
    responses_import(assessment=assessment, answers=answers)
    if submitted:  # as history: no events, no derived records (demo_certification's)
        assessment.status = Assessment.Status.SUBMITTED
        assessment.save(update_fields=["status", "updated_at"])
    return assessment
