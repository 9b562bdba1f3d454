from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, sqlite_database

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES = {"default": sqlite_database(VAR_DIR / "test.sqlite3")}

# Every test request comes from 127.0.0.1 and the memory cache outlives a test: the rate
# limits would add up across the whole run. Their own tests set them low.
SRISHTI_API_CALLS_PER_ACCOUNT = SRISHTI_API_CALLS_PER_ADDRESS = 1_000_000
SRISHTI_PASSWORD_RESETS_PER_HOUR = 1_000_000
