"""Settings shared by every environment. `DATABASE_URL` selects the database."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]
# The repository root when run from a checkout; data lives in var/ beside the code.
BASE_DIR = Path(os.environ.get("SRISHTI_HOME", PACKAGE_DIR.parent)).resolve()
VAR_DIR = Path(os.environ.get("SRISHTI_VAR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SRISHTI_SECRET_KEY", "insecure-development-key-change-me")
# Off unless asked for (`make dev`): Django's debug pages list every URL and show stack
# traces, which no one outside development should see.
DEBUG = os.environ.get("SRISHTI_DEBUG", "0") == "1"
# True only in settings.production: the demo and its well-known passwords are refused.
SRISHTI_PRODUCTION = False
ALLOWED_HOSTS = os.environ.get("SRISHTI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "srishti.core",
    "srishti.geography",
    "srishti.accounts",
    "srishti.checklists",
    "srishti.assessments",
    "srishti.improvement",
    "srishti.certification",
    "srishti.dashboards",
    "srishti.reports",
    "srishti.sync",
    "srishti.audit",
    "srishti.jobs",
    "srishti.notifications",
    "srishti.indicators",
    "srishti.programmes",
    "srishti.programme",
    "srishti.campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy: scripts and styles from this site only (core.security).
    "srishti.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who acts and from where, for the audit log (srishti.audit).
    "srishti.audit.middleware.AuditContextMiddleware",
    # 429 beyond the API's calls per account and per address (accounts.throttle).
    "srishti.accounts.throttle.ApiRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle (2 h) and absolute (12 h) session expiry; forced change of a temporary password.
    "srishti.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "srishti.config.urls"
WSGI_APPLICATION = "srishti.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    }
]


def sqlite_database(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets readers go on while an assessor saves; IMMEDIATE avoids the
            # "database is locked" upgrade deadlock between two writers, and the busy
            # timeout makes a writer wait in line for up to 20 s (a sync batch is written
            # in chunks of well under a second) rather than fail at once.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;",
            "transaction_mode": "IMMEDIATE",
        },
    }


def postgresql_database(url: str) -> dict[str, object]:
    """PostgreSQL through a pool of connections per process (psycopg_pool, Django 5.1+):
    a burst of requests borrows from at most SRISHTI_DB_POOL_MAX connections, and idle
    ones beyond SRISHTI_DB_POOL_MIN are closed after a minute, rather than every thread
    keeping its own connection open."""
    database = dj_database_url.parse(url, conn_max_age=0)
    database.setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("SRISHTI_DB_POOL_MIN", "1")),
        "max_size": int(os.environ.get("SRISHTI_DB_POOL_MAX", "8")),
        "max_idle": 60,
        # A request waits this long for a free connection before failing.
        "timeout": 20,
    }
    return database


if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    DATABASES = {"default": postgresql_database(os.environ["DATABASE_URL"])}
elif os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    # SQLite cannot create the folder its file lives in; a first `srishti` command on a
    # fresh checkout should not fail for want of var/.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": sqlite_database(VAR_DIR / "srishti.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# ModelBackend with lock-out after repeated failures (accounts.backends).
AUTHENTICATION_BACKENDS = ["srishti.accounts.backends.LockoutBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hi", _("Hindi"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Kolkata"
# One date format in every language (see srishti/config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["srishti.config.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploaded workbooks larger than this are refused before they are read.
SRISHTI_MAX_WORKBOOK_BYTES = 50 * 1024 * 1024
# Evidence files (photos, PDFs) of action items larger than this are refused.
SRISHTI_MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Content-Security-Policy sent with every response (srishti.core.security). No inline
# script anywhere: every script is a file under /static/. Style *attributes* stay allowed
# for the widths of score bars and the colours of heat maps, computed per row; style
# elements and files must come from this site.
SRISHTI_CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# E-mail (password reset, notifications). Without SRISHTI_EMAIL_HOST mail is written to
# files under var/mail, so that nothing pretends to have been sent.
EMAIL_HOST = os.environ.get("SRISHTI_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("SRISHTI_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("SRISHTI_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SRISHTI_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("SRISHTI_EMAIL_TLS", "1") == "1"
    EMAIL_USE_SSL = os.environ.get("SRISHTI_EMAIL_SSL", "0") == "1"
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# "Forgot your password?" by e-mail: offered where mail is really sent, and in
# development, where it lands in var/mail.
SRISHTI_PASSWORD_RESET_BY_EMAIL = bool(EMAIL_HOST) or DEBUG
DEFAULT_FROM_EMAIL = os.environ.get("SRISHTI_EMAIL_FROM", "Srishti <srishti@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A password-reset link works for this long.
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60

# Background work (PDFs, exports, notifications): django-tasks with its database backend,
# so the embedded set-up needs no other server; `srishti worker` runs the tasks.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    },
}
# The site's address, for the links in notifications ("" in development: paths only).
SRISHTI_SITE_URL = os.environ.get("SRISHTI_SITE_URL", "")
# Text messages: a class of srishti.notifications.sms (the default only logs them).
SRISHTI_SMS_BACKEND = os.environ.get("SRISHTI_SMS_BACKEND",
                                     "srishti.notifications.sms.LoggingSmsBackend")
# Files made by background jobs, kept this long for their owner to download.
SRISHTI_JOB_FILES_DAYS = 7

# Rate limits (srishti.accounts.throttle): failed log-ins per address, and API calls per
# account and per address, in a window of SRISHTI_RATE_WINDOW seconds.
SRISHTI_RATE_WINDOW = 60
SRISHTI_API_CALLS_PER_ACCOUNT = int(os.environ.get("SRISHTI_API_CALLS_PER_ACCOUNT", "240"))
SRISHTI_API_CALLS_PER_ADDRESS = int(os.environ.get("SRISHTI_API_CALLS_PER_ADDRESS", "600"))
SRISHTI_LOGIN_FAILURES_PER_ADDRESS = 20
SRISHTI_PASSWORD_RESETS_PER_HOUR = 5
# Behind the reverse proxy of production, the person's address is the one it forwards.
SRISHTI_BEHIND_PROXY = False

# A shared cache makes the rate limits hold across worker processes: Redis when given,
# else the per-process memory cache (development, tests).
if os.environ.get("SRISHTI_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["SRISHTI_REDIS_URL"]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SRISHTI_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django logs every 4xx at WARNING; a refused request is not news.
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint narrates every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
