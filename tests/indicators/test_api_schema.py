"""A bounded schemathesis run: the indicator API answers as its OpenAPI document says."""

from __future__ import annotations

import json
import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth

from srishti.config.api import api

# /api/openapi.json is served to people who have logged in: the document is read from the
# API object itself, and the cases are sent to the WSGI application.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema()))).include(
    path_regex="^/api/indicators/")
schema.app = get_wsgi_application()
schema.config.generation.update(with_security_parameters=False, deterministic=True)


@pytest.fixture(autouse=True)
def one_connection():
    """Keep the test's database connection across the calls (see tests/sync)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def session(client, cast, library):
    client.force_login(cast.facility_team)
    csrf = _get_new_csrf_string()
    return {"facility": cast.f,
            "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
            "headers": {"X-CSRFToken": csrf}}


@schema.parametrize()
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@pytest.mark.django_db
def test_the_indicator_api_conforms_to_its_schema(case, session):
    # Half the cases aim at the real facility, so the happy path is fuzzed too.
    aim = zlib.crc32(f"{case.body}{case.query}".encode()) % 2
    if "facility_id" in (case.path_parameters or {}) and aim:
        case.path_parameters["facility_id"] = session["facility"].pk
    case.call_and_validate(headers=session["headers"], cookies=session["cookies"],
                           excluded_checks=[ignored_auth])
