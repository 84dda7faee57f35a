"""Task limits, the broker's visibility timeout and the sweeper keep their order
(jobs/timeouts.py): defaults are consistent, and every broken rule is refused at
start-up, before any process (web, worker, beat) runs."""

import dataclasses

import pytest
from django.conf import settings

from jobs import timeouts
from tests.test_settings import run_python

DEFAULTS = timeouts.Timeouts(
    task_time_limit=600,
    task_soft_time_limit=540,
    webhook_task_time_limit=120,
    webhook_backoff_max=900,
    visibility_timeout=1080,
    unacked_restore_interval=10,
    stale_after=1750,
    resend_after=60,
    sweep_interval=60.0,
    margin=60,
)


def test_the_defaults_are_the_derived_minimums_and_hold_every_rule():
    assert DEFAULTS.visibility_timeout == settings.CELERY_VISIBILITY_TIMEOUT
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 1080
    assert DEFAULTS.stale_after == settings.JOB_STALE_AFTER_SECONDS
    assert timeouts.problems(DEFAULTS) == []


def test_the_killed_worker_scenario_of_the_old_defaults_is_refused():
    # Stale after 900 s, redelivery after 3600 s: the sweeper failed the job first.
    old = dataclasses.replace(DEFAULTS, visibility_timeout=3600, stale_after=900)
    [problem] = timeouts.problems(old)
    assert problem.startswith("JOB_STALE_AFTER_SECONDS (900) must be at least")


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ({"task_soft_time_limit": 600}, "CELERY_TASK_SOFT_TIME_LIMIT (600) must be positive"),
        ({"task_soft_time_limit": 0}, "CELERY_TASK_SOFT_TIME_LIMIT (0) must be positive"),
        (
            {"task_time_limit": 1030, "task_soft_time_limit": 900, "stale_after": 5000},
            "CELERY_VISIBILITY_TIMEOUT (1080) must be at least CELERY_TASK_TIME_LIMIT",
        ),
        (
            {"webhook_backoff_max": 901},
            "CELERY_VISIBILITY_TIMEOUT (1080) must be at least WEBHOOK_BACKOFF_MAX_SECONDS",
        ),
        (
            {"stale_after": 1749},
            "JOB_STALE_AFTER_SECONDS (1749) must be at least CELERY_VISIBILITY_TIMEOUT",
        ),
        (
            {"resend_after": 1700},
            "JOB_STALE_AFTER_SECONDS (1750) must be at least JOB_RESEND_AFTER_SECONDS",
        ),
    ],
    ids=[
        "soft-not-below-hard",
        "soft-zero",
        "visibility-vs-task",
        "visibility-vs-retry",
        "stale-vs-redelivery",
        "stale-vs-resend",
    ],
)
def test_each_rule_is_enforced_on_its_own(change, refused):
    problems = timeouts.problems(dataclasses.replace(DEFAULTS, **change))
    assert len(problems) == 1, problems
    assert problems[0].startswith(refused)


def test_derived_minimums_are_exactly_the_boundary():
    visibility = timeouts.minimum_visibility_timeout(
        task_time_limit=600, webhook_task_time_limit=120, webhook_backoff_max=900, margin=60
    )
    stale = timeouts.minimum_stale_after(
        visibility_timeout=visibility,
        unacked_restore_interval=10,
        task_time_limit=600,
        resend_after=60,
        sweep_interval=60.0,
        margin=60,
    )
    assert (visibility, stale) == (1080, 1750)
    exact = dataclasses.replace(DEFAULTS, visibility_timeout=visibility, stale_after=stale)
    assert timeouts.problems(exact) == []
    short = dataclasses.replace(exact, visibility_timeout=visibility - 1)
    assert timeouts.problems(short)


def test_settings_derive_the_unset_timeouts_from_the_set_ones():
    result = run_python(
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings.base');"
        "django.setup(); from django.conf import settings as s; "
        "print(s.CELERY_TASK_SOFT_TIME_LIMIT, s.WEBHOOK_TASK_TIME_LIMIT,"
        " s.CELERY_VISIBILITY_TIMEOUT, s.JOB_STALE_AFTER_SECONDS)",
        CELERY_TASK_TIME_LIMIT="3000",
    )
    assert result.returncode == 0, result.stderr
    # 3000 + 60; then 3060 + 10 + 3000 + 60.
    assert result.stdout.split() == ["2700", "120", "3060", "6130"]


def test_inconsistent_settings_refuse_to_start():
    result = run_python(
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings.base');"
        "django.setup()",
        CELERY_VISIBILITY_TIMEOUT="3600",
        JOB_STALE_AFTER_SECONDS="900",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: Inconsistent timeouts: JOB_STALE_AFTER_SECONDS (900)" in (
        result.stderr
    )
