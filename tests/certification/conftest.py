"""Fixtures of the certification tests: assessments with hand-set stored scores, records,
media in a temporary directory."""

from __future__ import annotations

import datetime as dt

import pytest

from srishti.assessments.models import Assessment, AssessmentScore
from srishti.assessments.services import assessment_create
from srishti.checklists.services import tool_get
from tests.factories import submitted

TODAY = dt.date(2025, 6, 15)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def nqas(db):
    return tool_get(code="NQAS")


def verdict(*failing: tuple[str, float, float], units=()) -> dict:
    """A stored verdict failing the given (kind, threshold, lowest value) criteria."""
    criteria = [
        {"name": kind.replace("_", " "), "kind": kind, "threshold": threshold, "value": value,
         "passed": False,
         "shortfalls": [{"unit": u, "score": s, "obtained": 0, "maximum": 0,
                         "points_missing": 1} for u, s in units] or
                       [{"unit": "X1", "score": value, "obtained": 0, "maximum": 0,
                         "points_missing": 1}]}
        for kind, threshold, value in failing
    ]
    return {"rule_set": "test", "verdict": "", "passed": not failing, "badge": None,
            "criteria": criteria}


def assess(facility, version, start: dt.date, *, kind="internal", overall=None, passed=None,
           failing=(), status=Assessment.Status.SUBMITTED) -> Assessment:
    """An assessment whose stored score is set by hand (the figures the selectors read),
    submitted unless told otherwise (only submitted assessments count)."""
    assessment = assessment_create(facility=facility, version=version, kind=kind,
                                   start_date=start, end_date=start + dt.timedelta(days=1))
    # largest_gap as assessment_rescore stores it (scoring.criteria.largest_gap).
    gaps = [threshold - (value if value is not None else 0) for _k, threshold, value in failing]
    AssessmentScore.objects.filter(assessment=assessment).update(
        overall=overall, passed=passed, verdict=verdict(*failing) if passed is not None else {},
        largest_gap=max(gaps) if gaps and passed is False else None)
    if status == Assessment.Status.SUBMITTED:
        submitted(assessment)
    elif status != Assessment.Status.IN_PROGRESS:
        Assessment.objects.filter(pk=assessment.pk).update(status=status)
    assessment.refresh_from_db()
    return Assessment.objects.select_related("score", "version__tool", "facility").get(
        pk=assessment.pk)
