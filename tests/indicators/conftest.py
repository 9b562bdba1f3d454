"""Fixtures of the indicator tests: the seeded library and the access cast."""

from __future__ import annotations

import datetime as dt

import pytest

# A month long over, so that "not ended yet" never depends on the day the tests run.
MONTH = dt.date(2024, 5, 1)


@pytest.fixture
def library(db):
    """The starting library (flushed away in transactional tests, so seeded again)."""
    from srishti.indicators.models import Indicator
    from srishti.indicators.services import indicators_seed

    indicators_seed()
    return {i.code: i for i in Indicator.objects.all()}


def save(facility, user, month=MONTH, department="IPD", base_revision=None, client_id=None,
         **figures):
    """Save figures given as CODE=(numerator, denominator)."""
    from srishti.indicators.services import monthly_report_save

    return monthly_report_save(facility=facility, department=department, month=month,
                               figures={k.replace("_", "-"): v for k, v in figures.items()},
                               user=user, base_revision=base_revision, client_id=client_id)
