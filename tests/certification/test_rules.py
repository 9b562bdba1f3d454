import datetime as dt

import pytest

from srishti.certification.rules import add_months, rules, validity_end

D = dt.date


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2023, 1, 20), 12, D(2024, 1, 20)),
    (D(2023, 1, 31), 1, D(2023, 2, 28)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2024, 2, 29), 48, D(2028, 2, 29)),
    (D(2023, 12, 15), 1, D(2024, 1, 15)),
    (D(2023, 3, 31), -1, D(2023, 2, 28)),
    (D(2023, 1, 10), -14, D(2021, 11, 10)),
])
def test_add_months_keeps_the_day_inside_the_target_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("stage", "result", "expected"), [
    ("state_certified", "passed", D(2024, 1, 22)),
    ("national_certified", "full", D(2026, 1, 22)),
    ("national_certified", "conditional", D(2024, 1, 22)),
    ("state_certified", "failed", None),
    ("national_certified", "failed", None),
    ("baseline", "passed", None),
    ("internal", "failed", None),
    ("district", "passed", None),
    ("surveillance", "passed", None),
    ("expired", "", None),
])
def test_validity_by_stage_and_result(stage, result, expected):
    assert validity_end(stage, result, D(2023, 1, 22)) == expected


def test_settings_override_a_rule_and_keep_the_others(settings):
    settings.SRISHTI_CERTIFICATION_RULES = {
        "validity_months": {("state_certified", "passed"): 24}}
    assert validity_end("state_certified", "passed", D(2023, 1, 22)) == D(2025, 1, 22)
    assert rules()["expiring_within_days"] == 90
