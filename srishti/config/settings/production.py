import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
SECRET_KEY = os.environ["SRISHTI_SECRET_KEY"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
STATIC_ROOT = VAR_DIR / "static"
