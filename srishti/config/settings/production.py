"""Settings for a production server: HTTPS behind a reverse proxy (docs/deploy.md).

Everything a site differs in comes from the environment:
  SRISHTI_SECRET_KEY      required, at least 50 random characters
  SRISHTI_ALLOWED_HOSTS   required, the host names served, comma-separated
  SRISHTI_ORIGINS         the https origins of those hosts (default https://<each host>)
  DATABASE_URL            postgres://... (SQLite under SRISHTI_VAR when absent)
  SRISHTI_EMAIL_*         SMTP (see base.py)
  SRISHTI_REDIS_URL       optional shared cache for the rate limits
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import EMAIL_HOST, VAR_DIR


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: see docs/deploy.md, section 4")
    return value


SRISHTI_PRODUCTION = True
DEBUG = False
SECRET_KEY = required("SRISHTI_SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in required("SRISHTI_ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get(
        "SRISHTI_ORIGINS", ",".join(f"https://{h}" for h in ALLOWED_HOSTS)).split(",")
    if o.strip()
]

# The reverse proxy terminates TLS and says so in X-Forwarded-Proto; it must overwrite
# any such header a client sends (docs/deploy.md shows how).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SRISHTI_BEHIND_PROXY = os.environ.get("SRISHTI_BEHIND_PROXY", "1") == "1"
SECURE_SSL_REDIRECT = os.environ.get("SRISHTI_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SRISHTI_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SRISHTI_HSTS_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("SRISHTI_HSTS_PRELOAD", "1") == "1"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# Static files: collected once (`srishti manage collectstatic`), compressed and named by
# their content so that browsers may keep them for a year; served by the app (WhiteNoise).
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SRISHTI_PASSWORD_RESET_BY_EMAIL = bool(EMAIL_HOST)

if not os.environ.get("SRISHTI_REDIS_URL"):
    # Shared by the worker processes of one machine, so that a rate limit holds across
    # them; Redis (SRISHTI_REDIS_URL) when there are several machines.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}
