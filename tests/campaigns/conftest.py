"""A campaign of district X around the cast: facilities F and G enrolled, starting on
Monday 6 January 2025 for four weeks."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

START = dt.date(2025, 1, 6)


def at(day: dt.date, hour: int = 20):
    """An aware datetime on `day` in Indian time."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def answer(assessment, n: int, value: int = 2):
    """Answer the first `n` checkpoints of the assessment (score `value`)."""
    from srishti.assessments.services import responses_import

    ids = list(assessment.version.checkpoints.order_by("order").values_list("id", flat=True))
    responses_import(assessment=assessment,
                     answers=[(cid, value, "" if value == 2 else "gap") for cid in ids[:n]])
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def campaign(cast, demo_version):
    from srishti.campaigns.models import Enrollment
    from srishti.campaigns.services import campaign_create

    c, _ = campaign_create(name="Mission 28 days", scope=cast.x, tool=demo_version.tool,
                           start=START, end=START + dt.timedelta(days=27),
                           goal="certification_ready")
    for facility in (cast.f, cast.g):
        Enrollment.objects.create(campaign=c, facility=facility)
    return SimpleNamespace(campaign=c, cast=cast, version=demo_version)
