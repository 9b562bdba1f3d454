"""A bounded schemathesis run: the sync API answers as its OpenAPI document says."""

import datetime as dt

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth

from srishti.assessments.services import assessment_create

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
# The session cookie is supplied by the test itself, as a signed-in device would send it;
# generated data (valid and invalid) covers paths and bodies.
schema.config.generation.update(with_security_parameters=False, deterministic=True)


@pytest.fixture
def session(client, cast, demo_version):
    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 6, 1))
    client.force_login(cast.facility_team)
    csrf = _get_new_csrf_string()
    return {
        "assessment": assessment,
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        "headers": {"X-CSRFToken": csrf},
    }


@schema.parametrize()
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@pytest.mark.django_db
def test_the_sync_api_conforms_to_its_schema(case, session):
    # Half the cases aim at a real assessment, so the happy path is fuzzed too.
    if "assessment_id" in (case.path_parameters or {}) and hash(str(case.body)) % 2:
        case.path_parameters["assessment_id"] = session["assessment"].pk
    case.call_and_validate(headers=session["headers"], cookies=session["cookies"],
                           excluded_checks=[ignored_auth])
