"""Demo programme data for `srishti demo`: invented people of a few Bihar districts (civil
surgeons, programme managers, quality consultants, and the district hospitals'
superintendents, managers, in-charges and emergency officers), the December 2022 state
workshop with its attendance and post-test scores, a district internal-assessor training,
a recent refresher in Begusarai, and an assessor register.

Every name is invented. Safe to run again: people are found by name, role and place,
trainings by fixed ids; nothing is added twice.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
import zlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from srishti.accounts.models import User
from srishti.checklists.models import Tool
from srishti.geography.models import District, Facility, State

from .models import Assessor, Attendance, StaffMember, Training
from .services import assessor_save, programme_rules_seed, training_create

DEMO_NAMESPACE = uuid.UUID("0c7f5d8e-3b1a-4f43-9d2e-5a6b7c8d9e01")
DISTRICTS = ["Begusarai", "Patna", "Gaya", "Nalanda", "Muzaffarpur", "Saran"]

FIRST = [("Anil", "अनिल"), ("Sunita", "सुनीता"), ("Rakesh", "राकेश"), ("Priya", "प्रिया"),
         ("Manoj", "मनोज"), ("Kavita", "कविता"), ("Sanjay", "संजय"), ("Rekha", "रेखा"),
         ("Vikas", "विकास"), ("Neha", "नेहा"), ("Ajay", "अजय"), ("Pooja", "पूजा"),
         ("Ramesh", "रमेश"), ("Anita", "अनीता"), ("Dinesh", "दिनेश"), ("Meena", "मीना"),
         ("Ashok", "अशोक"), ("Savita", "सविता"), ("Pankaj", "पंकज"), ("Nisha", "निशा"),
         ("Alok", "आलोक"), ("Shalini", "शालिनी"), ("Rajiv", "राजीव"), ("Archana", "अर्चना")]
LAST = [("Kumar", "कुमार"), ("Singh", "सिंह"), ("Prasad", "प्रसाद"), ("Sinha", "सिन्हा"),
        ("Jha", "झा"), ("Mishra", "मिश्रा"), ("Yadav", "यादव"), ("Paswan", "पासवान"),
        ("Verma", "वर्मा"), ("Choudhary", "चौधरी"), ("Thakur", "ठाकुर"), ("Rai", "राय")]

# Roles of the district and of its hospital, with whether the holder is a doctor.
DISTRICT_ROLES = [("civil_surgeon", True), ("district_programme_manager", False),
                  ("district_quality_consultant", False)]
HOSPITAL_ROLES = [("hospital_superintendent", True), ("hospital_manager", False),
                  ("nursing_in_charge", False), ("labour_room_in_charge", False),
                  ("emergency_medical_officer", True)]


def _name(rng: random.Random, doctor: bool) -> tuple[str, str]:
    (first, first_hi), (last, last_hi) = rng.choice(FIRST), rng.choice(LAST)
    if doctor:
        return f"Dr. {first} {last}", f"डॉ. {first_hi} {last_hi}"
    return f"{first} {last}", f"{first_hi} {last_hi}"


def _person(name: tuple[str, str], role: str, *, state, district=None, facility=None,
            designation: str = "") -> StaffMember:
    staff, _created = StaffMember.objects.get_or_create(
        name=name[0], role=role, state=state, district=district, facility=facility,
        defaults={"name_hi": name[1], "designation": designation,
                  "phone": f"+91 9{zlib.crc32(f'{name[0]} {role}'.encode()) % 10**9:09d}"})
    return staff


def _people(state: State) -> dict[str, list[StaffMember]]:
    """{district name: its people}, plus "state": the state's own."""
    rng = random.Random("srishti-demo-people")
    found: dict[str, list[StaffMember]] = {"state": [
        _person(("Dr. Rajiv Ranjan Sinha", "डॉ. राजीव रंजन सिन्हा"), "state_quality_officer",
                state=state, designation="State Programme Officer, Quality Assurance"),
        _person(("Shalini Choudhary", "शालिनी चौधरी"), "state_quality_consultant", state=state),
    ]}
    for name in DISTRICTS:
        district = District.objects.get(state=state, name=name)
        hospital = Facility.objects.filter(district=district, facility_type="DH").first()
        people = [_person(_name(rng, doctor), role, state=state, district=district)
                  for role, doctor in DISTRICT_ROLES]
        if hospital is not None:
            people += [_person(_name(rng, doctor), role, state=state, district=district,
                               facility=hospital) for role, doctor in HOSPITAL_ROLES]
        found[name] = people
    return found


def _training(key: str, **fields) -> Training:
    training, _created = training_create(client_id=uuid.uuid5(DEMO_NAMESPACE, key), **fields)
    return training


def _attend(training: Training, people: list[StaffMember], rng: random.Random,
            absent_every: int = 0) -> None:
    for i, staff in enumerate(people):
        if Attendance.objects.filter(training=training, staff=staff).exists():
            continue
        absent = absent_every and i % absent_every == absent_every - 1
        Attendance.objects.create(
            training=training, staff=staff, status="absent" if absent else "attended",
            post_test_score=None if absent else Decimal(rng.randint(52, 96)))


def _register(people: dict[str, list[StaffMember]], tools: dict[str, Tool]) -> None:
    nqas, laqshya = tools["NQAS"], tools["LAQSHYA"]
    entries = []
    # District quality consultants assess for their districts.
    for name in DISTRICTS:
        dqc = next(s for s in people[name] if s.role == "district_quality_consultant")
        entries.append((dqc, "district", [nqas, laqshya], ["DH", "SDH", "CHC", "PHC"],
                        dt.date(2023, 1, 11), dt.date(2023, 3, 1), None))
    # Internal assessors of two hospitals: their manager and nursing in-charge.
    for name in ("Begusarai", "Gaya"):
        for s in people[name]:
            if s.role in ("hospital_manager", "nursing_in_charge"):
                entries.append((s, "internal", [nqas], ["DH"], dt.date(2023, 1, 11), None,
                                None))
    state = people["state"]
    entries.append((state[1], "state", [nqas, laqshya], ["DH", "SDH", "CHC", "PHC", "UPHC"],
                    dt.date(2021, 8, 20), dt.date(2021, 9, 30), dt.date(2024, 9, 30)))
    # Two state assessors from districts, and a national one who does not log in.
    patna_cs = next(s for s in people["Patna"] if s.role == "civil_surgeon")
    entries.append((patna_cs, "national", [nqas], ["DH", "SDH", "CHC"],
                    dt.date(2019, 11, 4), dt.date(2020, 2, 14), dt.date(2027, 2, 14)))
    nalanda_sup = next(s for s in people["Nalanda"] if s.role == "hospital_superintendent")
    entries.append((nalanda_sup, "state", [nqas], ["DH", "SDH", "CHC", "PHC"],
                    dt.date(2022, 6, 6), dt.date(2022, 8, 1), dt.date(2027, 7, 31)))
    for staff, level, tool_list, types, trained, certified, until in entries:
        if Assessor.objects.filter(staff=staff).exists():
            continue
        assessor_save(staff=staff, level=level, tools=tool_list, facility_types=types,
                      trained_on=trained, certified_on=certified,
                      certificate_valid_until=until,
                      certificate_number=f"BR/QA/{trained:%Y}/{staff.pk:04d}" if certified
                      else "")


def _link_accounts(people: dict[str, list[StaffMember]]) -> None:
    """The demo log-ins are people of the directory too."""
    links = {
        "state": people["state"][0],
        "begusarai": next(s for s in people["Begusarai"]
                          if s.role == "district_quality_consultant"),
        "dh.begusarai": next(s for s in people["Begusarai"] if s.role == "hospital_manager"),
        # The demo assessor: a state assessor, Nalanda's superintendent.
        "assessor": next(s for s in people["Nalanda"] if s.role == "hospital_superintendent"),
    }
    for username, staff in links.items():
        user = User.objects.filter(username=username).first()
        if user is None or staff.account_id or StaffMember.objects.filter(account=user).exists():
            continue
        staff.account = user
        staff.save(update_fields=["account", "updated_at"])


@transaction.atomic
def demo_programme(*, today: dt.date | None = None) -> str:
    """Create the demo people, trainings and assessor register (after the demo log-ins)."""
    today = today or timezone.localdate()
    programme_rules_seed()
    state = State.objects.get(name="Bihar")
    tools = {t.code: t for t in Tool.objects.filter(code__in=["NQAS", "LAQSHYA"])}
    before = StaffMember.objects.count()
    people = _people(state)
    rng = random.Random("srishti-demo-trainings")
    everyone = [s for name in DISTRICTS for s in people[name]]
    workshop = _training(
        "workshop-2022-12", title="State workshop on NQAS for district hospitals",
        kind="workshop", start_date=dt.date(2022, 12, 12), end_date=dt.date(2022, 12, 13),
        scope=state, venue="Gyan Bhawan, Patna",
        organiser="State Health Society, Bihar: State Quality Assurance Unit",
        trainers="Dr. Rajiv Ranjan Sinha, Shalini Choudhary",
        tools=[tools["NQAS"], tools["LAQSHYA"]],
        departments=["Emergency", "Labour Room", "OPD", "IPD"],
        notes="Civil surgeons, programme managers, superintendents, hospital managers, "
              "labour-room in-charges and emergency officers of the district hospitals, "
              "ahead of the 60-day campaign.")
    _attend(workshop, everyone, rng, absent_every=9)
    begusarai = District.objects.get(state=state, name="Begusarai")
    internal = _training(
        "internal-assessors-begusarai-2023-01", title="Internal assessor training",
        kind="internal_assessor", start_date=dt.date(2023, 1, 9),
        end_date=dt.date(2023, 1, 11), scope=begusarai, venue="Sadar Hospital, Begusarai",
        organiser="District Quality Assurance Unit, Begusarai",
        trainers="Shalini Choudhary", tools=[tools["NQAS"]],
        departments=["Emergency", "Labour Room", "OPD", "IPD", "Laboratory"])
    _attend(internal, [s for s in people["Begusarai"] + people["Gaya"]
                       if s.role in ("hospital_manager", "nursing_in_charge",
                                     "labour_room_in_charge", "district_quality_consultant")],
            rng)
    # A recent refresher, so that Begusarai's posts show as covered today.
    refresher = _training(
        "refresher-begusarai", title="Refresher: NQAS for district hospitals",
        kind="refresher", start_date=today - dt.timedelta(days=120),
        end_date=today - dt.timedelta(days=120), scope=begusarai,
        venue="Sadar Hospital, Begusarai", organiser="District Quality Assurance Unit, "
        "Begusarai", trainers="Dr. Rajiv Ranjan Sinha", tools=[tools["NQAS"]],
        departments=["Labour Room", "Emergency"])
    _attend(refresher, [s for s in people["Begusarai"] if s.role != "civil_surgeon"], rng)
    _register(people, tools)
    _link_accounts(people)
    added = StaffMember.objects.count() - before
    return (f"programme: {StaffMember.objects.count()} staff, {added} added, "
            f"{Training.objects.count()} trainings, {Assessor.objects.count()} assessors")
