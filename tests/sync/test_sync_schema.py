"""A bounded schemathesis run: the sync API answers as its OpenAPI document says."""

import datetime as dt
import json
import uuid
import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth

from srishti.assessments.services import assessment_create
from srishti.config.api import api
from srishti.sync.models import ResponsePhoto

# /api/openapi.json is served to people who have logged in; the document is read from the
# API object itself, and the cases are sent to the WSGI application. The sync endpoints
# only: the other routers of the API have their own schema tests.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema()))).include(
    path_regex="^/api/sync/")
schema.app = get_wsgi_application()
# The session cookie is supplied by the test itself, as a signed-in device would send it;
# generated data (valid and invalid) covers paths and bodies.
schema.config.generation.update(with_security_parameters=False, deterministic=True)


@pytest.fixture(autouse=True)
def one_connection():
    """Keep the test's database connection across the calls, as Django's test client does:
    the WSGI handler would close it after each request (on PostgreSQL, mid-transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def session(client, cast, demo_version, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assessment = assessment_create(facility=cast.f, version=demo_version,
                                   start_date=dt.date(2024, 6, 1))
    # A photo being uploaded, so the photo endpoints are fuzzed past their 404.
    photo = ResponsePhoto.objects.create(
        assessment=assessment, checkpoint=demo_version.checkpoints.first(),
        client_id=uuid.uuid4(), uploaded_by=cast.facility_team, size=4096,
        content_type="image/jpeg")
    client.force_login(cast.facility_team)
    csrf = _get_new_csrf_string()
    return {
        "assessment": assessment,
        "photo": photo,
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        "headers": {"X-CSRFToken": csrf},
    }


@schema.parametrize()
@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@pytest.mark.django_db
def test_the_sync_api_conforms_to_its_schema(case, session):
    # Half the cases aim at a real assessment, so the happy path is fuzzed too.
    # crc32, not hash(): the same cases aim the same way in every run.
    aim = zlib.crc32(f"{case.body}{case.query}".encode()) % 2
    if "assessment_id" in (case.path_parameters or {}) and aim:
        case.path_parameters["assessment_id"] = session["assessment"].pk
    if "client_id" in (case.path_parameters or {}) and aim:
        case.path_parameters["client_id"] = str(session["photo"].client_id)
    case.call_and_validate(headers=session["headers"], cookies=session["cookies"],
                           excluded_checks=[ignored_auth])
