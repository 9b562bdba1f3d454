"""A small programme around the `cast` (tests/conftest.py): staff at facility F and G (in
district X), at district X and Y, and at the state; a district training of X and a state
workshop."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest


@pytest.fixture
def programme(cast):
    from srishti.programme.services import (
        attendance_set,
        programme_rules_seed,
        staff_member_create,
        training_create,
    )

    programme_rules_seed()
    w = SimpleNamespace(cast=cast)

    def person(name, role, place):
        return staff_member_create(name=name, role=role, place=place)[0]

    w.sup_f = person("Dr. Asha Rani", "hospital_superintendent", cast.f)
    w.manager_g = person("Vinod Lal", "hospital_manager", cast.g)
    w.cs_x = person("Dr. Kamal Nath", "civil_surgeon", cast.x)
    w.cs_y = person("Dr. Yamuna Devi", "civil_surgeon", cast.y)
    w.state_officer = person("Dr. Shanti Devi", "state_quality_officer", cast.x.state)
    w.district_training, _ = training_create(
        title="Labour room protocols", kind="workshop", start_date=dt.date(2024, 3, 4),
        end_date=dt.date(2024, 3, 5), scope=cast.x, venue="Sadar Hospital",
        organiser="DQAU X")
    w.state_training, _ = training_create(
        title="State workshop", kind="workshop", start_date=dt.date(2023, 12, 12),
        end_date=dt.date(2023, 12, 13), scope=cast.x.state, venue="Patna")
    for staff in (w.sup_f, w.cs_x):
        attendance_set(training=w.district_training, staff=staff, status="attended")
    for staff in (w.sup_f, w.cs_y, w.manager_g):
        attendance_set(training=w.state_training, staff=staff, status="attended")
    return w
