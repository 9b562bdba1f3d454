"""Monthly figures: one write path for the form, the API and the Excel upload."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from srishti.core.errors import DomainError
from srishti.indicators.models import Indicator, IndicatorValue, MonthlyReport, ReportWrite
from srishti.indicators.services import (
    KeyReused,
    indicator_save,
    indicators_seed,
    monthly_report_save,
)
from tests.factories import FacilityFactory

from .conftest import MONTH, save


def test_the_seeded_library_names_the_primer_indicators_with_explicit_multipliers(library):
    assert {"BOR", "ALOS", "CSR", "LAMA", "SSI", "NND", "PSS-IPD", "PSS-OPD"} <= set(library)
    assert library["NND"].multiplier == 1_000
    assert library["CSR"].multiplier == 100
    assert library["ALOS"].multiplier == 1
    assert library["MDR"].multiplier == 100_000
    assert library["BOR"].numerator_le_denominator is False  # occupancy can pass 100%
    assert library["CSR"].numerator_le_denominator is True
    assert library["LAB-TAT"].numerator_whole is False
    assert all(i.name_hi and i.numerator_hi and i.denominator_hi for i in library.values())
    assert all(i.measurable_element.startswith("H") for i in library.values())
    assert indicators_seed() == 0  # a second seeding adds nothing


def test_figures_are_stored_with_their_value(cast, library):
    result = save(cast.f, cast.facility_team, BOR=("2480", "3000"), LAMA=("3", "150"))
    assert result.status == "applied"
    report = MonthlyReport.objects.get()
    assert (report.department, report.month, report.revision) == ("IPD", MONTH, 1)
    values = {v.indicator.code: v for v in report.values.all()}
    assert values["BOR"].value == pytest.approx(82.666666)
    assert values["LAMA"].value == 2.0
    assert values["LAMA"].numerator == Decimal(3)
    assert {v["indicator"] for v in result.answer["values"]} == {"BOR", "LAMA"}


def test_a_bad_figure_stores_nothing_and_says_which(cast, library):
    save(cast.f, cast.facility_team, LAMA=("3", "150"))
    result = save(cast.f, cast.facility_team, base_revision=1, LAMA=("5", "150"),
                  BOR=("12.5", "3000"), ALOS=("abc", "10"))
    assert result.status == "invalid"
    assert set(result.errors) == {"BOR", "ALOS"}
    assert "whole number" in result.errors["BOR"]["numerator"]
    assert "abc" in result.errors["ALOS"]["numerator"]
    assert IndicatorValue.objects.get().numerator == 3  # the good LAMA was not written either
    assert MonthlyReport.objects.get().revision == 1


def test_a_numerator_above_its_denominator_is_refused_in_words(cast, library):
    result = save(cast.f, cast.facility_team, LAMA=("151", "150"))
    assert result.errors["LAMA"]["numerator"] == (
        "The numerator (151) is larger than the denominator (150), of which it is a part.")
    assert not MonthlyReport.objects.exists()


def test_a_stale_revision_is_a_conflict_and_writes_nothing(cast, library):
    save(cast.f, cast.facility_team, base_revision=0, LAMA=("3", "150"))
    save(cast.f, cast.district_officer, base_revision=1, LAMA=("4", "150"))
    stale = save(cast.f, cast.facility_team, base_revision=1, LAMA=("9", "150"))
    assert stale.status == "conflict"
    assert stale.answer["revision"] == 2
    assert stale.answer["values"][0]["numerator"] == "4"
    assert IndicatorValue.objects.get().numerator == 4


def test_a_first_report_seen_by_two_forms_is_a_conflict_for_the_second(cast, library):
    assert save(cast.f, cast.facility_team, base_revision=0, LAMA=("3", "150")).written
    second = save(cast.f, cast.district_officer, base_revision=0, LAMA=("4", "150"))
    assert second.status == "conflict"


def test_the_same_client_id_again_changes_nothing_and_answers_the_same(cast, library):
    key = uuid.uuid4()
    first = save(cast.f, cast.facility_team, base_revision=0, client_id=key,
                 LAMA=("3", "150"))
    again = save(cast.f, cast.facility_team, base_revision=0, client_id=key,
                 LAMA=("3", "150"))
    assert again.status == "replayed"
    assert {**again.answer, "status": "applied"} == first.answer
    assert MonthlyReport.objects.get().revision == 1
    assert ReportWrite.objects.count() == 1


def test_a_client_id_reused_for_other_figures_is_refused(cast, library):
    key = uuid.uuid4()
    save(cast.f, cast.facility_team, base_revision=0, client_id=key, LAMA=("3", "150"))
    with pytest.raises(KeyReused):
        save(cast.f, cast.facility_team, base_revision=1, client_id=key, LAMA=("4", "150"))


def test_clearing_both_figures_takes_a_value_back(cast, library):
    save(cast.f, cast.facility_team, LAMA=("3", "150"), BOR=("10", "20"))
    result = save(cast.f, cast.facility_team, base_revision=1, LAMA=("", ""))
    assert result.status == "applied"
    assert [v.indicator.code for v in IndicatorValue.objects.all()] == ["BOR"]


def test_saving_the_same_figures_again_is_unchanged(cast, library):
    save(cast.f, cast.facility_team, LAMA=("3", "150"))
    again = save(cast.f, cast.facility_team, base_revision=1, LAMA=("3.0", "150"))
    assert again.status == "unchanged"
    assert MonthlyReport.objects.get().revision == 1


def test_an_empty_first_write_leaves_no_report(cast, library):
    assert save(cast.f, cast.facility_team, LAMA=("", "")).status == "unchanged"
    assert not MonthlyReport.objects.exists()


def test_months_not_yet_over_and_unknown_departments_are_refused(cast, library):
    from srishti.indicators.months import add_months, last_complete_month

    next_month = add_months(last_complete_month(), 2)  # the month after this one
    with pytest.raises(DomainError, match="not ended"):
        save(cast.f, cast.facility_team, month=next_month, LAMA=("1", "2"))
    with pytest.raises(DomainError, match="no indicators"):
        save(cast.f, cast.facility_team, department="Kitchen", LAMA=("1", "2"))


def test_department_names_match_without_case_or_spaces(cast, library):
    result = save(cast.f, cast.facility_team, department=" labour room", CSR=("12", "60"))
    assert result.written
    assert MonthlyReport.objects.get().department == "Labour Room"


def test_an_indicator_of_another_department_or_facility_type_is_refused(cast, library):
    assert "CSR" in save(cast.f, cast.facility_team, CSR=("1", "2")).errors
    phc = FacilityFactory(district=cast.x, facility_type="PHC")
    result = monthly_report_save(facility=phc, department="IPD", month=MONTH,
                                 figures={"BOR": ("1", "2")}, user=cast.state_admin)
    assert "BOR" in result.errors  # bed occupancy is reported by hospitals only


def test_a_changed_multiplier_rewrites_the_stored_values(cast, library):
    save(cast.f, cast.facility_team, department="Labour Room", NND=("3", "400"))
    nnd = Indicator.objects.get(code="NND")
    nnd.multiplier = 100
    indicator_save(indicator=nnd)
    assert IndicatorValue.objects.get().value == 0.75
    nnd.multiplier = 1_000
    indicator_save(indicator=nnd)
    assert IndicatorValue.objects.get().value == 7.5


def test_the_database_refuses_an_unknown_multiplier(library):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(code="CSR").update(multiplier=10)


def test_first_submission_is_kept_when_figures_change_later(cast, library):
    save(cast.f, cast.facility_team, LAMA=("3", "150"))
    first = MonthlyReport.objects.get().first_submitted_at
    save(cast.f, cast.facility_team, base_revision=1, LAMA=("4", "150"))
    assert MonthlyReport.objects.get().first_submitted_at == first
