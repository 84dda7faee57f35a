"""Liveness and readiness probes, outside the API and its authentication."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def healthz(request):
    """The process is up and serving."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        logger.warning("readiness: database unreachable: %s", exc)
        return "database unreachable"
    return None


def _check_broker() -> str | None:
    if not settings.REDIS_URL:
        return None  # eager mode: no broker to reach
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as exc:
        logger.warning("readiness: broker unreachable: %s", exc)
        return "broker unreachable"
    return None


@require_GET
def readyz(request):
    """Dependencies reachable: the database and, when configured, the broker."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    failures = {name: problem for name, problem in checks.items() if problem}
    body = {
        "status": "ok" if not failures else "unavailable",
        "checks": {name: (problem or "ok") for name, problem in checks.items()},
    }
    return JsonResponse(body, status=503 if failures else 200)
