"""Test overrides: fast hashing, isolated media, generous throttles."""

import os
import tempfile

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="scorecards-test-media-")
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "anon": "100000/minute",
        "user": "100000/minute",
        "respondent_link": "100000/minute",
    },
}

# One process, so even the in-process cache is shared by everything that can
# revoke a token: the token cache is tested on SQLite too.
TOKEN_CACHE = True

# Tests enqueue inline; the `real_worker` fixture switches to a real worker thread.
CELERY_TASK_ALWAYS_EAGER = True

# The production SSRF guard for webhook targets (DEBUG would relax it).
WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

# Expected 4xx responses are the point of many tests; keep their logs quiet.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"django.request": {"level": "ERROR"}},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared-cache memory: the real-worker tests write from another
    # thread, and SQLite's shared cache turns that into "table is locked" errors.
    # One file per run, so parallel runs on one machine never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": f"{tempfile.gettempdir()}/scorecards-test-{os.getpid()}.sqlite3"
    }
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
