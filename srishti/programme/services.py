"""Writes to the programme's directory, trainings, attendance and assessor register.

Who may call these is decided by accounts.access before; these check the domain rules
(dates in order, a person placed consistently, an account linked once) in transactions.
Creating from a form is idempotent: the form carries a client id, and a replay returns
the row the first post made.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from srishti.core.errors import DomainError
from srishti.geography.models import District, Facility, State

from .models import (
    Assessor,
    Attendance,
    AttendanceStatus,
    EligibilityRule,
    EligibilityRuleSet,
    KeyRole,
    StaffMember,
    StaffRole,
    Training,
    TrainingKind,
)


def programme_rules_seed() -> int:
    """Add the default assessor rules and key roles where missing (see defaults.py)."""
    from .defaults import seed

    return seed(EligibilityRuleSet, EligibilityRule, KeyRole)


def place_columns(place) -> dict:
    """{"state", "district", "facility"} of a place (a State, District or Facility)."""
    if isinstance(place, Facility):
        return {"state": place.district.state, "district": place.district, "facility": place}
    if isinstance(place, District):
        return {"state": place.state, "district": place, "facility": None}
    if isinstance(place, State):
        return {"state": place, "district": None, "facility": None}
    raise TypeError(f"not a place: {place!r}")


def _check_account(account, staff: StaffMember | None) -> None:
    if account is None:
        return
    other = StaffMember.objects.filter(account=account)
    if staff is not None:
        other = other.exclude(pk=staff.pk)
    if other.exists():
        raise DomainError(_("This log-in account is already linked to another person of "
                            "the directory."))


@transaction.atomic
def staff_member_create(*, name: str, role: str, place, name_hi: str = "",
                        designation: str = "", phone: str = "", email: str = "",
                        account=None, client_id: uuid.UUID | None = None
                        ) -> tuple[StaffMember, bool]:
    """Record a person of the programme at a place; (staff member, created).

    A replay with the same `client_id` returns the first one and changes nothing.
    """
    if client_id is not None:
        done = StaffMember.objects.filter(client_id=client_id).first()
        if done is not None:
            return done, False
    if role not in StaffRole.values:
        raise DomainError(_("Unknown role."))
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Give the person's name."))
    _check_account(account, None)
    staff = StaffMember(name=name, name_hi=name_hi.strip(), role=role,
                        designation=designation.strip(), phone=phone.strip(),
                        email=email.strip(), account=account, **place_columns(place))
    if client_id is None:
        staff.save()
        return staff, True
    staff.client_id = client_id
    try:
        with transaction.atomic():
            staff.save()
    except IntegrityError:
        # The same post, sent twice at once: the other one recorded the person.
        return StaffMember.objects.get(client_id=client_id), False
    return staff, True


@transaction.atomic
def staff_member_update(*, staff: StaffMember, name: str, role: str, place, name_hi: str = "",
                        designation: str = "", phone: str = "", email: str = "",
                        account=None, active: bool = True) -> StaffMember:
    """Change a person's details, place, linked account or whether they are in post."""
    if role not in StaffRole.values:
        raise DomainError(_("Unknown role."))
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Give the person's name."))
    _check_account(account, staff)
    for key, value in {**place_columns(place), "name": name, "name_hi": name_hi.strip(),
                       "role": role, "designation": designation.strip(),
                       "phone": phone.strip(), "email": email.strip(), "account": account,
                       "active": active}.items():
        setattr(staff, key, value)
    staff.save()
    return staff


def _check_training(*, title: str, kind: str, start_date: dt.date, end_date: dt.date) -> None:
    if not title.strip():
        raise DomainError(_("Give the training a title."))
    if kind not in TrainingKind.values:
        raise DomainError(_("Unknown kind of training."))
    if end_date < start_date:
        raise DomainError(_("The end date is before the start date."))


@transaction.atomic
def training_create(*, title: str, kind: str, start_date: dt.date, end_date: dt.date,
                    scope, venue: str = "", organiser: str = "", trainers: str = "",
                    tools: Iterable = (), departments: Iterable[str] = (), notes: str = "",
                    user=None, client_id: uuid.UUID | None = None) -> tuple[Training, bool]:
    """Register a training of a state or a district (`scope`); (training, created)."""
    if client_id is not None:
        done = Training.objects.filter(client_id=client_id).first()
        if done is not None:
            return done, False
    _check_training(title=title, kind=kind, start_date=start_date, end_date=end_date)
    columns = place_columns(scope)
    training = Training(
        title=title.strip(), kind=kind, start_date=start_date, end_date=end_date,
        venue=venue.strip(), organiser=organiser.strip(), trainers=trainers.strip(),
        state=columns["state"], district=columns["district"],
        departments=sorted({d.strip() for d in departments if d.strip()}),
        notes=notes.strip(), created_by=user)
    if client_id is not None:
        training.client_id = client_id
    try:
        with transaction.atomic():
            training.save()
    except IntegrityError:
        # The same post, sent twice at once: the other one registered the training.
        return Training.objects.get(client_id=client_id), False
    training.tools.set(list(tools))
    return training, True


@transaction.atomic
def training_update(*, training: Training, title: str, kind: str, start_date: dt.date,
                    end_date: dt.date, venue: str = "", organiser: str = "",
                    trainers: str = "", tools: Iterable = (),
                    departments: Iterable[str] = (), notes: str = "") -> Training:
    """Change a training's details (its scope stays)."""
    _check_training(title=title, kind=kind, start_date=start_date, end_date=end_date)
    training.title, training.kind = title.strip(), kind
    training.start_date, training.end_date = start_date, end_date
    training.venue, training.organiser = venue.strip(), organiser.strip()
    training.trainers, training.notes = trainers.strip(), notes.strip()
    training.departments = sorted({d.strip() for d in departments if d.strip()})
    training.save()
    training.tools.set(list(tools))
    return training


def _check_score(status: str, score: Decimal | None) -> None:
    if status not in AttendanceStatus.values:
        raise DomainError(_("Unknown attendance status."))
    if score is not None:
        if not Decimal(0) <= score <= Decimal(100):
            raise DomainError(_("A post-test score is a percentage from 0 to 100."))
        if status != AttendanceStatus.ATTENDED:
            raise DomainError(_("Only someone who attended has a post-test score."))


@transaction.atomic
def attendance_set(*, training: Training, staff: StaffMember, status: str,
                   post_test_score: Decimal | None = None) -> Attendance:
    """Invite a person, or record that they attended or were absent (and their score).

    Saying it twice changes nothing the second time.
    """
    _check_score(status, post_test_score)
    row, _created = Attendance.objects.update_or_create(
        training=training, staff=staff,
        defaults={"status": status, "post_test_score": post_test_score})
    return row


@transaction.atomic
def attendance_set_many(*, training: Training,
                        changes: Iterable[tuple[StaffMember, str, Decimal | None]]) -> int:
    """Set several people's attendance at once: all of them, or (on the first refused
    row, named in the error) none."""
    count = 0
    for staff, status, score in changes:
        try:
            _check_score(status, score)
        except DomainError as exc:
            raise DomainError(f"{staff.name}: {exc}") from exc
        Attendance.objects.update_or_create(
            training=training, staff=staff,
            defaults={"status": status, "post_test_score": score})
        count += 1
    return count


@transaction.atomic
def attendance_invite(*, training: Training, staff: Iterable[StaffMember]) -> int:
    """Invite people; those already on the list keep their status. Returns how many were
    added."""
    present = set(Attendance.objects.filter(training=training).values_list("staff_id",
                                                                            flat=True))
    new = [Attendance(training=training, staff=s) for s in staff if s.pk not in present]
    Attendance.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def attendance_remove(*, training: Training, staff: StaffMember) -> None:
    Attendance.objects.filter(training=training, staff=staff).delete()


@transaction.atomic
def assessor_save(*, staff: StaffMember, level: str, tools: Iterable, facility_types: list[str],
                  trained_on: dt.date | None = None, certified_on: dt.date | None = None,
                  certificate_valid_until: dt.date | None = None,
                  certificate_number: str = "", active: bool = True) -> tuple[Assessor, bool]:
    """Put a staff member on the assessor register, or change their entry;
    (entry, created)."""
    from srishti.geography.models import FacilityType

    from .models import AssessorLevel

    if level not in AssessorLevel.values:
        raise DomainError(_("Unknown assessor level."))
    unknown = set(facility_types) - set(FacilityType.values)
    if unknown:
        raise DomainError(_("Unknown facility type."))
    tools = list(tools)
    if not tools:
        raise DomainError(_("Choose at least one tool the assessor is trained for."))
    if certified_on and certificate_valid_until and certificate_valid_until < certified_on:
        raise DomainError(_("The certificate cannot end before it was issued."))
    values = {"level": level, "facility_types": sorted(facility_types),
              "trained_on": trained_on, "certified_on": certified_on,
              "certificate_valid_until": certificate_valid_until,
              "certificate_number": certificate_number.strip(), "active": active}
    try:
        with transaction.atomic():
            entry, created = Assessor.objects.update_or_create(staff=staff, defaults=values)
    except IntegrityError:
        # Two saves of a new entry at once: the other one created it; change that.
        entry, created = Assessor.objects.get(staff=staff), False
        for key, value in values.items():
            setattr(entry, key, value)
        entry.save()
    entry.tools.set(tools)
    return entry, created
