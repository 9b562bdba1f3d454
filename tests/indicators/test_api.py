"""The offline API for monthly figures: package, reports, idempotency, conflicts."""

from __future__ import annotations

import uuid

import pytest

from srishti.indicators.models import IndicatorValue, MonthlyReport, ReportWrite
from srishti.indicators.months import last_complete_month

LAST = last_complete_month()


def report(facility, figures, *, department="IPD", month=None, base=0, client_id=None):
    return {"client_id": str(client_id or uuid.uuid4()), "department": department,
            "month": f"{month or LAST:%Y-%m}", "base_revision": base,
            "figures": [{"indicator": code, "numerator": n, "denominator": d}
                        for code, (n, d) in figures.items()]}


def post(client, facility, body):
    return client.post(f"/api/indicators/facilities/{facility.pk}/reports", body,
                       content_type="application/json")


def test_a_device_stores_a_month_and_gets_the_values_back(client, cast, library):
    client.force_login(cast.facility_team)
    response = post(client, cast.f, report(cast.f, {"LAMA": (3, 150), "BOR": ("2480", "3000")}))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "applied" and body["revision"] == 1
    assert {v["indicator"]: v["value"] for v in body["values"]}["LAMA"] == 2.0


def test_a_replayed_report_changes_nothing_and_answers_the_same(client, cast, library):
    client.force_login(cast.facility_team)
    body = report(cast.f, {"LAMA": (3, 150)})
    first = post(client, cast.f, body).json()
    again = post(client, cast.f, body).json()
    assert again["status"] == "replayed"
    assert {**again, "status": "applied"} == first
    assert MonthlyReport.objects.get().revision == 1
    assert ReportWrite.objects.count() == 1


def test_the_same_client_id_for_other_figures_is_refused(client, cast, library):
    client.force_login(cast.facility_team)
    key = uuid.uuid4()
    post(client, cast.f, report(cast.f, {"LAMA": (3, 150)}, client_id=key))
    response = post(client, cast.f, report(cast.f, {"LAMA": (4, 150)}, base=1, client_id=key))
    assert response.status_code == 409
    assert response.json()["code"] == "key_reused"
    assert IndicatorValue.objects.get().numerator == 3


def test_a_stale_revision_is_a_conflict_with_the_stored_figures(client, cast, library):
    client.force_login(cast.facility_team)
    post(client, cast.f, report(cast.f, {"LAMA": (3, 150)}))
    response = post(client, cast.f, report(cast.f, {"LAMA": (9, 150)}, base=0))
    assert response.status_code == 409
    assert response.json()["status"] == "conflict"
    assert response.json()["values"][0]["numerator"] == "3"


def test_bad_figures_are_refused_with_reasons_and_nothing_is_written(client, cast, library):
    client.force_login(cast.facility_team)
    response = post(client, cast.f, report(cast.f, {"LAMA": (151, 150), "BOR": (1.5, 10)}))
    # As the offline batches answer: 200, the status and the reasons per indicator.
    assert response.status_code == 200 and response.json()["status"] == "invalid"
    errors = response.json()["errors"]
    assert set(errors) == {"LAMA", "BOR"}
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize("figure,status", [
    (True, 422), ([], 422), ({"a": 1}, 422),  # not what the schema allows
    ("1e5", 200), ("x", 200),  # text, but not a figure: refused with the reason
])
def test_figures_that_are_not_numbers_are_refused(client, cast, library, figure, status):
    client.force_login(cast.facility_team)
    body = report(cast.f, {"LAMA": (3, 150)})
    body["figures"][0]["numerator"] = figure
    response = post(client, cast.f, body)
    assert response.status_code == status
    if status == 200:
        assert "is not a number" in response.json()["errors"]["LAMA"]["numerator"]
    assert not MonthlyReport.objects.exists()


def test_an_indicator_sent_twice_is_refused(client, cast, library):
    client.force_login(cast.facility_team)
    body = report(cast.f, {"LAMA": (3, 150)})
    body["figures"].append({"indicator": "LAMA", "numerator": "4", "denominator": "150"})
    response = post(client, cast.f, body)
    assert response.json()["errors"] == {"LAMA": {"indicator": "LAMA is sent twice."}}
    assert not MonthlyReport.objects.exists()


def test_a_month_not_over_is_refused(client, cast, library):
    from srishti.indicators.months import add_months

    client.force_login(cast.facility_team)
    response = post(client, cast.f, report(cast.f, {"LAMA": (3, 150)},
                                           month=add_months(LAST, 1)))
    assert response.status_code == 409
    assert response.json()["code"] == "refused"


def test_the_package_carries_the_library_and_recent_reports(client, cast, library):
    client.force_login(cast.facility_team)
    post(client, cast.f, report(cast.f, {"LAMA": (3, 150)}))
    body = client.get(f"/api/indicators/facilities/{cast.f.pk}/package").json()
    assert body["can_enter"] is True
    codes = {i["code"]: i for i in body["indicators"]}
    assert codes["NND"]["multiplier"] == 1000 and codes["NND"]["name_hi"]
    assert body["reports"] == [{"department": "IPD", "month": f"{LAST:%Y-%m}",
                                "revision": 1, "values": [{"indicator": "LAMA",
                                                           "numerator": "3",
                                                           "denominator": "150",
                                                           "value": 2.0}]}]


@pytest.mark.parametrize("person,package,write", [
    ("superuser", 200, 200), ("state_admin", 200, 200), ("district_officer", 200, 200),
    ("facility_team", 200, 200), ("viewer", 200, 404), ("assessor", 404, 404),
    ("outsider", 404, 404), ("anonymous", 401, 401),
])
def test_the_api_answers_only_in_scope(client, cast, library, demo_version, person, package,
                                       write):
    from tests.accounts.matrix import matrix_world

    world = matrix_world(cast, demo_version)
    user = getattr(world, person)
    if user is not None:
        client.force_login(user)
    assert client.get(f"/api/indicators/facilities/{cast.f.pk}/package").status_code == package
    assert post(client, cast.f, report(cast.f, {"LAMA": (3, 150)})).status_code == write
    # Out of scope for everyone but the state: facility H of the other district.
    h_status = client.get(f"/api/indicators/facilities/{cast.h.pk}/package").status_code
    assert h_status == (200 if person in ("superuser", "state_admin") else
                        401 if person == "anonymous" else 404)


def test_an_unknown_query_parameter_is_refused_as_the_schema_says(client, cast, library):
    client.force_login(cast.facility_team)
    url = f"/api/indicators/facilities/{cast.f.pk}/package"
    assert client.get(url, {"months": 3}).status_code == 200
    response = client.get(url, {"months": 3, "since": "x"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "since"]


def test_a_month_of_the_year_zero_is_refused_not_a_crash(client, cast, library):
    client.force_login(cast.facility_team)
    body = {**report(cast.f, {"LAMA": (3, 150)}), "month": "0000-01"}
    response = post(client, cast.f, body)
    assert response.status_code == 409 and response.json()["code"] == "refused"
