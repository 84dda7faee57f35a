"""How long tasks, the broker and the stale-job sweeper wait, and the order they must keep.

A worker that dies leaves its message unacknowledged; Redis hands it to another
worker after the visibility timeout, and that worker takes the job over. The
sweeper fails a running job silent for ``JOB_STALE_AFTER_SECONDS``. Recovery
works only if these happen in this order:

1. a task ends (hard time limit) before the broker would redeliver it, or it
   runs twice at once;
2. a webhook retry waiting for its countdown, then running, also ends before
   the broker would redeliver it;
3. the redelivered job starts before the sweeper fails it: the message comes
   back after the visibility timeout plus one restore scan, then may wait up
   to one task time limit for a free worker;
4. a pending job is sent again at least once before the sweeper fails it.

Each comparison keeps ``margin`` seconds to spare. Settings derive the
defaults from the minimums below and refuse values that break an order
(``config/settings/base.py``). Pure: no Django imports, so settings can use it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Timeouts:
    task_time_limit: int
    task_soft_time_limit: int
    webhook_task_time_limit: int
    webhook_backoff_max: int
    visibility_timeout: int
    unacked_restore_interval: int
    stale_after: int
    resend_after: int
    sweep_interval: float
    margin: int


def minimum_visibility_timeout(
    *, task_time_limit: int, webhook_task_time_limit: int, webhook_backoff_max: int, margin: int
) -> int:
    """Rules 1 and 2: outlast every task, and every countdown plus the task after it."""
    return max(task_time_limit, webhook_backoff_max + webhook_task_time_limit) + margin


def minimum_stale_after(
    *,
    visibility_timeout: int,
    unacked_restore_interval: int,
    task_time_limit: int,
    resend_after: int,
    sweep_interval: float,
    margin: int,
) -> int:
    """Rules 3 and 4: let a redelivered job start, and a pending one be sent again."""
    redelivered = visibility_timeout + unacked_restore_interval + task_time_limit
    resent = resend_after + sweep_interval
    return int(max(redelivered, resent)) + margin


def problems(t: Timeouts) -> list[str]:
    """What is inconsistent, one sentence per broken rule; empty when all hold."""
    found = []
    if not 0 < t.task_soft_time_limit < t.task_time_limit:
        found.append(
            f"CELERY_TASK_SOFT_TIME_LIMIT ({t.task_soft_time_limit}) must be positive and "
            f"below CELERY_TASK_TIME_LIMIT ({t.task_time_limit}), so a task can clean up."
        )
    if t.visibility_timeout < t.task_time_limit + t.margin:
        found.append(
            f"CELERY_VISIBILITY_TIMEOUT ({t.visibility_timeout}) must be at least "
            f"CELERY_TASK_TIME_LIMIT + margin ({t.task_time_limit} + {t.margin}), or the "
            "broker hands a running task to a second worker."
        )
    retry = t.webhook_backoff_max + t.webhook_task_time_limit
    if t.visibility_timeout < retry + t.margin:
        found.append(
            f"CELERY_VISIBILITY_TIMEOUT ({t.visibility_timeout}) must be at least "
            f"WEBHOOK_BACKOFF_MAX_SECONDS + the delivery task's time limit + margin "
            f"({t.webhook_backoff_max} + {t.webhook_task_time_limit} + {t.margin}), or a "
            "webhook retry waiting for its countdown is delivered twice."
        )
    redelivered = t.visibility_timeout + t.unacked_restore_interval + t.task_time_limit
    if t.stale_after < redelivered + t.margin:
        found.append(
            f"JOB_STALE_AFTER_SECONDS ({t.stale_after}) must be at least "
            "CELERY_VISIBILITY_TIMEOUT + the restore interval + CELERY_TASK_TIME_LIMIT + "
            f"margin ({t.visibility_timeout} + {t.unacked_restore_interval} + "
            f"{t.task_time_limit} + {t.margin}), or the sweeper fails the job of a killed "
            "worker before the broker redelivers it, and the redelivery is dropped."
        )
    if t.stale_after < t.resend_after + t.sweep_interval + t.margin:
        found.append(
            f"JOB_STALE_AFTER_SECONDS ({t.stale_after}) must be at least "
            "JOB_RESEND_AFTER_SECONDS + JOB_SWEEP_INTERVAL_SECONDS + margin "
            f"({t.resend_after} + {t.sweep_interval:g} + {t.margin}), or a pending job is "
            "failed before it is ever sent again."
        )
    return found
