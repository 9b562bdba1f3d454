"""The one JSON API (OpenAPI document at /api/openapi.json, docs at /api/docs)."""

from ninja import NinjaAPI
from ninja.security import django_auth

from srishti.indicators.api import router as indicators_router
from srishti.sync.api import router as sync_router

api = NinjaAPI(title="Srishti API", version="1", auth=django_auth,
               urls_namespace="api")
api.add_router("/sync/", sync_router)
api.add_router("/indicators/", indicators_router)
