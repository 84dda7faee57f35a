"""Real services in tests: skip locally when one is missing, fail in CI."""

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, reason: str):
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI requires this: {reason}")
    pytest.skip(reason)


def require_redis():
    require(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set: no Redis to test against")


def require_postgres():
    url = os.environ.get("DATABASE_URL", "")
    require(
        url.startswith(("postgres://", "postgresql://")),
        "DATABASE_URL does not point at PostgreSQL",
    )
