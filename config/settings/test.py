"""Test overrides: fast hashing, isolated media, generous throttles."""

import tempfile

from config.settings.base import *  # noqa: F403
from config.settings.base import REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="scorecards-test-media-")
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}

# Tests enqueue inline; the `real_worker` fixture switches to a real worker thread.
CELERY_TASK_ALWAYS_EAGER = True
