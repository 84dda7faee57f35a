"""Settings come from the environment; production mode passes the deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


SHOW = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings.base');"
    "django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default'].get('CONN_HEALTH_CHECKS'),"
    " s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'])"
)


def test_bare_environment_means_sqlite_and_eager_celery():
    result = run_python(SHOW)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "False",
        "True",
        "memory://",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_urls_switch_to_postgres_and_redis():
    result = run_python(
        SHOW, DATABASE_URL="postgres://u@127.0.0.1:5432/x", REDIS_URL="redis://127.0.0.1:6379/3"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "True",
        "False",
        "redis://127.0.0.1:6379/3",
        "django.core.cache.backends.redis.RedisCache",
    ]


def test_production_mode_passes_check_deploy_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "scorecards.example.com",
            "DJANGO_SECRET_KEY": "k" * 20 + "-a-long-and-random-looking-secret-value-1234567890",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_requires_a_secret_key():
    result = run_python(SHOW, DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_log_level_applies_to_djangos_own_loggers():
    code = (
        "import django, logging, os; "
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings.base'); django.setup(); "
        "log = logging.getLogger('django.request'); "
        "log.warning('routine 4xx'); log.error('server error')"
    )
    quiet = run_python(code, LOG_LEVEL="error")
    assert quiet.returncode == 0, quiet.stderr
    assert "server error" in quiet.stderr
    assert "routine 4xx" not in quiet.stderr
    chatty = run_python(code)
    assert "routine 4xx" in chatty.stderr
