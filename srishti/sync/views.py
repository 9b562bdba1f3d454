"""The installable app's files (service worker, manifest, offline page) and the
access-checked evidence photos."""

from __future__ import annotations

import hashlib
import json
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .selectors import photo_for_read

THEME_COLOUR = "#0b6e4f"  # --accent in css/srishti.css
BACKGROUND_COLOUR = "#f6f7f9"  # --bg

# The app shell: what a capture page needs to run with no network. Pages themselves are
# cached only when the person marks an assessment "available offline" (js/offline.js).
SHELL_STATIC = ("css/srishti.css", "css/offline.css", "vendor/htmx.min.js", "js/capture.js",
                "js/offline.js", "js/srishti.js", "icons/icon.svg", "icons/icon-192.png",
                "icons/icon-512.png", "css/outcomes.css")


def _shell() -> tuple[list[str], str]:
    """The shell's URLs and a version that changes whenever one of its files does, so
    a changed CSS or script reaches the devices (a changed sw.js is a new worker)."""
    digest = hashlib.sha256()
    for name in (*SHELL_STATIC, "sw.js"):
        path = finders.find(name)
        if path is None:
            raise FileNotFoundError(name)
        with open(path, "rb") as handle:
            digest.update(handle.read())
    urls = [static(name) for name in SHELL_STATIC]
    urls += [reverse("manifest"), reverse("offline")]
    return urls, digest.hexdigest()[:16]


@require_GET
def service_worker_view(request):
    """sw.js from the site's root, so its scope covers every page (a worker served from
    /static/ could only control /static/)."""
    urls, version = _shell()
    with open(finders.find("sw.js"), encoding="utf-8") as handle:
        source = handle.read()
    source = (source.replace('"__SRISHTI_SHELL__"', json.dumps(urls))
              .replace("__SRISHTI_VERSION__", version)
              .replace('"__SRISHTI_OFFLINE__"', json.dumps(reverse("offline")))
              # STATIC_URL, not static(""): with hashed names (production) the empty
              # name has no entry in the manifest.
              .replace('"__SRISHTI_STATIC__"', json.dumps(settings.STATIC_URL)))
    response = HttpResponse(source, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Always asked again: a stale worker would keep serving an old shell.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@cache_control(max_age=3600)
def manifest_view(request):
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png",
         "purpose": "any"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
         "purpose": "any"},
        {"src": static("icons/icon-maskable-512.png"), "sizes": "512x512",
         "type": "image/png", "purpose": "maskable"},
        {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml",
         "purpose": "any"},
    ]
    return JsonResponse({
        "name": _("Srishti"),
        "short_name": _("Srishti"),
        "description": _("Quality certification of public health facilities: score "
                         "checklists, also without a network."),
        "lang": get_language(),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": BACKGROUND_COLOUR,
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@require_GET
def offline_view(request):
    """Shown by the service worker for a page that is not kept on the device. It holds
    nobody's data: the list of what is available offline is read on the device."""
    return render(request, "sync/offline.html")


@login_required
@require_GET
def photo_view(request, client_id: uuid.UUID):
    """An evidence photo, to whoever may read its checkpoint; 404 to anyone else.
    MEDIA_ROOT is never served directly."""
    photo = photo_for_read(user=request.user, client_id=client_id)
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=photo.content_type)
    # The content never changes under this URL (the client id names one photo).
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
