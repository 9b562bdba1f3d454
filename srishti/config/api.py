"""The one JSON API (OpenAPI document at /api/openapi.json, docs at /api/docs).

The docs page is Swagger UI from the swagger-ui-dist npm package, served by the app (no
CDN: it works offline), and like the API itself it is for people who have logged in.
"""

import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.security import django_auth

from srishti.indicators.api import router as indicators_router
from srishti.sync.api import router as sync_router


class LocalSwagger(Swagger):
    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, "api/swagger.html", {
            "swagger_settings": json.dumps(self.settings), "api": api})


api = NinjaAPI(title="Srishti API", version="1", auth=django_auth, urls_namespace="api",
               docs=LocalSwagger(), docs_decorator=login_required)
api.add_router("/sync/", sync_router)
api.add_router("/indicators/", indicators_router)
